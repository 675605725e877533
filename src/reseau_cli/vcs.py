"""Everything reseau asks of git, through GitPython (imported only when needed).

Every write command becomes exactly one commit touching exactly its files, signed
with the user's own git identity. Writes are refused while git is in the middle of
a merge or rebase, or when a file to change holds edits made outside reseau.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reseau_cli.errors import DirtyFile, GitError, MissingIdentity, RepositoryBusy

_FIELD = "\x1f"
_BUSY_MARKERS = {
    "MERGE_HEAD": "a merge",
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase or `git am`",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
}


@dataclass(frozen=True)
class Identity:
    name: str
    email: str


@dataclass(frozen=True)
class LogEntry:
    commit: str
    date: str
    author: str
    email: str
    message: str


def _git(root: Path) -> Any:
    import git

    return git.Git(str(root))


def _run(root: Path, *args: str, **kwargs: Any) -> str:
    import git

    try:
        return _git(root).execute(["git", *args], **kwargs)
    except git.GitCommandError as exc:
        detail = (exc.stderr or exc.stdout or "").strip().splitlines()
        reason = detail[-1].strip() if detail else f"exit {exc.status}"
        reason = reason.removeprefix("stderr: ").strip("' ")
        raise GitError(f"git {args[0]} failed: {reason}") from None
    except git.GitCommandNotFound:
        raise GitError("git is not installed or not on PATH") from None


def is_inside_work_tree(path: Path) -> bool:
    import git

    try:
        out = _git(path).execute(["git", "rev-parse", "--is-inside-work-tree"])
    except (git.GitCommandError, git.GitCommandNotFound):
        return False
    return out.strip() == "true"


def git_dir(root: Path) -> Path:
    """The repository's git folder (``.git``, or elsewhere for worktrees)."""
    dot_git = root / ".git"
    if dot_git.is_dir():
        return dot_git
    out = _run(root, "rev-parse", "--absolute-git-dir")
    return Path(out.strip())


def init(path: Path) -> None:
    _run(path, "init", "--quiet", "--initial-branch=main")


def identity(root: Path) -> Identity:
    """The identity commits will carry: the environment first, then git config."""
    name = os.environ.get("GIT_AUTHOR_NAME") or _config(root, "user.name")
    email = (
        os.environ.get("GIT_AUTHOR_EMAIL") or _config(root, "user.email") or os.environ.get("EMAIL")
    )
    if not name or not email:
        raise MissingIdentity()
    return Identity(name=name, email=email)


def _config(root: Path, key: str) -> str | None:
    import git

    try:
        value = _git(root).execute(["git", "config", "--get", key])
    except (git.GitCommandError, git.GitCommandNotFound):
        return None
    return value.strip() or None


def ensure_idle(root: Path) -> None:
    """Refuse to write while git is mid-merge, mid-rebase or has unmerged files."""
    gdir = git_dir(root)
    for marker, what in _BUSY_MARKERS.items():
        if (gdir / marker).exists():
            raise RepositoryBusy(
                f"the repository is in the middle of {what}; finish it or abort it "
                "(for example `git merge --abort`) before changing anything"
            )


def ensure_clean(root: Path, paths: list[Path]) -> None:
    """Refuse when a file to change has uncommitted or untracked edits."""
    if not paths:
        return
    out = _run(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *map(str, paths))
    for entry in filter(None, out.split("\0")):
        state, name = entry[:2], entry[3:]
        if state.strip():
            if "U" in state or state in ("AA", "DD"):
                raise RepositoryBusy(f"{name} has an unresolved merge conflict; resolve it first")
            raise DirtyFile(path=name)


