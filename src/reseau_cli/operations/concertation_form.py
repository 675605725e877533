"""The YAML form of `concertation record`: written pre-filled, read back with line numbers.

The same form serves the editor (`$EDITOR` on a terminal) and batches (`--file F`).
Reading it returns the keyword arguments of ``model.concertation.record`` or the
problems found, each naming the line of the form it is about.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from typing import Any

from reseau_cli import dates, ids, schemas, store
from reseau_cli.errors import InvalidDocument, Problem, ReseauError
from reseau_cli.i18n import _
from reseau_cli.model import concertation as model
from reseau_cli.model import plan as plan_model
from reseau_cli.model.network import PERSON, current_members, display_name, was_member
from reseau_cli.repo import Repository

_ID = {"type": "string", "pattern": ids.ID_RULE.pattern}
_DATE = schemas.definition("date")
_TEXT = schemas.definition("text")
_LINE = schemas.definition("line")
_MULTILINE = schemas.definition("multiline")


def _list_of(schema: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": schema}


# Optional fields may be left empty (null): they are dropped before validation, so an
# error inside a list points at the item and field that are wrong.
FORM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["date", "person_present", "participants"],
    "properties": {
        "concertation": _ID,
        "date": _DATE,
        "kind": {"enum": list(model.KINDS)},
        "time": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](?!\\n)$"},
        "end": {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9](?!\\n)$"},
        "place": _LINE,
        "organiser": _ID,
        "person_present": {"type": "boolean"},
        "others_present": _list_of(_LINE),
        "participants": _list_of(
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["intervenant", "present"],
                "properties": {
                    "intervenant": _ID,
                    "present": {"type": "boolean"},
                    "excused": {"type": "boolean"},
                },
            }
        ),
        "summary": _MULTILINE,
        "decisions": _list_of(_TEXT),
        "actions": _list_of(
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["text", "by"],
                "properties": {
                    "text": _TEXT,
                    "by": _ID,
                    "due": _DATE,
                    "start": _DATE,
                    "objective": _ID,
                },
            }
        ),
        "updates": _list_of(
            {
                "type": "object",
                "additionalProperties": False,
                "required": ["id"],
                "properties": {
                    "id": _ID,
                    "status": {"enum": list(plan_model.ACTION_STATUSES)},
                    "note": _MULTILINE,
                    "due": _DATE,
                },
            }
        ),
        "coordinator": _ID,
        "next": _DATE,
    },
}


def _drop_empty(form: Any) -> Any:
    """The form without the optional fields left null (at the top and in list items)."""
    if not isinstance(form, dict):
        return form
    required = set(FORM_SCHEMA["required"])
    out = {k: v for k, v in form.items() if v is not None or k in required}
    for key, value in out.items():
        if isinstance(value, list):
            out[key] = [
                {k: v for k, v in item.items() if v is not None} if isinstance(item, dict) else item
                for item in value
            ]
    return out


@cache
def _validator() -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(FORM_SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)


def _q(value: Any) -> str:
    """A YAML scalar (JSON is valid YAML): strings quoted, None as null."""
    return json.dumps(value, ensure_ascii=False)


def build(repo: Repository, person: str, concertation: str | None = None) -> str:
    """The form pre-filled from the person file and the planned meeting it completes:
    the one given, else the only one planned today."""
    doc = repo.person(person)
    planned = model.find(doc, concertation) if concertation else None
    if planned is None:
        today = [
            c
            for c in doc.get("concertations") or []
            if c["status"] == "planned" and c["date"] == dates.today_iso()
        ]
        planned = today[0] if len(today) == 1 else None
    date = planned["date"] if planned else dates.today_iso()
    name = display_name(doc)
    lines = [
        f"# Concertation for {name} ({person}). Lines starting with '#' are comments.",
        "# Fill in, save and close the editor. A form saved unchanged records nothing.",
        "",
        f"concertation: {planned['id'] if planned else 'null'}"
        "   # the planned meeting being completed; null for a new one",
        f"date: {date}",
        f"kind: {planned['kind'] if planned else 'concertation'}"
        "   # concertation | synthesis | coordination",
        f"time: {_q(planned.get('time') if planned else None)}   # HH:MM, in quotes",
        f"end: {_q(_end(planned))}   # HH:MM, when it ended (optional)",
        f"place: {_q(planned.get('place') if planned else None)}",
        f"organiser: {(planned or {}).get('organiser') or 'null'}",
        "",
        "# Was the person there? true or false.",
        "person_present: null",
        "# Others present who are not in the network (family, neighbour…), as free text:",
        "others_present: []",
        "",
        "# present: true or false (excused: true for an excused absence). Remove those not",
        "# concerned; every participant must be in the network.",
        "participants:",
    ]
    members = current_members(doc, date)
    invited = set((planned or {}).get("invited") or [])
    if planned and planned.get("organiser"):
        invited.add(planned["organiser"])
    others = []
    for m in members:
        who = m["intervenant"]
        label = _label(repo, who, m.get("role"))
        if invited and who not in invited:
            others.append(f"#  - {{intervenant: {who}, present: true}}   # {label}")
        else:
            lines.append(f"  - {{intervenant: {who}, present: true}}   # {label}")
    if others:
        lines.append("# Also in the network (not invited):")
        lines += others
    lines += ["", "summary: null", "", "decisions:", "  # - Text of a decision", ""]
    lines += [
        "# New actions: text, by (an intervenant id above, or person), due and objective",
        '# optional, e.g. - {text: "Appeler le CPAS", by: person, due: 2026-12-15}',
        "actions:",
        "",
        "# The open actions: change status (planned, ongoing, done, cancelled), add a note.",
        "updates:",
    ]
    for a in plan_model.open_actions(doc):
        due = f", due {a['due']}" if a.get("due") else ""
        lines.append(
            f"  - {{id: {a['id']}, status: {a['status']}, note: null}}"
            f"   # {_one_line(a['text'])} ({a['by']}{due})"
        )
    objectives = [o for o in plan_model.sorted_objectives(doc) if o["status"] == "active"]
    if objectives:
        lines += ["", "# Objectives (for `objective:` in new actions):"]
        lines += [
            f"#   {o['id']}{' ★' if o.get('priority') else ''} {_one_line(o['text'])}"
            for o in objectives
        ]
    lines += [
        "",
        "coordinator: null   # an intervenant id to designate as coordinator here",
        "next: null          # date of the next meeting: it gets scheduled",
    ]
    return "\n".join(lines) + "\n"


def _end(planned: dict[str, Any] | None) -> str | None:
    from reseau_cli.documents.views import end_time

    if not planned:
        return None
    return end_time(planned.get("time"), planned.get("duration_minutes"))


def _label(repo: Repository, who: str, role: str | None) -> str:
    try:
        name = repo.intervenant(who)["name"]
    except ReseauError:
        name = who
    return _one_line(f"{name}, {role}" if role else name)


def _one_line(text: str) -> str:
    """Text fit for a YAML comment: one line."""
    return " ".join(text.split())


def read(
    repo: Repository, person: str, text: str, *, path: str, concertation: str | None = None
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The ``record`` arguments written in a form, or the problems with their lines.

    ``concertation`` (the id given on the command line) fills an empty
    ``concertation:`` field and must agree with a filled one.
    """
    if not text.strip():
        return None, [Problem(path, "-", _("the form is empty"))]
    try:
        form = store.parse(text, path=path)
    except InvalidDocument as exc:
        return None, exc.problems
    form = _drop_empty(form)
    for key in ("time", "end"):  # YAML 1.1 reads an unquoted 14:00 as 840
        if isinstance(form, dict) and isinstance(form.get(key), int):
            form[key] = f"{form[key] // 60:02d}:{form[key] % 60:02d}"
    found = []
    for error in sorted(_validator().iter_errors(form), key=lambda e: list(map(str, e.path))):
        found.append(_at(path, text, tuple(error.absolute_path), _message(error)))
    if found:
        return None, found
    doc = repo.person(person)
    args = _arguments(form)
    if args["ident"] is None:
        args["ident"] = concertation
    elif concertation is not None and args["ident"] != concertation:
        message = f"the form records {args['ident']}, the command line {concertation}"
        return None, [_at(path, text, ("concertation",), message)]
    found = _domain_problems(doc, form, args, text, path)
    if found:
        return None, found
    try:  # anything else the model refuses, on a copy
        model.record(copy.deepcopy(doc), today=dates.today_iso(), author="", **args)
    except ReseauError as exc:
        return None, [Problem(path, "-", str(exc))]
    return args, []


