"""Whether a change a crash interrupted left something to repair: a few stats, for
every command, without importing the commit machinery (``_atomic``, ``_recover``)."""

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
        from reseau_cli.vcs._plumbing import run  # a worktree's .git file: ask git

        git_dir = Path(run(root, "rev-parse", "--absolute-git-dir"))
    names = (JOURNAL, f"{JOURNAL}.tmp", TEMP_INDEX, f"{TEMP_INDEX}.lock", SYNC_MERGE)
    return any((git_dir / n).exists() for n in names)
