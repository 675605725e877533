"""The attendance and report sheet (`reseau render attendance`) in every format, in the
team's language, before and after the meeting, and in `render all --date`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from conftest import ok, refused
from reseau_cli.documents.engine import LANGS


@pytest.fixture
def meeting(team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """Marcel's network, and a concertation under the INAMI example planned on 10 December."""
    for name, profession, organisation in (
        ("Anne Lambert", "médecin généraliste", "Cabinet médical du village"),
        ("Karim Ouali", "infirmier à domicile", "Soins à domicile Nord"),
        ("Julie Peeters", "kinésithérapeute", "Kiné & Co <Namur>"),
    ):
        ok(
            "intervenant",
            "add",
            marcel,
            "--name",
            name,
            "--profession",
            profession,
            "--organisation",
            organisation,
            "--since",
            "2026-09-01",
        )
    ok(
        "intervenant",
        "add",
        marcel,
        "--name",
        "Luc Janssens",
        "--kind",
        "carer",
        "--role",
        "fils, aidant",
        "--since",
        "2026-09-01",
    )
    ident = ok(
        "concertation",
        "plan",
        marcel,
        "--date",
        "2026-12-10",
        "--time",
        "14:00",
        "--duration",
        "90",
        "--place",
        "Domicile",
        "--scheme",
        "be-inami-sisd",
        "--invite",
        "anne-lambert",
        "--invite",
        "karim-ouali",
        "--invite",
        "julie-peeters",
        "--invite",
        "luc-janssens",
        "--organiser",
        "karim-ouali",
    ).stdout.strip()
    return marcel, ident


def record(person: str, ident: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESEAU_TODAY", "2026-12-10")
    ok(
        "concertation",
        "record",
        person,
        ident,
        "--participant",
        "anne-lambert",
        "--participant",
        "karim-ouali",
        "--participant",
        "luc-janssens",
        "--excused",
        "julie-peeters",
        "--person-present",
        "--person-agreed",
        "--summary",
        "Retour à domicile.",
    )


def test_markdown_before_the_meeting_has_boxes_to_tick(meeting: tuple[str, str]) -> None:
    person, ident = meeting
    text = ok("render", "attendance", person, ident).stdout
    assert text.startswith("# Feuille de présence — Concertation autour de Marcel Janssens\n")
    assert "- **Date** : jeudi 10 décembre 2026 à 14:00" in text
    assert "- **Durée** : 90 minutes" in text
    assert "(be-inami-sisd)" in text and "Dispositif de financement" in text
    assert "présente ☐ représentée ☐ absente ☐" in text
    assert "**Accord de la personne sur les participants** : non noté" in text
    assert "| Karim Ouali | infirmier à domicile | Soins à domicile Nord | — | ☐ |  |" in text
    assert "| Anne Lambert | médecin généraliste | Cabinet médical du village |" in text
    assert "## Signatures" in text
    # the organiser comes first; the default is the meeting to come
    rows = [line for line in text.splitlines() if line.startswith("| ") and "☐" in line]
    assert rows[0].startswith("| Karim Ouali |")
    assert ok("render", "attendance", person).stdout == text


def test_markdown_after_the_meeting_in_english(
    meeting: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    person, ident = meeting
    record(person, ident, monkeypatch)
    text = ok("render", "attendance", person, ident, "--lang", "en").stdout
    assert text.startswith("# Attendance sheet — Concertation about Marcel Janssens\n")
    assert "- **Duration**: 90 minutes" in text
    assert "- **The person**: took part" in text
    assert "- **The person’s agreement to the participants**: given" in text
    assert "| Karim Ouali | infirmier à domicile | Soins à domicile Nord | — | present |  |" in text
    assert "| Julie Peeters | kinésithérapeute |" in text and "| excused |" in text
    assert "| Luc Janssens | — | — | fils, aidant | present |  |" in text
    assert "The person, or their representative:" in text


def test_html_is_escaped_and_has_room_to_sign(
    meeting: tuple[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    person, ident = meeting
    record(person, ident, monkeypatch)
    target = tmp_path / "sheet.html"
    ok("render", "attendance", person, ident, "--format", "html", "-o", str(target))
    html = target.read_text(encoding="utf-8")
    assert '<html lang="fr">' in html
    assert "<title>Feuille de présence — Concertation du 10 déc. 2026 — Marcel Janssens" in html
    assert 'table class="attendance"' in html and 'class="sign-area"' in html
    assert "Kiné &amp; Co &lt;Namur&gt;" in html and "<Namur>" not in html
    assert "<td>présent</td>" in html and "<td>excusé</td>" in html
    assert "Conditions du dispositif : INAMI" in html


def _weasyprint_works() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


@pytest.mark.skipif(not _weasyprint_works(), reason="WeasyPrint (extra `pdf`) cannot be imported")
def test_pdf(meeting: tuple[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from pypdf import PdfReader

    person, ident = meeting
    record(person, ident, monkeypatch)
    target = tmp_path / "sheet.pdf"
    ok("render", "attendance", person, ident, "-f", "pdf", "-o", str(target))
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Feuille de présence" in text
    assert "Karim Ouali" in text and "infirmier à domicile" in text
    assert "Signatures" in text


def test_in_dutch_when_the_catalogs_hold_it(meeting: tuple[str, str]) -> None:
    if "nl" not in LANGS:
        pytest.skip("Dutch documents are not available in this build")
    person, ident = meeting
    text = ok("render", "attendance", person, ident, "--lang", "nl").stdout
    assert "Aanwezigheidslijst" in text and "Handtekeningen" in text


def test_a_cancelled_meeting_has_no_attendance(team: Path, meeting: tuple[str, str]) -> None:
    person, ident = meeting
    ok("concertation", "cancel", person, ident, "--reason", "Hospitalisé")
    refused(team, "render", "attendance", person, ident, match="was cancelled: nobody attended")
    refused(team, "render", "attendance", person, match="no concertation to come nor held")


def test_render_all_for_the_day_includes_the_sheet(
    meeting: tuple[str, str], tmp_path: Path
) -> None:
    person, ident = meeting
    out = tmp_path / "day"
    ok("render", "all", "--date", "2026-12-10", "--format", "html", "--out", str(out))
    sheet = out / person / f"2026-12-10-{ident}-attendance.html"
    assert "Feuille de présence" in sheet.read_text(encoding="utf-8")
    assert f'href="{person}/2026-12-10-{ident}-attendance.html"' in (out / "index.html").read_text()
    ok("render", "all", "--out", str(tmp_path / "all"))
    assert not list((tmp_path / "all").rglob("*attendance*"))
