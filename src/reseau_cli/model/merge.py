"""Three-way merge of person and intervenant documents, field by field (no git here).

``merge(base, ours, theirs)`` returns the merged document and the real conflicts:

- a mapping is merged key by key; a value changed on one side only takes that side,
  a value changed identically on both sides is kept once, a value changed differently
  on both sides is a conflict (the merged document keeps ours there);
- a list is merged by the identity of its items (``IDENTITY`` below; plain string
  lists are ordered sets): ours' order first, then theirs' new items at their
  relative position; an item deleted on one side and untouched on the other is
  deleted, deleted on one side and changed on the other is a conflict;
- derived fields stay consistent: ``coordination.history`` has at most one open
  designation per role and none overlapping, ``coordination.coordinator`` (and the
  concertation lead) names one of its designations, and
  ``plan.reviewed``/``next_review`` follow the latest entry of ``plan.reviews``, and
  ``consent.status`` the latest decision of ``consent.history``.

With ``prefer="ours"`` or ``"theirs"`` every conflict takes that side's value instead
(still merging everything else); the conflicts are then returned as resolved.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reseau_cli.model.network import ROLES, designations


class _Absent:
    """A value that is not there: a key missing from a mapping, a deleted item."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False

    def __deepcopy__(self, memo: dict[int, Any]) -> _Absent:
        return self


ABSENT: Any = _Absent()

# Which fields identify an item of a list, by the list's place in the document (list
# items do not count in the place: `plan.actions[*].notes` is ("plan", "actions", "notes")).
IDENTITY: dict[tuple[str, ...], tuple[str, ...]] = {
    ("network",): ("intervenant", "since"),
    ("coordination", "history"): ("role", "intervenant", "since"),
    ("plan", "objectives"): ("id",),
    ("plan", "actions"): ("id",),
    ("plan", "reviews"): ("date",),
    ("plan", "actions", "notes"): ("date", "author", "text"),
    ("concertations",): ("id",),
    ("concertations", "participants"): ("intervenant",),
    ("consent", "history"): ("id",),
    ("consent", "disclosures"): ("id",),
    ("handovers",): ("id",),
    ("plan", "validations"): ("id",),
    ("evaluations",): ("id",),
    ("evaluations", "domains"): ("domain",),
    ("evaluations", "instruments"): ("instrument",),
}


@dataclass(frozen=True)
class Conflict:
    """One field changed differently on both sides."""

    path: str
    ours: Any
    theirs: Any
    base: Any = ABSENT

    def as_json(self) -> dict[str, Any]:
        """JSON-ready; a side where the value is absent (deleted) has no key."""
        out: dict[str, Any] = {"path": self.path}
        for side in ("ours", "theirs", "base"):
            value = getattr(self, side)
            if value is not ABSENT:
                out[side] = value
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Conflict:
        return cls(
            path=str(data["path"]),
            ours=data.get("ours", ABSENT),
            theirs=data.get("theirs", ABSENT),
            base=data.get("base", ABSENT),
        )


def show(value: Any) -> str:
    """A value as a person reads it in a conflict report."""
    if value is ABSENT:
        return "(deleted)"
    if value is None:
        return "(none)"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=False)


def merge(
    base: Any, ours: Any, theirs: Any, *, prefer: str | None = None
) -> tuple[Any, list[Conflict]]:
    """Merge two versions of a document derived from ``base`` (``None``: no common base).

    Returns ``(merged, conflicts)``. With ``prefer`` set, conflicts are resolved by
    taking that side and are still returned, for the report.
    """
    if prefer not in (None, "ours", "theirs"):
        raise ValueError(f"prefer must be 'ours' or 'theirs', not {prefer!r}")
    if base is None:
        base = ABSENT
    merger = _Merger(prefer)
    merged = merger.value((), base, ours, theirs)
    if isinstance(merged, dict) and isinstance(ours, dict) and isinstance(theirs, dict):
        _coordination(merger, base if isinstance(base, dict) else {}, ours, theirs, merged)
        _reviews(merger, ours, theirs, merged)
        _consent(merger, merged)
    return merged, merger.conflicts


# -- the structural merge ---------------------------------------------------------------

Step = str | tuple[str]  # a mapping key, or (label,) for a list item
_FALLBACK = object()  # a list that cannot be merged item by item


