"""The ecomap of a person's network on a date: who is around them, by kind, who coordinates.

Pure: the directory entries are given (``None`` for an id the directory does not hold),
the date is an argument. Drawing is ``documents.ecomap``'s job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reseau_cli import text
from reseau_cli.model.network import display_name, holder, is_current

KINDS = ("professional", "service", "carer", "volunteer")


@dataclass(frozen=True)
class Tie:
    """One member of the network around the person, as the ecomap draws them."""

    intervenant: str
    name: str | None  # None: not in the directory ("unknown")
    role: str | None
    kind: str
    current: bool  # False: left the network by the date (drawn faded, with --history)
    since: str
    until: str | None
    coordinator: bool
    lead: bool

    @property
    def missing(self) -> bool:
        return self.name is None


@dataclass(frozen=True)
class Ecomap:
    person: str  # the person's name
    on: str
    ties: tuple[Tie, ...]

    @property
    def current(self) -> tuple[Tie, ...]:
        return tuple(t for t in self.ties if t.current)

    @property
    def missing(self) -> tuple[str, ...]:
        """Ids of members drawn as "unknown": the directory has no entry for them."""
        return tuple(dict.fromkeys(t.intervenant for t in self.ties if t.missing))

    def kinds(self) -> tuple[str, ...]:
        """The kinds present, in the order the ecomap groups them."""
        present = {t.kind for t in self.ties}
        return tuple(k for k in KINDS if k in present)


def build(
    doc: dict[str, Any],
    directory: Mapping[str, Mapping[str, Any] | None],
    *,
    on: str,
    history: bool = False,
) -> Ecomap:
    """The network of ``doc`` as of ``on``: current members, and with ``history`` those
    who had left by then (one tie each, their last membership). Members who joined
    after ``on`` are not drawn."""
    coordinator = holder(doc, "coordinator", on)
    lead = holder(doc, "concertation_lead", on)
    spans: dict[str, list[dict[str, Any]]] = {}
    for m in doc.get("network") or []:
        if m["since"] <= on:
            spans.setdefault(m["intervenant"], []).append(m)
    ties = []
    for ident, found in spans.items():
        current = [m for m in found if is_current(m, on)]
        if not current and not history:
            continue
        latest = max(current or found, key=lambda m: m["since"])
        entry = directory.get(ident)
        kind = (entry or {}).get("kind") or "professional"
        ties.append(
            Tie(
                intervenant=ident,
                name=(entry.get("name") or ident) if entry is not None else None,
                role=latest.get("role") or (entry or {}).get("profession") or None,
                kind=kind if kind in KINDS else "professional",
                current=bool(current),
                since=latest["since"],
                until=None if current else latest.get("until"),
                coordinator=bool(current) and ident == coordinator,
                lead=bool(current) and ident == lead,
            )
        )
    ties.sort(key=_order)
    return Ecomap(person=display_name(doc), on=on, ties=tuple(ties))


def _order(t: Tie) -> tuple[Any, ...]:
    return (KINDS.index(t.kind), not t.current, text.sort_key(t.name or ""), t.intervenant)
