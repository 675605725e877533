"""A team repository for `reseau stats`, built to tempt leaks: distinctive names, free
text everywhere, one person alone in several categories. Its figures over the first half
of 2026 are worked out by hand in test_stats.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import git
from reseau_cli import store

# Strings that must never appear in a report.
SECRETS = [
    "Zéphyrine",
    "Quasimodo",
    "Leakington",
    "Wolfeschlegel",
    "Ursule",
    "Secret reason XYZ",
    "lives above the bakery",
    "Ultra-private decision",
    "int-a",
    "int-b",
    "int-c",
    "p-aaaaa1",
    "p-bbbbb2",
    "p-ccccc3",
    "p-ddddd4",
    "p-eeeee5",
]


def person(ident: str, given: str, family: str, **fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "format": 1,
        "id": ident,
        "status": "active",
        "identity": {"family_name": family, "given_name": given},
        "situation": f"{given} lives above the bakery.",
    }
    doc.update(fields)
    return doc


def designation(who: str, since: str, until: str | None = None) -> dict[str, Any]:
    d = {"role": "coordinator", "intervenant": who, "since": since}
    if until:
        d["until"] = until
    return d


def build(root: Path) -> None:
    """Five persons (P4 outside the period) and three intervenants, committed."""
    (root / "intervenants").mkdir(exist_ok=True)
    for ident, name, kind in (
        ("int-a", "Xavier Leakington", "professional"),
        ("int-b", "Ursule Wolfeschlegel", "carer"),
        ("int-c", "Service Leakington", "service"),
    ):
        doc = {"format": 1, "id": ident, "name": name, "kind": kind}
        (root / "intervenants" / f"{ident}.yaml").write_text(store.dump(doc), encoding="utf-8")
    persons = [
        person(
            "p-aaaaa1", "Zéphyrine", "Quasimodo", opened="2026-01-10",
            network=[
                {"intervenant": "int-a", "role": "nurse", "since": "2026-01-10"},
                {"intervenant": "int-b", "role": "daughter", "since": "2026-01-10"},
            ],
            coordination={"coordinator": "int-a", "history": [designation("int-a", "2026-01-20")]},
            plan={"actions": [
                {"id": "a-one111", "text": "Ultra-private decision", "by": "int-a", "status": "done",
                 "created": "2026-01-20", "due": "2026-03-15", "closed": "2026-03-01"},
                {"id": "a-two222", "text": "Second", "by": "int-a", "status": "planned",
                 "created": "2026-02-01", "due": "2026-05-01"},
            ]},
            evaluations=[{"id": "e-one111", "date": "2026-03-01", "domains": [
                {"domain": "health", "level": "unmet"},
                {"domain": "housing", "level": "partly-met"},
            ]}],
            concertations=[{"id": "c-one111", "status": "held", "kind": "synthesis",
                            "date": "2026-02-01", "person_present": True, "scheme": "fr-dac-rapport",
                            "summary": "Ultra-private decision"}],
        ),
        person(
            "p-bbbbb2", "Quentin", "Quasimodo", opened="2025-11-01", status="closed",
            closed={"date": "2026-03-31", "reason": "Secret reason XYZ"},
            network=[{"intervenant": "int-a", "role": "nurse", "since": "2025-11-01",
                      "until": "2026-03-31"}],
            coordination={"coordinator": None,
                          "history": [designation("int-a", "2025-11-01", "2026-03-31")]},
            plan={"actions": [
                {"id": "a-thr333", "text": "Third", "by": "int-a", "status": "done",
                 "created": "2025-12-01", "due": "2026-02-10", "closed": "2026-02-20"},
            ]},
            concertations=[{"id": "c-two222", "status": "held", "kind": "concertation",
                            "date": "2026-01-15", "person_present": False,
                            "scheme": "fr-dac-rapport"}],
        ),
        person(
            "p-ccccc3", "Zéphyrine", "Leakington", opened="2026-04-01",
            network=[{"intervenant": "int-c", "role": "meals", "since": "2026-04-01"}],
            evaluations=[{"id": "e-two222", "date": "2026-05-01", "domains": [
                {"domain": "health", "level": "unmet"},
                {"domain": "autonomy", "level": "unmet"},
            ]}],
            plan={"actions": [
                {"id": "a-fou444", "text": "Fourth", "by": "int-c", "status": "ongoing",
                 "created": "2026-04-02"},
            ]},
            concertations=[
                {"id": "c-thr333", "status": "held", "kind": "coordination", "date": "2026-05-05"},
                {"id": "c-fou444", "status": "planned", "kind": "concertation", "date": "2026-07-10"},
            ],
        ),
        person(
            "p-ddddd4", "Old", "Quasimodo", opened="2024-01-01", status="closed",
            closed={"date": "2025-06-01", "reason": "Secret reason XYZ"},
        ),
        person(
            "p-eeeee5", "Ursule", "Quasimodo", opened="2026-02-01",
            closures=[{"closed": "2026-03-01", "reason": "Secret reason XYZ",
                       "reopened": "2026-04-15"}],
            network=[{"intervenant": "int-b", "role": "son", "since": "2026-02-01"}],
            evaluations=[{"id": "e-thr333", "date": "2026-07-15", "domains": [
                {"domain": "health", "level": "unmet"},
            ]}],
            coordination={"coordinator": "int-b", "history": [designation("int-b", "2026-02-10")]},
        ),
    ]  # fmt: skip
    (root / "persons").mkdir(exist_ok=True)
    for doc in persons:
        (root / "persons" / f"{doc['id']}.yaml").write_text(store.dump(doc), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "stats case")
