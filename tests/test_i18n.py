"""One set of templates translated by gettext catalogs: the catalogs are in step with the
code, teams override a template for every language or for one, the sandbox stays."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ok, refused
from render_case import MARCEL, write

pytest_plugins = ["render_fixtures"]  # the `seed` and `repo` fixtures

ROOT = Path(__file__).resolve().parent.parent


def test_catalogs_are_in_step_with_the_code_and_templates() -> None:
    """`make catalogs` was run after the last message changed (make test checks it too)."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "catalogs.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_every_message_has_every_form_in_every_shipped_catalog() -> None:
    """French and Dutch are complete: no message, and no plural form of one (French has
    three in CLDR's rules), is left empty to fall back to English."""
    from babel.messages.pofile import read_po

    from reseau_cli.i18n import LOCALE_DIR

    empty = []
    for po in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/reseau.po")):
        with po.open("rb") as f:
            catalog = read_po(f)
        for message in catalog:
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.id and not all(forms):
                empty.append(f"{po.parts[-3]}: {message.id!r}")
    assert not empty, empty


def test_built_in_templates_are_one_set() -> None:
    templates = ROOT / "templates"
    assert (templates / "plan.md.j2").is_file()
    assert not (templates / "fr").exists() and not (templates / "en").exists()


def test_the_same_template_renders_in_french_and_in_english(repo: Path) -> None:
    fr = ok("render", "plan", MARCEL, "--lang", "fr").stdout
    en = ok("render", "plan", MARCEL, "--lang", "en").stdout
    assert fr.startswith("# Plan d’accompagnement — Marcel Janssens")
    assert "- Naissance : 3 mai 1940 (86 ans)" in fr
    assert en.startswith("# Support plan — Marcel Janssens")
    assert "- Born: 3 May 1940 (aged 86)" in en


def test_a_team_template_for_every_language_uses_the_catalogs(repo: Path) -> None:
    write(
        repo,
        "templates/network.md.j2",
        "{% trans name=person.name %}Network sheet — {{ name }}{% endtrans +%}\n{{ _('Phone') }}\n",
    )
    assert ok("render", "network", MARCEL, "--lang", "fr").stdout == (
        "Fiche réseau — Marcel Janssens\nTéléphone\n"
    )
    assert ok("render", "network", MARCEL, "--lang", "en").stdout == (
        "Network sheet — Marcel Janssens\nPhone\n"
    )


def test_a_team_template_for_one_language_wins_in_that_language_only(repo: Path) -> None:
    write(repo, "templates/fr/base.html.j2", "<p>maison</p>{% block content %}{% endblock %}\n")
    fr = ok("render", "network", MARCEL, "--lang", "fr", "-f", "html").stdout
    en = ok("render", "network", MARCEL, "--lang", "en", "-f", "html").stdout
    assert fr.startswith("<p>maison</p>")
    assert en.startswith("<!DOCTYPE html>") and "maison" not in en


def test_an_older_team_template_still_finds_the_words(repo: Path) -> None:
    """Written for the per-language layout: `fr/labels.j2` is now the one set's labels."""
    write(
        repo,
        "templates/fr/plan.md.j2",
        '{% import "fr/labels.j2" as L %}{{ L.kind.carer }} / {{ L.action_status.done }}\n',
    )
    assert ok("render", "plan", MARCEL).stdout == "Famille et proches aidants / réalisée\n"


def test_translation_functions_do_not_open_the_sandbox(repo: Path) -> None:
    write(repo, "templates/plan.md.j2", "{{ _.__globals__ }}\n")
    refused(
        repo,
        "render",
        "plan",
        MARCEL,
        "--lang",
        "en",
        match="template templates/plan.md.j2, line 1: not allowed in a template",
    )


