"""Jinja filters of the document templates: dates and times in the document's
language, ages, roles, paragraphs, phone links, CSS strings, French articles that
elide (« d’Inès ») and words that agree in number (« 1 an », « 2 ans »).

They are pure functions of the value (and, for those marked ``pass_context``, the
document's language and date); ``render`` installs them in the sandboxed environment.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from reseau_cli import dates

LANGS = ("fr", "en", "nl")  # the languages documents are written in (catalogs + English)
# Characters that would end a CSS string or, inside <style>, the element itself.
_CSS_SPECIAL = re.compile(r'["\\<>]')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def all_filters() -> dict[str, Any]:
    """Every filter by the name templates use."""
    from jinja2 import pass_context

    return {
        "date": pass_context(_date_filter),
        "longdate": pass_context(_longdate_filter),
        "time": pass_context(_time_filter),
        "age": pass_context(_age_filter),
        "when": pass_context(_when_filter),
        "role": _role_filter,
        "paragraphs": _paragraphs,
        "phone_link": _phone_link,
        "email": _email,
        "css_string": _css_string,
        "css_counters": _css_counters,
        "de": pass_context(_de_filter),
        "le": _le,
        "la": _la,
        "plural": pass_context(_plural),
    }


def _lang(context: Any) -> str:
    """The document's language: the data's ``lang``, else (in a macro imported without
    context) the language of the environment, else the template's folder."""
    lang = (
        context.get("lang")
        or context.get("document_lang")
        or (context.name or "").partition("/")[0]
    )
    return lang if lang in LANGS else "fr"


# Babel's locale (CLDR data: names of days and months, date patterns) for each language:
# documents in English are in British English (« Thursday, 10 December 2026 », « 14:30 »),
# as the care networks reseau serves write it; Dutch is Belgian Dutch.
LOCALES = {"fr": "fr_FR", "en": "en_GB", "nl": "nl_BE"}
# The country of a team's time zone picks the variant of French or Dutch (fr_BE, nl_NL…).
_COUNTRIES = {
    "Europe/Brussels": "BE",
    "Europe/Paris": "FR",
    "Europe/Luxembourg": "LU",
    "Europe/Amsterdam": "NL",
    "Europe/Zurich": "CH",
    "America/Montreal": "CA",
    "America/Toronto": "CA",
}


def locale_for(lang: str, timezone: str | None = None) -> str:
    """The CLDR locale of documents in LANG for a team in TIMEZONE: ``fr_BE`` for a team
    in Brussels, ``fr_FR`` in Paris; English is always ``en_GB``."""
    from babel.localedata import exists

    country = _COUNTRIES.get(timezone or "")
    if lang != "en" and country and exists(f"{lang}_{country}"):
        return f"{lang}_{country}"
    return LOCALES.get(lang, LOCALES["en"])


def _locale(context: Any) -> str:
    chosen = context.get("locale")
    return chosen if isinstance(chosen, str) and chosen else LOCALES[_lang(context)]


def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dates.parse(str(value))


def _date_filter(context: Any, value: Any, style: str = "medium") -> str:
    """A date in the document's language: ``30 nov. 2026`` (medium), ``full``, ``short``."""
    day = _as_date(value)
    if day is None:
        return ""
    return _formatted_day(day, style, _locale(context), _lang(context))


@functools.lru_cache(maxsize=4096)
def _formatted_day(day: dt.date, style: str, locale: str, lang: str) -> str:
    """Babel's date, made once per day, style and locale (a batch writes the same dates
    in thousands of documents, and CLDR formatting is slow)."""
    from babel.dates import format_date

    text: str = format_date(day, format=style, locale=locale)
    if lang == "fr" and day.day == 1 and style in ("medium", "long", "full"):
        text = re.sub(r"\b1 ", "1er ", text, count=1)  # « 1er décembre », as written in French
    return text


def _longdate_filter(context: Any, value: Any) -> str:
    """« mardi 1er décembre 2026 » / « Tuesday 1 December 2026 »."""
    return _date_filter(context, value, "full")


def _time_filter(context: Any, value: Any) -> str:
    """``14:00`` as people write it in the document's language (24-hour in both)."""
    from babel.dates import format_time

    if not value:
        return ""
    hours, minutes = (int(x) for x in str(value).split(":"))
    return format_time(dt.time(hours, minutes), format="short", locale=_locale(context))


def _when_filter(context: Any, meeting: Any) -> str:
    """A meeting's day and time: « jeudi 10 décembre 2026 à 14:30 »."""
    from reseau_cli.i18n import gettext_in

    day = _longdate_filter(context, meeting["date"])
    if not meeting.get("time"):
        return day
    time = _time_filter(context, meeting["time"])
    return gettext_in(_lang(context), "{day} at {time}").format(day=day, time=time)


_EMAIL_PART = re.compile(r"[^@.]*[@.]|[^@.]+$")


def _email(value: Any) -> Any:
    """An e-mail address (HTML) that wraps only after « @ » or a dot: each part is kept
    whole (never cut at its own hyphen, never hyphenated), a <wbr> between parts."""
    from markupsafe import Markup, escape

    text = "" if value is None else str(value)
    parts = _EMAIL_PART.findall(text) or [text]
    inner = Markup("<wbr>").join(Markup('<span class="nobr">%s</span>') % escape(p) for p in parts)
    return Markup('<span class="email">%s</span>') % inner


def _role_filter(card: Any, person_word: str = "") -> str:
    """What someone does around the person: their role, else their profession."""
    if card.get("is_person"):
        return person_word
    return card.get("role") or card.get("profession") or ""


