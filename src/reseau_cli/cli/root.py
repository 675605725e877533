"""The root of the Typer application: the path of `--help`, completion, usage errors and
whatever the fast path (``fast``) leaves to Typer. It imports Typer; ``reseau_cli.cli``
imports this module only when Typer is needed (``reseau_cli.cli.app``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from reseau_cli import __version__
from reseau_cli.cli import guard
from reseau_cli.cli.context import AppContext
from reseau_cli.cli.readable import Translated
from reseau_cli.cli.registry import Group
from reseau_cli.cli.toplevel import COMMANDS, HIDDEN
from reseau_cli.i18n import _


class _ReseauGroup(Translated, TyperGroup):
    """Root group: runs each command through ``guard`` (one line for an error), makes
    the help of every command readable (see ``readable``), imports the module of a
    command only when that command is asked for (``COMMANDS``), and lets the fast path
    run a plain invocation first (``fast``)."""

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
        holder = Group(rich_markup_mode=None)
        if hasattr(module, "register"):  # single commands (and groups it adds itself)
            module.register(holder)
        else:
            names = [name for name, (where, _line) in COMMANDS.items() if where == module_name]
            holder.add_typer(module.app, name=names[0])
        group = typer.main.get_group(holder.to_typer())
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
        refused = guard.undecodable_argument(args)
        if refused:
            sys.stderr.write(refused + "\n")
            raise typer.Exit(2)
        guard.language_of_repo(args)
        rest = super().parse_args(ctx, args)
        guard.json_wanted(args)
        return rest

    def main(  # type: ignore[override]
        self, args: Any = None, prog_name: Any = None, standalone_mode: bool = True, **kwargs: Any
    ) -> Any:
        """Run as Click does, except that a plain invocation goes by the fast path, and a
        usage error is one line on stderr (exit 2)."""
        run = super().main
        if not standalone_mode:
            return run(args=args, prog_name=prog_name, standalone_mode=False, **kwargs)
        from reseau_cli.cli import fast

        fast.main(sys.argv[1:] if args is None else list(args), prog_name)
        try:
            result = run(args=args, prog_name=prog_name, standalone_mode=False, **kwargs)
        except typer.Abort:
            guard.aborted()
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
        return guard.run(lambda: super(_ReseauGroup, self).invoke(ctx), lambda: ctx.obj)


def _usage_line(exc: Any) -> str:
    """Click's usage error EXC as one line (``guard.usage_line``)."""
    from reseau_cli.cli.readable import usage_message

    ctx = exc.ctx
    if ctx is None:
        return guard.usage_line(usage_message(exc), None, [])
    pieces = ctx.command.collect_usage_pieces(ctx)
    return guard.usage_line(usage_message(exc), ctx.command_path, pieces)


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
