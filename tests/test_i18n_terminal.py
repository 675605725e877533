"""The terminal speaks the team's language: what reseau raises or prints outside the CLI
layer (refusals, validation problems, git and sync errors) is translated, as whole
sentences with their placeholders filled; exit codes and ids never change.

Each command runs as a real process with RESEAU_LANG set, as a coordinator's shell runs it.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import git
from render_case import MARCEL

pytest_plugins = ["render_fixtures"]  # the `seed` and `repo` fixtures

SRC = Path(__file__).resolve().parent.parent / "src" / "reseau_cli"
CONCERTATION = "c-synth"  # one of Marcel's concertations in the render case


def reseau(
    cwd: Path, *args: str, lang: str, drop: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RESEAU_LANG": lang}
    for name in drop:
        env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "reseau_cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def said(result: subprocess.CompletedProcess[str]) -> str:
    return result.stderr.strip()


# --- exact sentences ------------------------------------------------------------------


def test_an_unknown_person_in_french_and_in_dutch(repo: Path) -> None:
    fr = reseau(repo, "person", "show", "p-nobody", lang="fr")
    nl = reseau(repo, "person", "show", "p-nobody", lang="nl")
    en = reseau(repo, "person", "show", "p-nobody", lang="en")
    assert fr.returncode == nl.returncode == en.returncode == 1
    assert (
        "personne inconnue 'p-nobody' ; `reseau person list --all` affiche les identifiants"
        in said(fr)
    )
    assert "onbekende persoon 'p-nobody'; `reseau person list --all` toont de id’s" in said(nl)
    assert "unknown person 'p-nobody'; `reseau person list --all` shows the ids" in said(en)


def test_sync_without_a_remote(repo: Path) -> None:
    fr = said(reseau(repo, "sync", lang="fr"))
    assert "ce dépôt n’a aucun dépôt distant git avec lequel se synchroniser" in fr
    assert "`reseau share CHEMIN_OU_URL`, puis relancez `reseau sync`" in fr
    nl = said(reseau(repo, "sync", lang="nl"))
    assert "deze opslagplaats heeft geen externe git-opslagplaats om mee te synchroniseren" in nl


def test_an_impossible_date(repo: Path) -> None:
    args = ("person", "add", "--family-name", "Peeters", "--given-name", "Anna")
    fr = reseau(repo, *args, "--birth-date", "1940-02-30", lang="fr")
    assert fr.returncode == 1
    assert (
        "--birth-date invalide '1940-02-30' : une date réelle au format AAAA-MM-JJ est attendue"
        in said(fr)
    )
    nl = reseau(repo, *args, "--birth-date", "1940-02-30", lang="nl")
    assert (
        "ongeldige --birth-date '1940-02-30': verwacht wordt een bestaande datum als JJJJ-MM-DD"
        in said(nl)
    )


def test_a_file_changed_outside_reseau(repo: Path) -> None:
    path = repo / "persons" / f"{MARCEL}.yaml"
    path.write_text(path.read_text() + "# a hand edit\n")
    fr = reseau(repo, "plan", "objective", "add", MARCEL, "Sortir", lang="fr")
    assert fr.returncode == 1
    assert (
        f"persons/{MARCEL}.yaml a des modifications faites hors de reseau et non enregistrées "
        f"dans git ; enregistrez-les d’abord (`git commit persons/{MARCEL}.yaml`)"
    ) in said(fr)


def test_no_git_identity(repo: Path) -> None:
    drop = ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL")
    nl = reseau(repo, "plan", "objective", "add", MARCEL, "Buiten", lang="nl", drop=drop)
    assert nl.returncode == 1
    assert 'geen git-identiteit: stel ze in met `git config user.name "Voornaam Naam"`' in said(nl)


def test_malformed_yaml_and_a_schema_violation(repo: Path) -> None:
    path = repo / "persons" / f"{MARCEL}.yaml"
    original = path.read_text()
    path.write_text(original.replace("status: active", "status: asleep", 1))
    git(repo, "commit", "-qam", "by hand")
    fr = said(reseau(repo, "person", "show", MARCEL, lang="fr"))
    assert "'asleep' ne fait pas partie de ['active', 'closed']" in fr
    assert f"; corrigez-le avec `reseau person edit {MARCEL}` ou à la main" in fr
    check = reseau(repo, "check", lang="nl").stdout
    assert f"persons/{MARCEL}.yaml: regel 3 ($.status): 'asleep' hoort niet bij" in check
    path.write_text("id: [unclosed\n")
    git(repo, "commit", "-qam", "by hand")
    fr = said(reseau(repo, "person", "show", MARCEL, lang="fr"))
    assert f"persons/{MARCEL}.yaml: ligne 2: YAML invalide : " in fr


def test_coordination_refusals_name_the_function(repo: Path) -> None:
    """Coordinator and concertation lead each have their own sentences."""
    args = (MARCEL, "sophie-delvaux")  # she left Marcel's network on 2026-10-01
    fr = said(reseau(repo, "coordinator", "lead", *args, lang="fr"))
    assert (
        f"la participation de 'sophie-delvaux' au réseau de {MARCEL} a pris fin le 2026-10-01 ; "
        "seul un membre actuel peut être pilote de la concertation"
    ) in fr
    nl = said(reseau(repo, "coordinator", "set", *args, lang="nl"))
    assert "enkel een huidig lid kan zorgcoördinator zijn" in nl
    nl = said(reseau(repo, "concertation", "cancel", MARCEL, "c-synth", "--reason", "x", lang="nl"))
    assert (
        "overleg c-synth heeft al plaatsgevonden; enkel een gepland overleg kan geannuleerd" in nl
    )


def test_check_lists_its_rules_in_the_language(repo: Path) -> None:
    path = repo / "persons" / f"{MARCEL}.yaml"
    text = path.read_text()
    assert "concertation_lead: elise-marchal" in text
    path.write_text(text.replace("concertation_lead: elise-marchal", "concertation_lead: ghost", 1))
    git(repo, "commit", "-qam", "by hand")
    fr = reseau(repo, "check", lang="fr")
    nl = reseau(repo, "check", lang="nl")
    en = reseau(repo, "check", lang="en")
    assert fr.returncode == nl.returncode == en.returncode == 1
    assert "($.coordination.concertation_lead): unknown intervenant 'ghost'" in en.stdout
    assert "($.coordination.concertation_lead): intervenant inconnu 'ghost'" in fr.stdout
    assert "($.coordination.concertation_lead): onbekende hulpverlener 'ghost'" in nl.stdout
    assert "ligne " in fr.stdout and "regel " in nl.stdout


def test_the_readme_shows_what_the_terminal_says(repo: Path) -> None:
    """The example of README "Languages", run: each line as printed (up to an ellipsis)."""
    text = (SRC.parent.parent / "README.md").read_text(encoding="utf-8")
    start = text.index("$ RESEAU_LANG=fr reseau person show p-nobody")
    block = text[start : text.index("```", start)].splitlines()
    path = repo / "persons" / f"{MARCEL}.yaml"
    path.write_text(path.read_text().replace("status: active", "status: asleep", 1))
    git(repo, "commit", "-qam", "by hand")
    pairs = [(block[i], block[i + 1]) for i in range(0, len(block), 2)]
    assert len(pairs) == 3
    for command, shown in pairs:
        lang, *args = command.removeprefix("$ RESEAU_LANG=").split()
        done = reseau(repo, *args[1:], lang=lang)
        lines = (done.stdout + done.stderr).splitlines()
        expected = shown.removesuffix("…")
        assert any(line.startswith(expected) for line in lines), (command, lines)


def test_a_team_translation_that_does_not_compile_in_french(repo: Path) -> None:
    """The team's translator reads why the file does not compile in their language."""
    po = repo / "locale" / "fr" / "LC_MESSAGES" / "reseau.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n\nmsgid "Born: %(born)s"\nmsgstr "Né le %(date)s"\n')
    done = reseau(repo, "templates", "compile", lang="fr")
    assert done.returncode == 1
    assert (
        "locale/fr/LC_MESSAGES/reseau.po:5: la traduction utilise date, que son message n’a pas"
        in said(done)
    )