@dataclass
class _Merger:
    prefer: str | None
    conflicts: list[Conflict] = field(default_factory=list)

    def conflict(self, path: tuple[Step, ...], b: Any, o: Any, t: Any) -> Any:
        self.conflicts.append(Conflict(path=render(path), ours=o, theirs=t, base=b))
        return t if self.prefer == "theirs" else o

    def value(self, path: tuple[Step, ...], b: Any, o: Any, t: Any) -> Any:
        if o == t:
            return o
        if o == b:
            return t
        if t == b:
            return o
        if isinstance(o, dict) and isinstance(t, dict) and (b is ABSENT or isinstance(b, dict)):
            return self.mapping(path, b or {}, o, t)
        if isinstance(o, list) and isinstance(t, list) and (b is ABSENT or isinstance(b, list)):
            merged = self.sequence(path, b or [], o, t)
            if merged is not _FALLBACK:
                return merged
        return self.conflict(path, b, o, t)

    def mapping(
        self, path: tuple[Step, ...], b: dict[str, Any], o: dict[str, Any], t: dict[str, Any]
    ) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in _ordered_union(list(o), list(t)):
            value = self.value(
                (*path, key), b.get(key, ABSENT), o.get(key, ABSENT), t.get(key, ABSENT)
            )
            if value is not ABSENT:
                out[key] = value
        return out

    def sequence(self, path: tuple[Step, ...], b: list[Any], o: list[Any], t: list[Any]) -> Any:
        key_of = _identity(path, [*b, *o, *t])
        if key_of is None:
            return _FALLBACK
        keyed = [_keyed(items, key_of) for items in (b, o, t)]
        if any(k is None for k in keyed):
            return _FALLBACK  # duplicate identities: merge the list as one value
        bk, ok, tk = (k or {} for k in keyed)
        out: dict[Any, Any] = {}
        for key in _ordered_union(list(ok), list(tk)):
            step = (_label(key),)
            value = self.value(
                (*path, step), bk.get(key, ABSENT), ok.get(key, ABSENT), tk.get(key, ABSENT)
            )
            if value is not ABSENT:
                out[key] = value
        return list(out.values())


def _ordered_union(ours: list[Any], theirs: list[Any]) -> list[Any]:
    """Ours' keys in order, then theirs' other keys, each placed after the key that
    precedes it in theirs, past what theirs does not have there (ours first)."""
    out = list(ours)
    placed = set(out)
    in_theirs = set(theirs)
    anchor: int | None = None  # index in ``out`` of the last key of theirs seen
    for key in theirs:
        if key in placed:
            anchor = out.index(key)
            continue
        at = 0 if anchor is None else anchor + 1
        while at < len(out) and out[at] not in in_theirs:
            at += 1
        out.insert(at, key)
        placed.add(key)
        anchor = at
    return out


def _identity(path: tuple[Step, ...], items: list[Any]) -> Callable[[Any], Any] | None:
    place = tuple(step for step in path if isinstance(step, str))
    fields = IDENTITY.get(place)
    if fields is not None:
        if not all(isinstance(item, dict) for item in items):
            return None
        return lambda item: tuple(item.get(f) for f in fields)
    if all(isinstance(item, str | int | float) and not isinstance(item, bool) for item in items):
        return lambda item: item  # a plain list of values: an ordered set
    return None


def _keyed(items: list[Any], key_of: Callable[[Any], Any]) -> dict[Any, Any] | None:
    out: dict[Any, Any] = {}
    for item in items:
        key = key_of(item)
        if key in out:
            return None
        out[key] = item
    return out


def _label(key: Any) -> str:
    if isinstance(key, tuple):
        parts = ["" if part is None else str(part) for part in key]
        if len(parts) == 1:
            return parts[0]
        return "@".join(parts) if len(parts) == 2 else ":".join(parts[:-1]) + "@" + parts[-1]
    return json.dumps(key, ensure_ascii=False) if isinstance(key, str) else str(key)


def render(path: tuple[Step, ...]) -> str:
    """``("plan", "actions", ("a-3f9k",), "due")`` → ``plan.actions[a-3f9k].due``."""
    out = ""
    for step in path:
        if isinstance(step, tuple):
            out += f"[{step[0]}]"
        else:
            out += f".{step}" if out else step
    return out or "(document)"


# -- derived fields -------------------------------------------------------------------


def _open(doc: dict[str, Any], role: str) -> list[dict[str, Any]]:
    return [d for d in designations(doc, role) if d.get("until") is None]


