"""Creating and closing a person document."""

from __future__ import annotations

from typing import Any

from reseau_cli import dates
from reseau_cli.errors import InvalidInput, RuleViolation
from reseau_cli.formats import FORMAT

MAX_AGE = 130  # a birth date further back is a typing mistake


def new(
    ident: str,
    *,
    family_name: str,
    given_name: str,
    today: str,
    birth_date: str | None = None,
    situation: str | None = None,
    phone: str | None = None,
    address: str | None = None,
) -> dict[str, Any]:
    """A new active person with an empty network and plan."""
    family_name, given_name = family_name.strip(), given_name.strip()
    if not family_name or not given_name:
        raise InvalidInput("family and given names must not be empty")
    if birth_date is not None:
        born = dates.parse(birth_date, what="--birth-date").isoformat()
        if born > today:
            raise InvalidInput(f"--birth-date {birth_date} is in the future")
        if dates.age(birth_date, dates.parse(today)) > MAX_AGE:
            raise InvalidInput(f"--birth-date {birth_date} is more than {MAX_AGE} years ago")
    identity: dict[str, Any] = {"family_name": family_name, "given_name": given_name}
    if birth_date:
        identity["birth_date"] = birth_date
    if phone:
        identity["phone"] = phone
    if address:
        identity["address"] = address
    doc: dict[str, Any] = {
        "format": FORMAT,
        "id": ident,
        "status": "active",
        "opened": today,
        "identity": identity,
    }
    if situation and situation.strip():
        doc["situation"] = situation.strip()
    doc["network"] = []
    doc["coordination"] = {"coordinator": None, "concertation_lead": None, "history": []}
    doc["plan"] = {"objectives": [], "actions": []}
    doc["concertations"] = []
    return doc


def close(doc: dict[str, Any], *, date: str, reason: str, today: str) -> dict[str, Any]:
    """End the accompaniment: the file stays, with its whole history."""
    if doc.get("status") == "closed":
        closed = doc.get("closed") or {}
        raise RuleViolation(f"{doc['id']} is already closed (on {closed.get('date', '?')})")
    if not reason.strip():
        raise InvalidInput("--reason must not be empty")
    if date > today:
        raise InvalidInput(
            f"--date {date} is in the future: close the accompaniment on the day it ends"
        )
    if doc.get("opened") and date < doc["opened"]:
        raise InvalidInput(f"--date {date} is before the accompaniment opened ({doc['opened']})")
    doc["status"] = "closed"
    doc["closed"] = {"date": date, "reason": reason.strip()}
    return doc


def require_active(doc: dict[str, Any], *, kept: str) -> None:
    """Refuse to change a closed person: ``kept`` says what stays as it was."""
    if doc.get("status") == "closed":
        closed = doc.get("closed") or {}
        raise RuleViolation(f"{doc['id']} is closed (since {closed.get('date', '?')}); {kept}")
