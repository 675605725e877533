"""Case 1 of CASES.md (Marcel Janssens back home after hospital) as a real team repository
with a real history: person files written as YAML by hand and committed step by step,
the way teammates' clones would have recorded them over three months."""

from __future__ import annotations

import copy
import os
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from conftest import write_intervenant

MARCEL = "p-7k3q9x"

DIRECTORY: list[tuple[str, str, str, dict[str, str]]] = [
    (
        "anne-lambert",
        "Dr Anne Lambert",
        "professional",
        {
            "profession": "médecin généraliste",
            "organisation": "Cabinet médical du village",
            "phone": "+32 81 22 33 44",
            "email": "anne.lambert@cabinet-village.example",
        },
    ),
    (
        "karim-ouali",
        "Karim Ouali",
        "professional",
        {
            "profession": "infirmier",
            "organisation": "Soins à domicile Nord",
            "phone": "0470 12 34 56",
            "email": "karim.ouali@soins-nord.example",
        },
    ),
    (
        "julie-peeters",
        "Julie Peeters",
        "professional",
        {"profession": "kinésithérapeute", "phone": "0471 98 76 54"},
    ),
    (
        "sophie-delvaux",
        "Sophie Delvaux",
        "professional",
        {
            "profession": "assistante sociale",
            "organisation": "Hôpital Saint-Luc, service social",
            "email": "s.delvaux@saint-luc.example",
        },
    ),
    (
        "aide-familiale-nord",
        "Aide familiale Nord",
        "service",
        {"organisation": "Aide familiale Nord asbl", "phone": "081 40 50 60"},
    ),
    ("pharmacie-centre", "Pharmacie du Centre", "service", {"phone": "081 22 10 10"}),
    (
        "luc-janssens",
        "Luc Janssens",
        "carer",
        {"phone": "0475 11 22 33", "email": "luc.janssens@example.org"},
    ),
    ("rosa-martins", "Rosa Martins", "volunteer", {"phone": "0476 44 55 66"}),
    (
        "elise-marchal",
        "Élise Marchal",
        "professional",
        {
            "profession": "case manager",
            "organisation": "Plateforme d'intégration Nord",
            "phone": "081 30 30 30",
            "email": "elise.marchal@plateforme-nord.example",
        },
    ),
]


def git(root: Path, *args: str, when: str | None = None) -> str:
    env = dict(os.environ)
    if when:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{when}T10:00:00+01:00"
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True, env=env
    ).stdout


def write_directory(root: Path) -> None:
    """Two entries through the conftest helper, the rest in one commit."""
    for ident, name, kind, extra in DIRECTORY[:2]:
        write_intervenant(root, ident, name, kind, **extra)
    for ident, name, kind, extra in DIRECTORY[2:]:
        doc = {"format": 1, "id": ident, "name": name, "kind": kind, **extra}
        path = root / "intervenants" / f"{ident}.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))
    git(root, "add", "intervenants")
    git(root, "commit", "-qm", "directory: add intervenants", when="2026-08-30")


def save(root: Path, doc: dict[str, Any], message: str, when: str) -> None:
    path = root / "persons" / f"{doc['id']}.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100))
    git(root, "add", str(path))
    git(root, "commit", "-qm", message, when=when)


def member(who: str, role: str, since: str, **extra: str) -> dict[str, Any]:
    return {"intervenant": who, "role": role, "since": since, **extra}


