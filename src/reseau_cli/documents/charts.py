"""Bar and line charts as inline SVG, for the stats report: drawn here, nothing fetched.

A suppressed figure (``None``) is drawn with no height at all and labelled « < K »: the
picture never tells more than the table beside it.
"""

from __future__ import annotations

import html

FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"
# Distinct in grey too: dark, middle, light; the lines also differ by dash.
SERIES = (("#1f4e79", ""), ("#7f7f7f", "6 3"), ("#c55a11", "2 3"))


def _e(value: str) -> str:
    return html.escape(value, quote=True)


def bar_chart(title: str, items: list[tuple[str, float | None, str]], *, chart_id: str) -> str:
    """Horizontal bars: (label, value or None when suppressed, the value as shown)."""
    label_w, bar_w, row = 300, 320, 24
    height = 30 + row * len(items) + 8
    width = label_w + bar_w + 70
    top = max((v for _, v, _ in items if v is not None), default=0) or 1
    out = [
        f'<svg class="chart bar" id="{_e(chart_id)}" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" font-size="11">',
        f"<title>{_e(title)}</title>",
        f'<text x="0" y="16" font-weight="bold" font-size="12">{_e(title)}</text>',
    ]
    for n, (label, value, shown) in enumerate(items):
        y = 30 + n * row
        length = 0.0 if value is None else round(value / top * bar_w, 1)
        cls = "suppressed" if value is None else "shown"
        out.append(
            f'<g class="bar {cls}"><text x="{label_w - 8}" y="{y + 15}" text-anchor="end">'
            f"{_e(label)}</text>"
            f'<rect x="{label_w}" y="{y + 4}" width="{length}" height="{row - 8}" '
            f'fill="#1f4e79"/>'
            f'<text x="{label_w + length + 6}" y="{y + 15}">{_e(shown)}</text></g>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def line_chart(
    title: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    chart_id: str,
    note: str,
) -> str:
    """One line per series over ``labels`` (months); a suppressed point breaks the line."""
    left, width, plot_h, top_y = 44, 640, 180, 34
    height = top_y + plot_h + 60 + 16 * len(series)
    step = (width - left - 20) / max(len(labels) - 1, 1)
    values = [v for _, vs in series for v in vs if v is not None]
    top = max(values, default=0) or 1

    def y_of(v: float) -> float:
        return round(top_y + plot_h - v / top * plot_h, 1)

    out = [
        f'<svg class="chart line" id="{_e(chart_id)}" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="{FONT}" font-size="11">',
        f"<title>{_e(title)}</title>",
        f'<text x="0" y="16" font-weight="bold" font-size="12">{_e(title)}</text>',
        f'<line x1="{left}" y1="{top_y + plot_h}" x2="{width - 10}" y2="{top_y + plot_h}" stroke="#5b6b78"/>',
        f'<text x="{left - 6}" y="{top_y + 4}" text-anchor="end">{_e(_number(top))}</text>',
        f'<text x="{left - 6}" y="{top_y + plot_h}" text-anchor="end">0</text>',
    ]
    every = max(1, len(labels) // 12)
    for n, label in enumerate(labels):
        if n % every == 0:
            x = round(left + n * step, 1)
            out.append(
                f'<text x="{x}" y="{top_y + plot_h + 16}" text-anchor="middle">{_e(label)}</text>'
            )
    for k, (name, points) in enumerate(series):
        colour, dash = SERIES[k % len(SERIES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        runs: list[list[str]] = [[]]
        for n, v in enumerate(points):
            if v is None:
                runs.append([])
                continue
            runs[-1].append(f"{round(left + n * step, 1)},{y_of(v)}")
        out.append(f'<g class="series" data-series="{k}">')
        for run in runs:
            if len(run) > 1:
                out.append(
                    f'<polyline points="{" ".join(run)}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
            for point in run:
                cx, cy = point.split(",")
                out.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>')
        out.append("</g>")
        ly = top_y + plot_h + 36 + 16 * k
        out.append(
            f'<line x1="{left}" y1="{ly - 4}" x2="{left + 28}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/><text x="{left + 34}" y="{ly}">{_e(name)}</text>'
        )
    out.append(f'<text x="{left}" y="{height - 4}" fill="#5b6b78" font-size="10">{_e(note)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
