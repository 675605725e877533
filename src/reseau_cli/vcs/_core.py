"""Identity, history and the state of the working copy.

Commits carry the user's own git identity (built by `_atomic`). Writes are refused
while git is in the middle of a merge, rebase, cherry-pick or revert (naming the
matching `--abort`), or when a file to change holds edits made outside reseau.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from reseau_cli.errors import DirtyFile, GitError, MissingIdentity, RepositoryBusy
from reseau_cli.i18n import _
from reseau_cli.records import frozen

_FIELD = "\x1f"
# What git is in the middle of, and how to abort it.
_BUSY_MARKERS = {
    "MERGE_HEAD": ("merge", "git merge --abort"),
    "rebase-merge": ("rebase", "git rebase --abort"),
    "rebase-apply": ("rebase", "git rebase --abort"),
    "CHERRY_PICK_HEAD": ("cherry-pick", "git cherry-pick --abort"),
    "REVERT_HEAD": ("revert", "git revert --abort"),
}


def _busy(what: str) -> str:
    """The sentence for a repository in the middle of WHAT, with ``{abort}`` to fill."""
    if what == "merge":
        return _(
            "the repository is in the middle of a merge; finish it, or abort it with "
            "`{abort}`, before changing anything"
        )
    if what == "rebase":
        return _(
            "the repository is in the middle of a rebase; finish it, or abort it with "
            "`{abort}`, before changing anything"
        )
    if what == "am":
        return _(
            "the repository is in the middle of `git am`; finish it, or abort it with "
            "`{abort}`, before changing anything"
        )
    if what == "cherry-pick":
        return _(
            "the repository is in the middle of a cherry-pick; finish it, or abort it with "
            "`{abort}`, before changing anything"
        )
    return _(
        "the repository is in the middle of a revert; finish it, or abort it with "
        "`{abort}`, before changing anything"
    )


@frozen
class Identity:
    name: str
    email: str
    sign: bool = False  # commit.gpgsign: commits are signed (read only when asked for)
    # i18n.commitEncoding when it names another encoding than UTF-8 (read with ``sign``):
    # git writes it in the commit.
    encoding: str | None = None
    # core.fsync or core.fsyncObjectFiles set (read with ``sign``): how hard git makes
    # its objects durable is the user's word, and fast-import keeps its own fsync.
    fsync: bool = False
    # Neither core.sharedRepository nor any extensions.* set (read with ``sign``): git
    # writes its loose objects as plain files (``_loose`` may write them the same way).
    loose: bool = False
    # None of core.autocrlf, core.eol, core.safecrlf, core.attributesFile, attr.* set
    # (read with ``sign``): how git makes a blob of a file depends on its attributes files
    # only (``_loose.plain_blobs``).
    blobs: bool = False
    # gc.auto, gc.autoDetach, maintenance.auto and maintenance.autoDetach as set (read
    # with ``sign``): git's automatic upkeep after a write (``_upkeep``).
    upkeep: tuple[tuple[str, str], ...] = ()


@frozen
class LogEntry:
    commit: str
    date: str
    author: str
    email: str
    message: str


def _run(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """``git ARGS`` in ``root`` (see ``_plumbing``): its output, or GitError naming git's
    last word."""
    from reseau_cli.vcs._plumbing import execute

    status, out, err = execute(root, *args, env=env)
    if status != 0:
        detail = (err or out or "").strip().splitlines()
        reason = detail[-1].strip() if detail else _("exit {code}").format(code=status)
        raise GitError(_("git {command} failed: {reason}").format(command=args[0], reason=reason))
    return out


def is_inside_work_tree(path: Path) -> bool:
    from reseau_cli.vcs._plumbing import output

    try:
        return (output(path, "rev-parse", "--is-inside-work-tree") or "").strip() == "true"
    except GitError:  # no git at all
        return False


def git_dir(root: Path) -> Path:
    """The repository's git folder (``.git``, or elsewhere for worktrees)."""
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git
    from reseau_cli.vcs._plumbing import run

    return Path(run(root, "rev-parse", "--absolute-git-dir").strip())


