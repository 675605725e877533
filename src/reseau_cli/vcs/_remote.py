"""Fetching, merging and pushing: what `reseau sync` asks of git."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from reseau_cli.errors import GitError
from reseau_cli.i18n import _
from reseau_cli.vcs._core import Identity, _config, _run, commit_dates, git_dir
from reseau_cli.vcs._plumbing import execute, output
from reseau_cli.vcs.registration import merge_driver_config


@dataclass(frozen=True)
class Outcome:
    """What a git command that may legitimately fail did."""

    ok: bool
    reason: str
    output: str = ""


_UNREADABLE = "fatal: Could not read from remote repository."


def _attempt(root: Path, *args: str, env: dict[str, str] | None = None) -> Outcome:
    status, out, err = execute(root, *args, env=env)
    lines = [line.strip() for line in f"{err}\n{out}".splitlines() if line.strip()]
    errors = [line for line in lines if line.lower().startswith(("fatal:", "error:"))]
    reason = (errors or lines or [_("exit {code}").format(code=status)])[0]
    if reason == _UNREADABLE and lines.index(reason) > 0:
        reason = lines[lines.index(reason) - 1]  # what ssh said is more telling
    reason = reason.removeprefix("fatal: ").removeprefix("error: ")
    return Outcome(ok=status == 0, reason=reason, output=f"{out}\n{err}")


def toplevel(root: Path) -> Path:
    return Path(_run(root, "rev-parse", "--show-toplevel").strip())


def current_branch(root: Path) -> str:
    out = output(root, "symbolic-ref", "--quiet", "--short", "HEAD")
    if out is None:
        raise GitError(
            _("not on a branch (detached HEAD); switch to your branch first (`git switch main`)")
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
    """Fetch the remote's branches, and its validation tags into their mirror
    (``_tags``); the commit of ``branch`` there (None: no such branch)."""
    from reseau_cli.vcs import _tags

    refspec = f"+refs/heads/*:refs/remotes/{remote}/*"
    tags = _tags.refspec(remote)
    done = _attempt(root, "fetch", "--quiet", "--prune", "--no-tags", remote, refspec, tags)
    if not done.ok:
        raise remote_failure(root, remote, done)
    return rev(root, tracking_ref(remote, branch))


# What git, ssh or curl say when waiting will not help (the repository is not there, the
# URL is wrong, the credentials are refused), and when it may (the network, the server).
# Checked in this order: a name lookup that fails for now is the network's fault.
_PASSING = (
    "temporary failure in name resolution",
    "network is unreachable",
    "no route to host",
    "connection refused",
    "connection reset",
    "connection closed",
    "timed out",
    "could not connect",
    "failed to connect",
    "hung up unexpectedly",
    "early eof",
)
_SETUP = (
    "does not appear to be a git repository",
    "not a git repository",
    "repository not found",
    "not found",
    "could not resolve host",
    "name or service not known",
    "unable to find remote helper",
    "is not a git command",
    "is not supported",
    "authentication failed",
    "permission denied",
    "could not read username",
    "could not read password",
    "invalid username or password",
    "host key verification failed",
    "access denied",
    "returned error: 401",
    "returned error: 403",
    "returned error: 404",
)


def failure_kind(output: str) -> str:
    """``setup``, ``passing`` or ``unknown``: what kind of failure git's output tells."""
    said = output.lower()
    if any(marker in said for marker in _PASSING):
        return "passing"
    if any(marker in said for marker in _SETUP):
        return "setup"
    return "unknown"


def remote_failure(root: Path, remote: str, done: Outcome) -> Exception:
    """The error to raise for a remote that did not answer as it should."""
    from reseau_cli.errors import RemoteMisconfigured, RemoteUnreachable

    url = remote_url(root, remote)
    if failure_kind(done.output) == "setup":
        return RemoteMisconfigured(remote=remote, url=url, reason=done.reason)
    return RemoteUnreachable(remote=remote, url=url, reason=done.reason)


@dataclass(frozen=True)
class RemoteHead:
    """What the remote's HEAD (the branch a new clone checks out) names."""

    exists: bool  # False: HEAD names a branch the remote does not have
    branch: str | None  # None when git does not say (a remote behind a URL)


def remote_head(root: Path, remote: str) -> RemoteHead | None:
    """The remote's HEAD; None when the remote has no branch yet or cannot be asked."""
    done = _attempt(root, "ls-remote", "--symref", remote)
    if not done.ok:
        return None
    lines = [line.split("\t") for line in done.output.splitlines() if "\t" in line]
    if not any(ref.startswith("refs/heads/") for *_, ref in lines):
        return None
    for first, ref in ((line[0], line[-1]) for line in lines):
        if ref == "HEAD" and first.startswith("ref: refs/heads/"):
            return RemoteHead(exists=True, branch=first.removeprefix("ref: refs/heads/"))
    # git lists no HEAD when it names a branch that does not exist; a repository on a
    # path can say which.
    return RemoteHead(exists=False, branch=local_head(root / remote_url(root, remote)))


