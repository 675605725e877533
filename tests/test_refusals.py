"""Bad input: one clear line on stderr, exit 1 (2 for usage), files and git untouched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import commits, git, invoke, no_identity, ok, refused, snapshot


def test_unknown_person(team: Path, marcel: str) -> None:
    refused(team, "person", "show", "p-nobody", match="unknown person 'p-nobody'")
    refused(team, "person", "close", "p-nobody", "--reason", "x", match="unknown person")
    refused(team, "log", "p-nobody", match="unknown person")


@pytest.mark.parametrize("bad", ["../etc", "a/b", "..", "Marcel", "p 1", "p_1", "é", "x" * 41, ""])
def test_ids_that_could_escape_or_are_malformed(team: Path, marcel: str, bad: str) -> None:
    refused(team, "person", "show", bad, match="invalid person id")
    refused(team, "person", "close", bad, "--reason", "x", match="invalid person id")
    refused(
        team,
        "person",
        "add",
        "--family-name",
        "A",
        "--given-name",
        "B",
        "--id",
        bad,
        match="invalid person id",
    )


@pytest.mark.parametrize("bad", ["2026-02-30", "demain", "2026-13-01", "26-01-01", "2026-1-1"])
def test_impossible_or_non_dates(team: Path, marcel: str, bad: str) -> None:
    refused(
        team,
        "person",
        "add",
        "--family-name",
        "A",
        "--given-name",
        "B",
        "--birth-date",
        bad,
        match=f"invalid --birth-date {bad!r}",
    )
    refused(team, "person", "close", marcel, "--reason", "x", "--date", bad, match="invalid --date")


def test_birth_date_in_the_future(team: Path) -> None:
    refused(
        team,
        "person",
        "add",
        "--family-name",
        "A",
        "--given-name",
        "B",
        "--birth-date",
        "2030-01-01",
        match="in the future",
    )


def test_empty_names(team: Path) -> None:
    refused(
        team, "person", "add", "--family-name", " ", "--given-name", "B", match="must not be empty"
    )


def test_missing_required_option_is_usage_error(team: Path) -> None:
    result = refused(team, "person", "add", "--given-name", "B", match="--family-name", code=2)
    assert "Traceback" not in result.output


def test_bad_reseau_today(team: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESEAU_TODAY", "tomorrow")
    refused(team, "person", "add", "--family-name", "A", "--given-name", "B", match="RESEAU_TODAY")


def _break(team: Path, pid: str, text: str) -> None:
    (team / "persons" / f"{pid}.yaml").write_text(text)
    git(team, "commit", "-qam", f"{pid}: hand edit")


def test_write_refused_on_invalid_yaml_file(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    broken = path.read_text().replace("status: active", "status: [active")
    _break(team, marcel, broken)
    result = refused(team, "person", "close", marcel, "--reason", "x", match="invalid YAML")
    assert f"persons/{marcel}.yaml" in result.stderr
    assert "line" in result.stderr
    assert path.read_text() == broken


def test_write_refused_on_schema_violation_naming_line(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    text = path.read_text().replace("status: active", "status: asleep")
    _break(team, marcel, text)
    line = text.splitlines().index("status: asleep") + 1
    result = refused(team, "person", "close", marcel, "--reason", "x", match=f"line {line}")
    assert "asleep" in result.stderr
    assert "reseau person edit" in result.stderr


def _run_with_read_only(folder: Path, args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Run reseau with ``folder`` read-only. Root ignores permission bits, so as root
    the folder is bind-mounted read-only in a private mount namespace instead."""
    command = [sys.executable, "-m", "reseau_cli", *args]
    if os.geteuid() != 0:
        mode = folder.stat().st_mode
        os.chmod(folder, 0o555)
        try:
            return subprocess.run(command, capture_output=True, text=True, cwd=cwd)
        finally:
            os.chmod(folder, mode)
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1) to make a folder read-only for root")
    script = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" && shift && exec "$@"'
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script, "sh", str(folder), *command],
        capture_output=True,
        text=True,
        cwd=cwd,
    )


@pytest.mark.parametrize("which", ["persons", "."])
def test_read_only_repository_folder(team: Path, marcel: str, which: str) -> None:
    before = snapshot(team)
    result = _run_with_read_only(
        (team / which).resolve(), ["person", "close", marcel, "--reason", "x"], team
    )
    if "unshare failed" in result.stderr or "mount:" in result.stderr:
        pytest.skip(f"cannot make a read-only mount here: {result.stderr.strip()}")
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: cannot write"), result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert snapshot(team) == before


def test_missing_git_identity(team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch) -> None:
    no_identity(monkeypatch)
    refused(
        team,
        "person",
        "add",
        "--family-name",
        "A",
        "--given-name",
        "B",
        match="git config user.name",
    )
    refused(team, "person", "close", marcel, "--reason", "x", match="git config user.email")


def test_repository_mid_merge(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    git(team, "checkout", "-qb", "other")
    path.write_text(path.read_text().replace("Lives alone", "Lives alone (other)"))
    git(team, "commit", "-qam", "other")
    git(team, "checkout", "-q", "main")
    path.write_text(path.read_text().replace("Lives alone", "Lives alone (main)"))
    git(team, "commit", "-qam", "main")
    subprocess.run(["git", "merge", "other"], cwd=team, capture_output=True)
    assert (team / ".git" / "MERGE_HEAD").exists()
    refused(
        team, "person", "add", "--family-name", "A", "--given-name", "B", match="middle of a merge"
    )


def test_file_with_uncommitted_changes_outside_reseau(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    path.write_text(path.read_text() + "# a note typed by hand\n")
    result = refused(team, "person", "close", marcel, "--reason", "x", match="uncommitted changes")
    assert "git restore" in result.stderr
    # Other files are not concerned: adding another person still works.
    ok("person", "add", "--family-name", "A", "--given-name", "B")
    assert "# a note typed by hand" in path.read_text()


def test_staged_unrelated_files_are_not_committed(team: Path, marcel: str) -> None:
    (team / "notes.txt").write_text("private\n")
    git(team, "add", "notes.txt")
    ok("person", "close", marcel, "--reason", "x")
    assert git(team, "show", "--name-only", "--format=", "HEAD").split() == [
        f"persons/{marcel}.yaml"
    ]
    assert "A  notes.txt" in git(team, "status", "--porcelain")


def test_debug_shows_traceback(team: Path, marcel: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "reseau_cli", "person", "show", "p-nobody"],
        env={**os.environ, "RESEAU_DEBUG": "1"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" in result.stderr and "UnknownPerson" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "reseau_cli", "person", "show", "p-nobody"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert (
        result.stderr
        == "error: unknown person 'p-nobody'; `reseau person list --all` shows the ids\n"
    )


def test_refusal_makes_no_commit(team: Path, marcel: str) -> None:
    before = commits(team)
    invoke("person", "close", marcel, "--reason", "x", "--date", "2026-02-30")
    assert commits(team) == before
