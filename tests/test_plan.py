"""`reseau plan …`: objectives, actions, reviews, and the plan rules of `check`."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import AUTHOR, TODAY, commits, invoke, ok, refused
from plan_helpers import add_ines, edit, join_network, load

ID = {"o": re.compile(r"^o-[2-9a-hjkmnp-z]{6}$"), "a": re.compile(r"^a-[2-9a-hjkmnp-z]{6}$")}


@pytest.fixture
def ines(team: Path) -> str:
    return add_ines(team)


def _objective(pid: str, text: str = "Avoir mon propre appartement", *extra: str) -> str:
    return ok("plan", "objective", "add", pid, text, *extra).stdout.strip()


def _action(pid: str, text: str, *extra: str) -> str:
    return ok("plan", "action", "add", pid, text, *extra).stdout.strip()


# -- objectives ---------------------------------------------------------------------


def test_objective_add_prints_id_and_commits(team: Path, ines: str) -> None:
    oid = _objective(ines, "Avoir mon propre appartement", "--domain", "housing", "--priority")
    assert ID["o"].match(oid)
    assert commits(team)[0] == f"{ines}: add objective {oid}"
    [objective] = load(team, ines)["plan"]["objectives"]
    assert objective == {
        "id": oid,
        "text": "Avoir mon propre appartement",
        "domain": "housing",
        "status": "active",
        "priority": True,
        "created": TODAY,
    }


def test_objective_achieved_abandoned_and_active_again(team: Path, ines: str) -> None:
    oid = _objective(ines, "Avoir un revenu", "--domain", "resources")
    result = ok("plan", "objective", "set", ines, oid, "--status", "achieved")
    assert "achieved" in result.stderr
    assert commits(team)[0] == f"{ines}: objective {oid} achieved"
    objective = load(team, ines)["plan"]["objectives"][0]
    assert (objective["status"], objective["closed"]) == ("achieved", TODAY)
    ok("plan", "objective", "set", ines, oid, "--status", "abandoned", "--date", "2026-11-20")
    assert load(team, ines)["plan"]["objectives"][0]["closed"] == "2026-11-20"
    ok("plan", "objective", "set", ines, oid, "--status", "active")
    objective = load(team, ines)["plan"]["objectives"][0]
    assert objective["status"] == "active" and "closed" not in objective


def test_priority_comes_first_everywhere(team: Path, ines: str) -> None:
    studies = _objective(ines, "Reprendre mes études")
    flat = _objective(ines, "Avoir mon propre appartement")
    ok("plan", "objective", "set", ines, flat, "--priority")
    assert commits(team)[0] == f"{ines}: objective {flat} priority"
    shown = json.loads(ok("plan", "show", ines, "--json").stdout)
    assert [o["id"] for o in shown["objectives"]] == [flat, studies]
    text = ok("plan", "show", ines).stdout
    assert text.index(f"★ {flat}") < text.index(studies)
    person = ok("person", "show", ines).stdout
    assert person.index(flat) < person.index(studies)
    ok("plan", "objective", "set", ines, flat, "--no-priority")
    assert "priority" not in load(team, ines)["plan"]["objectives"][1]
    shown = json.loads(ok("plan", "show", ines, "--json").stdout)
    assert [o["id"] for o in shown["objectives"]] == [studies, flat]


# -- actions ------------------------------------------------------------------------


def test_action_add_with_everything(team: Path, ines: str) -> None:
    oid = _objective(ines)
    aid = _action(
        ines,
        "Dossier de demande de logement social",
        "--by", "nadia-benali", "--objective", oid, "--start", "2026-12-01", "--due", "2027-01-15",
    )  # fmt: skip
    assert ID["a"].match(aid)
    assert commits(team)[0] == f"{ines}: add action {aid}"
    [action] = load(team, ines)["plan"]["actions"]
    assert action == {
        "id": aid,
        "objective": oid,
        "text": "Dossier de demande de logement social",
        "by": "nadia-benali",
        "created": TODAY,
        "start": "2026-12-01",
        "due": "2027-01-15",
        "status": "planned",
    }
    shown = json.loads(ok("plan", "show", ines, "--json").stdout)
    assert shown["objectives"][0]["actions"][0]["who"] == "Nadia Benali"


def test_action_by_the_person_themself(team: Path, ines: str) -> None:
    aid = _action(ines, "Appeler le centre Horizon", "--by", "person", "--due", "2026-12-05")
    assert load(team, ines)["plan"]["actions"][0]["by"] == "person"
    shown = ok("plan", "show", ines).stdout
    assert f"{aid} [planned] Appeler le centre Horizon — the person, due 2026-12-05" in shown


def test_action_set_status_and_notes_accumulate(
    team: Path, ines: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    aid = _action(ines, "Demande de revenu d'intégration", "--by", "nadia-benali")
    ok("plan", "action", "set", ines, aid, "--status", "ongoing", "--note", "Dossier déposé.")
    assert commits(team)[0] == f"{ines}: update action {aid} (ongoing)"
    monkeypatch.setenv("RESEAU_TODAY", "2026-12-10")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Thomas Renard")
    ok("plan", "action", "set", ines, aid, "--status", "done", "--note", "Revenu accordé.")
    action = load(team, ines)["plan"]["actions"][0]
    assert action["status"] == "done" and action["closed"] == "2026-12-10"
    assert action["notes"] == [
        {"date": TODAY, "author": AUTHOR[0], "text": "Dossier déposé."},
        {"date": "2026-12-10", "author": "Thomas Renard", "text": "Revenu accordé."},
    ]
    ok("plan", "action", "set", ines, aid, "--status", "planned")
    assert "closed" not in load(team, ines)["plan"]["actions"][0]


def test_action_set_due_objective_and_reassign(team: Path, ines: str) -> None:
    oid = _objective(ines, "Retrouver un suivi psychiatrique régulier")
    aid = _action(ines, "Reprendre le suivi", "--by", "maxime-dubois", "--start", "2026-12-01")
    ok("plan", "action", "set", ines, aid, "--due", "2026-12-20", "--by", "yasmine-cohen",
       "--objective", oid)  # fmt: skip
    action = load(team, ines)["plan"]["actions"][0]
    assert (action["due"], action["by"], action["objective"]) == (
        "2026-12-20",
        "yasmine-cohen",
        oid,
    )
    assert action["notes"] == [
        {
            "date": TODAY,
            "author": AUTHOR[0],
            "text": "Reassigned from maxime-dubois to yasmine-cohen.",
        }
    ]
    assert commits(team)[0] == f"{ines}: update action {aid}"


def test_action_held_by_a_member_who_left_can_be_reassigned(team: Path, ines: str) -> None:
    aid = _action(ines, "Allocation", "--by", "nadia-benali")

    def leave(doc: dict) -> None:
        doc["network"][3]["until"] = "2026-11-28"

    edit(team, ines, leave, f"{ines}: nadia-benali leaves")
    ok("plan", "action", "set", ines, aid, "--by", "maxime-dubois")
    assert load(team, ines)["plan"]["actions"][0]["by"] == "maxime-dubois"
    ok("check")


# -- reviews ------------------------------------------------------------------------


def test_review_defaults_to_the_team_interval(team: Path, ines: str) -> None:
    ok("plan", "review", ines)
    assert commits(team)[0] == f"{ines}: review plan"
    plan = load(team, ines)["plan"]
    assert (plan["reviewed"], plan["next_review"]) == (TODAY, "2027-02-26")  # + 90 days
    assert plan["reviews"] == [{"date": TODAY, "next": "2027-02-26", "by": AUTHOR[0]}]


def test_review_interval_from_settings_and_explicit_next(team: Path, ines: str) -> None:
    settings = team / "reseau.yaml"
    settings.write_text(settings.read_text() + "review_interval_days: 30\n")
    subprocess.run(["git", "commit", "-qam", "30 days"], cwd=team, check=True)
    result = ok("plan", "review", ines, "--date", "2026-11-20", "--note", "Bilan avec Inès.")
    assert "next review 2026-12-20" in result.stderr
    ok("plan", "review", ines, "--next", "2027-01-10")
    plan = load(team, ines)["plan"]
    assert plan["next_review"] == "2027-01-10"
    assert [r["date"] for r in plan["reviews"]] == ["2026-11-20", TODAY]
    assert plan["reviews"][0]["note"] == "Bilan avec Inès."


# -- ids ----------------------------------------------------------------------------


def test_two_clones_adding_at_the_same_time_do_not_collide(team: Path, ines: str) -> None:
    """Each clone picks random ids: both histories merge without an id collision."""
    root = team.parent
    for name in ("a", "b"):
        subprocess.run(["git", "clone", "-q", str(team), str(root / name)], check=True)
    first = ok("--repo", str(root / "a"), "plan", "objective", "add", ines, "Studies").stdout
    second = ok("--repo", str(root / "b"), "plan", "objective", "add", ines, "Flat").stdout
    assert first.strip() != second.strip()
    assert ID["o"].match(first.strip()) and ID["o"].match(second.strip())


# -- refusals (the "bad input" list, and a few more) -----------------------


def test_refusals(team: Path, ines: str) -> None:
    oid = _objective(ines)
    aid = _action(ines, "Logement", "--by", "nadia-benali", "--start", "2026-12-01")
    write = ("plan", "action")
    # unknown action or objective id
    refused(
        team, *write, "set", ines, "a-nope", "--status", "done", match="unknown action 'a-nope'"
    )
    refused(team, "plan", "objective", "set", ines, "o-nope", "--status", "achieved",
            match="unknown objective 'o-nope'")  # fmt: skip
    refused(team, *write, "add", ines, "X", "--by", "person", "--objective", "o-nope",
            match="unknown objective 'o-nope'")  # fmt: skip
    refused(team, *write, "set", ines, aid, "--objective", "o-nope", match="unknown objective")
    # --by someone outside the network (in the directory or not at all)
    refused(team, *write, "add", ines, "X", "--by", "anne-lambert",
            match="'anne-lambert' is not a member of")  # fmt: skip
    refused(team, *write, "set", ines, aid, "--by", "anne-lambert", match="is not a member of")
    # a status outside the list
    refused(team, *write, "set", ines, aid, "--status", "finished",
            match="invalid --status 'finished': choose one of planned, ongoing, done, cancelled")  # fmt: skip
    refused(team, "plan", "objective", "set", ines, oid, "--status", "done",
            match="invalid --status 'done'")  # fmt: skip
    # --due before --start
    refused(team, *write, "add", ines, "X", "--by", "person", "--start", "2026-12-10",
            "--due", "2026-12-01", match="--due 2026-12-01 is before --start 2026-12-10")  # fmt: skip
    refused(team, *write, "set", ines, aid, "--due", "2026-11-30", match="is before --start")
    # an action given without --by
    refused(team, *write, "add", ines, "Logement", match="an action needs --by WHO")
    # and more
    refused(team, *write, "add", ines, "X", "--by", "person", "--due", "2026-02-30",
            match="invalid --due '2026-02-30'")  # fmt: skip
    refused(team, *write, "add", ines, "  ", "--by", "person", match="must not be empty")
    refused(team, *write, "add", "p-nobody", "X", "--by", "person", match="unknown person")
    refused(team, "plan", "objective", "add", ines, "X", "--domain", "money",
            match="invalid --domain 'money'")  # fmt: skip
    refused(team, *write, "set", ines, aid, match="nothing to change")
    refused(team, "plan", "objective", "set", ines, oid, match="nothing to change")
    refused(team, "plan", "review", ines, "--date", "2026-12-01", match="is in the future")
    refused(team, "plan", "review", ines, "--next", "2026-11-01", match="must be after")


def test_closed_person_plan_is_frozen(team: Path, ines: str) -> None:
    ok("person", "close", ines, "--reason", "moved away")
    refused(team, "plan", "objective", "add", ines, "X", match=f"{ines} is closed")
    refused(team, "plan", "action", "add", ines, "X", "--by", "person", match="is closed")


def test_missing_identity_is_refused(
    team: Path, ines: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import no_identity

    no_identity(monkeypatch)
    refused(team, "plan", "review", ines, match="no git identity")


# -- check rules --------------------------------------------------------------------


def test_check_plan_rules(team: Path, ines: str) -> None:
    join_network(team, ines, "anne-lambert", "GP", "2026-01-01", until="2026-03-01")
    from conftest import write_intervenant

    write_intervenant(team, "anne-lambert", "Dr Anne Lambert")

    def break_it(doc: dict) -> None:
        doc["plan"]["objectives"] = [{"id": "o-aaaaaa", "text": "Flat", "status": "active"}]
        doc["plan"]["actions"] = [
            {"id": "a-1", "objective": "o-zzzzzz", "text": "A", "by": "person",
             "status": "planned"},
            {"id": "a-2", "text": "B", "by": "anne-lambert", "created": "2026-06-01",
             "status": "planned"},
            {"id": "a-3", "text": "C", "by": "person", "start": "2026-12-10",
             "due": "2026-12-01", "status": "planned"},
            {"id": "a-4", "text": "D", "by": "person", "created": "2026-10-01",
             "closed": "2026-09-01", "status": "done"},
            {"id": "a-5", "text": "E", "by": "person", "concertation": "c-ghost",
             "status": "planned"},
            {"id": "a-6", "text": "F", "by": "anne-lambert", "created": "2026-02-01",
             "status": "ongoing"},
        ]  # fmt: skip
        doc["plan"]["reviewed"] = "2026-11-01"
        doc["plan"]["next_review"] = "2026-10-01"
        doc["plan"]["reviews"] = [{"date": "2026-11-01", "next": "2026-10-01"}]

    edit(team, ines, break_it, f"{ines}: hand edit")
    result = invoke("check")
    assert result.exit_code == 1
    out = result.stdout
    assert "($.plan.actions[0].objective): unknown objective 'o-zzzzzz'" in out
    assert (
        "($.plan.actions[1].by): 'anne-lambert' was not a member of the network from 2026-06-01"
        in out
    )
    assert "actions[5]" not in out  # a member when the action was created
    assert "($.plan.actions[2].due): due (2026-12-01) before start (2026-12-10)" in out
    assert "($.plan.actions[3].closed): closed (2026-09-01) before created (2026-10-01)" in out
    assert "($.plan.actions[4].concertation): unknown concertation 'c-ghost'" in out
    assert "($.plan.next_review): next review before the last review" in out
    assert "($.plan.reviews[0].next): next review (2026-10-01) before 2026-11-01" in out
    assert all(line.startswith(f"persons/{ines}.yaml: line ") for line in out.splitlines())


def test_check_accepts_what_the_commands_write(team: Path, ines: str) -> None:
    oid = _objective(ines)
    aid = _action(ines, "Logement", "--by", "nadia-benali", "--objective", oid)
    ok("plan", "action", "set", ines, aid, "--status", "done", "--note", "ok")
    ok("plan", "objective", "set", ines, oid, "--status", "achieved")
    ok("plan", "review", ines)
    assert "no problem" in ok("check").stdout


def test_plan_show_empty(team: Path, ines: str) -> None:
    result = ok("plan", "show", ines)
    assert "No objective yet" in result.stderr
    assert json.loads(ok("plan", "show", ines, "--json").stdout)["objectives"] == []


def test_check_dates_in_order_in_network_and_designations(team: Path, ines: str) -> None:
    def break_it(doc: dict) -> None:
        doc["network"][0]["until"] = "2026-08-01"  # since 2026-08-10
        doc["coordination"]["history"] = [
            {"role": "coordinator", "intervenant": "maxime-dubois", "since": "2026-09-01",
             "until": "2026-08-15"},
        ]  # fmt: skip

    edit(team, ines, break_it, f"{ines}: hand edit")
    out = invoke("check").stdout
    assert "($.network[0].until): ends (2026-08-01) before it starts (2026-08-10)" in out
    assert "($.coordination.history[0].until): ends (2026-08-15) before it starts" in out
