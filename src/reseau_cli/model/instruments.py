"""Standardised instruments: the built-in ones (AGGIR, Katz) and the team's own, as data.

An instrument has items, each with its allowed values, and a scoring rule that turns
the values into a result ``{label, value?, score?, rank?, band?}``. Built-in
instruments carry their source and version and are scored by their published rules
(``model.aggir``, ``model.katz``). A team instrument is a YAML file in the data
repository's ``instruments/`` (validated by ``schemas/instrument.schema.json``),
scored as a **sum** with bands, or by a **table** of rules (the first whose
conditions all hold gives the result). None ships a questionnaire's text: items are
named, never worded.
"""

from __future__ import annotations

from collections.abc import Callable

from reseau_cli.errors import InvalidInput, UnknownId
from reseau_cli.i18n import _
from reseau_cli.model import aggir, katz
from reseau_cli.records import field, frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

Value = str | int


@frozen
class Instrument:
    """One instrument: ``items`` maps each item to its allowed values, in order."""

    id: str
    title: str
    version: str
    source: str
    items: dict[str, tuple[Value, ...]]
    scorer: Callable[[dict[str, Any]], dict[str, Any]] = field(repr=False, compare=False)
    builtin: bool = True
    optional: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "version": self.version,
            "source": self.source,
            "builtin": self.builtin,
            "items": {name: list(values) for name, values in self.items.items()},
            "optional": list(self.optional),
        }


BUILTIN: dict[str, Instrument] = {
    "aggir": Instrument(
        id="aggir",
        title="AGGIR (GIR 1-6)",
        version=aggir.VERSION,
        source=aggir.SOURCE,
        items={name: aggir.LETTERS for name in aggir.VARIABLES},
        scorer=aggir.score,
        optional=aggir.VARIABLES[8:],
    ),
    "katz": Instrument(
        id="katz",
        title="Katz scale, Belgium (O, A, B, C, Cd)",
        version=katz.VERSION,
        source=katz.SOURCE,
        items={name: katz.SCORES for name in katz.ITEMS},
        scorer=katz.score,
    ),
}


def _coerce(value: Any, allowed: tuple[Value, ...]) -> Value | None:
    """``value`` as one of ``allowed`` ("3" is 3 when the allowed values are numbers)."""
    if value in allowed and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        text = value.strip()
        for candidate in allowed:
            if str(candidate) == text or (isinstance(candidate, str) and candidate == text.upper()):
                return candidate
    return None


def check_item(instrument: Instrument, name: str, value: Any) -> Value:
    """``value`` as the item takes it; one clear refusal for an unknown item or a value
    not allowed."""
    if name not in instrument.items:
        raise InvalidInput(
            _("{instrument} has no item {item}; its items: {items}").format(
                instrument=instrument.id, item=repr(name), items=", ".join(instrument.items)
            )
        )
    allowed = instrument.items[name]
    found = _coerce(value, allowed)
    if found is None:
        raise InvalidInput(
            _("invalid value {value} for {instrument} item {item}: choose one of {choices}").format(
                value=repr(value),
                instrument=instrument.id,
                item=name,
                choices=", ".join(str(v) for v in allowed),
            )
        )
    return found


def missing(instrument: Instrument, given: dict[str, Any]) -> list[str]:
    """The required items without a value."""
    return [n for n in instrument.items if given.get(n) is None and n not in instrument.optional]


def check_items(instrument: Instrument, given: dict[str, Any]) -> dict[str, Value]:
    """The items as the instrument takes them, in its order; refused with one line for
    an unknown item, a value not allowed, or a required item missing."""
    items = {name: check_item(instrument, name, value) for name, value in given.items()}
    absent = missing(instrument, items)
    if absent:
        raise InvalidInput(
            _("{instrument}: missing item(s) {items}").format(
                instrument=instrument.id, items=", ".join(absent)
            )
        )
    return {name: items[name] for name in instrument.items if name in items}


def score(instrument: Instrument, given: dict[str, Any]) -> dict[str, Any]:
    """The evaluation's record of one instrument: ``{instrument, version, items, result}``."""
    items = check_items(instrument, given)
    return {
        "instrument": instrument.id,
        "version": instrument.version,
        "items": items,
        "result": instrument.scorer(items),
    }


def find(catalog: dict[str, Instrument], name: str) -> Instrument:
    if name not in catalog:
        raise UnknownId(
            _("unknown instrument {id}; `reseau evaluation instruments` lists them").format(
                id=repr(name)
            ),
            id=name,
        )
    return catalog[name]


# -- team instruments -------------------------------------------------------------


def from_data(doc: dict[str, Any]) -> Instrument:
    """A team instrument from its (schema-valid) YAML document."""
    items = {item["id"]: tuple(item["values"]) for item in doc["items"]}
    scoring = doc["scoring"]
    if "sum" in scoring:
        bands = scoring["sum"].get("bands") or []

        def scorer(values: dict[str, Any]) -> dict[str, Any]:
            return _sum(values, bands)

    else:
        rules = scoring["table"]

        def scorer(values: dict[str, Any]) -> dict[str, Any]:
            return _table(values, rules)

    return Instrument(
        id=doc["id"],
        title=doc["title"],
        version=str(doc["version"]),
        source=doc.get("source", ""),
        items=items,
        scorer=scorer,
        builtin=False,
        optional=tuple(item["id"] for item in doc["items"] if item.get("optional")),
    )


def _sum(values: dict[str, Any], bands: list[dict[str, Any]]) -> dict[str, Any]:
    total = sum(v for v in values.values() if isinstance(v, int))
    for band in bands:
        if band["min"] <= total and ("max" not in band or total <= band["max"]):
            return {"label": f"{band['label']} ({total})", "value": total, "score": total,
                    "band": band["label"]}  # fmt: skip
    return {"label": str(total), "value": total, "score": total}


def _table(values: dict[str, Any], rules: list[dict[str, Any]]) -> dict[str, Any]:
    for rule in rules:
        conditions = rule.get("when") or {}
        if all(_holds(values.get(name), wanted) for name, wanted in conditions.items()):
            out: dict[str, Any] = {"label": str(rule["result"])}
            if "value" in rule:
                out["value"] = rule["value"]
            return out
    raise InvalidInput(_("no rule of the instrument's table matches these values"))


def _holds(value: Any, wanted: Any) -> bool:
    return value in wanted if isinstance(wanted, list) else value == wanted


def problems(doc: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    """What the schema cannot say about a team instrument: (path, message) each."""
    found: list[tuple[tuple[Any, ...], str]] = []
    if doc["id"] in BUILTIN:
        found.append(
            (
                ("id",),
                _("{id} is a built-in instrument; choose another id").format(id=repr(doc["id"])),
            )
        )
    items = {item["id"]: item["values"] for item in doc["items"]}
    if len(items) != len(doc["items"]):
        found.append((("items",), "an item id is used twice"))
    scoring = doc["scoring"]
    if "sum" in scoring:
        for i, item in enumerate(doc["items"]):
            if not all(isinstance(v, int) and not isinstance(v, bool) for v in item["values"]):
                found.append((("items", i, "values"), "a sum needs whole numbers as values"))
    else:
        for i, rule in enumerate(scoring["table"]):
            for name in rule.get("when") or {}:
                if name not in items:
                    found.append(
                        (
                            ("scoring", "table", i, "when", name),
                            _("unknown item {item}").format(item=repr(name)),
                        )
                    )
    return found
