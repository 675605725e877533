"""`make demo`'s consent part (scripts/demo.py): on a machine with no git identity, the
demo's team repository gets Marcel's consent and his plan in three versions (the team's
internal one, the family version for his son, his own easy-to-read plan)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from conftest import git, no_identity

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "demo.py"


def _demo() -> ModuleType:
    spec = importlib.util.spec_from_file_location("demo", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_renders_the_three_versions_of_marcels_plan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    no_identity(monkeypatch)  # the demo sets its own identity in its own repository
    monkeypatch.setenv("RESEAU_LANG", "fr")
    demo = _demo()
    team = demo.build_team_repository(tmp_path)
    versions = demo.audiences(team, tmp_path / "documents")
    internal, family, own = (p.read_text(encoding="utf-8") for p in versions.values())
    assert "Version interne de l’équipe" in internal
    assert "Version destinée à Luc Janssens" in family and "Version interne" not in family
    assert '<body class="easy' in own and "Bonjour Marcel." in own
    # The family version has no health objective; the internal one has Marcel's.
    assert internal.count('class="objective') > family.count('class="objective') > 0
    shown = capsys.readouterr().out
    assert "rosa-martinez (volunteer)" in shown  # the refusal of a recipient outside it
    assert "luc-janssens  plan" in shown  # the register
    assert "Élise Marchal" in git(team, "log", "-1", "--format=%an")
