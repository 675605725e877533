"""`reseau handover …`: a person's file with its history, from one team to another."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from reseau_cli.cli import context, output
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _, ngettext

if TYPE_CHECKING:
    import typer

    from reseau_cli.cli.args import PersonArg

app = Group(
    help="Hand a person's file, with its history, over to another team's repository.",
    no_args_is_help=True,
)


@app.command("export")
def handover_export(
    ctx: typer.Context,
    person: PersonArg,
    out: Annotated[
        Path,
        typer.Option("-o", "--output", help="The archive to write (FILE.tar).", dir_okay=False),
    ],
) -> None:
    """Write a handover archive: the file, its history (a git bundle), the rendered plan,
    the directory entries it names and a manifest with SHA-256 checksums."""
    from reseau_cli.operations import handover

    done = handover.export(context.get(ctx).repo(), person, out)
    output.message(
        ngettext(
            "Wrote {path}: {person} with {count} commit of history.",
            "Wrote {path}: {person} with {count} commits of history.",
            done.commits,
        ).format(path=done.path, person=person, count=done.commits)
    )
    if done.signed:
        output.message(_("Signed with your git signing key."))


@app.command("import")
def handover_import(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A handover archive (FILE.tar).", dir_okay=False)
    ],
) -> None:
    """Create the handed-over person here (a new id if theirs is taken), keeping the
    file's history under refs/reseau/handover/ID; prints the person's id."""
    from reseau_cli.operations import handover

    done = handover.import_archive(context.get(ctx).repo(), file)
    if done.person != done.original:
        output.message(
            _("{original} is taken here: the person is {person}.").format(
                original=done.original, person=done.person
            )
        )
    for old, new in sorted(done.renamed.items()):
        output.message(
            _("Directory entry {old} is someone else here: {new} is created.").format(
                old=old, new=new
            )
        )
    if done.created:
        output.message(
            ngettext(
                "Created directory entry {ids}.",
                "Created directory entries {ids}.",
                len(done.created),
            ).format(ids=", ".join(done.created))
        )
    output.message(
        ngettext(
            "History: {count} commit, kept under {ref}.",
            "History: {count} commits, kept under {ref}.",
            done.commits,
        ).format(count=done.commits, ref=done.ref)
    )
    if done.signed_by:
        output.message(_("Signature: {detail}").format(detail=done.signed_by))
    else:
        output.message(_("Unsigned handover: its checksums show it is whole, not who made it."))
    output.data(done.person)
