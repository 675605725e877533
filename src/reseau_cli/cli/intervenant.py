"""`reseau intervenant …`: the shared directory and each person's network."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from reseau_cli.cli import complete, context, output
from reseau_cli.cli.args import PERSON, IntervenantArg, PersonArg

app = typer.Typer(
    help="Intervenants: the shared directory, and who is in each person's network.",
    no_args_is_help=True,
)


@app.command("add")
def add(
    ctx: typer.Context,
    person: PersonArg,
    id: Annotated[
        str | None, typer.Option("--id", help="An intervenant already in the directory.")
    ] = None,
    name: Annotated[
        str | None,
        typer.Option("--name", help="Full name; creates the directory entry if there is none."),
    ] = None,
    role: Annotated[
        str | None, typer.Option("--role", help="Their role for this person (e.g. GP).")
    ] = None,
    profession: Annotated[str | None, typer.Option("--profession", help="Profession.")] = None,
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="Service or organisation.")
    ] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="Phone number.")] = None,
    email: Annotated[str | None, typer.Option("--email", help="Email address.")] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind", help="professional, carer, volunteer or service (default: professional)."
        ),
    ] = None,
    address: Annotated[str | None, typer.Option("--address", help="Postal address.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="YYYY-MM-DD (default: today).")
    ] = None,
    new: Annotated[
        bool,
        typer.Option("--new", help="With --name: a new entry even if one has that name."),
    ] = False,
) -> None:
    """Add someone to a person's network; prints the intervenant id."""
    from reseau_cli.operations import intervenant as operations

    if (id is None) == (name is None):
        said = "both were given" if id is not None else "neither was given"
        raise typer.BadParameter(
            f"give exactly one ({said}): --id for an entry already in the directory, "
            "--name to find or create one by name",
            param_hint="'--id' / '--name'",
        )
    joined = operations.add(
        context.get(ctx).repo(),
        person,
        id=id,
        name=name,
        role=role,
        since=since,
        new=new,
        kind=kind,
        profession=profession,
        organisation=organisation,
        phone=phone,
        email=email,
        address=address,
    )
    if joined.created:
        output.message(f"Created directory entry intervenants/{joined.intervenant}.yaml.")
    elif joined.reused:
        output.message(
            f"Using the existing directory entry {joined.intervenant} ({joined.name}); "
            "--new would create a namesake instead."
        )
    output.data(joined.intervenant)


@app.command("end")
def end(
    ctx: typer.Context,
    person: PersonArg,
    intervenant: IntervenantArg,
    date: Annotated[
        str | None, typer.Option("--date", help="Last day, YYYY-MM-DD (default: today).")
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="Why they leave.")] = None,
) -> None:
    """End someone's participation in a person's network (kept as history)."""
    from reseau_cli.model.network import ROLES
    from reseau_cli.operations import intervenant as operations

    ended = operations.end(context.get(ctx).repo(), person, intervenant, date=date, reason=reason)
    if ended.planned:
        output.message(f"{intervenant} leaves {person}'s network on {ended.date}.")
    else:
        output.message(f"Ended {intervenant}'s membership in {person}'s network on {ended.date}.")
    for role in ended.roles:
        label = ROLES[role]
        verb = "set" if role == "coordinator" else "lead"
        on = f" --date {ended.date}" if ended.planned else ""
        command = f"`reseau coordinator {verb} {person} ID{on}`"
        coming = ended.next.get(role)
        if coming is not None:
            then = f"{coming.intervenant} is designated from {coming.since}"
        elif ended.planned:
            then = f"{person} has no {label} from then ({command})"
        else:
            then = f"{person} has no {label} now ({command})"
        output.message(
            f"{intervenant} {'is' if ended.planned else 'was'} the {label}: that designation "
            f"ends on {ended.date} too; {then}."
        )
    if ended.open_actions:
        commands = "; ".join(
            f"`reseau plan action set {person} {a} --by INTERVENANT`" for a in ended.open_actions
        )
        output.message(
            f"{intervenant} still holds open action(s) {', '.join(ended.open_actions)}: "
            f"reassign them ({commands})."
        )


