"""What every command run goes through, by either path (``fast`` or Typer): arguments
that must be UTF-8 text, the language of the team named by `--repo`, English with
`--json`, and around the command itself one escaped line for a refusal with its exit
code, 130/143 for an interruption, the warning about files left out. Imports no Typer.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from reseau_cli.i18n import _, ngettext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, NoReturn

ENTRY_POINT = False  # set by main(): this process is the `reseau` command itself


def undecodable_argument(args: Sequence[str]) -> str | None:
    """The error line for the first argument that is not UTF-8 text, if any."""
    from reseau_cli.safety import for_terminal, shorten, undecodable

    for position, arg in enumerate(args, 1):
        if undecodable(arg):
            shown = for_terminal(shorten(arg), multiline=False)
            message = _(
                "argument {position} is not valid UTF-8 text ({text}); "
                "check the terminal's or the script's encoding"
            ).format(position=position, text=shown)
            return _("error: {message}").format(message=message)
    return None


def language_of_repo(args: Sequence[str]) -> None:
    """The language of the team named by `--repo`, wherever it stands among the root's
    options: `reseau --help --repo X` speaks X's language as `reseau --repo X --help` does."""
    for position, arg in enumerate(args):
        if arg == "--repo" and position + 1 < len(args):
            value = args[position + 1]
        elif arg.startswith("--repo="):
            value = arg.removeprefix("--repo=")
        elif arg.startswith("-"):
            continue
        else:
            return  # a command: what follows is its own
        if value:
            from reseau_cli import i18n

            i18n.set_language(i18n.terminal_language(Path(value)))
        return


def json_wanted(args: Sequence[str]) -> None:
    """With --json a command speaks English, the source language, on both streams: the
    messages inside its JSON (alerts, problems) read the same in every team, and a
    script reads the same errors; ids, keys and exit codes never depend on it anyway."""
    options = args[: list(args).index("--")] if "--" in args else args
    if "--json" in options:
        from reseau_cli import i18n

        i18n.set_language(i18n.SOURCE_LANGUAGE)


def usage_line(message: str, command_path: str | None, usage: Sequence[str]) -> str:
    """`error: <what>; usage: reseau … [OPTIONS] ARGS (reseau … -h for help)`, escaped,
    in the terminal's language (MESSAGE already is)."""
    from reseau_cli.safety import for_terminal

    message = for_terminal(message.rstrip("."), multiline=False)
    if command_path is None:
        return _("error: {message}").format(message=message)
    return _("error: {message}; usage: {usage} ({command} -h for help)").format(
        message=message,
        usage=for_terminal(" ".join([command_path, *usage]), multiline=False),
        command=command_path,
    )


def invalid_value(message: str, param_hint: str | None) -> str:
    """A command's own refusal of a value (``registry.UsageError``), said as Click says
    an invalid value (``readable.usage_message``)."""
    if param_hint:
        return _("Invalid value for {name}: {reason}").format(name=param_hint, reason=message)
    return _("Invalid value: {reason}").format(reason=message)


def run(command: Callable[[], Any], obj: Callable[[], Any]) -> Any:
    """Run COMMAND (``obj`` gives the context object once it has run, for the warning of
    files left out; Typer's root callback makes it inside COMMAND): a ReseauError becomes one escaped line on stderr and its exit code,
    an interruption 130 (143 for SIGTERM), end of input `error: aborted` (exit 1); no
    traceback unless RESEAU_DEBUG is set."""
    from reseau_cli.errors import ReseauError, Terminated

    try:
        result = command()
        _warn_skipped(obj())
        done()
        return result
    except ReseauError as exc:
        if os.environ.get("RESEAU_DEBUG"):
            raise
        from reseau_cli.safety import for_terminal

        message = for_terminal(str(exc), multiline=False)
        sys.stderr.write(_("error: {message}").format(message=message) + "\n")
        sys.stderr.flush()
        done()
        raise SystemExit(exc.exit_code) from None
    except KeyboardInterrupt as exc:
        if os.environ.get("RESEAU_DEBUG"):
            raise
        sys.stderr.write(_interrupted() + "\n")
        done()
        raise SystemExit(143 if isinstance(exc, Terminated) else 130) from None
    except EOFError:  # as Click says it: an empty line, then ours
        sys.stderr.write("\n")
        aborted()
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        # The reader went away (`reseau status | head`): nothing more to say, and
        # Python's last flush must not complain either.
        sys.stdout = _Pacified(sys.stdout)
        sys.stderr = _Pacified(sys.stderr)
        raise SystemExit(1) from None


class _Pacified:
    """A stream whose flush ignores a closed pipe (as Click's PacifyFlushWrapper)."""

    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped

    def flush(self) -> None:
        try:
            self.wrapped.flush()
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


def aborted() -> NoReturn:
    """End of input where a command asked a question: `error: aborted`, exit 1."""
    sys.stderr.write(_("error: {message}").format(message=_("aborted")) + "\n")
    sys.exit(1)


def done() -> None:
    """The command has said all it had to say: a Ctrl-C or SIGTERM arriving while Python
    shuts down must not turn it into a killed one (its output told the truth already)."""
    if ENTRY_POINT:
        signal = signals()
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


def signals() -> Any:
    """The C module that ``signal`` wraps (the same calls, with numbers where ``signal``
    gives enums): ``signal`` builds its enums on import, milliseconds of every command."""
    import _signal  # type: ignore[import-not-found]

    return _signal


def _interrupted() -> str:
    from reseau_cli.operations.repository import interrupted

    return interrupted()


def _warn_skipped(obj: Any) -> None:
    """Say which files a command over every document had to leave out, if any."""
    repo = getattr(obj, "_repo", None)
    skipped = sorted({p.path for p in getattr(repo, "skipped", ())})
    if skipped:
        names = ", ".join(skipped[:5]) + (" …" if len(skipped) > 5 else "")
        warning = ngettext(
            "warning: {count} file could not be read and is left out ({names}); "
            "`reseau check` says why",
            "warning: {count} files could not be read and are left out ({names}); "
            "`reseau check` says why",
            len(skipped),
        )
        sys.stderr.write(warning.format(count=len(skipped), names=names) + "\n")
