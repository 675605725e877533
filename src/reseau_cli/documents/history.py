"""What changed in a person's plan between two concertations.

The minutes of a concertation say what happened since the previous one. Two sources
are combined (union, no duplicates):

- the dates the file itself records: memberships that started or ended, actions created
  or closed (done, cancelled), objectives set or closed, between the previous meeting
  (excluded) and this one (included) — ``dated_changes``. This works even when git has
  no intermediate version, for example a repository imported in one commit;
- git history: the file as it was when the previous concertation was recorded as held,
  compared with the file when this one was — ``plan_changes``. This catches changes
  recorded without a date.

Both are pure functions of documents; ``since_previous`` reads git.
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
    """Actions added, done and cancelled; objectives set, achieved or abandoned; members
    who joined or left."""

    added: list[Doc] = field(default_factory=list)
    done: list[Doc] = field(default_factory=list)
    cancelled: list[Doc] = field(default_factory=list)
    joined: list[Doc] = field(default_factory=list)
    left: list[Doc] = field(default_factory=list)
    objectives_added: list[Doc] = field(default_factory=list)
    achieved: list[Doc] = field(default_factory=list)
    abandoned: list[Doc] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(getattr(self, name) for name in _LISTS)


_LISTS = (
    "added",
    "done",
    "cancelled",
    "joined",
    "left",
    "objectives_added",
    "achieved",
    "abandoned",
)
_CLOSED_ACTION = {"done": "done", "cancelled": "cancelled"}
_CLOSED_OBJECTIVE = {"achieved": "achieved", "abandoned": "abandoned"}


def plan_changes(
    before: Doc, after: Doc, *, exclude_actions: frozenset[str] = frozenset()
) -> PlanChanges:
    """Compare two versions of a person document (pure; tolerant of old versions)."""
    old = {a.get("id"): a for a in _actions(before)}
    lists: dict[str, list[Doc]] = {name: [] for name in _LISTS}
    for action in _actions(after):
        ident = action.get("id")
        previous = old.get(ident)
        status = action.get("status")
        if previous is None and ident not in exclude_actions:
            lists["added"].append(action)
        if status in _CLOSED_ACTION and (previous or {}).get("status") != status:
            lists[_CLOSED_ACTION[status]].append(action)
    old_objectives = {o.get("id"): o for o in _objectives(before)}
    for objective in _objectives(after):
        previous = old_objectives.get(objective.get("id"))
        status = objective.get("status")
        if previous is None:
            lists["objectives_added"].append(objective)
        if status in _CLOSED_OBJECTIVE and (previous or {}).get("status") != status:
            lists[_CLOSED_OBJECTIVE[status]].append(objective)
    was_open = _open_members(before)
    now_open = _open_members(after)
    lists["joined"] = [m for who, m in now_open.items() if who not in was_open]
    for who, m in was_open.items():
        if who in now_open:
            continue
        ended = [x for x in _network(after) if x.get("intervenant") == who]
        lists["left"].append(max(ended, key=lambda x: x.get("until") or "", default=m))
    return _sorted(PlanChanges(**lists))


def dated_changes(
    doc: Doc, *, after: str, until: str, exclude_actions: frozenset[str] = frozenset()
) -> PlanChanges:
    """What the file's own dates place in the window (``after``, ``until``] (pure).

    ``after`` is the previous meeting's date (what happened that day belongs to its
    minutes), ``until`` this meeting's date."""

    def inside(value: Any) -> bool:
        return isinstance(value, str) and after < value <= until

    lists: dict[str, list[Doc]] = {name: [] for name in _LISTS}
    for action in _actions(doc):
        if inside(action.get("created")) and action.get("id") not in exclude_actions:
            lists["added"].append(action)
        status = action.get("status")
        if status in _CLOSED_ACTION and inside(action.get("closed")):
            lists[_CLOSED_ACTION[status]].append(action)
    for objective in _objectives(doc):
        if inside(objective.get("created")):
            lists["objectives_added"].append(objective)
        status = objective.get("status")
        if status in _CLOSED_OBJECTIVE and inside(objective.get("closed")):
            lists[_CLOSED_OBJECTIVE[status]].append(objective)
    for m in _network(doc):
        if inside(m.get("since")):
            lists["joined"].append(m)
        if inside(m.get("until")):
            lists["left"].append(m)
    return _sorted(PlanChanges(**lists))


def union(first: PlanChanges, second: PlanChanges) -> PlanChanges:
    """Both sets of changes, each one once (actions and objectives by id, memberships by
    intervenant and start date); the first's version of an item wins."""
    lists = {}
    for name in _LISTS:
        seen: dict[Any, Doc] = {}
        for item in [*getattr(first, name), *getattr(second, name)]:
            seen.setdefault(_key(name, item), item)
        lists[name] = list(seen.values())
    return _sorted(PlanChanges(**lists))


