"""The next command finishes or undoes a change a crash interrupted (see ``_atomic``).

``pending`` is cheap (a few stats) and runs for every command; ``recover`` runs under the
writers' lock, so the interrupted command (and any git process it left running, which
inherits that lock) is over.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from reseau_cli.errors import DetachedHead
from reseau_cli.i18n import _
from reseau_cli.vcs import _locks
from reseau_cli.vcs._atomic import (
    JOURNAL,
    SYNC_MERGE,
    TEMP_INDEX,
    File,
    Place,
    branch,
    discard,
    locate,
    put_in_place,
    ref_value,
    set_index,
)


def recover(root: Path, *, lock_fd: int | None) -> str | None:
    """Finish or undo an interrupted change (the caller holds the writers' lock);
    one line saying what was done, or None when there was nothing to do."""
    place = locate(root)
    journal = place.git_dir / JOURNAL
    cleared = _clear_stale_locks(place)
    if (place.git_dir / SYNC_MERGE).exists():
        return _recover_sync_merge(place)
    try:
        data = json.loads(journal.read_text(encoding="utf-8"))
        files = [
            File(place.top / rel, rel, b"", mode, blob) for rel, _temp, blob, mode in data["files"]
        ]
        ref, old, new = data["ref"], data["old"], data["new"]
    except FileNotFoundError:
        names = (f"{JOURNAL}.tmp", TEMP_INDEX)
        if not cleared and not any((place.git_dir / n).exists() for n in names):
            return None
        discard(place, [])
        return _("reseau: cleaned up after an interrupted change; nothing had been committed")
    except (OSError, ValueError, KeyError, TypeError):
        discard(place, [])
        return _("reseau: removed an unreadable journal of an interrupted change")
    current = ref_value(place.top, ref)
    try:
        on_branch = branch(place) == ref
    except DetachedHead:
        on_branch = False
    if current == new and on_branch:
        for f in files:
            put_in_place(f)
        set_index(place, files, lock_fd)
        journal.unlink()
        return _("reseau: finished an interrupted change (commit {commit})").format(commit=new[:7])
    discard(place, files)
    if current == (old or None):
        return _("reseau: undid an interrupted change; nothing had been committed")
    return _(
        "reseau: dropped the journal of an interrupted change (commit {commit}): "
        "{ref} has moved since, nothing was touched"
    ).format(commit=new[:7], ref=ref)


def _recover_sync_merge(place: Place) -> str:
    """A `sync` killed between starting its merge and committing or aborting it: undo the
    merge in progress (git's own `merge --abort`), so that the next sync starts afresh."""
    from reseau_cli.vcs import _remote

    mark = place.git_dir / SYNC_MERGE
    try:
        before = mark.read_text(encoding="utf-8").strip()
    except OSError:
        before = ""
    head = ref_value(place.top, "HEAD")
    if _remote.merging(place.top) and head == before:
        _remote.abort_merge(place.top)
        said = _("reseau: undid a sync merge that was interrupted; run `reseau sync` again")
    else:
        said = _("reseau: a sync that was interrupted had finished its merge; nothing to undo")
    mark.unlink(missing_ok=True)
    return said


def _clear_stale_locks(place: Place) -> bool:
    """Remove the lock files git processes of the interrupted change left when they were
    killed with it (a power cut, a kill of the whole process group): only those made
    since that change began, and only when no process owns them any more."""
    marks = [place.git_dir / n for n in (JOURNAL, f"{JOURNAL}.tmp", TEMP_INDEX, SYNC_MERGE)]
    marks.append(place.git_dir / f"{TEMP_INDEX}.lock")
    try:
        ref = json.loads(marks[0].read_text(encoding="utf-8"))["ref"]
    except (OSError, ValueError, KeyError, TypeError):
        ref = None
    began = min((m.stat().st_mtime for m in marks if m.exists()), default=None)
    if began is None:
        return False
    common = place.git_dir
    with contextlib.suppress(OSError):
        common = (place.git_dir / (place.git_dir / "commondir").read_text().strip()).resolve()
    # update-ref of the branch HEAD names also locks HEAD (for HEAD's reflog)
    locks = [place.git_dir / n for n in ("index.lock", f"{TEMP_INDEX}.lock", "HEAD.lock")]
    if isinstance(ref, str) and ref.startswith("refs/heads/"):
        locks.append(common / f"{ref}.lock")
    cleared = False
    for lock in locks:
        with contextlib.suppress(OSError):
            if lock.stat().st_mtime >= began - 1 and _locks.owner(lock, place.top) is None:
                lock.unlink()
                cleared = True
    return cleared
