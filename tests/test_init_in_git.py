"""What `reseau init` does inside an existing git repository, as the README says
(issue 11, item 22)."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import commits, git, ok

README = Path(__file__).resolve().parents[1] / "README.md"


def _outer(tmp_path: Path) -> Path:
    outer = tmp_path / "outer"
    outer.mkdir()
    git(outer, "init", "-q", "-b", "main")
    (outer / "notes.txt").write_text("hello\n")
    git(outer, "add", "notes.txt")
    git(outer, "commit", "-qm", "first")
    return outer


def test_an_existing_folder_inside_a_work_tree_uses_the_enclosing_repository(
    tmp_path: Path,
) -> None:
    outer = _outer(tmp_path)
    (outer / "reseau").mkdir()
    ok("init", str(outer / "reseau"))
    assert not (outer / "reseau" / ".git").exists()
    assert commits(outer) == ["init: create data repository", "first"]
    assert "reseau/reseau.yaml" in git(outer, "ls-files").split()


def test_a_new_folder_inside_a_work_tree_gets_its_own_repository(tmp_path: Path) -> None:
    outer = _outer(tmp_path)
    ok("init", str(outer / "reseau"))
    assert (outer / "reseau" / ".git").is_dir()
    assert commits(outer / "reseau") == ["init: create data repository"]
    assert commits(outer) == ["first"]
    assert "?? reseau/" in git(outer, "status", "--porcelain")


def test_the_readme_says_both() -> None:
    text = re.sub(r"\s+", " ", README.read_text())
    assert "an existing folder inside a git work tree" in text
    assert "a nested repository" in text
