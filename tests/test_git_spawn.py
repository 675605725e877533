"""Git runs as ``subprocess.run`` ran it (``vcs._plumbing``): in the folder asked, fed
and read whole through its pipes, handed the writer's lock and nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from reseau_cli.errors import GitError
from reseau_cli.vcs import _plumbing


def test_git_runs_in_the_folder_asked(team: Path, tmp_path: Path) -> None:
    inner = team / "deeper"
    inner.mkdir()
    assert _plumbing.run(inner, "rev-parse", "--show-prefix") == "deeper/"
    assert _plumbing.execute(team, "rev-parse", "--show-toplevel")[1] == str(team)
    missing = tmp_path / "nowhere"
    assert _plumbing.execute(missing, "status") == (
        128,
        "",
        f"fatal: cannot change to '{missing}': No such file or directory",
    )


def test_large_input_and_output_pass_whole(team: Path) -> None:
    data = os.urandom(3_000_000)
    blob = _plumbing.run(team, "hash-object", "-w", "--stdin", stdin=data)
    status, out, err = _plumbing.execute(team, "cat-file", "-s", blob)
    assert (status, out, err) == (0, "3000000", "")
    text = "é\n" * 1_000_000
    blob = _plumbing.run(team, "hash-object", "-w", "--stdin", stdin=text.encode())
    assert _plumbing.output(team, "cat-file", "blob", blob, strip=False) == text


def test_a_failure_names_gits_complaint(team: Path) -> None:
    with pytest.raises(GitError, match="Not a valid object name"):
        _plumbing.run(team, "cat-file", "-p", "nothing-such")
    assert _plumbing.attempt(team, "cat-file", "-p", "nothing-such") is None


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="no /proc")
def test_only_the_writers_lock_is_handed_down(
    team: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "git"
    script.write_text('#!/bin/sh\nls /proc/$$/fd\ncat >/dev/null\necho "in $PWD" >&2\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    lock = os.open(tmp_path / "lock", os.O_RDWR | os.O_CREAT)
    other = os.open(tmp_path / "other", os.O_RDWR | os.O_CREAT)
    try:
        status, out, err = _plumbing._git(team, ("x",), dict(os.environ), b"abc", lock)
        assert status == 0
        handed = set(out.split())
        assert str(lock).encode() in handed and str(other).encode() not in handed
        assert {b"0", b"1", b"2"} <= handed
        assert not os.get_inheritable(lock)  # as it was
    finally:
        os.close(lock)
        os.close(other)
