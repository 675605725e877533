"""`reseau share`: set up the team's shared remote so that a teammate's clone has the data.

It makes no commit: it creates a bare repository when PATH does not exist (its HEAD on
the branch being pushed, where a plain `git init --bare` would leave `master`), adds the
remote, pushes the current branch and makes it track the remote. An existing bare
repository on a path whose HEAD names a branch it does not have gets its HEAD set to
the pushed branch. When the push fails, the remote added and the repository created are
removed again: nothing is left half set up.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from reseau_cli import store, vcs
from reseau_cli.errors import GitError, InvalidInput
from reseau_cli.i18n import _
from reseau_cli.operations import sync
from reseau_cli.repo import Repository

# git's own rule for remote names is looser; this one is what people type.
REMOTE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# ssh's short form, user@host:path or host:path (no slash before the colon).
SCP_LIKE = re.compile(r"^[^/:]+:")


@dataclass(frozen=True)
class ShareReport:
    remote: str
    url: str
    branch: str
    created: bool  # a new bare repository was made at the path
    head_was: str | None = None  # an existing repository's HEAD, moved to ``branch``
    warning: str | None = None  # the remote's HEAD still names a branch it does not have


def share(repo: Repository, target: str, *, remote: str = "origin") -> ShareReport:
    """Set up ``target`` (a path or a URL) as ``remote`` and push the current branch."""
    root = repo.root
    if not REMOTE_NAME.match(remote):
        raise InvalidInput(
            _("{remote} is not a usable remote name: letters, digits, '.', '_' or '-'").format(
                remote=repr(remote)
            )
        )
    if not target.strip():
        raise InvalidInput(_("give the path or URL of the shared repository"))
    vcs.ensure_idle(root)
    with store.locked(vcs.git_dir(root) / "reseau.lock"):
        branch = vcs.current_branch(root)
        path = _local_path(target)
        url = str(path) if path is not None else target
        if path is not None:
            _check_path(root, path)
        known = vcs.remotes(root)
        if remote in known and vcs.remote_url(root, remote) != url:
            raise InvalidInput(
                _(
                    "remote {quoted} already points to {url}: "
                    "share under another name (--remote NAME), or change it with "
                    "`git remote set-url {remote} URL`"
                ).format(quoted=repr(remote), url=vcs.remote_url(root, remote), remote=remote)
            )
        created = path is not None and not _is_repository(path)
        if created:
            vcs.init_bare(path, branch, cwd=root)  # type: ignore[arg-type]
        added = remote not in known
        if added:
            vcs.add_remote(root, remote, url)
        pushed = vcs.push(root, remote, branch, set_upstream=True)
        if not pushed.ok:
            _undo(root, remote if added else None, path if created else None)
            raise _push_error(url, branch, pushed)
        head_was = None
        if path is not None:
            current = vcs.local_head(path)
            if current != branch and (
                current is None or vcs.rev(path, f"refs/heads/{current}") is None
            ):
                vcs.set_local_head(path, branch)
                head_was = current if not created else None
        warning = sync.head_warning(root, remote, branch) if path is None else None
    return ShareReport(remote, url, branch, created, head_was, warning)


def _local_path(target: str) -> Path | None:
    """The path ``target`` names, or None for a URL git reaches over the network."""
    if target.startswith("file://"):
        return Path(target.removeprefix("file://")).expanduser().resolve()
    if "://" in target or SCP_LIKE.match(target):
        return None
    return Path(target).expanduser().resolve()


def _is_repository(path: Path) -> bool:
    return path.exists() and not (path.is_dir() and not any(path.iterdir()))


def _check_path(root: Path, path: Path) -> None:
    """Refuse a path that is not, and cannot become, a shared bare repository."""
    top = vcs.toplevel(root).resolve()
    if path == top or top in path.parents:
        raise InvalidInput(
            _(
                "{path} is inside this clone's own folder: give a path outside it, for example "
                "{example}"
            ).format(path=path, example=top.parent / (top.name + ".git"))
        )
    if not _is_repository(path):
        blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
        if blocking is not None:
            raise InvalidInput(
                _("cannot create {path}: {blocking} is not a folder").format(
                    path=path, blocking=blocking
                )
            )
        return
    kind = vcs.repository_kind(path) if path.is_dir() else None
    if kind == "bare":
        return
    if kind == "work tree":
        raise InvalidInput(
            _(
                "{path} is a git work tree, not a shared (bare) repository: give a new path, "
                "for example {example}"
            ).format(path=path, example=path.parent / (path.name + ".git"))
        )
    raise InvalidInput(
        _("{path} exists and is not a git repository: give a new path or an empty folder").format(
            path=path
        )
    )


def _undo(root: Path, remote: str | None, created: Path | None) -> None:
    if remote is not None:
        vcs.remove_remote(root, remote)
    if created is not None:
        shutil.rmtree(created, ignore_errors=True)


def _push_error(url: str, branch: str, pushed: vcs.Outcome) -> GitError:
    reason = pushed.reason.strip().rstrip(".")
    if "[rejected]" in pushed.output or "non-fast-forward" in pushed.output:
        return GitError(
            _(
                "{url} already has a branch {branch} with other commits: it is in use, so "
                "clone it (`git clone {url}`) rather than share into it; nothing was changed here"
            ).format(url=url, branch=branch)
        )
    kind = vcs.failure_kind(pushed.output)
    if kind == "passing":
        return GitError(
            _("cannot reach {url}: {reason}; nothing was changed here, try again later").format(
                url=url, reason=reason
            )
        )
    if kind == "setup":
        message = _(
            "cannot share to {url}: {reason}; this is a setup problem: check the URL, that the "
            "repository exists there (an empty one, created on the server) and that your "
            "account may write to it; nothing was changed here"
        )
    else:
        message = _(
            "cannot share to {url}: {reason}; check the URL, that the repository exists there "
            "(an empty one, created on the server) and that your account may write to it; "
            "nothing was changed here"
        )
    return GitError(message.format(url=url, reason=reason))
