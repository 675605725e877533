"""A cold load (a fresh clone: no index, no caches) reads and parses each file once,
builds the same documents PyYAML's own construction builds, and shows a progress bar
on stderr only when stderr is a terminal."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from reseau_cli import store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted(
    p
    for folder in (ROOT / "examples", ROOT / "tests")
    for p in folder.rglob("*.yaml")
    if p.parent.name in ("persons", "intervenants", "schemes") or p.name == "reseau.yaml"
)


class Reference(store.Loader):  # type: ignore[misc,name-defined]
    """reseau's loader with PyYAML's own construction and resolution (no shortcut)."""

    construct_document = yaml.constructor.BaseConstructor.construct_document
    resolve = yaml.resolver.BaseResolver.resolve


def outcome(text: str, loader: Any) -> str:
    """The document as ``repr`` shows it (so ``True`` and ``1`` differ), or the error."""
    try:
        return repr(yaml.load(text, Loader=loader))  # noqa: S506 - safe loaders
    except Exception as exc:  # the same error, of the same type, is expected
        return f"{type(exc).__name__}: {exc}"


ODD = [
    "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: y\ng: 'yes'\n",
    "a: 0x1f\nb: 0o17\nc: 017\nd: 1_000\ne: -5\nf: +3\ng: 190:20:30\nh: 0b101\n",
    "a: 1.5\nb: .inf\nc: -.Inf\nd: .nan\ne: 1e3\nf: 6.8523015e+5\ng: 1_0.5\n",
    "a: ~\nb: null\nc:\nd: Null\ne: ''\nf: 'null'\n",
    "a: 2026-11-28\nb: 2001-12-14t21:59:43.10-05:00\nc: '2026-11-28'\n",
    "a: !!str 12\nb: !!int '12'\nc: !!bool yes\nd: !!float 1\ne: !!null ''\n",
    "a: !!binary aGVsbG8=\nb: !!set {x, y}\nc: !!omap [x: 1]\nd: !!pairs [x: 1]\n",
    "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",
    "=: 1\n",
    "? [a, b]\n: 1\n",
    "? {a: 1}\n: 2\n",
    "1: a\n2.5: b\nnull: c\ntrue: d\n2026-01-01: e\n",
    "a: 1\na: 2\nb: 3\n",
    'a: |\n  two\n  lines\nb: >\n  folded\n  text\nc: "q\\u00e9"\n',
    "a: " + "9" * 30 + "\n",
    "a: !!bool maybe\n",
    "a: !!int abc\n",
    "a: !foo bar\n",
    "a: &x [1, 2]\nb: *x\n",
    "",
    "# only a comment\n",
    "[1, [2, [3, {a: [4]}]]]\n",
    "- a\n- - b\n  - c\n- {}\n- []\n",
    "just text\n",
    "a: [1, 2\n",
    "x: {a: 1, b: [x, y]}\n" * 2,
    "!!map {a: 1}\n",
    "!!seq [1]\n",
    "!!str [1]\n",
    "a: !!null [1]\n",
    "a: !!timestamp 2026-01-01\n",
]


@pytest.mark.parametrize("text", ODD)
def test_odd_yaml_is_built_as_pyyaml_builds_it(text: str) -> None:
    assert outcome(text, store.Loader) == outcome(text, Reference)


def test_every_file_of_the_corpus_is_built_as_pyyaml_builds_it() -> None:
    assert len(CORPUS) >= 10
    for path in CORPUS:
        text = path.read_text(encoding="utf-8")
        quick = outcome(text, store.Loader)
        assert quick == outcome(text, Reference), path
        assert not quick.startswith(("ConstructorError", "KeyError")), path


def test_the_quick_construction_is_the_one_in_use() -> None:
    assert store.Loader.construct_document is not Reference.construct_document
    assert store.Loader.resolve is not Reference.resolve
