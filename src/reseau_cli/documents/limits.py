"""What a team's template may read and how much work it may do.

A team template arrives through git from any colleague's clone, so it is untrusted
twice over: Jinja's sandbox already keeps it from Python's internals, and this module
adds what the sandbox leaves open.

* ``TeamLoader`` reads only regular files inside ``templates/``: a symbolic link
  (to ``~/.ssh/id_rsa``, or to a folder outside) is refused, for ``{% include %}`` and
  ``{% extends %}`` too, as is a file over the size limit.
* ``BoundedEnvironment`` counts the items every ``range()`` yields in one document,
  and refuses ``*``, ``**`` and ``%`` / ``format`` whose result would be huge.
* ``generate`` stops an output larger than ``MAX_OUTPUT_CHARS``, and ``time_budget``
  stops a document still rendering after ``RESEAU_RENDER_SECONDS`` (10 s by default)
  with SIGALRM when running in the main thread.

Written by hand: Jinja offers the sandbox, not these bounds.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from reseau_cli.errors import InvalidDocument, TemplateError

RENDER_SECONDS = 10.0
MAX_RANGE_ITEMS = 1_000_000  # every range() of one document together
MAX_SEQUENCE = 1_000_000  # "x" * n, [..] * n
MAX_EXPONENT = 10_000
MAX_OUTPUT_CHARS = 20 * 1024 * 1024
_HUGE_WIDTH = re.compile(r"[0-9]{6,}")  # "%999999999d", "{:>999999999}"


class OverBudget(Exception):
    """A template asked for more work than one document may take."""


_spent = threading.local()


def _spend(items: int) -> None:
    total = getattr(_spent, "items", 0) + items
    _spent.items = total
    if total > MAX_RANGE_ITEMS:
        raise OverBudget(f"its loops went over {MAX_RANGE_ITEMS:,} items (a loop that never ends?)")


def seconds() -> float:
    """The time one document may take (RESEAU_RENDER_SECONDS, else 10 s)."""
    try:
        value = float(os.environ.get("RESEAU_RENDER_SECONDS", RENDER_SECONDS))
    except ValueError:
        return RENDER_SECONDS
    return value if 0 < value < 86400 else RENDER_SECONDS


@contextlib.contextmanager
def time_budget() -> Iterator[None]:
    """Stop the work inside after ``seconds()``: SIGALRM, main thread only."""
    limit = seconds()
    main = threading.current_thread() is threading.main_thread()
    if not main or not hasattr(signal, "setitimer"):
        yield
        return

    def _alarm(signum: int, frame: Any) -> None:
        raise OverBudget(f"it took longer than {limit:g} s (a loop that never ends?)")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def generate(template: Any, data: dict[str, Any]) -> str:
    """The document, stopped past MAX_OUTPUT_CHARS; range() counting starts afresh."""
    _spent.items = 0
    parts: list[str] = []
    size = 0
    for chunk in template.generate(data):
        size += len(chunk)
        if size > MAX_OUTPUT_CHARS:
            raise OverBudget(f"its output went over {MAX_OUTPUT_CHARS // (1024 * 1024)} MiB")
        parts.append(chunk)
    return "".join(parts)


def _too_long(value: Any, times: Any) -> bool:
    if isinstance(value, str | list | tuple) and isinstance(times, int):
        return len(value) * times > MAX_SEQUENCE
    return False


@cache
def _environment_class() -> type:
    from jinja2.sandbox import SandboxedEnvironment, safe_range

    def bounded_range(*args: Any) -> range:
        found = safe_range(*args)
        _spend(len(found))
        return found

    class Bounded(SandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**", "%"})

        def __init__(self, **options: Any) -> None:
            super().__init__(**options)
            self.globals["range"] = bounded_range

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "*" and (_too_long(left, right) or _too_long(right, left)):
                raise OverBudget(f"a repetition longer than {MAX_SEQUENCE:,} items")
            if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                raise OverBudget(f"an exponent over {MAX_EXPONENT:,}")
            if operator == "%" and isinstance(left, str) and _HUGE_WIDTH.search(left):
                raise OverBudget("a format with a huge width")
            return super().call_binop(context, operator, left, right)

        def wrap_str_format(self, value: Any) -> Any:
            wrapped = super().wrap_str_format(value)
            owner = getattr(value, "__self__", None)
            if wrapped is not None and isinstance(owner, str) and _HUGE_WIDTH.search(owner):
                raise OverBudget("a format with a huge width")
            return wrapped

    return Bounded


def BoundedEnvironment(**options: Any) -> Any:  # noqa: N802 - used like the class it builds
    """A sandboxed Jinja environment with the bounds above."""
    return _environment_class()(**options)


@cache
def _loader_class() -> type:
    from jinja2 import BaseLoader, TemplateNotFound
    from jinja2.loaders import split_template_path

    from reseau_cli import store

    class Team(BaseLoader):
        """Regular files inside the team's ``templates/`` folder, and nothing else."""

        def __init__(self, folder: str) -> None:
            self.folder = Path(folder)

        def get_source(self, environment: Any, template: str) -> tuple[str, str, Any]:
            parts = split_template_path(template)  # refuses ".." and absolute names
            display = "templates/" + "/".join(parts)
            path = self.folder
            if path.is_symlink():
                raise TemplateError(template="templates/", line=None, reason=store.symlink())
            for part in parts:
                path = path / part
                if path.is_symlink():
                    raise TemplateError(template=display, line=None, reason=store.symlink())
            if not os.path.lexists(path) or path.is_dir():
                raise TemplateNotFound(template)
            try:
                text = store.read_text(path, display=display)
            except InvalidDocument as exc:
                reason = exc.problems[0].message if exc.problems else str(exc)
                raise TemplateError(template=display, line=None, reason=reason) from None
            stamp = _stamp(path)
            return text, os.fspath(path), lambda: _stamp(path) == stamp

        def list_templates(self) -> list[str]:
            return []

    return Team


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.lstat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def TeamLoader(folder: str) -> Any:  # noqa: N802 - used like the class it builds
    """The loader of a team's ``templates/`` folder."""
    return _loader_class()(folder)
