"""`reseau coordinator …`: who coordinates, and who leads concertations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from reseau_cli.cli import context, output
from reseau_cli.cli.args import MemberArg, PersonArg

if TYPE_CHECKING:
    from reseau_cli.operations.coordinator import Designated
    from reseau_cli.repo import Repository

app = typer.Typer(
    help="Coordination: the coordinator and the concertation lead.",
    no_args_is_help=True,
)

ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force", help="Even to whoever holds the other function (coordinator, or lead)."
    ),
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
    intervenant: MemberArg,
    date: DateOpt = None,
    note: Annotated[str | None, typer.Option("--note", help="Why, or how it was decided.")] = None,
    force: ForceOpt = False,
) -> None:
    """Designate the coordinator; the previous designation ends that day (a date in the
    future plans the handover: the current coordinator stays until then)."""
    from reseau_cli.operations import coordinator

    done = coordinator.designate(_repo(ctx), person, intervenant, date=date, note=note, force=force)
    _say_designated(done, person, "coordinator")


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
    """The person has no coordinator any more (or no concertation lead, with --lead).

    A designation planned ahead is cancelled with --date its first day."""
    from reseau_cli.operations import coordinator

    role = "concertation_lead" if lead else "coordinator"
    done = coordinator.undesignate(_repo(ctx), person, role=role, date=date, reason=reason)
    label = "concertation lead" if lead else "coordinator"
    who, end = done.ended.intervenant, done.ended.until
    if done.cancelled:
        said = (
            f"{who} will not be the {label} of {person}: the designation from {end} is cancelled."
        )
        if done.then is not None:
            until = f" until {done.then.until}" if done.then.until else ""
            said += f" {done.then.intervenant} stays the {label}{until}."
    elif done.planned:
        said = f"{who} stays the {label} of {person} until {end}; no {label} from then."
    else:
        said = f"{who} is no longer the {label} of {person}; {person} has no {label} now."
    if done.next is not None:
        said += f" {done.next.intervenant} is designated from {done.next.since}."
    output.message(said)


@app.command("lead")
def lead(
    ctx: typer.Context,
    person: PersonArg,
    intervenant: MemberArg,
    date: DateOpt = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Which service delegated them.")
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Designate the concertation lead: the third party who organises concertations."""
    from reseau_cli.operations import coordinator

    role = "concertation_lead"
    done = coordinator.designate(
        _repo(ctx), person, intervenant, role=role, date=date, note=note, force=force
    )
    _say_designated(done, person, "concertation lead")


def _say_designated(done: Designated, person: str, label: str) -> None:
    if done.planned:
        now = done.current
        if now is None:
            stays = f"{person} has no {label} until then"
        elif now.until == done.date:
            stays = f"{now.intervenant} stays until then"
        else:
            stays = f"{now.intervenant} stays until {now.until}"
        output.message(
            f"{done.intervenant} will be the {label} of {person} from {done.date}; {stays}."
        )
        return
    if done.previous:
        output.message(f"{done.previous} is no longer the {label} of {person}.")
    output.message(f"{done.intervenant} is now the {label} of {person}.")
