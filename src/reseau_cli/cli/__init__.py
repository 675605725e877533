"""The `reseau` command line: a thin Typer layer over the core library.

Each command group lives in its own module; this one holds the root app, the global
options and the single place where errors become one-line messages.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from reseau_cli import __version__
from reseau_cli.cli.context import AppContext
from reseau_cli.cli.readable import Translated
from reseau_cli.errors import ReseauError, Terminated
from reseau_cli.i18n import N_, _, ngettext
from reseau_cli.safety import for_terminal, shorten, undecodable

# Every top-level command, in the order of `reseau --help`: the module of cli/ that
# defines it (its ``app`` for a group, its ``register(app)`` for single commands) and its
# line in that help. Only the module of the command that runs is imported and turned
# into Click commands by Typer; `reseau --help` imports none of them. A new command or
# group is added here (tests/test_packaging.py checks each line against the command's
# own help, and that every module of cli/ defining commands is listed).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("repository", N_("Create a data repository")),
    "check": ("repository", N_("Validate every file (schema and cross-file rules)")),
    "log": ("repository", N_("The history of the repository or of one person, from git")),
    "status": ("status", N_("Alerts across all active persons")),
    "find": ("find", N_("Where words are written, in every person's file and the directory.")),
    "verify": (
        "verify",
        N_(
            "Check the signatures of plan validations and list what changed in each plan "
            "since its last validation; exit 1 when a signature fails."
        ),
    ),
    "stats": ("stats", N_("Anonymised figures of a period, for managers and funders.")),
    "textconv": ("encrypt", ""),  # hidden: git runs it
    "sync": (
        "sync",
        N_("Fetch the team's changes, merge them field by field, check, and push yours."),
    ),
    "share": ("sync", N_("Set up the team's shared remote and push this branch to it.")),
    "merge-driver": ("sync", ""),  # hidden: git runs it
    "person": ("person", N_("Accompanied persons: add, list, show, edit, close, reopen, export.")),
    "intervenant": (
        "intervenant",
        N_("Intervenants: the shared directory, and who is in each person's network."),
    ),
    "coordinator": (
        "coordinator",
        N_("Coordination: the coordinator and the concertation lead."),
    ),
    "plan": ("plan", N_("The support plan: objectives, actions (who does what by when), reviews.")),
    "concertation": (
        "concertation",
        N_("Concertations: meetings with the network and the person, planned then recorded."),
    ),
    "consent": (
        "consent",
        N_("Consent: what the person agreed to share, with whom"),
    ),
    "evaluation": ("evaluation", N_("Multidimensional evaluations")),
    "render": ("render", N_("Documents people read")),
    "templates": (
        "templates",
        N_("The team's templates and translations (`reseau render templates` lists templates)."),
    ),
    "hooks": ("hooks", N_("Git hooks that refuse invalid work")),
    "team": ("team", N_("Team members and their age keys (encryption at rest).")),
    "encrypt": ("encrypt", N_("Encryption at rest of the data files (age).")),
    "export": ("export", N_("Exports of the data for use outside the team")),
    "import": ("imports", N_("Files from other systems: a person from a FHIR R4 Bundle.")),
    "handover": (
        "handover",
        N_("Hand a person's file, with its history, over to another team's repository."),
    ),
}
HIDDEN = {"merge-driver", "textconv"}


class _ReseauGroup(Translated, TyperGroup):
    """Root group: turns every ReseauError into one line on stderr and exit 1, makes the
    help of every command readable (see ``readable``), and imports the module of a
    command only when that command is asked for (``COMMANDS``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from reseau_cli.cli import readable

        super().__init__(*args, **kwargs)
        readable.apply(self)  # the root's own options (commands come when loaded)

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self._load(COMMANDS[cmd_name][0])
        return self.commands.get(cmd_name)

    def _load(self, module_name: str) -> None:
        """Import one module of cli/ and add its commands, made readable."""
        import importlib

        from reseau_cli.cli import readable

        module = importlib.import_module(f"reseau_cli.cli.{module_name}")
        holder = typer.Typer(rich_markup_mode=None)
        if hasattr(module, "register"):  # single commands (and groups it adds itself)
            module.register(holder)
        else:
            names = [name for name, (where, _line) in COMMANDS.items() if where == module_name]
            holder.add_typer(module.app, name=names[0])
        group = typer.main.get_group(holder)
        for name, command in group.commands.items():
            readable.apply(command)
            if command.short_help is None and command.help:
                command.short_help = COMMANDS.get(name, ("", ""))[1] or None
            self.add_command(command, name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The list of commands, from ``COMMANDS``: no command module is imported."""
        rows = [(name, _(line)) for name, (_where, line) in COMMANDS.items() if name not in HIDDEN]
        rows += [
            (name, command.get_short_help_str())
            for name, command in self.commands.items()
            if name not in COMMANDS and not command.hidden
        ]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Refuse arguments that are not UTF-8 text before anything reads them."""
        for position, arg in enumerate(args, 1):
            if undecodable(arg):
                shown = for_terminal(shorten(arg), multiline=False)
                message = _(
                    "argument {position} is not valid UTF-8 text ({text}); "
                    "check the terminal's or the script's encoding"
                ).format(position=position, text=shown)
                sys.stderr.write(_("error: {message}").format(message=message) + "\n")
                raise typer.Exit(2)
        _language_of_repo(args)
        rest = super().parse_args(ctx, args)
        options = args[: args.index("--")] if "--" in args else args
        if "--json" in options:
            _speak_source_language()
        return rest

    def main(  # type: ignore[override]
        self, args: Any = None, prog_name: Any = None, standalone_mode: bool = True, **kwargs: Any
    ) -> Any:
        """Run as Click does, except that a usage error is one line on stderr (exit 2)."""
        run = super().main
        if not standalone_mode:
            return run(args=args, prog_name=prog_name, standalone_mode=False, **kwargs)
        try:
            result = run(args=args, prog_name=prog_name, standalone_mode=False, **kwargs)
        except typer.Abort:
            sys.stderr.write(_("error: {message}").format(message=_("aborted")) + "\n")
            sys.exit(1)
        except typer.exceptions.TyperException as exc:  # Click's usage errors, vendored by Typer
            if not hasattr(exc, "ctx"):
                raise
            from typer._click.exceptions import NoArgsIsHelpError

            if isinstance(exc, NoArgsIsHelpError):  # a group alone: its help, as Click
                sys.stderr.write(exc.format_message() + "\n")
                sys.exit(2)
            sys.stderr.write(_usage_line(exc) + "\n")
            sys.exit(getattr(exc, "exit_code", 2))
        sys.exit(result if isinstance(result, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            _warn_skipped(ctx)
            _done()
            return result
        except ReseauError as exc:
            if os.environ.get("RESEAU_DEBUG"):
                raise
            message = for_terminal(str(exc), multiline=False)
            sys.stderr.write(_("error: {message}").format(message=message) + "\n")
            sys.stderr.flush()
            _done()
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt as exc:
            if os.environ.get("RESEAU_DEBUG"):
                raise
            sys.stderr.write(_interrupted() + "\n")
            _done()
            raise typer.Exit(143 if isinstance(exc, Terminated) else 130) from None


def _usage_line(exc: Any) -> str:
    """`error: <what>; usage: reseau … [OPTIONS] ARGS (reseau … -h for help)`, escaped,
    in the terminal's language."""
    from reseau_cli.cli.readable import usage_message

    message = for_terminal(usage_message(exc).rstrip("."), multiline=False)
    ctx = exc.ctx
    if ctx is None:
        return _("error: {message}").format(message=message)
    usage = " ".join([ctx.command_path, *ctx.command.collect_usage_pieces(ctx)])
    return _("error: {message}; usage: {usage} ({command} -h for help)").format(
        message=message, usage=for_terminal(usage, multiline=False), command=ctx.command_path
    )


_ENTRY_POINT = False  # set by main(): this process is the `reseau` command itself


def _done() -> None:
    """The command has said all it had to say: a Ctrl-C or SIGTERM arriving while Python
    shuts down must not turn it into a killed one (its output told the truth already)."""
    if _ENTRY_POINT:
        import signal

        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})


def _interrupted() -> str:
    from reseau_cli.operations.repository import interrupted

    return interrupted()


def _warn_skipped(ctx: Any) -> None:
    """Say which files a command over every document had to leave out, if any."""
    obj = ctx.obj
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


def _speak_source_language() -> None:
    """With --json a command speaks English, the source language, on both streams: the
    messages inside its JSON (alerts, problems) read the same in every team, and a
    script reads the same errors; ids, keys and exit codes never depend on it anyway."""
    from reseau_cli import i18n

    i18n.set_language(i18n.SOURCE_LANGUAGE)


app = typer.Typer(
    cls=_ReseauGroup,
    name="reseau",
    help="Coordinate care and social support around a person: network, coordinator, "
    "support plan and concertations, kept in a shared git repository.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=True,  # --install-completion and --show-completion: bash, zsh, fish
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _language_of_repo(args: list[str]) -> None:
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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"reseau {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    repo: Annotated[
        Path | None,
        typer.Option(
            "--repo",
            help="The data repository (default: RESEAU_REPO, else the nearest one upward).",
            file_okay=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Coordinate care and social support around a person."""
    ctx.obj = AppContext(repo_path=repo)


def command_tree() -> Any:
    """The root Click group with every command loaded (for tests and tools that walk
    the whole tree; a command that runs loads only its own module)."""
    group: Any = typer.main.get_command(app)
    for name in COMMANDS:
        group.get_command(None, name)
    return group


def main() -> None:
    """Console-script entry point. SIGTERM is raised like Ctrl-C, so that a terminated
    command too says what it left behind."""
    import signal

    global _ENTRY_POINT
    _ENTRY_POINT = True

    def interrupted(signum: int, frame: Any) -> None:
        # Raised inside frozen standard-library code (the import machinery, abc's
        # subclass hooks run from C), the exception may be printed as "ignored" and
        # lost: ask again a few instructions later, once back in ordinary code.
        if frame is not None and frame.f_code.co_filename.startswith("<frozen "):
            os.kill(os.getpid(), signum)
            return
        raise Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    app()
