"""Whole answers kept (``cli/kept.py``): `status`, `person list` and `intervenant show`
print over unchanged files what they printed last time, and never a stale answer.

Each scenario compares what the command prints with what it prints from scratch (the
index deleted first): after an edit of the same size within the clock's tick, by plain
git, by another command, a deletion, an invalid file, a new day, another language."""

from __future__ import annotations

import json
import os
import re
import sqlite3
from pathlib import Path

import pytest

from conftest import caseload_network, edit_keeping_mtime, git, invoke, ok
from reseau_cli import i18n, index

COMMANDS = [
    ("status", "--json"),
    ("status",),
    ("person", "list"),
    ("person", "list", "--all", "--json"),
    ("intervenant", "show", "karim-ouali"),
    ("intervenant", "show", "karim-ouali", "--json"),
    ("check",),
    ("check", "--json"),
]


def db_file(root: Path) -> Path:
    return root / ".git" / index.FILE


def printed(*args: str) -> tuple[int, str, str]:
    result = invoke(*args)
    assert "Traceback" not in result.stderr, result.stderr
    return result.exit_code, result.stdout, result.stderr


def from_scratch(root: Path, *args: str) -> tuple[int, str, str]:
    for path in root.joinpath(".git").glob(index.FILE + "*"):
        path.unlink()
    return printed(*args)


def assert_never_stale(root: Path) -> None:
    """Each command twice (the second reads the kept answer), as from scratch."""
    for args in COMMANDS:
        first = printed(*args)
        again = printed(*args)
        assert again == first, args
        assert from_scratch(root, *args) == first, args
        assert printed(*args) == first, args  # kept again from scratch


@pytest.fixture
def network(team: Path, marcel: str) -> dict[str, str]:
    return caseload_network(team, marcel)


def test_an_answer_is_kept_and_served_whole(team: Path, network: dict[str, str]) -> None:
    answer = printed("status", "--json")
    assert answer[0] == 0 and json.loads(answer[1])
    with sqlite3.connect(db_file(team)) as db:
        (key, value) = db.execute(
            "SELECT key, value FROM reports WHERE name = 'answer:status --json'"
        ).fetchone()
        # what the index keeps is what the next run prints, as it is
        import marshal

        text, checks = marshal.loads(value)
        assert text == answer[1]
        db.execute(
            "UPDATE reports SET value = ? WHERE name = 'answer:status --json'",
            (marshal.dumps((text.replace("no-coordinator", "Kept"), checks)),),
        )
    assert "Kept" in printed("status", "--json")[1]
    assert key  # and only for the same files: any change makes it again
    path = team / "persons" / f"{network['marcel']}.yaml"
    path.write_text(path.read_text() + "\n")
    assert printed("status", "--json") == from_scratch(team, "status", "--json")
    assert "Kept" not in printed("status", "--json")[1]


