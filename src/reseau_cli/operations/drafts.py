"""Drafts of `person edit` that could not be saved, kept for the user to take up again.

A draft is kept when the user aborts an edit, or when a teammate's change to the file
landed while it was being edited. It lives under the repository's git folder
(``.git/reseau-drafts/<id>.yaml``: private to this clone, never committed; sealed for
this member alone when the team encrypts its files), beside the
version of the file it was started from (``<id>.base.yaml``), so that the next edit can
show what changed in the file since.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from reseau_cli import store, vcs
from reseau_cli.crypto import layer
from reseau_cli.repo import Repository

FOLDER = "reseau-drafts"
END_OF_NOTE = "# ---- your draft follows ----"


@dataclass(frozen=True)
class Draft:
    path: Path  # the draft itself
    text: str
    base: str  # the file as it was when the edit started


def _paths(repo: Repository, ident: str) -> tuple[Path, Path]:
    folder = vcs.git_dir(repo.root) / FOLDER
    return folder / f"{ident}.yaml", folder / f"{ident}.base.yaml"


def display(repo: Repository, ident: str) -> str:
    """Where the draft is, as the user can open it (relative to the repository)."""
    return repo.rel(_paths(repo, ident)[0])


def keep(repo: Repository, ident: str, text: str, *, base: str) -> str:
    """Keep ``text`` (started from ``base``); returns where it is, for the user."""
    path, base_path = _paths(repo, ident)
    if END_OF_NOTE in text:  # the note of `on_top` is not part of the draft
        text = text.split(END_OF_NOTE + "\n", 1)[-1]
    path.parent.mkdir(mode=0o700, exist_ok=True)
    kept_base = layer.protect(base_path.absolute(), base.encode("utf-8"))
    kept = layer.protect(path.absolute(), text.encode("utf-8"))
    if kept is None or kept_base is None:  # the team encrypts and this member has no key
        return ""
    store.write_atomic(base_path, kept_base, mode=0o600)
    store.write_atomic(path, kept, mode=0o600)
    return display(repo, ident)


def _read(path: Path) -> str | None:
    """A draft file in clear (sealed for this member when the team encrypts)."""
    try:
        data = layer.unprotect(path.absolute(), path.read_bytes())
        return None if data is None else data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def find(repo: Repository, ident: str) -> Draft | None:
    path, base_path = _paths(repo, ident)
    text = _read(path)
    if text is None:
        return None
    base = _read(base_path)
    return Draft(path, text, text if base is None else base)


def drop(repo: Repository, ident: str) -> None:
    for path in _paths(repo, ident):
        path.unlink(missing_ok=True)


def on_top(draft: Draft, current: str) -> str:
    """The draft to edit again, headed (as YAML comments) by what changed in the file
    since the draft was started: the user carries those changes over, or not."""
    head = [
        "# Your draft from an earlier edit. Save it to apply it to the file as it is now.",
    ]
    changes = list(
        difflib.unified_diff(
            draft.base.splitlines(), current.splitlines(), "when you started", "now", lineterm=""
        )
    )
    if changes:
        head.append("# The file changed since you started this draft (keep what you need):")
        head += [f"#   {line}" for line in changes[2:]]
    else:
        head.append("# The file has not changed since you started this draft.")
    return "\n".join([*head, END_OF_NOTE]) + "\n" + draft.text
