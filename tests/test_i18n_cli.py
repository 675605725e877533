"""The terminal in the team's language: help, usage errors and messages in English, French
and Dutch, in real processes (the language is chosen once per process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "reseau_cli" / "locale"
RESEAU = Path(sys.executable).parent / "reseau"  # the console script, as users run it


def run(*args: str, lang: str | None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`reseau ARGS` in a new process, with RESEAU_LANG=LANG (unset for None) and no
    locale of the machine's."""
    env = {k: v for k, v in os.environ.items() if k not in ("RESEAU_LANG", "LANGUAGE")}
    env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8")
    if lang is not None:
        env["RESEAU_LANG"] = lang
    return subprocess.run(
        [str(RESEAU), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
    )


def one_line(text: str) -> str:
    return " ".join(text.split())


HELP = {
    "en": {
        (): [
            "Usage: reseau [OPTIONS] COMMAND [ARGS]...",
            "Options:",
            "Commands:",
            "-h, --help Show this message and exit.",
            "person Accompanied persons: add, list, show, edit, close, reopen, export.",
            "--repo DIR The data repository (default: RESEAU_REPO, else the nearest one upward).",
        ],
        ("person",): [
            "Usage: reseau person [OPTIONS] COMMAND [ARGS]...",
            "add Create a person file; prints the new id alone on stdout.",
            "close End the accompaniment; the file and its history stay.",
        ],
        ("person", "add"): [
            "Usage: reseau person add [OPTIONS]",
            "--family-name TEXT Family name. [required]",
            "--since DATE Accompanied since YYYY-MM-DD (default: today).",
        ],
    },
    "fr": {
        (): [
            "Usage : reseau [OPTIONS] COMMAND [ARGS]...",
            "Options :",
            "Commandes :",
            "-h, --help Afficher ce message et quitter.",
            "person Personnes accompagnées : ajouter, lister, afficher, modifier, clôturer, "
            "rouvrir, exporter.",
            "coordinator Coordination : le référent et l’organisateur des concertations.",
            "--repo DIR Le dépôt de données (par défaut : RESEAU_REPO, sinon le plus proche "
            "en remontant).",
        ],
        ("person",): [
            "Usage : reseau person [OPTIONS] COMMAND [ARGS]...",
            "close Clôturer l’accompagnement ; le dossier et son historique restent.",
        ],
        ("person", "add"): [
            "Usage : reseau person add [OPTIONS]",
            "Créer le dossier d’une personne ; affiche le nouvel identifiant seul sur la "
            "sortie standard.",
            "--family-name TEXT Nom de famille. [obligatoire]",
            "--since DATE Accompagnée depuis le AAAA-MM-JJ (par défaut : aujourd’hui).",
        ],
    },
    "nl": {
        (): [
            "Gebruik: reseau [OPTIONS] COMMAND [ARGS]...",
            "Opties:",
            "Opdrachten:",
            "-h, --help Dit bericht tonen en afsluiten.",
            "plan Het zorgplan: doelstellingen, acties (wie doet wat tegen wanneer), "
            "herevaluaties.",
            "coordinator Zorgcoördinatie: de zorgcoördinator en de overlegorganisator.",
        ],
        ("person",): [
            "Gebruik: reseau person [OPTIONS] COMMAND [ARGS]...",
            "close De begeleiding afsluiten; het dossier en de geschiedenis blijven.",
        ],
        ("person", "add"): [
            "Gebruik: reseau person add [OPTIONS]",
            "Een persoonsdossier aanmaken; toont alleen de nieuwe id op stdout.",
            "--family-name TEXT Familienaam. [verplicht]",
            "--since DATE Begeleid sinds JJJJ-MM-DD (standaard: vandaag).",
        ],
    },
}


@pytest.mark.parametrize("lang", ["en", "fr", "nl"])
@pytest.mark.parametrize("command", [(), ("person",), ("person", "add")], ids=" ".join)
def test_help_follows_the_terminal_language(lang: str, command: tuple[str, ...]) -> None:
    result = run(*command, "--help", lang=lang)
    assert result.returncode == 0, result.stderr
    shown = one_line(result.stdout)
    for phrase in HELP[lang][command]:
        assert one_line(phrase) in shown, (phrase, result.stdout)
    if lang != "en":
        assert "Show this message and exit." not in shown
        assert "Accompanied since" not in shown


def test_a_usage_error_is_one_translated_line() -> None:
    result = run("person", "add", "--given-name", "Marcel", lang="fr")
    assert result.returncode == 2
    assert result.stderr == (
        "erreur : Option manquante : '--family-name' ; usage : reseau person add [OPTIONS] "
        "(reseau person add -h pour l’aide)\n"
    )
    unknown = run("person", "list", "--nope", lang="nl")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("fout: Onbekende optie: --nope")
    assert unknown.stderr.count("\n") == 1
    extra = run("person", "list", "a", "b", lang="fr")
    assert extra.returncode == 2
    assert extra.stderr.startswith(
        "erreur : Argument(s) en trop (a b) ; usage : reseau person list"
    )
    assert run("person", "list", "a", lang="en").stderr.startswith(
        "error: Got unexpected extra argument(s) (a); usage: reseau person list [OPTIONS]"
    )


def test_a_group_alone_shows_its_help_in_the_language() -> None:
    result = run("person", lang="fr")
    assert result.returncode == 2
    assert result.stderr.startswith("Usage : reseau person [OPTIONS] COMMAND [ARGS]...\n")
    assert "\\x0a" not in result.stderr


def test_a_dutch_team_gets_dutch_help_without_reseau_lang(tmp_path: Path) -> None:
    assert run("init", str(tmp_path / "team"), "--lang", "nl", lang="en").returncode == 0
    inside = run("person", "add", "--help", lang=None, cwd=tmp_path / "team")
    assert "Gebruik: reseau person add [OPTIONS]" in inside.stdout
    assert "Familienaam." in inside.stdout
    error = run("person", "add", lang=None, cwd=tmp_path / "team")
    assert error.stderr.startswith("fout: Ontbrekende optie: '--family-name'; gebruik:")
    # --repo names the team from anywhere, before the help is shown
    named = run("--repo", str(tmp_path / "team"), "plan", "--help", lang=None, cwd=tmp_path)
    assert "Het zorgplan: doelstellingen, acties" in named.stdout
    root = run("--repo", str(tmp_path / "team"), "--help", lang=None, cwd=tmp_path)
    assert root.stdout.startswith("Gebruik: reseau [OPTIONS]")
    # RESEAU_LANG wins over the team's language
    assert (
        "Usage: reseau person add"
        in run("person", "add", "--help", lang="en", cwd=tmp_path / "team").stdout
    )


def _help_texts() -> list[tuple[str, str]]:
    """Every help text the command tree shows: (where, English text)."""
    from reseau_cli.cli import COMMANDS, HIDDEN, command_tree

    texts = [(f"COMMANDS[{name!r}]", line) for name, (_, line) in COMMANDS.items()]
    texts = [(where, line) for where, line in texts if line]

    def walk(command: object, path: str) -> None:
        if not getattr(command, "hidden", False) and path.split(" ")[-1] not in HIDDEN:
            for attribute in ("help", "short_help", "epilog"):
                if text := getattr(command, attribute, None):
                    texts.append((f"{path} {attribute}", text))
            for param in getattr(command, "params", []):
                if getattr(param, "help", None) and not getattr(param, "hidden", False):
                    texts.append((f"{path} {param.name}", param.help))
        for name, child in (getattr(command, "commands", None) or {}).items():
            walk(child, f"{path} {name}")

    walk(command_tree(), "reseau")
    return texts


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_every_help_text_is_translated(lang: str) -> None:
    import inspect

    from reseau_cli.i18n import gettext_in

    untranslated = [
        f"{where}: {text[:70]!r}"
        for where, text in _help_texts()
        if gettext_in(lang, inspect.cleandoc(text)) == inspect.cleandoc(text)
        and text.strip(" .") not in ("Options", "Arguments", "HH:MM", "Profession")
    ]
    assert not untranslated, "\n".join(untranslated)


@pytest.mark.parametrize("lang", ["fr", "nl"])
def test_the_catalogs_translate_every_message_of_the_terminal(lang: str) -> None:
    """No empty msgstr for a message of cli/ (help, headings, usage errors, messages)."""
    from reseau_cli.catalog import parse

    path = LOCALE / lang / "LC_MESSAGES" / "reseau.po"
    text = path.read_text("utf-8")
    entries = parse(text, str(path))
    lines = text.splitlines()
    empty = []
    for entry in entries:
        if not entry.id:
            continue
        comments = []
        number = entry.line - 2
        while number >= 0 and lines[number].startswith("#"):
            comments.append(lines[number])
            number -= 1
        from_cli = any("src/reseau_cli/cli/" in c for c in comments if c.startswith("#:"))
        if from_cli and not all(entry.strings.values()):
            empty.append(f"{path.name}:{entry.line}: {entry.id[:70]!r}")
    assert not empty, "\n".join(empty)
