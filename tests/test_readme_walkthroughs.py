"""The worked examples of README.md, run command by command in a fresh repository.

Every `$ reseau …` line of the two walkthroughs must do what the README says: succeed
(or be refused, when the README shows `error: …`) and print the lines shown, random
ids and commit hashes aside (the README's are those of one run: each is matched to
this run's the first time it appears, and must then stay the same). Tables are drawn
by rich on a terminal and as plain columns here, so their layout is not compared.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from conftest import invoke, ok

README = Path(__file__).resolve().parents[1] / "README.md"
# A random id (person, objective, action, concertation) or an abbreviated commit hash.
RANDOM = re.compile(r"\b(?:(?:cn|[poacde])-[2-9a-z]{6}|[0-9a-f]{7,8})\b")


# The rule under the header of a table in plain columns (as piped, or in a script): one
# run of dashes a column, two spaces apart. Such a table is compared line by line.
PLAIN_RULE = re.compile(r"^─+(?:  ─+)+$")


def section(start: str, end: str) -> str:
    text = README.read_text(encoding="utf-8")
    return text[text.index(start) : text.index(end)]


def steps(text: str) -> list[list[tuple[list[str], list[str]]]]:
    """Each console block as (command arguments after `reseau`, expected lines)."""
    blocks = []
    for block in re.findall(r"```console\n(.*?)```", text, re.S):
        block = re.sub(r"\\\n\s+", "", block)  # continuation lines
        found: list[tuple[list[str], list[str]]] = []
        for line in block.splitlines():
            if line.startswith("$ reseau "):
                found.append((shlex.split(line)[2:], []))
            else:
                found[-1][1].append(line.rstrip())
        blocks.append(found)
    return blocks


class Ids:
    """The README's random ids and hashes, matched to this run's."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}

    def args(self, args: list[str]) -> list[str]:
        return [RANDOM.sub(lambda m: self.seen.get(m.group(), m.group()), a) for a in args]

    def match(self, expected: str, actual: str) -> None:
        """The same line, but for random ids, each always matched to the same one."""
        assert RANDOM.split(expected) == RANDOM.split(actual), (
            f"\n  README: {expected}\n  run:    {actual}"
        )
        for old, new in zip(RANDOM.findall(expected), RANDOM.findall(actual), strict=True):
            assert self.seen.setdefault(old, new) == new, f"{old} is {self.seen[old]}, not {new}"


def run(ids: Ids, args: list[str], expected: list[str]) -> None:
    result = invoke(*ids.args(args))
    refused = bool(expected) and expected[0].startswith("error: ")
    assert result.exit_code == (1 if refused else 0), (
        f"reseau {' '.join(args)}\nexit {result.exit_code}\n{result.output}"
    )
    if any("──" in line for line in expected) and not any(PLAIN_RULE.match(e) for e in expected):
        return  # a table as rich draws it on a terminal, plain columns here
    # A terminal shows messages (stderr) and data (stdout) as they come; here they are
    # captured apart, so each README line is paired with the run's line of that shape.
    actual = [line.rstrip() for line in result.stderr.splitlines() + result.stdout.splitlines()]
    assert len(actual) == len(expected), (
        f"reseau {' '.join(args)}\nREADME:\n" + "\n".join(expected) + "\nrun:\n" + result.output
    )
    for want in expected:
        got = next((a for a in actual if RANDOM.split(a) == RANDOM.split(want)), None)
        assert got is not None, f"reseau {' '.join(args)}\n  README: {want}\n  run: {actual}"
        actual.remove(got)
        ids.match(want, got)


