"""`reseau check` without doing again what nothing changed: its report kept in the
derived index, whole and in parts, one per person.

- Over unchanged files, the whole report is kept under the stamps of every file it
  read (see ``_context_key``, plus every person file): one read answers.
- After a write (one person changed, added or deleted), each person's part of the
  report (its problems, located in its file, and its warnings) is kept under that
  file's stamp and a context key naming everything else the person rules read; only
  the persons whose file changed are loaded and checked again, every other part is
  reused without loading their documents. The global rules (settings, layout, schemes,
  instruments, catalogs, intervenants, sealing) and the counts run as from scratch.

Never stale: a file whose stamp differs, or that changed too recently to be told apart
from a later change (git's racy files), gets its part made again (and not kept), and
the keys of the whole report hold the content of such files (``index.key_of``); an
invalid file is read again each time (its problems told in the command's language); a
part is served only for the context it was made for, and the parts of files gone and of
other contexts are deleted when the parts are kept. Nothing is kept when the team
encrypts.
"""

from __future__ import annotations

import time
from functools import partial

from reseau_cli import index
from reseau_cli.errors import Problem, ReseauError
from reseau_cli.vcs.layout import DATA_PATHS, FOLDERS, LOCALE, TEMPLATES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from reseau_cli.operations.check import CheckReport, Context
    from reseau_cli.repo import Repository

WHAT = "check"
# What the person rules may read besides the person's own file: every data path but
# the persons' folder (the intervenants' ids, kinds and consents, the settings, the
# schemes and instruments), the team's translations, templates and members.
CONTEXT_PATHS = [p for p in DATA_PATHS if p != FOLDERS["person"]] + [LOCALE, TEMPLATES, "team"]


def check_repository(repo: Repository, *, today: str, strict: bool = False) -> CheckReport:
    """Validate every file against its schema and every cross-file rule; ``strict``:
    every file read again (no derived cache, nothing kept) and validated by jsonschema
    alone."""
    if not strict:
        return kept_report(repo, today=today)
    from reseau_cli import schemas
    from reseau_cli.operations.check import _check

    repo.file_cache = False
    schemas.reference_only(True)
    try:
        return _check(repo, today=today)
    finally:
        schemas.reference_only(False)


def kept_report(repo: Repository, *, today: str) -> CheckReport:
    """The report of ``check._check`` (identical: same problems, same order, same
    warnings and counts), from what the index keeps wherever the files allow."""
    from reseau_cli.operations.check import CheckReport, _check

    context = _context_key(repo, today)
    if context is None:
        return _check(repo, today=today)
    whole = _whole_key(repo, context)
    if whole is not None:
        found = index.report(repo.root, WHAT, whole)
        if isinstance(found, dict):
            return CheckReport(
                problems=[Problem(*p) for p in found["problems"]],
                persons=found["persons"],
                intervenants=found["intervenants"],
                warnings=[Problem(*p) for p in found["warnings"]],
            )
    report = _check(repo, today=today, persons=partial(_persons, key=context))
    # kept only if no file changed while it was made (the keys taken again are the same)
    if whole is not None and _whole_key(repo, _context_key(repo, today) or "") == whole:
        kept = {
            "problems": _plain(report.problems),
            "persons": report.persons,
            "intervenants": report.intervenants,
            "warnings": _plain(report.warnings),
        }
        index.keep_report(repo.root, WHAT, whole, kept)
    return report


def answer_key(repo: Repository, today: str) -> str | None:
    """The key of all `check` prints is made from, besides reseau's code and the day
    (see ``cli.kept``): the files of ``CONTEXT_PATHS`` and of the persons' folder."""
    context = _context_key(repo, today)
    return None if context is None else _whole_key(repo, context)


