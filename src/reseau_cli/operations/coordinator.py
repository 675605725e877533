"""Network and coordination operations: each loads, calls the model, commits one change."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from reseau_cli import dates, ids
from reseau_cli.errors import InvalidInput, RuleViolation, UnknownIntervenant
from reseau_cli.model import coordination, directory
from reseau_cli.model import network as model
from reseau_cli.repo import Repository


@dataclass(frozen=True)
class Joined:
    """What `intervenant add` did."""

    intervenant: str
    created: bool  # a new directory entry was written in the same commit
    reused: bool = False  # --name matched an existing entry with the same details
    name: str | None = None  # the name of the reused entry


@dataclass(frozen=True)
class Ended:
    """What `intervenant end` did, and what came with it."""

    intervenant: str
    date: str
    roles: list[str] = field(default_factory=list)  # designations ended with the membership
    open_actions: list[str] = field(default_factory=list)  # still assigned to them
    # For each role ended: the designation planned after the date, if any.
    next: dict[str, Designation | None] = field(default_factory=dict)
    planned: bool = False  # the date is in the future


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Designated:
    """What `coordinator set` / `lead` did."""

    intervenant: str
    date: str
    planned: bool  # the date is in the future: the current holder stays until then
    previous: str | None  # whose designation this one ended, if anyone
    current: Designation | None = None  # with a planned date: who holds it until then


@dataclass(frozen=True)
class Undesignated:
    """What `coordinator unset` did."""

    ended: Designation  # the designation, with its new end
    planned: bool  # the end is in the future
    cancelled: bool  # the designation had not started: it never takes effect
    next: Designation | None  # a designation planned after the end, if any
    then: Designation | None = None  # the designation in force on that date, if any


def _next(doc: dict[str, Any], role: str, date: str) -> Designation | None:
    coming = model.upcoming_designations(doc, role, date)
    return Designation.of(coming[0]) if coming else None


def add(
    repo: Repository,
    person: str,
    *,
    id: str | None = None,
    name: str | None = None,
    role: str | None = None,
    since: str | None = None,
    new: bool = False,
    **details: str | None,
) -> Joined:
    """Add an intervenant to a person's network; ``name`` creates the entry if needed.

    ``details`` are directory fields (kind, profession, organisation, phone, email,
    address). With ``name``: an entry with the same name and no conflicting detail is
    reused; the same name with other details is refused (ask for ``--id``, or ``new``
    for a namesake); a different name whose id is taken gets a suffixed id.
    """
    if (id is None) == (name is None):
        raise InvalidInput("give either --id (an existing entry) or --name (to create one)")
    if new and name is None:
        raise InvalidInput("--new creates a directory entry: use it with --name, not --id")
    since = dates.check(since, what="--since") or dates.today_iso()
    ids.check(person, what="person id")
    given = {k: v for k, v in directory.clean(name=name, **details).items() if v}
    if id is not None:
        ids.check(id, what="intervenant id")
        if id in directory.RESERVED:
            raise InvalidInput(f"{id!r} is reserved for the person themself; choose another id")
    with repo.change("") as change:
        doc = change.load("person", person)
        created = reused = False
        found_name = None
        if id is not None:
            ident = id
            entry = change.load("intervenant", ident)
            diffs = directory.differences(entry, given)
            if diffs:
                raise RuleViolation(
                    f"intervenant {ident!r} has other details ({'; '.join(diffs)}); "
                    f"change them with `reseau intervenant update {ident}`, or leave them out"
                )
        else:
            assert name is not None
            ident, reused = _by_name(repo, given, new=new)
            if reused:
                found_name = repo.intervenant(ident)["name"]
            else:
                change.put("intervenant", ident, directory.new(ident, **given))
                created = True
        model.join(doc, ident, role=role, since=since)
        change.put("person", person, doc)
        change.message = f"{person}: add {ident} to network" + (
            " (new directory entry)" if created else ""
        )
    return Joined(ident, created=created, reused=reused, name=found_name)


def _by_name(repo: Repository, given: dict[str, str], *, new: bool) -> tuple[str, bool]:
    """The id for ``--name``: the directory entry of that name (reused), or a free id.

    Entries are matched by their ``name`` (case, accents and spacing ignored), not by
    the slug of their id: ``anne-lambert`` may well be named "Dr Anne Lambert".
    """
    name = given["name"]
    if not new:
        same = [
            (ident, entry)
            for ident, entry in repo.all("intervenant")
            if directory.same_name(entry["name"], name)
        ]
        if len(same) > 1:
            listed = ", ".join(i for i, _ in same)
            raise RuleViolation(
                f"several directory entries are named {name!r} ({listed}); "
                "choose one with --id, or create a namesake with --new"
            )
        if same:
            ident, entry = same[0]
            diffs = directory.differences(entry, given)
            if diffs:
                raise RuleViolation(
                    f"directory entry {ident!r} is also named {entry['name']!r} but has other "
                    f"details ({'; '.join(diffs)}): use --id {ident} for that entry (and "
                    f"`reseau intervenant update {ident}` to change it), or --new for a namesake"
                )
            return ident, True
    return directory.free_id(name, set(repo.ids("intervenant"))), False


def end(
    repo: Repository,
    person: str,
    intervenant: str,
    *,
    date: str | None = None,
    reason: str | None = None,
) -> Ended:
    """End a membership; a coordinator or lead who leaves no longer holds that function."""
    date = dates.check(date, what="--date") or dates.today_iso()
    ids.check(person, what="person id")
    ids.check(intervenant, what="intervenant id")
    with repo.change("") as change:
        doc = change.load("person", person)
        if not model.memberships(doc, intervenant) and not repo.exists("intervenant", intervenant):
            raise UnknownIntervenant(id=intervenant)
        roles = model.end_membership(
            doc, intervenant, date=date, today=dates.today_iso(), reason=reason
        )
        change.put("person", person, doc)
        also = " and ".join(model.ROLES[r] for r in roles)
        change.message = f"{person}: end membership of {intervenant}" + (
            f" (and {also})" if also else ""
        )
    coming = {role: _next(doc, role, date) for role in roles}
    actions = model.open_actions(doc, intervenant)
    return Ended(intervenant, date, roles, actions, coming, planned=date > dates.today_iso())


def designate(
    repo: Repository,
    person: str,
    intervenant: str,
    *,
    role: str = "coordinator",
    date: str | None = None,
    note: str | None = None,
) -> Designated:
    """Designate the coordinator (or concertation lead) from ``date`` (default today)."""
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
        next=_next(doc, role, date),
        then=Designation.of(model.current_designation(doc, role, date)),
    )
