"""`reseau import …`: a person's file from another system's format (FHIR R4)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from reseau_cli.cli import context, output
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _, ngettext

if TYPE_CHECKING:
    import typer

app = Group(
    help="Files from other systems: a person from a FHIR R4 Bundle.",
    no_args_is_help=True,
)


@app.command("fhir")
def import_fhir(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="A FHIR R4 Bundle (JSON).", dir_okay=False),
    ],
) -> None:
    """Create a person (and the directory entries the team lacks) from a FHIR R4 Bundle
    holding a Patient and a CareTeam or CarePlan; prints the new id."""
    from reseau_cli.operations import fhir

    done = fhir.import_bundle(context.get(ctx).repo(), file)
    if done.taken:
        output.message(
            _("{original} is taken here: the person is {person}.").format(
                original=done.original, person=done.person
            )
        )
    elif done.original != done.person:
        output.message(
            _("{original} is not a reseau id: the person is {person}.").format(
                original=done.original or "—", person=done.person
            )
        )
    if done.created:
        output.message(
            ngettext(
                "Created directory entry {ids}.",
                "Created directory entries {ids}.",
                len(done.created),
            ).format(ids=", ".join(done.created))
        )
    if done.unmapped:
        output.message(
            ngettext(
                "Not imported ({count} item):",
                "Not imported ({count} items):",
                len(done.unmapped),
            ).format(count=len(done.unmapped))
        )
        for item in done.unmapped:
            output.message(f"  {item}")
    output.data(done.person)
