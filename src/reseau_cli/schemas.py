"""The JSON Schemas shipped with reseau, each compiled once per process."""

from __future__ import annotations

import json
import re
from functools import cache

from reseau_cli import i18n, store
from reseau_cli.errors import Problem
from reseau_cli.i18n import _
from reseau_cli.resources import data_dir
from reseau_cli.safety import shorten

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

KINDS = ("settings", "person", "intervenant", "scheme")


@cache
def schema(kind: str) -> dict[str, Any]:
    with open(data_dir("schemas") / f"{kind}.schema.json", encoding="utf-8") as handle:
        return json.load(handle)


@cache
def _validator(kind: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)


_REFERENCE: list[bool] = [False]


def reference_only(on: bool = True) -> None:
    """Validate with jsonschema alone (`reseau check --strict`), not the fast validator."""
    _REFERENCE[0] = on


@cache
def _schema_text(kind: str) -> str:
    return json.dumps(schema(kind), sort_keys=True, ensure_ascii=False)


def is_valid(kind: str, doc: Any) -> bool:
    """Whether ``doc`` is valid, by the fast validator compiled from the schema
    (see ``fastschemas``), or by jsonschema with ``reference_only``."""
    if _REFERENCE[0]:
        return not any(True for _ in _validator(kind).iter_errors(doc))
    from reseau_cli.fastschemas import is_valid as fast

    return fast(kind, _schema_text(kind), doc)


def problems(kind: str, doc: Any, *, path: str, text: str | None = None) -> list[Problem]:
    """Every schema violation of ``doc``, located by YAML line when ``text`` is given.
    A valid document is recognised by the fast validator; jsonschema (the reference)
    describes the problems of one that is not, so messages never depend on which ran."""
    if not _REFERENCE[0] and is_valid(kind, doc):
        return []
    errors = sorted(_validator(kind).iter_errors(doc), key=lambda e: list(map(str, e.path)))
    found = []
    for error in errors:
        where = json_path(error.absolute_path)
        if text is not None:
            line = store.line_of(text, tuple(error.absolute_path))
            if line is not None:
                where = _("line {line} ({location})").format(line=line, location=where)
        found.append(Problem(path, where, describe(error)))
    return found


def json_path(parts: Any) -> str:
    """``$.plan.actions[2].due`` for the keys and indexes ``parts``."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def definition(name: str) -> dict[str, Any]:
    """A shared definition (``line``, ``multiline``, ``date``, ``id``…) of the person
    schema, for other schemas (forms) to use the same rules."""
    return dict(schema("person")["$defs"][name])


def describe(error: Any) -> str:
    """One line about a jsonschema error, in the terminal's language; values are quoted
    and cut short."""
    if error.validator == "additionalProperties":
        found = re.search(r"\((.*) (was|were) unexpected\)", error.message)
        if found and found.group(2) == "was":
            return _("unknown field(s) ({fields} was unexpected)").format(fields=found.group(1))
        if found:
            return _("unknown field(s) ({fields} were unexpected)").format(fields=found.group(1))
        return error.message.replace("Additional properties are not allowed", _("unknown field(s)"))
    if error.validator in ("oneOf", "anyOf"):
        return _("{value} is not valid here").format(value=shorten(repr(error.instance)))
    if error.validator == "pattern" and isinstance(error.instance, str):
        value = shorten(repr(error.instance))
        if error.validator_value == definition("line")["pattern"]:
            said = _("{value} holds a line break or a control character; this field is one line")
        elif error.validator_value == definition("multiline")["pattern"]:
            said = _("{value} holds a control character (only line breaks and tabs are allowed)")
        elif error.validator_value == definition("date")["pattern"]:
            said = _("{value} is not a date between 1900-01-01 and 2199-12-31 (YYYY-MM-DD)")
        else:
            said = _("{value} does not have the expected form")
        return said.format(value=value)
    if isinstance(error.instance, str | int) and len(repr(error.instance)) > 100:
        return _("{value} is not valid here ({keyword})").format(
            value=shorten(repr(error.instance)), keyword=error.validator
        )
    return _library_message(error)


def _library_message(error: Any) -> str:
    """jsonschema's own sentence, translated: the common keywords are said again from
    the error's parts; English, and any other keyword, keep jsonschema's words."""
    if i18n.language() == i18n.SOURCE_LANGUAGE:
        return str(error.message)  # jsonschema's own words, never reworded
    keyword, value = error.validator, repr(error.instance)
    limit = error.validator_value
    if keyword == "required":
        found = re.match(r"^(.*) is a required property$", error.message)
        if found:
            return _("{field} is a required property").format(field=found.group(1))
    elif keyword == "enum":
        return _("{value} is not one of {choices}").format(value=value, choices=repr(limit))
    elif keyword == "type":
        types = limit if isinstance(limit, list) else [limit]
        return _("{value} is not of type {types}").format(
            value=value, types=", ".join(map(repr, types))
        )
    elif keyword == "format":
        return _("{value} is not a {format}").format(value=value, format=repr(limit))
    elif keyword in ("minLength", "minItems", "minProperties") and limit == 1:
        return _("{value} should be non-empty").format(value=value)
    elif keyword in ("minLength", "minItems"):
        return _("{value} is too short").format(value=value)
    elif keyword in ("maxLength", "maxItems", "maxProperties") and limit == 0:
        return _("{value} is expected to be empty").format(value=value)
    elif keyword in ("maxLength", "maxItems"):
        return _("{value} is too long").format(value=value)
    elif keyword == "minimum":
        return _("{value} is less than the minimum of {limit}").format(
            value=value, limit=repr(limit)
        )
    elif keyword == "maximum":
        return _("{value} is greater than the maximum of {limit}").format(
            value=value, limit=repr(limit)
        )
    elif keyword == "const":
        return _("{expected} was expected").format(expected=repr(limit))
    elif keyword == "uniqueItems":
        return _("{value} has non-unique elements").format(value=value)
    return str(error.message)


def order(kind: str, doc: Any) -> Any:
    """``doc`` with mapping keys in schema order, so files diff cleanly."""
    root = schema(kind)
    return _order(doc, root, root)


def _order(value: Any, node: dict[str, Any], root: dict[str, Any]) -> Any:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        node = root["$defs"][ref.rsplit("/", 1)[1]]
    if isinstance(value, dict):
        props = node.get("properties", {})
        ordered = {key: _order(value[key], props[key], root) for key in props if key in value}
        ordered.update({k: v for k, v in value.items() if k not in ordered})
        return ordered
    if isinstance(value, list) and isinstance(node.get("items"), dict):
        return [_order(item, node["items"], root) for item in value]
    return value
