"""The terminal in the team's language: help, usage errors and messages in English, French
and Dutch, in real processes (the language is chosen once per process)."""

from __future__ import annotations

import ast
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from conftest import no_identity

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "reseau_cli" / "locale"
RESEAU = Path(sys.executable).parent / "reseau"  # the console script, as users run it


def run(
    *args: str, lang: str | None, cwd: Path | None = None, **env_vars: str
) -> subprocess.CompletedProcess[str]:
    """`reseau ARGS` in a new process, with RESEAU_LANG=LANG (unset for None) and no
    locale of the machine's."""
    env = {k: v for k, v in os.environ.items() if k not in ("RESEAU_LANG", "LANGUAGE")}
    env.update(LC_ALL="C.UTF-8", LANG="C.UTF-8", **env_vars)
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
            "--since DATE Début de l’accompagnement, AAAA-MM-JJ (par défaut : aujourd’hui).",
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


def test_an_invalid_value_is_said_in_the_language() -> None:
    fr = run("log", "-n", "0", lang="fr")
    assert fr.returncode == 2
    assert fr.stderr.startswith(
        "erreur : Valeur invalide pour '-n' / '--number' : 0 n’est pas dans l’intervalle "
        "autorisé : 1 ou plus ; usage : reseau log"
    )
    nl = run("log", "-n", "abc", lang="nl")
    assert nl.stderr.startswith(
        "fout: Ongeldige waarde voor '-n' / '--number': 'abc' is geen geheel getal; gebruik:"
    )
    en = run("log", "-n", "0", lang="en")
    assert en.stderr.startswith(
        "error: Invalid value for '-n' / '--number': 0 is not in the range 1 or more; usage:"
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
    after = run("--help", "--repo", str(tmp_path / "team"), lang=None, cwd=tmp_path)
    assert after.stdout.startswith("Gebruik: reseau [OPTIONS]")
    # and so does RESEAU_REPO
    env = run("plan", "--help", lang=None, cwd=tmp_path, RESEAU_REPO=str(tmp_path / "team"))
    assert "Het zorgplan: doelstellingen, acties" in env.stdout
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


def _team(tmp_path: Path, lang: str) -> Path:
    root = tmp_path / f"team-{lang}"
    assert run("init", str(root), "--lang", lang, "--team", "Test", lang="en").returncode == 0
    return root


def test_messages_follow_the_team_language_and_data_does_not(tmp_path: Path) -> None:
    team = _team(tmp_path, "nl")
    empty = run("person", "list", lang=None, cwd=team)
    assert empty.stderr == "Nog geen persoon: voeg er een toe met `reseau person add`.\n"
    added = run(
        "person", "add", "--family-name", "Janssens", "--given-name", "Marcel", lang=None, cwd=team
    )
    assert added.returncode == 0, added.stderr
    pid = added.stdout.strip()
    assert pid.startswith("p-")  # the id alone on stdout, in every language
    listed = run("person", "list", lang=None, cwd=team)
    assert listed.stdout.split("\n")[0].split() == ["id", "naam", "zorgcoördinator"] + [
        "volgende",
        "herevaluatie",
    ]
    closed = run("person", "close", pid, "--reason", "verhuisd", lang=None, cwd=team)
    assert closed.stderr == f"Begeleiding van {pid} afgesloten.\n"
    assert run("person", "list", lang=None, cwd=team).stderr == (
        "Geen actieve persoon; 1 afgesloten: `reseau person list --all` toont die.\n"
    )
    # JSON, ids, keys and exit codes are the same in every language
    as_json = {lang: run("person", "list", "--all", "--json", lang=lang, cwd=team) for lang in HELP}
    assert as_json["en"].stdout == as_json["fr"].stdout == as_json["nl"].stdout
    assert '"status": "closed"' in as_json["nl"].stdout
    missing = {lang: run("person", "show", "p-nobody", lang=lang, cwd=team) for lang in HELP}
    assert {result.returncode for result in missing.values()} == {1}


def test_french_confirmations_and_hints(tmp_path: Path) -> None:
    team = _team(tmp_path, "fr")
    pid = run(
        "person", "add", "--family-name", "Peeters", "--given-name", "Simone", lang="fr", cwd=team
    ).stdout.strip()
    objective = run(
        "plan", "objective", "add", pid, "Rester à la maison", lang="fr", cwd=team
    ).stdout.strip()
    shown = run("plan", "show", pid, lang="fr", cwd=team)
    assert shown.stdout.startswith(
        f"Plan de {pid} : dernière réévaluation —, prochaine réévaluation —\n"
    )
    assert objective in shown.stdout
    heading = run("person", "list", lang="fr", cwd=team).stdout.split("\n")[0].split()
    assert heading == ["identifiant", "nom", "référent", "prochaine", "réévaluation"]
    status = run("status", lang="fr", cwd=team)
    assert "Urgent (1)" in status.stdout or "Rien ne demande" in status.stderr
    check = run("check", lang="fr", cwd=team)
    assert check.stdout == (
        "OK : 1 dossier(s) de personne, 0 fiche(s) d’intervenant vérifié(s), aucun problème.\n"
    )


# French in a string literal of the code is a message to move to the catalogs. The few
# strings below are data, not messages: French grammar the document filters apply, the
# official sources of the French and Belgian instruments, an example a team would type
# in a form. Anything else fails the test, with its file and line.
FRENCH_ALLOWED = {
    "src/reseau_cli/documents/filters.py": {
        "de",
        "le",
        "la",
        "les ",
        "le ",
        "la ",
        "du ",
        "des ",
        "de ",
        "d’",
        "l’",
        "aeiouœæ",
        "aeiouyœæ",
    },
    "src/reseau_cli/model/aggir.py": {
        "CASF annexe 2-2 (décret 97-427; guide: décret 2008-821)",
        "Code de l'action sociale et des familles, annexes 2-1 and 2-2 (France)",
    },
    "src/reseau_cli/model/katz.py": {
        "INAMI/RIZIV, échelle d'évaluation (Katz), arrêté royal du 3 juillet 1996, art. 150",
    },
    "src/reseau_cli/operations/concertation_form.py": {
        '# optional, e.g. - {text: "Appeler le CPAS", by: person, due: 2026-12-15}',
    },
}
# Words that are French and not English (not « son », « ce » or « plus »).
FRENCH_WORDS = [
    "à",
    "âge",
    "après",
    "au",
    "aux",
    "avec",
    "ces",
    "cette",
    "chez",
    "dans",
    "de",
    "des",
    "du",
    "elle",
    "est",
    "et",
    "être",
    "il",
    "la",
    "le",
    "les",
    "leur",
    "mais",
    "même",
    "nous",
    "ou",
    "où",
    "par",
    "pas",
    "pour",
    "que",
    "qui",
    "sa",
    "ses",
    "sont",
    "sur",
    "très",
    "une",
    "vous",
    "votre",
]
_FRENCH = re.compile(
    r"[àâçéèêëîïôûùœ]|\b(?:" + "|".join(FRENCH_WORDS) + r")\b|\b[dlnsj]['’]\w", re.IGNORECASE
)


def _literals(path: Path) -> list[tuple[int, str]]:
    """Every string literal of a module (f-strings' text parts too), docstrings aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        if id(node) not in docstrings
    ]


def test_no_french_word_in_the_code_outside_the_catalogs() -> None:
    """Messages, help and the demo's data are not French in a .py file: English in the
    code, French in the .po catalogs (and the demo's words in examples/demo.yaml)."""
    files = sorted((ROOT / "src" / "reseau_cli").rglob("*.py")) + sorted(
        (ROOT / "scripts").glob("*.py")
    )
    found = [
        f"{rel}:{line}: {text[:80]!r}"
        for path in files
        for rel in [path.relative_to(ROOT).as_posix()]
        for line, text in _literals(path)
        if _FRENCH.search(text) and text not in FRENCH_ALLOWED.get(rel, ())
    ]
    assert not found, "French in the code (write English, translate in the .po):\n" + "\n".join(
        found
    )


def test_the_scan_finds_french() -> None:
    """The scan above would see a French message if one were written."""
    for message in (
        "Dossier clôturé",
        "aucune personne dans le réseau",
        "l'équipe",
        "Rien à faire",
    ):
        assert _FRENCH.search(message), message
    for english in ("No person yet: add one with `reseau person add`.", "Sent to the team."):
        assert not _FRENCH.search(english), english


def test_bad_languages_are_named(tmp_path: Path) -> None:
    refused = run("render", "plan", "p-x", "--lang", "xx", lang="en", cwd=_team(tmp_path, "nl"))
    assert refused.returncode == 1
    assert refused.stderr == "error: unknown language 'xx': documents are written in en, fr, nl\n"
    team = _team(tmp_path, "fr")
    settings = team / "reseau.yaml"
    settings.write_text(settings.read_text().replace("lang: fr", "lang: xx"))
    check = run("check", lang="en", cwd=team)
    assert check.returncode == 1
    assert "reseau.yaml: line 3 ($.lang): 'xx' is not one of ['fr', 'en', 'nl']" in check.stdout
    assert "Usage: reseau check" in run("check", "-h", lang=None, cwd=team).stdout  # English


def test_check_names_a_team_catalog_that_does_not_compile(tmp_path: Path) -> None:
    team = _team(tmp_path, "fr")
    po = team / "locale" / "nl" / "LC_MESSAGES" / "reseau.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid "Support plan — %(name)s"\nmsgstr "Zorgplan — %(naam)s"\n')
    check = run("check", lang="en", cwd=team)
    assert check.returncode == 1
    assert check.stdout == (
        "locale/nl/LC_MESSAGES/reseau.po: line 2: the translation uses naam, "
        "which its message does not have\n"
    )
    po.write_text('msgid "a"\nmsgstr "b\n')
    assert run("check", lang="en", cwd=team).stdout.startswith(
        'locale/nl/LC_MESSAGES/reseau.po: line 2: cannot read this line: msgstr "b'
    )
    po.write_text('msgid "Support plan — %(name)s"\nmsgstr "Zorgplan voor %(name)s"\n')
    assert run("check", lang="en", cwd=team).returncode == 0


def _demo() -> ModuleType:
    spec = importlib.util.spec_from_file_location("demo", ROOT / "scripts" / "demo.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_demo_renders_the_plan_in_each_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`make demo` on a machine with no git identity: Marcel's plan in en, fr and nl."""
    no_identity(monkeypatch)
    monkeypatch.delenv("RESEAU_LANG", raising=False)  # the terminal speaks the team's French
    demo = _demo()
    team = demo.build_team_repository(tmp_path)
    plans = demo.languages(team, tmp_path / "documents")
    assert list(plans) == ["en", "fr", "nl"]
    titles = {lang: path.read_text(encoding="utf-8") for lang, path in plans.items()}
    assert "Support plan" in titles["en"]
    assert "Plan d’accompagnement" in titles["fr"]
    assert "Zorgplan" in titles["nl"]
    shown = capsys.readouterr().out
    assert f"$ reseau render plan p-m4rc3l --lang nl --format html -o {plans['nl']}" in shown
    assert f"Écrit : {plans['nl']}" in shown  # the team's language in the terminal
