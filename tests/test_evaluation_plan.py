"""The plan tied to the needs: objectives answering a need, the alerts of `status`, the
evaluation in `person show` and at the head of the plan document (with its chart)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from conftest import git, ok, refused
from plan_helpers import load

GIR3 = ["coherence=A", "orientation=B", "toilette=C", "habillage=B", "alimentation=A"]
GIR3 += ["elimination=B", "transferts=B", "deplacements-interieur=B"]
GIR4 = ["coherence=A", "orientation=B", "toilette=B", "habillage=B", "alimentation=A"]
GIR4 += ["elimination=A", "transferts=A", "deplacements-interieur=A"]


def _items(values: list[str]) -> list[str]:
    return ["--instrument", "aggir", *[a for v in values for a in ("--item", v)]]


def _on(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    monkeypatch.setenv("RESEAU_TODAY", day)


def _english(team: Path) -> None:
    settings = team / "reseau.yaml"
    settings.write_text(settings.read_text().replace("lang: fr", "lang: en"))
    git(team, "commit", "-qam", "documents in English")


@pytest.fixture
def evaluated(team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Marcel at discharge (12 October) and three months later (12 January)."""
    _on(monkeypatch, "2026-10-12")
    ok(
        "evaluation", "add", marcel,
        "--domain", "autonomy=unmet", "--need", "autonomy=Cannot wash <alone>",
        "--person-view", "autonomy=Je veux rester chez moi",
        "--domain", "housing=unmet", "--domain", "family=met", *_items(GIR3),
    )  # fmt: skip
    _on(monkeypatch, "2027-01-12")
    ok(
        "evaluation", "add", marcel,
        "--domain", "autonomy=partly-met", "--need", "autonomy=Help to wash 3 mornings a week",
        "--domain", "housing=met", *_items(GIR4),
    )  # fmt: skip
    return marcel


def test_objective_add_with_needs(team: Path, marcel: str) -> None:
    oid = ok(
        "plan", "objective", "add", marcel, "Me laver seul", "--need", "autonomy",
        "--need", "health", "--need", "autonomy",
    ).stdout.strip()  # fmt: skip
    [objective] = load(team, marcel)["plan"]["objectives"]
    assert objective["id"] == oid and objective["needs"] == ["autonomy", "health"]
    refused(team, "plan", "objective", "add", marcel, "X", "--need", "garden", match="--need")


def _alerts(kind: str) -> list[dict[str, str]]:
    found = json.loads(ok("status", "--json").stdout)
    return [a for a in found if a["kind"] == kind]


def test_status_flags_an_open_need_without_an_active_objective(
    team: Path, evaluated: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    [alert] = _alerts("need-unanswered")
    assert alert["person"] == evaluated and alert["ref"] == "autonomy"
    assert alert["date"] == "2027-01-12" and "partly-met" in alert["message"]
    assert "To plan soon" in ok("status").stdout
    oid = ok(
        "plan", "objective", "add", evaluated, "Me laver seul", "--need", "autonomy"
    ).stdout.strip()
    assert _alerts("need-unanswered") == []
    ok("plan", "objective", "set", evaluated, oid, "--status", "abandoned")
    assert [a["ref"] for a in _alerts("need-unanswered")] == ["autonomy"]


def test_status_says_when_an_evaluation_is_due(
    team: Path, evaluated: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _alerts("evaluation-due") == []
    _on(monkeypatch, "2027-07-12")  # 181 days after 12 January: the default is 180
    [alert] = _alerts("evaluation-due")
    assert alert["date"] == "2027-07-11" and "2027-01-12" in alert["message"]
    settings = team / "reseau.yaml"
    settings.write_text(settings.read_text() + "evaluation_interval_days: 365\n")
    git(team, "commit", "-qam", "evaluate yearly")
    assert _alerts("evaluation-due") == []
    assert ok("check").exit_code == 0


def test_no_evaluation_no_evaluation_alert(team: Path, marcel: str) -> None:
    assert _alerts("evaluation-due") == [] and _alerts("need-unanswered") == []


def test_person_show_shows_the_situation_and_instruments(team: Path, evaluated: str) -> None:
    out = ok("person", "show", evaluated).stdout
    assert "2 evaluations, the latest on 2027-01-12" in out
    assert "autonomy: partly-met (2027-01-12)  no objective" in out
    assert "need: Help to wash 3 mornings a week" in out
    assert "aggir: GIR 3 (2026-10-12) → GIR 4 (2027-01-12)" in out
    doc = json.loads(ok("person", "show", evaluated, "--json").stdout)
    assert len(doc["evaluations"]) == 2


def test_plan_document_opens_with_the_situation_by_domain(team: Path, evaluated: str) -> None:
    _english(team)
    ok("plan", "objective", "add", evaluated, "Me laver seul", "--need", "autonomy")
    md = ok("render", "plan", evaluated).stdout
    situation = md.index("## Situation by domain")
    assert situation < md.index("## Information sharing") < md.index("## Objectives")
    assert "| autonomy (12 Jan 2027) | need partly met |" in md
    assert "Me laver seul |" in md  # the objective answering it
    assert "AGGIR (GIR 1-6)** — GIR 3 (12 Oct 2026) → GIR 4 (12 Jan 2027)" in md
    assert "answers the need: autonomy" in md
    html = ok("render", "plan", evaluated, "-f", "html").stdout
    [svg] = re.findall(r"<svg .*?</svg>", html, re.S)
    assert svg.count("<circle") == 2 and ">GIR 3<" in svg and ">GIR 4<" in svg
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
    # GIR 4 is drawn above GIR 3 (a higher value, a smaller y)
    ys = [float(y) for y in re.findall(r'<circle cx="[\d.]+" cy="([\d.]+)"', svg)]
    assert ys[1] < ys[0]
    assert "Je veux rester chez moi" not in html  # the latest evaluation holds no view
    assert "need partly met" in html


def test_plan_document_escapes_the_evaluation(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _english(team)
    ok(
        "evaluation", "add", marcel, "--domain", "social=unmet",
        "--person-view", "social=<script>alert(1)</script>",
    )  # fmt: skip
    html = ok("render", "plan", marcel, "-f", "html").stdout
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "no objective yet" in html


def test_plan_document_in_french(team: Path, evaluated: str) -> None:
    md = ok("render", "plan", evaluated).stdout
    assert "## Situation par domaine" in md and "besoin partiellement couvert" in md
    assert "**aucun objectif pour l’instant**" in md


def test_plan_without_evaluation_is_unchanged(team: Path, marcel: str) -> None:
    md = ok("render", "plan", marcel).stdout
    assert "Situation by domain" not in md and "Situation par domaine" not in md


def _weasyprint_works() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


@pytest.mark.skipif(not _weasyprint_works(), reason="WeasyPrint (extra `pdf`) cannot be imported")
def test_plan_pdf_embeds_the_chart(team: Path, evaluated: str, tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    target = tmp_path / "plan.pdf"
    ok("render", "plan", evaluated, "-f", "pdf", "-o", str(target))
    reader = pypdf.PdfReader(io.BytesIO(target.read_bytes()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "GIR 3" in text and "GIR 4" in text
