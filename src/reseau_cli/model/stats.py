"""The team's figures over a period, counted from the person files: pure, no names.

Every figure is a count (or a number of days) over persons, concertations, actions or
intervenants; what identifies anyone (names, ids, free text) never leaves this module.
``disclosure`` then suppresses the small counts before anything is shown.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from reseau_cli.model.disclosure import Sheet
from reseau_cli.model.network import designations, holder, is_current
from reseau_cli.model.plan import is_open

CONCERTATION_KINDS = ("concertation", "synthesis", "coordination")
# Persons per intervenant (or coordinator) at the end of the period, in bands.
BANDS = ((1, 1), (2, 4), (5, 9), (10, None))
FAR_PAST = "1900-01-01"


@dataclass(frozen=True)
class Period:
    start: str
    end: str

    def holds(self, day: str | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def months(self) -> list[tuple[str, str]]:
        """(first day, last day) of each month the period touches, clipped to it."""
        found = []
        day = dt.date.fromisoformat(self.start).replace(day=1)
        last = dt.date.fromisoformat(self.end)
        while day <= last:
            nxt = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
            first = max(day.isoformat(), self.start)
            end = min((nxt - dt.timedelta(days=1)).isoformat(), self.end)
            found.append((first, end))
            day = nxt
        return found


@dataclass
class Figures:
    """Raw figures (nothing suppressed yet). Lists of numbers are per person, unnamed."""

    repositories: int = 0
    persons_followed: int = 0
    opened: int = 0
    reopened: int = 0
    closed: int = 0
    active_at_end: int = 0
    intervenant_caseloads: list[int] = field(default_factory=list)
    coordinator_caseloads: list[int] = field(default_factory=list)
    without_coordinator_at_end: int = 0
    rupture_days: list[int] = field(default_factory=list)  # persons with at least one day
    designation_days: list[int] = field(default_factory=list)  # opened → first coordinator
    opened_never_designated: int = 0
    concertations: Counter[str] = field(default_factory=Counter)
    person_present: int = 0
    person_absent: int = 0
    person_not_recorded: int = 0
    done_on_time: int = 0
    done_late: int = 0
    open_at_end: int = 0
    overdue_at_end: int = 0
    evaluated: int = 0
    unmet_needs: Counter[str] = field(default_factory=Counter)
    months: list[tuple[str, int, int, int]] = field(
        default_factory=list
    )  # month, followed, opened, closed
    schemes: Counter[str] = field(default_factory=Counter)
    schemes_unmet: Counter[str] = field(default_factory=Counter)

    @property
    def concertations_held(self) -> int:
        return sum(self.concertations.values())


def spans(doc: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The accompaniment's spans (first day, last day or None while it goes on),
    reopenings included. A file without ``opened`` starts with its first dated entry."""
    start = doc.get("opened") or _first_date(doc)
    found: list[tuple[str, str | None]] = []
    for closure in sorted(doc.get("closures") or [], key=lambda c: c["closed"]):
        found.append((start, closure["closed"]))
        start = closure["reopened"]
    closed = doc.get("closed") if doc.get("status") == "closed" else None
    found.append((start, closed["date"] if closed else None))
    return found


def _first_date(doc: dict[str, Any]) -> str:
    dates = [m["since"] for m in doc.get("network") or []]
    dates += [c["date"] for c in doc.get("concertations") or []]
    return min(dates, default=FAR_PAST)


def _overlaps(span: tuple[str, str | None], first: str, last: str) -> bool:
    return span[0] <= last and (span[1] is None or span[1] >= first)


def _active_on(doc: dict[str, Any], day: str) -> bool:
    return any(_overlaps(s, day, day) for s in spans(doc))


def _days(first: str, last: str) -> int:
    return (dt.date.fromisoformat(last) - dt.date.fromisoformat(first)).days + 1


def _shift(day: str, days: int) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


def days_without_coordinator(doc: dict[str, Any], period: Period) -> int:
    """Days of the period, while accompanied, on which nobody was coordinator."""
    covered: list[tuple[str, str]] = []
    history = [d for d in designations(doc, "coordinator") if d.get("until") != d["since"]]
    if not designations(doc, "coordinator") and (doc.get("coordination") or {}).get("coordinator"):
        covered.append((FAR_PAST, "9999-12-31"))  # a file written by hand: taken at its word
    for d in history:
        until = d.get("until")
        covered.append((d["since"], _shift(until, -1) if until else "9999-12-31"))
    total = 0
    for first, closed in spans(doc):
        # The day an accompaniment closes is not a day it lacked a coordinator: the
        # designation ends that day too.
        last = _shift(closed, -1) if closed and closed > first else closed
        lo = max(first, period.start)
        hi = min(last or period.end, period.end)
        if lo > hi:
            continue
        total += _days(lo, hi) - _covered_days(covered, lo, hi)
    return total


