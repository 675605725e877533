"""Defects QA found in rendered documents, each pinned by a test.

Most tests use the example team (examples/team) imported into git in ONE commit, the
way a team that starts from existing files would: its history holds no intermediate
versions, only what the files themselves record."""

from __future__ import annotations

import re
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


# -- 2. the team name in the print footer ---------------------------------------------------


def _rename_team(root: Path, name: str) -> None:
    settings = root / "reseau.yaml"
    text = settings.read_text(encoding="utf-8")
    quoted = "'" + name.replace("'", "''") + "'"
    settings.write_text(text.replace("team: Réseau Santé Nord", f"team: {quoted}"), "utf-8")
    git(root, "commit", "-qam", "settings: team name")


def _style(html: str) -> str:
    return html[html.index("<style>") : html.index("</style>")]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_team_name_in_the_print_footer_is_escaped_for_css_not_html(
    imported: Path, lang: str
) -> None:
    _rename_team(imported, "Réseau d'Aide Nord")
    html = ok("render", "plan", MARCEL, "-f", "html", "--lang", lang).stdout
    footer = "document confidentiel" if lang == "fr" else "confidential"
    assert f'content: "Réseau d\'Aide Nord · {footer}"' in _style(html)
    assert "&#39;" not in _style(html) and "&amp;" not in _style(html)


def test_a_team_name_cannot_break_out_of_the_css_string_or_the_style_element(
    imported: Path,
) -> None:
    from render_case import html_tags, html_text

    _rename_team(imported, 'Aide "Nord" & Co\\ </style><script>alert(1)</script>')
    html = ok("render", "plan", MARCEL, "-f", "html").stdout
    style = _style(html)
    assert "<script" not in html and "script" not in html_tags(html)
    assert "</style" not in style[1:] and "<" not in style[1:]
    line = next(x for x in style.splitlines() if "@bottom-left" in x)
    assert r'content: "Aide \22 Nord\22  & Co\5c  \3c /style\3e \3c script\3e ' in line
    assert 'Aide "Nord" & Co\\ </style><script>alert(1)</script>' in html_text(html)


def _weasyprint_works() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


