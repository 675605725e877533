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


def all_objects(repo: Path) -> list[bytes]:
    """Every object in a repository's object store, reachable or not (blobs' contents)."""
    listing = subprocess.run(
        ["git", "cat-file", "--batch-all-objects", "--batch-check=%(objectname) %(objecttype)"],
        cwd=repo,
        capture_output=True,
        check=True,
        text=True,
    ).stdout.split("\n")
    shas = [line.split()[0] for line in listing if line.endswith(" blob")]
    return [
        subprocess.run(
            ["git", "cat-file", "blob", sha], cwd=repo, capture_output=True, check=True
        ).stdout
        for sha in shas
    ]


def data_keys(repo: Path, identity: Path) -> list[object]:
    """Every data key ``identity`` can unwrap from any wrapped key left anywhere in the
    object store of ``repo`` (current, old, unreachable)."""
    import pyrage
    from pyrage import x25519

    from reseau_cli.crypto.layer import Wrapped

    secret = x25519.Identity.from_str(identity.read_text().splitlines()[-1])
    found = []
    for blob in all_objects(repo):
        if not blob.startswith(b"recipient: age1"):
            continue
        try:
            text = pyrage.decrypt(Wrapped.load(blob).data, [secret])
        except pyrage.DecryptError:
            continue
        found.append(x25519.Identity.from_str(text.decode().strip()))
    return found


def opens(blob: bytes, keys: list[object]) -> bool:
    import pyrage

    from reseau_cli.crypto.layer import parse_sealed

    sealed = parse_sealed(blob.decode(), display="-")
    try:
        pyrage.decrypt(sealed.data, keys)
    except pyrage.DecryptError:
        return False
    return True


