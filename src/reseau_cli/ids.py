"""Identifiers: the id rule, and short random ids that two clones never share by chance."""

from __future__ import annotations

import re
from collections.abc import Container

from reseau_cli.errors import InvalidId

# Matched whole (fullmatch): a trailing newline, which "$" alone lets through, is not
# part of an id. "(?!\n)$" keeps that true where the pattern is used by re.search
# (JSON Schema) and stays valid ECMA-262.
ID_RULE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}(?!\n)$")
# No 0/o, 1/l/i: ids get read aloud on the phone and copied from paper.
ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"


def check(value: str, *, what: str = "id") -> str:
    """Return ``value`` when it is a valid id (also a safe file name), else raise."""
    if not isinstance(value, str) or not ID_RULE.fullmatch(value):
        raise InvalidId(value=str(value), what=what)
    return value


def random_id(prefix: str, length: int, taken: Container[str] = ()) -> str:
    """A new ``<prefix>-<random>`` id not in ``taken``.

    Random rather than sequential so that two team members creating items at the
    same time in two clones do not pick the same id.
    """
    while True:
        candidate = f"{prefix}-" + _draw(length)
        if candidate not in taken:
            return candidate


def _draw(length: int) -> str:
    """``length`` letters of the alphabet, each as likely, from the system's random
    source (as ``secrets.choice``, without importing ``random``): a byte below the
    largest multiple of the alphabet's size picks one, a byte above is drawn again."""
    import os

    size = len(ALPHABET)
    below = 256 - 256 % size
    letters: list[str] = []
    while len(letters) < length:
        letters += [ALPHABET[b % size] for b in os.urandom(2 * length) if b < below]
    return "".join(letters[:length])
