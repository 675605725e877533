"""Concertations: meetings planned, then recorded with who came, decisions and actions.

Pure functions on the person document. Recording a meeting may create actions in the
plan, update open ones, designate a coordinator and schedule the next meeting: all of
it happens on the one document, so the caller commits it as one change.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reseau_cli import ids
from reseau_cli.errors import InvalidInput, RuleViolation, UnknownId
from reseau_cli.i18n import _
from reseau_cli.model import plan as plan_model
from reseau_cli.model.coordination import designate, require_distinct
from reseau_cli.model.network import holder, is_member, was_member
from reseau_cli.records import frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

KINDS = ("concertation", "synthesis", "coordination")
STATUSES = ("planned", "held", "cancelled")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


@frozen
class NewAction:
    """An action decided in a meeting: what, who, by when."""

    text: str
    by: str | None
    due: str | None = None
    start: str | None = None
    objective: str | None = None


@frozen
class ActionUpdate:
    """What a meeting says of an open action: its new status, a note, a new due date."""

    id: str
    status: str | None = None
    note: str | None = None
    due: str | None = None


def concertations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return doc.setdefault("concertations", [])


def find(doc: dict[str, Any], ident: str) -> dict[str, Any]:
    for found in doc.get("concertations") or []:
        if found["id"] == ident:
            return found
    raise UnknownId(
        _("unknown concertation {id}; `reseau concertation list {person}` lists them").format(
            id=repr(ident), person=doc["id"]
        ),
        id=ident,
    )


def check_time(value: str | None, *, what: str = "--time") -> str | None:
    if value is not None and not _TIME.fullmatch(value):
        raise InvalidInput(
            _("invalid {what} {value}: expected HH:MM, for example 14:30").format(
                what=what, value=repr(value)
            )
        )
    return value


def _minutes(time: str) -> int:
    hours, mins = time.split(":")
    return int(hours) * 60 + int(mins)


def length(time: str | None, *, duration: int | None = None, end: str | None = None) -> int | None:
    """A meeting's length in minutes, from ``--duration`` or ``--end`` (None: not given).
    It needs a start time, and ends after it, the same day."""
    if duration is None and end is None:
        return None
    if duration is not None and end is not None:
        raise InvalidInput(_("give either --duration or --end, not both"))
    if time is None:
        raise InvalidInput(_("--duration and --end need the start time: add --time HH:MM"))
    start = _minutes(check_time(time) or time)
    if end is not None:
        duration = _minutes(check_time(end, what="--end") or end) - start
        if duration <= 0:
            raise InvalidInput(
                _("--end {end} must be after the start ({start})").format(end=end, start=time)
            )
    assert duration is not None
    if duration < 5:
        raise InvalidInput(
            _("--duration {minutes}: a meeting lasts at least 5 minutes").format(minutes=duration)
        )
    if start + duration > 24 * 60:
        raise InvalidInput(
            _("--duration {minutes}: a meeting from {start} must end the same day").format(
                minutes=duration, start=time
            )
        )
    return duration


def _member_now(doc: dict[str, Any], who: str, on: str, *, what: str) -> str:
    ids.check(who, what=what)
    if not is_member(doc, who, on):
        raise RuleViolation(
            _(
                "{option} {who} is not a member of {person}'s network on {date}; "
                "only members of the network take part"
            ).format(option=what, who=repr(who), person=doc["id"], date=on)
        )
    return who


def plan(
    doc: dict[str, Any],
    *,
    date: str,
    today: str,
    time: str | None = None,
    place: str | None = None,
    kind: str | None = None,
    organiser: str | None = None,
    invited: Sequence[str] = (),
    agenda: Sequence[str] = (),
    ident: str | None = None,
    duration: int | None = None,
    end: str | None = None,
    at_home: bool = False,
    scheme: str | None = None,
    person_agreed: bool = False,
) -> dict[str, Any]:
    """Schedule a meeting (status planned); returns it. ``at_home``: at the person's
    home, whose address the documents take from the person file. ``scheme``: the funding
    scheme it is held under (the caller checked it exists)."""
    plan_model.require_active(doc)
    plan_model.choice(kind, KINDS, what="--kind")
    check_time(time)
    minutes = length(time, duration=duration, end=end)
    if at_home:
        _check_home(doc, place)
    if date < today:
        raise InvalidInput(
            _(
                "--date {date} is in the past; to write down a meeting that took place, "
                "use `reseau concertation record {person} --date {date}`"
            ).format(date=date, person=doc["id"])
        )
    if organiser is None:
        lead = holder(doc, "concertation_lead", today)
        if lead and is_member(doc, lead, today):
            organiser = lead
    if organiser is not None:
        _member_now(doc, organiser, today, what="--organiser")
    guests: list[str] = []
    for who in invited:
        _member_now(doc, who, today, what="--invite")
        if who not in guests:
            guests.append(who)
    item: dict[str, Any] = {
        "id": ident or plan_model.new_id(doc, "c"),
        "status": "planned",
        "kind": kind or "concertation",
        "date": date,
    }
    if scheme is not None:
        item["scheme"] = ids.check(scheme, what="--scheme")
    optional = {
        "time": time,
        "duration_minutes": minutes,
        "place": (place or "").strip(),
        "at_home": at_home,
        "organiser": organiser,
        "invited": guests,
        "agenda": [a.strip() for a in agenda if a.strip()],
        "person_agreed": person_agreed,
    }
    item.update({key: value for key, value in optional.items() if value})
    concertations(doc).append(item)
    return item


def _check_home(doc: dict[str, Any], place: str | None) -> None:
    """A meeting at the person's home needs their address, and no other place."""
    if place and place.strip():
        raise InvalidInput(_("give either --at-home or --place, not both"))
    if not ((doc.get("identity") or {}).get("address") or "").strip():
        raise RuleViolation(
            _(
                "{person} has no address in the file: add it under identity with "
                "`reseau person edit {person}`, or give --place"
            ).format(person=doc["id"])
        )


