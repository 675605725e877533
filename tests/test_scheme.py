"""Funding schemes: the pure rule engine (each condition kind), the frequency rule across
a year boundary, contradictory and invalid schemes, and where schemes are read from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from conftest import git, invoke, ok
from reseau_cli import funding
from reseau_cli.model.scheme import blocking, contradictions, matches, unmet, window_start

DIRECTORY: dict[str, dict[str, Any]] = {
    "anne-lambert": {"kind": "professional", "profession": "Médecin généraliste"},
    "karim-ouali": {"kind": "professional", "profession": "infirmier à domicile"},
    "julie-peeters": {"kind": "professional", "profession": "KINESITHERAPEUTE"},
    "nadia-benali": {"kind": "professional", "profession": "assistante sociale"},
    "luc-janssens": {"kind": "carer", "profession": "fils"},
    "sans-metier": {"kind": "professional"},
    "aide-nord": {"kind": "service"},
}
PERSON: dict[str, Any] = {"id": "p-7k3q9x", "plan": {"objectives": [{"id": "o-1"}]}}


def scheme(**conditions: Any) -> dict[str, Any]:
    return {"id": "test", "name": "Test", "source": "tests", **conditions}


CARE = {
    "id": "care",
    "label": "care providers",
    "min": 3,
    "professions": ["médecin généraliste", "infirmi*", "kinésithérapeute"],
}


def planned(*invited: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": "c-next",
        "status": "planned",
        "kind": "concertation",
        "date": "2027-01-15",
        "invited": list(invited),
        "scheme": "test",
        **extra,
    }


def held(*present: str, absent: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    participants = [{"intervenant": w, "present": True} for w in present]
    participants += [{"intervenant": w, "present": False} for w in absent]
    return {
        "id": "c-held",
        "status": "held",
        "kind": "concertation",
        "date": "2027-01-15",
        "participants": participants,
        "scheme": "test",
        **extra,
    }


def kinds(conditions: list[Any]) -> list[str]:
    return [c.kind for c in conditions]


def test_min_participants_before_and_after_the_meeting() -> None:
    rules = scheme(present={"min": 3})
    found = unmet(rules, planned("anne-lambert", "karim-ouali"), PERSON, [], DIRECTORY)
    assert [c.message for c in found] == ["needs 3 participants present: 2 invited"]
    # the organiser takes part too
    assert (
        unmet(
            rules,
            planned("anne-lambert", "karim-ouali", organiser="nadia-benali"),
            PERSON,
            [],
            DIRECTORY,
        )
        == []
    )
    after = held("anne-lambert", "karim-ouali", absent=("nadia-benali",))
    assert [c.message for c in unmet(rules, after, PERSON, [], DIRECTORY)] == [
        "needs 3 participants present: 2 were present"
    ]
    assert unmet(rules, {**after, "status": "cancelled"}, PERSON, [], DIRECTORY) == []


def test_max_participants() -> None:
    found = unmet(
        scheme(present={"max": 2}),
        planned("anne-lambert", "karim-ouali", "nadia-benali"),
        PERSON,
        [],
        DIRECTORY,
    )
    assert [(c.kind, c.message) for c in found] == [
        ("present-max", "at most 2 participants: 3 invited")
    ]


def test_professions_are_matched_case_and_accent_insensitively() -> None:
    rules = scheme(groups=[CARE])
    assert (
        unmet(rules, planned("anne-lambert", "karim-ouali", "julie-peeters"), PERSON, [], DIRECTORY)
        == []
    )
    found = unmet(
        rules, planned("anne-lambert", "karim-ouali", "nadia-benali"), PERSON, [], DIRECTORY
    )
    assert [c.message for c in found] == ["needs 3 care providers present: 2 invited"]
    assert found[0].ref == "care" and (found[0].need, found[0].have) == (3, 2)
    assert matches({"professions": ["Medecin  Generaliste"]}, DIRECTORY["anne-lambert"])
    assert matches({"professions": ["INFIRMI*"]}, {"profession": "Infirmière à domicile"})
    assert not matches({"professions": ["infirmier"]}, {"profession": "infirmier à domicile"})


def test_kinds_and_group_maximum() -> None:
    rules = scheme(
        groups=[
            {
                "id": "pro",
                "label": "professionals",
                "min": 1,
                "max": 2,
                "kinds": ["professional", "service"],
            }
        ]
    )
    found = unmet(
        rules,
        held("anne-lambert", "karim-ouali", "aide-nord", "luc-janssens"),
        PERSON,
        [],
        DIRECTORY,
    )
    assert [(c.kind, c.message) for c in found] == [
        ("group-max", "at most 2 professionals: 3 were present")
    ]
    assert kinds(unmet(rules, held("luc-janssens"), PERSON, [], DIRECTORY)) == ["group-min"]


def test_an_intervenant_without_profession_counts_for_nothing_and_is_reported() -> None:
    rules = scheme(groups=[{**CARE, "min": 2}])
    found = unmet(rules, held("anne-lambert", "sans-metier", "ghost"), PERSON, [], DIRECTORY)
    assert kinds(found) == ["no-profession", "no-profession", "group-min"]
    assert "sans-metier has no profession in the directory" in found[0].message
    assert "ghost is not in the directory" in found[1].message
    assert not found[0].blocking and not found[1].blocking
    assert found[2].message == "needs 2 care providers present: 1 was present"
    assert kinds(blocking(found)) == ["group-min"]


def test_the_person_present_or_their_representative() -> None:
    alone = scheme(person={"present": "person"})
    either = scheme(person={"present": "person-or-representative"})
    # before the meeting, presence is not known yet
    assert unmet(alone, planned("anne-lambert"), PERSON, [], DIRECTORY) == []
    assert [
        c.message
        for c in unmet(alone, held("anne-lambert", person_present=False), PERSON, [], DIRECTORY)
    ] == ["needs the person present: recorded absent"]
    assert [c.message for c in unmet(either, held("anne-lambert"), PERSON, [], DIRECTORY)] == [
        "needs the person or their representative present: not recorded"
    ]
    represented = held("anne-lambert", person_present=False, representative_present=True)
    assert unmet(either, represented, PERSON, [], DIRECTORY) == []
    assert kinds(unmet(alone, represented, PERSON, [], DIRECTORY)) == ["person-present"]
    assert unmet(alone, held("anne-lambert", person_present=True), PERSON, [], DIRECTORY) == []


def test_the_person_agreed_to_the_participants() -> None:
    rules = scheme(person={"agreed": True})
    found = unmet(rules, planned("anne-lambert"), PERSON, [], DIRECTORY)
    assert kinds(found) == ["person-agreed"] and "agreement to the participants" in found[0].message
    assert unmet(rules, planned("anne-lambert", person_agreed=True), PERSON, [], DIRECTORY) == []


def test_max_paid_participants_is_a_note() -> None:
    rules = scheme(groups=[{**CARE, "min": 1}], paid={"max": 2, "group": "care"})
    found = unmet(
        rules,
        held("anne-lambert", "karim-ouali", "julie-peeters", "nadia-benali"),
        PERSON,
        [],
        DIRECTORY,
    )
    assert kinds(found) == ["paid-max"]
    assert found[0].message == (
        "3 care providers present: the scheme pays at most 2; choose whom to claim for"
    )
    assert not found[0].blocking
    everyone = scheme(paid={"max": 1})
    assert kinds(
        unmet(everyone, planned("anne-lambert", "nadia-benali"), PERSON, [], DIRECTORY)
    ) == ["paid-max"]


def earlier(ident: str, date: str, status: str = "held", scheme_id: str = "test") -> dict[str, Any]:
    return {
        "id": ident,
        "status": status,
        "kind": "concertation",
        "date": date,
        "scheme": scheme_id,
    }


def test_frequency_in_a_sliding_window_across_a_year_boundary() -> None:
    rules = scheme(frequency={"max": 1, "months": 12})
    this = planned("anne-lambert")  # 2027-01-15
    history = [earlier("c-dec", "2026-12-10"), this]
    found = unmet(rules, this, PERSON, history, DIRECTORY)
    assert [c.message for c in found] == [
        "already 1 concertation under this scheme for this person in the 12 months before "
        "2027-01-15, on 2026-12-10 (c-dec)"
    ]
    assert found[0].ref == "c-dec"
    # 16 January 2026 is inside the window, the 15th is not
    assert kinds(unmet(rules, this, PERSON, [earlier("c-old", "2026-01-16")], DIRECTORY)) == [
        "frequency"
    ]
    assert unmet(rules, this, PERSON, [earlier("c-old", "2026-01-15")], DIRECTORY) == []
    # cancelled meetings, other schemes and later meetings do not count
    others = [
        earlier("c-x", "2026-12-10", status="cancelled"),
        earlier("c-y", "2026-12-11", scheme_id="other"),
        earlier("c-z", "2027-02-01", status="planned"),
    ]
    assert unmet(rules, this, PERSON, others, DIRECTORY) == []
    assert window_start(dt.date(2027, 1, 15), {"months": 12}) == dt.date(2026, 1, 16)
    assert window_start(dt.date(2027, 3, 31), {"months": 1}) == dt.date(2027, 3, 1)


def test_frequency_per_calendar_year_across_a_year_boundary() -> None:
    rules = scheme(frequency={"max": 1, "per": "calendar-year"})
    this = held("anne-lambert")  # 2027-01-15
    # December 2026 is another calendar year: this one counts
    assert unmet(rules, this, PERSON, [earlier("c-dec", "2026-12-10")], DIRECTORY) == []
    found = unmet(rules, this, PERSON, [earlier("c-jan", "2027-01-02")], DIRECTORY)
    assert [c.message for c in found] == [
        "already 1 concertation under this scheme for this person in 2027, on 2027-01-02 (c-jan)"
    ]
    three = scheme(frequency={"max": 3, "per": "calendar-year"})
    history = [earlier(f"c-{n}", f"2027-01-0{n}") for n in (1, 2)]
    assert unmet(three, this, PERSON, history, DIRECTORY) == []
    history.append(earlier("c-3", "2027-01-03"))
    assert kinds(unmet(three, this, PERSON, history, DIRECTORY)) == ["frequency"]


def test_the_first_of_two_meetings_on_one_day_is_the_one_that_counts() -> None:
    rules = scheme(frequency={"max": 1, "months": 12})
    a, b = earlier("c-aaa", "2027-01-15", "planned"), earlier("c-bbb", "2027-01-15", "planned")
    assert unmet(rules, a, PERSON, [a, b], DIRECTORY) == []
    assert kinds(unmet(rules, b, PERSON, [a, b], DIRECTORY)) == ["frequency"]


def test_required_documents_once_held() -> None:
    rules = scheme(documents=["report", "decisions", "actions", "attendance", "plan"])
    assert unmet(rules, planned("anne-lambert"), PERSON, [], DIRECTORY) == []
    bare = {**held(), "participants": []}
    found = unmet(rules, bare, {"id": "p-x"}, [], DIRECTORY)
    assert [c.ref for c in found] == ["report", "decisions", "actions", "attendance", "plan"]
    assert found[0].message == "needs a written report (the summary): none recorded"
    full = held("anne-lambert", summary="Retour à domicile", decisions=["ok"], actions=["a-1"])
    assert unmet(rules, full, PERSON, [], DIRECTORY) == []


def test_contradictions() -> None:
    assert contradictions(scheme(present={"min": 1, "max": 4}, groups=[CARE])) == []
    found = contradictions(
        scheme(
            present={"min": 5, "max": 2},
            groups=[{**CARE, "max": 2}, {**CARE, "min": 1}],
            paid={"max": 4, "group": "nobody"},
        )
    )
    assert found == [
        ("$.present", "min 5 is more than max 2"),
        ("$.groups[0]", "min 3 is more than max 2"),
        ("$.groups[0]", "min 3 is more than the 2 participants allowed"),
        ("$.groups[1].id", "group 'care' is defined twice"),
        ("$.paid.group", "no group 'nobody' in this scheme"),
    ]


def test_the_shipped_examples_are_valid_and_say_where_they_come_from() -> None:
    shipped = dict(funding.built_in())
    assert {"be-inami-sisd", "be-sisd-psy", "be-psy-premiere-ligne", "fr-dac-rapport"} <= set(
        shipped
    )
    for ident, doc in shipped.items():
        assert doc["example"] is True, ident
        assert "http" in doc["source"] and doc["checked"] and doc["uncertain"], ident


# -- where schemes are read from, and `reseau check` -------------------------------------

SCHEME_FILE = """\
format: 1
id: mon-reseau
name: Concertation du réseau
source: Convention avec la région, 2026
present: {min: 3}
groups:
  - {id: soins, label: care providers, min: 2, professions: [médecin*, infirmi*]}
