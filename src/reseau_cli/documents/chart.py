"""A small line chart of an instrument's results over time, as numbers an SVG template
draws (no library, nothing fetched: the template writes the <svg> inline, so HTML and
PDF embed it and every label is escaped like any other text)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

WIDTH = 360
HEIGHT = 140
MARGIN = {"left": 36, "right": 16, "top": 18, "bottom": 28}
PAD = 34  # between the axis and the first and last points, for their labels


def line_chart(
    results: list[dict[str, Any]], *, low: float | None = None, high: float | None = None
) -> dict[str, Any] | None:
    """Geometry for ``results`` (each ``{date, label, value}``, oldest first): None when
    fewer than one has a value. ``low``/``high`` fix the vertical range (a GIR is 1..6)."""
    points = [r for r in results if isinstance(r.get("value"), int | float)]
    if not points:
        return None
    values = [float(p["value"]) for p in points]
    bottom = min(values) if low is None else min(low, *values)
    top = max(values) if high is None else max(high, *values)
    if top == bottom:
        bottom, top = bottom - 1, top + 1
    inner_w = WIDTH - MARGIN["left"] - MARGIN["right"] - 2 * PAD
    inner_h = HEIGHT - MARGIN["top"] - MARGIN["bottom"]
    step = inner_w / (len(points) - 1) if len(points) > 1 else 0.0
    placed = []
    for i, (point, value) in enumerate(zip(points, values, strict=True)):
        x = MARGIN["left"] + PAD + (i * step if len(points) > 1 else inner_w / 2)
        y = MARGIN["top"] + (top - value) / (top - bottom) * inner_h
        placed.append({"x": round(x, 1), "y": round(y, 1), "label": point["label"],
                       "date": point["date"]})  # fmt: skip
    ticks = sorted({bottom, top, *values})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": MARGIN["left"],
        "right": WIDTH - MARGIN["right"],
        "top": MARGIN["top"],
        "bottom": HEIGHT - MARGIN["bottom"],
        "points": placed,
        "polyline": " ".join(f"{p['x']},{p['y']}" for p in placed),
        "ticks": [
            {
                "y": round(MARGIN["top"] + (top - t) / (top - bottom) * inner_h, 1),
                "label": f"{t:g}",
            }
            for t in ticks
        ],
    }
