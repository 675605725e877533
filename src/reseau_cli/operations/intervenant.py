"""`reseau intervenant …`: a person's network (add, end, list) and the shared directory
(update, show, caseloads). Writes are one commit each."""

from __future__ import annotations

from reseau_cli import dates, ids, text
from reseau_cli.errors import InvalidInput, ReseauError, RuleViolation, UnknownIntervenant
from reseau_cli.i18n import _
from reseau_cli.model import directory as directory_model
from reseau_cli.model import network as network_model
from reseau_cli.model import plan as plan_model
from reseau_cli.model.network import ROLES, designations, display_name, holder, is_current
from reseau_cli.operations.coordinator import Designation, next_designation
from reseau_cli.records import as_dict, field, frozen
from reseau_cli.repo import Repository

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

KIND_ORDER = ("professional", "service", "carer", "volunteer")
CONTACT = ("profession", "organisation", "phone", "email", "address", "notes")


@frozen
class Joined:
    """What `intervenant add` did."""

    intervenant: str
    created: bool  # a new directory entry was written in the same commit
    reused: bool = False  # --name matched an existing entry with the same details
    name: str | None = None  # the name of the reused entry


@frozen
class Ended:
    """What `intervenant end` did, and what came with it."""

    intervenant: str
    date: str
    roles: list[str] = field(default_factory=list)  # designations ended with the membership
    open_actions: list[str] = field(default_factory=list)  # still assigned to them
    # For each role ended: the designation planned after the date, if any.
    next: dict[str, Designation | None] = field(default_factory=dict)
    planned: bool = False  # the date is in the future


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
        raise InvalidInput(_("give either --id (an existing entry) or --name (to create one)"))
    if new and name is None:
        raise InvalidInput(_("--new creates a directory entry: use it with --name, not --id"))
    since = dates.check(since, what="--since") or dates.today_iso()
    ids.check(person, what="person id")
    given = {k: v for k, v in directory_model.clean(name=name, **details).items() if v}
    if id is not None:
        ids.check(id, what="intervenant id")
        if id in directory_model.RESERVED:
            raise InvalidInput(
                _("{id} is reserved for the person themself; choose another id").format(id=repr(id))
            )
    with repo.change("") as change:
        doc = change.load("person", person)
        created = reused = False
        found_name = None
        if id is not None:
            ident = id
            entry = change.load("intervenant", ident)
            diffs = directory_model.differences(entry, given)
            if diffs:
                raise RuleViolation(
                    _(
                        "intervenant {quoted} has other details ({details}); "
                        "change them with `reseau intervenant update {id}`, or leave them out"
                    ).format(quoted=repr(ident), details="; ".join(diffs), id=ident)
                )
        else:
            assert name is not None
            ident, reused = _by_name(repo, given, new=new)
            if reused:
                found_name = repo.intervenant(ident)["name"]
            else:
                change.put("intervenant", ident, directory_model.new(ident, **given))
                created = True
        network_model.join(doc, ident, role=role, since=since)
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
            for ident, entry in repo.summaries("intervenant")
            if text.same(entry["name"], name)
        ]
        if len(same) > 1:
            listed = ", ".join(i for i, _ in same)
            raise RuleViolation(
                _(
                    "several directory entries are named {name} ({ids}); "
                    "choose one with --id, or create a namesake with --new"
                ).format(name=repr(name), ids=listed)
            )
        if same:
            ident, entry = same[0]
            diffs = directory_model.differences(entry, given)
            if diffs:
                raise RuleViolation(
                    _(
                        "directory entry {quoted} is also named {name} but has other "
                        "details ({details}): use --id {id} for that entry (and "
                        "`reseau intervenant update {id}` to change it), or --new for a namesake"
                    ).format(
                        quoted=repr(ident),
                        name=repr(entry["name"]),
                        details="; ".join(diffs),
                        id=ident,
                    )
                )
            return ident, True
    return directory_model.free_id(name, set(repo.ids("intervenant"))), False


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
        if not network_model.memberships(doc, intervenant) and not repo.exists(
            "intervenant", intervenant
        ):
            raise UnknownIntervenant(id=intervenant)
        roles = network_model.end_membership(
            doc, intervenant, date=date, today=dates.today_iso(), reason=reason
        )
        change.put("person", person, doc)
        also = " and ".join(ROLES[r] for r in roles)
        change.message = f"{person}: end membership of {intervenant}" + (
            f" (and {also})" if also else ""
        )
    coming = {role: next_designation(doc, role, date) for role in roles}
    actions = [a["id"] for a in plan_model.open_actions(doc, by=intervenant)]
    return Ended(intervenant, date, roles, actions, coming, planned=date > dates.today_iso())


def update(repo: Repository, intervenant: str, **details: str | None) -> bool:
    """Change a directory entry (one commit); False when nothing differed."""
    ids.check(intervenant, what="intervenant id")
    with repo.change(f"{intervenant}: update directory entry") as change:
        entry = change.load("intervenant", intervenant)
        change.put("intervenant", intervenant, directory_model.update(entry, **details))
    return change.commit_id is not None


