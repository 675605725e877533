"""Case 1 of CASES.md built through the CLI, and hand edits for `reseau check` tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import AUTHOR, TODAY, git, ok
from reseau_cli import store

# (name, kind, role, since, extra options) — Marcel Janssens's network before discharge.
MARCEL_NETWORK = [
    ("Anne Lambert", "professional", "médecin traitant", "2026-01-10",
     ["--profession", "médecin généraliste", "--organisation", "Cabinet médical du village",
      "--phone", "+32 81 23 45 67"]),
    ("Karim Ouali", "professional", "infirmier à domicile", "2026-11-10",
     ["--profession", "infirmier", "--organisation", "Soins à domicile Nord",
      "--email", "karim.ouali@soins-nord.example"]),
    ("Sophie Martin", "professional", "assistante sociale de l'hôpital", "2026-11-05",
     ["--profession", "assistante sociale", "--organisation", "CHR, service social"]),
    ("Aide familiale Nord", "service", "aide à domicile (repas, ménage)", "2026-11-20",
     ["--phone", "081 55 66 77"]),
    ("Luc Janssens", "carer", "fils, aidant", "2026-11-05", ["--phone", "0470 11 22 33"]),
    ("Élise Marchal", "professional", "case manager, organise la concertation", "2026-11-15",
     ["--organisation", "Plateforme d'intégration locale"]),
]  # fmt: skip

IDS = {
    "gp": "anne-lambert",
    "nurse": "karim-ouali",
    "social": "sophie-martin",
    "homehelp": "aide-familiale-nord",
    "son": "luc-janssens",
    "lead": "elise-marchal",
}


def build_network(person: str) -> dict[str, str]:
    """Add the six intervenants of case 1 to ``person``'s network; returns IDS."""
    for name, kind, role, since, extra in MARCEL_NETWORK:
        ok("intervenant", "add", person, "--name", name, "--kind", kind, "--role", role,
           "--since", since, *extra)  # fmt: skip
    return dict(IDS)


def edit_person(root: Path, person: str, mutate: Callable[[dict[str, Any]], None]) -> None:
    """Change a person file by hand and commit it, as someone outside reseau would."""
    path = root / "persons" / f"{person}.yaml"
    doc = store.parse(path.read_text(encoding="utf-8"), path=str(path))
    mutate(doc)
    path.write_text(store.dump(doc), encoding="utf-8")
    git(root, "commit", "-qam", f"{person}: edit by hand")


def load(root: Path, kind: str, ident: str) -> dict[str, Any]:
    folder = {"person": "persons", "intervenant": "intervenants"}[kind]
    path = root / folder / f"{ident}.yaml"
    return store.parse(path.read_text(encoding="utf-8"), path=str(path))


def build_template(factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Case 1 built once (in its own isolated git environment), to be copied per test."""
    with pytest.MonkeyPatch.context() as mp:
        home = factory.mktemp("template-home")
        (home / ".gitconfig").write_text("")
        env = {
            "HOME": str(home),
            "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": AUTHOR[0],
            "GIT_AUTHOR_EMAIL": AUTHOR[1],
            "GIT_COMMITTER_NAME": AUTHOR[0],
            "GIT_COMMITTER_EMAIL": AUTHOR[1],
            "RESEAU_TODAY": TODAY,
        }
        for name, value in env.items():
            mp.setenv(name, value)
        for name in ("RESEAU_REPO", "RESEAU_DEBUG", "EDITOR", "VISUAL", "EMAIL", "GIT_DIR"):
            mp.delenv(name, raising=False)
        root = factory.mktemp("template") / "team"
        ok("init", str(root), "--team", "Réseau Santé Nord")
        mp.setenv("RESEAU_REPO", str(root))
        marcel = ok("person", "add", "--family-name", "Janssens", "--given-name", "Marcel",
                    "--birth-date", "1940-05-03").stdout.strip()  # fmt: skip
        build_network(marcel)
    return root, marcel


def copy_template(template: Path, dest: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real copy of the template repository (git history included), made current."""
    shutil.copytree(template, dest, symlinks=True)
    monkeypatch.setenv("RESEAU_REPO", str(dest))
    return dest
