"""Whether an interrupted change left something to repair: every command asks before it
reads, so this is a few stats and imports no git code (``_recover`` repairs; ``_atomic``
writes the files named here)."""

from __future__ import annotations

from pathlib import Path

JOURNAL = "reseau-journal.json"
TEMP_INDEX = "reseau-index.tmp"
SYNC_MERGE = "reseau-sync-merge"  # HEAD before a sync merge: the merge may be in progress


def pending(root: Path) -> bool:
    """Whether an interrupted change left something to repair (cheap: a few stats)."""
    dot_git = root / ".git"
    git_dir = dot_git if dot_git.is_dir() else None
    if git_dir is None:
        if not dot_git.exists():
            return False
        from reseau_cli.vcs._core import git_dir as ask_git  # a worktree: git says where

        git_dir = ask_git(root)
    names = (JOURNAL, f"{JOURNAL}.tmp", TEMP_INDEX, f"{TEMP_INDEX}.lock", SYNC_MERGE)
    return any((git_dir / n).exists() for n in names)
