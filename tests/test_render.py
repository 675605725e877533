"""`reseau render plan|network|invitation|minutes`: what each document says, in each
language and format, built from Marcel's real repository history (CASES.md, case 1)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import git, ok
from render_case import MARCEL, html_tags, html_text

pytest_plugins = ["render_fixtures"]  # the `seed` and `repo` fixtures

DOCS = ("plan", "network", "minutes", "invitation")

# What a reader must find in each document, per language (checked in md and html).
EXPECTED = {
    ("plan", "fr"): [
        "Plan d’accompagnement",
        "Marcel Janssens",
        "86 ans",
        "Rue des Tilleuls 12, 5000 Namur",
        "Hospitalisé trois semaines",
        "accord au partage d’informations",
        "Karim Ouali",
        "infirmier à domicile",
        "0470 12 34 56",
        "karim.ouali@soins-nord.example",
        "Élise Marchal",
        "Rester vivre chez moi",
        "priorité de la personne",
        "Passage infirmier du soir",
        "10 nov. 2026",
        "en retard",
        "Exercices d'équilibre deux fois par semaine",
        "22 oct. 2026",
        "Tenir le carnet de liaison à jour",
        "Dr Anne Lambert",
        "médecin traitant",
        "Cabinet médical du village",
        "+32 81 22 33 44",
        "10 janv. 2026",
        "Réunion de coordination du 5 novembre 2026",
        "jeudi 10 décembre 2026 à 14:30",
        "27 octobre 2026",
        "8 décembre 2026",
        "samedi 28 novembre 2026",
    ],
    ("plan", "en"): [
        "Support plan",
        "Marcel Janssens",
        "aged 86",
        "Karim Ouali",
        "0470 12 34 56",
        "the person’s priority",
        "Rester vivre chez moi",
        "Passage infirmier du soir",
        "10 Nov 2026",
        "overdue",
        "Dr Anne Lambert",
        "+32 81 22 33 44",
        "Coordination meeting on 5 November 2026",
        "Thursday, 10 December 2026 at 14:30",
        "8 December 2026",
        "Saturday, 28 November 2026",
    ],
    ("network", "fr"): [
        "Fiche réseau",
        "Professionnels",
        "Services",
        "Famille et proches aidants",
        "Bénévoles",
        "Karim Ouali",
        "★ coordination",
        "Aide familiale Nord asbl",
        "081 40 50 60",
        "Luc Janssens",
        "fils, aidant",
        "luc.janssens@example.org",
        "Rosa Martins",
        "Ont fait partie du réseau",
        "Sophie Delvaux",
        "sortie de l'hôpital",
    ],
    ("network", "en"): [
        "Network sheet",
        "Professionals",
        "Family and carers",
        "Volunteers",
        "★ coordinator",
        "Former members",
        "Sophie Delvaux",
    ],
    ("minutes", "fr"): [
        "Compte rendu",
        "Réunion de coordination",
        "jeudi 5 novembre 2026 à 10:00",
        "Domicile de M. Janssens",
        "a participé",
        "Luc Janssens",
        "Rosa, voisine",
        "Absents",
        "Julie Peeters",
        "Bilan des six semaines",
        "Les nuits restent difficiles.",
        "Ajouter un passage infirmier le soir",
        "Passage infirmier du soir",
        "Depuis la réunion de synthèse du mardi 15 septembre 2026",
        "Reprendre la demande d'allocation",
        "Installer un bouton d'alarme",
        "Demande d'allocation d'aide à domicile",
        "Pharmacie du Centre",
        "Sophie Delvaux",
        "jeudi 10 décembre 2026",
    ],
    ("minutes", "en"): [
        "Minutes",
        "Coordination meeting",
        "Thursday, 5 November 2026 at 10:00",
        "took part",
        "Absent",
        "Actions added",
        "Actions done",
        "Actions cancelled",
        "Joined the network",
        "Left the network",
        "Since the synthesis meeting of Tuesday, 15 September 2026",
        "Thursday, 10 December 2026",
    ],
    ("invitation", "fr"): [
        "Convocation",
        "Concertation autour de Marcel Janssens",
        "jeudi 10 décembre 2026",
        "de 14:30 à 16:00",
        "Domicile de M. Janssens, rue des Tilleuls 12, Namur",
        "Karim Ouali",
        "Dr Anne Lambert",
        "médecin traitant",
        "Aide familiale Nord",
        "Nuits et passage du soir",
        "Allocation d'aide à domicile",
        "Carnet de liaison",
        "Liste des médicaments",
        "Merci de confirmer votre présence",
    ],
    ("invitation", "en"): [
        "Invitation",
        "Concertation about Marcel Janssens",
        "Thursday, 10 December 2026",
        "from 14:30 to 16:00",
        "Purpose",
        "Invited",
        "Agenda",
        "Please bring",
        "Carnet de liaison",
        "Please tell Karim Ouali (0470 12 34 56, karim.ouali@soins-nord.example) whether you can attend.",
    ],
}


def md_text(markdown: str) -> str:
    """Markdown as a reader sees it: escapes and emphasis markers gone."""
    text = markdown.replace("**", "")
    for char in "\\":
        text = text.replace(char, "")
    return " ".join(text.split())


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("doc", DOCS)
def test_each_document_in_markdown(repo: Path, doc: str, lang: str) -> None:
    out = ok("render", doc, MARCEL, "--lang", lang).stdout
    assert out.startswith("# ")
    text = md_text(out)
    for expected in EXPECTED[(doc, lang)]:
        assert expected.casefold() in text.casefold(), expected


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("doc", DOCS)
def test_each_document_in_html(repo: Path, doc: str, lang: str) -> None:
    out = ok("render", doc, MARCEL, "--lang", lang, "--format", "html").stdout
    assert out.startswith("<!DOCTYPE html>")
    assert f'<html lang="{lang}">' in out
    text = html_text(out)
    for expected in EXPECTED[(doc, lang)]:
        assert expected.casefold() in text.casefold(), expected
    assert "Réseau Santé Nord" in text  # the team's header
    # Self-contained and print-ready: inline style, A4 pages, nothing fetched, no script.
    tags = html_tags(out)
    assert "style" in tags and "link" not in tags and "script" not in tags and "img" not in tags
    assert "size: A4" in out and "@page" in out
    assert 'name="viewport"' in out
    assert "http://" not in out and "https://" not in out and "@import" not in out


def test_language_comes_from_settings(repo: Path) -> None:
    settings = repo / "reseau.yaml"
    settings.write_text(settings.read_text().replace("lang: fr", "lang: en"))
    git(repo, "commit", "-qam", "settings: english")
    assert ok("render", "plan", MARCEL).stdout.startswith("# Support plan — Marcel Janssens")
    assert ok("render", "plan", MARCEL, "--lang", "fr").stdout.startswith("# Plan d’accompagnement")


def test_plan_puts_the_persons_priority_first_and_dates_the_version(repo: Path) -> None:
    out = ok("render", "plan", MARCEL).stdout
    # o-walk comes first in the file; the person's priority comes first on paper.
    assert out.index("★ Rester vivre chez moi") < out.index("Remarcher jusqu'à la boulangerie")
    head = git(repo, "log", "-1", "--format=%h", "--abbrev=7", "--", f"persons/{MARCEL}.yaml")
    assert f"version {head.strip()}" in out
    # The coordinator leads the network table.
    network = out[out.index("## Réseau") :]
    first_row = network.splitlines()[4]
    assert first_row.startswith("| Karim Ouali ★ coordination | infirmier à domicile |")
    # A past member is not listed as a current one.
    assert "Sophie Delvaux" not in network.split("## Concertations")[0]


def test_network_sheet_groups_by_kind_with_the_coordinator_first(repo: Path) -> None:
    out = ok("render", "network", MARCEL).stdout
    order = ["## Professionnels", "## Services", "## Famille et proches aidants", "## Bénévoles"]
    assert [out.index(h) for h in order] == sorted(out.index(h) for h in order)
    professionals = out[out.index("## Professionnels") : out.index("## Services")]
    rows = [
        line for line in professionals.splitlines() if line.startswith("| ") and "---" not in line
    ]
    assert rows[1].startswith("| Karim Ouali ★ coordination |")
    assert "| Élise Marchal | case manager | Plateforme d'intégration Nord | 081 30 30 30 |" in out
    past = out[out.index("## Ont fait partie du réseau") :]
    assert (
        "Sophie Delvaux (assistante sociale de l'hôpital) : 1er sept. 2026 → 1er oct. 2026" in past
    )


def section(text: str, title: str) -> str:
    start = text.index(title)
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_minutes_tell_what_changed_since_the_previous_concertation(repo: Path) -> None:
    out = ok("render", "minutes", MARCEL).stdout  # the latest held: c-reeval
    changes = section(out, "## Ce qui a changé")
    added = changes[changes.index("### Actions ajoutées") : changes.index("### Actions réalisées")]
    assert "Reprendre la demande d'allocation — Élise Marchal, échéance 20 nov. 2026" in added
    assert "Exercices d'équilibre deux fois par semaine — Julie Peeters" in added
    # Decided at this very meeting: listed with the decided actions, not as a change.
    assert "Passage infirmier du soir" not in added
    assert "Passage infirmier du soir" in section(out, "## Actions décidées")
    done = changes[changes.index("### Actions réalisées") : changes.index("### Actions annulées")]
    assert "Installer un bouton d'alarme — Luc Janssens" in done
    cancelled = changes[changes.index("### Actions annulées") :]
    assert "Demande d'allocation d'aide à domicile — Sophie Delvaux" in cancelled
    joined = changes[changes.index("### Arrivées") : changes.index("### Départs")]
    assert "Pharmacie du Centre, pharmacie — depuis le 15 oct. 2026" in joined
    left = changes[changes.index("### Départs") :]
    assert "Sophie Delvaux" in left and "(sortie de l'hôpital)" in left
    present = section(out, "## Participants")
    assert "Présents** : Karim Ouali (infirmier à domicile)" in present
    assert "Absents** : Julie Peeters (kinésithérapeute)" in present


def test_minutes_of_the_first_concertation(repo: Path) -> None:
    out = ok("render", "minutes", MARCEL, "c-synth").stdout
    assert "Réunion de synthèse" in out
    assert "Excusés** : Julie Peeters" in out
    assert "Karim Ouali (infirmier à domicile) est désigné·e pour coordonner" in out
    assert "C’était la première concertation" in out
    assert "| Repas livrés dès le jour de la sortie | Aide familiale Nord" in out


def test_minutes_when_the_history_does_not_go_back_that_far(repo: Path) -> None:
    """A file written outside reseau: its concertations are not in any commit."""
    path = repo / "persons" / f"{MARCEL}.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["id"] = "p-import"
    (repo / "persons" / "p-import.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True))
    out = ok("render", "minutes", "p-import", "c-reeval").stdout
    changes = section(out, "## Ce qui a changé")
    # The dates in the file still tell what changed, and the minutes say where from.
    assert "Reprendre la demande d'allocation" in changes
    assert "Installer un bouton d'alarme" in changes
    assert "Sophie Delvaux" in changes and "Pharmacie du Centre" in changes
    assert "l’historique du dossier ne remonte pas jusque-là" in changes
    # Without dates, nothing can be said: the minutes do not claim "no change".
    for action in doc["plan"]["actions"]:
        action.pop("created", None)
        action.pop("closed", None)
    for m in doc["network"]:
        m["since"] = "2026-01-01"
        m.pop("until", None)
    (repo / "persons" / "p-import.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True))
    changes = section(ok("render", "minutes", "p-import", "c-reeval").stdout, "## Ce qui a")
    assert "Aucun changement daté dans le dossier" in changes
    assert "Aucun changement dans le plan" not in changes


def test_invitation_defaults_to_the_next_planned_concertation(repo: Path) -> None:
    out = ok("render", "invitation", MARCEL).stdout
    assert out == ok("render", "invitation", MARCEL, "c-next").stdout
    invited = section(out, "## Personnes invitées")
    assert "- Dr Anne Lambert, médecin traitant (Cabinet médical du village)" in invited
    assert "- Luc Janssens, fils, aidant" in invited
    agenda = section(out, "## Ordre du jour")
    assert "1. Nuits et passage du soir\n2. Allocation d'aide à domicile\n3." in agenda


def test_invitation_as_a_calendar_event(repo: Path) -> None:
    import datetime as dt
    from zoneinfo import ZoneInfo

    from icalendar import Calendar

    raw = ok("render", "invitation", MARCEL, "--format", "ics", "--full").stdout_bytes
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    cal = Calendar.from_ical(raw)
    events = cal.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["UID"]) == f"c-next.{MARCEL}@reseau"
    start = event.decoded("DTSTART")
    assert start == dt.datetime(2026, 12, 10, 14, 30, tzinfo=ZoneInfo("Europe/Brussels"))
    assert event.decoded("DTEND") - start == dt.timedelta(minutes=90)
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert str(event["SUMMARY"]) == "Concertation — Marcel Janssens"
    assert str(event["LOCATION"]) == "Domicile de M. Janssens, rue des Tilleuls 12, Namur"
    assert "1. Nuits et passage du soir" in str(event["DESCRIPTION"])
    attendees = event["ATTENDEE"]
    emails = sorted(str(a) for a in attendees)
    assert emails == [
        "mailto:anne.lambert@cabinet-village.example",
        "mailto:elise.marchal@plateforme-nord.example",
        "mailto:luc.janssens@example.org",
    ]
    assert {a.params["CN"] for a in attendees} == {
        "Dr Anne Lambert",
        "Élise Marchal",
        "Luc Janssens",
    }
    assert str(event["ORGANIZER"]) == "mailto:karim.ouali@soins-nord.example"
    # DTSTAMP is the last change of the file: stable for a given repository state.
    assert event.decoded("DTSTAMP") == dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


def test_calendar_uid_is_stable_and_time_zone_comes_from_settings(repo: Path) -> None:
    from icalendar import Calendar

    first = ok("render", "invitation", MARCEL, "-f", "ics").stdout_bytes
    settings = repo / "reseau.yaml"
    settings.write_text(settings.read_text().replace("Europe/Brussels", "America/Montreal"))
    git(repo, "commit", "-qam", "settings: time zone")
    second = ok("render", "invitation", MARCEL, "-f", "ics").stdout_bytes
    one, two = (Calendar.from_ical(x).walk("VEVENT")[0] for x in (first, second))
    assert one["UID"] == two["UID"]
    assert two["DTSTART"].params["TZID"] == "America/Montreal"
    assert two.decoded("DTSTART").hour == 14


def test_escaping_in_every_field(repo: Path) -> None:
    evil = "<script>alert(1)</script>"
    path = repo / "persons" / f"{MARCEL}.yaml"
    doc = yaml.safe_load(path.read_text())
    doc["identity"]["given_name"] = f"Marcel {evil}"
    doc["identity"]["address"] = evil
    doc["situation"] = f"Vit seul.\n\n{evil}"
    doc["consent"]["scope"] = evil
    doc["plan"]["objectives"][1]["text"] = f"Rester chez moi {evil}"
    doc["plan"]["actions"][0]["text"] = f"Allocation {evil}"
    doc["network"][0]["role"] = f"médecin {evil}"
    for c in doc["concertations"]:
        c["place"] = f"Salle {evil}"
        c["agenda"] = [evil]
        c["summary"] = evil
        c["decisions"] = [evil]
        c.setdefault("bring", []).append(evil)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    entry = repo / "intervenants" / "julie-peeters.yaml"
    entry.write_text(entry.read_text().replace("Julie Peeters", f"Julie {evil}"))
    git(repo, "commit", "-qam", "evil")
    for kind in DOCS:
        html = ok("render", kind, MARCEL, "-f", "html").stdout
        assert "<script" not in html, kind
        assert "&lt;script&gt;" in html, kind
        assert evil in html_text(html), kind  # shown as text, exactly as typed
        markdown = ok("render", kind, MARCEL).stdout
        assert not re.search(r"(?<!\\)<", markdown), kind  # every < escaped as \<
        assert r"\<script\>alert(1)\</script\>" in markdown, kind
    description = ok("render", "invitation", MARCEL, "-f", "ics", "--full").stdout
    assert evil in description.replace("\r\n ", "")  # plain text in a calendar is fine


def test_output_file_and_stdout(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "docs" / "plan.html"
    result = ok("render", "plan", MARCEL, "-f", "html", "-o", str(target))
    assert result.stdout == ""
    assert f"Wrote {target}" in result.stderr
    assert target.read_text(encoding="utf-8") == ok("render", "plan", MARCEL, "-f", "html").stdout


def test_same_repository_state_renders_the_same_bytes(repo: Path) -> None:
    runs = []
    for _ in range(2):
        outputs = []
        for kind in DOCS:
            for fmt in ("md", "html"):
                outputs.append(ok("render", kind, MARCEL, "-f", fmt).stdout_bytes)
        outputs.append(ok("render", "invitation", MARCEL, "-f", "ics").stdout_bytes)
        runs.append(outputs)
    assert runs[0] == runs[1]


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )


def _weasyprint_works() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: installed, but Pango is missing
        return False
    return True


@pytest.mark.skipif(not _weasyprint_works(), reason="WeasyPrint (extra `pdf`) cannot be imported")
def test_pdf(repo: Path, tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    for kind in ("plan", "minutes"):
        target = tmp_path / f"{kind}.pdf"
        ok("render", kind, MARCEL, "--format", "pdf", "-o", str(target))
        data = target.read_bytes()
        assert data.startswith(b"%PDF")
        text = _pdf_text(data)
        assert "Marcel Janssens" in text and "Réseau Santé Nord" in text
        again = tmp_path / f"{kind}-again.pdf"
        ok("render", kind, MARCEL, "--format", "pdf", "-o", str(again))
        assert again.read_bytes() == data
    assert "Rester vivre chez moi" in _pdf_text((tmp_path / "plan.pdf").read_bytes())
    assert "Passage infirmier du soir" in _pdf_text((tmp_path / "minutes.pdf").read_bytes())
    # Without -o and not on a terminal, the PDF goes to stdout.
    assert ok("render", "network", MARCEL, "-f", "pdf").stdout_bytes.startswith(b"%PDF")


def test_pdf_without_weasyprint_says_how_to_install_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from conftest import refused

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint -> ImportError
    result = refused(
        repo,
        "render",
        "plan",
        MARCEL,
        "-f",
        "pdf",
        "-o",
        str(tmp_path / "p.pdf"),
        match="pip install 'reseau-cli[pdf]'",
    )
    assert not (tmp_path / "p.pdf").exists()
    assert result.stdout == ""


@pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser")),
    reason="Chromium is not installed (apt-get install chromium); .ci/run installs it",
)
def test_plan_opens_in_a_real_browser(repo: Path, tmp_path: Path) -> None:
    page = tmp_path / "plan.html"
    ok("render", "plan", MARCEL, "-f", "html", "-o", str(page))
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    dom = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    text = html_text(dom)
    assert "Marcel Janssens" in text
    assert "Passage infirmier du soir" in text and "Installer un bouton d'alarme" in text


def test_calendar_event_without_a_time_lasts_the_day(repo: Path) -> None:
    import datetime as dt

    from icalendar import Calendar

    path = repo / "persons" / f"{MARCEL}.yaml"
    doc = yaml.safe_load(path.read_text())
    del doc["concertations"][-1]["time"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    git(repo, "commit", "-qam", "no time yet")
    cal = Calendar.from_ical(ok("render", "invitation", MARCEL, "-f", "ics").stdout_bytes)
    event = cal.walk("VEVENT")[0]
    assert event.decoded("DTSTART") == dt.date(2026, 12, 10)
    assert event.decoded("DTEND") == dt.date(2026, 12, 11)
    assert "Heure** : à confirmer" in ok("render", "invitation", MARCEL).stdout
