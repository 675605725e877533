"""The fast path: run a plain, well-formed invocation without importing Typer.

Hand-written, not argparse nor Click: importing Typer (which vendors Click) and turning
a command module into Click commands costs more than most commands' own work, and
argparse reads a command line differently from Click (abbreviated options, values that
start with `-`), so one command line could mean two things. This parser follows Click's
rules for the few kinds of parameters reseau's commands have, taken from
``commands.jsonl``, which ``scripts/clispec.py`` (`make clispec`) generates from the Typer
application: Typer stays the one definition of every command. Whenever it is not sure
(help, completion, an unknown option or command, a missing or invalid value, combined
short options, an environment variable a parameter reads, a table older than the code)
it declines before anything runs, and Typer runs the command as always
(tests/test_fast.py checks both paths give each command the same arguments).
"""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from reseau_cli.records import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ENABLED = True  # tests turn it off to compare with Typer's path
TABLE = Path(__file__).with_name("commands.jsonl")
_loaded: dict[str, Any] | None = None


@record
class Plan:
    """A command line the fast path runs: the command and what Typer would pass it."""

    path: tuple[str, ...]
    module: str
    function: str
    context: str | None
    kwargs: dict[str, Any]
    repo: Path | None
    usage: list[str]  # Click's usage pieces: [OPTIONS] PERSON…


class FastContext:
    """What commands use of Click's context: the object the root sets, and the path."""

    __slots__ = ("command_path", "obj", "params")

    def __init__(self, obj: Any, command_path: str, params: dict[str, Any]) -> None:
        self.obj = obj
        self.command_path = command_path
        self.params = params

    def find_root(self) -> FastContext:
        return self


def table() -> dict[str, Any] | None:
    """The head of the command table (the sizes of cli/'s files it was made from, the
    root's `--repo`, the paths of groups and commands), or None when the code of cli/
    changed since it was generated. Each command's own line is read when it runs
    (``_command``): the table is one JSON document per line."""
    global _loaded
    if _loaded is None:
        try:
            text = TABLE.read_text(encoding="utf-8")
            head = json.loads(text[: text.index("\n")])
        except (OSError, ValueError):
            return None
        head["text"] = text
        head["commands"] = {tuple(path) for path in head["commands"]}
        head["groups"] = {tuple(path) for path in head["groups"]}
        _loaded = head
    sizes = {e.name: e.stat().st_size for e in os.scandir(TABLE.parent) if e.name.endswith(".py")}
    return _loaded if sizes == _loaded["sizes"] else None