@pytest.mark.skipif(not _weasyprint_works(), reason="WeasyPrint (extra `pdf`) cannot be imported")
def test_team_name_in_the_pdf_footer(imported: Path) -> None:
    import io

    from pypdf import PdfReader

    _rename_team(imported, 'Réseau d\'Aide "Nord"')
    data = ok("render", "network", MARCEL, "-f", "pdf").stdout_bytes
    pages = PdfReader(io.BytesIO(data)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert 'Réseau d\'Aide "Nord" · document confidentiel' in text
    assert "&#39;" not in text and "&quot;" not in text


# -- 3. -o and --out never overwrite the team's data --------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "persons/p-m4rc3l.yaml",
        "persons/notes.md",
        "intervenants/karim-ouali.yaml",
        "templates/fr/plan.html.j2",
        "reseau.yaml",
        "NOTES.md",  # any file git tracks in the data repository
        ".git/config",
    ],
)
def test_render_refuses_to_write_over_the_data_repository(
    imported: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    from conftest import refused

    (imported / "NOTES.md").write_text("team notes\n")
    git(imported, "add", "NOTES.md")
    git(imported, "commit", "-qm", "notes")
    monkeypatch.chdir(imported)
    for path in (target, str(imported / target)):
        result = refused(imported, "render", "plan", MARCEL, "-o", path, match="refusing to write")
        assert "data repository" in result.stderr
    assert not (imported / "persons" / "notes.md").exists()


def test_render_refuses_a_link_to_a_tracked_file(imported: Path, tmp_path: Path) -> None:
    from conftest import refused

    link = tmp_path / "plan.md"
    link.symlink_to(imported / "persons" / f"{MARCEL}.yaml")
    refused(imported, "render", "plan", MARCEL, "-o", str(link), match="refusing to write")


def test_render_writes_elsewhere_and_over_its_own_output(imported: Path, tmp_path: Path) -> None:
    inside = imported / "out" / "plan.md"
    ok("render", "plan", MARCEL, "-o", str(inside))
    ok("render", "plan", MARCEL, "-o", str(inside))  # rendering again replaces it
    outside = tmp_path / "plan.md"
    outside.write_text("old")
    ok("render", "plan", MARCEL, "-o", str(outside))
    assert outside.read_text(encoding="utf-8").startswith("# Plan d’accompagnement")


@pytest.mark.parametrize("folder", ["persons", "intervenants", "templates", "persons/docs", "."])
def test_render_all_refuses_a_folder_of_the_data_repository(
    imported: Path, monkeypatch: pytest.MonkeyPatch, folder: str
) -> None:
    from conftest import refused

    monkeypatch.chdir(imported)
    refused(imported, "render", "all", "--out", folder, match="refusing to write")
    refused(imported, "render", "all", "--out", str(imported / folder), match="refusing to write")


def test_render_all_refuses_a_folder_holding_the_repository(imported: Path) -> None:
    from conftest import refused

    result = refused(
        imported, "render", "all", "--out", str(imported.parent), match="refusing to write"
    )
    assert "tracked" in result.stderr


def test_render_all_into_a_new_folder_of_the_repository(imported: Path) -> None:
    ok("render", "all", "--out", str(imported / "docs"), "--person", MARCEL)
    assert (imported / "docs" / "index.html").is_file()


# -- 6. ages that cannot be right are not printed -----------------------------------------


def _set_birth_date(root: Path, birth_date: str) -> None:
    path = root / "persons" / f"{MARCEL}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("birth_date: '1940-05-03'", f"birth_date: '{birth_date}'"))
    git(root, "commit", "-qam", f"{MARCEL}: birth date")


# A birth date before 1900 no longer loads at all (dates stay in 1900-2199, issue 19):
# the future is the impossible age left to guard against.
@pytest.mark.parametrize("birth_date", ["2027-03-01"])
def test_an_impossible_age_is_not_printed(imported: Path, birth_date: str) -> None:
    _set_birth_date(imported, birth_date)
    for lang in ("fr", "en"):
        for kind in ("plan", "network", "invitation"):
            for fmt in ("md", "html"):
                out = ok("render", kind, MARCEL, "--lang", lang, "-f", fmt).stdout
                # The timeline's markers carry ISO dates (data-date="2026-11-28"): not ages.
                out = re.sub(r'data-[a-z]+="[^"]*"', "", out)
                assert "146" not in out and "-1" not in out and "( ans)" not in out, kind
                assert "ans)" not in out and "aged" not in out, (kind, lang, fmt)
    shown = ok("person", "show", MARCEL).stdout
    assert "146" not in shown and "-1 year" not in shown and "years" not in shown


def test_age_filter_in_a_team_template_never_crashes(imported: Path) -> None:
    (imported / "templates" / "fr").mkdir(parents=True)
    (imported / "templates" / "fr" / "plan.md.j2").write_text(
        "{{ person.birth_date|age }}|{{ '1880-01-01'|age }}|{{ '2030-01-01'|age }}|"
        "{{ 'demain'|age }}|{{ none|age }}|{{ '2026-11-28'|age }}\n"
    )
    assert ok("render", "plan", MARCEL).stdout == "86|||||0\n"


# -- 5. wording ----------------------------------------------------------------------------

INES = "p-1n3sb0"


def _edit_person(root: Path, ident: str, change) -> None:
    import yaml

    path = root / "persons" / f"{ident}.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    git(root, "commit", "-qam", f"{ident}: hand edit")


def test_french_elides_de_before_a_vowel(imported: Path) -> None:
    for fmt in ("md", "html"):
        minutes = ok("render", "minutes", INES, "-f", fmt).stdout
        assert "autour d’Inès Boukhari" in minutes and "de Inès" not in minutes
        invitation = ok("render", "invitation", MARCEL, "-f", fmt).stdout
        assert "auprès d’Élise Marchal" in invitation and "de Élise" not in invitation
        assert "autour de Marcel Janssens" in invitation
        assert "l’accompagnement de Marcel Janssens" in invitation
    (imported / "templates" / "fr").mkdir(parents=True)
    (imported / "templates" / "fr" / "plan.md.j2").write_text(
        "{{ 'Inès'|de }}|{{ 'Henri'|de }}|{{ 'Yves'|de }}|{{ 'Yasmine'|de }}|"
        "{{ 'Le Relais'|de }}|{{ 'Marcel'|de }}|{{ 'Œuvre'|de }}|"
        "{{ 'évaluation'|la }}|{{ 'entretien'|le }}|{{ 'concertation'|la }}|{{ 'bilan'|le }}\n"
    )
    assert ok("render", "plan", MARCEL).stdout == (
        "d’Inès|d’Henri|d’Yves|de Yasmine|du Relais|de Marcel|d’Œuvre|"
        "l’évaluation|l’entretien|la concertation|le bilan\n"
    )


@pytest.mark.parametrize(
    ("birth_date", "fr", "en", "show"),
    [
        ("2025-06-01", "(1 an)", "(aged 1)", "1 year (born"),
        ("2026-06-01", "(0 an)", "(aged 0)", "0 years (born"),
        ("1940-05-03", "(86 ans)", "(aged 86)", "86 years (born"),
    ],
)
def test_ages_agree_in_number(imported: Path, birth_date: str, fr: str, en: str, show: str) -> None:
    if birth_date != "1940-05-03":
        _set_birth_date(imported, birth_date)
    for kind in ("plan", "network"):
        out = ok("render", kind, MARCEL).stdout
        line = next(x for x in out.splitlines() if x.startswith("- Naissance"))
        assert line.endswith(fr), line  # one line of its own, the age agreeing
        assert fr in ok("render", kind, MARCEL, "-f", "html").stdout
        assert en in ok("render", kind, MARCEL, "--lang", "en").stdout
    assert fr in ok("render", "invitation", MARCEL).stdout
    assert show in ok("person", "show", MARCEL).stdout


def test_english_invitation_asks_to_tell_the_organiser(imported: Path) -> None:
    for fmt in ("md", "html"):
        out = ok("render", "invitation", MARCEL, "--lang", "en", "-f", fmt).stdout
        assert (
            "Please tell Élise Marchal (+32 81 55 07 07, elise.marchal@plateforme.example)" in out
        )
        assert "whether you can attend." in out and "attend to" not in out


def test_minutes_give_each_role_as_it_was_at_the_meeting(imported: Path) -> None:
    def promote(doc: dict) -> None:
        for m in doc["network"]:
            if m["intervenant"] == "karim-ouali":
                m["until"] = "2026-11-10"
        doc["network"].append(
            {"intervenant": "karim-ouali", "role": "infirmier référent", "since": "2026-11-10"}
        )

    _edit_person(imported, MARCEL, promote)
    for fmt in ("md", "html"):
        out = ok("render", "minutes", MARCEL, "c-s7n3", "-f", fmt).stdout
        assert "référent" not in out
        assert out.count("infirmier à domicile") >= 3  # present, decided action, coordinator
    # Today's documents give today's role.
    assert "infirmier référent" in ok("render", "plan", MARCEL).stdout
    # Between two meetings, a new role is a new role, not a departure and an arrival.
    ok(
        "concertation",
        "record",
        MARCEL,
        "c-r3v1",
        "--date",
        "2026-11-28",
        "--participant",
        "karim-ouali",
    )
    changes = section(ok("render", "minutes", MARCEL).stdout, "## Ce qui a changé")
    assert (
        "### Changements de rôle\n\n"
        "- Karim Ouali : infirmier à domicile → infirmier référent, depuis le 10 nov. 2026\n"
    ) in changes
    assert "Arrivées" not in changes
    assert "Karim" not in changes[changes.index("### Départs") :]
    english = ok("render", "minutes", MARCEL, "--lang", "en", "-f", "html").stdout
    assert "Roles changed" in english


def test_minutes_list_invitees_whose_attendance_was_not_recorded_and_name_others_once(
    imported: Path,
) -> None:
    ok(
        "concertation",
        "record",
        MARCEL,
        "c-r3v1",
        "--date",
        "2026-11-28",
        "--participant",
        "karim-ouali",
        "--other",
        "Rosa, voisine",
        "--other",
        "Luc Janssens",
        "--other",
        "Karim Ouali",
        "--other",
        "Rosa, voisine",
    )
    out = ok("render", "minutes", MARCEL).stdout
    participants = section(out, "## Participants")
    assert (
        "- **Présents** : Karim Ouali (infirmier à domicile), Luc Janssens (fils, aidant proche)\n"
        "- **Aussi présents** : Rosa, voisine\n"
        "- **Invités, présence non notée** : Dr Anne Lambert (médecin traitant), "
        "Julie Peeters (kinésithérapeute), Aide familiale Nord (aide à domicile)\n"
    ) in participants
    assert "- **Proches aidants** : Luc Janssens\n" in out
    for name in ("Rosa, voisine", "Luc Janssens", "Karim Ouali"):
        head = out[: out.index("## Ordre du jour")]
        assert head.count(name) == (2 if name == "Luc Janssens" else 1), name
    english = ok("render", "minutes", MARCEL, "--lang", "en", "-f", "html").stdout
    assert "Invited, attendance not recorded" in english and "Dr Anne Lambert" in english
    assert english.count("Rosa, voisine") == 1


def test_no_organiser_is_said_so_not_replaced_by_the_concertation_lead(imported: Path) -> None:
    def drop(doc: dict) -> None:
        for c in doc["concertations"]:
            c.pop("organiser", None)

    _edit_person(imported, MARCEL, drop)
    minutes = ok("render", "minutes", MARCEL).stdout
    assert "- **Organisée par** : non noté\n" in minutes
    invitation = ok("render", "invitation", MARCEL).stdout
    assert "- **Organisé par** : non noté\n" in invitation
    assert "Élise Marchal" not in invitation and "Merci de confirmer" not in invitation
    html = ok("render", "invitation", MARCEL, "-f", "html", "--lang", "en").stdout
    assert "not recorded" in html and "Élise Marchal" not in html


def test_a_committed_out_link_cannot_send_documents_elsewhere(
    imported: Path, tmp_path: Path
) -> None:
    """A teammate (or a hostile repository) commits `out` as a link to another folder:
    `render all` and `render -o out/…` refuse to write through it; nothing lands there."""
    from conftest import refused

    victim = tmp_path / "victim"
    victim.mkdir()
    (imported / "out").symlink_to(victim)
    git(imported, "add", "out")
    git(imported, "commit", "-qm", "a link")
    result = refused(imported, "render", "all", match="is a symbolic link inside the data")
    assert "out" in result.stderr
    refused(imported, "render", "plan", MARCEL, "-o", str(imported / "out" / "plan.md"),
            match="is a symbolic link")  # fmt: skip
    assert list(victim.iterdir()) == []
