"""Creating and closing a person document."""

from __future__ import annotations

from reseau_cli import dates
from reseau_cli.errors import InvalidInput, RuleViolation
from reseau_cli.formats import FORMAT
from reseau_cli.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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
        raise InvalidInput(_("family and given names must not be empty"))
    if birth_date is not None:
        born = dates.parse(birth_date, what="--birth-date").isoformat()
        if born > today:
            raise InvalidInput(_("--birth-date {date} is in the future").format(date=birth_date))
        if dates.age(birth_date, dates.parse(today)) > MAX_AGE:
            raise InvalidInput(
                _("--birth-date {date} is more than {years} years ago").format(
                    date=birth_date, years=MAX_AGE
                )
            )
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
        raise RuleViolation(
            _(
                "{person} is already closed (on {date}); "
                "reopen it with `reseau person reopen {person} --reason TEXT`"
            ).format(person=doc["id"], date=closed.get("date", "?"))
        )
    if not reason.strip():
        raise InvalidInput(_("--reason must not be empty"))
    if date > today:
        raise InvalidInput(
            _("--date {date} is in the future: close the accompaniment on the day it ends").format(
                date=date
            )
        )
    if doc.get("opened") and date < doc["opened"]:
        raise InvalidInput(
            _("--date {date} is before the accompaniment opened ({opened})").format(
                date=date, opened=doc["opened"]
            )
        )
    doc["status"] = "closed"
    doc["closed"] = {"date": date, "reason": reason.strip()}
    # No meeting takes place around a closed accompaniment: planned ones are cancelled,
    # with the closing reason, so nobody is invited to them.
    for c in doc.get("concertations") or []:
        if c["status"] == "planned":
            c["status"] = "cancelled"
            c["cancelled_reason"] = reason.strip()
    return doc


def reopen(doc: dict[str, Any], *, date: str, reason: str | None, today: str) -> dict[str, Any]:
    """Take a closed accompaniment up again; the closing stays in ``closures``."""
    if doc.get("status") != "closed":
        raise RuleViolation(
            _("{person} is not closed: there is nothing to reopen").format(person=doc["id"])
        )
    closed = doc.get("closed") or {}
    if date > today:
        raise InvalidInput(
            _("--date {date} is in the future: reopen on the day it starts again").format(date=date)
        )
    if closed.get("date") and date < closed["date"]:
        raise InvalidInput(
            _("--date {date} is before the accompaniment closed ({closed})").format(
                date=date, closed=closed["date"]
            )
        )
    entry: dict[str, Any] = {"closed": closed.get("date") or date, "reason": closed.get("reason")}
    entry["reopened"] = date
    if reason is not None and reason.strip():
        entry["note"] = reason.strip()
    if not entry["reason"]:
        del entry["reason"]
    doc.setdefault("closures", []).append(entry)
    doc.pop("closed", None)
    doc["status"] = "active"
    return doc


def reopen_hint(ident: str) -> str:
    return _("reopen it with `reseau person reopen {person} --reason TEXT`").format(person=ident)


def namesake(
    docs: list[dict[str, Any]], *, family_name: str, given_name: str, birth_date: str | None
) -> dict[str, Any] | None:
    """An existing person (active or closed) with the same family name, given name and
    birth date: case, accents and spacing ignored, as people type names."""
    from reseau_cli.text import same as same_name

    for doc in docs:
        identity = doc.get("identity") or {}
        if (
            same_name(identity.get("family_name", ""), family_name)
            and same_name(identity.get("given_name", ""), given_name)
            and identity.get("birth_date") == birth_date
        ):
            return doc
    return None


def namesake_refusal(found: dict[str, Any]) -> RuleViolation:
    ident = found["id"]
    if found.get("status") == "closed":
        closed = (found.get("closed") or {}).get("date", "?")
        said = _(
            "{person} has the same family name, given name and birth date, a closed file "
            "(since {date}): for a re-referral, reopen it with "
            "`reseau person reopen {person} --reason TEXT`; "
            "add --force to create a second file all the same"
        )
        return RuleViolation(said.format(person=ident, date=closed))
    return RuleViolation(
        _(
            "{person} has the same family name, given name and birth date, an active file: "
            "see `reseau person show {person}`; add --force to create a second file all the same"
        ).format(person=ident)
    )


def require_active(doc: dict[str, Any], *, kept: str) -> None:
    """Refuse to change a closed person: ``kept`` says what stays as it was, and how
    to take the accompaniment up again."""
    if doc.get("status") == "closed":
        closed = doc.get("closed") or {}
        sentence = _CLOSED.get(kept)
        if sentence is None:  # KEPT as the caller wrote it
            said = _(
                "{person} is closed (since {date}); {kept}; "
                "reopen it with `reseau person reopen {person} --reason TEXT`"
            )
        else:
            said = sentence()
        raise RuleViolation(said.format(person=doc["id"], date=closed.get("date", "?"), kept=kept))


# What stays as it was when a closed person's file is not changed: one whole sentence each.
_CLOSED = {
    "its evaluations are kept as they were": lambda: _(
        "{person} is closed (since {date}); its evaluations are kept as they were; "
        "reopen it with `reseau person reopen {person} --reason TEXT`"
    ),
    "its plan and concertations are kept as they were": lambda: _(
        "{person} is closed (since {date}); its plan and concertations are kept as they were; "
        "reopen it with `reseau person reopen {person} --reason TEXT`"
    ),
    "its network is history": lambda: _(
        "{person} is closed (since {date}); its network is history; "
        "reopen it with `reseau person reopen {person} --reason TEXT`"
    ),
    "its consent stays as recorded": lambda: _(
        "{person} is closed (since {date}); its consent stays as recorded; "
        "reopen it with `reseau person reopen {person} --reason TEXT`"
    ),
}
