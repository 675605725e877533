"""Person operations: each loads, calls the model, and commits one change."""

from __future__ import annotations

import contextlib

from reseau_cli import dates, ids, schemas, store, text
from reseau_cli.errors import (
    AlreadyExists,
    InvalidDocument,
    InvalidInput,
    Problem,
    ReseauError,
    RuleViolation,
)
from reseau_cli.i18n import _
from reseau_cli.model import person as model
from reseau_cli.model.network import display_name, holder
from reseau_cli.records import frozen
from reseau_cli.repo import Repository

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def add(
    repo: Repository,
    *,
    family_name: str,
    given_name: str,
    birth_date: str | None = None,
    id: str | None = None,
    situation: str | None = None,
    phone: str | None = None,
    address: str | None = None,
    since: str | None = None,
    force: bool = False,
) -> str:
    """Create ``persons/<id>.yaml``; the id is opaque unless given. Returns the id.
    A person with the same names and birth date (active or closed) is refused unless
    ``force``: a re-referral reopens the existing file."""
    today = dates.today_iso()
    dates.check(birth_date, what="--birth-date")
    opened = dates.check(since, what="--since") or today
    if opened > today:
        raise InvalidInput(_("--since {date} is in the future").format(date=opened))
    if id is not None:
        ids.check(id, what="person id")
        if repo.exists("person", id):
            raise AlreadyExists(
                _("person {id} already exists; choose another id").format(id=repr(id))
            )
    with repo.change("") as change:
        if not force:
            found = model.namesake(
                [d for _, d in repo.summaries("person")],
                family_name=family_name,
                given_name=given_name,
                birth_date=birth_date,
            )
            if found is not None:
                raise model.namesake_refusal(found)
        ident = id or ids.random_id("p", 6, taken=repo.taken("person"))
        change.message = f"{ident}: add person"
        doc = model.new(
            ident,
            family_name=family_name,
            given_name=given_name,
            birth_date=birth_date,
            situation=situation,
            phone=phone,
            address=address,
            today=today,
        )
        doc["opened"] = opened
        change.put("person", ident, doc)
    return ident


@frozen
class Closed:
    """What `person close` did and left: meetings cancelled, actions still open."""

    cancelled: list[tuple[str, str]]  # (concertation id, date), cancelled with the closing
    open_actions: list[tuple[str, str]]  # (action id, who holds it), kept as history


def close(repo: Repository, ident: str, *, reason: str, date: str | None = None) -> Closed:
    date = dates.check(date, what="--date") or dates.today_iso()
    with repo.change(f"{ident}: close accompaniment") as change:
        doc = change.load("person", ident)
        planned = [
            (c["id"], c["date"]) for c in doc.get("concertations") or [] if c["status"] == "planned"
        ]
        actions = (doc.get("plan") or {}).get("actions") or []
        still_open = [(a["id"], a["by"]) for a in actions if a["status"] in ("planned", "ongoing")]
        change.put(
            "person", ident, model.close(doc, date=date, reason=reason, today=dates.today_iso())
        )
        if planned:
            listed = ", ".join(c for c, _ in planned)
            change.message = f"{ident}: close accompaniment, cancel concertation(s) {listed}"
    return Closed(cancelled=sorted(planned, key=lambda c: c[1]), open_actions=still_open)


def reopen(
    repo: Repository, ident: str, *, reason: str | None = None, date: str | None = None
) -> None:
    """Take a closed accompaniment up again; the closing stays in the file's history."""
    date = dates.check(date, what="--date") or dates.today_iso()
    with repo.change(f"{ident}: reopen accompaniment") as change:
        doc = change.load("person", ident)
        change.put(
            "person", ident, model.reopen(doc, date=date, reason=reason, today=dates.today_iso())
        )


@frozen
class PersonSummary:
    id: str
    name: str
    status: str
    coordinator: str | None
    coordinator_name: str | None
    next_review: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "coordinator": self.coordinator,
            "coordinator_name": self.coordinator_name,
            "next_review": self.next_review,
        }


