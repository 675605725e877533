"""The person's easy-to-read plan (`render plan PERSON --for person`) and the register of
disclosures (`--send-log`, the team's `send_log`, `reseau consent log`)."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from conftest import AUTHOR, commits, git, ok, refused, snapshot
from render_case import MARCEL, html_text

pytest_plugins = ["render_fixtures"]  # the `seed` and `repo` fixtures


def test_easy_to_read_plan_in_french(repo: Path) -> None:
    out = ok("render", "plan", MARCEL, "--for", "person").stdout
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines[0] == "# Mon plan d’accompagnement"
    assert "Bonjour Marcel." in lines
    # Their objectives in their words come first, the priority said plainly.
    wants = out.index("## Ce que vous voulez")
    assert wants < out.index("## Qui fait quoi") < out.index("## Qui vous aide")
    assert out.index("Rester vivre chez moi") < out.index("## Qui fait quoi")
    assert "C’est le plus important pour vous." in out
    # Who helps, with a phone number; the next meeting.
    assert "Votre personne de contact est **Karim Ouali**." in out
    assert "Téléphone : **0470 12 34 56**" in out
    assert "## Votre prochaine réunion" in out
    assert "Nous vous invitons à cette réunion." in out
    # Short sentences: one idea per line, none longer than about twenty words.
    for line in lines:
        if not line.startswith(("#", "|", "*", "---")):
            assert len(line.split()) <= 25, line
    # Nothing of the team's internal vocabulary.
    for word in ("concertation", "coordinateur", "Version interne", "Confidentiel"):
        assert word not in out
    assert "Ce document est le vôtre" in out


def test_easy_to_read_plan_never_withholds_the_persons_own_data(repo: Path) -> None:
    ok("consent", "give", MARCEL, "--withhold", "contacts", "--withhold", "health",
       "--withhold", "plan")  # fmt: skip
    out = ok("render", "plan", MARCEL, "--for", "person", "--lang", "en").stdout
    assert "# My support plan" in out
    assert "Remarcher jusqu" in out  # a health objective, withheld from everyone else
    assert "Rester vivre chez moi" in out
    assert "What you want" in out and "Your next meeting" in out


def test_easy_to_read_plan_in_large_type(repo: Path, tmp_path: Path) -> None:
    html = ok("render", "plan", MARCEL, "--for", "person", "-f", "html").stdout
    assert '<body class="easy">' in html
    assert "body.easy { font-size: 16pt;" in html
    text = html_text(html)
    assert "Mon plan d’accompagnement" in text and "Bonjour Marcel." in text


def test_send_log_records_who_received_what(repo: Path) -> None:
    before = git(repo, "rev-parse", "--short=7", "HEAD").strip()
    result = ok("render", "network", MARCEL, "--for", "anne-lambert", "--send-log", "-f", "html")
    assert "<html" in result.stdout
    assert "Recorded disclosure d-" in result.stderr
    doc = yaml.safe_load((repo / "persons" / f"{MARCEL}.yaml").read_text())
    (entry,) = doc["consent"]["disclosures"]
    assert entry["document"] == "network"
    assert entry["recipient"] == "anne-lambert"
    assert entry["format"] == "html"
    assert entry["date"] == "2026-11-28"
    assert entry["recorded_by"] == AUTHOR[0]
    assert entry["commit"] == before
    assert entry["sections"] == [
        "situation", "health", "evaluations", "minutes", "contacts", "plan",
    ]  # fmt: skip
    assert (
        commits(repo)[0] == f"{MARCEL}: record disclosure {entry['id']} of network to anne-lambert"
    )
    # The register answers "who received my data".
    log = json.loads(ok("consent", "log", MARCEL, "--json").stdout)
    assert [d["id"] for d in log] == [entry["id"]]
    table = ok("consent", "log", MARCEL).stdout
    assert "anne-lambert" in table and "network" in table
    ok("check")


def test_send_log_records_the_sections_a_recipient_got(repo: Path) -> None:
    ok("consent", "give", MARCEL, "--to", "service", "--withhold", "situation:service")
    ok("render", "plan", MARCEL, "--for", "aide-familiale-nord", "--send-log")
    doc = yaml.safe_load((repo / "persons" / f"{MARCEL}.yaml").read_text())
    entry = doc["consent"]["disclosures"][-1]
    assert "situation" not in entry["sections"] and "plan" in entry["sections"]


def test_team_setting_makes_send_log_the_default(repo: Path) -> None:
    settings = repo / "reseau.yaml"
    settings.write_text(settings.read_text() + "send_log: true\n")
    git(repo, "commit", "-qam", "settings: send_log")
    ok("render", "invitation", MARCEL, "--for", "karim-ouali")
    ok("render", "plan", MARCEL, "--for", "karim-ouali", "--no-send-log")
    ok("render", "plan", MARCEL)  # the team's internal version is not a disclosure
    log = json.loads(ok("consent", "log", MARCEL, "--json").stdout)
    assert [(d["document"], d["recipient"], d.get("concertation")) for d in log] == [
        ("invitation", "karim-ouali", "c-next")
    ]


def test_refused_rendering_records_nothing(repo: Path) -> None:
    refused(repo, "render", "plan", MARCEL, "--for", "luc-janssens", "--send-log",
            match="outside p-7k3q9x's consent")  # fmt: skip
    refused(repo, "render", "plan", MARCEL, "--send-log", match="add --for RECIPIENT")
    before = snapshot(repo)
    assert json.loads(ok("consent", "log", MARCEL, "--json").stdout) == []
    assert snapshot(repo) == before


def test_refused_after_withdrawal_or_leaving_writes_no_file_and_no_commit(
    repo: Path, tmp_path: Path
) -> None:
    target = tmp_path / "plan.html"
    args = ("--send-log", "-f", "html", "-o", str(target))
    refused(repo, "render", "plan", MARCEL, "--for", "sophie-delvaux", *args,
            match="sophie-delvaux left p-7k3q9x's network on 2026-10-01")  # fmt: skip
    ok("consent", "withdraw", MARCEL, "--date", "2026-11-27")
    for kind in ("plan", "network", "minutes", "invitation"):
        refused(repo, "render", kind, MARCEL, "--for", "karim-ouali", *args,
                match="p-7k3q9x withdrew their consent on 2026-11-27")  # fmt: skip
    assert not target.exists()
    assert json.loads(ok("consent", "log", MARCEL, "--json").stdout) == []
    # Marcel still receives his own plan: his data is never withheld from him.
    ok("render", "plan", MARCEL, "--for", "person", "-o", str(target))
    assert target.exists()
