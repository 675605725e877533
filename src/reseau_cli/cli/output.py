"""Printing: data to stdout, messages to stderr; rich only when a table is drawn."""

from __future__ import annotations

import itertools
import json
import re
import sys
from collections.abc import Collection, Iterable, Sequence

from reseau_cli.safety import for_terminal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def data(text: str) -> None:
    """A line of data on stdout (ids, Markdown, JSON); control characters escaped."""
    text = for_terminal(text)
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def message(text: str) -> None:
    """A message for the human on stderr; control characters escaped."""
    sys.stderr.write(for_terminal(text) + "\n")


# What json.dumps(ensure_ascii=False) leaves raw but a terminal would act on (compiled
# by ``re`` when first used: only JSON output needs it).
_JSON_UNSAFE = "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


def as_json(value: Any) -> None:
    sys.stdout.write(json_text(value) + "\n")


def json_text(value: Any) -> str:
    """``value`` as indented JSON, safe for a terminal: JSON escapes every C0 control
    character itself and ``_JSON_UNSAFE`` the rest of what ``for_terminal`` escapes, so
    the text needs no second pass (a test holds ``for_terminal`` to leave it as it is).

    The text is ``json.dumps(value, ensure_ascii=False, indent=2)``'s, made faster:
    ``indent`` turns the C encoder off, so the containers that hold no container are
    encoded by it, with the separators of their depth (``_indented``; a test holds
    the two to the same text)."""
    try:
        text = _indented(value, 0)
    except (TypeError, ValueError, RecursionError):  # as json.dumps says it
        text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False)
    return re.sub(_JSON_UNSAFE, lambda m: f"\\u{ord(m.group()):04x}", text)


_CONTAINERS = (list, tuple, dict)
_ENCODERS: dict[str, json.JSONEncoder] = {}


def _encoder(separator: str) -> json.JSONEncoder:
    """The C encoder writing items separated by ``separator`` (no other white space)."""
    found = _ENCODERS.get(separator)
    if found is None:
        found = _ENCODERS[separator] = json.JSONEncoder(
            ensure_ascii=False, separators=(separator, ": ")
        )
    return found


def _flat(value: Any) -> bool:
    """A non-empty container holding no container."""
    if isinstance(value, dict):
        items: Any = value.values()
    elif isinstance(value, (list, tuple)):
        items = value
    else:
        return False
    return bool(value) and not any(isinstance(item, _CONTAINERS) for item in items)


_SCALARS = frozenset((str, int, float, bool, type(None)))


def _scalar_rows(value: list[Any] | tuple[Any, ...]) -> bool:
    """Whether ``value`` holds only non-empty dicts whose values are all of the plain
    scalar types (then each is ``_flat``), checked in C loops: a long report's rows are
    told at once. False does not say the contrary (``_flat`` tells then)."""
    return (
        {*map(type, value)} == {dict}
        and all(value)
        and {*map(type, itertools.chain.from_iterable(map(dict.values, value)))} <= _SCALARS
    )


