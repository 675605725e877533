"""A cold load (a fresh clone: no index, no caches) reads and parses each file once,
builds the same documents PyYAML's own construction builds, and shows a progress bar
on stderr only when stderr is a terminal."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from reseau_cli import index, store

ROOT = Path(__file__).resolve().parents[1]
CORPUS = sorted(
    p
    for folder in (ROOT / "examples", ROOT / "tests")
    for p in folder.rglob("*.yaml")
    if p.parent.name in ("persons", "intervenants", "schemes") or p.name == "reseau.yaml"
)


class Reference(store.Loader):  # type: ignore[misc,name-defined]
    """reseau's loader with PyYAML's own construction and resolution (no shortcut)."""

    construct_document = yaml.constructor.BaseConstructor.construct_document
    resolve = yaml.resolver.BaseResolver.resolve
    descend_resolver = yaml.resolver.BaseResolver.descend_resolver
    ascend_resolver = yaml.resolver.BaseResolver.ascend_resolver


def outcome(text: str, loader: Any) -> str:
    """The document as ``repr`` shows it (so ``True`` and ``1`` differ), or the error."""
    try:
        return repr(yaml.load(text, Loader=loader))  # noqa: S506 - safe loaders
    except Exception as exc:  # the same error, of the same type, is expected
        return f"{type(exc).__name__}: {exc}"


ODD = [
    "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: y\ng: 'yes'\n",
    "a: 0x1f\nb: 0o17\nc: 017\nd: 1_000\ne: -5\nf: +3\ng: 190:20:30\nh: 0b101\n",
    "a: 1.5\nb: .inf\nc: -.Inf\nd: .nan\ne: 1e3\nf: 6.8523015e+5\ng: 1_0.5\n",
    "a: ~\nb: null\nc:\nd: Null\ne: ''\nf: 'null'\n",
    "a: 2026-11-28\nb: 2001-12-14t21:59:43.10-05:00\nc: '2026-11-28'\n",
    "a: !!str 12\nb: !!int '12'\nc: !!bool yes\nd: !!float 1\ne: !!null ''\n",
    "a: !!binary aGVsbG8=\nb: !!set {x, y}\nc: !!omap [x: 1]\nd: !!pairs [x: 1]\n",
    "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",
    "=: 1\n",
    "? [a, b]\n: 1\n",
    "? {a: 1}\n: 2\n",
    "1: a\n2.5: b\nnull: c\ntrue: d\n2026-01-01: e\n",
    "a: 1\na: 2\nb: 3\n",
    'a: |\n  two\n  lines\nb: >\n  folded\n  text\nc: "q\\u00e9"\n',
    "a: " + "9" * 30 + "\n",
    "a: !!bool maybe\n",
    "a: !!int abc\n",
    "a: !foo bar\n",
    "a: &x [1, 2]\nb: *x\n",
    "",
    "# only a comment\n",
    "[1, [2, [3, {a: [4]}]]]\n",
    "- a\n- - b\n  - c\n- {}\n- []\n",
    "just text\n",
    "a: [1, 2\n",
    "x: {a: 1, b: [x, y]}\n" * 2,
    "!!map {a: 1}\n",
    "!!seq [1]\n",
    "!!str [1]\n",
    "a: !!null [1]\n",
    "a: !!timestamp 2026-01-01\n",
]


@pytest.mark.parametrize("text", ODD)
def test_odd_yaml_is_built_as_pyyaml_builds_it(text: str) -> None:
    assert outcome(text, store.Loader) == outcome(text, Reference)


def test_every_file_of_the_corpus_is_built_as_pyyaml_builds_it() -> None:
    assert len(CORPUS) >= 10
    for path in CORPUS:
        text = path.read_text(encoding="utf-8")
        quick = outcome(text, store.Loader)
        assert quick == outcome(text, Reference), path
        assert not quick.startswith(("ConstructorError", "KeyError")), path


def test_the_quick_construction_is_the_one_in_use() -> None:
    assert store.Loader.construct_document is not Reference.construct_document
    assert store.Loader.resolve is not Reference.resolve
    assert store.Loader.descend_resolver is not Reference.descend_resolver
    assert store.Loader.ascend_resolver is not Reference.ascend_resolver
    assert not store.Loader.yaml_path_resolvers  # (what makes those hooks do nothing)


# -- a fresh clone of a repository large enough to be read by a pool of processes ------------

DRIVER = """
import os, sys
from reseau_cli import cache, index, store
index.RACY_NS = 0  # files just cloned get their keys at once (a second run is warm)
if os.environ.get("ONE_PROCESS"):
    cache._PARALLEL_FROM = 10**9  # the reference: every file read by this process
log = open(os.environ["RESEAU_COUNT_LOG"], "a", buffering=1)
real_read, real_parse = store.read_bytes, store.parse
def read_bytes(path, *, display):
    log.write(f"read {os.getpid()} {display}\\n")
    return real_read(path, display=display)
