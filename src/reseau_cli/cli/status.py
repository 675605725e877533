"""`reseau status`: what needs attention across every active person."""

from __future__ import annotations

from reseau_cli.cli import context, output
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import N_, _, ngettext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Annotated

    import typer

    from reseau_cli.operations.status import StatusReport

TITLES = {
    "urgent": N_("Urgent ({count})"),
    "soon": N_("To plan soon ({count})"),
    "upcoming": N_("Coming up ({count})"),
}


def register(app: Group) -> None:
    app.command("status")(status)


def status(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print alerts as JSON.")] = False,
) -> None:
    """Alerts across all active persons: no coordinator, overdue actions, reviews due,
    responsibles who left, meetings coming up, persons without follow-up."""
    from reseau_cli import dates
    from reseau_cli.cli import kept
    from reseau_cli.operations import answers

    repo = context.get(ctx).repo()
    today = dates.today()

    def produce() -> None:
        from reseau_cli.operations import status as operations

        _print(operations.status(repo, today=today), json_out=json_out)

    kept.answer(
        repo,
        "status --json" if json_out else "status",
        lambda: answers.status_key(repo, today),
        produce,
    )


def _print(report: StatusReport, *, json_out: bool) -> None:
    from reseau_cli import text
    from reseau_cli.operations import status as operations

    found = report.alerts
    if json_out:
        output.as_json([a.as_json() for a in found])
        return
    if not found:
        output.message(
            ngettext(
                "Nothing needs attention ({count} active person).",
                "Nothing needs attention ({count} active persons).",
                report.persons,
            ).format(count=report.persons)
        )
        return
    folded: dict[str, str] = {}

    def by_name(a: operations.Alert) -> tuple[str, str, str, str]:
        if a.name not in folded:
            folded[a.name] = text.fold(a.name)
        return (folded[a.name], a.person, a.date or "", a.kind)

    first = True
    for severity in operations.SEVERITIES:
        group = [a for a in found if a.severity == severity]
        if not group:
            continue
        if not first:
            output.data("")
        first = False
        group.sort(key=by_name)
        output.table(
            [_("person"), _("alert"), _("date"), _("about"), _("detail")],
            ([f"{a.name} ({a.person})", a.kind, a.date, a.ref, a.message] for a in group),
            title=_(TITLES[severity]).format(count=len(group)),
        )
