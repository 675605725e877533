"""Which keyring opens the files of which repository, and whether a repository is clear.

A repository registers how to make its keyring (``register``); the keyring is made on
first use. Most repositories are clear: no team file (``team/recipients.yaml``), so no
keyring is ever needed. ``clear`` says so from one file check, and the derived caches
and the index then keep and trust their clear payloads without importing the layer
(``crypto.layer``: the team, identities, age), exactly as the layer would decide for a
team without a file. A sealed text read in any repository imports the layer (the
repository gives the store an opener that does).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from reseau_cli.crypto.layer import Keyring

TEAM_FILE = "team/recipients.yaml"
CACHE_MARK = b"reseau-sealed-cache\n"  # a derived file sealed for this member (see layer)

_FACTORIES: dict[Path, Callable[[], Keyring]] = {}
_KEYRINGS: dict[Path, Keyring] = {}
_LAST: list[Path] = []


def register(root: Path, factory: Callable[[], Keyring]) -> None:
    """Say how to make the keyring of the repository at ``root`` (made on first use:
    a command that reads no sealed file pays nothing)."""
    if root not in _FACTORIES:
        _FACTORIES[root] = factory
    _LAST[:] = [root]


def forget(root: Path) -> None:
    """Make the keyring again on next use (the team or the key store changed)."""
    _KEYRINGS.pop(root, None)


def _root(path: Path | None) -> Path | None:
    """The registered repository holding ``path`` (else the last one registered)."""
    root = None
    if path is not None:  # the nearest of its parents registered (by parts: no Path made)
        parts, nearest = path.parts, -1
        for candidate in _FACTORIES:
            size = len(candidate.parts)
            # a proper prefix of its parts; "." (no parts) a parent of relative paths only
            proper = nearest < size < len(parts) and (size > 0 or not path.anchor)
            if proper and parts[:size] == candidate.parts:
                root, nearest = candidate, size
    if root is None and _LAST:
        root = _LAST[0]
    return root


def keyring_for(path: Path | None = None) -> Keyring | None:
    """The keyring of the repository holding ``path`` (else the last one registered)."""
    root = _root(path)
    if root is None:
        return None
    if root not in _KEYRINGS:
        _KEYRINGS[root] = _FACTORIES[root]()
    return _KEYRINGS[root]


def clear(path: Path) -> bool:
    """Whether the repository holding ``path`` is known clear without its keyring: none
    made yet and no team file (the layer's keyring would then be an empty team that
    does not encrypt). False means: ask the layer."""
    root = _root(path)
    if root is None:
        return True  # no repository: the layer has no keyring either
    return root not in _KEYRINGS and not os.path.exists(root / TEAM_FILE)
