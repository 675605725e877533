"""The encryption layer between the store and the files: read decrypts, write encrypts.

A sealed data file keeps only its id and format version in clear:

    # reseau: encrypted for the team (age); members read it through reseau
    encrypted: age
    format: 1
    id: p-7k3q9x
    key: age1…          (the public half of the file's own data key)
    data: |
      -----BEGIN AGE ENCRYPTED FILE-----
      …

Every file has its own data key, a fresh x25519 age identity; the file is encrypted to
that key, and the key itself is *wrapped* (age-encrypted) for every member's recipient
and kept outside the file's history (``vcs.keys``: the ref ``refs/reseau/keys``).
Deleting a file's wrapped keys makes every version of it unreadable: crypto-shredding.

``store`` hands every text it reads to ``reveal`` (a no-op on clear text); the change
transaction and the merge driver ``seal`` what they write. The repository registers how
to make its ``Keyring`` (``keyrings.register``); nothing else knows. A clear repository
(no team file) never imports this module (see ``keyrings.clear``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path

from reseau_cli import store
from reseau_cli.crypto import identity as identities
from reseau_cli.crypto.keyrings import CACHE_MARK, keyring_for
from reseau_cli.crypto.team import Team
from reseau_cli.errors import InvalidDocument, Problem, ReseauError
from reseau_cli.i18n import _, ngettext
from reseau_cli.records import field, frozen, record
from reseau_cli.store import SEALED_MARK as MARK

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_HEADER = MARK + "; members read it through reseau\n"
_SEALED = re.compile(
    r"\Aencrypted: age\nformat: (?P<format>\d+)\nid: (?P<id>[a-z0-9-]+)\n"
    r"key: (?P<key>age1[0-9a-z]+)\ndata: \|\n(?P<data>(?:  [^\n]*\n)+)\Z"
)


class NoKey(InvalidDocument):
    """A sealed file this machine cannot open: no identity, not a member, or its data key
    is gone (erased)."""

    def __init__(self, *, path: str) -> None:
        reason = _("encrypted for the team; you hold no key for it")
        super().__init__(path=path, problems=[Problem(path, "-", reason)])
        self.message = _("{path} is encrypted for the team; you hold no key for it").format(
            path=path
        )


class Corrupted(InvalidDocument):
    """A sealed file whose ciphertext does not decrypt (a byte changed)."""

    def __init__(self, *, path: str) -> None:
        reason = _(
            "the encrypted content is damaged and cannot be decrypted; "
            "restore it from git (`git checkout -- FILE` or an older commit)"
        )
        super().__init__(path=path, problems=[Problem(path, "-", reason)])


@frozen
class Sealed:
    """The clear header of a sealed file."""

    ident: str
    format: int
    key: str  # the data key's recipient
    data: bytes  # the armored age ciphertext


def is_sealed(text: str) -> bool:
    return text.startswith(MARK)


def parse_sealed(text: str, *, display: str) -> Sealed:
    body = text.split("\n", 1)[1] if "\n" in text else ""
    found = _SEALED.match(body)
    if found is None:
        raise Corrupted(path=display)
    data = "".join(line[2:] + "\n" for line in found["data"].splitlines())
    return Sealed(found["id"], int(found["format"]), found["key"], data.encode("ascii", "replace"))


def sealed_text(ident: str, fmt: int, key: str, data: bytes) -> str:
    lines = "".join(f"  {line}\n" for line in data.decode("ascii").splitlines())
    return f"{_HEADER}encrypted: age\nformat: {fmt}\nid: {ident}\nkey: {key}\ndata: |\n{lines}"


def entry_name(ident: str, key: str) -> str:
    """The name of a wrapped data key in the key store: the file's id, and the data
    key's recipient (so a file may have several: older ones open older versions)."""
    return f"{ident}.{key}"


def split_entry(name: str) -> tuple[str, str]:
    ident, _, key = name.partition(".")
    return ident, key


