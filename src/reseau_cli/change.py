"""The one way files change: lock, check git, validate, write atomically, commit once.

    with repo.change("p-7k3q9x: close accompaniment") as change:
        doc = change.load("person", "p-7k3q9x")
        ...
        change.put("person", "p-7k3q9x", doc)

Nothing touches the disk before the ``with`` block ends without error; if the commit
fails, the files are put back as they were. A refused command leaves files and git
history exactly as before.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from reseau_cli import schemas, store, vcs
from reseau_cli.errors import InvalidDocument

if TYPE_CHECKING:
    from reseau_cli.repo import Repository


class Change:
    """One command's worth of writes, committed as one git commit."""

    def __init__(self, repo: Repository, message: str) -> None:
        self.repo = repo
        self.message = message
        self.commit_id: str | None = None
        self._texts: dict[Path, str] = {}
        self._lock: contextlib.ExitStack | None = None
        self.identity: vcs.Identity | None = None

    # -- context management ------------------------------------------------------
    def __enter__(self) -> Change:
        root = self.repo.root
        self.identity = vcs.identity(root)
        vcs.ensure_idle(root)
        stack = contextlib.ExitStack()
        stack.enter_context(store.locked(vcs.git_dir(root) / "reseau.lock"))
        self._lock = stack
        # Read again under the lock: another process may have just written.
        self.repo._docs.clear()
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

    # -- building the change -----------------------------------------------------
    def load(self, kind: str, ident: str) -> Any:
        """A validated document to modify; ``put`` it back to save it."""
        import copy

        return copy.deepcopy(self.repo.load(kind, ident))

    def put(self, kind: str, ident: str, doc: Any) -> None:
        """Schedule a document for writing; it must be valid."""
        path = self.repo.path(kind, ident)
        ordered = schemas.order(kind, doc)
        display = self.repo.rel(path)
        found = schemas.problems(kind, ordered, path=display)
        if found:
            raise InvalidDocument(path=display, problems=found)
        self._texts[path] = store.dump(ordered)
        self.repo._docs[(kind, ident)] = ordered

    def put_text(self, path: Path, text: str) -> None:
        """Schedule a plain file (settings, .gitattributes…) for writing."""
        self._texts[path] = text

    # -- committing ----------------------------------------------------------------
    def _commit(self) -> None:
        root = self.repo.root
        changed = {p: t for p, t in self._texts.items() if _current(p) != t}
        if not changed:
            return
        paths = sorted(changed)
        vcs.ensure_clean(root, paths)
        originals = {p: _current(p) for p in paths}
        try:
            for path in paths:
                store.write_atomic(path, changed[path], display=self.repo.rel(path))
            assert self.identity is not None
            self.commit_id = vcs.commit(root, paths, self.message, self.identity)
        except BaseException:
            _restore(originals)
            raise


def _current(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError):
        return "\0unreadable"


def _restore(originals: dict[Path, str | None]) -> None:
    for path, text in originals.items():
        with contextlib.suppress(Exception):
            if text is None:
                if path.exists():
                    os.unlink(path)
            else:
                store.write_atomic(path, text)
