"""File format versions: each file carries ``format: N``; older ones are upgraded on load.

An upgrade is a small function keyed by (kind, version) that turns a version-N
document into version N+1. The upgraded document is written back on the next save.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reseau_cli.errors import UnsupportedFormat

FORMAT = 1  # the newest file format this version reads and writes

Upgrade = Callable[[dict[str, Any]], dict[str, Any]]

# (kind, from_version) -> function. Format 1 is the first; nothing to upgrade yet.
UPGRADES: dict[tuple[str, int], Upgrade] = {}


def upgrade(kind: str, doc: Any, *, path: str) -> Any:
    """Bring ``doc`` to the current format; leave anything unrecognisable to the schema."""
    if not isinstance(doc, dict):
        return doc
    version = doc.get("format")
    if not isinstance(version, int) or isinstance(version, bool):
        return doc
    if version > FORMAT:
        raise UnsupportedFormat(path=path, found=version, supported=FORMAT)
    while version < FORMAT and (kind, version) in UPGRADES:
        doc = UPGRADES[(kind, version)](doc)
        version += 1
        doc["format"] = version
    return doc
