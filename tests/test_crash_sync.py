"""Crash safety of `sync`: a sync killed (SIGKILL, no chance to clean up) just after git
started its merge, or just after it committed it, leaves a repository the next command
repairs by itself; the sync run again then merges and sends everything.

The kill is real: a `git` placed first on PATH runs the real git, then kills the reseau
process that called it, at the exact step named."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import git
from test_sync import HUGO, Team, edit, head, load, marcel, team  # noqa: F401 (fixtures)


def killer(tmp_path: Path, after: str) -> Path:
    """A folder holding a `git` that kills its caller once `git <after> …` has run."""
    real = shutil.which("git")
    assert real
    folder = tmp_path / f"kill-after-{after}"
    folder.mkdir()
    script = folder / "git"
    script.write_text(
        "#!/bin/sh\n"
        f'"{real}" "$@"; status=$?\n'
        'for arg in "$@"; do\n'
        f'  if [ "$arg" = "{after}" ]; then kill -9 "$PPID"; exit $status; fi\n'
        "done\n"
        "exit $status\n"
    )
    script.chmod(0o755)
    return folder


def reseau(clone: Path, *args: str, path: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": HUGO[0], "GIT_AUTHOR_EMAIL": HUGO[1]}
    if path is not None:
        env["PATH"] = f"{path}{os.pathsep}{env['PATH']}"
    return subprocess.run(
        [sys.executable, "-m", "reseau_cli", "--repo", str(clone), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("after", "said"),
    [
        ("merge", "undid a sync merge that was interrupted"),
        ("commit", "had finished its merge"),
    ],
)
def test_sync_killed_mid_merge_is_repaired_by_the_next_command(
    team: Team,  # noqa: F811
    marcel: str,  # noqa: F811
    tmp_path: Path,
    after: str,
    said: str,
) -> None:
    def elise_writes(d: dict[str, Any]) -> None:
        d["situation"] = "Back home; the stairs worry his son."

    def hugo_writes(d: dict[str, Any]) -> None:
        d["plan"]["actions"][0]["due"] = "2026-12-15"

    edit(team.elise, marcel, "situation", elise_writes)
    assert reseau(team.elise, "sync").returncode == 0
    edit(team.hugo, marcel, "due date", hugo_writes)
    before = head(team.hugo)

    killed = reseau(team.hugo, "sync", path=killer(tmp_path, after))
    assert killed.returncode == -9, killed.stderr
    assert (team.hugo / ".git" / "reseau-sync-merge").exists()
    if after == "merge":
        assert (team.hugo / ".git" / "MERGE_HEAD").exists()

    status = reseau(team.hugo, "status")
    assert status.returncode == 0, status.stderr
    assert said in status.stderr
    assert "Traceback" not in status.stderr
    assert not (team.hugo / ".git" / "MERGE_HEAD").exists()
    assert not (team.hugo / ".git" / "reseau-sync-merge").exists()
    assert git(team.hugo, "status", "--porcelain") == ""
    if after == "merge":
        assert head(team.hugo) == before
    else:
        assert git(team.hugo, "rev-parse", "HEAD^1").strip() == before

    again = reseau(team.hugo, "sync")
    assert again.returncode == 0, again.stderr
    merged = load(team.hugo, marcel)
    assert merged["situation"] == "Back home; the stairs worry his son."
    assert merged["plan"]["actions"][0]["due"] == "2026-12-15"
    assert git(team.server, "rev-parse", "main").strip() == head(team.hugo)