def consistent(doc: dict[str, Any], role: str) -> bool:
    """The rules of `reseau check` that do not depend on the date: at most one open
    designation for ``role``, no two designations in force on the same day, and a
    field that names someone the history designates (it names who held the function
    when the file was written, which may be before a handover planned ahead); a field
    with no history at all is left alone."""
    coordination = doc.get("coordination") or {}
    mine = designations(doc, role)
    if len(_open(doc, role)) > 1:
        return False
    held = sorted(
        (d for d in mine if d.get("until") != d["since"]),
        key=lambda d: (d["since"], d.get("until") or "9999-99-99"),
    )
    for before, after in zip(held, held[1:], strict=False):
        if before.get("until") is None or before["until"] > after["since"]:
            return False
    who = coordination.get(role)
    return who is None or not mine or any(d.get("intervenant") == who for d in mine)


def _coordination(
    merger: _Merger,
    base: dict[str, Any],
    ours: dict[str, Any],
    theirs: dict[str, Any],
    merged: dict[str, Any],
) -> None:
    """Two designations merged side by side would leave a file nobody can trust: one
    designation at a time (see ``consistent``). If the merge broke that, it is a
    conflict (or, with ``prefer``, that side's whole coordination block wins)."""
    for role in ROLES:
        if consistent(merged, role) or not (consistent(ours, role) and consistent(theirs, role)):
            continue
        prefix = f"coordination.{role}"
        if not merger.prefer and any(c.path.startswith(prefix) for c in merger.conflicts):
            continue  # already reported as the coordinator field itself
        ours_open, theirs_open = _open(ours, role), _open(theirs, role)
        merger.conflicts.append(
            Conflict(
                path=prefix,
                ours=ours_open[0] if ours_open else (ours.get("coordination") or {}).get(role),
                theirs=theirs_open[0]
                if theirs_open
                else (theirs.get("coordination") or {}).get(role),
                base=(base.get("coordination") or {}).get(role, ABSENT),
            )
        )
        if merger.prefer:
            side = theirs if merger.prefer == "theirs" else ours
            if "coordination" in side:
                merged["coordination"] = copy.deepcopy(side["coordination"])
            else:
                merged.pop("coordination", None)


def _latest_review(doc: dict[str, Any]) -> dict[str, Any] | None:
    reviews = [r for r in (doc.get("plan") or {}).get("reviews") or [] if isinstance(r, dict)]
    dated = [r for r in reviews if isinstance(r.get("date"), str)]
    return max(dated, key=lambda r: r["date"]) if dated else None


def _reviews(
    merger: _Merger, ours: dict[str, Any], theirs: dict[str, Any], merged: dict[str, Any]
) -> None:
    """Two re-evaluations recorded on two days are not a conflict: the plan's
    ``reviewed``/``next_review`` follow the latest review of the merged list."""
    fields = ("plan.reviewed", "plan.next_review")
    clash = [c for c in merger.conflicts if c.path in fields]
    if not clash:
        return
    for side in (ours, theirs):
        latest = _latest_review(side)
        plan = side.get("plan") or {}
        if latest is None or plan.get("reviewed") != latest["date"]:
            return
        if plan.get("next_review") != latest.get("next", plan.get("next_review")):
            return
    latest = _latest_review(merged)
    if latest is None:
        return
    if latest["date"] not in (
        (ours.get("plan") or {}).get("reviewed"),
        (theirs.get("plan") or {}).get("reviewed"),
    ):
        return
    source = ours if (ours.get("plan") or {}).get("reviewed") == latest["date"] else theirs
    plan = merged["plan"]
    plan["reviewed"] = latest["date"]
    next_review = (source.get("plan") or {}).get("next_review", ABSENT)
    if next_review is ABSENT:
        plan.pop("next_review", None)
    else:
        plan["next_review"] = next_review
    merger.conflicts[:] = [c for c in merger.conflicts if c.path not in fields]


def _consent(merger: _Merger, merged: dict[str, Any]) -> None:
    """Two decisions recorded in two clones are both kept (the history is merged by id);
    the status is the latest decision's, never a conflict."""
    consent = merged.get("consent")
    if not isinstance(consent, dict) or not isinstance(consent.get("history"), list):
        return
    entries = [e for e in consent["history"] if isinstance(e, dict) and e.get("status")]
    if not entries:
        return
    ordered = sorted(enumerate(entries), key=lambda p: (str(p[1].get("date") or ""), p[0]))
    consent["status"] = ordered[-1][1]["status"]
    merger.conflicts[:] = [c for c in merger.conflicts if c.path != "consent.status"]