def _command(spec: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    """The line of the command at PATH: `[PATH, {what the command takes}]`."""
    text: str = spec["text"]
    start = text.index("\n" + json.dumps([list(path)], ensure_ascii=False)[:-1] + ",") + 1
    command: dict[str, Any] = json.loads(text[start : text.index("\n", start)])[1]
    return command


def parse(args: Sequence[str]) -> Plan | None:
    """What Typer would run for ARGS, or None to leave them to Typer."""
    spec = table()
    if spec is None or _unusual(args):
        return None
    position, repo = _root_options(args, spec["root"])
    if position is None:
        return None
    path: tuple[str, ...] = ()
    while position < len(args):
        path += (args[position],)
        position += 1
        if path in spec["commands"]:
            command = _command(spec, path)
            kwargs = _command_arguments(command, args[position:])
            if kwargs is None:
                return None
            module, function, usage = command["module"], command["function"], command["usage"]
            return Plan(path, module, function, command["context"], kwargs, repo, usage)
        if path not in spec["groups"]:
            return None
    return None  # a group alone: its help


def _unusual(args: Sequence[str]) -> bool:
    """Help asked for, completion, or an argument that is not text."""
    options = args[: list(args).index("--")] if "--" in args else args
    if "-h" in options or "--help" in options:
        return True
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return True
    from reseau_cli.cli.guard import undecodable_argument

    return undecodable_argument(args) is not None


def _root_options(args: Sequence[str], repo: dict[str, Any]) -> tuple[int | None, Path | None]:
    """Where the command starts after the root's `--repo X` / `--repo=X`, and that path."""
    position, value = 0, None
    while position < len(args):
        arg = args[position]
        if arg == "--repo" and position + 1 < len(args):
            value, position = args[position + 1], position + 2
        elif arg.startswith("--repo="):
            value, position = arg.removeprefix("--repo="), position + 1
        elif arg[:1] == "-" and len(arg) > 1:
            return None, None
        else:
            break
    if value is None:
        return position, None
    converted = _convert(repo, value)
    return (position, converted) if isinstance(converted, Path) else (None, None)


_DECLINE = object()


def _command_arguments(command: dict[str, Any], args: Sequence[str]) -> dict[str, Any] | None:
    """The keyword arguments of COMMAND for ARGS, converted as Click and Typer do."""
    if command["typer_only"] or (command["no_args_is_help"] and not args):
        return None
    given = _read_options(command, args)
    if given is None:
        return None
    options, positional = given
    arguments = [p for p in command["params"] if p["kind"] == "argument"]
    unpacked = _unpack(positional, [p["nargs"] for p in arguments])
    if unpacked is None:
        return None
    options.update(zip((p["name"] for p in arguments), unpacked, strict=True))
    kwargs: dict[str, Any] = {}
    for param in command["params"]:
        value = _value(param, options.get(param["name"]))
        if value is _DECLINE:
            return None
        kwargs[param["name"]] = value
    return kwargs


def _read_options(
    command: dict[str, Any], args: Sequence[str]
) -> tuple[dict[str, Any], list[str]] | None:
    """Options (by parameter name) and positional arguments, as Click's parser reads
    them: options and arguments in any order, `--opt=value` or `--opt value`, `-o value`,
    the last of a repeated option unless it is multiple, everything after `--` an
    argument."""
    by_option: dict[str, tuple[dict[str, Any], Any]] = {}
    for param in command["params"]:
        for option in param.get("opts", []):
            by_option[option] = (param, param.get("flag_value"))
        for option in param.get("secondary", []):
            by_option[option] = (param, False)
    options: dict[str, Any] = {}
    positional: list[str] = []
    rest = list(args)
    while rest:
        arg = rest.pop(0)
        if arg == "--":
            positional += rest
            break
        if arg[:1] != "-" or len(arg) == 1:
            positional.append(arg)
            continue
        name, equals, explicit = arg.partition("=")
        if not arg.startswith("--") and (equals or len(arg) != 2):
            return None  # -xy, -x=1, -n5: combined or attached short options
        if name not in by_option:
            return None
        param, const = by_option[name]
        if param["flag"]:
            if equals:
                return None
            value = const
        elif equals:
            value = explicit
        elif rest:
            value = rest.pop(0)
        else:
            return None
        if param["multiple"]:
            options.setdefault(param["name"], []).append(value)
        else:
            options[param["name"]] = value
    return options, positional


def _unpack(values: list[str], nargs: list[int]) -> list[Any] | None:
    """Positional VALUES dealt to arguments of NARGS (1, or -1: all that are left), as
    Click does; None when some are left over."""
    if nargs.count(-1) > 1 or any(n not in (1, -1) for n in nargs):
        return None
    if -1 in nargs:
        where = nargs.index(-1)
        after = len(nargs) - where - 1
        taken = max(len(values) - where - after, 0)
        head, middle = values[:where], values[where : where + taken]
        tail = values[where + taken :]
        dealt: list[Any] = [*head, *[None] * (where - len(head)), middle]
        return [*dealt, *tail, *[None] * (after - len(tail))]
    if len(values) > len(nargs):
        return None
    return [*values, *[None] * (len(nargs) - len(values))]


def _value(param: dict[str, Any], given: Any) -> Any:
    """The value Typer passes for PARAM, given GIVEN on the command line (None, a
    string, a flag's constant, or a list for a multiple option or nargs=-1)."""
    if given is None or given == []:
        if param["required"]:
            return _DECLINE
        if param["envvar"] and any(name in os.environ for name in param["envvar"]):
            return _DECLINE
        absent = _decoded(param["absent"])
        if isinstance(absent, Path) and _convert(param, str(absent)) is _DECLINE:
            return _DECLINE
        return absent
    if param["flag"]:
        return bool(given)
    if isinstance(given, list):
        values = [_convert(param, item) for item in given]
        return _DECLINE if _DECLINE in values else values
    return _convert(param, given)


def _decoded(value: Any) -> Any:
    if isinstance(value, dict):
        return Path(value["path"])
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    return value


def _convert(param: dict[str, Any], text: str) -> Any:
    kind = param["type"]
    converter = _CONVERTERS.get(kind["kind"])
    if converter is None:
        return _DECLINE
    try:
        return converter(kind, text)
    except (ValueError, OSError):
        return _DECLINE


def _number(kind: dict[str, Any], text: str) -> float:
    value: float = int(text) if kind["kind"] == "int" else float(text)
    low, high = kind.get("min"), kind.get("max")
    if low is not None and (value <= low if kind.get("min_open") else value < low):
        raise ValueError(text)
    if high is not None and (value >= high if kind.get("max_open") else value > high):
        raise ValueError(text)
    return value


def _path(kind: dict[str, Any], text: str) -> Path:
    """TEXT as a Path, when Click's checks of a path (Typer's TyperPath) pass."""
    if not (kind["file_okay"] and kind["allow_dash"] and text == "-"):
        try:
            found = os.stat(text)
        except FileNotFoundError:
            if kind["exists"]:
                raise
            return Path(text)
        refused = (
            (not kind["file_okay"] and stat.S_ISREG(found.st_mode))
            or (not kind["dir_okay"] and stat.S_ISDIR(found.st_mode))
            or (kind["readable"] and not os.access(text, os.R_OK))
            or (kind["writable"] and not os.access(text, os.W_OK))
        )
        if refused:
            raise ValueError(text)
    return Path(text)


_CONVERTERS: dict[str, Callable[[dict[str, Any], str], Any]] = {
    "str": lambda kind, text: text,
    "int": _number,
    "float": _number,
    "path": _path,
}


def program_name() -> str:
    """The name Click gives the program in messages (`reseau`, or `python -m …`)."""
    main = sys.modules.get("__main__")
    path = sys.argv[0] if sys.argv and sys.argv[0] else "reseau"
    package = getattr(main, "__package__", None)
    if package in (None, ""):
        return os.path.basename(path)
    name = os.path.splitext(os.path.basename(path))[0]
    module = package if name == "__main__" else f"{package}.{name}"
    return f"python -m {module.lstrip('.')}"


def main(args: Sequence[str], prog_name: str | None) -> None:
    """Run ARGS by the fast path and exit, if it can; else return (Typer runs them)."""
    if not ENABLED:
        return
    plan = parse(args)
    if plan is None:
        return
    import importlib

    from reseau_cli.cli import guard
    from reseau_cli.cli.context import AppContext
    from reseau_cli.cli.registry import UsageError

    guard.language_of_repo(args)
    guard.json_wanted(args)
    obj = AppContext(repo_path=plan.repo)
    function = getattr(importlib.import_module(plan.module), plan.function)
    prog = prog_name or program_name()
    kwargs = dict(plan.kwargs)
    if plan.context:
        kwargs[plan.context] = FastContext(obj, " ".join([prog, *plan.path]), plan.kwargs)
    try:
        result = guard.run(lambda: function(**kwargs), lambda: obj)
    except UsageError as exc:  # as Click says its own (``root``): exit 2
        message = guard.invalid_value(exc.message, exc.param_hint)
        command_path = " ".join([prog, *plan.path])
        sys.stderr.write(guard.usage_line(message, command_path, plan.usage) + "\n")
        sys.exit(2)
    sys.exit(result if isinstance(result, int) else 0)