def _at(path: str, text: str, where: tuple[Any, ...], message: str) -> Problem:
    line = store.line_of(text, where)
    location = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in where)
    shown = _("line {line} ({location})").format(line=line, location=location)
    return Problem(path, shown if line else location, message)


def _message(error: Any) -> str:
    return schemas.describe(error)


def _arguments(form: dict[str, Any]) -> dict[str, Any]:
    people = form.get("participants") or []
    return {
        "ident": form.get("concertation"),
        "date": form["date"],
        "kind": form.get("kind"),
        "time": form.get("time"),
        "end": form.get("end"),
        "place": form.get("place"),
        "organiser": form.get("organiser"),
        "participants": [p["intervenant"] for p in people if p["present"]],
        "absent": [p["intervenant"] for p in people if not p["present"] and not p.get("excused")],
        "excused": [p["intervenant"] for p in people if not p["present"] and p.get("excused")],
        "person_present": form["person_present"],
        "others_present": form.get("others_present") or [],
        "summary": form.get("summary"),
        "decisions": form.get("decisions") or [],
        "actions": [
            model.NewAction(
                text=a["text"],
                by=a["by"],
                due=a.get("due"),
                start=a.get("start"),
                objective=a.get("objective"),
            )
            for a in form.get("actions") or []
        ],
        "updates": [
            model.ActionUpdate(
                id=u["id"], status=u.get("status"), note=u.get("note"), due=u.get("due")
            )
            for u in form.get("updates") or []
        ],
        "coordinator": form.get("coordinator"),
        "next": form.get("next"),
    }


