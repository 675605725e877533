"""What each command pays before and besides its work: the modules it imports and the
git processes it starts (issue 12). Counted, never timed: real commands in a real
repository, each in a fresh Python process, `git` found on PATH through a wrapper that
writes one line per process it starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ok, write_intervenant

# Never imported by the commands that read one person or the index. Typer (and the Click
# it vendors) only for `--help`, completion and usage errors: a plain command line runs
# by the fast path (cli/fast.py).
HEAVY = (
    "git",
    "jinja2",
    "jsonschema",
    "rich",
    "weasyprint",
    "babel",
    "fastjsonschema",
    "typer",
    "click",
)
# Standard modules costing every command's start-up for what reseau does without them:
# ``dataclasses`` imports ``inspect`` (with ``ast``, ``dis``, ``tokenize``), and
# ``typing`` is needed for type checking alone (see ``records``, ``TYPE_CHECKING``).
STARTUP = ("dataclasses", "inspect", "ast", "tokenize", "typing", "shlex")
# ``signal`` builds its enums on import: a command handles signals through ``_signal``
# (a read, and a write too, which blocks them while it commits).
SIGNAL_ENUMS = ("signal",)
# The encryption layer: a repository without a team file never needs it (`check` looks
# at every file's header, and imports it).
CLEAR = ("reseau_cli.crypto.layer", "reseau_cli.crypto.team", "reseau_cli.crypto.identity")
# Parts of reseau a command pays for only when it merges, syncs or encrypts.
UNUSED = (
    "reseau_cli.model.merge",
    "reseau_cli.vcs.driver",
    "reseau_cli.vcs._remote",
    "reseau_cli.operations.sync",
)


@pytest.fixture
def counted_git(tmp_path: Path) -> Path:
    """A folder holding a `git` that logs each run to ``calls.txt`` beside it, then runs
    the real git."""
    folder = tmp_path / "wrapped-git"
    folder.mkdir()
    real = subprocess.run(["which", "git"], capture_output=True, text=True, check=True)
    script = folder / "git"
    script.write_text(
        f'#!/bin/sh\necho "$*" >> "{folder}/calls.txt"\nexec {real.stdout.strip()} "$@"\n'
    )
    script.chmod(0o755)
    return folder


def run(
    root: Path, counted_git: Path, *args: str, code: int = 0
) -> tuple[list[str], list[str], str]:
    """Run ``reseau ARGS`` in a fresh process as the console script does: (modules
    imported, git calls, stdout); the exit code must be CODE."""
    calls = counted_git / "calls.txt"
    calls.unlink(missing_ok=True)
    code_ = (  # the modules told by an atexit function, however the process ends
        "import atexit, json, sys\n"
        "from reseau_cli.cli import main\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
        "main()\n"
    )
    env = {**os.environ, "PATH": f"{counted_git}{os.pathsep}{os.environ['PATH']}"}
    env["RESEAU_REPO"] = str(root)
    done = subprocess.run(
        [sys.executable, "-c", code_, *args], capture_output=True, text=True, env=env
    )
    assert done.returncode == code, done.stderr
    modules = json.loads(done.stderr.strip().splitlines()[-1])
    git_calls = calls.read_text().splitlines() if calls.exists() else []
    return modules, git_calls, done.stdout


def _loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if m.split(".")[0] in names or m in names)


@pytest.fixture
def network(team: Path, marcel: str, counted_git: Path) -> str:
    """A person in a repository as on any working day: its files older than the two
    seconds within which a change cannot be told from the next (see ``index``), the
    derived index filled, the compiled validators in the user's cache."""
    write_intervenant(team, "karim-ouali", "Karim Ouali")
    ok("intervenant", "add", marcel, "--id", "karim-ouali", "--role", "infirmier")
    run(
        team,
        counted_git,
        "plan",
        "action",
        "add",
        marcel,
        "Installer la téléassistance",
        "--by",
        "karim-ouali",
    )
    time.sleep(2.1)
    for command in (["status"], ["person", "list"], ["check"]):
        ok(*command)
    return marcel


