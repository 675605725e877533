"""Network and coordination operations: each loads, calls the model, commits one change."""

from __future__ import annotations

from dataclasses import dataclass, field

from reseau_cli import dates, ids
from reseau_cli.errors import InvalidInput, RuleViolation, UnknownIntervenant
from reseau_cli.model import directory
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
        roles = model.end_membership(doc, intervenant, date=date, reason=reason)
        change.put("person", person, doc)
        also = " and ".join(model.ROLES[r] for r in roles)
        change.message = f"{person}: end membership of {intervenant}" + (
            f" (and {also})" if also else ""
        )
    return Ended(intervenant, date, roles, model.open_actions(doc, intervenant))


def designate(
    repo: Repository,
    person: str,
    intervenant: str,
    *,
    role: str = "coordinator",
    date: str | None = None,
    note: str | None = None,
) -> str | None:
    """Designate the coordinator (or concertation lead); returns the previous holder."""
    date = dates.check(date, what="--date") or dates.today_iso()
    ids.check(person, what="person id")
    ids.check(intervenant, what="intervenant id")
    label = model.ROLES[role]
    with repo.change(f"{person}: designate {intervenant} as {label}") as change:
        doc = change.load("person", person)
        if not repo.exists("intervenant", intervenant):
            raise UnknownIntervenant(id=intervenant)
        previous = (doc.get("coordination") or {}).get(role)
        model.designate(doc, intervenant, role=role, date=date, today=dates.today_iso(), note=note)
        change.put("person", person, doc)
    return previous


def undesignate(
    repo: Repository,
    person: str,
    *,
    role: str = "coordinator",
    date: str | None = None,
    reason: str | None = None,
) -> str:
    """End the current coordinator's (or lead's) designation; returns who it was."""
    date = dates.check(date, what="--date") or dates.today_iso()
    ids.check(person, what="person id")
    with repo.change("") as change:
        doc = change.load("person", person)
        who = model.undesignate(doc, role=role, date=date, reason=reason)
        change.put("person", person, doc)
        change.message = f"{person}: end {model.ROLES[role]} designation of {who}"
    return who