def _domain_problems(
    doc: dict[str, Any], form: dict[str, Any], args: dict[str, Any], text: str, path: str
) -> list[Problem]:
    """Problems the model would report, located on their line of the form."""
    date = args["date"]
    found = []
    for i, p in enumerate(form.get("participants") or []):
        if not was_member(doc, p["intervenant"], date):
            found.append(
                _at(
                    path,
                    text,
                    ("participants", i, "intervenant"),
                    _("{who} is not in the network on {date}").format(
                        who=repr(p["intervenant"]), date=date
                    ),
                )
            )
    objective_ids = {o["id"] for o in (doc.get("plan") or {}).get("objectives") or []}
    for i, a in enumerate(form.get("actions") or []):
        if a["by"] != PERSON and not was_member(doc, a["by"], date):
            found.append(
                _at(
                    path,
                    text,
                    ("actions", i, "by"),
                    _("{who} is not in the network on {date}").format(who=repr(a["by"]), date=date),
                )
            )
        if a.get("objective") and a["objective"] not in objective_ids:
            found.append(
                _at(
                    path,
                    text,
                    ("actions", i, "objective"),
                    _("unknown objective {id}").format(id=repr(a["objective"])),
                )
            )
    action_ids = {a["id"] for a in (doc.get("plan") or {}).get("actions") or []}
    for i, u in enumerate(form.get("updates") or []):
        if u["id"] not in action_ids:
            found.append(
                _at(
                    path,
                    text,
                    ("updates", i, "id"),
                    _("unknown action {id}").format(id=repr(u["id"])),
                )
            )
    who = form.get("coordinator")
    if who and not was_member(doc, who, date):
        found.append(
            _at(
                path,
                text,
                ("coordinator",),
                _("{who} is not in the network on {date}").format(who=repr(who), date=date),
            )
        )
    return found
