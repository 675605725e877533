"""`reseau consent …`: a history of decisions (never overwritten), recipients and withheld
sections, the old `consent` object upgraded, bad input refused with nothing written."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import AUTHOR, commits, git, invoke, ok, refused, snapshot, write_intervenant
from reseau_cli.model.merge import merge


@pytest.fixture
def network(team: Path, marcel: str) -> str:
    """Marcel's network: his GP and nurse, the home-help service, his son; the hospital's
    social worker, who has left."""
    ok(
        "intervenant",
        "add",
        marcel,
        "--name",
        "Anne Lambert",
        "--role",
        "médecin traitant",
        "--since",
        "2026-09-01",
    )
    ok(
        "intervenant",
        "add",
        marcel,
        "--name",
        "Karim Ouali",
        "--role",
        "infirmier",
        "--since",
        "2026-09-01",
    )
    ok(
        "intervenant",
        "add",
        marcel,
        "--name",
        "Aide familiale Nord",
        "--kind",
        "service",
        "--since",
        "2026-09-01",
    )
    ok(
        "intervenant",
        "add",
        marcel,
        "--name",
        "Luc Janssens",
        "--kind",
        "carer",
        "--role",
        "fils",
        "--since",
        "2026-09-01",
    )
    ok("intervenant", "add", marcel, "--name", "Sophie Martin", "--since", "2026-09-01")
    ok("intervenant", "end", marcel, "sophie-martin", "--date", "2026-10-15")
    return marcel


def _doc(team: Path, pid: str) -> dict[str, Any]:
    return yaml.safe_load((team / "persons" / f"{pid}.yaml").read_text())


def test_give_records_a_decision_with_its_author(team: Path, network: str) -> None:
    result = ok(
        "consent",
        "give",
        network,
        "--date",
        "2026-11-20",
        "--how",
        "written",
        "--to",
        "professional",
        "--to",
        "service",
        "--to",
        "luc-janssens",
        "--withhold",
        "situation:service",
        "--withhold",
        "health:carer",
        "--note",
        "Signed at the GP's",
    )
    entry_id = result.stdout.strip()
    assert entry_id.startswith("cn-")
    assert "given on 2026-11-20 (written)" in result.stderr
    consent = _doc(team, network)["consent"]
    assert consent["status"] == "given"
    assert consent["history"] == [
        {
            "id": entry_id,
            "date": "2026-11-20",
            "status": "given",
            "how": "written",
            "recipients": ["professional", "service", "luc-janssens"],
            "withhold": [
                {"section": "situation", "from": "service"},
                {"section": "health", "from": "carer"},
            ],
            "note": "Signed at the GP's",
            "recorded_by": AUTHOR[0],
        }
    ]
    assert consent["disclosures"] == []
    # One commit, ids only.
    assert commits(team)[0] == f"{network}: record consent {entry_id}"
    assert "Marcel" not in commits(team)[0]
    ok("check")


def test_history_is_kept_and_show_tells_the_decision_in_force(team: Path, network: str) -> None:
    ok("consent", "give", network, "--date", "2026-10-01")
    ok("consent", "withdraw", network, "--date", "2026-11-01", "--note", "Wants to think again")
    ok("consent", "give", network, "--date", "2026-11-10", "--representative", "Luc Janssens")
    ok("consent", "refuse", network)
    history = _doc(team, network)["consent"]["history"]
    assert [h["status"] for h in history] == ["given", "withdrawn", "given", "refused"]
    assert history[2]["how"] == "representative"
    assert history[2]["representative"] == "Luc Janssens"
    assert history[0]["recipients"] == ["professional", "service"]  # the default
    state = json.loads(ok("consent", "show", network, "--json").stdout)
    assert state["status"] == "refused"
    assert state["in_force"]["date"] == "2026-11-28"
    assert len(state["history"]) == 4
    text = ok("consent", "show", network).stdout
    assert "refused on 2026-11-28" in text.splitlines()[0]
    assert "withdrawn on 2026-11-01" in text
    assert "through Luc Janssens, representative" in text
    assert f"recorded by {AUTHOR[0]}" in text
    assert len(commits(team)) >= 4


def test_person_show_prints_the_consent(team: Path, network: str) -> None:
    assert "not recorded" in ok("person", "show", network).stdout
    ok("consent", "give", network, "--date", "2026-11-20", "--withhold", "contacts")
    out = ok("person", "show", network).stdout
    assert "given on 2026-11-20 to professional, service; withheld: contacts from everyone" in out


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["give", "--to", "nobody-here"], "unknown recipient 'nobody-here'"),
        (["give", "--to", "Not An Id"], "invalid recipient"),
        (["give", "--withhold", "diagnosis"], "unknown section 'diagnosis' in --withhold"),
        (["give", "--withhold", "situation:nobody-here"], "unknown recipient 'nobody-here'"),
        (["give", "--withhold", "situation:"], "name who it is kept from after ':'"),
        (["give", "--withhold", ":service"], "unknown section ''"),
        (["give", "--date", "2026-12-01"], "is in the future"),
        (["give", "--date", "2026-08-31"], "before"),
        (["give", "--to", "sophie-martin"], "sophie-martin left p-"),
        (["give", "--how", "representative"], "needs --representative"),
        (["give", "--how", "telepathic"], "unknown --how"),
        (["give", "--how", "oral", "--representative", "Luc Janssens"], "not --how oral"),
        (["give", "--date", "2026-13-01"], "invalid --date"),
        (["withdraw"], "nothing to withdraw"),
        (["refuse", "--date", "2027-01-01"], "is in the future"),
    ],
)
def test_bad_input_is_one_line_and_nothing_written(
    team: Path, network: str, args: list[str], match: str
) -> None:
    refused(team, "consent", args[0], network, *args[1:], match=match)


def test_a_directory_member_outside_the_network_is_named_so(team: Path, network: str) -> None:
    write_intervenant(team, "bruno-lenoir", "Bruno Lenoir")
    refused(team, "consent", "give", network, "--to", "bruno-lenoir",
            match="bruno-lenoir is in the directory but not in")  # fmt: skip
    refused(team, "consent", "give", network, "--withhold", "health:bruno-lenoir",
            match="`reseau intervenant add")  # fmt: skip


def test_unknown_person_and_closed_person(team: Path, network: str) -> None:
    refused(team, "consent", "give", "p-nobody", match="unknown person")
    ok("consent", "give", network, "--date", "2026-11-01")
    ok("person", "close", network, "--reason", "Moved away")
    refused(team, "consent", "give", network, match="is closed")
    # A closed file still records a withdrawal: the person may change their mind.
    ok("consent", "withdraw", network)


def test_old_form_is_reported_read_and_upgraded_on_first_write(team: Path, network: str) -> None:
    path = team / "persons" / f"{network}.yaml"
    doc = _doc(team, network)
    doc["consent"] = {
        "information_sharing": True,
        "date": "2026-09-15",
        "scope": "Réseau de soins",
    }
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    git(team, "commit", "-qam", f"{network}: hand edit")
    result = ok("check")
    assert "consent in the old form" in result.stderr
    state = json.loads(ok("consent", "show", network, "--json").stdout)
    assert state["status"] == "given"
    assert state["history"][0]["recipients"] == ["professional", "service"]
    assert state["history"][0]["note"] == "Réseau de soins"
    assert "old form" in ok("consent", "show", network).stderr
    # Any write saves the new form.
    ok("plan", "objective", "add", network, "Rester chez moi")
    text = path.read_text()
    assert "information_sharing" not in text
    assert _doc(team, network)["consent"]["history"][0]["id"] == "cn-upgraded"
    assert "old form" not in ok("check").stderr


def test_log_is_empty_until_something_is_sent(team: Path, network: str) -> None:
    result = ok("consent", "log", network)
    assert "No disclosure recorded" in result.stderr
    assert json.loads(ok("consent", "log", network, "--json").stdout) == []


def test_merge_keeps_both_clones_decisions_and_the_latest_status() -> None:
    base: dict[str, Any] = {
        "format": 1,
        "id": "p-7k3q9x",
        "status": "active",
        "identity": {"family_name": "J", "given_name": "M"},
        "consent": {
            "status": "given",
            "history": [{"id": "cn-aaaaaa", "date": "2026-10-01", "status": "given"}],
            "disclosures": [],
        },
    }
    ours = json.loads(json.dumps(base))
    ours["consent"]["history"].append(
        {"id": "cn-bbbbbb", "date": "2026-11-20", "status": "withdrawn"}
    )
    ours["consent"]["status"] = "withdrawn"
    ours["consent"]["disclosures"].append(
        {"id": "d-cccccc", "date": "2026-11-02", "document": "plan", "recipient": "anne-lambert"}
    )
    theirs = json.loads(json.dumps(base))
    theirs["consent"]["history"].append(
        {"id": "cn-dddddd", "date": "2026-11-10", "status": "given"}
    )
    theirs["consent"]["status"] = "given"
    theirs["consent"]["disclosures"].append(
        {"id": "d-eeeeee", "date": "2026-11-03", "document": "network", "recipient": "karim-ouali"}
    )
    merged, conflicts = merge(base, ours, theirs)
    assert conflicts == []
    assert [h["id"] for h in merged["consent"]["history"]] == [
        "cn-aaaaaa",
        "cn-bbbbbb",
        "cn-dddddd",
    ]
    assert merged["consent"]["status"] == "withdrawn"  # the latest decision (20 November)
    assert [d["id"] for d in merged["consent"]["disclosures"]] == ["d-cccccc", "d-eeeeee"]


def test_help_lists_the_consent_commands() -> None:
    out = invoke("consent", "--help").stdout
    for name in ("give", "refuse", "withdraw", "show", "log"):
        assert name in out


def test_check_warns_of_disclosures_the_consent_did_not_allow(team: Path, network: str) -> None:
    ok("consent", "give", network, "--date", "2026-10-01", "--to", "anne-lambert")
    ok("consent", "withdraw", network, "--date", "2026-10-05")
    path = team / "persons" / f"{network}.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["consent"]["disclosures"] = [
        {"id": "d-aaaaaa", "date": "2026-10-02", "document": "plan", "recipient": "anne-lambert"},
        {"id": "d-bbbbbb", "date": "2026-10-02", "document": "plan", "recipient": "karim-ouali"},
        {"id": "d-cccccc", "date": "2026-10-06", "document": "plan", "recipient": "anne-lambert"},
        {"id": "d-dddddd", "date": "2026-10-06", "document": "plan", "recipient": "person"},
    ]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    result = ok("check")
    warnings = [line for line in result.stderr.splitlines() if "disclosure" in line]
    assert len(warnings) == 2, result.stderr
    outside, withdrawn = warnings
    assert f"persons/{network}.yaml: $.consent.disclosures[1]:" in outside
    assert "d-bbbbbb" in outside and "outside" in outside and "karim-ouali" in outside
    assert f"persons/{network}.yaml: $.consent.disclosures[2]:" in withdrawn
    assert "d-cccccc" in withdrawn and "withdrew" in withdrawn
    # Warnings, not problems: the check still passes.
    assert result.stdout.startswith("OK")


def test_check_warns_of_a_consent_or_an_invitation_that_contradict(
    team: Path, network: str
) -> None:
    """A decision naming someone who was not in the network that day (a hand edit, or a
    merge), and a planned meeting inviting a member the consent does not cover."""
    ok("consent", "give", network, "--date", "2026-11-20", "--to", "professional")
    ok("concertation", "plan", network, "--date", "2026-12-10", "--time", "14:00",
       "--invite", "anne-lambert", "--invite", "luc-janssens")  # fmt: skip
    path = team / "persons" / f"{network}.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["consent"]["history"][0]["recipients"].append("sophie-martin")  # left on 2026-10-15
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    git(team, "commit", "-qam", f"{network}: hand edit")
    result = ok("check")
    assert result.stdout.startswith("OK"), result.stdout  # warnings, not problems
    lines = [line for line in result.stderr.splitlines() if "consent" in line]
    assert len(lines) == 2, result.stderr
    named, invited = lines
    assert f"persons/{network}.yaml: $.consent.history[0]:" in named
    assert "names sophie-martin, who was not in the network on that day" in named
    assert f"persons/{network}.yaml: $.concertations[0].invited[1]:" in invited
    assert "luc-janssens is invited to c-" in invited and "is outside" in invited
    # Once the person agrees, the warning goes.
    ok("consent", "give", network, "--to", "professional", "--to", "luc-janssens")
    assert "luc-janssens is invited" not in ok("check").stderr


def _editor(tmp_path: Path, old: str, new: str) -> str:
    """An editor that replaces the pattern ``old`` by ``new`` in the file it opens."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, re, sys\n"
        "path = pathlib.Path(sys.argv[-1])\n"
        f"path.write_text(re.sub({old!r}, {new!r}, path.read_text(), count=1))\n"
    )
    return f"{sys.executable} {script}"


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ("how: written", "how: oral", "consent history is never rewritten"),
        ("status: withdrawn", "status: given", "consent.status says given"),
        ("recipient: anne-lambert", "recipient: karim-ouali", "register of what was sent"),
        (r"(  disclosures:)\n(  [- ] .*\n|    .*\n)+", r"\1 []\n", "the disclosure d-"),
    ],
)
def test_person_edit_never_rewrites_the_consent_history_or_the_register(
    team: Path,
    network: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    old: str,
    new: str,
    match: str,
) -> None:
    ok("consent", "give", network, "--date", "2026-11-20", "--how", "written",
       "--to", "anne-lambert")  # fmt: skip
    ok("render", "plan", network, "--for", "anne-lambert", "--send-log")
    ok("consent", "withdraw", network)
    assert re.search(old, (team / "persons" / f"{network}.yaml").read_text())
    monkeypatch.setenv("EDITOR", _editor(tmp_path, old, new))
    before = snapshot(team)
    result = invoke("person", "edit", network, input="a\n")
    assert result.exit_code == 1, result.stderr
    assert match in result.stderr, result.stderr
    assert snapshot(team) == before


