"""`reseau person …`: add, list, show, edit, close, reopen, export."""

from __future__ import annotations

from pathlib import Path

from reseau_cli.cli import complete, context, output
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _, ngettext, pgettext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Annotated

    import typer

    from reseau_cli.cli.args import PersonArg
    from reseau_cli.repo import Repository

app = Group(
    help="Accompanied persons: add, list, show, edit, close, reopen, export.", no_args_is_help=True
)


@app.command("add")
def add(
    ctx: typer.Context,
    family_name: Annotated[str, typer.Option("--family-name", help="Family name.")],
    given_name: Annotated[str, typer.Option("--given-name", help="Given name.")],
    birth_date: Annotated[str | None, typer.Option("--birth-date", help="YYYY-MM-DD.")] = None,
    id: Annotated[
        str | None, typer.Option("--id", help="Choose the id (default: opaque, random).")
    ] = None,
    situation: Annotated[
        str | None, typer.Option("--situation", help="The situation, in a few lines.")
    ] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="The person's phone.")] = None,
    address: Annotated[str | None, typer.Option("--address", help="The person's address.")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="Accompanied since YYYY-MM-DD (default: today).")
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Add even when a file has the same names and birth date."),
    ] = False,
) -> None:
    """Create a person file; prints the new id alone on stdout."""
    from reseau_cli.operations import person as operations

    ident = operations.add(
        context.get(ctx).repo(),
        family_name=family_name,
        given_name=given_name,
        birth_date=birth_date,
        id=id,
        situation=situation,
        phone=phone,
        address=address,
        since=since,
        force=force,
    )
    output.data(ident)


