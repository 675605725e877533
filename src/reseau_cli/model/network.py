"""Reading a person's network: who is (or was) a member, and when."""

from __future__ import annotations

from typing import Any

from reseau_cli.errors import InvalidInput, RuleViolation

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


# -- changing the network -------------------------------------------------------------
# Each function mutates and returns the person document; keyword arguments mirror the
# CLI flags. They raise InvalidInput / RuleViolation with a message meant for the user.

ROLES = {"coordinator": "coordinator", "concertation_lead": "concertation lead"}


def _require_active(doc: dict[str, Any]) -> None:
    if doc.get("status") == "closed":
        closed = doc.get("closed") or {}
        raise RuleViolation(
            f"{doc['id']} is closed (since {closed.get('date', '?')}); its network is history"
        )


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
                f"{intervenant!r} is already in {doc['id']}'s network (since {m['since']}); "
                f"end that membership first with `reseau intervenant end {doc['id']} {intervenant}`"
            )
        if until > since:
            raise InvalidInput(
                f"--since {since} falls within an earlier membership of {intervenant!r} "
                f"({m['since']} → {until}); a new membership starts on {until} or later"
            )
    entry: dict[str, Any] = {"intervenant": intervenant}
    if role and role.strip():
        entry["role"] = role.strip()
    entry["since"] = since
    doc.setdefault("network", []).append(entry)
    return doc


def end_membership(
    doc: dict[str, Any], who: str, *, date: str, reason: str | None = None
) -> list[str]:
    """End ``who``'s open membership on ``date``; the entry stays as history.

    A coordinator or concertation lead who leaves the network no longer holds that
    function: their designation ends the same day. Returns the roles so ended.
    """
    _require_active(doc)
    found = memberships(doc, who)
    if not found:
        raise RuleViolation(f"{who!r} is not in {doc['id']}'s network")
    membership = open_membership(doc, who)
    if membership is None:
        last = max(m["until"] for m in found)
        raise RuleViolation(
            f"the membership of {who!r} in {doc['id']}'s network already ended on {last}"
        )
    if date < membership["since"]:
        raise InvalidInput(
            f"--date {date} is before {who!r} joined {doc['id']}'s network ({membership['since']})"
        )
    coordination = _coordination(doc)
    ended = []
    for role in ROLES:
        if coordination.get(role) == who:
            _close_designation(doc, role, date=date, reason="left the network")
            ended.append(role)
    membership["until"] = date
    if reason and reason.strip():
        membership["reason"] = reason.strip()
    return ended


def designate(
    doc: dict[str, Any],
    who: str,
    *,
    role: str,
    date: str,
    today: str,
    note: str | None = None,
    concertation: str | None = None,
) -> dict[str, Any]:
    """Make ``who`` the coordinator (or concertation lead) from ``date``.

    They must be a member of the network on that date and today. The previous holder's
    designation ends on ``date``; every designation stays in ``coordination.history``.
    """
    label = ROLES[role]
    _require_active(doc)
    _require_member(doc, who, date=date, today=today, label=label)
    coordination = _coordination(doc)
    if coordination.get(role) == who:
        raise RuleViolation(f"{who!r} is already the {label} of {doc['id']}")
    if coordination.get(role) is not None:
        _close_designation(doc, role, date=date, reason=None)
    entry: dict[str, Any] = {"role": role, "intervenant": who, "since": date}
    if note and note.strip():
        entry["note"] = note.strip()
    if concertation:
        entry["concertation"] = concertation
    coordination["history"].append(entry)
    coordination[role] = who
    return doc


def undesignate(doc: dict[str, Any], *, role: str, date: str, reason: str | None = None) -> str:
    """End the current designation of ``role`` on ``date``; returns who held it."""
    _require_active(doc)
    coordination = _coordination(doc)
    who = coordination.get(role)
    if who is None:
        raise RuleViolation(f"{doc['id']} has no {ROLES[role]}")
    _close_designation(doc, role, date=date, reason=reason)
    return who


def open_actions(doc: dict[str, Any], who: str) -> list[str]:
    """Ids of the plan's planned or ongoing actions that ``who`` is responsible for."""
    actions = (doc.get("plan") or {}).get("actions") or []
    return [a["id"] for a in actions if a.get("by") == who and a.get("status") in OPEN_ACTIONS]


OPEN_ACTIONS = ("planned", "ongoing")


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


def _close_designation(doc: dict[str, Any], role: str, *, date: str, reason: str | None) -> None:
    """End the open designation of ``role`` on ``date`` and clear the field."""
    coordination = _coordination(doc)
    who = coordination[role]
    for d in reversed(coordination["history"]):
        if d["role"] == role and d["intervenant"] == who and d.get("until") is None:
            if date < d["since"]:
                raise InvalidInput(
                    f"--date {date} is before {who!r} became {ROLES[role]} ({d['since']})"
                )
            d["until"] = date
            if reason and reason.strip():
                d["reason"] = reason.strip()
            break
    coordination[role] = None
