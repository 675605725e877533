"""Invitations as RFC 5545 calendar events (``.ics``), built with ``icalendar``.

The same concertation always gets the same UID, so importing an updated invitation
updates the event instead of adding a second one; DTSTAMP is the time of the last
commit of the person file, so the same repository state gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reseau_cli import __version__
from reseau_cli.errors import InvalidInput
from reseau_cli.i18n import _

DEFAULT_MINUTES = 60


def uid(person: str, concertation: str) -> str:
    return f"{concertation}.{person}@reseau"


def event_ics(
    *,
    person: dict[str, Any],
    concertation: dict[str, Any],
    summary: str,
    description: str,
    timezone: str,
    stamp: dt.datetime,
    lang: str,
    location: str | None = None,
    names: bool = True,
) -> bytes:
    """One VEVENT in a VCALENDAR, in the team's time zone, attendees with their emails;
    ``location`` is what the event says of the place, ``names`` whether attendees are
    named beside their address (the caller decides how much the event carries)."""
    from icalendar import Calendar, Event, vCalAddress, vText

    c = concertation
    cal = Calendar()
    cal.add("prodid", f"-//reseau//reseau-cli {__version__}//{lang.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    event = Event()
    event.add("uid", uid(person["id"], c["id"]))
    event.add("dtstamp", stamp.astimezone(dt.UTC))
    day = dt.date.fromisoformat(c["date"])
    if c["time"]:
        zone = _zone(timezone)
        hours, minutes = (int(x) for x in c["time"].split(":"))
        start = dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=zone)
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=c["duration_minutes"] or DEFAULT_MINUTES))
    else:
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    event.add("status", "CANCELLED" if c["status"] == "cancelled" else "CONFIRMED")
    event.add("sequence", 0)
    organiser = c["organiser"]
    if organiser and organiser["email"]:
        address = vCalAddress(f"mailto:{organiser['email']}")
        if names:
            address.params["cn"] = vText(organiser["name"])
        event.add("organizer", address)
    for who in c["invited"]:
        if not who["email"]:
            continue
        address = vCalAddress(f"mailto:{who['email']}")
        if names:  # a relative's name can tell who the meeting is about
            address.params["cn"] = vText(who["name"])
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
        event.add("attendee", address, encode=False)
    cal.add_component(event)
    if c["time"]:
        # The zone's rules around the meeting only: a short, stable VTIMEZONE.
        cal.add_missing_timezones(
            first_date=dt.date(day.year - 1, 1, 1), last_date=dt.date(day.year + 1, 12, 31)
        )
    return cal.to_ical()


def _zone(name: str) -> Any:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            _(
                "unknown time zone {zone} in reseau.yaml: use an IANA name such as Europe/Brussels"
            ).format(zone=repr(name))
        ) from None
