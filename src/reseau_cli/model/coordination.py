"""Who coordinates: designating the coordinator or the concertation lead, with history."""

from __future__ import annotations

from typing import Any

from reseau_cli.errors import InvalidInput, RuleViolation
from reseau_cli.model.network import is_member

ROLES = ("coordinator", "concertation_lead")


def _coordination(doc: dict[str, Any]) -> dict[str, Any]:
    coordination = doc.setdefault("coordination", {})
    coordination.setdefault("coordinator", None)
    coordination.setdefault("concertation_lead", None)
    coordination.setdefault("history", [])
    return coordination


def designate(
    doc: dict[str, Any],
    who: str,
    *,
    role: str = "coordinator",
    date: str,
    note: str | None = None,
    concertation: str | None = None,
) -> dict[str, Any]:
    """Designate ``who`` (a current member on ``date``) in ``role``; returns the designation.

    The previous open designation of that role ends on ``date``; the history keeps it.
    """
    if role not in ROLES:
        raise InvalidInput(f"invalid role {role!r}: choose one of {', '.join(ROLES)}")
    label = role.replace("_", " ")
    if not is_member(doc, who, date):
        raise RuleViolation(
            f"{who!r} is not a current member of {doc['id']}'s network on {date}; "
            f"only a member can be designated {label}"
        )
    coordination = _coordination(doc)
    history = coordination["history"]
    opened = [d for d in history if d["role"] == role and d.get("until") is None]
    if coordination.get(role) == who and any(d["intervenant"] == who for d in opened):
        raise RuleViolation(f"{who!r} is already the {label} of {doc['id']}")
    for previous in opened:
        if date < previous["since"]:
            raise InvalidInput(
                f"--date {date} is before the current {label} designation "
                f"({previous['intervenant']}, since {previous['since']})"
            )
    for previous in opened:
        previous["until"] = date
    entry: dict[str, Any] = {"role": role, "intervenant": who, "since": date}
    if note and note.strip():
        entry["note"] = note.strip()
    if concertation:
        entry["concertation"] = concertation
    history.append(entry)
    coordination[role] = who
    return entry
