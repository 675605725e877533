"""`reseau coordinator …`, ending a coordinator's membership, `person show`, and the
coordination rules of `reseau check`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import commits, git, invoke, ok, refused, write_intervenant
from network_cases import IDS, build_template, copy_template, edit_person, load


# Every test here starts from case 1's network, built once and copied for each test.
@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return build_template(tmp_path_factory)


@pytest.fixture
def team(template: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return copy_template(template[0], tmp_path / "team", monkeypatch)


@pytest.fixture
def marcel(template: tuple[Path, str], team: Path) -> str:
    return template[1]


@pytest.fixture
def network(marcel: str) -> dict[str, str]:
    return dict(IDS)


def coordination(root: Path, person: str) -> dict:
    return load(root, "person", person)["coordination"]


# -- set -------------------------------------------------------------------------------


def test_set_designates_the_coordinator(team: Path, marcel: str, network: dict) -> None:
    before = len(commits(team))
    result = ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25",
                "--note", "décidé en réunion de synthèse")  # fmt: skip
    assert "karim-ouali is now the coordinator" in result.stderr and result.stdout == ""
    assert coordination(team, marcel) == {
        "coordinator": "karim-ouali",
        "concertation_lead": None,
        "history": [
            {"role": "coordinator", "intervenant": "karim-ouali", "since": "2026-11-25",
             "note": "décidé en réunion de synthèse"},
        ],
    }  # fmt: skip
    assert len(commits(team)) == before + 1
    assert commits(team)[0] == f"{marcel}: designate karim-ouali as coordinator"
    assert git(team, "show", "--name-only", "--format=").split() == [f"persons/{marcel}.yaml"]
    ok("check")


def test_set_ends_the_previous_designation(team: Path, marcel: str, network: dict) -> None:
    ok("coordinator", "set", marcel, "sophie-martin", "--date", "2026-11-10")
    result = ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    assert "sophie-martin is no longer the coordinator" in result.stderr
    assert coordination(team, marcel)["history"] == [
        {"role": "coordinator", "intervenant": "sophie-martin", "since": "2026-11-10",
         "until": "2026-11-25"},
        {"role": "coordinator", "intervenant": "karim-ouali", "since": "2026-11-25"},
    ]  # fmt: skip
    assert coordination(team, marcel)["coordinator"] == "karim-ouali"
    ok("check")


def test_set_defaults_to_today(team: Path, marcel: str, network: dict) -> None:
    ok("coordinator", "set", marcel, "karim-ouali")
    assert coordination(team, marcel)["history"][0]["since"] == "2026-11-28"


def test_a_handover_planned_ahead(team: Path, marcel: str, network: dict) -> None:
    """Case 3: the new coordinator takes over on a future date; until then the current
    one stays (the field names who coordinates today); check accepts it."""
    ok("coordinator", "set", marcel, "sophie-martin", "--date", "2026-11-10")
    ok("intervenant", "add", marcel, "--name", "Julie Peeters", "--since", "2026-12-15")
    result = ok("coordinator", "set", marcel, "julie-peeters", "--date", "2026-12-15")
    assert result.stderr == (
        f"julie-peeters will be the coordinator of {marcel} from 2026-12-15; "
        "sophie-martin stays until then.\n"
    )
    ok("intervenant", "end", marcel, "sophie-martin", "--date", "2026-12-15")
    assert coordination(team, marcel) == {
        "coordinator": "sophie-martin",
        "concertation_lead": None,
        "history": [
            {"role": "coordinator", "intervenant": "sophie-martin", "since": "2026-11-10",
             "until": "2026-12-15"},
            {"role": "coordinator", "intervenant": "julie-peeters", "since": "2026-12-15"},
        ],
    }  # fmt: skip
    assert "no problem" in ok("check").stdout
    shown = ok("person", "show", marcel).stdout
    assert "Joining later" in shown
    assert "Julie Peeters (julie-peeters)  from 2026-12-15 ◇ coordinator from 2026-12-15" in shown


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["p-nobody", "karim-ouali"], "unknown person 'p-nobody'"),
        (["{marcel}", "nobody"], "unknown intervenant 'nobody'"),
        (["{marcel}", "julie-peeters"], "'julie-peeters' is not in"),
        (["{marcel}", "karim-ouali", "--date", "2026-11-01"], "before 'karim-ouali' joined"),
        (["{marcel}", "karim-ouali", "--date", "2026-13-01"], "invalid --date"),
        (["{marcel}", "KARIM"], "invalid intervenant id"),
    ],
)
def test_set_refusals(team: Path, marcel: str, network: dict, args: list[str], match: str) -> None:
    write_intervenant(team, "julie-peeters", "Julie Peeters")
    refused(team, "coordinator", "set", *(a.format(marcel=marcel) for a in args), match=match)


def test_set_refuses_an_ended_membership(team: Path, marcel: str, network: dict) -> None:
    ok("intervenant", "end", marcel, "sophie-martin", "--date", "2026-11-27")
    refused(team, "coordinator", "set", marcel, "sophie-martin",
            match="ended on 2026-11-27")  # fmt: skip
    # Even back-dated to when she was a member: she is not a current member any more.
    refused(team, "coordinator", "set", marcel, "sophie-martin", "--date", "2026-11-20",
            match="only a current member")  # fmt: skip


def test_set_refuses_the_current_coordinator(team: Path, marcel: str, network: dict) -> None:
    ok("coordinator", "set", marcel, "karim-ouali")
    refused(team, "coordinator", "set", marcel, "karim-ouali", match="already the coordinator")


def test_set_refuses_a_date_before_the_current_designation(
    team: Path, marcel: str, network: dict
) -> None:
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    refused(team, "coordinator", "set", marcel, "anne-lambert", "--date", "2026-11-20",
            match="before 'karim-ouali' became coordinator")  # fmt: skip


def test_set_refuses_a_closed_person(team: Path, marcel: str, network: dict) -> None:
    ok("person", "close", marcel, "--reason", "moved")
    refused(team, "coordinator", "set", marcel, "karim-ouali", match="is closed")


@pytest.mark.parametrize(
    "args",
    [
        ["coordinator", "set", "{marcel}", "anne-lambert"],
        ["coordinator", "lead", "{marcel}", "anne-lambert"],
        ["coordinator", "unset", "{marcel}"],
        ["coordinator", "unset", "{marcel}", "--lead"],
        ["intervenant", "end", "{marcel}", "karim-ouali"],
        ["intervenant", "end", "{marcel}", "luc-janssens", "--date", "2026-11-28"],
        ["intervenant", "add", "{marcel}", "--name", "Julie Peeters"],
    ],
)
def test_a_closed_persons_network_and_coordination_are_history(
    team: Path, marcel: str, network: dict, args: list[str]
) -> None:
    """Every change to the network or the designations of a closed person is refused
    alike, even those that would only end something."""
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    ok("coordinator", "lead", marcel, "elise-marchal", "--date", "2026-11-25")
    ok("person", "close", marcel, "--reason", "moved to a nursing home")
    refused(team, *(a.format(marcel=marcel) for a in args),
            match=f"{marcel} is closed (since 2026-11-28); its network is history")  # fmt: skip


# -- unset -----------------------------------------------------------------------------


def test_unset_leaves_no_coordinator(team: Path, marcel: str, network: dict) -> None:
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    result = ok("coordinator", "unset", marcel, "--date", "2026-11-27",
                "--reason", "congé de longue durée")  # fmt: skip
    assert "has no coordinator now" in result.stderr
    assert coordination(team, marcel) == {
        "coordinator": None,
        "concertation_lead": None,
        "history": [
            {"role": "coordinator", "intervenant": "karim-ouali", "since": "2026-11-25",
             "until": "2026-11-27", "reason": "congé de longue durée"},
        ],
    }  # fmt: skip
    assert commits(team)[0] == f"{marcel}: end coordinator designation of karim-ouali"
    ok("check")


def test_unset_refusals(team: Path, marcel: str, network: dict) -> None:
    refused(team, "coordinator", "unset", marcel, match="has no coordinator")
    refused(team, "coordinator", "unset", "p-nobody", match="unknown person")
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    refused(team, "coordinator", "unset", marcel, "--date", "2026-11-24",
            match="before 'karim-ouali' became coordinator")  # fmt: skip
    refused(team, "coordinator", "unset", marcel, "--date", "yesterday", match="invalid --date")
    refused(team, "coordinator", "unset", marcel, "--lead", match="has no concertation lead")


# -- lead ------------------------------------------------------------------------------


def test_lead_designates_the_concertation_lead(team: Path, marcel: str, network: dict) -> None:
    result = ok("coordinator", "lead", marcel, "elise-marchal", "--date", "2026-11-15")
    assert "elise-marchal is now the concertation lead" in result.stderr
    assert coordination(team, marcel) == {
        "coordinator": None,
        "concertation_lead": "elise-marchal",
        "history": [
            {"role": "concertation_lead", "intervenant": "elise-marchal", "since": "2026-11-15"}
        ],
    }
    assert commits(team)[0] == f"{marcel}: designate elise-marchal as concertation lead"
    # The coordinator is designated independently of the lead.
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    assert coordination(team, marcel)["concertation_lead"] == "elise-marchal"
    ok("coordinator", "unset", marcel, "--lead", "--reason", "mission terminée")
    assert coordination(team, marcel)["concertation_lead"] is None
    assert coordination(team, marcel)["coordinator"] == "karim-ouali"
    assert commits(team)[0] == f"{marcel}: end concertation lead designation of elise-marchal"
    ok("check")


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["p-nobody", "elise-marchal"], "unknown person"),
        (["{marcel}", "nobody"], "unknown intervenant"),
        (["{marcel}", "thomas-renard"], "'thomas-renard' is not in"),
        (["{marcel}", "elise-marchal", "--date", "2026-11-14"], "before 'elise-marchal' joined"),
    ],
)
def test_lead_refusals(team: Path, marcel: str, network: dict, args: list[str], match: str) -> None:
    write_intervenant(team, "thomas-renard", "Thomas Renard")
    refused(team, "coordinator", "lead", *(a.format(marcel=marcel) for a in args), match=match)


def test_lead_refuses_an_ended_membership(team: Path, marcel: str, network: dict) -> None:
    ok("intervenant", "end", marcel, "elise-marchal", "--date", "2026-11-20")
    refused(team, "coordinator", "lead", marcel, "elise-marchal", match="ended on 2026-11-20")


# -- ending the membership of a coordinator or lead -----------------------------------------


def test_ending_the_coordinators_membership_ends_the_coordination(
    team: Path, marcel: str, network: dict
) -> None:
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    before = len(commits(team))
    result = ok("intervenant", "end", marcel, "karim-ouali", "--date", "2026-11-27",
                "--reason", "change de tournée")  # fmt: skip
    assert "was the coordinator" in result.stderr
    assert f"{marcel} has no coordinator now" in result.stderr
    doc = load(team, "person", marcel)
    assert doc["network"][1]["until"] == "2026-11-27"
    assert doc["network"][1]["reason"] == "change de tournée"
    assert doc["coordination"] == {
        "coordinator": None,
        "concertation_lead": None,
        "history": [
            {"role": "coordinator", "intervenant": "karim-ouali", "since": "2026-11-25",
             "until": "2026-11-27", "reason": "left the network"},
        ],
    }  # fmt: skip
    assert len(commits(team)) == before + 1
    assert commits(team)[0] == f"{marcel}: end membership of karim-ouali (and coordinator)"
    ok("check")


def test_ending_the_leads_membership_ends_the_lead(team: Path, marcel: str, network: dict) -> None:
    ok("coordinator", "lead", marcel, "elise-marchal", "--date", "2026-11-15")
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    result = ok("intervenant", "end", marcel, "elise-marchal")
    assert "was the concertation lead" in result.stderr
    assert "coordinator" not in result.stderr.replace("`reseau coordinator lead", "")
    c = coordination(team, marcel)
    assert c["concertation_lead"] is None and c["coordinator"] == "karim-ouali"
    assert c["history"][0]["until"] == "2026-11-28"
    assert commits(team)[0] == f"{marcel}: end membership of elise-marchal (and concertation lead)"


def test_ending_before_the_designation_started_is_refused(
    team: Path, marcel: str, network: dict
) -> None:
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    refused(team, "intervenant", "end", marcel, "karim-ouali", "--date", "2026-11-20",
            match="before 'karim-ouali' became coordinator")  # fmt: skip


# -- person show -------------------------------------------------------------------------


def test_person_show_groups_the_network_and_shows_coordination(
    team: Path, marcel: str, network: dict
) -> None:
    ok("coordinator", "lead", marcel, "elise-marchal", "--date", "2026-11-15")
    ok("coordinator", "set", marcel, "sophie-martin", "--date", "2026-11-20")
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25",
       "--note", "présence quotidienne")  # fmt: skip
    ok("intervenant", "end", marcel, "sophie-martin", "--date", "2026-11-27",
       "--reason", "retour à domicile")  # fmt: skip
    out = ok("person", "show", marcel).stdout
    assert "coordinator: Karim Ouali (karim-ouali)" in out
    assert "concertation lead: Élise Marchal (elise-marchal)" in out
    assert "2026-11-20 → 2026-11-25  coordinator: Sophie Martin (sophie-martin)" in out
    assert "2026-11-25 → now  coordinator: Karim Ouali (karim-ouali)  présence quotidienne" in out
    assert "2026-11-15 → now  concertation lead: Élise Marchal (elise-marchal)" in out
    # Groups in a fixed order, the coordinator first in its group.
    heads = [out.index(h) for h in ("Professionals", "Services", "Family and carers")]
    assert heads == sorted(heads)
    professionals = out[heads[0] : heads[1]]
    assert professionals.index("Karim Ouali") < professionals.index("Anne Lambert")
    assert "★ coordinator" in professionals and "◆ concertation lead" in professionals
    assert "Aide familiale Nord" in out[heads[1] : heads[2]]
    assert "Luc Janssens (luc-janssens), fils, aidant" in out[heads[2] :]
    past = out[out.index("Past members") :]
    assert "Sophie Martin (sophie-martin), assistante sociale de l'hôpital" in past
    assert "2026-11-05 → 2026-11-27  (retour à domicile)" in past
    assert "Cabinet médical du village · +32 81 23 45 67" in out


# -- reseau check: coordination rules -------------------------------------------------------


def check_finds(*expected: str) -> str:
    result = invoke("check")
    assert result.exit_code == 1, result.stdout + result.stderr
    for text in expected:
        assert text in result.stdout, result.stdout
    return result.stdout


def test_check_two_open_coordinator_designations(team: Path, marcel: str, network: dict) -> None:
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    edit_person(team, marcel, lambda d: d["coordination"]["history"].append(
        {"role": "coordinator", "intervenant": "anne-lambert", "since": "2026-11-26"}))  # fmt: skip
    check_finds("more than one open coordinator designation")


def test_check_a_coordinator_outside_the_network(team: Path, marcel: str, network: dict) -> None:
    write_intervenant(team, "julie-peeters", "Julie Peeters")

    def designate(doc: dict) -> None:
        doc["coordination"]["coordinator"] = "julie-peeters"
        doc["coordination"]["history"] = [
            {"role": "coordinator", "intervenant": "julie-peeters", "since": "2026-11-01"}
        ]

    edit_person(team, marcel, designate)
    check_finds("coordination.coordinator", "'julie-peeters' is not a current member")


def test_check_a_coordinator_whose_membership_ended(team: Path, marcel: str, network: dict) -> None:
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    edit_person(team, marcel, lambda d: d["network"][1].update(until="2026-11-26"))
    check_finds("'karim-ouali' is not a current member")


def test_check_an_unknown_coordinator_and_lead(team: Path, marcel: str, network: dict) -> None:
    def designate(doc: dict) -> None:
        doc["coordination"]["coordinator"] = "nobody"
        doc["coordination"]["concertation_lead"] = "no-lead"
        doc["coordination"]["history"] = [
            {"role": "coordinator", "intervenant": "nobody", "since": "2026-11-01"},
            {"role": "concertation_lead", "intervenant": "no-lead", "since": "2026-11-01"},
        ]

    edit_person(team, marcel, designate)
    check_finds(
        "coordination.coordinator): unknown intervenant 'nobody'",
        "coordination.concertation_lead): unknown intervenant 'no-lead'",
        "history[0].intervenant): unknown intervenant 'nobody'",
    )


def test_check_a_designation_ending_before_it_starts(
    team: Path, marcel: str, network: dict
) -> None:
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    ok("coordinator", "unset", marcel, "--date", "2026-11-26")
    edit_person(team, marcel, lambda d: d["coordination"]["history"][0].update(until="2026-11-24"))
    check_finds("history[0].until", "ends (2026-11-24) before it starts (2026-11-25)")


def test_check_the_coordinator_field_against_the_history(
    team: Path, marcel: str, network: dict
) -> None:
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    edit_person(team, marcel, lambda d: d["coordination"].update(coordinator="anne-lambert"))
    check_finds(
        "($.coordination.coordinator): 'anne-lambert' holds no coordinator designation in "
        "the history (on 2026-11-28 the coordinator is 'karim-ouali')"
    )


def test_check_a_coordinator_field_naming_a_designation_still_to_come(
    team: Path, marcel: str, network: dict
) -> None:
    """What the field said before handovers planned ahead were read by date."""
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    ok("coordinator", "set", marcel, "anne-lambert", "--date", "2027-01-04")
    edit_person(team, marcel, lambda d: d["coordination"].update(coordinator="anne-lambert"))
    check_finds(
        "'anne-lambert' is designated coordinator from 2027-01-04 only; on 2026-11-28 the "
        "coordinator is 'karim-ouali'"
    )


def test_check_overlapping_designations(team: Path, marcel: str, network: dict) -> None:
    ok("coordinator", "set", marcel, "sophie-martin", "--date", "2026-11-10")
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-11-25")
    edit_person(team, marcel, lambda d: d["coordination"]["history"][0].update(until="2026-11-26"))
    check_finds(
        "history[1].since): overlaps the coordinator designation of 'sophie-martin' "
        "(2026-11-10 → 2026-11-26)"
    )


def test_check_accepts_a_field_left_behind_by_a_handover_that_took_effect(
    team: Path, marcel: str, network: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The field names who coordinated when the file was last written: once the date of
    a handover planned ahead has come, it lags behind the history until the next
    change, and everything reads the history by date."""
    ok("coordinator", "set", marcel, "sophie-martin", "--date", "2026-11-10")
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-12-15")
    ok("coordinator", "unset", marcel, "--date", "2027-01-31", "--reason", "fin de mission")
    assert coordination(team, marcel)["coordinator"] == "sophie-martin"
    monkeypatch.setenv("RESEAU_TODAY", "2026-12-20")
    assert "no problem" in ok("check").stdout
    [row] = json.loads(ok("person", "list", "--json").stdout)
    assert row["coordinator"] == "karim-ouali"
    monkeypatch.setenv("RESEAU_TODAY", "2027-02-01")
    assert "no problem" in ok("check").stdout
    [row] = json.loads(ok("person", "list", "--json").stdout)
    assert row["coordinator"] is None
    alerts = json.loads(ok("status", "--json").stdout)
    assert {
        "kind": "no-coordinator",
        "date": "2027-01-31",
        "message": "no coordinator since 2027-01-31",
    }.items() <= alerts[0].items()
    # The next change to the file brings the field up to date.
    ok("plan", "objective", "add", marcel, "Rester vivre chez moi")
    assert coordination(team, marcel)["coordinator"] is None


def test_check_two_open_lead_designations(team: Path, marcel: str, network: dict) -> None:
    ok("coordinator", "lead", marcel, "elise-marchal", "--date", "2026-11-15")
    edit_person(team, marcel, lambda d: d["coordination"]["history"].append(
        {"role": "concertation_lead", "intervenant": "anne-lambert", "since": "2026-11-16"}))  # fmt: skip
    check_finds("more than one open concertation lead designation")


def test_check_accepts_a_coordinator_given_by_hand_without_history(
    team: Path, marcel: str, network: dict
) -> None:
    edit_person(team, marcel, lambda d: d["coordination"].update(coordinator="karim-ouali"))
    assert "no problem" in ok("check").stdout