def _indented(value: Any, level: int) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)`` for ``value`` at ``level``."""
    if not isinstance(value, _CONTAINERS) or not value:
        return _encoder(", ").encode(value)  # a scalar, [] or {}
    outer = "\n" + "  " * level
    inner = outer + "  "
    if _flat(value):
        text = _encoder("," + inner).encode(value)
        return text[0] + inner + text[1:-1] + outer + text[-1]
    if isinstance(value, dict):
        if not all(type(key) is str for key in value):
            raise TypeError("keys other than strings: json.dumps converts them")
        body = ("," + inner).join(
            _encoder(", ").encode(key) + ": " + _indented(item, level + 1)
            for key, item in value.items()
        )
        return "{" + inner + body + outer + "}"
    if _scalar_rows(value) or all(type(item) is dict and _flat(item) for item in value):
        # a list of flat objects (a report's rows): one call of the C encoder, each
        # object's items one level deeper; a raw newline only ever comes from a
        # separator, so "},<newline>{" is only ever found between two objects
        deeper = inner + "  "
        text = _encoder("," + deeper).encode(value)[2:-2]
        body = text.replace("}," + deeper + "{", inner + "}," + inner + "{" + deeper)
        return "[" + inner + "{" + deeper + body + inner + "}" + outer + "]"
    body = ("," + inner).join(_indented(item, level + 1) for item in value)
    return "[" + inner + body + outer + "]"


# Console markup as rich reads it: ``[bold]…[/bold]``, a tag escaped by a backslash.
# Compiled when first used (re keeps them), not by the commands that print no markup.
_TAG = r"(\\*)\[([a-z#/@][^[]*?)]"
_TO_ESCAPE = r"(\\*)(\[[a-z#/@][^[]*?])"


def escape(value: Any) -> str:
    """A value for console markup: control characters and markup both escaped (as
    ``rich.markup.escape`` does, without importing rich)."""
    text = re.sub(_TO_ESCAPE, lambda m: f"{m[1]}{m[1]}\\{m[2]}", for_terminal(str(value)))
    if text.endswith("\\") and not text.endswith("\\\\"):
        return text + "\\"
    return text


# The styles reseau's markup uses, as terminal codes (SGR).
_STYLES = {
    "bold": "1",
    "dim": "2",
    "underline": "4",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "cyan": "36",
}


def render_markup(markup: str, *, colour: bool) -> str:
    """Console markup as text: tags removed (or made terminal codes when ``colour``),
    escaped brackets and backslashes as rich prints them."""
    out: list[str] = []
    stack: list[str] = []
    position = 0
    for match in re.finditer(_TAG, markup):
        out.append(markup[position : match.start()])
        position = match.end()
        slashes, escaped = divmod(len(match[1]), 2)
        out.append("\\" * slashes)
        if escaped:
            out.append(f"[{match[2]}]")
            continue
        name = match[2]
        if name.startswith("/"):
            if stack:
                stack.pop()
        else:
            stack.append(name)
        if colour:
            codes = ";".join(_STYLES[n] for n in stack if n in _STYLES)
            out.append("\x1b[0m" + (f"\x1b[{codes}m" if codes else ""))
    out.append(markup[position:])
    if colour and stack:
        out.append("\x1b[0m")
    return "".join(out)


class Console:
    """Prints console markup line by line, with colours on a terminal (unless NO_COLOR
    or TERM=dumb), plain text elsewhere: what `person show` and `intervenant show` need,
    without importing rich (tables on a terminal still use rich, see ``table``)."""

    def __init__(self, stream: Any) -> None:
        import os

        self.stream = stream
        self.colour = (
            stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        )

    def print(self, markup: str = "") -> None:
        self.stream.write(render_markup(markup, colour=self.colour) + "\n")


def _cell(value: Any) -> str:
    """A table cell: one line, nothing a terminal would act on."""
    if value is None:
        return ""
    if isinstance(value, str) and value.isprintable():  # nothing to fold or escape
        return str.__str__(value)  # (a plain str: its characters, whatever its class)
    return for_terminal(" ".join(str(value).splitlines()), multiline=False)


def console(*, stderr: bool = False) -> Console:
    """Where markup is printed: stdout (or stderr)."""
    return Console(sys.stderr if stderr else sys.stdout)


def rich_console(*, stderr: bool = False) -> Any:
    """A rich console, for what only rich draws (tables, progress bars)."""
    from rich.console import Console as RichConsole

    stream = sys.stderr if stderr else sys.stdout
    # Wrap for a terminal's width; never fold lines written to a pipe or a file.
    return RichConsole(file=stream, highlight=False, soft_wrap=not stream.isatty())


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
    cells = [
        [c if type(c) is str and c.isprintable() else _cell(c) for c in row] for row in rows
    ]  # (``_cell``'s first case inline: most cells, and one call less for each)
    if sys.stdout.isatty() and len(cells) <= RICH_TABLE_MAX_ROWS:
        from rich import box
        from rich.markup import escape as markup_escape
        from rich.table import Table

        tab = Table(title=title, box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        for column in columns:
            tab.add_column(column, overflow="fold", no_wrap=column in no_wrap)
        for row in cells:
            tab.add_row(*(markup_escape(cell) for cell in row))
        rich_console().print(tab)
        return
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    lines = [title] if title else []
    lines.append("  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip())
    lines.append("  ".join("─" * w for w in widths))
    if any(len(row) != len(widths) for row in cells):
        raise ValueError("a row of another width than the columns")  # as zip(strict=True)
    line = "  ".join(f"{{:<{w}}}" for w in widths).format  # each cell padded as by ljust
    lines += [line(*row).rstrip() for row in cells]
    data("\n".join(lines))
