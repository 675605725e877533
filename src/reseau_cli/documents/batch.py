"""`reseau render all`: many documents at once, before a day of meetings.

Every active person's plan, network sheet and ecomap (when Graphviz is installed), and
each concertation's invitation
(planned; with its ``.ics``) or minutes (held), under ``<out>/<person>/``, plus an
``index.html`` linking them and, for the whole team (no ``--person``, no ``--date``), a
``figures.html`` overview of the team's anonymised figures; with a date, each meeting's attendance sheet too. A document that fails is reported and the others are
still written; the caller exits non-zero when anything failed.

The jobs go in runs of ``CHUNK`` persons: the ecomaps of a run are drawn together
(``ecomap.draw_many``), and the runs are spread over the machine's cores (``spread``);
progress is told as each run comes back.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reseau_cli import dates, text, vcs
from reseau_cli.documents import engine as render
from reseau_cli.documents import spread
from reseau_cli.documents.renderer import FORMATS, Renderer, check_output_dir, write_file
from reseau_cli.errors import InvalidInput, Problem, ReseauError, WriteFailed
from reseau_cli.i18n import _
from reseau_cli.model.network import display_name
from reseau_cli.repo import Repository

OUT = "out"
INDEX = "index.html"
FIGURES = "figures.html"
# Persons whose ecomaps are drawn together, by three Graphviz processes.
CHUNK = 50


@dataclass(frozen=True)
class Job:
    """One document to render and where it goes (relative to the output folder)."""

    kind: str
    person: str
    concertation: str | None
    fmt: str
    path: str
    date: str | None = None
    status: str | None = None


@dataclass
class Batch:
    renderer: Renderer
    out: Path
    jobs: list[Job]
    persons: list[dict[str, str]]
    date: str | None
    failures: list[str] = field(default_factory=list)  # found while planning
    notes: list[str] = field(default_factory=list)  # said to the user, not failures
    # The team's figures page (anonymised), written as figures.html and linked from the index.
    figures: Callable[[], str] | None = None


@dataclass
class Report:
    out: Path
    written: list[Job] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    index: Path | None = None

    def summary(self) -> str:
        text = f"{len(self.written)} document(s) written to {self.out}"
        if self.index is not None:
            text += f" (open {self.index})"
        if self.failures:
            text += f"; {len(self.failures)} failed"
        return text


def plan_batch(
    repo: Repository,
    *,
    fmt: str = "html",
    out: Path | None = None,
    persons: list[str] | None = None,
    date: str | None = None,
    lang: str | None = None,
) -> Batch:
    """Decide every document to render; refuses bad options before writing anything."""

    if fmt not in FORMATS:
        raise InvalidInput(
            _("render all cannot use format {format}: use {formats}").format(
                format=repr(fmt), formats=", ".join(FORMATS)
            )
        )
    dates.check(date, what="--date")
    renderer = Renderer(repo, lang=lang)
    out = (out or repo.root / OUT).expanduser()
    check_output_dir(repo, out)
    problems: list[Problem] = []
    if persons:
        docs = [(ident, repo.person(ident)) for ident in dict.fromkeys(persons)]
    else:
        docs = [(i, d) for i, d in repo.all_raw("person", problems) if d["status"] == "active"]
    failures = [f"{p.path}: {p.location}: {p.message}" for p in problems]
    docs.sort(key=lambda item: (text.fold(display_name(item[1])), item[0]))
    jobs: list[Job] = []
    listed = []
    notes = []
    ecomaps = shutil.which("dot") is not None
    if not ecomaps and docs:
        notes.append(
            _(
                "Graphviz is not installed (no `dot`): no ecomaps; install it with "
                "`apt-get install graphviz`"
            )
        )
    for ident, doc in docs:
        if doc["status"] == "closed":
            closed = (doc.get("closed") or {}).get("date", "?")
            notes.append(
                _(
                    "{person} is closed (since {date}): its plan, network sheet and minutes "
                    "show the accompaniment as it ended; no invitation"
                ).format(person=ident, date=closed)
            )
        found = jobs_for(ident, doc, fmt=fmt, date=date, ecomaps=ecomaps)
        if found:
            listed.append({"id": ident, "name": display_name(doc)})
            jobs += found
    _prepare(out)
    return Batch(renderer, out, jobs, listed, date, failures, notes)


def jobs_for(
    ident: str, doc: dict[str, Any], *, fmt: str, date: str | None, ecomaps: bool
) -> list[Job]:
    """The documents of one person in a batch (none with ``date`` when no meeting falls
    on it): plan, network sheet, ecomap, each meeting's invitation or minutes."""
    # A closed person (named with --person) has minutes, but no meeting to invite to.
    kept = ("held",) if doc["status"] == "closed" else ("planned", "held")
    meetings = sorted(
        (c for c in doc.get("concertations") or [] if c["status"] in kept),
        key=lambda c: (c["date"], c.get("time") or ""),
    )
    if date is not None:
        meetings = [c for c in meetings if c["date"] == date]
        if not meetings:
            return []
    jobs = [Job(kind, ident, None, fmt, f"{ident}/{kind}.{fmt}") for kind in ("plan", "network")]
    if ecomaps:  # the network as a picture, beside the sheet
        jobs.append(Job("ecomap", ident, None, "svg", f"{ident}/ecomap.svg"))
    for c in meetings:
        kind = "invitation" if c["status"] == "planned" else "minutes"
        stem = f"{ident}/{c['date']}-{c['id']}-{kind}"
        formats = [fmt, "ics"] if kind == "invitation" else [fmt]
        for f in formats:
            jobs.append(Job(kind, ident, c["id"], f, f"{stem}.{f}", c["date"], c["status"]))
        if date is not None:  # a day of meetings: the sheet to sign, for each one
            sheet = f"{ident}/{c['date']}-{c['id']}-attendance.{fmt}"
            jobs.append(Job("attendance", ident, c["id"], fmt, sheet, c["date"], c["status"]))
    return jobs


