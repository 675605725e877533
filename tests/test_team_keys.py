"""`reseau team`: a member's age identity and the team's recipients (issue 14, part 1)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from conftest import commits, invoke, ok, refused


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_keys_creates_a_private_identity_and_prints_its_recipient(tmp_path: Path) -> None:
    file = tmp_path / "keys" / "me.txt"
    result = ok("team", "init-keys", "--identity", str(file))
    recipient = result.stdout.strip()
    assert recipient.startswith("age1")
    assert _mode(file) == 0o600 and _mode(file.parent) == 0o700
    text = file.read_text()
    assert "AGE-SECRET-KEY-1" in text
    # The secret is never shown; the recipient is the same the second time.
    assert "AGE-SECRET-KEY" not in result.output
    again = ok("team", "init-keys", "--identity", str(file))
    assert again.stdout.strip() == recipient
    assert file.read_text() == text


def test_init_keys_reads_the_identity_named_by_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "id.txt"
    first = ok("team", "init-keys", "--identity", str(file)).stdout.strip()
    monkeypatch.setenv("RESEAU_AGE_IDENTITY", str(file))
    assert ok("team", "init-keys").stdout.strip() == first


def test_init_keys_default_place_is_in_the_config_folder(isolated_git: Path) -> None:
    ok("team", "init-keys")
    assert (isolated_git / ".config" / "reseau" / "age-identity.txt").is_file()


def test_an_identity_readable_by_others_is_warned_about(tmp_path: Path) -> None:
    file = tmp_path / "keys" / "me.txt"
    ok("team", "init-keys", "--identity", str(file))
    os.chmod(file, 0o644)
    result = ok("team", "init-keys", "--identity", str(file))
    assert "warning: the identity file" in result.stderr
    assert "chmod 600" in result.stderr


def test_a_file_that_is_no_identity_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("shopping list\n")
    result = invoke("team", "init-keys", "--identity", str(file))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "not an age identity" in result.stderr
    assert "Traceback" not in result.stderr


def _recipient(tmp_path: Path, name: str) -> str:
    return ok("team", "init-keys", "--identity", str(tmp_path / name / "id.txt")).stdout.strip()


def test_members_are_added_listed_and_removed_one_commit_each(team: Path, tmp_path: Path) -> None:
    alice, bob = _recipient(tmp_path, "alice"), _recipient(tmp_path, "bob")
    before = len(commits(team))
    ok("team", "add-member", "Alice Martin", alice)
    ok("team", "add-member", "Bob Peeters", bob)
    assert len(commits(team)) == before + 2
    assert commits(team)[0].startswith("team: add member age1")
    listed = json.loads(ok("team", "list", "--json").stdout)
    assert listed == {
        "encryption": False,
        "members": [
            {"name": "Alice Martin", "recipient": alice},
            {"name": "Bob Peeters", "recipient": bob},
        ],
    }
    assert alice in (team / "team" / "recipients.yaml").read_text()
    ok("team", "remove-member", "bob peeters")
    assert len(commits(team)) == before + 3
    assert "Bob" not in " ".join(commits(team))
    names = [m["name"] for m in json.loads(ok("team", "list", "--json").stdout)["members"]]
    assert names == ["Alice Martin"]


def test_bad_members_are_refused_and_change_nothing(team: Path, tmp_path: Path) -> None:
    alice = _recipient(tmp_path, "alice")
    refused(team, "team", "add-member", "Alice", "age1notakey", match="not an age recipient")
    ok("team", "add-member", "Alice", alice)
    refused(team, "team", "add-member", "Alice", _recipient(tmp_path, "x"), match="already")
    refused(team, "team", "add-member", "Other", alice, match="already a member")
    refused(team, "team", "remove-member", "Nobody", match="no member named")
    refused(team, "team", "remove-member", "Alice", match="last member")


def test_team_init_is_init_keys(tmp_path: Path) -> None:
    """`reseau team init` (as the command contract lists it) reads the same identity."""
    file = tmp_path / "keys" / "me.txt"
    made = ok("team", "init-keys", "--identity", str(file)).stdout.strip()
    assert made.startswith("age1")
    assert ok("team", "init", "--identity", str(file)).stdout.strip() == made