@app.command("list")
def list_(
    ctx: typer.Context,
    person: Annotated[
        str | None,
        typer.Argument(
            metavar=PERSON,
            help="A person id: list their network instead.",
            autocompletion=complete.persons,
        ),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="With PERSON: past members too.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The directory, or one person's current network (and members joining later)."""
    from reseau_cli.operations import intervenant as operations

    repo = context.get(ctx).repo()
    if person is None:
        if all_:
            from reseau_cli.errors import InvalidInput

            raise InvalidInput("--all lists a person's past members too: give PERSON")
        found = operations.entries(repo)
        if json_out:
            output.as_json([{**entry, "persons": count} for entry, count in found])
        elif not found:
            output.message("The directory is empty: `reseau intervenant add PERSON --name …`.")
        else:
            output.table(
                ["id", "name", "kind", "organisation", "phone", "email", "persons"],
                (
                    [e["id"], e["name"], e["kind"], e.get("organisation"), e.get("phone")]
                    + [e.get("email"), n]
                    for e, n in found
                ),
                no_wrap=("id",),
            )
        return
    members = operations.network(repo, person, include_past=all_)
    if json_out:
        output.as_json([m.as_json() for m in members])
        return
    if not members:
        output.message(f"Nobody in {person}'s network: `reseau intervenant add {person} …`.")
        return
    columns = ["id", "name", "kind", "role", "since"] + (["until"] if all_ else [])
    output.table(
        [*columns, "function", "contact"],
        (
            [m.intervenant, m.name, m.kind, m.role, m.since]
            + ([m.until or ""] if all_ else [])
            + [_marks(m), " · ".join(x for x in (m.phone, m.email) if x)]
            for m in members
        ),
        title=f"Network of {person}" + (" (with past members)" if all_ else ""),
        no_wrap=("id", "since", "until"),
    )


def _marks(item: Any) -> str:
    """What they are or will be: joins later, coordinator (until…, from…)."""
    from reseau_cli import dates
    from reseau_cli.model.network import ROLES

    today = dates.today_iso()
    marks = ["joins later"] if item.state == "upcoming" else []
    held = set()
    for d in item.designations:
        label = ROLES[d["role"]]
        if d["since"] > today:
            label += f" from {d['since']}"
        else:
            held.add(d["role"])
        marks.append(label + (f" until {d['until']}" if d["until"] else ""))
    for role, holds in (("coordinator", item.coordinator), ("concertation_lead", item.lead)):
        if holds and role not in held:  # given by hand, without a designation in the history
            marks.append(ROLES[role])
    return ", ".join(marks)


@app.command("show")
def show(
    ctx: typer.Context,
    intervenant: IntervenantArg,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Contact details and the persons whose network they are in."""
    from reseau_cli.operations import intervenant as operations

    card = operations.card(context.get(ctx).repo(), intervenant)
    if json_out:
        output.as_json(card.as_json())
        return
    entry = card.entry
    con = output.console()
    con.print(f"[bold]{output.escape(entry['name'])}[/bold]  {entry['id']}  ·  {entry['kind']}")
    for key in operations.CONTACT:
        if entry.get(key):
            con.print(f"  {key}: {output.escape(entry[key])}")
    if not card.caseload:
        con.print("\nIn nobody's network.")
        return
    output.table(
        ["person", "name", "role", "since", "until", "function", "status"],
        (
            [c.person, c.name, c.role, c.since, c.until or "", _marks(c)] + [c.state]
            for c in card.caseload
        ),
        title="Caseload",
        no_wrap=("person", "since", "until"),
    )


@app.command("update")
def update(
    ctx: typer.Context,
    intervenant: IntervenantArg,
    name: Annotated[str | None, typer.Option("--name", help="Full name.")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="Phone ('' removes it).")] = None,
    email: Annotated[str | None, typer.Option("--email", help="Email ('' removes it).")] = None,
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="Service or organisation.")
    ] = None,
    profession: Annotated[str | None, typer.Option("--profession", help="Profession.")] = None,
    kind: Annotated[
        str | None, typer.Option("--kind", help="professional, carer, volunteer or service.")
    ] = None,
    address: Annotated[str | None, typer.Option("--address", help="Postal address.")] = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Free notes.")] = None,
) -> None:
    """Edit a directory entry: one change, seen in every network that references it."""
    from reseau_cli.operations import intervenant as operations

    changed = operations.update(
        context.get(ctx).repo(),
        intervenant,
        name=name,
        phone=phone,
        email=email,
        organisation=organisation,
        profession=profession,
        kind=kind,
        address=address,
        notes=notes,
    )
    if changed:
        output.message(f"Updated intervenants/{intervenant}.yaml.")
    else:
        output.message("No change; nothing written.")
