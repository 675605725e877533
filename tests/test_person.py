"""`reseau person add|list|show|close` on real repositories."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import commits, git, ok, refused


def test_add_prints_only_an_opaque_id_and_commits(team: Path) -> None:
    result = ok(
        "person",
        "add",
        "--family-name",
        "Janssens",
        "--given-name",
        "Marcel",
        "--birth-date",
        "1940-05-03",
        "--situation",
        "Back home after a fall.\nLives alone.",
    )
    pid = result.stdout.strip()
    assert result.stdout == pid + "\n"
    assert re.fullmatch(r"p-[a-z0-9]{6}", pid)
    assert "janssens" not in pid and "marcel" not in pid
    text = (team / "persons" / f"{pid}.yaml").read_text()
    doc = yaml.safe_load(text)
    assert doc["identity"] == {
        "family_name": "Janssens",
        "given_name": "Marcel",
        "birth_date": "1940-05-03",
    }
    assert doc["status"] == "active" and doc["opened"] == "2026-11-28"
    assert doc["situation"] == "Back home after a fall.\nLives alone."
    assert "birth_date: '1940-05-03'" in text  # dates stay quoted strings
    assert "situation: |-" in text  # multi-line text readable in diffs
    assert text.splitlines()[:3] == ["format: 1", f"id: {pid}", "status: active"]
    assert commits(team)[0] == f"{pid}: add person"
    assert git(team, "show", "--stat", "--format=", "HEAD").count("|") == 1
    assert git(team, "status", "--porcelain") == ""


def test_commit_messages_never_carry_names(team: Path) -> None:
    pid = ok("person", "add", "--family-name", "Boukhari", "--given-name", "Inès").stdout.strip()
    ok("person", "close", pid, "--reason", "moved to Liège")
    messages = git(team, "log", "--format=%B")
    assert "Boukhari" not in messages and "Inès" not in messages
    assert "Liège" not in messages


def test_add_with_chosen_id(team: Path) -> None:
    assert (
        ok("person", "add", "--family-name", "V", "--given-name", "N", "--id", "noah-v").stdout
        == "noah-v\n"
    )
    assert (team / "persons" / "noah-v.yaml").is_file()
    refused(
        team,
        "person",
        "add",
        "--family-name",
        "X",
        "--given-name",
        "Y",
        "--id",
        "noah-v",
        match="already exists",
    )


def test_ids_of_many_persons_are_distinct(team: Path) -> None:
    made = {
        ok("person", "add", "--family-name", f"F{i}", "--given-name", "G").stdout.strip()
        for i in range(8)
    }
    assert len(made) == 8
    assert sorted(made) == sorted(p.stem for p in (team / "persons").glob("*.yaml"))


def test_a_new_id_never_takes_a_name_the_folder_holds(
    team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A drawn id already held by a file, a link or a folder is drawn again."""
    from reseau_cli import ids

    drawn = iter(["aaaaaa", "bbbbbb", "cccccc", "dddddd"])
    monkeypatch.setattr(ids, "_draw", lambda length: next(drawn))
    persons = team / "persons"
    ok("person", "add", "--family-name", "A", "--given-name", "A", "--id", "p-aaaaaa")
    (persons / "p-bbbbbb.yaml").symlink_to(persons / "p-aaaaaa.yaml")
    (persons / "p-cccccc.yaml").mkdir()
    made = ok("person", "add", "--family-name", "D", "--given-name", "D", "--force").stdout
    assert made == "p-dddddd\n"
    assert (persons / "p-dddddd.yaml").is_file()


def test_list_table_and_json(team: Path) -> None:
    a = ok("person", "add", "--family-name", "Janssens", "--given-name", "Marcel").stdout.strip()
    b = ok(
        "person",
        "add",
        "--family-name",
        "Boukhari",
        "--given-name",
        "Inès",
        "--since",
        "2025-10-01",
    ).stdout.strip()
    assert yaml.safe_load((team / "persons" / f"{b}.yaml").read_text())["opened"] == "2025-10-01"
    ok("person", "close", b, "--reason", "moved away", "--date", "2026-11-20")
    table = ok("person", "list").stdout
    assert "Marcel Janssens" in table and a in table
    assert "Boukhari" not in table
    rows = json.loads(ok("person", "list", "--all", "--json").stdout)
    assert [r["id"] for r in rows] == [b, a]  # sorted by name: Inès before Marcel
    assert rows[0] == {
        "id": b,
        "name": "Inès Boukhari",
        "status": "closed",
        "coordinator": None,
        "coordinator_name": None,
        "next_review": None,
    }


