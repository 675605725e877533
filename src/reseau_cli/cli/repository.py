"""Commands on the whole repository: init, check, log."""

from __future__ import annotations

from pathlib import Path

from reseau_cli.cli import complete, context, output
from reseau_cli.cli.args import PERSON
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Annotated

    import typer

    from reseau_cli.operations.check import CheckReport


def register(app: Group) -> None:
    app.command("init")(init)
    app.command("check")(check)
    app.command("log")(log)


def init(
    path: Annotated[
        Path,
        typer.Argument(
            metavar="PATH", help="Folder to make a data repository (created if needed)."
        ),
    ] = Path("."),
    team: Annotated[
        str | None, typer.Option(help="Team name shown on documents (default: folder name).")
    ] = None,
    lang: Annotated[str, typer.Option(help="Language of rendered documents: fr, en or nl.")] = "fr",
) -> None:
    """Create a data repository: reseau.yaml, .gitattributes, .gitignore, one commit."""
    from reseau_cli.operations.repository import init_repository

    repo = init_repository(path, team=team, lang=lang)
    output.message(_("Initialised reseau data repository in {folder}").format(folder=repo.root))


def check(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print problems as JSON.")] = False,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Read every file again and validate it with jsonschema, the reference "
            "validator (no derived cache, no compiled validator).",
        ),
    ] = False,
) -> None:
    """Validate every file (schema and cross-file rules); exit 1 if anything is wrong."""
    from reseau_cli import dates
    from reseau_cli.cli import kept
    from reseau_cli.operations import check_kept

    repo = context.get(ctx).repo(strict=False)
    today = dates.today_iso()

    def produce() -> None:
        _report(check_kept.check_repository(repo, today=today, strict=strict), json_out=json_out)

    if strict:  # every file read again: nothing kept
        produce()
        return
    kept.answer(
        repo,
        "check --json" if json_out else "check",
        lambda: check_kept.answer_key(repo, today),
        produce,
    )


def _report(report: CheckReport, *, json_out: bool) -> None:
    if json_out:
        output.as_json(
            [
                {"path": p.path, "location": p.location, "message": p.message}
                for p in report.problems
            ]
        )
    else:
        for problem in report.problems:
            output.data(str(problem))
        for warning in report.warnings:
            output.message(_("warning: {warning}").format(warning=warning))
        counts = {"persons": report.persons, "intervenants": report.intervenants}
        # The report is data, on stdout (`reseau check > report.txt` keeps it): one line
        # per problem, or the OK line. The count of problems is said to the human.
        if report.ok:
            output.data(
                _(
                    "OK: {persons} person file(s), {intervenants} intervenant file(s) checked, "
                    "no problem."
                ).format(**counts)
            )
        else:
            output.message(
                _(
                    "{count} problem(s): {persons} person file(s), {intervenants} intervenant "
                    "file(s) checked."
                ).format(count=len(report.problems), **counts)
            )
    if not report.ok:
        raise SystemExit(1)


def log(
    ctx: typer.Context,
    person: Annotated[
        str | None,
        typer.Argument(
            metavar=PERSON,
            help="Only the history of this person.",
            autocompletion=complete.persons,
        ),
    ] = None,
    number: Annotated[
        int | None, typer.Option("-n", "--number", min=1, help="At most N entries.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print entries as JSON.")] = False,
) -> None:
    """The history of the repository or of one person, from git: date, author, message."""
    from reseau_cli.operations.repository import history

    entries = history(context.get(ctx).repo(), person, limit=number)
    if json_out:
        output.as_json(
            [
                {"commit": e.commit, "date": e.date, "author": e.author, "message": e.message}
                for e in entries
            ]
        )
        return
    width = max((len(e.author) for e in entries), default=0)
    for entry in entries:
        output.data(f"{entry.date}  {entry.commit[:8]}  {entry.author:<{width}}  {entry.message}")
