"""The derived SQLite index (.git/reseau-index.sqlite) is never stale.

Every test runs twice: as the index is (files changed in the last seconds are never
given a key, so they are read again), and with that guard off, so that what is served
is really the stored row whenever the file's stat is unchanged.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import edit_keeping_mtime, git, invoke, ok, write_intervenant
from reseau_cli import index, store
from reseau_cli.model.alerts import person_alerts
from reseau_cli.model.summary import SUMMARY_VERSION, person_summary

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "team"


@pytest.fixture(autouse=True, params=["racy-guard", "stat-only"])
def racy(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.param == "stat-only":
        monkeypatch.setattr(index, "RACY_NS", -(10**12))


def names(*args: str) -> dict[str, str]:
    rows = json.loads(ok("person", "list", "--json", *args).stdout)
    return {r["id"]: r["name"] for r in rows}


def db_file(root: Path) -> Path:
    return root / ".git" / index.FILE


def rows(root: Path) -> dict[str, str]:
    with sqlite3.connect(db_file(root)) as db:
        return dict(db.execute("SELECT id, stamp FROM docs WHERE kind = 'person'").fetchall())


def person_path(root: Path, pid: str) -> Path:
    return root / "persons" / f"{pid}.yaml"


def rename(root: Path, pid: str, family: str) -> None:
    path = person_path(root, pid)
    doc = yaml.load(path.read_text(), Loader=store.Loader)
    doc["identity"]["family_name"] = family
    path.write_text(store.dump(doc))


# -- the summary keeps every alert ------------------------------------------------------------


@pytest.mark.parametrize("path", sorted((EXAMPLES / "persons").glob("*.yaml")), ids=str)
def test_alerts_from_the_summary_are_those_of_the_document(path: Path) -> None:
    doc = yaml.load(path.read_text(), Loader=store.Loader)
    summary = person_summary(doc)
    assert len(json.dumps(summary)) < len(json.dumps(doc))
    for today in ("2026-09-01", "2026-11-03", "2026-11-28", "2027-03-01", "2027-09-01"):
        for evaluations in (30, 180):
            args: dict[str, Any] = {
                "today": dt.date.fromisoformat(today),
                "upcoming_days": 14,
                "interval_days": 90,
                "evaluation_interval_days": evaluations,
            }
            full = person_alerts(doc, **args)
            cut = person_alerts(summary, **args)
            assert [a.as_json() for a in cut] == [a.as_json() for a in full]


def test_scheme_alerts_from_the_summary_are_those_of_the_document() -> None:
    """The scheme-unmet alert (issue 18) reads concertations' attendance and documents."""
    schemes = {}
    for path in sorted((EXAMPLES.parent / "schemes").glob("*.yaml")):
        scheme = yaml.load(path.read_text(), Loader=store.Loader)
        schemes[scheme["id"]] = scheme
    directory = {
        p.stem: yaml.load(p.read_text(), Loader=store.Loader)
        for p in (EXAMPLES / "intervenants").glob("*.yaml")
    }
    seen = 0
    for path in sorted((EXAMPLES / "persons").glob("*.yaml")):
        doc = yaml.load(path.read_text(), Loader=store.Loader)
        for scheme in schemes:
            for c in doc.get("concertations") or []:
                c["scheme"] = scheme
            for today in ("2026-10-01", "2026-11-28", "2027-01-15"):
                day = dt.date.fromisoformat(today)
                args: dict[str, Any] = {
                    "today": day,
                    "upcoming_days": 14,
                    "interval_days": 90,
                    "schemes": schemes,
                    "directory": directory,
                }
                full = person_alerts(doc, **args)
                cut = person_alerts(person_summary(doc), **args)
                assert [a.as_json() for a in cut] == [a.as_json() for a in full]
                seen += sum(a.kind == "scheme-unmet" for a in full)
    assert seen > 0


