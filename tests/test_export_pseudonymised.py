"""`reseau export pseudonymised`: no identifying value of the source in any output file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import invoke, ok
from example_repo import example_team
from reseau_cli import store

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"


def _enums() -> set[str]:
    """Every value a schema enumerates (status, domain, kind…): not identifying."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            found.update(v for v in node.get("enum", []) if isinstance(v, str))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in SCHEMAS.glob("*.json"):
        walk(json.loads(path.read_text()))
    return found


def _leaves(node: Any) -> set[str]:
    """Every scalar value of a document, as text, with its keys (ids, names, dates…)."""
    if isinstance(node, dict):
        return set().union(*(_leaves(v) for v in node.values()), set())
    if isinstance(node, list):
        return set().union(*(_leaves(v) for v in node), set())
    if isinstance(node, str):
        return {node}
    return set()


def test_no_identifying_value_survives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = example_team(tmp_path / "team", monkeypatch)
    out = tmp_path / "export"
    result = ok("export", "pseudonymised", "-o", str(out))
    assert "Exported 15 person(s)" in result.stderr
    sources = [*root.glob("persons/*.yaml"), *root.glob("intervenants/*.yaml")]
    values: set[str] = set()
    for path in sources:
        values |= _leaves(yaml.load(path.read_text(), Loader=store.Loader))
    # Values that identify nobody: enumerations, and the file format's own words.
    values -= _enums() | {"person"}  # `by: person`: the person themself, a keyword
    values = {v for v in values if len(v) >= 3}
    assert any("Boukhari" in v for v in values) and "2002-04-17" in values
    outputs = [p for p in out.rglob("*") if p.is_file()]
    assert len(outputs) > 15
    text = "\n".join(p.read_text() for p in outputs)
    names = "\n".join(p.name for p in outputs)
    leaked = sorted(v for v in values if v in text or v in names)
    assert not leaked, leaked[:10]
    # Birth dates become age bands; ids become stable pseudonyms.
    docs = [yaml.safe_load(p.read_text()) for p in out.glob("persons/*.yaml")]
    assert {d["age_band"] for d in docs if "age_band" in d} >= {"20-29"}
    again = tmp_path / "again"
    ok("export", "pseudonymised", "-o", str(again))
    assert sorted(p.name for p in again.rglob("*.yaml")) == sorted(
        p.name for p in out.rglob("*.yaml")
    )


def test_export_refuses_a_folder_in_use(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = example_team(tmp_path / "team", monkeypatch)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("x")
    result = invoke("export", "pseudonymised", "-o", str(busy))
    assert result.exit_code == 1 and "not an empty folder" in result.stderr
    result = invoke("export", "pseudonymised", "-o", str(root / "out"))
    assert result.exit_code == 1 and "outside the data repository" in result.stderr