def init(path: Path) -> None:
    _run(path, "init", "--quiet", "--initial-branch=main")


def identity(root: Path, *, signing: bool = False) -> Identity:
    """The identity commits will carry: the environment first, then git config; with
    ``signing``, also whether commits are signed (``commit.gpgsign``). Git's settings
    are read by one ``git config`` process, and none when the environment names the
    author and signing is not asked for."""
    name = os.environ.get("GIT_AUTHOR_NAME")
    email = os.environ.get("GIT_AUTHOR_EMAIL")
    found = _configs(root) if signing or not name or not email else {}
    name = name or found.get("user.name")
    email = email or found.get("user.email") or os.environ.get("EMAIL")
    if not name or not email:
        raise MissingIdentity()
    encoding = found.get("i18n.commitencoding")
    if encoding and encoding.lower() in ("utf-8", "utf8"):
        encoding = None
    return Identity(
        name=name,
        email=email,
        sign=_true(found.get("commit.gpgsign")),
        encoding=encoding,
        fsync="core.fsync" in found or "core.fsyncobjectfiles" in found,
        loose=signing and not any(k.startswith(_NOT_LOOSE) for k in found),
        blobs=signing and not any(k.startswith(_NOT_PLAIN) for k in found),
        upkeep=tuple((k, v) for k, v in found.items() if k in _UPKEEP),
    )


def _config(root: Path, key: str) -> str | None:
    from reseau_cli.vcs._plumbing import attempt

    value = attempt(root, "config", "--get", key)
    return (value or "").strip() or None


_WANTED = (
    r"^(user\.name|user\.email|commit\.gpgsign|i18n\.commitencoding"
    r"|core\.fsync|core\.fsyncobjectfiles|core\.sharedrepository|extensions\..*"
    r"|core\.autocrlf|core\.eol|core\.safecrlf|core\.attributesfile|attr\..*"
    r"|gc\.auto|gc\.autodetach|maintenance\.auto|maintenance\.autodetach)$"
)
# Counted set, whatever the value:
_NOT_LOOSE = ("core.sharedrepository", "extensions.")
_NOT_PLAIN = ("core.autocrlf", "core.eol", "core.safecrlf", "core.attributesfile", "attr.")
_UPKEEP = ("gc.auto", "gc.autodetach", "maintenance.auto", "maintenance.autodetach")
# True when written without ``=``:
_BOOLEANS = (
    "commit.gpgsign",
    "core.fsyncobjectfiles",
    "gc.autodetach",
    "maintenance.auto",
    "maintenance.autodetach",
)


def _configs(root: Path) -> dict[str, str]:
    """The last value of each of user.name, user.email, commit.gpgsign,
    i18n.commitEncoding, core.fsync, core.fsyncObjectFiles and the ``_UPKEEP`` settings
    that git's configuration sets, by one process (a key written without ``=``: true for the
    boolean, nothing for the others); ``set`` for each of _NOT_LOOSE and _NOT_PLAIN
    set at all."""
    out: dict[str, str | None] = {}
    for item in (_asked(root) or "").split("\0"):
        if item:
            key, newline, value = item.partition("\n")
            key = key.lower()
            if key.startswith(_NOT_LOOSE + _NOT_PLAIN):
                out[key] = "set"
            else:
                out[key] = value.strip() if newline else ("true" if key in _BOOLEANS else None)
    return {k: v for k, v in out.items() if v}


