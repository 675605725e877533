"""The support plan: the person's objectives, who does what by when, and re-evaluations.

Pure functions on the person document. Ids of objectives, actions and concertations
(``o-``, ``a-``, ``c-`` + 6 random characters, see ``new_id``) are unique within the
person file and chosen at random rather than counted, so two clones adding to the same
plan between two syncs do not pick the same id.
"""

from __future__ import annotations

import datetime as dt

from reseau_cli import ids
from reseau_cli.errors import InvalidInput, RuleViolation, UnknownId
from reseau_cli.i18n import _
from reseau_cli.model import person
from reseau_cli.model.network import PERSON, is_member, memberships

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DOMAINS = (
    "health",
    "autonomy",
    "daily-life",
    "housing",
    "resources",
    "social",
    "family",
    "mental-health",
    "other",
)
OBJECTIVE_STATUSES = ("active", "achieved", "abandoned")
ACTION_STATUSES = ("planned", "ongoing", "done", "cancelled")
OPEN_STATUSES = ("planned", "ongoing")  # an action still to do
# 31 characters ** 6 = ~887 million ids per prefix and person file: two team members
# adding an item to the same person in two clones before syncing share an id with a
# probability of about one in a billion; within one file, ids already taken are avoided.
ID_LENGTH = 6


def new_id(doc: dict[str, Any], prefix: str) -> str:
    """A fresh ``<prefix>-xxxxxx`` id, not used by any item of the person file."""
    return ids.random_id(prefix, ID_LENGTH, taken=taken_ids(doc))


def taken_ids(doc: dict[str, Any]) -> set[str]:
    plan = doc.get("plan") or {}
    items = [*(plan.get("objectives") or []), *(plan.get("actions") or [])]
    items += doc.get("concertations") or []
    return {item["id"] for item in items}


def choice(value: str | None, allowed: tuple[str, ...], *, what: str) -> str | None:
    """``value`` when it is one of ``allowed`` (or None), else a one-line refusal."""
    if value is not None and value not in allowed:
        raise InvalidInput(
            _("invalid {what} {value}: choose one of {choices}").format(
                what=what, value=repr(value), choices=", ".join(allowed)
            )
        )
    return value


def _plan(doc: dict[str, Any]) -> dict[str, Any]:
    plan = doc.setdefault("plan", {})
    plan.setdefault("objectives", [])
    plan.setdefault("actions", [])
    return plan


def require_active(doc: dict[str, Any]) -> None:
    person.require_active(doc, kept="its plan and concertations are kept as they were")


# -- objectives ---------------------------------------------------------------------


def objective(doc: dict[str, Any], ident: str) -> dict[str, Any]:
    for found in _plan(doc)["objectives"]:
        if found["id"] == ident:
            return found
    raise UnknownId(
        _("unknown objective {id}; `reseau plan show {person}` lists the objectives").format(
            id=repr(ident), person=doc["id"]
        ),
        id=ident,
    )


def add_objective(
    doc: dict[str, Any],
    text: str,
    *,
    date: str,
    domain: str | None = None,
    priority: bool = False,
    ident: str | None = None,
    needs: list[str] | None = None,
) -> dict[str, Any]:
    """Add one of the person's own objectives, in their words; returns it. ``needs``:
    the evaluated needs (domains) it answers."""
    require_active(doc)
    if not text.strip():
        raise InvalidInput(_("the objective text must not be empty"))
    choice(domain, DOMAINS, what="--domain")
    for need in needs or []:
        choice(need, DOMAINS, what="--need")
    item: dict[str, Any] = {
        "id": ident or new_id(doc, "o"),
        "text": text.strip(),
        "status": "active",
        "created": date,
    }
    if domain:
        item["domain"] = domain
    if needs:
        item["needs"] = list(dict.fromkeys(needs))
    if priority:
        item["priority"] = True
    _plan(doc)["objectives"].append(item)
    return item


