"""`reseau concertation …`: plan, record (flags, --file, $EDITOR), cancel, list; check rules."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from conftest import AUTHOR, TODAY, commits, invoke, ok, refused, snapshot
from plan_helpers import add_ines, edit, join_network, load

CID = re.compile(r"^c-[2-9a-hjkmnp-z]{6}$")


@pytest.fixture
def ines(team: Path) -> str:
    return add_ines(team)


def _plan(pid: str, *extra: str) -> str:
    return ok("concertation", "plan", pid, *extra).stdout.strip()


def _set_lead(team: Path, pid: str, who: str) -> None:
    def lead(doc: dict) -> None:
        doc["coordination"]["concertation_lead"] = who
        doc["coordination"]["history"].append(
            {"role": "concertation_lead", "intervenant": who, "since": "2026-08-10"}
        )

    edit(team, pid, lead, f"{pid}: concertation lead")


# -- plan ---------------------------------------------------------------------------


def test_plan_schedules_a_meeting(team: Path, ines: str) -> None:
    cid = _plan(
        ines, "--date", "2026-12-02", "--time", "14:00", "--place", "CPAS, salle 2",
        "--kind", "concertation", "--organiser", "thomas-renard",
        "--invite", "maxime-dubois", "--invite", "yasmine-cohen", "--invite", "nadia-benali",
        "--agenda", "Où dormir cet hiver ?", "--agenda", "Qui coordonne ?",
    )  # fmt: skip
    assert CID.match(cid)
    assert commits(team)[0] == f"{ines}: plan concertation {cid}"
    assert load(team, ines)["concertations"] == [
        {
            "id": cid,
            "status": "planned",
            "kind": "concertation",
            "date": "2026-12-02",
            "time": "14:00",
            "place": "CPAS, salle 2",
            "organiser": "thomas-renard",
            "invited": ["maxime-dubois", "yasmine-cohen", "nadia-benali"],
            "agenda": ["Où dormir cet hiver ?", "Qui coordonne ?"],
        }
    ]


def test_plan_organiser_defaults_to_the_concertation_lead(team: Path, ines: str) -> None:
    _set_lead(team, ines, "thomas-renard")
    cid = _plan(ines, "--date", "2026-12-02", "--kind", "synthesis")
    [meeting] = load(team, ines)["concertations"]
    assert (meeting["id"], meeting["organiser"], meeting["kind"]) == (
        cid,
        "thomas-renard",
        "synthesis",
    )


def test_plan_refusals(team: Path, ines: str) -> None:
    plan = ("concertation", "plan", ines)
    refused(team, *plan, "--date", "2026-11-01", match="is in the past")
    refused(team, *plan, "--date", "2026-12-32", match="invalid --date '2026-12-32'")
    refused(team, *plan, "--date", "2026-12-02", "--time", "25:00", match="invalid --time")
    refused(team, *plan, "--date", "2026-12-02", "--kind", "party", match="invalid --kind 'party'")
    refused(team, *plan, "--date", "2026-12-02", "--invite", "anne-lambert",
            match="--invite 'anne-lambert' is not a member")  # fmt: skip
    refused(team, *plan, "--date", "2026-12-02", "--organiser", "Thomas",
            match="invalid --organiser 'Thomas'")  # fmt: skip


# -- record with flags --------------------------------------------------------------


def test_record_completes_the_planned_meeting_in_one_commit(
    team: Path, ines: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    oid = ok("plan", "objective", "add", ines, "Avoir mon propre appartement").stdout.strip()
    cid = _plan(ines, "--date", "2026-12-02", "--time", "14:00", "--place", "CPAS, salle 2",
                "--organiser", "thomas-renard", "--invite", "maxime-dubois")  # fmt: skip
    monkeypatch.setenv("RESEAU_TODAY", "2026-12-02")
    before = len(commits(team))
    result = ok(
        "concertation", "record", ines, cid,
        "--participant", "thomas-renard", "--participant", "maxime-dubois",
        "--participant", "nadia-benali", "--excused", "yasmine-cohen",
        "--person-present", "--other", "Sarah, une amie",
        "--summary", "Inès veut son propre appartement et reprendre ses études.",
        "--decision", "Maxime Dubois devient le coordinateur",
        "--decision", "Reprise du suivi psychiatrique",
        "--action", "Demande de revenu d'intégration", "--by", "nadia-benali", "--due", "2026-12-15",
        "--action", "Reprendre rendez-vous au centre Horizon", "--by", "person", "--due", "2026-12-05",
        "--coordinator", "maxime-dubois", "--next", "2026-12-23",
    )  # fmt: skip
    assert result.stdout.strip() == cid
    assert "Completed the planned concertation" in result.stderr
    assert len(commits(team)) == before + 1
    doc = load(team, ines)
    held, following = doc["concertations"]
    actions = doc["plan"]["actions"]
    assert [a["id"] for a in actions] == held["actions"]
    assert commits(team)[0] == (
        f"{ines}: record concertation {cid}, 2 new action(s), designate coordinator, "
        f"next {following['id']}"
    )
    assert held == {
        "id": cid,
        "status": "held",
        "kind": "concertation",
        "date": "2026-12-02",
        "time": "14:00",
        "place": "CPAS, salle 2",
        "organiser": "thomas-renard",
        "invited": ["maxime-dubois"],
        "participants": [
            {"intervenant": "thomas-renard", "present": True},
            {"intervenant": "maxime-dubois", "present": True},
            {"intervenant": "nadia-benali", "present": True},
            {"intervenant": "yasmine-cohen", "present": False, "excused": True},
        ],
        "person_present": True,
        "others_present": ["Sarah, une amie"],
        "summary": "Inès veut son propre appartement et reprendre ses études.",
        "decisions": ["Maxime Dubois devient le coordinateur", "Reprise du suivi psychiatrique"],
        "actions": held["actions"],
        "coordinator": "maxime-dubois",
        "next": "2026-12-23",
    }
    assert [(a["text"], a["by"], a["due"], a["created"], a["concertation"]) for a in actions] == [
        ("Demande de revenu d'intégration", "nadia-benali", "2026-12-15", "2026-12-02", cid),
        ("Reprendre rendez-vous au centre Horizon", "person", "2026-12-05", "2026-12-02", cid),
    ]
    assert doc["coordination"]["coordinator"] == "maxime-dubois"
    assert doc["coordination"]["history"] == [
        {"role": "coordinator", "intervenant": "maxime-dubois", "since": "2026-12-02",
         "concertation": cid},
    ]  # fmt: skip
    assert following == {
        "id": following["id"],
        "status": "planned",
        "kind": "concertation",
        "date": "2026-12-23",
        "time": "14:00",
        "place": "CPAS, salle 2",
        "organiser": "thomas-renard",
        "invited": ["maxime-dubois", "nadia-benali", "yasmine-cohen"],
    }
    assert oid  # objectives untouched
    assert "no problem" in ok("check").stdout


def test_record_without_id_completes_the_planned_meeting_of_that_day(team: Path, ines: str) -> None:
    cid = _plan(ines, "--date", "2026-11-28")
    result = ok("concertation", "record", ines, "--participant", "maxime-dubois")
    assert result.stdout.strip() == cid
    [meeting] = load(team, ines)["concertations"]
    assert meeting["status"] == "held" and meeting["date"] == TODAY


def test_two_meetings_planned_that_day_need_an_id(team: Path, ines: str) -> None:
    first, second = _plan(ines, "--date", TODAY), _plan(ines, "--date", TODAY)
    refused(team, "concertation", "record", ines, "--participant", "maxime-dubois",
            match=f"2 concertations are planned on {TODAY} ({first}, {second})")  # fmt: skip
    ok("concertation", "record", ines, second, "--participant", "maxime-dubois")
    assert [c["status"] for c in load(team, ines)["concertations"]] == ["planned", "held"]


def test_record_a_new_meeting_that_was_not_planned(team: Path, ines: str) -> None:
    result = ok(
        "concertation", "record", ines, "--date", "2026-11-20", "--kind", "coordination",
        "--participant", "maxime-dubois", "--person-absent", "--decision", "On attend le CPAS",
    )  # fmt: skip
    cid = result.stdout.strip()
    assert "Recorded" in result.stderr
    [meeting] = load(team, ines)["concertations"]
    assert meeting == {
        "id": cid,
        "status": "held",
        "kind": "coordination",
        "date": "2026-11-20",
        "participants": [{"intervenant": "maxime-dubois", "present": True}],
        "person_present": False,
        "decisions": ["On attend le CPAS"],
    }
    assert commits(team)[0] == f"{ines}: record concertation {cid}"


def test_a_new_coordinator_ends_the_previous_designation(team: Path, ines: str) -> None:
    ok("concertation", "record", ines, "--date", "2026-10-01", "--coordinator", "nadia-benali")
    ok("concertation", "record", ines, "--date", "2026-11-20", "--coordinator", "maxime-dubois")
    history = load(team, ines)["coordination"]["history"]
    assert [(d["intervenant"], d["since"], d.get("until")) for d in history] == [
        ("nadia-benali", "2026-10-01", "2026-11-20"),
        ("maxime-dubois", "2026-11-20", None),
    ]
    # designating the current coordinator again records it on the meeting, nothing more
    ok("concertation", "record", ines, "--date", "2026-11-27", "--coordinator", "maxime-dubois")
    assert len(load(team, ines)["coordination"]["history"]) == 2
    assert "designate" not in commits(team)[0]


def test_the_meetings_coordinator_is_not_the_concertation_lead(team: Path, ines: str) -> None:
    """Coordination and concertation lead are two functions, as `coordinator set` keeps them."""
    ok("coordinator", "lead", ines, "maxime-dubois", "--date", "2026-10-01")
    before = snapshot(team)
    record = ["concertation", "record", ines, "--date", "2026-11-20"]
    refused(team, *record, "--coordinator", "maxime-dubois", match="is the concertation lead of")
    assert snapshot(team) == before
    ok(*record, "--coordinator", "maxime-dubois", "--force")
    assert load(team, ines)["coordination"]["coordinator"] == "maxime-dubois"


def test_completing_a_planned_meeting_needs_something_to_record(team: Path, ines: str) -> None:
    """An id alone (no flags, no terminal) would mark it held with nothing in it."""
    cid = _plan(ines, "--date", "2026-11-28", "--invite", "maxime-dubois")
    refused(team, "concertation", "record", ines, cid, match="nothing to record")
    ok("concertation", "record", ines, cid, "--participant", "maxime-dubois", "--person-present")
    [meeting] = load(team, ines)["concertations"]
    assert meeting["status"] == "held"
    assert meeting["participants"] == [{"intervenant": "maxime-dubois", "present": True}]


def test_record_refusals(team: Path, ines: str) -> None:
    rec = ("concertation", "record", ines)
    # n-th --by and --due go with the n-th --action; counts that differ point to --file
    refused(team, *rec, "--action", "A", "--action", "B", "--by", "person",
            match="2 --action, 1 --by and 0 --due")  # fmt: skip
    refused(team, *rec, "--action", "A", "--by", "person", "--due", "2026-12-01",
            "--due", "2026-12-02", match="--file F")  # fmt: skip
    refused(team, *rec, "--by", "person", match="0 --action, 1 --by")
    refused(team, *rec, "--action", "A", match="--file F")
    # a participant who is not in the network
    refused(team, *rec, "--participant", "anne-lambert",
            match="participant 'anne-lambert' is not in")  # fmt: skip
    refused(team, *rec, "--absent", "ghost", match="participant 'ghost' is not in")
    refused(team, *rec, "--participant", "maxime-dubois", "--absent", "maxime-dubois",
            match="given twice")  # fmt: skip
    # --by someone outside the network, bad dates, bad designations
    refused(team, *rec, "--action", "A", "--by", "anne-lambert", match="is not a member")
    refused(team, *rec, "--action", "A", "--by", "person", "--due", "2026-13-01",
            match="invalid --due")  # fmt: skip
    refused(team, *rec, "--date", "2026-12-01", "--participant", "maxime-dubois",
            match="is in the future")  # fmt: skip
    refused(team, *rec, "--coordinator", "anne-lambert", match="is not in")
    refused(team, *rec, "--participant", "maxime-dubois", "--next", TODAY, match="must be after")
    refused(team, *rec, "c-nothere", "--person-present", match="unknown concertation 'c-nothere'")
    refused(team, *rec, match="nothing to record")
    cid = _plan(ines, "--date", TODAY)
    ok("concertation", "record", ines, cid, "--person-present")
    refused(team, *rec, cid, "--person-present", match=f"concertation {cid} is held")


def test_participant_who_left_before_the_meeting_is_refused(team: Path, ines: str) -> None:
    join_network(team, ines, "lea-fontaine", "ergothérapeute", "2026-08-10", until="2026-10-01")
    from conftest import write_intervenant

    write_intervenant(team, "lea-fontaine", "Léa Fontaine")
    ok("concertation", "record", ines, "--date", "2026-09-15", "--participant", "lea-fontaine")
    refused(team, "concertation", "record", ines, "--participant", "lea-fontaine",
            match="participant 'lea-fontaine' is not in")  # fmt: skip


# -- the form: --file and $EDITOR ---------------------------------------------------

FORM = """\
concertation: null
date: 2026-11-25
kind: synthesis
time: "10:00"
person_present: true
others_present: [Sarah, une amie]
participants:
  - {intervenant: thomas-renard, present: true}
  - {intervenant: yasmine-cohen, present: false, excused: true}
  - {intervenant: maxime-dubois, present: true}
