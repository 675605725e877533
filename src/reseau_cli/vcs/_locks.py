"""Git's own lock files (``index.lock``, ``refs/heads/main.lock``): live or stale?

Git records no owner in its lock files, so the owner is looked for in ``/proc`` (Linux):
a process that has the file open, or a git process working in the repository. Where
``/proc`` is missing the message says what to check instead of guessing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from reseau_cli.errors import RepositoryBusy
from reseau_cli.i18n import _

_UNKNOWN = -1


def owner(lock: Path, top: Path) -> int | None:
    """The pid of a live process holding ``lock`` or running git in ``top``; None when
    there is none; -1 when this system cannot tell."""
    proc = Path("/proc")
    if not (proc / "self" / "fd").is_dir():
        return _UNKNOWN
    target, inside = str(lock), str(top)
    me = os.getpid()
    for entry in os.scandir(proc):
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        base = entry.path
        try:
            with open(f"{base}/comm", encoding="utf-8", errors="replace") as handle:
                comm = handle.read().strip()
            if comm.startswith("git"):
                cwd = os.readlink(f"{base}/cwd")
                if cwd == inside or cwd.startswith(inside + "/"):
                    return int(entry.name)
            for fd in os.scandir(f"{base}/fd"):
                if os.readlink(fd.path) == target:
                    return int(entry.name)
        except OSError:
            continue
    return None


def refuse_if_locked(lock: Path, top: Path, *, wait: float = 1.0) -> None:
    """Wait a moment for a live git to release ``lock``; otherwise refuse, naming the file
    and saying whether its owner is still running."""
    deadline = time.monotonic() + wait
    while lock.exists():
        pid = owner(lock, top)
        if pid is None or time.monotonic() >= deadline:
            raise RepositoryBusy(describe(lock, top, pid))
        time.sleep(0.05)


def describe(lock: Path, top: Path, pid: int | None | bool = False) -> str:
    """What a lock file in the way means, and what to do about it."""
    if pid is False:
        pid = owner(lock, top)
    if pid is None:
        return _(
            "stale lock {lock}: the git command that made it is no longer running; "
            "delete it (`rm '{lock}'`) and try again"
        ).format(lock=lock)
    if pid == _UNKNOWN:
        return _(
            "{lock} exists: a git command is running in this repository, or one was "
            "interrupted; if none is running, delete that file and try again"
        ).format(lock=lock)
    return _(
        "git is busy in this repository (process {pid} holds {lock}); "
        "wait for it to finish, then try again"
    ).format(pid=pid, lock=lock)
