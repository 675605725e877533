"""The git side of reseau's hooks: where hooks live, writing them, and reading what a
commit or a push is about to store (the index, trees, commits, blobs) without a work tree.

Git runs hooks on every commit and push, so this module runs ``git`` through plain
``subprocess`` (no GitPython: its import alone would slow every commit) and passes the
hook's environment on untouched: a ``pre-receive`` hook reads the pushed objects through
the quarantine directories git names in ``GIT_QUARANTINE_PATH`` and
``GIT_ALTERNATE_OBJECT_DIRECTORIES``, and a ``pre-commit`` hook reads the index git names
in ``GIT_INDEX_FILE``.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from reseau_cli.errors import GitError
from reseau_cli.i18n import _

SYMLINK = "120000"
SUBMODULE = "160000"


@dataclass(frozen=True)
class Entry:
    """One file of a snapshot: its git mode (``100644``, ``120000``…) and blob id."""

    mode: str
    blob: str


Tree = dict[str, Entry]


@dataclass(frozen=True)
class Commit:
    """A commit as stored: its parents and its message."""

    sha: str
    parents: list[str]
    message: str


@dataclass(frozen=True)
class Location:
    """A git repository seen from a folder: bare or not, and its hooks folder."""

    bare: bool
    git_dir: Path
    hooks: Path
    top: Path | None  # the work tree's top folder; None for a bare repository


def git(*args: str, cwd: Path | None = None, data: bytes | None = None) -> bytes:
    """Run git in the hook's environment; its output, or GitError with git's last line."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, input=data, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError(_("git is not installed or not on PATH")) from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines() or [
            _("exit {code}").format(code=done.returncode)
        ]
        reason = lines[-1].removeprefix("fatal: ").removeprefix("error: ")
        raise GitError(_("git {command} failed: {reason}").format(command=args[0], reason=reason))
    return done.stdout


def locate(start: Path) -> Location:
    """The repository ``start`` is in; GitError when it is in none."""
    if not start.is_dir():
        raise GitError(_("{path} is not a folder").format(path=start))
    try:
        out = git(
            "rev-parse",
            "--is-bare-repository",
            "--absolute-git-dir",
            "--git-path",
            "hooks",
            cwd=start,
        )
    except GitError:
        raise GitError(_("{path} is not in a git repository").format(path=start)) from None
    bare, git_dir, hooks = out.decode().splitlines()[:3]
    top = None
    if bare != "true":
        top = Path(git("rev-parse", "--show-toplevel", cwd=start).decode().strip())
    return Location(bare == "true", Path(git_dir), (start / hooks).resolve(), top)


def read_hook(path: Path) -> str | None:
    """The text of an existing hook (None: there is none)."""
    if not path.exists() and not path.is_symlink():
        return None
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""  # unreadable, or a dangling symlink: someone else's hook all the same


def write_hook(path: Path, script: str, *, keep_old: bool) -> Path | None:
    """Install ``script`` as the executable hook ``path``; with ``keep_old``, the hook
    there before is renamed ``<name>.before-reseau`` (returned)."""
    from reseau_cli import store

    kept = None
    if keep_old and (path.exists() or path.is_symlink()):
        kept = path.with_name(f"{path.name}.before-reseau")
        number = 1
        while kept.exists() or kept.is_symlink():
            kept = path.with_name(f"{path.name}.before-reseau.{number}")
            number += 1
        try:
            os.rename(path, kept)
        except OSError as exc:
            from reseau_cli.errors import WriteFailed

            raise WriteFailed(path=path, reason=exc.strerror or str(exc)) from None
    store.write_atomic(path, script, mode=0o755)
    os.chmod(path, 0o755)
    return kept


def is_zero(sha: str) -> bool:
    """Git's "no object": the old side of a new ref, the new side of a deleted one."""
    return set(sha) == {"0"}


def head() -> str | None:
    """The commit HEAD names (None: no commit yet)."""
    try:
        return git("rev-parse", "--verify", "--quiet", "HEAD^{commit}").decode().strip() or None
    except GitError:
        return None


def staged() -> Tree:
    """The files in the index (the one git is about to commit), as git holds them."""
    tree: Tree = {}
    for record in git("ls-files", "--stage", "-z", "--full-name").split(b"\0"):
        if not record:
            continue
        info, _, name = record.partition(b"\t")
        mode, blob, stage = info.decode().split()
        if stage == "0":
            tree[name.decode("utf-8", "surrogateescape")] = Entry(mode, blob)
    return tree


def tree_of(commit: str) -> Tree:
    """Every file of a commit (recursively), without a work tree."""
    tree: Tree = {}
    for record in git("ls-tree", "-r", "-z", "--full-tree", commit).split(b"\0"):
        if not record:
            continue
        info, _, name = record.partition(b"\t")
        mode, _kind, blob = info.decode().split()
        tree[name.decode("utf-8", "surrogateescape")] = Entry(mode, blob)
    return tree


def new_commits(tips: Iterable[str]) -> list[str]:
    """The commits reachable from ``tips`` that no ref of the repository reaches yet
    (in a pre-receive hook: what the push brings), oldest first."""
    tips = [tip for tip in tips if not is_zero(tip)]
    if not tips:
        return []
    out = git("rev-list", "--topo-order", "--reverse", *tips, "--not", "--all")
    return out.decode().split()


@dataclass
class Objects:
    """Reads objects through one ``git cat-file --batch`` process, each once."""

    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _seen: dict[str, bytes] = field(default_factory=dict, repr=False)

    def __enter__(self) -> Objects:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._process is not None:
            assert self._process.stdin is not None
            self._process.stdin.close()
            self._process.wait()
            self._process = None

    def read(self, sha: str) -> bytes:
        if sha in self._seen:
            return self._seen[sha]
        if self._process is None:
            self._process = subprocess.Popen(
                ["git", "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
            )
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        stdin.write(sha.encode() + b"\n")
        stdin.flush()
        header = stdout.readline().decode().split()
        if len(header) != 3:
            raise GitError(_("git cat-file failed: object {sha} is missing").format(sha=sha))
        body = stdout.read(int(header[2]))
        stdout.read(1)  # the newline after each object
        self._seen[sha] = body
        return body

    def commit(self, sha: str) -> Commit:
        """A commit's parents and message."""
        head_part, _, message = self.read(sha).partition(b"\n\n")
        parents = [
            line.split()[1].decode()
            for line in head_part.splitlines()
            if line.startswith(b"parent ")
        ]
        return Commit(sha, parents, message.decode("utf-8", "replace"))
