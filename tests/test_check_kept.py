"""`reseau check` after a write reuses each unchanged person's part of the report (kept
in the derived index) and loads only the files that changed; its report is always the
one a check from scratch makes (`check --strict`): same problems, same order, same
warnings, same counts."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import TODAY, git, ok, write_intervenant
from reseau_cli import i18n, index, store
from reseau_cli.operations.check import CheckReport
from reseau_cli.operations.check_kept import check_repository
from reseau_cli.repo import Repository

ROOT = Path(__file__).resolve().parent.parent
STAT_ONLY = -(10**12)  # every file gets its stamp at once (the racy guard tested apart)


def _person(team: Path, pid: str) -> Path:
    return team / "persons" / f"{pid}.yaml"


def _edit(team: Path, pid: str, change: Any) -> None:
    path = _person(team, pid)
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False))


def _add(family: str) -> str:
    args = ("--family-name", family, "--given-name", "X", "--since", "2026-09-01")
    return ok("person", "add", *args).stdout.strip()


def compared(
    team: Path, monkeypatch: pytest.MonkeyPatch, today: str = TODAY
) -> tuple[CheckReport, set[str]]:
    """The kept report (and the person files it read), after asserting it is the report
    of a check from scratch."""
    read: list[str] = []
    real = store.read_bytes

    def read_bytes(path: Path, *, display: str) -> bytes:
        read.append(display)
        return real(path, display=display)

    with monkeypatch.context() as patch:
        patch.setattr(store, "read_bytes", read_bytes)
        kept = check_repository(Repository.open(team, strict=False), today=today)
    scratch = check_repository(Repository.open(team, strict=False), today=today, strict=True)
    assert kept == scratch
    return kept, {p for p in read if p.startswith("persons/")}


def _parts(team: Path) -> dict[str, str]:
    path = index.path_of(team)
    assert path is not None
    with sqlite3.connect(path) as db:
        return dict(db.execute("SELECT id, stamp FROM parts WHERE what = 'check'").fetchall())


@pytest.fixture
def varied(team: Path, marcel: str) -> dict[str, str]:
    """Persons with problems and warnings of several kinds: a disclosure the consent did
    not allow (marcel), cross-file problems (broken), a consent in the old form (old), a
    consent naming someone outside the network (named), and one clean file."""
    for name, kind in (("Anne Lambert", "professional"), ("Aide Nord", "service")):
        ok("intervenant", "add", marcel, "--name", name, "--kind", kind, "--since", "2026-09-01")
    ok("intervenant", "add", marcel, "--name", "Karim Ouali", "--since", "2026-09-01")
    ok("intervenant", "end", marcel, "karim-ouali", "--date", "2026-10-15")
    ok("consent", "give", marcel, "--date", "2026-10-01", "--to", "anne-lambert")

    def disclosed(doc: dict[str, Any]) -> None:
        doc["consent"]["disclosures"] = [
            {"id": "d-aaaaaa", "date": "2026-10-02", "document": "plan", "recipient": "aide-nord"},
            {"id": "d-bbbbbb", "date": "2026-10-03", "document": "plan", "recipient": "anne-lambert"},
        ]  # fmt: skip

    _edit(team, marcel, disclosed)
    broken = _add("Broken")
    ok("intervenant", "add", broken, "--id", "anne-lambert", "--since", "2026-09-01")

    def wrong(doc: dict[str, Any]) -> None:
        doc["network"].append({"intervenant": "ghost", "since": "2026-01-10"})
        doc["plan"]["actions"] = [
            {"id": "a-bbbb", "text": "Meals", "by": "person", "status": "planned",
             "start": "2026-12-10", "due": "2026-12-01"},
            {"id": "a-bbbb", "text": "Alarm", "by": "person", "status": "planned"},
        ]  # fmt: skip

    _edit(team, broken, wrong)
    old = _add("Old")

    def old_form(doc: dict[str, Any]) -> None:
        doc["consent"] = {"information_sharing": True, "date": "2026-09-15", "scope": "Réseau"}

    _edit(team, old, old_form)
    named = _add("Named")
    ok("intervenant", "add", named, "--id", "anne-lambert", "--since", "2026-09-01")
    ok("consent", "give", named, "--date", "2026-11-20", "--to", "professional")

    def outside(doc: dict[str, Any]) -> None:
        doc["consent"]["history"][0]["recipients"].append("karim-ouali")

    _edit(team, named, outside)
    clean = _add("Clean")
    git(team, "add", "-A")
    git(team, "commit", "-qm", "hand edits")
    return {"marcel": marcel, "broken": broken, "old": old, "named": named, "clean": clean}


def test_the_report_after_each_change_is_the_one_from_scratch(
    team: Path, varied: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(index, "RACY_NS", STAT_ONLY)
    first, _read = compared(team, monkeypatch)
    messages = " ".join(p.message for p in first.problems + first.warnings)
    for said in ("unknown intervenant 'ghost'", "due (2026-12-01) before start", "duplicate id",
                 "contradicts the consent", "old form", "not in the network on that day"):  # fmt: skip
        assert said in messages
    assert {p.path for p in first.warnings} >= {
        f"persons/{varied[k]}.yaml" for k in ("marcel", "old", "named")
    }
    assert set(_parts(team)) == set(varied.values())
    assert compared(team, monkeypatch)[1] == set()  # nothing changed: the whole report

    ok("plan", "action", "add", varied["marcel"], "Call back", "--by", "person")  # edited
    assert compared(team, monkeypatch)[1] == {f"persons/{varied['marcel']}.yaml"}

    def more(doc: dict[str, Any]) -> None:  # its problems are on other lines now
        doc["plan"]["objectives"] = [{"id": "o-aaaa", "text": "Stay home", "status": "active"}]

    _edit(team, varied["broken"], more)
    report, read = compared(team, monkeypatch)
    assert read == {f"persons/{varied['broken']}.yaml"} and report != first
    added = _add("Added")  # added
    report, read = compared(team, monkeypatch)
    assert read == {f"persons/{added}.yaml"} and report.persons == 6
    _person(team, varied["clean"]).unlink()  # deleted
    report, read = compared(team, monkeypatch)
    assert read == set() and report.persons == 5
    assert varied["clean"] not in _parts(team)  # nothing kept of a deleted file

    write_intervenant(team, "aide-nord", "Aide Nord", kind="professional")  # intervenant edited
    compared(team, monkeypatch)
    write_intervenant(team, "ghost", "Ghost")  # one added: no longer unknown
    report, _read = compared(team, monkeypatch)
    assert "unknown intervenant 'ghost'" not in " ".join(p.message for p in report.problems)
    good = _person(team, added).read_text()
    _person(team, added).write_text(good.replace("family_name: Added", "family_name: [1"))
    report, read = compared(team, monkeypatch)  # made invalid
    assert read == {f"persons/{added}.yaml"}
    assert any(p.path == f"persons/{added}.yaml" for p in report.problems)
    assert added not in _parts(team)  # an invalid file is read again each time
    _person(team, added).write_text(good)  # fixed
    report, read = compared(team, monkeypatch)
    assert read == {f"persons/{added}.yaml"}
    assert not any(p.path == f"persons/{added}.yaml" for p in report.problems)

    compared(team, monkeypatch, today="2027-03-01")  # a day passes (evaluations, holders...)
    compared(team, monkeypatch, today="2027-03-01")
    i18n.set_language("fr")  # another language
    french, _read = compared(team, monkeypatch)
    i18n.set_language("en")
    english, _read = compared(team, monkeypatch)
    assert french != english and french.problems[0].path == english.problems[0].path


def test_a_deleted_file_takes_its_part_with_it(
    team: Path, varied: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whichever command notices first that a file is gone: `status` (its index row goes,
    and its part with it) or `check`; a deleted intervenant takes every part."""
    monkeypatch.setattr(index, "RACY_NS", STAT_ONLY)
    compared(team, monkeypatch)
    ok("status")
    assert set(_parts(team)) == set(varied.values())
    git(team, "rm", "-q", f"persons/{varied['old']}.yaml")
    ok("status")
    assert set(_parts(team)) == set(varied.values()) - {varied["old"]}
    assert b"information_sharing" not in index.path_of(team).read_bytes()  # type: ignore[union-attr]
    compared(team, monkeypatch)
    assert varied["old"] not in _parts(team)
    added = _add("Added")  # checked, then deleted before any other command listed it
    compared(team, monkeypatch)
    assert added in _parts(team)
    git(team, "rm", "-q", f"persons/{added}.yaml")
    ok("person", "list")
    assert added not in _parts(team)
    ok("intervenant", "list")
    assert _parts(team)
    git(team, "rm", "-q", "intervenants/karim-ouali.yaml")
    ok("intervenant", "list")
    assert _parts(team) == {}
    compared(team, monkeypatch)


