"""`reseau find`: full-text search over every person and the directory (the derived index)."""

from __future__ import annotations

from reseau_cli import index
from reseau_cli.errors import InvalidInput, ReadFailed
from reseau_cli.i18n import _
from reseau_cli.records import frozen
from reseau_cli.repo import Repository, parse_changed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


KINDS = ("person", "intervenant")


@frozen
class Found:
    """One piece of text that matched: whose file, where in it, and around the words."""

    kind: str  # person or intervenant
    id: str
    name: str
    status: str | None  # a person's (active, closed); None for a directory entry
    where: str  # a JSON path in the file
    snippet: str

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "id": self.id,
            "name": self.name,
            "status": self.status,
            "where": self.where,
            "snippet": self.snippet,
        }


def find(repo: Repository, text: str, *, include_closed: bool = False) -> list[Found]:
    """Every match of every word of ``text`` (accents and case ignored, each word a
    prefix) in active persons' files (closed ones too with ``include_closed``) and the
    directory, persons first, best first. Invalid files are left to `check`."""
    if index.match_expression(text) is None:
        raise InvalidInput(_("give at least one word to look for"))
    listings, found = index.search_current(repo, text, KINDS)
    if found is not None:  # nothing changed since the index was last brought up to date
        current, hits = found
    else:
        told = len(repo.skipped)
        for attempt in (1, 2):
            del repo.skipped[told:]  # told once, by the last attempt
            before = index.discards()
            current = {}
            for kind in KINDS:
                entries = index.entries(
                    repo, kind, parse_changed, summaries=False, listing=listings[kind]
                )
                heads = current[kind] = {}
                for ident, entry in entries.items():
                    if entry.valid:
                        heads[ident] = (entry.status, entry.name)
                    else:
                        repo.skipped.extend(entry.problems)
            searched = index.search(repo.root, text)
            if searched is not None and index.discards() == before:
                hits = searched
                break
            # A damaged index is deleted where it is found (then it holds only part of
            # what was read, or nothing): built again from the files, once.
            if attempt == 2 or index.discards() == before:
                raise ReadFailed(
                    path=f".git/{index.FILE}", reason=_("the search index cannot be opened")
                )
    out = []
    for kind, ident, where, snippet in hits:
        head = current[kind].get(ident) if kind in current else None
        if head is None:  # a file gone or invalid since: never served
            continue
        status = head[0] if kind == "person" else None
        if status == "closed" and not include_closed:
            continue
        name = head[1] if head[1] is not None else ident
        out.append(Found(kind, ident, name, status, where, snippet))
    out.sort(key=lambda f: f.kind != "person")  # stable: best first within each kind
    return out
