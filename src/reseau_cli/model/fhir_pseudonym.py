"""A person's file made pseudonymous for an export: no name, contact, address or free
text that could tell who the person is; the person's id replaced by a pseudonym."""

from __future__ import annotations

import copy
import re
from typing import Any

# Free texts that may name or describe the person, their home or their family.
_PERSON_DROPPED = ("situation", "closures")
_MEETING_DROPPED = (
    "place",
    "summary",
    "decisions",
    "others_present",
    "agenda",
    "bring",
    "cancelled_reason",
)
_NOTE_KEYS = ("note", "notes", "reason")


def person(doc: dict[str, Any], pseudonym: str) -> dict[str, Any]:
    """The file with ``pseudonym`` as its id; the birth date cut to the year; the
    person's names replaced in the texts that remain."""
    names = _names(doc)
    out = copy.deepcopy(doc)
    out["id"] = pseudonym
    birth = out.get("identity", {}).get("birth_date")
    out["identity"] = {"birth_date": birth[:4]} if birth else {}
    for key in _PERSON_DROPPED:
        out.pop(key, None)
    if isinstance(out.get("closed"), dict):
        out["closed"].pop("reason", None)
    if isinstance(out.get("consent"), dict):
        out["consent"].pop("scope", None)
    for meeting in out.get("concertations", []):
        for key in _MEETING_DROPPED:
            meeting.pop(key, None)
    _drop_notes(out)
    return _replace_names(out, names)


def directory(entries: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Carers (often family) keep only how they relate to the person."""
    out = {}
    for ident, entry in entries.items():
        if entry.get("kind") == "carer":
            entry = {k: v for k, v in entry.items() if k in ("format", "id", "kind", "profession")}
            entry["name"] = "carer"
        out[ident] = entry
    return out


def message(text: str, ident: str, pseudonym: str) -> str:
    return text.replace(ident, pseudonym)


def _names(doc: dict[str, Any]) -> list[str]:
    identity = doc.get("identity", {})
    found = [identity.get("family_name"), identity.get("given_name")]
    return [n for n in found if isinstance(n, str) and len(n.strip()) > 1]


def _drop_notes(value: Any) -> None:
    if isinstance(value, dict):
        for key in _NOTE_KEYS:
            value.pop(key, None)
        for item in value.values():
            _drop_notes(item)
    elif isinstance(value, list):
        for item in value:
            _drop_notes(item)


def _replace_names(value: Any, names: list[str]) -> Any:
    if not names:
        return value
    pattern = re.compile("|".join(re.escape(n.strip()) for n in names), re.IGNORECASE)
    return _walk(value, pattern)


def _walk(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, str):
        return pattern.sub("[person]", value)
    if isinstance(value, list):
        return [_walk(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _walk(v, pattern) for k, v in value.items()}
    return value
