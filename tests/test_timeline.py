"""The plan's timeline: inline SVG in the HTML (and PDF) plan, parsed back as XML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ok
from example_repo import example_team
from reseau_cli.model.timeline import build

SVG = ""  # parse() drops the namespace: inline SVG in HTML has none
MARCEL = "p-m4rc3l"


def timeline_of(page: str) -> ET.Element:
    found = re.search(r'<svg class="timeline".*?</svg>', page, re.S)
    assert found is not None, "no timeline in the plan"
    return ET.fromstring(found.group())


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if cls in (g.get("class") or "").split()]


def x_of(group: ET.Element) -> float:
    shape = group.find(f"{SVG}line")
    assert shape is not None
    return float(shape.get("x1", "0"))


def test_marcels_plan_on_a_timeline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    example_team(tmp_path / "team", monkeypatch)  # today: 2026-11-28
    page = ok("render", "plan", MARCEL, "--format", "html").stdout
    assert "<h3>Calendrier des actions</h3>" in page
    root = timeline_of(page)
    bars = {g.get("data-action"): set((g.get("class") or "").split()) for g in groups(root, "bar")}
    # Every dated action not cancelled: the six of Marcel's plan.
    assert set(bars) == {"a-p3nd", "a-r3pa", "a-ins7", "a-k1ne", "a-4pa3", "a-m3n4"}
    assert [a for a, c in bars.items() if "overdue" in c] == ["a-4pa3"]  # due 15 Nov, planned
    assert "done" in bars["a-p3nd"]
    assert {a for a, c in bars.items() if "open-ended" in c} == {
        "a-r3pa",
        "a-ins7",
        "a-k1ne",
        "a-m3n4",
    }
    (late,) = groups(root, "overdue")
    assert "! en retard" in "".join(late.itertext())
    assert late.find(f"{SVG}rect[@class='late']") is not None
    markers = {
        (" ".join((g.get("class") or "").split()[1:]), g.get("data-date"))
        for g in groups(root, "marker")
    }
    assert markers == {
        ("today", "2026-11-28"),
        ("review", "2026-12-01"),
        ("concertation held", "2026-10-20"),
        ("concertation planned", "2026-12-03"),
    }
    x = {g.get("data-date"): x_of(g) for g in groups(root, "marker")}
    assert x["2026-10-20"] < x["2026-11-28"] < x["2026-12-01"] < x["2026-12-03"]
    titles = ["".join(t.itertext()) for t in root.iter(f"{SVG}title")]
    assert "réévaluation · 1er déc. 2026" in titles
    legend = "".join(groups(root, "legend")[0].itertext())
    assert "concertation prévue" in legend and "en retard" in legend


def test_english_plan_and_escaped_text(team: Path, marcel: str) -> None:
    ok("plan", "action", "add", marcel, "<script>alert(1)</script> & co", "--by", "person",
       "--start", "2026-11-01", "--due", "2026-11-20")  # fmt: skip
    page = ok("render", "plan", marcel, "--format", "html", "--lang", "en").stdout
    assert "<script>alert" not in page
    root = timeline_of(page)
    (bar,) = groups(root, "bar")
    assert "overdue" in (bar.get("class") or "")
    assert "".join(bar.find(f"{SVG}text").itertext()) == "<script>alert(1)</script> & co"  # type: ignore[union-attr]
    assert "Timeline of the actions" in page


def test_no_dated_action_no_timeline(team: Path, marcel: str) -> None:
    page = ok("render", "plan", marcel, "--format", "html").stdout
    assert 'class="timeline"' not in page


def test_model_dates() -> None:
    doc = {
        "plan": {
            "next_review": "2027-01-10",
            "actions": [
                {
                    "id": "a-1",
                    "text": "x",
                    "status": "done",
                    "created": "2026-10-01",
                    "closed": "2026-10-05",
                    "due": "2026-10-31",
                },
                {"id": "a-2", "text": "y", "status": "ongoing", "start": "2026-11-01"},
                {"id": "a-3", "text": "z", "status": "cancelled", "due": "2026-11-02"},
                {"id": "a-4", "text": "w", "status": "planned", "due": "2026-12-20"},
            ],
        },
        "concertations": [{"id": "c-1", "status": "cancelled", "date": "2026-10-10"}],
    }
    found = build(doc, today="2026-11-28")
    assert found is not None
    bars = {b.action: b for b in found.bars}
    assert set(bars) == {"a-1", "a-2", "a-4"}
    assert (bars["a-1"].start, bars["a-1"].end) == ("2026-10-01", "2026-10-05")
    assert (bars["a-2"].end, bars["a-2"].open_ended) == ("2026-11-28", True)
    assert (bars["a-4"].start, bars["a-4"].end, bars["a-4"].overdue) == (
        "2026-12-20",
        "2026-12-20",
        False,
    )
    assert [(m.kind, m.date) for m in found.markers] == [
        ("today", "2026-11-28"),
        ("review", "2027-01-10"),
    ]
    assert (found.first, found.last) == ("2026-10-01", "2027-01-10")
    assert build({"plan": {"actions": []}}, today="2026-11-28") is None
