"""`reseau concertation …`: plan a meeting, record it, cancel it, list them."""

from __future__ import annotations

import sys
from pathlib import Path

from reseau_cli.cli import complete, context, output
from reseau_cli.cli.args import CONCERTATION
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _, ngettext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Annotated, Any

    import typer

    from reseau_cli.cli.args import PersonArg
    from reseau_cli.errors import Problem
    from reseau_cli.operations.concertation import Recorded
    from reseau_cli.repo import Repository

app = Group(
    help="Concertations: meetings with the network and the person, planned then recorded.",
    no_args_is_help=True,
)


def aliases() -> dict[str, Any]:
    """The option types this module's commands share, built when Typer reads the
    commands (``registry.resolvable``)."""
    from typing import Annotated

    import typer

    return {
        "DurationOpt": Annotated[
            int | None,
            typer.Option(
                "--duration", metavar="MINUTES", help="How long it lasts (default: an hour)."
            ),
        ],
        "EndOpt": Annotated[
            str | None,
            typer.Option("--end", metavar="HH:MM", help="When it ends (instead of --duration)."),
        ],
        "SchemeOpt": Annotated[
            str | None,
            typer.Option(
                "--scheme",
                metavar="ID",
                help="The funding scheme it is held under (`reseau concertation schemes` lists them).",
            ),
        ],
        "ConcertationArg": Annotated[
            str,
            typer.Argument(
                metavar=CONCERTATION,
                help="The concertation (id).",
                autocompletion=complete.concertations,
            ),
        ],
    }


if TYPE_CHECKING:
    DurationOpt = int | None
    EndOpt = str | None
    SchemeOpt = str | None
    ConcertationArg = str


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
    scheme: SchemeOpt = None,
    person_agreed: Annotated[
        bool,
        typer.Option("--person-agreed", help="The person agreed to the participants."),
    ] = False,
) -> None:
    """Schedule a meeting (status planned); prints its id. With --scheme, says what the
    meeting still lacks for that funding scheme."""
    from reseau_cli.operations import concertation as operations

    repo = context.get(ctx).repo()
    ident = operations.plan(
        repo,
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
        scheme=scheme,
        person_agreed=person_agreed,
    )
    if scheme is not None:
        _warn_unmet(repo, person, ident)
    output.data(ident)


def _warn_unmet(repo: Repository, person: str, ident: str) -> None:
    """After a write: what the concertation still lacks for its scheme, on stderr."""
    from reseau_cli.i18n import _
    from reseau_cli.operations import scheme as operations

    result = operations.check(repo, person, ident)
    for condition in result.conditions:
        label = _("warning") if condition.blocking else _("note")
        output.message(
            _("{label}: {concertation} under {scheme}: {message}").format(
                label=label, concertation=ident, scheme=result.scheme, message=condition.message
            )
        )


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
    scheme: SchemeOpt = None,
    person_agreed: Annotated[
        bool | None,
        typer.Option("--person-agreed", help="The person agreed to the participants."),
    ] = None,
    representative_present: Annotated[
        bool | None,
        typer.Option("--representative-present", help="The person's representative took part."),
    ] = None,
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
        "scheme": scheme,
        "person_agreed": person_agreed,
        "representative_present": representative_present,
    }
    flagged = any(v not in (None, []) for v in fields.values()) or action or by or due
    if file is not None or edit:
        if flagged:
            raise InvalidInput(_("the form holds the whole record: do not add other flags to it"))
        if file is not None and edit:
            raise InvalidInput(_("choose either --file or --edit"))
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
            output.message(_("Form unchanged; nothing recorded."))
            return
        result = edited
    else:
        if not flagged:  # with or without an id: a record says who came and what was decided
            raise InvalidInput(
                _(
                    "nothing to record: give --participant, --decision, --action… or a form "
                    "with --file F (or --edit)"
                )
            )
        fields["actions"] = operations.pair_actions(action or [], by or [], due or [])
        result = operations.record(repo, person, concertation, force=force, **fields)
    _report(result)
    if _scheme_of(repo, person, result.id):
        _warn_unmet(repo, person, result.id)