decisions:
  - Maxime Dubois devient le coordinateur
actions:
  - {text: Demande de logement social, by: nadia-benali, due: 2027-01-15}
  - text: Reprendre rendez-vous au centre Horizon
    by: person
updates:
coordinator: maxime-dubois
next: 2026-12-23
"""


def test_record_from_a_file(team: Path, ines: str, tmp_path: Path) -> None:
    form = tmp_path / "record.yaml"
    form.write_text(FORM)
    cid = ok("concertation", "record", ines, "--file", str(form)).stdout.strip()
    doc = load(team, ines)
    held, following = doc["concertations"]
    assert held["id"] == cid and held["kind"] == "synthesis" and held["time"] == "10:00"
    assert held["participants"] == [
        {"intervenant": "thomas-renard", "present": True},
        {"intervenant": "maxime-dubois", "present": True},
        {"intervenant": "yasmine-cohen", "present": False, "excused": True},
    ]
    assert held["others_present"] == ["Sarah", "une amie"]
    assert [a["by"] for a in doc["plan"]["actions"]] == ["nadia-benali", "person"]
    assert doc["coordination"]["coordinator"] == "maxime-dubois"
    assert following["date"] == "2026-12-23" and following["status"] == "planned"


def test_record_from_stdin_completing_a_planned_meeting(team: Path, ines: str) -> None:
    cid = _plan(ines, "--date", TODAY)
    form = FORM.replace("date: 2026-11-25", f"date: {TODAY}").replace("next: 2026-12-23", "")
    assert ok("concertation", "record", ines, cid, "--file", "-", input=form).stdout.strip() == cid
    [meeting] = load(team, ines)["concertations"]
    assert meeting["status"] == "held" and meeting["kind"] == "synthesis"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("kind: synthesis", "kind: [synthesis", "line 4: invalid YAML: did not find expected"),
        ("kind: synthesis", "kind: synthesis:", "line 3: invalid YAML: mapping values"),
        ("person_present: true\n", "", "line 1 ($): 'person_present' is a required property"),
        ("    by: person\n", "", "line 15 ($.actions[1]): 'by' is a required property"),
        ("intervenant: maxime-dubois", "intervenant: anne-lambert",
         "line 10 ($.participants[2].intervenant): 'anne-lambert' is not in the network"),
        ("by: nadia-benali", "by: anne-lambert", "line 14 ($.actions[0].by)"),
        ("kind: synthesis", "kind: party", "line 3 ($.kind): 'party' is not one of"),
        ("next: 2026-12-23", "nxt: 2026-12-23", "unknown field(s) ('nxt' was unexpected)"),
        ("updates:", "updates:\n  - {id: a-nope, status: done}",
         "line 18 ($.updates[0].id): unknown action 'a-nope'"),
        ("date: 2026-11-25", "date: 2026-12-25", "is in the future"),
    ],
)  # fmt: skip
def test_bad_form_names_the_line(
    team: Path, ines: str, tmp_path: Path, old: str, new: str, message: str
) -> None:
    form = tmp_path / "record.yaml"
    assert old in FORM
    form.write_text(FORM.replace(old, new, 1))
    result = refused(team, "concertation", "record", ines, "--file", str(form), match=message)
    assert f"error: {form}: " in result.stderr


def test_form_refusals(team: Path, ines: str, tmp_path: Path) -> None:
    form = tmp_path / "record.yaml"
    form.write_text(FORM)
    rec = ("concertation", "record", ines)
    refused(team, *rec, "--file", str(form), "--decision", "x", match="do not add other flags")
    refused(team, *rec, "--file", str(tmp_path / "missing.yaml"), match="cannot read")
    form.write_text("")
    refused(team, *rec, "--file", str(form), match="the form is empty")
    form.write_text(FORM.replace("concertation: null", "concertation: c-other"))
    refused(team, *rec, "c-mine", "--file", str(form),
            match="the form records c-other, the command line c-mine")  # fmt: skip


def _editor(tmp_path: Path, *steps: tuple[str, str]) -> str:
    """An editor that keeps a copy of what it was given, then replaces, step by step."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        f"steps = {list(steps)!r}\n"
        f"folder = pathlib.Path({str(tmp_path)!r})\n"
        "n = len(list(folder.glob('seen-*.yaml')))\n"
        "path = pathlib.Path(sys.argv[-1])\n"
        "text = path.read_text()\n"
        "(folder / f'seen-{n}.yaml').write_text(text)\n"
        "for old, new in steps[min(n, len(steps) - 1)]:\n"
        "    assert old in text, old\n"
        "    text = text.replace(old, new, 1)\n"
        "path.write_text(text)\n"
    )
    return f"{sys.executable} {script}"


