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

import contextlib
import os
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    import gettext

DOMAIN = "reseau"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"

_current: gettext.NullTranslations | None = None
_language = SOURCE_LANGUAGE


@cache
def shipped_languages() -> tuple[str, ...]:
    """English and every language with a catalog in the package."""
    found = {
        p.parent.parent.name
        for pattern in (f"*/LC_MESSAGES/{DOMAIN}.po", f"*/LC_MESSAGES/{DOMAIN}.mo")
        for p in LOCALE_DIR.glob(pattern)
        if p.is_file()
    }
    return (SOURCE_LANGUAGE, *sorted(found))


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The built-in catalog of LANGUAGE (English, the source, when it has none): the
    compiled ``.mo`` (in the wheel, or written by ``make catalogs``) unless the ``.po`` is
    newer, as in a source checkout after a pull; then the ``.po`` compiled in memory."""
    import gettext  # when a message is first translated, not by every command

    folder = LOCALE_DIR / language / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if language == SOURCE_LANGUAGE or not (po.is_file() or mo.is_file()):
        return gettext.NullTranslations()
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        data = mo.read_bytes()
        return _parsed(language, data, lambda: data)
    text = po.read_bytes()
    return _parsed(language, text, lambda: _compiled(po, text))


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "reseau"


def _keep(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        pass  # a read-only cache: made again next time


def _parsed(language: str, source: bytes, mo: Callable[[], bytes]) -> gettext.GNUTranslations:
    """The catalog of ``source`` (a ``.po`` or ``.mo``'s bytes; ``mo`` gives the ``.mo``):
    parsing 1,700 messages in Python costs tens of milliseconds, so the parsed catalog
    is kept in the user's cache (marshal), named by the hash of ``source`` and of the
    Python that wrote it: any other catalog has another name."""
    import gettext
    import marshal
    import sys

    from reseau_cli.digest import name_of

    python = f"{sys.version_info[:3]}|{marshal.version}".encode()
    kept = _cache_dir() / f"catalog-{language}-{name_of(source, python)}.marshal"
    try:
        catalog, info, charset, plural = marshal.loads(kept.read_bytes())
        found = gettext.GNUTranslations()
        found._catalog, found._info, found._charset = catalog, info, charset  # type: ignore[attr-defined]
        # as gettext sets it: the catalog's rule, else the Germanic one
        found.plural = _plural_rule(plural) if plural else (lambda n: int(n != 1))  # type: ignore[attr-defined]
        return found
    except (OSError, EOFError, ValueError, TypeError):
        pass
    import io

    found = gettext.GNUTranslations(io.BytesIO(mo()))
    forms = found.info().get("plural-forms")
    plural = None
    with contextlib.suppress(IndexError):  # as gettext reads it
        plural = forms.split(";")[1].split("plural=")[1] if forms else None
    with contextlib.suppress(ValueError):
        _keep(
            kept,
            marshal.dumps(
                (found._catalog, found._info, found._charset, plural)  # type: ignore[attr-defined]
            ),
        )
    return found


def _plural_rule(expression: str) -> Callable[[int], int]:
    """The plural rule of a kept catalog, compiled (``gettext.c2py``, which checked it
    when the catalog was first parsed) when a plural is first asked for: most commands
    ask for none."""
    compiled: list[Callable[[int], int]] = []

    def plural(n: int) -> int:
        if not compiled:
            import gettext

            compiled.append(gettext.c2py(expression))
        return compiled[0](n)

    return plural


def _compiled(po: Path, text: bytes) -> bytes:
    """The ``.mo`` bytes of a ``.po`` without a fresh ``.mo`` (a source checkout)."""
    from reseau_cli.catalog import compile_text

    return compile_text(text.decode("utf-8"), str(po))


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
        set_language(terminal_language())
    return _language


def terminal_language(repo: Path | None = None) -> str:
    """The terminal's language: RESEAU_LANG, else the team's ``lang`` in ``reseau.yaml``
    (of REPO, else RESEAU_REPO, else the nearest one upward), else the locale (LC_ALL,
    LC_MESSAGES, LANG), else English; a language without a catalog counts as unset."""
    shipped = shipped_languages()
    for chosen in (
        _language_code(os.environ.get("RESEAU_LANG")),
        team_language(repo),
        _language_code(_locale_variable()),
    ):
        if chosen in shipped:
            return chosen
    return SOURCE_LANGUAGE


def _locale_variable() -> str | None:
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return value
    return None


def _language_code(value: str | None) -> str | None:
    """``fr`` for ``fr``, ``fr_BE.UTF-8`` or ``nl-BE``; None for nothing, ``C`` or ``POSIX``."""
    if not value:
        return None
    code = re.split(r"[_.@-]", value.strip(), maxsplit=1)[0].lower()
    return code if code.isalpha() and code not in ("c", "posix") else None


_TEAM_LANG = re.compile(r"""^lang:[ \t]*["']?([A-Za-z_-]+)["']?[ \t]*(?:#.*)?$""", re.M)


def team_language(repo: Path | None = None) -> str | None:
    """The ``lang`` of the team's ``reseau.yaml``, read without a YAML parser (the help of
    every command needs it, and must stay fast); None when there is none to read."""
    if repo is None and os.environ.get("RESEAU_REPO"):
        repo = Path(os.environ["RESEAU_REPO"])
    candidates = [repo] if repo is not None else [Path.cwd(), *Path.cwd().parents]
    for folder in candidates:
        settings = folder / "reseau.yaml"
        try:
            if not settings.is_file() or settings.is_symlink():
                continue
            with settings.open("rb") as f:
                text = f.read(65536).decode("utf-8", "replace")
        except OSError:
            return None
        found = _TEAM_LANG.search(text)
        return _language_code(found.group(1)) if found else None
    return None


def _translations() -> gettext.NullTranslations:
    if _current is None:
        set_language(terminal_language())
    assert _current is not None
    return _current


def _(message: str) -> str:
    """MESSAGE in the current language (the English source when untranslated)."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """SINGULAR or PLURAL for COUNT, in the current language."""
    return _translations().ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """MESSAGE in the current language, as said in CONTEXT (one English word that other
    languages write differently according to what it qualifies)."""
    return _translations().pgettext(context, message)


def N_(message: str) -> str:
    """MESSAGE unchanged, marked for the catalogs: a text translated later, when shown
    (the help of commands, written before the language is known)."""
    return message