def test_files_too_recent_for_their_stat_are_checked_by_content(
    team: Path, network: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Git's rule: a file changed too recently for its stat to be trusted counts in the
    key by its stat, and a hash of its content, kept beside the answer, is checked
    before the answer is served."""
    import marshal

    monkeypatch.setattr(index, "RACY_NS", 10**15)  # every file is too recent
    monkeypatch.setattr(index, "MOST_RECENT", 10**6)  # reseau's own code included
    first = printed("status", "--json")
    name = "answer:status --json"
    with sqlite3.connect(db_file(team)) as db:
        (value,) = db.execute("SELECT value FROM reports WHERE name = ?", (name,)).fetchone()
        text, checks = marshal.loads(value)
        path = str(team / "persons" / f"{network['marcel']}.yaml")
        assert path in checks and text == first[1]
        db.execute(
            "UPDATE reports SET value = ? WHERE name = ?",
            (marshal.dumps(("served", checks)), name),
        )
    assert printed("status", "--json")[1] == "served"  # the same content: served
    with sqlite3.connect(db_file(team)) as db:
        db.execute(
            "UPDATE reports SET value = ? WHERE name = ?",
            (marshal.dumps(("served", {**checks, path: "0" * 32})), name),
        )
    assert printed("status", "--json") == first  # another content: made again


def test_many_files_too_recent_are_not_hashed_and_no_answer_is_kept(
    team: Path, network: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ``MOST_RECENT`` files too recent for their stat to be trusted (a fresh
    clone), none is hashed: an answer made while some of them are still too recent is
    not kept (neither the printed answer nor the whole derived one), and what is
    printed is what is made from scratch."""
    hashed: list[str] = []
    digest = index.content_digest

    def counted(path: str, st: os.stat_result | None = None) -> str | None:
        hashed.append(path)
        return digest(path, st)

    monkeypatch.setattr(index, "content_digest", counted)
    monkeypatch.setattr(index, "RACY_NS", 10**15)  # every file is too recent
    monkeypatch.setattr(index, "MOST_RECENT", 1)
    expected = from_scratch(team, "status", "--json")
    checked = printed("check")
    for _ in range(2):
        assert printed("status", "--json") == expected
        assert printed("check") == checked
    assert not [p for p in hashed if "/persons/" in p]
    with sqlite3.connect(db_file(team)) as db:
        assert db.execute("SELECT name FROM reports").fetchall() == []
    monkeypatch.setattr(index, "RACY_NS", 0)  # the files old enough again: kept as usual
    assert printed("status", "--json") == expected
    with sqlite3.connect(db_file(team)) as db:
        names = {name for (name,) in db.execute("SELECT name FROM reports")}
    assert names == {"answer:status --json", "alerts:person"}


def test_a_file_too_recent_when_the_answer_began_is_checked_at_its_end(
    team: Path,
    network: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A file too recent for its stat when the answer began, old enough by its end, may
    have been rewritten meanwhile within one tick of the clock (the same stat, so the
    same key): its content is checked against the one taken first, and a changed file
    keeps nothing."""
    from reseau_cli.cli import kept
    from reseau_cli.repo import Repository

    path = str(team / "persons" / f"{network['marcel']}.yaml")
    keys = iter([("K", [path]), ("K", [])])  # too recent at first, old enough at the end
    monkeypatch.setattr(kept, "_whole", lambda *args: next(keys))
    original = Path(path).read_bytes()

    def produce() -> None:
        Path(path).write_bytes(original.replace(b"Janssens", b"Janssenz"))
        print("answer")

    kept.answer(Repository(team), "test", lambda: "", produce)
    assert capsys.readouterr().out == "answer\n"
    assert index.report(team, "answer:test", "K") is None  # nothing kept
    keys = iter([("K", [path]), ("K", [])])
    kept.answer(Repository(team), "test", lambda: "", lambda: print("answer"))
    assert index.report(team, "answer:test", "K") is not None  # unchanged: kept


def test_with_many_files_too_recent_the_key_is_not_taken_again(
    team: Path,
    network: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Past ``MOST_RECENT`` files too recent for their stat (a fresh clone), none is
    hashed, so no answer can be kept: the key (every file stat-ed again) is not taken
    a second time once the answer is made."""
    from reseau_cli.cli import kept
    from reseau_cli.repo import Repository

    paths = [str(p) for p in sorted((team / "persons").glob("*.yaml"))]
    assert len(paths) >= 2
    taken: list[str] = []

    def whole(*args: object) -> tuple[str, list[str]]:
        taken.append("K")
        return "K", paths

    monkeypatch.setattr(kept, "_whole", whole)
    monkeypatch.setattr(index, "MOST_RECENT", 1)
    kept.answer(Repository(team), "test", lambda: "", lambda: print("answer"))
    assert capsys.readouterr().out == "answer\n"
    assert taken == ["K"]
    assert index.report(team, "answer:test", "K") is None  # nothing kept
    monkeypatch.setattr(index, "MOST_RECENT", len(paths))  # few: hashed, checked, kept
    kept.answer(Repository(team), "test", lambda: "", lambda: print("answer"))
    assert taken == ["K", "K", "K"]
    assert index.report(team, "answer:test", "K") is not None


def test_a_rewrite_keeping_the_stat_is_counted_by_its_content(
    team: Path, network: dict[str, str]
) -> None:
    """A file changed within the clock's tick may keep its stat (size, times, inode):
    the key of a whole answer holds the content of such recent files."""
    from reseau_cli.repo import Repository

    repo = Repository(team)
    listing = repo.listing("person")
    for _ident, entry in listing:
        entry.stat(follow_symlinks=False)  # the listing keeps this stat from now on
    before = index.listing_key(listing)
    assert before is not None and index.listing_key(listing) == before
    path = team / "persons" / f"{network['marcel']}.yaml"
    text = path.read_bytes()
    path.write_bytes(text.replace(b"Janssens", b"Janssenz"))
    assert len(path.read_bytes()) == len(text)
    assert index.listing_key(listing) != before  # same stat as listed, other bytes


def test_same_size_edits_in_place_are_seen_at_once(team: Path, network: dict[str, str]) -> None:
    assert_never_stale(team)
    path = team / "persons" / f"{network['marcel']}.yaml"
    for old, new in ((b"Janssens", b"Janssenz"), (b"Janssenz", b"Janssens")):
        for args in COMMANDS:
            printed(*args)  # kept
        edit_keeping_mtime(path, old, new)
        for args in COMMANDS:
            assert printed(*args) == from_scratch(team, *args), args
        assert (new.decode() in printed("status")[1]) and (old.decode() not in printed("status")[1])


def test_kept_answers_follow_git_commands_the_day_and_the_language(
    team: Path, network: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_never_stale(team)
    ok("plan", "action", "add", network["other"], "Appeler", "--by", "karim-ouali")
    assert_never_stale(team)
    git(team, "reset", "-q", "--hard", "HEAD")
    git(team, "checkout", "-q", "HEAD~1", "--", f"persons/{network['marcel']}.yaml")
    assert_never_stale(team)
    entry = team / "intervenants" / "karim-ouali.yaml"
    entry.write_text(entry.read_text().replace("Karim Ouali", "Karim Oualy"))
    assert "Oualy" in printed("person", "list")[1]
    assert_never_stale(team)
    monkeypatch.setenv("RESEAU_TODAY", "2027-03-01")
    assert_never_stale(team)
    english = printed("status")
    i18n.set_language("fr")
    try:
        assert printed("status") != english
        assert_never_stale(team)
    finally:
        i18n.set_language("en")
    assert printed("status") == english


def test_an_invalid_file_is_told_each_time_and_nothing_is_kept_of_it(
    team: Path, network: dict[str, str]
) -> None:
    assert_never_stale(team)
    path = team / "persons" / f"{network['other']}.yaml"
    good = path.read_text()
    path.write_text(good.replace("status: active", "status: [unclosed"))
    for args in COMMANDS:
        once, again = printed(*args), printed(*args)
        assert once == again == from_scratch(team, *args), args
        if args[0] in ("status", "person"):  # the caseload names no file it leaves out
            assert f"persons/{network['other']}.yaml" in once[2], args
    path.write_text(good)
    assert_never_stale(team)


def test_a_deleted_person_leaves_nothing_once_a_command_ran(
    team: Path, network: dict[str, str]
) -> None:
    for args in COMMANDS:
        printed(*args)
    assert b"Zyxwvutsrq" in db_file(team).read_bytes()
    git(team, "rm", "-q", f"persons/{network['other']}.yaml")
    git(team, "commit", "-qm", "gone")
    assert "Zyxwvutsrq" not in printed("intervenant", "show", "karim-ouali")[1]
    assert b"Zyxwvutsrq" not in db_file(team).read_bytes()
    for args in COMMANDS:
        assert "Zyxwvutsrq" not in printed(*args)[1]
    assert b"Zyxwvutsrq" not in db_file(team).read_bytes()
    assert_never_stale(team)


def test_json_is_printed_as_json_dumps_prints_it() -> None:
    """``output.json_text`` encodes with the C encoder, indented by hand: the text is
    exactly ``json.dumps(indent=2, ensure_ascii=False)``'s (then made safe)."""
    import random

    from reseau_cli.cli import output

    odd = ["", 'é\u2028\x01"\\', "},\n    {", "[{", "}]", "\ud800", "\x7f", 10**20, 2.5, -0.0]
    values: list[object] = [[], {}, [[]], [{}], {"a": []}, (1, ("x",)), [{"a": 1}, {}]]
    values += [[{"a": s, "b": None, "c": True}, {"d": s}] for s in odd] + odd
    rng = random.Random(12)

    def made(depth: int) -> object:
        if depth > 3 or rng.random() < 0.4:
            return rng.choice([None, True, False, 0, -3, 1.5, *odd])
        if rng.random() < 0.5:
            return [made(depth + 1) for _ in range(rng.randint(0, 3))]
        return {rng.choice(odd[:5]) + str(i): made(depth + 1) for i in range(rng.randint(0, 3))}

    values += [made(0) for _ in range(3000)]
    for value in values:
        expected = json.dumps(value, ensure_ascii=False, indent=2)
        expected = re.sub(output._JSON_UNSAFE, lambda m: f"\\u{ord(m.group()):04x}", expected)
        assert output.json_text(value) == expected, value
    assert output.json_text({1: "a", 2.5: [1]}) == json.dumps({1: "a", 2.5: [1]}, indent=2)


def test_a_kept_check_walks_reseaus_code_once(
    team: Path, network: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check`'s own key and the kept answer's both hold reseau's code: one walk of it."""
    first = printed("check")
    package = os.path.dirname(os.path.abspath(index.__file__))
    walks: list[str] = []
    real = index.files_stats

    def counted(folder: str | Path, suffix: str) -> list[tuple[str, os.stat_result | None]]:
        walks.append(os.fspath(folder))
        return real(folder, suffix)

    monkeypatch.setattr(index, "files_stats", counted)
    assert printed("check") == first  # the kept answer
    assert walks.count(package) == 1
