"""Designating the coordinator and the concertation lead, now or ahead of time.

Each function mutates and returns (or reports on) the person document; keyword
arguments mirror the CLI flags. Reading who holds a function on a date is in
``model.network`` (``current_designation``, ``holder``).
"""

from __future__ import annotations

from typing import Any

from reseau_cli.errors import InvalidInput, RuleViolation
from reseau_cli.model.network import (
    ROLES,
    _require_active,
    current_designation,
    designations,
    end_designation,
    holder,
    is_member,
    memberships,
    never_held,
    refresh,
    upcoming_designations,
)


def designate(
    doc: dict[str, Any],
    who: str,
    *,
    role: str,
    date: str,
    today: str,
    note: str | None = None,
    concertation: str | None = None,
) -> dict[str, Any] | None:
    """Make ``who`` the coordinator (or concertation lead) from ``date``.

    They must be a member of the network on that date and today. The designation in
    force on ``date`` (or today, for a date in the past) ends on ``date``; every
    designation stays in ``coordination.history``. A date in the future plans the
    handover: until then the current holder stays. Returns the designation so ended.
    """
    label = ROLES[role]
    _require_active(doc)
    _require_member(doc, who, date=date, today=today, label=label)
    coordination = _coordination(doc)
    previous = current_designation(doc, role, max(date, today))
    if previous is not None and previous["intervenant"] == who:
        if previous["since"] <= today:
            raise RuleViolation(f"{who!r} is already the {label} of {doc['id']}")
        raise RuleViolation(
            f"{who!r} is already designated {label} of {doc['id']} from {previous['since']}"
        )
    if previous is not None and date < previous["since"]:
        raise InvalidInput(
            f"--date {date} is before {previous['intervenant']!r} became {label} "
            f"({previous['since']})"
        )
    _require_free(doc, role, date=date, today=today, but=previous)
    if previous is not None:
        end_designation(previous, date=date, reason=None, label=label)
    entry: dict[str, Any] = {"role": role, "intervenant": who, "since": date}
    if note and note.strip():
        entry["note"] = note.strip()
    if concertation:
        entry["concertation"] = concertation
    coordination["history"].append(entry)
    refresh(doc, today)
    return previous


def require_distinct(doc: dict[str, Any], who: str, *, role: str, on: str) -> None:
    """Refuse to give one intervenant both functions: coordination and concertation
    lead are independent, as the field keeps them (``--force`` skips this check)."""
    other = "concertation_lead" if role == "coordinator" else "coordinator"
    if holder(doc, other, on) == who:
        raise RuleViolation(
            f"{who!r} is the {ROLES[other]} of {doc['id']} on {on}: coordinator and "
            "concertation lead are independent functions, held by two people; "
            "add --force to give them both to the same person all the same"
        )


def undesignate(
    doc: dict[str, Any], *, role: str, date: str, today: str, reason: str | None = None
) -> dict[str, Any]:
    """End on ``date`` the designation of ``role`` in force then (or today, for a date in
    the past); returns it. A designation not started yet ends before it starts when
    ``date`` is its first day: it is cancelled."""
    _require_active(doc)
    label = ROLES[role]
    coordination = _coordination(doc)
    if not designations(doc, role) and coordination.get(role) is not None:
        # A coordinator given by hand, without history: nothing to close but the field.
        legacy = {"role": role, "intervenant": coordination[role], "since": date}
        coordination[role] = None
        return legacy
    found = current_designation(doc, role, max(date, today))
    if found is None:
        coming = upcoming_designations(doc, role, max(date, today))
        if coming:
            nxt = coming[0]
            lead = " --lead" if role == "concertation_lead" else ""
            raise RuleViolation(
                f"{doc['id']} has no {label} on {max(date, today)}; {nxt['intervenant']!r} "
                f"is designated from {nxt['since']} (to cancel that: "
                f"`reseau coordinator unset {doc['id']}{lead} --date {nxt['since']}`)"
            )
        raise RuleViolation(f"{doc['id']} has no {label}")
    if date < found["since"]:
        raise InvalidInput(
            f"--date {date} is before {found['intervenant']!r} became {label} ({found['since']})"
        )
    if date == found["since"] > today:
        _restore_before(doc, found)
    end_designation(found, date=date, reason=reason, label=label)
    refresh(doc, today)
    return found


def _restore_before(doc: dict[str, Any], cancelled: dict[str, Any]) -> None:
    """A handover planned ahead is cancelled: the designation it was to end (on its
    first day, for no other reason) runs on, if that holder is still a member then."""
    for d in designations(doc, cancelled["role"]):
        if (
            d is not cancelled
            and d.get("until") == cancelled["since"]
            and not never_held(d)
            and not d.get("reason")
            and is_member(doc, d["intervenant"], cancelled["since"])
        ):
            if cancelled.get("until") is None:
                del d["until"]
            else:
                d["until"] = cancelled["until"]


def _coordination(doc: dict[str, Any]) -> dict[str, Any]:
    coordination = doc.setdefault("coordination", {})
    coordination.setdefault("coordinator", None)
    coordination.setdefault("concertation_lead", None)
    coordination.setdefault("history", [])
    return coordination


def _require_member(doc: dict[str, Any], who: str, *, date: str, today: str, label: str) -> None:
    mine = memberships(doc, who)
    if not mine:
        raise RuleViolation(
            f"{who!r} is not in {doc['id']}'s network; add them first with "
            f"`reseau intervenant add {doc['id']} --id {who}`"
        )
    if is_member(doc, who, date) and is_member(doc, who, max(date, today)):
        return
    if not any(m.get("until") is None or m["until"] > max(date, today) for m in mine):
        last = max(m["until"] for m in mine)
        raise RuleViolation(
            f"the membership of {who!r} in {doc['id']}'s network ended on {last}; "
            f"only a current member can be the {label}"
        )
    start = min(m["since"] for m in mine if m.get("until") is None or m["until"] > date)
    raise InvalidInput(
        f"--date {date} is before {who!r} joined {doc['id']}'s network ({start}); "
        f"the {label} must be a member on that date"
    )


def _require_free(
    doc: dict[str, Any], role: str, *, date: str, today: str, but: dict[str, Any] | None
) -> None:
    """A designation from ``date`` must not overlap another one (except ``but``, which
    it replaces): one planned later, or one that ended after ``date``."""
    label = ROLES[role]
    for d in designations(doc, role):
        if d is but or never_held(d):
            continue
        if d["since"] > max(date, today):
            lead = " --lead" if role == "concertation_lead" else ""
            raise RuleViolation(
                f"{d['intervenant']!r} is already designated {label} of {doc['id']} from "
                f"{d['since']}; to replace that designation, cancel it first with "
                f"`reseau coordinator unset {doc['id']}{lead} --date {d['since']}`"
            )
        if d.get("until") is None or d["until"] > date:
            raise InvalidInput(
                f"--date {date} overlaps the designation of {d['intervenant']!r} as {label} "
                f"({d['since']} → {d.get('until') or 'open'}); the new one starts on "
                f"{d.get('until')} or later"
            )
