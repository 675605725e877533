"""A member's age identity: where it is kept, how it is created (0600 in a 0700
folder) and read (a warning when others could read it).

The identity file has the format of ``age-keygen``: comment lines, then one
``AGE-SECRET-KEY-1…`` line. Its secret never leaves it: no message, log or temporary
file ever shows it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from reseau_cli import store
from reseau_cli.errors import ReseauError
from reseau_cli.i18n import _
from reseau_cli.records import frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ENV = "RESEAU_AGE_IDENTITY"


class IdentityProblem(ReseauError):
    """An identity file that cannot be used."""


@frozen
class Identity:
    """A loaded identity: its file, its public recipient, and the secret (opaque)."""

    path: Path
    recipient: str
    secret: Any  # pyrage.x25519.Identity; never printed
    warnings: tuple[str, ...] = ()


def default_path() -> Path:
    """``$XDG_CONFIG_HOME/reseau/age-identity.txt`` (``~/.config`` by default)."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "reseau" / "age-identity.txt"


def chosen_path(explicit: Path | None = None) -> Path:
    """The identity file: ``explicit``, else RESEAU_AGE_IDENTITY, else the default."""
    if explicit is not None:
        return explicit.expanduser()
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser()
    return default_path()


def permission_warnings(path: Path) -> list[str]:
    """What is wrong with the permissions of the identity file and its folder."""
    found = []
    for where, wanted, what in ((path, 0o600, "file"), (path.parent, 0o700, "folder")):
        try:
            mode = stat.S_IMODE(where.stat().st_mode)
        except OSError:
            continue
        if mode & 0o077:
            if what == "file":
                said = _(
                    "the identity file {path} can be read by others (mode {mode}); "
                    "run `chmod {wanted} {path}`"
                )
            else:
                said = _(
                    "the identity folder {path} can be read by others (mode {mode}); "
                    "run `chmod {wanted} {path}`"
                )
            found.append(said.format(path=where, mode=f"{mode:04o}", wanted=f"{wanted:o}"))
    return found


def create(path: Path) -> Identity:
    """A fresh identity written to ``path`` (0600, folder 0700); refused if it exists."""
    from pyrage import x25519

    if os.path.lexists(path):
        raise IdentityProblem(
            _("{path} already exists; reseau never overwrites an identity").format(path=path)
        )
    secret = x25519.Identity.generate()
    recipient = str(secret.to_public())
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise IdentityProblem(
            _("cannot create {path}: {reason}").format(path=path.parent, reason=exc.strerror or exc)
        ) from None
    text = f"# reseau age identity: keep it private\n# public key: {recipient}\n{secret}\n"
    store.write_atomic(path, text, mode=0o600)
    return Identity(path, recipient, secret, tuple(permission_warnings(path)))


def load(path: Path) -> Identity:
    """The identity in ``path``; a clear error if it is missing or not an age identity."""
    from pyrage import IdentityError, x25519

    if not os.path.lexists(path):
        raise IdentityProblem(
            _(
                "no age identity at {path}; run `reseau team init-keys` "
                "(or set {variable} to your identity file)"
            ).format(path=path, variable=ENV)
        )
    text = store.read_text(path, display=str(path))
    lines = [line.strip() for line in text.splitlines()]
    keys = [line for line in lines if line and not line.startswith("#")]
    if len(keys) != 1:
        raise IdentityProblem(
            _("{path} is not an age identity file (one AGE-SECRET-KEY line)").format(path=path)
        )
    try:
        secret = x25519.Identity.from_str(keys[0])
    except (IdentityError, ValueError):
        raise IdentityProblem(
            _("{path} is not an age identity file (one AGE-SECRET-KEY line)").format(path=path)
        ) from None
    return Identity(path, str(secret.to_public()), secret, tuple(permission_warnings(path)))


def load_optional(explicit: Path | None = None) -> Identity | None:
    """The member's identity, or None when this machine holds none."""
    path = chosen_path(explicit)
    if not os.path.lexists(path):
        return None
    return load(path)
