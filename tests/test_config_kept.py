"""The write path's `git config` answer kept under .git (``vcs._configkept``): every
setting changed after it was kept is honoured, wherever it is set; an include, a torn or
foreign kept file only make git be asked again."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from conftest import git, invoke, ok
from reseau_cli.vcs import _configkept
from reseau_cli.vcs._core import identity

KEPT = Path(".git") / _configkept.NAME


def _write(marcel: str, what: str) -> None:
    ok("plan", "action", "add", marcel, what, "--by", "person")


def _head(team: Path) -> str:
    return git(team, "cat-file", "-p", "HEAD")


@pytest.fixture
def kept(team: Path, marcel: str) -> str:
    """A team whose config answer is kept (by a first write)."""
    _write(marcel, "First")
    assert (team / KEPT).is_file()
    assert stat.S_IMODE((team / KEPT).stat().st_mode) == 0o600
    assert _configkept.read(team, _configkept_question()) is not None
    return marcel


def _configkept_question() -> str:
    from reseau_cli.vcs._core import _WANTED

    return _WANTED


def _set_in(
    where: str, team: Path, home: Path, monkeypatch: pytest.MonkeyPatch, key: str, value: str
) -> None:
    """Set KEY=VALUE in git's configuration at WHERE."""
    if where == "repository":
        git(team, "config", key, value)
    elif where == "global":
        git(team, "config", "--file", os.environ["GIT_CONFIG_GLOBAL"], key, value)
    elif where == "home":  # ~/.gitconfig found through HOME
        git(team, "config", "--file", str(home / ".gitconfig"), key, value)
    elif where == "xdg":
        xdg = home / "xdg"
        (xdg / "git").mkdir(parents=True, exist_ok=True)
        git(team, "config", "--file", str(xdg / "git" / "config"), key, value)
    elif where == "parameters":
        monkeypatch.setenv("GIT_CONFIG_PARAMETERS", f"'{key}'='{value}'")
    elif where == "count":
        monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
        monkeypatch.setenv("GIT_CONFIG_KEY_0", key)
        monkeypatch.setenv("GIT_CONFIG_VALUE_0", value)
    elif where == "include":
        extra = home / "included.cfg"
        git(team, "config", "--file", str(extra), key, value)
        git(team, "config", "include.path", str(extra))
    else:  # pragma: no cover
        raise AssertionError(where)


WHERE = ["repository", "global", "home", "xdg", "parameters", "count", "include"]


@pytest.fixture
def places(isolated_git: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME's ~/.gitconfig and XDG_CONFIG_HOME read by git (no GIT_CONFIG_GLOBAL)."""
    monkeypatch.delenv("GIT_CONFIG_GLOBAL")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(isolated_git / "xdg"))
    return isolated_git


@pytest.mark.parametrize("where", WHERE)
def test_a_commit_encoding_set_after_keeping_is_honoured(
    team: Path, places: Path, marcel: str, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(marcel, "First")
    _write(marcel, "Second")  # from the kept answer
    assert "encoding" not in _head(team)
    if where == "global":
        monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(places / "global.cfg"))
    _set_in(where, team, places, monkeypatch, "i18n.commitEncoding", "ISO-8859-1")
    _write(marcel, "Third")
    assert "encoding ISO-8859-1" in _head(team)
    _write(marcel, "Fourth")
    assert "encoding ISO-8859-1" in _head(team)


@pytest.mark.parametrize("where", WHERE)
def test_signing_set_after_keeping_takes_the_signed_route(
    team: Path, places: Path, marcel: str, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(marcel, "First")
    _write(marcel, "Second")
    if where == "global":
        monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(places / "global.cfg"))
    git(team, "config", "gpg.program", "false")  # signing fails: the write is refused
    git(team, "config", "user.signingkey", "nobody")
    _write(marcel, "Unsigned still")
    _set_in(where, team, places, monkeypatch, "commit.gpgsign", "true")
    before = _head(team)
    result = invoke("plan", "action", "add", marcel, "Signed", "--by", "person")
    assert result.exit_code == 1, result.stdout
    assert _head(team) == before


