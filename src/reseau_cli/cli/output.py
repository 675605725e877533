"""Printing: data to stdout, messages to stderr; rich only when a table is drawn."""

from __future__ import annotations

import json
import sys
from collections.abc import Collection, Iterable, Sequence
from typing import Any


def data(text: str) -> None:
    """A line of data on stdout (ids, Markdown, JSON)."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def message(text: str) -> None:
    """A message for the human on stderr."""
    sys.stderr.write(text + "\n")


def as_json(value: Any) -> None:
    data(json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False))


def console(*, stderr: bool = False) -> Any:
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    # Wrap for a terminal's width; never fold lines written to a pipe or a file.
    return Console(file=stream, highlight=False, soft_wrap=not stream.isatty())


RICH_TABLE_MAX_ROWS = 300  # rich lays out ~1 ms per row: past this, plain columns


def table(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    title: str | None = None,
    no_wrap: Collection[str] = (),
) -> None:
    """A table on stdout: drawn by rich on a terminal, plain aligned columns otherwise
    (pipes, scripts) or when it is long. Columns named in ``no_wrap`` (ids, dates)
    are never folded on a terminal, so they can be copied."""
    cells = [["" if cell is None else str(cell) for cell in row] for row in rows]
    if sys.stdout.isatty() and len(cells) <= RICH_TABLE_MAX_ROWS:
        from rich import box
        from rich.table import Table

        tab = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for column in columns:
            tab.add_column(column, overflow="fold", no_wrap=column in no_wrap)
        for row in cells:
            tab.add_row(*row)
        console().print(tab)
        return
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = [title] if title else []
    lines.append("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    lines.append("  ".join("─" * w for w in widths))
    for row in cells:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    data("\n".join(lines))
