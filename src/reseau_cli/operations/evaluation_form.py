"""The YAML form of `evaluation add`: written pre-filled, read back with line numbers.

The form is pre-filled with the situation as the previous evaluations left it (each
domain's latest level, need and the person's view), to be updated; the same form
serves the editor and batches (`--file F`). Reading it returns the keyword arguments
of ``operations.evaluation.add`` or the problems found, each naming its line.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from reseau_cli import dates, ids, schemas, store
from reseau_cli.errors import InvalidDocument, Problem, ReseauError
from reseau_cli.i18n import _
from reseau_cli.model import evaluation as model
from reseau_cli.model.network import display_name
from reseau_cli.model.plan import DOMAINS
from reseau_cli.repo import Repository

_ID = {"type": "string", "pattern": ids.ID_RULE.pattern}
_MULTILINE = schemas.definition("multiline")


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


FORM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["date"],
    "properties": {
        "date": schemas.definition("date"),
        "by": _ID,
        "note": _MULTILINE,
        "domains": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                d: {
                    "type": ["object", "null"],
                    "additionalProperties": False,
                    "properties": {
                        "level": {"enum": [*model.LEVELS, None]},
                        "need": _or_null(_MULTILINE),
                        "person_view": _or_null(_MULTILINE),
                    },
                }
                for d in DOMAINS
            },
        },
        "instruments": {
            "type": ["object", "null"],
            "propertyNames": _ID,
            "additionalProperties": {
                "type": ["object", "null"],
                "propertyNames": _ID,
                "additionalProperties": {"type": ["string", "integer", "null"]},
            },
        },
    },
}


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(FORM_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _q(value: Any) -> str:
    """A YAML scalar (JSON is valid YAML): strings quoted, None as null."""
    return json.dumps(value, ensure_ascii=False)


def build(repo: Repository, person: str) -> str:
    """The form, pre-filled with each domain as the latest evaluations left it."""
    doc = repo.person(person)
    current = {s["domain"]: s for s in model.situation(doc)}
    last = model.latest(doc)
    lines = [
        f"# Evaluation of {display_name(doc)} ({person}). Lines starting with '#' are comments.",
        "# Update, save and close the editor. A form saved unchanged records nothing.",
        "",
        f"date: {dates.today_iso()}",
        f"by: {(last or {}).get('by') or 'null'}   # the intervenant who evaluated (id)",
        "note: null",
        "",
        "# Each domain: level none (no need), met, partly-met or unmet; the need in your words;",
        "# the person's own view in theirs. A domain left with level null is not evaluated.",
        "domains:",
    ]
    for domain in DOMAINS:
        was = current.get(domain) or {}
        lines.append(f"  {domain}:" + (f"   # {was['date']}" if was else ""))
        lines.append(f"    level: {was.get('level') or 'null'}")
        lines.append(f"    need: {_q(was.get('need'))}")
        lines.append(f"    person_view: {_q(was.get('person_view'))}")
    lines += _instrument_lines(repo, doc)
    return "\n".join(lines) + "\n"


def read(
    repo: Repository, person: str, text: str, *, path: str
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The ``add`` arguments written in a form, or the problems with their lines."""
    if not text.strip():
        return None, [Problem(path, "-", _("the form is empty"))]
    try:
        form = store.parse(text, path=path)
    except InvalidDocument as exc:
        return None, exc.problems
    if isinstance(form, dict):
        form = {k: v for k, v in form.items() if v is not None or k == "date"}
    found = [
        _at(path, text, tuple(error.absolute_path), schemas.describe(error))
        for error in sorted(_validator().iter_errors(form), key=lambda e: list(map(str, e.path)))
    ]
    if found:
        return None, found
    domains = []
    for name, given in (form.get("domains") or {}).items():
        given = given or {}
        if given.get("level") is None:
            if given.get("need") or given.get("person_view"):
                message = _("{domain} has a need or a view but no level ({choices})").format(
                    domain=name, choices=", ".join(model.LEVELS)
                )
                where = ("domains", name, "level") if "level" in given else ("domains", name)
                return None, [_at(path, text, where, message)]
            continue
        domains.append(
            model.DomainInput(
                domain=name,
                level=given["level"],
                need=given.get("need"),
                person_view=given.get("person_view"),
            )
        )
    given = {name: dict(items or {}) for name, items in (form.get("instruments") or {}).items()}
    found = _instrument_problems(repo, given, text, path)
    if found:
        return None, found
    args = {
        "date": form["date"],
        "by": form.get("by"),
        "note": form.get("note"),
        "domains": domains,
        "instruments": {
            name: {k: v for k, v in items.items() if v is not None} for name, items in given.items()
        },
    }
    doc = repo.person(person)
    try:  # what the model refuses, on a copy, before anything is written
        model.add(
            copy.deepcopy(doc),
            date=args["date"],
            today=dates.today_iso(),
            domains=domains,
            instruments=[{"instrument": name} for name in given],
        )
    except ReseauError as exc:
        return None, [Problem(path, "-", str(exc))]
    return args, []


def _at(path: str, text: str, where: tuple[Any, ...], message: str) -> Problem:
    line = store.line_of(text, where)
    location = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where)
    shown = _("line {line} ({location})").format(line=line, location=location)
    return Problem(path, shown if line else location, message)


def _instrument_lines(repo: Repository, doc: dict[str, Any]) -> list[str]:
    """The instruments part: those used before, pre-filled with their last values; the
    others named in a comment with their items."""
    from reseau_cli.operations.instruments import catalog

    found, _ = catalog(repo)
    series = model.instrument_series(doc)
    lines = [
        "",
        "# Instruments scored today (remove those not scored), each item with its value.",
        "instruments:" if series else "instruments: {}",
    ]
    for name, results in series.items():
        last = results[-1]
        lines.append(f"  {name}:   # {last['result']['label']} on {last['date']}")
        for item, value in last["items"].items():
            lines.append(f"    {item}: {_q(value)}")
    for name, instrument in found.items():
        if name in series:
            continue
        lines.append(f"#  {name}:   # {instrument.title}")
        for item, values in instrument.items.items():
            allowed = ", ".join(str(v) for v in values)
            lines.append(f"#    {item}: null   # {allowed}")
    return lines


def _instrument_problems(
    repo: Repository, given: dict[str, dict[str, Any]], text: str, path: str
) -> list[Problem]:
    """Each instrument's unknown items, values not allowed and missing items, on their line."""
    from reseau_cli.model import instruments as instrument_model
    from reseau_cli.operations.instruments import instrument

    found = []
    for name, items in given.items():
        try:
            chosen = instrument(repo, name)
        except ReseauError as exc:
            found.append(_at(path, text, ("instruments", name), str(exc)))
            continue
        for item, value in items.items():
            if value is None:
                continue
            try:
                instrument_model.check_item(chosen, item, value)
            except ReseauError as exc:
                found.append(_at(path, text, ("instruments", name, item), str(exc)))
        missing = instrument_model.missing(chosen, items)
        if missing:
            message = _("{instrument}: missing item(s) {items}").format(
                instrument=name, items=", ".join(missing)
            )
            found.append(_at(path, text, ("instruments", name), message))
    return found