def commit(root: Path, paths: list[Path], message: str, who: Identity) -> str:
    """Stage exactly ``paths`` and commit only them; returns the new commit id."""
    env = {
        "GIT_AUTHOR_NAME": who.name,
        "GIT_AUTHOR_EMAIL": who.email,
        "GIT_COMMITTER_NAME": os.environ.get("GIT_COMMITTER_NAME") or who.name,
        "GIT_COMMITTER_EMAIL": os.environ.get("GIT_COMMITTER_EMAIL") or who.email,
    }
    names = [str(p) for p in paths]
    _run(root, "add", "--", *names)
    try:
        _run(root, "commit", "--quiet", "--no-verify", "-m", message, "--", *names, env=env)
    except GitError:
        # Leave the index as it was: the caller restores the files themselves.
        import git

        with contextlib.suppress(git.GitCommandError):
            _git(root).execute(["git", "reset", "--quiet", "--", *names])
        raise
    return _run(root, "rev-parse", "HEAD").strip()


def has_commits(root: Path) -> bool:
    import git

    try:
        _git(root).execute(["git", "rev-parse", "--verify", "--quiet", "HEAD"])
    except git.GitCommandError:
        return False
    return True


def log(root: Path, *, path: Path | None = None, limit: int | None = None) -> list[LogEntry]:
    """The history, newest first, optionally of one file (following renames)."""
    if not has_commits(root):
        return []
    args = ["log", f"--format=%H{_FIELD}%ad{_FIELD}%an{_FIELD}%ae{_FIELD}%s", "--date=short"]
    if limit is not None:
        args.append(f"-n{limit}")
    if path is not None:
        args += ["--", str(path)]
    out = _run(root, *args)
    entries = []
    for line in out.splitlines():
        parts = line.split(_FIELD)
        if len(parts) == 5:
            entries.append(LogEntry(*parts))
    return entries


def head(root: Path) -> str | None:
    if not has_commits(root):
        return None
    return _run(root, "rev-parse", "--short", "HEAD").strip()


@dataclass(frozen=True)
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


def file_at(
    root: Path, path: Path, *, commit: str | None = None, before: str | None = None
) -> str | None:
    """The text of ``path`` at ``commit``, or as last committed on or before the date
    ``before`` (YYYY-MM-DD, end of that day); None when it did not exist then."""
    import git

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
    try:
        return _git(root).execute(
            ["git", "show", f"{commit}:./{rel}"], strip_newline_in_stdout=False
        )
    except git.GitCommandError:
        return None


# -- the merge driver ---------------------------------------------------------------------

DRIVER_NAME = "reseau: person and intervenant files, merged field by field"
CONFLICTS_DIR = "reseau-conflicts"


def merge_driver_command() -> str:
    """The shell command git runs to merge a data file, with this very Python, so it
    works whether reseau is a console script or run as ``python -m reseau_cli``."""
    import shlex
    import sys

    return f"{shlex.quote(sys.executable)} -m reseau_cli merge-driver %O %A %B %P"


def merge_driver_config() -> dict[str, str]:
    return {"merge.reseau.name": DRIVER_NAME, "merge.reseau.driver": merge_driver_command()}


def _config_file(root: Path) -> Path | None:
    """The repository's local config file, found without running git (None if unsure)."""
    for folder in (root, *root.parents):
        dot_git = folder / ".git"
        if dot_git.is_dir():
            return dot_git / "config"
        if dot_git.is_file():
            try:
                text = dot_git.read_text(encoding="utf-8").strip()
            except OSError:
                return None
            if not text.startswith("gitdir:"):
                return None
            gdir = (folder / text.removeprefix("gitdir:").strip()).resolve()
            common = gdir / "commondir"
            if common.is_file():
                gdir = (gdir / common.read_text(encoding="utf-8").strip()).resolve()
            return gdir / "config"
    return None


