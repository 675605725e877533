"""Editing YAML in the user's editor until it is valid, or the user gives up."""

from __future__ import annotations

import contextlib
import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reseau_cli.cli import output
from reseau_cli.errors import Aborted, InvalidDocument, Problem, ReseauError
from reseau_cli.i18n import _, ngettext

if TYPE_CHECKING:
    from reseau_cli.repo import Repository


def editor_command() -> list[str]:
    """$VISUAL, else $EDITOR, else vi: the order git and every editor-launching tool use."""
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        return shlex.split(raw)
    except ValueError:
        raise ReseauError(_("cannot understand EDITOR={value}").format(value=repr(raw))) from None


def edit_until_valid(
    repo: Repository,
    name: str,
    original: str,
    validate: Callable[[str], tuple[Any, list[Problem]]],
    *,
    start: str | None = None,
    keep: Callable[[str], None] | None = None,
) -> Any:
    """Let the user edit ``original`` (or ``start``, a draft of it); return the valid
    document, or None if the result is ``original`` unchanged.

    The working copy lives in the repository's git folder (private, never committed)
    and is removed afterwards; when the user aborts, ``keep`` gets what they had
    written (if it differs from ``original``). Invalid content is never returned.
    """
    from reseau_cli.operations.repository import discard, private_copy, read_copy

    path = private_copy(repo, name, original if start is None else start)
    try:
        while True:
            _run_editor(path)
            try:
                text = read_copy(path, name)
            except InvalidDocument as exc:  # not UTF-8, too large, unreadable
                problems = exc.problems
            else:
                if text == original:
                    return None
                doc, problems = validate(text)
            if not problems:
                return doc
            output.message(
                ngettext(
                    "The file is not valid ({count} problem):",
                    "The file is not valid ({count} problems):",
                    len(problems),
                ).format(count=len(problems))
            )
            for problem in problems:
                output.message(
                    "  "
                    + _("{where}: {problem}").format(
                        where=problem.location, problem=problem.message
                    )
                )
            if not _ask_again():
                raise Aborted(_("edit aborted; nothing was changed"))
    except Aborted:
        if keep is not None:
            with contextlib.suppress(OSError, UnicodeDecodeError):
                text = path.read_text(encoding="utf-8")
                if text != original:
                    keep(text)
        raise
    finally:
        discard(path)


def _run_editor(path: Any) -> None:
    command = editor_command()
    try:
        result = subprocess.run([*command, str(path)], check=False)
    except FileNotFoundError:
        raise ReseauError(
            _("editor {name} not found; set EDITOR").format(name=repr(command[0]))
        ) from None
    if result.returncode != 0:
        raise Aborted(
            _("the editor exited with status {status}; nothing was changed").format(
                status=result.returncode
            )
        )


def ask(question: str, *, default: str) -> str:
    """One lower-case answer read from stdin; the default for an empty line or no input."""
    sys.stderr.write(question)
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer:
        sys.stderr.write("\n")
    return answer.strip().lower()[:1] or default


def _ask_again() -> bool:
    """Ask whether to edit again; no answer (no terminal, end of input) means abort."""
    sys.stderr.write(_("Edit again [e] or abort [a]? [e] "))
    sys.stderr.flush()
    answer = sys.stdin.readline()
    if not answer:
        sys.stderr.write("\n")
        return False
    return answer.strip().lower() in ("", "e", "edit", "y", "yes")
