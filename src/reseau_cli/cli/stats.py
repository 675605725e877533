"""`reseau stats`: anonymised figures of one or several teams, small counts suppressed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from reseau_cli.cli import context, output
from reseau_cli.cli.registry import Group

if TYPE_CHECKING:
    import typer


def register(app: Group) -> None:
    app.command("stats")(stats)


def stats(
    ctx: typer.Context,
    repos: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="[REPO]…",
            help="Data repositories to count together (default: the current one).",
            file_okay=False,
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--from", help="First day of the period (default: 1 January of --to's year)."),
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day of the period (default: today).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="md, html, json or csv.")] = "md",
    out: Annotated[
        Path | None,
        typer.Option(
            "-o", "--output", help="Write to this file (default: stdout).", dir_okay=False
        ),
    ] = None,
    min_count: Annotated[
        int, typer.Option("--min-count", help="Counts below this are suppressed (default 5).")
    ] = 5,
    lang: Annotated[
        str | None, typer.Option("--lang", help="fr or en (default: the first repository's).")
    ] = None,
) -> None:
    """Anonymised figures of a period, for managers and funders.

    Persons followed, coordination and ruptures, caseloads, concertations (and funding
    schemes), actions and unmet needs, over one or several repositories; counts below
    --min-count are suppressed, and no name, id or free text is shown."""
    from reseau_cli.documents.filters import LANGS
    from reseau_cli.documents.renderer import check_output_file, write_file
    from reseau_cli.documents.stats import check_format, write
    from reseau_cli.errors import InvalidInput
    from reseau_cli.i18n import _
    from reseau_cli.operations.stats import compute

    check_format(fmt)
    if lang is not None and lang not in LANGS:
        raise InvalidInput(
            _("unknown language {lang}: use one of {languages}").format(
                lang=repr(lang), languages=", ".join(LANGS)
            )
        )
    app_ctx = context.get(ctx)
    result = compute(
        list(repos or []),
        start=start,
        end=end,
        min_count=min_count,
        default=app_ctx.repo_path,
        lang=lang,
    )
    text = write(result, fmt)
    if out is None:
        sys.stdout.write(text)
        return
    if not repos:
        check_output_file(app_ctx.repo(), out)
    write_file(out, text.encode("utf-8"))
    output.message(_("Wrote {file}").format(file=out))
