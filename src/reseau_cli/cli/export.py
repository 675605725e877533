"""`reseau export …`: copies of the data for use outside the team."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from reseau_cli.cli import context, output
from reseau_cli.i18n import _

app = typer.Typer(help="Exports of the data for use outside the team.", no_args_is_help=True)


@app.command("pseudonymised")
def pseudonymised(
    ctx: typer.Context,
    out: Annotated[
        Path,
        typer.Option(
            "-o", "--out", metavar="DIR", help="A new (or empty) folder outside the repository."
        ),
    ],
) -> None:
    """A copy with no identifying value: stable pseudonyms for ids, age bands for birth
    dates, months for dates; names, contacts, addresses and free text left out."""
    from reseau_cli.operations import export

    done = export.pseudonymised(context.get(ctx).repo(), out)
    output.message(
        _("Exported {persons} person(s) and {intervenants} intervenant(s) to {folder}.").format(
            persons=done.persons, intervenants=done.intervenants, folder=done.folder
        )
    )
