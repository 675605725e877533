"""Every document in every shipped language: no message left in English where the
catalog should translate it, no placeholder left unfilled, no date left as YYYY-MM-DD."""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any

import pytest

from conftest import ok
from render_case import MARCEL

pytest_plugins = ["render_fixtures"]  # the `seed` and `repo` fixtures

LANGUAGES = ("fr", "nl")
DOCUMENTS = [
    ("plan", (), ("md", "html")),
    ("plan", ("--for", "person"), ("md", "html")),  # the easy-to-read plan
    ("network", (), ("md", "html")),
    ("invitation", (), ("md", "html", "ics")),
    ("minutes", (), ("md", "html")),  # the last held, with what changed since the previous
    ("minutes", ("c-synth",), ("md", "html")),  # the first one
    ("attendance", (), ("md", "html")),
]
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{[a-z_]+\}")
_ISO_DATE = re.compile(r"(?<![\w/-])\d{4}-\d{2}-\d{2}(?![\w/-])")
_ATTRIBUTE = re.compile(r'\w[\w-]*="[^"]*"')  # href, data-date…: for programs, not readers


class Recording(gettext.NullTranslations):
    """The catalog of a language, noting each message it has no translation for."""

    def __init__(self, real: Any, missing: set[str]) -> None:
        super().__init__()
        self.real, self.missing = real, missing

    def _has(self, key: Any) -> bool:
        catalog = getattr(self.real, "_catalog", {})
        return bool(catalog.get(key))

    def gettext(self, message: str) -> str:
        if not self._has(message):
            self.missing.add(message)
        return str(self.real.gettext(message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if not self._has((singular, 0)):
            self.missing.add(singular)
        return str(self.real.ngettext(singular, plural, n))

    def pgettext(self, context: str, message: str) -> str:
        if not self._has(f"{context}\x04{message}"):
            self.missing.add(f"{context}|{message}")
        return str(self.real.pgettext(context, message))

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        if not self._has((f"{context}\x04{singular}", 0)):
            self.missing.add(f"{context}|{singular}")
        return str(self.real.npgettext(context, singular, plural, n))


@pytest.fixture
def missing(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Messages rendered without a translation (documents only: a fresh environment)."""
    from reseau_cli import i18n
    from reseau_cli.documents import engine

    found: set[str] = set()
    real = i18n.translations
    monkeypatch.setattr(i18n, "translations", lambda lang: Recording(real(lang), found))
    engine._environment.cache_clear()
    yield found
    engine._environment.cache_clear()


def _problems(text: str, fmt: str = "html") -> list[str]:
    text = _ATTRIBUTE.sub("", text)
    found = [f"placeholder {m}" for m in _PLACEHOLDER.findall(text)]
    if fmt != "ics":  # a calendar event's dates are for calendar programs
        found += [f"ISO date {m}" for m in _ISO_DATE.findall(text)]
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_document_is_translated(repo: Path, missing: set[str], lang: str) -> None:
    problems = []
    for kind, extra, formats in DOCUMENTS:
        for fmt in formats:
            out = ok("render", kind, MARCEL, *extra, "--lang", lang, "--format", fmt).stdout
            problems += [f"{kind} {fmt}: {p}" for p in _problems(out, fmt)]
    ok("render", "all", "--out", str(repo.parent / "out"), "--lang", lang)
    for page in sorted((repo.parent / "out").rglob("*.html")):
        found = _problems(page.read_text("utf-8"))
        problems += [f"{page.name}: {p}" for p in found]
    assert not problems, problems
    assert not missing, f"untranslated in {lang}: {sorted(missing)}"


def test_english_documents_have_no_placeholder_or_iso_date(repo: Path) -> None:
    for kind, extra, formats in DOCUMENTS:
        for fmt in formats:
            out = ok("render", kind, MARCEL, *extra, "--lang", "en", "--format", fmt).stdout
            assert not _problems(out, fmt), (kind, fmt, _problems(out, fmt))
