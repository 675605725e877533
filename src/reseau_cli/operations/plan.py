"""Plan operations: each loads the person, calls the model, and commits one change."""

from __future__ import annotations

from reseau_cli import dates
from reseau_cli.model import plan as model
from reseau_cli.model.network import PERSON
from reseau_cli.repo import Repository

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def add_objective(
    repo: Repository,
    person: str,
    text: str,
    *,
    domain: str | None = None,
    priority: bool = False,
    needs: list[str] | None = None,
) -> str:
    """Add one of the person's objectives; returns its id."""
    model.choice(domain, model.DOMAINS, what="--domain")
    for need in needs or []:
        model.choice(need, model.DOMAINS, what="--need")
    with repo.change("") as change:
        doc = change.load("person", person)
        item = model.add_objective(
            doc, text, date=dates.today_iso(), domain=domain, priority=priority, needs=needs
        )
        change.message = f"{person}: add objective {item['id']}"
        change.put("person", person, doc)
    return item["id"]


def set_objective(
    repo: Repository,
    person: str,
    objective: str,
    *,
    status: str | None = None,
    priority: bool | None = None,
    note: str | None = None,
    date: str | None = None,
) -> dict[str, Any]:
    """Mark an objective achieved, abandoned or active; mark or unmark the priority."""
    date = dates.check(date, what="--date") or dates.today_iso()
    model.choice(status, model.OBJECTIVE_STATUSES, what="--status")
    what = status or ("priority" if priority else "not a priority" if priority is False else "")
    with repo.change(f"{person}: objective {objective} {what or 'updated'}") as change:
        doc = change.load("person", person)
        item = model.set_objective(
            doc, objective, date=date, status=status, priority=priority, note=note
        )
        change.put("person", person, doc)
    return item


def add_action(
    repo: Repository,
    person: str,
    text: str,
    *,
    by: str | None,
    objective: str | None = None,
    due: str | None = None,
    start: str | None = None,
) -> str:
    """Add who does what by when; returns the action id."""
    dates.check(due, what="--due")
    dates.check(start, what="--start")
    with repo.change("") as change:
        doc = change.load("person", person)
        item = model.add_action(
            doc,
            text,
            by=by,
            date=dates.today_iso(),
            objective_id=objective,
            due=due,
            start=start,
        )
        change.message = f"{person}: add action {item['id']}"
        change.put("person", person, doc)
    return item["id"]


def set_action(
    repo: Repository,
    person: str,
    action: str,
    *,
    status: str | None = None,
    due: str | None = None,
    start: str | None = None,
    by: str | None = None,
    note: str | None = None,
    objective: str | None = None,
) -> dict[str, Any]:
    """Update one action; a note is signed with the git identity's name."""
    dates.check(due, what="--due")
    dates.check(start, what="--start")
    model.choice(status, model.ACTION_STATUSES, what="--status")
    message = f"{person}: update action {action}" + (f" ({status})" if status else "")
    with repo.change(message) as change:
        doc = change.load("person", person)
        assert change.identity is not None
        item = model.set_action(
            doc,
            action,
            date=dates.today_iso(),
            author=change.identity.name,
            status=status,
            due=due,
            start=start,
            by=by,
            note=note,
            objective_id=objective,
        )
        change.put("person", person, doc)
    return item


def review(
    repo: Repository,
    person: str,
    *,
    date: str | None = None,
    next: str | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Record a re-evaluation; ``next`` defaults to date + the team's review interval."""
    date = dates.check(date, what="--date") or dates.today_iso()
    dates.check(next, what="--next")
    with repo.change(f"{person}: review plan") as change:
        doc = change.load("person", person)
        assert change.identity is not None
        entry = model.review(
            doc,
            date=date,
            next=next,
            today=dates.today_iso(),
            interval_days=int(repo.settings["review_interval_days"]),
            by=change.identity.name,
            note=note,
        )
        change.put("person", person, doc)
    return entry


def show(repo: Repository, person: str) -> dict[str, Any]:
    """The plan as data: the person's priority first, actions under their objective."""
    doc = repo.person(person)
    plan = doc.get("plan") or {}
    today = dates.today()
    actions = [
        {**a, "who": who_name(repo, a["by"]), "late_days": late_days(a, today)}
        for a in plan.get("actions") or []
    ]
    objectives = [
        {**o, "actions": [a for a in actions if a.get("objective") == o["id"]]}
        for o in model.sorted_objectives(doc)
    ]
    return {
        "person": person,
        "reviewed": plan.get("reviewed"),
        "next_review": plan.get("next_review"),
        "objectives": objectives,
        "other_actions": [a for a in actions if not a.get("objective")],
    }


def late_days(action: dict[str, Any], today: Any) -> int:
    """How many days an open action is past its due date (0: not overdue)."""
    if action["status"] not in ("planned", "ongoing") or not action.get("due"):
        return 0
    return max(0, (today - dates.parse(action["due"])).days)


def who_name(repo: Repository, ident: str) -> str:
    """A responsible's name for people to read ("the person" for the person themself)."""
    if ident == PERSON:
        return "the person"
    from reseau_cli.documents.views import who

    return (who(repo, ident) or {}).get("name", ident)
