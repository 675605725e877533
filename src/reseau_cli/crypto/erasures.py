"""The register of erasures (crypto-shredding): ``team/erasures.yaml``.

    # reseau: persons erased (crypto-shredding): id, date, who, reason; never content
    erasures:
    - id: p-7k3q9x
      date: 2026-11-28
      by: Alice Martin
      reason: request of the person (GDPR art. 17)

It records that an erasure happened, never what the file held; ``reseau sync`` reads it
(on both sides) so that no clone hands an erased file's data keys back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reseau_cli import store

ERASURES_FILE = "team/erasures.yaml"
_HEADER = "# reseau: persons erased (crypto-shredding): id, date, who, reason; never content\n"


def path(root: Path) -> Path:
    return root / ERASURES_FILE


def parse(text: str | None) -> list[dict[str, Any]]:
    """The records of a register's text (none for no text or an unreadable one)."""
    if not text:
        return []
    try:
        doc = store.parse(text, path=ERASURES_FILE)
    except Exception:  # noqa: BLE001 - a damaged register hides no erased id: check reports it
        return []
    found = doc.get("erasures") if isinstance(doc, dict) else None
    return [r for r in found or [] if isinstance(r, dict) and isinstance(r.get("id"), str)]


def load(root: Path) -> list[dict[str, Any]]:
    file = path(root)
    if not file.exists():
        return []
    return parse(store.read_text(file, display=ERASURES_FILE))


def ids(records: list[dict[str, Any]]) -> set[str]:
    return {str(r["id"]) for r in records}


def dump(records: list[dict[str, Any]]) -> str:
    return _HEADER + store.dump({"erasures": records})
