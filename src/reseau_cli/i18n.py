"""Translated terminal messages: ``_()`` and ``ngettext()`` over gettext catalogs.

Every user-facing sentence the CLI prints goes through ``_("… {name} …").format(name=…)``:
whole sentences with named placeholders, never concatenated fragments, plurals with
``ngettext``. The catalogs live in ``reseau_cli/locale/<lang>/LC_MESSAGES/reseau.mo``; while a
language has none, the English source is shown. The language is chosen once per process by
``set_language`` (the CLI decides from ``RESEAU_LANG``, the team's setting, then ``LANG``).
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "reseau"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_current: gettext.NullTranslations | None = None
_language = "en"


def set_language(language: str) -> None:
    """Use LANGUAGE's catalog for every later message (English when it has none)."""
    global _current, _language
    _language = language
    _current = gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=[language], fallback=True
    )


def language() -> str:
    """The language messages are shown in."""
    if _current is None:
        set_language(_from_environment())
    return _language


def _from_environment() -> str:
    chosen = os.environ.get("RESEAU_LANG", "").strip()
    return chosen.split("_")[0].split(".")[0].lower() if chosen else "en"


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