def run_tour(ids: Ids, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The five-minute tour: `init` into a folder of tmp_path, `cd` there, then every
    command; one shown without output (`show`, `edit`) must only succeed."""
    home = tmp_path / "elise"
    monkeypatch.setenv("EDITOR", "true")  # `person edit`: saved unchanged
    monkeypatch.delenv("RESEAU_REPO", raising=False)
    root = home / "reseau-nord"
    for block in steps(section("## A five-minute tour", "## The data repository")):
        for args, expected in block:
            args = [a.replace("~/reseau-nord", str(root)) for a in args]
            if "#" in args:
                args = args[: args.index("#")]
            if args[0] == "init":
                result = ok(*args)
                assert result.stderr.replace(str(root), "/home/elise/reseau-nord").splitlines() == [
                    e for e in expected if not e.startswith("$ cd")
                ]
                monkeypatch.chdir(root)
                continue
            if not expected:
                ok(*ids.args(args))
                continue
            run(ids, args, expected)
    return root


def on(monkeypatch: pytest.MonkeyPatch, day: str, author: str, time: str = "10:00") -> None:
    monkeypatch.setenv("RESEAU_TODAY", day)
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", author)
        monkeypatch.setenv(f"GIT_{role}_DATE", f"{day}T{time}:00")


def test_tour_then_marcel_comes_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ "A five-minute tour", then "Worked example: Marcel comes home after hospital",
    in order, in the repository the tour made (Marcel closed, then reopened)."""
    on(monkeypatch, "2026-11-28", "Élise Marchal")
    ids = Ids()
    run_tour(ids, tmp_path, monkeypatch)
    on(monkeypatch, "2026-11-28", "Alice")
    blocks = steps(section("### Worked example: Marcel", "**A handover planned ahead**"))
    assert len(blocks) == 6
    for block in blocks:
        for args, expected in block:
            run(ids, args, expected)
    assert "no problem" in ok("check").stdout


def test_consent_and_sharing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ "Consent and sharing", in the repository of Marcel's walkthrough."""
    on(monkeypatch, "2026-11-28", "Élise Marchal")
    ids = Ids()
    run_tour(ids, tmp_path, monkeypatch)
    on(monkeypatch, "2026-11-28", "Alice")
    for block in steps(section("### Worked example: Marcel", "**A handover planned ahead**")):
        for args, expected in block:
            run(ids, args, expected)
    for block in steps(section("## Consent and sharing", "## Working as a team")):
        for args, expected in block:
            run(ids, args, expected)
    assert "no problem" in ok("check").stdout
    # The three versions say what the README quotes of them.
    out = tmp_path / "elise" / "reseau-nord" / "out"
    service = (out / "plan-service.md").read_text(encoding="utf-8")
    assert (
        "**Version destinée à Aide familiale Nord** (services). Non communiqué, à la demande "
        "de la personne : situation." in service
    )
    assert "Non communiqué dans cette version, à la demande de la personne." in service
    family = (out / "plan-luc.md").read_text(encoding="utf-8")
    assert "**Version destinée à Luc Janssens** (proches et aidants)." in family
    assert "Non communiqué, à la demande de la personne : santé." in family
    own = (out / "mon-plan.html").read_text(encoding="utf-8")
    assert "Bonjour Marcel." in own and '<body class="easy' in own


# The days and the people of the Inès walkthrough, block by block.
INES = [
    ("2026-11-20", "Thomas Renard", "10:00"),  # the network and her objectives
    ("2026-11-20", "Thomas Renard", "10:00"),  # plan the first concertation
    ("2026-12-02", "Thomas Renard", "16:30"),  # record it
    ("2026-12-02", "Thomas Renard", "16:30"),  # a third objective
    ("2026-12-09", "Maxime Dubois", "10:00"),  # follow the actions
    ("2026-12-22", "Thomas Renard", "10:00"),  # status
    ("2027-01-06", "Thomas Renard", "16:00"),  # the second concertation, from the form
    ("2027-01-06", "Thomas Renard", "16:00"),  # review the plan
]


def test_ines_support_plan_and_concertations(team: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ "The support plan, concertations and `status`"."""
    text = section("## The support plan, concertations and `status`", "## Evaluation")
    blocks = steps(text)
    assert len(blocks) == len(INES)
    form = re.findall(r"```yaml\n(.*?)```", text, re.S)[0]
    ids = Ids()
    monkeypatch.chdir(team)
    for block, (day, author, time) in zip(blocks, INES, strict=True):
        on(monkeypatch, day, author, time)
        for args, expected in block:
            if "--file" in args:
                (team / "form.yaml").write_text(ids.args([form])[0], encoding="utf-8")
            run(ids, args, expected)
    assert "no problem" in ok("check").stdout
