"""The template engine: one sandboxed Jinja environment per repository.

A team's templates travel through git from one colleague to the next, so they are run
in Jinja's sandbox: they can read the view data they are given and nothing else. A
template in the repository's ``templates/`` folder overrides the built-in one with the
same name (``fr/plan.html.j2``…). Values are escaped for HTML in ``*.html.j2`` templates
and for Markdown in ``*.md.j2`` ones, so a name typed as ``<script>`` stays text.
Every compile or render failure becomes a ``TemplateError`` naming the file and line.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from reseau_cli import dates
from reseau_cli.errors import TemplateError
from reseau_cli.resources import data_dir

TEAM_FOLDER = "templates"
SUFFIX = ".j2"
LANGS = ("fr", "en")
# Characters that would turn a value into Markdown markup (CommonMark escapes them all).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
# Characters that would end a CSS string or, inside <style>, the element itself.
_CSS_SPECIAL = re.compile(r'["\\<>]')
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class TemplateInfo:
    """One template name and where it comes from."""

    name: str
    builtin: bool
    team: bool

    @property
    def source(self) -> str:
        if self.builtin and self.team:
            return "overridden by the team"
        return "team" if self.team else "built-in"


def builtin_dir() -> Path:
    return data_dir("templates")


def team_dir(root: Path) -> Path:
    return root / TEAM_FOLDER


def list_templates(root: Path) -> list[TemplateInfo]:
    """Every template name, built-in or the team's, and which the team overrides."""
    builtin = set(_names(builtin_dir()))
    team = set(_names(team_dir(root)))
    return [TemplateInfo(n, n in builtin, n in team) for n in sorted(builtin | team)]


def builtin_source(name: str) -> str:
    """The text of a built-in template, for a team to copy into its ``templates/``."""
    from reseau_cli.errors import UnknownId

    if name not in _names(builtin_dir()):
        raise UnknownId(kind="template", id=name, hint="`reseau render templates` lists them")
    return (builtin_dir() / name).read_text(encoding="utf-8")


def _names(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return [
        p.relative_to(folder).as_posix()
        for p in folder.rglob(f"*{SUFFIX}")
        if p.is_file() and not any(part.startswith(".") for part in p.parts)
    ]


def render(root: Path, name: str, data: dict[str, Any]) -> str:
    """Render template ``name`` with ``data`` (which must hold ``lang`` and ``today``).

    HTML templates escape on output (autoescape); Markdown templates receive data whose
    strings are already escaped, so that neither can forget it."""
    import jinja2
    from jinja2.sandbox import SecurityError

    env = environment(root)
    if ".md" in name:
        data = escape_tree(data)
    try:
        template = env.get_template(name)
        return template.render(data)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            template=_display(root, exc.filename, exc.name), line=exc.lineno, reason=exc.message
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            template=str(exc.name), line=None, reason="not found in templates/ nor built in"
        ) from None
    except SecurityError as exc:
        file, line = _where(root, exc)
        raise TemplateError(
            template=file or name, line=line, reason=f"not allowed in a template ({exc})"
        ) from None
    except jinja2.UndefinedError as exc:
        file, line = _where(root, exc)
        raise TemplateError(template=file or name, line=line, reason=str(exc.message)) from None
    except jinja2.TemplateError as exc:  # e.g. a runtime error raised by a tag
        file, line = _where(root, exc)
        raise TemplateError(template=file or name, line=line, reason=str(exc)) from None
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError) as exc:
        file, line = _where(root, exc)
        if file is None:  # not raised by a template: a bug in reseau itself
            raise
        raise TemplateError(
            template=file, line=line, reason=f"{type(exc).__name__}: {exc}"
        ) from None


