"""Multidimensional evaluation: the person's situation by domain, over time.

An evaluation (``e-`` + 6 random characters) records, on a date and by someone, for
some of the plan's domains: a level (``none``: no need in that domain; ``met``,
``partly-met``, ``unmet``: a need, and how far it is answered), the need in the
professional's words and the person's own view; and the standardised instruments
scored that day (AGGIR, Katz, the team's own: see ``model.instruments``).

The *situation* of a domain is what its latest evaluation said: an evaluation need not
cover every domain. Pure functions: no file, no clock (today is an argument).
"""

from __future__ import annotations

from reseau_cli import ids
from reseau_cli.errors import InvalidInput, UnknownId
from reseau_cli.i18n import _
from reseau_cli.model import person
from reseau_cli.model.plan import DOMAINS, ID_LENGTH, taken_ids
from reseau_cli.records import frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

LEVELS = ("none", "met", "partly-met", "unmet")
# A need still to answer: the unmet-need alert and the plan's situation look at these.
OPEN_LEVELS = ("partly-met", "unmet")
# How far a level is from "nothing needed": a lower rank is a better situation.
_RANK = {"none": 0, "met": 1, "partly-met": 2, "unmet": 3}


@frozen
class DomainInput:
    """What the user says about one domain (``level`` may be None only in a form error)."""

    domain: str
    level: str | None = None
    need: str | None = None
    person_view: str | None = None


def evaluations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The person's evaluations, oldest first (same date: in the order recorded)."""
    found = list(doc.get("evaluations") or [])
    return sorted(found, key=lambda e: e["date"])


def find(doc: dict[str, Any], ident: str) -> dict[str, Any]:
    for found in doc.get("evaluations") or []:
        if found["id"] == ident:
            return found
    raise UnknownId(
        _(
            "unknown evaluation {id}; `reseau evaluation list {person}` lists the evaluations"
        ).format(id=repr(ident), person=doc["id"]),
        id=ident,
    )


def latest(doc: dict[str, Any]) -> dict[str, Any] | None:
    found = evaluations(doc)
    return found[-1] if found else None


def previous(doc: dict[str, Any], ident: str) -> dict[str, Any] | None:
    """The evaluation recorded before ``ident`` (None for the first)."""
    found = evaluations(doc)
    for i, item in enumerate(found):
        if item["id"] == ident:
            return found[i - 1] if i else None
    return None


def check_domain(domain: str, *, what: str = "domain") -> str:
    if domain not in DOMAINS:
        raise InvalidInput(
            _("unknown {what} {domain}: choose one of {choices}").format(
                what=what, domain=repr(domain), choices=", ".join(DOMAINS)
            )
        )
    return domain


def check_level(level: str, *, domain: str) -> str:
    if level not in LEVELS:
        raise InvalidInput(
            _("invalid level {level} for {domain}: choose one of {choices}").format(
                level=repr(level), domain=domain, choices=", ".join(LEVELS)
            )
        )
    return level


def _check_date(doc: dict[str, Any], date: str, today: str) -> None:
    if date > today:
        raise InvalidInput(
            _("--date {date} is in the future: record an evaluation once it is done").format(
                date=date
            )
        )
    opened = doc.get("opened")
    if opened and date < opened:
        raise InvalidInput(
            _("--date {date} is before the accompaniment opened ({opened})").format(
                date=date, opened=opened
            )
        )