@app.command("list")
def list_(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Include closed persons.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Active persons (all with --all): id, name, coordinator, next review."""
    from reseau_cli.cli import kept
    from reseau_cli.operations import answers

    repo = context.get(ctx).repo()
    command = "person list" + (" --all" if all_ else "") + (" --json" if json_out else "")
    kept.answer(
        repo,
        command,
        lambda: answers.person_list_key(repo),
        lambda: _list(repo, all_=all_, json_out=json_out),
    )


def _list(repo: Repository, *, all_: bool, json_out: bool) -> None:
    from reseau_cli.operations import person as operations

    rows = operations.summaries(repo, include_closed=all_)
    if json_out:
        output.as_json([r.as_json() for r in rows])
        return
    if not rows:
        closed = 0 if all_ else len(operations.summaries(repo, include_closed=True))
        if closed:
            output.message(
                ngettext(
                    "No active person; {count} closed: `reseau person list --all` lists it.",
                    "No active person; {count} closed: `reseau person list --all` lists them.",
                    closed,
                ).format(count=closed)
            )
        else:
            output.message(_("No person yet: add one with `reseau person add`."))
        return
    columns = [
        _("id"),
        _("name"),
        pgettext("column", "coordinator"),
        pgettext("column", "next review"),
    ] + ([_("status")] if all_ else [])
    output.table(
        columns,
        (
            [r.id, r.name, r.coordinator_name or r.coordinator or "—", r.next_review or "—"]
            + ([r.status] if all_ else [])
            for r in rows
        ),
    )


@app.command("show")
def show(
    ctx: typer.Context,
    person: PersonArg,
    json_out: Annotated[bool, typer.Option("--json", help="Print the file as JSON.")] = False,
    for_: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="RECIPIENT",
            help="With --json: the file as this recipient may receive it (a member of the "
            "network, or `person`): only what the person's consent lets them read.",
            autocompletion=complete.intervenants,
        ),
    ] = None,
) -> None:
    """The whole person file, readable (or as JSON)."""
    from reseau_cli import dates

    repo = context.get(ctx).repo()
    if for_ is not None:
        from reseau_cli.documents.audience import view
        from reseau_cli.errors import InvalidInput
        from reseau_cli.i18n import _

        if not json_out:
            raise InvalidInput(
                _(
                    "--for goes with --json; the readable documents for a recipient are "
                    "`reseau render plan|network|minutes|invitation {person} --for {recipient}`"
                ).format(person=person, recipient=for_)
            )
        seen = view(repo, repo.person(person), for_, on=dates.today_iso())
        output.as_json(seen["doc"])
        if seen["withheld"]:
            output.message(
                _("Left out for {recipient}, at the person's request: {sections}.").format(
                    recipient=for_, sections=", ".join(seen["withheld"])
                )
            )
        return
    from reseau_cli.cli import kept

    def produce() -> None:
        doc = repo.person(person)
        if json_out:
            output.as_json(doc)
            return
        from reseau_cli.cli.show import print_person
        from reseau_cli.documents.views import person_view

        print_person(person_view(repo, doc, today=dates.today()))

    kept.lean_only(repo, produce)


@app.command("export")
def export(
    ctx: typer.Context,
    person: PersonArg,
    out: Annotated[
        Path | None,
        typer.Option("-o", "--out", help="The folder to write (default: out/export-PERSON/)."),
    ] = None,
) -> None:
    """Everything the team holds about one person (the file, its history, the disclosures,
    the plan) as JSON and readable HTML, for a right-of-access or portability request."""
    from reseau_cli.operations.access import export_person

    folder = export_person(context.get(ctx).repo(), person, out)
    output.message(
        _("Wrote the export of {person} to {folder}.").format(person=person, folder=folder)
    )
    output.data(str(folder))


@app.command("edit")
def edit(ctx: typer.Context, person: PersonArg) -> None:
    """Open the person file in $EDITOR; it is saved only when valid.

    A draft that cannot be saved (an abort, or a teammate's change meanwhile) is kept
    under .git/reseau-drafts/; the next edit offers to take it up again."""
    from reseau_cli.cli.editor import ask, edit_until_valid
    from reseau_cli.errors import Aborted, RuleViolation
    from reseau_cli.operations import drafts
    from reseau_cli.operations import person as operations

    repo = context.get(ctx).repo()
    original = operations.text_for_edit(repo, person)
    start = None
    draft = drafts.find(repo, person)
    if draft is not None:
        where = drafts.display(repo, person)
        answer = ask(
            _(
                "A draft of an earlier edit is kept in {where}: take it up again [d] "
                "or start from the file as it is [f]? [d] "
            ).format(where=where),
            default="d",
        )
        if answer == "f":
            drafts.drop(repo, person)
        else:
            start = drafts.on_top(draft, original)
    last: dict[str, str] = {}

    def validate(text: str) -> tuple[object, list]:
        last["text"] = text
        return operations.edit_problems(repo, person, text)

    def keep(text: str) -> None:
        last["kept"] = drafts.keep(repo, person, text, base=original)

    hint = _("`reseau person edit {person}` offers to take it up again on the file as it is")
    hint = hint.format(person=person)
    draft_kept = _("{error}; your draft is kept in {kept} ({hint})")
    try:
        doc = edit_until_valid(repo, f"{person}.yaml", original, validate, start=start, keep=keep)
    except Aborted as exc:
        if "kept" in last:
            raise Aborted(draft_kept.format(error=exc, kept=last["kept"], hint=hint)) from None
        raise
    if doc is None:
        output.message(_("No change; nothing written."))
        return
    try:
        saved = operations.save_edit(repo, person, doc, original=original)
    except RuleViolation as exc:
        kept = drafts.keep(repo, person, last["text"], base=original)
        raise RuleViolation(draft_kept.format(error=exc, kept=kept, hint=hint)) from None
    drafts.drop(repo, person)
    if saved:
        output.message(_("Saved {file}.").format(file=repo.rel(repo.path("person", person))))
    else:
        output.message(_("No change; nothing written."))


@app.command("close")
def close(
    ctx: typer.Context,
    person: PersonArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the accompaniment ends.")],
    date: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).")] = None,
) -> None:
    """End the accompaniment; the file and its history stay.

    Planned concertations are cancelled in the same commit (the closing reason is
    theirs); open actions are listed and kept as they were."""
    from reseau_cli.operations import person as operations

    closed = operations.close(context.get(ctx).repo(), person, reason=reason, date=date)
    output.message(_("Closed {person}.").format(person=person))
    if closed.cancelled:
        listed = ", ".join(f"{c} ({day})" for c, day in closed.cancelled)
        output.message(
            ngettext(
                "Cancelled the planned concertation {listed}: tell the invitees.",
                "Cancelled the planned concertations {listed}: tell the invitees.",
                len(closed.cancelled),
            ).format(listed=listed)
        )
    if closed.open_actions:
        listed = ", ".join(f"{a} ({by})" for a, by in closed.open_actions)
        output.message(
            ngettext(
                "Still open in the plan, kept as it was: {listed}.",
                "Still open in the plan, kept as they were: {listed}.",
                len(closed.open_actions),
            ).format(listed=listed)
        )


@app.command("reopen")
def reopen(
    ctx: typer.Context,
    person: PersonArg,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why the accompaniment starts again.")
    ] = None,
    date: Annotated[str | None, typer.Option("--date", help="YYYY-MM-DD (default: today).")] = None,
) -> None:
    """Take a closed accompaniment up again; the closing stays in the file's history."""
    from reseau_cli.operations import person as operations

    operations.reopen(context.get(ctx).repo(), person, reason=reason, date=date)
    output.message(_("Reopened {person}.").format(person=person))


@app.command("erase")
def erase(
    ctx: typer.Context,
    person: PersonArg,
    reason: Annotated[
        str, typer.Option("--reason", help="Why the file is erased (recorded; never its content).")
    ],
) -> None:
    """Crypto-shredding: delete the person's data keys and file (one commit); every older
    version of the file, which git keeps, becomes unreadable for everyone. Needs encryption."""
    from reseau_cli.operations.erase import erase as run

    done = run(context.get(ctx).repo(), person, reason=reason)
    output.message(
        _("Erased {person}: its data keys are deleted, older versions unreadable.").format(
            person=done.person
        )
    )
    output.message(_("Run `reseau sync` so that every clone and the remote forget the keys too."))
