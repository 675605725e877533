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
    current: dict[tuple[str, str], index.Entry] = {}
    for kind in ("person", "intervenant"):
        for ident, entry in index.entries(repo, kind, parse_changed, summaries=False).items():
            if entry.valid:
                current[(kind, ident)] = entry
            else:
                repo.skipped.extend(entry.problems)
    hits = index.search(repo.root, text)
    if hits is None:
        raise ReadFailed(path=f".git/{index.FILE}", reason=_("the search index cannot be opened"))
    out = []
    for kind, ident, where, snippet in hits:
        found = current.get((kind, ident))
        if found is None:  # a file gone or invalid since: never served
            continue
        status = found.status if kind == "person" else None
        if status == "closed" and not include_closed:
            continue
        name = found.name if found.name is not None else ident
        out.append(Found(kind, ident, name, status, where, snippet))
    out.sort(key=lambda f: f.kind != "person")  # stable: best first within each kind
    return out
