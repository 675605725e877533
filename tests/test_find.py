"""`reseau find`: full-text search, accents ignored, never a deleted file, no FTS syntax."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import git, invoke, ok, refused, write_intervenant
from reseau_cli import index


def found(*args: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = json.loads(ok("find", *args, "--json").stdout)
    return result


@pytest.fixture
def lea(team: Path, marcel: str) -> str:
    write_intervenant(team, "anne-lambert", "Dr Anne Lambert", profession="médecin généraliste")
    pid = ok(
        "person",
        "add",
        "--family-name",
        "Lefèvre",
        "--given-name",
        "Léa",
        "--situation",
        "Vit seule au deuxième étage, chute en octobre.",
    ).stdout.strip()
    ok("intervenant", "add", pid, "--id", "anne-lambert", "--role", "médecin traitant")
    ok("plan", "action", "add", pid, "Installer la téléassistance", "--by", "person")
    return pid


@pytest.mark.parametrize("query", ["téléassistance", "teleassistance", "TELEASSISTANCE", "télé"])
def test_accented_and_unaccented_forms_find_the_same(lea: str, query: str) -> None:
    hits = found(query)
    assert [(h["id"], h["where"]) for h in hits] == [(lea, "$.plan.actions[0].text")]
    assert "[téléassistance]" in hits[0]["snippet"]
    assert hits[0]["name"] == "Léa Lefèvre"


def test_an_unaccented_file_is_found_by_an_accented_word(lea: str) -> None:
    assert [h["where"] for h in found("Marcél")] == ["$.identity"]
    assert [h["id"] for h in found("lefevre")] == [lea]


def test_who_is_followed_by_an_intervenant(lea: str) -> None:
    hits = found("Lambert")
    assert [(h["kind"], h["id"], h["where"]) for h in hits] == [
        ("person", lea, "$.network[0].intervenant"),
        ("intervenant", "anne-lambert", "$.name"),
    ]
    terminal = ok("find", "lambert")
    assert lea in terminal.stdout and "Léa Lefèvre" in terminal.stdout
    assert "2 matches." in terminal.stderr


def test_every_word_must_match(lea: str, marcel: str) -> None:
    assert {h["id"] for h in found("chute octobre")} == {lea}
    assert found("chute janvier") == []


@pytest.mark.parametrize(
    "query", ['"', "AND", "OR NOT", "NEAR(a b)", "a*", "x:y", "(", "^", "' OR 1=1 --", "+ -"]
)
def test_search_syntax_in_the_input_is_only_text(lea: str, query: str) -> None:
    result = invoke("find", query, "--json")
    assert "Traceback" not in result.stderr
    assert result.exit_code in (0, 1), result.stderr
    if result.exit_code == 0:
        assert isinstance(json.loads(result.stdout), list)
    else:
        assert result.stderr.startswith("error: give at least one word")


def test_nothing_to_look_for_is_refused(team: Path, marcel: str) -> None:
    refused(team, "find", " -- ", match="give at least one word")
    assert index.match_expression('a "b" c') == '"a"* """b"""* "c"*'


def test_closed_persons_only_with_all(lea: str) -> None:
    ok("person", "close", lea, "--reason", "déménagement")
    assert found("téléassistance") == []
    assert [h["status"] for h in found("téléassistance", "--all")] == ["closed"]
    assert "Nothing found." in ok("find", "téléassistance").stderr


def test_a_deleted_or_changed_file_is_never_found(team: Path, lea: str) -> None:
    assert found("teleassistance")
    path = team / "persons" / f"{lea}.yaml"
    path.write_text(path.read_text().replace("téléassistance", "télévigilance"))
    assert found("teleassistance") == []
    assert [h["id"] for h in found("televigilance")] == [lea]
    git(team, "rm", "-qf", f"persons/{lea}.yaml")
    assert found("televigilance") == []
    assert found("Lefèvre") == []