def _asked(root: Path) -> str | None:
    """Git's output for the settings ``_configs`` reads (None: it failed or found
    none): kept under .git (``_configkept``) while nothing git reads them from changes,
    asked of git otherwise."""
    from reseau_cli.vcs import _configkept

    kept = _configkept.read(root, _WANTED)
    if kept is not None:
        return kept[0]
    from reseau_cli.vcs._plumbing import execute

    try:
        code, out, err = execute(root, "config", "-z", "--get-regexp", _WANTED)
    except GitError:  # no git at all
        return None
    if code == 0:
        _configkept.keep(root, _WANTED, out)
        return out
    if code == 1 and not out and not err.strip():  # none of them set
        _configkept.keep(root, _WANTED, None)
    return None


def _true(value: str | None) -> bool:
    """A boolean as git reads one (``true``/``yes``/``on``/a non-zero number); anything
    git would refuse counts as false, as an unreadable setting did."""
    if value is None:
        return False
    word = value.strip().lower()
    if word in ("true", "yes", "on"):
        return True
    try:
        return int(word, 0) != 0
    except ValueError:
        return False


def ensure_idle(root: Path) -> None:
    """Refuse to write while git is mid-merge, mid-rebase or has unmerged files."""
    gdir = git_dir(root)
    for marker, (what, abort) in _BUSY_MARKERS.items():
        if (gdir / marker).exists():
            if marker == "rebase-apply" and (gdir / marker / "applying").exists():
                what, abort = "am", "git am --abort"
            raise RepositoryBusy(_busy(what).format(abort=abort))


def ensure_clean(root: Path, paths: list[Path]) -> None:
    """Refuse when a file to change has uncommitted or untracked edits."""
    from reseau_cli.vcs._plumbing import run

    if not paths:
        return
    from reseau_cli.vcs._atomic import locate
    from reseau_cli.vcs._clean import proven_clean

    if proven_clean(locate(root), paths):
        return  # git's files prove it: no git process (each reads the whole index)
    # No optional locks: a status killed with its command must leave no index.lock behind.
    args = ["--no-optional-locks", "status", "--porcelain", "-z", "--untracked-files=all"]
    out = run(root, *args, "--", *map(str, paths), what="status")
    for entry in filter(None, out.split("\0")):
        state, name = entry[:2], entry[3:]
        if state.strip():
            if "U" in state or state in ("AA", "DD"):
                raise RepositoryBusy(
                    _("{path} has an unresolved merge conflict; resolve it first").format(path=name)
                )
            raise DirtyFile(path=name)


def commit_dates() -> dict[str, str]:
    """Git's date variables for a commit made now: with RESEAU_TODAY set, that day at the
    time of day it is now, so that a back-dated demonstration's documents are made on
    the day of the version they are made from. ``GIT_AUTHOR_DATE`` and
    ``GIT_COMMITTER_DATE`` already in the environment win."""
    forced = os.environ.get("RESEAU_TODAY")
    if not forced:
        return {}
    from reseau_cli.dates import parse

    now = dt.datetime.now().astimezone().replace(microsecond=0)
    stamp = dt.datetime.combine(parse(forced, what="RESEAU_TODAY"), now.timetz()).isoformat()
    return {
        name: os.environ.get(name) or stamp for name in ("GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE")
    }


def has_commits(root: Path) -> bool:
    from reseau_cli.vcs._plumbing import output

    return output(root, "rev-parse", "--verify", "--quiet", "HEAD") is not None


def log(root: Path, *, path: Path | None = None, limit: int | None = None) -> list[LogEntry]:
    """The history, newest first, optionally of one file: every commit that changed it,
    merges included (``--full-history``: git's default would drop a merge that took the
    other side's version, and the commit that version replaced)."""
    if not has_commits(root):
        return []
    args = ["log", f"--format=%H{_FIELD}%ad{_FIELD}%an{_FIELD}%ae{_FIELD}%s", "--date=short"]
    if limit is not None:
        args.append(f"-n{limit}")
    if path is not None:
        args += ["--full-history", "--", str(path)]
    out = _run(root, *args)
    entries = []
    for line in out.splitlines():
        parts = line.split(_FIELD)
        if len(parts) == 5:
            entries.append(LogEntry(*parts))
    return entries


