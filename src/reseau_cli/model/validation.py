"""Validations of the support plan, and what changed in the plan since one."""

from __future__ import annotations

from typing import Any

from reseau_cli import ids
from reseau_cli.errors import InvalidInput, RuleViolation
from reseau_cli.i18n import _
from reseau_cli.model.network import is_member
from reseau_cli.model.plan import require_active

TAG_PREFIX = "reseau/validation/"


def tag(person: str, validation: str) -> str:
    """The name of the signed tag of a validation."""
    return f"{TAG_PREFIX}{person}/{validation}"


def validations(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return list((doc.get("plan") or {}).get("validations") or [])


def add(
    doc: dict[str, Any],
    *,
    date: str,
    with_: list[str],
    person_agreed: bool,
    commit: str | None,
) -> dict[str, Any]:
    """Record that the plan was validated on ``date`` with these members of the network."""
    require_active(doc)
    if not (doc.get("plan") or {}).get("objectives") and not (doc.get("plan") or {}).get("actions"):
        raise RuleViolation(
            _("{person} has no plan yet: add objectives or actions first").format(person=doc["id"])
        )
    for ident in with_:
        if not is_member(doc, ident, date):
            raise RuleViolation(
                _(
                    "{who} is not in {person}'s network on {date}: a plan is validated "
                    "with current members"
                ).format(who=ident, person=doc["id"], date=date)
            )
    if len(set(with_)) != len(with_):
        raise InvalidInput(_("--with names the same intervenant twice"))
    taken = {v["id"] for v in validations(doc)}
    record: dict[str, Any] = {"id": ids.random_id("v", 4, taken), "date": date}
    if with_:
        record["with"] = list(with_)
    record["person_agreed"] = person_agreed
    if commit:
        record["commit"] = commit
    doc.setdefault("plan", {}).setdefault("validations", []).append(record)
    return record


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What changed in the plan between two versions of a file: objectives and actions
    added, removed, or changed (text, status, who, dates)."""
    found: list[str] = []
    for kind, fields in (
        ("objective", ("text", "status", "priority", "domain")),
        ("action", ("text", "status", "by", "start", "due", "objective")),
    ):
        before = {i["id"]: i for i in (old.get("plan") or {}).get(f"{kind}s") or []}
        after = {i["id"]: i for i in (new.get("plan") or {}).get(f"{kind}s") or []}
        for ident, item in after.items():
            if ident not in before:
                said = _ADDED[kind]()
                found.append(said.format(id=ident, text=item.get("text", "")))
                continue
            for key in fields:
                if before[ident].get(key) != item.get(key):
                    was, now = _shown(before[ident].get(key)), _shown(item.get(key))
                    said = _CHANGED[kind]()
                    found.append(said.format(id=ident, field=key, was=was, now=now))
        for ident, item in before.items():
            if ident not in after:
                said = _REMOVED[kind]()
                found.append(said.format(id=ident, text=item.get("text", "")))
    return found


# One whole sentence per kind of item (the field names are the file's keys).
_ADDED = {
    "objective": lambda: _("objective {id} added: {text}"),
    "action": lambda: _("action {id} added: {text}"),
}
_CHANGED = {
    "objective": lambda: _("objective {id} {field}: {was} → {now}"),
    "action": lambda: _("action {id} {field}: {was} → {now}"),
}
_REMOVED = {
    "objective": lambda: _("objective {id} removed: {text}"),
    "action": lambda: _("action {id} removed: {text}"),
}


def _shown(value: Any) -> str:
    return "—" if value is None else str(value)
