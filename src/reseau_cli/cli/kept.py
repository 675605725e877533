"""Whole answers kept: what a reading command printed, for the key of all it was made from.

`status`, `person list`, `intervenant show` and `check` print, over unchanged files, what
they printed last time. Their output is kept in the derived index (``index.report``)
under one key made of the command line (its name, options and arguments), the key of
every file the answer was made from (each file's stat, and the content of those changed
too recently for their stat to be trusted: ``index.listing_key``), the day, the
language, the output's encoding and the stamps of reseau's own code and catalogs. So a
command run again reads one row and writes it out, and any change to any of those
files, a new day or another language makes another key, and the answer is made again.

A file changed too recently for its stat to tell a later change apart (within two
seconds: a rewrite of the same size within one tick of the clock keeps the stat) counts
in the key by its stat, and a hash of its content is kept beside the answer and checked
before it is served (git's rule for "racily clean" entries): what a command printed
right after a write is served again, for the same bytes only.

An answer drawn for a terminal (tables to its width, colours) is kept for that
terminal's size and the whole environment too (``_screen``), and printed as it is made;
one is kept only when the command wrote nothing to stderr and left no file out (their
problems are told again each time, in the command's language), and only if the key
taken again once it is made is the same (no file changed meanwhile). The index keeps
one answer per command line; a deleted file takes them all with it (``index._store``),
and nothing is kept on disk when the team encrypts (the index is then in memory).

What is printed here is also kept for ``lean``, the console entry point's first step,
which serves it before importing reseau when nothing at all changed (see there).
"""

from __future__ import annotations

import io
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from reseau_cli.repo import Repository


def answer(
    repo: Repository,
    command: str,
    key: Callable[[], str | None],
    produce: Callable[[], None],
) -> None:
    """Print the answer kept for ``command`` (the command line, options included) and
    ``key()`` (the key of everything it is made from besides reseau's code, the day's
    and language's: see the module), or run ``produce`` and keep what it printed."""
    from reseau_cli import index, lean

    name = "answer:" + command + (" (terminal)" if sys.stdout.isatty() else "")
    whole, recent = _whole(repo, command, key)
    if whole is not None:
        kept = index.report(repo.root, name, whole)
        if _holds(kept):
            sys.stdout.write(kept[0])
            lean.keep(repo.root, kept[0])
            return
    # The content of each file too recent for its stat to be trusted, before the answer
    # is made: checked again after. Past ``index.MOST_RECENT`` files (a fresh clone),
    # none is read: the answer is then not kept (the next run, once they are old enough,
    # keeps its own).
    many = len(recent) > index.MOST_RECENT
    digests = {} if many else {path: index.content_digest(path) for path in recent}
    stdout, stderr = sys.stdout, sys.stderr
    # At a terminal, written through as it comes (and drawn for it: the stream says it is
    # one); elsewhere, written out once made.
    captured: Any = _Tee(stdout) if stdout.isatty() else io.StringIO()
    watched = lean.Watched(stderr)
    sys.stdout, sys.stderr = captured, watched
    try:
        produce()
    finally:
        sys.stdout, sys.stderr = stdout, stderr
        if isinstance(captured, _Tee):
            text = "".join(captured.parts)
        else:
            text = captured.getvalue()
            stdout.write(text)
    if whole is None or many or watched.written or getattr(repo, "skipped", None):
        return  # (with many files too recent, none was hashed: nothing can be kept)
    # Every file too recent for its stat when the answer began or once it is made: its
    # content then and now (a file rewritten within one tick of the clock during the run
    # keeps its stat, even once it is old enough to be trusted by it at the end).
    again, after = _whole(repo, command, key)
    checks = {path: digests.get(path) for path in {*recent, *after}}
    if again == whole and all(
        digest is not None and index.content_digest(path) == digest
        for path, digest in checks.items()
    ):
        index.keep_report(repo.root, name, whole, (text, checks))
        lean.keep(repo.root, text)


def lean_only(repo: Repository, produce: Callable[[], None]) -> None:
    """Run ``produce`` and keep what it printed for the console's first step only
    (``lean``: `person show`, whose key there is narrower), when the process started
    with that step's key taken, printed nothing to stderr and left no file out."""
    from reseau_cli import lean

    if lean.PENDING is None:
        produce()
        return
    stdout, stderr = sys.stdout, sys.stderr
    tee, watched = _Tee(stdout), lean.Watched(stderr)
    sys.stdout, sys.stderr = tee, watched
    try:
        produce()
    finally:
        sys.stdout, sys.stderr = stdout, stderr
    if not watched.written and not getattr(repo, "skipped", None):
        lean.keep(repo.root, "".join(tee.parts))


class _Tee:
    """A stream that writes through and keeps what it wrote."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return int(self._stream.write(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _holds(kept: Any) -> bool:
    """Whether an answer kept (text, {path: digest}) holds: each file that was too
    recent for its stat to be trusted when it was kept still has the same content."""
    from reseau_cli import index

    if not (isinstance(kept, tuple) and len(kept) == 2 and isinstance(kept[0], str)):
        return False
    checks = kept[1]
    return isinstance(checks, dict) and all(
        index.content_digest(path) == digest for path, digest in checks.items()
    )


def _whole(
    repo: Repository, command: str, key: Callable[[], str | None]
) -> tuple[str | None, list[str]]:
    """The answer's key, and the files too recent for their stat to be trusted (their
    stat only is in the key: ``index.recent_files``)."""

    from reseau_cli import __version__, dates, i18n, index
    from reseau_cli.digest import sha256_hex
    from reseau_cli.errors import ReseauError

    try:
        if repo.encrypted:  # nothing to gain: the index lives in memory only
            return None, []
    except ReseauError:
        return None, []
    with index.recent_files() as recent:
        found = key()
        code = index.key_of(index.code_stats())
    if found is None or code is None:
        return None, []
    screen = _screen()
    if screen is None:
        return None, []
    parts = [
        command,
        found,
        __version__,
        dates.today_iso(),
        i18n.language(),
        str(getattr(sys.stdout, "encoding", "")),
        str(getattr(sys.stdout, "errors", "")),
        code,
        screen,
    ]
    return sha256_hex("\n".join(parts).encode("utf-8", "surrogateescape")), sorted(set(recent))


def _screen() -> str | None:
    """What an answer drawn for a terminal depends on besides its data: the terminal's
    size and the whole environment (colours, ``TERM``, ``COLUMNS``…, as rich and
    ``output`` read them: ``lean.environment``); "" for a
    pipe or a file; None when the terminal's size cannot be had (nothing is kept)."""
    if not sys.stdout.isatty():
        return ""
    from reseau_cli import lean

    sizes = lean.terminal_sizes()
    if not sizes:
        return None
    return repr(("terminal", sizes, lean.environment()))
