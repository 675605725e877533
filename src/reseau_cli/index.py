"""The derived index: one summary row per person and intervenant, in SQLite.

``.git/reseau-index.sqlite`` (stdlib ``sqlite3``; never committed, never shared) holds,
for each data file, the summary of ``model.summary`` (marshalled) or the problems that
made the file invalid, and the pieces of text `reseau find` searches (an FTS5 table,
accents ignored; a file's pieces are kept in one blob of the ``pending`` table when its
row is stored, and put into the full-text table by the next search, so that a command
filling the index after a fresh clone does not pay for a full-text index it does not
use). Each row is keyed by the file's stat (size, mtime, ctime, inode: what
git itself uses to notice a change); every read lists the folder and stats every file,
and re-reads the files whose key differs, so the index is never trusted over the files
(`find` compares every key with the rows' heads in the small index ``docs_heads``, and
searches at once when none differs: ``search_current``):

- a file changed by anything (git, `sync`, an editor, another clone's merge) has
  another key and is read again; a file changed within the last seconds is not given
  row key at all (the clock may not have ticked: git's "racy" files), so it is read
  again by the next command too; in a key made of many files' keys (a whole answer's,
  ``listing_key``, ``key_of``) such a file counts with a hash of its content, so a
  whole answer made right after a write is kept, and served only for the same bytes;
- a deleted file is never served: its row and texts (pending or indexed) are deleted
  (with ``secure_delete``, and the full-text index merged, so nothing it held stays);
- a report may be kept in parts, one per file (``keep_parts``: `check`'s), each served
  only for its file's key and the key of everything else it was made from; the parts
  of files gone, changed or made for another key are deleted when parts are kept, and a
  deleted file's part as soon as any command lists its folder (with its row, if any);
- an index that cannot be read, of another format, summary version, reseau, schemas or
  Python is deleted and built again, silently; one that cannot be written (a read-only
  clone, a busy lock) is simply not updated: the command reads the files instead.
"""

from __future__ import annotations

import _thread
import contextlib
import functools
import itertools
import marshal
import os
import sqlite3
import stat as stat_module
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from reseau_cli import __version__
from reseau_cli.cache import spread
from reseau_cli.digest import sha256_hex
from reseau_cli.errors import Problem, ReseauError
from reseau_cli.model.summary import SUMMARY_VERSION, search_texts, summary

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from reseau_cli.cache import ParseMany, Source

