"""`reseau render all`, team templates and everything render must refuse."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import git, invoke, ok, refused
from render_case import MARCEL, html_text, write

pytest_plugins = ["render_fixtures"]  # the `seed` and `repo` fixtures

# render all adds each person's ecomap when Graphviz is installed.
ECOMAP = ["ecomap.svg"] if shutil.which("dot") else []


# -- bad input ---------------------------------------------------------------------------


def test_unknown_person_and_concertation(repo: Path) -> None:
    refused(repo, "render", "plan", "p-nobody", match="unknown person 'p-nobody'")
    refused(repo, "render", "minutes", MARCEL, "c-nope", match="unknown concertation 'c-nope'")
    refused(repo, "render", "invitation", MARCEL, "../x", match="invalid concertation id")
    refused(repo, "render", "plan", "../../etc", match="invalid person id")


def test_minutes_of_a_planned_and_invitation_of_a_held_concertation(repo: Path) -> None:
    refused(
        repo,
        "render",
        "minutes",
        MARCEL,
        "c-next",
        match="c-next is planned for 2026-12-10, not held",
    )
    refused(
        repo,
        "render",
        "invitation",
        MARCEL,
        "c-reeval",
        "-f",
        "ics",
        match="c-reeval was already held on 2026-11-05",
    )


def test_nothing_to_render(team: Path, marcel: str) -> None:
    refused(team, "render", "minutes", marcel, match="has no held concertation")
    refused(team, "render", "invitation", marcel, match="has no planned concertation")
    # A person with nothing yet still has a plan, saying so.
    out = ok("render", "plan", marcel).stdout
    assert "Aucun objectif n’est encore formulé" in out
    assert "personne n’est désigné" in out
    assert "Aucun intervenant n’est encore inscrit" in out
    for kind in ("plan", "network"):
        page = html_text(ok("render", kind, marcel, "-f", "html", "--lang", "en").stdout)
        assert "Marcel Janssens" in page and "Nobody is in the network yet." in page


def test_bad_format_and_language(repo: Path) -> None:
    refused(repo, "render", "plan", MARCEL, "-f", "ics", match="plan cannot be rendered as 'ics'")
    refused(repo, "render", "plan", MARCEL, "-f", "docx", match="use md, html, pdf")
    refused(repo, "render", "plan", MARCEL, "--lang", "de", match="unknown language 'de'")
    refused(repo, "render", "all", "-f", "ics", match="render all cannot use format 'ics'")
    refused(repo, "render", "all", "--date", "2026-13-01", match="invalid --date")


def test_unknown_time_zone(repo: Path) -> None:
    settings = repo / "reseau.yaml"
    settings.write_text(settings.read_text().replace("Europe/Brussels", "Mars/Olympus"))
    git(repo, "commit", "-qam", "settings")
    refused(
        repo, "render", "invitation", MARCEL, "-f", "ics", match="unknown time zone 'Mars/Olympus'"
    )


def test_output_folder_that_cannot_be_written(repo: Path, tmp_path: Path) -> None:
    # As root, permissions stop nothing: a parent that is a file stops everyone.
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    refused(
        repo,
        "render",
        "plan",
        MARCEL,
        "-o",
        str(blocker / "plan.md"),
        match=f"cannot write {blocker / 'plan.md'}: {blocker} is not a folder",
    )
    refused(repo, "render", "all", "--out", str(blocker / "out"), match="is not a folder")
    assert blocker.read_text() == "not a folder"
    assert not (repo / "out").exists()


# -- team templates --------------------------------------------------------------------------


def test_team_overrides_a_template(repo: Path) -> None:
    write(
        repo, "templates/fr/plan.md.j2", "Plan maison de {{ person.name }} ({{ person.age }} ans)\n"
    )
    write(repo, "templates/style.css.j2", "body { color: #123456; }\n")
    write(repo, "templates/fr/extra.md.j2", "{{ person.name }}\n")
    assert ok("render", "plan", MARCEL).stdout == "Plan maison de Marcel Janssens (86 ans)\n"
    html = ok("render", "plan", MARCEL, "-f", "html").stdout
    assert "body { color: #123456; }" in html and "--accent" not in html
    assert ok("render", "plan", MARCEL, "--lang", "en").stdout.startswith("# Support plan")
    listing = ok("render", "templates").stdout
    rows = {line.split()[0]: " ".join(line.split()[1:]) for line in listing.splitlines()[2:]}
    assert rows["fr/plan.md.j2"] == "overridden by the team"
    assert rows["style.css.j2"] == "overridden by the team"
    assert rows["fr/extra.md.j2"] == "team"
    assert rows["plan.md.j2"] == "built-in"
    assert "en/plan.md.j2" not in rows  # one set of templates, translated by the catalogs
    as_json = ok("render", "templates", "--json").stdout
    assert '"name": "fr/plan.md.j2",\n    "source": "overridden by the team"' in as_json


def test_show_a_built_in_template_to_copy_it(repo: Path) -> None:
    text = ok("render", "templates", "--show", "plan.md.j2").stdout
    assert text.startswith("{#- Support plan") and "{% trans" in text
    # The name of the layout before the one set shows the template it now means.
    assert ok("render", "templates", "--show", "fr/plan.md.j2").stdout == text
    refused(
        repo, "render", "templates", "--show", "fr/nope.j2", match="unknown template 'fr/nope.j2'"
    )


def test_template_with_a_syntax_error_names_file_and_line(repo: Path) -> None:
    write(repo, "templates/fr/plan.md.j2", "# Plan\n\n{% if person.name %}\nno end\n")
    refused(
        repo,
        "render",
        "plan",
        MARCEL,
        match="template templates/fr/plan.md.j2, line 4: unexpected end of template",
    )
    write(repo, "templates/fr/plan.html.j2", "<h1>\n{{ person.name | }}\n")
    refused(
        repo, "render", "plan", MARCEL, "-f", "html", match="templates/fr/plan.html.j2, line 2:"
    )


def test_template_with_an_undefined_variable_names_file_and_line(repo: Path) -> None:
    write(repo, "templates/fr/network.md.j2", "# {{ person.name }}\n\n{{ person.nickname }}\n")
    refused(
        repo,
        "render",
        "network",
        MARCEL,
        match="templates/fr/network.md.j2, line 3: 'dict object' has no attribute 'nickname'",
    )
    # In an included or extended template, the line is that template's own.
    write(
        repo,
        "templates/fr/base.html.j2",
        "<html>\n<body>\n{{ team.motto }}\n{% block content %}{% endblock %}\n",
    )
    refused(
        repo, "render", "network", MARCEL, "-f", "html", match="templates/fr/base.html.j2, line 3:"
    )


@pytest.mark.parametrize(
    "expression",
    [
        "{{ person.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ person.name.format.__globals__ }}",
    ],
)
def test_sandbox_violation_in_a_team_template(repo: Path, expression: str) -> None:
    write(repo, "templates/fr/plan.md.j2", f"# Plan\n{expression}\n")
    result = refused(
        repo,
        "render",
        "plan",
        MARCEL,
        match="templates/fr/plan.md.j2, line 2: not allowed in a template",
    )
    assert "unsafe" in result.stderr


def test_a_bug_in_a_builtin_template_would_name_it(repo: Path) -> None:
    # A team template that passes bad data into a built-in one: the error names the built-in.
    write(
        repo,
        "templates/fr/plan.html.j2",
        '{% extends "fr/base.html.j2" %}{% set version = {"commit": 1} %}\n',
    )
    result = invoke("render", "plan", MARCEL, "-f", "html")
    assert result.exit_code == 1
    assert re.search(r"error: template built-in base\.html\.j2, line \d+", result.stderr), (
        result.stderr
    )


# -- render all --------------------------------------------------------------------------------


def test_render_all_into_the_repositorys_out_folder(repo: Path) -> None:
    result = ok("render", "all")
    out = repo / "out"
    person = out / MARCEL
    names = sorted(p.name for p in person.iterdir())
    assert names == [
        "2026-09-15-c-synth-minutes.html",
        "2026-11-05-c-reeval-minutes.html",
        "2026-12-10-c-next-invitation.html",
        "2026-12-10-c-next-invitation.ics",
        *ECOMAP,
        "network.html",
        "plan.html",
    ]
    assert f"{6 + len(ECOMAP)} document(s) written to" in result.stderr
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in names:
        assert f'href="{MARCEL}/{name}"' in index
    assert "Marcel Janssens" in html_text(index)
    assert "Compte rendu du 15 sept. 2026" in html_text(index)
    assert git(repo, "status", "--porcelain") == ""  # out/ is git-ignored
    assert (person / "plan.html").read_bytes() == ok(
        "render", "plan", MARCEL, "-f", "html"
    ).stdout_bytes


def test_render_all_for_one_day_of_meetings(repo: Path, tmp_path: Path) -> None:
    ok("render", "all", "--date", "2026-12-10", "--format", "md", "--out", str(tmp_path / "day"))
    files = sorted(
        p.relative_to(tmp_path / "day").as_posix()
        for p in (tmp_path / "day").rglob("*")
        if p.is_file()
    )
    assert files == [
        "index.html",
        f"{MARCEL}/2026-12-10-c-next-attendance.md",
        f"{MARCEL}/2026-12-10-c-next-invitation.ics",
        f"{MARCEL}/2026-12-10-c-next-invitation.md",
        *(f"{MARCEL}/{name}" for name in ECOMAP),
        f"{MARCEL}/network.md",
        f"{MARCEL}/plan.md",
    ]
    assert "Rencontres du jeudi 10 décembre 2026" in html_text(
        (tmp_path / "day" / "index.html").read_text()
    )
    result = ok("render", "all", "--date", "2026-12-11", "--out", str(tmp_path / "none"))
    assert "0 document(s) written" in result.stderr
    assert "aucune rencontre ce jour-là" in (tmp_path / "none" / "index.html").read_text()


def test_render_all_is_deterministic(repo: Path, tmp_path: Path) -> None:
    trees = []
    for name in ("one", "two"):
        ok("render", "all", "--out", str(tmp_path / name), "--lang", "en")
        trees.append(
            {
                p.relative_to(tmp_path / name): p.read_bytes()
                for p in (tmp_path / name).rglob("*")
                if p.is_file()
            }
        )
    assert trees[0] == trees[1]
    assert len(trees[0]) == 8 + len(ECOMAP)  # the ecomap's SVG and figures.html too


def test_render_all_counts_failures_and_writes_the_rest(repo: Path, tmp_path: Path) -> None:
    write(repo, "templates/fr/minutes.html.j2", "{{ concertation.mood }}\n")
    (repo / "persons" / "p-broken.yaml").write_text("format: 1\nid: p-broken\nstatus: active\n")
    result = invoke("render", "all", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 4, result.stderr
    assert any("persons/p-broken.yaml" in e for e in errors)
    # The figures would be wrong without the unreadable file: refused, and not linked.
    assert any(e.startswith("error: figures.html: ") for e in errors)
    assert not (tmp_path / "out" / "figures.html").exists()
    assert sum("templates/fr/minutes.html.j2, line 1" in e for e in errors) == 2
    written = 4 + len(ECOMAP)
    assert f"{written} document(s) written" in result.stderr and "4 failed" in result.stderr
    person = tmp_path / "out" / MARCEL
    assert (person / "plan.html").is_file() and (
        person / "2026-12-10-c-next-invitation.ics"
    ).is_file()
    assert not (person / "2026-11-05-c-reeval-minutes.html").exists()
    index = html_text((tmp_path / "out" / "index.html").read_text())
    assert "échec Compte rendu du 5 nov. 2026" in index


def test_render_all_writes_the_teams_figures_and_links_them(repo: Path) -> None:
    ok("render", "all")
    out = repo / "out"
    figures = (out / "figures.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="figures.html"' in index
    assert "Les chiffres de l’équipe sur les 12 derniers mois" in html_text(index)
    # The stats page of the last 12 months (through today), in the team's language.
    assert (
        figures
        == ok("stats", "--from", "2025-12-01", "--to", "2026-11-28", "--format", "html").stdout
    )
    assert "<svg" in figures and 'lang="fr"' in figures
    shown = html_text(figures)
    for secret in ("Marcel", "Janssens", MARCEL, "Tilleuls", "081 55 66 77", "c-reeval"):
        assert secret not in figures and secret not in shown


def test_render_all_only_some_persons(repo: Path, tmp_path: Path) -> None:
    ok("render", "all", "--person", MARCEL, "--out", str(tmp_path / "o"), "--format", "md")
    assert (tmp_path / "o" / MARCEL / "plan.md").is_file()
    assert not (tmp_path / "o" / "figures.html").exists()  # not the whole team: no figures
    refused(repo, "render", "all", "--person", "p-nobody", match="unknown person 'p-nobody'")


def test_render_help_loads_no_heavy_module() -> None:
    code = (
        "import sys; from reseau_cli.cli import app;"
        "heavy = [m for m in ('jinja2', 'babel', 'icalendar', 'weasyprint', 'markupsafe') if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_a_template_that_raises_at_run_time(repo: Path) -> None:
    write(repo, "templates/fr/plan.md.j2", "# Plan\n\n{{ 1 // 0 }}\n")
    refused(
        repo, "render", "plan", MARCEL, match="templates/fr/plan.md.j2, line 3: ZeroDivisionError"
    )
    write(repo, "templates/fr/plan.md.j2", '# Plan\n{% include "fr/missing.md.j2" %}\n')
    refused(repo, "render", "plan", MARCEL, match="fr/missing.md.j2: not found")


def test_a_batch_spread_over_processes_writes_what_one_process_writes(
    repo: Path, tmp_path: Path
) -> None:
    from reseau_cli.documents.batch import chunks, plan_batch, run_batch
    from reseau_cli.repo import Repository

    for given in ("Zoé", "Léa", "Yves"):
        ok("person", "add", "--family-name", "Dubois", "--given-name", given)
    # A document that fails: its error is reported in the same place either way.
    write(repo, "templates/fr/network.html.j2", "{{ person.mood }}\n")
    trees, reports = [], []
    for name, workers in (("one", 1), ("two", 2)):
        batch = plan_batch(Repository.open(repo), out=tmp_path / name)
        assert len(chunks(batch.jobs, 1)) == 4
        report = run_batch(batch, workers=workers, chunk=1)
        reports.append((report.written, report.failures))
        out = tmp_path / name
        trees.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert trees[0] == trees[1]
    assert reports[0] == reports[1]
    assert len(reports[0][1]) == 4 and all("network.html.j2" in f for f in reports[0][1])
    # Marcel's minutes compare with earlier versions of his file, read by the workers.
    minutes = max(p for p in trees[1] if p.name.endswith("-minutes.html"))
    assert "Depuis la " in html_text(trees[1][minutes].decode("utf-8"))
    assert not [p for p in trees[1] if p.name.endswith(".tmp")]


@pytest.mark.slow
def test_ctrl_c_during_a_spread_render_all_leaves_every_document_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import signal
    import time

    from example_repo import example_team
    from reseau_cli import store

    root = example_team(tmp_path / "team", monkeypatch)
    for path in sorted((root / "persons").glob("*.yaml")):  # 15 persons, 6 copies each
        doc = store.parse(path.read_text(encoding="utf-8"), path=path.name)
        for k in range(5):
            doc["id"] = f"{path.stem}-{k}"
            (root / "persons" / f"{doc['id']}.yaml").write_text(store.dump(doc))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "more persons")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "reseau_cli", "render", "all", "--out", str(out)],
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if out.is_dir() and sum(1 for _ in out.rglob("*.html")) >= 10:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode in (0, 130), stderr
    assert "Traceback" not in stderr.decode()
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files and not [p for p in files if p.name.endswith(".tmp")]
    for path in files:  # each document whole, none cut short
        end = {".html": b"</html>\n", ".svg": b"</svg>\n", ".ics": b"END:VCALENDAR\r\n"}
        assert path.read_bytes().endswith(end[path.suffix]), path
    time.sleep(0.5)  # no worker left behind: none still names the output folder
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            assert str(out).encode() not in command
