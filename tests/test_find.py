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


@pytest.fixture(params=["racy-guard", "stat-only"])
def racy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the guard, files just written are read again each time; stat-only, their rows
    are trusted at once (as files older than two seconds are)."""
    if request.param == "stat-only":
        monkeypatch.setattr(index, "RACY_NS", -(10**12))


def _overwrite_page(path: Path, table: str) -> None:
    """Random bytes over the first page of ``table`` (as a disk or a crash can leave
    it): the rest of the index still opens."""
    import os
    import sqlite3

    with sqlite3.connect(path) as db:
        size = db.execute("PRAGMA page_size").fetchone()[0]
        (page,) = db.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)
        ).fetchone()
    db.close()
    with open(path, "r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(os.urandom(size))


def _overwrite_full_text_page(path: Path) -> None:
    _overwrite_page(path, "texts_data")


def _drop_rows(path: Path) -> None:
    """The rows' table gone while the full-text index still holds their texts."""
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE docs")
    db.close()


@pytest.mark.parametrize("damage", [_overwrite_full_text_page, _drop_rows], ids=["page", "rows"])
def test_a_damaged_index_is_built_again_and_find_answers(
    team: Path, lea: str, damage: Any, racy: None
) -> None:
    ok("person", "add", "--family-name", "Dupont", "--given-name", "Noël")
    assert [h["id"] for h in found("teleassistance")] == [lea]  # the index is made
    damage(team / ".git" / index.FILE)
    result = ok("find", "teleassistance", "--json")
    assert [h["id"] for h in json.loads(result.stdout)] == [lea]
    assert result.stderr == ""
    assert [h["id"] for h in found("Dupont")] != []
    with __import__("sqlite3").connect(team / ".git" / index.FILE) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("INSERT INTO texts (texts) VALUES ('integrity-check')") is not None
    db.close()


@pytest.mark.parametrize("table", ["members", "members_of", "docs_heads", "texts_data"])
def test_a_damaged_index_leaves_no_one_out_of_a_caseload(
    team: Path, lea: str, table: str, racy: None
) -> None:
    for _ in range(2):  # the second reads the rows the first stored (stat-only: trusted)
        assert lea in ok("intervenant", "show", "anne-lambert", "--json").stdout
    _overwrite_page(team / ".git" / index.FILE, table)
    shown = json.loads(ok("intervenant", "show", "anne-lambert", "--json").stdout)
    assert lea in json.dumps(shown)
    assert [h["id"] for h in found("Lambert")] == [lea, "anne-lambert"]
    assert lea in json.dumps(json.loads(ok("intervenant", "show", "anne-lambert", "--json").stdout))


def test_a_caseload_says_which_files_it_could_not_read(team: Path, lea: str, marcel: str) -> None:
    """An invalid file may name the intervenant: the caseload says it left one out, as
    `person list` does."""
    path = team / "persons" / f"{marcel}.yaml"
    path.write_text(path.read_text() + "  bad: [\n")
    for args in (["anne-lambert"], ["anne-lambert", "--json"]):
        result = ok("intervenant", "show", *args)
        assert lea in result.stdout
        assert (
            f"warning: 1 file could not be read and is left out (persons/{marcel}.yaml)"
            in result.stderr
        )
