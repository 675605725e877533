"""YAML text for a document without importing PyYAML: the exact bytes ``store.dump``
gets from PyYAML's C emitter (libyaml: block style, indent 2, width 100, unicode kept,
multi-line text as literal blocks), for the documents reseau writes.

Only what this module knows it writes exactly as libyaml does: mappings with short plain
keys, lists of scalars or mappings, text, integers, booleans and null. Anything else
(a float, a key to quote, a character libyaml escapes, a literal block with leading
spaces or kept final newlines…) makes ``dump`` answer None, and the caller asks PyYAML.
Scalars follow libyaml's rules: plain when the text reads back as the same text and has
no indicator, else single-quoted; plain and single-quoted text folded at a space once the
line passes 100 columns (``yaml_emitter_write_plain_scalar``). tests/test_yamlout.py
compares both writers on every example document and on thousands of hostile strings.
"""

from __future__ import annotations

import functools

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

WIDTH = 100
_INDENT = 2
# Characters libyaml's analysis may flag at the start of a scalar.
_FIRST_INDICATORS = frozenset("#,[]{}&*!|>'\"%@`?:-")
_KEY_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
_RESOLVED_FIRST = frozenset("yYnNtTfFoO-+0123456789.<~=")


class _Unknown(Exception):
    """Something this writer does not know it writes as libyaml does."""


def dump(doc: Any) -> str | None:
    """``store.dump(doc)``, or None when only PyYAML can tell."""
    if type(doc) is not dict or not doc:
        return None
    out: list[str] = []
    try:
        _tree(doc, set())
        _mapping(doc, 0, out, 0)
    except _Unknown:
        return None
    out.append("\n")
    return "".join(out)


def _tree(node: Any, seen: set[int]) -> None:
    """Only plain dicts and lists (PyYAML refuses their subclasses), each met once: one
    met twice, PyYAML writes with an anchor and an alias."""
    if isinstance(node, (dict, list)):
        if type(node) not in (dict, list) or id(node) in seen:
            raise _Unknown
        seen.add(id(node))
        for child in node.values() if isinstance(node, dict) else node:
            _tree(child, seen)


# Characters libyaml writes as they are that Python's ``str.isprintable`` does not
# count as printable (spaces of French typography), checked as a letter.
_PRINTABLE_SPACES = str.maketrans({"\xa0": "x", "\u2007": "x", "\u202f": "x"})


def _printable(text: str) -> bool:
    """Whether libyaml (allow_unicode) writes every character of ``text`` as it is.

    Python's printable characters below U+10000 are all printable for libyaml (which
    escapes what lies beyond, and controls, breaks, the BOM, non-characters, surrogates,
    which Python does not count as printable either)."""
    return (not text or max(text) < "\U00010000") and (
        text.isprintable() or text.translate(_PRINTABLE_SPACES).isprintable()
    )


def _key(key: object) -> str:
    if type(key) is str and key in _KEYS:
        return key
    if not isinstance(key, str) or not key or len(key) > 64 or not set(key) <= _KEY_CHARS:
        raise _Unknown
    if key[0] == "-":
        raise _Unknown
    if key[0] in _RESOLVED_FIRST and not _reads_as_text(key):
        raise _Unknown
    if type(key) is str and len(_KEYS) < _KEYS_KEPT:
        _KEYS.add(key)
    return key


# Keys found plain (the same few dozen come back in every document), up to a bound.
_KEYS: set[str] = set()
_KEYS_KEPT = 4096


def _mapping(doc: dict[Any, Any], indent: int, out: list[str], column: int) -> None:
    """A block mapping whose first key goes where ``column`` is (at ``indent``, or right
    after a sequence's dash); the others on lines of their own."""
    first = True
    for key, value in doc.items():
        name = _key(key)
        if not first:
            out.append("\n" + " " * indent)
            column = indent
        first = False
        out.append(name + ":")
        column += len(name) + 1
        _value(value, indent, out, column)


def _value(value: Any, indent: int, out: list[str], column: int) -> None:
    """The value of a mapping's key, written after ``key:`` (``column`` is past the colon)."""
    if isinstance(value, dict):
        if not value:
            out.append(" {}")
            return
        out.append("\n" + " " * (indent + _INDENT))
        _mapping(value, indent + _INDENT, out, indent + _INDENT)
    elif isinstance(value, list):
        if not value:
            out.append(" []")
            return
        _sequence(value, indent, out)  # indentless, as libyaml writes a mapping's list
    else:
        _scalar(value, indent + _INDENT, out, column)


def _sequence(items: list[Any], indent: int, out: list[str]) -> None:
    for item in items:
        out.append("\n" + " " * indent + "-")
        column = indent + 1
        if isinstance(item, dict):
            if not item:
                out.append(" {}")
                continue
            out.append(" ")
            _mapping(item, indent + _INDENT, out, column + 1)
        elif isinstance(item, list):
            raise _Unknown
        else:
            _scalar(item, indent + _INDENT, out, column)


def _scalar(value: Any, indent: int, out: list[str], column: int) -> None:
    """A scalar after an indicator (``key:`` or ``-``) that ends at ``column``; folded
    lines and literal lines start at ``indent``."""
    if value is None:
        out.append(" null")
    elif value is True:
        out.append(" true")
    elif value is False:
        out.append(" false")
    elif type(value) is int:
        out.append(" " + str(value))
    elif type(value) is str:
        if "\n" in value:
            _literal(value, indent, out)
        else:
            _text(value, indent, out, column)
    else:
        raise _Unknown


