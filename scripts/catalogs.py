"""Keep the message catalogs in step with the code: one command for contributors.

    python scripts/catalogs.py          # extract, update every .po, compile every .mo
    python scripts/catalogs.py --check  # fail (exit 1) when a .po is stale or a placeholder wrong

Messages are extracted as ``babel.cfg`` says (Python ``_``/``ngettext``/``gettext_in``/``N_``,
Jinja ``{% trans %}``/``_``/``pgettext``) into an in-memory template, with the help of the
commands (``help=`` texts in ``src/reseau_cli/cli/`` and the docstrings of commands
without one, which Typer shows as their help and ``cli/readable.py`` translates); each
``src/reseau_cli/locale/<lang>/LC_MESSAGES/reseau.po`` is updated from it (new messages
empty, vanished ones dropped, sorted, without line numbers so that two branches adding
messages rarely conflict) and compiled to ``reseau.mo`` beside it. Only the ``.po`` files
are in git: the ``.mo`` files are build products (the wheel's build hook compiles them;
a source checkout compiles a ``.po`` newer than its ``.mo`` in memory). A translation
whose placeholders are not its message's is reported as file:line.
Dates in the headers are fixed so that running it twice changes nothing.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import inspect
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
from reseau_cli.catalog import CatalogError, compile_text  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "reseau_cli" / "locale"
DOMAIN = "reseau"
LANGUAGES = ("fr", "nl")
KEYWORDS = {
    "_": None,
    "N_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "gettext_in": (2,),
}
FIXED_DATE = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
WIDTH = 100


def extract() -> Catalog:
    """Every message of the code and templates, with where it comes from."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    template = Catalog(project="reseau", domain=DOMAIN, creation_date=FIXED_DATE)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        template.add(
            message,
            None,
            [(filename, lineno)],
            auto_comments=comments,
            context=context,
        )
    for filename, lineno, message in help_texts():
        template.add(message, None, [(filename, lineno)])
    return template


HELP_KEYWORDS = ("help", "short_help", "epilog")
COMMAND_DECORATORS = ("command", "callback")


def help_texts() -> Iterator[tuple[str, int, str]]:
    """The help texts of the commands, as Typer shows them (``inspect.cleandoc``): every
    ``help=``, ``short_help=`` and ``epilog=`` string of ``src/reseau_cli/cli/``, and the
    docstring of each command or callback that has no ``help=``."""
    for path in sorted((ROOT / "src" / "reseau_cli" / "cli").glob("*.py")):
        filename = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        registered = _registered(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name in registered:
                docstring = ast.get_docstring(node, clean=True)
                if docstring:
                    yield filename, node.body[0].lineno, docstring
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    value = keyword.value
                    text = value.value if isinstance(value, ast.Constant) else None
                    if keyword.arg in HELP_KEYWORDS and isinstance(text, str) and text.strip():
                        yield filename, value.lineno, inspect.cleandoc(text)
            elif isinstance(node, ast.FunctionDef) and _is_command(node):
                docstring = ast.get_docstring(node, clean=True)
                if docstring:
                    yield filename, node.body[0].lineno, docstring


def _registered(tree: ast.Module) -> set[str]:
    """The functions made commands by a call, ``app.command("status")(status)``."""
    return {
        node.args[0].id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Call)
        and isinstance(node.func.func, ast.Attribute)
        and node.func.func.attr in COMMAND_DECORATORS
        and not any(k.arg == "help" for k in node.func.keywords)
        and node.args
        and isinstance(node.args[0], ast.Name)
    }


def _is_command(node: ast.FunctionDef) -> bool:
    """A function decorated as a command or callback whose help is its docstring."""
    for decorator in node.decorator_list:
        call = decorator if isinstance(decorator, ast.Call) else None
        func = call.func if call else decorator
        own_help = call is not None and any(k.arg == "help" for k in call.keywords)
        if isinstance(func, ast.Attribute) and func.attr in COMMAND_DECORATORS and not own_help:
            return True  # (a function may be two commands, one with its own help)
    return False


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def updated(lang: str, template: Catalog) -> Catalog:
    """LANG's catalog with the messages of TEMPLATE (translations kept)."""
    path = po_path(lang)
    if path.is_file():
        with path.open("rb") as f:
            catalog = read_po(f, locale=lang, domain=DOMAIN)
    else:
        catalog = Catalog(locale=lang, domain=DOMAIN, project="reseau")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    catalog.creation_date = FIXED_DATE
    catalog.revision_date = FIXED_DATE
    catalog.fuzzy = False
    return catalog


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, sort_output=True, include_lineno=False)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="fail when a catalog is stale")
    args = parser.parse_args(argv)
    template = extract()
    stale: list[str] = []
    errors: list[str] = []
    for lang in LANGUAGES:
        catalog = updated(lang, template)
        po = po_bytes(catalog)
        path = po_path(lang)
        try:  # line numbers in errors are those of the file as written
            mo = compile_text(po.decode("utf-8"), str(path.relative_to(ROOT)))
        except CatalogError as exc:
            errors.append(str(exc))
            mo = None
        current = path.read_bytes() if path.is_file() else None
        if current != po:
            if args.check:
                stale.append(str(path.relative_to(ROOT)))
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(po)
                print(f"wrote {path.relative_to(ROOT)}")
        if mo is not None and not args.check:
            path.with_suffix(".mo").write_bytes(mo)
    for line in errors:
        print(f"error: {line}", file=sys.stderr)
    if stale:
        print(
            "error: message catalogs are stale: " + ", ".join(stale) + "; run `make catalogs`",
            file=sys.stderr,
        )
    return 1 if stale or errors else 0


if __name__ == "__main__":
    sys.exit(main())
