"""One commit, atomic with respect to a crash at any instant, and its recovery.

The commit is built beside the shared index: blobs, trees and commit as the loose
objects git would write (``_loose``), else blobs by ``git hash-object -w`` and the tree
and commit by one ``git fast-import`` from the old commit's tree, else (a signed commit,
another encoding, an unborn branch…) a tree from a temporary index (``GIT_INDEX_FILE``)
and ``git commit-tree``; nothing in the working tree changes meanwhile. A journal under ``.git/`` then names the branch, the old and new
commits and the files; the new files are written next to their targets under temporary
names (so a full disk refuses the change before it exists); ``git update-ref BRANCH NEW
OLD`` is the single atomic step. Afterwards the temporary files are renamed over the
targets and the index entries set, and the journal goes. Both git processes start early
and wait for their input, given only when their step comes (``_RefMove``: the branch's,
started before the journal; ``start_index``: the index's, once the journal exists, which
reads the index meanwhile); a change that does not commit gives them nothing, and they
leave the branch and the index as they were.

The next reseau command reads the journal (``_recover``): if the branch moved, it
finishes the renames and the index; if not, it removes the temporary files. Either way
the repository ends as if the change had been made whole, or not at all.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable
from pathlib import Path

from reseau_cli import store
from reseau_cli.errors import DetachedHead, DiskFull, GitError, WriteFailed
from reseau_cli.records import frozen, record
from reseau_cli.vcs import _locks
from reseau_cli.vcs._pending import JOURNAL, SYNC_MERGE, TEMP_INDEX  # noqa: F401 - shared
from reseau_cli.vcs._plumbing import Running, answer, attempt, crash_point, run, start

SUFFIX = ".reseau-new"
DELETED = "deleted"  # the blob of a file the change removes (in the journal too)


@frozen
class Place:
    top: Path  # the working tree's top folder (the data repository or a folder above)
    git_dir: Path


def locate(root: Path) -> Place:
    dot_git = root / ".git"
    if dot_git.is_dir():
        return Place(root, dot_git)
    git_dir, top = run(root, "rev-parse", "--absolute-git-dir", "--show-toplevel").splitlines()
    return Place(Path(top), Path(git_dir))


def branch(place: Place) -> str:
    """``refs/heads/NAME`` that HEAD points to (born or not); DetachedHead otherwise."""
    try:
        text = (place.git_dir / "HEAD").read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        text = ""
    if text.startswith("ref: refs/heads/") and not text.endswith("/.invalid"):
        return text[5:]
    out = attempt(place.top, "symbolic-ref", "-q", "HEAD")
    if out and out.startswith("refs/heads/"):
        return out
    raise DetachedHead(branch=_way_back(place.top))


def on_branch(root: Path) -> str:
    """The branch a write would commit to; refused on a detached HEAD."""
    return branch(locate(root))


def _way_back(top: Path) -> str | None:
    """The branch to switch back to: the one checked out before, else the only one,
    else main or master."""
    names = (attempt(top, "for-each-ref", "--format=%(refname:short)", "refs/heads") or "").split()
    previous = attempt(top, "rev-parse", "--symbolic-full-name", "@{-1}") or ""
    if previous.startswith("refs/heads/") and previous[11:] in names:
        return previous[11:]
    if len(names) == 1:
        return names[0]
    return next((n for n in ("main", "master") if n in names), None)


def ref_value(top: Path, ref: str) -> str | None:
    return attempt(top, "rev-parse", "-q", "--verify", f"{ref}^{{commit}}") or None


def _object_id(text: str) -> bool:
    """Whether ``text`` is an object id as git writes one: 40 or 64 lowercase hexadecimal
    digits (told without a regular expression, whose compiling costs more than a write's
    every use of it)."""
    return len(text) in (40, 64) and not text.strip("0123456789abcdef")


def branch_value(place: Place, ref: str) -> str | None:
    """The commit a branch (``refs/heads/NAME``) names, or None when it is unborn: read
    from git's own files (the loose ref, else ``packed-refs``) when they are plain,
    as git writes them; anything else (a linked worktree, another ref storage, a
    symbolic ref) is asked of git."""
    git_dir = place.git_dir
    if not ref.startswith("refs/heads/") or (git_dir / "commondir").exists():
        return ref_value(place.top, ref)
    try:
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        # bytes decoded (not read_text's ascii codec, a module to import): the same
        # text once stripped, the same UnicodeDecodeError
        text = (git_dir / ref).read_bytes().decode("ascii").strip()
    except FileNotFoundError:
        text = None
    except (OSError, UnicodeDecodeError):
        return ref_value(place.top, ref)
    if not head.startswith("ref: refs/") or head.endswith("/.invalid"):
        return ref_value(place.top, ref)  # not the files backend
    if text is not None:
        return text if _object_id(text) else ref_value(place.top, ref)
    try:
        packed = (git_dir / "packed-refs").read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        return ref_value(place.top, ref)
    for line in packed.splitlines():
        value, _space, name = line.partition(" ")
        if name == ref and _object_id(value):
            return value
    return None


@record
class File:
    path: Path
    rel: str  # relative to the top, posix
    data: bytes
    mode: int  # file system mode
    blob: str = ""

    @property
    def deleted(self) -> bool:
        return self.blob == DELETED

    @property
    def temp(self) -> Path:
        return self.path.with_name(f".{self.path.name}{SUFFIX}")

    @property
    def cacheinfo(self) -> str:
        git_mode = "100755" if self.mode & 0o100 else "100644"
        return f"{git_mode},{self.blob},{self.rel}"


class AtomicCommit:
    """``prepare`` (objects only), ``publish`` (journal, temporary files, update-ref),
    ``finish`` (renames, index, journal removed)."""

    def __init__(self, root: Path, texts: dict[Path, str | None], *, lock_fd: int | None) -> None:
        """``texts``: each file's new text, or None for a file the change removes."""
        self.place = locate(root)
        self.lock_fd = lock_fd
        self.files = [
            File(
                p,
                p.relative_to(self.place.top).as_posix(),
                b"" if t is None else t.encode("utf-8"),
                _mode(p),
                DELETED if t is None else "",
            )
            for p, t in sorted(texts.items())
        ]
        self.ref = branch(self.place)
        self.old: str | None = None
        self.new = ""
        self._indexing: Running | None = None  # git's index process, started by ``publish``

    def _git(
        self,
        *args: str,
        env: dict[str, str] | None = None,
        stdin: bytes | None = None,
        what: str | None = None,
    ) -> str:
        return run(self.place.top, *args, env=env, stdin=stdin, keep_fd=self.lock_fd, what=what)

    # -- objects only: nothing visible changes ------------------------------------
    def prepare(
        self,
        message: str,
        author_env: dict[str, str],
        sign: bool | None = None,
        encoding: str | None = None,
        fsync: bool = True,
        loose: bool = False,
        blobs: bool = False,
    ) -> None:
        """Blobs, tree and commit; ``sign``: whether to sign it (None: as git's
        ``commit.gpgsign`` says, read now); ``encoding``: i18n.commitEncoding when it is
        not UTF-8; ``fsync``: false when the user left git's fsync settings alone;
        ``loose``: git's settings let reseau write the trees and commit as loose
        objects itself (``_loose``), when ``fsync`` is false too; ``blobs``: and the
        blobs, when the attributes files prove git would store the bytes as they are
        (for a commit git makes itself, signed or in another encoding, git makes them)."""
        top = self.place.top
        self.old = branch_value(self.place, self.ref)
        plain = loose and blobs and sign is False and not encoding and not fsync
        if not (plain and self._loose_blobs()):
            for f in self.files:
                if not f.deleted:
                    f.blob = self._git(
                        "hash-object", "-w", "--stdin", f"--path={f.rel}", stdin=f.data
                    )
        crash_point("blobs")
        if sign is None:
            sign = attempt(top, "config", "--bool", "commit.gpgsign") == "true"
        parts = None if sign or encoding else self._commit_parts(message, author_env)
        if parts is not None and loose and not fsync and self._loose(parts):
            crash_point("tree")
        elif parts is not None:
            # fast-import writes a small pack, fsyncs it, unpacks it into loose objects
            # and deletes it. Loose objects are not fsynced by git's default (nor were
            # those of `commit-tree`): with that default, the pack is not either.
            quiet = [] if fsync else ["-c", "core.fsync=-pack"]
            stream = self._stream(*parts)
            self.new = self._git(*quiet, "fast-import", "--quiet", stdin=stream, what="commit")
            crash_point("tree")
        else:
            self.new = self._commit_tree(self._tree(), message, author_env, sign=sign)
        crash_point("commit")

    def _loose_blobs(self) -> bool:
        """The blobs written as loose objects by reseau, as ``git hash-object`` would
        write them: whether that could be done (when not, git writes them)."""
        from reseau_cli.vcs import _loose

        kept = [f for f in self.files if not f.deleted]
        git_dir = self.place.git_dir
        if not _loose.plain_blobs(git_dir, self.place.top, [(f.rel, f.data) for f in kept]):
            return False
        try:
            for f in kept:
                f.blob = _loose.write(git_dir, b"blob", f.data).hex()
        except OSError:
            return False
        return True

    def _loose(self, parts: tuple[list[str], bytes]) -> bool:
        """The trees and commit written as loose objects by reseau (``_loose``): whether
        that could be done (when not, git's way is taken)."""
        from reseau_cli.vcs import _loose

        idents, body = parts
        head = f"author {idents[0]}\ncommitter {idents[1]}\n\n".encode() + body
        files = [
            (f.rel, f.cacheinfo.split(",")[0], None if f.deleted else f.blob) for f in self.files
        ]
        try:
            assert self.old
            self.new = _loose.commit(self.place.git_dir, self.old, files, head)
        except (_loose.Unproven, OSError):
            return False
        return True

    def import_stream(self, message: str, author_env: dict[str, str]) -> bytes | None:
        """The tree and commit as one ``git fast-import`` stream, making the very commit
        ``write-tree`` and ``commit-tree`` make (the same bytes, so the same id): the
        new tree from the old one, not from a copy of git's index, in one process. None
        when only git can tell what ``commit-tree`` would write (no parent yet, a date
        or a name git reads its own way, a path to quote)."""
        parts = self._commit_parts(message, author_env)
        return None if parts is None else self._stream(*parts)

    def _commit_parts(
        self, message: str, author_env: dict[str, str]
    ) -> tuple[list[str], bytes] | None:
        """The author and committer lines' values and the message's bytes of the commit
        ``commit-tree`` would write; None when only git can tell (see ``import_stream``)."""
        import time

        env = {**os.environ, **author_env}
        now = int(time.time())  # once: git reads the clock once for both
        idents = [_ident(env, role, now) for role in ("AUTHOR", "COMMITTER")]
        if not self.old or None in idents or not all(map(_plain_path, self.files)):
            return None
        text = message if message.endswith("\n") else message + "\n"
        return [i for i in idents if i is not None], text.encode("utf-8")

    def _stream(self, idents: list[str], body: bytes) -> bytes:
        lines = [
            "feature done",
            f"commit {_SCRATCH}",
            "mark :1",
            f"author {idents[0]}",
            f"committer {idents[1]}",
            f"data {len(body)}",
        ]
        tail = [f"from {self.old}"]
        for f in self.files:
            if f.deleted:
                tail.append(f"D {f.rel}")
            else:
                tail.append(f"M {f.cacheinfo.split(',')[0]} {f.blob} {f.rel}")
        # A branch without a commit is not written: the scratch name never becomes a ref.
        tail += ["", f"reset {_SCRATCH}", "", "get-mark :1", "done", ""]
        head = ("\n".join(lines) + "\n").encode("utf-8")
        return head + body + ("\n".join(tail)).encode("utf-8")

    def _tree(self) -> str:
        """The new tree, through a copy of the old commit's tree in a temporary index."""
        index = self.place.git_dir / TEMP_INDEX
        env = {"GIT_INDEX_FILE": str(index)}
        try:
            if self.old:
                self._git("read-tree", self.old, env=env)
            _update_index(self.files, lambda *a: self._git(*a, env=env))
            # Every object the tree names exists: the old commit's, and the blobs just
            # written. Without the flag, git looks each one up (a stat per loose object).
            tree = self._git("write-tree", "--missing-ok", env=env)
        finally:
            for leftover in (index, index.with_name(f"{TEMP_INDEX}.lock")):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        crash_point("tree")
        return tree

    def _commit_tree(self, tree: str, message: str, author_env: dict[str, str], sign: bool) -> str:
        args = ["commit-tree", tree, "-m", message]
        if self.old:
            args += ["-p", self.old]
        if sign:
            args.append("-S")
        return self._git(*args, env=author_env, what="commit")

    # -- the one atomic step ---------------------------------------------------------
    def publish(self, checkpoint: Callable[[], None], reflog: str) -> None:
        """Journal, temporary files, then the branch moves. Any failure before the move
        leaves nothing behind; ``checkpoint`` may refuse at the last moment."""
        mover: _RefMove | None = None
        try:
            mover = _RefMove(self.place.top, self.ref, self.new, self.old, reflog, self.lock_fd)
            _write_journal(self.place, self._journal())
            crash_point("journal")
            self._indexing = start_index(self.place, self.files, self.lock_fd)
            for f in self.files:
                if not f.deleted:
                    _write_temp(f)
            crash_point("temps")
            checkpoint()
            moving, mover = mover, None  # from here on, ``move`` waits for it
            try:
                moving.move()
            except GitError as exc:
                if ref_value(self.place.top, self.ref) != self.new:
                    raise exc from None
        except BaseException:
            # Given nothing, git's processes end leaving the branch and the index alone.
            for running in (mover.running if mover else None, self._indexing):
                if running is not None:
                    with contextlib.suppress(GitError):
                        running.wait()
            self._indexing = None
            discard(self.place, self.files)
            raise
        crash_point("ref")

    def _journal(self) -> dict[str, object]:
        return {
            "ref": self.ref,
            "old": self.old or "",
            "new": self.new,
            "pid": os.getpid(),
            "files": [[f.rel, f.temp.name, f.blob, f.mode] for f in self.files],
        }

    # -- after the commit: bring the working tree and the index up to date ----------
    def finish(self, meanwhile: Callable[[], None] = lambda: None) -> str | None:
        """Renames (which need no space) and the index; a warning when git's index could
        not be updated: the journal stays, and the next command finishes the change.
        Git updates its index while the files are renamed (the entries it sets are the
        journal's blob ids, not read from the files): two steps of one change, which
        the next command finishes whole whichever a crash interrupts. ``meanwhile``
        runs then too, once the files are in place."""

        def renames() -> None:
            for number, f in enumerate(self.files, 1):
                put_in_place(f)
                crash_point(f"rename-{number}")
            for folder in {f.path.parent for f in self.files}:
                store.fsync_dir(folder)
            meanwhile()

        try:
            set_index(self.place, self.files, self.lock_fd, renames, started=self._indexing)
        except GitError as exc:
            return (
                f"warning: committed {self.new[:7]}, but git's index is not up to date yet "
                f"({exc}); the next reseau command will finish it"
            )
        crash_point("index")
        (self.place.git_dir / JOURNAL).unlink()
        return None


