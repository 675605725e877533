"""`reseau person erase` (crypto-shredding) and `reseau team rotate` (fresh data keys)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reseau_cli import dates
from reseau_cli.crypto import erasures
from reseau_cli.crypto.layer import split_entry
from reseau_cli.errors import InvalidInput, Problem, RuleViolation, UnknownPerson
from reseau_cli.i18n import _
from reseau_cli.repo import Repository
from reseau_cli.vcs.layout import FOLDERS


@dataclass(frozen=True)
class Erased:
    person: str
    keys: int  # wrapped data keys deleted
    record: dict[str, Any]


def erase(repo: Repository, person: str, *, reason: str) -> Erased:
    """Delete the person's wrapped data keys and file in one commit, and record the
    erasure (id, date, who, reason). Every older version of the file, which git keeps,
    is then ciphertext no key opens."""
    reason = " ".join(reason.split())
    if not reason:
        raise InvalidInput(_("--reason must say why the file is erased"))
    with repo.change(f"{person}: erase (crypto-shredding)") as change:
        if not repo.exists("person", person):
            raise UnknownPerson(id=person)
        if not repo.encrypted:
            raise RuleViolation(
                _(
                    "erasure needs encryption: in a clear repository git keeps every version "
                    "of the file readable; run `reseau encrypt enable` first"
                )
            )
        entries = repo.keyring.entries
        kept = {n: b for n, b in entries.items() if split_entry(n)[0] != person}
        who = change.identity.name if change.identity is not None else "-"
        record = {"id": person, "date": dates.today_iso(), "by": who, "reason": reason}
        register = [*erasures.load(repo.root), record]
        change.replace_keys(kept)
        change.delete("person", person)
        change.put_text(erasures.path(repo.root), erasures.dump(register))
    from reseau_cli.operations import drafts
    from reseau_cli.vcs import keys

    drafts.drop(repo, person)
    keys.forget_remote(repo.root)
    keys.prune(repo.root)
    return Erased(person, len(entries) - len(kept), record)


def rotate(repo: Repository) -> int:
    """Seal every file again with a fresh data key (one commit); older keys, kept for
    older versions, are wrapped for the current members only. Returns the files sealed."""
    problems: list[Problem] = []
    count = 0
    with repo.change("team: rotate data keys") as change:
        if not repo.encrypted:
            raise RuleViolation(_("the repository is not encrypted: `reseau encrypt enable` first"))
        change.fresh_keys = True
        change.replace_keys(repo.keyring.rewrapped(repo.keyring.team.recipients))
        for kind in FOLDERS:
            for ident, doc in list(repo.all_raw(kind, problems)):
                change.put(kind, ident, doc)
                count += 1
        if problems:
            from reseau_cli.errors import InvalidDocument

            raise InvalidDocument(
                path=problems[0].path,
                problems=problems,
                hint=_("every file must be readable to rotate its key (`reseau check`)"),
            )
    return count
