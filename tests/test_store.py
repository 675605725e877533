"""The store and the change transaction: stable files, atomic writes, one writer at a time."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import commits, git, ok
from reseau_cli import store
from reseau_cli.errors import InvalidDocument, RepositoryBusy
from reseau_cli.repo import Repository


def test_dates_stay_strings_and_roundtrip_is_stable() -> None:
    text = "a: 2026-01-02\nb: '2026-01-03'\nc: |-\n  two\n  lines\nd: yes\n"
    doc = store.parse(text, path="x.yaml")
    assert doc == {"a": "2026-01-02", "b": "2026-01-03", "c": "two\nlines", "d": True}
    again = store.dump(doc)
    assert store.parse(again, path="x.yaml") == doc
    assert store.dump(store.parse(again, path="x.yaml")) == again


def test_parse_error_names_the_line() -> None:
    with pytest.raises(InvalidDocument) as info:
        store.parse("a: 1\nb: [2\nc: 3\n", path="f.yaml")
    assert "f.yaml: line" in str(info.value)


def test_no_python_objects_from_yaml() -> None:
    with pytest.raises(InvalidDocument):
        store.parse("a: !!python/object/apply:os.system ['echo hacked']\n", path="f.yaml")


@pytest.mark.parametrize("head", ["", "a: 1\n", "a: 1\r\n", "x\n\n", "a: |\n  t\n"])
@pytest.mark.parametrize("run", [47, 48, 60])
@pytest.mark.parametrize("fill", [" ", "- ", "? ", ": ", "\t", " -?:\t"])
def test_a_deep_line_is_found_where_a_multiline_caret_finds_it(
    head: str, run: int, fill: str
) -> None:
    """The two searches for a line opening many levels (``_DEEP_FIRST`` at the start,
    ``_DEEP_LINE`` after a newline) find what ``^[ \\t?:-]{48,}`` with ``re.MULTILINE``
    finds, at the first line or any other, and nothing it does not (a line after a
    lone carriage return, a run too short or cut by another character)."""
    import re

    reference = re.compile(r"^[ \t?:-]{48,}", re.MULTILINE)
    line = (fill * run)[:run]
    for text in (
        line + "x\n",
        head + line + "x\n",
        head + "y" + line + "\n",
        head + line[: run // 2] + "y" + line[run // 2 :] + "\n",
        head + "\r" + line + "\n",
        head + line,
    ):
        found = (
            store._DEEP_FIRST.match(text) is not None or store._DEEP_LINE.search(text) is not None
        )
        assert found == (reference.search(text) is not None), repr(text)
        assert store._suspect(text) == (found or "*" in text or "&" in text), repr(text)


def test_write_atomic_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "f.yaml"
    store.write_atomic(target, "one\n")
    store.write_atomic(target, "two\n")
    assert target.read_text() == "two\n"
    assert [p.name for p in tmp_path.iterdir()] == ["f.yaml"]


def test_lock_is_exclusive(team: Path) -> None:
    lock = team / ".git" / "reseau.lock"
    with store.locked(lock), pytest.raises(RepositoryBusy), store.locked(lock, timeout=0.2):
        pass


def test_key_order_follows_schema_whatever_the_input(team: Path, marcel: str) -> None:
    repo = Repository.open(team)
    doc = repo.person(marcel)
    shuffled = dict(reversed(list(doc.items())))
    shuffled["identity"] = dict(reversed(list(doc["identity"].items())))
    with repo.change(f"{marcel}: reorder") as change:
        change.put("person", marcel, shuffled)
    assert change.commit_id is None  # same content, same text: nothing to commit
    assert commits(team)[0] == f"{marcel}: add person"


def test_concurrent_writers_never_interleave(team: Path) -> None:
    """Processes adding persons at once: every commit has exactly one file, none lost."""
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "reseau_cli",
                "person",
                "add",
                "--family-name",
                f"F{i}",
                "--given-name",
                "G",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(4)
    ]
    ids = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        ids.append(out.strip())
    assert len(set(ids)) == 4
    assert sorted(p.stem for p in (team / "persons").glob("*.yaml")) == sorted(ids)
    assert git(team, "status", "--porcelain") == ""
    for sha in git(team, "log", "--format=%H", "-n", "4").split():
        assert len(git(team, "show", "--name-only", "--format=", sha).split()) == 1


def test_failed_commit_restores_files(team: Path, marcel: str) -> None:
    # reseau commits with --no-verify, so make the commit fail by locking the branch ref.
    lock = team / ".git" / "refs" / "heads" / "main.lock"
    lock.write_text("")
    try:
        path = team / "persons" / f"{marcel}.yaml"
        before = path.read_text()
        from conftest import invoke

        result = invoke("person", "close", marcel, "--reason", "x")
        assert result.exit_code == 1
        assert result.stderr.startswith("error: git commit failed")
        assert path.read_text() == before
        assert git(team, "status", "--porcelain") == ""
    finally:
        lock.unlink()


def every_document(team: Path) -> list[str]:
    """What commands reading every whole document (`render all`, a `check` of many
    changed files) read: through this cache."""
    return [ident for ident, _doc in Repository.open(team).all("person")]


def test_cache_is_rebuilt_when_a_file_changes(team: Path, marcel: str) -> None:
    assert every_document(team) == [marcel]
    cache = team / ".git" / "reseau-cache" / "person.marshal"
    assert cache.is_file()
    assert oct(cache.stat().st_mode & 0o777) == "0o600"
    path = team / "persons" / f"{marcel}.yaml"
    path.write_text(path.read_text().replace("Marcel", "Marcelin"))
    assert every_document(team) == [marcel]
    assert b"Marcelin" in cache.read_bytes()
    cache.write_bytes(b"\x00garbage")
    assert every_document(team) == [marcel]
    assert b"Marcelin" in cache.read_bytes()
    assert "Marcelin Janssens" in ok("person", "list").stdout


def test_threads_share_nothing_unsafe(team: Path) -> None:
    """The lock also holds between threads of one process (separate file handles)."""
    lock = team / ".git" / "reseau.lock"
    order: list[str] = []

    def hold() -> None:
        with store.locked(lock):
            order.append("a-in")
            threading.Event().wait(0.3)
            order.append("a-out")

    t = threading.Thread(target=hold)
    t.start()
    threading.Event().wait(0.1)
    with store.locked(lock):
        order.append("b-in")
    t.join()
    assert order == ["a-in", "a-out", "b-in"]


def test_single_file_cache_never_serves_a_changed_file(team: Path, marcel: str) -> None:
    assert "Lives alone" in ok("person", "show", marcel).stdout
    cached = team / ".git" / "reseau-cache" / "files" / f"person.{marcel}.yaml.marshal"
    assert cached.is_file() and oct(cached.stat().st_mode & 0o777) == "0o600"
    path = team / "persons" / f"{marcel}.yaml"
    path.write_text(path.read_text().replace("Lives alone", "Lives with his son"))
    assert "Lives with his son" in ok("person", "show", marcel).stdout
    path.write_text(path.read_text().replace("status: active", "status: asleep"))
    from conftest import invoke

    result = invoke("person", "show", marcel)
    assert result.exit_code == 1 and "asleep" in result.stderr


def test_the_cache_forgets_a_deleted_file(team: Path, marcel: str) -> None:
    """Derived caches hold nothing a deleted file held."""
    ok("person", "show", marcel)
    ok("person", "list")
    ok("check")
    every_document(team)
    cache = team / ".git" / "reseau-cache"
    per_file = cache / "files" / f"person.{marcel}.yaml.marshal"
    assert per_file.is_file() and b"Janssens" in (cache / "person.marshal").read_bytes()
    git(team, "rm", "-q", f"persons/{marcel}.yaml")
    git(team, "commit", "-q", "-m", f"{marcel}: remove")
    assert "Janssens" not in ok("person", "list", "--all").stdout
    assert not per_file.exists()  # once a command found the file gone
    assert not (cache / "person.marshal").exists()
    ok("check")
    assert every_document(team) == []
    whole = cache / "person.marshal"
    assert not whole.exists() or b"Janssens" not in whole.read_bytes()


def test_a_check_finding_a_file_gone_forgets_it_too(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`check` keeps each person's part of its report (for files older than the racy
    window: trusted by their stat here, as files are some seconds after a write); a
    part whose file is gone makes the caches of documents forget it."""
    from reseau_cli import index

    monkeypatch.setattr(index, "RACY_NS", 0)
    ok("person", "show", marcel)
    ok("check")
    every_document(team)
    cache = team / ".git" / "reseau-cache"
    git(team, "rm", "-q", f"persons/{marcel}.yaml")
    git(team, "commit", "-q", "-m", f"{marcel}: remove")
    ok("check")  # the first command after the deletion
    assert not (cache / "files" / f"person.{marcel}.yaml.marshal").exists()
    assert not (cache / "person.marshal").exists()


