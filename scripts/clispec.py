"""Write the command table of the fast path (src/reseau_cli/cli/commands.jsonl) from the
Typer application, the one definition of every command: `make clispec` after changing a
command. tests/test_fast.py fails while the committed table is not what this writes, and
at run time the fast path leaves every command to Typer while the files of cli/ do not
have the sizes recorded here.

    python scripts/clispec.py          # write the table
    python scripts/clispec.py --check  # exit 1 when the committed table is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from reseau_cli.cli import fast  # noqa: E402


def leaves(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """(path, Click command) of every command under GROUP, groups included (as
    commands without a callback of their own)."""
    for name in group.list_commands(None):
        command = group.get_command(None, name)
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from leaves(command, (*path, name))


def contexts(tree: Any, path: Sequence[str]) -> tuple[Any, Any]:
    """The Click command at PATH and the context of its parent, as Typer makes them."""
    from typer._click.core import Context

    ctx = Context(tree, info_name="reseau", **tree.context_settings)
    command = tree
    for name in path[:-1]:
        command = command.get_command(ctx, name)
        ctx = Context(command, info_name=name, parent=ctx)
    return command.get_command(ctx, path[-1]), ctx


def typer_kwargs(tree: Any, path: Sequence[str], args: Sequence[str]) -> dict[str, Any]:
    """The keyword arguments Typer passes the function of the command at PATH for ARGS
    (Click's parsing, then Typer's conversion); Click's usage errors are raised."""
    command, parent = contexts(tree, path)
    wrapper = command.callback
    original = wrapper.__wrapped__
    seen: dict[str, Any] = {}

    def capture(**kwargs: Any) -> None:
        seen.update(kwargs)

    cells = [c for c in wrapper.__closure__ if c.cell_contents is original]
    ctx = command.make_context(path[-1], list(args), parent=parent)
    with ctx:
        cells[0].cell_contents = capture
        try:
            ctx.invoke(wrapper, **ctx.params)
        finally:
            cells[0].cell_contents = original
    return seen


def _kind(param: Any) -> dict[str, Any] | None:
    """The type of PARAM as the fast path converts it, or None (Typer only)."""
    from typer._click import types
    from typer.models import TyperPath

    kind = param.type
    if isinstance(kind, types.StringParamType):
        return {"kind": "str"}
    if isinstance(kind, types.BoolParamType):
        return {"kind": "bool"} if param.param_type_name == "option" and param.is_flag else None
    if isinstance(kind, types.IntRange | types.FloatRange):
        if kind.clamp:
            return None
        return {
            "kind": "int" if isinstance(kind, types.IntRange) else "float",
            "min": kind.min,
            "max": kind.max,
            "min_open": kind.min_open,
            "max_open": kind.max_open,
        }
    if type(kind) is types.IntParamType:
        return {"kind": "int"}
    if type(kind) is types.FloatParamType:
        return {"kind": "float"}
    if isinstance(kind, TyperPath) and not kind.resolve_path and kind.type in (None, Path):
        names = ("file_okay", "dir_okay", "exists", "readable", "writable", "allow_dash")
        return {"kind": "path", **{name: getattr(kind, name) for name in names}}
    return None


