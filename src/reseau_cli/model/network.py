"""Reading a person's network: who is (or was) a member, and when."""

from __future__ import annotations

from collections.abc import Callable

from reseau_cli.errors import InvalidInput, RuleViolation
from reseau_cli.i18n import _
from reseau_cli.model import person

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PERSON = "person"  # the `by` of an action the person takes on themself


def memberships(doc: dict[str, Any], intervenant: str | None = None) -> list[dict[str, Any]]:
    """Network entries, all or those of one intervenant."""
    found = doc.get("network") or []
    if intervenant is None:
        return list(found)
    return [m for m in found if m.get("intervenant") == intervenant]


def is_current(membership: dict[str, Any], on: str) -> bool:
    """A membership is current on date ``on`` when it started and has not ended."""
    until = membership.get("until")
    return membership["since"] <= on and (until is None or until > on)


def current_members(doc: dict[str, Any], on: str) -> list[dict[str, Any]]:
    return [m for m in memberships(doc) if is_current(m, on)]


def is_member(doc: dict[str, Any], intervenant: str, on: str) -> bool:
    return any(is_current(m, on) for m in memberships(doc, intervenant))


def was_member(doc: dict[str, Any], intervenant: str, on: str | None = None) -> bool:
    """Member at date ``on`` (membership ``until`` included), or ever if no date."""
    for m in memberships(doc, intervenant):
        if on is None:
            return True
        until = m.get("until")
        if m["since"] <= on and (until is None or until >= on):
            return True
    return False


def display_name(doc: dict[str, Any]) -> str:
    identity = doc.get("identity") or {}
    return f"{identity.get('given_name', '')} {identity.get('family_name', '')}".strip()


# -- reading the coordination ------------------------------------------------------------
# `coordination.history` is the authority: each designation runs from `since` (included)
# to `until` (excluded; none = open) and may start in the future (a handover planned
# ahead, CASES.md case 3). `coordination.coordinator` and `.concertation_lead` name who
# holds the function on the day the file was written: a handover that has taken effect
# since is not there yet, so whoever needs "who coordinates on date D" asks the history,
# through `current_designation` / `holder`. Commands see persons as of today through
# the repository view `today_view`, which never changes the document read.

ROLES = {"coordinator": "coordinator", "concertation_lead": "concertation lead"}


def by_role(role: str, coordinator: str, lead: str) -> str:
    """The sentence about ROLE: each function has its own whole, translated sentences
    (never a translated word glued into a sentence)."""
    return lead if role == "concertation_lead" else coordinator


def designations(doc: dict[str, Any], role: str) -> list[dict[str, Any]]:
    """The designations of ``role`` in the history, in order of start."""
    history = (doc.get("coordination") or {}).get("history") or []
    found = (
        d
        for d in history
        if isinstance(d, dict) and d.get("role") == role and isinstance(d.get("since"), str)
    )
    return sorted(found, key=lambda d: d["since"])


def never_held(designation: dict[str, Any]) -> bool:
    """A designation cancelled before it started (``until`` = ``since``)."""
    return designation.get("until") == designation["since"]


def covers(designation: dict[str, Any], on: str) -> bool:
    """The designation is in force on date ``on``."""
    until = designation.get("until")
    return designation["since"] <= on and (until is None or until > on)


def current_designation(doc: dict[str, Any], role: str, on: str) -> dict[str, Any] | None:
    """The designation of ``role`` in force on date ``on``, if any."""
    found = [d for d in designations(doc, role) if covers(d, on)]
    return found[-1] if found else None


def holder(doc: dict[str, Any], role: str, on: str) -> str | None:
    """Who is the coordinator (or concertation lead) on date ``on``.

    A file whose history has no designation of that role at all (written by hand)
    is taken at its word: the field.
    """
    if not designations(doc, role):
        return (doc.get("coordination") or {}).get(role)
    found = current_designation(doc, role, on)
    return found["intervenant"] if found else None


def upcoming_designations(doc: dict[str, Any], role: str, on: str) -> list[dict[str, Any]]:
    """Designations of ``role`` that start after ``on`` (handovers planned ahead)."""
    return [d for d in designations(doc, role) if d["since"] > on and not never_held(d)]


def as_of(doc: dict[str, Any], today: str) -> dict[str, Any]:
    """``doc`` with its coordinator and concertation lead fields naming who holds them
    ``today``: a handover planned ahead takes effect on its date, whether or not the
    file was written since. ``doc`` itself is left as it is (a shallow copy is returned
    when anything differs)."""
    coordination = doc.get("coordination")
    if not isinstance(coordination, dict):
        return doc
    now = _holders(doc, today)
    if all(coordination.get(role) == who for role, who in now.items()):
        return doc
    return {**doc, "coordination": {**coordination, **now}}