def test_status_and_lists_fill_the_index(team: Path, marcel: str) -> None:
    assert names() == {marcel: "Marcel Janssens"}
    assert set(rows(team)) == {marcel}
    with sqlite3.connect(db_file(team)) as db:
        (header,) = db.execute("SELECT value FROM meta WHERE key = 'header'").fetchone()
    assert f"summary={SUMMARY_VERSION}" in header
    assert oct(db_file(team).stat().st_mode & 0o777) == "0o600"
    assert "Janssens" in ok("status").stdout
    assert {a["person"] for a in json.loads(ok("status", "--json").stdout)} == {marcel}


# -- never stale ------------------------------------------------------------------------------


def test_a_file_changed_by_plain_git_is_read_again(team: Path, marcel: str) -> None:
    assert names() == {marcel: "Marcel Janssens"}
    rename(team, marcel, "Dupont")
    git(team, "commit", "-qam", "rename")
    assert names() == {marcel: "Marcel Dupont"}
    git(team, "reset", "-q", "--hard", "HEAD~1")
    assert names() == {marcel: "Marcel Janssens"}
    git(team, "checkout", "-q", "HEAD@{1}", "--", f"persons/{marcel}.yaml")
    assert names() == {marcel: "Marcel Dupont"}


def test_a_file_changed_by_person_edit_is_read_again(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert names() == {marcel: "Marcel Janssens"}
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, sys\n"
        "p = pathlib.Path(sys.argv[-1])\n"
        "p.write_text(p.read_text().replace('Janssens', 'Janssenz'))\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    ok("person", "edit", marcel)
    assert names() == {marcel: "Marcel Janssenz"}


def test_a_deleted_file_is_never_served_and_leaves_nothing(team: Path, marcel: str) -> None:
    other = ok("person", "add", "--family-name", "Zyxwvutsrq", "--given-name", "Léa").stdout
    other = other.strip()
    ok("plan", "action", "add", other, "Installer la téléassistance", "--by", "person")
    assert set(names()) == {marcel, other}
    assert other in rows(team)
    git(team, "rm", "-q", f"persons/{other}.yaml")
    git(team, "commit", "-qm", "gone")
    assert names() == {marcel: "Marcel Janssens"}
    assert set(rows(team)) == {marcel}
    assert b"Zyxwvutsrq" not in db_file(team).read_bytes()
    assert "téléassistance".encode() not in db_file(team).read_bytes()


def test_an_invalid_file_is_skipped_then_read_again_once_fixed(team: Path, marcel: str) -> None:
    assert names() == {marcel: "Marcel Janssens"}
    path = person_path(team, marcel)
    good = path.read_text()
    path.write_text(good.replace("status: active", "status: [unclosed"))
    result = ok("person", "list", "--json")
    assert json.loads(result.stdout) == []
    assert f"persons/{marcel}.yaml" in result.stderr
    assert f"persons/{marcel}.yaml" in ok("status").stderr
    path.write_text(good)
    assert names() == {marcel: "Marcel Janssens"}


def test_files_changed_by_sync_and_by_another_clones_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = tmp_path / "server.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(server))
    elise, hugo = tmp_path / "elise", tmp_path / "hugo"
    git(tmp_path, "clone", "-q", str(server), str(elise))
    ok("init", str(elise), "--team", "T")
    monkeypatch.setenv("RESEAU_REPO", str(elise))
    pid = ok("person", "add", "--family-name", "Peeters", "--given-name", "Jeanne").stdout.strip()
    ok("sync")
    git(tmp_path, "clone", "-q", str(server), str(hugo))
    monkeypatch.setenv("RESEAU_REPO", str(hugo))
    assert names() == {pid: "Jeanne Peeters"}
    # Élise renames; Hugo's `sync` brings it in
    monkeypatch.setenv("RESEAU_REPO", str(elise))
    rename(elise, pid, "Peters")
    git(elise, "commit", "-qam", "rename")
    ok("sync")
    monkeypatch.setenv("RESEAU_REPO", str(hugo))
    ok("sync")
    assert names() == {pid: "Jeanne Peters"}
    # Hugo changes the file too; Élise's change reaches him through a plain `git pull`
    write_intervenant(hugo, "karim-ouali", "Karim Ouali")
    ok("intervenant", "add", pid, "--id", "karim-ouali", "--role", "infirmier")
    monkeypatch.setenv("RESEAU_REPO", str(elise))
    rename(elise, pid, "Petersen")
    git(elise, "commit", "-qam", "rename again")
    git(elise, "push", "-q")
    monkeypatch.setenv("RESEAU_REPO", str(hugo))
    assert names() == {pid: "Jeanne Peters"}
    git(hugo, "pull", "-q", "--no-rebase", "--no-edit")
    assert names() == {pid: "Jeanne Petersen"}
    caseload = json.loads(ok("intervenant", "show", "karim-ouali", "--json").stdout)["caseload"]
    assert [c["name"] for c in caseload] == ["Jeanne Petersen"]


# -- an index that cannot be trusted is rebuilt ----------------------------------------------


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"not a database at all" * 100),
        lambda p: p.write_bytes(p.read_bytes()[:1000]),
        lambda p: _set_header(p, "format=0 summary=0"),
    ],
    ids=["garbage", "truncated", "foreign-version"],
)
def test_a_corrupt_or_foreign_index_is_rebuilt_silently(
    team: Path, marcel: str, damage: Any
) -> None:
    before = names()
    damage(db_file(team))
    result = ok("person", "list", "--json")
    assert {r["id"]: r["name"] for r in json.loads(result.stdout)} == before
    assert result.stderr == ""
    assert set(rows(team)) == {marcel}