def test_the_cache_records_the_versions_it_was_written_with(team: Path, marcel: str) -> None:
    import marshal

    every_document(team)
    header = marshal.loads((team / ".git" / "reseau-cache" / "person.marshal").read_bytes())[
        "header"
    ]
    assert header["python"] == list(sys.version_info[:3])
    assert header["marshal"] == marshal.version


def test_reading_never_changes_the_document_as_written(team: Path, marcel: str) -> None:
    """A planned handover shows as of today, but load_raw stays the file's own words."""
    ok("intervenant", "add", marcel, "--name", "Karim Ouali", "--since", "2026-01-01")
    ok("intervenant", "add", marcel, "--name", "Julie Peeters", "--since", "2026-01-01")
    ok("coordinator", "set", marcel, "karim-ouali", "--date", "2026-02-01")
    ok("coordinator", "set", marcel, "julie-peeters", "--date", "2026-03-01")
    from reseau_cli.model.network import today_view

    repo = Repository.open(team)
    repo.view = today_view("2026-03-15")
    assert repo.person(marcel)["coordination"]["coordinator"] == "julie-peeters"
    written = repo.load_raw("person", marcel)["coordination"]["coordinator"]
    assert written == yaml_field(team, marcel)


def yaml_field(team: Path, marcel: str) -> str:
    import yaml

    doc = yaml.safe_load((team / "persons" / f"{marcel}.yaml").read_text())
    return doc["coordination"]["coordinator"]


