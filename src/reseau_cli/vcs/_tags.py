"""Signed validation tags travel with `reseau sync`, so that `reseau verify` in every
clone checks the same signatures.

The remote's tags under ``refs/tags/reseau/validation/`` come with the fetch of its
branches, into a mirror of them (``refs/reseau/tags/<remote>/validation/``: forced and
pruned, as remote-tracking branches are); those this clone lacks are then created here,
and ours the remote lacks are pushed. A tag is never moved or deleted on either side:
one that differs between the two (made again, or forged) stays as it is on each, and
sync says so; `reseau verify` checks the one of the clone it runs in.
"""

from __future__ import annotations

from pathlib import Path

from reseau_cli.errors import GitError
from reseau_cli.i18n import _
from reseau_cli.vcs._core import _run
from reseau_cli.vcs._plumbing import execute, run

PREFIX = "refs/tags/reseau/validation/"


def mirror(remote: str) -> str:
    """Where the remote's validation tags are fetched to."""
    return f"refs/reseau/tags/{remote}/validation/"


def refspec(remote: str) -> str:
    """The fetch refspec that brings the remote's validation tags into ``mirror``."""
    return f"+{PREFIX}*:{mirror(remote)}*"


def share(root: Path, remote: str) -> list[str]:
    """Create here the remote's validation tags (fetched into ``mirror``) that this clone
    lacks, push ours that it lacks; what could not be done, as warnings."""
    theirs_prefix = mirror(remote)
    listed = _run(root, "for-each-ref", "--format=%(refname) %(objectname)", PREFIX, theirs_prefix)
    ours: dict[str, str] = {}
    theirs: dict[str, str] = {}
    for line in listed.splitlines():
        name, _space, oid = line.rpartition(" ")
        if name.startswith(PREFIX):
            ours[name.removeprefix(PREFIX)] = oid
        elif name.startswith(theirs_prefix):
            theirs[name.removeprefix(theirs_prefix)] = oid
    warnings = []
    new = sorted(rest for rest in theirs if rest not in ours)
    if new:
        lines = "".join(f"create {PREFIX}{rest} {theirs[rest]}\n" for rest in new)
        try:
            run(root, "update-ref", "--stdin", stdin=lines.encode())
        except GitError as exc:
            warnings.append(
                _("the validation tags of {remote} could not be added here: {error}").format(
                    remote=remote, error=exc
                )
            )
    for rest in sorted(rest for rest in ours if rest in theirs and theirs[rest] != ours[rest]):
        warnings.append(
            _(
                "the tag reseau/validation/{tag} is not the same on {remote}: each side keeps "
                "its own (`reseau verify` checks the one here)"
            ).format(tag=rest, remote=remote)
        )
    send = sorted(rest for rest in ours if rest not in theirs)
    if send:
        specs = [f"{PREFIX}{rest}:{PREFIX}{rest}" for rest in send]
        status, out, err = execute(root, "push", "--quiet", "--porcelain", remote, *specs)
        if status != 0:
            said = [line for line in f"{err}\n{out}".splitlines() if line.strip()]
            warnings.append(
                _(
                    "the validation tags could not be sent to {remote}: {reason}; they are "
                    "kept here, and sent by the next sync"
                ).format(remote=remote, reason=(said or ["?"])[-1].strip())
            )
    return warnings
