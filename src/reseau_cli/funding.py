"""The funding schemes a team works with, read from their files and validated.

Three sources, the first that defines an id wins: ``schemes/<id>.yaml`` in the data
repository, the ``schemes:`` list of ``reseau.yaml``, then the examples shipped with
reseau (``examples/schemes/`` in a checkout). Each scheme is validated against
``scheme.schema.json`` and refused when its conditions contradict each other
(``model.scheme.contradictions``); a refusal names the file and the place in it.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from reseau_cli import ids, schemas, store
from reseau_cli.errors import (
    InvalidDocument,
    Problem,
    ReadFailed,
    ReseauError,
    UnknownId,
    UnsafeFile,
)
from reseau_cli.i18n import _
from reseau_cli.model.scheme import contradictions
from reseau_cli.records import field, frozen
from reseau_cli.resources import data_dir
from reseau_cli.vcs.layout import SCHEMES, SETTINGS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from reseau_cli.repo import Repository

BUILT_IN = "built-in"


@frozen
class Schemes:
    """Every usable scheme by id, where each comes from, and the problems of the others."""

    schemes: dict[str, dict[str, Any]] = field(default_factory=dict)
    origins: dict[str, str] = field(default_factory=dict)  # id -> file (or "built-in")
    problems: list[Problem] = field(default_factory=list)


def parse(text: str, *, display: str, ident: str | None = None) -> dict[str, Any]:
    """One scheme file's text, validated; InvalidDocument names the file and place."""
    from reseau_cli.repo import parse_document

    doc = parse_document("scheme", text, display=display)
    found = _rules(doc, display=display, prefix="$", text=text, at=())
    if ident is not None and doc.get("id") != ident:
        found.append(
            Problem(
                display, "$.id", _("id {id} differs from file name").format(id=repr(doc.get("id")))
            )
        )
    if found:
        raise InvalidDocument(path=display, problems=found)
    return dict(doc)


def _rules(
    doc: dict[str, Any], *, display: str, prefix: str, text: str | None, at: tuple[Any, ...]
) -> list[Problem]:
    found = []
    for where, message in contradictions(doc):
        location = prefix + where[1:]
        if text is not None:
            parts = tuple(_parts(where))
            line = store.line_of(text, at + parts)
            if line is not None:
                location = f"line {line} ({location})"
        found.append(Problem(display, location, message))
    return found


def _parts(where: str) -> list[Any]:
    """("groups", 0, "id") from "$.groups[0].id"."""
    out: list[Any] = []
    for piece in where[2:].replace("[", ".[").split("."):
        if piece.startswith("["):
            out.append(int(piece[1:-1]))
        elif piece:
            out.append(piece)
    return out


@cache
def built_in() -> tuple[tuple[str, dict[str, Any]], ...]:
    """The examples shipped with reseau, by id."""
    folder = data_dir("schemes")
    out = []
    for path in sorted(folder.glob("*.yaml")):
        display = f"{BUILT_IN} {path.name}"
        out.append(
            (path.stem, parse(path.read_text(encoding="utf-8"), display=display, ident=path.stem))
        )
    return tuple(out)


def _folder(repo: Repository) -> Path | None:
    folder = repo.root / SCHEMES
    if folder.is_symlink():
        raise UnsafeFile(path=SCHEMES, reason=store.symlink())
    return folder if folder.is_dir() else None


def _file_ids(repo: Repository) -> list[str]:
    folder = _folder(repo)
    if folder is None:
        return []
    try:
        names = [e.name for e in os.scandir(folder)]
    except OSError as exc:
        raise ReadFailed(path=SCHEMES, reason=exc.strerror or str(exc)) from None
    return sorted(n[:-5] for n in names if n.endswith(".yaml") and ids.ID_RULE.fullmatch(n[:-5]))


def _from_file(repo: Repository, ident: str) -> dict[str, Any]:
    display = f"{SCHEMES}/{ident}.yaml"
    text = store.read_text(repo.root / SCHEMES / f"{ident}.yaml", display=display)
    return parse(text, display=display, ident=ident)


def _from_settings(repo: Repository) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """The schemes of reseau.yaml, each validated on its own (located in reseau.yaml)."""
    listed = repo.settings.get("schemes") or []
    good: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    text: str | None = None
    for n, doc in enumerate(listed):
        found = schemas.problems("scheme", doc, path=SETTINGS)
        if not found:
            if text is None:
                text = store.read_text(repo.root / SETTINGS, display=SETTINGS)
            found = _rules(
                doc, display=SETTINGS, prefix=f"$.schemes[{n}]", text=text, at=("schemes", n)
            )
        else:
            found = [
                Problem(SETTINGS, f"$.schemes[{n}]" + p.location[1:], p.message) for p in found
            ]
        if not found and doc["id"] in good:
            found = [
                Problem(
                    SETTINGS,
                    f"$.schemes[{n}].id",
                    _("scheme {id} is defined twice").format(id=repr(doc["id"])),
                )
            ]
        if found:
            problems.extend(found)
        else:
            good[doc["id"]] = dict(doc)
    return good, problems


def load(repo: Repository) -> Schemes:
    """Every scheme the team can use; invalid ones are left out with their problems."""
    result = Schemes()
    for ident, doc in built_in():
        result.schemes[ident] = doc
        result.origins[ident] = BUILT_IN
    settings, problems = _from_settings(repo)
    result.problems.extend(problems)
    for ident, doc in settings.items():
        result.schemes[ident] = doc
        result.origins[ident] = SETTINGS
    for ident in _file_ids(repo):
        display = f"{SCHEMES}/{ident}.yaml"
        try:
            doc = _from_file(repo, ident)
        except InvalidDocument as exc:
            result.problems.extend(exc.problems)
            continue
        except ReseauError as exc:
            result.problems.append(Problem(display, "-", str(exc)))
            continue
        if result.origins.get(ident) == SETTINGS:
            result.problems.append(
                Problem(
                    display,
                    "$.id",
                    _("scheme {id} is also defined in {settings}").format(
                        id=repr(ident), settings=SETTINGS
                    ),
                )
            )
        result.schemes[ident] = doc
        result.origins[ident] = display
    return result


def find(repo: Repository, ident: str) -> dict[str, Any]:
    """One scheme by id: the team's file (refused with its problems when invalid), else
    reseau.yaml's, else a shipped example; UnknownId otherwise."""
    ids.check(ident, what="--scheme")
    folder = _folder(repo)
    if folder is not None and os.path.lexists(folder / f"{ident}.yaml"):
        return _from_file(repo, ident)
    settings, problems = _from_settings(repo)
    if ident in settings:
        return settings[ident]
    mine = [p for p in problems if _names(repo, p, ident)]
    if mine:
        raise InvalidDocument(path=SETTINGS, problems=mine)
    for name, doc in built_in():
        if name == ident:
            return doc
    raise UnknownId(
        _("unknown scheme {id}; `reseau concertation schemes` lists them").format(id=repr(ident)),
        id=ident,
    )


def _names(repo: Repository, problem: Problem, ident: str) -> bool:
    """Whether a problem of reseau.yaml is about the scheme ``ident``."""
    listed = repo.settings.get("schemes") or []
    for n, doc in enumerate(listed):
        if (
            isinstance(doc, dict)
            and doc.get("id") == ident
            and f"$.schemes[{n}]" in problem.location
        ):
            return True
    return False
