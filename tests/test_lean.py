"""The console's first step (``reseau_cli/lean.py``): a kept answer printed before reseau
is imported, and never a stale one.

Real processes, as the console script runs them (stdout a pipe). Each scenario checks
that what the lean step serves is, byte for byte and with the same exit code and
stderr, what the command prints from scratch (the index and the kept answers deleted
first), after every kind of change: an edit by reseau, a plain edit keeping the size and
the mtime, a git checkout, a deletion, a new file, a new day, another language, another
repository; and that it declines when a journal of an interrupted change or a team file
is there, or the command wrote to stderr. Whether the lean step answered is seen from
the modules the process imported: it imports neither the fast path nor i18n."""

from __future__ import annotations

import json
import marshal
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import caseload_network, edit_keeping_mtime, git, ok, write_intervenant
from reseau_cli import index, lean

COMMANDS = [
    ("status", "--json"),
    ("status",),
    ("person", "list"),
    ("person", "list", "--all", "--json"),
    ("intervenant", "show", "karim-ouali"),
    ("check",),
    ("check", "--json"),
]

# The modules imported, written by an ``atexit`` function as the process ends (however
# it ends: the console may skip the rest of Python's finalization). LEAN_TEST_RACY_NS=0:
# no file is too recent for its stat (each counts by its stat alone).
_CODE = (
    "import atexit, os, sys\n"
    "from reseau_cli import lean\n"
    "from reseau_cli.cli import main\n"
    "lean.RACY_NS = int(os.environ.get('LEAN_TEST_RACY_NS', lean.RACY_NS))\n"
    "def report():\n"
    "    with open(os.environ['LEAN_TEST_MODULES'], 'w') as out:\n"
    "        out.write('\\n'.join(sorted(sys.modules)))\n"
    "atexit.register(report)\n"
    "main()\n"
)


class Run:
    def __init__(self, code: int, out: bytes, err: bytes, modules: list[str]) -> None:
        self.printed = (code, out, err)
        self.modules = modules
        # the lean step exits before the fast path (or Typer) is imported
        self.lean = "reseau_cli.cli.fast" not in modules and "reseau_cli.lean" in modules


def run(*args: str, **env: str) -> Run:
    modules = Path(os.environ["LEAN_TEST_MODULES"])
    modules.unlink(missing_ok=True)
    done = subprocess.run(
        [sys.executable, "-c", _CODE, *args],
        capture_output=True,
        env={**os.environ, **env},
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr, modules.read_text().split("\n"))


def scratch(root: Path, *args: str, **env: str) -> Run:
    """What ARGS print with nothing kept: the index and the kept answers deleted."""
    for path in root.joinpath(".git").glob(index.FILE + "*"):
        path.unlink()
    shutil.rmtree(root / ".git" / lean.FOLDER, ignore_errors=True)
    return run(*args, **env)


def assert_never_stale(root: Path, **env: str) -> None:
    """Each command as kept by the previous call (or made), then served by the lean
    step, as from scratch; each one is kept again when this returns."""
    served = {args: run(*args, **env) for args in COMMANDS}
    for args in COMMANDS:
        again = run(*args, **env)
        first = served[args]
        if first.printed[0] == 0 and not first.printed[2]:
            assert again.lean, args  # an answer printed without a word on stderr is kept
        assert again.printed == first.printed, args
    for args in COMMANDS:
        fresh = scratch(root, *args, **env)
        assert not fresh.lean
        assert fresh.printed == served[args].printed, args
    for args in COMMANDS:
        run(*args, **env)


