"""The fast validator (fastjsonschema code, cached on disk) answers as jsonschema does.

jsonschema stays the reference: it describes every problem, and `check --strict` uses
it alone. The fast one decides only whether a document is valid, so the two must agree
on every document: the examples, the test corpus and thousands of generated ones.
"""

from __future__ import annotations

import copy
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import commits, invoke
from reseau_cli import fastschemas, schemas, store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted(
    p
    for folder in (ROOT / "examples", ROOT / "tests")
    for p in folder.rglob("*.yaml")
    if p.parent.name in ("persons", "intervenants") or p.name == "reseau.yaml"
)
KIND = {"persons": "person", "intervenants": "intervenant"}


def kind_of(path: Path) -> str:
    return KIND.get(path.parent.name, "settings")


def reference_valid(kind: str, doc: Any) -> bool:
    return bool(schemas._validator(kind).is_valid(doc))


def fast_valid(kind: str, doc: Any) -> bool:
    return fastschemas.is_valid(kind, schemas._schema_text(kind), doc)


def test_the_corpus_is_judged_alike() -> None:
    assert len(CORPUS) >= 10
    for path in CORPUS:
        doc = yaml.load(path.read_text(), Loader=store.Loader)
        assert fast_valid(kind_of(path), doc) == reference_valid(kind_of(path), doc), path


# Values that break one rule or another: empty, multi-line, control characters, dates
# that do not exist, wrong types, lengths, unknown keys.
ODD: list[Any] = [
    "",
    " ",
    "x",
    "two\nlines",
    "tab\there",
    "bell\x07",
    "\u2028",
    "1940-02-30",
    "2026-13-01",
    "1899-12-31",
    "2200-01-01",
    "2026-1-1",
    "2026-02-28",
    "25:00",
    "09:30",
    "no-at-sign",
    "a@b.c",
    "p-abc123",
    "UPPER-case",
    "x" * 300,
    "é" * 50,
    0,
    -1,
    1,
    2,
    15,
    100000,
    1.5,
    True,
    False,
    None,
    [],
    ["x"],
    [{}],
    {},
    {"unknown": 1},
    "active",
    "closed",
    "planned",
    "held",
    "professional",
    "carer",
]


