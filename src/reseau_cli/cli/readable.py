"""Help that people read: metavars such as TEXT, DATE, N or PERSON (not `<str>`,
`<int range>` or `{PERSON}`), ranges said in words, and command summaries that fit on
their line instead of being cut with `...`.

Typer has no setting for these, so the root group applies them once to the whole command
tree it is built with (``apply``): each option without a metavar gets one from its name
or type, arguments and options take the two small subclasses below, and each command
gets a short help made from the first sentence of its docstring.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from typer.core import TyperArgument, TyperOption

# The help formatter's width (80 columns less its margin) and its spacing of 6.
WIDTH = 78
MIN_CLAUSE = 20  # a shorter clause ("Intervenants") says too little: keep the sentence
# Options whose value is a date, a time or an id, by name.
METAVARS = {
    "DATE": ("--date", "--birth-date", "--due", "--next", "--since", "--start", "--until"),
    "HH:MM": ("--time", "--end"),
    "PERSON": ("--person",),
    "INTERVENANT": (
        "--by",
        "--coordinator",
        "--organiser",
        "--participant",
        "--invite",
        "--absent",
        "--excused",
    ),
    "ACTION": ("--action",),
    "OBJECTIVE": ("--objective",),
    "ID": ("--id",),
    "FORMAT": ("--format",),
    "LANG": ("--lang",),
}
BY_TYPE = {"str": "TEXT", "text": "TEXT", "int": "N", "int range": "N", "float": "NUMBER"}
_RANGES = (
    (re.compile(r"\bx>=(-?\d+)\b"), r"\1 or more"),
    (re.compile(r"\bx<=(-?\d+)\b"), r"at most \1"),
    (re.compile(r"\b(-?\d+)<=x<=(-?\d+)\b"), r"\1 to \2"),
)


class ReadableArgument(TyperArgument):
    """An argument shown as PERSON in the usage line, not {PERSON}."""

    def make_metavar(self, ctx: Any, *, usage: bool = False) -> str:
        var = str(super().make_metavar(ctx, usage=usage))
        if var.startswith("{") and var.endswith("}"):
            return var[1:-1]
        return var


class ReadableOption(TyperOption):
    """An option whose range reads `[1 or more]`, not `[x>=1]`."""

    def get_help_record(self, ctx: Any) -> tuple[str, str] | None:
        record = super().get_help_record(ctx)
        if record is None:
            return None
        names, text = record
        for pattern, words in _RANGES:
            text = pattern.sub(words, text)
        return names, text


def apply(command: Any) -> None:
    """Make the help of ``command`` and of every command under it readable."""
    for param in command.params:
        if isinstance(param, TyperArgument):
            param.__class__ = ReadableArgument
        elif isinstance(param, TyperOption):
            param.__class__ = ReadableOption
            if param.metavar is None and not param.is_flag:
                param.metavar = option_metavar(param)
    children = getattr(command, "commands", None) or {}
    visible = [name for name, child in children.items() if not child.hidden]
    limit = WIDTH - 6 - max((len(name) for name in visible), default=0)
    for child in children.values():
        if child.short_help is None and child.help:
            child.short_help = summary(child.help, limit)
        apply(child)


def option_metavar(param: Any) -> str:
    for metavar, names in METAVARS.items():
        if any(name in names for name in param.opts):
            return metavar
    kind = param.type.name
    if kind in ("file", "directory", "path"):
        file_okay = getattr(param.type, "file_okay", True)
        dir_okay = getattr(param.type, "dir_okay", True)
        return "DIR" if not file_okay else "FILE" if not dir_okay else "PATH"
    return BY_TYPE.get(kind) or param.make_metavar(None)


def summary(help_text: str, limit: int) -> str:
    """The first sentence of ``help_text`` when it fits in ``limit`` characters, else its
    first clause (before a colon or a semicolon) when that fits and says enough; else
    the whole sentence, which the help wraps onto a second line rather than cut."""
    paragraph = " ".join(inspect.cleandoc(help_text).split("\n\n")[0].split())
    sentence = re.split(r"(?<=[.!?])\s", paragraph, maxsplit=1)[0]
    if len(sentence) <= limit:
        return sentence
    cuts = [m.start() for m in re.finditer(r"[:;] ", sentence) if MIN_CLAUSE <= m.start() <= limit]
    return sentence[: cuts[0]] if cuts else sentence
