"""The recipient named on the command line (`--for`), resolved against the directory,
and what ``sharing.visible`` lets them read: used by every document and by every JSON
export for a recipient (`person show --json --for`, `export fhir --for`)."""

from __future__ import annotations

from typing import Any

from reseau_cli import ids
from reseau_cli.errors import UnknownId
from reseau_cli.i18n import _
from reseau_cli.model import sharing
from reseau_cli.repo import Repository


def recipient(repo: Repository, doc: dict[str, Any], for_: str | None) -> dict[str, str]:
    """``for_`` as ``visible`` takes it: the team (None), the person, or an intervenant
    of the directory (with its kind); an unknown or malformed id is refused."""
    if for_ is None:
        return sharing.recipient(sharing.TEAM)
    if for_ == sharing.PERSON:
        return sharing.recipient(sharing.PERSON)
    ids.check(for_, what="recipient")
    if not repo.exists("intervenant", for_):
        raise UnknownId(
            _(
                "unknown recipient {id}; use `person` or a member of the network "
                "(`reseau intervenant list {person}`)"
            ).format(id=repr(for_), person=doc["id"]),
            id=for_,
        )
    return sharing.recipient(for_, repo.intervenant(for_).get("kind"))


def view(repo: Repository, doc: dict[str, Any], for_: str | None, *, on: str) -> dict[str, Any]:
    """``sharing.visible(doc, recipient, on=on)`` for the recipient named ``for_``; raises
    ``RuleViolation`` for a recipient outside the consent."""
    return sharing.visible(doc, recipient(repo, doc, for_), on=on)
