"""Encryption with three members and a bare remote: sync, concurrent edits merged field
by field through the sealed versions, members removed, keys rotated, a person erased."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import Result

from conftest import git, invoke, no_identity, ok

MEMBERS = ("alice", "bob", "carol")


@dataclass
class Crew:
    tmp: Path
    server: Path
    clones: dict[str, Path]
    identities: dict[str, Path]
    recipients: dict[str, str]


def as_(crew: Crew, who: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Act as WHO from now on (their identity); returns their clone."""
    monkeypatch.setenv("RESEAU_AGE_IDENTITY", str(crew.identities[who]))
    return crew.clones.get(who, crew.tmp / who)


def run(clone: Path, *args: str) -> Result:
    return ok("--repo", str(clone), *args)


def attempt(clone: Path, *args: str) -> Result:
    return invoke("--repo", str(clone), *args)


def clone(crew: Crew, who: str) -> Path:
    path = crew.tmp / who
    git(crew.tmp, "clone", "--quiet", str(crew.server), str(path))
    git(path, "config", "user.name", who.title())
    git(path, "config", "user.email", f"{who}@example.org")
    crew.clones[who] = path
    return path


@pytest.fixture
def crew(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Crew:
    """Alice sets up an encrypted repository for three members, with Marcel in it."""
    no_identity(monkeypatch)
    server = tmp_path / "server.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(server))
    identities = {who: tmp_path / "keys" / who / "identity.txt" for who in (*MEMBERS, "eve")}
    recipients = {
        who: ok("team", "init-keys", "--identity", str(path)).stdout.strip()
        for who, path in identities.items()
    }
    crew = Crew(tmp_path, server, {}, identities, recipients)
    alice = clone(crew, "alice")
    as_(crew, "alice", monkeypatch)
    run(alice, "init", str(alice), "--team", "Réseau Santé Nord")
    for who in MEMBERS:
        run(alice, "team", "add-member", who.title(), recipients[who])
    run(alice, "encrypt", "enable")
    run(
        alice,
        "person",
        "add",
        "--id",
        "p-marcel",
        "--family-name",
        "Janssens",
        "--given-name",
        "Marcel",
        "--situation",
        "Lives alone since March.",
    )
    run(alice, "sync")
    return crew


def test_members_share_merge_and_read_through_the_remote(
    crew: Crew, monkeypatch: pytest.MonkeyPatch
) -> None:
    bob = clone(crew, "bob")
    as_(crew, "bob", monkeypatch)
    # A fresh clone holds no key until its first sync.
    assert "you hold no key" in attempt(bob, "person", "show", "p-marcel").stderr
    run(bob, "sync")
    assert "Janssens" in run(bob, "person", "show", "p-marcel").stdout
    # Alice and Bob change the same person at the same time.
    alice = as_(crew, "alice", monkeypatch)
    run(alice, "plan", "objective", "add", "p-marcel", "Stay at home")
    run(alice, "sync")
    as_(crew, "bob", monkeypatch)
    run(bob, "plan", "objective", "add", "p-marcel", "See friends again")
    synced = run(bob, "sync")
    assert "Traceback" not in synced.output
    shown = run(bob, "person", "show", "p-marcel").stdout
    assert "Stay at home" in shown and "See friends again" in shown
    text = (bob / "persons" / "p-marcel.yaml").read_text()
    assert text.startswith("# reseau: encrypted") and "friends" not in text
    assert "OK" in run(bob, "check").stdout
    # The merge commit's version is readable in git for Bob, sealed for anyone else.
    patch = git(bob, "log", "-p", "-n", "3", "--", "persons/p-marcel.yaml")
    assert "See friends again" in patch and "Stay at home" in patch
    as_(crew, "eve", monkeypatch)
    patch = git(bob, "log", "-p", "-n", "3", "--", "persons/p-marcel.yaml")
    assert "friends" not in patch and "BEGIN AGE" in patch
    # Alice receives the merge.
    alice = as_(crew, "alice", monkeypatch)
    run(alice, "sync")
    assert "See friends again" in run(alice, "person", "show", "p-marcel").stdout


def blobs_of(clone: Path, path: str) -> list[bytes]:
    """Every version of ``path`` in the whole history of every ref."""
    shas = git(clone, "log", "--all", "--format=", "--raw", "--no-abbrev", "--", path)
    found = []
    for line in shas.splitlines():
        parts = line.split()
        if len(parts) >= 4 and set(parts[3]) != {"0"}:
            found.append(
                subprocess.run(
                    ["git", "cat-file", "blob", parts[3]],
                    cwd=clone,
                    capture_output=True,
                    check=True,
                ).stdout
            )
    return found
