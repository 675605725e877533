"""Fixtures for the render tests: Marcel's repository built once, copied for each test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import render_case
from conftest import AUTHOR, TODAY, ok


@pytest.fixture(scope="session")
def seed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Marcel's team repository with its three months of history (built once)."""
    root = tmp_path_factory.mktemp("seed") / "team"
    home = tmp_path_factory.mktemp("seed-home")
    (home / ".gitconfig").write_text("")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        mp.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
        mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
        for var in ("GIT_AUTHOR", "GIT_COMMITTER"):
            mp.setenv(f"{var}_NAME", AUTHOR[0])
            mp.setenv(f"{var}_EMAIL", AUTHOR[1])
        mp.setenv("RESEAU_TODAY", TODAY)
        mp.delenv("RESEAU_REPO", raising=False)
        ok("init", str(root), "--team", "Réseau Santé Nord")
        render_case.build(root)
    return root


@pytest.fixture
def repo(seed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the seed repository; commands find it through RESEAU_REPO."""
    root = tmp_path / "team"
    shutil.copytree(seed, root, symlinks=True)
    monkeypatch.setenv("RESEAU_REPO", str(root))
    return root
