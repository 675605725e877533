"""Dates as the files keep them: ISO strings, with today overridable by RESEAU_TODAY."""

from __future__ import annotations

import datetime as dt
import os
import re

from reseau_cli.errors import InvalidDate

_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Every date reseau reads or computes stays in these years: far enough for birth dates
# and plans, and date arithmetic (review intervals, alerts) never overflows.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def parse(value: str, *, what: str = "date") -> dt.date:
    """Parse a strict ``YYYY-MM-DD`` date, or raise InvalidDate."""
    if not isinstance(value, str) or not _ISO.fullmatch(value):
        raise InvalidDate(value=str(value), what=what)
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidDate(value=value, what=what) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InvalidDate(value=value, what=what, years=(FIRST_YEAR, LAST_YEAR))
    return day


def check(value: str | None, *, what: str = "date") -> str | None:
    """Validate an optional date string and return it unchanged."""
    if value is None:
        return None
    parse(value, what=what)
    return value


def today() -> dt.date:
    """Today, or the date in RESEAU_TODAY (for tests, demos and back-dating)."""
    forced = os.environ.get("RESEAU_TODAY")
    if forced:
        return parse(forced, what="RESEAU_TODAY")
    return dt.date.today()


def today_iso() -> str:
    return today().isoformat()


def age(birth_date: str, on: dt.date) -> int:
    born = dt.date.fromisoformat(birth_date)
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# Nobody documented has lived longer; an older birth date is a typing mistake.
MAX_AGE = 130


def plausible_age(birth_date: str | None, on: dt.date) -> int | None:
    """Age in whole years on ``on``, or None when it cannot be right: no or malformed
    birth date, born after ``on``, or more than MAX_AGE years ago (documents then print
    no age rather than a wrong one; ``reseau check`` is where such a date is reported)."""
    if not birth_date:
        return None
    try:
        years = age(birth_date, on)
    except (TypeError, ValueError):
        return None
    return years if 0 <= years <= MAX_AGE else None