def _participants(
    doc: dict[str, Any],
    *,
    date: str,
    present: Sequence[str],
    absent: Sequence[str],
    excused: Sequence[str],
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    flags = [(w, True, False) for w in present] + [(w, False, False) for w in absent]
    flags += [(w, False, True) for w in excused]
    for who, here, excuse in flags:
        ids.check(who, what="participant")
        if who in seen:
            raise InvalidInput(
                _("{who} is given twice among the participants").format(who=repr(who))
            )
        seen.add(who)
        if not was_member(doc, who, date):
            raise RuleViolation(
                _(
                    "participant {who} is not in {person}'s network on {date}; add them "
                    "first with `reseau intervenant add {person} --id {id}`"
                ).format(who=repr(who), person=doc["id"], date=date, id=who)
            )
        entry: dict[str, Any] = {"intervenant": who, "present": here}
        if excuse:
            entry["excused"] = True
        out.append(entry)
    return out


def _target(doc: dict[str, Any], ident: str | None, date: str | None) -> dict[str, Any] | None:
    """The planned meeting being completed: the one given, or the only one that day."""
    if ident is not None:
        found = find(doc, ident)
        if found["status"] != "planned":
            if found["status"] == "held":
                said = _(
                    "concertation {id} is held (on {date}); "
                    "only a planned concertation can be recorded"
                )
            else:
                said = _(
                    "concertation {id} is cancelled (on {date}); "
                    "only a planned concertation can be recorded"
                )
            raise RuleViolation(said.format(id=ident, date=found["date"]))
        return found
    if date is None:
        return None
    same_day = [c for c in doc.get("concertations") or [] if c["status"] == "planned"]
    same_day = [c for c in same_day if c["date"] == date]
    if len(same_day) > 1:
        listed = ", ".join(c["id"] for c in same_day)
        raise RuleViolation(
            _(
                "{count} concertations are planned on {date} ({ids}): "
                "give the one to record as CONCERTATION"
            ).format(count=len(same_day), date=date, ids=listed)
        )
    return same_day[0] if same_day else None


def record(
    doc: dict[str, Any],
    ident: str | None = None,
    *,
    today: str,
    author: str,
    date: str | None = None,
    kind: str | None = None,
    time: str | None = None,
    place: str | None = None,
    organiser: str | None = None,
    participants: Sequence[str] = (),
    absent: Sequence[str] = (),
    excused: Sequence[str] = (),
    person_present: bool | None = None,
    others_present: Sequence[str] = (),
    summary: str | None = None,
    decisions: Sequence[str] = (),
    actions: Sequence[NewAction] = (),
    updates: Sequence[ActionUpdate] = (),
    coordinator: str | None = None,
    next: str | None = None,
    duration: int | None = None,
    end: str | None = None,
    force: bool = False,
    scheme: str | None = None,
    person_agreed: bool | None = None,
    representative_present: bool | None = None,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Record a held meeting; returns it and the next meeting it scheduled, if any.
    A coordinator designated here who leads the concertations is refused unless ``force``."""
    plan_model.require_active(doc)
    plan_model.choice(kind, KINDS, what="--kind")
    check_time(time)
    if ident is None and date is None:
        date = today
    item = _target(doc, ident, date)
    if date is None:  # completing a planned meeting: on its planned day by default
        assert item is not None
        date = item["date"]
    if date > today:
        raise InvalidInput(
            _(
                "--date {date} is in the future: a concertation is recorded once it took "
                "place (schedule it with `reseau concertation plan {person} --date {date}`)"
            ).format(date=date, person=doc["id"])
        )
    if item is None:
        item = {"id": plan_model.new_id(doc, "c"), "status": "planned", "kind": "concertation"}
        concertations(doc).append(item)
    item.update(status="held", date=date)
    _when_where(item, kind=kind, time=time, place=place, duration=duration, end=end)
    if organiser is not None:
        item["organiser"] = ids.check(organiser, what="--organiser")
        if not was_member(doc, organiser, date):
            raise RuleViolation(
                _("--organiser {who} is not in the network on {date}").format(
                    who=repr(organiser), date=date
                )
            )
    listed = _participants(doc, date=date, present=participants, absent=absent, excused=excused)
    if listed:
        item["participants"] = listed
    if person_present is not None:
        item["person_present"] = person_present
    _agreement(item, scheme, person_agreed=person_agreed, representative=representative_present)
    others = [o.strip() for o in others_present if o.strip()]
    if others:
        item["others_present"] = others
    if summary and summary.strip():
        item["summary"] = summary.strip()
    said = [d.strip() for d in decisions if d.strip()]
    if said:
        item["decisions"] = [*(item.get("decisions") or []), *said]
    _apply_actions(doc, item, updates=updates, actions=actions, date=date, author=author)
    if coordinator is not None:
        _designate_at(doc, item, coordinator, date=date, today=today, force=force)
    following = _schedule_next(doc, item, next=next, today=today) if next else None
    return item, following


def _apply_actions(
    doc: dict[str, Any],
    item: dict[str, Any],
    *,
    updates: Sequence[ActionUpdate],
    actions: Sequence[NewAction],
    date: str,
    author: str,
) -> None:
    """The meeting's changes to open actions, and the actions it creates (in the plan)."""
    for update in updates:
        if not any((update.status, update.due, update.note)):
            plan_model.action(doc, update.id)  # an unknown id is refused even so
            continue
        plan_model.set_action(
            doc,
            update.id,
            date=date,
            author=author,
            status=update.status,
            due=update.due,
            note=update.note or None,
        )
    created = []
    for new in actions:
        added = plan_model.add_action(
            doc,
            new.text,
            by=new.by,
            date=date,
            objective_id=new.objective,
            due=new.due,
            start=new.start,
            concertation=item["id"],
        )
        created.append(added["id"])
    if created:
        item["actions"] = [*(item.get("actions") or []), *created]


def _designate_at(
    doc: dict[str, Any],
    item: dict[str, Any],
    coordinator: str,
    *,
    date: str,
    today: str,
    force: bool,
) -> None:
    """The coordinator designated by the meeting (unless they already hold it)."""
    ids.check(coordinator, what="--coordinator")
    current = holder(doc, "coordinator", max(date, today))
    if current != coordinator:
        if not force:
            require_distinct(doc, coordinator, role="coordinator", on=max(date, today))
        designate(
            doc,
            coordinator,
            role="coordinator",
            date=date,
            today=today,
            concertation=item["id"],
        )
    item["coordinator"] = coordinator


def _when_where(
    item: dict[str, Any],
    *,
    kind: str | None,
    time: str | None,
    place: str | None,
    duration: int | None,
    end: str | None,
) -> None:
    """What a record says of the meeting itself, over what was planned."""
    for key, value in (("kind", kind), ("time", time), ("place", place)):
        if value:
            item[key] = value
    minutes = length(item.get("time"), duration=duration, end=end)
    if minutes:
        item["duration_minutes"] = minutes


def _schedule_next(
    doc: dict[str, Any], held: dict[str, Any], *, next: str, today: str
) -> dict[str, Any]:
    if next <= held["date"]:
        raise InvalidInput(
            _("--next {next} must be after the meeting ({date})").format(
                next=next, date=held["date"]
            )
        )
    if next < today:
        raise InvalidInput(
            _("--next {next} is in the past; the next meeting is in the future").format(next=next)
        )
    held["next"] = next
    for c in doc.get("concertations") or []:
        if c["status"] == "planned" and c["date"] == next:
            return c
    invited = [p["intervenant"] for p in held.get("participants") or []]
    organiser = held.get("organiser")
    return plan(
        doc,
        date=next,
        today=today,
        time=held.get("time"),
        duration=held.get("duration_minutes") if held.get("time") else None,
        place=held.get("place"),
        at_home=bool(held.get("at_home")),
        kind=held["kind"],
        organiser=organiser if organiser and is_member(doc, organiser, today) else None,
        invited=[w for w in invited if w != organiser and is_member(doc, w, today)],
    )


def _agreement(
    item: dict[str, Any],
    scheme: str | None,
    *,
    person_agreed: bool | None,
    representative: bool | None,
) -> None:
    """What a record says of the funding scheme, the person's agreement to the
    participants and their representative's presence (None: unchanged)."""
    if scheme is not None:
        item["scheme"] = ids.check(scheme, what="--scheme")
    for key, value in (
        ("person_agreed", person_agreed),
        ("representative_present", representative),
    ):
        if value is not None:
            item[key] = value


def set_scheme(
    doc: dict[str, Any], ident: str, scheme: str | None, *, person_agreed: bool | None = None
) -> dict[str, Any]:
    """Put a planned or held concertation under a funding scheme (None: under none); a
    scheme given after the meeting is allowed, and checked then."""
    plan_model.require_active(doc)
    item = find(doc, ident)
    if item["status"] == "cancelled":
        raise RuleViolation(
            _("concertation {id} is cancelled; it counts for no scheme").format(id=ident)
        )
    if scheme is None:
        item.pop("scheme", None)
    else:
        item["scheme"] = ids.check(scheme, what="SCHEME")
    if person_agreed is not None:
        item["person_agreed"] = person_agreed
    return item


def cancel(doc: dict[str, Any], ident: str, *, reason: str) -> dict[str, Any]:
    """Cancel a planned meeting; it stays in the file with the reason."""
    plan_model.require_active(doc)
    item = find(doc, ident)
    if item["status"] != "planned":
        if item["status"] == "held":
            said = _("concertation {id} is held; only a planned one can be cancelled")
        else:
            said = _("concertation {id} is cancelled; only a planned one can be cancelled")
        raise RuleViolation(said.format(id=ident))
    if not reason.strip():
        raise InvalidInput(_("--reason must not be empty"))
    item["status"] = "cancelled"
    item["cancelled_reason"] = reason.strip()
    return item