class _RefMove:
    """``git update-ref -m REFLOG REF NEW OLD`` (OLD empty: REF must not exist yet), by a
    process started beforehand, while the journal and the temporary files are written:
    ``git update-ref --stdin`` waits for its input, and ``move`` gives it that very
    update as one transaction (``start``, ``update`` or ``create``, ``prepare``,
    ``commit``), which the same code of git makes: the same ref, the same reflog, the
    same refusals. A refusal is said as ``update-ref`` given the update as arguments says
    it (``update_ref failed for ref 'REF': `` before the transaction's complaint, where
    the input's verb says ``prepare: `` or ``commit: ``). Given nothing, the process ends
    having done nothing. A git without transactions on its input (before 2.27) makes the
    update the other way."""

    def __init__(
        self, top: Path, ref: str, new: str, old: str | None, reflog: str, lock_fd: int | None
    ) -> None:
        self.top, self.ref, self.new, self.old = top, ref, new, old
        self.args = ("update-ref", "-m", reflog, ref, new, old or "")
        self.running = start(
            top, "update-ref", "-m", reflog, "--stdin", keep_fd=lock_fd, fed=True, what="commit"
        )

    def move(self) -> None:
        """The update made; GitError (DiskFull) as ``update-ref`` given it as arguments."""
        update = (
            f"update {self.ref} {self.new} {self.old}"
            if self.old
            else f"create {self.ref} {self.new}"
        )
        self.running.give(f"start\n{update}\nprepare\ncommit\n".encode())
        code, out, err = self.running.ended()
        if code and err.startswith(b"fatal: unknown command: start"):
            run(self.top, *self.args, keep_fd=self.running.keep_fd, what="commit")
            return
        if code and out.startswith(b"start: ok\n") and err.startswith(b"fatal: "):
            complaint = err[len(b"fatal: ") :]
            verb = b"commit: " if b"\nprepare: ok\n" in out else b"prepare: "
            complaint = complaint.removeprefix(verb)
            err = f"fatal: update_ref failed for ref '{self.ref}': ".encode() + complaint
        answer(self.top, self.args, "commit", code, b"", err)


