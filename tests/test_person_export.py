"""`reseau person export`: everything held about one person, for a right-of-access request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import AUTHOR, invoke, ok


def test_export_writes_the_file_its_history_disclosures_and_readable_pages(
    team: Path, marcel: str, tmp_path: Path
) -> None:
    ok("plan", "objective", "add", marcel, "Rester chez moi <en sécurité>", "--domain", "housing")
    out = tmp_path / "acces"
    result = ok("person", "export", marcel, "-o", str(out))
    assert result.stdout.strip() == str(out)
    assert sorted(p.name for p in out.iterdir()) == [
        "disclosures.json",
        "history.json",
        "index.html",
        "person.json",
        "plan.html",
    ]
    data = yaml.safe_load((team / "persons" / f"{marcel}.yaml").read_text())
    assert json.loads((out / "person.json").read_text()) == json.loads(
        json.dumps(data, default=str)
    )
    history = json.loads((out / "history.json").read_text())
    assert len(history) == 2
    assert history[-1]["message"].startswith(f"{marcel}:")
    assert {h["author"] for h in history} == {AUTHOR[0]}
    assert all(len(h["commit"]) == 40 and h["date"] for h in history)
    assert json.loads((out / "disclosures.json").read_text()) == []
    page = (out / "index.html").read_text()
    assert marcel in page and history[0]["commit"][:12] in page
    assert "Rester chez moi &lt;en sécurité&gt;" in page
    assert "<en sécurité>" not in page
    assert "Rester chez moi" in (out / "plan.html").read_text()


def test_export_default_folder_is_in_the_team_language(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = ok("person", "export", marcel)
    folder = Path(result.stdout.strip())
    assert folder == Path("out") / f"export-{marcel}"
    page = (tmp_path / folder / "index.html").read_text()
    assert yaml.safe_load((team / "reseau.yaml").read_text())["lang"] == "fr"
    assert '<html lang="fr">' in page
    assert f"Tout ce que l'équipe détient sur {marcel}" in page
    assert "Historique du dossier" in page


def test_export_refuses_a_data_folder(team: Path, marcel: str) -> None:
    result = invoke("person", "export", marcel, "-o", str(team / "persons"))
    assert result.exit_code == 1
    assert not (team / "persons" / "index.html").exists()
