"""`reseau status` on a fixture repository whose 'today' is set with RESEAU_TODAY."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import git, invoke, ok, write_intervenant
from plan_helpers import add_ines

TODAY = "2027-01-15"


def _person(
    pid: str, given: str, family: str, *, opened: str, status: str = "active", **parts: Any
) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": 1,
        "id": pid,
        "status": status,
        "opened": opened,
        "identity": {"family_name": family, "given_name": given},
    }
    if status == "closed":
        doc["closed"] = {"date": "2026-12-01", "reason": "moved"}
    doc.update(parts)
    return doc


def _consent(ident: str, date: str) -> dict[str, Any]:
    decision = {"id": ident, "date": date, "status": "given", "recipients": ["professional"]}
    return {"status": "given", "history": [decision], "disclosures": []}


def _member(who: str, since: str, until: str | None = None) -> dict[str, Any]:
    return {"intervenant": who, "since": since, **({"until": until} if until else {})}


def _action(ident: str, by: str, status: str, due: str | None = None) -> dict[str, Any]:
    return {
        "id": ident,
        "text": f"Action {ident}",
        "by": by,
        "created": "2026-10-01",
        **({"due": due} if due else {}),
        "status": status,
    }


def _meeting(ident: str, status: str, date: str, **extra: Any) -> dict[str, Any]:
    return {"id": ident, "status": status, "kind": "concertation", "date": date, **extra}


FIXTURE = [
    _person(
        "p-ines01", "Inès", "Boukhari", opened="2026-08-10",
        consent=_consent("cn-ines01", "2026-11-01"),
        network=[_member("maxime-dubois", "2026-08-10"), _member("nadia-benali", "2026-08-10"),
                 _member("yasmine-cohen", "2026-08-10", "2027-01-05")],
        coordination={"coordinator": "maxime-dubois", "concertation_lead": None, "history": [
            {"role": "coordinator", "intervenant": "maxime-dubois", "since": "2026-12-02"}]},
        plan={"reviewed": "2026-10-15", "next_review": "2027-01-13", "objectives": [],
              "actions": [_action("a-over01", "nadia-benali", "planned", "2027-01-10"),
                          _action("a-done01", "nadia-benali", "done", "2026-12-01"),
                          _action("a-left01", "yasmine-cohen", "ongoing"),
                          _action("a-canc01", "maxime-dubois", "cancelled", "2026-12-01")]},
        concertations=[_meeting("c-held01", "held", "2026-12-02"),
                       _meeting("c-soon01", "planned", "2027-01-20", time="14:00",
                                place="CPAS, salle 2"),
                       _meeting("c-late01", "planned", "2027-02-10")],
    ),
    _person(
        "p-marcel", "Marcel", "Janssens", opened="2026-09-01",
        consent=_consent("cn-marcel", "2026-09-01"),
        network=[_member("karim-ouali", "2026-09-01", "2026-12-31")],
        coordination={"coordinator": None, "concertation_lead": None, "history": [
            {"role": "coordinator", "intervenant": "karim-ouali", "since": "2026-09-01",
             "until": "2026-12-31"}]},
        plan={"reviewed": "2026-10-01", "next_review": "2027-01-25",
              "actions": [_action("a-self01", "person", "ongoing", "2027-01-14")]},
        concertations=[_meeting("c-old001", "held", "2026-10-01"),
                       _meeting("c-edge01", "planned", "2027-01-29")],
    ),
    _person("p-noah01", "Noah", "Vermeulen", opened="2026-01-01", status="closed",
            plan={"actions": [_action("a-closed", "person", "planned", "2026-02-01")]}),
    _person("p-quiet1", "Rose", "Quiet", opened="2026-12-20",
            consent=_consent("cn-quiet1", "2026-12-20"),
            network=[_member("maxime-dubois", "2026-12-20")],
            coordination={"coordinator": "maxime-dubois"}),
    _person("p-new001", "Anna", "Nouvelle", opened="2026-09-01"),
]  # fmt: skip

EXPECTED = [
    ("p-ines01", "responsible-left", "a-left01", "2027-01-05"),
    ("p-ines01", "action-overdue", "a-over01", "2027-01-10"),
    ("p-ines01", "review-overdue", None, "2027-01-13"),
    ("p-marcel", "no-coordinator", None, "2026-12-31"),
    ("p-marcel", "action-overdue", "a-self01", "2027-01-14"),
    ("p-new001", "no-coordinator", None, "2026-09-01"),
    ("p-marcel", "no-follow-up", None, "2026-10-01"),
    ("p-marcel", "review-due", None, "2027-01-25"),
    ("p-new001", "consent-missing", None, "2026-09-01"),
    ("p-new001", "no-follow-up", None, "2026-09-01"),
    ("p-ines01", "concertation-upcoming", "c-soon01", "2027-01-20"),
    ("p-marcel", "concertation-upcoming", "c-edge01", "2027-01-29"),
]


@pytest.fixture
def fixture_repo(team: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for ident, name in [
        ("maxime-dubois", "Maxime Dubois"),
        ("nadia-benali", "Nadia Benali"),
        ("yasmine-cohen", "Dr Yasmine Cohen"),
        ("karim-ouali", "Karim Ouali"),
    ]:
        write_intervenant(team, ident, name)
    for doc in FIXTURE:
        path = team / "persons" / f"{doc['id']}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    git(team, "add", "persons")
    git(team, "commit", "-qm", "fixture persons")
    monkeypatch.setenv("RESEAU_TODAY", TODAY)
    return team


def _alerts() -> list[dict[str, Any]]:
    return json.loads(ok("status", "--json").stdout)


def test_fixture_is_valid(fixture_repo: Path) -> None:
    ok("check")


def test_json_alerts(fixture_repo: Path) -> None:
    alerts = _alerts()
    assert [(a["person"], a["kind"], a["ref"], a["date"]) for a in alerts] == EXPECTED
    assert all(list(a) == ["person", "kind", "ref", "date", "message"] for a in alerts)
    by_ref = {a["ref"]: a["message"] for a in alerts if a["ref"]}
    assert by_ref["a-over01"] == "Action a-over01 (Nadia Benali): due 2027-01-10, 5 days late"
    assert by_ref["a-self01"] == "Action a-self01 (the person): due 2027-01-14, 1 day late"
    assert by_ref["a-left01"] == (
        "Action a-left01: held by Dr Yasmine Cohen, who left the network on 2027-01-05; "
        "reassign it with `reseau plan action set p-ines01 a-left01 --by INTERVENANT`"
    )
    assert by_ref["c-soon01"] == "Concertation on 2027-01-20 at 14:00, CPAS, salle 2"
    messages = {(a["person"], a["kind"]): a["message"] for a in alerts}
    assert messages["p-marcel", "no-coordinator"] == "no coordinator since 2026-12-31"
    assert messages["p-ines01", "review-overdue"] == "plan review overdue since 2027-01-13"
    assert messages["p-marcel", "review-due"] == "plan review due on 2027-01-25"
    assert messages["p-marcel", "no-follow-up"] == "no concertation and no review since 2026-10-01"
    assert messages["p-new001", "no-follow-up"] == (
        "no concertation and no review since the accompaniment opened on 2026-09-01"
    )
    # JSON is stable: the same repository gives the same bytes
    assert ok("status", "--json").stdout == ok("status", "--json").stdout


def test_human_output_is_grouped_by_severity(fixture_repo: Path) -> None:
    result = ok("status")
    out = result.stdout
    urgent, soon, coming = (
        out.index(t) for t in ("Urgent (6)", "To plan soon (4)", "Coming up (2)")
    )
    assert urgent < soon < coming
    assert "Inès Boukhari (p-ines01)" in out and "Anna Nouvelle (p-new001)" in out
    assert out.index("responsible-left") < soon and out.index("c-soon01") > coming
    assert "p-noah01" not in out and "p-quiet1" not in out  # closed, or nothing to say
    assert result.stderr == ""


def test_settings_change_the_windows(fixture_repo: Path) -> None:
    settings = fixture_repo / "reseau.yaml"
    settings.write_text(settings.read_text() + "upcoming_days: 30\nreview_interval_days: 200\n")
    git(fixture_repo, "commit", "-qam", "settings")
    kinds = {(a["person"], a["kind"], a["ref"]) for a in _alerts()}
    assert ("p-ines01", "concertation-upcoming", "c-late01") in kinds  # 26 days ahead
    assert not any(kind == "no-follow-up" for _, kind, _ in kinds)


def test_nothing_to_say(team: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = ok("status")
    assert "Nothing needs attention (0 active persons)" in result.stderr
    assert json.loads(ok("status", "--json").stdout) == []


def test_a_person_added_today_without_coordinator(team: Path) -> None:
    pid = add_ines(team)
    alerts = _alerts()
    assert [(a["person"], a["kind"]) for a in alerts] == [
        (pid, "no-coordinator"),
        (pid, "consent-missing"),
    ]


def test_unreadable_person_file_is_reported_not_fatal(fixture_repo: Path) -> None:
    (fixture_repo / "persons" / "p-broken.yaml").write_text("format: 1\nid: [broken\n")
    result = invoke("status", "--json")
    assert result.exit_code == 0
    assert len(json.loads(result.stdout)) == len(EXPECTED)
    assert "warning: 1 file could not be read and is left out (persons/" in result.stderr


def test_status_follows_the_commands(team: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Recording a meeting with a coordinator and reviewing the plan clears the alerts."""
    pid = add_ines(team)
    ok("consent", "give", pid)
    aid = ok("plan", "action", "add", pid, "Revenu", "--by", "nadia-benali", "--due",
             "2026-12-01").stdout.strip()  # fmt: skip
    monkeypatch.setenv("RESEAU_TODAY", "2026-12-05")
    kinds = [a["kind"] for a in _alerts()]
    assert kinds == ["no-coordinator", "action-overdue"]
    ok("concertation", "record", pid, "--participant", "maxime-dubois",
       "--coordinator", "maxime-dubois", "--next", "2026-12-15")  # fmt: skip
    ok("plan", "action", "set", pid, aid, "--status", "done")
    assert [a["kind"] for a in _alerts()] == ["concertation-upcoming"]