@pytest.mark.parametrize(
    "args",
    [
        ["person", "show", "{marcel}"],
        ["person", "show", "{marcel}", "--json"],
        ["person", "list"],
        ["status"],
        ["status", "--json"],
        ["find", "téléassistance"],
        ["intervenant", "show", "karim-ouali"],
        ["check"],
    ],
    ids=" ".join,
)
def test_a_read_imports_nothing_heavy_and_runs_no_git(
    team: Path, network: str, counted_git: Path, args: list[str]
) -> None:
    argv = [a.format(marcel=network) for a in args]
    modules, git_calls, out = run(team, counted_git, *argv)
    assert out.strip()
    assert _loaded(modules, HEAVY) == []
    assert _loaded(modules, UNUSED) == []
    assert _loaded(modules, STARTUP) == []
    assert _loaded(modules, SIGNAL_ENUMS) == []
    if args[0] != "check":
        assert _loaded(modules, CLEAR) == []
    assert git_calls == []


@pytest.mark.parametrize(
    ("args", "makers"),
    [
        (["status", "--json"], ("reseau_cli.operations.status", "reseau_cli.model.alerts")),
        (["status"], ("reseau_cli.operations.status", "reseau_cli.model.alerts")),
        (["person", "list"], ("reseau_cli.operations.person",)),
        (["intervenant", "show", "karim-ouali"], ("reseau_cli.operations.intervenant",)),
        (["check"], ("reseau_cli.operations.check",)),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else "",
)
def test_a_kept_answer_imports_none_of_the_code_that_makes_it(
    team: Path, network: str, counted_git: Path, args: list[str], makers: tuple[str, ...]
) -> None:
    """Run again over the same files, a read prints the answer it kept (``cli/kept``):
    the same text, without importing what would make it again, nor any of reseau but
    the console's first step (``lean``)."""
    # made first: the fixture's runs printed through another stream (another key)
    first, _calls, made = run(team, counted_git, *args)
    assert _loaded(first, makers) != []
    again, git_calls, kept = run(team, counted_git, *args)
    assert kept == made and kept.strip()
    assert _loaded(again, makers) == []
    assert git_calls == []
    assert [m for m in again if m.startswith("reseau_cli")] == [
        "reseau_cli",
        "reseau_cli.cli",
        "reseau_cli.lean",
    ]
    for module in ("gettext", "pathlib", "datetime", "sqlite3", "_hashlib"):  # (json: re)
        assert module not in again, module


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["--help"], 0, "Usage: reseau [OPTIONS] COMMAND [ARGS]..."),
        (["person", "show", "--help"], 0, "Usage: reseau person show [OPTIONS] PERSON"),
        (
            ["person", "show"],
            2,
            "error: Missing argument 'PERSON'; usage: reseau person show [OPTIONS] PERSON "
            "(reseau person show -h for help)",
        ),
        (
            ["status", "--jsn"],
            2,
            "error: No such option: --jsn (Possible options: --json); usage: reseau status "
            "[OPTIONS] (reseau status -h for help)",
        ),
    ],
    ids=lambda a: " ".join(a) if isinstance(a, list) else "",
)
def test_help_and_usage_errors_are_typers(
    team: Path, counted_git: Path, args: list[str], code: int, said: str
) -> None:
    """What a plain command line does not need is Typer's: help, usage errors."""
    env = {**os.environ, "RESEAU_REPO": str(team)}
    done = subprocess.run(
        [Path(sys.executable).with_name("reseau"), *args], capture_output=True, text=True, env=env
    )
    assert done.returncode == code
    assert said in (done.stdout if code == 0 else done.stderr)
    modules, _, _ = run(team, counted_git, *args, code=code)
    assert "typer" in modules


@pytest.mark.parametrize("args", [["person", "show", "{marcel}"], ["person", "list"]])
def test_reading_what_a_write_just_wrote_parses_no_yaml(
    team: Path, network: str, counted_git: Path, args: list[str]
) -> None:
    """The document a change validated and wrote is kept in the derived cache, keyed by
    the file's content: the next command neither parses nor validates it."""
    ok("plan", "action", "add", network, "Call the GP", "--by", "person")
    modules, _, out = run(team, counted_git, *[a.format(marcel=network) for a in args])
    assert "yaml" not in modules
    assert "reseau_cli.fastschemas" not in modules
    assert "Call the GP" in out or "Janssens" in out


