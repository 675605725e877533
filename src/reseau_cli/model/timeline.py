"""The plan on a timeline: each action from its start to its due date (or the day it was
done), the overdue ones apart, and the dates that frame the plan as markers (today, the
next review, the concertations). Pure: today is an argument; drawing is elsewhere."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reseau_cli.model.plan import is_open


@dataclass(frozen=True)
class Bar:
    action: str  # the action's id
    text: str
    status: str  # planned | ongoing | done
    start: str  # the action's start, else the day it was created (or its due date)
    end: str  # done: the day it was done; else its due date, or today when it has none
    due: str | None
    overdue: bool  # open, and its due date has passed
    open_ended: bool  # open and without a due date: drawn up to today, unfinished


@dataclass(frozen=True)
class Marker:
    kind: str  # today | review | concertation
    date: str
    status: str | None = None  # a concertation's: held | planned


@dataclass(frozen=True)
class Timeline:
    first: str
    last: str
    bars: tuple[Bar, ...]
    markers: tuple[Marker, ...]


def build(doc: dict[str, Any], *, today: str) -> Timeline | None:
    """The timeline of ``doc``'s plan (cancelled actions left out), or None when no
    action carries a date."""
    bars = [bar for a in (doc.get("plan") or {}).get("actions") or [] if (bar := _bar(a, today))]
    if not bars:
        return None
    bars.sort(key=lambda b: (b.start, b.end, b.action))
    markers = [Marker("today", today)]
    review = (doc.get("plan") or {}).get("next_review")
    if review:
        markers.append(Marker("review", review))
    for c in doc.get("concertations") or []:
        if c.get("status") in ("held", "planned"):
            markers.append(Marker("concertation", c["date"], c["status"]))
    first = min(b.start for b in bars)
    last = max(b.end for b in bars)
    # Markers widen the span only a little around the actions: a concertation years
    # ago would squeeze every bar into a sliver.
    lo = _shift(first, -45)
    hi = _shift(last, 45)
    markers = [m for m in markers if lo <= m.date <= hi]
    dates = [first, last] + [m.date for m in markers]
    return Timeline(first=min(dates), last=max(dates), bars=tuple(bars), markers=tuple(markers))


def _bar(action: dict[str, Any], today: str) -> Bar | None:
    status = action.get("status")
    if status == "cancelled":
        return None
    due = action.get("due")
    start: str | None = action.get("start") or action.get("created") or due
    done = action.get("closed") or due or start
    end: str | None = done if status == "done" else due or today
    if start is None or end is None:
        return None
    open_ = is_open(action)
    return Bar(
        action=action["id"],
        text=action["text"],
        status=str(status),
        start=min(start, end),
        end=max(start, end),
        due=due,
        overdue=open_ and due is not None and due < today,
        open_ended=open_ and not due,
    )


def _shift(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()
