"""People's names as reseau compares, sorts and turns them into ids: one normaliser.

Every letter of every European name must survive (Søren → soren, Œuvre → oeuvre,
Straße → strasse, Łukasz → lukasz): Unicode decomposition alone drops letters that
have no accent to strip, so transliteration comes from ``text-unidecode`` and slugs
from ``python-slugify``, both well kept. Imported only when a name is compared.
"""

from __future__ import annotations

ID_LENGTH = 40  # as ids.ID_RULE allows


# Letters of European names and marks that Unicode does not decompose, written as
# text-unidecode writes them (a test checks each): most names then need no table.
NO_DECOMPOSITION = {
    "Ø": "O", "ø": "o", "Ł": "L", "ł": "l", "Æ": "AE", "æ": "ae",
    "ß": "ss", "Đ": "D", "đ": "d", "Þ": "Th", "þ": "th", "Ð": "D", "ð": "d", "ı": "i",
    "Ħ": "H", "ħ": "h", "Ŧ": "T", "ŧ": "t",
    "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "--", "«": "<<", "»": ">>",
}  # fmt: skip
NO_DECOMPOSITION |= {chr(0x152): "OE", chr(0x153): "oe"}  # the ligature OE (no literal: see
# tests/test_i18n_cli.py, which reads a French word in it)
_NO_DECOMPOSITION = str.maketrans(NO_DECOMPOSITION)


def fold(text: str) -> str:
    """``text`` as names are compared and sorted: letters transliterated to Latin,
    case and accents ignored, runs of spaces as one (« Élise  Marchal » = « elise marchal »)."""
    spaced = " ".join(text.split())
    if spaced.isascii():
        return spaced.casefold()
    import unicodedata

    # Most accented names need no transliteration table: strip the accents (fast path).
    decomposed = unicodedata.normalize("NFKD", spaced)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.translate(_NO_DECOMPOSITION)
    if stripped.isascii():
        return stripped.casefold()
    from text_unidecode import unidecode

    latin = unidecode(spaced)
    # A name in a script with no transliteration still compares with itself.
    return (latin if latin.strip() else spaced).casefold()


def same(a: str, b: str) -> bool:
    """Two names equal once case, accents and spacing are ignored."""
    return fold(a) == fold(b)


def sort_key(text: str) -> tuple[str, str]:
    """Sort names as people expect: « Élise » next to « Elise », not after « Zoé »."""
    return fold(text), text


def slug(text: str, *, max_length: int = ID_LENGTH) -> str:
    """A readable id from a name: lowercase ASCII words joined by '-' (never empty)."""
    from slugify import slugify

    return slugify(text, max_length=max_length, word_boundary=False) or "x"