# The branch name fast-import builds its commit on (never written: see ``import_stream``).
_SCRATCH = "refs/reseau/fast-import"
# What git strips from the ends of a name or an e-mail address (ident.c's ``crud``), and
# never keeps inside one.
_CRUD = frozenset(",:;<>\"\\'.")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")


def _ident(env: dict[str, str], role: str, now: int) -> str | None:
    """``NAME <EMAIL> SECONDS ZONE`` as ``git commit-tree`` writes it for ROLE
    (AUTHOR or COMMITTER) from the environment it would run with; None when git might
    read it otherwise (a name with characters git strips, a date in another form)."""
    name, email = env.get(f"GIT_{role}_NAME", ""), env.get(f"GIT_{role}_EMAIL", "")
    for part in (name, email):
        if not part or part[0] in _CRUD or part[-1] in _CRUD or "<" in part or ">" in part:
            return None
        if min(part[0], part[-1]) <= " " or any(c < " " for c in part):
            return None
    when = _when(env.get(f"GIT_{role}_DATE"), now)
    return None if when is None else f"{name} <{email}> {when}"


def _when(date: str | None, now: int) -> str | None:
    """``SECONDS ZONE`` of a commit made at ``now``, or at ``date`` when it is the ISO 8601
    form with offset reseau writes (``commit_dates``); None for any other form."""
    import datetime as dt

    if date is None:
        import time

        seconds = now
        offset = time.localtime(now).tm_gmtoff // 60
    else:
        if not _ISO_DATE.fullmatch(date):
            return None
        try:
            moment = dt.datetime.fromisoformat(date)
        except ValueError:
            return None
        delta = moment.utcoffset()
        if delta is None:
            return None
        seconds = int(moment.timestamp())
        offset = int(delta.total_seconds()) // 60
    sign = "-" if offset < 0 else "+"
    return f"{seconds} {sign}{abs(offset) // 60:02d}{abs(offset) % 60:02d}"


