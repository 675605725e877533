"""`reseau check`: schema and cross-file rules, `path: location: message` per problem."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from conftest import git, invoke, ok, write_intervenant


def _edit(team: Path, pid: str, change) -> None:
    path = team / "persons" / f"{pid}.yaml"
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    git(team, "commit", "-qam", f"{pid}: hand edit")


def test_clean_repository_passes(team: Path, marcel: str) -> None:
    result = ok("check")
    # A report goes to stdout, so that `reseau check > report.txt` holds it (issue 11).
    assert result.stdout == "OK: 1 person file(s), 0 intervenant file(s) checked, no problem.\n"
    assert result.stderr == ""


def test_invalid_yaml_names_file_and_line(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    lines = path.read_text().splitlines()
    lines[4] = "identity: {family_name: [broken"
    path.write_text("\n".join(lines) + "\n")
    result = invoke("check")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"persons/{marcel}.yaml: line ")
    assert "invalid YAML" in result.stdout
    assert "1 problem(s)" in result.stderr


def test_schema_violation_names_line_and_json_path(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    text = path.read_text().replace("birth_date: '1940-05-03'", "birth_date: '1940-02-30'")
    path.write_text(text)
    line = text.splitlines().index("  birth_date: '1940-02-30'") + 1
    result = invoke("check")
    assert result.exit_code == 1
    assert (
        f"persons/{marcel}.yaml: line {line} ($.identity.birth_date): '1940-02-30' is not a 'date'"
        in result.stdout
    )


def test_unknown_field_and_missing_format(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    path.write_text(
        path.read_text()
        .replace("format: 1\n", "")
        .replace("status: active", "status: active\nnickname: Marcel")
    )
    problems = json.loads(invoke("check", "--json").stdout)
    messages = " | ".join(p["message"] for p in problems)
    assert "'format' is a required property" in messages
    assert "unknown field(s)" in messages and "nickname" in messages
    assert all(p["path"] == f"persons/{marcel}.yaml" for p in problems)


def test_file_name_and_id_must_agree(team: Path, marcel: str) -> None:
    (team / "persons" / "p-copy.yaml").write_text((team / "persons" / f"{marcel}.yaml").read_text())
    result = invoke("check")
    assert result.exit_code == 1
    assert "persons/p-copy.yaml: $.id: id" in result.stdout


def test_newer_format_is_refused_clearly(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    path.write_text(path.read_text().replace("format: 1", "format: 7"))
    result = invoke("check")
    assert result.exit_code == 1
    assert "format 7 is newer than this reseau understands" in result.stdout


def test_cross_file_rules(team: Path, marcel: str) -> None:
    write_intervenant(team, "anne-lambert", "Dr Anne Lambert", phone="+32 81 00 00 01")

    def break_it(doc: dict) -> None:
        doc["network"] = [
            {"intervenant": "anne-lambert", "role": "GP", "since": "2026-01-10"},
            {"intervenant": "anne-lambert", "role": "GP", "since": "2026-02-10"},
            {"intervenant": "ghost", "since": "2026-01-10"},
            {"intervenant": "anne-lambert", "since": "2026-05-01", "until": "2026-04-01"},
        ]
        doc["coordination"]["coordinator"] = "ghost"
        doc["plan"]["objectives"] = [{"id": "o-aaaa", "text": "Stay home", "status": "active"}]
        doc["plan"]["actions"] = [
            {
                "id": "a-bbbb",
                "objective": "o-zzzz",
                "text": "Meals",
                "by": "anne-lambert",
                "status": "planned",
                "start": "2026-12-10",
                "due": "2026-12-01",
            },
            {"id": "a-bbbb", "text": "Alarm", "by": "person", "status": "planned"},
        ]
        doc["concertations"] = [
            {
                "id": "c-cccc",
                "status": "held",
                "kind": "synthesis",
                "date": "2027-01-05",
                "participants": [{"intervenant": "nobody-here", "present": True}],
            },
        ]

    _edit(team, marcel, break_it)
    result = invoke("check")
    assert result.exit_code == 1
    out = result.stdout
    assert "'anne-lambert' has two open memberships" in out
    assert "unknown intervenant 'ghost'" in out
    assert "ends (2026-04-01) before it starts (2026-05-01)" in out
    assert "($.coordination.coordinator): unknown intervenant 'ghost'" in out
    assert "unknown objective 'o-zzzz'" in out
    assert "due (2026-12-01) before start (2026-12-10)" in out
    assert "duplicate id 'a-bbbb'" in out
    assert "held on 2027-01-05, which is in the future" in out
    assert "unknown intervenant 'nobody-here'" in out
    assert all(line.startswith(f"persons/{marcel}.yaml: line ") for line in out.splitlines())
    assert result.stderr.startswith(f"{len(out.splitlines())} problem(s): 1 person file(s)")


def test_coordinator_must_be_current_member(team: Path, marcel: str) -> None:
    write_intervenant(team, "karim-ouali", "Karim Ouali")

    def designate_former(doc: dict) -> None:
        doc["network"] = [
            {"intervenant": "karim-ouali", "since": "2026-01-10", "until": "2026-06-01"}
        ]
        doc["coordination"]["coordinator"] = "karim-ouali"

    _edit(team, marcel, designate_former)
    result = invoke("check")
    assert "'karim-ouali' is not a current member of the network" in result.stdout


def test_invalid_intervenant_entry(team: Path) -> None:
    path = team / "intervenants" / "x.yaml"
    path.parent.mkdir()
    path.write_text("format: 1\nid: x\nname: X\nkind: robot\nemail: not-an-email\n")
    result = invoke("check")
    assert result.exit_code == 1
    assert "intervenants/x.yaml: line 4 ($.kind): 'robot' is not one of" in result.stdout
    assert "intervenants/x.yaml: line 5 ($.email)" in result.stdout


def test_check_after_fix_passes_again(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    good = path.read_text()
    path.write_text(good.replace("status: active", "status: asleep"))
    assert invoke("check").exit_code == 1
    path.write_text(good)
    assert invoke("check").exit_code == 0


def test_unknown_time_zone_in_settings(team: Path) -> None:
    """Rendering an invitation refuses it; check must say so first."""
    settings = team / "reseau.yaml"
    settings.write_text(settings.read_text().replace("Europe/Brussels", "Mars/Olympus"))
    git(team, "commit", "-qam", "settings: time zone")
    result = invoke("check")
    assert result.exit_code == 1
    assert result.stdout == "reseau.yaml: $.timezone: unknown time zone 'Mars/Olympus'\n"
    assert result.stderr.startswith("1 problem(s): ")
    settings.write_text(settings.read_text().replace("Mars/Olympus", "America/Montreal"))
    assert ok("check").stdout.startswith("OK: ")