@pytest.fixture(autouse=True)
def modules_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEAN_TEST_MODULES", str(tmp_path / "modules.txt"))
    for name in ("RESEAU_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def network(team: Path, marcel: str) -> dict[str, str]:
    return caseload_network(team, marcel)


def test_the_lean_step_serves_what_the_command_printed_importing_nothing(
    team: Path, network: dict[str, str]
) -> None:
    first = run("status", "--json")
    assert not first.lean and json.loads(first.printed[1])
    again = run("status", "--json")
    assert again.lean and again.printed == first.printed
    # Python's own modules only: no i18n, gettext, re, pathlib, json, sqlite3, datetime
    reseau = sorted(m for m in again.modules if m.startswith("reseau_cli"))
    assert reseau == ["reseau_cli", "reseau_cli.cli", "reseau_cli.lean"]
    for heavy in ("gettext", "re", "pathlib", "json", "sqlite3", "datetime", "hashlib"):
        assert heavy not in again.modules, heavy
    # what is kept is the answer itself, and only for the same key: any file changed
    # makes it again (the tampered answer is not served)
    kept = team / ".git" / lean.FOLDER
    (path,) = kept.iterdir()
    data = path.read_bytes()
    assert data.endswith(first.printed[1])
    path.write_bytes(data.replace(b"no-coordinator", b"NO-COORDINATOR"))
    assert b"NO-COORDINATOR" in run("status", "--json").printed[1]
    person = team / "persons" / f"{network['marcel']}.yaml"
    person.write_text(person.read_text() + "\n")
    changed = run("status", "--json")
    assert not changed.lean and changed.printed == first.printed
    # what the shell sets and nothing reads (the program started, the folder left)
    assert run("status", "--json", _="/usr/bin/time", OLDPWD="/elsewhere").lean
    assert not run("status", "--json", RESEAU_UNKNOWN="x").lean  # any other: another key


def test_every_kind_of_change_gives_the_answer_made_from_scratch(
    team: Path, network: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert_never_stale(team)
    # an edit by reseau
    ok("plan", "action", "add", network["other"], "Appeler", "--by", "karim-ouali")
    assert_never_stale(team)
    # a plain edit of the same size, its mtime put back (the ctime still moves)
    path = team / "persons" / f"{network['marcel']}.yaml"
    edit_keeping_mtime(path, b"Janssens", b"Janssenz")
    assert_never_stale(team)
    assert b"Janssenz" in run("status").printed[1]
    # git: a file checked out as it was
    git(team, "checkout", "-q", "HEAD", "--", f"persons/{network['marcel']}.yaml")
    assert_never_stale(team)
    assert b"Janssenz" not in run("status").printed[1]
    # a new file, an intervenant renamed by hand
    ok("person", "add", "--family-name", "Nouveau", "--given-name", "Jean")
    entry = team / "intervenants" / "karim-ouali.yaml"
    entry.write_text(entry.read_text().replace("Karim Ouali", "Karim Oualy"))
    assert b"Oualy" in run("person", "list").printed[1]
    assert_never_stale(team)


def test_a_file_or_a_folder_put_in_place_with_the_same_times_is_seen(
    team: Path, network: dict[str, str]
) -> None:
    """Each file counts by its own stat, taken by its name in its folder: a file
    replaced by another of the same size and mtime (another inode), a folder replaced by
    a copy keeping every file's times (one edited in place), a folder renamed and back."""
    assert_never_stale(team)
    path = team / "persons" / f"{network['marcel']}.yaml"
    before = path.stat()
    other = path.with_name("other.tmp")
    other.write_bytes(path.read_bytes().replace(b"Janssens", b"Janssenz"))
    os.utime(other, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(other, path)
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert_never_stale(team)
    assert b"Janssenz" in run("status").printed[1]
    # the persons folder swapped for a copy (same names, sizes and mtimes), one file
    # of it edited in place with its mtime put back
    persons, copy = team / "persons", team / "persons-copy"
    shutil.copytree(persons, copy, copy_function=shutil.copy2)
    edit_keeping_mtime(copy / path.name, b"Janssenz", b"Janssens")
    persons.rename(team / "persons-old")
    copy.rename(persons)
    shutil.rmtree(team / "persons-old")
    assert_never_stale(team)
    assert b"Janssens" in run("status").printed[1]
    # a folder renamed (its intervenants unknown meanwhile), then back
    (team / "intervenants").rename(team / "intervenants-aside")
    assert_never_stale(team)
    (team / "intervenants-aside").rename(team / "intervenants")
    assert_never_stale(team)
    assert b"karim-ouali" in run("intervenant", "show", "karim-ouali").printed[1]


def test_an_answer_kept_in_another_format_or_cut_short_is_made_again_over_it(
    team: Path, network: dict[str, str]
) -> None:
    """A kept answer the lean step cannot read as its own (kept by another version of
    reseau, or cut short), or kept for other stats, is never served: the command makes
    its answer and keeps it in its place."""
    first = run("person", "list")
    assert run("person", "list").lean
    (path,) = (team / ".git" / lean.FOLDER).iterdir()
    data = path.read_bytes()
    start = len(lean.FORMAT) + 8
    size = int.from_bytes(data[len(lean.FORMAT) : start], "little")
    stats_length = marshal.loads(data[start : start + size])[2]
    last = start + size + stats_length - 1  # the stats' last byte: another stat kept
    other_stat = data[:last] + bytes([data[last] ^ 1]) + data[last + 1 :]
    for spoiled in (
        b"reseau-kept 0\n" + data[len(lean.FORMAT) :],
        data[: len(data) // 2],
        b"",
        other_stat,
    ):
        path.write_bytes(spoiled)
        again = run("person", "list")
        assert not again.lean and again.printed == first.printed
        assert path.read_bytes().endswith(first.printed[1])  # kept in its place
        served = run("person", "list")
        assert served.lean and served.printed == first.printed


def test_a_new_day_another_language_another_repository(
    team: Path, network: dict[str, str], tmp_path: Path
) -> None:
    assert_never_stale(team)
    team_language = run("status").printed
    assert_never_stale(team, RESEAU_TODAY="2027-03-01")
    assert run("status", RESEAU_TODAY="2027-03-01").printed != team_language
    assert_never_stale(team, RESEAU_LANG="en")
    run("status", RESEAU_LANG="en")
    other_language = run("status", RESEAU_LANG="en")
    assert other_language.lean and other_language.printed != team_language
    run("status")
    assert run("status").printed == team_language
    other = tmp_path / "other"
    shutil.copytree(team, other, symlinks=True)
    ok("person", "add", "--family-name", "Ailleurs", "--given-name", "Ana")  # in team only
    assert_never_stale(other, RESEAU_REPO=str(other))
    assert b"Ailleurs" not in run("person", "list", RESEAU_REPO=str(other)).printed[1]
    assert b"Ailleurs" in run("person", "list").printed[1]


def test_a_deleted_person_leaves_nothing_once_a_command_ran(
    team: Path, network: dict[str, str]
) -> None:
    for args in COMMANDS:
        run(*args)
        assert run(*args).lean, args
    kept = team / ".git" / lean.FOLDER
    assert any(b"Zyxwvutsrq" in p.read_bytes() for p in kept.iterdir())
    git(team, "rm", "-q", f"persons/{network['other']}.yaml")
    git(team, "commit", "-qm", "gone")
    gone = run("person", "list")
    assert not gone.lean and b"Zyxwvutsrq" not in gone.printed[1]
    assert not any(b"Zyxwvutsrq" in p.read_bytes() for p in kept.iterdir())
    assert_never_stale(team)


def test_files_too_recent_for_their_stat_are_checked_by_content(
    team: Path, network: dict[str, str]
) -> None:
    """Git's rule: right after a write, the file counts by its stat and a hash of its
    content, which is checked before the answer is served."""
    ok("plan", "action", "add", network["marcel"], "Rappeler", "--by", "karim-ouali")
    first = run("person", "list")
    (path,) = (team / ".git" / lean.FOLDER).iterdir()
    person = str(team / "persons" / f"{network['marcel']}.yaml")
    assert kept_header(path)[1].get(person) == lean.digest(person)  # written within two seconds
    again = run("person", "list")
    assert again.lean and again.printed == first.printed
    data = path.read_bytes()
    size = int.from_bytes(data[len(lean.FORMAT) : len(lean.FORMAT) + 8], "little")
    start = len(lean.FORMAT) + 8
    head, checks, stats_length, length = marshal.loads(data[start : start + size])
    header = marshal.dumps((head, {**checks, person: "0" * 64}, stats_length, length))
    tampered = data[: len(lean.FORMAT)] + len(header).to_bytes(8, "little") + header
    path.write_bytes(tampered + data[start + size :])
    other = run("person", "list")  # another content than the one kept: made again
    assert not other.lean and other.printed == first.printed


def kept_header(path: Path) -> tuple[bytes, dict[str, str | None], int, int]:
    """The header of a kept answer: head, hashes, the key's length, the answer's."""
    data = path.read_bytes()
    start = len(lean.FORMAT) + 8
    size = int.from_bytes(data[len(lean.FORMAT) : start], "little")
    found: tuple[bytes, dict[str, str | None], int, int] = marshal.loads(data[start : start + size])
    return found


def test_hashes_of_files_too_recent_are_left_once_the_answer_is_older_than_that(
    team: Path, network: dict[str, str]
) -> None:
    """The hashes kept beside an answer (a file and its folder written within two
    seconds) are checked on each run until the answer is older than two seconds; the
    first run then that finds them the same keeps it again without them, and from then
    on their stats alone tell a change."""
    ok("plan", "action", "add", network["marcel"], "Rappeler", "--by", "karim-ouali")
    first = run("person", "list")
    (path,) = (team / ".git" / lean.FOLDER).iterdir()
    person = team / "persons" / f"{network['marcel']}.yaml"
    head, checks, *_ = kept_header(path)
    assert {str(person), str(team / "persons")} <= set(checks)
    old = time.time() - 10  # the answer kept ten seconds ago
    os.utime(path, (old, old))
    settled = run("person", "list")
    assert settled.lean and settled.printed == first.printed
    assert kept_header(path)[:2] == (head, {})
    assert path.read_bytes().endswith(first.printed[1])
    served = run("person", "list")
    assert served.lean and served.printed == first.printed
    edit_keeping_mtime(person, b"Janssens", b"Janssenz")
    changed = run("person", "list")
    assert not changed.lean
    assert_never_stale(team)
    assert b"Janssenz" in run("person", "list", "--all", "--json").printed[1]


def test_without_files_too_recent_a_folder_counts_by_its_own_stat(
    team: Path, network: dict[str, str]
) -> None:
    """With no file counted as too recent for its stat, a folder's names are known by
    its stat alone: a file added, deleted or renamed in it by hand, a folder added at
    the top, is seen."""
    env = {"LEAN_TEST_RACY_NS": "0"}
    assert_never_stale(team, **env)
    ok("person", "add", "--family-name", "Nouveau", "--given-name", "Jean")
    assert_never_stale(team, **env)
    assert b"Nouveau" in run("person", "list", **env).printed[1]
    (team / "persons" / f"{network['other']}.yaml").unlink()
    assert_never_stale(team, **env)
    assert b"Zyxwvutsrq" not in run("person", "list", **env).printed[1]
    write_intervenant(team, "xavier-qwertz", "Xavier Qwertz")
    entry = team / "intervenants" / "xavier-qwertz.yaml"
    entry.rename(entry.with_name("xavier-qwerty.yaml"))
    assert_never_stale(team, **env)
    (team / "notes").mkdir()
    assert not run("status", **env).lean  # another name at the top: made again
    assert_never_stale(team, **env)


def test_a_folder_counts_by_its_own_stat_and_each_file_in_it(tmp_path: Path) -> None:
    """``_folder`` and ``_same_folder``: each change to a folder walked (a name added,
    removed, renamed, in it or in a folder in it; a file edited in place; a folder
    swapped for a link) makes its record another, with no folder listed to tell it."""
    folder = tmp_path / "f"
    (folder / "sub").mkdir(parents=True)
    (folder / "a").write_text("a")
    (folder / "sub" / "b").write_text("b")

    def record() -> tuple[object, ...]:
        for path in (folder, *folder.iterdir()):  # folders' times well in the past
            if path.is_dir() and not path.is_symlink():
                os.utime(path, (time.time() - 100, time.time() - 100))
        made = lean._folder(None, str(folder), [], 0)
        assert lean._same_folder(None, made)
        return made

    changes = [
        lambda: (folder / "c").write_text("c"),
        lambda: (folder / "sub" / "c").write_text("c"),
        lambda: (folder / "c").unlink(),
        lambda: (folder / "a").rename(folder / "d"),
        lambda: edit_keeping_mtime(folder / "d", b"a", b"e"),
        lambda: (folder / "sub" / "b").rename(folder / "b"),
        lambda: (folder / "sub").rename(folder / "other"),
        lambda: (folder / "sub").symlink_to(folder / "other"),
    ]
    kept = record()
    for change in changes:
        change()
        assert not lean._same_folder(None, kept)
        kept = record()


def test_it_declines_with_a_journal_a_team_file_or_words_on_stderr(
    team: Path, network: dict[str, str]
) -> None:
    for args in COMMANDS:
        run(*args)
    journal = team / ".git" / "reseau-journal.json"
    journal.write_text("{}")
    declined = run("person", "list")
    assert not declined.lean
    journal.unlink(missing_ok=True)
    assert run("person", "list").lean
    team_file = team / "team" / "recipients.yaml"
    team_file.parent.mkdir()
    team_file.write_text("")
    assert not run("person", "list").lean
    assert not run("person", "list").lean
    shutil.rmtree(team_file.parent)
    time.sleep(0.01)
    # an invalid file: its problem is told on stderr each time, nothing is kept
    path = team / "persons" / f"{network['other']}.yaml"
    path.write_text(path.read_text().replace("status: active", "status: [unclosed"))
    for args in COMMANDS:
        once, again = run(*args), run(*args)
        if args[0] in ("status", "person"):  # the caseload names no file it leaves out
            assert b"persons/" in once.printed[2] and not again.lean, args
        assert once.printed == again.printed == scratch(team, *args).printed, args


def test_person_show_is_kept_for_its_own_file_the_directory_and_the_settings(
    team: Path, network: dict[str, str]
) -> None:
    """`person show` reads one person file (and the directory, the settings, the team's
    folders): its key leaves the other person files out, and any change to what it
    reads gives the answer made from scratch."""
    marcel = network["marcel"]
    shows = [("person", "show", marcel), ("person", "show", marcel, "--json")]

    def never_stale(**env: str) -> None:
        served = {args: run(*args, **env) for args in shows}
        for args in shows:
            again = run(*args, **env)
            assert again.lean and again.printed == served[args].printed, args
        for args in shows:
            assert scratch(team, *args, **env).printed == served[args].printed, args
        for args in shows:
            run(*args, **env)

    for args in shows:
        run(*args)
    never_stale()
    ok("plan", "action", "add", network["other"], "Appeler", "--by", "karim-ouali")
    assert all(run(*args).lean for args in shows)  # another person's file: still served
    ok("plan", "action", "add", marcel, "Rappeler", "--by", "karim-ouali")
    assert b"Rappeler" in run(*shows[0]).printed[1]
    never_stale()
    entry = team / "intervenants" / "karim-ouali.yaml"
    entry.write_text(entry.read_text().replace("Karim Ouali", "Karim Oualy"))
    assert b"Oualy" in run(*shows[0]).printed[1]
    never_stale()
    never_stale(RESEAU_TODAY="2027-03-01")
    never_stale(RESEAU_LANG="en")
    path = team / "persons" / f"{marcel}.yaml"
    path.unlink()
    gone = run(*shows[0])
    assert not gone.lean and gone.printed[0] == 1 and gone.printed[2]
    assert not run(*shows[0]).lean  # an error is never kept


def test_a_terminal_or_another_command_is_not_served(team: Path, marcel: str) -> None:
    """Only the four reading commands, to a pipe or a file, with no option before them
    but --repo; `check --strict` reads every file again."""
    ok("plan", "action", "add", marcel, "Call the GP", "--by", "person")
    for args in (
        ("person", "show", marcel, "--for", "person"),
        ("check", "--strict"),
        ("find", "GP"),
    ):
        run(*args)
        assert not run(*args).lean, args
    run("--repo", str(team), "person", "list")
    assert run("--repo", str(team), "person", "list").lean
    assert lean._plan(["--repo"]) is None
    assert lean._plan(["person", "add"]) is None
    assert lean._plan(["person", "show", "../x"]) is None
    assert lean._plan(["person", "show", "p-1", "p-2"]) is None
    assert lean._plan(["status", "--help"]) is None


def held(team: Path, marker: bytes) -> list[Path]:
    """The files under the repository's .git (its objects aside) that hold ``marker``."""
    found = []
    for dirpath, _dirs, files in os.walk(team / ".git"):
        if "objects" in Path(dirpath).parts:
            continue
        for name in files:
            file = Path(dirpath) / name
            if marker in file.read_bytes():
                found.append(file)
    return found


def test_a_person_shown_then_deleted_leaves_nothing_of_its_file(
    team: Path, network: dict[str, str]
) -> None:
    """`person show` keeps its answer (and a per-file cache entry) for a file the index
    may have no row of yet (added after the last listing): once the file is gone, the
    next listing, or `person show` of that person, leaves nothing it held under .git."""
    added = ok("person", "add", "--family-name", "Qwertzuiop", "--given-name", "Ana").stdout
    added = added.strip()
    path = team / "persons" / f"{added}.yaml"
    old = time.time() - 10  # not too recent: its answer is kept
    os.utime(path, (old, old))
    run("person", "show", added)
    assert run("person", "show", added).lean

    assert held(team, b"Qwertzuiop")
    git(team, "rm", "-q", f"persons/{added}.yaml")
    git(team, "commit", "-qm", "gone")
    ok("person", "list")
    assert held(team, b"Qwertzuiop") == []
    # shown, then deleted, then shown again (no listing): its answer is gone too
    again = ok("person", "add", "--family-name", "Qwertzuiop", "--given-name", "Eva").stdout
    again = again.strip()
    path = team / "persons" / f"{again}.yaml"
    os.utime(path, (old, old))
    run("person", "show", again, "--json")
    assert run("person", "show", again, "--json").lean and held(team, b"Qwertzuiop")
    path.unlink()
    assert run("person", "show", again, "--json").printed[0] == 1
    assert not any(b"Qwertzuiop" in p.read_bytes() for p in (team / ".git" / lean.FOLDER).iterdir())


def test_an_intervenant_shown_then_deleted_leaves_nothing_of_its_file(
    team: Path, network: dict[str, str]
) -> None:
    """`intervenant show` keeps its answer (index and console's first step) keyed by the
    intervenant's file: once the file is gone, the next listing of the directory, or
    `intervenant show` of that id, leaves nothing it held under .git."""
    write_intervenant(team, "xavier-qwertz", "Xavier Qwertz")
    path = team / "intervenants" / "xavier-qwertz.yaml"
    old = time.time() - 10  # not too recent: its answer is kept
    os.utime(path, (old, old))
    run("intervenant", "show", "xavier-qwertz")
    assert run("intervenant", "show", "xavier-qwertz").lean

    assert held(team, b"Qwertz")
    path.unlink()
    assert run("intervenant", "show", "xavier-qwertz").printed[0] == 1
    assert not any(b"Qwertz" in p.read_bytes() for p in (team / ".git" / lean.FOLDER).iterdir())
    ok("intervenant", "list")
    assert held(team, b"Qwertz") == []


def test_reseaus_own_folders_may_be_reached_through_a_link(tmp_path: Path) -> None:
    """reseau's code, schemas and templates are walked from their path, which may lead
    through a link (an install made of links), as Python's imports follow it; inside a
    folder walked, a link counts by its own stat and is not followed."""
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (real / "a.py").write_text("a")
    (real / "sub" / "b.py").write_text("b")
    (tmp_path / "other").mkdir()
    (real / "sub" / "linked").symlink_to(tmp_path / "other")
    link = tmp_path / "link"
    link.symlink_to(real)
    recent: list[str] = []
    record = lean._folder(None, str(link), recent, 0)  # every file recent: told
    name, _mode, _size, _mtime, _ctime, ino, files, names, folders = record
    assert name == str(link) and ino == real.stat().st_ino and names == []
    assert sorted(entry[0] for entry in files) == ["a.py"]
    (sub,) = folders
    assert sub[0] == "sub" and sub[7:] == ([], [])
    linked = {entry[0]: entry for entry in sub[6]}
    assert set(linked) == {"b.py", "linked"}
    assert linked["linked"][1] == (real / "sub" / "linked").lstat().st_mode  # the link's
    assert sorted(recent) == sorted(
        [*(f"{link}/{p}" for p in ("a.py", "sub/b.py", "sub/linked")), f"{link}/sub", str(link)]
    )
    assert lean._same_folder(None, record)