def _plain_path(f: File) -> bool:
    """A path fast-import reads as written (no quoting needed)."""
    return not any(c in f.rel for c in '"\\\n') and not f.rel.startswith(" ")


def put_in_place(f: File) -> None:
    """The file as the commit has it: renamed from its temporary copy, or removed."""
    if f.deleted:
        with contextlib.suppress(FileNotFoundError):
            f.path.unlink()
    elif f.temp.exists():
        os.replace(f.temp, f.path)


def _update_index(files: list[File], git: Callable[..., str]) -> None:
    for step in _index_steps(files):
        git(*step)


def _index_steps(files: list[File]) -> list[tuple[str, ...]]:
    """The ``git update-index`` calls that set the index entries of ``files``."""
    info = [arg for f in files if not f.deleted for arg in ("--cacheinfo", f.cacheinfo)]
    steps: list[tuple[str, ...]] = [("update-index", "--add", *info)] if info else []
    removed = [f.rel for f in files if f.deleted]
    if removed:
        steps.append(("update-index", "--force-remove", "--", *removed))
    return steps


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return 0o644


def _write_journal(place: Place, data: dict[str, object]) -> None:
    _write_synced(place.git_dir / f"{JOURNAL}.tmp", json.dumps(data).encode("utf-8"), 0o600)
    os.replace(place.git_dir / f"{JOURNAL}.tmp", place.git_dir / JOURNAL)


