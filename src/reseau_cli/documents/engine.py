"""The template engine: one sandboxed Jinja environment per repository.

A team's templates travel through git from one colleague to the next, so they are run
in Jinja's sandbox: they can read the view data they are given and nothing else. A
template in the repository's ``templates/`` folder overrides the built-in one with the
same name (``fr/plan.html.j2``…). Values are escaped for HTML in ``*.html.j2`` templates
and for Markdown in ``*.md.j2`` ones, so a name typed as ``<script>`` stays text.
Every compile or render failure becomes a ``TemplateError`` naming the file and line.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from reseau_cli.documents import filters
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
            template=_display(root, exc.filename, exc.name),
            line=exc.lineno,
            reason=exc.message or "syntax error",
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
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
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
    env.filters.update(filters.all_filters())
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
