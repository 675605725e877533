"""The one way files change: lock, check git, validate, commit once, atomically.

    with repo.change("p-7k3q9x: close accompaniment") as change:
        doc = change.load("person", "p-7k3q9x")
        ...
        change.put("person", "p-7k3q9x", doc)

Nothing touches the disk before the ``with`` block ends without error. The commit is
made first, beside the working tree, and the branch moves in one atomic step; only
then do the files change (see ``vcs._atomic``). A crash at any instant leaves the
whole change or nothing, and the next command (``repair``) finishes or undoes it.
SIGINT and SIGTERM wait while the commit is made: an interruption says exactly what
it left. A refused command leaves files and git history exactly as before.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
from pathlib import Path
from types import TracebackType

from reseau_cli import schemas, store, vcs
from reseau_cli.errors import InvalidDocument, RepositoryBusy, Terminated

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from reseau_cli.repo import Repository

# Commits this process made, for the message of an interruption that comes after one.
_COMMITTED: list[str] = []


def committed() -> list[str]:
    """The commits this process has made so far."""
    return list(_COMMITTED)


def repair(root: Path) -> None:
    """Finish or undo a change a crash interrupted, saying so in one line on stderr.

    Cheap when there is nothing to do; skipped when a live writer holds the lock (it
    is the one making that change)."""
    if not vcs.recovery_pending(root):
        return
    try:
        lock = vcs.git_dir(root) / "reseau.lock"
        with store.locked(lock, timeout=2.0) as handle, _SignalsWait():
            _say(vcs.recover(root, lock_fd=handle.fileno()))
    except RepositoryBusy:
        return


def _say(line: str | None) -> None:
    if line:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()


class Change:
    """One command's worth of writes, committed as one git commit."""

    def __init__(self, repo: Repository, message: str) -> None:
        self.repo = repo
        self.message = message
        self.commit_id: str | None = None
        self._texts: dict[Path, str | None] = {}  # None: the file is removed
        # Data files (sealed when the team encrypts): path -> (id, format version).
        self._data: dict[Path, tuple[str, int]] = {}
        # Data files put: path -> (kind, the document as marshalled when it was put).
        self._docs: dict[Path, tuple[str, bytes]] = {}
        # Seal with fresh data keys (`team rotate`), not the ones the files use.
        self.fresh_keys = False
        # A new content for the whole key store (members added or removed, erasure).
        self._keys: dict[str, bytes] | None = None
        self._lock: contextlib.ExitStack | None = None
        self._lock_fd: int | None = None
        self.identity: vcs.Identity | None = None
        # The commit, once it went through whole (no journal left), when git's automatic
        # upkeep may be due: started once the lock is released (``vcs._upkeep``).
        self._upkeep: vcs.AtomicCommit | None = None

    # -- context management ------------------------------------------------------
    def __enter__(self) -> Change:
        root = self.repo.root
        self.identity = vcs.identity(root, signing=True)
        gdir = vcs.git_dir(root)
        stack = contextlib.ExitStack()
        handle = stack.enter_context(store.locked(gdir / "reseau.lock"))
        self._lock = stack
        try:
            self._lock_fd = handle.fileno()
            with _SignalsWait():
                _say(vcs.recover(root, lock_fd=self._lock_fd))
            from reseau_cli.cache import sweep

            sweep(root)
            vcs.ensure_idle(root)
            vcs.on_branch(root)
            vcs.refuse_if_locked(gdir / "index.lock", root)
        except BaseException:
            stack.close()
            raise
        # Read again under the lock: another process may have just written.
        self.repo._docs.clear()
        self.repo.refresh_keys()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if exc_type is None:
                self._commit()
        finally:
            if self._lock is not None:
                self._lock.close()
        if self._upkeep is not None and self.identity is not None:
            from reseau_cli.vcs import _upkeep

            place = self._upkeep.place
            _upkeep.after_write(place.top, place.git_dir, self.identity.upkeep)

    # -- building the change -----------------------------------------------------
    def load(self, kind: str, ident: str) -> Any:
        """A validated document to modify; ``put`` it back to save it."""
        doc = self.repo.load(kind, ident)
        try:  # plain data (the schema said so): copied whole by marshal, in C
            return marshal.loads(marshal.dumps(doc))
        except ValueError:
            import copy

            return copy.deepcopy(doc)

    def put(self, kind: str, ident: str, doc: Any) -> None:
        """Schedule a document for writing; it must be valid."""
        path = self.repo.path(kind, ident)
        ordered = schemas.order(kind, doc)
        display = self.repo.rel(path)
        found = schemas.problems(kind, ordered, path=display)
        if found:
            raise InvalidDocument(path=display, problems=found)
        self._texts[path] = store.dump(ordered)
        fmt = ordered.get("format") if isinstance(ordered, dict) else None
        self._data[path] = (ident, fmt if isinstance(fmt, int) else 1)
        self.repo._docs[(kind, ident)] = ordered
        with contextlib.suppress(ValueError):  # plain data only (the schema said so)
            self._docs[path] = (kind, marshal.dumps(ordered))

    def replace_keys(self, entries: dict[str, bytes]) -> None:
        """Schedule a new content for the key store (``vcs.keys``), written just before
        the commit."""
        self._keys = dict(entries)

    def delete(self, kind: str, ident: str) -> None:
        """Schedule a data file's removal."""
        path = self.repo.path(kind, ident)
        self._texts[path] = None
        self._data.pop(path, None)
        self._docs.pop(path, None)
        self.repo._docs.pop((kind, ident), None)

    def put_text(self, path: Path, text: str) -> None:
        """Schedule a plain file (settings, .gitattributes…) for writing."""
        self._texts[path] = text

    # -- committing ----------------------------------------------------------------
    def _commit(self) -> None:
        root = self.repo.root
        changed = self._changed()
        if changed or self._keys is not None:
            self._write_keys()
        if not changed:
            return
        vcs.ensure_clean(root, sorted(changed))
        assert self.identity is not None
        who = self.identity
        env = {
            "GIT_AUTHOR_NAME": who.name,
            "GIT_AUTHOR_EMAIL": who.email,
            "GIT_COMMITTER_NAME": os.environ.get("GIT_COMMITTER_NAME") or who.name,
            "GIT_COMMITTER_EMAIL": os.environ.get("GIT_COMMITTER_EMAIL") or who.email,
            **vcs.commit_dates(),
        }
        with _SignalsWait() as signals:
            commit = vcs.AtomicCommit(root, changed, lock_fd=self._lock_fd)
            commit.prepare(
                self.message,
                env,
                sign=who.sign,
                encoding=who.encoding,
                fsync=who.fsync,
                loose=who.loose,
                blobs=who.blobs,
            )
            commit.publish(signals.check, reflog=f"commit: {self.message}")
            self.commit_id = commit.new
            _COMMITTED.append(commit.new)
            warning = commit.finish()
            _say(warning)
            if warning is None and (who.upkeep or _crowded(commit.place.git_dir)):
                self._upkeep = commit
        self._remember(changed)

    def _remember(self, changed: dict[Path, str | None]) -> None:
        """Give the derived cache the documents just written (as ``put`` validated
        them), keyed by the bytes now in the files: the next command reads them from
        there instead of parsing and validating them again."""
        from reseau_cli import cache

        for path, (kind, doc) in self._docs.items():
            text = changed.get(path)
            if text is not None:
                cache.remember(self.repo, kind, path, text.encode("utf-8"), marshal.loads(doc))

    def _changed(self) -> dict[Path, str | None]:
        """The files whose content changes, data files sealed when the team encrypts
        (a new data key, wrapped for every member, goes to the key store first)."""
        texts = self._texts
        if not self._data or not self.repo.encrypted:
            return {p: t for p, t in texts.items() if _current(p) != t}
        keyring = self.repo.keyring
        changed: dict[Path, str | None] = {}
        for path, text in texts.items():
            current = _current(path)
            if path not in self._data or text is None:
                if current != text:
                    changed[path] = text
                continue
            ident, fmt = self._data[path]
            key = None if self.fresh_keys else keyring.key_of(current)
            if key is not None and not self.fresh_keys:
                display = self.repo.rel(path)
                with contextlib.suppress(InvalidDocument):
                    if keyring.reveal(current or "", display=display) == text:
                        continue
            changed[path] = keyring.seal(ident, text, fmt=fmt, key=key)
        return changed

    def _write_keys(self) -> None:
        """Write the key store before the commit: new data keys, or a new content."""
        from reseau_cli.crypto import keyrings

        if self._keys is None and keyrings.clear(self.repo.root / "-"):
            return  # a clear team makes no data keys
        from reseau_cli.vcs import keys

        keyring = keyrings.keyring_for(self.repo.root / "-")
        if keyring is None:
            return
        if self._keys is not None:
            keys.write(self.repo.root, {**self._keys, **keyring.pending}, lock_fd=self._lock_fd)
            self.repo.refresh_keys()
        elif keyring.pending:
            keys.write(self.repo.root, keyring.entries, lock_fd=self._lock_fd)
            keyring.stored()


