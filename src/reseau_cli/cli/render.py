"""`reseau render …`: plans, network sheets, invitations, minutes and attendance sheets;
batches; templates."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from reseau_cli.cli import complete, context, output
from reseau_cli.cli.args import CONCERTATION
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _

if TYPE_CHECKING:
    import typer

    from reseau_cli.cli.args import PersonArg

app = Group(
    help="Documents people read: plan, network sheet, invitation, minutes (md, html, pdf, ics).",
    no_args_is_help=True,
)


def aliases() -> dict[str, Any]:
    """The option types this module's commands share, built when Typer reads the
    commands (``registry.resolvable``)."""
    import typer

    return {
        "ConcertationArg": Annotated[
            str | None,
            typer.Argument(
                metavar=CONCERTATION,
                help="Concertation id (default: the next planned / the last held one).",
                autocompletion=complete.concertations,
            ),
        ],
        "FormatOpt": Annotated[str, typer.Option("--format", "-f", help="md, html or pdf.")],
        "OutOpt": Annotated[
            Path | None,
            typer.Option(
                "-o", "--output", help="Write to this file (default: stdout).", dir_okay=False
            ),
        ],
        "ForOpt": Annotated[
            str | None,
            typer.Option(
                "--for",
                metavar="RECIPIENT",
                help="The version for this recipient: a member of the network (an intervenant id), "
                "or `person`; only what the person's consent lets them read (default: the team's "
                "internal version).",
                autocompletion=complete.intervenants,
            ),
        ],
        "SendLogOpt": Annotated[
            bool | None,
            typer.Option(
                "--send-log/--no-send-log",
                help="Record in the person's file that this document went to the recipient (one "
                "commit; default: `send_log` in reseau.yaml).",
            ),
        ],
        "LangOpt": Annotated[
            str | None,
            typer.Option("--lang", help="fr, en or nl (default: `lang` in reseau.yaml)."),
        ],
    }


if TYPE_CHECKING:
    ConcertationArg = str | None
    FormatOpt = str
    OutOpt = Path | None
    ForOpt = str | None
    SendLogOpt = bool | None
    LangOpt = str | None


def _one(
    ctx: typer.Context,
    kind: str,
    person: str,
    concertation: str | None,
    fmt: str,
    out: Path | None,
    lang: str | None,
    for_: str | None = None,
    send_log: bool | None = None,
    full: bool | None = None,
) -> None:
    from reseau_cli.documents.renderer import Renderer, check_output_file, write_file
    from reseau_cli.errors import InvalidInput
    from reseau_cli.operations import consent

    repo = context.get(ctx).repo()
    if fmt == "pdf" and out is None and sys.stdout.isatty():
        raise InvalidInput(_("a PDF is not for the terminal: add -o FILE.pdf (or redirect stdout)"))
    if out is not None:
        check_output_file(repo, out)
    logged = consent.sending(repo, for_, send_log)
    doc = Renderer(repo, lang=lang).render(
        kind, person, concertation, fmt=fmt, for_=for_, full=full
    )
    if logged and for_ is not None:
        entry = consent.disclose(
            repo,
            person,
            document=kind,
            recipient=for_,
            sections=list(doc.sections),
            commit=doc.version,
            fmt=fmt,
            concertation=doc.concertation,
        )
        output.message(
            _("Recorded disclosure {id}: {document} to {recipient}.").format(
                id=entry["id"], document=kind, recipient=for_
            )
        )
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(doc.content)
        sys.stdout.buffer.flush()
        return
    write_file(out, doc.content)
    output.message(_("Wrote {file}").format(file=out))


@app.command("plan")
def plan(
    ctx: typer.Context,
    person: PersonArg,
    fmt: FormatOpt = "md",
    out: OutOpt = None,
    lang: LangOpt = None,
    for_: ForOpt = None,
    send_log: SendLogOpt = None,
) -> None:
    """The support plan: person, objectives and actions, network, coordinator, reviews."""
    _one(ctx, "plan", person, None, fmt, out, lang, for_, send_log)


@app.command("network")
def network(
    ctx: typer.Context,
    person: PersonArg,
    fmt: FormatOpt = "md",
    out: OutOpt = None,
    lang: LangOpt = None,
    for_: ForOpt = None,
    send_log: SendLogOpt = None,
) -> None:
    """The network sheet: who is around the person, by kind, with contacts; coordinator first."""
    _one(ctx, "network", person, None, fmt, out, lang, for_, send_log)


@app.command("invitation")
def invitation(
    ctx: typer.Context,
    person: PersonArg,
    concertation: ConcertationArg = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html, pdf or ics.")] = "md",
    out: OutOpt = None,
    lang: LangOpt = None,
    for_: ForOpt = None,
    send_log: SendLogOpt = None,
    full: Annotated[
        bool | None,
        typer.Option(
            "--full/--brief",
            help="ics: the agenda, contacts and place in the event, within the consent "
            "(default: `ics_full` in reseau.yaml, else initials and the file id only).",
        ),
    ] = None,
) -> None:
    """The invitation and agenda of a planned concertation; `--format ics` for calendars."""
    _one(ctx, "invitation", person, concertation, fmt, out, lang, for_, send_log, full)


@app.command("minutes")
def minutes(
    ctx: typer.Context,
    person: PersonArg,
    concertation: ConcertationArg = None,
    fmt: FormatOpt = "md",
    out: OutOpt = None,
    lang: LangOpt = None,
    for_: ForOpt = None,
    send_log: SendLogOpt = None,
) -> None:
    """The minutes of a held concertation (the latest by default), with what changed since."""
    _one(ctx, "minutes", person, concertation, fmt, out, lang, for_, send_log)


@app.command("attendance")
def attendance(
    ctx: typer.Context,
    person: PersonArg,
    concertation: Annotated[
        str | None,
        typer.Argument(
            metavar=CONCERTATION,
            help="Concertation id (default: today's or the next one, else the last held).",
            autocompletion=complete.concertations,
        ),
    ] = None,
    fmt: FormatOpt = "md",
    out: OutOpt = None,
    lang: LangOpt = None,
) -> None:
    """The attendance and report sheet of a concertation, as funders ask for it: who
    took part (profession, organisation, presence), the person's agreement, date,
    duration, signatures."""
    _one(ctx, "attendance", person, concertation, fmt, out, lang)


@app.command("ecomap")
def ecomap(
    ctx: typer.Context,
    person: PersonArg,
    fmt: Annotated[str, typer.Option("--format", "-f", help="svg, png or html.")] = "svg",
    out: OutOpt = None,
    date: Annotated[
        str | None, typer.Option("--date", help="The network on this day (default: today).")
    ] = None,
    history: Annotated[
        bool, typer.Option("--history", help="Also the members who had left, faded.")
    ] = False,
    lang: LangOpt = None,
) -> None:
    """The network as an ecomap: the person in the centre, the members around them by
    kind, the coordinator and the concertation lead marked (drawn by Graphviz)."""
    from reseau_cli.documents.ecomap import check_format, render_ecomap
    from reseau_cli.documents.renderer import check_output_file, write_file
    from reseau_cli.errors import InvalidInput
    from reseau_cli.i18n import _

    repo = context.get(ctx).repo()
    check_format(fmt)
    if fmt == "png" and out is None and sys.stdout.isatty():
        raise InvalidInput(_("a PNG is not for the terminal: add -o FILE.png (or redirect stdout)"))
    if out is not None:
        check_output_file(repo, out)
    doc = render_ecomap(repo, person, fmt=fmt, on=date, history=history, lang=lang)
    for ident in doc.missing:
        output.message(
            _("warning: {id} is not in the directory: drawn as unknown").format(id=ident)
        )
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(doc.content)
        sys.stdout.buffer.flush()
        return
    write_file(out, doc.content)
    output.message(_("Wrote {file}").format(file=out))


@app.command("all")
def all_(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html or pdf.")] = "html",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Output folder (default: out/ in the repository).", file_okay=False
        ),
    ] = None,
    persons: Annotated[
        list[str] | None, typer.Option("--person", help="Only this person (repeatable).")
    ] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="Only the concertations on this day (YYYY-MM-DD).")
    ] = None,
    lang: LangOpt = None,
) -> None:
    """Every active person's plan and network sheet, every concertation's invitation or
    minutes (only those on --date), an index.html and, for the whole team, figures.html
    (its anonymised figures of the last 12 months); exit 1 if any document failed."""
    from reseau_cli.documents.batch import plan_batch, run_batch

    repo = context.get(ctx).repo()
    batch = plan_batch(repo, fmt=fmt, out=out, persons=persons or [], date=date, lang=lang)
    if not persons and date is None:  # the whole team: its figures page too
        from functools import partial

        from reseau_cli.operations.stats import overview_page

        renderer = batch.renderer
        batch.figures = partial(overview_page, repo.root, today=renderer.today, lang=renderer.lang)
    for note in batch.notes:
        output.message(note)
    if sys.stderr.isatty() and batch.jobs:
        from rich.progress import Progress

        with Progress(console=output.rich_console(stderr=True), transient=True) as progress:
            task = progress.add_task(_("Rendering"), total=len(batch.jobs))
            report = run_batch(batch, on_done=lambda job: progress.advance(task))
    else:
        report = run_batch(batch)
    for failure in report.failures:
        output.message(_("error: {message}").format(message=failure))
    output.message(report.summary())
    if report.failures:
        raise SystemExit(1)


@app.command("templates")
def templates(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
    show: Annotated[
        str | None,
        typer.Option("--show", help="Print the built-in template NAME, to copy and adapt."),
    ] = None,
) -> None:
    """The templates documents are made from, and which ones the team overrides."""
    from reseau_cli.documents.engine import builtin_source, list_templates, team_dir

    repo = context.get(ctx).repo()
    if show is not None:
        output.data(builtin_source(show))
        return
    found = list_templates(repo.root)
    if json_out:
        output.as_json([{"name": t.name, "source": t.source} for t in found])
        return
    output.table([_("template"), _("source")], ([t.name, t.source] for t in found))
    output.message(
        _("To override one, copy it into {folder}/ under the same name and edit it.").format(
            folder=team_dir(repo.root)
        )
    )