def test_list_empty_repository_says_how_to_start(team: Path) -> None:
    result = ok("person", "list")
    assert result.stdout == ""
    assert "reseau person add" in result.stderr
    assert ok("person", "list", "--json").stdout.strip() == "[]"


def test_show_readable_and_json(team: Path, marcel: str) -> None:
    shown = ok("person", "show", marcel).stdout
    assert "Marcel Janssens" in shown
    assert "86 years" in shown  # born 1940-05-03, today 2026-11-28
    assert "Lives alone" in shown
    assert "Network" in shown and "Plan" in shown and "Concertations" in shown
    doc = json.loads(ok("person", "show", marcel, "--json").stdout)
    assert doc["id"] == marcel and doc["identity"]["birth_date"] == "1940-05-03"


def test_close_keeps_the_file_and_records_reason(team: Path, marcel: str) -> None:
    result = ok(
        "person", "close", marcel, "--reason", "Moved to a nursing home", "--date", "2026-11-27"
    )
    assert "Closed" in result.stderr
    doc = yaml.safe_load((team / "persons" / f"{marcel}.yaml").read_text())
    assert doc["status"] == "closed"
    assert doc["closed"] == {"date": "2026-11-27", "reason": "Moved to a nursing home"}
    assert commits(team)[0] == f"{marcel}: close accompaniment"
    refused(team, "person", "close", marcel, "--reason", "again", match="already closed")


def test_close_defaults_to_today(team: Path, marcel: str) -> None:
    ok("person", "close", marcel, "--reason", "end")
    doc = yaml.safe_load((team / "persons" / f"{marcel}.yaml").read_text())
    assert doc["closed"]["date"] == "2026-11-28"


def test_close_requires_reason(team: Path, marcel: str) -> None:
    refused(team, "person", "close", marcel, match="--reason", code=2)
    refused(team, "person", "close", marcel, "--reason", "  ", match="must not be empty")
    refused(
        team,
        "person",
        "close",
        marcel,
        "--reason",
        "x",
        "--date",
        "2020-01-01",
        match="before the accompaniment opened",
    )


def test_show_prints_statuses_of_objectives_and_actions(team: Path, marcel: str) -> None:
    objective = ok(
        "plan", "objective", "add", marcel, "Rester chez moi", "--priority"
    ).stdout.strip()
    ok(
        "plan",
        "action",
        "add",
        marcel,
        "Trier le courrier",
        "--by",
        "person",
        "--objective",
        objective,
    )
    shown = ok("person", "show", marcel).stdout
    assert "Rester chez moi  [active]" in shown
    assert "Trier le courrier — the person  [planned]" in shown


def test_close_in_the_future_and_absurd_birth_dates_are_refused(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    refused(
        team,
        "person",
        "close",
        marcel,
        "--reason",
        "x",
        "--date",
        "2027-01-01",
        match="in the future",
    )
    refused(team, "person", "add", "--family-name", "A", "--given-name", "B", "--birth-date", "1800-01-01",
            match="between 1900-01-01 and 2199-12-31")  # fmt: skip
    monkeypatch.setenv("RESEAU_TODAY", "2040-01-01")
    refused(team, "person", "add", "--family-name", "A", "--given-name", "B", "--birth-date", "1905-01-01",
            match="more than 130 years ago")  # fmt: skip


def test_broken_file_is_announced_not_silently_left_out(team: Path, marcel: str) -> None:
    other = ok("person", "add", "--family-name", "Boukhari", "--given-name", "Inès").stdout.strip()
    path = team / "persons" / f"{marcel}.yaml"
    path.write_text(path.read_text() + "  bad: [\n")
    result = ok("person", "list")
    assert other in result.stdout and marcel not in result.stdout
    assert (
        f"warning: 1 file could not be read and is left out (persons/{marcel}.yaml)"
        in result.stderr
    )
    check = __import__("conftest").invoke("check")
    assert "2 person file(s)" in check.stderr


def test_drawn_ids_use_every_letter_alike() -> None:
    from collections import Counter

    from reseau_cli import ids

    counts = Counter("".join(ids._draw(6) for _ in range(4000)))
    assert set(counts) == set(ids.ALPHABET)
    # 24,000 letters, about 774 each: far from any bias a modulo would give.
    assert max(counts.values()) < 900 and min(counts.values()) > 650
