"""The plan's timeline as inline SVG, drawn here: a time axis is simple enough that a
layout engine would add nothing. Every text is escaped; shapes and line styles (not only
colours) tell the statuses and markers apart, so it prints in black and white."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable

from reseau_cli.model.timeline import Bar, Marker, Timeline

WIDTH = 760
LABELS = 250  # the column of action texts
TOP = 46  # the month axis and the markers' heads
ROW = 24
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"


def _words(lang: str) -> dict[str, str]:
    """The timeline's words in the document's language (the message catalogs)."""
    from reseau_cli.i18n import gettext_in

    return {
        "today": gettext_in(lang, "today"),
        "review": gettext_in(lang, "next review"),
        "held": gettext_in(lang, "concertation held"),
        "planned": gettext_in(lang, "concertation planned"),
        "late": gettext_in(lang, "overdue"),
        "done": gettext_in(lang, "done"),
        "open": gettext_in(lang, "ongoing or planned"),
        "title": gettext_in(lang, "Timeline of the plan's actions"),
        "due": gettext_in(lang, "due"),
    }


def _e(value: str) -> str:
    return html.escape(value, quote=True)


def _short(text: str, limit: int = 36) -> str:
    one = " ".join(text.split())
    return one if len(one) <= limit else one[: limit - 1].rstrip() + "…"


class _Scale:
    def __init__(self, first: str, last: str) -> None:
        self.first = dt.date.fromisoformat(first)
        span = (dt.date.fromisoformat(last) - self.first).days
        self.days = max(span, 1)
        self.x0, self.x1 = LABELS + 12, WIDTH - 96  # room on the right for « ! overdue »

    def x(self, day: str) -> float:
        offset = (dt.date.fromisoformat(day) - self.first).days
        return round(self.x0 + offset / self.days * (self.x1 - self.x0), 1)


def _months(first: str, last: str) -> list[dt.date]:
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    months = []
    day = dt.date(start.year, start.month, 1)
    while day <= end:
        if day >= start:
            months.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    step = max(1, len(months) // 8)  # at most about eight ticks
    return months[::step]


def draw(
    timeline: Timeline,
    *,
    lang: str,
    date_text: Callable[[str], str],
    month_text: Callable[[dt.date], str],
) -> str:
    """The timeline as one ``<svg>`` element, to inline in an HTML document (where the
    parser gives it the SVG namespace: no ``xmlns`` naming a web address)."""
    w = _words(lang)
    scale = _Scale(timeline.first, timeline.last)
    bottom = TOP + ROW * len(timeline.bars)
    height = bottom + 58
    out = [
        f'<svg class="timeline" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'font-family="{FONT}" font-size="11">',
        f"<title>{_e(w['title'])}</title>",
        '<defs><pattern id="timeline-late" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fbe3e0"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#b3261e" stroke-width="2.5"/></pattern></defs>',
    ]
    for month in _months(timeline.first, timeline.last):
        x = scale.x(month.isoformat())
        out.append(
            f'<g class="tick"><line x1="{x}" y1="{TOP - 6}" x2="{x}" y2="{bottom}" '
            f'stroke="#e2e6ea"/><text x="{x + 2}" y="{TOP - 10}" fill="#5b6b78">'
            f"{_e(month_text(month))}</text></g>"
        )
    for n, bar in enumerate(timeline.bars):
        out.append(_bar(bar, scale, TOP + n * ROW, w, date_text, timeline))
    for marker in timeline.markers:
        out.append(_marker(marker, scale, bottom, w, date_text))
    out.append(_legend(w, bottom + 22))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _today(timeline: Timeline) -> str:
    return next(m.date for m in timeline.markers if m.kind == "today")


def _bar(
    bar: Bar,
    scale: _Scale,
    y: float,
    w: dict[str, str],
    date_text: Callable[[str], str],
    timeline: Timeline,
) -> str:
    classes = ["bar", bar.status] + ["overdue"] * bar.overdue + ["open-ended"] * bar.open_ended
    x1, x2 = scale.x(bar.start), scale.x(bar.end)
    when = f"{date_text(bar.start)} → {date_text(bar.end)}"
    if bar.due:
        when += f" ({w['due']} {date_text(bar.due)})"
    parts = [
        f'<g class="{" ".join(classes)}" data-action="{_e(bar.action)}">',
        f"<title>{_e(bar.text)} · {_e(when)}</title>",
        f'<text x="{LABELS}" y="{y + 15}" text-anchor="end">{_e(_short(bar.text))}</text>',
    ]
    top, h = y + 5, ROW - 10
    if bar.status == "done":
        fill, stroke = "#5b6b78", "#2f3b45"
    elif bar.status == "ongoing":
        fill, stroke = "#8fb3d9", "#2f5d8a"
    else:
        fill, stroke = "#ffffff", "#2f5d8a"
    if x2 - x1 < 3:  # one day: a diamond
        cx, cy = x1, top + h / 2
        parts.append(
            f'<polygon points="{cx},{top} {cx + 6},{cy} {cx},{top + h} {cx - 6},{cy}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"/>'
        )
    else:
        dash = ' stroke-dasharray="4 2"' if bar.open_ended else ""
        parts.append(
            f'<rect x="{x1}" y="{top}" width="{round(x2 - x1, 1)}" height="{h}" rx="2" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash}/>'
        )
    if bar.overdue:
        late = scale.x(_today(timeline))
        parts.append(
            f'<rect class="late" x="{x2}" y="{top}" width="{round(max(late - x2, 3), 1)}" '
            f'height="{h}" fill="url(#timeline-late)" stroke="#b3261e" stroke-width="1.5"/>'
        )
        parts.append(
            f'<text x="{max(late, x2 + 3) + 4}" y="{y + 15}" fill="#b3261e" '
            f'font-weight="bold">! {_e(w["late"])}</text>'
        )
    if bar.status == "done":
        parts.append(f'<text x="{x2 + 4}" y="{y + 15}">✓</text>')
    parts.append("</g>")
    return "\n".join(parts)


def _marker(
    marker: Marker, scale: _Scale, bottom: float, w: dict[str, str], date_text: Callable[[str], str]
) -> str:
    x = scale.x(marker.date)
    status = marker.status or ""
    label = w[status] if marker.kind == "concertation" else w[marker.kind]
    cls = f"marker {marker.kind}" + (f" {status}" if status else "")
    head = f"<title>{_e(label)} · {_e(date_text(marker.date))}</title>"
    if marker.kind == "today":
        body = (
            f'<line x1="{x}" y1="{TOP - 4}" x2="{x}" y2="{bottom}" stroke="#000" stroke-width="1.5"/>'
            f'<text x="{x}" y="{TOP - 26}" text-anchor="middle" font-weight="bold">{_e(label)}</text>'
        )
    elif marker.kind == "review":
        body = (
            f'<line x1="{x}" y1="{TOP - 4}" x2="{x}" y2="{bottom}" stroke="#7a4b00" '
            f'stroke-width="1.5" stroke-dasharray="8 3 2 3"/>'
            f'<polygon points="{x - 5},{TOP - 4} {x + 5},{TOP - 4} {x},{TOP + 4}" fill="#7a4b00"/>'
        )
    else:
        fill = "#2f3b45" if status == "held" else "#ffffff"
        body = (
            f'<line x1="{x}" y1="{TOP}" x2="{x}" y2="{bottom}" stroke="#2f3b45" '
            f'stroke-dasharray="2 3"/>'
            f'<circle cx="{x}" cy="{TOP - 1}" r="4.5" fill="{fill}" stroke="#2f3b45" stroke-width="1.5"/>'
        )
    return f'<g class="{cls}" data-date="{_e(marker.date)}">{head}{body}</g>'


def _legend(w: dict[str, str], y: float) -> str:
    items = [
        f'<rect x="0" y="-9" width="22" height="10" fill="#8fb3d9" stroke="#2f5d8a"/>'
        f'<text x="28" y="0">{_e(w["open"])}</text>',
        f'<rect x="0" y="-9" width="22" height="10" fill="#5b6b78" stroke="#2f3b45"/>'
        f'<text x="28" y="0">✓ {_e(w["done"])}</text>',
        f'<rect x="0" y="-9" width="22" height="10" fill="url(#timeline-late)" stroke="#b3261e"/>'
        f'<text x="28" y="0">! {_e(w["late"])}</text>',
        f'<line x1="0" y1="-4" x2="22" y2="-4" stroke="#7a4b00" stroke-width="1.5" '
        f'stroke-dasharray="8 3 2 3"/><text x="28" y="0">{_e(w["review"])}</text>',
        f'<circle cx="11" cy="-4" r="4.5" fill="#2f3b45"/><text x="28" y="0">{_e(w["held"])}</text>',
        f'<circle cx="11" cy="-4" r="4.5" fill="#fff" stroke="#2f3b45" stroke-width="1.5"/>'
        f'<text x="28" y="0">{_e(w["planned"])}</text>',
    ]
    cells = []
    for n, item in enumerate(items):
        x = 12 + (n % 3) * 250
        row = y + (n // 3) * 18
        cells.append(f'<g transform="translate({x},{row})">{item}</g>')
    return '<g class="legend">' + "".join(cells) + "</g>"
