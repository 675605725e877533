"""The anchor of `render all --format html`: the same templates rendered by Jinja2 in one
process from the same data.

    python bench/render_anchor.py REPOSITORY OUT.json

One Python process loads every person and intervenant file with libyaml's C loader
(reseau's constructors: dates kept as written), then, for every document `render all`
writes from a template (each active person's plan and network sheet, each planned
meeting's invitation and its ``.ics`` text, each held meeting's minutes, the index and
the team's figures page), builds the view data with reseau's own code (``Renderer``:
the same context, the same sandboxed environment, filters and translations) and
renders it. It writes nothing but the time it took, as JSON, to OUT.json.

Left out, because they are not "the same templates rendered by Jinja2 in one process":
the ecomap pictures (``ecomap.svg``: drawn by Graphviz, no template; the HTML documents do
not include them), reseau's derived caches and validation, writing the files, and git:
the one history pass and the ``git cat-file`` process that the minutes read earlier
versions through are opened before the clock starts. Python's start-up is not counted.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from reseau_cli import store, text, vcs  # noqa: E402
from reseau_cli.documents import batch as batches  # noqa: E402
from reseau_cli.documents import engine  # noqa: E402
from reseau_cli.documents.renderer import Renderer  # noqa: E402
from reseau_cli.model.network import display_name  # noqa: E402
from reseau_cli.operations.stats import overview_page  # noqa: E402
from reseau_cli.repo import Repository  # noqa: E402


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _load(repo: Repository) -> list[tuple[str, dict]]:
    """Every file of both kinds, with the C loader, into the repository's documents."""
    import yaml

    persons = []
    for kind in ("intervenant", "person"):
        folder = repo.folder(kind)
        for name in sorted(os.listdir(folder)):
            with open(folder / name, encoding="utf-8") as handle:
                doc = yaml.load(handle, Loader=store.Loader)
            repo._docs[(kind, doc["id"])] = doc
            if kind == "person":
                persons.append((doc["id"], doc))
    return persons


def run(root: Path) -> dict[str, float | int]:
    repo = Repository.open(root)
    renderer = Renderer(repo)
    renderer.read_history()  # git: before the clock
    with vcs.Blobs(repo.root) as blobs:
        renderer.blobs = blobs
        cpu, wall = _cpu(), time.perf_counter()
        docs = [(i, d) for i, d in _load(repo) if d["status"] == "active"]
        docs.sort(key=lambda item: (text.fold(display_name(item[1])), item[0]))
        jobs: list[batches.Job] = []
        listed = []
        for ident, doc in docs:
            found = batches.jobs_for(ident, doc, fmt="html", date=None, ecomaps=False)
            listed.append({"id": ident, "name": display_name(doc)})
            jobs += found
        size = 0
        for job in jobs:
            size += len(
                renderer.render(job.kind, job.person, job.concertation, fmt=job.fmt).content
            )
        made = batches.Batch(renderer, root, jobs, listed, None)
        data = {**batches._index_data(made, {}), "figures": batches.FIGURES}
        size += len(engine.render(repo.root, batches._index_name(made), data))
        size += len(overview_page(repo.root, today=renderer.today, lang=renderer.lang))
        wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    return {"wall": wall * 1000, "cpu": cpu * 1000, "documents": len(jobs) + 2, "bytes": size}


if __name__ == "__main__":
    Path(sys.argv[2]).write_text(json.dumps(run(Path(sys.argv[1]))))