def set_objective(
    doc: dict[str, Any],
    ident: str,
    *,
    date: str,
    status: str | None = None,
    priority: bool | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Mark an objective achieved, abandoned or active again; mark or unmark a priority."""
    require_active(doc)
    choice(status, OBJECTIVE_STATUSES, what="--status")
    item = objective(doc, ident)
    if status is None and priority is None and note is None:
        raise InvalidInput(
            _("nothing to change: give --status, --priority/--no-priority or --note")
        )
    if status is not None and status != item["status"]:
        item["status"] = status
        if status == "active":
            item.pop("closed", None)
        else:
            item["closed"] = date
    if priority is True:
        item["priority"] = True
    elif priority is False:
        item.pop("priority", None)
    if note is not None:
        if note.strip():
            item["note"] = note.strip()
        else:
            item.pop("note", None)
    return item


# -- actions ------------------------------------------------------------------------


def action(doc: dict[str, Any], ident: str) -> dict[str, Any]:
    for found in _plan(doc)["actions"]:
        if found["id"] == ident:
            return found
    raise UnknownId(
        _("unknown action {id}; `reseau plan show {person}` lists the actions").format(
            id=repr(ident), person=doc["id"]
        ),
        id=ident,
    )


def check_responsible(doc: dict[str, Any], who: str | None, *, on: str) -> str:
    """``who`` may hold an action: the person, or a member of the network on ``on``."""
    if who is None or not who.strip():
        raise InvalidInput(
            _(
                "an action needs --by WHO: an intervenant of the network, or 'person' for the "
                "person themself"
            )
        )
    if who == PERSON:
        return who
    ids.check(who, what="--by")
    if not is_member(doc, who, on):
        raise RuleViolation(
            _(
                "{who} is not a member of {person}'s network on {date}; add them with "
                "`reseau intervenant add {person} --id {id}` or choose a current member"
            ).format(who=repr(who), person=doc["id"], date=on, id=who)
        )
    return who


def _check_order(start: str | None, due: str | None) -> None:
    if start and due and due < start:
        raise InvalidInput(_("--due {due} is before --start {start}").format(due=due, start=start))


def add_action(
    doc: dict[str, Any],
    text: str,
    *,
    by: str | None,
    date: str,
    objective_id: str | None = None,
    due: str | None = None,
    start: str | None = None,
    concertation: str | None = None,
    ident: str | None = None,
) -> dict[str, Any]:
    """Add who does what by when; ``by`` must be in the network on ``date``."""
    require_active(doc)
    if not text.strip():
        raise InvalidInput(_("the action text must not be empty"))
    check_responsible(doc, by, on=date)
    if objective_id is not None:
        objective(doc, objective_id)
    _check_order(start, due)
    item: dict[str, Any] = {"id": ident or new_id(doc, "a")}
    if objective_id:
        item["objective"] = objective_id
    item.update({"text": text.strip(), "by": by, "created": date})
    if start:
        item["start"] = start
    if due:
        item["due"] = due
    item["status"] = "planned"
    if concertation:
        item["concertation"] = concertation
    _plan(doc)["actions"].append(item)
    return item


def set_action(
    doc: dict[str, Any],
    ident: str,
    *,
    date: str,
    author: str,
    status: str | None = None,
    due: str | None = None,
    start: str | None = None,
    by: str | None = None,
    note: str | None = None,
    objective_id: str | None = None,
) -> dict[str, Any]:
    """Update one action; notes accumulate with their date and author."""
    require_active(doc)
    choice(status, ACTION_STATUSES, what="--status")
    item = action(doc, ident)
    if all(v is None for v in (status, due, start, by, note, objective_id)):
        raise InvalidInput(
            _("nothing to change: give --status, --due, --start, --by, --objective or --note")
        )
    if objective_id is not None:
        objective(doc, objective_id)
        item["objective"] = objective_id
    if by is not None and by != item["by"]:
        check_responsible(doc, by, on=date)
        _add_note(item, date=date, author=author, text=f"Reassigned from {item['by']} to {by}.")
        item["by"] = by
    new_start = start if start is not None else item.get("start")
    new_due = due if due is not None else item.get("due")
    _check_order(new_start, new_due)
    if start is not None:
        item["start"] = start
    if due is not None:
        item["due"] = due
    if status is not None and status != item["status"]:
        item["status"] = status
        if status in OPEN_STATUSES:
            item.pop("closed", None)
        else:
            item["closed"] = date
    if note is not None:
        if not note.strip():
            raise InvalidInput(_("--note must not be empty"))
        _add_note(item, date=date, author=author, text=note.strip())
    return item


def _add_note(item: dict[str, Any], *, date: str, author: str, text: str) -> None:
    entry = {"date": date}
    if author:
        entry["author"] = author
    entry["text"] = text
    item.setdefault("notes", []).append(entry)


def is_open(action: dict[str, Any]) -> bool:
    """Planned or ongoing: still to do."""
    return action.get("status") in OPEN_STATUSES


def open_actions(doc: dict[str, Any], *, by: str | None = None) -> list[dict[str, Any]]:
    """The plan's open actions (those ``by`` is responsible for, if given), as in the file.
    The one definition the CLI, the documents, `status`, `check` and the merge use."""
    actions = (doc.get("plan") or {}).get("actions") or []
    return [a for a in actions if is_open(a) and (by is None or a.get("by") == by)]


def held_while_member(doc: dict[str, Any], item: dict[str, Any], today: str) -> bool:
    """The responsible of an action was in the network at some time while it was open.

    An action is assigned when created and may be reassigned later (only ever to a
    current member); its responsible must therefore have a membership overlapping
    ``created`` .. ``closed`` (or today for an open action).
    """
    who = item["by"]
    if who == PERSON:
        return True
    start = item.get("created")
    end = item.get("closed") or max(today, start or today)
    for m in memberships(doc, who):
        if start is None:
            return True
        until = m.get("until")
        if m["since"] <= end and (until is None or until >= start):
            return True
    return False


# -- re-evaluation ------------------------------------------------------------------


def review(
    doc: dict[str, Any],
    *,
    date: str,
    today: str,
    interval_days: int,
    next: str | None = None,
    by: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Record a re-evaluation of the plan and when the next one is due."""
    require_active(doc)
    if date > today:
        raise InvalidInput(
            _("--date {date} is in the future: record a review once it is done").format(date=date)
        )
    if next is None:
        next = (dt.date.fromisoformat(date) + dt.timedelta(days=interval_days)).isoformat()
    if next <= date:
        raise InvalidInput(
            _("--next {next} must be after the review date {date}").format(next=next, date=date)
        )
    plan = _plan(doc)
    last = plan.get("reviewed")
    if last and date < last:
        raise InvalidInput(
            _("--date {date} is before the last review ({last})").format(date=date, last=last)
        )
    entry: dict[str, Any] = {"date": date, "next": next}
    if by:
        entry["by"] = by
    if note and note.strip():
        entry["note"] = note.strip()
    plan["reviewed"] = date
    plan["next_review"] = next
    plan.setdefault("reviews", []).append(entry)
    return entry


def sorted_objectives(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The person's priority first, then active ones, in the order they were added."""
    objectives = (doc.get("plan") or {}).get("objectives") or []
    return sorted(objectives, key=lambda o: (not o.get("priority", False), o["status"] != "active"))