def test_check_reports_a_status_that_contradicts_the_history(team: Path, network: str) -> None:
    ok("consent", "refuse", network, "--date", "2026-11-20")
    path = team / "persons" / f"{network}.yaml"
    path.write_text(path.read_text().replace("status: refused", "status: given", 1))
    git(team, "commit", "-qam", f"{network}: hand edit")
    result = invoke("check")
    assert result.exit_code == 1
    assert "$.consent.status" in result.stdout + result.stderr
    assert "consent.status says given, but the decision in force" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("fr", "donné le 2026-11-20 (par écrit) à professional, service, luc-janssens ; "
               "non communiqué : situation pour service ; health pour carer"),
        ("nl", "gegeven op 2026-11-20 (schriftelijk) aan professional, service, luc-janssens; "
               "niet meegedeeld: situation voor service; health voor carer"),
    ],
)  # fmt: skip
def test_consent_show_speaks_the_terminals_language(
    team: Path, network: str, lang: str, line: str
) -> None:
    """How the consent was expressed is said in words; kinds and sections stay the codes
    typed after --to and --withhold."""
    import os
    import subprocess

    ok("consent", "give", network, "--date", "2026-11-20", "--how", "written",
       "--to", "professional", "--to", "service", "--to", "luc-janssens",
       "--withhold", "situation:service", "--withhold", "health:carer")  # fmt: skip
    shown = subprocess.run(
        [sys.executable, "-m", "reseau_cli", "consent", "show", network],
        env={**os.environ, "RESEAU_LANG": lang},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert line in shown.stdout + shown.stderr, shown.stdout + shown.stderr