@pytest.mark.parametrize("made_after_change_s", [0, 10])
def test_an_entry_made_about_when_its_file_changed_is_read_again(
    team: Path, marcel: str, made_after_change_s: int
) -> None:
    """The whole-kind cache trusts a file's stat only when its entry was made well after
    the file last changed: a rewrite of the same size within one tick of the file
    system's clock keeps the stat, as git's "racily clean" entries. Here the cache is
    made to hold another document under the file's current stat, as such a rewrite
    would leave it: made about when the file changed, it is not served; made long
    after, the stat is trusted (which shows the forged entry is the one looked at)."""
    import marshal

    repo = Repository.open(team)
    assert dict(repo.all_raw("person"))[marcel]["identity"]["given_name"] == "Marcel"
    cache = team / ".git" / "reseau-cache" / "person.marshal"
    data = marshal.loads(cache.read_bytes())
    key, doc = data["entries"][marcel]
    path = team / "persons" / f"{marcel}.yaml"
    assert key == [path.lstat().st_size, path.lstat().st_mtime_ns, path.lstat().st_ctime_ns,
                   path.lstat().st_ino]  # fmt: skip
    forged = {**doc, "identity": {**doc["identity"], "given_name": "Marcelin"}}
    data["entries"][marcel] = [key, forged]
    data["made"] = max(key[1], key[2]) + made_after_change_s * 1_000_000_000
    cache.write_bytes(marshal.dumps(data))
    found = dict(Repository.open(team).all_raw("person"))[marcel]["identity"]["given_name"]
    assert found == ("Marcel" if made_after_change_s == 0 else "Marcelin")
