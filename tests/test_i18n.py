"""One set of templates translated by gettext catalogs: the catalogs are in step with the
code, teams override a template for every language or for one, the sandbox stays."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
