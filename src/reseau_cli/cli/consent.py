"""`reseau consent …`: what the person agreed to share, with whom, and what was sent."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from reseau_cli.cli import context, output
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _

if TYPE_CHECKING:
    import typer

    from reseau_cli.cli.args import PersonArg

app = Group(
    help="Consent: what the person agreed to share, with whom; the register of what was sent.",
    no_args_is_help=True,
)


def aliases() -> dict[str, Any]:
    """The option types this module's commands share, built when Typer reads the
    commands (``registry.resolvable``)."""
    import typer

    return {
        "DateOpt": Annotated[
            str | None,
            typer.Option("--date", help="The day it was expressed, YYYY-MM-DD (default: today)."),
        ],
        "NoteOpt": Annotated[
            str | None, typer.Option("--note", help="How, in what words, any detail.")
        ],
        "JsonOpt": Annotated[bool, typer.Option("--json", help="Print as JSON.")],
    }


if TYPE_CHECKING:
    DateOpt = str | None
    NoteOpt = str | None
    JsonOpt = bool


def _record(ctx: typer.Context, person: str, decision: str, **kwargs: object) -> None:
    from reseau_cli.model.consent import describe
    from reseau_cli.operations import consent

    done = consent.record(context.get(ctx).repo(), person, decision, **kwargs)  # type: ignore[arg-type]
    output.message(
        _("Consent of {person}: {decision}.").format(person=person, decision=describe(done.entry))
    )
    output.data(done.entry["id"])


@app.command("give")
def give(
    ctx: typer.Context,
    person: PersonArg,
    date: DateOpt = None,
    how: Annotated[
        str | None, typer.Option("--how", help="oral, written or representative.")
    ] = None,
    representative: Annotated[
        str | None,
        typer.Option(
            "--representative", help="Who agreed for the person (implies --how representative)."
        ),
    ] = None,
    to: Annotated[
        list[str] | None,
        typer.Option(
            "--to",
            metavar="KIND_OR_ID",
            help="A recipient: professional, service, carer, volunteer, or a member's id "
            "(repeatable; default: professional and service).",
        ),
    ] = None,
    withhold: Annotated[
        list[str] | None,
        typer.Option(
            "--withhold",
            metavar="SECTION[:KIND_OR_ID]",
            help="A section kept from a recipient, or from everyone but the person: situation, "
            "health, evaluations, minutes, contacts, plan (repeatable).",
        ),
    ] = None,
    note: NoteOpt = None,
) -> None:
    """Record the person's agreement to share: with whom, and what is withheld."""
    _record(
        ctx,
        person,
        "given",
        date=date,
        how=how,
        representative=representative,
        recipients=to or None,
        withhold=withhold or None,
        note=note,
    )


@app.command("refuse")
def refuse(
    ctx: typer.Context, person: PersonArg, date: DateOpt = None, note: NoteOpt = None
) -> None:
    """Record that the person refuses information sharing (history kept)."""
    _record(ctx, person, "refused", date=date, note=note)


@app.command("withdraw")
def withdraw(
    ctx: typer.Context, person: PersonArg, date: DateOpt = None, note: NoteOpt = None
) -> None:
    """Record that the person withdraws the consent in force (history kept)."""
    _record(ctx, person, "withdrawn", date=date, note=note)


@app.command("show")
def show(ctx: typer.Context, person: PersonArg, json_out: JsonOpt = False) -> None:
    """The consent in force and its whole history."""
    from reseau_cli.model.consent import describe
    from reseau_cli.operations import consent

    state = consent.show(context.get(ctx).repo(), person)
    if json_out:
        output.as_json(state.as_json())
        return
    output.data(
        _("Consent of {person}: {decision}").format(
            person=person, decision=describe(state.in_force)
        )
    )
    if state.history:
        output.data(_("History:"))
    for entry in state.history:
        by = (
            _("; recorded by {name}").format(name=entry["recorded_by"])
            if entry.get("recorded_by")
            else ""
        )
        note = f": {entry['note']}" if entry.get("note") else ""
        output.data(f"  {entry['id']}  {describe(entry)}{by}{note}")
    if state.old_form:
        output.message(
            _(
                "{person}'s file holds consent in the old form; the next change to it saves the new one."
            ).format(person=person)
        )


@app.command("log")
def log(ctx: typer.Context, person: PersonArg, json_out: JsonOpt = False) -> None:
    """The register of disclosures: which document went to whom, when."""
    from reseau_cli.operations import consent

    found = consent.log(context.get(ctx).repo(), person)
    if json_out:
        output.as_json(found)
        return
    if not found:
        output.message(
            _(
                "No disclosure recorded for {person} (`reseau render … --for RECIPIENT --send-log` records one)."
            ).format(person=person)
        )
        return
    rows = (
        [
            d["date"],
            d["recipient"],
            d["document"] + (f" {d['concertation']}" if d.get("concertation") else ""),
            d.get("format") or "",
            ", ".join(d.get("sections") or []),
            d.get("commit") or "",
            d.get("recorded_by") or "",
        ]
        for d in found
    )
    columns = [_("date"), _("recipient"), _("document"), _("format"), _("sections")]
    output.table([*columns, _("version"), _("by")], rows)
