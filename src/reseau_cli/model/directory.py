"""Directory entries (``intervenants/<id>.yaml``): creating, comparing, updating.

Contact details are checked here, before the schema sees them, so that a mistyped
phone or email gives one line naming the option rather than a schema path.
"""

from __future__ import annotations

import re
from collections.abc import Container

from reseau_cli import ids, text
from reseau_cli.errors import InvalidInput
from reseau_cli.formats import FORMAT
from reseau_cli.i18n import _
from reseau_cli.model.network import PERSON

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

KINDS = ("professional", "carer", "volunteer", "service")
# Same patterns as schemas/intervenant.schema.json: checked first for a friendly message.
_PHONE = re.compile(r"^\+?[0-9][0-9 ./()-]{4,24}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Fields a user may give on the command line, in the order messages list them.
DETAILS = ("name", "kind", "profession", "organisation", "phone", "email", "address", "notes")
RESERVED = frozenset({PERSON})  # `by: person` in a plan means the person themself


def check_phone(value: str | None, *, what: str = "--phone") -> str | None:
    """A phone number as people write it (digits, spaces, + . / ( ) -), or None."""
    if value is None:
        return None
    value = value.strip()
    if not _PHONE.fullmatch(value):
        raise InvalidInput(
            _(
                "invalid {what} {value}: expected a phone number such as +32 81 23 45 67 "
                "(digits, spaces and + . / ( ) - only)"
            ).format(what=what, value=repr(value))
        )
    return value


def check_email(value: str | None, *, what: str = "--email") -> str | None:
    """An email address with one @ and a domain, or None."""
    if value is None:
        return None
    value = value.strip()
    if not _EMAIL.fullmatch(value):
        raise InvalidInput(
            _("invalid {what} {value}: expected an address such as name@example.org").format(
                what=what, value=repr(value)
            )
        )
    return value


def check_kind(value: str | None) -> str | None:
    if value is None:
        return None
    if value not in KINDS:
        raise InvalidInput(
            _("invalid --kind {value}: choose one of {choices}").format(
                value=repr(value), choices=", ".join(KINDS)
            )
        )
    return value


def check_name(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    if not value:
        raise InvalidInput(_("--name must not be empty"))
    return value


def clean(**details: str | None) -> dict[str, str]:
    """Validated, stripped details; options not given are left out."""
    out: dict[str, str] = {}
    for key, value in details.items():
        if key not in DETAILS:
            raise TypeError(f"unknown directory field {key!r}")
        if value is None:
            continue
        if key == "name":
            value = check_name(value)
        elif key == "kind":
            value = check_kind(value)
        elif key == "phone":
            value = check_phone(value) if value.strip() else ""
        elif key == "email":
            value = check_email(value) if value.strip() else ""
        else:
            value = value.strip()
        assert value is not None
        out[key] = value
    return out


def new(ident: str, *, name: str, kind: str | None = None, **details: str | None) -> dict[str, Any]:
    """A new directory entry; ``kind`` defaults to professional."""
    given = clean(name=name, kind=kind or "professional", **details)
    doc: dict[str, Any] = {"format": FORMAT, "id": ids.check(ident, what="intervenant id")}
    doc.update({k: v for k, v in given.items() if v})
    return doc


def update(doc: dict[str, Any], **details: str | None) -> dict[str, Any]:
    """Change the given fields; an empty value removes an optional field."""
    given = clean(**details)
    if not given:
        options = ", ".join(f"--{k}" for k in DETAILS)
        raise InvalidInput(
            _("nothing to update: give at least one of {options}").format(options=options)
        )
    for key, value in given.items():
        if value:
            doc[key] = value
        elif key in ("name", "kind"):
            raise InvalidInput(_("--{option} must not be empty").format(option=key))
        else:
            doc.pop(key, None)
    return doc


def differences(doc: dict[str, Any], given: dict[str, str]) -> list[str]:
    """``field 'stored' ≠ 'given'`` for each given detail the entry does not already have."""
    out = []
    for key in DETAILS:
        if key not in given or key == "name":
            continue
        stored = doc.get(key)
        if stored != given[key]:
            shown = repr(stored) if stored is not None else _("(none)")
            out.append(f"{key} {shown} ≠ {given[key]!r}")
    return out


def _suffixed(base: str, n: int) -> str:
    if n == 1:
        return base
    suffix = f"-{n}"
    return base[: 40 - len(suffix)].rstrip("-") + suffix


def free_id(name: str, taken: Container[str]) -> str:
    """The slug of ``name``, with ``-2``, ``-3``… when that id is taken or reserved."""
    base = text.slug(name)
    n = 1
    while _suffixed(base, n) in taken or _suffixed(base, n) in RESERVED:
        n += 1
    return _suffixed(base, n)
