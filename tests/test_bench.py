"""The benchmark runs (at a tiny size): every measure beside its anchor, recorded as
Markdown with the machine. No timing is asserted: bench/RESULTS.md holds the figures."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_bench_runs_at_a_tiny_size(tmp_path: Path) -> None:
    record = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "bench.py"),
            "4",
            "6",
            "--runs",
            "1",
            "--record",
            str(record),
        ],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, done.stderr
    for measure in (
        "person add (one commit)",
        "person show",
        "status, warm",
        "find téléassistance",
        "status after a fresh clone (cold)",
    ):
        assert f"| {measure} |" in done.stdout
    assert "growth 4→6, cpu" in done.stdout
    # Growth of a command that touches one person is timed in pairs; the others are not.
    rows = {line.split("|")[1].strip(): line for line in done.stdout.splitlines() if "|" in line}
    assert rows["person add (one commit)"].rstrip(" |").endswith("× (paired)")
    assert rows["person show"].rstrip(" |").endswith("× (paired)")
    assert "paired" not in rows["status, warm"]
    assert "in turn, after every size was timed" in done.stdout
    assert "ratio N=4, wall; cpu" in done.stdout
    text = record.read_text()
    assert text.startswith("# Recorded benchmark results")
    assert "Machine: " in text and "cores" in text
    assert "| status, warm |" in text


@pytest.mark.slow
def test_bench_times_render_all_beside_its_anchor(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench.py"), "3", "--runs", "1", "--only", "render"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if line.startswith("| render all"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert cells[2] == "the same templates by Jinja2 (1 process)"
    assert cells[4].endswith("×") and cells[5] == "≤ 2×"
    assert "leaves out the ecomap pictures" in done.stdout
    assert "| status, warm |" not in done.stdout  # only that measure


def test_generated_persons_have_ids_as_reseau_makes_them(tmp_path: Path) -> None:
    """One length for all, as in a team's repository and as `person add` adds them."""
    spec = importlib.util.spec_from_file_location("reseau_bench_ids", ROOT / "bench" / "bench.py")
    assert spec is not None and spec.loader is not None
    bench = sys.modules["reseau_bench_ids"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    ids = bench.generate(tmp_path, 30)
    assert len(set(ids)) == 30
    assert all(re.fullmatch(r"p-[2-9a-hjkmnp-z]{6}", pid) for pid in ids), ids
    assert sorted(p.stem for p in (tmp_path / "persons").iterdir()) == sorted(ids)
