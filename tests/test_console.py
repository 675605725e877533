"""The `reseau` program's end (``cli.console``): without Python's finalization when
nothing is left for it to do, with it otherwise; either way the same output and exit
status as ``main`` gives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ok


def _console(body: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run ``cli.console`` with ``main`` replaced by BODY (a function's statements)."""
    code = (
        "import sys\n"
        "from reseau_cli import cli\n"
        "def main():\n"
        + "".join(f"    {line}\n" for line in body.splitlines())
        + "cli.main = main\n"
        "cli.console()\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path
    )


@pytest.mark.parametrize(
    ("body", "code", "out", "err"),
    [
        ("sys.stdout.write('x' * 200_000)", 0, "x" * 200_000, ""),
        ("print('said'); sys.stderr.write('warned')\nsys.exit(3)", 3, "said\n", "warned"),
        ("print('said')\nraise SystemExit('refused')", 1, "said\n", "refused\n"),
        ("sys.exit(None)", 0, "", ""),
        ("sys.exit(False)", 0, "", ""),
    ],
)
def test_the_program_says_and_exits_as_main_says(
    tmp_path: Path, body: str, code: int, out: str, err: str
) -> None:
    done = _console(body, tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (code, out, err)


def test_what_python_would_still_run_at_exit_is_run(tmp_path: Path) -> None:
    """A handler registered with ``atexit``, an exception's traceback: as Python does
    them."""
    kept = tmp_path / "kept.txt"
    body = (
        "import atexit\n"
        f"atexit.register(lambda: open({str(kept)!r}, 'w').write('handled'))\n"
        "print('said')"
    )
    done = _console(body, tmp_path)
    assert (done.returncode, done.stdout) == (0, "said\n")
    assert kept.read_text() == "handled"
    done = _console("print('said')\nraise ValueError('broken')", tmp_path)
    assert done.returncode == 1 and done.stdout == "said\n"
    assert "ValueError: broken" in done.stderr


def test_a_write_by_the_program_commits_and_prints_its_id(team: Path, marcel: str) -> None:
    """The console script, end to end: the commit made, the id printed, status 0."""
    script = Path(sys.executable).with_name("reseau")
    env = {**os.environ, "RESEAU_REPO": str(team)}
    done = subprocess.run(
        [script, "plan", "action", "add", marcel, "Call the GP", "--by", "person"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    action = done.stdout.strip()
    assert action.startswith("a-")
    log = subprocess.run(
        ["git", "-C", str(team), "log", "-1", "--format=%s"], capture_output=True, text=True
    )
    assert log.stdout.strip() == f"{marcel}: add action {action}"
    assert "Call the GP" in ok("person", "show", marcel).stdout


def test_standard_output_closed_discards_the_output_as_print_does(team: Path, marcel: str) -> None:
    """`reseau … >&-`: what it prints goes nowhere (as Python's print with no stdout), the
    command does its work and ends 0, no traceback."""
    script = Path(sys.executable).with_name("reseau")
    env = {**os.environ, "RESEAU_REPO": str(team)}
    shown = subprocess.run(
        ["sh", "-c", f'"{script}" person show {marcel} >&-'], capture_output=True, env=env
    )
    assert shown.returncode == 0 and shown.stderr == b""
    added = subprocess.run(
        ["sh", "-c", f'"{script}" plan action add {marcel} "Call the nurse" --by person >&-'],
        capture_output=True,
        env=env,
    )
    assert added.returncode == 0 and added.stderr == b""
    assert "Call the nurse" in ok("person", "show", marcel).stdout


@pytest.mark.parametrize(
    ("where", "name"),
    [("<frozen importlib._bootstrap>", "cb"), ("/usr/lib/python3/tempfile.py", "__del__")],
)
def test_an_interrupt_where_it_would_be_lost_is_put_off_not_lost(where: str, name: str) -> None:
    """A Ctrl-C arriving in a weakref callback of the import machinery (or a ``__del__``),
    where an exception is printed as "ignored" and lost, is raised a few milliseconds
    later, in ordinary code; at once elsewhere."""
    import _signal  # type: ignore[import-not-found]
    import time
    import types

    from reseau_cli.cli import install_interrupts
    from reseau_cli.errors import Terminated

    before = {s: _signal.getsignal(s) for s in (_signal.SIGINT, _signal.SIGTERM, _signal.SIGALRM)}
    try:
        handler = install_interrupts(_signal, Terminated)
        there = types.SimpleNamespace(f_code=types.SimpleNamespace(co_filename=where, co_name=name))
        handler(_signal.SIGINT, there)  # returns: nothing raised there
        raised = False
        deadline = time.monotonic() + 5
        try:
            while time.monotonic() < deadline:
                pass
        except KeyboardInterrupt:
            raised = True
        assert raised and time.monotonic() < deadline
        assert _signal.getsignal(_signal.SIGALRM) == before[_signal.SIGALRM]  # given back
        here = types.SimpleNamespace(
            f_code=types.SimpleNamespace(co_filename=__file__, co_name="f")
        )
        with pytest.raises(Terminated):
            handler(_signal.SIGTERM, here)
    finally:
        for number, handler_before in before.items():
            _signal.signal(number, handler_before)