def _key(name: str, item: Doc) -> Any:
    if name in ("joined", "left"):
        return (item.get("intervenant"), item.get("since"))
    return item.get("id")


def _sorted(changes: PlanChanges) -> PlanChanges:
    def by_date(key: str) -> Any:  # undated last
        return lambda x: (x.get(key) or "~", str(x.get("id") or x.get("intervenant") or ""))

    return PlanChanges(
        added=sorted(changes.added, key=by_date("created")),
        done=sorted(changes.done, key=by_date("closed")),
        cancelled=sorted(changes.cancelled, key=by_date("closed")),
        joined=sorted(changes.joined, key=by_date("since")),
        left=sorted(changes.left, key=by_date("until")),
        objectives_added=sorted(changes.objectives_added, key=by_date("created")),
        achieved=sorted(changes.achieved, key=by_date("closed")),
        abandoned=sorted(changes.abandoned, key=by_date("closed")),
    )


def _actions(doc: Doc) -> list[Doc]:
    return [a for a in (doc.get("plan") or {}).get("actions") or [] if isinstance(a, dict)]


def _objectives(doc: Doc) -> list[Doc]:
    return [o for o in (doc.get("plan") or {}).get("objectives") or [] if isinstance(o, dict)]


def _network(doc: Doc) -> list[Doc]:
    return [m for m in doc.get("network") or [] if isinstance(m, dict)]


def _open_members(doc: Doc) -> dict[str, Doc]:
    """Memberships not (yet) ended in this version, by intervenant."""
    return {
        m["intervenant"]: m for m in _network(doc) if m.get("intervenant") and not m.get("until")
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
    """The previous concertation and what changed since.

    ``from_history`` tells whether git history covers the whole time between the two
    meetings; when it does not, the changes come from the file's dates alone, and a
    change recorded without a date cannot be seen."""

    previous: Doc
    changes: PlanChanges
    from_history: bool


def since_previous(
    repo: Repository,
    doc: Doc,
    concertation: Doc,
    *,
    versions: list[vcs.Version] | None = None,
    blobs: vcs.Blobs | None = None,
) -> SincePrevious | None:
    """What changed in the plan between the previous held concertation and this one.
    ``versions`` (the file's, if already known) and ``blobs`` (a reader kept open for a
    batch) spare git processes."""
    previous = previous_held(doc, concertation)
    if previous is None:
        return None
    own = frozenset(concertation.get("actions") or [])
    own |= {a["id"] for a in _actions(doc) if a.get("concertation") == concertation["id"]}
    earlier = {a["id"] for a in _actions(doc) if a.get("concertation") == previous["id"]}
    found = _from_history(repo, doc, previous, concertation, own, versions, blobs)
    # The file as the meeting was recorded: what was done later that same day (an
    # action closed after the meeting, say) belongs to the next minutes, not these.
    recorded = doc if found is None else found[2]
    dated = dated_changes(
        recorded, after=previous["date"], until=concertation["date"], exclude_actions=own | earlier
    )
    if found is None:
        return SincePrevious(previous, dated, from_history=False)
    changes, covered, _ = found
    return SincePrevious(previous, union(dated, changes), from_history=covered)


def _from_history(
    repo: Repository,
    doc: Doc,
    previous: Doc,
    concertation: Doc,
    own: frozenset[str],
    versions: list[vcs.Version] | None = None,
    blobs: vcs.Blobs | None = None,
) -> tuple[PlanChanges, bool, Doc] | None:
    """The git comparison, whether history reaches back before the previous meeting
    was recorded, and the file as this meeting was recorded (if the file's first version already holds it as held, the file was
    imported or written outside reseau: what happened before is not in git)."""
    path = repo.path("person", doc["id"])
    if versions is None:
        versions = vcs.file_versions(repo.root, path)
    cache: dict[int, Doc | None] = {}

    def version(i: int) -> Doc | None:
        if i not in cache:
            commit = versions[i].commit
            if blobs is not None:
                text = blobs.text(commit, path)
            else:
                text = vcs.file_at(repo.root, path, commit=commit)
            try:
                parsed = store.parse(text, path=repo.rel(path)) if text else None
            except InvalidDocument:
                parsed = None
            cache[i] = parsed if isinstance(parsed, dict) else None
        return cache[i]

    base = _first(len(versions), lambda i: _held(version(i), previous["id"]))
    if base is None:
        return None
    target = _first(len(versions), lambda i: _held(version(i), concertation["id"]))
    after = doc if target is None else version(target)
    before = version(base)
    if before is None or after is None:
        return None
    own = own | {a["id"] for a in _actions(after) if a.get("concertation") == concertation["id"]}
    return plan_changes(before, after, exclude_actions=own), base > 0, after


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
