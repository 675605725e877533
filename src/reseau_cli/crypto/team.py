"""The team's members and their age recipients: ``team/recipients.yaml``.

    # reseau: the team's members and their age recipients (public keys)
    encryption: false
    members:
    - name: Alice Martin
      recipient: age1…

Recipients are public keys: the file is committed in clear, and every data key is
wrapped for each recipient it lists. ``encryption`` turns the layer on
(``reseau encrypt enable``).
"""

from __future__ import annotations

from pathlib import Path

from reseau_cli import store, text
from reseau_cli.crypto.keyrings import TEAM_FILE
from reseau_cli.errors import InvalidDocument, InvalidInput, Problem
from reseau_cli.i18n import _
from reseau_cli.records import field, frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_HEADER = "# reseau: the team's members and their age recipients (public keys)\n"


@frozen
class Member:
    name: str
    recipient: str


@frozen
class Team:
    members: tuple[Member, ...] = ()
    encryption: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def recipients(self) -> list[str]:
        return [m.recipient for m in self.members]

    def find(self, name: str) -> Member | None:
        folded = text.fold(name)
        return next((m for m in self.members if text.fold(m.name) == folded), None)


def check_recipient(value: str) -> str:
    """An age x25519 recipient (``age1…``), or InvalidInput saying what it is not."""
    from pyrage import RecipientError, x25519

    value = value.strip()
    try:
        x25519.Recipient.from_str(value)
    except (RecipientError, ValueError):
        raise InvalidInput(
            _("not an age recipient (a public key like age1…, as `reseau team init-keys` prints)")
        ) from None
    return value


def check_name(value: str) -> str:
    name = " ".join(value.split())
    if not name or name != value.strip() or len(name) > 200:
        raise InvalidInput(_("a member's name is one line of at most 200 characters"))
    return name


def path(root: Path) -> Path:
    return root / TEAM_FILE


def load(root: Path) -> Team:
    """The team file, or an empty team when there is none."""
    file = path(root)
    if not file.exists():
        return Team()
    doc = store.parse(store.read_text(file, display=TEAM_FILE), path=TEAM_FILE) or {}
    return _team(doc)


def _team(doc: Any) -> Team:
    def bad(where: str, message: str) -> InvalidDocument:
        return InvalidDocument(path=TEAM_FILE, problems=[Problem(TEAM_FILE, where, message)])

    if not isinstance(doc, dict):
        raise bad("-", _("expected a mapping with `members`"))
    members = []
    for index, item in enumerate(doc.get("members") or []):
        where = f"$.members[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise bad(where, _("each member has a name and a recipient"))
        try:
            members.append(Member(item["name"], check_recipient(str(item.get("recipient")))))
        except InvalidInput as exc:
            raise bad(f"{where}.recipient", str(exc)) from None
    encryption = doc.get("encryption", False)
    if not isinstance(encryption, bool):
        raise bad("$.encryption", _("expected true or false"))
    extra = {k: v for k, v in doc.items() if k not in ("members", "encryption")}
    return Team(tuple(members), encryption, extra)


def dump(team: Team) -> str:
    doc: dict[str, Any] = {
        "encryption": team.encryption,
        "members": [{"name": m.name, "recipient": m.recipient} for m in team.members],
        **team.extra,
    }
    return _HEADER + store.dump(doc)