def _display(root: Path, filename: str | None, name: str | None) -> str:
    """A template file as users know it: repository-relative, or "built-in NAME"."""
    if filename:
        path = Path(filename)
        for base, label in ((team_dir(root), "templates/"), (builtin_dir(), "built-in ")):
            try:
                return label + path.resolve().relative_to(base.resolve()).as_posix()
            except ValueError:
                continue
        return filename
    return name or "?"


def _where(root: Path, exc: BaseException) -> tuple[str | None, int | None]:
    """The innermost template file and line in a traceback Jinja rewrote."""
    found: tuple[str | None, int | None] = (None, None)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(SUFFIX):
            found = (_display(root, filename, None), tb.tb_lineno)
        tb = tb.tb_next
    return found


@cache
def _environment(team: str, builtin: str) -> Any:
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, pass_context
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(team), FileSystemLoader(builtin)]),
        autoescape=_is_html,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        date=pass_context(_date_filter),
        longdate=pass_context(_longdate_filter),
        time=pass_context(_time_filter),
        age=pass_context(_age_filter),
        when=pass_context(_when_filter),
        role=_role_filter,
        paragraphs=_paragraphs,
        phone_link=_phone_link,
        css_string=_css_string,
        de=_de,
        le=_le,
        la=_la,
        plural=pass_context(_plural),
    )
    return env


def environment(root: Path) -> Any:
    """The sandboxed environment for a repository (built once per process)."""
    return _environment(os.fspath(team_dir(root)), os.fspath(builtin_dir()))


def _is_html(name: str | None) -> bool:
    return name is not None and (name.endswith(".html" + SUFFIX) or name.endswith(".html"))


def md_escape(value: Any) -> str:
    """Text that Markdown shows as typed (no markup, no HTML, no table break)."""
    return _MD_SPECIAL.sub(r"\\\1", str(value))


def _finalize(value: Any) -> Any:
    """Every printed value: None prints nothing (view data uses None for "not known")."""
    return "" if value is None else value


def escape_tree(value: Any, escape: Any = md_escape) -> Any:
    """View data with every string escaped (for Markdown templates)."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, dict):
        return {key: escape_tree(item, escape) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [escape_tree(item, escape) for item in value]
    return value


# -- filters ----------------------------------------------------------------------------


def _lang(context: Any) -> str:
    """The document's language; in a macro imported without context, the template's folder."""
    lang = context.get("lang") or (context.name or "").partition("/")[0]
    return lang if lang in LANGS else "fr"


def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dates.parse(str(value))


def _date_filter(context: Any, value: Any, style: str = "medium") -> str:
    """A date in the document's language: ``30 nov. 2026`` (medium), ``full``, ``short``."""
    from babel.dates import format_date

    day = _as_date(value)
    if day is None:
        return ""
    lang = _lang(context)
    text = format_date(day, format=style, locale=lang)
    if lang == "fr" and day.day == 1 and style in ("medium", "long", "full"):
        text = re.sub(r"\b1 ", "1er ", text, count=1)  # « 1er décembre », as written in French
    return text


def _longdate_filter(context: Any, value: Any) -> str:
    """« mardi 1 décembre 2026 » / « Tuesday, December 1, 2026 »."""
    return _date_filter(context, value, "full")


def _time_filter(context: Any, value: Any) -> str:
    """``14:00`` as people write it in the document's language (``14:00`` / ``2:00 PM``)."""
    from babel.dates import format_time

    if not value:
        return ""
    hours, minutes = (int(x) for x in str(value).split(":"))
    return format_time(dt.time(hours, minutes), format="short", locale=_lang(context))


def _when_filter(context: Any, meeting: Any) -> str:
    """A meeting's day and time: « jeudi 10 décembre 2026 à 14:30 »."""
    text = _longdate_filter(context, meeting["date"])
    if meeting.get("time"):
        joiner = " à " if _lang(context) == "fr" else " at "
        text += joiner + _time_filter(context, meeting["time"])
    return text


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

    text = _CONTROL.sub(" ", ("" if value is None else str(value)) + suffix)
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