def test_documents_in_dutch_with_belgian_dates(repo: Path) -> None:
    plan = ok("render", "plan", MARCEL, "--lang", "nl").stdout
    assert plan.startswith("# Zorgplan — Marcel Janssens")
    assert "opgemaakt op zaterdag 28 november 2026" in plan
    assert "- Geboren: 3 mei 1940 (86 jaar)" in plan
    assert "## Overleg en herevaluaties" in plan
    minutes = ok("render", "minutes", MARCEL, "--lang", "nl").stdout
    assert "- **Datum**: donderdag 5 november 2026 om 10:00" in minutes
    assert "- **Mantelzorgers**: Luc Janssens" in minutes
    html = ok("render", "network", MARCEL, "--lang", "nl", "-f", "html").stdout
    assert '<html lang="nl">' in html and "Netwerkfiche" in html
    assert 'content: "pagina " counter(page) " van " counter(pages)' in html


def test_an_unknown_language_is_refused_with_the_languages(repo: Path) -> None:
    refused(
        repo,
        "render",
        "plan",
        MARCEL,
        "--lang",
        "de",
        match="unknown language 'de': documents are written in en, fr, nl",
    )


def test_init_in_dutch(tmp_path: Path) -> None:
    ok("init", str(tmp_path / "team"), "--team", "Netwerk Oost", "--lang", "nl")
    assert "lang: nl\n" in (tmp_path / "team" / "reseau.yaml").read_text()


def test_the_team_country_picks_the_variant_of_the_language() -> None:
    from reseau_cli.documents.filters import locale_for

    assert locale_for("fr", "Europe/Brussels") == "fr_BE"
    assert locale_for("fr", "Europe/Paris") == "fr_FR"
    assert locale_for("nl", "Europe/Brussels") == "nl_BE"
    assert locale_for("nl", "Europe/Amsterdam") == "nl_NL"
    assert locale_for("nl", "Asia/Tokyo") == "nl_BE"
    assert locale_for("en", "Europe/Brussels") == "en_GB"  # English is British everywhere


