"""Concertations as a new user met them: their length, the form for a planned
meeting, the next meeting in the minutes, the place at the person's home."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import TODAY, commits, invoke, ok, refused
from plan_helpers import add_ines, load


@pytest.fixture
def ines(team: Path) -> str:
    return add_ines(team)


def _plan(pid: str, *extra: str) -> str:
    return ok("concertation", "plan", pid, *extra).stdout.strip()


# -- a meeting's length (issue 11, item 12) ---------------------------------------------


def test_end_or_duration_gives_the_invitation_and_the_event_their_end(
    team: Path, ines: str
) -> None:
    cid = _plan(ines, "--date", "2026-12-02", "--time", "14:30", "--end", "16:00")
    assert load(team, ines)["concertations"][0]["duration_minutes"] == 90
    assert commits(team)[0] == f"{ines}: plan concertation {cid}"
    french = ok("render", "invitation", ines, "--lang", "fr").stdout
    assert "de 14:30 à 16:00" in french
    english = ok("render", "invitation", ines, "--lang", "en").stdout
    assert "from 14:30 to 16:00" in english
    html = ok("render", "invitation", ines, "--format", "html", "--lang", "fr").stdout
    assert "de 14:30 à 16:00" in html
    ics = ok("render", "invitation", ines, "--format", "ics").stdout
    assert "DTSTART;TZID=Europe/Brussels:20261202T143000" in ics
    assert "DTEND;TZID=Europe/Brussels:20261202T160000" in ics
    other = _plan(ines, "--date", "2026-12-09", "--time", "09:00", "--duration", "45")
    assert load(team, ines)["concertations"][1]["duration_minutes"] == 45
    ics = ok("render", "invitation", ines, other, "--format", "ics").stdout
    assert "DTEND;TZID=Europe/Brussels:20261209T094500" in ics


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--time", "14:30", "--end", "14:00"), "--end 14:00 must be after the start (14:30)"),
        (("--time", "14:30", "--end", "14:30"), "must be after the start"),
        (("--end", "16:00"), "--duration and --end need the start time: add --time HH:MM"),
        (("--time", "14:30", "--end", "16h"), "invalid --end '16h'"),
        (("--time", "14:30", "--duration", "3"), "at least 5 minutes"),
        (("--time", "23:00", "--duration", "120"), "must end the same day"),
        (("--time", "14:30", "--duration", "60", "--end", "16:00"), "either --duration or --end"),
    ],
)
def test_length_refusals(team: Path, ines: str, args: tuple[str, ...], message: str) -> None:
    refused(team, "concertation", "plan", ines, "--date", "2026-12-02", *args, match=message)


def test_the_record_form_carries_the_end(team: Path, ines: str, tmp_path: Path) -> None:
    form = tmp_path / "form.yaml"
    form.write_text(
        f"date: {TODAY}\ntime: '10:00'\nend: 11:15\nperson_present: true\n"
        "participants:\n  - {intervenant: thomas-renard, present: true}\n"
    )
    ok("concertation", "record", ines, "--file", str(form))
    [held] = load(team, ines)["concertations"]
    assert held["time"] == "10:00" and held["duration_minutes"] == 75


# -- hints that can be pasted (item 17) -------------------------------------------------


def test_hints_name_the_real_ids(team: Path, ines: str) -> None:
    assert f"`reseau plan objective add {ines} TEXT`" in ok("plan", "show", ines).stderr
    action = ok("plan", "action", "add", ines, "Revenu", "--by", "nadia-benali").stdout.strip()
    ended = ok("intervenant", "end", ines, "nadia-benali")
    assert (
        f"reassign them (`reseau plan action set {ines} {action} --by INTERVENANT`)" in ended.stderr
    )
    path = team / "persons" / f"{ines}.yaml"
    path.write_text(path.read_text().replace("status: active", "status: paused", 1))
    broken = invoke("person", "show", ines)
    assert broken.exit_code == 1 and f"`reseau person edit {ines}`" in broken.stderr
