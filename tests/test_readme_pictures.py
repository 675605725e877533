"""The README's pictures (made by `scripts/demo.py --update-docs`) are committed and valid."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}svg"


def test_every_readme_picture_is_a_committed_standalone_svg() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert {"docs/img/ecomap.svg", "docs/img/timeline.svg", "docs/img/stats.svg"} <= set(pictures)
    for picture in pictures:
        root = ET.parse(ROOT / picture).getroot()
        assert root.tag == SVG, picture  # opens on its own in a browser or on a forge
    timeline = (ROOT / "docs/img/timeline.svg").read_text(encoding="utf-8")
    assert "<title>Calendrier des actions du plan</title>" in timeline
    stats = (ROOT / "docs/img/stats.svg").read_text(encoding="utf-8")
    assert "Marcel" not in stats and "Janssens" not in stats  # anonymised figures
    assert "Marcel" in (ROOT / "docs/img/ecomap.svg").read_text(encoding="utf-8")
