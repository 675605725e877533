"""Everything reseau asks of git, through plain ``git`` processes (``_plumbing``: no
GitPython, whose import alone cost more than a commit).

This package is the only place that talks to git. Every write command becomes exactly
one commit touching exactly its files, signed with the user's own git identity; writes
are refused while git is in the middle of a merge or rebase, on a detached HEAD, or
when a file to change holds edits made outside reseau. `_atomic` makes that commit
atomic with respect to a crash (through `_plumbing`), `_batch` reads many file versions
through one `git cat-file --batch`, `_recover`
repairs an interrupted one, `_locks` tells a live git lock file from a stale one,
`_upkeep` starts git's automatic upkeep after a write, as `git commit` would.
`driver` registers and runs the merge driver; `_remote` fetches, merges and pushes for
`reseau sync`; `layout` names the data files.

Each name below is imported from its module on first use (``__getattr__``), so that a
command pays only for the parts of git it uses: reading one file does not import the
merge driver or the remote's code.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from reseau_cli.vcs._atomic import AtomicCommit, on_branch
    from reseau_cli.vcs._batch import Blobs
    from reseau_cli.vcs._core import (
        Identity,
        LogEntry,
        Version,
        commit_dates,
        ensure_clean,
        ensure_idle,
        file_at,
        file_commits,
        file_versions,
        folder_versions,
        git_dir,
        has_commits,
        head,
        identity,
        init,
        is_inside_work_tree,
        log,
        tracked,
    )
    from reseau_cli.vcs._locks import refuse_if_locked
    from reseau_cli.vcs._pending import pending as recovery_pending
    from reseau_cli.vcs._recover import recover
    from reseau_cli.vcs._remote import (
        Outcome,
        RemoteHead,
        abort_merge,
        add_remote,
        ahead_behind,
        changed_in_merge,
        commit_merge,
        count,
        current_branch,
        failure_kind,
        fast_forward,
        fetch,
        init_bare,
        local_head,
        mark_merge,
        merge,
        merging,
        push,
        remote_failure,
        remote_head,
        remote_url,
        remotes,
        remove_remote,
        repository_kind,
        rev,
        set_local_head,
        show,
        take_version,
        toplevel,
        tracking_ref,
        unborn_clone,
        uncommitted,
        unmerged_paths,
        upstream,
    )
    from reseau_cli.vcs._tags import share as share_tags
    from reseau_cli.vcs.registration import (
        CONFLICTS_DIR,
        DRIVER_NAME,
        ensure_merge_driver,
        merge_driver_command,
        merge_driver_config,
        merge_driver_registered,
        register_merge_driver,
    )

# name -> (module of this package, name there)
_WHERE: dict[str, tuple[str, str]] = {
    "AtomicCommit": ("_atomic", "AtomicCommit"),
    "on_branch": ("_atomic", "on_branch"),
    "Blobs": ("_batch", "Blobs"),
    "Identity": ("_core", "Identity"),
    "LogEntry": ("_core", "LogEntry"),
    "Version": ("_core", "Version"),
    "commit_dates": ("_core", "commit_dates"),
    "ensure_clean": ("_core", "ensure_clean"),
    "ensure_idle": ("_core", "ensure_idle"),
    "file_at": ("_core", "file_at"),
    "file_commits": ("_core", "file_commits"),
    "file_versions": ("_core", "file_versions"),
    "folder_versions": ("_core", "folder_versions"),
    "git_dir": ("_core", "git_dir"),
    "has_commits": ("_core", "has_commits"),
    "head": ("_core", "head"),
    "identity": ("_core", "identity"),
    "init": ("_core", "init"),
    "is_inside_work_tree": ("_core", "is_inside_work_tree"),
    "log": ("_core", "log"),
    "tracked": ("_core", "tracked"),
    "refuse_if_locked": ("_locks", "refuse_if_locked"),
    "recovery_pending": ("_pending", "pending"),
    "recover": ("_recover", "recover"),
    "Outcome": ("_remote", "Outcome"),
    "RemoteHead": ("_remote", "RemoteHead"),
    "abort_merge": ("_remote", "abort_merge"),
    "add_remote": ("_remote", "add_remote"),
    "ahead_behind": ("_remote", "ahead_behind"),
    "changed_in_merge": ("_remote", "changed_in_merge"),
    "commit_merge": ("_remote", "commit_merge"),
    "count": ("_remote", "count"),
    "current_branch": ("_remote", "current_branch"),
    "failure_kind": ("_remote", "failure_kind"),
    "fast_forward": ("_remote", "fast_forward"),
    "fetch": ("_remote", "fetch"),
    "share_tags": ("_tags", "share"),
    "init_bare": ("_remote", "init_bare"),
    "local_head": ("_remote", "local_head"),
    "mark_merge": ("_remote", "mark_merge"),
    "merge": ("_remote", "merge"),
    "merging": ("_remote", "merging"),
    "push": ("_remote", "push"),
    "remote_failure": ("_remote", "remote_failure"),
    "remote_head": ("_remote", "remote_head"),
    "remote_url": ("_remote", "remote_url"),
    "remotes": ("_remote", "remotes"),
    "remove_remote": ("_remote", "remove_remote"),
    "repository_kind": ("_remote", "repository_kind"),
    "rev": ("_remote", "rev"),
    "set_local_head": ("_remote", "set_local_head"),
    "show": ("_remote", "show"),
    "take_version": ("_remote", "take_version"),
    "toplevel": ("_remote", "toplevel"),
    "tracking_ref": ("_remote", "tracking_ref"),
    "unborn_clone": ("_remote", "unborn_clone"),
    "uncommitted": ("_remote", "uncommitted"),
    "unmerged_paths": ("_remote", "unmerged_paths"),
    "upstream": ("_remote", "upstream"),
    "CONFLICTS_DIR": ("registration", "CONFLICTS_DIR"),
    "DRIVER_NAME": ("registration", "DRIVER_NAME"),
    "ensure_merge_driver": ("registration", "ensure_merge_driver"),
    "merge_driver_command": ("registration", "merge_driver_command"),
    "merge_driver_config": ("registration", "merge_driver_config"),
    "merge_driver_registered": ("registration", "merge_driver_registered"),
    "register_merge_driver": ("registration", "register_merge_driver"),
}


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{where[0]}"), where[1])
    globals()[name] = value
    return value


__all__ = [
    "AtomicCommit",
    "CONFLICTS_DIR",
    "DRIVER_NAME",
    "Identity",
    "LogEntry",
    "Outcome",
    "RemoteHead",
    "Version",
    "abort_merge",
    "mark_merge",
    "add_remote",
    "ahead_behind",
    "changed_in_merge",
    "commit_dates",
    "commit_merge",
    "count",
    "current_branch",
    "ensure_clean",
    "ensure_idle",
    "ensure_merge_driver",
    "fast_forward",
    "failure_kind",
    "fetch",
    "init_bare",
    "local_head",
    "Blobs",
    "file_at",
    "file_commits",
    "file_versions",
    "folder_versions",
    "git_dir",
    "has_commits",
    "head",
    "identity",
    "init",
    "is_inside_work_tree",
    "log",
    "merge",
    "merge_driver_command",
    "merge_driver_config",
    "merge_driver_registered",
    "merging",
    "on_branch",
    "push",
    "recover",
    "recovery_pending",
    "share_tags",
    "refuse_if_locked",
    "remote_failure",
    "remote_head",
    "register_merge_driver",
    "remote_url",
    "remotes",
    "remove_remote",
    "repository_kind",
    "rev",
    "set_local_head",
    "show",
    "take_version",
    "toplevel",
    "tracked",
    "tracking_ref",
    "uncommitted",
    "unborn_clone",
    "unmerged_paths",
    "upstream",
]
