"""Which file a template name means: the team's, the built-in one set, or a legacy copy.

Built-in templates are one set (``plan.md.j2``), written in English with ``{% trans %}``
and translated by the catalogs. A team overrides one for every language with
``templates/plan.md.j2``, or for one language with ``templates/fr/plan.md.j2`` (the layout
before the one set, which keeps working). In a document in language L, the name ``X``
(as in ``{% extends "base.html.j2" %}``) is looked up as: the team's ``L/X``, the team's
``X``, the built-in ``X``, then a built-in ``L/X`` or ``en/X`` not yet ported to the one
set. A name with a language, ``L/X`` (as older team templates write
``{% import "fr/labels.j2" as L %}``), is looked up as ``L/X`` (team, then built in), then
like ``X``; so such a template still finds the words, translated into the document's
language.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from reseau_cli.i18n import SOURCE_LANGUAGE

TEAM, BUILTIN = "team", "builtin"


def split(name: str) -> tuple[str | None, str]:
    """(language, rest) for ``fr/plan.md.j2``; (None, name) for a name without one."""
    head, sep, rest = name.partition("/")
    if sep and len(head) in (2, 3) and head.isalpha() and head.islower():
        return head, rest
    return None, name


def candidates(name: str, lang: str) -> list[tuple[str, str]]:
    """The (loader, name) pairs tried, in order, for ``name`` in a document in ``lang``."""
    prefix, rest = split(name)
    if prefix is not None:
        first = [(TEAM, name), (BUILTIN, name), (TEAM, rest), (BUILTIN, rest)]
        fallback = [] if prefix == SOURCE_LANGUAGE else [(BUILTIN, f"{SOURCE_LANGUAGE}/{rest}")]
        return first + fallback
    found = [(TEAM, f"{lang}/{name}"), (TEAM, name), (BUILTIN, name), (BUILTIN, f"{lang}/{name}")]
    if lang != SOURCE_LANGUAGE:
        found.append((BUILTIN, f"{SOURCE_LANGUAGE}/{name}"))
    return found


def one_set_name(name: str) -> str:
    """``plan.md.j2`` for ``fr/plan.md.j2``; other names unchanged."""
    return split(name)[1]


@cache
def _loader_class() -> type:
    from jinja2 import BaseLoader, TemplateNotFound

    class Layered(BaseLoader):
        """The team's loader and the built-in one, tried in ``candidates`` order."""

        def __init__(self, team: Any, builtin: Any, lang: str) -> None:
            self.loaders = {TEAM: team, BUILTIN: builtin}
            self.lang = lang

        def get_source(self, environment: Any, template: str) -> tuple[str, str | None, Any]:
            for which, name in candidates(template, self.lang):
                try:
                    return self.loaders[which].get_source(environment, name)
                except TemplateNotFound:
                    continue
            raise TemplateNotFound(template)

        def list_templates(self) -> list[str]:
            return []

    return Layered


def LayeredLoader(team: Any, builtin: Any, lang: str) -> Any:  # noqa: N802 - used like a class
    """The loader of a repository's templates over the built-in ones, for one language."""
    return _loader_class()(team, builtin, lang)
