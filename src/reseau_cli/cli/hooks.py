"""`reseau hooks install [--server]`, and the hidden `reseau hooks run HOOK` git calls."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from reseau_cli.cli import context, output

app = typer.Typer(
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
    what = {
        hooks.PRE_COMMIT: "`git commit` now refuses staged files that `reseau check` rejects",
        hooks.PRE_RECEIVE: "pushes bringing invalid work are now refused",
    }[done.hook]
    if done.state == "unchanged":
        output.message(f"The reseau {done.hook} hook is already installed in {done.path}.")
        return
    verb = "Updated" if done.state == "updated" else "Installed"
    output.message(f"{verb} the reseau {done.hook} hook in {done.path}: {what}.")
    if done.kept is not None:
        output.message(f"The hook that was there is kept as {done.kept}.")


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
        refused = "commit refused: fix the staged files, `git add` them and commit again"
    elif hook == hooks.PRE_RECEIVE:
        found = hooks.check_push(sys.stdin.read().splitlines(), today=today)
        refused = (
            "push refused: correct the commits named above (`git commit --amend`, "
            "`git rebase -i`), check with `reseau check`, and push again"
        )
    else:
        raise InvalidInput(f"unknown hook {hook!r}: pre-commit or pre-receive")
    if not found:
        return
    for refusal in found[:MAX_LINES]:
        output.message(f"reseau: {_printable(str(refusal))}")
    if len(found) > MAX_LINES:
        output.message(f"reseau: … and {len(found) - MAX_LINES} more problem(s)")
    output.message(f"reseau: {refused} ({len(found)} problem(s))")
    raise typer.Exit(1)


def _printable(text: str) -> str:
    """One line whatever a path or a value holds: control characters escaped."""
    import unicodedata

    return "".join(
        repr(c)[1:-1] if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text
    )