def local_head(path: Path) -> str | None:
    """The branch the HEAD of the git repository at ``path`` names (None: not one)."""
    if not path.is_dir():
        return None
    try:
        out = output(path, "symbolic-ref", "--quiet", "--short", "HEAD")
    except GitError:
        return None
    return (out or "").strip() or None


def set_local_head(path: Path, branch: str) -> None:
    """Point the HEAD of the (bare) repository at ``path`` to ``branch``."""
    _run(path, "symbolic-ref", "HEAD", f"refs/heads/{branch}")


def repository_kind(path: Path) -> str | None:
    """``bare``, ``work tree``, or None when ``path`` is not the top of a git repository."""

    def ask(*args: str) -> str | None:
        try:
            found = output(path, "rev-parse", *args)
        except GitError:
            return None
        return None if found is None else found.strip()

    bare = ask("--is-bare-repository")
    if bare is None:
        return None
    top, kind = (
        (ask("--absolute-git-dir"), "bare")
        if bare == "true"
        else (ask("--show-toplevel"), "work tree")
    )
    if top is None:
        return None
    return kind if Path(top).resolve() == path.resolve() else None


def unborn_clone(path: Path, marker: str) -> tuple[str, str] | None:
    """(the current branch, a remote branch that has ``marker`` at the top) when ``path``
    is in a clone whose current branch has no commit yet: what cloning a remote whose
    HEAD names a branch it does not have leaves."""
    from reseau_cli.vcs._core import has_commits, is_inside_work_tree

    if not path.is_dir() or not is_inside_work_tree(path) or has_commits(path):
        return None
    branch = local_head(path)
    refs = output(path, "for-each-ref", "--format=%(refname:short)", "refs/remotes")
    if refs is None:
        return None
    names = [ref for ref in refs.split() if not ref.endswith("/HEAD")]
    names.sort(key=lambda ref: (not ref.startswith("origin/"), ref))
    found = next((ref for ref in names if show(path, ref, marker) is not None), None)
    if branch is None or found is None:
        return None
    return branch, found


def init_bare(path: Path, branch: str, *, cwd: Path) -> None:
    """A new bare repository at ``path`` whose HEAD names ``branch``."""
    _run(cwd, "init", "--quiet", "--bare", str(path))
    set_local_head(path, branch)


def add_remote(root: Path, name: str, url: str) -> None:
    _run(root, "remote", "add", name, url)


def remove_remote(root: Path, name: str) -> None:
    _run(root, "remote", "remove", name)


def rev(root: Path, ref: str) -> str | None:
    out = output(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    return (out or "").strip() or None


def ahead_behind(root: Path, ref: str) -> tuple[int, int]:
    """Commits HEAD has that ``ref`` lacks, and the other way round."""
    out = _run(root, "rev-list", "--left-right", "--count", f"HEAD...{ref}")
    ahead, behind = out.split()
    return int(ahead), int(behind)


def fast_forward(root: Path, ref: str) -> None:
    _run(root, "merge", "--quiet", "--ff-only", ref)


def mark_merge(root: Path, started: bool) -> None:
    """Record (or clear) that a sync merge is under way, durably, with HEAD before it:
    a command that finds the mark after a crash undoes the merge (see ``_recover``)."""
    from reseau_cli.vcs._atomic import SYNC_MERGE

    mark = git_dir(root) / SYNC_MERGE
    if not started:
        mark.unlink(missing_ok=True)
        return
    temp = mark.with_name(SYNC_MERGE + ".tmp")
    with open(temp, "w", encoding="utf-8") as out:
        out.write(_run(root, "rev-parse", "HEAD").strip() + "\n")
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, mark)


def merge(root: Path, ref: str, *, env: dict[str, str] | None = None) -> bool:
    """Merge ``ref`` without committing, with the reseau driver. True when clean;
    False when git stopped on conflicts (the merge is then in progress)."""
    config = [arg for k, v in merge_driver_config().items() for arg in ("-c", f"{k}={v}")]
    done = _attempt(root, *config, "merge", "--no-ff", "--no-commit", "--quiet", ref, env=env)
    if done.ok:
        return True
    if not merging(root):
        raise GitError(_("git merge failed: {reason}").format(reason=done.reason))
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
        **commit_dates(),
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
    return output(root, "show", f"{ref}:{path}", strip=False)


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
