"""`reseau encrypt enable`, and the hidden `reseau textconv` git runs for diffs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from reseau_cli.cli import context, output
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _, ngettext

if TYPE_CHECKING:
    import typer

app = Group(help="Encryption at rest of the data files (age).", no_args_is_help=True)


@app.command("enable")
def enable(ctx: typer.Context) -> None:
    """Encrypt every person and intervenant file for the team's members (one commit)."""
    from reseau_cli.operations import encrypt

    count = encrypt.enable(context.get(ctx).repo())
    output.message(
        ngettext(
            "Encrypted {count} file for the team's members.",
            "Encrypted {count} files for the team's members.",
            count,
        ).format(count=count)
    )
    output.message(_("Run `reseau sync` to share the wrapped keys with the team."))


def textconv(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="A version of a data file.")],
) -> None:
    """What git runs to show a data file readably (diff.reseau.textconv)."""
    import sys

    from reseau_cli.operations import encrypt

    sys.stdout.write(encrypt.readable(path))


def register(app_: Group) -> None:
    app_.add_typer(app, name="encrypt")
    app_.command("textconv", hidden=True)(textconv)
