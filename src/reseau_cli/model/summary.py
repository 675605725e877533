"""The summary of a document kept in the derived index (pure functions).

A person's summary is the document cut down to what the commands over every person
need: `person list`, `status` (every alert of ``model.alerts``), `intervenant list`
and the caseloads of `intervenant show`. It keeps the document's shape (same keys,
same nesting), so the model's functions that read a document (``alerts.person_alerts``,
``network.holder``, ``network.as_of``…) read a summary just the same, and every alert
stays computed by ``model.alerts`` from it, as of the day the command runs.

A directory entry is small: its summary is the entry itself.

Adding the inputs of a new alert (or of a new column of a list)
------------------------------------------------------------------
1. Add the keys your alert reads to ``PERSON_KEEP`` below (a top-level key kept whole:
   ``"consent": None``), or keep only some fields of a list's records or of an object
   (``"evaluations": ("id", "date")``, ``"plan": {...}`` nested the same way).
   Keep only what the alert reads: every person's summary is read by every `status`.
2. Bump ``SUMMARY_VERSION``: every index is then rebuilt once, silently, by the next
   command that reads it (it never serves a summary of another version).
3. Write the alert in ``model/alerts.py`` against the document's shape; a test that
   runs it on ``person_summary(doc)`` and on ``doc`` and finds the same alerts keeps
   the two in step (see tests/test_index.py).

The search text (``search_texts``) is what `reseau find` matches: each piece with
where it was found in the file.
"""

from __future__ import annotations

from collections.abc import Iterator

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Bump whenever what a summary holds changes (see above): older indexes are rebuilt.
SUMMARY_VERSION = 2

# What a person's summary keeps: for each top-level key, None (kept whole), a tuple of
# fields (kept of an object, or of each record of a list), or a nested dict of the same.
if TYPE_CHECKING:
    Keep = dict[str, Any]
PERSON_KEEP: Keep = {
    "format": None,
    "id": None,
    "status": None,
    "opened": None,
    "closed": None,
    "identity": ("family_name", "given_name", "birth_date"),
    "network": ("intervenant", "role", "since", "until", "reason"),
    "coordination": None,
    "plan": {
        "next_review": None,
        "reviewed": None,
        "reviews": ("date", "next"),
        "actions": ("id", "objective", "text", "by", "due", "status"),
        # a scheme may need a plan with objectives; an objective answers needs
        "objectives": ("id", "status", "needs"),
    },
    # the consent in force (consent-missing, consent-review): decisions without their scope
    "consent": {"history": ("id", "date", "status")},
    # the situation by domain (need-unanswered, evaluation-due)
    "evaluations": ("id", "date", "domains"),
    "concertations": (
        *("id", "kind", "status", "date", "time", "duration_minutes", "place"),
        # the funding scheme's conditions (model.scheme.unmet, the scheme-unmet alert)
        *("scheme", "organiser", "invited", "participants", "person_present"),
        *("person_agreed", "representative_present", "actions"),
    ),
}
# Kept whole only in a concertation under a funding scheme: whether its report and
# decisions exist is one of the scheme's conditions.
SCHEME_ONLY = ("summary", "decisions")


def _cut(value: Any, keep: Any) -> Any:
    if keep is None:
        return value
    if isinstance(keep, dict):
        if not isinstance(value, dict):
            return value
        return {k: _cut(value[k], sub) for k, sub in keep.items() if k in value}
    if isinstance(value, list):
        return [_cut(item, keep) for item in value]
    if isinstance(value, dict):
        return {k: value[k] for k in keep if k in value}
    return value


def person_summary(doc: dict[str, Any]) -> dict[str, Any]:
    """A person document cut down to ``PERSON_KEEP`` (same shape, fewer fields)."""
    cut: dict[str, Any] = _cut(doc, PERSON_KEEP)
    concertations = zip(
        cut.get("concertations") or [], doc.get("concertations") or [], strict=False
    )
    for kept, full in concertations:
        if isinstance(full, dict) and full.get("scheme"):
            kept.update({k: full[k] for k in SCHEME_ONLY if k in full})
    return cut


def intervenant_summary(doc: dict[str, Any]) -> dict[str, Any]:
    """A directory entry: kept whole (a few short fields)."""
    return doc


def summary(kind: str, doc: dict[str, Any]) -> dict[str, Any]:
    return person_summary(doc) if kind == "person" else intervenant_summary(doc)


# -- what `reseau find` searches ----------------------------------------------------------


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def search_texts(kind: str, doc: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """``(where, text)`` for each searchable piece of a document: names, situation,
    roles, objectives, actions, notes and decisions (``where`` is a JSON path)."""
    if kind != "person":
        for key in ("name", "profession", "organisation", "note"):
            found = _text(doc.get(key))
            if found:
                yield f"$.{key}", found
        return
    identity = doc.get("identity") or {}
    name = " ".join(filter(None, (_text(identity.get(k)) for k in ("given_name", "family_name"))))
    if name:
        yield "$.identity", name
    found = _text(doc.get("situation"))
    if found:
        yield "$.situation", found
    for i, m in enumerate(doc.get("network") or []):
        for key in ("intervenant", "role", "reason"):
            found = _text(m.get(key))
            if found:
                yield f"$.network[{i}].{key}", found
    yield from _records(doc.get("plan") or {}, "$.plan")
    for i, c in enumerate(doc.get("concertations") or []):
        at = f"$.concertations[{i}]"
        yield from _fields(c, at, ("place", "summary", "cancelled_reason"))
        for key in ("agenda", "decisions"):
            for j, item in enumerate(c.get(key) or []):
                found = _text(item)
                if found:
                    yield f"{at}.{key}[{j}]", found


def _records(plan: dict[str, Any], at: str) -> Iterator[tuple[str, str]]:
    for key in ("objectives", "actions", "reviews"):
        for i, item in enumerate(plan.get(key) or []):
            where = f"{at}.{key}[{i}]"
            yield from _fields(item, where, ("text", "note"))
            for j, note in enumerate(item.get("notes") or []):
                yield from _fields(note, f"{where}.notes[{j}]", ("text",))


def _fields(item: dict[str, Any], at: str, keys: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    for key in keys:
        found = _text(item.get(key))
        if found:
            yield f"{at}.{key}", found
