"""Limits on what reseau reads, and text made safe for a terminal.

Data files travel between colleagues through git, so reseau treats them as untrusted:
a file larger than ``MAX_FILE_BYTES`` is refused before it is parsed, and any text a
command prints passes through ``for_terminal``, which writes control characters
(escape sequences, carriage returns, bidirectional overrides) as visible escapes, so a
value can never move the cursor, retitle the window or hide what follows it.
Written by hand: the rules are a few character ranges, no library needed.
"""

from __future__ import annotations

import re

MAX_FILE_BYTES = 1024 * 1024  # a person file is a few kB; 1 MiB leaves room for decades
MAX_INT_DIGITS = 18  # no field needs more; int() of 4,300+ digits raises in Python 3.11

# C0 controls but tab and newline, DEL, C1 controls, bidirectional embeddings, overrides
# and isolates, line and paragraph separators, and lone surrogates (bytes that were not
# UTF-8, kept by Python's surrogateescape). Compiled by ``re`` when first used (about a
# millisecond each): most commands print only printable lines, or never a one-line message.
_UNSAFE_MULTILINE = (
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
_UNSAFE_LINE = "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, shown as that byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def for_terminal(text: str, *, multiline: bool = True) -> str:
    """``text`` with every character that could act on a terminal written as an escape.

    With ``multiline`` false, newlines and tabs are escaped too (one-line messages)."""
    if text.isprintable():  # no control, format or separator character at all
        return text
    return re.sub(_UNSAFE_MULTILINE if multiline else _UNSAFE_LINE, _escape, text)


def undecodable(text: str) -> bool:
    """True when ``text`` holds bytes that were not valid UTF-8 (surrogate escapes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def shorten(text: str, limit: int = 80) -> str:
    """``text`` cut to ``limit`` characters for an error message, with its length."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text)} characters)"
