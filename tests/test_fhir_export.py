"""`reseau export fhir`: every example person as a FHIR R4 Bundle that validates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fhir.resources.bundle import Bundle

from conftest import AUTHOR, ok, refused
from example_repo import EXAMPLE, example_team

PERSONS = sorted(p.stem for p in (EXAMPLE / "persons").glob("*.yaml"))
FUNCTION = "http://reseau.invalid/fhir/CodeSystem/function"


@pytest.fixture
def examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return example_team(tmp_path / "team", monkeypatch)


def _resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_every_example_person_exports_a_valid_r4_bundle(examples: Path) -> None:
    for person in PERSONS:
        text = ok("export", "fhir", person).stdout
        bundle = json.loads(text)
        Bundle.parse_obj(bundle)  # the fhir.resources R4 model: raises when invalid
        doc = yaml.safe_load((examples / "persons" / f"{person}.yaml").read_text())
        (patient,) = _resources(bundle, "Patient")
        assert patient["id"] == person
        assert patient["name"][0]["family"] == doc["identity"]["family_name"]
        plan = doc.get("plan", {})
        goals = _resources(bundle, "Goal")
        assert sorted(g["id"] for g in goals) == sorted(o["id"] for o in plan.get("objectives", []))
        (care_plan,) = _resources(bundle, "CarePlan")
        activities = care_plan.get("activity", [])
        assert [a["id"] for a in activities] == [a["id"] for a in plan.get("actions", [])]
        for activity, action in zip(activities, plan.get("actions", []), strict=True):
            if action.get("objective"):
                assert activity["detail"]["goal"] == [{"reference": f"Goal/{action['objective']}"}]
        encounters = _resources(bundle, "Encounter")
        assert [e["id"] for e in encounters] == [c["id"] for c in doc.get("concertations", [])]
        (care_team,) = _resources(bundle, "CareTeam")
        coordinator = doc.get("coordination", {}).get("coordinator")
        if coordinator:
            designated = [
                p["member"]["reference"].split("/")[1]
                for p in care_team["participant"]
                if p.get("role", [{}])[0].get("coding", [{}])[0].get("code") == "coordinator"
            ]
            assert coordinator in designated
        assert _resources(bundle, "Provenance"), person
        assert len(_resources(bundle, "Consent")) == (1 if "consent" in doc else 0)


def test_the_network_roles_periods_and_functions(examples: Path) -> None:
    bundle = json.loads(ok("export", "fhir", "p-1n3sb0").stdout)
    (care_team,) = _resources(bundle, "CareTeam")
    by_member = {}
    for participant in care_team["participant"]:
        coding = participant["role"][0].get("coding", [{}])[0]
        key = (participant["member"]["reference"], coding.get("code"))
        by_member[key] = participant
    cohen = by_member[("Practitioner/yasmine-cohen", None)]
    assert cohen["role"] == [{"text": "psychiatre"}]
    assert cohen["period"] == {"start": "2026-08-20"}
    coordinator = by_member[("Practitioner/maxime-dubois", "coordinator")]
    assert coordinator["role"][0]["coding"][0]["system"] == FUNCTION
    assert coordinator["period"] == {"start": "2026-08-25"}
    lead = by_member[("Practitioner/thomas-renard", "concertation-lead")]
    assert lead["period"]["start"] == "2026-08-10"
    (goal,) = [g for g in _resources(bundle, "Goal") if g["id"] == "o-r3v3"]
    assert goal["lifecycleStatus"] == "completed"
    assert goal["achievementStatus"]["coding"][0]["code"] == "achieved"
    (encounter,) = [e for e in _resources(bundle, "Encounter") if e["id"] == "c-1n02"]
    assert encounter["status"] == "finished"
    assert encounter["period"]["start"] == "2026-11-18T10:30:00+01:00"  # Brussels, winter


def test_provenance_follows_the_file_history(examples: Path) -> None:
    ok("plan", "objective", "add", "p-a2b7kq", "Voir ses petits-enfants")
    bundle = json.loads(ok("export", "fhir", "p-a2b7kq").stdout)
    provenance = _resources(bundle, "Provenance")
    assert [p["activity"]["coding"][0]["code"] for p in provenance] == ["CREATE", "UPDATE"]
    last = provenance[-1]
    assert last["agent"][0]["who"]["display"] == AUTHOR[0]
    assert last["entity"][0]["what"]["display"].startswith("p-a2b7kq: add objective o-")
    assert last["target"][0] == {"reference": "Patient/p-a2b7kq"}


def test_output_file_and_pseudonymised_export(examples: Path, tmp_path: Path) -> None:
    out = tmp_path / "ines.json"
    result = ok("export", "fhir", "p-1n3sb0", "-o", str(out))
    assert result.stdout == ""
    assert "FHIR R4 Bundle" in result.stderr
    Bundle.parse_file(out)
    result = ok("export", "fhir", "p-1n3sb0", "--pseudonymise")
    text = result.stdout
    for secret in ("Boukhari", "Inès", "p-1n3sb0", "2002-04-17", "amie", "Brasseurs"):
        assert secret not in text, secret
    bundle = json.loads(text)
    Bundle.parse_obj(bundle)
    assert bundle["meta"]["security"][0]["code"] == "PSEUDED"
    (patient,) = _resources(bundle, "Patient")
    assert patient["birthDate"] == "2002"
    assert "name" not in patient
    assert patient["id"] in result.stderr


def test_refusals(examples: Path) -> None:
    refused(examples, "export", "fhir", "p-nobody", match="p-nobody")
    refused(
        examples,
        "export",
        "fhir",
        "p-1n3sb0",
        "-o",
        str(examples / "persons" / "p-1n3sb0.yaml"),
        match="data repository",
    )
