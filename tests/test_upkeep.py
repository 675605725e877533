"""Git's automatic upkeep after a write (``vcs._upkeep``): past git's estimate of loose
objects (``objects/17``, by count, and by size for reseau's large trees) a write starts
git's own upkeep in the background, as ``git commit`` would; it respects gc.auto and
maintenance.auto, starts nothing below the threshold or while a change is to be
repaired, and what reseau reads works the same once the objects are packed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from pathlib import Path

import pytest

from conftest import git, ok
from reseau_cli.vcs import _loose, _upkeep


def _kept_in_17(root: Path, count: int, size: int = 0) -> None:
    """COUNT loose blobs whose ids start with ``17`` (of about SIZE bytes, which do not
    compress), reachable from ``refs/test/kept``: made by git's plumbing, which starts no
    upkeep of its own."""
    found: list[str] = []
    filler = os.urandom(size)
    number = 0
    while len(found) < count:
        data = filler + b"%d" % number
        number += 1
        if not hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest().startswith("17"):
            continue
        made = subprocess.run(
            ["git", "hash-object", "-w", "--stdin"], cwd=root, input=data, capture_output=True
        )
        found.append(made.stdout.decode().strip())
    listing = "".join(f"100644 blob {sha}\tkept-{n}\n" for n, sha in enumerate(found))
    made = subprocess.run(
        ["git", "mktree"], cwd=root, input=listing.encode(), capture_output=True, check=True
    )
    commit = git(root, "commit-tree", made.stdout.decode().strip(), "-m", "kept").strip()
    git(root, "update-ref", "refs/test/kept", commit)


def _loose_17(root: Path) -> list[str]:
    folder = root / ".git" / "objects" / "17"
    return [n for n in os.listdir(folder) if len(n) == 38] if folder.is_dir() else []


def _wait_packed(root: Path) -> None:
    """Wait for the upkeep started in the background: no loose object left in
    ``objects/17`` and no gc running."""
    end = time.monotonic() + 120
    git_dir = root / ".git"
    while _loose_17(root) or (git_dir / "gc.pid").exists():
        assert time.monotonic() < end, "git's upkeep did not pack the repository"
        time.sleep(0.05)


def _packed_as_before(root: Path, head: str, listing: str) -> None:
    assert list((root / ".git" / "objects" / "pack").glob("*.pack"))
    counts = dict(line.split(": ") for line in git(root, "count-objects", "-v").splitlines())
    assert counts["count"] == "0", counts
    assert git(root, "rev-parse", "HEAD").strip() == head
    assert git(root, "ls-tree", "-r", "HEAD") == listing
    git(root, "fsck", "--no-progress")
    assert git(root, "status", "--porcelain") == ""


def test_a_write_past_git_s_count_packs_the_repository(team: Path, marcel: str) -> None:
    git(team, "config", "gc.auto", "256")  # git's threshold: more than one in objects/17
    _kept_in_17(team, 2)
    ok("plan", "action", "add", marcel, "Call the GP", "--by", "person")
    head = git(team, "rev-parse", "HEAD").strip()
    listing = git(team, "ls-tree", "-r", "HEAD")
    shown = ok("person", "show", marcel).stdout  # while git packs, perhaps
    _wait_packed(team)
    _packed_as_before(team, head, listing)
    git_dir = team / ".git"
    assert _loose.read(git_dir, head, b"commit") is None  # packed: read by git
    assert ok("person", "show", marcel).stdout == shown
    assert ok("status").stdout
    # The next write finds the branch's commit and trees packed: git makes that commit
    # (``_loose`` and ``_clean`` leave a packed object to git); the one after, reseau again.
    ok("plan", "action", "add", marcel, "Write to the GP", "--by", "person")
    after = git(team, "rev-parse", "HEAD").strip()
    assert git(team, "rev-parse", "HEAD~1").strip() == head
    assert _loose.read(git_dir, after, b"commit") is not None
    ok("plan", "action", "add", marcel, "Visit", "--by", "person")
    assert git(team, "rev-parse", "HEAD~1").strip() == after
    git(team, "fsck", "--no-progress")
    assert git(team, "status", "--porcelain") == ""
    assert "Visit" in ok("person", "show", marcel).stdout


def test_large_loose_objects_are_packed_though_few(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Below git's count, loose objects that weigh more than 256 MiB (estimated from
    objects/17; here, less) are packed by a `git gc` started in the background."""
    monkeypatch.setattr(_loose, "CROWDED_BYTES", 40_000)
    _kept_in_17(team, 1, size=50_000)
    ok("plan", "action", "add", marcel, "Call the GP", "--by", "person")
    head = git(team, "rev-parse", "HEAD").strip()
    listing = git(team, "ls-tree", "-r", "HEAD")
    _wait_packed(team)
    _packed_as_before(team, head, listing)