def _text(value: str, indent: int, out: list[str], column: int) -> None:
    """One line of text, plain or single-quoted, after a space; at a space past the
    width (not after or before another space; for quoted text, not its first or last
    character) the line breaks instead, as libyaml writes it."""
    if not _printable(value):
        raise _Unknown
    quote = "" if value and _plain_allowed(value) and _reads_as_text(value) else "'"
    body = value.replace("'", "''") if quote else value
    column += 1 + len(quote)
    if column + len(body) <= WIDTH + 1 or " " not in value:
        out.append(f" {quote}{body}{quote}")  # no space past the width: nothing to fold
        return
    line = [" ", quote]
    last = len(value) - 1
    at = 0  # in value
    while True:
        space = value.find(" ", at)
        word = value[at:] if space < 0 else value[at:space]
        if word:
            line.append(word.replace("'", "''") if quote else word)
            column += len(word) + (word.count("'") if quote else 0)
        if space < 0:
            break
        after = space > 0 and value[space - 1] == " "
        before = space < last and value[space + 1] == " "
        if not after and not before and column > WIDTH and (not quote or 0 < space < last):
            line.append("\n" + " " * indent)
            column = indent
        else:
            line.append(" ")
            column += 1
        at = space + 1
    line.append(quote)
    out.append("".join(line))


def _plain_allowed(value: str) -> bool:
    """libyaml's ``yaml_emitter_analyze_scalar``, for one line of safe characters and
    spaces: no leading or trailing space, no indicator."""
    if value[0] == " " or value[-1] == " ":
        return False
    if value.startswith(("---", "...")):
        return False
    first = value[0]
    if first in _FIRST_INDICATORS:
        follows_space = len(value) == 1 or value[1] == " "
        if first in "?:-":
            if follows_space:
                return False
        else:
            return False
    # Past the first character: a colon before a space or at the end, a hash after a
    # space (found at the first character too, they were refused above).
    return not (": " in value or value[-1] == ":" or " #" in value)


# Words PyYAML's resolver reads as booleans, null, a merge or a value (exact matches).
_WORDS = frozenset(
    [
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "~",
        "null",
        "Null",
        "NULL",
        "<<",
        "=",
    ]
)
# The characters of anything the number and date resolvers read (besides text).
_NUMERIC = frozenset("0123456789_-+.:eExXabcdfABCDFoOTtZinfINFaN \t")


def _reads_as_text(value: str) -> bool:
    """Whether PyYAML's resolver reads ``value``, written plain, back as text (not as a
    number, a date, a boolean, null…)."""
    if value[0] not in _RESOLVED_FIRST:
        return True
    if value in _WORDS:
        return False
    if value[0] not in "-+0123456789." or not set(value) <= _NUMERIC:
        return True
    if len(value) == 10 and value[4] == value[7] == "-" and _digits(value, 0, 1, 2, 3, 5, 6, 8, 9):
        return False  # a date: the timestamp resolver's first form
    if len(value) == 5 and value[2] == ":" and _digits(value, 0, 1, 3, 4):
        # A time of day: the integer resolver's base 60 when it starts with 1 to 9 and
        # its minutes with 0 to 5 (``[1-9][0-9_]*(?::[0-5]?[0-9])+``); else no resolver.
        return value[0] == "0" or value[3] > "5"
    return not any(pattern.match(value) for pattern in _numbers())


def _digits(value: str, *places: int) -> bool:
    """Whether ``value`` has an ASCII digit at each of ``places``."""
    return all("0" <= value[place] <= "9" for place in places)


@functools.cache
def _numbers() -> tuple[Any, ...]:
    """PyYAML's implicit resolvers of floats, integers and timestamps (yaml/resolver.py;
    their first characters are all in ``-+0123456789.``)."""
    import re

    return tuple(re.compile(pattern, re.X) for pattern in (_FLOAT, _INT, _TIMESTAMP))


_FLOAT = r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
            |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
            |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
            |[-+]?\.(?:inf|Inf|INF)
            |\.(?:nan|NaN|NAN))$"""
_INT = r"""^(?:[-+]?0b[0-1_]+
            |[-+]?0[0-7_]+
            |[-+]?(?:0|[1-9][0-9_]*)
            |[-+]?0x[0-9a-fA-F_]+
            |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$"""
_TIMESTAMP = r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
            |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
             (?:[Tt]|[ \t]+)[0-9][0-9]?
             :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
             (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$"""


def _literal(value: str, indent: int, out: list[str]) -> None:
    """``|`` or ``|-`` and the lines at ``indent`` (empty lines without spaces)."""
    if value[0] in " \n" or value.endswith("\n\n") or value == "\n":
        raise _Unknown  # an indentation hint, or kept final newlines: libyaml's own
    if " \n" in value or value.endswith(" "):
        raise _Unknown  # libyaml writes it double-quoted
    if not _printable(value.replace("\n", " ")):
        raise _Unknown
    body = value[:-1] if value.endswith("\n") else value
    out.append(" |" if value.endswith("\n") else " |-")
    pad = " " * indent
    for text in body.split("\n"):
        out.append("\n" + pad + text if text else "\n")
