"""Where the command modules of cli/ declare their commands, without importing Typer.

A ``Group`` records what a module says of its commands (``@app.command("add")``,
``app.add_typer(sub, name=…)``, ``@app.callback()``) with the same keyword arguments as
``typer.Typer``, and changes nothing: a decorated function stays the plain function.
The commands keep their Typer annotations (``Annotated[str, typer.Option(…)]``) as the
strings ``from __future__ import annotations`` leaves them; Typer reads them only when
``to_typer`` builds the real application, for `--help`, completion, usage errors and
anything the fast path (``fast``) leaves to Typer. A plain command runs through the fast
path, which reads ``commands.jsonl`` (generated from that Typer application by
``scripts/clispec.py``) and calls the same functions: neither path imports Typer at
module level here.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    import typer

    F = TypeVar("F", bound=Callable[..., Any])


class Group:
    """What ``typer.Typer`` would be told: its settings, commands, sub-groups, callback."""

    def __init__(self, **settings: Any) -> None:
        self.settings = settings
        self.commands: list[tuple[str | None, Callable[..., Any], dict[str, Any]]] = []
        self.groups: list[tuple[Group, dict[str, Any]]] = []
        self.callbacks: list[tuple[Callable[..., Any], dict[str, Any]]] = []

    def command(self, name: str | None = None, **settings: Any) -> Callable[[F], F]:
        def record(function: F) -> F:
            self.commands.append((name, function, settings))
            return function

        return record

    def add_typer(self, group: Group, **settings: Any) -> None:
        self.groups.append((group, settings))

    def callback(self, **settings: Any) -> Callable[[F], F]:
        def record(function: F) -> F:
            self.callbacks.append((function, settings))
            return function

        return record

    def to_typer(self) -> typer.Typer:
        """The Typer application these records describe (imports Typer)."""
        import typer

        app = typer.Typer(**self.settings)
        for function, settings in self.callbacks:
            app.callback(**settings)(resolvable(function))
        for name, function, settings in self.commands:
            app.command(name, **settings)(resolvable(function))
        for group, settings in self.groups:
            app.add_typer(group.to_typer(), **settings)
        return app


def resolvable(function: F) -> F:
    """FUNCTION, with what Typer needs to read its string annotations: the names
    ``typer``, ``Annotated`` and ``Any`` and the shared argument types of ``args`` and of
    its module's own ``aliases()`` in its module's globals (the modules import them for
    type checking alone: ``typing`` costs every command's start-up); ``complete``'s
    functions, which Typer reads too, get them as well."""
    from typing import Annotated, Any

    import typer

    from reseau_cli.cli import args, complete

    for names in (vars(complete), function.__globals__):
        names.setdefault("typer", typer)
        names.setdefault("Annotated", Annotated)
        names.setdefault("Any", Any)
    names = function.__globals__
    own = names.get("aliases")  # the option types a module shares among its commands
    shared = {**args.aliases(), **(own() if callable(own) else {})}
    for name, alias in shared.items():
        names.setdefault(name, alias)
    return function


class UsageError(Exception):
    """A command's own refusal of how it was called (exit 2, with the usage line), as
    Click's ``BadParameter``: raised before the command does anything."""

    def __init__(self, message: str, param_hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param_hint = param_hint