def _age_filter(context: Any, value: Any) -> int | str:
    """Age in whole years on the document date; empty when it cannot be right (no or
    malformed date, born later, or more than ``dates.MAX_AGE`` years ago)."""
    from reseau_cli.errors import InvalidDate

    try:
        born = _as_date(value)
        on = _as_date(context.get("today")) or dates.today()
    except InvalidDate:
        return ""
    if born is None:
        return ""
    years = dates.plausible_age(born.isoformat(), on)
    return "" if years is None else years


def _paragraphs(value: Any) -> Any:
    """Multi-line text as HTML paragraphs, escaped (blank lines split paragraphs)."""
    from markupsafe import Markup, escape

    if not value:
        return Markup("")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", str(value)) if b.strip()]
    html = [
        Markup("<p>{}</p>").format(Markup("<br>\n").join(escape(line) for line in b.splitlines()))
        for b in blocks
    ]
    return Markup("\n").join(html)


def _css_string(value: Any, suffix: str = "") -> Any:
    """``value`` + ``suffix`` as a quoted CSS string, for ``content:`` in a ``<style>``.

    CSS escapes, not HTML ones (a ``<style>`` element does not decode ``&#39;``): quotes,
    backslashes and ``<``/``>`` become ``\\22 ``, ``\\5c ``, ``\\3c ``, ``\\3e ``, so no value
    can end the string or the element; line breaks and control characters become spaces."""
    from markupsafe import Markup

    text = _CONTROL.sub(" ", ("" if value is None else str(value)) + str(suffix))
    return Markup('"{}"'.format(_CSS_SPECIAL.sub(lambda m: f"\\{ord(m.group()):x} ", text)))


# -- French articles and plurals -------------------------------------------------------------


def _vowel_sound(text: str) -> bool:
    """Whether a French word or name starts with a vowel sound: a vowel (accented too),
    a mute h (« Hélène », « Henri »), or a y before a consonant (« Yves », not « Yasmine »)."""
    import unicodedata

    letters = [
        ch
        for ch in unicodedata.normalize("NFD", text.lstrip(" \t\"'«“‘\\*_([")[:3].casefold())
        if not unicodedata.combining(ch)
    ]
    if not letters:
        return False
    first, second = letters[0], letters[1] if len(letters) > 1 else ""
    if first in "aeiouœæ":
        return True
    if first == "h":
        return second in "aeiouyœæ" and second != ""
    if first == "y":
        return second != "" and second not in "aeiou"
    return False


def _css_counters(value: Any) -> Any:
    """A translated « page {page} of {pages} » as CSS ``content``: quoted text around
    ``counter(page)`` and ``counter(pages)``."""
    from markupsafe import Markup

    parts = re.split(r"(\{page\}|\{pages\})", str(value))
    out = []
    for part in parts:
        if part in ("{page}", "{pages}"):
            out.append(f"counter({part[1:-1]})")
        elif part:
            out.append(str(_css_string(part)))
    return Markup(" ".join(out))


def _de_filter(context: Any, value: Any) -> str:
    """In French, « de » and the name as French writes it (``_de``); in other languages,
    the name alone. Templates bind it as ``of_name`` in a ``{% trans %}``, so that the
    French catalog can write « autour %(of_name)s » (« autour d’Inès »)."""
    if _lang(context) != "fr":
        return "" if value is None else value
    return _de(value)


def _de(value: Any) -> str:
    """« de » before a name, elided or contracted as French writes it: « de Marcel »,
    « d’Inès », « d’Élise », « du Relais » (Le …), « des Jardins » (Les …)."""
    text = "" if value is None else value
    plain = str(text)
    for article, contracted in (("le ", "du "), ("les ", "des ")):
        if plain[: len(article)].casefold() == article:
            return contracted + text[len(article) :]
    return ("d’" if _vowel_sound(plain) else "de ") + text


def _le(value: Any) -> str:
    """« le » before a masculine word, elided before a vowel sound: « l’entretien »."""
    text = "" if value is None else value
    return ("l’" if _vowel_sound(str(text)) else "le ") + text


def _la(value: Any) -> str:
    """« la » before a feminine word, elided before a vowel sound: « l’évaluation »."""
    text = "" if value is None else value
    return ("l’" if _vowel_sound(str(text)) else "la ") + text


def _plural(context: Any, count: Any, one: str, other: str) -> str:
    """``count`` and the word that goes with it: « 1 an », « 0 an », « 2 ans »; in
    English « 1 year », « 0 years » (French treats 0 and 1 as singular)."""
    try:
        n = int(count)
    except (TypeError, ValueError):
        return f"{count} {other}"
    singular = n in (0, 1) if _lang(context) == "fr" else n == 1
    return f"{n} {one if singular else other}"


def _phone_link(value: Any) -> str:
    """A phone number as a ``tel:`` URI (digits and a leading +)."""
    text = str(value or "")
    return "tel:" + re.sub(r"[^0-9+]", "", text)


def format_day(value: Any, lang: str, style: str = "medium") -> str:
    """A date in language ``lang`` as the documents print it, for code outside templates."""
    return _date_filter({"lang": lang}, value, style)


def format_month(value: dt.date, lang: str) -> str:
    """« nov. 2026 » / « Nov 2026 »: a month on a time axis."""
    from babel.dates import format_date

    return format_date(value, format="MMM y", locale=LOCALES.get(lang, "en_GB"))
