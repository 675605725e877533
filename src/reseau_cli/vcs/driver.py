"""The git merge driver: its registration in a clone's git config, and its run.

``reseau merge-driver %O %A %B %P`` merges one data file. Git runs it when both sides changed a person or intervenant file. It merges the three
versions with ``merge.merge``, validates the result against the schema and writes it
over %A (exit 0). On a real conflict or an invalid result it leaves %A as ours, writes
no conflict marker, records the details for ``reseau sync`` under
``.git/reseau-conflicts/`` and exits 1, so git stops the merge.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reseau_cli import formats, schemas, store
from reseau_cli.crypto import layer
from reseau_cli.errors import InvalidDocument, ReseauError
from reseau_cli.model.merge import Conflict, merge
from reseau_cli.vcs._core import git_dir
from reseau_cli.vcs.layout import kind_of
from reseau_cli.vcs.registration import CONFLICTS_DIR

# `reseau sync --ours/--theirs PATH` hands its choices to the driver through these
# (paths relative to the top of the work tree, one per line).
PREFER_ENV = {"ours": "RESEAU_MERGE_OURS", "theirs": "RESEAU_MERGE_THEIRS"}


@dataclass(frozen=True)
class FileMerge:
    """What the driver did with one file."""

    path: str
    kind: str | None
    ident: str | None
    conflicts: list[Conflict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    prefer: str | None = None
    written: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "kind": self.kind,
            "id": self.ident,
            "conflicts": [c.as_json() for c in self.conflicts],
            "problems": self.problems,
            "prefer": self.prefer,
            "written": self.written,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileMerge:
        return cls(
            path=str(data["path"]),
            kind=data.get("kind"),
            ident=data.get("id"),
            conflicts=[Conflict.from_json(c) for c in data.get("conflicts") or []],
            problems=[str(p) for p in data.get("problems") or []],
            prefer=data.get("prefer"),
            written=bool(data.get("written")),
        )


def preference(path: str, env: Mapping[str, str] | None = None) -> str | None:
    env = os.environ if env is None else env
    for side, name in PREFER_ENV.items():
        if path in (env.get(name) or "").splitlines():
            return side
    return None


def merge_files(
    base: Path, ours: Path, theirs: Path, path: str, *, prefer: str | None = None
) -> FileMerge:
    """Merge the three versions of ``path``; write the result over ``ours`` when clean."""
    kind, ident = kind_of(path)
    if kind is None:
        return FileMerge(path, None, None, problems=["not a person or intervenant file"])
    docs: list[Any] = []
    problems: list[str] = []
    raws: list[str] = []
    for side, file in (("base", base), ("ours", ours), ("theirs", theirs)):
        try:
            raw = store.read_raw(file, display=f"{path} ({side})")
            raws.append(raw)
            text = store.read_text(file, display=f"{path} ({side})")
            if side == "base" and not text.strip():
                docs.append(None)  # added on both sides: no common version
                continue
            doc = store.parse(text, path=f"{path} ({side})")
            docs.append(formats.upgrade(kind, doc, path=f"{path} ({side})"))
        except InvalidDocument as exc:
            problems += [f"{side}: {p.location}: {p.message}" for p in exc.problems]
        except ReseauError as exc:
            problems.append(f"{side}: {exc}")
    if problems:
        return FileMerge(path, kind, ident, problems=problems, prefer=prefer)
    merged, conflicts = merge(*docs, prefer=prefer)
    if conflicts and prefer is None:
        return FileMerge(path, kind, ident, conflicts=conflicts)
    ordered = schemas.order(kind, merged)
    found = schemas.problems(kind, ordered, path=path)
    if found:
        problems = [f"merged: {p.location}: {p.message}" for p in found]
        return FileMerge(path, kind, ident, conflicts, problems, prefer)
    text = store.dump(ordered)
    if any(layer.is_sealed(raw) for raw in raws):
        text = _seal(ours, ident or "", text, raws, ordered.get("format", 1))
    store.write_atomic(ours, text, display=path)
    return FileMerge(path, kind, ident, conflicts, prefer=prefer, written=True)


def _seal(ours: Path, ident: str, text: str, raws: list[str], fmt: Any) -> str:
    """The merged text sealed again: with the data key a side changed to (a rotation
    on that side), else ours; a key made here goes to the key store at once."""
    from reseau_cli.vcs import keys

    keyring = layer.keyring_for(ours.absolute())
    if keyring is None:
        raise layer.NoKey(path=ident)
    base, mine, theirs = (keyring.key_of(raw) for raw in raws)
    key = mine if mine != base or theirs == base else theirs
    sealed = keyring.seal(ident, text, fmt=fmt if isinstance(fmt, int) else 1, key=key)
    if keyring.pending:
        keys.write(keyring.root, keyring.entries)
        keyring.stored()
    return sealed


# -- records for `reseau sync` ---------------------------------------------------------------


def _records_dir(folder: Path) -> Path:
    return folder / CONFLICTS_DIR


def record(git_dir: Path, result: FileMerge) -> None:
    """Keep what happened to a file for ``sync`` to report (best effort)."""
    name = result.path.replace("/", "__") + ".json"
    text = json.dumps(result.as_json(), ensure_ascii=False, indent=1)
    path = _records_dir(git_dir) / name
    # The values in conflict: sealed for this member alone when the team encrypts.
    kept = layer.protect(path.absolute(), text.encode("utf-8"))
    with contextlib.suppress(ReseauError, OSError):
        if kept is not None:
            store.write_atomic(path, kept, mode=0o600)


def read_records(git_dir: Path) -> dict[str, FileMerge]:
    """The driver's records by file path (relative to the top of the work tree)."""
    folder = _records_dir(git_dir)
    found: dict[str, FileMerge] = {}
    if not folder.is_dir():
        return found
    for entry in sorted(folder.glob("*.json")):
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            data = layer.unprotect(entry.absolute(), entry.read_bytes())
            if data is None:
                continue
            result = FileMerge.from_json(json.loads(data.decode("utf-8")))
            found[result.path] = result
    return found


def clear_records(git_dir: Path) -> None:
    folder = _records_dir(git_dir)
    if folder.is_dir():
        for entry in folder.glob("*.json"):
            with contextlib.suppress(OSError):
                entry.unlink()


def run(base: Path, ours: Path, theirs: Path, path: str) -> FileMerge:
    """What git's ``merge.reseau.driver`` does: merge, then record what happened."""
    result = merge_files(base, ours, theirs, path, prefer=preference(path))
    if result.conflicts or result.problems:
        with contextlib.suppress(ReseauError, OSError):
            record(git_dir(Path.cwd()), result)
    return result
