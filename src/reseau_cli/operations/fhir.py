"""`reseau export fhir` and `reseau import fhir`: a person's file as a FHIR R4 Bundle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reseau_cli import ids, store, vcs
from reseau_cli.errors import InvalidInput
from reseau_cli.i18n import _
from reseau_cli.model import fhir_export, fhir_pseudonym
from reseau_cli.repo import Repository


@dataclass
class Exported:
    person: str
    text: str
    resources: int
    pseudonym: str | None = None
    path: Path | None = None
    counts: dict[str, int] = field(default_factory=dict)


def export(
    repo: Repository,
    person: str,
    *,
    output: Path | None = None,
    pseudonymise: bool = False,
    for_: str | None = None,
) -> Exported:
    """The person's Bundle (validated), written to ``output`` when given; with ``for_``
    (an intervenant id, or ``person``) made from what that recipient may read."""
    from reseau_cli.documents import fhir
    from reseau_cli.documents.renderer import check_output_file, write_file

    if output is not None:
        check_output_file(repo, output)
    doc = repo.load_raw("person", person)
    if for_ is not None:
        from reseau_cli import dates
        from reseau_cli.documents.audience import view

        doc = view(repo, doc, for_, on=dates.today_iso())["doc"]
    directory = {
        ident: repo.load_raw("intervenant", ident)
        for ident in sorted(fhir_export.referenced(doc))
        if repo.exists("intervenant", ident)
    }
    history = [
        fhir_export.Commit(e.commit, e.date, e.author, e.message)
        for e in vcs.file_commits(repo.root, repo.path("person", person))
    ]
    pseudonym = None
    if pseudonymise:
        pseudonym = ids.random_id("x", 8)
        doc = fhir_pseudonym.person(doc, pseudonym)
        directory = fhir_pseudonym.directory(directory)
        history = [
            fhir_export.Commit(
                e.commit, e.date, e.author, fhir_pseudonym.message(e.message, person, pseudonym)
            )
            for e in history
        ]
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    bundle = fhir_export.bundle(
        doc,
        directory,
        history,
        team=str(repo.settings.get("team") or "reseau"),
        timezone=str(repo.settings["timezone"]),
        timestamp=stamp,
        pseudonymised=pseudonymise,
    )
    text = fhir.dumps(bundle)
    counts: dict[str, int] = {}
    for entry in bundle["entry"]:
        kind = entry["resource"]["resourceType"]
        counts[kind] = counts.get(kind, 0) + 1
    result = Exported(person, text, len(bundle["entry"]), pseudonym, output, counts)
    if output is not None:
        write_file(output, text.encode("utf-8"))
    return result


def load_bundle(path: Path) -> dict[str, Any]:
    """A FHIR R4 Bundle read from ``path``, validated."""
    from reseau_cli.documents import fhir

    return fhir.loads(store.read_text(path, display=str(path)), display=str(path))


@dataclass
class ImportResult:
    person: str
    original: str
    taken: bool
    created: list[str]
    unmapped: list[str]


def import_bundle(repo: Repository, path: Path) -> ImportResult:
    """Create the person a Bundle describes, and the directory entries the team lacks,
    in one commit."""
    from reseau_cli import dates
    from reseau_cli.model import fhir_import

    bundle = load_bundle(path)
    with repo.change("") as change:
        directory = {ident: doc for ident, doc in repo.all_raw("intervenant")}
        try:
            found = fhir_import.person(
                bundle,
                taken=set(repo.ids("person")),
                directory=directory,
                today=dates.today_iso(),
            )
        except (ValueError, TypeError, AttributeError, KeyError, IndexError, RecursionError) as exc:
            # A valid Bundle whose reseau extensions (or shapes reseau relies on) are not
            # what reseau writes: say so rather than fail with a traceback.
            raise InvalidInput(
                _("{path} cannot be read as a person: {error} ({detail})").format(
                    path=path, error=type(exc).__name__, detail=exc
                )
            ) from None
        pid = found.person["id"]
        for ident, entry in sorted(found.entries.items()):
            change.put("intervenant", ident, entry)
        change.put("person", pid, found.person)
        created = sorted(found.entries)
        extra = f" (new directory entries: {', '.join(created)})" if created else ""
        change.message = f"{pid}: import from FHIR{extra}"
    return ImportResult(pid, found.original_id, found.taken, created, found.unmapped)
