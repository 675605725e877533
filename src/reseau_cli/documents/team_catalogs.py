"""A team's own translations for documents: ``locale/<lang>/LC_MESSAGES/reseau.po`` in the
data repository, the same way it overrides a template.

The file is compiled on the fly (``reseau.catalog``, no Babel) into the derived cache
under ``.git/reseau-cache/locale/`` (named by the hash of its text, so a changed file is
compiled again and an unchanged one never), and put in front of the built-in catalog:
a message the team translates takes its wording, every other keeps the built-in one.
A file that does not compile stops the document with one line naming it and the line.
"""

from __future__ import annotations

import gettext
import hashlib
import io
import os
from pathlib import Path

from reseau_cli.errors import CatalogInvalid, InvalidDocument, ReseauError
from reseau_cli.i18n import _
from reseau_cli.records import frozen
from reseau_cli.vcs.layout import LOCALE, TEAM_CATALOG

MAX_BYTES = 4 * 1024 * 1024


@frozen
class Compiled:
    """One team catalog, compiled: its path in the repository and how many messages."""

    path: str
    lang: str
    messages: int


def team_catalog(root: Path, lang: str) -> Path:
    return root / TEAM_CATALOG.format(lang=lang)


def stamp(root: Path, lang: str) -> tuple[int, int] | None:
    """What identifies the team catalog's current version (None when there is none)."""
    try:
        info = team_catalog(root, lang).lstat()
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def _text(root: Path, rel: str) -> str:
    from reseau_cli import store

    path = root / rel
    for parent in (root / LOCALE, *[root / p for p in Path(rel).parents if str(p) != "."]):
        if parent.is_symlink():
            raise CatalogInvalid(path=rel, line=1, reason=store.symlink())
    if path.is_symlink():
        raise CatalogInvalid(path=rel, line=1, reason=store.symlink())
    if path.stat().st_size > MAX_BYTES:
        raise CatalogInvalid(
            path=rel, line=1, reason=_("larger than {limit} MiB").format(limit=MAX_BYTES // 1024**2)
        )
    try:
        return store.read_text(path, display=rel)
    except InvalidDocument as exc:
        reason = exc.problems[0].message if exc.problems else str(exc)
        raise CatalogInvalid(path=rel, line=1, reason=reason) from None


def compiled(root: Path, lang: str) -> bytes | None:
    """The team catalog of LANG as ``.mo`` bytes (from the cache when unchanged), or None."""
    from reseau_cli import store, vcs
    from reseau_cli.catalog import CatalogError, compile_text

    rel = TEAM_CATALOG.format(lang=lang)
    if not os.path.lexists(root / rel):
        return None
    text = _text(root, rel)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]
    try:
        cache = vcs.git_dir(root) / "reseau-cache" / "locale" / f"{lang}-{digest}.mo"
    except (OSError, ReseauError):  # not a git repository: compile without keeping it
        cache = None
    if cache is not None and cache.is_file():
        return cache.read_bytes()
    try:
        data = compile_text(text, rel)
    except CatalogError as exc:
        raise CatalogInvalid(path=exc.path, line=exc.line, reason=exc.translated(_)) from None
    if cache is not None:
        try:
            for old in cache.parent.glob(f"{lang}-*.mo"):
                old.unlink()
            store.write_atomic(cache, data, display=str(cache))
        except (OSError, ReseauError):  # the cache is a convenience, never a reason to fail
            pass
    return data


def translations(root: Path, lang: str) -> gettext.NullTranslations:
    """The team's catalog of LANG in front of the built-in one (the built-in alone when
    the team has none)."""
    from reseau_cli.i18n import translations as builtin

    data = compiled(root, lang)
    if data is None:
        return builtin(lang)
    team = gettext.GNUTranslations(io.BytesIO(data))
    team.add_fallback(builtin(lang))
    return team


def compile_all(root: Path) -> list[Compiled]:
    """Compile every team catalog (``reseau templates compile``)."""
    from reseau_cli.catalog import parse

    found: list[Compiled] = []
    folder = root / LOCALE
    if not folder.is_dir() or folder.is_symlink():
        return found
    for lang_dir in sorted(p for p in folder.iterdir() if p.is_dir() and not p.is_symlink()):
        lang = lang_dir.name
        if compiled(root, lang) is None:
            continue
        rel = TEAM_CATALOG.format(lang=lang)
        entries = parse(_text(root, rel), rel)
        found.append(
            Compiled(rel, lang, sum(1 for e in entries if e.id and all(e.strings.values())))
        )
    return found