def test_the_language_of_the_team_when_reseau_lang_is_unset(repo: Path) -> None:
    settings = repo / "reseau.yaml"
    text = re.sub(r"(?m)^lang:.*\n", "", settings.read_text())
    settings.write_text(text + "lang: nl\n")
    git(repo, "commit", "-qam", "team: Dutch")
    drop = ("RESEAU_LANG", "LC_ALL", "LC_MESSAGES", "LANG")
    result = reseau(repo, "person", "show", "p-nobody", lang="", drop=drop)
    assert "onbekende persoon 'p-nobody'" in said(result)


def test_before_any_repository_the_locale_speaks(tmp_path: Path) -> None:
    """No repository to read a team language from: RESEAU_LANG, then the locale."""
    env = {k: v for k, v in os.environ.items() if k not in ("RESEAU_LANG", "LC_ALL")}
    env.update(LANG="fr_BE.UTF-8", LC_MESSAGES="")
    result = subprocess.run(
        [sys.executable, "-m", "reseau_cli", "person", "list"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert f"aucun dépôt de données reseau dans {tmp_path} ni dans un dossier parent" in said(
        result
    )


# --- every refusal is translated ------------------------------------------------------


def _dirty(repo: Path) -> None:
    path = repo / "persons" / f"{MARCEL}.yaml"
    path.write_text(path.read_text() + "# a hand edit\n")


def _detached(repo: Path) -> None:
    git(repo, "checkout", "-q", "--detach")


def _broken(text: str) -> object:
    def setup(repo: Path) -> None:
        path = repo / "persons" / f"{MARCEL}.yaml"
        path.write_text(text(path.read_text()))  # type: ignore[operator]
        git(repo, "commit", "-qam", "by hand")

    return setup


def _merging(repo: Path) -> None:
    head = git(repo, "rev-parse", "HEAD").strip()
    (repo / ".git" / "MERGE_HEAD").write_text(head + "\n")


def _stale_lock(repo: Path) -> None:
    (repo / ".git" / "index.lock").write_text("")


def _folder(repo: Path) -> None:
    (repo.parent / "full").mkdir()
    (repo.parent / "full" / "a.txt").write_text("x\n")
    (repo.parent / "not-a-tar").write_text("plain text\n")


REFUSALS: dict[str, tuple[tuple[str, ...], object]] = {
    "unknown person": (("person", "show", "p-nobody"), None),
    "unknown intervenant": (("intervenant", "show", "i-nobody"), None),
    "unknown action": (("plan", "action", "set", MARCEL, "a-nope", "--status", "done"), None),
    "unknown evaluation": (("evaluation", "show", MARCEL, "e-nope"), None),
    "unknown concertation": (("concertation", "cancel", MARCEL, "c-nope", "--reason", "x"), None),
    "unknown scheme": (("concertation", "set-scheme", MARCEL, CONCERTATION, "nope"), None),
    "unknown template": (("render", "templates", "--show", "nope"), None),
    "no remote": (("sync",), None),
    "no such remote": (("sync", "--remote", "nope"), None),
    "already initialised": (("init", "."), None),
    "unknown init language": (("init", "../elsewhere", "--lang", "xx"), None),
    "empty share target": (("share", " "), None),
    "bad remote name": (("share", "../shared.git", "--remote", "bad name"), None),
    "nothing to find": (("find", " "), None),
    "min count": (("stats", "--min-count", "0"), None),
    "empty period": (("stats", "--from", "2026-05-01", "--to", "2026-01-01"), None),
    "erase without reason": (("person", "erase", MARCEL, "--reason", " "), None),
    "erase in clear": (("person", "erase", MARCEL, "--reason", "asked"), None),
    "new with an id": (("intervenant", "add", MARCEL, "--id", "i-x", "--new"), None),
    "reserved id": (("intervenant", "add", MARCEL, "--id", "person"), None),
    "since in the future": (
        ("person", "add", "--family-name", "P", "--given-name", "A", "--since", "2030-01-01"),
        None,
    ),
    "impossible date": (
        ("person", "add", "--family-name", "P", "--given-name", "A", "--birth-date", "1940-02-30"),
        None,
    ),
    "invalid person id": (
        ("person", "add", "--family-name", "P", "--given-name", "A", "--id", "Bad_Id"),
        None,
    ),
    "not a repository": (("--repo", "..", "person", "list"), None),
    "handover missing": (("handover", "import", "../missing.tar"), None),
    "handover not tar": (("handover", "import", "../not-a-tar"), _folder),
    "export into a full folder": (("export", "pseudonymised", "--out", "../full"), _folder),
    "encrypt without members": (("encrypt", "enable"), None),
    "rotate in clear": (("team", "rotate"), None),
    "unknown consent how": (("consent", "give", MARCEL, "--how", "pigeon"), None),
    "item without instrument": (("evaluation", "add", MARCEL, "--item", "x=1"), None),
    "dirty file": (("plan", "objective", "add", MARCEL, "Go out"), _dirty),
    "detached head": (("plan", "objective", "add", MARCEL, "Go out"), _detached),
    "invalid yaml": (("person", "show", MARCEL), _broken(lambda text: "id: [unclosed\n")),
    "schema violation": (
        ("person", "show", MARCEL),
        _broken(lambda text: text.replace("status: active", "status: asleep")),
    ),
    "mid-merge": (("plan", "objective", "add", MARCEL, "Go out"), _merging),
    "stale lock": (("plan", "objective", "add", MARCEL, "Go out"), _stale_lock),
    "minutes of a planned meeting": (("render", "minutes", MARCEL, "c-next"), None),
    "invitation to a held meeting": (("render", "invitation", MARCEL, "c-synth"), None),
    "document language": (("render", "plan", MARCEL, "--lang", "xx"), None),
    "document into the data": (("render", "plan", MARCEL, "-o", "persons/plan.md"), None),
    "fhir not json": (("import", "fhir", "../not-a-tar"), _folder),
    "cancel a held meeting": (("concertation", "cancel", MARCEL, "c-synth", "--reason", "x"), None),
    "coordinator outside the network": (("coordinator", "set", MARCEL, "nobody-here"), None),
    "lead outside the network": (("coordinator", "lead", MARCEL, "nobody-here"), None),
    "duration and end": (
        ("concertation", "plan", MARCEL, "--date", "2026-12-20", "--time", "10:00")
        + ("--duration", "30", "--end", "11:00"),
        None,
    ),
    "birth in the future": (
        ("person", "add", "--family-name", "P", "--given-name", "A", "--birth-date", "2030-01-01"),
        None,
    ),
    "reopen an open file": (("person", "reopen", MARCEL, "--reason", "back"), None),
    "action by a stranger": (
        ("plan", "action", "add", MARCEL, "Call", "--by", "nobody-here"),
        None,
    ),
    "bad phone": (("intervenant", "add", MARCEL, "--name", "Ann Lee", "--phone", "call me"), None),
    "action and by": (
        ("concertation", "record", MARCEL, "--action", "a", "--action", "b", "--by", "person"),
        None,
    ),
}

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_every_refusal_is_translated(repo: Path, name: str) -> None:
    args, setup = REFUSALS[name]
    if callable(setup):
        setup(repo)
    runs = {lang: reseau(repo, *args, lang=lang) for lang in ("en", "fr", "nl")}
    codes = {lang: run.returncode for lang, run in runs.items()}
    assert codes["en"] != 0 and len(set(codes.values())) == 1, codes  # same exit code
    en = said(runs["en"])
    assert en.startswith("error: ") and "Traceback" not in en, en
    message = en.removeprefix("error: ")
    for lang in ("fr", "nl"):
        text = said(runs[lang])
        assert message not in text, f"{lang}: left in English: {text}"
        assert not PLACEHOLDER.search(text), f"{lang}: a placeholder is not filled: {text}"
        assert "Traceback" not in text and len(text.splitlines()) == 1, text


# --- every message raised outside the CLI goes through the catalogs -------------------

# Internal errors a user never sees as such (they are bugs, or caught and reworded).
ALLOWED: set[tuple[str, str]] = {
    ("documents/ecomap.py", "DrawingFailed"),  # Graphviz's own words ("replace" is a codec arg)
}
NOT_MESSAGES = {
    "id",
    "path",
    "what",
    "extra",
    "template",
    "remote",
    "url",
    "start",
    "where",
    "value",
    "kind",
    "display",
    "repo",
    "branch",
    "line",
    "found",
    "supported",
    "count",
    "years",
}
TRANSLATING = {"_", "ngettext", "gettext_in"}
CHECKED = sorted(p for p in SRC.rglob("*.py") if "cli" not in p.relative_to(SRC).parts[:1])


def _family() -> set[str]:
    """ReseauError and every class derived from it, by name."""
    bases: dict[str, list[str]] = {}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = [ast.unparse(b).rsplit(".", 1)[-1] for b in node.bases]
    family = {"ReseauError"}
    while True:
        more = {name for name, of in bases.items() if set(of) & family} - family
        if not more:
            return family
        family |= more


def _name(func: ast.expr) -> str:
    return ast.unparse(func).rsplit(".", 1)[-1]


def _untranslated(node: ast.AST) -> bool:
    """Whether NODE holds an English sentence that is not inside ``_()``/``ngettext()``:
    an f-string, or a literal with words and spaces (keys, separators and single words
    such as ``doc["id"]`` or ``", ".join`` are code, not messages)."""
    if isinstance(node, ast.Call) and _name(node.func) in TRANSLATING:
        return False
    func = node.func if isinstance(node, ast.Call) else None
    if isinstance(func, ast.Attribute) and func.attr == "format":  # its arguments are values
        return _untranslated(func.value)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value.strip()
        return " " in text and any(c.isalpha() for c in text)
    if isinstance(node, ast.Subscript):
        return False
    return any(_untranslated(child) for child in ast.iter_child_nodes(node))


def _messages_outside_catalogs(path: Path, family: set[str]) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    found = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.Call) or _name(node.func) not in family | {"Problem"}:
            continue
        args = node.args[2:] if _name(node.func) == "Problem" else node.args
        values = [*args, *(k.value for k in node.keywords if k.arg not in NOT_MESSAGES)]
        if any(_untranslated(v) for v in values):
            found.append((node.lineno, ast.get_source_segment(text, node) or ""))
    return found


def test_messages_raised_outside_the_cli_go_through_the_catalogs() -> None:
    family = _family()
    bad = []
    for path in CHECKED:
        rel = path.relative_to(SRC).as_posix()
        for line, source in _messages_outside_catalogs(path, family):
            if (rel, source.split("(", 1)[0]) not in ALLOWED:
                bad.append(f"{rel}:{line}: {source.splitlines()[0]}")
    assert not bad, "messages not wrapped in _():\n" + "\n".join(bad)


def test_no_function_hides_the_translation_function() -> None:
    """``for _ in …`` or ``a, _ = …`` in a function that also calls ``_()`` would make
    that call fail at run time (UnboundLocalError) only on the path that shows a message."""
    comprehensions = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp, ast.Lambda)
    bad = []
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for scope in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]:
            stack, stores = list(ast.iter_child_nodes(scope)), []
            while stack:
                node = stack.pop()
                if (
                    isinstance(node, ast.Name)
                    and node.id == "_"
                    and isinstance(node.ctx, ast.Store)
                ):
                    stores.append(node.lineno)
                if not isinstance(node, (ast.FunctionDef, ast.ClassDef, *comprehensions)):
                    stack.extend(ast.iter_child_nodes(node))
            calls = any(
                isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
                for n in ast.walk(scope)
            )
            if stores and (calls or scope is tree):
                bad.append(f"{path.relative_to(SRC)}:{stores[0]}")
    assert not bad, bad


