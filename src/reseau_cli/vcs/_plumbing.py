"""Git plumbing through plain process spawning (not even ``subprocess``), for the write
path.

Written by hand rather than through GitPython: importing GitPython costs about 120 ms,
and a write should pay only for its commit. Every call can hand the writer's lock to
git (``keep_fd``): a git process that outlives a killed reseau keeps the lock until it
ends, so the next command never sees a half-finished git step.
"""

from __future__ import annotations

# ``_signal``: the C module ``signal`` wraps (the same calls and numbers); ``signal``
# builds enums on import, milliseconds of a write.
import _signal as signal  # type: ignore[import-not-found]
import contextlib
import os
from pathlib import Path

from reseau_cli.errors import DiskFull, GitError
from reseau_cli.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_NO_SPACE = ("No space left on device", "Disk quota exceeded", "Out of diskspace")


def crash_point(step: str) -> None:
    """Testing hook: ``RESEAU_CRASH_AT=step`` kills this process there with a real
    SIGKILL (or the signal ``RESEAU_CRASH_SIGNAL`` names: INT, TERM). Steps, in order:
    blobs, tree, commit, journal, temps, ref, rename-1, rename-2…, index."""
    if os.environ.get("RESEAU_CRASH_AT") == step:
        name = os.environ.get("RESEAU_CRASH_SIGNAL", "KILL").upper()
        os.kill(os.getpid(), getattr(signal, f"SIG{name}", signal.SIGKILL))


def run(
    cwd: Path,
    *args: str,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
    keep_fd: int | None = None,
    what: str | None = None,
) -> str:
    """Run ``git ARGS`` in ``cwd``; stdout without its final newline, or GitError."""
    full_env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "C", **(env or {})}
    try:
        code, stdout, stderr = _git(cwd, args, full_env, stdin or b"", keep_fd)
    except FileNotFoundError:
        raise GitError(_("git is not installed or not on PATH")) from None
    return answer(cwd, args, what, code, stdout, stderr)


def answer(
    cwd: Path, args: tuple[str, ...], what: str | None, code: int, stdout: bytes, stderr: bytes
) -> str:
    """What ``run`` answers for a git process that ended so."""
    out = stdout.decode("utf-8", "replace")
    if code != 0:
        err = stderr.decode("utf-8", "replace")
        if any(marker in err for marker in _NO_SPACE):
            raise DiskFull(where=cwd)
        raise GitError(
            _("git {command} failed: {reason}").format(
                command=what or args[0], reason=_reason(cwd, err or out, code)
            )
        )
    return out.removesuffix("\n")


class Running:
    """A git process ``start`` started: the caller does other work while it runs, then
    ``wait`` (once) answers as ``run`` would have. Until then it is the caller's to wait
    for, on every way out."""

    def __init__(
        self, cwd: Path, args: tuple[str, ...], what: str | None, keep_fd: int | None, fed: bool
    ) -> None:
        self.cwd, self.args, self.what = cwd, args, what
        self.keep_fd, self._fed = keep_fd, fed
        self._env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "C"}
        self._ends: tuple[int, int, int, int] | None = None
        self._data = b""
        try:
            self._ends = _spawn(cwd, args, self._env, b"" if fed else None, keep_fd)
        except FileNotFoundError:
            raise GitError(_("git is not installed or not on PATH")) from None
        except _Unspawned:  # pragma: no cover - not a POSIX system: run by ``wait``
            pass

    def give(self, data: bytes) -> None:
        """The whole input of a process started ``fed``, then its end: written now when
        the pipe, empty, takes it at once (``PIPE_BUF`` bytes or fewer), else by ``wait``."""
        self._data = data
        if self._ends is None or self._ends[3] < 0:
            return
        import select

        pid, out_r, err_r, in_w = self._ends
        if len(data) <= select.PIPE_BUF:
            with contextlib.suppress(BrokenPipeError):  # git has ended already
                os.write(in_w, data)  # a pipe takes PIPE_BUF bytes whole, or none
            os.close(in_w)
            self._ends, self._data = (pid, out_r, err_r, -1), b""

    def wait(self) -> str:
        """Its standard output without the final newline, or GitError (DiskFull); a
        process started ``fed`` is given what ``give`` was given (else nothing) first."""
        return answer(self.cwd, self.args, self.what, *self.ended())

    def ended(self) -> tuple[int, bytes, bytes]:
        """``wait``'s (exit status, stdout, stderr), whatever they are."""
        if self._ends is None:  # pragma: no cover - not a POSIX system
            stdin = self._data if self._fed else None
            return _git(self.cwd, self.args, self._env, stdin, self.keep_fd)
        pid, out_r, err_r, in_w = self._ends
        import select

        return _ended(pid, in_w, self._data, out_r, err_r, select)


