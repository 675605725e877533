"""The package's layers, kept by a test: every import points down, and there is no cycle.

    cli/ → operations/ → documents/ → repo, change, cache → vcs/ → store, schemas → model/ → base

``model/`` holds pure functions on documents: it imports only the base modules (errors,
ids, dates, formats, text, resources). Imports made only for type checking
(``if TYPE_CHECKING:``) are not imports at run time and are not counted.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "reseau_cli"

BASE = {
    "reseau_cli",
    "errors",
    "ids",
    "dates",
    "formats",
    "text",
    "resources",
    "safety",
    "i18n",
    "catalog",
    "digest",
    "records",
    "lean",
}
LAYERS: list[set[str]] = [
    BASE,
    {"model"},
    {"store", "schemas", "crypto", "fastschemas", "yamlout"},
    {"vcs"},
    {"cache", "index", "repo", "change", "funding"},
    {"documents"},
    {"operations"},
    {"cli", "__main__"},
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _area(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _rank(module: str) -> int:
    area = _area(module)
    for rank, layer in enumerate(LAYERS):
        if area in layer:
            return rank
    raise AssertionError(
        f"{module} is in no layer: put it in the folder of its concern (cli/, operations/, "
        "documents/, model/, vcs/; see the README's Development map), or, for a small "
        "module every layer may use, add its name to BASE"
    )


def _type_checking_only(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, module: str) -> set[str]:
    """Every reseau_cli module ``path`` imports at run time (module level or lazily)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _type_checking_only(node):
            skip.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("reseau_cli"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if not base.startswith("reseau_cli"):
                continue
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                found.add(candidate if candidate in MODULES else base)
    return {m for m in found if m != module}


MODULES = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
GRAPH = {name: _imports(path, name) for name, path in MODULES.items()}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module: str) -> None:
    upward = sorted(i for i in GRAPH[module] if _rank(i) > _rank(module))
    assert not upward, f"{module} imports from a higher layer: {upward}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _area(m) == "model"))
def test_model_is_pure(module: str) -> None:
    allowed = BASE | {"model"}
    impure = sorted(i for i in GRAPH[module] if _area(i) not in allowed)
    assert not impure, f"{module} (pure model) imports {impure}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if _area(m) == "cli"))
def test_the_cli_reaches_files_and_git_only_through_operations(module: str) -> None:
    direct = sorted(
        i for i in GRAPH[module] if _area(i) in {"store", "vcs", "schemas", "change", "cache"}
    )
    assert not direct, f"{module} touches {direct} itself"


def test_no_import_cycle() -> None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH.get(node, ())):
            if nxt not in MODULES:
                continue
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt) :] + [nxt]
                raise AssertionError("import cycle: " + " → ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for module in sorted(MODULES):
        if module not in state:
            visit(module)


def test_the_layer_test_sees_imports() -> None:
    """The test itself can fail: a known downward import is found."""
    assert "reseau_cli.store" in GRAPH["reseau_cli.repo"]
    assert _rank("reseau_cli.cli.person") > _rank("reseau_cli.operations.person")
