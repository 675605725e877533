"""`reseau templates compile`: the team's own translations, compiled and checked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from reseau_cli.cli import context, output
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _, ngettext

if TYPE_CHECKING:
    import typer

app = Group(
    help="The team's templates and translations (`reseau render templates` lists templates).",
    no_args_is_help=True,
)


@app.command("compile")
def compile_catalogs(
    ctx: typer.Context,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print what was compiled as JSON.")
    ] = False,
) -> None:
    """Compile the team's translations (locale/LANG/LC_MESSAGES/reseau.po) now, as
    documents would on the fly: a file that does not compile is named with its line."""
    from reseau_cli.documents.team_catalogs import compile_all

    found = compile_all(context.get(ctx).repo().root)
    if json_out:
        output.as_json([{"path": c.path, "lang": c.lang, "messages": c.messages} for c in found])
        return
    if not found:
        output.message(_("No team translation: add one as locale/LANG/LC_MESSAGES/reseau.po."))
    for c in found:
        output.message(
            ngettext(
                "Compiled {path}: {count} message.",
                "Compiled {path}: {count} messages.",
                c.messages,
            ).format(path=c.path, count=c.messages)
        )