def test_removed_members_strangers_and_erased_persons_read_nothing(
    crew: Crew, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Carol syncs (she holds every key), then is removed; Alice rotates the keys.
    carol = clone(crew, "carol")
    as_(crew, "carol", monkeypatch)
    run(carol, "sync")
    assert "Janssens" in run(carol, "person", "show", "p-marcel").stdout
    alice = as_(crew, "alice", monkeypatch)
    run(alice, "team", "remove-member", "Carol")
    run(alice, "team", "rotate")
    assert "OK" in run(alice, "check").stdout
    run(alice, "plan", "objective", "add", "p-marcel", "Go back to the choir")
    run(
        alice,
        "person",
        "add",
        "--id",
        "p-rosa",
        "--family-name",
        "Peeters",
        "--given-name",
        "Rosa",
    )
    run(alice, "sync")
    # Carol's clone fetches everything new with plain git: nothing new opens for her,
    # with the keys she kept or those on the remote now.
    git(carol, "fetch", "--quiet", "origin", "+refs/*:refs/remotes/stolen/*")
    for who in ("carol", "eve"):
        keys = data_keys(carol, crew.identities[who])
        newest = git(carol, "show", "refs/remotes/stolen/heads/main:persons/p-marcel.yaml")
        assert not keys or not opens(newest.encode(), keys)
        if who == "carol":
            assert keys  # the old keys she kept open the old versions only
        rosa = git(carol, "show", "refs/remotes/stolen/heads/main:persons/p-rosa.yaml")
        assert not keys or not opens(rosa.encode(), keys)
    as_(crew, "carol", monkeypatch)
    run(carol, "sync")
    for pid in ("p-rosa", "p-marcel"):
        denied = attempt(carol, "person", "show", pid)
        assert (
            denied.stderr
            == f"error: persons/{pid}.yaml is encrypted for the team; you hold no key for it\n"
        )
    # Bob (still a member) reads the rotated files.
    bob = clone(crew, "bob")
    as_(crew, "bob", monkeypatch)
    run(bob, "sync")
    assert "Go back to the choir" in run(bob, "person", "show", "p-marcel").stdout
    # Alice erases Marcel; everyone syncs; the server forgets unreachable objects.
    alice = as_(crew, "alice", monkeypatch)
    before = git(alice, "log", "--format=%s", "-n", "1")
    result = run(alice, "person", "erase", "p-marcel", "--reason", "asked by the person")
    assert (
        git(alice, "log", "--format=%s", "-n", "1").strip() == "p-marcel: erase (crypto-shredding)"
    )
    assert before != git(alice, "log", "--format=%s", "-n", "1")
    assert "Erased p-marcel" in result.stderr
    assert not (alice / "persons" / "p-marcel.yaml").exists()
    register = (alice / "team" / "erasures.yaml").read_text()
    assert "p-marcel" in register and "asked by the person" in register
    assert "Janssens" not in register
    run(alice, "sync")
    as_(crew, "bob", monkeypatch)
    run(bob, "sync")
    assert not (bob / "persons" / "p-marcel.yaml").exists()
    git(crew.server, "gc", "--quiet", "--prune=now")
    # Every version of Marcel's file in the whole history, in every repository, is
    # sealed, and no key any member holds in any object store opens one.
    for repo in (crew.server, alice, bob):
        history = blobs_of(repo, "persons/p-marcel.yaml")
        assert len(history) >= 3  # added, rotated, edited
        for who in (*MEMBERS, "eve"):
            keys = data_keys(repo, crew.identities[who])
            if who in ("alice", "bob"):
                assert keys  # the members' keys still open Rosa's file
            for blob in history:
                assert blob.startswith(b"# reseau: encrypted")
                assert not keys or not opens(blob, keys), (repo, who)
    # Rosa is untouched.
    assert "Peeters" in run(bob, "person", "show", "p-rosa").stdout


def test_erasure_is_refused_without_encryption_and_changes_nothing(team: Path) -> None:
    from conftest import refused

    pid = ok("person", "add", "--family-name", "Janssens", "--given-name", "Marcel").stdout.strip()
    refused(team, "person", "erase", pid, "--reason", "asked", match="erasure needs encryption")


def test_a_server_with_reseau_hooks_accepts_sealed_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The server holds no key: it checks what it can (the clear header) and lets the
    key store through."""
    no_identity(monkeypatch)
    server = tmp_path / "server.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(server))
    ok("--repo", str(server), "hooks", "install", "--server")
    identity = tmp_path / "keys" / "alice.txt"
    recipient = ok("team", "init-keys", "--identity", str(identity)).stdout.strip()
    monkeypatch.setenv("RESEAU_AGE_IDENTITY", str(identity))
    crew = Crew(tmp_path, server, {}, {"alice": identity}, {"alice": recipient})
    alice = clone(crew, "alice")
    run(alice, "init", str(alice))
    run(alice, "team", "add-member", "Alice", recipient)
    run(alice, "encrypt", "enable")
    run(alice, "person", "add", "--family-name", "Janssens", "--given-name", "Marcel")
    assert "Sent" in run(alice, "sync").stderr
    assert git(server, "rev-parse", "refs/reseau/keys").strip()
    assert git(server, "rev-parse", "main").strip() == git(alice, "rev-parse", "HEAD").strip()


def test_a_real_conflict_is_reported_and_its_record_is_sealed(
    crew: Crew, monkeypatch: pytest.MonkeyPatch
) -> None:
    bob = clone(crew, "bob")
    as_(crew, "bob", monkeypatch)
    run(bob, "sync")
    alice = as_(crew, "alice", monkeypatch)
    monkeypatch.setenv("EDITOR", "sed -i s/March/April/")
    run(alice, "person", "edit", "p-marcel")
    run(alice, "sync")
    as_(crew, "bob", monkeypatch)
    monkeypatch.setenv("EDITOR", "sed -i s/March/May/")
    run(bob, "person", "edit", "p-marcel")
    result = attempt(bob, "sync")
    assert result.exit_code == 1
    assert "situation" in result.output and "Traceback" not in result.output
    assert "Lives alone since May" in run(bob, "person", "show", "p-marcel").stdout
    leaked = [
        p for p in (bob / ".git").rglob("*") if p.is_file() and b"Lives alone" in p.read_bytes()
    ]
    assert not leaked
