"""`reseau plan …`: the person's objectives, the actions, re-evaluations."""

from __future__ import annotations

from reseau_cli.cli import complete, context, output
from reseau_cli.cli.args import TEXT
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _, ngettext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Annotated, Any

    import typer

    from reseau_cli.cli.args import ActionArg, ObjectiveArg, PersonArg

app = Group(
    help="The support plan: objectives, actions (who does what by when), reviews.",
    no_args_is_help=True,
)
objective_app = Group(help="The person's own objectives.", no_args_is_help=True)
action_app = Group(help="Who does what by when.", no_args_is_help=True)
app.add_typer(objective_app, name="objective")
app.add_typer(action_app, name="action")


@objective_app.command("add")
def objective_add(
    ctx: typer.Context,
    person: PersonArg,
    text: Annotated[
        str, typer.Argument(metavar=TEXT, help="The objective, in the person's own words.")
    ],
    domain: Annotated[
        str | None,
        typer.Option(
            "--domain",
            help="One of: health, autonomy, daily-life, housing, resources, social, family, mental-health, other.",
        ),
    ] = None,
    priority: Annotated[
        bool, typer.Option("--priority", help="The person's priority: listed first.")
    ] = False,
    need: Annotated[
        list[str] | None,
        typer.Option(
            "--need", help="An evaluated need it answers: a DOMAIN (repeatable); see `evaluation`."
        ),
    ] = None,
) -> None:
    """Add an objective; prints its id."""
    from reseau_cli.operations import plan

    repo = context.get(ctx).repo()
    output.data(
        plan.add_objective(repo, person, text, domain=domain, priority=priority, needs=need)
    )