def parse(text, *, path):
    log.write(f"parse {os.getpid()} {path}\\n")
    return real_parse(text, path=path)
store.read_bytes, store.parse = read_bytes, parse
from reseau_cli.cli import main
sys.argv = ["reseau", *sys.argv[1:]]
main()
"""
PERSONS = 230  # more than cache._PARALLEL_FROM


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committed repository of PERSONS persons and 300 intervenants (bench's generator)."""
    import importlib.util

    from reseau_cli import cache

    assert PERSONS > cache._PARALLEL_FROM
    spec = importlib.util.spec_from_file_location("reseau_bench", ROOT / "bench" / "bench.py")
    assert spec is not None and spec.loader is not None
    bench = sys.modules["reseau_bench"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    base = tmp_path_factory.mktemp("cold")
    team = base / "team"
    run = {"env": _env(base), "check": True, "capture_output": True}
    subprocess.run([sys.executable, "-m", "reseau_cli", "init", str(team)], **run)  # type: ignore[call-overload]
    bench.generate(team, PERSONS)
    subprocess.run(["git", "add", "-A"], cwd=team, **run)  # type: ignore[call-overload]
    subprocess.run(["git", "commit", "-qm", "persons"], cwd=team, **run)  # type: ignore[call-overload]
    return team


def _env(base: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RESEAU_", "GIT_"))}
    home = base / "home"
    home.mkdir(exist_ok=True)
    (home / ".gitconfig").touch()
    return {
        **env,
        "HOME": str(home),
        "GIT_CONFIG_GLOBAL": str(home / ".gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "RESEAU_TODAY": "2026-11-28",
        "RESEAU_LANG": "en",
        "XDG_CACHE_HOME": str(base / "cache"),
    }


def _clone(origin: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(origin), str(clone)], check=True)
    return clone, {**_env(tmp_path), "RESEAU_REPO": str(clone)}


def _counted(env: dict[str, str], log: Path, *args: str) -> tuple[str, dict[str, list[str]]]:
    """Run reseau with each file read and parse logged (by every process): its stdout,
    and for each of "read" and "parse" the paths in the order they came."""
    log.write_text("")
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, *args],
        env={**env, "RESEAU_COUNT_LOG": str(log)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode in (0, 1), done.stderr
    assert done.stderr == "", done.stderr
    seen: dict[str, list[str]] = {"read": [], "parse": [], "pids": [], "directory pids": []}
    for line in log.read_text().splitlines():
        what, pid, path = line.split(" ", 2)
        seen[what].append(path)
        if what == "parse" and path.startswith("persons/"):
            seen["pids"].append(pid)
        if what == "parse" and path.startswith("intervenants/"):
            seen["directory pids"].append(pid)
    return done.stdout, seen


def _counted_ok(env: dict[str, str], log: Path, *args: str) -> str:
    out, _seen = _counted(env, log, *args)
    return out


def _once_each(paths: list[str], folder: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for path in paths:
        if path.startswith(folder):
            counts[path] = counts.get(path, 0) + 1
    return counts


def test_a_cold_status_reads_and_parses_each_person_once(origin: Path, tmp_path: Path) -> None:
    clone, env = _clone(origin, tmp_path)
    log = tmp_path / "log"
    cold, seen = _counted(env, log, "status", "--json")
    persons = {f"persons/{p.name}" for p in (clone / "persons").iterdir()}
    assert len(persons) == PERSONS
    for what in ("read", "parse"):
        counts = _once_each(seen[what], "persons/")
        assert set(counts) == persons, what
        assert set(counts.values()) == {1}, what
        assert set(_once_each(seen[what], "intervenants/").values()) <= {1}, what
    assert len(set(seen["pids"])) >= 2  # the work was spread over processes
    # the 300 small files of the directory: read by the command itself (a pool of
    # processes would cost more than it saves)
    assert len(seen["directory pids"]) == 300 and len(set(seen["directory pids"])) == 1
    assert json.loads(cold)
    warm, seen = _counted(env, log, "status", "--json")
    assert warm == cold
    assert not _once_each(seen["read"] + seen["parse"], "persons/")


def test_a_cold_load_keeps_no_per_file_cache_entries(origin: Path, tmp_path: Path) -> None:
    """The per-file cache is for the few files a command reads again (those it just
    wrote): the many files of a fresh clone, read in small chunks by a pool of
    processes, each leave no entry there (writing one costs as much as parsing)."""
    clone, env = _clone(origin, tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "reseau_cli", "status", "--json"],
        env=env,
        capture_output=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    files = clone / ".git" / "reseau-cache" / "files"
    kept = sorted(p.name for p in files.iterdir()) if files.is_dir() else []
    assert not [name for name in kept if name.startswith("person.")]


def test_a_cold_check_reads_and_parses_each_file_once(origin: Path, tmp_path: Path) -> None:
    clone, env = _clone(origin, tmp_path)
    _out, seen = _counted(env, tmp_path / "log", "check")
    for folder in ("persons/", "intervenants/"):
        files = {f"{folder}{p.name}" for p in (clone / folder).iterdir()}
        for what in ("read", "parse"):
            counts = _once_each(seen[what], folder)
            assert set(counts) == files, (folder, what)
            assert set(counts.values()) == {1}, (folder, what)
    assert len(set(seen["pids"])) >= 2


def test_a_progress_bar_on_a_terminal_and_nothing_otherwise(origin: Path, tmp_path: Path) -> None:
    import pty

    clone, env = _clone(origin, tmp_path)
    out = tmp_path / "out.json"
    master, slave = pty.openpty()
    with out.open("w") as stdout:
        process = subprocess.Popen(
            [sys.executable, "-m", "reseau_cli", "status", "--json"],
            env={**env, "TERM": "xterm", "COLUMNS": "100"},
            stdout=stdout,
            stderr=slave,
        )
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert process.wait(timeout=600) == 0
    assert f"Reading {PERSONS} person files".encode() in shown
    assert json.loads(out.read_text())

    clone2, env2 = _clone(origin, tmp_path / "again")
    done = subprocess.run(
        [sys.executable, "-m", "reseau_cli", "status", "--json"],
        env=env2,
        capture_output=True,
        timeout=600,
    )
    assert done.returncode == 0
    assert done.stderr == b""
    assert json.loads(done.stdout) == json.loads(out.read_text())


def test_a_cold_load_answers_as_one_process_does(origin: Path, tmp_path: Path) -> None:
    """Spread over processes or not, the answers are the same bytes: the alerts, and the
    matches of `find` (whose texts the first search puts into the full-text index)."""
    answers = []
    for name, spread in (("spread", {}), ("one", {"ONE_PROCESS": "1"})):
        _clone_dir, env = _clone(origin, tmp_path / name)
        env = {**env, **spread}
        log = tmp_path / f"{name}.log"
        found = [_counted_ok(env, log, "status", "--json")]
        for words in ("téléassistance", "teleassistance", "Lambert", "kiné"):
            found.append(_counted_ok(env, log, "find", words, "--json", "--all"))
        found.append(_counted_ok(env, log, "person", "list"))
        answers.append(found)
    assert answers[0] == answers[1]
    assert json.loads(answers[0][0])
    assert json.loads(answers[0][1]) == json.loads(answers[0][2])  # accents ignored
    assert len(json.loads(answers[0][1])) > 10


def test_a_cold_load_killed_midway_is_finished_by_the_next_command(
    origin: Path, tmp_path: Path
) -> None:
    """A cold `status` killed (with its workers) while it fills the index leaves an index
    that the next command completes by itself: same answers as an uninterrupted run."""
    import signal
    import sqlite3
    import time

    reference_clone, reference_env = _clone(origin, tmp_path / "reference")
    log = tmp_path / "log"
    reference = [
        _counted_ok(reference_env, log, "status", "--json"),
        _counted_ok(reference_env, log, "find", "téléassistance", "--json"),
    ]
    clone, env = _clone(origin, tmp_path / "killed")
    db_path = clone / ".git" / index.FILE
    process = subprocess.Popen(
        [sys.executable, "-c", DRIVER, "status", "--json"],
        env={**env, "RESEAU_COUNT_LOG": str(tmp_path / "killed.log")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    stored = 0
    deadline = time.monotonic() + 300
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with contextlib.closing(sqlite3.connect(db_path, timeout=0.05)) as db:
                stored = db.execute("SELECT count(*) FROM docs WHERE kind = 'person'").fetchone()[0]
        except sqlite3.Error:
            stored = 0
        if stored:
            os.killpg(process.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    process.wait(timeout=60)
    assert 0 < stored < PERSONS  # killed midway, some rows stored
    again = [
        _counted_ok(env, log, "status", "--json"),
        _counted_ok(env, log, "find", "téléassistance", "--json"),
    ]
    assert again == reference
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM docs WHERE kind = 'person'").fetchone() == (
            PERSONS,
        )


@pytest.mark.parametrize(("count", "size"), [(4999, 100), (229, 16), (3, 16), (1000, 31)])
def test_chunks_cover_every_file_once_in_order_the_last_ones_smaller(count: int, size: int) -> None:
    from reseau_cli import cache

    idents = [f"p-{n:06d}" for n in range(count)]
    chunks = cache._chunks(idents, size, 2)
    assert [ident for chunk in chunks for ident in chunk] == idents
    assert all(0 < len(chunk) <= size for chunk in chunks)
    if count > 4 * size:
        assert len(chunks[-1]) < size and len(chunks[0]) == size