"""


def commit(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    git(root, "add", rel)
    git(root, "commit", "-qm", f"{rel}: add")


def test_team_schemes_from_files_and_settings(team: Path) -> None:
    commit(team, "schemes/mon-reseau.yaml", SCHEME_FILE)
    settings = (team / "reseau.yaml").read_text()
    commit(
        team,
        "reseau.yaml",
        settings
        + "schemes:\n  - {id: cpas, name: CPAS, source: 'Convention 2026', present: {min: 2}}\n",
    )
    ok("check")
    from reseau_cli.repo import Repository

    loaded = funding.load(Repository.open(team))
    assert loaded.problems == []
    assert loaded.origins["mon-reseau"] == "schemes/mon-reseau.yaml"
    assert loaded.origins["cpas"] == "reseau.yaml"
    assert loaded.origins["be-inami-sisd"] == "built-in"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            SCHEME_FILE.replace("min: 2,", "min: deux,"),
            "schemes/mon-reseau.yaml: line 7 ($.groups[0].min)",
        ),
        (
            SCHEME_FILE.replace("present: {min: 3}", "present: {min: 3, max: 1}"),
            "schemes/mon-reseau.yaml: line 5 ($.present): min 3 is more than max 1",
        ),
        (
            SCHEME_FILE.replace("id: mon-reseau", "id: autre"),
            "schemes/mon-reseau.yaml: $.id: id 'autre' differs from file name",
        ),
    ],
)
def test_check_reports_an_invalid_scheme_file(team: Path, text: str, where: str) -> None:
    commit(team, "schemes/mon-reseau.yaml", text)
    result = invoke("check")
    assert result.exit_code == 1
    assert where in result.stdout + result.stderr


def test_check_reports_a_contradictory_scheme_in_settings(team: Path) -> None:
    settings = (team / "reseau.yaml").read_text()
    commit(
        team,
        "reseau.yaml",
        settings
        + "schemes:\n  - id: cpas\n    name: CPAS\n    source: x\n    present: {min: 4, max: 2}\n",
    )
    result = invoke("check")
    assert result.exit_code == 1
    assert (
        f"reseau.yaml: line {len(settings.splitlines()) + 5} ($.schemes[0].present): "
        "min 4 is more than max 2" in result.stdout + result.stderr
    )
