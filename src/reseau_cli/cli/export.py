"""`reseau export …`: a person's file in another format (FHIR R4), for another system."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reseau_cli.cli import context, output
from reseau_cli.cli.args import PersonArg
from reseau_cli.i18n import _

app = typer.Typer(
    help="Files for other systems: a person's file as a FHIR R4 Bundle.",
    no_args_is_help=True,
)

OutOpt = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="Write to this file (default: stdout).", dir_okay=False),
]


@app.command("fhir")
def export_fhir(
    ctx: typer.Context,
    person: PersonArg,
    out: OutOpt = None,
    pseudonymise: Annotated[
        bool,
        typer.Option(
            "--pseudonymise",
            help="A pseudonymous Patient: no name, contact, address or free text; birth year only.",
        ),
    ] = False,
) -> None:
    """A person's file as a FHIR R4 Bundle (JSON): Patient, CareTeam, CarePlan, Goals,
    Encounters, Consent, Provenance."""
    from reseau_cli.operations import fhir

    done = fhir.export(context.get(ctx).repo(), person, output=out, pseudonymise=pseudonymise)
    if out is None:
        sys.stdout.write(done.text)
        sys.stdout.flush()
    else:
        output.message(
            _("Wrote {path}: a FHIR R4 Bundle of {count} resources.").format(
                path=out, count=done.resources
            )
        )
    if done.pseudonym is not None:
        output.message(
            _("{person} appears as {pseudonym} in this export.").format(
                person=person, pseudonym=done.pseudonym
            )
        )