def test_the_terminal_language_chain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """RESEAU_LANG, else the team's lang, else LC_ALL/LC_MESSAGES/LANG, else English."""
    from reseau_cli.i18n import terminal_language

    team = tmp_path / "team"
    (team / "persons").mkdir(parents=True)
    (team / "reseau.yaml").write_text("format: 1\nteam: T\nlang: nl  # Brussels\n")
    monkeypatch.chdir(team / "persons")
    for name in ("RESEAU_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    assert terminal_language() == "nl"  # the nearest reseau.yaml upward
    monkeypatch.setenv("RESEAU_LANG", "fr")
    assert terminal_language() == "fr"
    monkeypatch.setenv("RESEAU_LANG", "de")  # no catalog: as if unset
    assert terminal_language() == "nl"
    monkeypatch.delenv("RESEAU_LANG")
    monkeypatch.chdir(tmp_path)  # no data repository here
    monkeypatch.setenv("LANG", "fr_BE.UTF-8")
    assert terminal_language() == "fr"
    monkeypatch.setenv("LC_ALL", "C")
    assert terminal_language() == "en"
    assert terminal_language(team) == "nl"  # --repo names the team


TEAM_PO = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgid "Support plan — %(name)s"
msgstr "Projet d’accompagnement — %(name)s"
"""


def test_a_team_corrects_a_translation_with_its_own_po(repo: Path) -> None:
    write(repo, "locale/fr/LC_MESSAGES/reseau.po", TEAM_PO)
    plan = ok("render", "plan", MARCEL, "--lang", "fr").stdout
    assert plan.startswith("# Projet d’accompagnement — Marcel Janssens")
    assert "## Objectifs et actions" in plan  # every other message: the built-in catalog
    assert ok("render", "plan", MARCEL, "--lang", "en").stdout.startswith("# Support plan")
    cached = list((repo / ".git" / "reseau-cache" / "locale").glob("fr-*.mo"))
    assert len(cached) == 1  # compiled on the fly, kept under .git/
    done = ok("templates", "compile")
    assert "Compiled locale/fr/LC_MESSAGES/reseau.po: 1 message." in done.stderr


def test_a_team_po_that_does_not_compile_is_named_with_its_line(repo: Path) -> None:
    write(
        repo,
        "locale/fr/LC_MESSAGES/reseau.po",
        TEAM_PO + '\nmsgid "Born: %(born)s"\nmsgstr "Né le %(date)s"\n',
    )
    message = (
        "locale/fr/LC_MESSAGES/reseau.po:10: the translation uses date, "
        "which its message does not have"
    )
    refused(repo, "render", "plan", MARCEL, "--lang", "fr", match=message)
    refused(repo, "templates", "compile", match=message)
    assert ok("render", "plan", MARCEL, "--lang", "en").stdout.startswith("# Support plan")
    write(repo, "locale/fr/LC_MESSAGES/reseau.po", 'msgid "a"\nmsgstr "b\n')
    refused(
        repo,
        "render",
        "plan",
        MARCEL,
        match='locale/fr/LC_MESSAGES/reseau.po:2: cannot read this line: msgstr "b',
    )


def test_the_parsed_catalog_is_kept_and_read_back_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command does not parse the catalog's 1,700 messages again: the parsed catalog
    is kept in the user's cache and read back with the same messages and plural rule;
    a damaged copy is made again."""
    from reseau_cli import i18n

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    i18n.translations.cache_clear()
    try:
        parsed = i18n.translations("fr")
        [kept] = (tmp_path / "reseau").glob("catalog-fr-*.marshal")
        for damage in (None, b"\x00garbage"):
            if damage is not None:
                kept.write_bytes(damage)
            i18n.translations.cache_clear()
            again = i18n.translations("fr")
            assert again._catalog == parsed._catalog  # type: ignore[attr-defined]
            assert [again.plural(n) for n in range(4)] == [parsed.plural(n) for n in range(4)]  # type: ignore[attr-defined]
            assert again.gettext("Nothing found.") == parsed.gettext("Nothing found.") != ""
            assert again.ngettext("{count} match.", "{count} matches.", 2) == "{count} résultats."
    finally:
        i18n.translations.cache_clear()


def test_a_kept_catalog_compiles_its_plural_rule_when_first_asked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read back from the cache, a catalog compiles its plural rule (``gettext.c2py``)
    only when a plural is asked for, once; the kept catalog is named by the BLAKE2b of
    the catalog's bytes and of the Python that wrote it."""
    import gettext
    import hashlib
    import marshal
    import sys

    from reseau_cli import i18n

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    i18n.translations.cache_clear()
    compiled: list[str] = []
    c2py = gettext.c2py
    monkeypatch.setattr(gettext, "c2py", lambda e: (compiled.append(e), c2py(e))[1])
    try:
        i18n.translations("fr")  # parsed, and kept
        # The catalog read: the .po, or the .mo `make catalogs` wrote when it is not older.
        po, mo = (i18n.LOCALE_DIR / "fr" / "LC_MESSAGES" / f"reseau.{e}" for e in ("po", "mo"))
        fresh = mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime
        source = (mo if fresh else po).read_bytes()
        python = f"{sys.version_info[:3]}|{marshal.version}".encode()
        name = hashlib.blake2b(source + python, digest_size=12).hexdigest()
        assert [p.name for p in (tmp_path / "reseau").glob("catalog-fr-*")] == [
            f"catalog-fr-{name}.marshal"
        ]
        i18n.translations.cache_clear()
        compiled.clear()
        kept = i18n.translations("fr")
        assert kept.gettext("Nothing found.") != "Nothing found."
        assert compiled == []
        assert kept.ngettext("{count} match.", "{count} matches.", 2) == "{count} résultats."
        assert kept.ngettext("{count} match.", "{count} matches.", 1) == "{count} résultat."
        assert len(compiled) == 1
    finally:
        i18n.translations.cache_clear()