def test_with_gc_autodetach_false_the_write_waits_for_git_s_upkeep(team: Path, marcel: str) -> None:
    git(team, "config", "gc.auto", "256")
    git(team, "config", "gc.autoDetach", "false")
    _kept_in_17(team, 2)
    ok("plan", "action", "add", marcel, "Call the GP", "--by", "person")
    assert _loose_17(team) == []  # packed before the command ended
    assert not (team / ".git" / "gc.pid").exists()


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], bool]]:
    """What the upkeep would start: (git's arguments, waited for), none started."""
    calls: list[tuple[list[str], bool]] = []
    monkeypatch.setattr(_upkeep, "_start", lambda _top, args, wait: calls.append((args, wait)))
    return calls


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"gc.auto": "256"}, (["maintenance", "run", "--auto", "--quiet"], False)),
        ({"gc.auto": "0"}, None),
        ({"gc.auto": "-1"}, None),
        ({"gc.auto": "256", "maintenance.auto": "false"}, None),
        (
            {"gc.auto": "256", "gc.autodetach": "false"},
            (["maintenance", "run", "--auto", "--quiet"], True),
        ),
        ({}, None),  # git's 6,700: more than 27 in objects/17
        ({"gc.auto": "6700"}, None),
    ],
)
def test_a_write_starts_git_s_upkeep_as_its_settings_say(
    team: Path,
    marcel: str,
    started: list[tuple[list[str], bool]],
    settings: dict[str, str],
    expected: tuple[list[str], bool] | None,
) -> None:
    _kept_in_17(team, 2)
    for key, value in settings.items():
        git(team, "config", key, value)
    ok("plan", "action", "add", marcel, "Call the GP", "--by", "person")
    assert started == ([] if expected is None else [expected])


def test_nothing_is_started_while_a_change_is_to_be_repaired(
    team: Path, started: list[tuple[list[str], bool]]
) -> None:
    _kept_in_17(team, 2)
    git_dir = team / ".git"
    assert _upkeep.due(git_dir, {"gc.auto": "256"}) is not None
    (git_dir / "reseau-journal.json").write_text("{}")
    assert _upkeep.due(git_dir, {"gc.auto": "256"}) is None


def test_nothing_is_started_when_git_would_look_for_objects_elsewhere(
    team: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kept_in_17(team, 2)
    monkeypatch.setenv("GIT_QUARANTINE_PATH", str(team / ".git" / "objects" / "incoming"))
    assert _upkeep.due(team / ".git", {"gc.auto": "256"}) is None


def test_the_size_starts_a_gc_at_most_once_an_hour(
    team: Path, monkeypatch: pytest.MonkeyPatch, started: list[tuple[list[str], bool]]
) -> None:
    monkeypatch.setattr(_loose, "CROWDED_BYTES", 40_000)
    _kept_in_17(team, 1, size=50_000)
    git_dir = team / ".git"
    assert _upkeep.due(git_dir, {"gc.auto": "0"}) is None
    _upkeep.after_write(team, git_dir, ())
    assert started == [(["gc", "--quiet"], False)]
    assert _upkeep.due(git_dir, {}) is None  # one started just now
    past = time.time() - 2 * _upkeep.PAUSE
    os.utime(git_dir / _upkeep.MARK, (past, past))
    assert _upkeep.due(git_dir, {}) == ["gc", "--quiet"]


@pytest.mark.parametrize(
    ("text", "number"),
    [("6700", 6700), ("0", 0), ("-1", -1), ("1k", 1024), ("2M", 2 << 20), ("0x10", 16)]
    + [("010", 8), (" 12 ", 12), ("many", None), ("1.5", None), ("", None)],
)
def test_numbers_are_read_as_git_reads_them(text: str, number: int | None) -> None:
    assert _upkeep._number(text) == number
