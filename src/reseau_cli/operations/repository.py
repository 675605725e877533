"""`reseau init`: turn a folder into a data repository, in one commit."""

from __future__ import annotations

import shutil
from pathlib import Path

from reseau_cli import schemas, store, vcs
from reseau_cli.errors import AlreadyInitialised, InvalidInput, WriteFailed
from reseau_cli.repo import SETTINGS, Repository

GITATTRIBUTES = """\
# reseau: person and directory files are merged field by field, never line by line.
persons/*.yaml merge=reseau
intervenants/*.yaml merge=reseau
*.yaml text eol=lf
"""

GITIGNORE = """\
# Rendered documents: regenerate them with `reseau render`; they never go into git.
out/
"""


def settings_text(*, team: str, lang: str) -> str:
    doc = {
        "format": schemas.FORMAT,
        "team": team,
        "lang": lang,
        "timezone": "Europe/Brussels",
        "review_interval_days": 90,
        "upcoming_days": 14,
    }
    found = schemas.problems("settings", doc, path=SETTINGS)
    if found:
        raise InvalidInput(f"invalid settings: {found[0].message}")
    return store.dump(doc)


def init_repository(path: Path, *, team: str | None = None, lang: str = "fr") -> Repository:
    """Create (if needed) ``path``, ``git init`` it unless already in git, write the
    settings and git files, and commit. Undoes everything it made if it fails."""
    root = path.expanduser().resolve()
    if (root / SETTINGS).exists():
        raise AlreadyInitialised(path=root)
    if lang not in ("fr", "en"):
        raise InvalidInput(f"unknown language {lang!r}: use fr or en")
    team = (team or root.name or "reseau").strip()
    if not team:
        raise InvalidInput("--team must not be empty")
    existing = next(p for p in (root, *root.parents) if p.exists())
    if not existing.is_dir():
        raise WriteFailed(path=existing, reason="not a folder")
    in_git = vcs.is_inside_work_tree(existing) if existing == root else False
    vcs.identity(existing)  # refuse before creating anything
    created_dir = not root.exists()
    created_git = False
    try:
        root.mkdir(parents=True, exist_ok=True)
        if not in_git:
            vcs.init(root)
            created_git = True
        repo = Repository(root)
        with repo.change("init: create data repository") as change:
            change.put_text(root / SETTINGS, settings_text(team=team, lang=lang))
            change.put_text(root / ".gitattributes", GITATTRIBUTES)
            change.put_text(root / ".gitignore", GITIGNORE)
        vcs.register_merge_driver(root)
    except OSError as exc:
        _undo(root, created_dir, created_git)
        raise WriteFailed(path=root, reason=exc.strerror or str(exc)) from None
    except BaseException:
        _undo(root, created_dir, created_git)
        raise
    return repo


def _undo(root: Path, created_dir: bool, created_git: bool) -> None:
    if created_dir:
        shutil.rmtree(root, ignore_errors=True)
    elif created_git:
        shutil.rmtree(root / ".git", ignore_errors=True)
