"""A PDF is the same bytes however the machine is set up (issue 11, item 1): with or
without HarfBuzz's subset library, the only date it carries is the version's."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from pathlib import Path

import pytest

from conftest import git, ok
from render_case import MARCEL

pytest_plugins = ["render_fixtures"]  # the `seed` and `repo` fixtures

pytest.importorskip("pypdf")
pytest.importorskip("weasyprint")


def _embedded_fonts(pdf: bytes) -> list[bytes]:
    from pypdf import PdfReader

    out = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get_object().get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts") or [font]:
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                for key in ("/FontFile2", "/FontFile3", "/FontFile"):
                    if key in descriptor.get_object():
                        out.append(descriptor.get_object()[key].get_object().get_data())
    return out


def _font_modified(font: bytes) -> dt.datetime:
    from fontTools.misc.timeTools import epoch_diff
    from fontTools.ttLib import TTFont

    seconds = TTFont(io.BytesIO(font))["head"].modified + epoch_diff
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


@pytest.fixture(params=["harfbuzz-subset", "fonttools"])
def subsetter(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Renders with HarfBuzz's subset library (when installed) and with it hidden, as
    on a machine without libharfbuzz-subset0: WeasyPrint then subsets with fontTools."""
    from weasyprint.pdf import fonts

    if request.param == "fonttools":
        monkeypatch.setattr(fonts, "harfbuzz_subset", None)
    elif fonts.harfbuzz_subset is None:
        pytest.skip("libharfbuzz-subset0 is not installed (.ci/run installs it)")
    return request.param


def test_pdf_bytes_do_not_depend_on_the_clock(repo: Path, tmp_path: Path, subsetter: str) -> None:
    first, second = tmp_path / "first.pdf", tmp_path / "second.pdf"
    ok("render", "plan", MARCEL, "--format", "pdf", "-o", str(first))
    time.sleep(1.1)  # the clock has moved on by a second: nothing in the PDF may show it
    ok("render", "plan", MARCEL, "--format", "pdf", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()
    assert "SOURCE_DATE_EPOCH" not in os.environ  # set only while the PDF is written


def test_embedded_fonts_carry_the_versions_date_not_now(repo: Path, tmp_path: Path) -> None:
    from weasyprint.pdf import fonts

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fonts, "harfbuzz_subset", None)  # fontTools writes a date into each font
        ok("render", "plan", MARCEL, "--format", "pdf", "-o", str(tmp_path / "plan.pdf"))
    embedded = _embedded_fonts((tmp_path / "plan.pdf").read_bytes())
    assert embedded
    last_commit = git(repo, "log", "-1", "--format=%cI", "--", f"persons/{MARCEL}.yaml").strip()
    version = dt.datetime.fromisoformat(last_commit)
    assert {_font_modified(font) for font in embedded} == {version.astimezone(dt.UTC)}


def test_a_new_version_changes_the_date_in_the_pdf(repo: Path, tmp_path: Path) -> None:
    """The date comes from the commit the document is made from, so it moves with it."""
    from weasyprint.pdf import fonts

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(fonts, "harfbuzz_subset", None)
        ok("render", "network", MARCEL, "--format", "pdf", "-o", str(tmp_path / "a.pdf"))
        ok("plan", "objective", "add", MARCEL, "Voir ses petits-enfants")
        ok("render", "network", MARCEL, "--format", "pdf", "-o", str(tmp_path / "b.pdf"))
    before = _embedded_fonts((tmp_path / "a.pdf").read_bytes())
    after = _embedded_fonts((tmp_path / "b.pdf").read_bytes())
    assert {_font_modified(f) for f in before} != {_font_modified(f) for f in after}
