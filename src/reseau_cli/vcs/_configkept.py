"""The answer of the write path's one ``git config`` question, kept under ``.git``.

A write asks git for a handful of settings (``_core._configs``): one process each time,
for an answer that changes only when git's configuration does. That answer is kept in
``.git/reseau-config-kept`` (mode 0600, written as a temporary file then renamed), with a
digest of everything git's answer depends on:

- the content (or absence) of every file git reads configuration from: the system file
  (whose path is asked of git itself when the answer is kept: it depends on how git was
  built), ``$GIT_CONFIG`` (which ``git config`` reads instead of all the others), the
  global ones (``$GIT_CONFIG_GLOBAL``, ``$XDG_CONFIG_HOME/git/config``,
  ``$HOME/.config/git/config``, ``$HOME/.gitconfig``), the repository's ``config`` and
  ``config.worktree``; contents, not dates, so no change is ever too recent to be seen;
- every environment variable that can change what git reads (all ``GIT_*``, ``HOME``,
  ``XDG_CONFIG_HOME``, ``PATH``, ``SUDO_UID``), the git found on ``PATH`` (its path and
  its file's identity and dates), the user and the owners of the folders git checks;
- the question itself, and the answer (a torn file is no answer).

Nothing is kept or used when git could read a file outside that list: an include in any
of those files or in the environment's settings, ``GIT_DIR``/``GIT_COMMON_DIR`` set, a
``.git`` that is not a folder or names a common folder. A kept answer that does not match
in any way is only a miss: git is asked, as without it. (Relative paths in the environment
are read from the repository's top, where git runs.)
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

NAME = "reseau-config-kept"
_MAGIC = b"reseau-config-kept 1"
_ENV = ("HOME", "XDG_CONFIG_HOME", "PATH", "SUDO_UID")
# ``[include`` / ``[includeIf`` headers, whatever their case and spacing.
_INCLUDE = re.compile(rb"\[\s*include", re.IGNORECASE)


def _sha256() -> Any:
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # Python 3.11
    except ImportError:  # pragma: no cover - other Pythons
        try:
            from _sha2 import sha256  # type: ignore[import-not-found]
        except ImportError:
            from hashlib import sha256
    return sha256


def _git_on_path(path: str) -> str | None:
    """The ``git`` that spawning ``git`` with this PATH runs (as ``execvp`` finds it)."""
    for folder in path.split(os.pathsep):
        candidate = os.path.join(folder or ".", "git")
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def _content(path: str) -> bytes | None:
    """The bytes of a configuration file, None when there is none; OSError otherwise."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, NotADirectoryError):
        return None


def _digest(root: Path, question: str, system: str, answer: str | None) -> str | None:
    """The digest of everything git's answer to QUESTION depends on, with the ANSWER;
    None when git could read configuration this does not cover."""
    env = os.environ
    if "HOME" not in env or "PATH" not in env or "GIT_DIR" in env or "GIT_COMMON_DIR" in env:
        return None
    for key, value in env.items():
        if key.startswith("GIT_CONFIG") and "include" in value.lower():
            return None
    top = os.path.abspath(root)
    dot_git = os.path.join(top, ".git")
    git = _git_on_path(env["PATH"])
    if git is None:
        return None
    try:
        if os.path.lexists(os.path.join(dot_git, "commondir")):
            return None
        top_stat = os.stat(top)
        dot_stat = os.lstat(dot_git)
        git_stat = os.stat(git)
        home = env["HOME"]
        xdg = env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
        # ``git config`` reads only $GIT_CONFIG when it is set: one more file.
        files = [
            system,
            env.get("GIT_CONFIG", ""),
            env.get("GIT_CONFIG_GLOBAL", ""),
            os.path.join(xdg, "git", "config"),
            os.path.join(home, ".config", "git", "config"),
            os.path.join(home, ".gitconfig"),
            os.path.join(dot_git, "config"),
            os.path.join(dot_git, "config.worktree"),
        ]
        # Relative paths: from where git runs (``git -C``), not from here.
        files = [os.path.join(top, f) if f else "" for f in files]
        if any(f.startswith("~") for f in files):
            return None
        contents = [_content(f) if f else None for f in files]
    except OSError:
        return None
    import stat

    if not stat.S_ISDIR(dot_stat.st_mode):
        return None
    h = _sha256()()
    fields: list[str] = [
        question,
        top,
        system,
        str(os.geteuid()),
        str(top_stat.st_uid),
        str(dot_stat.st_uid),
        git,
        repr(
            (
                git_stat.st_dev,
                git_stat.st_ino,
                git_stat.st_size,
                git_stat.st_mtime_ns,
                git_stat.st_ctime_ns,
            )
        ),
    ]
    fields += [f"{k}={v}" for k, v in sorted(env.items()) if k.startswith("GIT_") or k in _ENV]
    for field in fields:
        encoded = field.encode("utf-8", "surrogateescape")
        h.update(b"%d:" % len(encoded) + encoded)
    for name, content in zip(files, contents, strict=True):
        if content is not None and _INCLUDE.search(content):
            return None
        encoded = name.encode("utf-8", "surrogateescape")
        h.update(b"%d:" % len(encoded) + encoded)
        h.update(b"-" if content is None else b"%d:" % len(content) + content)
    if answer is None:
        h.update(b"none")
    else:
        encoded = answer.encode("utf-8", "surrogateescape")
        h.update(b"%d:" % len(encoded) + encoded)
    return str(h.hexdigest())


def read(root: Path, question: str) -> tuple[str | None] | None:
    """The kept answer to QUESTION, in a 1-tuple (git's output, None when git answered
    nothing); None when there is none that is sure to be git's answer now."""
    try:
        with open(os.path.join(root, ".git", NAME), "rb") as handle:
            data = handle.read()
        magic, digest, kind, system, answer = data.split(b"\n", 4)
        if magic != _MAGIC or kind not in (b"ok", b"none"):
            return None
        text = None if kind == b"none" else answer.decode("utf-8", "surrogateescape")
        found = _digest(root, question, system.decode("utf-8", "surrogateescape"), text)
    except (OSError, ValueError):
        return None
    if found is None or found.encode() != digest:
        return None
    return (text,)


def system_file(root: Path) -> str | None:
    """The system configuration file git reads (whether it exists or not), as git
    names it; None when git does not say."""
    named = os.environ.get("GIT_CONFIG_SYSTEM")
    if named:
        return named
    from reseau_cli.vcs._plumbing import execute

    try:
        code, out, err = execute(root, "config", "--system", "--show-origin", "-z", "--list")
    except Exception:
        return None
    if code == 0 and out.startswith("file:"):
        path = out[5:].split("\0", 1)[0]
    else:
        found = re.search(r"unable to read config file '([^']*)': No such file or directory", err)
        if code == 0 or not found:
            return None
        path = found.group(1)
    return path if os.path.isabs(path) and "\n" not in path else None


def keep(root: Path, question: str, answer: str | None) -> None:
    """Keep git's ANSWER to QUESTION (None: git answered nothing), when it can be."""
    system = system_file(root)
    if system is None:
        return
    digest = _digest(root, question, system, answer)
    if digest is None:
        return
    kind = b"none" if answer is None else b"ok"
    body = answer.encode("utf-8", "surrogateescape") if answer is not None else b""
    data = b"\n".join(
        [_MAGIC, digest.encode(), kind, system.encode("utf-8", "surrogateescape"), body]
    )
    target = os.path.join(root, ".git", NAME)
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