def test_a_file_rewritten_with_the_same_size_in_the_racy_window(
    team: Path, varied: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file changed too recently to be told apart from a later change gets no kept
    part: a rewrite that keeps its size and modification time is seen. (Its time is set
    past the end of the window, so that the rest of the repository is outside it and
    keeps its parts whatever the machine's speed: the rule is the same.)"""
    import time

    monkeypatch.setattr(index, "RACY_NS", STAT_ONLY)
    compared(team, monkeypatch)
    assert set(_parts(team)) == set(varied.values())
    path = _person(team, varied["clean"])
    text = path.read_text()
    recent = time.time_ns() - STAT_ONLY + 60 * 10**9  # within the window
    path.write_text(text)
    os.utime(path, ns=(recent, recent))
    compared(team, monkeypatch)
    assert set(_parts(team)) == set(varied.values()) - {varied["clean"]}  # none kept for it
    changed = text.replace("status: active", "status: closed")  # needs `closed:` now
    assert len(changed) == len(text) and changed != text
    with path.open("r+") as handle:
        handle.write(changed)
    os.utime(path, ns=(recent, recent))
    report, read = compared(team, monkeypatch)
    assert read == {f"persons/{varied['clean']}.yaml"}
    assert any(p.path == f"persons/{varied['clean']}.yaml" for p in report.problems)
    old = time.time_ns() - 10**9
    os.utime(path, ns=(old, old))  # the window is over: kept
    compared(team, monkeypatch)
    assert set(_parts(team)) == set(varied.values())


DRIVER = """
import os, sys
from reseau_cli import cache, index, store
index.RACY_NS = 0  # the files were written before this process started
log = open(os.environ["RESEAU_COUNT_LOG"], "a", buffering=1)
real_read, real_parse, real_all = store.read_bytes, store.parse, cache.load_all
def read_bytes(path, *, display):
    log.write(f"read {display}\\n")
    return real_read(path, display=display)
def parse(text, *, path):
    log.write(f"parse {path}\\n")
    return real_parse(text, path=path)
def load_all(repo, kind, *args, **kwargs):
    log.write(f"all {kind}\\n")
    return real_all(repo, kind, *args, **kwargs)
store.read_bytes, store.parse, cache.load_all = read_bytes, parse, load_all
from reseau_cli.cli import main
sys.argv = ["reseau", *sys.argv[1:]]
main()
"""


def test_a_check_after_one_write_loads_only_that_person(
    team: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("reseau_bench", ROOT / "bench" / "bench.py")
    assert spec is not None and spec.loader is not None
    bench = sys.modules["reseau_bench"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    ids = bench.generate(team, 40)
    git(team, "add", "-A")
    git(team, "commit", "-qm", "persons")
    log = tmp_path / "log"

    def counted(*args: str) -> tuple[str, list[str]]:
        log.write_text("")
        done = subprocess.run(
            [sys.executable, "-c", DRIVER, *args],
            env={**os.environ, "RESEAU_COUNT_LOG": str(log)},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout, log.read_text().splitlines()

    first, seen = counted("check")
    assert "all person" in seen  # from scratch: every person document
    ok("plan", "action", "add", ids[7], "Call back", "--by", "person")
    after, seen = counted("check")
    # the one document written is read once (the write left it validated in the
    # per-file cache: not parsed again); no other person's, nor the cache of them all
    persons = [line for line in seen if "persons/" in line or line == "all person"]
    assert persons == [f"read persons/{ids[7]}.yaml"]
    assert after == first
    again, seen = counted("check")
    assert again == first and not [line for line in seen if "persons/" in line]
