"""`reseau concertation …`: plan a meeting, record it, cancel it, list them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from reseau_cli.cli import complete, context, output
from reseau_cli.cli.args import CONCERTATION, PersonArg

if TYPE_CHECKING:
    from reseau_cli.errors import Problem
    from reseau_cli.operations.concertation import Recorded
    from reseau_cli.repo import Repository

app = typer.Typer(
    help="Concertations: meetings with the network and the person, planned then recorded.",
    no_args_is_help=True,
)


DurationOpt = Annotated[
    int | None,
    typer.Option("--duration", metavar="MINUTES", help="How long it lasts (default: an hour)."),
]
EndOpt = Annotated[
    str | None, typer.Option("--end", metavar="HH:MM", help="When it ends (instead of --duration).")
]


@app.command("plan")
def plan(
    ctx: typer.Context,
    person: PersonArg,
    date: Annotated[str, typer.Option("--date", help="YYYY-MM-DD, today or later.")],
    time: Annotated[str | None, typer.Option("--time", help="HH:MM.")] = None,
    duration: DurationOpt = None,
    end: EndOpt = None,
    place: Annotated[str | None, typer.Option("--place", help="Where.")] = None,
    at_home: Annotated[
        bool,
        typer.Option("--at-home", help="At the person's home (the address in their file)."),
    ] = False,
    kind: Annotated[
        str | None, typer.Option("--kind", help="concertation (default), synthesis, coordination.")
    ] = None,
    organiser: Annotated[
        str | None,
        typer.Option("--organiser", help="Who organises (default: the concertation lead)."),
    ] = None,
    invite: Annotated[
        list[str] | None, typer.Option("--invite", help="A member to invite (repeatable).")
    ] = None,
    agenda: Annotated[
        list[str] | None, typer.Option("--agenda", help="An agenda item (repeatable).")
    ] = None,
) -> None:
    """Schedule a meeting (status planned); prints its id."""
    from reseau_cli.operations import concertation as operations

    ident = operations.plan(
        context.get(ctx).repo(),
        person,
        date=date,
        time=time,
        place=place,
        kind=kind,
        organiser=organiser,
        invite=invite or [],
        agenda=agenda or [],
        duration=duration,
        end=end,
        at_home=at_home,
    )
    output.data(ident)


@app.command("record")
def record(
    ctx: typer.Context,
    person: PersonArg,
    concertation: Annotated[
        str | None,
        typer.Argument(
            metavar=CONCERTATION,
            help="The planned concertation to complete (id).",
            autocompletion=complete.concertations,
        ),
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="When it took place.")] = None,
    participant: Annotated[
        list[str] | None, typer.Option("--participant", help="A member present (repeatable).")
    ] = None,
    absent: Annotated[
        list[str] | None, typer.Option("--absent", help="A member absent (repeatable).")
    ] = None,
    excused: Annotated[
        list[str] | None, typer.Option("--excused", help="A member excused (repeatable).")
    ] = None,
    person_present: Annotated[
        bool | None,
        typer.Option("--person-present/--person-absent", help="Whether the person was there."),
    ] = None,
    other: Annotated[
        list[str] | None,
        typer.Option("--other", help="Someone else present, e.g. 'Luc, son' (repeatable)."),
    ] = None,
    summary: Annotated[str | None, typer.Option("--summary", help="What was said.")] = None,
    decision: Annotated[
        list[str] | None, typer.Option("--decision", help="A decision (repeatable).")
    ] = None,
    action: Annotated[
        list[str] | None,
        typer.Option("--action", help="A new action; the n-th --by and --due go with it."),
    ] = None,
    by: Annotated[
        list[str] | None, typer.Option("--by", help="Who holds the n-th --action.")
    ] = None,
    due: Annotated[
        list[str] | None, typer.Option("--due", help="Due date of the n-th --action.")
    ] = None,
    coordinator: Annotated[
        str | None, typer.Option("--coordinator", help="Designate the coordinator here.")
    ] = None,
    next: Annotated[
        str | None, typer.Option("--next", help="Date of the next meeting (it gets planned).")
    ] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="concertation, synthesis or coordination.")
    ] = None,
    time: Annotated[str | None, typer.Option("--time", help="HH:MM.")] = None,
    duration: DurationOpt = None,
    end: EndOpt = None,
    place: Annotated[str | None, typer.Option("--place", help="Where.")] = None,
    organiser: Annotated[str | None, typer.Option("--organiser", help="Who organised.")] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Read the record form from this file (- for stdin)."),
    ] = None,
    edit: Annotated[bool, typer.Option("--edit", help="Fill the record form in $EDITOR.")] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Let the coordinator also lead the concertations."),
    ] = False,
) -> None:
    """Record a meeting: who came, decisions, new actions, coordinator, next date.

    Completes the planned CONCERTATION given (or the one planned on that date) rather
    than adding another. Without flags on a terminal, opens $EDITOR on a pre-filled
    form (--edit forces it); --file F reads the same form. Prints the concertation id.
    """
    from reseau_cli.errors import InvalidInput
    from reseau_cli.operations import concertation as operations

    repo = context.get(ctx).repo()
    fields: dict[str, Any] = {
        "date": date,
        "participants": participant or [],
        "absent": absent or [],
        "excused": excused or [],
        "person_present": person_present,
        "others_present": other or [],
        "summary": summary,
        "decisions": decision or [],
        "coordinator": coordinator,
        "next": next,
        "kind": kind,
        "time": time,
        "duration": duration,
        "end": end,
        "place": place,
        "organiser": organiser,
    }
    flagged = any(v not in (None, []) for v in fields.values()) or action or by or due
    if file is not None or edit:
        if flagged:
            raise InvalidInput("the form holds the whole record: do not add other flags to it")
        if file is not None and edit:
            raise InvalidInput("choose either --file or --edit")
    if file is not None:
        if str(file) == "-":
            text = operations.read_stream(sys.stdin.buffer)
        else:
            text = operations.read_file(file)
        result = operations.record_form(
            repo, person, text, path=str(file), concertation=concertation, force=force
        )
    elif edit or (not flagged and _interactive()):
        edited = _record_in_editor(repo, person, concertation, force=force)
        if edited is None:
            output.message("Form unchanged; nothing recorded.")
            return
        result = edited
    else:
        if not flagged:  # with or without an id: a record says who came and what was decided
            raise InvalidInput(
                "nothing to record: give --participant, --decision, --action… or a form "
                "with --file F (or --edit)"
            )
        fields["actions"] = operations.pair_actions(action or [], by or [], due or [])
        result = operations.record(repo, person, concertation, force=force, **fields)
    _report(result)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _record_in_editor(
    repo: Repository, person: str, concertation: str | None, *, force: bool
) -> Recorded | None:
    from reseau_cli.cli.editor import edit_until_valid
    from reseau_cli.operations import concertation as operations
    from reseau_cli.operations import concertation_form

    original = concertation_form.build(repo, person, concertation)

    def validate(text: str) -> tuple[Any, list[Problem]]:
        return concertation_form.read(repo, person, text, path="form")

    args = edit_until_valid(repo, f"{person}-concertation.yaml", original, validate)
    if args is None:
        return None
    ident = args.pop("ident")
    return operations.record(repo, person, ident, force=force, **args)


def _report(result: Recorded) -> None:
    how = "completed the planned concertation" if result.completed else "recorded"
    output.message(f"{how.capitalize()} {result.id}.")
    if result.actions:
        output.message(f"New actions: {', '.join(result.actions)}.")
    if result.coordinator:
        output.message(f"{result.coordinator} is designated coordinator.")
    if result.next_id:
        output.message(f"Next concertation {result.next_id} planned on {result.next_date}.")
    for other, day in result.also_planned:
        output.message(
            f"warning: {other} is also planned, on {day}; if the meeting of "
            f"{result.next_date} replaces it, cancel it with `reseau concertation cancel "
            f"{result.person} {other} --reason TEXT`."
        )
    output.data(result.id)


@app.command("cancel")
def cancel(
    ctx: typer.Context,
    person: PersonArg,
    concertation: Annotated[
        str,
        typer.Argument(
            metavar=CONCERTATION,
            help="The planned concertation (id).",
            autocompletion=complete.concertations,
        ),
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why it will not take place.")],
) -> None:
    """Cancel a planned meeting; it stays in the file with the reason."""
    from reseau_cli.operations import concertation as operations

    operations.cancel(context.get(ctx).repo(), person, concertation, reason=reason)
    output.message(f"Cancelled {concertation}.")


@app.command("list")
def list_(
    ctx: typer.Context,
    person: PersonArg,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The person's concertations, oldest first."""
    from reseau_cli.operations import concertation as operations

    rows = operations.listing(context.get(ctx).repo(), person)
    if json_out:
        output.as_json(rows)
        return
    if not rows:
        output.message(f"No concertation yet: plan one with `reseau concertation plan {person}`.")
        return
    output.table(
        ["id", "date", "time", "kind", "status", "place", "organiser"],
        (
            [
                c["id"],
                c["date"],
                c.get("time"),
                c["kind"],
                c["status"],
                c.get("place"),
                c.get("organiser"),
            ]
            for c in rows
        ),
    )
