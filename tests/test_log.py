"""`reseau log`: the history from git."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ok


def test_log_of_repository_and_person(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = ok("person", "add", "--family-name", "Boukhari", "--given-name", "Inès").stdout.strip()
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Bob Second")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "bob@example.org")
    ok("person", "close", marcel, "--reason", "moved")
    lines = ok("log").stdout.splitlines()
    assert len(lines) == 4
    assert lines[0].endswith(f"{marcel}: close accompaniment")
    assert "Bob Second" in lines[0]
    assert lines[-1].endswith("init: create data repository")
    mine = ok("log", marcel).stdout.splitlines()
    assert [line.split("  ")[-1].strip() for line in mine] == [
        f"{marcel}: close accompaniment",
        f"{marcel}: add person",
    ]
    assert other not in ok("log", marcel).stdout
    assert len(ok("log", "-n", "1").stdout.splitlines()) == 1
    entries = json.loads(ok("log", marcel, "--json").stdout)
    assert entries[0]["author"] == "Bob Second" and entries[1]["author"] == "Alice Coordinator"
    assert entries[0]["date"] == entries[0]["date"][:10] and len(entries[0]["commit"]) == 40


def test_log_limit_must_be_positive(team: Path) -> None:
    from conftest import invoke

    assert invoke("log", "-n", "0").exit_code == 2
