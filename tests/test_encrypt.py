"""`reseau encrypt enable`: the layer between the store and the files (issue 14, part 2)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import commits, git, invoke, ok, refused

NAMES = ("Janssens", "Marcel", "Lives alone", "Dupont", "0470 12 34 56")


def identity(tmp_path: Path, who: str) -> tuple[Path, str]:
    file = tmp_path / "keys" / who / "identity.txt"
    recipient = ok("team", "init-keys", "--identity", str(file)).stdout.strip()
    return file, recipient


def add_marcel() -> None:
    ok(
        "person",
        "add",
        "--id",
        "p-marcel",
        "--family-name",
        "Janssens",
        "--given-name",
        "Marcel",
        "--birth-date",
        "1940-05-03",
        "--situation",
        "Lives alone; back home after a fall.",
    )
    ok(
        "intervenant",
        "add",
        "p-marcel",
        "--name",
        "Anne Dupont",
        "--role",
        "nurse",
        "--phone",
        "0470 12 34 56",
    )


def member(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, who: str = "alice") -> str:
    """Alice's identity, used by this process, and her membership."""
    file, recipient = identity(tmp_path, who)
    monkeypatch.setenv("RESEAU_AGE_IDENTITY", str(file))
    ok("team", "add-member", who.title(), recipient)
    return recipient