@frozen
class Wrapped:
    """A data key wrapped for some recipients (listed in clear: they are public)."""

    recipients: tuple[str, ...]
    data: bytes

    def dump(self) -> bytes:
        head = "".join(f"recipient: {r}\n" for r in self.recipients)
        return head.encode("ascii") + b"\n" + self.data

    @classmethod
    def load(cls, blob: bytes) -> Wrapped:
        head, _, data = blob.partition(b"\n\n")
        recipients = tuple(
            line.removeprefix("recipient: ")
            for line in head.decode("ascii", "replace").splitlines()
        )
        return cls(recipients, data)


def wrap(secret: Any, recipients: Iterable[str]) -> Wrapped:
    import pyrage
    from pyrage import x25519

    chosen = tuple(recipients)
    parsed = [x25519.Recipient.from_str(r) for r in chosen]
    return Wrapped(chosen, pyrage.encrypt(str(secret).encode("ascii"), parsed, armored=True))


# How the key store is reached: read every entry, and write a new set of entries.
ReadKeys = Callable[[], dict[str, bytes]]
WriteKeys = Callable[[dict[str, bytes]], None]


@record
class Keyring:
    """The data keys of one repository, as this member can open them."""

    root: Path
    team: Team
    member: identities.Identity | None
    read_keys: ReadKeys
    _entries: dict[str, bytes] | None = field(default=None, repr=False)
    _opened: dict[str, Any] = field(default_factory=dict, repr=False)
    # Wrapped keys made by this command and not yet in the key store.
    pending: dict[str, bytes] = field(default_factory=dict, repr=False)

    @property
    def entries(self) -> dict[str, bytes]:
        if self._entries is None:
            self._entries = self.read_keys()
        return {**self._entries, **self.pending}

    def stored(self) -> None:
        """The pending wrapped keys are now in the key store."""
        self._entries = self.entries
        self.pending.clear()

    def data_key(self, ident: str, key: str) -> Any | None:
        """The data key whose recipient is ``key``, unwrapped, or None."""
        if key in self._opened:
            return self._opened[key]
        blob = self.entries.get(entry_name(ident, key))
        if blob is None or self.member is None:
            return None
        import pyrage
        from pyrage import x25519

        try:
            text = pyrage.decrypt(Wrapped.load(blob).data, [self.member.secret])
            secret = x25519.Identity.from_str(text.decode("ascii").strip())
        except (pyrage.DecryptError, pyrage.IdentityError, ValueError, UnicodeDecodeError):
            return None
        self._opened[key] = secret
        return secret

    def reveal(self, text: str, *, display: str) -> str:
        """The clear text of a sealed file (``text`` itself when it is clear)."""
        if not is_sealed(text):
            return text
        sealed = parse_sealed(text, display=display)
        secret = self.data_key(sealed.ident, sealed.key)
        if secret is None:
            raise NoKey(path=display)
        import pyrage

        try:
            return pyrage.decrypt(sealed.data, [secret]).decode("utf-8")
        except (pyrage.DecryptError, UnicodeDecodeError):
            raise Corrupted(path=display) from None

    def key_of(self, text: str | None) -> str | None:
        """The data key recipient of a sealed text, when its key opens (else None)."""
        if text is None or not is_sealed(text):
            return None
        try:
            sealed = parse_sealed(text, display="-")
        except Corrupted:
            return None
        return sealed.key if self.data_key(sealed.ident, sealed.key) is not None else None

    def seal(self, ident: str, text: str, *, fmt: int, key: str | None = None) -> str:
        """``text`` encrypted with the data key ``key`` (the one the file used so far),
        or a fresh one wrapped for every member when it is None or does not open."""
        import pyrage
        from pyrage import x25519

        secret = self.data_key(ident, key) if key else None
        if secret is None:
            secret, key = self.new_key(ident)
        assert key is not None
        data = pyrage.encrypt(text.encode("utf-8"), [x25519.Recipient.from_str(key)], armored=True)
        return sealed_text(ident, fmt, key, data)

    def rewrapped(self, recipients: list[str]) -> dict[str, bytes]:
        """Every wrapped key of the store, wrapped again for ``recipients`` only; refused
        when this member cannot open one (it would be lost)."""
        out = {}
        lost = []
        for name in sorted(self.entries):
            ident, key = split_entry(name)
            secret = self.data_key(ident, key)
            if secret is None:
                lost.append(ident)
                continue
            out[name] = wrap(secret, recipients).dump()
        if lost:
            raise ReseauError(
                ngettext(
                    "your identity cannot open the data keys of {count} file ({ids}…); "
                    "a member who holds them must do this",
                    "your identity cannot open the data keys of {count} files ({ids}…); "
                    "a member who holds them must do this",
                    len(lost),
                ).format(count=len(lost), ids=", ".join(sorted(set(lost))[:3]))
            )
        return out

    def recipients_of(self, ident: str, key: str) -> tuple[str, ...] | None:
        """Whom the data key ``key`` of file ``ident`` is wrapped for (None: no such key)."""
        blob = self.entries.get(entry_name(ident, key))
        return None if blob is None else Wrapped.load(blob).recipients

    def new_key(self, ident: str) -> tuple[Any, str]:
        """A fresh data key for a file, wrapped for every member (pending until stored)."""
        from pyrage import x25519

        if not self.team.recipients:
            raise ReseauError(
                _("the team has no member to encrypt for; run `reseau team add-member`")
            )
        secret = x25519.Identity.generate()
        key = str(secret.to_public())
        self.pending[entry_name(ident, key)] = wrap(secret, self.team.recipients).dump()
        self._opened[key] = secret
        return secret, key


