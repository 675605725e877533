"""The template engine: one sandboxed Jinja environment per repository.

A team's templates travel through git from one colleague to the next, so they are run
in Jinja's sandbox: they can read the view data they are given and nothing else. The
built-in templates are one set translated by the message catalogs (Jinja's ``i18n``
extension: ``{% trans %}``, ``_()``), so there is one environment per repository and
language. A template in the repository's ``templates/`` folder overrides the built-in
one with the same name (``plan.html.j2``, or ``fr/plan.html.j2`` for French only; see
``lookup``). Values are escaped for HTML in ``*.html.j2`` templates
and for Markdown in ``*.md.j2`` ones, so a name typed as ``<script>`` stays text.
Every compile or render failure becomes a ``TemplateError`` naming the file and line.

Team templates are read only as regular files inside ``templates/`` (never through a
symbolic link, which git would carry to every clone), and a document's rendering is
bounded: ``range`` items, the size of ``*`` and ``**`` results and of the output, and
``RENDER_SECONDS`` of time, so a template that loops forever stops with one line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from reseau_cli.documents import filters
from reseau_cli.documents.limits import OverBudget as _OverBudget
from reseau_cli.documents.limits import generate as _generate
from reseau_cli.documents.limits import time_budget as _time_budget
from reseau_cli.errors import TemplateError
from reseau_cli.resources import data_dir

TEAM_FOLDER = "templates"
SUFFIX = ".j2"
LANGS = filters.LANGS  # the languages documents are written in
# Characters that would turn a value into Markdown markup (CommonMark escapes them all).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


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
    return [
        TemplateInfo(n, n in builtin or _one_set_name(n) in builtin, n in team)
        for n in sorted(builtin | team)
    ]


def _one_set_name(name: str) -> str:
    """``plan.md.j2`` for a legacy per-language name such as ``fr/plan.md.j2``."""
    from reseau_cli.documents.lookup import one_set_name

    return one_set_name(name)


def builtin_source(name: str) -> str:
    """The text of a built-in template, for a team to copy into its ``templates/``."""
    from reseau_cli.errors import UnknownId
    from reseau_cli.i18n import _

    names = _names(builtin_dir())
    found = name if name in names else _one_set_name(name)
    if found not in names:
        raise UnknownId(
            _("unknown template {id}; `reseau render templates` lists them").format(id=repr(name)),
            id=name,
        )
    return (builtin_dir() / found).read_text(encoding="utf-8")


def _names(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return [
        p.relative_to(folder).as_posix()
        for p in folder.rglob(f"*{SUFFIX}")
        if p.is_file() and not any(part.startswith(".") for part in p.parts)
    ]


def render(root: Path, name: str, data: dict[str, Any]) -> str:
    """Render template ``name`` with ``data`` (which must hold ``lang`` and ``today``),
    translated into ``data["lang"]``: ``plan.md.j2``, or ``fr/plan.md.j2`` to let a team's
    French-only override win (see ``lookup``).

    HTML templates escape on output (autoescape); Markdown templates receive data whose
    strings are already escaped, so that neither can forget it."""
    import jinja2
    from jinja2.sandbox import SecurityError

    from reseau_cli.i18n import _

    env = environment(root, data["lang"])
    if ".md" in name:  # language and locale are codes the filters read, not text
        data = {**escape_tree(data), **{k: data[k] for k in ("lang", "locale") if k in data}}
    try:
        template = env.get_template(name)
        with _time_budget():
            return _generate(template, data)
    except _OverBudget as exc:
        file, line = _where(root, exc)
        raise TemplateError(
            template=file or name,
            line=line,
            reason=_("rendering stopped: {reason}").format(reason=exc),
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            template=_display(root, exc.filename, exc.name),
            line=exc.lineno,
            reason=exc.message or _("syntax error"),
        ) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError(
            template=str(exc.name), line=None, reason=_("not found in templates/ nor built in")
        ) from None
    except SecurityError as exc:
        file, line = _where(root, exc)
        raise TemplateError(
            template=file or name,
            line=line,
            reason=_("not allowed in a template ({reason})").format(reason=exc),
        ) from None
    except jinja2.UndefinedError as exc:
        file, line = _where(root, exc)
        raise TemplateError(template=file or name, line=line, reason=str(exc.message)) from None
    except jinja2.TemplateError as exc:  # e.g. a runtime error raised by a tag
        file, line = _where(root, exc)
        raise TemplateError(template=file or name, line=line, reason=str(exc)) from None
    except (
        TypeError,
        ValueError,
        LookupError,
        AttributeError,
        ArithmeticError,
        RecursionError,
    ) as exc:
        file, line = _where(root, exc)
        if file is None:  # not raised by a template: a bug in reseau itself
            raise
        raise TemplateError(
            template=file,
            line=line,
            reason=": ".join((type(exc).__name__, str(exc))),  # Python's words, as raised
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
def _environment(team: str, builtin: str, lang: str, catalog: Any = None) -> Any:
    """CATALOG: the version of the team's catalog of LANG (None: it has none)."""
    from jinja2 import FileSystemLoader, StrictUndefined

    from reseau_cli.documents.limits import BoundedEnvironment, TeamLoader
    from reseau_cli.documents.lookup import LayeredLoader
    from reseau_cli.documents.team_catalogs import translations

    env = BoundedEnvironment(
        loader=LayeredLoader(TeamLoader(team), FileSystemLoader(builtin), lang),
        extensions=["jinja2.ext.i18n"],
        autoescape=_is_html,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["ext.i18n.trimmed"] = True  # {% trans %} blocks: whitespace as one space
    env.install_gettext_translations(translations(Path(team).parent, lang), newstyle=True)
    env.filters.update(filters.all_filters())
    env.globals["document_lang"] = lang
    return env


def environment(root: Path, lang: str) -> Any:
    """The sandboxed environment for a repository and language (built once per process)."""
    from reseau_cli.documents.team_catalogs import stamp

    return _environment(
        os.fspath(team_dir(root)), os.fspath(builtin_dir()), lang, stamp(root, lang)
    )


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
