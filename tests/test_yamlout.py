"""The YAML writer that spares a write PyYAML's import (``yamlout``) writes exactly the
bytes PyYAML writes, or declines: on every YAML document of the repository (examples,
test data) and on thousands of generated documents full of hostile strings."""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import pytest

from reseau_cli import store, yamlout

TOP = Path(__file__).resolve().parents[1]
# Strings and characters where libyaml chooses a style, quotes, escapes or folds.
PIECES = [
    *"abcdeé " * 6,
    *" '\":#-?,[]{}&*!|>%@`\n\t~=<.+0123456789yYnNtTfFoO\\/",
    *["\u2028", "\u2029", "\x85", "\xa0", "\ufeff", "\U0001f600", "…", "\r", "\x7f", "\x00"],
    *["\x1b[31m", "\u202e", "\ud7ff", "\ue000", "\ufffd", "\ufffe", "  ", "---", "...", "- "],
    *["yes", "No", "on", "OFF", "null", "~", "2026-11-28", "2026-11-28 10:00:00", "0x1F"],
    *["0o17", "1_000", ".5", "1e3", "+12", "-0", "12:30", " #", ": ", "<<", "=", ".inf"],
]


def _examples() -> list[Path]:
    found = [p for folder in ("examples", "tests") for p in (TOP / folder).rglob("*.yaml")]
    return sorted(p for p in found if p.is_file())


def _same_or_declined(doc: Any) -> bool:
    """Whether ``yamlout`` declined ``doc``; fails if it wrote other bytes than PyYAML."""
    mine = yamlout.dump(doc)
    if mine is not None:
        assert mine == store.dump_by_pyyaml(doc), doc
    return mine is None


def test_every_example_document_is_written_as_pyyaml_writes_it() -> None:
    paths = _examples()
    assert len(paths) > 30
    declined = []
    for path in paths:
        try:
            doc = store.parse(path.read_text(encoding="utf-8"), path=str(path))
        except Exception:  # noqa: BLE001 - hostile test data that is not YAML at all
            continue
        if _same_or_declined(doc) and isinstance(doc, dict) and doc:
            declined.append(path)
        # Written again, a document reads back the same.
        text = store.dump(doc)
        assert store.parse(text, path="again") == doc
    # The writer is for the documents reseau writes: it declines few of them.
    assert len(declined) < len(paths) // 10, declined


def test_documents_of_the_benchmarks_generator(tmp_path: Path) -> None:
    """Realistic persons (long situations folded at the width, dates, lists of mappings):
    all written without PyYAML, byte for byte."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_for_yamlout", TOP / "bench/bench.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = bench  # its dataclasses look themselves up there
    try:
        spec.loader.exec_module(bench)
    finally:
        del sys.modules[spec.name]
    bench.generate(tmp_path, 60, seed=3)
    paths = sorted(tmp_path.glob("*/*.yaml"))
    assert len(paths) == 360
    for path in paths:
        text = path.read_text(encoding="utf-8")
        doc = store.parse(text, path=str(path))
        assert yamlout.dump(doc) == text == store.dump_by_pyyaml(doc)


class _Strings:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def text(self) -> str:
        rng = self.rng
        length = rng.choice([0, 1, 2, 3, 5, 8, 20, 60, 95, 99, 100, 101, 102, 110, 150, 250])
        return "".join(rng.choice(PIECES) for _ in range(length))

    def words(self) -> str:
        rng = self.rng
        words = (
            "".join(rng.choice("abcdefghé'-:#") for _ in range(rng.randint(1, 14)))
            for _ in range(rng.randint(1, 60))
        )
        return rng.choice([" ", "  ", " "]).join(words)

    def value(self) -> Any:
        rng = self.rng
        roll = rng.random()
        if roll < 0.4:
            return self.text()
        if roll < 0.65:
            return self.words()
        if roll < 0.75:
            return rng.choice([None, True, False, 0, -5, 12345678901234567, "", 1.5])
        if roll < 0.88:
            lines = self.words().replace(" ", "\n", rng.randint(0, 6))
            return rng.choice(["", " ", "\n", "\n\n"]) + lines + rng.choice(["", "\n", "\n\n", " "])
        return rng.choice([{}, [], [[]], {"a": {}}, [{}]])


@pytest.mark.parametrize("seed", range(4))
def test_generated_documents_with_hostile_strings(seed: int) -> None:
    strings = _Strings(seed)
    rng = strings.rng
    written = 0
    for number in range(2000):
        spot = rng.randint(0, 6)
        values = [strings.value() if spot == i or number % 4 == 0 else "mot" for i in range(7)]
        key = rng.choice(["a", "situation", "a_rather_long_key_for_the_width", "deplacements-x"])
        doc = {
            "format": 1,
            key: values[0],
            "nested": {"inner": values[1], "deeper": {"x": values[2]}},
            "items": [values[3], {"k": values[4], "l": [values[5], "x"], "m": {"n": values[6]}}],
        }
        written += not _same_or_declined(doc)
    # Most documents with one hostile string are still written without PyYAML.
    assert written > 500


@pytest.mark.parametrize(
    "key", ["", "on", "No", "null", "-x", "a b", "é", "x" * 200, 3, None, "2026-11-28"]
)
def test_keys_it_does_not_know_are_left_to_pyyaml(key: object) -> None:
    assert yamlout.dump({key: "x"}) is None
    assert yamlout.dump({"a": [{"b": {key: 1}}]}) is None


@pytest.mark.parametrize("doc", [[], {}, "text", None, {"a": 1.5}, {"a": [[1]]}, {"a": (1,)}])
def test_what_it_does_not_write_is_left_to_pyyaml(doc: Any) -> None:
    assert yamlout.dump(doc) is None


def test_a_list_or_mapping_met_twice_is_left_to_pyyaml() -> None:
    """PyYAML writes the second with an anchor and an alias."""
    from collections import OrderedDict

    shared: list[Any] = []
    mapping = {"x": 1}
    for doc in (
        {"a": shared, "b": shared},
        {"a": [mapping, mapping]},
        {"a": {"b": mapping}, "c": mapping},
    ):
        assert "*id001" in store.dump_by_pyyaml(doc)
        assert yamlout.dump(doc) is None
        assert store.dump(doc) == store.dump_by_pyyaml(doc)
    assert yamlout.dump({"a": OrderedDict(x=1)}) is None
    assert yamlout.dump({"a": [], "b": []}) == "a: []\nb: []\n"


def test_dates_and_times_of_day_are_quoted_as_pyyaml_quotes_them() -> None:
    """Told without the resolvers' patterns (``_reads_as_text``): every time of day
    from 00:00 to 99:99, and dates whose parts are anything from 0 to 99."""
    times = [f"{h:02d}:{m:02d}" for h in range(100) for m in range(100)]
    dates = [
        f"{y}-{m:02d}-{d:02d}"
        for y in ("0000", "1940", "2026")
        for m in range(100)
        for d in (0, 1, 9, 10, 31, 32, 99)
    ]
    for value in [*times, *dates, "2026-11-2x", "1:30", "12:3", "2026-1-28"]:
        assert not _same_or_declined({"at": value, "list": [value]}), value