FILLED = [
    ("person_present: null", "person_present: true"),
    ("  # - Text of a decision", "  - Maxime Dubois devient le coordinateur"),
    (
        "actions:\n",
        "actions:\n  - {text: Demande de logement, by: nadia-benali, due: 2027-01-15}\n",
    ),
    ("coordinator: null", "coordinator: maxime-dubois"),
]


def test_editor_form_is_prefilled_and_recorded(
    team: Path, ines: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    oid = ok("plan", "objective", "add", ines, "Avoir mon propre appartement", "--priority")
    aid = ok("plan", "action", "add", ines, "Revenu", "--by", "nadia-benali", "--due",
             "2026-12-01").stdout.strip()  # fmt: skip
    done = ok("plan", "action", "add", ines, "Old", "--by", "person").stdout.strip()
    ok("plan", "action", "set", ines, done, "--status", "done")
    cid = _plan(ines, "--date", TODAY, "--time", "14:00", "--organiser", "thomas-renard",
                "--invite", "maxime-dubois", "--invite", "nadia-benali")  # fmt: skip
    update = (f"{{id: {aid}, status: planned, note: null}}", f"{{id: {aid}, status: ongoing, note: Dossier déposé}}")  # fmt: skip
    monkeypatch.setenv("EDITOR", _editor(tmp_path, [*FILLED, update]))
    result = ok("concertation", "record", ines, cid, "--edit")
    assert result.stdout.strip() == cid
    seen = (tmp_path / "seen-0.yaml").read_text()
    # the pre-filled form: the meeting, the invited network, the open actions, objectives
    assert f"concertation: {cid}" in seen
    assert f"date: {TODAY}" in seen and 'time: "14:00"' in seen
    assert (
        "  - {intervenant: thomas-renard, present: true}   # Thomas Renard, tiers concertateur"
        in seen
    )
    assert "  - {intervenant: maxime-dubois, present: true}" in seen
    assert "#  - {intervenant: yasmine-cohen, present: true}" in seen  # not invited
    assert (
        f"  - {{id: {aid}, status: planned, note: null}}   # Revenu (nadia-benali, due 2026-12-01)"
        in seen
    )
    assert done not in seen  # closed actions are not in the form
    assert f"{oid.stdout.strip()} ★ Avoir mon propre appartement" in seen
    assert yaml.safe_load(seen)["person_present"] is None
    doc = load(team, ines)
    [meeting] = doc["concertations"]
    assert meeting["status"] == "held" and meeting["person_present"] is True
    assert meeting["decisions"] == ["Maxime Dubois devient le coordinateur"]
    assert [p["intervenant"] for p in meeting["participants"]] == [
        "thomas-renard", "maxime-dubois", "nadia-benali",
    ]  # fmt: skip
    revenue = next(a for a in doc["plan"]["actions"] if a["id"] == aid)
    assert revenue["status"] == "ongoing"
    assert revenue["notes"] == [{"date": TODAY, "author": AUTHOR[0], "text": "Dossier déposé"}]
    assert doc["coordination"]["coordinator"] == "maxime-dubois"
    assert commits(team)[0].startswith(f"{ines}: record concertation {cid}, 1 new action(s)")
    assert not list((team / ".git" / "reseau-edit").glob("*"))


def test_editor_opens_without_flags_on_a_terminal(
    team: Path, ines: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reseau_cli.cli import concertation

    monkeypatch.setattr(concertation, "_interactive", lambda: True)
    monkeypatch.setenv("EDITOR", _editor(tmp_path, FILLED))
    cid = ok("concertation", "record", ines).stdout.strip()
    assert load(team, ines)["concertations"][0]["id"] == cid
    assert (tmp_path / "seen-0.yaml").exists()


def test_editor_unchanged_form_records_nothing(
    team: Path, ines: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", _editor(tmp_path, []))
    before = snapshot(team)
    result = ok("concertation", "record", ines, "--edit")
    assert "nothing recorded" in result.stderr and result.stdout == ""
    assert snapshot(team) == before


def test_editor_invalid_form_then_fixed(
    team: Path, ines: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = [("person_present: null", "person_present: maybe")]
    fixed = [("person_present: maybe", "person_present: true"), *FILLED[1:]]
    monkeypatch.setenv("EDITOR", _editor(tmp_path, wrong, fixed))
    result = ok("concertation", "record", ines, "--edit", input="e\n")
    assert "line 13 ($.person_present): 'maybe' is not of type 'boolean'" in result.stderr
    assert load(team, ines)["concertations"][0]["person_present"] is True


def test_editor_invalid_form_then_abort(
    team: Path, ines: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = [("person_present: null", "person_present: true"),
             ("  - {intervenant: maxime-dubois", "  - {intervenant: anne-lambert")]  # fmt: skip
    monkeypatch.setenv("EDITOR", _editor(tmp_path, wrong))
    before = snapshot(team)
    result = invoke("concertation", "record", ines, "--edit", input="a\n")
    assert result.exit_code == 1
    assert "'anne-lambert' is not in the network" in result.stderr
    assert "error: edit aborted; nothing was changed" in result.stderr
    assert snapshot(team) == before


# -- cancel and list ----------------------------------------------------------------


def test_cancel_and_list(team: Path, ines: str) -> None:
    first = _plan(ines, "--date", "2026-12-10", "--time", "09:30", "--place", "Relais de rue")
    second = _plan(ines, "--date", "2026-12-03")
    ok("concertation", "cancel", ines, first, "--reason", "Inès est hospitalisée")
    assert commits(team)[0] == f"{ines}: cancel concertation {first}"
    rows = json.loads(ok("concertation", "list", ines, "--json").stdout)
    assert [(c["id"], c["status"]) for c in rows] == [(second, "planned"), (first, "cancelled")]
    assert rows[1]["cancelled_reason"] == "Inès est hospitalisée"
    table = ok("concertation", "list", ines).stdout
    assert table.index(second) < table.index(first) and "Relais de rue" in table
    refused(team, "concertation", "cancel", ines, first, "--reason", "x", match="is cancelled")
    refused(team, "concertation", "record", ines, first, "--person-present", match="is cancelled")


def test_list_empty(team: Path, ines: str) -> None:
    assert "No concertation yet" in ok("concertation", "list", ines).stderr
    assert json.loads(ok("concertation", "list", ines, "--json").stdout) == []


# -- check rules --------------------------------------------------------------------


def test_check_concertation_rules(team: Path, ines: str) -> None:
    from conftest import write_intervenant

    write_intervenant(team, "anne-lambert", "Dr Anne Lambert")

    def break_it(doc: dict) -> None:
        doc["concertations"] = [
            {"id": "c-1", "status": "held", "kind": "concertation", "date": "2026-12-05",
             "organiser": "anne-lambert", "invited": ["anne-lambert"],
             "participants": [{"intervenant": "anne-lambert", "present": True}],
             "actions": ["a-ghost"], "next": "2026-12-01"},
            {"id": "c-1", "status": "planned", "kind": "concertation", "date": "2026-12-06"},
        ]  # fmt: skip

    edit(team, ines, break_it, f"{ines}: hand edit")
    out = invoke("check").stdout
    assert "($.concertations[0].organiser): 'anne-lambert' is not and was never a member" in out
    assert "($.concertations[0].invited[0]): 'anne-lambert' is not and was never" in out
    assert "($.concertations[0].participants[0].intervenant): 'anne-lambert' is not and" in out
    assert "($.concertations[0].date): held on 2026-12-05, which is in the future" in out
    assert "($.concertations[0].next): next meeting before this one" in out
    assert "($.concertations[0].actions[0]): unknown action 'a-ghost'" in out
    assert "($.concertations[1].id): duplicate id 'c-1'" in out
