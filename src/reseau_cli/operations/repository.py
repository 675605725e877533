"""The repository as a whole: `reseau init` (one commit), opening a repository for a
command, its history for `reseau log`, and private working copies for editors."""

from __future__ import annotations

import contextlib
from pathlib import Path

from reseau_cli import schemas, store, vcs
from reseau_cli.errors import (
    Aborted,
    AlreadyInitialised,
    InvalidInput,
    UnknownPerson,
    WriteFailed,
)
from reseau_cli.formats import FORMAT
from reseau_cli.i18n import _
from reseau_cli.repo import Repository
from reseau_cli.vcs.layout import GITATTRIBUTES, GITIGNORE, SETTINGS


def settings_text(*, team: str, lang: str) -> str:
    doc = {
        "format": FORMAT,
        "team": team,
        "lang": lang,
        "timezone": "Europe/Brussels",
        "review_interval_days": 90,
        "upcoming_days": 14,
    }
    found = schemas.problems("settings", doc, path=SETTINGS)
    if found:
        raise InvalidInput(_("invalid settings: {problem}").format(problem=found[0].message))
    return store.dump(doc)


def init_repository(path: Path, *, team: str | None = None, lang: str = "fr") -> Repository:
    """Create (if needed) ``path``, ``git init`` it unless already in git, write the
    settings and git files, and commit. Undoes everything it made if it fails."""
    root = path.expanduser().resolve()
    if (root / SETTINGS).exists():
        raise AlreadyInitialised(path=root)
    from reseau_cli.documents.filters import LANGS

    if lang not in LANGS:
        raise InvalidInput(
            _("unknown language {lang}: use {languages}").format(
                lang=repr(lang), languages=", ".join(sorted(LANGS))
            )
        )
    team = (team or root.name or "reseau").strip()
    if not team:
        raise InvalidInput(_("--team must not be empty"))
    existing = next(p for p in (root, *root.parents) if p.exists())
    if not existing.is_dir():
        raise WriteFailed(path=existing, reason=_("not a folder"))
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
    import shutil  # only when init fails (it imports compression modules)

    if created_dir:
        shutil.rmtree(root, ignore_errors=True)
    elif created_git:
        shutil.rmtree(root / ".git", ignore_errors=True)


def open_repository(explicit: Path | None = None, *, strict: bool = True) -> Repository:
    """The data repository a command works on (see ``repo.find``), a change a crash
    interrupted finished or undone before anything is read, its merge driver
    registered: a fresh clone then merges its data files with reseau (cheap when done)."""
    from reseau_cli import dates
    from reseau_cli.change import repair
    from reseau_cli.model.network import today_view

    repo = Repository.open(explicit, strict=strict)
    repair(repo.root)
    repo.view = today_view(dates.today_iso())
    vcs.ensure_merge_driver(repo.root)
    return repo


def interrupted() -> str:
    """What an interrupted command left: its change is either whole or not there at all."""
    from reseau_cli.change import committed

    done = committed()
    if not done:
        return "interrupted; nothing was committed"
    return f"interrupted after committing {done[-1][:7]}; the change is complete"


def history(repo: Repository, person: str | None, *, limit: int | None) -> list[vcs.LogEntry]:
    """`reseau log`: the commits of the repository, or of one person's file (which may
    have been deleted since: its history is still there)."""
    path = None
    if person is not None:
        path = repo.path("person", person)
        if not path.exists() and not vcs.log(repo.root, path=path, limit=1):
            raise UnknownPerson(id=person)
    return vcs.log(repo.root, path=path, limit=limit)


def private_copy(repo: Repository, name: str, text: str) -> Path:
    """A file only this user can read, in the git folder (never committed), for an editor."""
    folder = vcs.git_dir(repo.root) / "reseau-edit"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / name
    store.write_atomic(path, text, mode=0o600)
    return path


def read_copy(path: Path, name: str) -> str:
    """The private copy after the editor: Aborted when it was removed or replaced by a
    link, InvalidDocument when it is not UTF-8 text or over the size limit."""
    if not path.is_file() or path.is_symlink():
        raise Aborted(_("the edited file was removed (or replaced); nothing was changed"))
    return store.read_text(path, display=name)


def discard(path: Path) -> None:
    """Remove a private copy (best effort)."""
    with contextlib.suppress(OSError):
        path.unlink()