def _paths(value: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [at]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*at, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found += _paths(item, (*at, i))
    return found


def _mutate(doc: Any, rng: random.Random) -> Any:
    doc = copy.deepcopy(doc)
    for _ in range(rng.choice((1, 1, 1, 2, 3))):
        paths = [p for p in _paths(doc) if p]
        if not paths:
            break
        where = rng.choice(paths)
        parent = doc
        for part in where[:-1]:
            parent = parent[part]
        last = where[-1]
        move = rng.random()
        if move < 0.55:
            parent[last] = copy.deepcopy(rng.choice(ODD))
        elif move < 0.75 and isinstance(parent, dict):
            del parent[last]
        elif move < 0.85 and isinstance(parent, dict):
            parent[rng.choice(("extra", "note", "id", "since", "until", "status"))] = rng.choice(
                ODD
            )
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        else:
            parent[last] = copy.deepcopy(rng.choice(ODD))
    return doc


@pytest.mark.parametrize("kind", ["person", "intervenant", "settings"])
def test_thousands_of_generated_documents_are_judged_alike(kind: str) -> None:
    seeds = [yaml.load(p.read_text(), Loader=store.Loader) for p in CORPUS if kind_of(p) == kind]
    rng = random.Random(f"reseau-{kind}")
    count = {"person": 1200, "intervenant": 600, "settings": 400}[kind]
    valid = 0
    for _ in range(count):
        doc = _mutate(rng.choice(seeds), rng)
        expected = reference_valid(kind, doc)
        assert fast_valid(kind, doc) == expected, doc
        valid += expected
    assert 0 < valid < count  # both answers were exercised


def test_keywords_beside_a_ref_are_applied() -> None:
    schema = {"$defs": {"line": {"type": "string"}}, "$ref": "#/$defs/line", "minLength": 1}
    rewritten = fastschemas.rewrite(schema)
    assert rewritten["allOf"] == [
        {"$ref": "#/$defs/line"},
        {"$defs": schema["$defs"], "minLength": 1},
    ]
    doc = yaml.load((ROOT / "examples/team/persons/p-m4rc3l.yaml").read_text(), Loader=store.Loader)
    doc["identity"]["family_name"] = ""
    assert not fast_valid("person", doc)
    [problem] = schemas.problems("person", doc, path="p.yaml")
    assert (problem.location, problem.message) == (
        "$.identity.family_name",
        "'' should be non-empty",
    )


def test_the_compiled_code_is_kept_on_disk_and_rebuilt_when_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fastschemas.validator.cache_clear()
    try:
        assert fast_valid("intervenant", {"format": 1, "id": "a-b", "name": "A", "kind": "carer"})
        [saved] = (tmp_path / "cache" / "reseau").glob("validator-intervenant-*.marshal")
        assert oct(saved.stat().st_mode & 0o777) == "0o600"
        saved.write_bytes(b"damaged")
        fastschemas.validator.cache_clear()
        assert not fast_valid("intervenant", {"format": 1, "id": "a-b", "name": ""})
        assert saved.read_bytes() != b"damaged"
    finally:
        fastschemas.validator.cache_clear()


def test_messages_name_file_line_and_json_path(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    text = path.read_text()
    line = text.splitlines().index("  birth_date: '1940-05-03'") + 1
    path.write_text(text.replace("'1940-05-03'", "'1940-02-30'"))
    expected = (
        f"persons/{marcel}.yaml: line {line} ($.identity.birth_date): '1940-02-30' is not a 'date'"
    )
    reports = []
    for strict in ([], ["--strict"]):
        done = invoke("check", *strict)
        assert done.exit_code == 1
        assert expected in done.stdout.splitlines()
        reports.append(done.stdout)
    assert reports[0] == reports[1]


def test_a_write_imports_neither_gitpython_nor_jsonschema(team: Path, marcel: str) -> None:
    code = (
        "import sys\nfrom reseau_cli.cli import app\n"
        "try:\n    app(['plan', 'action', 'add', sys.argv[1], 'Call the GP', '--by', 'person'])\n"
        "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "print(sorted(m for m in ('git', 'jsonschema') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code, marcel], capture_output=True, text=True)
    assert done.stdout.splitlines()[-1] == "[]", done.stderr
    assert commits(team)[0].startswith(f"{marcel}: add action")


def test_texts_found_valid_are_remembered_and_only_those() -> None:
    """The functions checking one text (ids, dates, lines) remember the short texts
    they found valid: a text found invalid, or a value of another type, is judged
    again every time, and alike."""
    source = fastschemas._standalone(
        __import__("fastjsonschema").compile_to_code(
            fastschemas.rewrite(__import__("json").loads(schemas._schema_text("person"))),
            formats=fastschemas.FORMATS,
            use_default=False,
        )
    )
    code = compile(source, "<validator person>", "exec")
    leaves = {name.rpartition("___defs_")[2] for name in fastschemas._leaves(code)}
    assert {"id", "date", "line", "multiline"} <= leaves
    assert not leaves & {"membership", "action", "concertation"}  # objects: never
    doc = yaml.load((ROOT / "examples/team/persons/p-m4rc3l.yaml").read_text(), Loader=store.Loader)
    assert fast_valid("person", doc)
    for field, bad in (("opened", "2026-02-30"), ("opened", 20260101), ("id", "P-M4RC3L")):
        for _ in range(2):  # the valid value remembered does not make the bad one pass
            other = copy.deepcopy(doc)
            other[field] = bad
            assert not fast_valid("person", other) and not reference_valid("person", other)
            assert fast_valid("person", doc)