FILE = "reseau-index.sqlite"
FORMAT = 3
RACY_NS = 2_000_000_000  # a file changed this recently gets no key (re-read next time)
TEXTS_PER_DOC = 1 << 20  # texts of the row n have rowids n * TEXTS_PER_DOC + i
STORE_EVERY = 128  # files read again are stored this many at a time (one transaction)
# Past this many files read again (a fresh clone, a large pull), the transactions that
# store them are not synced to disk one by one (SQLite's ``synchronous = OFF``): a
# process killed meanwhile still leaves every transaction whole or absent (SQLite's
# journal does not depend on it); only a crash of the system itself could damage the
# file, and then it is rebuilt (see ``open_index``). The file is synced once at the end.
# Meanwhile the meta row 'unsynced' holds the system's boot id: an index found with
# another boot's mark was being filled when the system went down, and is rebuilt.
BULK_FROM = 200
# Past this many files changed too recently for their stat to be trusted, a whole answer
# is neither looked for nor kept (``_whole_key``; ``cli.kept`` takes no digests first).
MOST_RECENT = 64
BOOT_ID = "/proc/sys/kernel/random/boot_id"

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    n INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    stamp TEXT NOT NULL,
    summary BLOB,
    problems BLOB,
    status TEXT,
    name TEXT,
    UNIQUE (kind, id)
);
CREATE INDEX IF NOT EXISTS docs_heads ON docs (kind, id, stamp, status, name, problems);
CREATE TABLE IF NOT EXISTS members (n INTEGER NOT NULL, intervenant TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS members_of ON members (intervenant);
CREATE INDEX IF NOT EXISTS members_n ON members (n);
CREATE TABLE IF NOT EXISTS reports (name TEXT PRIMARY KEY, key TEXT NOT NULL, value BLOB);
CREATE TABLE IF NOT EXISTS parts (
    what TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    stamp TEXT NOT NULL,
    context TEXT NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (what, kind, id)
);
CREATE TABLE IF NOT EXISTS derived (
    n INTEGER NOT NULL,
    what TEXT NOT NULL,
    key TEXT NOT NULL,
    value BLOB NOT NULL,
    PRIMARY KEY (n, what)
);
CREATE TABLE IF NOT EXISTS pending (n INTEGER PRIMARY KEY, texts BLOB NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS texts USING fts5(
    kind UNINDEXED, id UNINDEXED, at UNINDEXED, body,
    tokenize = "unicode61 remove_diacritics 2"
);
"""


@functools.cache
def header() -> str:
    """What an index must have been written with to be read: anything else is rebuilt.
    It holds nothing in the terminal's language: the problems of an invalid file are
    stored, but the file is read again by every command (see ``_refresh``), so that its
    problems are told in that command's language."""
    from reseau_cli.resources import data_dir

    schemas = b"".join(p.read_bytes() for p in sorted(data_dir("schemas").glob("*.json")))
    python = ".".join(map(str, sys.version_info[:3]))
    return (
        f"format={FORMAT} summary={SUMMARY_VERSION} reseau={__version__} python={python} "
        f"marshal={marshal.version} schemas={sha256_hex(schemas)[:16]}"
    )


def path_of(root: Path) -> Path | None:
    from reseau_cli import vcs

    try:
        return vcs.git_dir(root) / FILE
    except ReseauError:
        return None


def remove(root: Path) -> None:
    """Delete the index of the repository at ``root`` and all kept beside it (``_remove``)."""
    path = path_of(root)
    if path is not None:
        _remove(path)


def _remove(path: Path) -> None:
    """Delete the index file (and its journals), and the whole answers kept beside it
    for the console's first step (``lean``)."""
    from reseau_cli import lean

    lean.forget(path.parent)
    for name in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            name.unlink()


def _connect(path: Path) -> sqlite3.Connection:
    with contextlib.suppress(OSError):  # made private before anything is written to it
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    db = sqlite3.connect(path, timeout=10, isolation_level=None)
    db.execute("PRAGMA secure_delete = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    db.executescript(_TABLES)
    return db


# Once the team encrypts, the index lives in this process's memory only (one per
# repository): nothing it holds is written to disk in clear.
_MEMORY: dict[Path, sqlite3.Connection] = {}


def _encrypted(path: Path) -> bool:
    from reseau_cli.crypto import keyrings

    if keyrings.clear(path.absolute()):
        return False
    try:
        keyring = keyrings.keyring_for(path.absolute())
    except ReseauError:
        return True  # its keys cannot be read: keep nothing on disk
    return keyring is not None and bool(keyring.team.encryption)


def close(db: sqlite3.Connection) -> None:
    if db not in _MEMORY.values():
        db.close()


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: committed when the block ends, rolled back when it raises
    (an interruption included), so no half of it is ever seen."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise


# SQLite's answers that say the index itself is damaged (a page overwritten, tables that
# no longer agree), rather than busy, full or read-only: it is then deleted (with all it
# held) and built again from the files, by the next command or the caller's next step.
_DAMAGE = frozenset(
    {
        sqlite3.SQLITE_CORRUPT,
        sqlite3.SQLITE_NOTADB,
        sqlite3.SQLITE_CONSTRAINT,
        sqlite3.SQLITE_ERROR,
        sqlite3.SQLITE_MISMATCH,
        sqlite3.SQLITE_FORMAT,
        sqlite3.SQLITE_SCHEMA,
        sqlite3.SQLITE_RANGE,
    }
)


def damaged(db: sqlite3.Connection | None, error: BaseException) -> bool:
    """Whether ``error`` says the index ``db`` is damaged; if so, it is deleted (its file
    and journals, or its copy in memory), and ``discards`` counts it."""
    code = getattr(error, "sqlite_errorcode", None)
    if db is None or not isinstance(error, sqlite3.Error) or code is None:
        return False
    if code & 0xFF not in _DAMAGE:
        return False
    global _DISCARDS
    _DISCARDS += 1
    for where, memory in list(_MEMORY.items()):
        if memory is db:
            del _MEMORY[where]
            return True
    try:
        files = [row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"]
    except sqlite3.Error:
        files = []
    for name in files:
        if name:
            _remove(Path(name))
    return True


_DISCARDS = 0


def discards() -> int:
    """How many damaged indexes this process has deleted: one deleted while a command
    read it holds only part of what the command saw (rows stored after it, in a new
    index), so what the command asks of it next is asked of the files, or again."""
    return _DISCARDS


@contextlib.contextmanager
def _tolerated(db: sqlite3.Connection, *also: type[BaseException]) -> Iterator[None]:
    """An index that cannot be written is simply not updated (the files are read instead);
    one found damaged is deleted as well (``damaged``). ``also``: other errors let go."""
    caught: tuple[type[BaseException], ...] = (sqlite3.Error, *also)
    try:
        yield
    except caught as error:
        damaged(db, error)


def open_index(root: Path) -> sqlite3.Connection | None:
    """The index of the repository at ``root``, created or rebuilt when it is missing,
    unreadable or of another version; None when it cannot be had (then read files).
    In an encrypted repository it is kept in memory, and any file of it removed."""
    path = path_of(root)
    if path is None:
        return None
    if _encrypted(path):
        _remove(path)
        if path not in _MEMORY:
            memory = sqlite3.connect(":memory:", isolation_level=None)
            memory.executescript(_TABLES)
            _MEMORY[path] = memory
        return _MEMORY[path]
    return _open_file(path)


def _open_file(path: Path) -> sqlite3.Connection | None:
    """The index file at ``path``, of a repository that does not encrypt (see
    ``open_index``)."""
    wanted = header()
    boot = boot_id()
    for _ in range(2):
        try:
            db = _connect(path)
            marks = dict(
                db.execute("SELECT key, value FROM meta WHERE key IN ('header', 'unsynced')")
            )
            row = (marks["header"],) if "header" in marks else None
            if row is not None and row[0] == wanted and marks.get("unsynced", boot) == boot:
                return db
            count = db.execute("SELECT count(*) FROM docs").fetchone()[0]
            if row is None and count == 0 and "unsynced" not in marks:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('header', ?)", (wanted,))
                return db
            db.close()
        except sqlite3.Error:
            pass
        _remove(path)  # corrupt, foreign or of another version: built again
    return None


def stamp(path: str | Path, now_ns: int) -> str | None:
    """The file's key, or None when it is missing or changed too recently to trust."""
    try:
        st = os.lstat(path)  # a symbolic link never borrows the key of its target
    except OSError:
        return None
    return _key_of(st, now_ns)


def _key_of(st: os.stat_result, now_ns: int) -> str | None:
    if max(st.st_mtime_ns, st.st_ctime_ns) >= now_ns - RACY_NS:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def _entry_key(entry: os.DirEntry[str], now_ns: int) -> str | None:
    try:
        return _key_of(entry.stat(follow_symlinks=False), now_ns)
    except OSError:
        return None


def _checked_key(path: str, st: os.stat_result, now_ns: int) -> str | None:
    """The file's key within a key made of many files' keys (a whole answer's): its
    stat, and, when it changed too recently for its stat to tell a later change apart
    (git's "racy" files: a rewrite of the same size within one tick of the file
    system's clock keeps it), a hash of its content as well (``content_digest``), so
    that the key holds however recent the file is; within ``recent_files``, the stat
    alone, the file's path gathered for the caller to check by content. None when that
    content cannot be read."""
    key = f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"
    if max(st.st_mtime_ns, st.st_ctime_ns) < now_ns - RACY_NS:
        return key
    if _recent is not None:
        _recent.append(path)
        return key
    digest = content_digest(path, st)
    return None if digest is None else f"{key}:{digest}"


def content_digest(path: str, st: os.stat_result | None = None) -> str | None:
    """A hash of what the file at ``path`` holds (a folder: its names; a link: its
    target); None when it is missing or cannot be read (``lean.digest``, cut short)."""
    from reseau_cli import lean

    found = lean.digest(path, st)
    return None if found is None else found[:32]


# Files changed too recently for their stat to be trusted, gathered by ``recent_files``.
_recent: list[str] | None = None


@contextlib.contextmanager
def recent_files() -> Iterator[list[str]]:
    """Within the block, keys made of many files' keys (``listing_key``, ``key_of``,
    ``stamps``) hold only the stats of the files changed too recently for their stat to
    be trusted, whose paths are gathered in the list given: the caller keeps a hash of
    their content beside what it keeps, and checks it before serving it (git's rule
    for its "racily clean" entries). Such a key does not change when the files become
    old enough to be trusted by their stat."""
    global _recent, _code
    before, _recent, code_before, _code = _recent, [], _code, None
    try:
        yield _recent
    finally:
        _recent, _code = before, code_before


_code: list[tuple[str, os.stat_result | None]] | None = None


def code_stats() -> list[tuple[str, os.stat_result | None]]:
    """reseau's own code (its ``.py`` files) and compiled catalogs, with their stats:
    what every kept answer's key holds of reseau itself. Walked once within a
    ``recent_files`` block (one answer's key, which `check`'s own key is part of)."""
    global _code
    if _recent is not None and _code is not None:
        return _code
    from reseau_cli import i18n

    package = os.path.dirname(os.path.abspath(__file__))
    found = [*files_stats(package, ".py"), *files_stats(i18n.LOCALE_DIR, "")]
    if _recent is not None:
        _code = found
    return found


if TYPE_CHECKING:
    Row = tuple[dict[str, Any] | None, list[Problem]]
_MISSING: Any = object()


class Entry:
    """One file's row: its summary (unmarshalled only when asked for), the problems
    that made it invalid, its head (status, name) and a value derived from it
    (``derived``) when one made for the same key was stored."""

    __slots__ = (
        "_blob",
        "_summary",
        "problems",
        "status",
        "name",
        "made",
        "stamp",
        "_valid",
        "indexed",
    )

    def __init__(
        self,
        blob: bytes | None,
        summary: dict[str, Any] | None,
        problems: list[Problem],
        status: str | None = None,
        name: str | None = None,
        made: Any = _MISSING,
    ) -> None:
        self._blob = blob
        self._summary = summary
        self.problems = problems
        self.status = status
        self.name = name
        self.made = made
        self.stamp = ""  # the key of the row this entry was read from or stored as
        self._valid = blob is not None or summary is not None
        self.indexed = summary is None  # read from the index (the file unchanged)

    @property
    def valid(self) -> bool:
        return self._valid

    @property
    def summary(self) -> dict[str, Any] | None:
        if self._summary is None and self._blob is not None:
            self._summary = marshal.loads(self._blob)
        return self._summary


def refresh(repo: Source, kind: str, parse_many: ParseMany) -> dict[str, Row]:
    """Every file of ``kind``: ``id -> (summary or None, problems)``, from the index
    for the files whose key is unchanged, read again (and the index updated) otherwise."""
    return {i: (e.summary, e.problems) for i, e in entries(repo, kind, parse_many).items()}


if TYPE_CHECKING:
    Make = tuple[str, str | None, Callable[[str, dict[str, Any]], Any]]  # what, key, make


def entries(
    repo: Source,
    kind: str,
    parse_many: ParseMany,
    derived: tuple[str, str] | None = None,
    make: Make | None = None,
    *,
    summaries: bool = True,
    listing: list[tuple[str, os.DirEntry[str]]] | None = None,
) -> dict[str, Entry]:
    """Every file of ``kind`` as an ``Entry``, sorted by id, the index brought up to date
    first (see ``refresh``); with ``derived=(what, key)``, each entry's ``made`` is the
    value stored for it under ``what`` with that ``key``, if any; with ``make=(what, key,
    make)``, each file read again gets its ``made`` at once (stored under ``what`` with
    ``key`` unless that is None), while the other files are still being read. With
    ``summaries`` false, the summaries of rows read from the index are not read
    (``summary`` is then None for them: for callers that need only ``valid``, ``status``
    and ``name``, or that read a few with ``read_summaries``); with ``derived``, only
    those of rows without a stored value are read. ``listing`` is the folder's
    (``Source.listing``) when the caller has just listed it."""
    if listing is None:
        listing = repo.listing(kind)
    return _entries(repo, kind, parse_many, listing, derived, make, summaries)


def _entries(
    repo: Source,
    kind: str,
    parse_many: ParseMany,
    listing: list[tuple[str, os.DirEntry[str]]],
    derived: tuple[str, str] | None = None,
    make: Make | None = None,
    summaries: bool = True,
) -> dict[str, Entry]:
    db = open_index(repo.root)
    try:
        return _refresh(db, repo, kind, listing, parse_many, derived, make, summaries)
    finally:
        if db is not None:
            close(db)


def read_summaries(
    repo: Source, kind: str, parse_many: ParseMany, found: dict[str, Entry], wanted: set[str]
) -> None:
    """Read the summaries of the entries of ``wanted`` that ``entries(summaries=False)``
    left unread; a row changed since (another command read the file again) is not
    used: the file is read again."""
    missing = sorted(
        i for i in wanted if i in found and found[i].valid and found[i].summary is None
    )
    if not missing:
        return
    db = open_index(repo.root)
    blobs: dict[str, tuple[str, bytes]] = {}
    if db is not None:
        try:
            _fetch(db, kind, missing, blobs)
        except sqlite3.Error:
            blobs = {}
        finally:
            close(db)
    again = []
    for ident in missing:
        row = blobs.get(ident)
        if row is not None and row[0] == found[ident].stamp:
            found[ident]._blob = row[1]
        else:
            again.append(ident)
    for ident, digested, problems in _digest_many(parse_many, str(repo.root), kind, again):
        summary = marshal.loads(digested[0]) if digested is not None else None
        found[ident] = Entry(None, summary, problems, *_head(kind, summary))


def _fetch(
    db: sqlite3.Connection, kind: str, idents: list[str], into: dict[str, tuple[str, bytes]]
) -> None:
    for start in range(0, len(idents), 250):
        part = idents[start : start + 250]
        query = (
            "SELECT id, stamp, summary FROM docs WHERE kind = ? AND id IN "
            f"({', '.join('?' * len(part))})"
        )
        into.update((r[0], (r[1], r[2])) for r in db.execute(query, (kind, *part)))


def _stored(
    db: sqlite3.Connection, kind: str, derived: tuple[str, str] | None, summaries: bool
) -> dict[str, tuple[Any, ...]]:
    """Each row of ``kind``: stamp, summary (or only whether it has one: 1 or None,
    when ``summaries`` is false), problems, status, name, and the derived value's key
    and value when ``derived`` is given."""
    blob = "d.summary" if summaries else "d.summary IS NOT NULL"
    if derived is None:
        query = (
            f"SELECT d.id, d.stamp, {blob}, d.problems, d.status, d.name, NULL, NULL FROM docs d"
        )
        params: tuple[str, ...] = (kind,)
    else:
        query = (
            f"SELECT d.id, d.stamp, {blob}, d.problems, d.status, d.name, x.key, x.value "
            "FROM docs d LEFT JOIN derived x ON x.n = d.n AND x.what = ?"
        )
        params = (derived[0], kind)
    try:
        return {row[0]: row[1:] for row in db.execute(query + " WHERE d.kind = ?", params)}
    except sqlite3.Error:
        return {}


if TYPE_CHECKING:
    Fresh = tuple[str, str, Any, list[Problem], bytes | None]  # id, key, digested, problems, made


def _refresh(
    db: sqlite3.Connection | None,
    repo: Source,
    kind: str,
    listing: list[tuple[str, os.DirEntry[str]]],
    parse_many: ParseMany,
    derived: tuple[str, str] | None = None,
    make: Make | None = None,
    summaries: bool = True,
) -> dict[str, Entry]:
    now_ns = time.time_ns()
    lazy = derived is not None or not summaries
    stored = _stored(db, kind, derived, not lazy) if db is not None else {}
    out: dict[str, Entry] = {}
    keys: dict[str, str | None] = {}
    stale: list[str] = []
    unchanged: set[str] = set()
    unread: list[str] = []  # rows whose summary is wanted but was not selected
    for ident, dir_entry in listing:
        key = keys[ident] = _entry_key(dir_entry, now_ns)
        hit = stored.get(ident)
        # an invalid file (its problems stored) is read again: few, and told in this
        # command's language, which may not be the language they were stored in
        if key is not None and hit is not None and hit[0] == key and hit[2] is None:
            blob, bad, status, name, made_key, made = hit[1:]
            problems = [] if bad is None else [Problem(*p) for p in marshal.loads(bad)]
            if derived is not None and made_key == derived[1] and made is not None:
                made = marshal.loads(made)
            else:
                made = _MISSING
                if derived is not None and summaries and blob is not None:
                    unread.append(ident)
            entry = out[ident] = Entry(
                blob if not lazy else None, None, problems, status, name, made
            )
            entry._valid = blob is not None
            entry.stamp = key
        else:
            stale.append(ident)
            if key is not None and hit is not None and hit[0] == key:
                unchanged.add(ident)  # still invalid: nothing new to store
    if unread and db is not None:
        stale += _read_unread(db, kind, out, unread)
    if db is not None:  # first: what is made from here on may be kept
        _forget_gone(db, repo.root, kind, set(stored) - set(keys), keys)
    # run in the worker processes, with ``make`` (see ``_digest_many``)
    digest = functools.partial(_digest_many, parse_many, make=make is not None)
    size = 0  # of the files read again (from the stats the listing keeps)
    if len(stale) >= BULK_FROM:
        wanted = set(stale)
        size = sum(_size(entry) for ident, entry in listing if ident in wanted)
    with _unsynced(db if len(stale) > BULK_FROM else None, repo.root):
        if make is not None:
            _MAKING.append(make[2])
        try:
            _read_stale(db, repo, kind, stale, digest, out, keys, unchanged, make, size)
        finally:
            if make is not None:
                _MAKING.pop()
    return {ident: out[ident] for ident, _ in listing}


def _read_stale(
    db: sqlite3.Connection | None,
    repo: Source,
    kind: str,
    stale: list[str],
    digest: ParseMany,
    out: dict[str, Entry],
    keys: dict[str, str | None],
    unchanged: set[str],
    make: Make | None,
    size: int | None = None,
) -> None:
    """Read the ``stale`` files (``size`` bytes, when known; spread over processes),
    each into ``out``, and store them in the index as they come."""
    fresh: list[Fresh] = []
    for part in spread(repo.root, kind, sorted(stale), digest, size or None):
        for ident, digested, problems in part:
            if digested is None:
                entry = out[ident] = Entry(None, None, problems)
            else:  # the summary unmarshalled only if asked for (see ``Entry``)
                entry = out[ident] = Entry(digested[0], None, problems, *digested[2:4])
            entry.indexed = False
            entry.stamp = keys[ident] or "racy"
            kept = None
            if make is not None and digested is not None:
                kept = digested[5]  # made where the file was read, or None
                if kept is not None:
                    entry.made = marshal.loads(kept)
                else:
                    found = entry.summary
                    assert found is not None
                    entry.made = make[2](ident, found)
                    kept = marshal.dumps(entry.made)
                if make[1] is None:
                    kept = None
            if ident not in unchanged or digested is not None:
                fresh.append((ident, entry.stamp, digested, problems, kept))
        if db is not None and len(fresh) >= STORE_EVERY:  # stored as the rest is read
            with _tolerated(db, ValueError):
                _store(db, kind, fresh, set(), make)
            fresh = []
    if db is not None and fresh:
        with _tolerated(db, ValueError):
            _store(db, kind, fresh, set(), make)


@contextlib.contextmanager
def _unsynced(db: sqlite3.Connection | None, root: Path) -> Iterator[None]:
    """Transactions not synced one by one within the block (see BULK_FROM); at its end,
    back to syncing each, and everything written meanwhile synced at once."""
    path = None if db is None or db in _MEMORY.values() else path_of(root)
    boot = boot_id()
    if db is None or path is None or boot is None:
        yield
        return
    try:  # marked (and synced) before anything is written unsynced
        db.execute("INSERT OR REPLACE INTO meta VALUES ('unsynced', ?)", (boot,))
        db.execute("PRAGMA synchronous = OFF")
    except sqlite3.Error:
        yield
        return
    try:
        yield
    finally:
        with contextlib.suppress(sqlite3.Error):
            db.execute("PRAGMA synchronous = NORMAL")
        with contextlib.suppress(OSError, sqlite3.Error):
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            db.execute("DELETE FROM meta WHERE key = 'unsynced'")


def _size(entry: os.DirEntry[str]) -> int:
    try:
        return entry.stat(follow_symlinks=False).st_size
    except OSError:
        return 0


def boot_id() -> str | None:
    """This run of the system (Linux's boot id), or None where it cannot be told: then
    nothing is written unsynced."""
    try:
        with open(BOOT_ID, encoding="ascii") as handle:
            return handle.read().strip() or None
    except OSError:
        return None


def _read_unread(
    db: sqlite3.Connection, kind: str, out: dict[str, Entry], unread: list[str]
) -> list[str]:
    """Read the summaries of ``unread`` into their entries; those whose row changed
    since (another command read the file again) are taken out: returned, to be read."""
    blobs: dict[str, tuple[str, bytes]] = {}
    with contextlib.suppress(sqlite3.Error):
        _fetch(db, kind, unread, blobs)
    again = []
    for ident in unread:
        row = blobs.get(ident)
        if row is not None and row[0] == out[ident].stamp:
            out[ident]._blob = row[1]
        else:
            del out[ident]
            again.append(ident)
    return again


def _head(kind: str, summary: dict[str, Any] | None) -> tuple[str | None, str | None]:
    """What a list of matches shows of a file without its summary: status and name."""
    if summary is None:
        return None, None
    if kind != "person":
        return None, str(summary.get("name", summary.get("id", "")))
    identity = summary.get("identity") or {}
    name = f"{identity.get('given_name', '')} {identity.get('family_name', '')}".strip()
    return summary.get("status"), name


def stamps(paths: list[str]) -> str | None:
    """One key for the stamps of several files (missing ones count), or None when one
    of them changed too recently to be told apart from a later change."""
    found: list[tuple[str, os.stat_result | None]] = []
    for path in paths:
        try:
            found.append((path, os.lstat(path)))
        except OSError:
            found.append((path, None))
    return key_of(found)


def key_of(
    found: list[tuple[str, os.stat_result | None]], most_hashed: int | None = None
) -> str | None:
    """One key for files and their stats (None: missing), as ``stamps`` makes it: the
    content of a file changed too recently to be told apart by its stat is in it too
    (see ``_checked_key``); None when such a file cannot be read, or when more than
    ``most_hashed`` (if given) would have to be read (see ``_whole_key``)."""
    now_ns = time.time_ns()
    if most_hashed is not None and _recent is None:
        recent = now_ns - RACY_NS
        many = sum(
            st is not None and max(st.st_mtime_ns, st.st_ctime_ns) >= recent for _, st in found
        )
        if many > most_hashed:
            return None
    parts = []
    for path, st in found:
        if st is None:
            parts.append(f"{path}=-")
            continue
        key = _checked_key(path, st, now_ns)
        if key is None:
            return None
        parts.append(f"{path}={key}")
    return sha256_hex("\n".join(parts).encode("utf-8", "surrogateescape"))[:32]


def tree_stats(root: str | Path, tops: list[str]) -> list[tuple[str, os.stat_result | None]]:
    """``root/top`` for each of ``tops`` and, for a folder, everything under it (links
    listed, never followed), each with its own stat (None when missing), sorted: one
    listing per folder, each entry stat-ed once."""
    found: list[tuple[str, os.stat_result | None]] = []
    for top in tops:
        path = os.path.join(root, top)
        try:
            st = os.lstat(path)
        except OSError:
            found.append((path, None))
            continue
        found.append((path, st))
        if stat_module.S_ISDIR(st.st_mode):
            _walk(path, found, None)
    return sorted(found, key=lambda pair: pair[0])


def files_stats(folder: str | Path, suffix: str) -> list[tuple[str, os.stat_result | None]]:
    """The files under ``folder`` (its sub-folders too, ``__pycache__`` left out) whose
    name ends with ``suffix``, with their stats, sorted."""
    found: list[tuple[str, os.stat_result | None]] = []
    _walk(os.fspath(folder), found, suffix)
    return sorted(found, key=lambda pair: pair[0])


def _walk(folder: str, found: list[tuple[str, os.stat_result | None]], suffix: str | None) -> None:
    try:
        with os.scandir(folder) as listed:
            entries = list(listed)
    except OSError:
        return
    for entry in entries:
        try:
            st: os.stat_result | None = entry.stat(follow_symlinks=False)
        except OSError:
            st = None
        is_dir = st is not None and stat_module.S_ISDIR(st.st_mode)
        if suffix is None or (not is_dir and entry.name.endswith(suffix)):
            found.append((entry.path, st))
        if is_dir and (suffix is None or entry.name != "__pycache__"):
            _walk(entry.path, found, suffix)


def tree_files(root: Path, tops: list[str]) -> list[str]:
    """``root/top`` for each of ``tops`` and, for a folder, everything under it (links
    listed, never followed), sorted."""
    return [path for path, _ in tree_stats(root, tops)]


def report(root: Path, name: str, key: str) -> Any:
    """The value kept under ``name`` for ``key`` (``keep_report``), or None."""
    db = open_index(root)
    if db is None:
        return None
    try:
        row = db.execute("SELECT key, value FROM reports WHERE name = ?", (name,)).fetchone()
        if row is not None and row[0] == key:
            return marshal.loads(row[1])
    except (sqlite3.Error, EOFError, ValueError, TypeError):
        pass
    finally:
        close(db)
    return None


def keep_report(root: Path, name: str, key: str, value: Any) -> None:
    """Keep one value (plain data) under ``name``, made for ``key`` (the stamps of
    every file it was made from, and whatever else it depends on)."""
    db = open_index(root)
    if db is None:
        return
    try:
        with contextlib.suppress(sqlite3.Error, ValueError):
            db.execute(
                "INSERT OR REPLACE INTO reports (name, key, value) VALUES (?, ?, ?)",
                (name, key, marshal.dumps(value)),
            )
    finally:
        close(db)


def folder_files(folder: str | Path, suffix: str) -> list[str]:
    """The files of ``folder`` whose name ends with ``suffix``, sorted (none if it is missing)."""
    try:
        return sorted(e.path for e in os.scandir(folder) if e.name.endswith(suffix))
    except OSError:
        return []


def derived(
    repo: Source,
    kind: str,
    parse_many: ParseMany,
    what: str,
    key: str | None,
    make: Callable[[str, dict[str, Any]], Any],
    problems: list[Problem] | None = None,
) -> Iterator[tuple[str, Any]]:
    """``(id, make(id, summary))`` for every valid file of ``kind``, sorted by id: the
    value stored in the file's row under ``what`` when it was made for the same ``key``
    (and the file is unchanged), else made now and stored. The key names everything
    the value depends on besides the file (the day, the settings, other files' stamps):
    None when that cannot be said, and then every value is made and none stored.
    Values are plain data (marshal).

    The whole answer is kept too, under the key of every file's stamp (one listing of
    the folder, each file stat-ed once, the content of files changed too recently to be
    told apart by their stat hashed: ``listing_key``): over unchanged files, a command
    reads it in one piece instead of row by row. Any file added, changed or deleted
    makes another key, and then the rows are read as above; an answer is kept only if
    the key taken again once it is made is the same."""
    listing = repo.listing(kind)
    whole = None if key is None else _whole_key(what, key, listing)
    name = f"{what}:{kind}"
    if whole is not None:
        kept = report(repo.root, name, whole)
        if isinstance(kept, list):
            yield from kept
            return
    found = _entries(
        repo, kind, parse_many, listing, None if key is None else (what, key), (what, key, make)
    )
    made: list[tuple[str, str, bytes]] = []
    answer: list[tuple[str, Any]] | None = []
    for ident, entry in found.items():
        if not entry.valid:
            answer = None  # its problems are told again each time, in the command's language
            if problems is not None:
                problems.extend(entry.problems)
            continue
        if entry.made is _MISSING:
            summary = entry.summary
            assert summary is not None
            entry.made = make(ident, summary)
            if key is not None:
                made.append((ident, entry.stamp, marshal.dumps(entry.made)))
        if answer is not None:
            answer.append((ident, entry.made))
        yield ident, entry.made
    if made and key is not None:
        _store_derived(repo.root, kind, what, key, made)
    # kept only if no file changed while it was made (the key taken again is the same)
    if (
        whole is not None
        and answer is not None
        and whole == _whole_key(what, key or "", repo.listing(kind))
    ):
        keep_report(repo.root, name, whole, answer)


def _whole_key(what: str, key: str, listing: list[tuple[str, os.DirEntry[str]]]) -> str | None:
    """One key for ``key`` and the stamps of every file listed (``listing_key``); None
    (no whole answer) when more than ``MOST_RECENT`` files changed too recently for their
    stat to be trusted (a fresh clone, a large pull): hashing them all would be paid for
    nothing, since the key taken again once the answer is made, when they are old
    enough to be keyed by their stat, would not be the same."""
    found = listing_key(listing, MOST_RECENT)
    return None if found is None else sha256_hex(f"{what}\n{key}\n{found}".encode())


def listing_key(
    listing: list[tuple[str, os.DirEntry[str]]], most_hashed: int | None = None
) -> str | None:
    """One key for the files of a listing (``Source.listing``): each one's stat, and the
    content of those changed too recently for their stat to be trusted (``_checked_key``);
    None when one of those cannot be read, or when more than ``most_hashed`` (if given)
    would have to be read. Each file is stat-ed once (the listing keeps its stat)."""
    now_ns = time.time_ns()
    recent = now_ns - RACY_NS
    parts = []
    if most_hashed is not None and _recent is None:
        try:
            many = sum(
                max(st.st_mtime_ns, st.st_ctime_ns) >= recent
                for st in (entry.stat(follow_symlinks=False) for _, entry in listing)
            )
        except OSError:
            return None
        if many > most_hashed:
            return None
    for ident, entry in listing:
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            return None
        if st.st_mtime_ns < recent and st.st_ctime_ns < recent:
            parts.append(f"{ident}={st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}")
            continue
        found = _checked_key(entry.path, st, now_ns)
        if found is None:
            return None
        parts.append(f"{ident}={found}")
    return sha256_hex("\n".join(parts).encode("utf-8", "surrogateescape"))


def _store_derived(
    root: Path, kind: str, what: str, key: str, made: list[tuple[str, str, bytes]]
) -> None:
    """Keep each value beside its row, only if the row is still the one it was made
    from (another command may have read the file again meanwhile)."""
    db = open_index(root)
    if db is None:
        return
    try:
        with contextlib.suppress(sqlite3.Error), _transaction(db):
            db.executemany(
                "INSERT OR REPLACE INTO derived (n, what, key, value) "
                "SELECT n, ?, ?, ? FROM docs WHERE kind = ? AND id = ? AND stamp = ?",
                [(what, key, value, kind, ident, stamp) for ident, stamp, value in made],
            )
    finally:
        close(db)


def members(
    repo: Source,
    parse_many: ParseMany,
    intervenant: str,
    problems: list[Problem] | None = None,
) -> Iterator[tuple[str, Any]]:
    """``(id, summary)`` of every valid person whose network names ``intervenant`` (now
    or ever), sorted by id; only their summaries are read (the index keeps who is in
    each network). The problems of invalid files (which may name them: no one can tell)
    are appended to ``problems`` if given."""
    before = discards()
    found = entries(repo, "person", parse_many, summaries=False)
    if problems is not None:
        problems.extend(p for entry in found.values() if not entry.valid for p in entry.problems)
    db = open_index(repo.root) if discards() == before else None
    named: set[str] | None = None
    if db is not None:
        try:
            query = (
                "SELECT d.id, d.stamp FROM members m JOIN docs d ON d.n = m.n "
                "WHERE m.intervenant = ? AND d.kind = 'person'"
            )
            named = {ident for ident, _ in db.execute(query, (intervenant,))}
        except sqlite3.Error as error:
            damaged(db, error)
            named = None
        finally:
            close(db)
    # a row read from the index and not naming them is left unread
    wanted = {
        ident
        for ident, entry in found.items()
        if entry.valid and (named is None or not entry.indexed or ident in named)
    }
    read_summaries(repo, "person", parse_many, found, wanted)
    for ident in sorted(wanted):
        summary = found[ident].summary
        if summary is None:  # invalid when read again
            continue
        if any(m.get("intervenant") == intervenant for m in summary.get("network") or []):
            yield ident, summary


# The ``make`` of the files being read again (``_refresh``), for ``_digest_many`` to run
# where each file is read: worker processes forked meanwhile inherit it (elsewhere, as
# on platforms that do not fork, the parent makes each value as it receives the file).
_MAKING: list[Callable[[str, dict[str, Any]], Any]] = []

if TYPE_CHECKING:
    # summary, texts (both marshalled), status, name, network members, made (marshalled)
    Digest = tuple[bytes, bytes, str | None, str | None, list[str], bytes | None]


def _digest_many(
    parse_many: ParseMany, root: str, kind: str, idents: list[str], make: bool = False
) -> list[tuple[str, Digest | None, list[Problem]]]:
    """Parse and validate files, and make each one's summary and search texts (in a
    worker process when there are many): ``(id, Digest or None, problems)``, all the
    index stores of the file made here, so that the command receives plain bytes
    (marshalled, as they are stored) and unmarshals only what it reads; with ``make``,
    the value ``_MAKING`` makes of each summary as well. A value that cannot be made
    here (``make`` raised, or the value is not plain data) is left to the command."""
    maker = _MAKING[-1] if make and _MAKING else None
    out: list[tuple[str, Digest | None, list[Problem]]] = []
    for ident, doc, bad in parse_many(root, kind, idents):
        if doc is None:
            out.append((ident, None, bad))
            continue
        found = summary(kind, doc)
        blob = marshal.dumps(found)
        made = None
        if maker is not None:
            try:
                made = marshal.dumps(maker(ident, found))
            except Exception:  # noqa: BLE001 - made again by the command, which says why
                made = None
        status, name = _head(kind, found)
        out.append(
            (ident, (blob, _texts_blob(kind, doc), status, name, _members(kind, found), made), bad)
        )
    return out


def _members(kind: str, summary: dict[str, Any]) -> list[str]:
    """The intervenants a person's network names (now or ever), sorted."""
    if kind != "person":
        return []
    network = summary.get("network") or []
    return sorted(filter(None, {m.get("intervenant") for m in network if isinstance(m, dict)}))


def _texts_blob(kind: str, doc: dict[str, Any]) -> bytes:
    return marshal.dumps(list(itertools.islice(search_texts(kind, doc), TEXTS_PER_DOC - 1)))


def _store(
    db: sqlite3.Connection,
    kind: str,
    fresh: list[Fresh],
    gone: set[str],
    make: Make | None,
) -> None:
    """Replace the rows of ``fresh`` and delete those of ``gone``, in one transaction,
    each table filled by one statement (the texts into ``pending``: see ``_fill_texts``)."""
    with _transaction(db):
        _delete_rows(db, kind, [*gone, *(f[0] for f in fresh)])
        if gone:  # merge the full-text segments: nothing a deleted file held stays
            db.execute("INSERT INTO texts (texts) VALUES ('optimize')")
            # Values made from several files (alerts naming an intervenant, the report
            # of `check`) may quote it too: they are made again.
            db.execute("DELETE FROM derived")
            db.execute("DELETE FROM reports")
            _forget_answers(db)
            _delete_parts(db, kind, sorted(gone))
        n = db.execute("SELECT coalesce(max(n), 0) FROM docs").fetchone()[0]
        docs: list[tuple[Any, ...]] = []
        members: list[tuple[int, str]] = []
        texts: list[tuple[int, bytes]] = []
        made: list[tuple[int, str, str | None, bytes]] = []
        for ident, key, digested, problems, kept in fresh:
            n += 1
            if digested is None:
                bad = [(p.path, p.location, p.message) for p in problems]
                docs.append((n, kind, ident, key, None, marshal.dumps(bad), None, None))
                continue
            blob, pieces, status, name, named = digested[:5]  # (see ``_digest_many``)
            docs.append((n, kind, ident, key, blob, None, status, name))
            members.extend((n, intervenant) for intervenant in named)
            texts.append((n, pieces))
            if kept is not None and make is not None:
                made.append((n, make[0], make[1], kept))
        db.executemany(
            "INSERT INTO docs (n, kind, id, stamp, summary, problems, status, name) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            docs,
        )
        db.executemany("INSERT INTO members (n, intervenant) VALUES (?, ?)", members)
        db.executemany("INSERT INTO pending (n, texts) VALUES (?, ?)", texts)
        db.executemany("INSERT INTO derived (n, what, key, value) VALUES (?, ?, ?, ?)", made)


def _forget_answers(db: sqlite3.Connection) -> None:
    """Delete the whole answers kept beside the index file of ``db`` (``lean``)."""
    from reseau_cli import lean

    for _n, name, file in db.execute("PRAGMA database_list"):
        if name == "main" and file:
            lean.forget(os.path.dirname(file))


def _delete_rows(db: sqlite3.Connection, kind: str, idents: list[str]) -> None:
    """Delete the rows of ``idents`` (those that have one) and all that hangs on them."""
    numbers: list[tuple[int]] = []
    for i in range(0, len(idents), 500):
        some = idents[i : i + 500]
        query = f"SELECT n FROM docs WHERE kind = ? AND id IN ({','.join('?' * len(some))})"
        numbers.extend((row[0],) for row in db.execute(query, (kind, *some)))
    if not numbers:
        return
    db.executemany(
        "DELETE FROM texts WHERE rowid BETWEEN ?1 * ?2 AND ?1 * ?2 + ?2 - 1",
        [(n, TEXTS_PER_DOC) for (n,) in numbers],
    )
    for table in ("pending", "members", "derived", "docs"):
        db.executemany(f"DELETE FROM {table} WHERE n = ?", numbers)  # noqa: S608 - fixed names


def _delete_parts(db: sqlite3.Connection, kind: str, idents: list[str]) -> None:
    """Delete the parts (``keep_parts``) of files gone; any file of another kind gone
    (an intervenant) takes every part with it: parts are made with other files' data."""
    if kind != "person":
        db.execute("DELETE FROM parts")
        return
    db.executemany("DELETE FROM parts WHERE kind = ? AND id = ?", [(kind, i) for i in idents])


def _forget_gone(
    db: sqlite3.Connection, root: Path, kind: str, gone: set[str], listed: dict[str, Any]
) -> None:
    """Delete all that the index holds of files no longer ``listed``: the rows of
    ``gone`` (and all that hangs on them), and the kept parts of files that had no row;
    then the caches of whole documents forget them too (``cache.forget``)."""
    if gone:
        with _tolerated(db):
            _store(db, kind, [], gone, None)
    unlisted: list[str] = []
    with _tolerated(db):
        kept = [r[0] for r in db.execute("SELECT id FROM parts WHERE kind = ?", (kind,))]
        unlisted = [ident for ident in kept if ident not in listed]
        if unlisted:
            with _transaction(db):
                _delete_parts(db, kind, unlisted)
    if gone or unlisted:
        from reseau_cli.cache import forget

        forget(root, kind, set(listed))
    _forget_unlisted(db, kind, listed)


def _forget_unlisted(db: sqlite3.Connection, kind: str, listed: dict[str, Any]) -> None:
    """Delete what the caches beside the index file of ``db`` hold of files of ``kind``
    no longer listed, whether the index had a row for them or not (a file shown, then
    deleted before any command listed its folder): the kept answers of `person show`
    and `intervenant show` (``lean``; the latter's in the index too) and the per-file
    entries of ``cache``."""
    from reseau_cli import cache, lean

    for _n, name, file in db.execute("PRAGMA database_list"):
        if name == "main" and file:
            folder = os.path.dirname(file)
            if kind in lean.NAMED:
                lean.forget_unlisted(folder, kind, listed)
            cache.prune_files(Path(folder) / "reseau-cache", kind, listed)
    if kind == "intervenant":  # the answers of `intervenant show ID` kept here
        prefix = "answer:intervenant show "
        with contextlib.suppress(sqlite3.Error):
            names = [r[0] for r in db.execute("SELECT name FROM reports")]
            gone = [
                (n,)
                for n in names
                if n.startswith(prefix) and n[len(prefix) :].split(" ")[0] not in listed
            ]
            if gone:
                db.executemany("DELETE FROM reports WHERE name = ?", gone)


# -- a report kept in parts, one per file -------------------------------------------------------


def file_stamp(entry: os.DirEntry[str], now_ns: int) -> str | None:
    """The key of a listed file, as the rows are keyed; None when it is missing or was
    changed too recently to be told apart from a later change (then keep nothing of it)."""
    return _entry_key(entry, now_ns)


def parts(root: Path, what: str, kind: str) -> dict[str, tuple[str, str, bytes]]:
    """Every part kept under ``what`` for files of ``kind`` (see ``keep_parts``):
    ``id -> (stamp, context, value as kept)``; nothing when the index cannot be read."""
    db = open_index(root)
    if db is None:
        return {}
    try:
        query = "SELECT id, stamp, context, value FROM parts WHERE what = ? AND kind = ?"
        return {r[0]: (r[1], r[2], r[3]) for r in db.execute(query, (what, kind))}
    except sqlite3.Error:
        return {}
    finally:
        close(db)


def part_value(kept: bytes) -> Any:
    """The value of a part as ``keep_parts`` was given it."""
    return marshal.loads(kept)


def keep_parts(
    root: Path,
    what: str,
    kind: str,
    context: str,
    made: list[tuple[str, str, Any]],
    drop: list[str],
) -> None:
    """Keep each ``(id, stamp, value)`` of ``made`` (plain data) as that file's part of
    ``what``, made for the file's ``stamp`` and for ``context`` (everything else the
    part depends on); delete the parts of ``drop`` (files gone) and every part made
    for another context, so that the index holds only parts that may still be served."""
    db = open_index(root)
    if db is None:
        return
    try:
        with contextlib.suppress(sqlite3.Error, ValueError):
            rows = [(what, kind, i, st, context, marshal.dumps(v)) for i, st, v in made]
            with _transaction(db):
                db.execute(
                    "DELETE FROM parts WHERE what = ? AND kind = ? AND context != ?",
                    (what, kind, context),
                )
                db.executemany(
                    "DELETE FROM parts WHERE what = ? AND kind = ? AND id = ?",
                    [(what, kind, i) for i in drop],
                )
                db.executemany("INSERT OR REPLACE INTO parts VALUES (?, ?, ?, ?, ?, ?)", rows)
    finally:
        close(db)


def summaries(
    repo: Source, kind: str, parse_many: ParseMany, problems: list[Problem] | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(id, summary)`` of every valid file of ``kind``, sorted by id; the problems of
    invalid files are appended to ``problems``."""
    for ident, entry in entries(repo, kind, parse_many).items():
        if entry.valid:
            summary = entry.summary
            assert summary is not None
            yield ident, summary
        elif problems is not None:
            problems.extend(entry.problems)


# -- full-text search ---------------------------------------------------------------------------


def match_expression(text: str) -> str | None:
    """An FTS5 query finding every word of ``text`` (each a prefix, accents ignored),
    each quoted so that nothing a user types is read as FTS syntax; None when ``text``
    has no letter or digit to look for."""
    words = [w for w in text.split() if any(c.isalnum() for c in w)]
    if not words:
        return None
    return " ".join('"' + w.replace('"', '""') + '"*' for w in words)


Hit = tuple[str, str, str, str]  # kind, id, where (a JSON path), snippet


def _fill_texts(db: sqlite3.Connection) -> None:
    """Put the texts of the rows stored since the last search into the full-text index
    (in one transaction, before a search: see ``_store``)."""
    if db.execute("SELECT 1 FROM pending LIMIT 1").fetchone() is None:
        return
    with _transaction(db):
        query = "SELECT p.n, d.kind, d.id, p.texts FROM pending p JOIN docs d ON d.n = p.n"
        db.executemany(
            "INSERT INTO texts (rowid, kind, id, at, body) VALUES (?, ?, ?, ?, ?)",
            (
                (n * TEXTS_PER_DOC + i, kind, ident, at, body)
                for n, kind, ident, blob in db.execute(query).fetchall()
                for i, (at, body) in enumerate(marshal.loads(blob))
            ),
        )
        db.execute("DELETE FROM pending")


def search(root: Path, text: str, *, marks: tuple[str, str] = ("[", "]")) -> list[Hit] | None:
    """Every piece of indexed text matching ``text``, best first (None when the index
    cannot be opened). The caller refreshes the index first (``refresh``) and keeps
    only the ids it still lists."""
    expression = match_expression(text)
    if expression is None:
        return []
    db = open_index(root)
    if db is None:
        return None
    try:
        _fill_texts(db)
        return _matches(db, expression, marks)
    except sqlite3.Error as error:
        damaged(db, error)  # then built again by the caller's next refresh
        return None
    finally:
        close(db)


def _matches(db: sqlite3.Connection, expression: str, marks: tuple[str, str]) -> list[Hit]:
    query = (
        "SELECT kind, id, at, snippet(texts, 3, ?, ?, '…', 12) FROM texts "
        "WHERE texts MATCH ? ORDER BY rank, id, rowid"
    )  # (ties in the order of the files' ids, however the rows were numbered)
    return db.execute(query, (*marks, expression)).fetchall()


if TYPE_CHECKING:
    Head = tuple[Any, ...]  # a file's status and name (first), as its row holds them
    Current = tuple[dict[str, dict[str, Head]], list[Hit]]  # heads, matches


def search_current(
    repo: Source, text: str, kinds: tuple[str, ...], *, marks: tuple[str, str] = ("[", "]")
) -> tuple[dict[str, list[tuple[str, os.DirEntry[str]]]], Current | None]:
    """The listing of each of ``kinds`` (``Source.listing``), and ``search``'s matches
    with each listed file's head (``kind -> id -> (status, name, …)``) when the index
    needs no refreshing: every listed file has a valid row stored for its key (none
    changed too recently to be trusted), and nothing is kept of a file no longer listed
    (no other row of its kind, no part). Then ``entries`` would read no file again and
    change nothing: its entries are these rows as they are. Else (or when the index
    cannot be read) None: the caller then refreshes (``entries``) and calls ``search``.

    The rows' heads are read from the index ``docs_heads`` alone (a valid row is one
    without problems: ``_store`` gives a row either a summary or its problems), not
    from the rows themselves, each as large as a file's summary; in the order of the
    ids, as a listing is (by code point: SQLite compares their UTF-8 bytes). Heads and
    matches are read in one transaction (one state of the index), in another thread
    while this one lists the folders and stats their files: SQLite lets go of the
    interpreter's lock while it searches. (Not when the repository encrypts: its index
    is a connection of this thread, in memory.)"""
    expression = match_expression(text)
    path = path_of(repo.root)
    if expression is None or path is None or _encrypted(path):
        listings = {kind: repo.listing(kind) for kind in kinds}
        return listings, None if expression is not None else ({}, [])
    read: list[Any] = []
    done = _thread.allocate_lock()
    done.acquire()

    def reading() -> None:
        try:
            read.append(_read_current(path, kinds, expression, marks))
        except BaseException:  # told again by the refresh the caller makes instead
            read.append(None)
        finally:
            done.release()

    _thread.start_new_thread(reading, ())
    try:
        listings = {kind: repo.listing(kind) for kind in kinds}
        now_ns = time.time_ns()
        keys = {k: [_entry_key(e, now_ns) for _, e in v] for k, v in listings.items()}
    finally:
        done.acquire()  # the reading thread always ends (SQLite's busy timeout)
    found = read[0]
    if found is None:
        return listings, None
    rows, others, hits = found
    heads: dict[str, dict[str, Head]] = {}
    for kind, listing in listings.items():
        ids = [row[2] for row in rows[kind]]
        if (
            others[kind] != (len(listing), 0)
            or ids != [ident for ident, _ in listing]
            or [row[3] for row in rows[kind]] != keys[kind]
        ):
            return listings, None
        heads[kind] = dict(zip(ids, rows[kind], strict=True))
    return listings, (heads, hits)


def _read_current(
    path: Path, kinds: tuple[str, ...], expression: str, marks: tuple[str, str]
) -> tuple[dict[str, list[Head]], dict[str, tuple[int, int]], list[Hit]] | None:
    """For ``search_current`` (in its own thread, its own connection): each kind's valid
    rows' heads ``(status, name, id, stamp)`` in the order of the ids, its count of
    rows and of parts of files without a row, and the matches, all read in one
    transaction. None when texts are pending (the first search after rows were stored):
    they are put into the full-text index after the refresh (``search``), which may
    replace rows (those read too recently to be given a key, as after a fresh clone)."""
    db = _open_file(path)
    if db is None:
        return None
    try:
        db.execute("BEGIN")
        try:
            if db.execute("SELECT 1 FROM pending LIMIT 1").fetchone() is not None:
                return None
            hits = _matches(db, expression, marks)  # first: the longest, the lock let go
            rows = {
                kind: db.execute(
                    "SELECT status, name, id, stamp FROM docs INDEXED BY docs_heads "
                    "WHERE kind = ? AND problems IS NULL ORDER BY id",
                    (kind,),
                ).fetchall()
                for kind in kinds
            }
            others = {
                kind: db.execute(
                    "SELECT (SELECT count(*) FROM docs WHERE kind = ?1), "
                    "(SELECT count(*) FROM parts WHERE kind = ?1 AND id NOT IN "
                    "(SELECT id FROM docs WHERE kind = ?1))",
                    (kind,),
                ).fetchone()
                for kind in kinds
            }
        finally:
            db.execute("COMMIT")
        return rows, others, hits
    except sqlite3.Error:
        return None
    finally:
        db.close()