def _write_temp(f: File) -> None:
    f.path.parent.mkdir(parents=True, exist_ok=True)
    _write_synced(f.temp, f.data, f.mode)


def _write_synced(path: Path, data: bytes, mode: int) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        try:
            _write_all(fd, data)
            os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        import errno

        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise DiskFull(where=path.parent) from None
        raise WriteFailed(path=path, reason=exc.strerror or str(exc)) from None


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def start_index(place: Place, files: list[File], lock_fd: int | None) -> Running | None:
    """Git's process that sets the index entries of ``files`` (``set_index``), started
    before the branch moves, once the journal exists: it takes git's index lock and reads
    the index meanwhile, then waits for the entries; its input ending without any, it
    leaves the index as it was. None when ``set_index`` starts git itself afterwards (a
    file removed; git's index lock taken: ``set_index`` waits for it)."""
    if any(f.deleted for f in files) or (place.git_dir / "index.lock").exists():
        return None
    return start(
        place.top, "update-index", "--add", "-z", "--index-info", keep_fd=lock_fd, fed=True
    )


def set_index(
    place: Place,
    files: list[File],
    lock_fd: int | None,
    meanwhile: Callable[[], None] = lambda: None,
    started: Running | None = None,
) -> None:
    """Git's index entries of ``files`` set; ``meanwhile`` runs while git's (first)
    process does it: an exception of its own wins over git's failure. ``started``: the
    process ``start_index`` started, given the entries (``--cacheinfo``'s, one line each);
    when it fails, git is asked again as without it."""
    if started is not None:
        started.give(b"".join(_index_line(f) for f in files))
        try:
            meanwhile()
        except BaseException:
            with contextlib.suppress(GitError):
                started.wait()
            raise
        try:
            started.wait()
            return
        except GitError:
            meanwhile = _nothing  # done already
    try:
        _locks.refuse_if_locked(place.git_dir / "index.lock", place.top, wait=3.0)
    except BaseException:
        meanwhile()
        raise
    steps = _index_steps(files)
    if not steps:
        meanwhile()
        return
    running = start(place.top, *steps[0], keep_fd=lock_fd)
    try:
        meanwhile()
    except BaseException:
        with contextlib.suppress(GitError):
            running.wait()
        raise
    running.wait()
    for step in steps[1:]:
        run(place.top, *step, keep_fd=lock_fd)


def _index_line(f: File) -> bytes:
    """The entry of a file kept (not removed) as ``git update-index -z --index-info``
    reads it: the ``--cacheinfo`` triple's mode, blob and path (bytes as in an argument)."""
    git_mode, blob, rel = f.cacheinfo.split(",", 2)
    return f"{git_mode} {blob}\t".encode("ascii") + os.fsencode(rel) + b"\0"


def _nothing() -> None:
    pass


def discard(place: Place, files: list[File]) -> None:
    for f in files:
        with contextlib.suppress(OSError):
            f.temp.unlink()
    for name in (JOURNAL, f"{JOURNAL}.tmp", TEMP_INDEX):
        with contextlib.suppress(OSError):
            (place.git_dir / name).unlink()