def test_planned_concertation_whose_date_passed_unrecorded(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESEAU_TODAY", "2026-11-20")
    cid = ok("concertation", "plan", marcel, "--date", "2026-11-25").stdout.strip()
    monkeypatch.setenv("RESEAU_TODAY", "2026-11-28")
    found = [a for a in json.loads(ok("status", "--json").stdout) if a["person"] == marcel]
    unrecorded = [a for a in found if a["kind"] == "concertation-unrecorded"]
    assert unrecorded == [
        {
            "person": marcel,
            "kind": "concertation-unrecorded",
            "ref": cid,
            "date": "2026-11-25",
            "message": f"Concertation planned on 2026-11-25 is not recorded: `reseau concertation "
            f"record {marcel} {cid} …` or `reseau concertation cancel {marcel} {cid} "
            "--reason TEXT`",
        }
    ]
    ok("concertation", "cancel", marcel, cid, "--reason", "postponed")
    kinds = [a["kind"] for a in json.loads(ok("status", "--json").stdout) if a["person"] == marcel]
    assert "concertation-unrecorded" not in kinds


def test_consent_missing_then_due_for_review(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = {a["kind"]: a for a in _alerts() if a["person"] == marcel}
    assert found["consent-missing"]["date"] == "2026-09-01"
    assert "no consent to sharing recorded" in found["consent-missing"]["message"]
    entry = ok("consent", "give", marcel, "--date", "2026-10-01").stdout.strip()
    assert not any(a["kind"].startswith("consent") for a in _alerts())
    monkeypatch.setenv("RESEAU_TODAY", "2027-10-02")  # 366 days later
    (review,) = [a for a in _alerts() if a["kind"] == "consent-review"]
    assert (review["ref"], review["date"]) == (entry, "2026-10-01")
    assert "more than 365 days ago" in review["message"]
    settings = team / "reseau.yaml"
    settings.write_text(settings.read_text() + "consent_review_days: 400\n")
    git(team, "commit", "-qam", "settings: consent_review_days")
    assert not any(a["kind"] == "consent-review" for a in _alerts())
    ok("consent", "withdraw", marcel)
    assert not any(a["kind"].startswith("consent") for a in _alerts())