def _config_text_value(value: str) -> str:
    """How ``git config`` writes ``value`` in the config file."""
    quote = value != value.strip() or any(c in value for c in ";#")
    escaped = (
        value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"' if quote else escaped


def merge_driver_registered(root: Path) -> bool:
    """Whether the local config already runs this reseau as the merge driver.

    Read from the config file's text (no git process): it is checked on every command."""
    config = _config_file(root)
    if config is None:
        return False
    try:
        text = config.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    line = f"\tdriver = {_config_text_value(merge_driver_command())}\n"
    return '[merge "reseau"]' in text and line in text


def register_merge_driver(root: Path) -> bool:
    """Register the reseau merge driver in the repository's local git config.

    Returns True when the config was written, False when it already was right."""
    if merge_driver_registered(root):
        return False
    for key, value in merge_driver_config().items():
        _run(root, "config", "--local", key, value)
    return True


def ensure_merge_driver(root: Path) -> None:
    """Register the driver if needed, silently: a read-only command must not fail
    because the git config cannot be written (``sync`` passes the driver itself)."""
    if merge_driver_registered(root):
        return
    with contextlib.suppress(GitError):
        if is_inside_work_tree(root):
            register_merge_driver(root)


# -- synchronising with a remote ----------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What a git command that may legitimately fail did."""

    ok: bool
    reason: str
    output: str = ""


def _attempt(root: Path, *args: str, env: dict[str, str] | None = None) -> Outcome:
    import git

    try:
        status, out, err = _git(root).execute(
            ["git", *args], with_extended_output=True, with_exceptions=False, env=env
        )
    except git.GitCommandNotFound:
        raise GitError("git is not installed or not on PATH") from None
    lines = [line.strip() for line in f"{err}\n{out}".splitlines() if line.strip()]
    errors = [line for line in lines if line.lower().startswith(("fatal:", "error:"))]
    reason = (errors or lines or [f"exit {status}"])[0]
    reason = reason.removeprefix("fatal: ").removeprefix("error: ")
    return Outcome(ok=status == 0, reason=reason, output=f"{out}\n{err}")


def toplevel(root: Path) -> Path:
    return Path(_run(root, "rev-parse", "--show-toplevel").strip())


def current_branch(root: Path) -> str:
    import git

    try:
        out = _git(root).execute(["git", "symbolic-ref", "--quiet", "--short", "HEAD"])
    except git.GitCommandError:
        raise GitError(
            "not on a branch (detached HEAD); switch to your branch first (`git switch main`)"
        ) from None
    return out.strip()


def remotes(root: Path) -> list[str]:
    return _run(root, "remote").split()


def remote_url(root: Path, remote: str) -> str:
    return _config(root, f"remote.{remote}.url") or remote


def upstream(root: Path, branch: str) -> tuple[str, str] | None:
    """The (remote, branch) this branch tracks, if any."""
    remote = _config(root, f"branch.{branch}.remote")
    merge = _config(root, f"branch.{branch}.merge")
    if not remote or not merge or remote == ".":
        return None
    return remote, merge.removeprefix("refs/heads/")


def tracking_ref(remote: str, branch: str) -> str:
    return f"refs/remotes/{remote}/{branch}"


def fetch(root: Path, remote: str, branch: str) -> str | None:
    """Fetch the remote's branches; the commit of ``branch`` there (None: no such branch)."""
    refspec = f"+refs/heads/*:refs/remotes/{remote}/*"
    done = _attempt(root, "fetch", "--quiet", "--prune", "--no-tags", remote, refspec)
    if not done.ok:
        from reseau_cli.errors import RemoteUnreachable

        raise RemoteUnreachable(remote=remote, url=remote_url(root, remote), reason=done.reason)
    return rev(root, tracking_ref(remote, branch))


def rev(root: Path, ref: str) -> str | None:
    import git

    try:
        out = _git(root).execute(["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"])
    except git.GitCommandError:
        return None
    return out.strip() or None


def ahead_behind(root: Path, ref: str) -> tuple[int, int]:
    """Commits HEAD has that ``ref`` lacks, and the other way round."""
    out = _run(root, "rev-list", "--left-right", "--count", f"HEAD...{ref}")
    ahead, behind = out.split()
    return int(ahead), int(behind)


def fast_forward(root: Path, ref: str) -> None:
    _run(root, "merge", "--quiet", "--ff-only", ref)


def merge(root: Path, ref: str, *, env: dict[str, str] | None = None) -> bool:
    """Merge ``ref`` without committing, with the reseau driver. True when clean;
    False when git stopped on conflicts (the merge is then in progress)."""
    config = [arg for k, v in merge_driver_config().items() for arg in ("-c", f"{k}={v}")]
    done = _attempt(root, *config, "merge", "--no-ff", "--no-commit", "--quiet", ref, env=env)
    if done.ok:
        return True
    if not merging(root):
        raise GitError(f"git merge failed: {done.reason}")
    return False


def merging(root: Path) -> bool:
    return (git_dir(root) / "MERGE_HEAD").exists()


def unmerged_paths(root: Path) -> list[str]:
    """Files left in conflict by a merge, relative to the top of the work tree."""
    out = _run(root, "diff", "--name-only", "--diff-filter=U", "-z")
    return sorted(set(filter(None, out.split("\0"))))


def changed_in_merge(root: Path) -> list[str]:
    """Files a merge in progress changes compared with HEAD."""
    out = _run(root, "diff", "--cached", "--name-only", "-z", "HEAD")
    return sorted(filter(None, out.split("\0")))


def abort_merge(root: Path) -> None:
    """Undo a merge in progress (if any): index and work tree as before it started."""
    if merging(root) and not _attempt(root, "merge", "--abort").ok:
        _run(root, "reset", "--quiet", "--merge")


def commit_merge(root: Path, message: str, who: Identity) -> str:
    env = {
        "GIT_AUTHOR_NAME": who.name,
        "GIT_AUTHOR_EMAIL": who.email,
        "GIT_COMMITTER_NAME": os.environ.get("GIT_COMMITTER_NAME") or who.name,
        "GIT_COMMITTER_EMAIL": os.environ.get("GIT_COMMITTER_EMAIL") or who.email,
    }
    _run(root, "commit", "--quiet", "--no-verify", "-m", message, env=env)
    return _run(root, "rev-parse", "HEAD").strip()


def push(root: Path, remote: str, branch: str, *, set_upstream: bool) -> Outcome:
    args = ["push", "--quiet", "--porcelain"]
    if set_upstream:
        args.append("--set-upstream")
    done = _attempt(root, *args, remote, f"HEAD:refs/heads/{branch}")
    if done.ok:
        return done
    # `--porcelain`: "!<TAB>from:to<TAB>[rejected] (why)"; the server may say more.
    lines = done.output.splitlines()
    why = [line.split("\t")[-1] for line in lines if line.startswith("!\t")]
    said = [line.removeprefix("remote:").strip() for line in lines if line.startswith("remote:")]
    reason = "; ".join(filter(None, [*why[:1], *said[:2]])) or done.reason
    return Outcome(ok=False, reason=reason, output=done.output)


def show(root: Path, ref: str, path: str) -> str | None:
    """A file's text at ``ref`` (path relative to the top of the work tree), or None."""
    import git

    try:
        return _git(root).execute(["git", "show", f"{ref}:{path}"], strip_newline_in_stdout=False)
    except git.GitCommandError:
        return None


def uncommitted(root: Path, paths: list[str]) -> list[str]:
    """Files under ``paths`` with uncommitted or untracked changes."""
    out = _run(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *paths)
    found, entries = [], iter(out.split("\0"))
    for entry in entries:
        if len(entry) > 3 and entry[:2].strip():
            found.append(entry[3:])
            if entry[0] in "RC":
                next(entries, None)  # the original name of a rename or copy
    return found


def count(root: Path, ref: str) -> int:
    return int(_run(root, "rev-list", "--count", ref).strip())


def take_version(root: Path, path: str, ref: str) -> None:
    """Put ``ref``'s version of ``path`` (relative to the top of the work tree) in the
    index and work tree, resolving a conflict; removes it if ``ref`` has no such file."""
    top = toplevel(root)
    if show(top, ref, path) is None:
        _run(top, "rm", "--quiet", "--force", "--ignore-unmatch", "--", path)
    else:
        _run(top, "checkout", ref, "--", path)
