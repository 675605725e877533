"""Concertations as a new user met them: their length, the form for a planned
meeting, the next meeting in the minutes, the place at the person's home."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from conftest import TODAY, commits, git, invoke, ok, refused
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
        f"reassign it (`reseau plan action set {ines} {action} --by INTERVENANT`)" in ended.stderr
    )
    path = team / "persons" / f"{ines}.yaml"
    path.write_text(path.read_text().replace("status: active", "status: paused", 1))
    broken = invoke("person", "show", ines)
    assert broken.exit_code == 1 and f"`reseau person edit {ines}`" in broken.stderr


# -- overdue actions in the terminal (item 25) -------------------------------------------


def test_plan_show_and_person_show_flag_overdue_actions(team: Path, ines: str) -> None:
    late = ok("plan", "action", "add", ines, "Revenu", "--by", "nadia-benali", "--due",
              "2026-11-20").stdout.strip()  # fmt: skip
    done = ok("plan", "action", "add", ines, "Fait", "--by", "person", "--due",
              "2026-11-20").stdout.strip()  # fmt: skip
    ok("plan", "action", "set", ines, done, "--status", "done")
    ok("plan", "action", "add", ines, "Plus tard", "--by", "person", "--due", "2026-12-20")
    shown = ok("plan", "show", ines).stdout
    assert f"{late} [planned] Revenu — Nadia Benali, due 2026-11-20 (overdue, 8 days late)" in (
        shown
    )
    assert shown.count("overdue") == 1
    person = ok("person", "show", ines).stdout
    assert "due 2026-11-20 (overdue, 8 days late)" in person and person.count("overdue") == 1
    view = json.loads(ok("plan", "show", ines, "--json").stdout)
    assert [a["late_days"] for a in view["other_actions"] if a["id"] == late] == [8]


# -- the record form for a day with a planned meeting (item 13) -------------------------


def _seeing_editor(tmp_path: Path) -> str:
    """An editor that keeps a copy of the form and leaves it unchanged."""
    script = tmp_path / "editor.py"
    seen = tmp_path / "seen.yaml"
    script.write_text(
        "import pathlib, sys\n"
        f"pathlib.Path({str(seen)!r}).write_text(pathlib.Path(sys.argv[-1]).read_text())\n"
    )
    return f"{sys.executable} {script}"


def test_the_form_of_a_day_with_a_planned_meeting_is_prefilled_with_it(
    team: Path, ines: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid = _plan(ines, "--date", TODAY, "--time", "14:30", "--end", "16:00",
                "--place", "CPAS, salle 2", "--organiser", "thomas-renard")  # fmt: skip
    monkeypatch.setenv("EDITOR", _seeing_editor(tmp_path))
    result = ok("concertation", "record", ines, "--edit")
    assert "Form unchanged; nothing recorded." in result.stderr
    seen = (tmp_path / "seen.yaml").read_text()
    assert f"concertation: {cid}   # the planned meeting being completed" in seen
    assert 'time: "14:30"' in seen and 'end: "16:00"' in seen
    assert 'place: "CPAS, salle 2"' in seen and "organiser: thomas-renard" in seen
    # Two meetings planned that day: the form does not choose.
    _plan(ines, "--date", TODAY, "--time", "17:00")
    ok("concertation", "record", ines, "--edit")
    assert "concertation: null" in (tmp_path / "seen.yaml").read_text()


# -- the next meeting in the minutes (item 14) ------------------------------------------


def test_minutes_give_the_next_meeting_with_its_time_and_place(team: Path, ines: str) -> None:
    _plan(ines, "--date", TODAY, "--time", "14:00", "--place", "CPAS de Namur, salle 2")
    ok("concertation", "record", ines, "--participant", "thomas-renard", "--next", "2027-01-06")
    french = ok("render", "minutes", ines, "--lang", "fr").stdout
    tail = french[french.index("## Prochaine rencontre") :]
    assert "**mercredi 6 janvier 2027 à 14:00**, CPAS de Namur, salle 2" in tail
    english = ok("render", "minutes", ines, "--lang", "en").stdout
    tail = english[english.index("## Next meeting") :]
    assert "**Wednesday, 6 January 2027 at 14:00**, CPAS de Namur, salle 2" in tail
    html = ok("render", "minutes", ines, "--format", "html", "--lang", "fr").stdout
    assert "<strong>mercredi 6 janvier 2027 à 14:00</strong><br>Lieu : CPAS de Namur" in html


# -- record --next while another meeting is planned (item 15) --------------------------


def test_next_while_another_meeting_is_planned_warns_with_the_command(
    team: Path, ines: str
) -> None:
    later = _plan(ines, "--date", "2027-02-10", "--time", "10:00")
    result = ok("concertation", "record", ines, "--participant", "thomas-renard",
                "--next", "2027-01-06")  # fmt: skip
    assert (
        f"warning: {later} is also planned, on 2027-02-10; if the meeting of 2027-01-06 "
        f"replaces it, cancel it with `reseau concertation cancel {ines} {later} --reason TEXT`."
    ) in result.stderr
    minutes = ok("render", "minutes", ines, "--lang", "en").stdout
    assert "**Wednesday, 6 January 2027**" in minutes  # the date --next gave, not 10 February


def test_next_on_the_day_of_the_planned_meeting_links_it(team: Path, ines: str) -> None:
    planned = _plan(ines, "--date", "2027-02-10")
    result = ok("concertation", "record", ines, "--participant", "thomas-renard",
                "--next", "2027-02-10")  # fmt: skip
    assert f"Next concertation {planned} planned on 2027-02-10." in result.stderr
    assert "warning" not in result.stderr
    assert [c["status"] for c in load(team, ines)["concertations"]] == ["planned", "held"]


# -- what changed since the previous meeting: as recorded (item 16) --------------------


def test_minutes_compare_with_the_file_as_the_meeting_was_recorded(
    team: Path, ines: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESEAU_TODAY", "2026-11-20")
    ok("concertation", "record", ines, "--participant", "thomas-renard")
    before = ok("plan", "action", "add", ines, "Déjà fait", "--by", "person").stdout.strip()
    later = ok("plan", "action", "add", ines, "Fait après", "--by", "person").stdout.strip()
    monkeypatch.setenv("RESEAU_TODAY", "2026-12-02")
    ok("plan", "action", "set", ines, before, "--status", "done")
    second = ok("concertation", "record", ines, "--participant", "thomas-renard").stdout.strip()
    # The same afternoon, after the meeting: another action is marked done.
    ok("plan", "action", "set", ines, later, "--status", "done")
    minutes = ok("render", "minutes", ines, second, "--lang", "en").stdout
    done = minutes[minutes.index("### Actions done") :]
    done = done[: done.index("\n#")]
    assert "Déjà fait" in done
    assert "Fait après" not in done, minutes


# -- done and cancelled actions look different (item 26) --------------------------------


def test_done_and_cancelled_actions_look_different_in_the_plan(team: Path, ines: str) -> None:
    done = ok("plan", "action", "add", ines, "Revenu obtenu", "--by", "person").stdout.strip()
    gone = ok("plan", "action", "add", ines, "Foyer refusé", "--by", "person").stdout.strip()
    ok("plan", "action", "set", ines, done, "--status", "done")
    ok("plan", "action", "set", ines, gone, "--status", "cancelled")
    html = ok("render", "plan", ines, "--format", "html", "--lang", "fr").stdout
    assert (
        '<tr class="closed done">\n  <td class="what" data-label="Action"><span class="check" '
        'aria-hidden="true">✓</span> <span class="text">Revenu obtenu</span></td>'
    ) in html
    assert (
        '<tr class="closed cancelled">\n  <td class="what" data-label="Action">'
        '<span class="text">Foyer refusé</span> <span class="small">(annulée)</span></td>'
    ) in html
    # Only the text is struck through: never a done action, nor the phone layout's label.
    assert "tr.cancelled td.what .text { text-decoration: line-through; }" in html
    assert "td.what { text-decoration" not in html
    markdown = ok("render", "plan", ines, "--lang", "en").stdout
    assert "| ✓ Revenu obtenu |" in markdown
    assert "| ~~Foyer refusé~~ (cancelled) |" in markdown


# -- e-mail addresses wrap after « @ » or a dot only (item 10) ---------------------------


def test_email_addresses_wrap_only_after_at_or_a_dot(team: Path, ines: str) -> None:
    ok("intervenant", "update", "nadia-benali", "--email", "n.benali@cpas-namur.example")
    broken = (
        '<span class="email"><span class="nobr">n.</span><wbr><span class="nobr">benali@</span>'
        '<wbr><span class="nobr">cpas-namur.</span><wbr><span class="nobr">example</span></span>'
    )
    for kind in ("plan", "network"):
        html = ok("render", kind, ines, "--format", "html").stdout
        assert f'<a href="mailto:n.benali@cpas-namur.example">{broken}</a>' in html
        assert ".email .nobr { white-space: nowrap; }" in html
    _plan(ines, "--date", "2026-12-02", "--invite", "nadia-benali")
    assert broken in ok("render", "invitation", ines, "--format", "html").stdout
    # An address typed with markup stays text.
    ok("intervenant", "update", "nadia-benali", "--email", "a<b@x.example")
    html = ok("render", "network", ines, "--format", "html").stdout
    assert '<span class="nobr">a&lt;b@</span>' in html and "a<b" not in html


# -- a meeting at the person's home (item 27) -------------------------------------------


def test_a_meeting_at_home_gives_the_address_of_the_file(team: Path, ines: str) -> None:
    refused(team, "concertation", "plan", ines, "--date", "2026-12-02", "--at-home",
            match=f"{ines} has no address in the file")  # fmt: skip
    path = team / "persons" / f"{ines}.yaml"
    text = path.read_text().replace(
        "  given_name: Inès\n", "  given_name: Inès\n  address: Rue de Fer 3, 5000 Namur\n"
    )
    path.write_text(text)
    git(team, "commit", "-qam", f"{ines}: address")
    refused(team, "concertation", "plan", ines, "--date", "2026-12-02", "--at-home",
            "--place", "CPAS", match="either --at-home or --place")  # fmt: skip
    cid = _plan(ines, "--date", "2026-12-02", "--time", "10:00", "--at-home")
    assert load(team, ines)["concertations"][0] == {
        "id": cid, "status": "planned", "kind": "concertation", "date": "2026-12-02",
        "time": "10:00", "at_home": True,
    }  # fmt: skip
    french = ok("render", "invitation", ines, "--lang", "fr").stdout
    assert "- **Lieu** : au domicile d’Inès Boukhari, Rue de Fer 3, 5000 Namur" in french
    english = ok("render", "invitation", ines, "--lang", "en", "--format", "html").stdout
    assert "At Inès Boukhari’s home: Rue de Fer 3, 5000 Namur" in english
    ics = ok("render", "invitation", ines, "--format", "ics", "--full").stdout
    assert "LOCATION:Rue de Fer 3\\, 5000 Namur" in ics
    # By default an event carries no address of the person (it travels through every
    # invitee's mail and calendar provider).
    assert "Rue de Fer" not in ok("render", "invitation", ines, "--format", "ics").stdout
    today = _plan(ines, "--date", TODAY, "--at-home")
    ok("concertation", "record", ines, today, "--participant", "thomas-renard")
    minutes = ok("render", "minutes", ines, today, "--lang", "fr").stdout
    assert "- **Lieu** : au domicile d’Inès Boukhari, Rue de Fer 3, 5000 Namur" in minutes


def test_check_reports_a_length_without_start_or_past_midnight(team: Path, ines: str) -> None:
    _plan(ines, "--date", "2026-12-02", "--time", "22:00", "--duration", "90")
    path = team / "persons" / f"{ines}.yaml"
    path.write_text(path.read_text().replace("duration_minutes: 90", "duration_minutes: 180"))
    result = invoke("check")
    assert result.exit_code == 1
    assert "from 22:00, 180 minutes ends after midnight" in result.output
    path.write_text(path.read_text().replace("  time: '22:00'\n", ""))
    assert "a duration needs the start time (`time`)" in invoke("check").output
