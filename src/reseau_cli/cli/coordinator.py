"""`reseau coordinator …`: who coordinates, and who leads concertations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from reseau_cli.cli import context, output
from reseau_cli.cli.args import PersonArg

if TYPE_CHECKING:
    from reseau_cli.repo import Repository

app = typer.Typer(
    help="Coordination: the coordinator (référent) and the concertation lead.",
    no_args_is_help=True,
)

IntervenantArg = Annotated[
    str, typer.Argument(help="A current member of the person's network (an intervenant id).")
]
DateOpt = Annotated[
    str | None, typer.Option("--date", help="From this day, YYYY-MM-DD (default: today).")
]


def _repo(ctx: typer.Context) -> Repository:
    return context.get(ctx).repo()


@app.command("set")
def set_(
    ctx: typer.Context,
    person: PersonArg,
    intervenant: IntervenantArg,
    date: DateOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="Why, or how it was decided.")] = None,
) -> None:
    """Designate the coordinator; the previous designation ends that day."""
    from reseau_cli import network

    previous = network.designate(_repo(ctx), person, intervenant, date=date, note=note)
    if previous:
        output.message(f"{previous} is no longer the coordinator of {person}.")
    output.message(f"{intervenant} is now the coordinator of {person}.")


@app.command("unset")
def unset(
    ctx: typer.Context,
    person: PersonArg,
    date: Annotated[
        str | None, typer.Option("--date", help="Last day, YYYY-MM-DD (default: today).")
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why it ends.")] = None,
    lead: Annotated[
        bool, typer.Option("--lead", help="End the concertation lead instead.")
    ] = False,
) -> None:
    """The person has no coordinator any more (or no concertation lead, with --lead)."""
    from reseau_cli import network

    role = "concertation_lead" if lead else "coordinator"
    who = network.undesignate(_repo(ctx), person, role=role, date=date, reason=reason)
    label = "concertation lead" if lead else "coordinator"
    output.message(f"{who} is no longer the {label} of {person}; {person} has no {label} now.")


@app.command("lead")
def lead(
    ctx: typer.Context,
    person: PersonArg,
    intervenant: IntervenantArg,
    date: DateOpt = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Which service delegated them.")
    ] = None,
) -> None:
    """Designate the concertation lead: the third party who organises concertations."""
    from reseau_cli import network

    role = "concertation_lead"
    previous = network.designate(_repo(ctx), person, intervenant, role=role, date=date, note=note)
    if previous:
        output.message(f"{previous} is no longer the concertation lead of {person}.")
    output.message(f"{intervenant} is now the concertation lead of {person}.")
