"""`reseau find`: where a word is written, in every person's file and the directory."""

from __future__ import annotations

from reseau_cli.cli import context, output
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _, ngettext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Annotated

    import typer


def register(app: Group) -> None:
    app.command("find")(find)


def find(
    ctx: typer.Context,
    text: Annotated[
        str, typer.Argument(metavar="TEXT", help="The words to look for (accents ignored).")
    ],
    all_: Annotated[bool, typer.Option("--all", help="Include closed persons.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Where words are written, in every person's file and the directory. Names,
    situations, roles, objectives, actions, notes and decisions of every active person
    (all with --all) and of directory entries: each match with the file's id, where in
    the file, and the words around it."""
    from reseau_cli.operations import find as operations

    found = operations.find(context.get(ctx).repo(), text, include_closed=all_)
    if json_out:
        output.as_json([f.as_json() for f in found])
        return
    if not found:
        output.message(_("Nothing found."))
        return
    output.table(
        [_("id"), _("name"), _("where"), _("snippet")],
        ([f.id, f.name, f.where, " ".join(f.snippet.split())] for f in found),
        no_wrap=("id",),
    )
    output.message(
        ngettext("{count} match.", "{count} matches.", len(found)).format(count=len(found))
    )
