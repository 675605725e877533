"""The fast path (cli/fast.py) gives every command exactly the arguments Typer gives it,
or leaves the command line to Typer: checked on every command of the tree with many
command lines each, parsed both ways (Click's parser and Typer's conversion, captured
where Typer calls the function). And its table is the one generated from Typer."""

from __future__ import annotations

import importlib.util
import itertools
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import invoke, ok
from reseau_cli.cli import fast

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("clispec", ROOT / "scripts" / "clispec.py")
assert _spec and _spec.loader
clispec = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(clispec)


@pytest.fixture(scope="module")
def tree() -> Any:
    from reseau_cli.cli import command_tree

    return command_tree()


def test_the_committed_table_is_the_one_generated_from_typer() -> None:
    assert fast.TABLE.read_text(encoding="utf-8") == clispec.text(), "run `make clispec`"


def test_a_table_older_than_the_code_leaves_every_command_to_typer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert fast.parse(["status"]) is not None
    table = fast.table()
    assert table is not None
    sizes = dict(table["sizes"])
    sizes["person.py"] += 1
    monkeypatch.setitem(table, "sizes", sizes)
    assert fast.parse(["status"]) is None


def _value(param: dict[str, Any], n: int) -> str:
    kind = param["type"]["kind"]
    if kind in ("int", "float"):
        low = param["type"].get("min")
        return str((low or 0) + n + 1)
    if kind == "path":
        return f"no/such/{param['name']}-{n}"
    return ["some text", "-dash", "", "a=b", "ünï cödé"][n % 5]


def _lines(command: dict[str, Any]) -> Iterator[list[str]]:
    """Command lines for COMMAND: each option alone in each form, flags both ways,
    multiple values, everything at once before and after the arguments, `--`."""
    params = command["params"]
    arguments = [p for p in params if p["kind"] == "argument"]
    options = [p for p in params if p["kind"] == "option"]
    required = [o for o in options if o["required"]]
    base_args = [f"ARG{i}" for i, p in enumerate(arguments) if p["nargs"] == 1]
    base_opts = list(itertools.chain.from_iterable([o["opts"][-1], "req"] for o in required))
    yield [*base_args, *base_opts]
    yield [*base_opts, *base_args]
    every: list[str] = []
    for n, option in enumerate(o for o in options if not o["required"]):
        for name in option["opts"]:
            if option["flag"]:
                forms = [[name], *([[s] for s in option["secondary"]])]
            elif name.startswith("--"):
                forms = [[name, _value(option, n)], [f"{name}={_value(option, n + 1)}"]]
            else:
                forms = [[name, _value(option, n)]]
            for form in forms:
                yield [*base_args, *base_opts, *form]
                yield [*form, *base_opts, *base_args]
                if len(base_args) > 1:
                    yield [base_args[0], *form, *base_opts, *base_args[1:]]
        if option["multiple"]:
            name = option["opts"][-1]
            yield [*base_args, *base_opts, name, "one", name, "two"]
        elif not option["flag"]:
            name = option["opts"][-1]
            yield [*base_args, *base_opts, name, _value(option, 1), name, _value(option, 2)]
        every += [option["opts"][0]] if option["flag"] else [option["opts"][0], _value(option, n)]
    yield [*base_opts, *every, *base_args]
    yield [*base_args, *base_opts, *every]
    if arguments:
        dashed = [f"-arg{i}" for i in range(len(base_args))]
        yield [*base_opts, "--", *dashed]
        if any(p["nargs"] == -1 for p in arguments):
            yield [*base_args, *base_opts, "one", "two"]
            yield [*base_args, *base_opts, "--", "-one", "--two"]


def _refused(command: dict[str, Any]) -> Iterator[list[str]]:
    """Command lines Typer refuses or treats apart: the fast path must decline them."""
    params = command["params"]
    base_args = [f"ARG{i}" for i, p in enumerate(params) if p["kind"] == "argument"]
    base_opts = list(
        itertools.chain.from_iterable(
            [o["opts"][-1], "req"] for o in params if o["kind"] == "option" and o["required"]
        )
    )
    yield [*base_args, *base_opts, "--no-such-option"]
    yield [*base_args, *base_opts, "--help"]
    yield [*base_args, "-h", *base_opts]
    yield [*base_args, *base_opts, "extra", "arguments", "here", "and", "more"]
    for option in params:
        if option["kind"] != "option":
            continue
        if option["flag"]:
            yield [*base_args, *base_opts, f"{option['opts'][-1]}=1"]
        else:
            yield [*base_args, *base_opts, option["opts"][-1]]  # no value
            kind = option["type"]
            if kind["kind"] in ("int", "float"):
                yield [*base_args, *base_opts, option["opts"][-1], "many"]
            if kind["kind"] == "path" and not (kind["file_okay"] and kind["dir_okay"]):
                wrong = __file__ if not kind["file_okay"] else str(ROOT)
                yield [*base_args, *base_opts, option["opts"][-1], wrong]
        if option["required"]:
            yield [*base_args]


