"""`reseau evaluation …`: the person's situation by domain, and standardised instruments."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from reseau_cli.cli import context, output
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _

if TYPE_CHECKING:
    import typer

    from reseau_cli.cli.args import PersonArg

app = Group(
    help="Multidimensional evaluations: needs by domain, the person's view, instruments.",
    no_args_is_help=True,
)

OPEN = ("partly-met", "unmet")
ARROWS = {"new": "", "same": "=", "better": "↗", "worse": "↘"}


@app.command("add")
def add(
    ctx: typer.Context,
    person: PersonArg,
    date: Annotated[
        str | None, typer.Option("--date", help="When it was evaluated (default: today).")
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="The intervenant who evaluated (id).")
    ] = None,
    domain: Annotated[
        list[str] | None,
        typer.Option(
            "--domain", help="DOMAIN=LEVEL (repeatable); LEVEL: none, met, partly-met, unmet."
        ),
    ] = None,
    need: Annotated[
        list[str] | None,
        typer.Option("--need", help="DOMAIN=TEXT: the need, in your words (repeatable)."),
    ] = None,
    person_view: Annotated[
        list[str] | None,
        typer.Option(
            "--person-view", help="DOMAIN=TEXT: the person's own view, in theirs (repeatable)."
        ),
    ] = None,
    instrument: Annotated[
        str | None,
        typer.Option(
            "--instrument", help="An instrument scored (see `reseau evaluation instruments`)."
        ),
    ] = None,
    item: Annotated[
        list[str] | None,
        typer.Option("--item", help="ITEM=VALUE of the --instrument (repeatable)."),
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="A remark.")] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Read the evaluation form from this file (- for stdin)."),
    ] = None,
    edit: Annotated[
        bool, typer.Option("--edit", help="Fill the evaluation form in $EDITOR.")
    ] = False,
) -> None:
    """Record an evaluation of the person's situation by domain; prints its id.

    DOMAIN is one of the plan's domains (health, autonomy, daily-life, housing,
    resources, social, family, mental-health, other). --instrument aggir (or katz, or
    the team's own) with its --item ITEM=VALUE is scored by its rules. Without flags on a terminal,
    opens $EDITOR on a form pre-filled with the previous evaluation's values (--edit
    forces it); --file F reads the same form.
    """
    from reseau_cli.errors import InvalidInput
    from reseau_cli.operations import evaluation as operations

    repo = context.get(ctx).repo()
    given = (date, by, domain, need, person_view, note, instrument, item)
    flagged = any(v not in (None, []) for v in given)
    if file is not None or edit:
        if flagged:
            raise InvalidInput(
                _("the form holds the whole evaluation: do not add other flags to it")
            )
        if file is not None and edit:
            raise InvalidInput(_("choose either --file or --edit"))
    if file is not None:
        if str(file) == "-":
            from reseau_cli.operations.concertation import read_stream

            text = read_stream(sys.stdin.buffer)
        else:
            from reseau_cli.operations.concertation import read_file

            text = read_file(file)
        ident = operations.add_form(repo, person, text, path=str(file))
    elif edit or (not flagged and _interactive()):
        found = _add_in_editor(repo, person)
        if found is None:
            output.message(_("Form unchanged; nothing recorded."))
            return
        ident = found
    else:
        if not flagged:
            raise InvalidInput(
                _("nothing to record: give --domain DOMAIN=LEVEL… or a form with --file F")
            )
        domains = operations.domain_inputs(domain or [], need or [], person_view or [])
        scored = operations.instrument_inputs(instrument, item or [])
        ident = operations.add(
            repo, person, date=date, by=by, domains=domains, instruments=scored, note=note
        )
    output.message(_("Recorded evaluation {id}.").format(id=ident))
    output.data(ident)


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _add_in_editor(repo: Any, person: str) -> str | None:
    from reseau_cli.cli.editor import edit_until_valid
    from reseau_cli.errors import Problem
    from reseau_cli.operations import evaluation as operations
    from reseau_cli.operations import evaluation_form

    original = evaluation_form.build(repo, person)

    def validate(text: str) -> tuple[Any, list[Problem]]:
        return evaluation_form.read(repo, person, text, path="form")

    args = edit_until_valid(repo, f"{person}-evaluation.yaml", original, validate)
    if args is None:
        return None
    return operations.add(repo, person, **args)


@app.command("list")
def list_(
    ctx: typer.Context,
    person: PersonArg,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The person's evaluations, oldest first: each domain's level, instrument results."""
    from reseau_cli.operations import evaluation as operations

    rows = operations.list_(context.get(ctx).repo(), person)
    if json_out:
        output.as_json(rows)
        return
    if not rows:
        output.message(
            _("No evaluation yet: record one with `reseau evaluation add {person}`.").format(
                person=person
            )
        )
        return
    output.table(
        [_("id"), _("date"), _("by"), _("open needs"), _("instruments")],
        (
            [
                e["id"],
                e["date"],
                e["by_name"],
                ", ".join(f"{d} {lvl}" for d, lvl in e["domains"].items() if lvl in OPEN),
                ", ".join(f"{i}: {label}" for i, label in e["instruments"].items()),
            ]
            for e in rows
        ),
    )


@app.command("show")
def show(
    ctx: typer.Context,
    person: PersonArg,
    evaluation: Annotated[
        str | None,
        typer.Argument(metavar="EVALUATION", help="Evaluation id (default: the latest)."),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """One evaluation: each domain with how it changed since before, instrument results."""
    from reseau_cli.operations import evaluation as operations

    found = operations.show(context.get(ctx).repo(), person, evaluation)
    if json_out:
        output.as_json(found)
        return
    by = f", {found['by_name']}" if found["by_name"] else ""
    lines = [_("Evaluation {id} of {date}{by}").format(id=found["id"], date=found["date"], by=by)]
    if found["previous"]:
        lines.append(
            _("Changes since {previous} ({date}).").format(
                previous=found["previous"], date=found["previous_date"]
            )
        )
    for d in found["domains"]:
        was = f"{d['before']} → " if d["before"] and d["before"] != d["level"] else ""
        arrow = ARROWS[d["trend"]]
        lines.append(f"  {d['domain']}: {was}{d['level']} {arrow}".rstrip())
        if d.get("need"):
            lines.append("    " + _("need: {text}").format(text=d["need"]))
        if d.get("person_view"):
            lines.append("    " + _("in their words: {text}").format(text=d["person_view"]))
    for i in found["instruments"]:
        was = f"{i['before']} → " if i["before"] else ""
        lines.append(f"  {i['instrument']}: {was}{i['result']['label']}")
    if found.get("note"):
        lines.append("  " + _("note: {text}").format(text=found["note"]))
    output.data("\n".join(lines))


@app.command("instruments")
def instruments(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """The instruments available: built-in (with source and version) and the team's."""
    from reseau_cli.operations import evaluation as operations

    rows, problems = operations.instruments(context.get(ctx).repo())
    for problem in problems:
        output.message(
            _("warning: {problem} (left out; `reseau check` lists the problems)").format(
                problem=problem
            )
        )
    if json_out:
        output.as_json(rows)
        return
    output.table(
        ["id", "title", "items", "version", "source"],
        (
            [
                i["id"],
                i["title"],
                ", ".join(i["items"]),
                i["version"],
                i["source"] if i["builtin"] else _("team: {source}").format(source=i["source"]),
            ]
            for i in rows
        ),
    )
