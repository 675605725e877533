"""`reseau export …`: copies of the data for use outside the team: pseudonymised, and a
person's file as a FHIR R4 Bundle."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from reseau_cli.cli import complete, context, output
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _

if TYPE_CHECKING:
    import typer

    from reseau_cli.cli.args import PersonArg

app = Group(
    help="Exports of the data for use outside the team: pseudonymised, or FHIR R4.",
    no_args_is_help=True,
)


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


def aliases() -> dict[str, Any]:
    """The option types this module's commands share, built when Typer reads the
    commands (``registry.resolvable``)."""
    import typer

    return {
        "OutOpt": Annotated[
            Path | None,
            typer.Option(
                "-o", "--output", help="Write to this file (default: stdout).", dir_okay=False
            ),
        ],
    }


if TYPE_CHECKING:
    OutOpt = Path | None


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
    for_: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="RECIPIENT",
            help="The Bundle for this recipient (a member of the network, or `person`): only "
            "what the person's consent lets them read.",
            autocompletion=complete.intervenants,
        ),
    ] = None,
) -> None:
    """A person's file as a FHIR R4 Bundle (JSON): Patient, CareTeam, CarePlan, Goals,
    Encounters, Consent, Provenance."""
    from reseau_cli.operations import fhir

    done = fhir.export(
        context.get(ctx).repo(), person, output=out, pseudonymise=pseudonymise, for_=for_
    )
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
