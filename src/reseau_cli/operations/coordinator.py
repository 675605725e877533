"""`reseau coordinator …`: designating the coordinator and the concertation lead, one commit each."""

from __future__ import annotations

from reseau_cli import dates, ids
from reseau_cli.errors import UnknownIntervenant
from reseau_cli.model import coordination
from reseau_cli.model import network as model
from reseau_cli.records import frozen
from reseau_cli.repo import Repository

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@frozen
class Designation:
    """Who holds (or will hold) a function, from when, until when."""

    intervenant: str
    since: str
    until: str | None = None

    @classmethod
    def of(cls, designation: dict[str, Any] | None) -> Designation | None:
        if designation is None:
            return None
        return cls(designation["intervenant"], designation["since"], designation.get("until"))


@frozen
class Designated:
    """What `coordinator set` / `lead` did."""

    intervenant: str
    date: str
    planned: bool  # the date is in the future: the current holder stays until then
    previous: str | None  # whose designation this one ended, if anyone
    current: Designation | None = None  # with a planned date: who holds it until then


@frozen
class Undesignated:
    """What `coordinator unset` did."""

    ended: Designation  # the designation, with its new end
    planned: bool  # the end is in the future
    cancelled: bool  # the designation had not started: it never takes effect
    next: Designation | None  # a designation planned after the end, if any
    then: Designation | None = None  # the designation in force on that date, if any


def next_designation(doc: dict[str, Any], role: str, date: str) -> Designation | None:
    coming = model.upcoming_designations(doc, role, date)
    return Designation.of(coming[0]) if coming else None


def designate(
    repo: Repository,
    person: str,
    intervenant: str,
    *,
    role: str = "coordinator",
    date: str | None = None,
    note: str | None = None,
    force: bool = False,
) -> Designated:
    """Designate the coordinator (or concertation lead) from ``date`` (default today);
    one who holds the other function then is refused unless ``force``."""
    today = dates.today_iso()
    date = dates.check(date, what="--date") or today
    ids.check(person, what="person id")
    ids.check(intervenant, what="intervenant id")
    label = model.ROLES[role]
    planned = f" from {date}" if date > today else ""
    with repo.change(f"{person}: designate {intervenant} as {label}{planned}") as change:
        doc = change.load("person", person)
        if not repo.exists("intervenant", intervenant):
            raise UnknownIntervenant(id=intervenant)
        previous = coordination.designate(
            doc, intervenant, role=role, date=date, today=today, note=note
        )
        if not force:
            coordination.require_distinct(doc, intervenant, role=role, on=max(date, today))
        change.put("person", person, doc)
    return Designated(
        intervenant,
        date,
        planned=bool(planned),
        previous=previous["intervenant"] if previous else None,
        current=Designation.of(model.current_designation(doc, role, today)),
    )


def undesignate(
    repo: Repository,
    person: str,
    *,
    role: str = "coordinator",
    date: str | None = None,
    reason: str | None = None,
) -> Undesignated:
    """End the coordinator's (or lead's) designation on ``date`` (default today)."""
    today = dates.today_iso()
    date = dates.check(date, what="--date") or today
    ids.check(person, what="person id")
    with repo.change("") as change:
        doc = change.load("person", person)
        ended = coordination.undesignate(doc, role=role, date=date, today=today, reason=reason)
        change.put("person", person, doc)
        who = ended["intervenant"]
        cancelled = date == ended["since"] and date > today
        change.message = (
            f"{person}: cancel planned {model.ROLES[role]} designation of {who}"
            if cancelled
            else f"{person}: end {model.ROLES[role]} designation of {who}"
        )
    return Undesignated(
        Designation(who, ended["since"], date),
        planned=date > today,
        cancelled=cancelled,
        next=next_designation(doc, role, date),
        then=Designation.of(model.current_designation(doc, role, date)),
    )
