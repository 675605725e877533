"""Funding schemes: list them, check a concertation against its scheme, give it one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reseau_cli import funding
from reseau_cli.errors import ReseauError, RuleViolation
from reseau_cli.i18n import _
from reseau_cli.model import concertation as concertation_model
from reseau_cli.model.scheme import Condition, blocking, unmet

if TYPE_CHECKING:
    from reseau_cli.repo import Repository


@dataclass(frozen=True)
class SchemeCheck:
    """What `concertation check` found: the scheme's unmet conditions (and notes)."""

    person: str
    concertation: str
    status: str
    date: str
    scheme: str
    name: str
    conditions: list[Condition] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return not blocking(self.conditions)

    def as_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "concertation": self.concertation,
            "status": self.status,
            "date": self.date,
            "scheme": self.scheme,
            "met": self.met,
            "conditions": [c.as_json() for c in self.conditions],
        }


def directory(repo: Repository, idents: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The directory entries of ``idents`` that exist and are valid (the others count
    for nothing: the rule engine reports them)."""
    out: dict[str, dict[str, Any]] = {}
    for ident in dict.fromkeys(idents):
        try:
            out[ident] = repo.intervenant(ident)
        except ReseauError:
            continue
    return out


def taking_part(concertation: Mapping[str, Any]) -> list[str]:
    """Every intervenant a concertation names (invited, organiser, participants)."""
    found = list(concertation.get("invited") or [])
    found += [p["intervenant"] for p in concertation.get("participants") or []]
    if concertation.get("organiser"):
        found.append(concertation["organiser"])
    return found


def evaluate(
    repo: Repository,
    doc: Mapping[str, Any],
    concertation: Mapping[str, Any],
    scheme: Mapping[str, Any],
) -> list[Condition]:
    history = doc.get("concertations") or []
    return unmet(scheme, concertation, doc, history, directory(repo, taking_part(concertation)))


def check(repo: Repository, person: str, ident: str) -> SchemeCheck:
    """A concertation against its scheme; refused when it has none."""
    doc = repo.person(person)
    item = concertation_model.find(doc, ident)
    if not item.get("scheme"):
        raise RuleViolation(
            _(
                "concertation {id} is under no funding scheme; give it one with "
                "`reseau concertation set-scheme {person} {id} SCHEME`"
            ).format(id=ident, person=person)
        )
    scheme = funding.find(repo, item["scheme"])
    return SchemeCheck(
        person=person,
        concertation=ident,
        status=item["status"],
        date=item["date"],
        scheme=scheme["id"],
        name=scheme["name"],
        conditions=evaluate(repo, doc, item, scheme),
    )


@dataclass(frozen=True)
class Listed:
    """`concertation schemes`: every scheme, where it comes from, the invalid ones."""

    schemes: list[dict[str, Any]]
    problems: list[str]


def listing(repo: Repository) -> Listed:
    loaded = funding.load(repo)
    rows = [
        {
            "id": ident,
            "name": doc["name"],
            "origin": loaded.origins[ident],
            "example": bool(doc.get("example")),
            "checked": doc.get("checked"),
            "source": doc["source"],
        }
        for ident, doc in sorted(loaded.schemes.items())
    ]
    return Listed(rows, [str(p) for p in loaded.problems])


def set_scheme(
    repo: Repository,
    person: str,
    ident: str,
    scheme: str | None,
    *,
    person_agreed: bool | None = None,
) -> None:
    """Put a concertation under a scheme (or none), planned or already held: one commit."""
    if scheme is not None:
        funding.find(repo, scheme)
    with repo.change(f"{person}: scheme of concertation {ident}") as change:
        doc = change.load("person", person)
        concertation_model.set_scheme(doc, ident, scheme, person_agreed=person_agreed)
        change.put("person", person, doc)
