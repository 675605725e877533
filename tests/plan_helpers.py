"""Helpers for the plan, concertation and status tests: a network written by hand.

The network commands belong to another issue; these tests put intervenants in a
person's network by editing the YAML and committing, as a teammate's clone would.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from conftest import git, ok, write_intervenant

# Case 2 of CASES.md: Inès Boukhari and the people a concertation gathers around her.
INES_NETWORK = [
    ("thomas-renard", "Thomas Renard", "tiers concertateur", "Service de concertation Liens"),
    ("maxime-dubois", "Maxime Dubois", "éducateur de rue", "Relais de rue"),
    ("yasmine-cohen", "Dr Yasmine Cohen", "psychiatre", "Centre de santé mentale Horizon"),
    ("nadia-benali", "Nadia Benali", "assistante sociale du CPAS", "CPAS de Namur"),
]


def person_file(root: Path, pid: str) -> Path:
    return root / "persons" / f"{pid}.yaml"


def load(root: Path, pid: str) -> dict[str, Any]:
    return yaml.safe_load(person_file(root, pid).read_text())


def edit(root: Path, pid: str, change: Callable[[dict[str, Any]], None], message: str) -> None:
    """Change a person file by hand and commit it."""
    path = person_file(root, pid)
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    git(root, "commit", "-qm", message, "--", str(path))


def join_network(
    root: Path, pid: str, iid: str, role: str, since: str, until: str | None = None
) -> None:
    """Add a membership to the person's network, by hand, in one commit."""

    def add(doc: dict[str, Any]) -> None:
        entry = {"intervenant": iid, "role": role, "since": since}
        if until:
            entry["until"] = until
        doc.setdefault("network", []).append(entry)

    edit(root, pid, add, f"{pid}: add {iid} to the network")


def add_ines(root: Path, since: str = "2026-08-10") -> str:
    """Inès Boukhari with her network (no coordinator yet); returns her id."""
    pid = ok(
        "person", "add", "--family-name", "Boukhari", "--given-name", "Inès",
        "--birth-date", "2002-04-17",
    ).stdout.strip()  # fmt: skip
    for iid, name, role, organisation in INES_NETWORK:
        if not (root / "intervenants" / f"{iid}.yaml").exists():
            write_intervenant(root, iid, name, profession=role, organisation=organisation)
        join_network(root, pid, iid, role, since)
    return pid