def marcel_history(root: Path) -> dict[str, Any]:
    """Commit Marcel's file in five steps; returns the final document."""
    doc: dict[str, Any] = {
        "format": 1,
        "id": MARCEL,
        "status": "active",
        "opened": "2026-09-01",
        "identity": {
            "family_name": "Janssens",
            "given_name": "Marcel",
            "birth_date": "1940-05-03",
            "phone": "081 55 66 77",
            "address": "Rue des Tilleuls 12, 5000 Namur",
        },
        "situation": (
            "Vit seul dans une petite maison. Hospitalisé trois semaines après une chute "
            "la nuit.\nDébut de troubles cognitifs.\n\nSouhaite avant tout rentrer chez lui."
        ),
        "consent": {
            "information_sharing": True,
            "date": "2026-09-01",
            "scope": "Réseau de soins et d'aide à domicile",
        },
        "network": [
            member("anne-lambert", "médecin traitant", "2026-01-10"),
            member("luc-janssens", "fils, aidant", "2026-01-10"),
            member("rosa-martins", "voisine, a la clé", "2026-01-10"),
            member("sophie-delvaux", "assistante sociale de l'hôpital", "2026-09-01"),
            member("elise-marchal", "case manager", "2026-09-01"),
            member("karim-ouali", "infirmier à domicile", "2026-09-01"),
            member("julie-peeters", "kinésithérapeute", "2026-09-01"),
        ],
        "coordination": {
            "coordinator": None,
            "concertation_lead": "elise-marchal",
            "history": [
                {"role": "concertation_lead", "intervenant": "elise-marchal", "since": "2026-09-01"}
            ],
        },
        "plan": {
            "objectives": [
                {
                    "id": "o-walk",
                    "text": "Remarcher jusqu'à la boulangerie",
                    "domain": "health",
                    "status": "active",
                },
                {
                    "id": "o-home",
                    "text": "Rester vivre chez moi",
                    "domain": "autonomy",
                    "status": "active",
                    "priority": True,
                },
            ],
            "actions": [
                {
                    "id": "a-allow",
                    "objective": "o-home",
                    "text": "Demande d'allocation d'aide à domicile",
                    "by": "sophie-delvaux",
                    "created": "2026-09-01",
                    "status": "ongoing",
                },
            ],
        },
        "concertations": [
            {
                "id": "c-synth",
                "status": "planned",
                "kind": "synthesis",
                "date": "2026-09-15",
                "time": "14:00",
                "place": "Hôpital Saint-Luc, salle 2",
                "organiser": "elise-marchal",
                "invited": [
                    "anne-lambert",
                    "karim-ouali",
                    "julie-peeters",
                    "sophie-delvaux",
                    "luc-janssens",
                ],
                "agenda": ["Retour à domicile", "Qui coordonne ?"],
            }
        ],
    }
    save(root, doc, f"{MARCEL}: add person", "2026-09-01")

    # The synthesis meeting before discharge: held, a coordinator, two actions.
    doc = copy.deepcopy(doc)
    doc["network"].append(member("aide-familiale-nord", "repas et ménage", "2026-09-15"))
    synth = doc["concertations"][0]
    synth.update(
        status="held",
        participants=[
            {"intervenant": "anne-lambert", "present": True},
            {"intervenant": "karim-ouali", "present": True},
            {"intervenant": "sophie-delvaux", "present": True},
            {"intervenant": "luc-janssens", "present": True},
            {"intervenant": "julie-peeters", "present": False, "excused": True},
        ],
        person_present=True,
        summary="Marcel veut rentrer chez lui. Luc appelle tous les jours.",
        decisions=["Karim Ouali est désigné coordinateur", "Réévaluation dans six semaines"],
        actions=["a-meals", "a-alarm"],
        coordinator="karim-ouali",
        next="2026-11-05",
    )
    doc["plan"]["actions"] += [
        {
            "id": "a-meals",
            "objective": "o-home",
            "text": "Repas livrés dès le jour de la sortie",
            "by": "aide-familiale-nord",
            "created": "2026-09-15",
            "start": "2026-09-18",
            "status": "ongoing",
            "concertation": "c-synth",
        },
        {
            "id": "a-alarm",
            "objective": "o-home",
            "text": "Installer un bouton d'alarme",
            "by": "luc-janssens",
            "created": "2026-09-15",
            "due": "2026-09-30",
            "status": "planned",
            "concertation": "c-synth",
        },
    ]
    doc["coordination"]["coordinator"] = "karim-ouali"
    doc["coordination"]["history"].append(
        {
            "role": "coordinator",
            "intervenant": "karim-ouali",
            "since": "2026-09-15",
            "concertation": "c-synth",
        }
    )
    save(root, doc, f"{MARCEL}: record concertation c-synth", "2026-09-16")

    # Between the meetings: the social worker leaves, her action is handed over.
    doc = copy.deepcopy(doc)
    for m in doc["network"]:
        if m["intervenant"] == "sophie-delvaux":
            m.update(until="2026-10-01", reason="sortie de l'hôpital")
    doc["network"].append(member("pharmacie-centre", "pharmacie", "2026-10-15"))
    for a in doc["plan"]["actions"]:
        if a["id"] == "a-alarm":
            a.update(status="done", closed="2026-09-28")
        if a["id"] == "a-allow":
            a.update(status="cancelled", closed="2026-10-01")
    doc["plan"]["actions"] += [
        {
            "id": "a-allow2",
            "objective": "o-home",
            "text": "Reprendre la demande d'allocation",
            "by": "elise-marchal",
            "created": "2026-10-02",
            "due": "2026-11-20",
            "status": "ongoing",
        },
        {
            "id": "a-balance",
            "objective": "o-walk",
            "text": "Exercices d'équilibre deux fois par semaine",
            "by": "julie-peeters",
            "created": "2026-10-20",
            "start": "2026-10-22",
            "status": "ongoing",
        },
        {
            "id": "a-diary",
            "text": "Tenir le carnet de liaison à jour",
            "by": "person",
            "created": "2026-10-20",
            "status": "ongoing",
        },
    ]
    doc["plan"].update(reviewed="2026-10-27", next_review="2026-12-08")
    save(root, doc, f"{MARCEL}: hand over a-allow", "2026-10-27")

    # The re-evaluation six weeks later.
    doc = copy.deepcopy(doc)
    doc["concertations"].append(
        {
            "id": "c-reeval",
            "status": "held",
            "kind": "coordination",
            "date": "2026-11-05",
            "time": "10:00",
            "place": "Domicile de M. Janssens",
            "organiser": "karim-ouali",
            "participants": [
                {"intervenant": "karim-ouali", "present": True},
                {"intervenant": "anne-lambert", "present": True},
                {"intervenant": "luc-janssens", "present": True},
                {"intervenant": "elise-marchal", "present": True},
                {"intervenant": "julie-peeters", "present": False},
            ],
            "person_present": True,
            "others_present": ["Rosa, voisine"],
            "agenda": ["Bilan des six semaines", "Nuits"],
            "summary": "Le retour se passe bien.\nLes nuits restent difficiles.",
            "decisions": ["Ajouter un passage infirmier le soir"],
            "actions": ["a-night"],
            "next": "2026-12-10",
        }
    )
    doc["plan"]["actions"].append(
        {
            "id": "a-night",
            "objective": "o-home",
            "text": "Passage infirmier du soir",
            "by": "karim-ouali",
            "created": "2026-11-05",
            "due": "2026-11-10",
            "status": "planned",
            "concertation": "c-reeval",
        }
    )
    save(root, doc, f"{MARCEL}: record concertation c-reeval", "2026-11-06")

    # The next meeting is planned.
    doc = copy.deepcopy(doc)
    doc["concertations"].append(
        {
            "id": "c-next",
            "status": "planned",
            "kind": "concertation",
            "date": "2026-12-10",
            "time": "14:30",
            "duration_minutes": 90,
            "place": "Domicile de M. Janssens, rue des Tilleuls 12, Namur",
            "organiser": "karim-ouali",
            "invited": [
                "anne-lambert",
                "luc-janssens",
                "julie-peeters",
                "elise-marchal",
                "aide-familiale-nord",
            ],
            "agenda": [
                "Nuits et passage du soir",
                "Allocation d'aide à domicile",
                "Prochaine réévaluation",
            ],
            "bring": ["Carnet de liaison", "Liste des médicaments"],
        }
    )
    save(root, doc, f"{MARCEL}: plan concertation c-next", "2026-11-20")
    return doc


def build(root: Path) -> dict[str, Any]:
    write_directory(root)
    return marcel_history(root)


# -- reading what was rendered ------------------------------------------------------


# Inline elements add no space between the texts around them (« n.<wbr>benali@ »).
_INLINE = {"a", "abbr", "b", "em", "i", "small", "span", "strong", "wbr"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[str] = []
        self._skip = 0
        self._glue = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        self._glue = tag in _INLINE
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        self._glue = tag in _INLINE
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._glue and self.parts:
            self.parts[-1] += data
        else:
            self.parts.append(data)
        self._glue = False


def html_text(html: str) -> str:
    """The text a reader sees in an HTML page (whitespace collapsed), parsed for real."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(" ".join(parser.parts).split())


def html_tags(html: str) -> list[str]:
    parser = _Text()
    parser.feed(html)
    return parser.tags


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
