"""The consent in the FHIR export: the decision in force as Consent.provision (recipients
as actors, withheld sections as nested deny provisions with a class), read back by
`reseau import fhir` from reseau's own Bundle and from another system's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ok
from example_repo import example_team

MARCEL = "p-m4rc3l"  # the example team's Marcel: GP, nurse, home-help service, son Luc
SECTIONS = "http://reseau.invalid/fhir/CodeSystem/consent-section"
KINDS = "http://reseau.invalid/fhir/CodeSystem/recipient-kind"


@pytest.fixture
def examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return example_team(tmp_path / "examples", monkeypatch)


def _consent(bundle_text: str) -> dict[str, Any]:
    bundle = json.loads(bundle_text)
    (found,) = [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Consent"
    ]
    return found


def _actor(actor: dict[str, Any]) -> str:
    reference = actor["reference"]
    assert actor["role"]["coding"][0]["code"] == "IRCP"
    if "identifier" in reference:
        assert reference["identifier"]["system"] == KINDS
        return str(reference["identifier"]["value"])
    return str(reference["reference"])


def _give(examples: Path) -> None:
    ok("consent", "give", MARCEL, "--how", "written", "--to", "professional", "--to",
       "service", "--to", "luc-janssens", "--withhold", "situation:service",
       "--withhold", "health:carer", "--withhold", "contacts")  # fmt: skip


def test_the_decision_in_force_is_the_provision(examples: Path) -> None:
    _give(examples)
    consent = _consent(ok("export", "fhir", MARCEL).stdout)
    assert consent["status"] == "active" and consent["dateTime"] == "2026-11-28"
    provision = consent["provision"]
    assert provision["type"] == "permit" and provision["period"] == {"start": "2026-11-28"}
    assert [_actor(a) for a in provision["actor"]] == [
        "professional",
        "service",
        "RelatedPerson/luc-janssens",
    ]
    denied = [
        (p["type"], [k["code"] for k in p["class"]], [_actor(a) for a in p.get("actor", [])])
        for p in provision["provision"]
    ]
    assert denied == [
        ("deny", ["situation"], ["service"]),
        ("deny", ["health"], ["carer"]),
        ("deny", ["contacts"], []),
    ]
    assert all(k["system"] == SECTIONS for p in provision["provision"] for k in p["class"])
    ok("consent", "withdraw", MARCEL)
    withdrawn = _consent(ok("export", "fhir", MARCEL).stdout)
    assert withdrawn["status"] == "inactive" and withdrawn["provision"] == {"type": "deny"}


def test_round_trip_keeps_the_history_and_a_foreign_consent_reads_its_provisions(
    examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _give(examples)
    ours = tmp_path / "marcel.json"
    ok("export", "fhir", MARCEL, "-o", str(ours))
    written = yaml.safe_load((examples / "persons" / f"{MARCEL}.yaml").read_text())
    # Another system's Bundle: the same Consent without reseau's extensions.
    bundle = json.loads(ours.read_text())
    consent = _consent(ours.read_text())
    consent.pop("extension")
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "Consent":
            entry["resource"] = consent
    foreign = tmp_path / "foreign.json"
    foreign.write_text(json.dumps(bundle))
    for source, expected in ((ours, written["consent"]), (foreign, None)):
        other = tmp_path / f"other-{source.stem}"
        ok("init", str(other), "--team", "Équipe Sud")
        monkeypatch.setenv("RESEAU_REPO", str(other))
        pid = ok("import", "fhir", str(source)).stdout.strip()
        got = yaml.safe_load((other / "persons" / f"{pid}.yaml").read_text())["consent"]
        if expected is not None:
            assert got == expected  # reseau's own: the whole history and register
            continue
        (decision,) = got["history"]
        assert got["status"] == "given"
        assert decision == {
            "id": "cn-imported",
            "date": "2026-11-28",
            "status": "given",
            "recipients": ["professional", "service", "luc-janssens"],
            "withhold": [
                {"section": "situation", "from": "service"},
                {"section": "health", "from": "carer"},
                {"section": "contacts"},
            ],
        }
        # The imported consent governs documents as one recorded here would.
        assert (
            "Version destinée à Luc Janssens"
            in ok("render", "plan", pid, "--for", "luc-janssens").stdout
        )
        assert "no problem" in ok("check").stdout
