"""Everything reseau asks of git: GitPython (imported only when needed) for reading and
syncing, plain subprocess for the write path.

This package is the only place that talks to git. Every write command becomes exactly
one commit touching exactly its files, signed with the user's own git identity; writes
are refused while git is in the middle of a merge or rebase, on a detached HEAD, or
when a file to change holds edits made outside reseau. `_atomic` makes that commit
atomic with respect to a crash (through `_plumbing`, plain subprocess), `_recover`
repairs an interrupted one, `_locks` tells a live git lock file from a stale one.
`driver` registers and runs the merge driver; `_remote` fetches, merges and pushes for
`reseau sync`; `layout` names the data files.
"""

from reseau_cli.vcs._atomic import AtomicCommit, on_branch
from reseau_cli.vcs._core import (
    Identity,
    LogEntry,
    Version,
    ensure_clean,
    ensure_idle,
    file_at,
    file_versions,
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
from reseau_cli.vcs._recover import pending as recovery_pending
from reseau_cli.vcs._recover import recover
from reseau_cli.vcs._remote import (
    Outcome,
    abort_merge,
    ahead_behind,
    changed_in_merge,
    commit_merge,
    count,
    current_branch,
    fast_forward,
    fetch,
    merge,
    merging,
    push,
    remote_url,
    remotes,
    rev,
    show,
    take_version,
    toplevel,
    tracking_ref,
    uncommitted,
    unmerged_paths,
    upstream,
)
from reseau_cli.vcs.driver import (
    CONFLICTS_DIR,
    DRIVER_NAME,
    ensure_merge_driver,
    merge_driver_command,
    merge_driver_config,
    merge_driver_registered,
    register_merge_driver,
)

__all__ = [
    "AtomicCommit",
    "CONFLICTS_DIR",
    "DRIVER_NAME",
    "Identity",
    "LogEntry",
    "Outcome",
    "Version",
    "abort_merge",
    "ahead_behind",
    "changed_in_merge",
    "commit_merge",
    "count",
    "current_branch",
    "ensure_clean",
    "ensure_idle",
    "ensure_merge_driver",
    "fast_forward",
    "fetch",
    "file_at",
    "file_versions",
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
    "refuse_if_locked",
    "register_merge_driver",
    "remote_url",
    "remotes",
    "rev",
    "show",
    "take_version",
    "toplevel",
    "tracked",
    "tracking_ref",
    "uncommitted",
    "unmerged_paths",
    "upstream",
]
