"""Help texts people read (issue 11, item 18): metavars such as TEXT, DATE, N and PERSON,
ranges in words, command summaries never cut with `...`."""

from __future__ import annotations

import re

from conftest import ok
from reseau_cli.cli.readable import summary


def _all_commands() -> list[tuple[str, ...]]:
    from reseau_cli.cli import command_tree

    found: list[tuple[str, ...]] = [()]

    def walk(cmd, path):  # type: ignore[no-untyped-def]
        for name, child in (getattr(cmd, "commands", None) or {}).items():
            if not child.hidden:
                found.append((*path, name))
                walk(child, (*path, name))

    walk(command_tree(), ())
    return found


def test_no_help_shows_type_names_braces_ranges_or_cut_summaries() -> None:
    for path in _all_commands():
        text = ok(*path, "-h").stdout
        where = f"reseau {' '.join(path)} -h"
        assert not re.search(r"<(str|int|float|text|int range|directory|file|path)>", text), (
            where + "\n" + text
        )
        assert "{" not in text.splitlines()[0], where + "\n" + text
        assert not re.search(r"\[x[<>]=|[<>]=x\]", text), where + "\n" + text
        assert "..." not in text.replace("[ARGS]...", ""), where + "\n" + text


def test_metavars_people_read() -> None:
    plan = " ".join(ok("concertation", "plan", "-h").stdout.split())
    assert "--date DATE" in plan and "--time HH:MM" in plan and "--place TEXT" in plan
    assert "--organiser INTERVENANT" in plan
    assert ok("concertation", "plan", "-h").stdout.startswith(
        "Usage: reseau concertation plan [OPTIONS] PERSON\n"
    )
    log = " ".join(ok("log", "-h").stdout.split())
    assert "-n, --number N At most N entries. [1 or more]" in log
    assert "--repo DIR" in ok("-h").stdout


def test_summaries_fit_or_wrap_whole() -> None:
    root = ok("-h").stdout
    assert "  init          Create a data repository\n" in root
    assert "  share         Set up the team's shared remote and push this branch to it.\n" in root
    assert summary("Short and sweet. More here.", 40) == "Short and sweet."
    assert summary("Create a data repository: details that go on and on", 30) == (
        "Create a data repository"
    )
    assert summary("Tiny: with many details that go on and on and on", 30) == (
        "Tiny: with many details that go on and on and on"
    )