@pytest.mark.parametrize("where", WHERE)
def test_line_endings_set_after_keeping_leave_blobs_to_git(
    team: Path, places: Path, marcel: str, where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write(marcel, "First")
    assert identity(team, signing=True).blobs
    if where == "global":
        monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(places / "global.cfg"))
    _set_in(where, team, places, monkeypatch, "core.autocrlf", "input")
    found = identity(team, signing=True)
    assert not found.blobs and found.loose


def test_an_attributes_file_set_after_keeping_makes_git_make_the_blob(
    team: Path, kept: str, tmp_path: Path
) -> None:
    attributes = tmp_path / "attributes"
    attributes.write_text("persons/*.yaml filter=upper\n")
    git(team, "config", "filter.upper.clean", "tr a-z A-Z")
    git(team, "config", "core.attributesFile", str(attributes))
    _write(kept, "Call the GP")
    stored = git(team, "show", f"HEAD:persons/{kept}.yaml")
    assert "CALL THE GP" in stored and stored == stored.upper()


def test_an_included_file_changed_later_is_read(team: Path, kept: str, tmp_path: Path) -> None:
    extra = tmp_path / "extra.cfg"
    extra.write_text("[i18n]\n\tcommitEncoding = UTF-8\n")
    with (team / ".git" / "config").open("a") as config:
        config.write(f'[IncludeIf "gitdir:{team}/"]\n\tpath = {extra}\n')
    _write(kept, "Plain")
    assert "encoding" not in _head(team)
    # Not in any kept key. (Git itself writes the encoding it reads into a commit it
    # makes: only an encoding missed by reseau shows.)
    extra.write_text("[i18n]\n\tcommitEncoding = ISO-8859-1\n")
    _write(kept, "Encoded")
    assert "encoding ISO-8859-1" in _head(team)


def test_an_include_in_the_environment_is_never_kept(
    team: Path, kept: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    extra = tmp_path / "extra.cfg"
    extra.write_text("[i18n]\n\tcommitEncoding = UTF-8\n")
    monkeypatch.setenv("GIT_CONFIG_PARAMETERS", f"'include.path'='{extra}'")
    _write(kept, "Plain")
    assert "encoding" not in _head(team)
    extra.write_text("[i18n]\n\tcommitEncoding = ISO-8859-1\n")
    _write(kept, "Encoded")
    assert "encoding ISO-8859-1" in _head(team)


@pytest.mark.parametrize("damage", ["truncate", "answer", "digest", "garbage"])
def test_a_damaged_kept_answer_is_only_a_miss(team: Path, kept: str, damage: str) -> None:
    path = team / KEPT
    data = path.read_bytes()
    magic, digest, kind, system, answer = data.split(b"\n", 4)
    git(team, "config", "i18n.commitEncoding", "ISO-8859-1")
    # A kept file claiming nothing is set, for the configuration as it is now.
    now = _configkept._digest(team, _configkept_question(), system.decode(), None)
    assert now is not None
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "answer":  # another answer under the digest of the old one
        path.write_bytes(b"\n".join([magic, digest, b"none", system, b""]))
    elif damage == "digest":  # the digest of the settings now, with another answer
        path.write_bytes(b"\n".join([magic, now.encode(), b"ok", system, answer]))
    else:
        path.write_bytes(b"\x00\xff not a kept answer")
    _write(kept, "Encoded")
    assert "encoding ISO-8859-1" in _head(team)


def test_another_git_on_path_is_another_key(
    team: Path, kept: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _configkept.read(team, _configkept_question()) is not None
    folder = tmp_path / "bin"
    folder.mkdir()
    (folder / "git").symlink_to("/bin/false")
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    assert _configkept.read(team, _configkept_question()) is None


def test_the_file_git_config_names_is_read_again_when_it_changes(
    team: Path, kept: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named = tmp_path / "named.cfg"
    named.write_text("[i18n]\n\tcommitEncoding = UTF-8\n")
    monkeypatch.setenv("GIT_CONFIG", "../named.cfg")  # relative: from the team's folder
    assert identity(team, signing=True).encoding is None
    named.write_text("[i18n]\n\tcommitEncoding = ISO-8859-1\n")
    assert identity(team, signing=True).encoding == "ISO-8859-1"
