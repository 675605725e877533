"""Help that people read: metavars such as TEXT, DATE, N or PERSON (not `<str>`,
`<int range>` or `{PERSON}`), ranges said in words, and command summaries that fit on
their line instead of being cut with `...`.

Typer has no setting for these, so the root group applies them once to the whole command
tree it is built with (``apply``): each option without a metavar gets one from its name
or type, arguments, options and commands take the small subclasses below, and each
command gets a short help made from the first sentence of its docstring.

Help is in the terminal's language. It is written in English (``help=`` texts and the
docstrings of commands, which ``scripts/catalogs.py`` extracts) and translated when it is
shown, not when the module is imported: the language may come from ``--repo``, which is
read after the commands are built. The words Typer itself writes (headings, ``required``,
the help option) go through the same catalogs.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from functools import partial
from typing import Any

import typer.core
from typer._click.core import Command
from typer._click.formatting import HelpFormatter
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from reseau_cli.i18n import N_, _

# The words Typer writes in a help page with gettext: translated by our catalogs (Typer
# looks ``_`` up in its module when it writes them).
setattr(typer.core, "_", _)  # noqa: B010
TYPER_WORDS = (
    N_("Arguments"),
    N_("Options"),
    N_("Commands"),
    N_("required"),
    N_("default: {default}"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("Show this message and exit."),
    N_("{heading}:"),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
)

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
    (re.compile(r"\bx>=(?P<low>-?\d+)\b"), N_("{low} or more")),
    (re.compile(r"\bx<=(?P<high>-?\d+)\b"), N_("at most {high}")),
    (re.compile(r"\b(?P<low>-?\d+)<=x<=(?P<high>-?\d+)\b"), N_("{low} to {high}")),
)


def shown(text: str | None) -> str:
    """A help TEXT written in English, in the terminal's language."""
    return _(inspect.cleandoc(text)) if text else ""


@contextmanager
def _translated(holder: Any, attribute: str) -> Iterator[None]:
    """HOLDER's help ATTRIBUTE in the terminal's language while Typer writes it."""
    original = getattr(holder, attribute)
    if original:
        setattr(holder, attribute, shown(original))
    try:
        yield
    finally:
        setattr(holder, attribute, original)


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
            text = pattern.sub(partial(_in_words, words), text)
        return names, text


def _in_words(words: str, found: re.Match[str]) -> str:
    return _(words).format(**found.groupdict())


class Translated(Command):
    """The help of a command in the terminal's language (a mixin of Typer's commands)."""

    def get_help(self, ctx: Any) -> str:
        formatter = ReadableFormatter(width=ctx.terminal_width, max_width=ctx.max_content_width)
        self.format_help(ctx, formatter)
        return formatter.getvalue().rstrip("\n")

    def format_options(self, ctx: Any, formatter: Any) -> None:
        with ExitStack() as stack:
            for param in self.get_params(ctx):
                stack.enter_context(_translated(param, "help"))
            super().format_options(ctx, formatter)  # type: ignore[safe-super]

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        with _translated(self, "help"):
            super().format_help_text(ctx, formatter)

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        with _translated(self, "epilog"):
            super().format_epilog(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        if self.short_help:
            return shown(self.short_help)
        return summary(shown(self.help), limit) if self.help else ""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)
        if option is not None and type(option) is TyperOption:
            option.__class__ = ReadableOption
        return option


class ReadableFormatter(HelpFormatter):
    """Headings in the terminal's language, with its punctuation (« Options : »)."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_('{heading}:').format(heading=heading)}\n")


class ReadableCommand(Translated, TyperCommand):
    """A command whose help is shown in the terminal's language, and whose own usage
    errors (``registry.UsageError``) Click reports as its usage errors."""

    def invoke(self, ctx: Any) -> Any:
        from reseau_cli.cli.registry import UsageError

        try:
            return super().invoke(ctx)
        except UsageError as exc:
            from typer._click.exceptions import BadParameter

            raise BadParameter(exc.message, ctx=ctx, param_hint=exc.param_hint) from None


class ReadableGroup(Translated, TyperGroup):
    """A group whose help is shown in the terminal's language."""


