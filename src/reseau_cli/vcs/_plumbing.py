"""Git plumbing through plain ``subprocess``, for the write path.

Written by hand rather than through GitPython: importing GitPython costs about 120 ms,
and a write should pay only for its commit. Every call can hand the writer's lock to
git (``keep_fd``): a git process that outlives a killed reseau keeps the lock until it
ends, so the next command never sees a half-finished git step.
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from reseau_cli.errors import DiskFull, GitError
from reseau_cli.i18n import _

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
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            env=full_env,
            input=stdin if stdin is not None else b"",
            capture_output=True,
            pass_fds=(keep_fd,) if keep_fd is not None else (),
        )
    except FileNotFoundError:
        raise GitError(_("git is not installed or not on PATH")) from None
    out = done.stdout.decode("utf-8", "replace")
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace")
        if any(marker in err for marker in _NO_SPACE):
            raise DiskFull(where=cwd)
        raise GitError(
            _("git {command} failed: {reason}").format(
                command=what or args[0], reason=_reason(cwd, err or out, done.returncode)
            )
        )
    return out.removesuffix("\n")


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
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, env=full_env, stdin=subprocess.DEVNULL, capture_output=True
        )
    except (FileNotFoundError, NotADirectoryError) as exc:
        if not Path(cwd).is_dir():
            return 128, "", f"fatal: cannot change to '{cwd}': {exc.strerror}"
        raise GitError(_("git is not installed or not on PATH")) from None
    out = done.stdout.decode("utf-8", "replace")
    err = done.stderr.decode("utf-8", "replace")
    if strip:
        out, err = out.removesuffix("\n"), err.removesuffix("\n")
    return done.returncode, out, err


def output(cwd: Path, *args: str, strip: bool = True) -> str | None:
    """The output of ``git ARGS``, or None when it fails."""
    status, out, _ = execute(cwd, *args, strip=strip)
    return out if status == 0 else None
