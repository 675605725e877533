"""Gettext catalogs read and compiled without Babel: ``.po`` text → ``.mo`` bytes.

The built-in catalogs are kept as ``.po`` only in git (a ``.mo`` is compiled from them:
into the wheel by the build hook, in memory in a source checkout), and a team's own
``locale/<lang>/LC_MESSAGES/reseau.po`` is compiled on the fly. Reading one must be
cheap and must not import Babel, so this is the small subset of the PO format that
catalogs use: comments, ``msgctxt``, ``msgid``, ``msgid_plural``, ``msgstr``,
``msgstr[N]``, continued strings and the usual escapes. A line it cannot read is a
``CatalogError`` naming the file and the line; a translation whose ``%(name)s`` or
``{name}`` placeholders are not among its message's is one too.
"""

from __future__ import annotations

import ast
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")\s*$')
_CONTINUED = re.compile(r'^(".*")\s*$')
_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{(\w+)\}")


def N_(message: str) -> str:
    """Mark MESSAGE for the catalogs; it is translated where the error is shown (this
    module compiles the catalogs the translations come from: it does not translate)."""
    return message


class CatalogError(Exception):
    """A catalog that cannot be compiled, with where."""

    def __init__(self, path: str, line: int, reason: str, **values: str) -> None:
        self.template, self.values = reason, values  # translated by whoever shows it
        self.reason = reason.format(**values) if values else reason
        super().__init__(f"{path}:{line}: {self.reason}")
        self.path, self.line = path, line

    def translated(self, translate: Callable[[str], str]) -> str:
        """The reason in another language: TRANSLATE (``i18n._``) applied to the sentence."""
        said = translate(self.template)
        return said.format(**self.values) if self.values else said


@dataclass
class Entry:
    """One message and its translation(s)."""

    line: int
    context: str | None = None
    id: str = ""
    plural: str | None = None
    strings: dict[int, str] = field(default_factory=dict)
    fuzzy: bool = False
    string_line: int = 0  # the line of its first msgstr


def _string(literal: str, path: str, line: int) -> str:
    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        raise CatalogError(
            path, line, N_("not a quoted string: {text}"), text=literal[:40]
        ) from None
    if not isinstance(value, str):
        raise CatalogError(path, line, N_("not a quoted string"))
    return value


def _put(entry: Entry, where: tuple[str, int | None], value: str, *, append: bool) -> None:
    """Set (or continue) the field WHERE of ENTRY."""
    kind, slot = where
    if kind == "context":
        entry.context = ((entry.context or "") if append else "") + value
    elif kind == "id":
        entry.id = (entry.id if append else "") + value
    elif kind == "plural":
        entry.plural = ((entry.plural or "") if append else "") + value
    else:
        assert slot is not None
        entry.strings[slot] = (entry.strings.get(slot, "") if append else "") + value


_FIELDS = {"msgctxt": "context", "msgid": "id", "msgid_plural": "plural"}


def parse(text: str, path: str = "reseau.po") -> list[Entry]:
    """The entries of a PO file (the header is the entry with an empty id)."""
    entries: list[Entry] = []
    current: Entry | None = None
    where: tuple[str, int | None] | None = None
    fuzzy = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            fuzzy = fuzzy or (line.startswith("#,") and "fuzzy" in line)
            where = None
            continue
        found = _KEYWORD.match(line)
        more = None if found else _CONTINUED.match(line)
        if found:
            keyword, index = found.group(1), found.group(2)
            awaiting_id = current is not None and where == ("context", None)
            if keyword == "msgctxt" or (keyword == "msgid" and not awaiting_id):
                current = Entry(line=number, fuzzy=fuzzy)
                entries.append(current)
                fuzzy = False
            if current is None:
                raise CatalogError(path, number, N_("{keyword} before msgid"), keyword=keyword)
            where = (
                _FIELDS.get(keyword, "str"),
                int(index or 0) if keyword[:6] == "msgstr" else None,
            )
            _put(current, where, _string(found.group(3), path, number), append=False)
            if where[0] == "str" and not current.string_line:
                current.string_line = number
        elif more and where is not None and current is not None:
            _put(current, where, _string(more.group(1), path, number), append=True)
        else:
            raise CatalogError(path, number, N_("cannot read this line: {text}"), text=line[:60])
    for entry in entries:
        if not entry.strings:
            raise CatalogError(path, entry.line, N_("a message without msgstr"))
    return entries


def _names(text: str) -> set[str]:
    return {a or b for a, b in _PLACEHOLDER.findall(text)}


def check(entries: list[Entry], path: str = "reseau.po") -> None:
    """Raise CatalogError at the first translation with a placeholder its message lacks."""
    for entry in entries:
        if not entry.id:
            continue
        allowed = _names(entry.id) | _names(entry.plural or "")
        for text in entry.strings.values():
            unknown = sorted(_names(text) - allowed)
            if text and unknown:
                raise CatalogError(
                    path,
                    entry.string_line or entry.line,
                    N_("the translation uses {names}, which its message does not have"),
                    names=", ".join(unknown),
                )


def compile_mo(entries: list[Entry]) -> bytes:
    """The GNU ``.mo`` bytes of the translated, non-fuzzy entries (and the header)."""
    pairs: dict[bytes, bytes] = {}
    for entry in entries:
        strings = [entry.strings[i] for i in sorted(entry.strings)]
        if entry.id and (entry.fuzzy or not all(strings)):
            continue
        key = entry.id
        if entry.plural is not None:
            key += "\0" + entry.plural
        if entry.context is not None:
            key = entry.context + "\x04" + key
        pairs[key.encode("utf-8")] = "\0".join(strings).encode("utf-8")
    keys = sorted(pairs)
    ids = b"".join(k + b"\0" for k in keys)
    strs = b"".join(pairs[k] + b"\0" for k in keys)
    count = len(keys)
    start_ids = 7 * 4 + 16 * count
    start_strs = start_ids + len(ids)
    offsets_ids, offsets_strs = [], []
    position = 0
    for k in keys:
        offsets_ids += [len(k), start_ids + position]
        position += len(k) + 1
    position = 0
    for k in keys:
        offsets_strs += [len(pairs[k]), start_strs + position]
        position += len(pairs[k]) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, count, 7 * 4, 7 * 4 + count * 8, 0, 0)
    table = struct.pack(f"{4 * count}i", *offsets_ids, *offsets_strs)
    return header + table + ids + strs


def compile_text(text: str, path: str = "reseau.po") -> bytes:
    """A PO file's text as ``.mo`` bytes, checked (CatalogError names file and line)."""
    entries = parse(text, path)
    check(entries, path)
    return compile_mo(entries)
