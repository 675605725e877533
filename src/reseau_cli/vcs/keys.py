"""The key store: every file's wrapped data keys, on the ref ``refs/reseau/keys``.

The ref points to one commit *without parent* whose tree holds one blob per wrapped
data key (``<file id>.<data key recipient>``). It is written anew, without history,
each time a key is added, wrapped again or deleted: the branch's history never holds
a data key, and deleting one leaves no reachable copy (crypto-shredding). ``reseau
sync`` fetches it, merges it with the local one (``merge``) and pushes it.
"""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

from reseau_cli.errors import GitError
from reseau_cli.i18n import _
from reseau_cli.vcs._atomic import locate, ref_value
from reseau_cli.vcs._plumbing import attempt, run
from reseau_cli.vcs.layout import KEYS_REF

REF = KEYS_REF
REMOTE_REF = "refs/reseau/remote-keys"
# Who the key store's commits are by: nobody in particular (no member's name).
_ENV = {
    "GIT_AUTHOR_NAME": "reseau",
    "GIT_AUTHOR_EMAIL": "reseau@localhost",
    "GIT_COMMITTER_NAME": "reseau",
    "GIT_COMMITTER_EMAIL": "reseau@localhost",
    "GIT_AUTHOR_DATE": "2000-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2000-01-01T00:00:00Z",
}


def read(root: Path, ref: str = REF) -> dict[str, bytes]:
    """Every entry of the key store at ``ref`` (empty when there is none)."""
    top = locate(root).top
    if ref_value(top, ref) is None:
        return {}
    listing = run(top, "ls-tree", "-z", f"{ref}^{{tree}}")
    shas: list[tuple[str, str]] = []
    for item in listing.split("\0"):
        if not item:
            continue
        meta, _, name = item.partition("\t")
        parts = meta.split()
        if len(parts) == 3 and parts[1] == "blob":
            shas.append((name, parts[2]))
    if not shas:
        return {}
    return dict(zip([n for n, _ in shas], _blobs(top, [s for _, s in shas]), strict=True))


def _blobs(top: Path, shas: list[str]) -> list[bytes]:
    """The contents of blobs, through one ``git cat-file --batch``."""
    done = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=top,
        input="".join(f"{s}\n" for s in shas).encode("ascii"),
        capture_output=True,
    )
    if done.returncode != 0:
        raise GitError(_("git cat-file failed while reading the key store"))
    out, found, pos = done.stdout, [], 0
    for _sha in shas:
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        if len(header) != 3:
            raise GitError(_("the key store refers to a missing object"))
        size = int(header[2])
        found.append(out[end + 1 : end + 1 + size])
        pos = end + 1 + size + 1
    return found


def write(root: Path, entries: dict[str, bytes], *, lock_fd: int | None = None) -> str:
    """Replace the key store with ``entries``: a new parentless commit; returns it."""
    top = locate(root).top
    old = ref_value(top, REF)
    lines = []
    for name in sorted(entries):
        blob = run(top, "hash-object", "-w", "--stdin", stdin=entries[name], keep_fd=lock_fd)
        lines.append(f"100644 blob {blob}\t{name}\n")
    tree = run(top, "mktree", stdin="".join(lines).encode("utf-8"), keep_fd=lock_fd)
    commit = run(top, "commit-tree", tree, "-m", "reseau: wrapped data keys", env=_ENV)
    if commit != old:
        run(top, "update-ref", REF, commit, old or "", keep_fd=lock_fd, what="update-ref")
    return commit


def prune(root: Path) -> None:
    """Drop unreachable objects now (the old key stores' blobs among them), so an
    erased data key leaves no copy in this clone's object store."""
    top = locate(root).top
    with contextlib.suppress(GitError):
        run(top, "reflog", "expire", "--expire-unreachable=now", "--all")
        run(top, "gc", "--quiet", "--prune=now")


def remote_value(root: Path) -> str | None:
    return ref_value(locate(root).top, REMOTE_REF)


def fetch_spec() -> str:
    return f"+{REF}:{REMOTE_REF}"


def push_spec(lease: str | None) -> list[str]:
    """What `git push` needs to publish the key store, refusing to overwrite one that
    changed on the remote since it was fetched."""
    return [f"--force-with-lease={REF}:{lease or ''}", f"{REF}:{REF}"]


def fetch(root: Path, remote: str) -> str | None:
    """Fetch the remote's key store into ``REMOTE_REF``; its commit (None: it has none)."""
    top = locate(root).top
    if not attempt(top, "ls-remote", remote, REF):
        with contextlib.suppress(GitError):
            run(top, "update-ref", "-d", REMOTE_REF)
        return None
    run(top, "fetch", "--quiet", "--no-tags", remote, fetch_spec(), what="fetch")
    return remote_value(root)


def push(root: Path, remote: str, lease: str | None) -> bool:
    """Publish the local key store unless the remote's changed since ``lease``; False
    when it did (fetch and merge again)."""
    top = locate(root).top
    return attempt(top, "push", "--quiet", remote, *push_spec(lease)) is not None


def local_value(root: Path) -> str | None:
    return ref_value(locate(root).top, REF)


def forget_remote(root: Path) -> None:
    """Drop the copy of the remote's key store (the next sync fetches it again): after
    an erasure it still holds the erased keys."""
    with contextlib.suppress(GitError):
        run(locate(root).top, "update-ref", "-d", REMOTE_REF)


def pushed(root: Path) -> None:
    """The remote's key store is now the local one."""
    local = ref_value(locate(root).top, REF)
    if local is not None:
        with contextlib.suppress(GitError):
            run(locate(root).top, "update-ref", REMOTE_REF, local)