def start(
    cwd: Path,
    *args: str,
    keep_fd: int | None = None,
    what: str | None = None,
    fed: bool = False,
) -> Running:
    """``git ARGS`` started in ``cwd`` as ``run`` runs it; GitError when there is no git.
    Its input is /dev/null, or with ``fed`` a pipe that ``wait`` writes to: git waits
    for it meanwhile. ``wait`` on the answer gives what ``run`` gives."""
    return Running(cwd, args, what, keep_fd, fed)


def _git(
    cwd: Path, args: tuple[str, ...], env: dict[str, str], stdin: bytes | None, keep_fd: int | None
) -> tuple[int, bytes, bytes]:
    """``git ARGS`` run in ``cwd`` as ``subprocess.run`` runs it (``stdin``'s bytes on
    its input, None: /dev/null; its outputs captured; ``keep_fd`` handed down, no other
    descriptor; SIGPIPE and SIGXFSZ as by default): (exit status, stdout, stderr).

    Through ``os.posix_spawnp`` rather than ``subprocess``, whose import (threading,
    selectors, locale, signal's enums) alone costs a write more than a git process;
    ``git -C`` changes directory, as the spawn cannot."""
    try:
        pid, out_r, err_r, in_w = _spawn(cwd, args, env, stdin, keep_fd)
    except _Unspawned:  # pragma: no cover - not a POSIX system
        import subprocess

        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=env,
            input=stdin,
            stdin=subprocess.DEVNULL if stdin is None else None,
            capture_output=True,
            pass_fds=(keep_fd,) if keep_fd is not None else (),
        )
        return done.returncode, done.stdout, done.stderr
    import select

    return _ended(pid, in_w, stdin or b"", out_r, err_r, select)


def _ended(
    pid: int, in_w: int, data: bytes, out_r: int, err_r: int, select: Any
) -> tuple[int, bytes, bytes]:
    """``_talk``, the child killed if this process gives up meanwhile."""
    try:
        return _talk(pid, in_w, data, out_r, err_r, select)
    except BaseException:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        raise


class _Unspawned(Exception):
    """No ``os.posix_spawnp`` here: ``subprocess`` runs git instead."""


def _spawn(
    cwd: Path, args: tuple[str, ...], env: dict[str, str], stdin: bytes | None, keep_fd: int | None
) -> tuple[int, int, int, int]:
    """``git ARGS`` started (see ``_git``): its pid, the reading ends of its outputs and
    the writing end of its input (-1 when ``stdin`` is None: /dev/null)."""
    spawn = getattr(os, "posix_spawnp", None)
    if spawn is None:  # pragma: no cover - not a POSIX system
        raise _Unspawned
    ends = [_above_2(fd) for pair in (os.pipe(), os.pipe()) for fd in pair]
    out_r, out_w, err_r, err_w = ends
    actions: list[tuple[int, ...] | tuple[int, int, str, int, int]] = [
        (os.POSIX_SPAWN_DUP2, out_w, 1),
        (os.POSIX_SPAWN_DUP2, err_w, 2),
    ]
    in_r = in_w = -1
    if stdin is None:
        actions.append((os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0))
    else:
        in_r, in_w = (_above_2(fd) for fd in os.pipe())
        actions.append((os.POSIX_SPAWN_DUP2, in_r, 0))
    kept = keep_fd is not None and os.get_inheritable(keep_fd)
    try:
        if keep_fd is not None:
            os.set_inheritable(keep_fd, True)
        pid = spawn(
            "git",
            ["git", "-C", str(cwd), *args],
            env,
            file_actions=actions,
            setsigdef=(signal.SIGPIPE, signal.SIGXFSZ),
        )
    except BaseException:
        for fd in (*ends, in_r, in_w):
            if fd >= 0:
                os.close(fd)
        raise
    finally:
        if keep_fd is not None and not kept:
            os.set_inheritable(keep_fd, False)
    for fd in (out_w, err_w, in_r):
        if fd >= 0:
            os.close(fd)
    return pid, out_r, err_r, in_w