def _commands() -> list[dict[str, Any]]:
    table = fast.table()
    assert table is not None
    return [{"path": list(p), **fast._command(table, p)} for p in sorted(table["commands"])]


def _typer(tree: Any, path: tuple[str, ...], args: list[str]) -> dict[str, Any] | None:
    """What Typer passes the function, or None when Click refuses ARGS."""
    from typer._click.exceptions import ClickException
    from typer.exceptions import Exit

    try:
        return clispec.typer_kwargs(tree, path, args)
    except (ClickException, Exit):
        return None


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c["path"]))
def test_the_fast_path_passes_what_typer_passes(tree: Any, command: dict[str, Any]) -> None:
    path = tuple(command["path"])
    lines = list(_lines(command))
    assert len(lines) >= 2
    for args in lines:
        expected = _typer(tree, path, args)
        plan = fast.parse([*path, *args])
        if expected is None:
            assert plan is None, args
            continue
        assert plan is not None, args
        expected.pop(command["context"], None)
        assert plan.kwargs == expected, args
        assert (plan.module, plan.function) == (command["module"], command["function"])
    for args in _refused(command):
        if _typer(tree, path, args) is None or "-h" in args or "--help" in args:
            assert fast.parse([*path, *args]) is None, args


def test_the_roots_options(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "team"
    folder.mkdir()
    for line in (["--repo", str(folder), "status"], [f"--repo={folder}", "status"]):
        plan = fast.parse(line)
        assert plan is not None and plan.repo == folder and plan.path == ("status",)
    a_file = tmp_path / "file"
    a_file.write_text("")
    declined = [
        ["--repo", str(a_file), "status"],  # Typer: a directory, not a file
        ["--version"],
        ["--repo"],
        ["--install-completion"],
        ["--", "status"],
        [],
        ["person"],  # a group alone: its help
        ["plan", "action"],
        ["no-such-command"],
        ["person", "no-such-command"],
        ["person show", "p-x"],
    ]
    for line in declined:
        assert fast.parse(line) is None, line
    monkeypatch.setenv("_RESEAU_COMPLETE", "bash_complete")
    assert fast.parse(["status"]) is None


def test_the_context_has_only_what_commands_use() -> None:
    context = fast.FastContext(object(), "reseau status", {})
    assert context.find_root() is context
    with pytest.raises(AttributeError):
        context.terminal_width  # noqa: B018


def test_typer_and_the_fast_path_say_the_same(team: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same output, same errors, same exit codes, by either path."""
    pid = ok("person", "add", "--family-name", "Peeters", "--given-name", "Léa").stdout.strip()
    lines = [
        ["person", "show", pid],
        ["person", "show", pid, "--json"],
        ["person", "show", "p-nope\x1b[31m"],
        ["status"],
        ["person", "list", "--all"],
        ["person", "list", "--json"],  # with a file left out (warned on both paths)
        ["intervenant", "add", pid],  # a command's own usage error
        ["plan", "action", "add", pid, "Call", "--by", "person", "--due", "never"],
    ]
    (team / "persons" / "p-broken.yaml").write_text("format: 1\nid: [broken\n")
    for line in lines:
        fast_result = invoke(*line)
        monkeypatch.setattr(fast, "ENABLED", False)
        typer_result = invoke(*line)
        monkeypatch.setattr(fast, "ENABLED", True)
        assert fast_result.exit_code == typer_result.exit_code, line
        assert fast_result.stderr == typer_result.stderr, line
        assert fast_result.stdout == typer_result.stdout, line
        assert "Traceback" not in fast_result.stderr
    assert "could not be read" in invoke("person", "list").stderr
    assert os.environ.get("RESEAU_DEBUG") is None


def test_bad_input_on_the_fast_path(team: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unknown id: one line, escaped, exit 1, no traceback (RESEAU_DEBUG=1 shows
    it); an argument that is not UTF-8 text is left to Typer, which refuses it."""
    from reseau_cli.errors import ReseauError

    line = ["person", "show", "p-\x1b[2Jnope"]
    assert fast.parse(line) is not None
    result = invoke(*line)
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "\x1b" not in result.stderr and "\\x1b" in result.stderr
    assert "Traceback" not in result.stderr
    undecodable = ["person", "show", "p-\udcff"]
    assert fast.parse(undecodable) is None
    result = invoke(*undecodable)
    assert result.exit_code == 2 and "not valid UTF-8" in result.stderr
    monkeypatch.setenv("RESEAU_DEBUG", "1")
    result = invoke(*line)
    assert isinstance(result.exception, ReseauError)
