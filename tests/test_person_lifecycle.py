"""A person's accompaniment over time: closed, reopened, referred again, listed."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from conftest import commits, git, invoke, ok, refused


def person_doc(team: Path, pid: str) -> dict:
    return yaml.safe_load((team / "persons" / f"{pid}.yaml").read_text())


# -- reopen (issue 11, item 4) ---------------------------------------------------------


def test_a_refusal_on_a_closed_person_says_how_to_reopen_it(team: Path, marcel: str) -> None:
    ok("person", "close", marcel, "--reason", "Moved in with his son")
    hint = f"reopen it with `reseau person reopen {marcel} --reason TEXT`"
    refused(team, "intervenant", "add", marcel, "--name", "Anne Lambert", match=hint)
    refused(team, "plan", "objective", "add", marcel, "Rester chez moi", match=hint)
    refused(team, "concertation", "plan", marcel, "--date", "2026-12-01", match=hint)
    refused(team, "person", "close", marcel, "--reason", "again", match=hint)


def test_reopen_keeps_the_closing_in_the_file_in_one_commit(team: Path, marcel: str) -> None:
    ok("person", "close", marcel, "--reason", "Moved in with his son", "--date", "2026-11-20")
    result = ok("person", "reopen", marcel, "--reason", "Back home", "--date", "2026-11-27")
    assert result.stderr == f"Reopened {marcel}.\n" and result.stdout == ""
    doc = person_doc(team, marcel)
    assert doc["status"] == "active" and "closed" not in doc
    assert doc["closures"] == [
        {
            "closed": "2026-11-20",
            "reason": "Moved in with his son",
            "reopened": "2026-11-27",
            "note": "Back home",
        }
    ]
    assert commits(team)[0] == f"{marcel}: reopen accompaniment"
    assert git(team, "status", "--porcelain") == ""
    # Active again: the network can grow, and the history shows in `person show`.
    ok("intervenant", "add", marcel, "--name", "Anne Lambert")
    shown = ok("person", "show", marcel).stdout
    assert "closed on 2026-11-20 (Moved in with his son), reopened on 2026-11-27" in shown
    assert "no problem" in ok("check").stdout
    # Closed and reopened twice: both closings are kept.
    ok("person", "close", marcel, "--reason", "Hospital")
    ok("person", "reopen", marcel)
    assert [c["reason"] for c in person_doc(team, marcel)["closures"]] == [
        "Moved in with his son",
        "Hospital",
    ]


def test_reopen_refusals(team: Path, marcel: str) -> None:
    refused(team, "person", "reopen", marcel, match=f"{marcel} is not closed")
    ok("person", "close", marcel, "--reason", "end", "--date", "2026-11-20")
    refused(
        team, "person", "reopen", marcel, "--date", "2026-11-19", match="before the accompaniment"
    )
    refused(team, "person", "reopen", marcel, "--date", "2026-12-01", match="in the future")
    refused(team, "person", "reopen", marcel, "--date", "2026-13-01", match="invalid --date")
    refused(team, "person", "reopen", "p-nobody", match="p-nobody")


def test_check_reports_a_reopening_before_its_closing(team: Path, marcel: str) -> None:
    ok("person", "close", marcel, "--reason", "end", "--date", "2026-11-20")
    ok("person", "reopen", marcel)
    path = team / "persons" / f"{marcel}.yaml"
    path.write_text(path.read_text().replace("reopened: '2026-11-28'", "reopened: '2026-11-01'"))
    result = invoke("check")
    assert result.exit_code == 1
    assert "reopened (2026-11-01) before it closed (2026-11-20)" in result.output


# -- close: planned meetings cancelled, open actions reported (item 7) ------------------


def test_close_cancels_planned_meetings_and_reports_open_actions(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Karim Ouali", "--since", "2026-11-10")
    action = ok("plan", "action", "add", marcel, "Passer chaque jour", "--by", "karim-ouali")
    action_id = action.stdout.strip()
    first = ok("concertation", "plan", marcel, "--date", "2026-12-10").stdout.strip()
    second = ok("concertation", "plan", marcel, "--date", "2026-12-03").stdout.strip()
    head = git(team, "rev-parse", "HEAD")
    result = ok("person", "close", marcel, "--reason", "Moved in with his son")
    assert result.stderr.splitlines() == [
        f"Closed {marcel}.",
        f"Cancelled the planned concertations {second} (2026-12-03), {first} (2026-12-10): "
        "tell the invitees.",
        f"Still open in the plan, kept as it was: {action_id} (karim-ouali).",
    ]
    # One commit: the closing and the cancellations, ids only in its message.
    assert git(team, "rev-list", "--count", f"{head.strip()}..HEAD").strip() == "1"
    assert commits(team)[0] == (
        f"{marcel}: close accompaniment, cancel concertation(s) {first}, {second}"
    )
    doc = person_doc(team, marcel)
    for c in doc["concertations"]:
        assert c["status"] == "cancelled"
        assert c["cancelled_reason"] == "Moved in with his son"
    assert doc["plan"]["actions"][0]["status"] == "planned"
    assert "no problem" in ok("check").stdout


def test_no_invitation_for_a_closed_person(team: Path, marcel: str, tmp_path: Path) -> None:
    ok("intervenant", "add", marcel, "--name", "Karim Ouali", "--since", "2026-11-10")
    planned = ok("concertation", "plan", marcel, "--date", "2026-12-10").stdout.strip()
    ok("render", "invitation", marcel)
    ok("person", "close", marcel, "--reason", "Moved in with his son")
    for args in ((), (planned,)):
        refused(
            team,
            "render",
            "invitation",
            marcel,
            *args,
            match=f"{marcel} is closed (since 2026-11-28): there is no meeting to invite to; "
            f"reopen it with `reseau person reopen {marcel} --reason TEXT`",
        )
    out = tmp_path / "out"
    result = ok("render", "all", "--person", marcel, "--format", "md", "--out", str(out))
    assert f"{marcel} is closed (since 2026-11-28)" in result.stderr
    assert "no invitation" in result.stderr
    written = sorted(p.name for p in (out / marcel).iterdir())
    ecomap = ["ecomap.svg"] if shutil.which("dot") else []  # render all draws it too
    assert written == [*ecomap, "network.md", "plan.md"]


# -- a person added twice (item 6) ------------------------------------------------------


def test_a_namesake_born_the_same_day_is_refused_unless_forced(team: Path, marcel: str) -> None:
    add = ("person", "add", "--family-name", " JANSSENS ", "--given-name", "marcel")
    same = (*add, "--birth-date", "1940-05-03")
    refused(
        team,
        *same,
        match=f"error: {marcel} has the same family name, given name and birth date, an "
        f"active file: see `reseau person show {marcel}`; add --force",
    )
    # Another birth date, or none, is another person.
    other = ok(*add, "--birth-date", "1941-05-03").stdout.strip()
    assert other != marcel
    ok("person", "close", marcel, "--reason", "Moved in with his son")
    refused(
        team,
        "person",
        "add",
        "--family-name",
        "Jánssens",
        "--given-name",
        "Marcel",
        "--birth-date",
        "1940-05-03",
        match=f"{marcel} has the same family name, given name and birth date, a closed file "
        f"(since 2026-11-28): for a re-referral, reopen it with `reseau person reopen {marcel}",
    )
    forced = ok(*same, "--force").stdout.strip()
    assert forced not in (marcel, other)
    assert commits(team)[0] == f"{forced}: add person"


# -- person list when every person is closed (item 5) -----------------------------------


def test_list_when_all_are_closed_counts_them_and_points_to_all(team: Path, marcel: str) -> None:
    ok("person", "close", marcel, "--reason", "end")
    result = ok("person", "list")
    assert result.stdout == ""
    assert result.stderr == "No active person; 1 closed: `reseau person list --all` lists it.\n"
    assert marcel in ok("person", "list", "--all").stdout


# -- a departure planned ahead shows in `person show` (item 21) ------------------------


def test_show_gives_the_end_of_a_membership_planned_ahead(team: Path, marcel: str) -> None:
    ok("intervenant", "add", marcel, "--name", "Bruno Lefèvre", "--role", "éducateur")
    ok("intervenant", "end", marcel, "bruno-lefevre", "--date", "2027-06-14")
    shown = ok("person", "show", marcel).stdout
    network = shown[shown.index("Network") : shown.index("Plan")]
    assert "Bruno Lefèvre (bruno-lefevre), éducateur  since 2026-11-28, until 2027-06-14" in (
        network
    )


# -- coordinator and concertation lead: two people (item 23) ---------------------------


def test_one_person_as_coordinator_and_lead_needs_force_and_check_warns(
    team: Path, marcel: str
) -> None:
    ok("intervenant", "add", marcel, "--name", "Karim Ouali")
    ok("coordinator", "set", marcel, "karim-ouali")
    refused(
        team,
        "coordinator",
        "lead",
        marcel,
        "karim-ouali",
        match=f"'karim-ouali' is the coordinator of {marcel} on 2026-11-28: coordinator and "
        "concertation lead are independent functions, held by two people; add --force",
    )
    result = ok("check")
    assert "warning" not in result.stderr
    ok("coordinator", "lead", marcel, "karim-ouali", "--force")
    result = ok("check")  # a warning, not a problem: exit 0
    assert (
        f"warning: persons/{marcel}.yaml: $.coordination: 'karim-ouali' is both coordinator "
        "and concertation lead" in result.stderr
    )
    # The other way round too.
    ok("intervenant", "add", marcel, "--name", "Élise Marchal")
    ok("coordinator", "lead", marcel, "elise-marchal")
    refused(team, "coordinator", "set", marcel, "elise-marchal", match="is the concertation lead")
