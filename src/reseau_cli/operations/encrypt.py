"""`reseau encrypt enable`, and what git runs to show an encrypted file (textconv)."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

from reseau_cli import store, vcs
from reseau_cli.crypto import identity, layer
from reseau_cli.crypto import team as model
from reseau_cli.errors import InvalidDocument, Problem, ReseauError, RuleViolation
from reseau_cli.i18n import _
from reseau_cli.records import replace
from reseau_cli.repo import Repository
from reseau_cli.vcs.layout import FOLDERS

DIFF_ATTRIBUTES = "".join(f"{folder}/*.yaml diff=reseau\n" for folder in FOLDERS.values())
# Files under .git that held clear text before encryption: rebuilt sealed on next use.
_CLEAR_DERIVED = ("reseau-cache",)


def enable(repo: Repository) -> int:
    """Seal every person and intervenant file for the team's members: one commit.
    Returns how many files were sealed."""
    problems: list[Problem] = []
    count = 0
    with repo.change("encrypt: enable") as change:
        team = model.load(repo.root)
        if team.encryption:
            raise RuleViolation(_("the repository is already encrypted"))
        if not team.members:
            raise RuleViolation(
                _(
                    "the team has no member yet: run `reseau team init-keys`, then "
                    "`reseau team add-member NAME RECIPIENT` for each member"
                )
            )
        member = identity.load_optional()
        if member is None or member.recipient not in team.recipients:
            raise RuleViolation(
                _(
                    "your identity is not one of the team's members: add yourself first "
                    "(`reseau team init-keys`, then `reseau team add-member`)"
                )
            )
        new = replace(team, encryption=True)
        keyring = repo.keyring
        keyring.team, keyring.member = new, member
        for kind in FOLDERS:
            for ident, doc in list(repo.all_raw(kind, problems)):
                change.put(kind, ident, doc)
                count += 1
        if problems:
            raise InvalidDocument(
                path=problems[0].path,
                problems=problems,
                hint=_("fix every file first (`reseau check`): nothing was encrypted"),
            )
        change.put_text(model.path(repo.root), model.dump(new))
        attributes = repo.root / ".gitattributes"
        current = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
        if DIFF_ATTRIBUTES not in current:
            change.put_text(attributes, current + DIFF_ATTRIBUTES)
    forget_clear_derived(repo)
    with contextlib.suppress(ReseauError):
        vcs.register_merge_driver(repo.root)
    return count


def forget_clear_derived(repo: Repository) -> None:
    """Remove what the derived cache held in clear (it is rebuilt, sealed), the derived
    index (texts, summaries, whole answers; kept in memory from now on) and the whole
    answers kept for the console's first step (``index.remove``)."""
    from reseau_cli import index

    gdir = vcs.git_dir(repo.root)
    for name in _CLEAR_DERIVED:
        shutil.rmtree(gdir / name, ignore_errors=True)
    index.remove(repo.root)


def readable(path: Path) -> str:
    """A data file's text for `git diff` (textconv): clear for a member, as it is
    (sealed) for anyone else."""
    raw = store.read_raw(path, display=str(path))
    if not layer.is_sealed(raw):
        return raw
    with contextlib.suppress(ReseauError):
        Repository.open(strict=False)
    try:
        return layer.reveal(raw, display=path.name)
    except InvalidDocument:
        return raw
