"""What changed in a person's plan between two concertations, read from git history.

The minutes of a concertation say what happened since the previous one. The file
itself only holds today's state, so the two states are read from git: the file as
it was when the previous concertation was recorded as held, and as it was when this
one was. ``plan_changes`` compares two states and is a pure function.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reseau_cli import store, vcs
from reseau_cli.errors import InvalidDocument
from reseau_cli.repo import Repository

Doc = dict[str, Any]


@dataclass(frozen=True)
class PlanChanges:
    """Actions added, done and cancelled; members who joined or left."""

    added: list[Doc] = field(default_factory=list)
    done: list[Doc] = field(default_factory=list)
    cancelled: list[Doc] = field(default_factory=list)
    joined: list[Doc] = field(default_factory=list)
    left: list[Doc] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.done or self.cancelled or self.joined or self.left)


def plan_changes(
    before: Doc, after: Doc, *, exclude_actions: frozenset[str] = frozenset()
) -> PlanChanges:
    """Compare two versions of a person document (pure; tolerant of old versions)."""
    old = {a.get("id"): a for a in _actions(before)}
    added, done, cancelled = [], [], []
    for action in _actions(after):
        ident = action.get("id")
        previous = old.get(ident)
        status = action.get("status")
        if previous is None and ident not in exclude_actions:
            added.append(action)
        if status in ("done", "cancelled") and (previous or {}).get("status") != status:
            (done if status == "done" else cancelled).append(action)
    was_open = _open_members(before)
    now_open = _open_members(after)
    joined = [m for who, m in now_open.items() if who not in was_open]
    left = []
    for who, m in was_open.items():
        if who in now_open:
            continue
        ended = [x for x in after.get("network") or [] if x.get("intervenant") == who]
        left.append(max(ended, key=lambda x: x.get("until") or "", default=m))
    return PlanChanges(
        added=added,
        done=done,
        cancelled=cancelled,
        joined=sorted(joined, key=lambda m: (m.get("since") or "", m.get("intervenant"))),
        left=sorted(left, key=lambda m: (m.get("until") or "", m.get("intervenant"))),
    )


def _actions(doc: Doc) -> list[Doc]:
    return list((doc.get("plan") or {}).get("actions") or [])


def _open_members(doc: Doc) -> dict[str, Doc]:
    """Memberships not (yet) ended in this version, by intervenant."""
    return {
        m["intervenant"]: m
        for m in doc.get("network") or []
        if isinstance(m, dict) and m.get("intervenant") and not m.get("until")
    }


def previous_held(doc: Doc, concertation: Doc) -> Doc | None:
    """The latest concertation held before this one, if any."""
    key = (concertation["date"], concertation.get("time") or "")
    earlier = [
        c
        for c in doc.get("concertations") or []
        if c["status"] == "held"
        and c["id"] != concertation["id"]
        and (c["date"], c.get("time") or "") < key
    ]
    return max(earlier, key=lambda c: (c["date"], c.get("time") or ""), default=None)


@dataclass(frozen=True)
class SincePrevious:
    """The previous concertation and, when git knows it, what changed since."""

    previous: Doc
    changes: PlanChanges | None  # None: the history does not go back that far


def since_previous(repo: Repository, doc: Doc, concertation: Doc) -> SincePrevious | None:
    """What changed in the plan between the previous held concertation and this one."""
    previous = previous_held(doc, concertation)
    if previous is None:
        return None
    path = repo.path("person", doc["id"])
    versions = vcs.file_versions(repo.root, path)
    cache: dict[int, Doc | None] = {}

    def version(i: int) -> Doc | None:
        if i not in cache:
            text = vcs.file_at(repo.root, path, commit=versions[i].commit)
            try:
                parsed = store.parse(text, path=repo.rel(path)) if text else None
            except InvalidDocument:
                parsed = None
            cache[i] = parsed if isinstance(parsed, dict) else None
        return cache[i]

    base = _first(len(versions), lambda i: _held(version(i), previous["id"]))
    if base is None:
        return SincePrevious(previous, None)
    target = _first(len(versions), lambda i: _held(version(i), concertation["id"]))
    after = doc if target is None else version(target)
    before = version(base)
    if before is None or after is None:
        return SincePrevious(previous, None)
    own = frozenset(concertation.get("actions") or [])
    own |= {a["id"] for a in _actions(after) if a.get("concertation") == concertation["id"]}
    return SincePrevious(previous, plan_changes(before, after, exclude_actions=own))


def _held(doc: Doc | None, ident: str) -> bool:
    if doc is None:
        return False
    return any(
        isinstance(c, dict) and c.get("id") == ident and c.get("status") == "held"
        for c in doc.get("concertations") or []
    )


def _first(count: int, holds: Callable[[int], bool]) -> int | None:
    """The first index where ``holds`` becomes true (it stays true once it is)."""
    lo, hi = 0, count
    while lo < hi:
        mid = (lo + hi) // 2
        if holds(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo if lo < count else None