def _domain_entries(domains: list[DomainInput]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    entries = []
    for given in domains:
        check_domain(given.domain)
        if given.domain in seen:
            raise InvalidInput(_("domain {domain} is given twice").format(domain=given.domain))
        seen.add(given.domain)
        if given.level is None:
            raise InvalidInput(
                _(
                    "domain {domain} has a need or a view but no level: give "
                    "--domain {domain}=LEVEL ({choices})"
                ).format(domain=given.domain, choices=", ".join(LEVELS))
            )
        check_level(given.level, domain=given.domain)
        entry: dict[str, Any] = {"domain": given.domain, "level": given.level}
        for key, text in (("need", given.need), ("person_view", given.person_view)):
            if text is not None and text.strip():
                entry[key] = text.strip()
        entries.append(entry)
    order = {d: i for i, d in enumerate(DOMAINS)}
    return sorted(entries, key=lambda e: order[e["domain"]])


def add(
    doc: dict[str, Any],
    *,
    date: str,
    today: str,
    by: str | None = None,
    domains: list[DomainInput] | None = None,
    instruments: list[dict[str, Any]] | None = None,
    note: str | None = None,
    ident: str | None = None,
) -> dict[str, Any]:
    """Record an evaluation of the person's situation; returns it.

    ``instruments`` are already scored (``model.instruments.score``): each
    ``{instrument, version, items, result}``.
    """
    person.require_active(doc, kept="its evaluations are kept as they were")
    _check_date(doc, date, today)
    entries = _domain_entries(domains or [])
    if not entries and not instruments:
        raise InvalidInput(
            _("nothing to record: give --domain DOMAIN=LEVEL or --instrument NAME with its --item")
        )
    if by is not None:
        ids.check(by, what="--by")
    names = [i["instrument"] for i in instruments or []]
    if len(set(names)) != len(names):
        raise InvalidInput(_("an instrument is given twice in one evaluation"))
    taken = taken_ids(doc) | {e["id"] for e in doc.get("evaluations") or []}
    item: dict[str, Any] = {"id": ident or ids.random_id("e", ID_LENGTH, taken=taken)}
    item["date"] = date
    if by:
        item["by"] = by
    if entries:
        item["domains"] = entries
    if instruments:
        item["instruments"] = list(instruments)
    if note and note.strip():
        item["note"] = note.strip()
    doc.setdefault("evaluations", []).append(item)
    return item


def situation(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """Each domain ever evaluated, as its latest evaluation left it, in the plan's order:
    ``{domain, level, need?, person_view?, date, evaluation}``."""
    current: dict[str, dict[str, Any]] = {}
    for evaluation in evaluations(doc):
        for entry in evaluation.get("domains") or []:
            current[entry["domain"]] = {
                **entry,
                "date": evaluation["date"],
                "evaluation": evaluation["id"],
            }
    return [current[d] for d in DOMAINS if d in current]


def open_needs(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The domains whose latest level is a need not (fully) met."""
    return [s for s in situation(doc) if s["level"] in OPEN_LEVELS]


def answered(doc: dict[str, Any], domain: str) -> bool:
    """An active objective of the plan answers the need of ``domain``."""
    objectives = (doc.get("plan") or {}).get("objectives") or []
    return any(o["status"] == "active" and domain in (o.get("needs") or []) for o in objectives)


def unanswered_needs(doc: dict[str, Any]) -> list[str]:
    """Domains with an open need and no active objective answering it."""
    return [s["domain"] for s in open_needs(doc) if not answered(doc, s["domain"])]


def trend(before: str | None, after: str) -> str:
    """How a domain's level moved: ``new``, ``same``, ``better`` or ``worse``."""
    if before is None:
        return "new"
    if before == after:
        return "same"
    return "better" if _RANK[after] < _RANK[before] else "worse"


def changes(doc: dict[str, Any], evaluation: dict[str, Any]) -> list[dict[str, Any]]:
    """Each domain of ``evaluation`` with the level it had before (the situation just
    before this evaluation, whichever evaluation set it) and the trend."""
    before: dict[str, str] = {}
    for earlier in evaluations(doc):
        if earlier["id"] == evaluation["id"]:
            break
        for entry in earlier.get("domains") or []:
            before[entry["domain"]] = entry["level"]
    out = []
    for entry in evaluation.get("domains") or []:
        was = before.get(entry["domain"])
        out.append({**entry, "before": was, "trend": trend(was, entry["level"])})
    return out


def instrument_series(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """For each instrument used, its results in date order: ``{date, evaluation, result}``."""
    series: dict[str, list[dict[str, Any]]] = {}
    for evaluation in evaluations(doc):
        for used in evaluation.get("instruments") or []:
            series.setdefault(used["instrument"], []).append(
                {"date": evaluation["date"], "evaluation": evaluation["id"], **used}
            )
    return series


def instrument_before(
    doc: dict[str, Any], evaluation: dict[str, Any], instrument: str
) -> dict[str, Any] | None:
    """The previous result of ``instrument`` before ``evaluation`` (None: first time)."""
    last = None
    for earlier in evaluations(doc):
        if earlier["id"] == evaluation["id"]:
            return last
        for used in earlier.get("instruments") or []:
            if used["instrument"] == instrument:
                last = used
    return last


def due(doc: dict[str, Any], *, today: str, interval_days: int) -> str | None:
    """The date the next evaluation was due when it is overdue on ``today`` (None: not
    due, or never evaluated: a team that does not evaluate is not nagged)."""
    import datetime as dt

    last = latest(doc)
    if last is None:
        return None
    when = (dt.date.fromisoformat(last["date"]) + dt.timedelta(days=interval_days)).isoformat()
    return when if when < today else None