def _above_2(fd: int) -> int:
    """``fd``, or a copy of it from 3 up (then not already the child's 0, 1 or 2, which
    the spawn's dup2 would leave closed at exec when the parent's were closed)."""
    if fd > 2:
        return fd
    from fcntl import F_DUPFD_CLOEXEC, fcntl

    try:
        return fcntl(fd, F_DUPFD_CLOEXEC, 3)
    finally:
        os.close(fd)


def _talk(
    pid: int, in_w: int, data: bytes, out_r: int, err_r: int, select: Any
) -> tuple[int, bytes, bytes]:
    """Feed ``data`` to the child and read its two outputs until each ends (polled, so
    that neither side waits on a full pipe); then its exit status. Closes the three."""
    got: dict[int, list[bytes]] = {out_r: [], err_r: []}
    poll = select.poll()
    for fd in got:
        poll.register(fd, select.POLLIN)
    view = memoryview(data)
    if in_w >= 0 and view:
        os.set_blocking(in_w, False)
        poll.register(in_w, select.POLLOUT)
    elif in_w >= 0:
        os.close(in_w)
        in_w = -1
    reading = {out_r, err_r}
    try:
        while reading or in_w >= 0:
            for fd, _event in poll.poll():
                if fd == in_w:
                    try:
                        view = view[os.write(in_w, view[:65536]) :]
                    except BlockingIOError:
                        continue
                    except BrokenPipeError:  # the child is done reading
                        view = view[:0]
                    if not view:
                        poll.unregister(in_w)
                        os.close(in_w)
                        in_w = -1
                    continue
                chunk = os.read(fd, 65536)
                if chunk:
                    got[fd].append(chunk)
                else:
                    poll.unregister(fd)
                    reading.discard(fd)
    finally:
        for fd in (out_r, err_r, in_w):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), b"".join(got[out_r]), b"".join(got[err_r])


def _reason(cwd: Path, text: str, code: int) -> str:
    """Git's own complaint in one line; a lock file in the way is named, live or stale."""
    import re

    found = re.search(r"Unable to create '([^']+\.lock)': File exists", text)
    if found:
        from reseau_cli.vcs._locks import describe

        return describe(Path(found.group(1)), cwd)
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    complaints = [line for line in lines if line.startswith(("fatal: ", "error: "))]
    reason = (complaints or lines or [_("exit {code}").format(code=code)])[0]
    return reason.removeprefix("fatal: ").removeprefix("error: ")


def attempt(cwd: Path, *args: str) -> str | None:
    """``run`` that answers None instead of failing."""
    try:
        return run(cwd, *args)
    except GitError:
        return None


def execute(
    cwd: Path, *args: str, env: dict[str, str] | None = None, strip: bool = True
) -> tuple[int, str, str]:
    """``git ARGS`` in ``cwd`` whatever its outcome: (exit status, stdout, stderr), each
    output without its final newline unless ``strip`` is false. Only a missing git raises."""
    full_env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "C", **(env or {})}
    if not os.path.isdir(cwd):
        import errno

        reason = os.strerror(errno.ENOTDIR if os.path.exists(cwd) else errno.ENOENT)
        return 128, "", f"fatal: cannot change to '{cwd}': {reason}"
    try:
        code, stdout, stderr = _git(cwd, args, full_env, None, None)
    except FileNotFoundError:
        raise GitError(_("git is not installed or not on PATH")) from None
    out = stdout.decode("utf-8", "replace")
    err = stderr.decode("utf-8", "replace")
    if strip:
        out, err = out.removesuffix("\n"), err.removesuffix("\n")
    return code, out, err


def output(cwd: Path, *args: str, strip: bool = True) -> str | None:
    """The output of ``git ARGS``, or None when it fails."""
    status, out, _ = execute(cwd, *args, strip=strip)
    return out if status == 0 else None