def refresh(doc: dict[str, Any], today: str) -> dict[str, Any]:
    """Set ``doc``'s coordinator and lead fields to who holds them ``today`` (in place):
    what a change writes after touching the designations."""
    coordination = doc.get("coordination")
    if isinstance(coordination, dict):
        coordination.update(_holders(doc, today))
    return doc


def _holders(doc: dict[str, Any], today: str) -> dict[str, str | None]:
    return {role: holder(doc, role, today) for role in ROLES if designations(doc, role)}


def today_view(today: str) -> Callable[[str, Any], Any]:
    """A repository view that presents every person as of ``today`` (see ``as_of``)."""

    def view(kind: str, doc: Any) -> Any:
        return as_of(doc, today) if kind == "person" and isinstance(doc, dict) else doc

    return view


# -- changing the network -------------------------------------------------------------
# Each function mutates and returns the person document; keyword arguments mirror the
# CLI flags. They raise InvalidInput / RuleViolation with a message meant for the user.


def _require_active(doc: dict[str, Any]) -> None:
    person.require_active(doc, kept="its network is history")


def open_membership(doc: dict[str, Any], intervenant: str) -> dict[str, Any] | None:
    """The membership of ``intervenant`` that has no end date, if any."""
    for m in memberships(doc, intervenant):
        if m.get("until") is None:
            return m
    return None


def join(
    doc: dict[str, Any], intervenant: str, *, role: str | None = None, since: str
) -> dict[str, Any]:
    """Add ``intervenant`` to the network from ``since``; a past membership stays as history."""
    _require_active(doc)
    for m in memberships(doc, intervenant):
        until = m.get("until")
        if until is None:
            raise RuleViolation(
                _(
                    "{who} is already in {person}'s network (since {since}); end that "
                    "membership first with `reseau intervenant end {person} {id}`"
                ).format(who=repr(intervenant), person=doc["id"], since=m["since"], id=intervenant)
            )
        if until > since:
            raise InvalidInput(
                _(
                    "--since {date} falls within an earlier membership of {who} "
                    "({since} → {until}); a new membership starts on {until} or later"
                ).format(date=since, who=repr(intervenant), since=m["since"], until=until)
            )
    entry: dict[str, Any] = {"intervenant": intervenant}
    if role and role.strip():
        entry["role"] = role.strip()
    entry["since"] = since
    doc.setdefault("network", []).append(entry)
    return doc


def end_membership(
    doc: dict[str, Any], who: str, *, date: str, today: str, reason: str | None = None
) -> list[str]:
    """End ``who``'s open membership on ``date``; the entry stays as history.

    A coordinator or concertation lead who leaves the network no longer holds that
    function: their designation ends the same day. Returns the roles so ended.
    """
    _require_active(doc)
    found = memberships(doc, who)
    if not found:
        raise RuleViolation(
            _("{who} is not in {person}'s network").format(who=repr(who), person=doc["id"])
        )
    membership = open_membership(doc, who)
    if membership is None:
        last = max(m["until"] for m in found)
        raise RuleViolation(
            _("the membership of {who} in {person}'s network already ended on {date}").format(
                who=repr(who), person=doc["id"], date=last
            )
        )
    if date < membership["since"]:
        raise InvalidInput(
            _("--date {date} is before {who} joined {person}'s network ({since})").format(
                date=date, who=repr(who), person=doc["id"], since=membership["since"]
            )
        )
    ended = []
    for role, label in ROLES.items():
        for d in designations(doc, role):
            if d["intervenant"] != who or never_held(d):
                continue
            if d.get("until") is not None and d["until"] <= date:
                continue
            if d["since"] > date and d["since"] > today:
                said = by_role(
                    role,
                    _(
                        "{who} is designated coordinator of {person} from {since}, after "
                        "leaving the network on {date}: cancel that designation first with "
                        "`reseau coordinator unset {person} --date {since}`"
                    ),
                    _(
                        "{who} is designated concertation lead of {person} from {since}, after "
                        "leaving the network on {date}: cancel that designation first with "
                        "`reseau coordinator unset {person} --lead --date {since}`"
                    ),
                )
                raise RuleViolation(
                    said.format(who=repr(who), person=doc["id"], since=d["since"], date=date)
                )
            end_designation(d, date=date, reason="left the network", label=label)
            ended.append(role)
    membership["until"] = date
    if reason and reason.strip():
        membership["reason"] = reason.strip()
    refresh(doc, today)
    return ended


def end_designation(
    designation: dict[str, Any], *, date: str, reason: str | None, label: str
) -> None:
    """End a designation on ``date`` (it must have started by then)."""
    if date < designation["since"]:
        said = by_role(
            designation.get("role", "coordinator"),
            _("--date {date} is before {who} became coordinator ({since})"),
            _("--date {date} is before {who} became concertation lead ({since})"),
        )
        raise InvalidInput(
            said.format(date=date, who=repr(designation["intervenant"]), since=designation["since"])
        )
    designation["until"] = date
    if reason and reason.strip():
        designation["reason"] = reason.strip()