def apply(command: Any) -> None:
    """Make the help of ``command`` and of every command under it readable."""
    if type(command) is TyperCommand:
        command.__class__ = ReadableCommand
    elif type(command) is TyperGroup:
        command.__class__ = ReadableGroup
    for param in command.params:
        if isinstance(param, TyperArgument):
            param.__class__ = ReadableArgument
        elif isinstance(param, TyperOption):
            param.__class__ = ReadableOption
            if param.metavar is None and not param.is_flag:
                param.metavar = option_metavar(param)
    for child in (getattr(command, "commands", None) or {}).values():
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


_CLICK_PHRASES = (
    (
        re.compile(r"^Got unexpected extra argument(?:\(s\)|s)? \((?P<args>.*)\)$"),
        N_("Got unexpected extra argument(s) ({args})"),
    ),
    (
        re.compile(r"^Option (?P<option>'[^']*') requires an argument\.?$"),
        N_("Option {option} requires an argument."),
    ),
    (
        re.compile(r"^Option (?P<option>'[^']*') does not take a value\.?$"),
        N_("Option {option} does not take a value."),
    ),
)
_DID_YOU_MEAN = re.compile(r"\. Did you mean (?P<names>.*)\?$")
# Why Click refuses a value (the reason inside "Invalid value for …: REASON").
_CLICK_REASONS = (
    (
        re.compile(r"^(?P<value>'.*') is not a valid int(?: range)?\.$"),
        N_("{value} is not a whole number."),
    ),
    (
        re.compile(r"^(?P<value>'.*') is not a valid float(?: range)?\.$"),
        N_("{value} is not a number."),
    ),
    (
        re.compile(r"^(?P<value>\S+) is not in the range (?P<range>.+)\.$"),
        N_("{value} is not in the range {range}."),
    ),
)


def usage_message(exc: Any) -> str:
    """The message of a usage error of Click (as vendored by Typer) in the terminal's
    language, for the phrases it says most (an unknown or missing option or argument, an
    invalid value); any other stays as Click writes it."""
    from typer._click import exceptions as click

    if isinstance(exc, click.NoSuchOption) and exc.message.startswith("No such option"):
        message = _("No such option: {option}").format(option=exc.option_name)
        if exc.possibilities:
            options = ", ".join(sorted(exc.possibilities))
            message = _("{message} (Possible options: {options})").format(
                message=message, options=options
            )
        return message
    if isinstance(exc, click.MissingParameter) and not exc.message:
        hint = _param_hint(exc)
        kind = exc.param_type or (exc.param.param_type_name if exc.param else "parameter")
        if kind == "argument":
            return _("Missing argument {name}.").format(name=hint)
        if kind == "option":
            return _("Missing option {name}.").format(name=hint)
        return _("Missing parameter {name}.").format(name=hint)
    if isinstance(exc, click.BadParameter) and not isinstance(exc, click.MissingParameter):
        hint = _param_hint(exc)
        reason = _reason(exc.message)
        if hint:
            return _("Invalid value for {name}: {reason}").format(name=hint, reason=reason)
        return _("Invalid value: {reason}").format(reason=reason)
    message = str(exc.format_message())
    suggestion = ""
    if found := _DID_YOU_MEAN.search(message):
        message = message[: found.start()] + "."
        suggestion = _("Did you mean {names}?").format(names=found["names"])
    for pattern, words in _CLICK_PHRASES:
        if matched := pattern.match(message):
            message = _(words).format(**matched.groupdict())
            break
    return f"{message.rstrip('.')}. {suggestion}" if suggestion else message


def _reason(message: str) -> str:
    """Click's reason for refusing a value, in the terminal's language when it is one of
    those it says most (not a number, out of range: said in words, « 1 or more »)."""
    for pattern, words in _CLICK_REASONS:
        if found := pattern.match(message):
            values = found.groupdict()
            if "range" in values:
                for range_pattern, range_words in _RANGES:
                    values["range"] = range_pattern.sub(
                        partial(_in_words, range_words), values["range"]
                    )
            return _(words).format(**values)
    return message


def _param_hint(exc: Any) -> str:
    hint = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint(exc.ctx)
    if isinstance(hint, list | tuple):
        return " / ".join(f"'{h}'" for h in hint)
    return str(hint or "")
