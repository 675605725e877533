"""Evaluation operations: record one (flags or form), list them, show one with its changes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reseau_cli import dates, ids
from reseau_cli.errors import InvalidInput, UnknownIntervenant
from reseau_cli.i18n import _
from reseau_cli.model import evaluation as model
from reseau_cli.repo import Repository


def _split(value: str, *, what: str) -> tuple[str, str]:
    name, sep, rest = value.partition("=")
    if not sep or not name.strip():
        raise InvalidInput(
            _("{flag} takes NAME=VALUE, not {value}").format(flag=what, value=repr(value))
        )
    return name.strip(), rest.strip()


def domain_inputs(
    domain: Sequence[str], need: Sequence[str], person_view: Sequence[str]
) -> list[model.DomainInput]:
    """The --domain DOMAIN=LEVEL, --need DOMAIN=TEXT and --person-view DOMAIN=TEXT flags,
    gathered by domain (in the order the domains were first named)."""
    fields: dict[str, dict[str, str]] = {}
    for flag, values, key in (
        ("--domain", domain, "level"),
        ("--need", need, "need"),
        ("--person-view", person_view, "person_view"),
    ):
        for value in values:
            name, text = _split(value, what=flag)
            model.check_domain(name, what=f"{flag} domain")
            if key in fields.setdefault(name, {}):
                raise InvalidInput(_("{flag} {name}=… is given twice").format(flag=flag, name=name))
            fields[name][key] = text
    return [model.DomainInput(domain=name, **given) for name, given in fields.items()]


def instrument_inputs(instrument: str | None, items: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The --instrument NAME and its --item ITEM=VALUE flags."""
    if instrument is None:
        if items:
            raise InvalidInput(_("--item needs --instrument NAME (the instrument it belongs to)"))
        return {}
    ids.check(instrument, what="--instrument")
    if not items:
        raise InvalidInput(
            _("--instrument {instrument} needs its --item ITEM=VALUE values").format(
                instrument=instrument
            )
        )
    return {instrument: item_inputs(items)}


def item_inputs(items: Sequence[str]) -> dict[str, Any]:
    """The --item ITEM=VALUE flags of one instrument."""
    found: dict[str, Any] = {}
    for value in items:
        name, given = _split(value, what="--item")
        if name in found:
            raise InvalidInput(_("--item {name}=… is given twice").format(name=name))
        found[name] = given
    return found


def check_by(repo: Repository, by: str | None) -> str | None:
    """``by`` names an intervenant of the directory (or nobody)."""
    if by is None:
        return None
    ids.check(by, what="--by")
    if not repo.exists("intervenant", by):
        raise UnknownIntervenant(id=by)
    return by


def add(
    repo: Repository,
    person: str,
    *,
    date: str | None = None,
    by: str | None = None,
    domains: list[model.DomainInput] | None = None,
    instruments: dict[str, dict[str, Any]] | None = None,
    note: str | None = None,
) -> str:
    """Record an evaluation; returns its id. ``instruments``: name -> items given, each
    scored by its rules here."""
    from reseau_cli.operations.instruments import scored

    date = dates.check(date, what="--date") or dates.today_iso()
    check_by(repo, by)
    results = [scored(repo, name, items) for name, items in (instruments or {}).items()]
    with repo.change("") as change:
        doc = change.load("person", person)
        item = model.add(
            doc,
            date=date,
            today=dates.today_iso(),
            by=by,
            domains=domains,
            instruments=results,
            note=note,
        )
        change.message = f"{person}: add evaluation {item['id']}"
        change.put("person", person, doc)
    return str(item["id"])


def list_(repo: Repository, person: str) -> list[dict[str, Any]]:
    """The evaluations, oldest first: date, by, each domain's level, instrument results."""
    doc = repo.person(person)
    out = []
    for evaluation in model.evaluations(doc):
        out.append(
            {
                "id": evaluation["id"],
                "date": evaluation["date"],
                "by": evaluation.get("by"),
                "by_name": _name(repo, evaluation.get("by")),
                "domains": {d["domain"]: d["level"] for d in evaluation.get("domains") or []},
                "instruments": {
                    i["instrument"]: i["result"]["label"]
                    for i in evaluation.get("instruments") or []
                },
            }
        )
    return out


def show(repo: Repository, person: str, ident: str | None = None) -> dict[str, Any]:
    """One evaluation (the latest by default), each domain with how it changed since the
    situation before it, each instrument with its previous result."""
    doc = repo.person(person)
    if ident is not None:
        ids.check(ident, what="EVALUATION")
        evaluation = model.find(doc, ident)
    else:
        found = model.latest(doc)
        if found is None:
            raise InvalidInput(
                _(
                    "{person} has no evaluation yet; record one with `reseau evaluation add {person}`"
                ).format(person=person)
            )
        evaluation = found
    before = model.previous(doc, evaluation["id"])
    instruments = []
    for used in evaluation.get("instruments") or []:
        earlier = model.instrument_before(doc, evaluation, used["instrument"])
        instruments.append({**used, "before": earlier["result"]["label"] if earlier else None})
    return {
        "person": person,
        "id": evaluation["id"],
        "date": evaluation["date"],
        "by": evaluation.get("by"),
        "by_name": _name(repo, evaluation.get("by")),
        "previous": before["id"] if before else None,
        "previous_date": before["date"] if before else None,
        "domains": model.changes(doc, evaluation),
        "instruments": instruments,
        "note": evaluation.get("note"),
    }


def _name(repo: Repository, ident: str | None) -> str | None:
    if ident is None:
        return None
    from reseau_cli.documents.views import who

    return str((who(repo, ident) or {}).get("name", ident))


def add_form(repo: Repository, person: str, text: str, *, path: str) -> str:
    """Record the evaluation written in a form (``--file``); one line per problem."""
    from reseau_cli.errors import InvalidDocument
    from reseau_cli.operations import evaluation_form

    args, problems = evaluation_form.read(repo, person, text, path=path)
    if problems:
        raise InvalidDocument(path=path, problems=problems)
    assert args is not None
    return add(repo, person, **args)


def instruments(repo: Repository) -> tuple[list[dict[str, Any]], list[Any]]:
    """The instruments available (built-in and the team's), and the team files left out."""
    from reseau_cli.operations.instruments import listing

    return listing(repo)
