"""`reseau person export`: everything the team holds about one person, for a
right-of-access or portability request (GDPR art. 15 and 20)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reseau_cli.repo import Repository


def export_person(repo: Repository, person: str, out: Path | None) -> Path:
    """Write person.json, history.json, disclosures.json, plan.html and index.html into
    ``out`` (default out/export-PERSON/); returns the folder."""
    from reseau_cli import vcs
    from reseau_cli.documents.access import index_html
    from reseau_cli.documents.renderer import Renderer, check_output_dir, write_file
    from reseau_cli.model import consent

    folder = out if out is not None else Path("out") / f"export-{person}"
    check_output_dir(repo, folder)
    doc = repo.person(person)
    history = [
        {"commit": e.commit, "date": e.date, "author": e.author, "message": e.message}
        for e in vcs.file_commits(repo.root, repo.path("person", person))
    ]
    disclosures = sorted(consent.disclosures(doc), key=lambda d: d.get("date") or "")
    renderer = Renderer(repo)
    plan = renderer.render("plan", person, None, fmt="html", for_="person")
    files: dict[str, bytes] = {
        "person.json": _json(doc),
        "history.json": _json(history),
        "disclosures.json": _json(disclosures),
        "plan.html": plan.content,
        "index.html": index_html(renderer.lang, doc, history, disclosures).encode("utf-8"),
    }
    for name, content in files.items():
        write_file(folder / name, content)
    return folder


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n").encode("utf-8")
