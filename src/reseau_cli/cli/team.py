"""`reseau team …`: age keys and the team's members, for encryption at rest."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from reseau_cli.cli import context, output
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _

if TYPE_CHECKING:
    import typer

    from reseau_cli.repo import Repository

app = Group(help="Team members and their age keys (encryption at rest).", no_args_is_help=True)


def _repo(ctx: typer.Context) -> Repository:
    return context.get(ctx).repo()


@app.command("init", help="Same as `team init-keys`: create or read your age identity.")
@app.command("init-keys")
def init_keys(
    identity: Annotated[
        Path | None,
        typer.Option(
            "--identity",
            metavar="FILE",
            help="Your age identity file (default: RESEAU_AGE_IDENTITY, else "
            "~/.config/reseau/age-identity.txt); created when it does not exist.",
            dir_okay=False,
        ),
    ] = None,
) -> None:
    """Create your age identity (or read the existing one) and print its public recipient."""
    from reseau_cli.operations import team

    keys = team.init_keys(identity)
    for warning in keys.warnings:
        output.message(_("warning: {warning}").format(warning=warning))
    if keys.created:
        output.message(
            _("Created your age identity in {path} (keep it private).").format(path=keys.path)
        )
    else:
        output.message(_("Your age identity is {path}.").format(path=keys.path))
    output.message(
        _(
            "Give your recipient to a member, who runs: reseau team add-member NAME {recipient}"
        ).format(recipient=keys.recipient)
    )
    output.data(keys.recipient)


@app.command("add-member")
def add_member(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The member's name.")],
    recipient: Annotated[
        str, typer.Argument(metavar="RECIPIENT", help="Their age recipient (age1…).")
    ],
) -> None:
    """Add a team member who can read the encrypted files (one commit)."""
    from reseau_cli.operations import team

    member = team.add_member(_repo(ctx), name, recipient)
    output.message(_("Added member {name}.").format(name=member.name))


@app.command("remove-member")
def remove_member(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The member's name.")],
) -> None:
    """Remove a member: the data keys are wrapped again for the others only (one commit).
    Run `reseau team rotate` too, so that their old copy opens nothing new."""
    from reseau_cli.operations import team

    member = team.remove_member(_repo(ctx), name)
    output.message(_("Removed member {name}.").format(name=member.name))


@app.command("list")
def list_(
    ctx: typer.Context,
    json_out: Annotated[bool, typer.Option("--json", help="Print members as JSON.")] = False,
) -> None:
    """The team's members and their recipients."""
    from reseau_cli.operations import team

    found = team.members(_repo(ctx))
    rows = [{"name": m.name, "recipient": m.recipient} for m in found.members]
    if json_out:
        output.as_json({"encryption": found.encryption, "members": rows})
        return
    output.table([_("name"), _("recipient")], [[r["name"], r["recipient"]] for r in rows])


@app.command("rotate")
def rotate(ctx: typer.Context) -> None:
    """Seal every file again with fresh data keys (one commit), so that a removed
    member's old copy of a key opens nothing new."""
    from reseau_cli.i18n import ngettext
    from reseau_cli.operations import erase

    count = erase.rotate(_repo(ctx))
    output.message(
        ngettext(
            "Sealed {count} file again with a fresh data key.",
            "Sealed {count} files again with fresh data keys.",
            count,
        ).format(count=count)
    )
