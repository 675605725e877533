"""Packaging and start-up: what ships in the wheel, what `--help` costs, every command documented."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ok

ROOT = Path(__file__).resolve().parent.parent
HEAVY = (
    "git",
    "jinja2",
    "jsonschema",
    "rich",
    "weasyprint",
    "icalendar",
    "babel",
    "fhir.resources",
    "pydantic",
    "graphviz",
)


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from reseau_cli.cli import app\n"
        "try:\n    app(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stdout


def test_import_time_of_cli_package() -> None:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import reseau_cli.cli"],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = {line.split("|")[-1].strip().split(".")[0] for line in out.stderr.splitlines()}
    assert not loaded & set(HEAVY), loaded & set(HEAVY)


COMMAND_MODULES = sorted(
    {p.stem for p in (ROOT / "src/reseau_cli/cli").glob("*.py")}
    - {"__init__", "args", "complete", "context", "output", "readable", "show", "editor"}
    - {"fast", "guard", "registry", "root", "toplevel"}
)


def test_every_command_module_is_listed_and_its_help_line_is_its_own() -> None:
    """`reseau --help` prints the lines of COMMANDS without importing any command module:
    each must be what the command's own help says, and every module of cli/ that
    defines commands must be there."""
    from reseau_cli.cli import COMMANDS, HIDDEN, command_tree
    from reseau_cli.cli.readable import WIDTH, summary

    defining = {
        name
        for name in COMMAND_MODULES
        if "= Group(" in (text := (ROOT / f"src/reseau_cli/cli/{name}.py").read_text())
        or "def register(" in text
    }
    assert defining == {module for module, _ in COMMANDS.values()}
    group = command_tree()
    limit = WIDTH - 6 - max(len(name) for name in COMMANDS if name not in HIDDEN)
    for name, (_, line) in COMMANDS.items():
        command = group.commands[name]
        assert command.hidden == (name in HIDDEN), name
        if name not in HIDDEN:
            assert line == summary(command.help, limit), name


@pytest.mark.parametrize(
    "command",
    [
        ["--help"],
        ["person", "show", "--help"],
        ["status", "--help"],
        ["find", "--help"],
        ["check", "--help"],
        ["plan", "--help"],
        ["concertation", "--help"],
        ["intervenant", "--help"],
        ["coordinator", "--help"],
        ["render", "--help"],
        ["hooks", "--help"],
        ["sync", "--help"],
    ],
    ids=" ".join,
)
def test_a_command_imports_only_its_own_module(command: list[str]) -> None:
    code = (
        "import sys\n"
        "from reseau_cli.cli import app\n"
        f"try:\n    app({command!r})\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('reseau_cli.cli.')))\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    modules, heavy = out.stdout.strip().splitlines()[-2:]
    from reseau_cli.cli import COMMANDS

    mine = {f"reseau_cli.cli.{COMMANDS[command[0]][0]}"} if command[0] in COMMANDS else set()
    loaded = {m for m in eval(modules) if m.rsplit(".", 1)[1] in COMMAND_MODULES}  # noqa: S307
    assert loaded == mine
    assert heavy == "[]", heavy


def test_version_option() -> None:
    from reseau_cli import __version__

    assert ok("--version").stdout.strip() == f"reseau {__version__}"


def _commands(app, prefix=()):  # type: ignore[no-untyped-def]
    from reseau_cli.cli import command_tree

    group = command_tree()

    def walk(cmd, path):  # type: ignore[no-untyped-def]
        sub = getattr(cmd, "commands", None)
        if sub:
            for name, child in sub.items():
                yield from walk(child, (*path, name))
        else:
            yield path, cmd

    yield from walk(group, prefix)


def test_every_command_has_help_and_is_in_the_readme() -> None:
    from reseau_cli.cli import app

    readme = (ROOT / "README.md").read_text()
    for path, cmd in _commands(app):
        if getattr(cmd, "hidden", False):
            continue
        assert (cmd.help or "").strip(), f"{' '.join(path)} has no help"
        assert f"reseau {' '.join(path)}" in readme, (
            f"`reseau {' '.join(path)}` is not in README.md"
        )


def test_positional_arguments_are_shown_in_upper_case() -> None:
    """`reseau intervenant end PERSON INTERVENANT`, as in the command contract."""
    from reseau_cli.cli import app

    for path, _ in _commands(app):
        usage = ok(*path, "-h").stdout.splitlines()[0]
        words = usage.split("[OPTIONS]", 1)[1].split()
        names = [w.strip("{}[].") for w in words]
        assert all(n.isupper() for n in names), usage
    assert ok("intervenant", "end", "-h").stdout.startswith(
        "Usage: reseau intervenant end [OPTIONS] PERSON INTERVENANT\n"
    )


def test_update_kind_help_has_no_default() -> None:
    """`intervenant update` changes an entry: there is no default kind to speak of."""
    update = " ".join(ok("intervenant", "update", "-h").stdout.split())
    assert "--kind TEXT professional, carer, volunteer or service." in update
    assert "default" not in update
    add = " ".join(ok("intervenant", "add", "-h").stdout.split())
    assert "professional, carer, volunteer or service (default: professional)" in add


@pytest.mark.slow
def test_wheel_ships_schemas_and_templates(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("reseau_cli-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for schema in ("person", "intervenant", "settings", "scheme"):
        assert f"reseau_cli/schemas/{schema}.schema.json" in names
    assert "reseau_cli/templates/plan.html.j2" in names  # one set, translated by catalogs
    assert not any(
        n.startswith(("reseau_cli/templates/fr/", "reseau_cli/templates/en/")) for n in names
    )
    from reseau_cli.catalog import compile_text

    for lang in ("fr", "nl"):
        # the catalogs compiled by the build hook from the .po files git keeps
        mo = f"reseau_cli/locale/{lang}/LC_MESSAGES/reseau.mo"
        po = (ROOT / "src" / mo).with_suffix(".po")
        assert zipfile.ZipFile(wheel).read(mo) == compile_text(po.read_text("utf-8"))
    assert "reseau_cli/schemes/be-inami-sisd.yaml" in names  # the example funding schemes
    assert "reseau_cli/cli/__init__.py" in names
    assert "reseau_cli/cli/commands.jsonl" in names  # the fast path's command table
    entry = (
        zipfile.ZipFile(wheel)
        .read(next(n for n in names if n.endswith("entry_points.txt")))
        .decode()
    )
    assert "reseau = reseau_cli.cli:console" in entry


def test_the_fast_paths_command_table_is_fresh() -> None:
    """cli/commands.jsonl is what `make clispec` writes from the commands as they are: a
    change to any file of cli/ needs `make clispec` (until then every command runs by
    Typer, slower)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "clispec.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
