"""``records``: the classes declared like dataclasses behave as dataclasses did (reseau
builds them without importing ``dataclasses``, see tests/test_startup.py)."""

from __future__ import annotations

import pytest

from reseau_cli.records import FrozenInstanceError, as_dict, field, frozen, record, replace


@frozen
class Point:
    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list)
    note: str = field(default="", repr=False, compare=False)


@frozen
class Pair:
    a: int
    b: str


@record
class Counter:
    name: str
    seen: dict[str, int] = field(default_factory=dict, repr=False)
    ready: bool = False

    def __post_init__(self) -> None:
        self.ready = True


def test_a_frozen_record_is_a_frozen_dataclass() -> None:
    a = Point(1, tags=["a"], note="kept")
    assert (a.x, a.y, a.tags, a.note) == (1, 0, ["a"], "kept")
    assert repr(a) == "Point(x=1, y=0, tags=['a'])"
    assert a == Point(1, 0, ["a"], note="other")  # note is not compared
    assert a != Point(2, 0, ["a"])
    assert Point(1) == Point(1) and hash(Pair(1, "a")) == hash(Pair(1, "a"))
    assert {Pair(1, "a"), Pair(1, "a")} == {Pair(1, "a")}
    assert Point(1).tags is not Point(1).tags  # a fresh list each time
    with pytest.raises(FrozenInstanceError):
        a.x = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        Point()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Point(1, z=2)  # type: ignore[call-arg]


def test_a_mutable_record_runs_post_init_and_is_unhashable() -> None:
    c = Counter("a")
    assert c.ready and c.seen == {}
    c.seen["x"] = 1
    assert repr(c) == "Counter(name='a', ready=True)"
    with pytest.raises(TypeError):
        hash(c)


def test_replace_and_as_dict() -> None:
    a = Point(1, tags=["a"])
    b = replace(a, y=5)
    assert (b.x, b.y, b.tags) == (1, 5, ["a"]) and a.y == 0
    with pytest.raises(TypeError):
        replace(a, z=1)
    assert as_dict(b) == {"x": 1, "y": 5, "tags": ["a"], "note": ""}
    assert as_dict(b)["tags"] is not b.tags
