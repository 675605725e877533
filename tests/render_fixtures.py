"""Fixtures for the render tests: Marcel's repository built once, copied for each test."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
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


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The text a reader sees in an HTML page (whitespace collapsed), parsed for real."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def html_tags(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.tags


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
