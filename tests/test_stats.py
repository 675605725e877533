"""`reseau stats`: the figures of a fixture worked out by hand, suppression, no leaks."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

import stats_case
from conftest import ok, refused
from reseau_cli.model.disclosure import Sheet

PERIOD = ("--from", "2026-01-01", "--to", "2026-06-30")


@pytest.fixture
def case(team: Path) -> Path:
    stats_case.build(team)
    ok("check")
    return team


def figures(*args: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(ok("stats", *PERIOD, "--format", "json", *args).stdout)
    return found


def values(doc: dict[str, Any], table: str) -> dict[str, Any]:
    return {key: f["value"] for key, f in doc["figures"][table].items()}


def test_figures_worked_out_by_hand(case: Path) -> None:
    doc = figures("--min-count", "1")  # nothing suppressed: every figure checked
    assert doc["period"] == {"from": "2026-01-01", "to": "2026-06-30"}
    # P1, P2 (closed 31 March), P3 (opened 1 April), P5 (closed 1 March, reopened 15 April);
    # P4 ended in 2025.
    assert values(doc, "persons") == {
        "followed": 4,
        "active_at_end": 3,
        "opened": 3,  # P1, P3, P5
        "reopened": 1,  # P5
        "closed": 2,  # P5 on 1 March, P2 on 31 March
    }
    assert values(doc, "coordination") == {
        "with_coordinator_at_end": 2,  # P1 (int-a), P5 (int-b)
        "without_coordinator_at_end": 1,  # P3
        # P1: 10–19 Jan (10 days); P3: 1 April–30 June (91); P5: 1–9 Feb (9). P2 was
        # coordinated until its closing day.
        "persons_with_rupture": 3,
        "rupture_days_total": 110,
        "rupture_days_median": 10,
        "designated_after_opening": 2,  # P1 after 10 days, P5 after 9
        "opened_without_coordinator": 1,  # P3
        "days_to_designation_median": 9.5,
    }
    # On 30 June: int-a follows P1, int-b follows P1 and P5, int-c follows P3.
    assert values(doc, "caseload") == {
        "intervenants": 3,
        "intervenants_median": 1,
        "intervenants_1": 2,
        "intervenants_2_to_4": 1,
        "intervenants_5_to_9": 0,
        "intervenants_10_or_more": 0,
        "coordinators": 2,
        "coordinators_median": 1,
        "coordinators_1": 2,
        "coordinators_2_to_4": 0,
        "coordinators_5_to_9": 0,
        "coordinators_10_or_more": 0,
    }
    assert values(doc, "concertations") == {
        "held": 3,  # the planned one of July is not counted
        "concertation": 1,
        "synthesis": 1,
        "coordination": 1,
        "person_present": 1,
        "person_absent": 1,
        "person_not_recorded": 1,
        "person_present_share": 33.3,
    }
    # Two held under the example scheme fr-dac-rapport, neither with the two professionals
    # present it asks for.
    assert values(doc, "schemes") == {"fr-dac-rapport.held": 2, "fr-dac-rapport.unmet": 2}
    assert values(doc, "actions") == {
        "done": 2,
        "done_on_time": 1,  # a-one111, done 1 March, due 15 March
        "done_late": 1,  # a-thr333, done 20 Feb, due 10 Feb
        "open_at_end": 2,  # a-two222, a-fou444
        "overdue_at_end": 1,  # a-two222, due 1 May
    }
    # Latest evaluation by 30 June: P1's (health unmet, housing partly met), P3's (health and
    # autonomy unmet); P5's is of July.
    assert values(doc, "needs") == {"evaluated": 2, "unmet.autonomy": 1, "unmet.health": 2}
    months = values(doc, "months")
    followed = [months[f"2026-0{m}.followed"] for m in range(1, 7)]
    opened = [months[f"2026-0{m}.opened"] for m in range(1, 7)]
    closed = [months[f"2026-0{m}.closed"] for m in range(1, 7)]
    assert followed == [2, 3, 3, 3, 3, 3]
    assert opened == [1, 1, 0, 2, 0, 0]
    assert closed == [0, 0, 2, 0, 0, 0]


def test_small_counts_suppressed_and_nothing_identifying_in_any_format(case: Path) -> None:
    outputs = {
        fmt: ok("stats", *PERIOD, "--format", fmt).stdout for fmt in ("md", "html", "json", "csv")
    }
    for fmt, text in outputs.items():
        for secret in stats_case.SECRETS:
            assert secret.lower() not in text.lower(), (fmt, secret)
    doc = json.loads(outputs["json"])
    assert doc["min_count"] == 5
    for table, found in doc["figures"].items():
        for key, f in found.items():
            if f["unit"] == "count":
                assert f["value"] is None or f["value"] == 0 or f["value"] >= 5, (table, key)
                assert (f["value"] is None) == f["suppressed"] == (f["shown"] == "< 5")
            elif f["suppressed"]:
                assert f["value"] is None and f["shown"] == "hidden"
    assert doc["figures"]["persons"]["followed"]["shown"] == "< 5"
    assert (
        doc["figures"]["persons"]["reopened"]["shown"] == "0"
        or doc["figures"]["persons"]["reopened"]["suppressed"]
    )
    # Markdown and CSV show the same « < 5 », never a small number.
    assert "| personnes suivies pendant la période | < 5 |" in outputs["md"]
    rows = list(csv.DictReader(io.StringIO(outputs["csv"])))
    assert {r["value"] for r in rows if r["unit"] == "count"} <= {"< 5", "0"}
    # Charts: a suppressed bar has no length.
    html = outputs["html"]
    assert html.count("<svg") >= 5
    for bar in re.findall(r'<g class="bar suppressed">.*?</g>', html, re.S):
        assert 'width="0.0"' in bar and "&lt; 5" in bar


def test_complementary_suppression() -> None:
    sheet = Sheet(min_count=5)
    total = sheet.count("t", "total", 10)
    parts = [sheet.count("t", "a", 7), sheet.count("t", "b", 3)]
    sheet.group(total, parts)
    shown = {c.key: c.value for c in sheet.cells()}
    assert shown == {"total": 10, "a": None, "b": None}  # 7 would give 3 away

    sheet = Sheet(min_count=5)
    total = sheet.count("t", "total", 20)
    parts = [sheet.count("t", k, v) for k, v in (("a", 12), ("b", 2), ("c", 2), ("d", 4))]
    sheet.group(total, parts)
    shown = {c.key: c.value for c in sheet.cells()}
    assert shown == {"total": 20, "a": 12, "b": None, "c": None, "d": None}

    sheet = Sheet(min_count=5)
    total = sheet.count("t", "total", 20)
    parts = [sheet.count("t", k, v) for k, v in (("a", 9), ("b", 8), ("c", 3))]
    sheet.group(total, parts)
    derived = sheet.figure("t", "share", 15.0, "percent", [parts[2]])
    assert derived is None
    shown = {c.key: c.value for c in sheet.cells()}
    assert shown == {"total": 20, "a": 9, "b": None, "c": None, "share": None}


def test_with_small_min_count_suppression_chains(case: Path) -> None:
    doc = figures("--min-count", "2")
    persons = doc["figures"]["persons"]
    # reopened (1) is hidden; followed 4 = active 3 + closed… closed (2) stays, so active too.
    assert persons["reopened"]["suppressed"]
    assert persons["followed"]["value"] == 4
    concertations = doc["figures"]["concertations"]
    assert all(
        concertations[k]["suppressed"] for k in ("concertation", "synthesis", "coordination")
    )
    assert concertations["person_present_share"]["suppressed"]
    assert concertations["held"]["value"] == 3


def test_several_repositories(case: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    ok("init", str(other), "--team", "Autre équipe")
    stats_case.build(other)
    doc = json.loads(
        ok("stats", *PERIOD, "-f", "json", "--min-count", "1", str(case), str(other)).stdout
    )
    assert doc["repositories"] == 2
    assert values(doc, "persons")["followed"] == 8
    assert values(doc, "concertations")["held"] == 6
    # An id names someone in its own team's directory: int-a here and there are two people.
    assert values(doc, "caseload")["intervenants"] == 6
    assert values(doc, "caseload")["coordinators"] == 4


def test_english_html_with_charts(case: Path, tmp_path: Path) -> None:
    out = tmp_path / "stats.html"
    ok("stats", *PERIOD, "-f", "html", "-o", str(out), "--lang", "en", "--min-count", "1")
    page = out.read_text(encoding="utf-8")
    assert "<h1>Figures of the period</h1>" in page
    assert 'id="chart-concertations"' in page and 'id="chart-months"' in page
    assert "http" not in page  # nothing fetched, no namespace address


def test_bad_input(case: Path, tmp_path: Path) -> None:
    refused(case, "stats", "--from", "2026-07-01", "--to", "2026-06-30", match="is after --to")
    refused(case, "stats", "--from", "2026-02-30", match="--from")
    refused(case, "stats", "--min-count", "0", match="--min-count")
    refused(case, "stats", "--format", "pdf", match="use md, html, json or csv")
    plain = tmp_path / "plain"
    plain.mkdir()
    refused(case, "stats", str(plain), match="not a reseau data repository")
    refused(case, "stats", str(case), str(case), match="given twice")
    newer = tmp_path / "newer"
    ok("init", str(newer))
    settings = newer / "reseau.yaml"
    settings.write_text(settings.read_text().replace("format: 1", "format: 2"))
    refused(case, "stats", str(case), str(newer), match="format")
    (case / "persons" / "p-zzzzz9.yaml").write_text("format: 1\nid: [\n")
    refused(case, "stats", match="could not be read")