def _prepare(out: Path) -> None:
    """Create the output folder now, so an unwritable one fails before any work."""
    blocking = next((p for p in (out, *out.parents) if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise WriteFailed(path=out, reason=_("{path} is not a folder").format(path=blocking))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteFailed(path=out, reason=exc.strerror or str(exc)) from None


def run_batch(
    batch: Batch,
    *,
    on_done: Callable[[Job], Any] | None = None,
    workers: int | None = None,
    chunk: int = CHUNK,
) -> Report:
    """Render and write every job, then the index; failures are collected, not raised.

    The jobs go in runs of ``chunk`` persons to ``workers`` processes (default: one per
    core; see ``spread``); the documents, the report and its order are the same as one
    process makes them."""
    report = Report(out=batch.out, failures=list(batch.failures))
    done: dict[Job, str | None] = {}
    # One git process reads the history of every person file (one `git cat-file` per
    # worker, every earlier version the minutes compare with).
    batch.renderer.read_history()
    groups = chunks(batch.jobs, chunk)
    count = spread.workers(workers, len(groups))
    outcomes = _parallel(batch, groups, count) if count > 1 else _serial(batch, groups)
    for group, results in zip(groups, outcomes, strict=True):
        for job, error in zip(group, results, strict=True):
            done[job] = error
            if error is None:
                report.written.append(job)
            else:
                label = job.kind + (f" {job.concertation}" if job.concertation else "")
                report.failures.append(f"{job.person} {label} ({job.fmt}): {error}")
            if on_done is not None:
                on_done(job)
    figures = _write_figures(batch, report)
    try:
        data = {**_index_data(batch, done), "figures": FIGURES if figures else None}
        html = render.render(batch.renderer.repo.root, _index_name(batch), data)
        write_file(batch.out / INDEX, html.encode("utf-8"))
        report.index = batch.out / INDEX
    except ReseauError as exc:
        report.failures.append(f"{INDEX}: {exc}")
    return report


def _parallel(batch: Batch, groups: list[list[Job]], count: int) -> Iterator[list[str | None]]:
    renderer = batch.renderer

    def start() -> None:  # in each worker: its own `git cat-file`
        blobs = renderer.blobs = vcs.Blobs(renderer.repo.root)
        spread.on_exit(blobs.close)

    return spread.parallel(lambda i: run_chunk(batch, groups[i]), len(groups), count, start=start)


def _serial(batch: Batch, groups: list[list[Job]]) -> Iterator[list[str | None]]:
    with vcs.Blobs(batch.renderer.repo.root) as blobs:
        batch.renderer.blobs = blobs
        try:
            for group in groups:
                yield run_chunk(batch, group)
        finally:
            batch.renderer.blobs = None


def run_chunk(batch: Batch, jobs: list[Job]) -> list[str | None]:
    """Render and write ``jobs`` (the ecomaps drawn together): each one's error, or None."""
    pictures = draw_ecomaps(batch.renderer, jobs)
    found = []
    for job in jobs:
        spread.checkpoint()  # a worker asked to stop leaves between two documents
        found.append(_run_job(batch, job, pictures))
    return found


def chunks(jobs: list[Job], persons: int = CHUNK) -> list[list[Job]]:
    """The jobs in runs of ``persons`` persons each, in order."""
    found: list[list[Job]] = []
    seen: set[str] = set()
    for job in jobs:
        if job.person not in seen:
            if len(seen) % persons == 0:
                found.append([])
            seen.add(job.person)
        found[-1].append(job)
    return found


def draw_ecomaps(renderer: Renderer, jobs: list[Job]) -> dict[str, bytes | ReseauError]:
    """The ``ecomap.svg`` of every ecomap job, drawn together (see ``ecomap.draw_many``);
    a person whose picture cannot be made has its error instead."""
    from reseau_cli.documents import ecomap

    wanted = [job.person for job in jobs if job.kind == "ecomap"]
    found: dict[str, bytes | ReseauError] = {}
    models = {}
    for person in wanted:
        try:
            doc = renderer.repo.person(person)
            models[person] = ecomap.ecomap_of(renderer, doc, on=renderer.today.isoformat())
        except ReseauError as exc:
            found[person] = exc
    try:
        drawn = ecomap.draw_many(
            list(models.values()), lang=renderer.lang, date_text=ecomap.date_text(renderer)
        )
    except ReseauError as exc:  # Graphviz is missing: every picture fails alike
        drawn = [exc] * len(models)
    for person, drawing in zip(models, drawn, strict=True):
        found[person] = drawing if isinstance(drawing, ReseauError) else ecomap.svg_file(drawing)
    return found


def _write_figures(batch: Batch, report: Report) -> bool:
    if batch.figures is None:
        return False
    try:
        write_file(batch.out / FIGURES, batch.figures().encode("utf-8"))
    except ReseauError as exc:
        report.failures.append(f"{FIGURES}: {exc}")
        return False
    return True


def _content(batch: Batch, job: Job, pictures: dict[str, bytes | ReseauError]) -> bytes:
    if job.kind == "ecomap":
        drawn = pictures[job.person]
        if isinstance(drawn, ReseauError):
            raise drawn
        return drawn
    rendered = batch.renderer.render(job.kind, job.person, job.concertation, fmt=job.fmt)
    return rendered.content


def _run_job(batch: Batch, job: Job, pictures: dict[str, bytes | ReseauError]) -> str | None:
    try:
        # Documents made from the data, again at will: not forced to disk one by one (two
        # fsyncs each were most of a batch's time on a busy disk).
        write_file(batch.out / job.path, _content(batch, job, pictures), durable=False)
    except ReseauError as exc:
        return str(exc)
    return None


def _index_name(batch: Batch) -> str:
    return f"{batch.renderer.lang}/index.html{render.SUFFIX}"


def _index_data(batch: Batch, done: dict[Job, str | None]) -> dict[str, Any]:
    renderer = batch.renderer
    settings = renderer.repo.settings
    entries = []
    jobs: dict[str, list[Any]] = {}
    for job in batch.jobs:
        jobs.setdefault(job.person, []).append(job)
    for person in batch.persons:
        docs = [
            {
                "kind": job.kind,
                "format": job.fmt,
                "href": job.path,
                "date": job.date,
                "concertation": job.concertation,
                "error": done.get(job),
            }
            for job in jobs.get(person["id"], [])
        ]
        entries.append({**person, "documents": docs})
    return {
        "document": "index",
        "lang": renderer.lang,
        "locale": renderer.locale,
        "today": renderer.today.isoformat(),
        "team": {k: settings.get(k) for k in ("team", "address", "phone", "email")},
        "version": None,
        "date": batch.date,
        "format": batch.jobs[0].fmt if batch.jobs else None,
        "persons": entries,
    }