class _SignalsWait:
    """Block SIGINT and SIGTERM; ``check`` gives up if one came (before the commit
    exists); on leaving, one that came meanwhile is raised, once the change is whole.
    Through ``_signal``, the C module ``signal`` wraps (the same calls, with numbers
    where ``signal`` gives enums, which it builds on import: a write's milliseconds)."""

    def __enter__(self) -> _SignalsWait:
        import _signal  # type: ignore[import-not-found]

        self._signals = {_signal.SIGINT, _signal.SIGTERM}
        self._old = _signal.pthread_sigmask(_signal.SIG_BLOCK, self._signals)
        return self

    def check(self) -> None:
        import _signal

        came = _signal.sigpending() & self._signals
        if came:
            raise Terminated() if _signal.SIGTERM in came else KeyboardInterrupt()

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        import _signal

        came = set()
        # Taken here, so that it is raised once, below; where sigtimedwait is missing
        # (macOS), unblocking delivers it instead: the change is whole by then too.
        while hasattr(_signal, "sigtimedwait") and (info := _signal.sigtimedwait(self._signals, 0)):
            came.add(info.si_signo)
        _signal.pthread_sigmask(_signal.SIG_SETMASK, self._old)
        if came and exc_type is None:
            raise Terminated() if _signal.SIGTERM in came else KeyboardInterrupt()


def _crowded(git_dir: Path) -> bool:
    """Whether the loose objects are past git's default thresholds (``vcs._loose``,
    already loaded by the write: ``vcs._upkeep`` is imported only then)."""
    from reseau_cli.vcs import _loose

    try:
        return _loose.crowded(git_dir)
    except OSError:
        return False


def _current(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError):
        return "\0unreadable"
