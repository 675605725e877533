"""The instruments a team can score: the built-in ones and its own in ``instruments/``."""

from __future__ import annotations

import os

from reseau_cli import schemas, store
from reseau_cli.errors import InvalidDocument, Problem, ReseauError
from reseau_cli.i18n import _
from reseau_cli.model import instruments as model
from reseau_cli.repo import Repository
from reseau_cli.vcs.layout import INSTRUMENTS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def files(repo: Repository) -> list[str]:
    """``instruments/*.yaml`` relative to the top, sorted (links listed, to be refused)."""
    folder = repo.root / INSTRUMENTS
    if not folder.is_dir() or folder.is_symlink():
        return []
    return sorted(
        f"{INSTRUMENTS}/{entry.name}"
        for entry in os.scandir(folder)
        if entry.name.endswith(".yaml")
    )


def read(repo: Repository, rel: str) -> tuple[model.Instrument | None, list[Problem]]:
    """One team instrument, or the problems that make it unusable (file and path)."""
    try:
        text = store.read_text(repo.root / rel, display=rel)
        doc = store.parse(text, path=rel)
    except InvalidDocument as exc:
        return None, exc.problems
    except ReseauError as exc:
        return None, [Problem(rel, "-", str(exc))]
    found = schemas.problems("instrument", doc, path=rel, text=text)
    if found:
        return None, found
    stem = rel.rsplit("/", 1)[1][: -len(".yaml")]
    located = (
        [(("id",), _("the id must be the file's name, {name}").format(name=repr(stem)))]
        if doc["id"] != stem
        else []
    )
    located += model.problems(doc)
    if located:
        return None, [_at(rel, text, where, message) for where, message in located]
    return model.from_data(doc), []


def _at(path: str, text: str, where: tuple[Any, ...], message: str) -> Problem:
    line = store.line_of(text, where)
    location = schemas.json_path(where)
    shown = _("line {line} ({location})").format(line=line, location=location)
    return Problem(path, shown if line else location, message)


def catalog(repo: Repository) -> tuple[dict[str, model.Instrument], list[Problem]]:
    """Every usable instrument by id (built-in first), and the team files' problems."""
    found = dict(model.BUILTIN)
    problems: list[Problem] = []
    for rel in files(repo):
        instrument, wrong = read(repo, rel)
        if instrument is not None:
            found[instrument.id] = instrument
        problems.extend(wrong)
    return found, problems


def instrument(repo: Repository, name: str) -> model.Instrument:
    """The instrument ``name``; a team file that does not validate is refused by name."""
    if name in model.BUILTIN:
        return model.BUILTIN[name]
    found, problems = catalog(repo)
    mine = [p for p in problems if p.path == f"{INSTRUMENTS}/{name}.yaml"]
    if mine:
        raise InvalidDocument(path=mine[0].path, problems=mine)
    return model.find(found, name)


def listing(repo: Repository) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The instruments as data, and the problems of team files left out."""
    found, problems = catalog(repo)
    return [i.as_json() for i in found.values()], problems


def scored(repo: Repository, name: str, items: dict[str, Any]) -> dict[str, Any]:
    """One instrument scored: ``{instrument, version, items, result}``."""
    return model.score(instrument(repo, name), items)