def _mark_unsynced(path: Path, boot: str) -> None:
    """As a bulk fill leaves the index when the system goes down in its middle: marked,
    and its pages not to be trusted (here: summaries damaged)."""
    with sqlite3.connect(path) as db:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('unsynced', ?)", (boot,))
        db.execute("UPDATE docs SET summary = NULL, problems = ?", (b"junk",))


@pytest.mark.skipif(index.boot_id() is None, reason="no boot id on this system")
def test_an_index_left_unsynced_by_an_earlier_boot_is_rebuilt(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "BULK_FROM", -1)  # every fill unsynced, as a fresh clone's
    before = names()
    with sqlite3.connect(db_file(team)) as db:  # a finished fill leaves no mark
        assert db.execute("SELECT value FROM meta WHERE key = 'unsynced'").fetchall() == []
    _mark_unsynced(db_file(team), "an-earlier-boot")
    result = ok("person", "list", "--json")
    assert {r["id"]: r["name"] for r in json.loads(result.stdout)} == before
    assert result.stderr == ""
    with sqlite3.connect(db_file(team)) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'unsynced'").fetchall() == []
        junk = db.execute("SELECT count(*) FROM docs WHERE problems = ?", (b"junk",))
        assert junk.fetchone() == (0,)


@pytest.mark.skipif(index.boot_id() is None, reason="no boot id on this system")
def test_an_index_marked_by_this_boot_is_kept(team: Path, marcel: str) -> None:
    """A fill under way in another process (or one killed: its transactions are whole)."""
    names()
    with sqlite3.connect(db_file(team)) as db:
        db.execute("INSERT OR REPLACE INTO meta VALUES ('unsynced', ?)", (index.boot_id(),))
        kept = db.execute("SELECT n, id FROM docs ORDER BY n").fetchall()
    ok("person", "list", "--json")
    with sqlite3.connect(db_file(team)) as db:
        assert db.execute("SELECT n, id FROM docs ORDER BY n").fetchall() == kept


