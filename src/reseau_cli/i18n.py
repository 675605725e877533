"""Translated messages: ``_()`` and ``ngettext()`` for the terminal, catalogs for documents.

Every user-facing sentence the CLI prints goes through ``_("… {name} …").format(name=…)``:
whole sentences with named placeholders, never concatenated fragments, plurals with
``ngettext``. Documents use the same catalogs through Jinja's i18n extension
(``{% trans %}``, ``_()``), in the document's language, which may differ from the
terminal's (``render --lang nl`` in an English terminal).

The catalogs live in ``reseau_cli/locale/<lang>/LC_MESSAGES/reseau.po`` and are compiled to
``reseau.mo`` beside them by ``make catalogs`` (``scripts/catalogs.py``); English is the
source language and has no catalog. The terminal's language is chosen once per process
by ``set_language`` (the CLI decides from ``RESEAU_LANG``, the team's setting, then the
locale, else English).
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

DOMAIN = "reseau"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"

_current: gettext.NullTranslations | None = None
_language = SOURCE_LANGUAGE


def shipped_languages() -> tuple[str, ...]:
    """English and every language with a compiled catalog in the package."""
    found = sorted(
        p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo") if p.is_file()
    )
    return (SOURCE_LANGUAGE, *found)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The built-in catalog of LANGUAGE (English, the source, when it has none)."""
    return gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=[language], fallback=True
    )


def gettext_in(language: str, message: str) -> str:
    """MESSAGE in LANGUAGE, whatever the terminal's language (for documents)."""
    return translations(language).gettext(message)


def set_language(language: str) -> None:
    """Use LANGUAGE's catalog for every later message (English when it has none)."""
    global _current, _language
    _language = language
    _current = translations(language)


def language() -> str:
    """The language messages are shown in."""
    if _current is None:
        set_language(_from_environment())
    return _language


def _from_environment() -> str:
    chosen = os.environ.get("RESEAU_LANG", "").strip()
    return chosen.split("_")[0].split(".")[0].lower() if chosen else SOURCE_LANGUAGE


def _translations() -> gettext.NullTranslations:
    if _current is None:
        set_language(_from_environment())
    assert _current is not None
    return _current


def _(message: str) -> str:
    """MESSAGE in the current language (the English source when untranslated)."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """SINGULAR or PLURAL for COUNT, in the current language."""
    return _translations().ngettext(singular, plural, count)
