"""Shared fixtures: real git repositories in tmp_path, an isolated git configuration,
and a CLI runner that keeps stdout and stderr apart."""

from __future__ import annotations

import hashlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from reseau_cli.cli import app

TODAY = "2026-11-28"
AUTHOR = ("Alice Coordinator", "alice@example.org")


@pytest.fixture(autouse=True)
def isolated_git(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test sees the machine's git config or identity; each gets its own HOME."""
    home = tmp_path_factory.mktemp("home")
    (home / ".gitconfig").write_text("")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", AUTHOR[0])
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", AUTHOR[1])
    monkeypatch.setenv("GIT_COMMITTER_NAME", AUTHOR[0])
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", AUTHOR[1])
    monkeypatch.setenv("RESEAU_TODAY", TODAY)
    # Terminal messages in English, whatever the team's lang or the machine's locale;
    # the language is chosen again by each test's first message (an earlier test run in
    # the same process may have chosen another: a team's, or its RESEAU_LANG).
    monkeypatch.setenv("RESEAU_LANG", "en")
    monkeypatch.setattr("reseau_cli.i18n._current", None)
    for name in ("RESEAU_REPO", "RESEAU_DEBUG", "EDITOR", "VISUAL", "EMAIL", "GIT_DIR"):
        monkeypatch.delenv(name, raising=False)
    return home


def no_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
    ):
        monkeypatch.delenv(name, raising=False)


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True
    ).stdout


def commits(root: Path) -> list[str]:
    """Commit subjects, newest first."""
    return git(root, "log", "--format=%s").splitlines()


@dataclass
class Snapshot:
    """Everything a refused command must leave exactly as it was."""

    files: dict[str, str]
    head: str
    status: str


def snapshot(root: Path) -> Snapshot:
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith(".git/"):
            files[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    head = git(root, "rev-parse", "HEAD").strip()
    return Snapshot(files, head, git(root, "status", "--porcelain"))


def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=input, env=env)


def ok(*args: str, input: str | None = None) -> Result:
    """Run a command that must succeed; a bug surfaces with its traceback."""
    result = CliRunner().invoke(app, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == 0, (
        f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    )
    return result


def refused(root: Path, *args: str, match: str, code: int = 1, input: str | None = None) -> Result:
    """Run a command that must be refused with one clear line and change nothing."""
    before = snapshot(root)
    result = invoke(*args, input=input)
    assert result.exit_code == code, (
        f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    )
    assert match.lower() in result.stderr.lower(), result.stderr
    assert "Traceback" not in result.stderr
    if code in (1, 2):  # usage errors too: one line, naming the usage and -h
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("error: ")
    assert snapshot(root) == before
    return result


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An initialised, empty data repository; commands find it through RESEAU_REPO."""
    root = tmp_path / "team"
    ok("init", str(root), "--team", "Réseau Santé Nord")
    monkeypatch.setenv("RESEAU_REPO", str(root))
    return root


@pytest.fixture
def marcel(team: Path) -> str:
    return ok(
        "person",
        "add",
        "--family-name",
        "Janssens",
        "--given-name",
        "Marcel",
        "--birth-date",
        "1940-05-03",
        "--situation",
        "Lives alone; back home after a fall.",
        "--since",
        "2026-09-01",
    ).stdout.strip()


def edit_keeping_mtime(path: Path, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` (of the same length) in the file in place, and put its
    access and modification times back: its size, inode and mtime stay as they were (a
    rewrite within one tick of the clock); only its ctime moves."""
    before = path.stat()
    with path.open("r+b") as handle:
        text = handle.read()
        handle.seek(0)
        handle.write(text.replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size


def caseload_network(team: Path, marcel: str) -> dict[str, str]:
    """Marcel and another person ("other"), both followed by the nurse karim-ouali, who
    coordinates the other's network and has an action due in Marcel's plan."""
    write_intervenant(team, "karim-ouali", "Karim Ouali")
    ok("intervenant", "add", marcel, "--id", "karim-ouali", "--role", "infirmier")
    ok("plan", "action", "add", marcel, "Call the GP", "--by", "karim-ouali", "--due", "2026-11-20")
    other = ok("person", "add", "--family-name", "Zyxwvutsrq", "--given-name", "Léa").stdout
    other = other.strip()
    ok("intervenant", "add", other, "--id", "karim-ouali", "--role", "kiné")
    ok("coordinator", "set", other, "karim-ouali")
    return {"marcel": marcel, "other": other}


def write_intervenant(
    root: Path, ident: str, name: str, kind: str = "professional", **extra: str
) -> None:
    """A directory entry written by hand and committed, as a teammate's clone would."""
    lines = ["format: 1", f"id: {ident}", f"name: {name}", f"kind: {kind}"]
    lines += [f"{k}: {v!r}" for k, v in extra.items()]
    path = root / "intervenants" / f"{ident}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    git(root, "add", str(path))
    git(root, "commit", "-qm", f"{ident}: add to directory")


os.environ.setdefault("COLUMNS", "200")