@objective_app.command("set")
def objective_set(
    ctx: typer.Context,
    person: PersonArg,
    objective: ObjectiveArg,
    status: Annotated[
        str | None, typer.Option("--status", help="active, achieved or abandoned.")
    ] = None,
    priority: Annotated[
        bool | None,
        typer.Option("--priority/--no-priority", help="Mark or unmark the person's priority."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A remark on the objective.")] = None,
    date: Annotated[
        str | None, typer.Option("--date", help="When it was achieved or abandoned (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Mark an objective achieved or abandoned, or the person's priority."""
    from reseau_cli.operations import plan

    repo = context.get(ctx).repo()
    item = plan.set_objective(
        repo, person, objective, status=status, priority=priority, note=note, date=date
    )
    said = (
        _("Objective {objective}: {status}, priority.")
        if item.get("priority")
        else _("Objective {objective}: {status}.")
    )
    output.message(said.format(objective=objective, status=item["status"]))


@action_app.command("add")
def action_add(
    ctx: typer.Context,
    person: PersonArg,
    text: Annotated[str, typer.Argument(metavar=TEXT, help="What is to be done.")],
    by: Annotated[
        str | None,
        typer.Option("--by", help="Who: an intervenant of the current network, or `person`."),
    ] = None,
    objective: Annotated[
        str | None, typer.Option("--objective", help="The objective it serves (id).")
    ] = None,
    due: Annotated[str | None, typer.Option("--due", help="By when (YYYY-MM-DD).")] = None,
    start: Annotated[str | None, typer.Option("--start", help="From when (YYYY-MM-DD).")] = None,
) -> None:
    """Add an action (--by is required); prints its id."""
    from reseau_cli.operations import plan

    repo = context.get(ctx).repo()
    output.data(
        plan.add_action(repo, person, text, by=by, objective=objective, due=due, start=start)
    )


@action_app.command("set")
def action_set(
    ctx: typer.Context,
    person: PersonArg,
    action: ActionArg,
    status: Annotated[
        str | None, typer.Option("--status", help="planned, ongoing, done or cancelled.")
    ] = None,
    due: Annotated[str | None, typer.Option("--due", help="New due date (YYYY-MM-DD).")] = None,
    start: Annotated[str | None, typer.Option("--start", help="New start (YYYY-MM-DD).")] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Reassign to a current member, or `person`.")
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="A follow-up note, signed and dated.")
    ] = None,
    objective: Annotated[
        str | None, typer.Option("--objective", help="Attach it to this objective (id).")
    ] = None,
) -> None:
    """Update one action: status, dates, responsible, objective; notes accumulate."""
    from reseau_cli.operations import plan

    repo = context.get(ctx).repo()
    item = plan.set_action(
        repo,
        person,
        action,
        status=status,
        due=due,
        start=start,
        by=by,
        note=note,
        objective=objective,
    )
    output.message(
        _("Action {action}: {status}, held by {by}.").format(
            action=action, status=item["status"], by=item["by"]
        )
    )


@app.command("review")
def review(
    ctx: typer.Context,
    person: PersonArg,
    date: Annotated[str | None, typer.Option("--date", help="Default: today.")] = None,
    next: Annotated[
        str | None,
        typer.Option("--next", help="Next review (default: date + the team's review interval)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="What the review found.")] = None,
) -> None:
    """Record a re-evaluation of the plan."""
    from reseau_cli.operations import plan

    entry = plan.review(context.get(ctx).repo(), person, date=date, next=next, note=note)
    output.message(
        _("Plan reviewed on {date}; next review {next}.").format(
            date=entry["date"], next=entry["next"]
        )
    )


@app.command("validate")
def validate(
    ctx: typer.Context,
    person: PersonArg,
    date: Annotated[
        str | None, typer.Option("--date", help="When it was validated (default: today).")
    ] = None,
    with_: Annotated[
        list[str] | None,
        typer.Option(
            "--with",
            metavar="INTERVENANT",
            help="A member of the network who validated it (repeatable).",
            autocompletion=complete.intervenants,
        ),
    ] = None,
    person_agreed: Annotated[
        bool, typer.Option("--person-agreed", help="The person agreed to the plan.")
    ] = False,
) -> None:
    """Record that the plan was validated, with whom, with the person's agreement or not;
    signed (a git tag) when git has a signing key."""
    from reseau_cli.operations import validation

    done = validation.validate(
        context.get(ctx).repo(), person, date=date, with_=with_, person_agreed=person_agreed
    )
    if done.tag:
        output.message(
            _("Validated the plan of {person} ({validation}), signed: tag {tag}.").format(
                person=person, validation=done.validation, tag=done.tag
            )
        )
    else:
        output.message(
            _(
                "Validated the plan of {person} ({validation}), unsigned (no signing key in git)."
            ).format(person=person, validation=done.validation)
        )
    output.data(done.validation)


@app.command("show")
def show(
    ctx: typer.Context,
    person: PersonArg,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The plan: the person's priority first, each objective with its actions."""
    from reseau_cli.operations import plan

    view = plan.show(context.get(ctx).repo(), person)
    if json_out:
        output.as_json(view)
        return
    output.data(
        _("Plan of {person}: last review {reviewed}, next review {next}").format(
            person=person, reviewed=view["reviewed"] or "—", next=view["next_review"] or "—"
        )
    )
    if not view["objectives"] and not view["other_actions"]:
        output.message(
            _("No objective yet: add one with `reseau plan objective add {person} TEXT`.").format(
                person=person
            )
        )
    for o in view["objectives"]:
        star = "★ " if o.get("priority") else ""
        domain = f" ({o['domain']})" if o.get("domain") else ""
        output.data(f"{star}{o['id']} [{o['status']}] {o['text']}{domain}")
        for a in o["actions"]:
            output.data(_action_line(a))
    if view["other_actions"]:
        output.data(_("Other actions"))
        for a in view["other_actions"]:
            output.data(_action_line(a))


def _action_line(a: dict[str, Any]) -> str:
    due = _(", due {date}").format(date=a["due"]) if a.get("due") else ""
    if a.get("late_days"):
        late = ngettext(
            " (overdue, {count} day late)", " (overdue, {count} days late)", a["late_days"]
        )
        due += late.format(count=a["late_days"])
    line = f"  - {a['id']} [{a['status']}] {a['text']} — {a['who']}{due}"
    for note in a.get("notes") or []:
        author = f" {note['author']}" if note.get("author") else ""
        line += f"\n      {note['date']}{author}: {note['text']}"
    return line