def file_commits(root: Path, path: Path) -> list[LogEntry]:
    """Every commit that changed ``path``, oldest first, dated to the second (ISO 8601
    with offset): who changed the file when, for an export's provenance."""
    if not has_commits(root):
        return []
    fmt = f"--format=%H{_FIELD}%aI{_FIELD}%an{_FIELD}%ae{_FIELD}%s"
    out = _run(root, "log", "--reverse", "--full-history", fmt, "--", str(path))
    return [LogEntry(*p) for p in (line.split(_FIELD) for line in out.splitlines()) if len(p) == 5]


def head(root: Path) -> str | None:
    if not has_commits(root):
        return None
    return _run(root, "rev-parse", "--short", "HEAD").strip()


def tracked(root: Path, path: Path) -> list[str]:
    """Files git tracks (in the index) at ``path`` or under it, relative to ``root``.

    ``path`` may lie outside the repository: if it holds the repository, every tracked
    file is under it; otherwise nothing is."""
    root = root.resolve()
    path = path.resolve()
    if path == root or path in root.parents:
        spec: list[str] = []
    elif root in path.parents:
        spec = ["--", ":(literal)" + path.relative_to(root).as_posix()]
    else:
        return []
    if not is_inside_work_tree(root):
        return []
    out = _run(root, "ls-files", "-z", "--full-name", *spec)
    return [name for name in out.split("\0") if name]


@frozen
class Version:
    """One committed version of a file."""

    commit: str
    date: str  # committer date, ISO 8601 with offset


def file_versions(root: Path, path: Path) -> list[Version]:
    """Every commit that changed ``path``, oldest first."""
    if not has_commits(root):
        return []
    out = _run(root, "log", "--reverse", f"--format=%H{_FIELD}%cI", "--", str(path))
    versions = []
    for line in out.splitlines():
        commit, _, date = line.partition(_FIELD)
        if commit:
            versions.append(Version(commit, date))
    return versions


def folder_versions(root: Path, folder: Path) -> dict[str, list[Version]] | None:
    """``file_versions`` of every file under ``folder`` (by path relative to ``root``, the
    data repository, which may be a folder inside the git work tree),
    from one pass over the history: one git process instead of one per file. Only for a
    linear history (no merge commit): with merges, which commits ``git log -- FILE``
    lists depends on each file's own history simplification, so None is returned and
    the caller asks file by file."""
    if not has_commits(root):
        return {}
    prefix = Path(os.path.relpath(folder, root)).as_posix().rstrip("/") + "/"
    fmt = f"--format=%x1e%H{_FIELD}%P{_FIELD}%cI"
    out = _run(root, "log", fmt, "--name-only", "--no-renames", "--relative")
    found: dict[str, list[Version]] = {}
    for record in out.split("\x1e")[1:]:  # newest first
        head, _, names = record.partition("\n")
        commit, parents, date = head.split(_FIELD)
        if len(parents.split()) > 1:
            return None
        for name in names.split("\n"):
            if name.startswith(prefix):
                found.setdefault(name, []).append(Version(commit, date))
    for versions in found.values():
        versions.reverse()  # oldest first
    return found


def file_at(
    root: Path, path: Path, *, commit: str | None = None, before: str | None = None
) -> str | None:
    """The text of ``path`` at ``commit``, or as last committed on or before the date
    ``before`` (YYYY-MM-DD, end of that day); None when it did not exist then."""
    from reseau_cli.vcs._plumbing import output

    rel = Path(os.path.relpath(path, root)).as_posix()
    if commit is None:
        if not has_commits(root):
            return None
        args = ["log", "-n1", "--format=%H"]
        if before is not None:
            args.append(f"--before={before}T23:59:59")
        commit = _run(root, *args, "--", str(path)).strip()
        if not commit:
            return None
    return output(root, "show", f"{commit}:./{rel}", strip=False)