def _set_header(path: Path, value: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = ? WHERE key = 'header'", (value,))
        db.execute("UPDATE docs SET summary = NULL, problems = ?", (b"junk",))


# -- values kept beside the rows: alerts, list lines, the check report --------------------------


def alerts(*args: str) -> list[tuple[str, str]]:
    return [(a["kind"], a["message"]) for a in json.loads(ok("status", "--json", *args).stdout)]


def test_kept_alerts_follow_the_file_the_directory_the_settings_and_the_day(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_intervenant(team, "karim-ouali", "Karim Ouali")
    ok("intervenant", "add", marcel, "--id", "karim-ouali", "--role", "infirmier")
    ok("plan", "action", "add", marcel, "Call the GP", "--by", "karim-ouali", "--due", "2026-11-20")
    overdue = ("action-overdue", "Call the GP (Karim Ouali): due 2026-11-20, 8 days late")
    assert overdue in alerts()
    assert alerts() == alerts()  # served from the index the second time (stat-only)
    # the directory: the name in the message
    entry = team / "intervenants" / "karim-ouali.yaml"
    entry.write_text(entry.read_text().replace("Karim Ouali", "Karim Oualy"))
    assert ("action-overdue", overdue[1].replace("Ouali", "Oualy")) in alerts()
    # the file, by plain git
    git(team, "commit", "-qam", "renamed")
    git(team, "reset", "-q", "--hard", "HEAD~2")
    assert all(kind != "action-overdue" for kind, _ in alerts())
    git(team, "reset", "-q", "--hard", "HEAD@{1}")
    assert ("action-overdue", overdue[1].replace("Ouali", "Oualy")) in alerts()
    # the day
    monkeypatch.setenv("RESEAU_TODAY", "2026-11-30")
    assert ("action-overdue", overdue[1].replace("Ouali", "Oualy").replace("8 day", "10 day")) in (
        alerts()
    )
    # the settings: a shorter follow-up interval
    settings = team / "reseau.yaml"
    before = {kind for kind, _ in alerts()}
    settings.write_text(
        settings.read_text().replace("review_interval_days: 90", "review_interval_days: 1")
    )
    assert "no-follow-up" not in before
    assert "no-follow-up" in {kind for kind, _ in alerts()}


def test_kept_list_lines_follow_the_day(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_intervenant(team, "karim-ouali", "Karim Ouali")
    ok("intervenant", "add", marcel, "--id", "karim-ouali", "--role", "infirmier")
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-12-10")
    listed = lambda: json.loads(ok("person", "list", "--json").stdout)[0]["coordinator"]  # noqa: E731
    assert listed() is None
    assert listed() is None
    monkeypatch.setenv("RESEAU_TODAY", "2026-12-10")
    assert listed() == "karim-ouali"


def test_the_kept_check_report_follows_every_file(team: Path, marcel: str) -> None:
    assert ok("check").stdout.startswith("OK")
    assert ok("check").stdout.startswith("OK")
    path = person_path(team, marcel)
    good = path.read_text()
    path.write_text(good.replace("Janssens", "Janssens\x07"))
    assert invoke("check").exit_code == 1
    path.write_text(good)
    assert ok("check").stdout.startswith("OK")
    entry = team / "intervenants" / "karim-ouali.yaml"
    entry.parent.mkdir(exist_ok=True)
    entry.write_text("format: 1\nid: karim-ouali\nname: Karim\nkind: nobody\n")
    assert invoke("check").exit_code == 1
    entry.unlink()
    assert ok("check").stdout.startswith("OK")
    (team / "templates").mkdir(exist_ok=True)
    (team / "templates" / "plan.html.j2").symlink_to("/etc/passwd")
    assert invoke("check").exit_code == 1


def test_a_file_rewritten_in_place_with_the_same_size_and_time_is_read_again(
    team: Path, marcel: str
) -> None:
    """The per-file cache is keyed by the file's content: even a change that keeps its
    size, inode and modification time is seen."""
    path = person_path(team, marcel)
    assert "Janssens" in ok("person", "show", marcel).stdout
    edit_keeping_mtime(path, b"Janssens", b"Janssenz")
    assert "Janssenz" in ok("person", "show", marcel).stdout


def test_a_deleted_intervenant_leaves_no_alert_naming_them(team: Path, marcel: str) -> None:
    write_intervenant(team, "zorro-unique", "Zorro Unique")
    ok("intervenant", "add", marcel, "--id", "zorro-unique", "--role", "infirmier")
    ok("plan", "action", "add", marcel, "Call", "--by", "zorro-unique", "--due", "2026-11-20")
    assert any("Zorro Unique" in message for _, message in alerts())
    ok("intervenant", "list")
    path = person_path(team, marcel)
    git(team, "reset", "-q", "--hard", "HEAD~3")
    assert not (team / "intervenants" / "zorro-unique.yaml").exists()
    assert all("Zorro" not in message for _, message in alerts())
    ok("intervenant", "list")
    assert path.exists()
    assert b"Zorro Unique" not in db_file(team).read_bytes()


def test_the_index_holds_nothing_in_a_language(team: Path, marcel: str) -> None:
    """Problems of an invalid file are told in each command's language, and a change of
    language neither rebuilds nor rewrites the index."""
    from reseau_cli import i18n

    other = ok("person", "add", "--family-name", "Peeters", "--given-name", "An").stdout.strip()
    path = person_path(team, other)
    path.write_text(path.read_text().replace("family_name: Peeters", "family_name: 12"))
    i18n.set_language("en")
    english = ok("status").stderr

    def numbered() -> list[tuple[str, int]]:
        with sqlite3.connect(db_file(team)) as db:
            return sorted(db.execute("SELECT id, n FROM docs WHERE kind = 'person'").fetchall())

    before = numbered()
    i18n.set_language("fr")
    french = ok("status").stderr
    i18n.set_language("en")
    assert ok("status").stderr == english
    if index.RACY_NS < 0:  # files just written are read again anyway under the racy guard
        assert numbered() == before
    assert f"persons/{other}.yaml" in english and f"persons/{other}.yaml" in french
    assert french != english


def test_a_value_made_from_a_row_read_again_meanwhile_is_never_served(
    team: Path, marcel: str
) -> None:
    """Two commands at once: one makes a value from the row it read while the other
    reads the changed file again; the value made from the old row is not kept for the new."""
    import marshal

    from reseau_cli.repo import Repository, parse_changed

    repo = Repository(team)
    old = index.entries(repo, "person", parse_changed)[marcel].stamp
    rename(team, marcel, "Dupont")
    index.entries(repo, "person", parse_changed)  # the other command
    stale = [(marcel, old, marshal.dumps("Janssens"))]
    index._store_derived(team, "person", "family", "k", stale)
    made = dict(
        index.derived(
            repo, "person", parse_changed, "family", "k", lambda i, s: s["identity"]["family_name"]
        )
    )
    assert made == {marcel: "Dupont"}


# -- find: from the rows as they are when no file changed -------------------------------------


def test_find_reads_no_row_again_when_nothing_changed_and_follows_every_change(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Over files all unchanged since their rows were stored, `find` takes names and
    statuses from the rows without refreshing; any change (a file changed, added,
    deleted, made invalid; a part kept of a file gone) makes it refresh first."""
    refreshed: list[str] = []
    entries = index.entries

    def counted(*args: Any, **kwargs: Any) -> Any:
        refreshed.append(args[1])
        return entries(*args, **kwargs)

    monkeypatch.setattr(index, "entries", counted)

    def found(words: str) -> list[tuple[str, str, str | None]]:
        hits = json.loads(ok("find", words, "--json", "--all").stdout)
        return [(h["id"], h["name"], h["status"]) for h in hits]

    def unchanged() -> bool:
        """Whether the last `find` refreshed nothing (asserted only when every file has
        a key: under the racy guard, files just written are read again anyway)."""
        taken = refreshed[:]
        refreshed.clear()
        return taken == [] or index.RACY_NS >= 0

    ok("plan", "action", "add", marcel, "Installer la téléassistance", "--by", "person")
    assert found("téléassistance") == [(marcel, "Marcel Janssens", "active")]
    refreshed.clear()
    assert found("téléassistance") == [(marcel, "Marcel Janssens", "active")]
    assert unchanged()
    if index.RACY_NS < 0:
        assert found("Janssens") and refreshed == []
    rename(team, marcel, "Dupont")
    assert found("Dupont") == [(marcel, "Marcel Dupont", "active")]
    assert refreshed == ["person", "intervenant"]
    refreshed.clear()
    assert found("Janssens") == []
    assert unchanged()
    other = ok("person", "add", "--family-name", "Zyxwvutsrq", "--given-name", "Léa").stdout
    other = other.strip()
    assert found("Zyxwvutsrq") == [(other, "Léa Zyxwvutsrq", "active")]
    write_intervenant(team, "anne-lambert", "Dr Anne Lambert")
    assert found("Lambert") == [("anne-lambert", "Dr Anne Lambert", None)]
    git(team, "rm", "-q", f"persons/{other}.yaml")
    assert found("Zyxwvutsrq") == []
    assert b"Zyxwvutsrq" not in db_file(team).read_bytes()
    path = person_path(team, marcel)
    good = path.read_text()
    path.write_text(good.replace("status: active", "status: [unclosed"))
    result = ok("find", "Dupont", "--json")
    assert json.loads(result.stdout) == [] and f"persons/{marcel}.yaml" in result.stderr
    path.write_text(good)
    assert found("Dupont") == [(marcel, "Marcel Dupont", "active")]
    refreshed.clear()
    found("Dupont")
    assert unchanged()
    index.keep_parts(team, "check", "person", "-", [("p-zzzzzz", "1:2:3:4", "gone")], [])
    refreshed.clear()
    assert found("Dupont") == [(marcel, "Marcel Dupont", "active")]
    assert refreshed  # a part of a file no longer listed: refreshed, and the part deleted
    assert index.parts(team, "check", "person") == {}


def test_find_from_the_rows_answers_as_a_refresh_does(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_intervenant(team, "anne-lambert", "Dr Anne Lambert", profession="médecin")
    ok("intervenant", "add", marcel, "--id", "anne-lambert", "--role", "médecin traitant")
    for action in ("Installer la téléassistance", "Appeler Dr Lambert", "Télévigilance"):
        ok("plan", "action", "add", marcel, action, "--by", "person")
    other = ok("person", "add", "--family-name", "Lambert", "--given-name", "Léa").stdout
    ok("person", "close", other.strip(), "--reason", "déménagement")
    queries = [("télé",), ("lambert",), ("lambert", "--all"), ("marcel",), ("zzz",)]
    answers = [[ok("find", *q, *how).stdout for q in queries] for how in ([], ["--json"])]

    def refreshing(repo: Any, text: str, kinds: tuple[str, ...], **_: Any) -> Any:
        return {kind: repo.listing(kind) for kind in kinds}, None

    monkeypatch.setattr(index, "search_current", refreshing)
    refreshed = [[ok("find", *q, *how).stdout for q in queries] for how in ([], ["--json"])]
    assert answers == refreshed
    assert "Léa Lambert" in answers[0][2] and "Léa Lambert" not in answers[0][1]
    assert "closed" in {h["status"] for h in json.loads(answers[1][2])}


def test_rows_are_deleted_by_their_number_through_indexes(team: Path, marcel: str) -> None:
    """Reading many files again (a fresh clone's files all too recent at first, a large
    pull) deletes each one's rows by its number: every table holding rows by number is
    searched by an index, never scanned once per file."""
    assert names()
    with sqlite3.connect(db_file(team)) as db:
        for table in ("members", "derived", "pending", "docs"):
            plan = db.execute(f"EXPLAIN QUERY PLAN DELETE FROM {table} WHERE n = 1").fetchall()
            assert all("SCAN" not in row[-1] for row in plan), (table, plan)
