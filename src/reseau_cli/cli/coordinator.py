"""`reseau coordinator …`: who coordinates, and who leads concertations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from reseau_cli.cli import context, output
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _

if TYPE_CHECKING:
    import typer

    from reseau_cli.cli.args import MemberArg, PersonArg
    from reseau_cli.operations.coordinator import Designated
    from reseau_cli.repo import Repository

app = Group(
    help="Coordination: the coordinator and the concertation lead.",
    no_args_is_help=True,
)


def aliases() -> dict[str, Any]:
    """The option types this module's commands share, built when Typer reads the
    commands (``registry.resolvable``)."""
    import typer

    return {
        "ForceOpt": Annotated[
            bool,
            typer.Option(
                "--force", help="Even to whoever holds the other function (coordinator, or lead)."
            ),
        ],
        "DateOpt": Annotated[
            str | None, typer.Option("--date", help="From this day, YYYY-MM-DD (default: today).")
        ],
    }


if TYPE_CHECKING:
    ForceOpt = bool
    DateOpt = str | None


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
    _say_designated(done, person, lead=False)


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
    who, end = done.ended.intervenant, done.ended.until
    if done.cancelled:
        said = [
            (
                _(
                    "{who} will not be the concertation lead of {person}: the designation "
                    "from {date} is cancelled."
                )
                if lead
                else _(
                    "{who} will not be the coordinator of {person}: the designation from "
                    "{date} is cancelled."
                )
            ).format(who=who, person=person, date=end)
        ]
        if done.then is not None:
            then, until = done.then.intervenant, done.then.until
            if until:
                stays = (
                    _("{who} stays the concertation lead until {date}.")
                    if lead
                    else _("{who} stays the coordinator until {date}.")
                )
            else:
                stays = (
                    _("{who} stays the concertation lead.")
                    if lead
                    else _("{who} stays the coordinator.")
                )
            said.append(stays.format(who=then, date=until))
    elif done.planned:
        said = [
            (
                _(
                    "{who} stays the concertation lead of {person} until {date}; "
                    "no concertation lead from then."
                )
                if lead
                else _(
                    "{who} stays the coordinator of {person} until {date}; "
                    "no coordinator from then."
                )
            ).format(who=who, person=person, date=end)
        ]
    else:
        said = [
            (
                _(
                    "{who} is no longer the concertation lead of {person}; "
                    "{person} has no concertation lead now."
                )
                if lead
                else _(
                    "{who} is no longer the coordinator of {person}; "
                    "{person} has no coordinator now."
                )
            ).format(who=who, person=person)
        ]
    if done.next is not None:
        said.append(
            _("{who} is designated from {since}.").format(
                who=done.next.intervenant, since=done.next.since
            )
        )
    output.message(" ".join(said))


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
    _say_designated(done, person, lead=True)


def _say_designated(done: Designated, person: str, *, lead: bool) -> None:
    if done.planned:
        now = done.current
        if now is None:
            said = (
                _(
                    "{who} will be the concertation lead of {person} from {date}; {person} has no concertation lead until then."
                )
                if lead
                else _(
                    "{who} will be the coordinator of {person} from {date}; {person} has no coordinator until then."
                )
            )
        elif now.until == done.date:
            said = (
                _(
                    "{who} will be the concertation lead of {person} from {date}; {current} stays until then."
                )
                if lead
                else _(
                    "{who} will be the coordinator of {person} from {date}; {current} stays until then."
                )
            )
        else:
            said = (
                _(
                    "{who} will be the concertation lead of {person} from {date}; {current} stays until {until}."
                )
                if lead
                else _(
                    "{who} will be the coordinator of {person} from {date}; {current} stays until {until}."
                )
            )
        output.message(
            said.format(
                who=done.intervenant,
                person=person,
                date=done.date,
                current=now.intervenant if now else "",
                until=now.until if now else "",
            )
        )
        return
    if done.previous:
        output.message(
            (
                _("{who} is no longer the concertation lead of {person}.")
                if lead
                else _("{who} is no longer the coordinator of {person}.")
            ).format(who=done.previous, person=person)
        )
    output.message(
        (
            _("{who} is now the concertation lead of {person}.")
            if lead
            else _("{who} is now the coordinator of {person}.")
        ).format(who=done.intervenant, person=person)
    )
