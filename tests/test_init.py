"""`reseau init` and repository discovery."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import AUTHOR, commits, git, invoke, no_identity, ok, snapshot
from reseau_cli.cli import app  # noqa: F401 - imported so the app is built once


def test_init_creates_repository_with_one_commit(tmp_path: Path) -> None:
    root = tmp_path / "team"
    result = ok("init", str(root), "--team", "Réseau Santé Nord", "--lang", "en")
    assert "Initialised" in result.stderr
    assert result.stdout == ""
    settings = yaml.safe_load((root / "reseau.yaml").read_text())
    assert settings["format"] == 1
    assert settings["team"] == "Réseau Santé Nord"
    assert settings["lang"] == "en"
    assert settings["review_interval_days"] == 90
    assert "persons/*.yaml merge=reseau" in (root / ".gitattributes").read_text()
    assert "out/" in (root / ".gitignore").read_text()
    assert commits(root) == ["init: create data repository"]
    author = git(root, "log", "-1", "--format=%an <%ae>").strip()
    assert author == f"{AUTHOR[0]} <{AUTHOR[1]}>"
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "branch", "--show-current").strip() == "main"


def test_init_defaults_team_to_folder_name_and_french(tmp_path: Path) -> None:
    root = tmp_path / "equipe-nord"
    ok("init", str(root))
    settings = yaml.safe_load((root / "reseau.yaml").read_text())
    assert settings["team"] == "equipe-nord"
    assert settings["lang"] == "fr"


def test_init_in_existing_git_repository_keeps_its_history(tmp_path: Path) -> None:
    root = tmp_path / "existing"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    (root / "notes.txt").write_text("hello\n")
    git(root, "add", "notes.txt")
    git(root, "commit", "-qm", "first")
    ok("init", str(root))
    assert commits(root) == ["init: create data repository", "first"]


def test_init_refuses_an_initialised_repository(tmp_path: Path) -> None:
    root = tmp_path / "team"
    ok("init", str(root))
    before = snapshot(root)
    result = invoke("init", str(root))
    assert result.exit_code == 1
    assert "already a reseau data repository" in result.stderr
    assert snapshot(root) == before


def test_init_refuses_unknown_language(tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path / "team"), "--lang", "de")
    assert result.exit_code == 1
    assert "unknown language 'de'" in result.stderr
    assert not (tmp_path / "team").exists()


def test_init_without_git_identity_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_identity(monkeypatch)
    result = invoke("init", str(tmp_path / "team"))
    assert result.exit_code == 1
    assert "git config user.name" in result.stderr
    assert "user.email" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "team").exists()


def test_init_uses_git_config_identity_when_no_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolated_git: Path
) -> None:
    no_identity(monkeypatch)
    (isolated_git / ".gitconfig").write_text(
        "[user]\n\tname = Bea Config\n\temail = bea@example.org\n"
    )
    root = tmp_path / "team"
    ok("init", str(root))
    assert git(root, "log", "-1", "--format=%an <%ae>").strip() == "Bea Config <bea@example.org>"


def test_discovery_from_subfolder_and_env_and_option(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "team"
    ok("init", str(root))
    sub = root / "persons" / "deep"
    sub.mkdir(parents=True)
    monkeypatch.chdir(sub)
    assert ok("person", "add", "--family-name", "A", "--given-name", "B").stdout.strip()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("RESEAU_REPO", str(root))
    assert len(ok("person", "list", "--json").stdout) > 2
    monkeypatch.delenv("RESEAU_REPO")
    assert '"name": "B A"' in ok("--repo", str(root), "person", "list", "--json").stdout


def test_no_repository_found_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("person", "list")
    assert result.exit_code == 1
    assert "no reseau data repository" in result.stderr
    assert "reseau init" in result.stderr
    result = invoke("--repo", str(tmp_path), "person", "list")
    assert result.exit_code == 1
    assert "is not a reseau data repository" in result.stderr


@pytest.mark.parametrize("content", ["", "   \n", "format: 1\n", "team: [unclosed\n"])
def test_empty_or_broken_settings(team: Path, content: str) -> None:
    (team / "reseau.yaml").write_text(content)
    git(team, "commit", "-qam", "break settings")
    before = snapshot(team)
    result = invoke("person", "add", "--family-name", "A", "--given-name", "B")
    assert result.exit_code == 1
    assert "reseau.yaml" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(team) == before
    check = invoke("check")
    assert check.exit_code == 1
    assert "reseau.yaml" in check.stdout


def test_missing_settings_is_not_a_repository(team: Path) -> None:
    (team / "reseau.yaml").unlink()
    result = invoke("person", "list")
    assert result.exit_code == 1
    assert "not a reseau data repository" in result.stderr