# -- the keyrings of the repositories this process opened ---------------------------


def reveal(text: str, *, display: str, path: Path | None = None) -> str:
    """The clear text of ``text`` (a no-op unless it is sealed)."""
    if not is_sealed(text):
        return text
    keyring = keyring_for(path)
    if keyring is None:
        raise NoKey(path=display)
    return keyring.reveal(text, display=display)


def protect(path: Path, payload: bytes) -> bytes | None:
    """What a private file under ``.git`` (derived cache, draft) may hold: ``payload``
    itself in a clear repository; sealed for this member alone when the team encrypts;
    None (keep nothing) when this member holds no identity."""
    keyring = keyring_for(path)
    if keyring is None or not keyring.team.encryption:
        return payload
    if keyring.member is None:
        return None
    import pyrage
    from pyrage import x25519

    own = x25519.Recipient.from_str(keyring.member.recipient)
    return CACHE_MARK + pyrage.encrypt(payload, [own])


def unprotect(path: Path, data: bytes) -> bytes | None:
    """The payload of a file ``protect`` wrote; None when it cannot be trusted (clear
    in an encrypted repository, or not sealed for this member)."""
    keyring = keyring_for(path)
    encrypted = keyring is not None and keyring.team.encryption
    if not data.startswith(CACHE_MARK):
        return None if encrypted else data
    if keyring is None or keyring.member is None:
        return None
    import pyrage

    try:
        return pyrage.decrypt(data[len(CACHE_MARK) :], [keyring.member.secret])
    except pyrage.DecryptError:
        return None


def merge_entries(
    ours: dict[str, bytes], theirs: dict[str, bytes], *, erased: set[str]
) -> dict[str, bytes]:
    """Two key stores as one: every wrapped key either side has, but none of an erased
    file; a key both have, wrapped differently, as ours (``heal`` wraps it again for
    the team as it is after the merge)."""
    merged = {**theirs, **ours}
    return {name: blob for name, blob in merged.items() if split_entry(name)[0] not in erased}


def heal(keyring: Keyring) -> dict[str, bytes] | None:
    """The key store with every key this member can open wrapped for exactly the
    team's members; None when nothing needs it."""
    wanted = keyring.team.recipients
    entries = keyring.entries
    changed = False
    for name, blob in sorted(entries.items()):
        if set(Wrapped.load(blob).recipients) == set(wanted):
            continue
        secret = keyring.data_key(*split_entry(name))
        if secret is not None and wanted:
            entries[name] = wrap(secret, wanted).dump()
            changed = True
    return entries if changed else None


def _open(text: str, display: str, path: Path | None) -> str:
    return reveal(text, display=display, path=path)


store.on_sealed(_open)
