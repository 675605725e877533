"""Answers drawn for a terminal (tables to its width, colours) are kept and served by
the console's first step too, for that terminal's size and environment only.

Real processes on a real pseudo-terminal (``pty``), its size set as a terminal sets it
(``TIOCSWINSZ``). Each scenario compares what is served with what the command prints
from scratch (the index and the kept answers deleted first) on a terminal of the same
size; whether the lean step answered is seen from the modules the process imported."""

from __future__ import annotations

import fcntl
import os
import pty
import shutil
import struct
import sys
import termios
from pathlib import Path

import pytest

from conftest import caseload_network
from reseau_cli import index, lean
from test_lean import _CODE, run


def on_terminal(args: tuple[str, ...], columns: int, **env: str) -> tuple[int, bytes, bool]:
    """(exit status, what the terminal showed, whether the lean step answered)."""
    modules = Path(os.environ["LEAN_TEST_MODULES"])
    modules.unlink(missing_ok=True)
    environ = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    environ.update(env)
    pid, fd = pty.fork()
    if pid == 0:  # the child: its standard streams are the terminal
        try:
            fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
            os.execve(sys.executable, [sys.executable, "-c", _CODE, *args], environ)
        finally:
            os._exit(127)
    shown = bytearray()
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    os.close(fd)
    _, status = os.waitpid(pid, 0)
    imported = modules.read_text().split("\n")
    served = "reseau_cli.cli.fast" not in imported and "reseau_cli.lean" in imported
    return os.waitstatus_to_exitcode(status), bytes(shown), served


def scratch(root: Path, args: tuple[str, ...], columns: int, **env: str) -> tuple[int, bytes]:
    for path in root.joinpath(".git").glob(index.FILE + "*"):
        path.unlink()
    shutil.rmtree(root / ".git" / lean.FOLDER, ignore_errors=True)
    code, shown, served = on_terminal(args, columns, **env)
    assert not served
    return code, shown


@pytest.fixture(autouse=True)
def modules_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEAN_TEST_MODULES", str(tmp_path / "modules.txt"))
    monkeypatch.setenv("LEAN_TEST_RACY_NS", "0")  # every file counts by its stat at once
    for name in ("RESEAU_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("TERM", "xterm-256color")


@pytest.fixture
def network(team: Path, marcel: str) -> dict[str, str]:
    return caseload_network(team, marcel)


def commands(marcel: str) -> list[tuple[str, ...]]:
    return [
        ("status",),
        ("person", "list"),
        ("intervenant", "show", "karim-ouali"),
        ("check",),
        ("person", "show", marcel),
    ]


def test_a_terminal_is_served_what_it_was_shown(team: Path, network: dict[str, str]) -> None:
    for args in commands(network["marcel"]):
        code, first, _ = on_terminal(args, 120)
        assert code == 0 and first, args
        again = on_terminal(args, 120)
        assert again == (code, first, True), args
        assert scratch(team, args, 120) == (code, first), args


def test_another_size_or_colours_make_the_answer_again(team: Path, network: dict[str, str]) -> None:
    args = ("intervenant", "show", "karim-ouali")
    wide = on_terminal(args, 160)
    narrow = on_terminal(args, 50)
    assert not narrow[2] and narrow[1] != wide[1]  # a table drawn to the terminal's width
    assert on_terminal(args, 50)[1:] == (narrow[1], True)
    # One answer is kept per command line: the wide one, made again, then served.
    assert on_terminal(args, 160)[1] == wide[1]
    assert on_terminal(args, 160)[1:] == (wide[1], True)
    assert scratch(team, args, 50)[1] == narrow[1]
    person = ("person", "show", network["marcel"])
    coloured = on_terminal(person, 120)
    assert b"\x1b[" in coloured[1]
    plain = on_terminal(person, 120, NO_COLOR="1")
    assert not plain[2] and b"\x1b[" not in plain[1]
    assert on_terminal(person, 120, NO_COLOR="1")[1:] == (plain[1], True)
    assert on_terminal(person, 120)[1] == coloured[1]


def test_a_pipe_is_never_served_a_terminals_answer(team: Path, network: dict[str, str]) -> None:
    args = ("person", "show", network["marcel"])
    assert b"\x1b[" in on_terminal(args, 120)[1]
    assert on_terminal(args, 120)[2]
    piped = run(*args)
    assert b"\x1b[" not in piped.printed[1]
    assert run(*args).lean and run(*args).printed == piped.printed
    assert on_terminal(args, 120)[2]  # each kept apart: the terminal's is still there


def test_a_change_is_shown_on_the_terminal_at_once(team: Path, network: dict[str, str]) -> None:
    from conftest import ok

    args = ("person", "list")
    before = on_terminal(args, 120)
    assert on_terminal(args, 120)[2]
    ok("person", "add", "--family-name", "Nouvelle", "--given-name", "Arrivée")
    after = on_terminal(args, 120)
    assert not after[2] and b"Nouvelle" in after[1] and after[1] != before[1]
    assert scratch(team, args, 120)[1] == after[1]
