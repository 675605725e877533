"""Crash safety, one case at a time: a write killed at each step leaves the whole change
or nothing, and the next command repairs it by itself; Ctrl-C and SIGTERM say what they
left; a full disk, a detached HEAD, a stale lock and a half-done rebase are refused."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import commits, git, ok, refused, snapshot

STEPS = ["blobs", "tree", "commit", "journal", "temps", "ref", "rename-1", "index"]
COMMITTED = {"ref", "rename-1", "index"}


def reseau(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The real command, in its own process (so that it can really be killed)."""
    return subprocess.run(
        [sys.executable, "-m", "reseau_cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
    )


def leftovers(root: Path) -> list[str]:
    """Temporary files and locks a change may leave behind."""
    found = [p.name for p in root.rglob("*.reseau-new")]
    for name in ("reseau-journal.json", "reseau-journal.json.tmp", "reseau-index.tmp"):
        found += [name] if (root / ".git" / name).exists() else []
    found += [p.name for p in (root / ".git").rglob("*.lock") if p.name != "reseau.lock"]
    return found


def clean(root: Path) -> None:
    assert git(root, "status", "--porcelain") == ""
    assert leftovers(root) == []
    fsck = subprocess.run(["git", "fsck", "--no-dangling"], cwd=root, capture_output=True)
    assert fsck.returncode == 0, fsck.stderr


@pytest.mark.parametrize("step", STEPS)
def test_a_write_killed_at_any_step_is_whole_or_absent_and_repaired(
    team: Path, marcel: str, step: str
) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    before, head = path.read_text(), git(team, "rev-parse", "HEAD").strip()
    killed = reseau("person", "close", marcel, "--reason", "moved", RESEAU_CRASH_AT=step)
    assert killed.returncode == -9, killed.stderr
    # The next command, a read, finishes or undoes the change and says so in one line.
    after = reseau("person", "list", "--all")
    assert after.returncode == 0, after.stderr
    if step in COMMITTED:
        new = git(team, "rev-parse", "HEAD").strip()
        assert new != head and commits(team)[0] == f"{marcel}: close accompaniment"
        assert "status: closed" in path.read_text()
        if step != "index" or "finished" in after.stderr:
            assert after.stderr == f"reseau: finished an interrupted change (commit {new[:7]})\n"
    else:
        assert git(team, "rev-parse", "HEAD").strip() == head
        assert path.read_text() == before
        if step in ("journal", "temps"):
            assert "nothing had been committed" in after.stderr
    assert git(team, "show", f"HEAD:persons/{marcel}.yaml") == path.read_text()
    clean(team)
    ok("person", "add", "--family-name", "Next", "--given-name", "Write")
    clean(team)


def test_two_files_killed_between_renames(team: Path, marcel: str) -> None:
    """`intervenant add --name` writes the directory entry and the person: both or none."""
    killed = reseau(
        "intervenant", "add", marcel, "--name", "Anne Infirmière", "--role", "nurse",
        RESEAU_CRASH_AT="rename-1",
    )  # fmt: skip
    assert killed.returncode == -9
    assert "finished an interrupted change" in reseau("status").stderr
    assert (team / "intervenants" / "anne-infirmiere.yaml").is_file()
    assert "anne-infirmiere" in (team / "persons" / f"{marcel}.yaml").read_text()
    assert len(git(team, "show", "--name-only", "--format=", "HEAD").split()) == 2
    clean(team)


def test_a_write_repairs_before_writing(team: Path, marcel: str) -> None:
    reseau("person", "close", marcel, "--reason", "x", RESEAU_CRASH_AT="temps")
    result = reseau("person", "add", "--family-name", "A", "--given-name", "B")
    assert result.returncode == 0
    assert result.stderr.startswith("reseau: undid an interrupted change")
    assert commits(team)[0].endswith(": add person")
    clean(team)


def test_stale_git_locks_of_a_killed_change_are_removed(team: Path, marcel: str) -> None:
    """Killed with its whole process group, a change's git children leave their locks."""
    reseau("person", "close", marcel, "--reason", "x", RESEAU_CRASH_AT="ref")
    (team / ".git" / "index.lock").write_text("")
    assert "finished an interrupted change" in reseau("status").stderr
    clean(team)


def test_a_head_lock_left_by_a_killed_update_ref_is_removed(team: Path, marcel: str) -> None:
    """git update-ref of the branch HEAD names locks HEAD too (its reflog): killed at that
    instant, it leaves HEAD.lock, which would refuse every later commit."""
    reseau("person", "close", marcel, "--reason", "x", RESEAU_CRASH_AT="ref")
    (team / ".git" / "HEAD.lock").write_text("")
    assert "finished an interrupted change" in reseau("status").stderr
    clean(team)
    assert reseau("person", "reopen", marcel).returncode == 0


@pytest.mark.parametrize(
    ("signal", "code"), [("INT", 130), ("TERM", 143)], ids=["sigint", "sigterm"]
)
def test_interrupted_before_the_commit_says_nothing_was_committed(
    team: Path, marcel: str, signal: str, code: int
) -> None:
    before = snapshot(team)
    result = reseau(
        "person", "close", marcel, "--reason", "x",
        RESEAU_CRASH_AT="temps", RESEAU_CRASH_SIGNAL=signal,
    )  # fmt: skip
    assert (result.returncode, result.stderr) == (code, "interrupted; nothing was committed\n")
    assert snapshot(team) == before
    clean(team)


@pytest.mark.parametrize(
    ("signal", "code"), [("INT", 130), ("TERM", 143)], ids=["sigint", "sigterm"]
)
def test_interrupted_after_the_commit_says_it_is_complete(
    team: Path, marcel: str, signal: str, code: int
) -> None:
    result = reseau(
        "person", "close", marcel, "--reason", "x",
        RESEAU_CRASH_AT="ref", RESEAU_CRASH_SIGNAL=signal,
    )  # fmt: skip
    new = git(team, "rev-parse", "HEAD").strip()
    assert result.returncode == code
    assert result.stderr == f"interrupted after committing {new[:7]}; the change is complete\n"
    assert commits(team)[0] == f"{marcel}: close accompaniment"
    assert "status: closed" in (team / "persons" / f"{marcel}.yaml").read_text()
    clean(team)


def test_detached_head_is_refused_naming_the_branch(team: Path, marcel: str) -> None:
    git(team, "checkout", "-q", "--detach")
    result = refused(
        team, "person", "add", "--family-name", "A", "--given-name", "B", match="detached HEAD"
    )
    assert "`git switch main`" in result.stderr
    refused(team, "person", "edit", marcel, match="detached HEAD")
    git(team, "switch", "-q", "main")
    ok("person", "add", "--family-name", "A", "--given-name", "B")


def test_detached_head_names_the_branch_left(team: Path, marcel: str) -> None:
    git(team, "switch", "-qc", "equipe")
    git(team, "branch", "-q", "autre")
    git(team, "checkout", "-q", "--detach")
    result = refused(team, "person", "close", marcel, "--reason", "x", match="detached HEAD")
    assert "`git switch equipe`" in result.stderr


def test_stale_index_lock_is_named(team: Path, marcel: str) -> None:
    lock = team / ".git" / "index.lock"
    lock.write_text("")
    result = refused(team, "person", "close", marcel, "--reason", "x", match="stale lock")
    assert str(lock) in result.stderr and "rm " in result.stderr
    lock.unlink()
    ok("person", "close", marcel, "--reason", "x")


def test_live_index_lock_names_its_owner(team: Path, marcel: str) -> None:
    lock = team / ".git" / "index.lock"
    lock.write_text("")
    holder = subprocess.Popen(
        [sys.executable, "-c", f"f = open({str(lock)!r}); import time; time.sleep(60)"]
    )
    try:
        time.sleep(0.3)
        result = refused(team, "person", "close", marcel, "--reason", "x", match="git is busy")
        assert f"process {holder.pid}" in result.stderr and str(lock) in result.stderr
    finally:
        holder.kill()
        holder.wait()


def test_reseau_lock_names_its_owner_and_a_dead_one_is_taken_over(team: Path, marcel: str) -> None:
    lock = team / ".git" / "reseau.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from reseau_cli import store\n"
            f"with store.locked(Path({str(lock)!r})):\n    print('held', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert lock.read_text() == f"{holder.pid}\n"
        from reseau_cli import store
        from reseau_cli.errors import RepositoryBusy

        with (
            pytest.raises(RepositoryBusy, match=f"process {holder.pid}"),
            store.locked(lock, timeout=0.2),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    # Its owner is gone: the lock is taken over at once.
    ok("person", "close", marcel, "--reason", "x")
    assert lock.read_text().strip() != str(holder.pid)


def _conflict(team: Path, marcel: str) -> tuple[str, str]:
    """Two commits changing the same line: a branch `other` and `main`."""
    path = team / "persons" / f"{marcel}.yaml"
    git(team, "config", "merge.reseau.driver", "false")  # a plain textual conflict
    git(team, "checkout", "-qb", "other")
    path.write_text(path.read_text().replace("Lives alone", "Lives alone (other)"))
    git(team, "commit", "-qam", "other")
    other = git(team, "rev-parse", "HEAD").strip()
    git(team, "checkout", "-q", "main")
    path.write_text(path.read_text().replace("Lives alone", "Lives alone (main)"))
    git(team, "commit", "-qam", "main")
    return other, git(team, "rev-parse", "HEAD").strip()


@pytest.mark.parametrize(
    ("operation", "abort"),
    [
        (("rebase", "other"), "git rebase --abort"),
        (("cherry-pick", "other"), "git cherry-pick --abort"),
        (("revert", "--no-edit", "HEAD"), "git revert --abort"),
    ],
    ids=["rebase", "cherry-pick", "revert"],
)
def test_half_done_git_operation_advises_its_own_abort(
    team: Path, marcel: str, operation: tuple[str, ...], abort: str
) -> None:
    _conflict(team, marcel)
    if operation[0] == "revert":
        path = team / "persons" / f"{marcel}.yaml"
        path.write_text(path.read_text().replace("(main)", "(main, again)"))
        git(team, "commit", "-qam", "again")
        operation = ("revert", "--no-edit", "HEAD~1")
    done = subprocess.run(["git", *operation], cwd=team, capture_output=True)
    assert done.returncode != 0  # stopped on the conflict
    result = refused(team, "person", "add", "--family-name", "A", "--given-name", "B", match=abort)
    assert f"middle of a {operation[0]}" in result.stderr


def test_a_write_does_not_import_gitpython(team: Path, marcel: str) -> None:
    """A write pays for its commit only: plain git processes, no GitPython import."""
    code = (
        "import sys\nfrom reseau_cli.cli import app\n"
        "try:\n    app(['person', 'close', sys.argv[1], '--reason', 'x'])\n"
        "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print('git' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code, marcel], capture_output=True, text=True)
    assert done.stdout == "False\n", done.stderr
    assert commits(team)[0] == f"{marcel}: close accompaniment"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 8 MB file system (tmpfs), for a full disk; skipped where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def _fill(disk: Path, leave: int) -> Path:
    """Fill the disk, then free ``leave`` bytes."""
    filler = disk / "filler"
    # Unbuffered: a buffered file would try its last refused write again on closing.
    with open(filler, "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    with contextlib.suppress(OSError):
        while True:  # what a 64 kB write could not take, bit by bit
            with open(filler, "ab", buffering=0) as handle:
                handle.write(b"\0" * 1024)
    os.truncate(filler, max(0, filler.stat().st_size - leave))
    return filler


def test_disk_full_refuses_the_whole_change(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small_disk / "team"
    ok("init", str(root))
    monkeypatch.setenv("RESEAU_REPO", str(root))
    ident = ok(
        "person", "add", "--family-name", "Janssens", "--given-name", "Marcel"
    ).stdout.strip()
    text = "A long situation, written once and kept. " * 40
    refusals = 0
    for leave in (0, 4096, 16384, 65536):
        ok("person", "list")  # the derived cache is written while there is room
        before = snapshot(root)
        filler = _fill(small_disk, leave)
        result = reseau("person", "close", ident, "--reason", text)
        filler.unlink()  # (git status itself needs some room)
        if result.returncode == 0:  # there was room: the whole change is there
            assert "status: closed" in (root / "persons" / f"{ident}.yaml").read_text()
        else:
            refusals += 1
            assert result.returncode == 1, result.stderr
            assert result.stderr.startswith("error: disk full"), result.stderr
            assert len(result.stderr.splitlines()) == 1
            assert snapshot(root) == before
        assert leftovers(root) == [] and git(root, "status", "--porcelain") == ""
        if result.returncode == 0:
            break
    assert refusals >= 1
    # Space again: the next write goes through, nothing to blame on "changes outside reseau".
    if "status: closed" not in (root / "persons" / f"{ident}.yaml").read_text():
        ok("person", "close", ident, "--reason", text)
    ok("person", "add", "--family-name", "Other", "--given-name", "Person")
    clean(root)


def test_temporary_files_of_killed_cache_writers_are_swept(team: Path, marcel: str) -> None:
    ok("person", "show", marcel)  # fills the derived cache
    files = team / ".git" / "reseau-cache" / "files"
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    stray = files / f".person.{marcel}.yaml.marshal.x1y2z3.{dead.stdout.strip()}.tmp"
    mine = files / f".person.{marcel}.yaml.marshal.a1b2c3.{os.getpid()}.tmp"
    stray.write_bytes(b"half")
    mine.write_bytes(b"being written")
    ok("person", "close", marcel, "--reason", "x")
    assert not stray.exists()
    assert mine.exists()  # its writer still runs
