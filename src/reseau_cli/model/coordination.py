"""Designating the coordinator and the concertation lead, now or ahead of time.

Each function mutates and returns (or reports on) the person document; keyword
arguments mirror the CLI flags. Reading who holds a function on a date is in
``model.network`` (``current_designation``, ``holder``).
"""

from __future__ import annotations

from reseau_cli.errors import InvalidInput, RuleViolation
from reseau_cli.i18n import _
from reseau_cli.model.network import (
    ROLES,
    _require_active,
    by_role,
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

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


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
    _require_member(doc, who, date=date, today=today, role=role)
    coordination = _coordination(doc)
    previous = current_designation(doc, role, max(date, today))
    if previous is not None and previous["intervenant"] == who:
        if previous["since"] <= today:
            said = by_role(
                role,
                _("{who} is already the coordinator of {person}"),
                _("{who} is already the concertation lead of {person}"),
            )
        else:
            said = by_role(
                role,
                _("{who} is already designated coordinator of {person} from {since}"),
                _("{who} is already designated concertation lead of {person} from {since}"),
            )
        raise RuleViolation(said.format(who=repr(who), person=doc["id"], since=previous["since"]))
    if previous is not None and date < previous["since"]:
        said = by_role(
            role,
            _("--date {date} is before {who} became coordinator ({since})"),
            _("--date {date} is before {who} became concertation lead ({since})"),
        )
        raise InvalidInput(
            said.format(date=date, who=repr(previous["intervenant"]), since=previous["since"])
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
        said = by_role(
            other,
            _(
                "{who} is the coordinator of {person} on {date}: coordinator and "
                "concertation lead are independent functions, held by two people; "
                "add --force to give them both to the same person all the same"
            ),
            _(
                "{who} is the concertation lead of {person} on {date}: coordinator and "
                "concertation lead are independent functions, held by two people; "
                "add --force to give them both to the same person all the same"
            ),
        )
        raise RuleViolation(said.format(who=repr(who), person=doc["id"], date=on))


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
            said = by_role(
                role,
                _(
                    "{person} has no coordinator on {date}; {who} is designated from {since} "
                    "(to cancel that: `reseau coordinator unset {person} --date {since}`)"
                ),
                _(
                    "{person} has no concertation lead on {date}; {who} is designated from "
                    "{since} (to cancel that: `reseau coordinator unset {person} --lead "
                    "--date {since}`)"
                ),
            )
            raise RuleViolation(
                said.format(
                    person=doc["id"],
                    date=max(date, today),
                    who=repr(nxt["intervenant"]),
                    since=nxt["since"],
                )
            )
        said = by_role(
            role, _("{person} has no coordinator"), _("{person} has no concertation lead")
        )
        raise RuleViolation(said.format(person=doc["id"]))
    if date < found["since"]:
        said = by_role(
            role,
            _("--date {date} is before {who} became coordinator ({since})"),
            _("--date {date} is before {who} became concertation lead ({since})"),
        )
        raise InvalidInput(
            said.format(date=date, who=repr(found["intervenant"]), since=found["since"])
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


def _require_member(doc: dict[str, Any], who: str, *, date: str, today: str, role: str) -> None:
    mine = memberships(doc, who)
    if not mine:
        raise RuleViolation(
            _(
                "{who} is not in {person}'s network; add them first with "
                "`reseau intervenant add {person} --id {id}`"
            ).format(who=repr(who), person=doc["id"], id=who)
        )
    if is_member(doc, who, date) and is_member(doc, who, max(date, today)):
        return
    if not any(m.get("until") is None or m["until"] > max(date, today) for m in mine):
        last = max(m["until"] for m in mine)
        said = by_role(
            role,
            _(
                "the membership of {who} in {person}'s network ended on {date}; "
                "only a current member can be the coordinator"
            ),
            _(
                "the membership of {who} in {person}'s network ended on {date}; "
                "only a current member can be the concertation lead"
            ),
        )
        raise RuleViolation(said.format(who=repr(who), person=doc["id"], date=last))
    start = min(m["since"] for m in mine if m.get("until") is None or m["until"] > date)
    said = by_role(
        role,
        _(
            "--date {date} is before {who} joined {person}'s network ({since}); "
            "the coordinator must be a member on that date"
        ),
        _(
            "--date {date} is before {who} joined {person}'s network ({since}); "
            "the concertation lead must be a member on that date"
        ),
    )
    raise InvalidInput(said.format(date=date, who=repr(who), person=doc["id"], since=start))


def _require_free(
    doc: dict[str, Any], role: str, *, date: str, today: str, but: dict[str, Any] | None
) -> None:
    """A designation from ``date`` must not overlap another one (except ``but``, which
    it replaces): one planned later, or one that ended after ``date``."""
    for d in designations(doc, role):
        if d is but or never_held(d):
            continue
        if d["since"] > max(date, today):
            said = by_role(
                role,
                _(
                    "{who} is already designated coordinator of {person} from {since}; to "
                    "replace that designation, cancel it first with "
                    "`reseau coordinator unset {person} --date {since}`"
                ),
                _(
                    "{who} is already designated concertation lead of {person} from {since}; "
                    "to replace that designation, cancel it first with "
                    "`reseau coordinator unset {person} --lead --date {since}`"
                ),
            )
            raise RuleViolation(
                said.format(who=repr(d["intervenant"]), person=doc["id"], since=d["since"])
            )
        if d.get("until") is None or d["until"] > date:
            said = by_role(
                role,
                _(
                    "--date {date} overlaps the designation of {who} as coordinator "
                    "({since} → {until}); the new one starts on {end} or later"
                ),
                _(
                    "--date {date} overlaps the designation of {who} as concertation lead "
                    "({since} → {until}); the new one starts on {end} or later"
                ),
            )
            raise InvalidInput(
                said.format(
                    date=date,
                    who=repr(d["intervenant"]),
                    since=d["since"],
                    until=d.get("until") or _("open"),
                    end=d.get("until"),
                )
            )