def summaries(repo: Repository, *, include_closed: bool = False) -> list[PersonSummary]:
    """One line per person, sorted by name then id; invalid files are left to `check`.

    Each person's line is kept in the derived index for the day (``_line_key``): listing
    again over unchanged files reads the lines, not the summaries."""
    today = dates.today_iso()
    key = _line_key(today)
    names = dict(repo.derived("intervenant", "name", key, lambda ident, doc: doc["name"]))

    def line(ident: str, doc: dict[str, Any]) -> tuple[Any, ...]:
        name = display_name(doc)
        return (
            name,
            doc["status"],
            holder(doc, "coordinator", today),
            (doc.get("plan") or {}).get("next_review"),
            text.fold(name),
        )

    out = []
    for ident, (name, status, coordinator, next_review, folded) in repo.derived(
        "person", "list", key, line
    ):
        if status != "active" and not include_closed:
            continue
        summary = PersonSummary(
            id=ident,
            name=name,
            status=status,
            coordinator=coordinator,
            coordinator_name=names.get(coordinator or ""),
            next_review=next_review,
        )
        out.append((folded, ident, summary))
    out.sort(key=lambda found: found[:2])
    return [summary for _folded, _ident, summary in out]


def _line_key(today: str) -> str | None:
    """What a person's line depends on besides the file: the day and the code."""
    from pathlib import Path

    from reseau_cli import __version__, index
    from reseau_cli.model import network
    from reseau_cli.model.summary import SUMMARY_VERSION

    code = index.stamps([str(Path(network.__file__).resolve()), str(Path(__file__).resolve())])
    return None if code is None else f"{today}|{SUMMARY_VERSION}|{__version__}|{code}"


# -- editing by hand -----------------------------------------------------------------


def edit_problems(repo: Repository, ident: str, text: str) -> tuple[Any, list[Problem]]:
    """Parse and validate an edited person file; returns the document and its problems."""
    display = repo.rel(repo.path("person", ident))
    if not text.strip():
        return None, [Problem(display, "-", _("the file is empty"))]
    try:
        doc = store.parse(text, path=display)
    except InvalidDocument as exc:
        return None, exc.problems
    found = schemas.problems("person", doc, path=display, text=text)
    if not found and doc.get("id") != ident:
        found = [Problem(display, "$.id", _("the id must stay {id}").format(id=repr(ident)))]
    if not found:
        from reseau_cli.model.consent import rewritten
        from reseau_cli.operations.check import person_rules

        known = set(repo.ids("intervenant"))
        rules = list(person_rules(doc, known_intervenants=known, today=dates.today_iso()))
        with contextlib.suppress(ReseauError):  # an invalid file being repaired: nothing kept
            rules += rewritten(repo.load_raw("person", ident), doc)
        for where, message in rules:
            line = store.line_of(text, where)
            where_shown = _("line {line}").format(line=line) if line else "-"
            found.append(Problem(display, where_shown, message))
    return doc, found


def save_edit(repo: Repository, ident: str, doc: Any, *, original: str) -> bool:
    """Commit a hand-edited person file; False when nothing changed. Refused when the
    file changed on disk while it was being edited (nothing is overwritten)."""
    with repo.change(f"{ident}: edit by hand") as change:
        current = repo.path("person", ident)
        if not current.is_file():
            raise InvalidInput(_("{id} disappeared while it was being edited").format(id=ident))
        if store.read_text(current, display=repo.rel(current)) != original:
            raise RuleViolation(
                _(
                    "{path} changed while you were editing it (a teammate's "
                    "change?); nothing was overwritten"
                ).format(path=repo.rel(current))
            )
        change.put("person", ident, doc)
    return change.commit_id is not None


def text_for_edit(repo: Repository, ident: str) -> str:
    """The raw text of a person file (even an invalid one, so it can be repaired),
    once sure it can be saved afterwards: identity, no merge, no edits outside reseau."""
    from reseau_cli import vcs
    from reseau_cli.errors import UnknownPerson

    path = repo.path("person", ident)
    if not path.is_file():
        raise UnknownPerson(id=ident)
    vcs.identity(repo.root)
    vcs.ensure_idle(repo.root)
    vcs.on_branch(repo.root)
    vcs.ensure_clean(repo.root, [path])
    return store.read_text(path, display=repo.rel(path))
