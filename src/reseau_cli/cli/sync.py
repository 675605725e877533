"""`reseau sync` and the hidden `reseau merge-driver` that git runs during a merge."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from reseau_cli.cli import context, output
from reseau_cli.cli.registry import Group
from reseau_cli.i18n import _

if TYPE_CHECKING:
    import typer

    from reseau_cli.operations.sync import FileMerge, SyncReport


def register(app: Group) -> None:
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
    fields are listed, with how to choose. The signed tags of plan validations go both
    ways too; one that differs on the two sides is kept on each, and said.
    """
    from reseau_cli.operations import sync as operations

    repo = context.get(ctx).repo()
    report = operations.sync(repo, remote=remote, ours=ours or (), theirs=theirs or ())
    for merged in report.resolved:
        kept = (
            _("{path}: kept your value for {fields}")
            if merged.prefer == "ours"
            else _("{path}: kept their value for {fields}")
        )
        fields = ", ".join(c.path for c in merged.conflicts)
        output.message(kept.format(path=merged.path, fields=fields))
    for path, side in report.whole:
        took = (
            _("{path}: took your whole version")
            if side == "ours"
            else _("{path}: took their whole version")
        )
        output.message(took.format(path=path))
    if not report.ok:
        _print_conflicts(report)
        _print_warnings(report)
        raise SystemExit(1)
    counts = {"received": report.received, "sent": report.sent, "target": report.target}
    if report.outcome == "up-to-date":
        said = _("Nothing to do: this clone and {target} are already identical.")
    elif report.outcome == "received":
        said = _("Received {received} commit(s) from {target}.")
    elif report.outcome == "sent":
        said = _("Sent {sent} commit(s) to {target}.")
    else:
        said = _(
            "Merged {received} commit(s) from {target}, checked the result and sent {sent} "
            "commit(s)."
        )
    said = said.format(**counts)
    if report.attempts > 1 and report.outcome != "up-to-date":
        said = _("{said} (The remote moved on during sync: {attempts} attempts.)").format(
            said=said, attempts=report.attempts
        )
    output.message(said)
    _print_warnings(report)


def _print_warnings(report: SyncReport) -> None:
    for warning in report.warnings:
        output.message(_("warning: {warning}").format(warning=warning))


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
        output.message(
            _("Created the shared repository {url} (its HEAD on {branch}).").format(
                url=report.url, branch=report.branch
            )
        )
    if report.head_was:
        output.message(
            _(
                "{url}: its HEAD named {was}, a branch it does not have; it now names "
                "{branch}, so a clone comes out with the data."
            ).format(url=report.url, was=repr(report.head_was), branch=report.branch)
        )
    output.message(
        _(
            "Sent {branch} to {remote} ({url}); `reseau sync` exchanges with it from now on. "
            "A teammate starts with: git clone {url}"
        ).format(branch=report.branch, remote=report.remote, url=report.url)
    )
    if report.warning:
        output.message(_("warning: {warning}").format(warning=report.warning))


def _print_conflicts(report: SyncReport) -> None:
    from reseau_cli.model.merge import show
    from reseau_cli.operations.sync import edit_hint

    output.message(
        _(
            "error: conflicting changes with {target}: nothing was merged or sent, "
            "your files are as they were before `reseau sync`."
        ).format(target=report.target)
    )
    yours, theirs = _("yours:"), _("theirs:")
    pad = max(len(yours), len(theirs)) + 1
    files: list[str] = []
    for merged in report.conflicts:
        who = _who(merged)
        files.append(merged.path)
        for conflict in merged.conflicts:
            output.message(f"  {who}  {conflict.path}")
            output.message(_value(yours.ljust(pad), show(conflict.ours)))
            output.message(_value(theirs.ljust(pad), show(conflict.theirs)))
        for problem in merged.problems:
            output.message(f"  {who}  {problem}")
    for broken in report.problems:
        output.message(
            "  "
            + _(
                "{path}: {location}: {message} (both sides' changes together break this rule)"
            ).format(path=broken.path, location=broken.location, message=broken.message)
        )
        files.append(broken.path)
    unique = list(dict.fromkeys(files))
    output.message(_("To choose, for each file, whose values win where the two sides differ:"))
    width = max(len(path) for path in unique) if unique else 0
    for path in unique:
        output.message(f"  reseau sync --ours {path:<{width}}    " + _("keep your values"))
        output.message(f"  reseau sync --theirs {path:<{width}}  " + _("take their values"))
    output.message(
        _(
            "or change your side so that it agrees with theirs ({hint}), "
            "then run `reseau sync` again."
        ).format(hint=edit_hint(unique))
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
            "reseau: "
            + _("{path}: {field} changed on both sides (ours: {ours}; theirs: {theirs})").format(
                path=path,
                field=conflict.path,
                ours=show(conflict.ours),
                theirs=show(conflict.theirs),
            )
        )
    for problem in result.problems:
        output.message(f"reseau: {path}: {problem}")
    output.message(
        "reseau: "
        + _(
            "{path} keeps our version, without conflict markers; abort this merge "
            "(`git merge --abort`) and run `reseau sync` to choose."
        ).format(path=path)
    )
    raise SystemExit(1)
