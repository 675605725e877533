"""Editing YAML in the user's editor until it is valid, or the user gives up."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from reseau_cli.cli import output
from reseau_cli.errors import Aborted, InvalidDocument, Problem, ReseauError
from reseau_cli.repo import Repository


def editor_command() -> list[str]:
    """$EDITOR, else $VISUAL, else vi."""
    raw = os.environ.get("EDITOR") or os.environ.get("VISUAL") or "vi"
    try:
        return shlex.split(raw)
    except ValueError:
        raise ReseauError(f"cannot understand EDITOR={raw!r}") from None


def edit_until_valid(
    repo: Repository,
    name: str,
    original: str,
    validate: Callable[[str], tuple[Any, list[Problem]]],
) -> Any:
    """Let the user edit ``original``; return the valid document, or None if unchanged.

    The working copy lives in the repository's git folder (private, never committed)
    and is removed afterwards. Invalid content is never returned.
    """
    from reseau_cli import store, vcs

    folder = vcs.git_dir(repo.root) / "reseau-edit"
    folder.mkdir(mode=0o700, exist_ok=True)
    path = folder / name
    store.write_atomic(path, original, mode=0o600)
    try:
        while True:
            _run_editor(path)
            if not path.is_file() or path.is_symlink():
                raise Aborted("the edited file was removed (or replaced); nothing was changed")
            try:
                text = store.read_text(path, display=name)
            except InvalidDocument as exc:  # not UTF-8, too large, unreadable
                text, problems = None, exc.problems
            else:
                if text == original:
                    return None
                doc, problems = validate(text)
            if not problems:
                return doc
            output.message(f"The file is not valid ({len(problems)} problem(s)):")
            for problem in problems:
                output.message(f"  {problem.location}: {problem.message}")
            if not _ask_again():
                raise Aborted("edit aborted; nothing was changed")
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def _run_editor(path: Any) -> None:
    command = editor_command()
    try:
        result = subprocess.run([*command, str(path)], check=False)
    except FileNotFoundError:
        raise ReseauError(f"editor {command[0]!r} not found; set EDITOR") from None
    if result.returncode != 0:
        raise Aborted(f"the editor exited with status {result.returncode}; nothing was changed")


def _ask_again() -> bool:
    """Ask whether to edit again; no answer (no terminal, end of input) means abort."""
    sys.stderr.write("Edit again [e] or abort [a]? [e] ")
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer:
        sys.stderr.write("\n")
        return False
    return answer.strip().lower() in ("", "e", "edit", "y", "yes")
