"""The derived index: one summary row per person and intervenant, in SQLite.

``.git/reseau-index.sqlite`` (stdlib ``sqlite3``; never committed, never shared) holds,
for each data file, the summary of ``model.summary`` (marshalled) or the problems that
made the file invalid, and the pieces of text `reseau find` searches (an FTS5 table,
accents ignored). Each row is keyed by the file's stat (size, mtime, ctime, inode: what
git itself uses to notice a change); every read lists the folder and stats every file,
and re-reads the files whose key differs, so the index is never trusted over the files:

- a file changed by anything (git, `sync`, an editor, another clone's merge) has
  another key and is read again; a file changed within the last seconds is not given
  a key at all (the clock may not have ticked: git's "racy" files), so it is read
  again by the next command too;
- a deleted file is never served: its row and texts are deleted (with
  ``secure_delete``, and the full-text index merged, so nothing it held stays);
- an index that cannot be read, of another format, summary version, reseau, schemas or
  Python is deleted and built again, silently; one that cannot be written (a read-only
  clone, a busy lock) is simply not updated: the command reads the files instead.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reseau_cli import __version__
from reseau_cli.cache import ParseMany, Source, parse_spread
from reseau_cli.errors import Problem, ReseauError
from reseau_cli.model.summary import SUMMARY_VERSION, search_texts, summary

FILE = "reseau-index.sqlite"
FORMAT = 1
RACY_NS = 2_000_000_000  # a file changed this recently gets no key (re-read next time)
TEXTS_PER_DOC = 1 << 20  # texts of the row n have rowids n * TEXTS_PER_DOC + i

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    n INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    stamp TEXT NOT NULL,
    summary BLOB,
    problems BLOB,
    UNIQUE (kind, id)
);
CREATE VIRTUAL TABLE IF NOT EXISTS texts USING fts5(
    kind UNINDEXED, id UNINDEXED, at UNINDEXED, body,
    tokenize = "unicode61 remove_diacritics 2"
);
"""


def header() -> str:
    """What an index must have been written with to be read: anything else is rebuilt.
    The problems of invalid files are stored as sentences in the terminal's language:
    an index written in another language is rebuilt too."""
    from reseau_cli import i18n
    from reseau_cli.resources import data_dir

    digest = hashlib.sha256()
    for path in sorted(data_dir("schemas").glob("*.json")):
        digest.update(path.read_bytes())
    python = ".".join(map(str, sys.version_info[:3]))
    return (
        f"format={FORMAT} summary={SUMMARY_VERSION} reseau={__version__} python={python} "
        f"marshal={marshal.version} schemas={digest.hexdigest()[:16]} lang={i18n.language()}"
    )


def path_of(root: Path) -> Path | None:
    from reseau_cli import vcs

    try:
        return vcs.git_dir(root) / FILE
    except ReseauError:
        return None


def _remove(path: Path) -> None:
    for name in (path, Path(f"{path}-journal"), Path(f"{path}-wal"), Path(f"{path}-shm")):
        with contextlib.suppress(OSError):
            name.unlink()


def _connect(path: Path) -> sqlite3.Connection:
    fresh = not path.exists()
    db = sqlite3.connect(path, timeout=10, isolation_level=None)
    if fresh:
        with contextlib.suppress(OSError):
            os.chmod(path, 0o600)
    db.execute("PRAGMA secure_delete = ON")
    db.execute("PRAGMA synchronous = NORMAL")
    db.executescript(_TABLES)
    return db


# Once the team encrypts, the index lives in this process's memory only (one per
# repository): nothing it holds is written to disk in clear.
_MEMORY: dict[Path, sqlite3.Connection] = {}


def _encrypted(path: Path) -> bool:
    from reseau_cli.crypto import layer

    try:
        keyring = layer.keyring_for(path.absolute())
    except ReseauError:
        return True  # its keys cannot be read: keep nothing on disk
    return keyring is not None and bool(keyring.team.encryption)


def close(db: sqlite3.Connection) -> None:
    if db not in _MEMORY.values():
        db.close()


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
    wanted = header()
    for _ in range(2):
        try:
            db = _connect(path)
            row = db.execute("SELECT value FROM meta WHERE key = 'header'").fetchone()
            if row is not None and row[0] == wanted:
                return db
            count = db.execute("SELECT count(*) FROM docs").fetchone()[0]
            if row is None and count == 0:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('header', ?)", (wanted,))
                return db
            db.close()
        except sqlite3.Error:
            pass
        _remove(path)  # corrupt, foreign or of another version: built again
    return None


def stamp(path: Path, now_ns: int) -> str | None:
    """The file's key, or None when it is missing or changed too recently to trust."""
    try:
        st = path.lstat()  # a symbolic link never borrows the key of its target
    except OSError:
        return None
    if max(st.st_mtime_ns, st.st_ctime_ns) >= now_ns - RACY_NS:
        return None
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


Row = tuple[dict[str, Any] | None, list[Problem]]


