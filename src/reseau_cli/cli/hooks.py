"""`reseau hooks install [--server]`, and the hidden `reseau hooks run HOOK` git calls."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from reseau_cli.cli import context, output
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _, ngettext

if TYPE_CHECKING:
    import typer

app = Group(
    help="Git hooks that refuse invalid work: in a clone (pre-commit) or on the team's "
    "server (pre-receive).",
    no_args_is_help=True,
)

MAX_LINES = 200  # a first push of a broken repository should not flood the terminal


@app.command("install")
def install(
    ctx: typer.Context,
    server: Annotated[
        bool,
        typer.Option(
            "--server",
            help="Install the pre-receive hook of the team's bare repository (run it there).",
        ),
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Replace a hook that is not reseau's (kept aside)."),
    ] = False,
) -> None:
    """Install a hook that refuses invalid work: a pre-commit hook in this clone, or with
    --server a pre-receive hook in the bare repository the team pushes to."""
    from reseau_cli.operations import hooks

    start = context.get(ctx).repo_path or Path.cwd()
    done = hooks.install(start.expanduser().resolve(), server=server, force=force)
    if done.state == "unchanged":
        output.message(
            _("The reseau {hook} hook is already installed in {path}.").format(
                hook=done.hook, path=done.path
            )
        )
        return
    updated = done.state == "updated"
    if done.hook == hooks.PRE_COMMIT:
        said = (
            _(
                "Updated the reseau {hook} hook in {path}: `git commit` now refuses staged "
                "files that `reseau check` rejects."
            )
            if updated
            else _(
                "Installed the reseau {hook} hook in {path}: `git commit` now refuses staged "
                "files that `reseau check` rejects."
            )
        )
    else:
        said = (
            _(
                "Updated the reseau {hook} hook in {path}: pushes bringing invalid work are "
                "now refused."
            )
            if updated
            else _(
                "Installed the reseau {hook} hook in {path}: pushes bringing invalid work are "
                "now refused."
            )
        )
    output.message(said.format(hook=done.hook, path=done.path))
    if done.kept is not None:
        output.message(_("The hook that was there is kept as {path}.").format(path=done.kept))


@app.command("run", hidden=True)
def run(
    hook: Annotated[str, typer.Argument(metavar="HOOK", help="pre-commit or pre-receive.")],
) -> None:
    """Run by git: check what a commit or a push is about to store."""
    from reseau_cli import dates
    from reseau_cli.errors import InvalidInput
    from reseau_cli.operations import hooks

    today = dates.today_iso()
    if hook == hooks.PRE_COMMIT:
        found = hooks.check_staged(today=today)
        refused = _("commit refused: fix the staged files, `git add` them and commit again")
    elif hook == hooks.PRE_RECEIVE:
        found = hooks.check_push(sys.stdin.read().splitlines(), today=today)
        refused = _(
            "push refused: correct the commits named above (`git commit --amend`, "
            "`git rebase -i`), check with `reseau check`, and push again"
        )
    else:
        raise InvalidInput(
            _("unknown hook {hook}: pre-commit or pre-receive").format(hook=repr(hook))
        )
    if not found:
        return
    for refusal in found[:MAX_LINES]:
        output.message(f"reseau: {_printable(str(refusal))}")
    if len(found) > MAX_LINES:
        more = len(found) - MAX_LINES
        output.message(
            "reseau: "
            + ngettext("… and {count} more problem", "… and {count} more problems", more).format(
                count=more
            )
        )
    output.message(
        "reseau: "
        + ngettext(
            "{refused} ({count} problem)", "{refused} ({count} problems)", len(found)
        ).format(refused=refused, count=len(found))
    )
    raise SystemExit(1)


def _printable(text: str) -> str:
    """One line whatever a path or a value holds: control characters escaped."""
    import unicodedata

    return "".join(
        repr(c)[1:-1] if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text
    )
