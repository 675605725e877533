"""`reseau sync` and the hidden `reseau merge-driver` that git runs during a merge."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from reseau_cli.cli import context, output

if TYPE_CHECKING:
    from reseau_cli.operations.sync import FileMerge, SyncReport


def register(app: typer.Typer) -> None:
    app.command("sync")(sync)
    app.command("share")(share)
    app.command("merge-driver", hidden=True)(merge_driver)


def sync(
    ctx: typer.Context,
    remote: Annotated[
        str | None,
        typer.Option(
            "--remote", metavar="NAME", help="The git remote (default: the branch's, else origin)."
        ),
    ] = None,
    ours: Annotated[
        list[str] | None,
        typer.Option(
            "--ours",
            metavar="PATH",
            help="On a conflict in this file, keep your values (repeatable).",
        ),
    ] = None,
    theirs: Annotated[
        list[str] | None,
        typer.Option(
            "--theirs",
            metavar="PATH",
            help="On a conflict in this file, take the remote's values (repeatable).",
        ),
    ] = None,
) -> None:
    """Fetch the team's changes, merge them field by field, check, and push yours.

    Commits nothing of yours: commit (or discard) edits made by hand first. A real
    conflict is never committed: your files stay as they were and the conflicting
    fields are listed, with how to choose.
    """
    from reseau_cli.operations import sync as operations

    repo = context.get(ctx).repo()
    report = operations.sync(repo, remote=remote, ours=ours or (), theirs=theirs or ())
    for merged in report.resolved:
        whose = "your" if merged.prefer == "ours" else "their"
        fields = ", ".join(c.path for c in merged.conflicts)
        output.message(f"{merged.path}: kept {whose} value for {fields}")
    for path, side in report.whole:
        output.message(f"{path}: took {'your' if side == 'ours' else 'their'} whole version")
    if not report.ok:
        _print_conflicts(report)
        _print_warnings(report)
        raise typer.Exit(1)
    again = f" (the remote moved on during sync: {report.attempts} attempts)"
    again = again if report.attempts > 1 else ""
    if report.outcome == "up-to-date":
        output.message(f"Nothing to do: this clone and {report.target} are already identical.")
    elif report.outcome == "received":
        output.message(f"Received {report.received} commit(s) from {report.target}{again}.")
    elif report.outcome == "sent":
        output.message(f"Sent {report.sent} commit(s) to {report.target}{again}.")
    else:
        output.message(
            f"Merged {report.received} commit(s) from {report.target}, checked the result "
            f"and sent {report.sent} commit(s){again}."
        )
    _print_warnings(report)


def _print_warnings(report: SyncReport) -> None:
    for warning in report.warnings:
        output.message(f"warning: {warning}")


def share(
    ctx: typer.Context,
    target: Annotated[
        str,
        typer.Argument(
            metavar="PATH_OR_URL",
            help="Where the team's shared repository is, or is to be created (a path).",
        ),
    ],
    remote: Annotated[
        str, typer.Option("--remote", metavar="NAME", help="The remote's name here.")
    ] = "origin",
) -> None:
    """Set up the team's shared remote and push this branch to it.

    Creates a bare repository at PATH when there is none (its HEAD on your branch, so
    that a teammate's clone has the data), adds it as a remote, pushes and tracks it.
    Makes no commit.
    """
    from reseau_cli.operations.share import share as share_to

    repo = context.get(ctx).repo()
    report = share_to(repo, target, remote=remote)
    if report.created:
        output.message(f"Created the shared repository {report.url} (its HEAD on {report.branch}).")
    if report.head_was:
        output.message(
            f"{report.url}: its HEAD named {report.head_was!r}, a branch it does not have; "
            f"it now names {report.branch}, so a clone comes out with the data."
        )
    output.message(
        f"Sent {report.branch} to {report.remote} ({report.url}); `reseau sync` exchanges "
        f"with it from now on. A teammate starts with: git clone {report.url}"
    )
    if report.warning:
        output.message(f"warning: {report.warning}")


def _print_conflicts(report: SyncReport) -> None:
    from reseau_cli.model.merge import show
    from reseau_cli.operations.sync import edit_hint

    output.message(
        f"error: conflicting changes with {report.target}: nothing was merged or sent, "
        "your files are as they were before `reseau sync`."
    )
    files: list[str] = []
    for merged in report.conflicts:
        who = _who(merged)
        files.append(merged.path)
        for conflict in merged.conflicts:
            output.message(f"  {who}  {conflict.path}")
            output.message(_value("yours:  ", show(conflict.ours)))
            output.message(_value("theirs: ", show(conflict.theirs)))
        for problem in merged.problems:
            output.message(f"  {who}  {problem}")
    for broken in report.problems:
        output.message(
            f"  {broken.path}: {broken.location}: {broken.message} "
            "(both sides' changes together break this rule)"
        )
        files.append(broken.path)
    unique = list(dict.fromkeys(files))
    output.message("To choose, for each file, whose values win where the two sides differ:")
    width = max(len(path) for path in unique) if unique else 0
    for path in unique:
        output.message(f"  reseau sync --ours {path:<{width}}    keep your values")
        output.message(f"  reseau sync --theirs {path:<{width}}  take their values")
    output.message(
        f"or change your side so that it agrees with theirs ({edit_hint(unique)}), "
        "then run `reseau sync` again."
    )


def _value(label: str, text: str) -> str:
    """``      yours:  value``, the lines of a multi-line value under its first one."""
    lead = "      " + label
    return lead + text.replace("\n", "\n" + " " * len(lead))


def _who(merged: FileMerge) -> str:
    return merged.ident if merged.kind == "person" and merged.ident else merged.path


def merge_driver(
    base: Annotated[
        Path, typer.Argument(metavar="BASE", help="%O: the common ancestor's version.")
    ],
    ours: Annotated[
        Path, typer.Argument(metavar="OURS", help="%A: our version; receives the result.")
    ],
    theirs: Annotated[Path, typer.Argument(metavar="THEIRS", help="%B: their version.")],
    path: Annotated[
        str, typer.Argument(metavar="PATH", help="%P: the file's path in the repository.")
    ],
) -> None:
    """Git merge driver for person and intervenant files (merge.reseau.driver)."""
    from reseau_cli.model.merge import show
    from reseau_cli.operations.sync import run_merge_driver

    result = run_merge_driver(base, ours, theirs, path)
    if result.written:
        return
    for conflict in result.conflicts:
        output.message(
            f"reseau: {path}: {conflict.path} changed on both sides "
            f"(ours: {show(conflict.ours)}; theirs: {show(conflict.theirs)})"
        )
    for problem in result.problems:
        output.message(f"reseau: {path}: {problem}")
    output.message(
        f"reseau: {path} keeps our version, without conflict markers; abort this merge "
        "(`git merge --abort`) and run `reseau sync` to choose."
    )
    raise typer.Exit(1)
