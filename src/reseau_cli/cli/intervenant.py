"""`reseau intervenant …`: the shared directory and each person's network."""

from __future__ import annotations

from reseau_cli.cli import complete, context, output
from reseau_cli.cli.args import PERSON
from reseau_cli.cli.registry import Group, UsageError
from reseau_cli.i18n import _, ngettext, pgettext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Annotated, Any

    import typer

    from reseau_cli.cli.args import IntervenantArg, PersonArg
    from reseau_cli.operations.intervenant import Card

app = Group(
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
        said = (
            _(
                "give exactly one (both were given): --id for an entry already in the "
                "directory, --name to find or create one by name"
            )
            if id is not None
            else _(
                "give exactly one (neither was given): --id for an entry already in the "
                "directory, --name to find or create one by name"
            )
        )
        raise UsageError(said, param_hint="'--id' / '--name'")
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
        output.message(
            _("Created directory entry intervenants/{id}.yaml.").format(id=joined.intervenant)
        )
    elif joined.reused:
        output.message(
            _(
                "Using the existing directory entry {id} ({name}); "
                "--new would create a namesake instead."
            ).format(id=joined.intervenant, name=joined.name)
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
    from reseau_cli.operations import intervenant as operations

    ended = operations.end(context.get(ctx).repo(), person, intervenant, date=date, reason=reason)
    if ended.planned:
        said = _("{intervenant} leaves {person}'s network on {date}.")
    else:
        said = _("Ended {intervenant}'s membership in {person}'s network on {date}.")
    output.message(said.format(intervenant=intervenant, person=person, date=ended.date))
    for role in ended.roles:
        output.message(_designation_ends(ended, role, person, intervenant))
    if ended.open_actions:
        commands = "; ".join(
            f"`reseau plan action set {person} {a} --by INTERVENANT`" for a in ended.open_actions
        )
        output.message(
            ngettext(
                "{intervenant} still holds open action {ids}: reassign it ({commands}).",
                "{intervenant} still holds open actions {ids}: reassign them ({commands}).",
                len(ended.open_actions),
            ).format(intervenant=intervenant, ids=", ".join(ended.open_actions), commands=commands)
        )


def _designation_ends(ended: Any, role: str, person: str, intervenant: str) -> str:
    """What becomes of a designation that ends with the membership, in one sentence."""
    lead = role != "coordinator"
    on = f" --date {ended.date}" if ended.planned else ""
    command = f"`reseau coordinator {'lead' if lead else 'set'} {person} ID{on}`"
    coming = ended.next.get(role)
    if coming is not None:
        then = _("{who} is designated from {since}").format(
            who=coming.intervenant, since=coming.since
        )
    elif ended.planned:
        then = (
            _("{person} has no concertation lead from then ({command})")
            if lead
            else _("{person} has no coordinator from then ({command})")
        ).format(person=person, command=command)
    else:
        then = (
            _("{person} has no concertation lead now ({command})")
            if lead
            else _("{person} has no coordinator now ({command})")
        ).format(person=person, command=command)
    if ended.planned:
        said = (
            _(
                "{intervenant} is the concertation lead: that designation ends on {date} too; {then}."
            )
            if lead
            else _("{intervenant} is the coordinator: that designation ends on {date} too; {then}.")
        )
    else:
        said = (
            _(
                "{intervenant} was the concertation lead: that designation ends on {date} too; {then}."
            )
            if lead
            else _(
                "{intervenant} was the coordinator: that designation ends on {date} too; {then}."
            )
        )
    return said.format(intervenant=intervenant, date=ended.date, then=then)


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

            raise InvalidInput(_("--all lists a person's past members too: give PERSON"))
        found = operations.entries(repo)
        if json_out:
            output.as_json([{**entry, "persons": count} for entry, count in found])
        elif not found:
            output.message(_("The directory is empty: `reseau intervenant add PERSON --name …`."))
        else:
            output.table(
                [_("id"), _("name"), _("kind"), _("organisation"), _("phone"), _("email")]
                + [_("persons")],
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
        output.message(
            _("Nobody in {person}'s network: `reseau intervenant add {person} …`.").format(
                person=person
            )
        )
        return
    columns = [_("id"), _("name"), _("kind"), _("role"), _("since")] + (
        [_("until")] if all_ else []
    )
    title = (
        _("Network of {person} (with past members)") if all_ else _("Network of {person}")
    ).format(person=person)
    output.table(
        [*columns, _("function"), _("contact")],
        (
            [m.intervenant, m.name, m.kind, m.role, m.since]
            + ([m.until or ""] if all_ else [])
            + [_marks(m), " · ".join(x for x in (m.phone, m.email) if x)]
            for m in members
        ),
        title=title,
        no_wrap=("id", "since", "until"),
    )


def _marks(item: Any) -> str:
    """What they are or will be: joins later, coordinator (until…, from…)."""
    from reseau_cli import dates

    today = dates.today_iso()
    marks = [_("joins later")] if item.state == "upcoming" else []
    held = set()
    for d in item.designations:
        if d["since"] <= today:
            held.add(d["role"])
        marks.append(_mark(d["role"], d["since"] if d["since"] > today else None, d["until"]))
    for role, holds in (("coordinator", item.coordinator), ("concertation_lead", item.lead)):
        if holds and role not in held:  # given by hand, without a designation in the history
            marks.append(_mark(role, None, None))
    return ", ".join(marks)


def _mark(role: str, since: str | None, until: str | None) -> str:
    """A designation in the function column: coordinator, lead, from and until when."""
    lead = role != "coordinator"
    if since and until:
        said = (
            _("concertation lead from {since} until {until}")
            if lead
            else _("coordinator from {since} until {until}")
        )
    elif since:
        said = _("concertation lead from {since}") if lead else _("coordinator from {since}")
    elif until:
        said = _("concertation lead until {until}") if lead else _("coordinator until {until}")
    else:
        return (
            pgettext("function", "concertation lead")
            if lead
            else pgettext("function", "coordinator")
        )
    return said.format(since=since, until=until)


@app.command("show")
def show(
    ctx: typer.Context,
    intervenant: IntervenantArg,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Contact details and the persons whose network they are in."""
    from reseau_cli.cli import kept
    from reseau_cli.operations import answers

    repo = context.get(ctx).repo()

    def produce() -> None:
        from reseau_cli.operations import intervenant as operations

        _show(operations.card(repo, intervenant), json_out=json_out)

    kept.answer(
        repo,
        f"intervenant show {intervenant}" + (" --json" if json_out else ""),
        lambda: answers.caseload_key(repo, intervenant),
        produce,
    )


def _show(card: Card, *, json_out: bool) -> None:
    from reseau_cli.operations import intervenant as operations

    if json_out:
        output.as_json(card.as_json())
        return
    entry = card.entry
    con = output.console()
    con.print(f"[bold]{output.escape(entry['name'])}[/bold]  {entry['id']}  ·  {entry['kind']}")
    for key in operations.CONTACT:
        if entry.get(key):
            con.print("  " + _("{key}: {value}").format(key=key, value=output.escape(entry[key])))
    if not card.caseload:
        con.print("\n" + _("In nobody's network."))
        return
    output.table(
        [_("person"), _("name"), _("role"), _("since"), _("until"), _("function"), _("status")],
        (
            [c.person, c.name, c.role, c.since, c.until or "", _marks(c)] + [c.state]
            for c in card.caseload
        ),
        title=_("Caseload"),
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
        output.message(_("Updated intervenants/{id}.yaml.").format(id=intervenant))
    else:
        output.message(_("No change; nothing written."))
