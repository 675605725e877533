"""A coordinator designated ahead (CASES.md case 3): Noah's handover on his 18th
birthday, on the example team. Whoever's designation covers today is the coordinator,
in every command; the history holds the handover to come."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import commits, invoke, ok, refused
from example_repo import example_team
from network_cases import load

NOAH = "p-n0ahv3"  # coordinated by bruno-lefevre since 2026-09-01; amelie-durand a member
BIRTHDAY = "2027-06-14"


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return example_team(tmp_path / "team", monkeypatch)


@pytest.fixture
def planned(team: Path) -> Path:
    """`reseau coordinator set p-n0ahv3 amelie-durand --date 2027-06-14`, today 2026-11-28."""
    result = ok("coordinator", "set", NOAH, "amelie-durand", "--date", BIRTHDAY)
    assert result.stdout == ""
    assert result.stderr == (
        f"amelie-durand will be the coordinator of {NOAH} from {BIRTHDAY}; "
        "bruno-lefevre stays until then.\n"
    )
    return team


def coordination(root: Path) -> dict:
    return load(root, "person", NOAH)["coordination"]


def alerts(person: str = NOAH) -> list[dict]:
    return [a for a in json.loads(ok("status", "--json").stdout) if a["person"] == person]


def test_the_designation_is_recorded_with_its_future_date(planned: Path) -> None:
    assert coordination(planned) == {
        "coordinator": "bruno-lefevre",
        "concertation_lead": None,
        "history": [
            {"role": "coordinator", "intervenant": "bruno-lefevre", "since": "2026-09-01",
             "until": BIRTHDAY, "note": "coordonne depuis des années"},
            {"role": "coordinator", "intervenant": "amelie-durand", "since": BIRTHDAY},
        ],
    }  # fmt: skip
    assert commits(planned)[0] == f"{NOAH}: designate amelie-durand as coordinator from {BIRTHDAY}"
    assert "no problem" in ok("check").stdout


def test_until_that_date_the_current_coordinator_stays(planned: Path) -> None:
    shown = ok("person", "show", NOAH).stdout
    assert f"coordinator: Bruno Lefèvre (bruno-lefevre), until {BIRTHDAY}" in shown
    assert f"upcoming:\n    from {BIRTHDAY}  coordinator: Amélie Durand (amelie-durand)" in shown
    assert f"{BIRTHDAY} → …  coordinator: Amélie Durand (amelie-durand)  (upcoming)" in shown
    assert f"2026-09-01 → {BIRTHDAY}  coordinator: Bruno Lefèvre (bruno-lefevre)" in shown
    assert f"◇ coordinator from {BIRTHDAY}" in shown  # on Amélie's line in the network
    [row] = [r for r in json.loads(ok("person", "list", "--json").stdout) if r["id"] == NOAH]
    assert (row["coordinator"], row["coordinator_name"]) == ("bruno-lefevre", "Bruno Lefèvre")
    assert "Bruno Lefèvre" in ok("person", "list").stdout
    assert (
        json.loads(ok("person", "show", NOAH, "--json").stdout)["coordination"]["coordinator"]
        == "bruno-lefevre"
    )

    amelie = json.loads(ok("intervenant", "show", "amelie-durand", "--json").stdout)
    [case] = [c for c in amelie["caseload"] if c["person"] == NOAH]
    assert case["coordinator"] is False
    assert case["designations"] == [{"role": "coordinator", "since": BIRTHDAY, "until": None}]
    assert f"coordinator from {BIRTHDAY}" in ok("intervenant", "show", "amelie-durand").stdout
    bruno = json.loads(ok("intervenant", "show", "bruno-lefevre", "--json").stdout)
    [case] = [c for c in bruno["caseload"] if c["person"] == NOAH]
    assert case["coordinator"] is True
    assert f"coordinator until {BIRTHDAY}" in ok("intervenant", "list", NOAH).stdout
    assert "no-coordinator" not in [a["kind"] for a in alerts()]


def test_on_that_date_the_new_coordinator_takes_over(
    planned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESEAU_TODAY", BIRTHDAY)
    shown = ok("person", "show", NOAH).stdout
    assert "coordinator: Amélie Durand (amelie-durand)\n" in shown
    assert "upcoming" not in shown
    [row] = [r for r in json.loads(ok("person", "list", "--json").stdout) if r["id"] == NOAH]
    assert row["coordinator"] == "amelie-durand"
    amelie = json.loads(ok("intervenant", "show", "amelie-durand", "--json").stdout)
    assert [c["coordinator"] for c in amelie["caseload"] if c["person"] == NOAH] == [True]
    bruno = json.loads(ok("intervenant", "show", "bruno-lefevre", "--json").stdout)
    assert [c["coordinator"] for c in bruno["caseload"] if c["person"] == NOAH] == [False]
    assert "no-coordinator" not in [a["kind"] for a in alerts()]
    # The file still names Bruno (nobody wrote it since): check accepts it…
    assert coordination(planned)["coordinator"] == "bruno-lefevre"
    assert "no problem" in ok("check").stdout
    # …and the next change brings it up to date: Bruno's membership ends that day.
    ok("intervenant", "end", NOAH, "bruno-lefevre", "--date", BIRTHDAY)
    assert coordination(planned)["coordinator"] == "amelie-durand"
    assert "no problem" in ok("check").stdout


def test_the_old_membership_can_end_that_day_in_advance(planned: Path) -> None:
    result = ok("intervenant", "end", NOAH, "bruno-lefevre", "--date", BIRTHDAY)
    assert result.stderr.startswith(f"bruno-lefevre leaves {NOAH}'s network on {BIRTHDAY}.\n")
    assert "designation" not in result.stderr  # his designation already ends that day
    assert coordination(planned)["coordinator"] == "bruno-lefevre"
    assert "no problem" in ok("check").stdout


def test_ending_the_membership_first_then_designating_ahead(team: Path) -> None:
    result = ok("intervenant", "end", NOAH, "bruno-lefevre", "--date", BIRTHDAY)
    assert (
        f"bruno-lefevre is the coordinator: that designation ends on {BIRTHDAY} too; {NOAH} "
        f"has no coordinator from then (`reseau coordinator set {NOAH} ID --date {BIRTHDAY}`)"
    ) in result.stderr
    result = ok("coordinator", "set", NOAH, "amelie-durand", "--date", BIRTHDAY)
    assert "bruno-lefevre stays until then" in result.stderr
    assert coordination(team)["coordinator"] == "bruno-lefevre"
    assert "no problem" in ok("check").stdout


def test_a_designation_planned_ahead_cannot_be_overtaken(planned: Path) -> None:
    refused(planned, "coordinator", "set", NOAH, "pierre-maes",
            match=f"'amelie-durand' is already designated coordinator of {NOAH} from "
            f"{BIRTHDAY}; to replace that designation, cancel it first with "
            f"`reseau coordinator unset {NOAH} --date {BIRTHDAY}`")  # fmt: skip
    refused(planned, "coordinator", "set", NOAH, "amelie-durand", "--date", "2027-07-01",
            match=f"'amelie-durand' is already designated coordinator of {NOAH} from {BIRTHDAY}")  # fmt: skip
    refused(planned, "intervenant", "end", NOAH, "amelie-durand", "--date", "2027-01-31",
            match=f"'amelie-durand' is designated coordinator of {NOAH} from {BIRTHDAY}, after "
            "leaving the network on 2027-01-31")  # fmt: skip
    # A later handover is fine: Amélie's designation ends then.
    ok("coordinator", "set", NOAH, "pierre-maes", "--date", "2027-09-01")
    assert coordination(planned)["history"][1]["until"] == "2027-09-01"
    assert "no problem" in ok("check").stdout


def test_unset_on_its_first_day_cancels_a_designation_planned_ahead(planned: Path) -> None:
    result = ok("coordinator", "unset", NOAH, "--date", BIRTHDAY)
    assert result.stderr == (
        f"amelie-durand will not be the coordinator of {NOAH}: the designation from "
        f"{BIRTHDAY} is cancelled. bruno-lefevre stays the coordinator.\n"
    )
    assert commits(planned)[0] == f"{NOAH}: cancel planned coordinator designation of amelie-durand"
    history = coordination(planned)["history"]
    assert history[0] == {"role": "coordinator", "intervenant": "bruno-lefevre",
                          "since": "2026-09-01", "note": "coordonne depuis des années"}  # fmt: skip
    assert history[1] == {"role": "coordinator", "intervenant": "amelie-durand",
                          "since": BIRTHDAY, "until": BIRTHDAY}  # fmt: skip
    assert "(cancelled)" in ok("person", "show", NOAH).stdout
    assert "no problem" in ok("check").stdout
    # Planned again, for another day.
    ok("coordinator", "set", NOAH, "amelie-durand", "--date", "2027-07-01")
    assert "no problem" in ok("check").stdout


def test_unset_today_leaves_nobody_until_the_handover(planned: Path) -> None:
    result = ok("coordinator", "unset", NOAH, "--reason", "départ anticipé")
    assert result.stderr == (
        f"bruno-lefevre is no longer the coordinator of {NOAH}; {NOAH} has no coordinator "
        f"now. amelie-durand is designated from {BIRTHDAY}.\n"
    )
    assert coordination(planned)["coordinator"] is None
    [alert] = [a for a in alerts() if a["kind"] == "no-coordinator"]
    assert alert["message"] == f"no coordinator since 2026-11-28; Amélie Durand from {BIRTHDAY}"
    refused(planned, "coordinator", "unset", NOAH,
            match=f"{NOAH} has no coordinator on 2026-11-28; 'amelie-durand' is designated "
            f"from {BIRTHDAY}")  # fmt: skip
    assert "no problem" in ok("check").stdout


def test_a_concertation_lead_designated_ahead(team: Path) -> None:
    result = ok("coordinator", "lead", NOAH, "pierre-maes", "--date", "2026-12-01")
    assert result.stderr == (
        f"pierre-maes will be the concertation lead of {NOAH} from 2026-12-01; "
        f"{NOAH} has no concertation lead until then.\n"
    )
    assert coordination(team)["concertation_lead"] is None
    shown = ok("person", "show", NOAH).stdout
    assert "concertation lead: —" in shown
    assert "from 2026-12-01  concertation lead: Dr Pierre Maes (pierre-maes)" in shown
    assert "no problem" in ok("check").stdout


def test_check_a_member_leaving_before_their_designation_starts(team: Path) -> None:
    ok("coordinator", "set", NOAH, "amelie-durand", "--date", BIRTHDAY)
    path = team / "persons" / f"{NOAH}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("  since: '2026-11-10'\n", "  since: '2026-11-10'\n  until: '2027-01-31'\n"),
        encoding="utf-8",
    )
    result = invoke("check")
    assert result.exit_code == 1
    assert f"'amelie-durand' is not a member on {BIRTHDAY} of the network" in result.stdout


def test_a_rendered_plan_names_the_coordinator_of_the_day(
    planned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "Coordination : **Bruno Lefèvre**" in ok("render", "plan", NOAH).stdout
    monkeypatch.setenv("RESEAU_TODAY", BIRTHDAY)
    assert "Coordination : **Amélie Durand**" in ok("render", "plan", NOAH).stdout