def _covered_days(covered: list[tuple[str, str]], lo: str, hi: str) -> int:
    """Days of [lo, hi] inside the union of the ``covered`` intervals (inclusive)."""
    clipped = sorted(
        (
            dt.date.fromisoformat(max(a, lo)).toordinal(),
            dt.date.fromisoformat(min(b, hi)).toordinal(),
        )
        for a, b in covered
        if a <= hi and b >= lo
    )
    total, reach = 0, -1  # reach: the last day already counted
    for a, b in clipped:
        first = max(a, reach + 1)
        if b >= first:
            total += b - first + 1
        reach = max(reach, b)
    return total


def compute(teams: Sequence[Iterable[dict[str, Any]]], period: Period) -> Figures:
    """Every figure of the report over the persons of one or several teams (an
    intervenant id names someone in its own team's directory only)."""
    f = Figures(repositories=len(teams))
    on = period.end
    intervenants: Counter[tuple[int, str]] = Counter()
    coordinators: Counter[tuple[int, str]] = Counter()
    months = period.months()
    monthly = [[0, 0, 0] for _ in months]
    for team, doc in ((n, d) for n, docs in enumerate(teams) for d in docs):
        if not any(_overlaps(s, period.start, period.end) for s in spans(doc)):
            continue
        f.persons_followed += 1
        _openings(doc, period, f)
        for n, (first, last) in enumerate(months):
            counts = monthly[n]
            counts[0] += any(_overlaps(s, first, last) for s in spans(doc))
            starts = [sp[0] for sp in spans(doc)][0 if doc.get("opened") else 1 :]
            counts[1] += sum(1 for start in starts if first <= start <= last)
            counts[2] += sum(1 for s in spans(doc) if s[1] is not None and first <= s[1] <= last)
        if _active_on(doc, on):
            f.active_at_end += 1
            for m in doc.get("network") or []:
                if is_current(m, on):
                    intervenants[team, m["intervenant"]] += 1
            who = holder(doc, "coordinator", on)
            if who:
                coordinators[team, who] += 1
            else:
                f.without_coordinator_at_end += 1
        gap = days_without_coordinator(doc, period)
        if gap:
            f.rupture_days.append(gap)
        _designation(doc, period, f)
        _concertations(doc, period, f)
        _actions(doc, period, f)
        _needs(doc, period, f)
    f.intervenant_caseloads = sorted(intervenants.values())
    f.coordinator_caseloads = sorted(coordinators.values())
    f.months = [
        (first[:7], c[0], c[1], c[2]) for (first, _), c in zip(months, monthly, strict=True)
    ]
    return f


def _openings(doc: dict[str, Any], period: Period, f: Figures) -> None:
    found = spans(doc)
    if doc.get("opened") and period.holds(doc["opened"]):
        f.opened += 1
    f.reopened += sum(1 for start, _ in found[1:] if period.holds(start))
    f.closed += sum(1 for _, end in found if period.holds(end))


def _designation(doc: dict[str, Any], period: Period, f: Figures) -> None:
    opened = doc.get("opened")
    if not opened or not period.holds(opened):
        return
    starts = [d["since"] for d in designations(doc, "coordinator") if d.get("until") != d["since"]]
    later = [s for s in starts if s >= opened and s <= period.end]
    if starts and min(starts) < opened:
        f.designation_days.append(0)
    elif later:
        f.designation_days.append(_days(opened, min(later)) - 1)
    else:
        f.opened_never_designated += 1


def _concertations(doc: dict[str, Any], period: Period, f: Figures) -> None:
    for c in doc.get("concertations") or []:
        if c.get("status") != "held" or not period.holds(c["date"]):
            continue
        f.concertations[c.get("kind") or "concertation"] += 1
        present = c.get("person_present")
        if present is True:
            f.person_present += 1
        elif present is False:
            f.person_absent += 1
        else:
            f.person_not_recorded += 1


def _actions(doc: dict[str, Any], period: Period, f: Figures) -> None:
    for a in (doc.get("plan") or {}).get("actions") or []:
        closed, due = a.get("closed"), a.get("due")
        if a.get("status") == "done" and period.holds(closed):
            if due and closed > due:
                f.done_late += 1
            else:
                f.done_on_time += 1
        created = a.get("created") or FAR_PAST
        open_at_end = created <= period.end and (
            is_open(a) or (closed is not None and closed > period.end)
        )
        if open_at_end:
            f.open_at_end += 1
            if due and due < period.end:
                f.overdue_at_end += 1


def _needs(doc: dict[str, Any], period: Period, f: Figures) -> None:
    """Unmet needs by domain, from each person's latest evaluation by the period's end."""
    evaluations = [e for e in doc.get("evaluations") or [] if e.get("date", "") <= period.end]
    if not evaluations:
        return
    latest = max(evaluations, key=lambda e: e["date"])
    f.evaluated += 1
    domains = {d.get("domain") for d in latest.get("domains") or [] if d.get("level") == "unmet"}
    for domain in sorted(d for d in domains if isinstance(d, str)):
        f.unmet_needs[domain] += 1


