"""`reseau verify`: the signatures of plan validations, and what changed since."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from reseau_cli.cli import complete, context, output
from reseau_cli.cli.args import PERSON
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _

if TYPE_CHECKING:
    import typer


def register(app: Group) -> None:
    app.command("verify")(verify)


def verify(
    ctx: typer.Context,
    person: Annotated[
        str | None,
        typer.Argument(
            metavar=PERSON,
            help="One person (default: every person with a validated plan).",
            autocompletion=complete.persons,
        ),
    ] = None,
) -> None:
    """Check the signatures of plan validations and list what changed in each plan since
    its last validation; exit 1 when a signature fails."""
    from reseau_cli.operations import validation

    report = validation.verify(context.get(ctx).repo(), person)
    if not report.checks:
        output.message(_("No validated plan to verify."))
        return
    output.table(
        [_("person"), _("validation"), _("date"), _("signature"), _("detail")],
        (
            [c.person, c.validation, c.date, _verdict(c.signed, c.good), c.detail]
            for c in report.checks
        ),
    )
    for ident, changes in report.changes.items():
        last = report.since[ident]
        if not changes:
            output.data(
                _("{person}: no change to the plan since {validation} ({date}).").format(
                    person=ident, validation=last.validation, date=last.date
                )
            )
            continue
        output.data(
            _("{person}: changed in the plan since {validation} ({date}):").format(
                person=ident, validation=last.validation, date=last.date
            )
        )
        for line in changes:
            output.data(f"  {line}")
    if report.failed:
        from reseau_cli.errors import ReseauError

        raise ReseauError(
            _("a validation's signature fails, or is missing where the team requires one")
        )


def _verdict(signed: bool, good: bool) -> str:
    if not signed:
        return _("unsigned")
    return _("good") if good else _("BAD")
