"""Concertation operations: plan, record, cancel, list; each write is one commit."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reseau_cli import dates
from reseau_cli.errors import InvalidDocument, InvalidInput
from reseau_cli.i18n import _
from reseau_cli.model import concertation as model
from reseau_cli.model.network import holder
from reseau_cli.records import field, frozen
from reseau_cli.repo import Repository
from reseau_cli.safety import shorten

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@frozen
class Recorded:
    """What `concertation record` did."""

    person: str
    id: str
    completed: bool  # a planned concertation was completed (not a new one)
    actions: list[str] = field(default_factory=list)
    coordinator: str | None = None  # designated in this meeting
    next_id: str | None = None  # the next meeting, scheduled
    next_date: str | None = None
    # Other meetings still planned after this one (id, date): --next did not replace them.
    also_planned: list[tuple[str, str]] = field(default_factory=list)


def plan(
    repo: Repository,
    person: str,
    *,
    date: str,
    time: str | None = None,
    place: str | None = None,
    kind: str | None = None,
    organiser: str | None = None,
    invite: Sequence[str] = (),
    agenda: Sequence[str] = (),
    duration: int | None = None,
    end: str | None = None,
    at_home: bool = False,
    scheme: str | None = None,
    person_agreed: bool = False,
) -> str:
    """Schedule a meeting; returns its id. ``scheme`` must be one the team can use."""
    dates.check(date, what="--date")
    if scheme is not None:
        from reseau_cli import funding

        funding.find(repo, scheme)
    with repo.change("") as change:
        doc = change.load("person", person)
        item = model.plan(
            doc,
            date=date,
            today=dates.today_iso(),
            time=time,
            place=place,
            kind=kind,
            organiser=organiser,
            invited=invite,
            agenda=agenda,
            duration=duration,
            end=end,
            at_home=at_home,
            scheme=scheme,
            person_agreed=person_agreed,
        )
        change.message = f"{person}: plan concertation {item['id']}"
        change.put("person", person, doc)
    return item["id"]


def pair_actions(
    texts: Sequence[str], by: Sequence[str], due: Sequence[str]
) -> list[model.NewAction]:
    """The n-th --by and --due belong to the n-th --action."""
    if len(by) != len(texts) or (due and len(due) != len(texts)):
        raise InvalidInput(
            _(
                "{actions} --action, {by} --by and {due} --due: each --action needs "
                "its own --by (and its own --due, or no --due at all); for actions that differ, "
                "write them in a form and pass it with --file F"
            ).format(actions=len(texts), by=len(by), due=len(due))
        )
    for value in due:
        dates.check(value, what="--due")
    dues: list[str | None] = list(due) or [None] * len(texts)
    return [model.NewAction(text=t, by=b, due=d) for t, b, d in zip(texts, by, dues, strict=True)]


def record(repo: Repository, person: str, ident: str | None = None, **fields: Any) -> Recorded:
    """Record a held meeting (completing a planned one), all in one commit."""
    dates.check(fields.get("date"), what="--date")
    dates.check(fields.get("next"), what="--next")
    if fields.get("scheme") is not None:
        from reseau_cli import funding

        funding.find(repo, fields["scheme"])
    with repo.change("") as change:
        doc = change.load("person", person)
        before = {c["id"] for c in doc.get("concertations") or []}
        had = {a["id"] for a in (doc.get("plan") or {}).get("actions") or []}
        before_coordinator = holder(doc, "coordinator", dates.today_iso())
        assert change.identity is not None
        item, following = model.record(
            doc, ident, today=dates.today_iso(), author=change.identity.name, **fields
        )
        coordinator = fields.get("coordinator")
        result = Recorded(
            person=person,
            id=item["id"],
            completed=item["id"] in before,
            actions=[a for a in item.get("actions") or [] if a not in had],
            coordinator=coordinator if coordinator and coordinator != before_coordinator else None,
            next_id=following["id"] if following else None,
            next_date=following["date"] if following else None,
            also_planned=[
                (c["id"], c["date"])
                for c in model.concertations(doc)
                if following is not None
                and c["status"] == "planned"
                and c["id"] != following["id"]
                and c["date"] > item["date"]
            ],
        )
        change.message = f"{person}: " + _describe(result)
        change.put("person", person, doc)
    return result


def _describe(result: Recorded) -> str:
    parts = [f"record concertation {result.id}"]
    if result.actions:
        parts.append(f"{len(result.actions)} new action(s)")
    if result.coordinator:
        parts.append("designate coordinator")
    if result.next_id:
        parts.append(f"next {result.next_id}")
    return ", ".join(parts)


def record_form(
    repo: Repository,
    person: str,
    text: str,
    *,
    path: str,
    concertation: str | None = None,
    force: bool = False,
) -> Recorded:
    """Record from a filled form (the `--file` one); a refusal names the line."""
    from reseau_cli.operations import concertation_form

    args, problems = concertation_form.read(
        repo, person, text, path=path, concertation=concertation
    )
    if problems or args is None:
        raise InvalidDocument(path=path, problems=problems)
    ident = args.pop("ident")
    return record(repo, person, ident, force=force, **args)


def read_stream(stream: Any) -> str:
    """A form from a binary stream (stdin): UTF-8 text within the size limit."""
    from reseau_cli import store

    return store.read_stream(stream, display="stdin")


def read_file(file: Path) -> str:
    """A form file: UTF-8 text within the size limit (a symbolic link is fine here:
    the user names the file)."""
    from reseau_cli import store

    try:
        return store.read_text(file.resolve(), display=shorten(str(file)))
    except OSError as exc:
        raise InvalidInput(
            _("cannot read {path}: {reason}").format(
                path=shorten(str(file)), reason=exc.strerror or exc
            )
        ) from None


def cancel(repo: Repository, person: str, ident: str, *, reason: str) -> None:
    with repo.change(f"{person}: cancel concertation {ident}") as change:
        doc = change.load("person", person)
        model.cancel(doc, ident, reason=reason)
        change.put("person", person, doc)


def listing(repo: Repository, person: str) -> list[dict[str, Any]]:
    """The person's concertations, oldest first."""
    doc = repo.person(person)
    return sorted(doc.get("concertations") or [], key=lambda c: (c["date"], c.get("time", "")))