def _encoded(value: Any) -> Any:
    if isinstance(value, Path):
        return {"path": str(value)}
    if isinstance(value, list | tuple):
        return [_encoded(item) for item in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(value)


def _param(param: Any) -> dict[str, Any] | None:
    """PARAM as the table holds it, or None when only Typer may read it."""
    kind = _kind(param)
    option = param.param_type_name == "option"
    if (
        kind is None
        or param.callback is not None
        or not param.expose_value
        or (option and (param.prompt or param.count or (param.is_flag and param.multiple)))
        or (option and any(not o.startswith("-") for o in param.opts + param.secondary_opts))
    ):
        return None
    envvar = param.envvar
    entry: dict[str, Any] = {
        "name": param.name,
        "kind": param.param_type_name,
        "type": kind,
        "nargs": param.nargs,
        "multiple": param.multiple,
        "required": param.required,
        "envvar": [envvar] if isinstance(envvar, str) else list(envvar or []),
        "flag": option and param.is_flag,
    }
    if option:
        entry["opts"] = list(param.opts)
        entry["secondary"] = list(param.secondary_opts)
        if param.is_flag:
            entry["flag_value"] = True  # Typer's flags: True, False for a --no-x
            if not param.is_bool_flag or param._depr_flag_value is not True:
                return None
    return entry


def _probe(tree: Any, path: Sequence[str], command: Any) -> list[str]:
    """Arguments giving each required parameter a value (to read the others' defaults)."""
    args: list[str] = []
    for param in command.params:
        if not param.required:
            continue
        value = "1" if param.type.name in ("integer", "integer range") else "x"
        args += [value] if param.param_type_name == "argument" else [param.opts[0], value]
    return args


def _usage(tree: Any, path: Sequence[str], command: Any) -> list[str]:
    """Click's usage pieces of COMMAND ([OPTIONS] PERSON…), for the fast path's own
    usage errors (``registry.UsageError``)."""
    from typer._click.core import Context

    ctx = Context(command, info_name=path[-1], parent=contexts(tree, path)[1])
    return list(command.collect_usage_pieces(ctx))


def _command(tree: Any, path: tuple[str, ...], command: Any, parents: list[Any]) -> dict[str, Any]:
    import typer.main

    function = command.callback.__wrapped__
    context = typer.main.get_params_convertors_ctx_param_name_from_function(function)[2]
    entry: dict[str, Any] = {
        "path": list(path),
        "module": function.__module__,
        "function": function.__qualname__,
        "context": context,
        "no_args_is_help": command.no_args_is_help,
        "usage": _usage(tree, path, command),
        "typer_only": None,
        "params": [],
    }
    params = [_param(p) for p in command.params]
    if None in params:
        entry["typer_only"] = "a parameter of a kind the fast path does not read"
    elif any(g.callback is not None or getattr(g, "chain", False) for g in parents):
        entry["typer_only"] = "a group with a callback of its own"
    elif command.allow_extra_args or command.ignore_unknown_options:
        entry["typer_only"] = "extra arguments"
    elif not command.allow_interspersed_args:
        entry["typer_only"] = "options only before arguments"
    if entry["typer_only"]:
        return entry
    absent = typer_kwargs(tree, path, _probe(tree, path, command))
    for param in params:
        assert param is not None
        param["absent"] = None if param["required"] else _encoded(absent[param["name"]])
        entry["params"].append(param)
    return entry


def generate() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The command table, from the Typer application as it is now."""
    from reseau_cli.cli import command_tree

    tree = command_tree()
    commands, groups = [], []
    for path, command in leaves(tree):
        parents = []
        node = tree
        for name in path[:-1]:
            node = node.commands[name]
            parents.append(node)
        if hasattr(command, "commands"):
            groups.append(list(path))
        else:
            commands.append(_command(tree, path, command, parents))
    root = next(p for p in tree.params if p.name == "repo")
    folder = fast.TABLE.parent
    head = {
        "about": "Generated by scripts/clispec.py (make clispec) from the Typer application.",
        "sizes": {p.name: p.stat().st_size for p in sorted(folder.glob("*.py"))},
        "root": _param(root),
        "groups": groups,
        "commands": [c["path"] for c in commands],
    }
    return head, commands


def text() -> str:
    """The table: its head on the first line, then one line per command, `[PATH, {…}]`
    (the fast path reads the head and the line of the command that runs)."""
    head, commands = generate()
    lines = [head, *([command.pop("path"), command] for command in commands)]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when the table is stale")
    options = parser.parse_args()
    fresh = text()
    if options.check:
        if fast.TABLE.read_text(encoding="utf-8") != fresh:
            sys.exit(f"{fast.TABLE.relative_to(ROOT)} is stale: run `make clispec`")
        return
    fast.TABLE.write_text(fresh, encoding="utf-8")
    print(f"wrote {fast.TABLE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