@frozen
class Member:
    """One membership of a person's network, with the directory details resolved."""

    intervenant: str
    name: str
    kind: str
    role: str
    since: str
    until: str | None
    reason: str | None
    current: bool
    coordinator: bool
    lead: bool
    state: str  # current | upcoming | past
    profession: str | None = None
    organisation: str | None = None
    phone: str | None = None
    email: str | None = None
    missing: bool = False  # no directory entry (see `reseau check`)
    # Their designations in force today or to come: [{role, since, until}]
    designations: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return as_dict(self)


@frozen
class Case:
    """One person whose network includes an intervenant."""

    person: str
    name: str
    status: str
    role: str
    since: str
    until: str | None
    current: bool
    coordinator: bool
    lead: bool
    state: str  # current | upcoming | past, or closed (the accompaniment ended)
    # Their designations in force today or to come: [{role, since, until}]
    designations: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return as_dict(self)


def functions(doc: dict[str, Any], who: str, today: str) -> list[dict[str, Any]]:
    """``who``'s designations (coordinator, concertation lead) in force today or later."""
    out = []
    for role in ROLES:
        for d in designations(doc, role):
            until = d.get("until")
            if d["intervenant"] == who and (until is None or until > max(today, d["since"])):
                out.append({"role": role, "since": d["since"], "until": until})
    return out


def state(membership: dict[str, Any], today: str) -> str:
    """Where a membership stands today: current, upcoming or past."""
    if is_current(membership, today):
        return "current"
    return "upcoming" if membership["since"] > today else "past"


@frozen
class Card:
    """`intervenant show`: the directory entry and the caseload."""

    entry: dict[str, Any]
    caseload: list[Case]

    def as_json(self) -> dict[str, Any]:
        return {**self.entry, "caseload": [c.as_json() for c in self.caseload]}


def entries(repo: Repository) -> list[tuple[dict[str, Any], int]]:
    """Every valid directory entry with its number of active persons, sorted by name."""
    counts: dict[str, int] = {}
    today = dates.today_iso()
    for _ident, doc in repo.summaries("person"):
        if doc["status"] != "active":
            continue
        for who in {m["intervenant"] for m in doc.get("network") or [] if is_current(m, today)}:
            counts[who] = counts.get(who, 0) + 1
    found = [(doc, counts.get(ident, 0)) for ident, doc in repo.summaries("intervenant")]
    found.sort(key=lambda pair: (text.fold(pair[0]["name"]), pair[0]["id"]))
    return found


def network(repo: Repository, person: str, *, include_past: bool = False) -> list[Member]:
    """A person's network now and to come (past members too with ``include_past``)."""
    doc = repo.person(person)
    today = dates.today_iso()
    coordinator = holder(doc, "coordinator", today)
    lead = holder(doc, "concertation_lead", today)
    out = []
    for m in doc.get("network") or []:
        where = state(m, today)
        if where == "past" and not include_past:
            continue
        who = m["intervenant"]
        try:
            entry = repo.intervenant(who)
            missing = False
        except ReseauError:
            entry, missing = {"name": who, "kind": "professional"}, True
        out.append(
            Member(
                intervenant=who,
                name=entry["name"],
                kind=entry["kind"],
                role=m.get("role", ""),
                since=m["since"],
                until=m.get("until"),
                reason=m.get("reason"),
                current=where == "current",
                coordinator=where == "current" and coordinator == who,
                lead=where == "current" and lead == who,
                state=where,
                missing=missing,
                designations=functions(doc, who, today) if where != "past" else [],
                **{k: entry.get(k) for k in ("profession", "organisation", "phone", "email")},
            )
        )
    out.sort(
        key=lambda m: (
            ("current", "upcoming", "past").index(m.state),
            not m.coordinator,
            not m.lead,
            KIND_ORDER.index(m.kind) if m.kind in KIND_ORDER else len(KIND_ORDER),
            text.fold(m.name),
            m.since,
        )
    )
    return out


def card(repo: Repository, intervenant: str) -> Card:
    """Contact details and every person whose network includes the intervenant."""
    ids.check(intervenant, what="intervenant id")
    if not repo.exists("intervenant", intervenant):
        raise UnknownIntervenant(id=intervenant)
    entry = dict(repo.intervenant(intervenant))
    today = dates.today_iso()
    caseload = []
    for ident, doc in repo.members(intervenant):
        coordinator = holder(doc, "coordinator", today)
        lead = holder(doc, "concertation_lead", today)
        for m in doc.get("network") or []:
            if m["intervenant"] != intervenant:
                continue
            where = state(m, today) if doc["status"] == "active" else "closed"
            current = where == "current"
            caseload.append(
                Case(
                    person=ident,
                    name=display_name(doc),
                    status=doc["status"],
                    role=m.get("role", ""),
                    since=m["since"],
                    until=m.get("until"),
                    current=current,
                    coordinator=current and coordinator == intervenant,
                    lead=current and lead == intervenant,
                    state=where,
                    designations=functions(doc, intervenant, today)
                    if where in ("current", "upcoming")
                    else [],
                )
            )
    order = ("current", "upcoming", "past", "closed")
    caseload.sort(key=lambda c: (order.index(c.state), text.fold(c.name), c.person, c.since))
    return Card(entry, caseload)