def _context_key(repo: Repository, today: str) -> str | None:
    """Everything a person's part of the report depends on besides its own file: the
    day, the language, reseau's code, schemas, schemes and catalogs, and the stamps of
    every file of ``CONTEXT_PATHS`` (links included). None (nothing kept) when the team
    encrypts (the key store is in git) or one of them changed too recently to be told
    apart from a later change."""
    from reseau_cli import __version__, i18n
    from reseau_cli.resources import data_dir

    try:
        if repo.encrypted:
            return None
    except ReseauError:
        return None
    found = [
        *index.tree_stats(repo.root, CONTEXT_PATHS),
        *index.code_stats(),
        *index.files_stats(data_dir("schemas"), ".json"),
        *index.files_stats(data_dir("schemes"), ".yaml"),
    ]
    stamps = index.key_of(found)
    if stamps is None:
        return None
    return f"{today}|{i18n.language()}|{__version__}|{stamps}"


def _whole_key(repo: Repository, context: str) -> str | None:
    """The context and the stamps of every file of the persons' folder (None when one
    changed too recently and cannot be read, or more than ``index.MOST_RECENT`` did:
    a fresh clone's, whose key taken again once the report is made would differ)."""
    persons = index.key_of(index.tree_stats(repo.root, [FOLDERS["person"]]), index.MOST_RECENT)
    return None if persons is None else f"{context}|{persons}"


def _persons(
    repo: Repository,
    context: Context,
    problems: list[Problem],
    warnings: list[Problem],
    *,
    key: str,
) -> None:
    """Each person's part of the report, kept for its file's stamp and ``key`` (the
    context) or made again (``check.person_part``) from its document, loaded alone."""
    from reseau_cli.operations.check import every_person, person_part

    try:
        listing = repo.listing("person")
    except ReseauError:  # the folder cannot be read: reported as from scratch
        every_person(repo, context, problems, warnings)
        return
    now_ns = time.time_ns()
    stamps = {ident: index.file_stamp(entry, now_ns) for ident, entry in listing}
    kept = index.parts(repo.root, WHAT, "person")
    reused = {
        ident: row[2]
        for ident, row in kept.items()
        if stamps.get(ident) is not None and row[0] == stamps[ident] and row[1] == key
    }
    docs = _load(repo, [ident for ident in stamps if ident not in reused], problems)
    made: list[tuple[str, str, Any]] = []
    for ident, stamp in stamps.items():
        if ident in reused:
            found, warned = index.part_value(reused[ident])
            problems.extend(Problem(*p) for p in found)
            warnings.extend(Problem(*p) for p in warned)
        elif ident in docs:
            mine, noted = person_part(repo, ident, docs[ident], context)
            problems.extend(mine)
            warnings.extend(noted)
            if stamp is not None:
                made.append((ident, stamp, (_plain(mine), _plain(noted))))
    # parts no longer served: of files gone, changed (invalid now, or too recent to be
    # kept), or made for another context
    drop = sorted(set(kept) - set(reused) - {ident for ident, _stamp, _value in made})
    if not set(kept) <= set(stamps):  # a file gone: the caches of documents forget it
        from reseau_cli.cache import forget

        forget(repo.root, "person", set(stamps))
    if made or drop:
        index.keep_parts(repo.root, WHAT, "person", key, made, drop)


def _load(repo: Repository, idents: list[str], problems: list[Problem]) -> dict[str, Any]:
    """The valid documents of ``idents`` (the problems of the others into ``problems``):
    a few read one by one (through the per-file cache, which holds what a write just
    validated), many from the cache of every person document."""
    from reseau_cli.repo import FEW, parse_changed

    if not idents:
        return {}
    if len(idents) > FEW:
        from reseau_cli.operations.check import _load_all

        wanted = set(idents)
        return {i: doc for i, doc in _load_all(repo, "person", problems) if i in wanted}
    docs = {}
    for ident, doc, bad in parse_changed(str(repo.root), "person", idents):
        if bad:
            problems.extend(bad)
        else:
            docs[ident] = doc
    return docs


def _plain(problems: list[Problem]) -> list[tuple[str, str, str]]:
    return [(p.path, p.location, p.message) for p in problems]