def median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def bands(caseloads: list[int]) -> list[int]:
    """How many intervenants (or coordinators) follow 1, 2–4, 5–9, 10 or more persons."""
    return [sum(1 for n in caseloads if lo <= n and (hi is None or n <= hi)) for lo, hi in BANDS]


def _share(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def sheet(f: Figures, *, min_count: int) -> Sheet:
    """The figures as the report shows them, with what must be suppressed declared."""
    s = Sheet(min_count=min_count)
    followed = s.count("persons", "followed", f.persons_followed)
    active = s.count("persons", "active_at_end", f.active_at_end)
    opened = s.count("persons", "opened", f.opened)
    s.count("persons", "reopened", f.reopened)
    closed = s.count("persons", "closed", f.closed)
    s.group(followed, [active, closed])  # followed ≈ still followed at the end + closed

    coordinated = s.count(
        "coordination", "with_coordinator_at_end", f.active_at_end - f.without_coordinator_at_end
    )
    without = s.count("coordination", "without_coordinator_at_end", f.without_coordinator_at_end)
    s.group(active, [coordinated, without])
    ruptures = s.count("coordination", "persons_with_rupture", len(f.rupture_days))
    s.figure("coordination", "rupture_days_total", sum(f.rupture_days), "days", [ruptures])
    s.figure("coordination", "rupture_days_median", median(f.rupture_days), "days", [ruptures])
    designated = s.count("coordination", "designated_after_opening", len(f.designation_days))
    never = s.count("coordination", "opened_without_coordinator", f.opened_never_designated)
    s.group(opened, [designated, never])
    s.figure(
        "coordination",
        "days_to_designation_median",
        median(f.designation_days),
        "days",
        [designated],
    )

    for who, loads in (
        ("intervenants", f.intervenant_caseloads),
        ("coordinators", f.coordinator_caseloads),
    ):
        total = s.count("caseload", who, len(loads))
        s.figure("caseload", f"{who}_median", median(loads), "persons", [total])
        parts = [
            s.count("caseload", f"{who}_{_band(lo, hi)}", n)
            for (lo, hi), n in zip(BANDS, bands(loads), strict=True)
        ]
        s.group(total, parts)

    held = s.count("concertations", "held", f.concertations_held)
    kinds = [s.count("concertations", k, f.concertations[k]) for k in CONCERTATION_KINDS]
    s.group(held, kinds)
    present = s.count("concertations", "person_present", f.person_present)
    absent = s.count("concertations", "person_absent", f.person_absent)
    unknown = s.count("concertations", "person_not_recorded", f.person_not_recorded)
    s.group(held, [present, absent, unknown])
    share = _share(f.person_present, f.concertations_held)
    s.figure(
        "concertations", "person_present_share", share, "percent", [present, absent, unknown, held]
    )
    if f.schemes:
        for scheme in sorted(f.schemes):
            n = s.count("schemes", f"{scheme}.held", f.schemes[scheme])
            unmet = s.count("schemes", f"{scheme}.unmet", f.schemes_unmet[scheme])
            met = s.hidden(f"{scheme}.met", f.schemes[scheme] - f.schemes_unmet[scheme])
            s.group(n, [unmet, met])

    done_total = f.done_on_time + f.done_late
    done = s.count("actions", "done", done_total)
    s.group(
        done,
        [
            s.count("actions", "done_on_time", f.done_on_time),
            s.count("actions", "done_late", f.done_late),
        ],
    )
    still = s.count("actions", "open_at_end", f.open_at_end)
    overdue = s.count("actions", "overdue_at_end", f.overdue_at_end)
    s.group(still, [overdue, s.hidden("actions.not_overdue", f.open_at_end - f.overdue_at_end)])

    s.count("needs", "evaluated", f.evaluated)
    for domain in sorted(f.unmet_needs):
        s.count("needs", f"unmet.{domain}", f.unmet_needs[domain])

    opened_months, closed_months = [], []
    for month, n_followed, n_opened, n_closed in f.months:
        s.count("months", f"{month}.followed", n_followed)
        opened_months.append(s.count("months", f"{month}.opened", n_opened))
        closed_months.append(s.count("months", f"{month}.closed", n_closed))
    # Openings by month add up to the first openings plus reopenings of the period.
    reopened = "persons.reopened"
    s.group(closed, closed_months)
    both = s.hidden("persons.opened_or_reopened", f.opened + f.reopened)
    s.group(both, opened_months)
    s.group(both, [opened, reopened])
    return s


def _band(lo: int, hi: int | None) -> str:
    if hi is None:
        return f"{lo}_or_more"
    return str(lo) if lo == hi else f"{lo}_to_{hi}"