@pytest.fixture
def sealed(team: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository encrypted for Alice (whose identity this process uses) from the
    start, then given one person and one intervenant."""
    member(tmp_path, monkeypatch)
    ok("encrypt", "enable")
    add_marcel()
    return team


def test_enable_seals_every_file_in_one_commit(
    team: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    member(tmp_path, monkeypatch)
    add_marcel()
    sealed = team
    ok("encrypt", "enable")
    assert commits(sealed)[0] == "encrypt: enable"
    changed = git(sealed, "show", "--name-only", "--format=", "HEAD").split()
    assert "persons/p-marcel.yaml" in changed and "team/recipients.yaml" in changed
    assert any(p.startswith("intervenants/") for p in changed)
    for path in [*sealed.glob("persons/*.yaml"), *sealed.glob("intervenants/*.yaml")]:
        text = path.read_text()
        assert text.startswith("# reseau: encrypted for the team (age)")
        assert "id: " in text and "format: 1" in text
        for name in NAMES:
            assert name not in text
    assert json.loads(ok("team", "list", "--json").stdout)["encryption"] is True


def test_every_command_works_as_before_for_a_member(sealed: Path) -> None:
    shown = ok("person", "show", "p-marcel").stdout
    assert "Janssens" in shown and "Lives alone" in shown
    assert "p-marcel" in ok("person", "list").stdout
    ok("plan", "objective", "add", "p-marcel", "Stay at home")
    assert "Stay at home" in ok("person", "show", "p-marcel").stdout
    text = (sealed / "persons" / "p-marcel.yaml").read_text()
    assert "Stay at home" not in text and text.startswith("# reseau: encrypted")
    assert "OK" in ok("check").stdout
    # A new person is sealed from its first commit.
    new = ok("person", "add", "--family-name", "Peeters", "--given-name", "Rosa").stdout.strip()
    assert "Peeters" not in (sealed / "persons" / f"{new}.yaml").read_text()
    assert "Peeters" in ok("person", "show", new).stdout


def test_git_diff_and_log_are_readable_for_a_member(sealed: Path) -> None:
    ok("plan", "objective", "add", "p-marcel", "Stay at home")
    patch = git(sealed, "log", "-p", "-n", "1", "--", "persons/p-marcel.yaml")
    assert "+  text: Stay at home" in patch or "Stay at home" in patch
    assert "BEGIN AGE" not in patch


def test_an_unchanged_file_is_not_rewritten(sealed: Path) -> None:
    before = (sealed / "persons" / "p-marcel.yaml").read_text()
    head = git(sealed, "rev-parse", "HEAD")
    refused(sealed, "encrypt", "enable", match="already encrypted")
    assert git(sealed, "rev-parse", "HEAD") == head
    assert (sealed / "persons" / "p-marcel.yaml").read_text() == before


def test_without_a_key_each_command_says_so_in_one_line(
    sealed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stranger, _ = identity(tmp_path, "stranger")
    monkeypatch.setenv("RESEAU_AGE_IDENTITY", str(stranger))
    result = invoke("person", "show", "p-marcel")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: persons/p-marcel.yaml is encrypted for the team; you hold no key for it\n"
    )
    listed = invoke("person", "list")
    assert "Janssens" not in listed.output and "Traceback" not in listed.output
    monkeypatch.setenv("RESEAU_AGE_IDENTITY", str(tmp_path / "none.txt"))
    result = invoke("person", "show", "p-marcel")
    assert result.exit_code == 1 and "you hold no key for it" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_flipped_byte_is_refused_and_named(sealed: Path) -> None:
    path = sealed / "persons" / "p-marcel.yaml"
    text = path.read_text()
    lines = text.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if "END AGE" in line) - 1
    line = lines[index]
    lines[index] = line[:4] + ("A" if line[4] != "A" else "B") + line[5:]
    path.write_text("".join(lines))
    result = invoke("person", "show", "p-marcel")
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "error: persons/p-marcel.yaml: -: the encrypted content is damaged"
    )
    assert len(result.stderr.splitlines()) == 1
    checked = invoke("check")
    assert "persons/p-marcel.yaml" in checked.stdout and checked.exit_code == 1
    # The intervenant is unaffected.
    assert "Dupont" in ok("intervenant", "list").stdout


def test_check_reports_files_sealed_for_other_recipients(sealed: Path, tmp_path: Path) -> None:
    _, bob = identity(tmp_path, "bob")
    # Edited by hand (a teammate's old clone): the team lists Bob, the keys do not.
    team_file = sealed / "team" / "recipients.yaml"
    team_file.write_text(team_file.read_text() + f"- name: Bob\n  recipient: {bob}\n")
    git(sealed, "commit", "-qam", "team: add member by hand")
    result = invoke("check")
    assert result.exit_code == 1
    assert "persons/p-marcel.yaml: -: encrypted for recipients that differ" in result.stdout


def test_no_name_is_left_in_clear_under_dot_git(sealed: Path, tmp_path: Path) -> None:
    ok("person", "list")
    ok("person", "show", "p-marcel")
    ok("check")
    ok("status")
    ok("plan", "objective", "add", "p-marcel", "Stay at home")
    ok("intervenant", "list")
    assert "p-marcel" in ok("find", "Marcel").stdout  # the index stays in memory
    ok("log", "p-marcel")
    ok("render", "plan", "p-marcel", "-o", str(tmp_path / "plan.md"))
    git(sealed, "gc", "--quiet")
    found = []
    for path in (sealed / ".git").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found += [(path, n) for n in NAMES if n.encode() in data]
    # Objects are compressed: read every object too.
    objects = subprocess.run(
        ["git", "cat-file", "--batch-all-objects", "--batch"],
        cwd=sealed,
        capture_output=True,
        check=True,
    ).stdout
    found += [("objects", n) for n in NAMES if n.encode() in objects]
    assert not found


def test_drafts_and_editor_copies_stay_private(
    sealed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "false")  # the editor fails: the edit is aborted
    result = invoke("person", "edit", "p-marcel")
    assert result.exit_code == 1
    edit = sealed / ".git" / "reseau-edit"
    assert not edit.exists() or not any(edit.iterdir())
    if edit.exists():
        assert os.stat(edit).st_mode & 0o077 == 0


def test_a_member_added_later_reads_everything(
    sealed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bob_file, bob = identity(tmp_path, "bob")
    ok("team", "add-member", "Bob", bob)
    assert "OK" in ok("check").stdout  # every key wrapped for Alice and Bob
    monkeypatch.setenv("RESEAU_AGE_IDENTITY", str(bob_file))
    assert "Janssens" in ok("person", "show", "p-marcel").stdout
    assert "Dupont" in ok("intervenant", "list").stdout


def test_removing_a_member_leaves_them_no_key(
    sealed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bob_file, bob = identity(tmp_path, "bob")
    ok("team", "add-member", "Bob", bob)
    ok("team", "remove-member", "Bob")
    monkeypatch.setenv("RESEAU_AGE_IDENTITY", str(bob_file))
    assert "you hold no key" in invoke("person", "show", "p-marcel").stderr


def test_what_was_kept_in_clear_before_encryption_is_gone(
    team: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The derived index and the whole answers kept for the console's first step
    (`.git/reseau-kept`), made while the files were clear, go with `encrypt enable`."""
    import sys

    add_marcel()
    old = 1_000_000_000  # not too recent for their stat: the answers are kept
    for path in [*team.glob("persons/*.yaml"), *team.glob("intervenants/*.yaml")]:
        os.utime(path, (old, old))
    for args in (("status",), ("person", "list"), ("person", "show", "p-marcel"), ("find", "Anne")):
        for _ in range(2):
            subprocess.run(
                [sys.executable, "-m", "reseau_cli", *args], capture_output=True, check=True
            )

    def in_clear() -> list[Path]:
        found = []
        for path in (team / ".git").rglob("*"):
            if path.is_file() and "objects" not in path.parts:
                data = path.read_bytes()
                found += [path for n in ("Janssens", "Anne Dupont") if n.encode() in data]
        return found

    assert any("reseau-kept" in p.parts for p in in_clear())
    member(tmp_path, monkeypatch)
    ok("encrypt", "enable")
    assert in_clear() == []
    ok("status")
    assert in_clear() == []
