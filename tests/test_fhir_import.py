"""`reseau import fhir`: a Bundle back into a person's file, round trips, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import AUTHOR, commits, ok, refused
from example_repo import EXAMPLE, example_team

PERSONS = sorted(p.stem for p in (EXAMPLE / "persons").glob("*.yaml"))


@pytest.fixture(scope="module")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every example person exported once for the module, to bundles/<id>.json."""
    base = tmp_path_factory.mktemp("fhir")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("GIT_AUTHOR_NAME", AUTHOR[0])
        monkeypatch.setenv("GIT_AUTHOR_EMAIL", AUTHOR[1])
        monkeypatch.setenv("GIT_COMMITTER_NAME", AUTHOR[0])
        monkeypatch.setenv("GIT_COMMITTER_EMAIL", AUTHOR[1])
        example_team(base / "examples", monkeypatch)
        for person in PERSONS:
            ok("export", "fhir", person, "-o", str(base / "bundles" / f"{person}.json"))
    return base / "bundles"


@pytest.fixture
def exported(bundles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example team in tmp_path/examples (current), and its persons' Bundles."""
    example_team(tmp_path / "examples", monkeypatch)
    return bundles


@pytest.fixture
def other(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "other"
    ok("init", str(root), "--team", "Équipe Sud")
    monkeypatch.setenv("RESEAU_REPO", str(root))
    return root


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_round_trip_of_every_example_person(exported: Path, other: Path) -> None:
    for person in PERSONS:
        result = ok("import", "fhir", str(exported / f"{person}.json"))
        assert result.stdout.strip() == person
        assert _yaml(other / "persons" / f"{person}.yaml") == _yaml(
            EXAMPLE / "persons" / f"{person}.yaml"
        )
        assert commits(other)[0].startswith(f"{person}: import from FHIR")
        assert "Provenance" in result.stderr  # the history is listed as not imported
    for entry in (other / "intervenants").glob("*.yaml"):
        assert _yaml(entry) == _yaml(EXAMPLE / "intervenants" / entry.name)
    ok("check")
    assert len(commits(other)) == 1 + len(PERSONS)  # init, then one commit per import


def test_a_taken_id_gets_a_new_one_and_the_directory_is_reused(
    exported: Path, tmp_path: Path
) -> None:
    root = tmp_path / "examples"
    before = sorted(p.name for p in (root / "intervenants").iterdir())
    result = ok("import", "fhir", str(exported / "p-1n3sb0.json"))
    new = result.stdout.strip()
    assert new != "p-1n3sb0"
    assert f"p-1n3sb0 is taken here: the person is {new}." in result.stderr
    assert sorted(p.name for p in (root / "intervenants").iterdir()) == before
    doc = _yaml(root / "persons" / f"{new}.yaml")
    assert doc["identity"]["family_name"] == "Boukhari"
    assert doc["coordination"]["coordinator"] == "maxime-dubois"


def test_a_directory_id_held_by_someone_else_is_renamed_everywhere(
    exported: Path, other: Path
) -> None:
    (other / "intervenants").mkdir(exist_ok=True)
    (other / "intervenants" / "maxime-dubois.yaml").write_text(
        "format: 1\nid: maxime-dubois\nname: Maxime Dubois-Leclercq\nkind: professional\n"
    )
    from conftest import git

    git(other, "add", "-A")
    git(other, "commit", "-qm", "a namesake")
    result = ok("import", "fhir", str(exported / "p-1n3sb0.json"))
    assert "maxime-dubois-2" in result.stderr
    doc = _yaml(other / "persons" / "p-1n3sb0.yaml")
    assert doc["coordination"]["coordinator"] == "maxime-dubois-2"
    assert {m["intervenant"] for m in doc["network"]} >= {"maxime-dubois-2"}
    assert "maxime-dubois" not in json.dumps(doc).replace("maxime-dubois-2", "")
    assert _yaml(other / "intervenants" / "maxime-dubois-2.yaml")["name"] == "Maxime Dubois"
    ok("check")


FOREIGN = {
    "resourceType": "Bundle",
    "type": "collection",
    "entry": [
        {
            "resource": {
                "resourceType": "Patient",
                "id": "PAT-1",
                "name": [{"family": "Peeters", "given": ["Jan"]}],
                "birthDate": "1950-02-01",
                "maritalStatus": {"text": "widowed"},
                "telecom": [{"system": "fax", "value": "081 00 00 00"}],
                "extension": [{"url": "http://example.org/ext/religion", "valueString": "x"}],
            }
        },
        {
            "resource": {
                "resourceType": "Practitioner",
                "id": "PR-9",
                "name": [{"given": ["Lien"], "family": "Claes"}],
            }
        },
        {
            "resource": {
                "resourceType": "CareTeam",
                "id": "ct",
                "participant": [
                    {"member": {"reference": "Practitioner/PR-9"}, "role": [{"text": "GP"}]}
                ],
            }
        },
        {
            "resource": {
                "resourceType": "Observation",
                "id": "obs-1",
                "status": "final",
                "code": {"text": "weight"},
            }
        },
    ],
}


def test_a_foreign_bundle_imports_what_maps_and_lists_the_rest(other: Path, tmp_path: Path) -> None:
    path = tmp_path / "foreign.json"
    path.write_text(json.dumps(FOREIGN))
    result = ok("import", "fhir", str(path))
    person = result.stdout.strip()
    assert person.startswith("p-")  # PAT-1 is no reseau id
    for item in (
        "Patient/PAT-1.maritalStatus",
        "Patient/PAT-1.telecom fax",
        "Patient/PAT-1.extension http://example.org/ext/religion",
        "Observation/obs-1",
    ):
        assert item in result.stderr, item
    doc = _yaml(other / "persons" / f"{person}.yaml")
    assert doc["identity"] == {
        "family_name": "Peeters",
        "given_name": "Jan",
        "birth_date": "1950-02-01",
    }
    (member,) = doc["network"]
    assert member["role"] == "GP"
    entry = _yaml(other / "intervenants" / f"{member['intervenant']}.yaml")
    assert entry["name"] == "Lien Claes"
    ok("check")


def _bundle(tmp_path: Path, content: str) -> str:
    path = tmp_path / "in.json"
    path.write_text(content, encoding="utf-8")
    return str(path)


def test_bad_input_is_refused_and_changes_nothing(
    other: Path, tmp_path: Path, exported: Path
) -> None:
    args = ("import", "fhir")
    refused(other, *args, _bundle(tmp_path, "<Bundle/>"), match="is not JSON")
    refused(other, *args, _bundle(tmp_path, '{"resourceType": "Patient"}'), match="Bundle")
    broken = json.loads(json.dumps(FOREIGN))
    broken["entry"][0]["resource"]["birthDate"] = "1950-13-40"
    broken["entry"][2]["resource"]["status"] = {"not": "a code"}
    result = refused(other, *args, _bundle(tmp_path, json.dumps(broken)), match="not a valid")
    assert "entry[0].resource.birthDate" in result.stderr
    assert "entry[2].resource.status" in result.stderr
    r5 = json.loads(json.dumps(FOREIGN))  # R5's CareTeam.participant.coverage[x]
    r5["entry"][2]["resource"]["participant"][0]["coveragePeriod"] = {"start": "2026-01-01"}
    refused(other, *args, _bundle(tmp_path, json.dumps(r5)), match="coveragePeriod")
    no_team = {**FOREIGN, "entry": FOREIGN["entry"][:1]}
    refused(other, *args, _bundle(tmp_path, json.dumps(no_team)), match="neither a CareTeam")
    alone = {**FOREIGN, "entry": [FOREIGN["entry"][0], FOREIGN["entry"][2]]}
    refused(other, *args, _bundle(tmp_path, json.dumps(alone)), match="does not describe")
    refused(other, *args, str(tmp_path / "missing.json"), match="missing.json")
    damaged = json.loads(json.dumps(FOREIGN))  # a reseau extension that is not reseau's
    damaged["entry"][0]["resource"]["extension"] = [
        {
            "url": "http://reseau.invalid/fhir/StructureDefinition/situation",
            "extension": [{"url": "_raw", "valueString": "{not json"}],
        }
    ]
    refused(other, *args, _bundle(tmp_path, json.dumps(damaged)), match="cannot be read")


def test_a_pseudonymised_export_cannot_be_imported(
    other: Path, tmp_path: Path, exported: Path
) -> None:
    text = ok("--repo", str(tmp_path / "examples"), "export", "fhir", "p-1n3sb0", "--pseudonymise")
    refused(other, "import", "fhir", _bundle(tmp_path, text.stdout), match="pseudonymised")