def _scheme_of(repo: Repository, person: str, ident: str) -> str | None:
    from reseau_cli.model.concertation import find

    return find(repo.person(person), ident).get("scheme")


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
    if result.completed:
        output.message(_("Completed the planned concertation {id}.").format(id=result.id))
    else:
        output.message(_("Recorded {id}.").format(id=result.id))
    if result.actions:
        output.message(
            ngettext("New action: {ids}.", "New actions: {ids}.", len(result.actions)).format(
                ids=", ".join(result.actions)
            )
        )
    if result.coordinator:
        output.message(
            _("{intervenant} is designated coordinator.").format(intervenant=result.coordinator)
        )
    if result.next_id:
        output.message(
            _("Next concertation {id} planned on {date}.").format(
                id=result.next_id, date=result.next_date
            )
        )
    for other, day in result.also_planned:
        output.message(
            _(
                "warning: {other} is also planned, on {day}; if the meeting of {date} replaces "
                "it, cancel it with `reseau concertation cancel {person} {other} --reason TEXT`."
            ).format(other=other, day=day, date=result.next_date, person=result.person)
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
    output.message(_("Cancelled {concertation}.").format(concertation=concertation))


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
        output.message(
            _("No concertation yet: plan one with `reseau concertation plan {person}`.").format(
                person=person
            )
        )
        return
    output.table(
        [_("id"), _("date"), _("time"), _("kind"), _("status"), _("place"), _("organiser")],
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


@app.command("check")
def check(
    ctx: typer.Context,
    person: PersonArg,
    concertation: ConcertationArg,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """What a concertation lacks for its funding scheme; exit 1 when a condition is unmet.

    Before the meeting: who is invited, the person's agreement, how often. Once held:
    who was present, the person's presence, the documents.
    """
    from reseau_cli.i18n import _
    from reseau_cli.operations import scheme as operations

    result = operations.check(context.get(ctx).repo(), person, concertation)
    if json_out:
        output.as_json(result.as_json())
    else:
        if result.status == "held":
            head = _("{concertation}, held on {date}, under {scheme} ({name}):")
        else:
            head = _("{concertation}, planned on {date}, under {scheme} ({name}):")
        output.data(
            head.format(
                concertation=concertation, date=result.date, scheme=result.scheme, name=result.name
            )
        )
        for condition in result.conditions:
            label = _("not met") if condition.blocking else _("note")
            output.data(
                "  " + _("{label}: {message}").format(label=label, message=condition.message)
            )
        if result.met and result.status == "held":
            output.data("  " + _("every condition is met."))
        elif result.met:
            output.data(
                "  "
                + _(
                    "every condition that can be checked before the meeting is met; who comes, "
                    "the person's presence and the documents are checked once it is recorded."
                )
            )
    if not result.met:
        raise SystemExit(1)


@app.command("schemes")
def schemes(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The funding schemes the team can use: its own and the shipped examples."""
    from reseau_cli.i18n import _
    from reseau_cli.operations import scheme as operations

    listed = operations.listing(context.get(ctx).repo())
    if json_out:
        output.as_json(listed.schemes)
    else:
        output.table(
            [_("id"), _("name"), _("from"), _("checked")],
            (
                [
                    row["id"],
                    row["name"],
                    _("example (check it)") if row["example"] else row["origin"],
                    row["checked"],
                ]
                for row in listed.schemes
            ),
        )
    for problem in listed.problems:
        output.message(_("warning: left out: {problem}").format(problem=problem))


@app.command("set-scheme")
def set_scheme(
    ctx: typer.Context,
    person: PersonArg,
    concertation: ConcertationArg,
    scheme: Annotated[
        str | None, typer.Argument(metavar="SCHEME", help="The funding scheme (id).")
    ] = None,
    none: Annotated[bool, typer.Option("--none", help="Under no scheme any more.")] = False,
    person_agreed: Annotated[
        bool | None,
        typer.Option(
            "--person-agreed/--person-not-agreed",
            help="Whether the person agreed to the participants.",
        ),
    ] = None,
) -> None:
    """Put a concertation, planned or already held, under a funding scheme; then checks it."""
    from reseau_cli.errors import InvalidInput
    from reseau_cli.i18n import _
    from reseau_cli.operations import scheme as operations

    if (scheme is None) == (not none) and person_agreed is None:
        raise InvalidInput(_("give a SCHEME, or --none to take the concertation out of its scheme"))
    if scheme is not None and none:
        raise InvalidInput(_("give either a SCHEME or --none, not both"))
    repo = context.get(ctx).repo()
    if scheme is None and not none:  # only the agreement changes
        from reseau_cli.model.concertation import find

        scheme = find(repo.person(person), concertation).get("scheme")
    operations.set_scheme(repo, person, concertation, scheme, person_agreed=person_agreed)
    if scheme is None:
        output.message(_("{concertation} is under no scheme.").format(concertation=concertation))
        return
    output.message(
        _("{concertation} is under {scheme}.").format(concertation=concertation, scheme=scheme)
    )
    _warn_unmet(repo, person, concertation)