@pytest.mark.parametrize(
    "args",
    [
        ["person", "add", "--family-name", "Peeters", "--given-name", "Jeanne"],
        ["plan", "action", "add", "{marcel}", "Call the GP", "--by", "person"],
        ["concertation", "record", "{marcel}", "--date", "2026-11-27", "--summary", "Point"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_write_imports_only_its_commit_and_validator(
    team: Path, network: str, counted_git: Path, args: list[str]
) -> None:
    # A first write through this `git` (and these settings) keeps git's answer about its
    # settings under .git (``vcs._configkept``); the write measured is a later one.
    run(team, counted_git, "plan", "action", "add", network, "First", "--by", "person")
    modules, git_calls, out = run(team, counted_git, *[a.format(marcel=network) for a in args])
    assert out.strip()
    assert _loaded(modules, HEAVY) == []
    assert _loaded(modules, UNUSED) == []
    assert _loaded(modules, STARTUP) == []
    assert _loaded(modules, CLEAR) == []
    assert _loaded(modules, SIGNAL_ENUMS) == []
    # The document is written by reseau's own YAML writer (``yamlout``), not PyYAML; the
    # derived caches' temporary files are made without tempfile (shutil, random); the
    # blob ids without OpenSSL.
    assert "yaml" not in modules
    assert "tempfile" not in modules
    assert "_hashlib" not in modules
    # gettext only once a message is translated: a write that prints an id translates none.
    assert ("gettext" in modules) == (args[0] == "concertation")
    # One commit: the ref and git's index (identity, signing and the settings that say
    # how git writes objects: the `git config` answer kept by the first write). The blob, the trees and the commit
    # are written by reseau as the loose objects git would write (``vcs._loose``: the
    # repository's attributes leave the bytes as they are, its trees are loose). The
    # branch's commit is read from git's files, and so is the proof that the file holds
    # no edit made outside reseau (``vcs._clean``: `git status` only when git's files do
    # not prove it). Both processes start before the branch moves (``vcs._atomic``) and
    # are given their input afterwards.
    steps = [_step(call) for call in git_calls]
    assert steps == ["update-ref", "update-index"], git_calls


def _step(call: str) -> str:
    """The git command of a call, past git's own options (``-c KEY=VALUE``, ``-C DIR``
    too)."""
    words = call.split()
    while words[0].startswith("-"):
        words = words[2:] if words[0] in ("-c", "-C") else words[1:]
    return words[0]


def test_render_all_reads_the_history_once(
    team: Path, network: str, counted_git: Path, tmp_path: Path
) -> None:
    """`render all` asks git for the history of every person file in one pass (a linear
    history), not one `git log` per person."""
    for family in ("Peeters", "Dubois", "Lambert"):
        pid = ok("person", "add", "--family-name", family, "--given-name", "Léa").stdout.strip()
        ok("plan", "action", "add", pid, "Call the GP", "--by", "person")
    out = tmp_path / "out"
    _, git_calls, _ = run(team, counted_git, "render", "all", "--format", "md", "--out", str(out))
    logs = [call for call in git_calls if _step(call) == "log"]
    assert len(logs) == 1, logs
    assert len(list(out.glob("p-*/*.md"))) >= 4


def test_the_history_in_one_pass_is_each_files_own(team: Path, marcel: str) -> None:
    """What one pass finds for every file is what `git log -- FILE` finds for each; with
    a merge in the history, it declines (each file is then asked on its own)."""
    from conftest import git
    from reseau_cli import vcs

    other = ok("person", "add", "--family-name", "Peeters", "--given-name", "Léa").stdout.strip()
    for text in ("Call", "Write", "Visit"):
        ok("plan", "action", "add", marcel, text, "--by", "person")
    ok("plan", "action", "add", other, "Call", "--by", "person")
    persons = team / "persons"
    found = vcs.folder_versions(team, persons)
    assert found is not None
    for pid in (marcel, other):
        path = persons / f"{pid}.yaml"
        assert found[f"persons/{pid}.yaml"] == vcs.file_versions(team, path)
    git(team, "checkout", "-q", "-b", "side", "HEAD~1")
    git(team, "commit", "-q", "--allow-empty", "-m", "side")
    git(team, "checkout", "-q", "main")
    git(team, "merge", "-q", "--no-edit", "side")
    assert vcs.folder_versions(team, persons) is None