def refresh(repo: Source, kind: str, parse_many: ParseMany) -> dict[str, Row]:
    """Every file of ``kind``: ``id -> (summary or None, problems)``, from the index
    for the files whose key is unchanged, read again (and the index updated) otherwise."""
    idents = repo.ids(kind)
    db = open_index(repo.root)
    try:
        return _refresh(db, repo, kind, idents, parse_many)
    finally:
        if db is not None:
            close(db)


def _refresh(
    db: sqlite3.Connection | None,
    repo: Source,
    kind: str,
    idents: list[str],
    parse_many: ParseMany,
) -> dict[str, Row]:
    now_ns = time.time_ns()
    stored: dict[str, tuple[str, Any, Any]] = {}
    if db is not None:
        try:
            query = "SELECT id, stamp, summary, problems FROM docs WHERE kind = ?"
            stored = {i: (s, doc, bad) for i, s, doc, bad in db.execute(query, (kind,))}
        except sqlite3.Error:
            stored = {}
    out: dict[str, Row] = {}
    keys: dict[str, str | None] = {}
    stale: list[str] = []
    for ident in idents:
        key = keys[ident] = stamp(repo.path(kind, ident), now_ns)
        hit = stored.get(ident)
        if key is not None and hit is not None and hit[0] == key:
            out[ident] = _decode(hit[1], hit[2])
        else:
            stale.append(ident)
    fresh: list[tuple[str, str, Any, list[Problem]]] = []
    digest = functools.partial(_digest_many, parse_many)  # run in the worker processes
    for ident, digested, problems in parse_spread(repo.root, kind, stale, digest):
        out[ident] = (digested[0] if digested is not None else None, problems)
        fresh.append((ident, keys[ident] or "racy", digested, problems))
    gone = set(stored) - set(idents)
    if db is not None and (fresh or gone):
        with contextlib.suppress(sqlite3.Error):
            _store(db, kind, fresh, gone)
    return {ident: out[ident] for ident in idents}


def _digest_many(
    parse_many: ParseMany, root: str, kind: str, idents: list[str]
) -> list[tuple[str, Any, list[Problem]]]:
    """Parse and validate files, and make each one's summary and search texts (in a
    worker process when there are many): ``(id, (summary, texts) or None, problems)``."""
    return [
        (ident, None if doc is None else (summary(kind, doc), list(search_texts(kind, doc))), bad)
        for ident, doc, bad in parse_many(root, kind, idents)
    ]


def _decode(summary_blob: Any, problems_blob: Any) -> Row:
    if summary_blob is not None:
        return marshal.loads(summary_blob), []
    return None, [Problem(*p) for p in marshal.loads(problems_blob)]


def _store(
    db: sqlite3.Connection,
    kind: str,
    fresh: list[tuple[str, str, Any, list[Problem]]],
    gone: set[str],
) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        for ident in gone:
            _delete(db, kind, ident)
        for ident, key, digested, problems in fresh:
            _delete(db, kind, ident)
            row: tuple[str, str, str, bytes | None, bytes | None]
            if digested is not None:
                row = (kind, ident, key, marshal.dumps(digested[0]), None)
            else:
                bad = [(p.path, p.location, p.message) for p in problems]
                row = (kind, ident, key, None, marshal.dumps(bad))
            cursor = db.execute(
                "INSERT INTO docs (kind, id, stamp, summary, problems) VALUES (?, ?, ?, ?, ?)",
                row,
            )
            if digested is not None:
                base = (cursor.lastrowid or 0) * TEXTS_PER_DOC
                db.executemany(
                    "INSERT INTO texts (rowid, kind, id, at, body) VALUES (?, ?, ?, ?, ?)",
                    [(base + i, kind, ident, at, body) for i, (at, body) in enumerate(digested[1])][
                        : TEXTS_PER_DOC - 1
                    ],
                )
        if gone:  # merge the full-text segments: nothing a deleted file held stays
            db.execute("INSERT INTO texts (texts) VALUES ('optimize')")
        db.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise


def _delete(db: sqlite3.Connection, kind: str, ident: str) -> None:
    row = db.execute("SELECT n FROM docs WHERE kind = ? AND id = ?", (kind, ident)).fetchone()
    if row is None:
        return
    base = row[0] * TEXTS_PER_DOC
    db.execute("DELETE FROM texts WHERE rowid BETWEEN ? AND ?", (base, base + TEXTS_PER_DOC - 1))
    db.execute("DELETE FROM docs WHERE n = ?", (row[0],))


def summaries(
    repo: Source, kind: str, parse_many: ParseMany, problems: list[Problem] | None = None
) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(id, summary)`` of every valid file of ``kind``, sorted by id; the problems of
    invalid files are appended to ``problems``."""
    for ident, (found, bad) in refresh(repo, kind, parse_many).items():
        if found is not None:
            yield ident, found
        elif problems is not None:
            problems.extend(bad)


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
        query = (
            "SELECT kind, id, at, snippet(texts, 3, ?, ?, '…', 12) FROM texts "
            "WHERE texts MATCH ? ORDER BY rank"
        )
        return [tuple(row) for row in db.execute(query, (*marks, expression))]
    except sqlite3.Error:
        return None
    finally:
        close(db)
