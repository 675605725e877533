"""`reseau consent …`: the person's decisions about sharing, and the register of what
was sent to whom. Each decision is one commit, ids only in its message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reseau_cli import dates, ids
from reseau_cli.model import consent as model
from reseau_cli.model.person import require_active
from reseau_cli.repo import Repository

VERBS = {
    "given": "record consent",
    "refused": "record refusal of consent",
    "withdrawn": "record withdrawal of consent",
}


@dataclass(frozen=True)
class Recorded:
    """What `consent give|refuse|withdraw` recorded."""

    person: str
    entry: dict[str, Any]


@dataclass(frozen=True)
class ConsentState:
    """What `consent show` prints: the decision in force and the whole history."""

    person: str
    status: str  # given | refused | withdrawn | none
    in_force: dict[str, Any] | None
    history: list[dict[str, Any]]
    old_form: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "status": self.status,
            "in_force": self.in_force,
            "history": self.history,
        }


def record(
    repo: Repository,
    person: str,
    decision: str,
    *,
    date: str | None = None,
    how: str | None = None,
    representative: str | None = None,
    recipients: list[str] | None = None,
    withhold: list[str] | None = None,
    note: str | None = None,
) -> Recorded:
    """Add one decision (given, refused, withdrawn) to the person's consent history."""
    today = dates.today_iso()
    date = dates.check(date, what="--date") or today
    ids.check(person, what="person id")
    for ident in recipients or []:
        if ident not in model.KINDS:
            ids.check(ident, what="recipient")
    with repo.change(f"{person}: {VERBS[decision]}") as change:
        doc = change.load("person", person)
        if decision == "given":
            require_active(doc, kept="its consent stays as recorded")
        author = change.identity.name if change.identity else None
        entry = model.record(
            doc,
            decision=decision,
            date=date,
            today=today,
            recorded_by=author,
            known=repo.ids("intervenant"),
            how=how,
            representative=representative,
            recipients=recipients,
            withhold=withhold,
            note=note,
        )
        change.message = f"{person}: {VERBS[decision]} {entry['id']}"
        change.put("person", person, doc)
    return Recorded(person, entry)


def show(repo: Repository, person: str) -> ConsentState:
    today = dates.today_iso()
    ids.check(person, what="person id")
    doc = repo.person(person)
    return ConsentState(
        person=person,
        status=model.status(doc, today),
        in_force=model.in_force(doc, today),
        history=model.history(doc),
        old_form=is_old_form(repo, person),
    )


def log(repo: Repository, person: str) -> list[dict[str, Any]]:
    """The register of disclosures, oldest first."""
    ids.check(person, what="person id")
    doc = repo.person(person)
    return sorted(model.disclosures(doc), key=lambda d: d["date"])


def is_old_form(repo: Repository, person: str) -> bool:
    """Whether the file on disk still holds the old ``consent`` object."""
    from reseau_cli import store
    from reseau_cli.formats import old_consent_in_text

    path = repo.path("person", person)
    return old_consent_in_text(store.read_text(path, display=repo.rel(path)))


def disclose(
    repo: Repository,
    person: str,
    *,
    document: str,
    recipient: str,
    sections: list[str],
    commit: str | None,
    fmt: str,
    concertation: str | None = None,
) -> dict[str, Any]:
    """Record in the person's file that ``document`` went to ``recipient`` today."""
    today = dates.today_iso()
    with repo.change("") as change:
        doc = change.load("person", person)
        author = change.identity.name if change.identity else None
        entry = model.disclose(
            doc,
            date=today,
            document=document,
            recipient=recipient,
            sections=sections,
            commit=commit,
            fmt=fmt,
            concertation=concertation,
            recorded_by=author,
        )
        change.message = f"{person}: record disclosure {entry['id']} of {document} to {recipient}"
        change.put("person", person, doc)
    return entry


def sending(repo: Repository, for_: str | None, send_log: bool | None) -> bool:
    """Whether a document rendered for ``for_`` goes into the register: ``--send-log`` /
    ``--no-send-log``, else the team's ``send_log`` setting (for a recipient only)."""
    from reseau_cli.errors import InvalidInput
    from reseau_cli.i18n import _

    if for_ is None:
        if send_log:
            raise InvalidInput(
                _("--send-log records a document sent to someone: add --for RECIPIENT")
            )
        return False
    if send_log is None:
        return bool(repo.settings.get("send_log"))
    return send_log
