"""`reseau evaluation …`: needs by domain, the person's view, changes between evaluations."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import commits, git, invoke, ok, refused, write_intervenant
from plan_helpers import load

EVAL_ID = re.compile(r"^e-[2-9a-hjkmnp-z]{6}$")


@pytest.fixture
def karim(team: Path) -> str:
    write_intervenant(team, "karim-ouali", "Karim Ouali")
    return "karim-ouali"


def _discharge(pid: str, *extra: str) -> str:
    return ok(
        "evaluation",
        "add",
        pid,
        "--date",
        "2026-10-12",
        "--domain",
        "autonomy=unmet",
        "--need",
        "autonomy=Cannot wash or dress alone since the fall",
        "--person-view",
        "autonomy=Je veux rester chez moi",
        "--domain",
        "social=partly-met",
        "--domain",
        "health=met",
        *extra,
    ).stdout.strip()


def test_add_records_domains_and_commits_with_ids(team: Path, marcel: str, karim: str) -> None:
    eid = _discharge(marcel, "--by", karim)
    assert EVAL_ID.match(eid)
    assert commits(team)[0] == f"{marcel}: add evaluation {eid}"
    [evaluation] = load(team, marcel)["evaluations"]
    assert evaluation == {
        "id": eid,
        "date": "2026-10-12",
        "by": karim,
        "domains": [  # in the plan's order of domains
            {"domain": "health", "level": "met"},
            {
                "domain": "autonomy",
                "level": "unmet",
                "need": "Cannot wash or dress alone since the fall",
                "person_view": "Je veux rester chez moi",
            },
            {"domain": "social", "level": "partly-met"},
        ],
    }
    assert ok("check").exit_code == 0


def test_list_and_show_changes_since_the_previous(team: Path, marcel: str, karim: str) -> None:
    first = _discharge(marcel, "--by", karim)
    second = ok(
        "evaluation", "add", marcel, "--domain", "autonomy=partly-met", "--domain", "social=unmet"
    ).stdout.strip()
    rows = json.loads(ok("evaluation", "list", marcel, "--json").stdout)
    assert [r["id"] for r in rows] == [first, second]
    assert rows[0]["by_name"] == "Karim Ouali"
    assert rows[1]["domains"] == {"autonomy": "partly-met", "social": "unmet"}
    table = ok("evaluation", "list", marcel).stdout
    assert first in table and "Karim Ouali" in table
    shown = json.loads(ok("evaluation", "show", marcel, "--json").stdout)
    assert shown["id"] == second and shown["previous"] == first
    assert [(d["domain"], d["before"], d["level"], d["trend"]) for d in shown["domains"]] == [
        ("autonomy", "unmet", "partly-met", "better"),
        ("social", "partly-met", "unmet", "worse"),
    ]
    text = ok("evaluation", "show", marcel).stdout
    assert "autonomy: unmet → partly-met ↗" in text
    older = ok("evaluation", "show", marcel, first).stdout
    assert "Cannot wash or dress alone" in older and "Je veux rester chez moi" in older


def test_list_without_evaluation_says_how(team: Path, marcel: str) -> None:
    result = ok("evaluation", "list", marcel)
    assert result.stdout == "" and "reseau evaluation add" in result.stderr
    refused(team, "evaluation", "show", marcel, match="no evaluation yet")


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["--domain", "garden=met"], "unknown --domain domain 'garden'"),
        (["--domain", "health=fine"], "invalid level 'fine' for health"),
        (["--domain", "health"], "--domain takes NAME=VALUE"),
        (["--need", "health=Pain at night"], "has a need or a view but no level"),
        (["--date", "2026-12-01", "--domain", "health=met"], "is in the future"),
        (["--date", "2026-08-01", "--domain", "health=met"], "before the accompaniment opened"),
        (["--date", "2026-13-01", "--domain", "health=met"], "2026-13-01"),
        (["--by", "nobody", "--domain", "health=met"], "unknown intervenant 'nobody'"),
        (["--domain", "health=met", "--domain", "health=unmet"], "given twice"),
        (["--note", "only a note"], "nothing to record"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(
    team: Path, marcel: str, args: list[str], match: str
) -> None:
    refused(team, "evaluation", "add", marcel, *args, match=match)


def test_unknown_evaluation_and_closed_person(team: Path, marcel: str) -> None:
    _discharge(marcel)
    refused(team, "evaluation", "show", marcel, "e-zzzzzz", match="unknown evaluation")
    ok("person", "close", marcel, "--reason", "Moved")
    refused(team, "evaluation", "add", marcel, "--domain", "health=met", match="is closed")


def test_form_from_file_and_its_errors_name_the_line(
    team: Path, marcel: str, tmp_path: Path
) -> None:
    form = tmp_path / "form.yaml"
    form.write_text(
        "date: 2026-11-20\nby: null\ndomains:\n  housing:\n    level: unmet\n"
        "    need: Stairs to the bedroom\n    person_view: Je dors dans le fauteuil\n"
        "  family: {level: none}\n  social: {level: null}\n"
    )
    eid = ok("evaluation", "add", marcel, "--file", str(form)).stdout.strip()
    [evaluation] = load(team, marcel)["evaluations"]
    assert evaluation["id"] == eid and evaluation["date"] == "2026-11-20"
    assert [d["domain"] for d in evaluation["domains"]] == ["housing", "family"]
    bad = tmp_path / "bad.yaml"
    bad.write_text("date: 2026-11-20\ndomains:\n  housing:\n    need: Stairs\n")
    refused(team, "evaluation", "add", marcel, "--file", str(bad), match="line 3")
    bad.write_text("date: 2026-11-20\ndomains:\n  housing: {level: maybe}\n")
    refused(team, "evaluation", "add", marcel, "--file", str(bad), match="line 3")
    refused(
        team,
        "evaluation",
        "add",
        marcel,
        "--file",
        "-",
        input="date: 2026-11-20\nsomething: 1\n",
        match="unknown field",
    )
    refused(
        team,
        "evaluation",
        "add",
        marcel,
        "--file",
        str(form),
        "--domain",
        "health=met",
        match="do not add other flags",
    )


def test_editor_form_is_prefilled_with_the_previous_values(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _discharge(marcel)
    seen = tmp_path / "seen.yaml"
    editor = tmp_path / "editor.py"
    editor.write_text(
        "import shutil, sys\n"
        f"shutil.copy(sys.argv[1], {str(seen)!r})\n"
        "p = sys.argv[1]\n"
        "text = open(p).read().replace('level: unmet', 'level: met')\n"
        "open(p, 'w').write(text)\n"
    )
    monkeypatch.setenv("EDITOR", f"python3 {editor}")
    result = ok("evaluation", "add", marcel, "--edit")
    form = seen.read_text()
    assert "level: unmet" in form and "Je veux rester chez moi" in form
    [_, second] = load(team, marcel)["evaluations"]
    assert second["id"] == result.stdout.strip()
    autonomy = next(d for d in second["domains"] if d["domain"] == "autonomy")
    assert autonomy["level"] == "met" and autonomy["person_view"] == "Je veux rester chez moi"


def test_evaluations_merge_by_identity(team: Path, marcel: str, tmp_path: Path) -> None:
    """Two clones adding an evaluation each: both are kept after sync."""
    remote = tmp_path / "remote.git"
    ok("share", str(remote))
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(remote), str(clone))
    mine = _discharge(marcel)
    theirs = ok(
        "--repo", str(clone), "evaluation", "add", marcel, "--domain", "housing=unmet"
    ).stdout.strip()
    ok("--repo", str(clone), "sync")
    ok("sync")
    ids = {e["id"] for e in load(team, marcel)["evaluations"]}
    assert ids == {mine, theirs}


# The days of the README's evaluation walkthrough, block by block.
README_DAYS = ["2026-10-12", "2027-01-12", "2027-01-12"]


def test_readme_evaluation_walkthrough(team: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ "Evaluation" in README.md, command by command."""
    from test_readme_walkthroughs import Ids, on, run, section, steps

    blocks = steps(section("## Evaluation", "## Documents:"))
    assert len(blocks) == len(README_DAYS)
    ids = Ids()
    monkeypatch.chdir(team)
    for block, day in zip(blocks, README_DAYS, strict=True):
        on(monkeypatch, day, "Élise Marchal")
        for args, expected in block:
            run(ids, args, expected)
    assert "no problem" in ok("check").stdout


def test_check_rules_of_evaluations(team: Path, marcel: str) -> None:
    from plan_helpers import edit

    _discharge(marcel)

    def break_it(doc: dict) -> None:  # type: ignore[type-arg]
        copy = json.loads(json.dumps(doc["evaluations"][0]))
        copy.update(by="nobody", date="2027-01-01")
        copy["domains"].append({"domain": "health", "level": "unmet"})
        doc["evaluations"].append(copy)

    edit(team, marcel, break_it, "by hand")
    result = invoke("check")
    assert result.exit_code == 1
    for message in (
        "duplicate id",
        "unknown intervenant 'nobody'",
        "evaluation dated in the future",
        "domain health given twice",
    ):
        assert message in result.stdout