# --- status alerts, and --json in the source language ----------------------------------


@pytest.fixture
def newcomer(tmp_path: Path) -> tuple[Path, str]:
    """A team with one person and nothing done yet: no coordinator, no consent."""
    root = tmp_path / "team"
    assert reseau(tmp_path, "init", str(root), lang="en").returncode == 0
    added = reseau(
        root, "person", "add", "--family-name", "Dupont", "--given-name", "Jeanne", lang="en"
    )
    assert added.returncode == 0, added.stderr
    return root, added.stdout.strip()


def test_status_alerts_are_sentences_of_the_terminals_language(
    newcomer: tuple[Path, str],
) -> None:
    root, pid = newcomer
    fr = reseau(root, "status", lang="fr", drop=("RESEAU_TODAY",)).stdout
    nl = reseau(root, "status", lang="nl", drop=("RESEAU_TODAY",)).stdout
    en = reseau(root, "status", lang="en", drop=("RESEAU_TODAY",)).stdout
    assert "pas de référent depuis le " in fr and "no coordinator" not in fr
    assert (
        f"aucun accord de partage noté : rien ne peut sortir de l’équipe ; `reseau consent give {pid} …`"
        in fr
    )
    assert "geen zorgcoördinator sinds " in nl and "no coordinator" not in nl
    assert "geen toestemming tot delen vastgelegd" in nl
    assert "no coordinator since " in en


def test_json_speaks_english_whatever_the_language(newcomer: tuple[Path, str]) -> None:
    root, _pid = newcomer
    en = reseau(root, "status", "--json", lang="en")
    for lang in ("fr", "nl"):
        other = reseau(root, "status", "--json", lang=lang)
        assert other.returncode == 0 and other.stdout == en.stdout
        refused = reseau(root, "person", "show", "p-nobody", "--json", lang=lang)
        assert refused.returncode == 1
        assert (
            said(refused)
            == "error: unknown person 'p-nobody'; `reseau person list --all` shows the ids"
        )
    assert '"message": "no coordinator since ' in en.stdout


def test_person_show_says_statuses_in_the_documents_words(repo: Path) -> None:
    """Statuses in `person show` are the documents' words in French and Dutch (the same
    catalog entries); English shows the values one types."""
    fr = reseau(repo, "person", "show", MARCEL, lang="fr").stdout
    nl = reseau(repo, "person", "show", MARCEL, lang="nl").stdout
    en = reseau(repo, "person", "show", MARCEL, lang="en").stdout
    assert "[held]" in en and "[tenue]" in fr and "[gehouden]" in nl
    assert "[held]" not in fr + nl
