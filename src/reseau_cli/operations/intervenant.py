"""The intervenant directory: updating an entry, and reading entries with their caseload."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from reseau_cli import dates, ids
from reseau_cli.errors import ReseauError, UnknownIntervenant
from reseau_cli.model import directory as model
from reseau_cli.model.network import ROLES, designations, display_name, holder, is_current
from reseau_cli.repo import Repository

KIND_ORDER = ("professional", "service", "carer", "volunteer")
CONTACT = ("profession", "organisation", "phone", "email", "address", "notes")


def name_key(name: str) -> str:
    """Sort key for names: case and accents ignored, so Élise sorts with Elise."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def update(repo: Repository, intervenant: str, **details: str | None) -> bool:
    """Change a directory entry (one commit); False when nothing differed."""
    ids.check(intervenant, what="intervenant id")
    with repo.change(f"{intervenant}: update directory entry") as change:
        entry = change.load("intervenant", intervenant)
        change.put("intervenant", intervenant, model.update(entry, **details))
    return change.commit_id is not None


@dataclass(frozen=True)
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
        return asdict(self)


@dataclass(frozen=True)
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
        return asdict(self)


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


@dataclass(frozen=True)
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
    for _, doc in repo.all("person"):
        if doc["status"] != "active":
            continue
        for who in {m["intervenant"] for m in doc.get("network") or [] if is_current(m, today)}:
            counts[who] = counts.get(who, 0) + 1
    found = [(doc, counts.get(ident, 0)) for ident, doc in repo.all("intervenant")]
    found.sort(key=lambda pair: (name_key(pair[0]["name"]), pair[0]["id"]))
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
            name_key(m.name),
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
    for ident, doc in repo.all("person"):
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
    caseload.sort(key=lambda c: (order.index(c.state), name_key(c.name), c.person, c.since))
    return Card(entry, caseload)
