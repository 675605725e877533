"""`reseau team …`: a member's age identity, and the team's recipients (one commit each)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reseau_cli.crypto import identity as ident
from reseau_cli.crypto import team as model
from reseau_cli.errors import AlreadyExists, InvalidInput, RuleViolation
from reseau_cli.i18n import _
from reseau_cli.records import replace
from reseau_cli.repo import Repository

if TYPE_CHECKING:
    from reseau_cli.change import Change


@dataclass(frozen=True)
class Keys:
    """What `team init-keys` found or created."""

    path: Path
    recipient: str
    created: bool
    warnings: tuple[str, ...]


def init_keys(explicit: Path | None = None) -> Keys:
    """Create the member's identity, or read the one already there."""
    path = ident.chosen_path(explicit)
    existing = ident.load_optional(path)
    if existing is not None:
        return Keys(path, existing.recipient, False, existing.warnings)
    made = ident.create(path)
    return Keys(path, made.recipient, True, made.warnings)


def members(repo: Repository) -> model.Team:
    return model.load(repo.root)


def _short(recipient: str) -> str:
    return recipient[:16] + "…"


def add_member(repo: Repository, name: str, recipient: str) -> model.Member:
    """Add a member and their recipient to ``team/recipients.yaml``; one commit."""
    name = model.check_name(name)
    recipient = model.check_recipient(recipient)
    with repo.change(f"team: add member {_short(recipient)}") as change:
        team = model.load(repo.root)
        if team.find(name) is not None:
            raise AlreadyExists(
                _("member {name} already exists; choose another name").format(name=repr(name))
            )
        if recipient in team.recipients:
            raise InvalidInput(_("this recipient is already a member's; each member has their own"))
        member = model.Member(name, recipient)
        new = replace(team, members=(*team.members, member))
        _rewrap(repo, change, new)
        change.put_text(model.path(repo.root), model.dump(new))
    return member


def remove_member(repo: Repository, name: str) -> model.Member:
    """Remove a member; every data key is wrapped again for the others only. The last
    member is never removed (nobody could read the files any more)."""
    with repo.change("team: remove member") as change:
        team = model.load(repo.root)
        member = team.find(name)
        if member is None:
            raise InvalidInput(
                _("no member named {name}; see `reseau team list`").format(name=repr(name))
            )
        if len(team.members) == 1:
            raise RuleViolation(
                _("cannot remove the last member: nobody could read the files any more")
            )
        change.message = f"team: remove member {_short(member.recipient)}"
        new = replace(team, members=tuple(m for m in team.members if m != member))
        _rewrap(repo, change, new)
        change.put_text(model.path(repo.root), model.dump(new))
    return member


def _rewrap(repo: Repository, change: Change, new: model.Team) -> None:
    """Wrap every data key again for the new set of members, with the change (the key
    store is written just before its commit). Nothing to do before encryption."""
    if not new.encryption:
        return
    entries = repo.keyring.rewrapped(new.recipients)
    change.replace_keys(entries)
