"""Funding schemes through the CLI: plan and record under a scheme, `concertation check`
before and after the meeting, `concertation schemes`, `set-scheme` after the meeting,
and `status` flagging a concertation that misses its scheme."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import commits, git, invoke, ok, refused

SCHEME = """\
format: 1
id: soins-domicile
name: Concertation soins à domicile
source: Convention régionale du 12 mars 2026, article 4
checked: '2026-11-20'
present: {min: 3}
groups:
  - {id: soins, label: care providers, min: 3, professions: [médecin généraliste, infirmi*, kinésithérapeute]}
person: {present: person-or-representative, agreed: true}
paid: {max: 4, group: soins}
frequency: {max: 1, months: 12}
documents: [report]
"""


@pytest.fixture
def network(team: Path, marcel: str) -> str:
    path = team / "schemes" / "soins-domicile.yaml"
    path.parent.mkdir()
    path.write_text(SCHEME, encoding="utf-8")
    git(team, "add", "schemes")
    git(team, "commit", "-qm", "schemes: soins-domicile")
    for name, profession in (
        ("Anne Lambert", "Médecin Généraliste"),
        ("Karim Ouali", "Infirmière à domicile"),
        ("Julie Peeters", "kinésithérapeute"),
        ("Nadia Benali", "assistante sociale"),
    ):
        ok(
            "intervenant",
            "add",
            marcel,
            "--name",
            name,
            "--profession",
            profession,
            "--since",
            "2026-09-01",
        )
    ok("intervenant", "add", marcel, "--name", "Sam Sans", "--since", "2026-09-01")
    return marcel


def plan(person: str, *extra: str) -> str:
    return ok("concertation", "plan", person, "--date", "2026-12-10", *extra).stdout.strip()


def test_before_the_meeting_check_says_what_is_missing(network: str) -> None:
    planned = invoke(
        "concertation",
        "plan",
        network,
        "--date",
        "2026-12-10",
        "--scheme",
        "soins-domicile",
        "--invite",
        "anne-lambert",
        "--invite",
        "karim-ouali",
        "--invite",
        "nadia-benali",
    )
    assert planned.exit_code == 0, planned.stderr
    ident = planned.stdout.strip()
    assert (
        "warning: " + ident + " under soins-domicile: needs 3 care providers present: 2 invited"
        in planned.stderr
    )
    result = invoke("concertation", "check", network, ident)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{ident}, planned on 2026-12-10, under soins-domicile (Concertation soins à domicile):",
        "  not met: needs 3 care providers present: 2 invited",
        "  not met: needs the person's agreement to the participants: not recorded "
        "(--person-agreed on `concertation plan` or `record`)",
    ]
    data = json.loads(invoke("concertation", "check", network, ident, "--json").stdout)
    assert data["met"] is False and data["scheme"] == "soins-domicile"
    assert [c["kind"] for c in data["conditions"]] == ["group-min", "person-agreed"]
    # fixing the invitation and recording the agreement meets what can be checked before
    ok("concertation", "set-scheme", network, ident, "--person-agreed")
    assert "person-agreed" not in invoke("concertation", "check", network, ident, "--json").stdout
    # a second one on the same day would exceed the frequency: the first is cancelled
    ok("concertation", "cancel", network, ident, "--reason", "replanned with a physiotherapist")
    good = plan(
        network,
        "--scheme",
        "soins-domicile",
        "--person-agreed",
        "--invite",
        "anne-lambert",
        "--invite",
        "karim-ouali",
        "--invite",
        "julie-peeters",
    )
    result = ok("concertation", "check", network, good)
    assert "every condition that can be checked before the meeting is met" in result.stdout


def test_after_the_meeting_check_flags_the_unmet_condition(
    network: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ident = plan(
        network,
        "--scheme",
        "soins-domicile",
        "--person-agreed",
        "--invite",
        "anne-lambert",
        "--invite",
        "karim-ouali",
        "--invite",
        "julie-peeters",
        "--invite",
        "sam-sans",
    )
    monkeypatch.setenv("RESEAU_TODAY", "2026-12-10")
    recorded = invoke(
        "concertation",
        "record",
        network,
        ident,
        "--participant",
        "anne-lambert",
        "--participant",
        "karim-ouali",
        "--participant",
        "sam-sans",
        "--absent",
        "julie-peeters",
        "--person-absent",
        "--representative-present",
        "--summary",
        "Retour à domicile organisé.",
    )
    assert recorded.exit_code == 0, recorded.stderr
    assert (
        f"warning: {ident} under soins-domicile: needs 3 care providers present: 2 were present"
        in recorded.stderr
    )
    result = invoke("concertation", "check", network, ident)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1:] == [
        "  note: sam-sans has no profession in the directory: counts for no profession "
        "(`reseau intervenant update sam-sans --profession P`)",
        "  not met: needs 3 care providers present: 2 were present",
    ]
    status = json.loads(ok("status", "--json").stdout)
    flagged = [a for a in status if a["kind"] == "scheme-unmet"]
    assert flagged == [
        {
            "person": network,
            "kind": "scheme-unmet",
            "ref": ident,
            "date": "2026-12-10",
            "message": f"{ident} under soins-domicile: needs 3 care providers present: 2 were present",
        }
    ]


def test_a_scheme_given_after_the_meeting_is_checked_then(
    network: str, team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RESEAU_TODAY", "2026-12-10")
    first = ok(
        "concertation",
        "record",
        network,
        "--date",
        "2026-09-15",
        "--participant",
        "anne-lambert",
        "--participant",
        "karim-ouali",
        "--participant",
        "julie-peeters",
        "--person-present",
        "--person-agreed",
        "--summary",
        "Bilan.",
        "--scheme",
        "soins-domicile",
    ).stdout.strip()
    ok("concertation", "check", network, first)
    second = ok(
        "concertation",
        "record",
        network,
        "--date",
        "2026-12-09",
        "--participant",
        "anne-lambert",
        "--participant",
        "karim-ouali",
        "--participant",
        "julie-peeters",
        "--person-present",
        "--person-agreed",
        "--summary",
        "Bilan.",
    ).stdout.strip()
    refused(team, "concertation", "check", network, second, match="under no funding scheme")
    result = invoke("concertation", "set-scheme", network, second, "soins-domicile")
    assert result.exit_code == 0, result.stderr
    assert commits(team)[0] == f"{network}: scheme of concertation {second}"
    assert (
        f"under soins-domicile: already 1 concertation under this scheme for this person in the 12 "
        f"months before 2026-12-09, on 2026-09-15 ({first})"
    ) in result.stderr
    assert invoke("concertation", "check", network, second).exit_code == 1
    ok("concertation", "set-scheme", network, second, "--none")
    refused(team, "concertation", "check", network, second, match="under no funding scheme")


def test_unknown_or_invalid_schemes_are_refused(network: str, team: Path) -> None:
    refused(
        team,
        "concertation",
        "plan",
        network,
        "--date",
        "2026-12-10",
        "--scheme",
        "nope",
        match="unknown scheme 'nope'",
    )
    (team / "schemes" / "broken.yaml").write_text(
        SCHEME.replace("soins-domicile", "broken").replace("min: 3}", "min: 3, max: 2}"),
        encoding="utf-8",
    )
    git(team, "add", "schemes")
    git(team, "commit", "-qm", "schemes: broken")
    refused(
        team,
        "concertation",
        "plan",
        network,
        "--date",
        "2026-12-10",
        "--scheme",
        "broken",
        match="schemes/broken.yaml",
    )
    listed = invoke("concertation", "schemes")
    assert listed.exit_code == 0
    assert "soins-domicile" in listed.stdout and "be-inami-sisd" in listed.stdout
    assert "broken" not in listed.stdout
    assert (
        "warning: left out: schemes/broken.yaml: line 6 ($.present): min 3 is more than max 2"
        in listed.stderr
    )
    rows = json.loads(ok("concertation", "schemes", "--json").stdout)
    origin = {r["id"]: (r["origin"], r["example"]) for r in rows}
    assert origin["soins-domicile"] == ("schemes/soins-domicile.yaml", False)
    assert origin["be-inami-sisd"] == ("built-in", True)


def test_check_reports_a_concertation_naming_an_unknown_scheme(network: str, team: Path) -> None:
    ident = plan(network, "--scheme", "soins-domicile")
    path = team / "persons" / f"{network}.yaml"
    path.write_text(path.read_text().replace("scheme: soins-domicile", "scheme: disparu"))
    result = invoke("check")
    assert result.exit_code == 1
    assert "unknown scheme 'disparu'" in result.stdout
    assert ident


def test_alerts_made_by_worker_processes_are_the_same(
    network: str, team: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A cold `status` over many files makes the alerts where each file is read (worker
    processes), except those that need the funding schemes, made by the command itself:
    the answer is the bytes one process makes."""
    import os

    from reseau_cli import cache, index
    from reseau_cli.operations import status as operations

    plan(network, "--scheme", "soins-domicile", "--invite", "anne-lambert")
    for n in range(3):
        ok("person", "add", "--family-name", f"Autre{n}", "--given-name", "Léa")

    def cold() -> str:
        for path in (team / ".git").glob(index.FILE + "*"):
            path.unlink()
        return str(ok("status", "--json").stdout)

    expected = cold()  # one process: too few files to spread
    assert "anne-lambert" in expected or network in expected
    log = tmp_path / "made"
    real = operations.person_alerts

    def logged(doc: dict[str, object], **kwargs: object) -> object:
        with log.open("a") as stream:
            stream.write(f"{os.getpid()} {doc['id']} {'schemes' in kwargs}\n")
        return real(doc, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(operations, "person_alerts", logged)
    monkeypatch.setattr(cache, "_PARALLEL_FROM", 1)
    monkeypatch.setattr(cache, "_PARALLEL_BYTES", 0)
    monkeypatch.setattr(operations, "MANY", 0)
    assert cold() == expected
    made = [line.split() for line in log.read_text().splitlines()]
    parent = str(os.getpid())
    assert {pid for pid, _ident, _schemes in made} - {parent}  # made in a worker
    under = [(pid, ident) for pid, ident, schemes in made if schemes == "True"]
    assert under == [(parent, network)]  # the funding schemes: by the command
