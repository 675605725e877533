"""Git's automatic upkeep after a write, which ``git commit`` would have started.

``git commit`` ends with ``git maintenance run --auto``: past gc.auto (6,700) loose
objects, estimated from one folder of the 256 (``objects/17``), ``git gc --auto`` packs
them, detached (gc.autoDetach). reseau's writes make their objects themselves
(``_loose``) and move the branch by ``git update-ref``, which starts nothing: a team
writing only through reseau would pile up loose objects for good, and at the size of a
territory gigabytes of them (each write leaves a tree of the persons folder, 840 KB at
20,000 persons, stored uncompressed by ``_loose``).

So a write that went through whole (no journal left) takes git's estimate under its
lock (``_loose.census``: the entries of ``objects/17``, counted as git counts them, and
their bytes, since ours are large); past git's default thresholds (or when the user set
one), ``after_write`` decides, once the lock is released:

- more entries than git's threshold (gc.auto / 256, rounded up): ``git maintenance run
  --auto --quiet``, git's own step, which counts again and does what the user's settings
  say (gc.autoPackLimit, maintenance.strategy…);
- else, more than 256 MiB (the entries' bytes × 256): git's count would not act, its
  objects being small, so ``git gc --quiet`` is started, at most once an hour (``PAUSE``;
  ``.git/reseau-upkeep`` is dated when one is started). A gc rather than ``git repack
  -d -l``: it takes git's ``gc.pid`` lock (one gc at a time: it declines while the
  user's or an earlier write's runs); it packs all into one pack reusing the deltas
  already made (at 20,000 persons, 0.4 s for 40 writes' objects, about 11 s for a
  thousand's with writes running beside it), so packs do not pile up; and it does nothing
  to a reseau write running beside it that git's own detached gc does not do to ``git
  commit``: reflog expiry and pack-refs lock a ref for an instant (``git update-ref``
  waits for it), prune removes only unreachable objects older than two weeks (a write's
  objects are new; one it finds there already is freshened by ``_loose.write``), and an
  object packed meanwhile is read by git (``_loose`` and ``_clean`` leave a packed
  object to git's way).

Nothing when gc.auto is 0 or less or maintenance.auto is false (git would start nothing),
when git would look for objects elsewhere (``GIT_DIR``, a quarantine…), or while a
change is to be repaired. Started in a new session, stdin, stdout and stderr on
``/dev/null``, not waited for: the command's time does not include it, and a kill of the
command's process group leaves it running, as it does git's detached gc (crash safe by
itself); a gc killed midway is finished by the next. With gc.autoDetach (or
maintenance.autoDetach) false, run in the command's session and waited for, as git does.
"""

from __future__ import annotations

import os
from pathlib import Path

from reseau_cli.vcs import _loose
from reseau_cli.vcs._core import _true
from reseau_cli.vcs._loose import _OBJECT_ENV
from reseau_cli.vcs._pending import JOURNAL, SYNC_MERGE, TEMP_INDEX

# git's default gc.auto: loose objects past which ``git gc --auto`` packs them.
GC_AUTO = 6700
# No gc for the size within this many seconds of the last one reseau started (the date
# of ``MARK``): when what is loose cannot be packed (unreachable objects, which gc keeps
# loose for two weeks), writes do not start a gc each.
PAUSE = 3600
MARK = "reseau-upkeep"
_MARKS = (JOURNAL, f"{JOURNAL}.tmp", TEMP_INDEX, f"{TEMP_INDEX}.lock", SYNC_MERGE)


def after_write(top: Path, git_dir: Path, settings: tuple[tuple[str, str], ...]) -> None:
    """Start git's upkeep when the loose objects call for it (see the module); never
    fails a write: whatever goes wrong, nothing is started."""
    try:
        args = due(git_dir, dict(settings))
        if args is not None and hasattr(os, "posix_spawnp"):
            if args[0] == "gc":
                _mark(git_dir)
            _start(top, args, wait=not _detach(dict(settings)))
    except (OSError, ValueError, NotImplementedError):  # (no new session on this system)
        pass


def due(git_dir: Path, settings: dict[str, str]) -> list[str] | None:
    """The git command to start (its arguments), or None."""
    threshold = _number(settings["gc.auto"]) if "gc.auto" in settings else GC_AUTO
    if threshold is None or threshold <= 0 or not _true(settings.get("maintenance.auto", "1")):
        return None
    if any(os.environ.get(v) for v in _OBJECT_ENV):
        return None
    folder = os.fspath(git_dir)
    if any(os.path.lexists(f"{folder}/{mark}") for mark in _MARKS):
        return None
    count, size = _loose.census(folder)
    if count > -(-threshold // 256):  # as git: more than the threshold's 256th, rounded up
        return ["maintenance", "run", "--auto", "--quiet"]
    if size > _loose.CROWDED_BYTES:
        import time

        try:
            if os.stat(f"{folder}/{MARK}").st_mtime > time.time() - PAUSE:
                return None
        except FileNotFoundError:
            pass
        return ["gc", "--quiet"]
    return None


def _mark(git_dir: Path) -> None:
    """``MARK`` dated now: reseau starts a gc for the size."""
    path = os.path.join(git_dir, MARK)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o644))
    os.utime(path)


def _start(top: Path, args: list[str], *, wait: bool) -> None:
    """``git -C TOP ARGS``, its standard streams on /dev/null: in a new session, not
    waited for; or, when ``wait``, in the command's own (Ctrl-C stops both, as it stops
    ``git commit`` and the gc it waits for), waited for."""
    import _signal  # type: ignore[import-not-found] # see _plumbing

    devnull = os.devnull
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, devnull, os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, devnull, os.O_WRONLY, 0),
    ]
    pid = os.posix_spawnp(
        "git",
        ["git", "-C", str(top), *args],
        os.environ,
        file_actions=actions,
        setsid=not wait,
        setsigdef=(_signal.SIGPIPE, _signal.SIGXFSZ),
    )
    if wait:
        os.waitpid(pid, 0)


def _detach(settings: dict[str, str]) -> bool:
    """maintenance.autoDetach, else gc.autoDetach, else true (as git reads them)."""
    value = settings.get("maintenance.autodetach", settings.get("gc.autodetach"))
    return value is None or _true(value)


def _number(value: str) -> int | None:
    """An integer as git reads one (C's decimal, ``0x`` hexadecimal or ``0`` octal; a
    ``k``, ``m`` or ``g`` after it multiplies by 1024 each); None for one git refuses."""
    import re

    found = re.fullmatch(r"([+-]?)(0[xX][0-9a-fA-F]+|[0-9]+)([kKmMgG]?)", value.strip())
    if found is None:
        return None
    sign, digits, unit = found.groups()
    base = 16 if digits[:2].lower() == "0x" else 8 if digits[:1] == "0" else 10
    try:
        number = int(digits[2:] if base == 16 else digits, base)
    except ValueError:
        return None
    return (-number if sign == "-" else number) * 1024 ** " kmg".index(unit.lower() or " ")
