"""Defects QA found in rendered documents, each pinned by a test.

Most tests use the example team (examples/team) imported into git in ONE commit, the
way a team that starts from existing files would: its history holds no intermediate
versions, only what the files themselves record."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import git, ok

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "team"
MARCEL = "p-m4rc3l"


@pytest.fixture
def imported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """examples/team in a fresh git repository, committed at once."""
    root = tmp_path / "team"
    shutil.copytree(EXAMPLE, root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "import the team's files")
    monkeypatch.setenv("RESEAU_REPO", str(root))
    return root


def section(text: str, title: str) -> str:
    start = text.index(title)
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


# -- 1. what changed since the previous concertation --------------------------------------


def test_minutes_use_the_dates_in_the_file_when_history_has_no_intermediate_commit(
    imported: Path,
) -> None:
    ok(
        "concertation",
        "record",
        MARCEL,
        "--date",
        "2026-11-28",
        "--participant",
        "karim-ouali",
        "--person-present",
    )
    out = ok("render", "minutes", MARCEL).stdout
    changes = section(out, "## Ce qui a changé")
    assert "Aucun changement" not in changes
    left = changes[changes.index("### Départs du réseau") :]
    assert "Sophie Leroy" in left and "30 oct. 2026" in left
    done = changes[changes.index("### Actions réalisées") :]
    assert "Installer une alarme personnelle (pendentif) — Luc Janssens, le 29 oct. 2026" in done
    # Started at the previous meeting (2026-10-20): not a change since.
    assert "Julie Peeters" not in changes
    english = ok("render", "minutes", MARCEL, "--lang", "en").stdout
    assert "No change" not in english
    assert "Sophie Leroy" in section(english, "## What changed")
