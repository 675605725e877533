"""The fictional team of ``examples/team`` as a real data repository for a test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import git

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "team"


def example_team(dest: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of examples/team, committed in a new git repository, made current."""
    shutil.copytree(EXAMPLE, dest)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-qm", "the example team")
    monkeypatch.setenv("RESEAU_REPO", str(dest))
    return dest
