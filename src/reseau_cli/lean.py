"""The lean first step of `reseau`: print a kept answer before importing the rest of reseau.

Why: `status`, `person list`, `check` and `intervenant show` keep their whole answer
(``cli.kept``), but finding it the normal way costs a process most of reseau's imports
(i18n, gettext, re, pathlib, datetime, json, sqlite3) for a few milliseconds of work.
This module, run first by the console entry point and importing only builtin modules,
makes a key of everything the answer can depend on, from the raw inputs:

- the head: the whole command line (``sys.orig_argv``: interpreter options, program
  name, arguments), the working folder, the whole environment (``OLDPWD`` and ``_`` aside), the
  repository found as ``repo.find`` finds it, the local day, Python's version and
  flags, and the encoding and errors of stdout;
- the stats (type, size, mtime, ctime, inode) of every file of the repository that a
  reading command may read (its top-level files, and everything under the data, team,
  schemes, instruments, locale and templates folders), of reseau's own code, catalogs,
  schemas and shipped files, of the folders on ``sys.path`` (an installed or upgraded
  library), and of git's config (where the merge driver is registered).

`person show ID` (with or without ``--json``) reads one person file: its key holds the
stat of that file instead of the whole persons folder (the directory, settings, team,
schemes, instruments, locale and templates as above); its answer is kept by
``cli.kept.lean_only``.

The answer is kept in ``.git/reseau-kept/`` (one file per command line and working
folder) by ``keep``, called by ``cli.kept`` once the normal path printed an answer it
keeps, and only if the key taken when the process started is the key taken again then.
It is served only for the same head and the same stats, byte for byte (each stat taken
by its name in its folder, open: the system looks up one name, not the whole path),
copied to stdout by ``sendfile`` before ``SystemExit`` (the console script then ends
the process without Python's finalization: ``cli.console``). A kept answer in another
format (another version's) or cut short is made again in its place.
A file changed too recently for its stat to tell a later change apart (two seconds:
git's racy rule) counts by its stat, and a hash of its content, taken before the answer
was made, is kept beside it and checked before the answer is served.

Anything unusual declines, and the normal path runs as always: stdout a terminal or
closed, another command, help, completion, an option before the command other than
``--repo``, a path starting with ``~``, no repository, a git folder that is not a
folder, a journal or mark of an interrupted change, a team file (a team that may
encrypt), an unreadable file or entry. The kept answers are deleted with the derived
index's (``index._remove``) and whenever a data file is gone (``index._store``); a
`person show` or `intervenant show` answer is named by its id, and deleted once a
listing no longer finds that file (``index._forget_unlisted``), or when the command
finds it gone: they hold nothing a deleted file held once a command listed its folder.
"""

from __future__ import annotations

import marshal
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

FORMAT = b"reseau-kept 3\n"
FOLDER = "reseau-kept"
RACY_NS = 2_000_000_000  # as index.RACY_NS
MOST_RECENT = 64  # past this many files too recent, none is hashed (as index.MOST_RECENT)
SETTINGS = "reseau.yaml"
TEAM_FILE = "team/recipients.yaml"
# The repository's folders whose files a reading command may read (walked whole).
TREES = frozenset(
    {"persons", "intervenants", "schemes", "instruments", "locale", "templates", "team"}
)
# Marks of a change a crash interrupted (vcs/_pending.py): the normal path repairs it.
MARKS = (
    "reseau-journal.json",
    "reseau-journal.json.tmp",
    "reseau-index.tmp",
    "reseau-index.tmp.lock",
    "reseau-sync-merge",
)
# Encodings whose text encodes the same whole as written piece by piece.
ENCODINGS = frozenset({"utf-8", "utf8", "ascii", "us-ascii", "latin-1", "iso8859-1", "iso-8859-1"})
PACKAGE = os.path.dirname(os.path.abspath(__file__))
_ID_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789-"
# The kept answers of `person show ID` and `intervenant show ID` are named
# "person.ID.<crc>" and "intervenant.ID.<crc>" (``forget_unlisted``).
NAMED = {"person": "persons", "intervenant": "intervenants"}
# Set by the shell (the folder left at the last `cd`; the program it started, or the
# wrapper: time, strace): nothing reseau, git or Python reads them.
_IGNORED = frozenset({"OLDPWD", "_"})


class Plan:
    """What the lean step found: the key of this run, and where its answer is kept."""

    __slots__ = (
        "digests",
        "encoding",
        "errors",
        "git_dir",
        "head",
        "named",
        "path",
        "person",
        "recent",
        "root",
    )

    def __init__(
        self, root: str, git_dir: str, name: str, head: bytes, person: str | None = None
    ) -> None:
        self.root = root
        # `person show`: the one person file it reads (the others are left out of the key)
        self.person = person
        self.git_dir = git_dir
        self.path = os.path.join(git_dir, FOLDER, name)
        self.head = head
        self.encoding = str(sys.stdout.encoding)
        self.errors = str(sys.stdout.errors)
        self.recent: list[str] = []
        # (kind, id) of `person show ID`, `intervenant show ID` (``forget_unlisted``)
        self.named: tuple[str, str] | None = None
        self.digests: dict[str, str | None] = {}


# Set on a miss: what ``keep`` needs (the key as taken when the process started).
PENDING: tuple[Plan, bytes] | None = None


class Watched:
    """A stream that notes whether anything was written to it (and writes it)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.written = False

    def write(self, text: str) -> int:
        self.written = True
        return int(self._stream.write(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


_stderr: Watched | None = None


def serve(args: list[str]) -> None:
    """Print the answer kept for this run and exit 0; else return (the normal path runs),
    with ``PENDING`` set when the answer it makes may be kept here."""
    import gc

    collecting = gc.isenabled()
    gc.disable()  # thousands of tuples made and kept until it ends, none of them garbage
    try:
        _serve(args)
    finally:
        if collecting:
            gc.enable()


def _serve(args: list[str]) -> None:
    global PENDING, _stderr
    try:
        plan = _plan(args)
        if plan is None:
            return
        stats = _stats(plan)
        if stats is None:
            return
        if plan.named is not None:
            kind, ident = plan.named
            if not os.path.lexists(os.path.join(plan.root, NAMED[kind], ident + ".yaml")):
                forget_unlisted(plan.git_dir, kind, (), ident)  # gone: nothing it held stays
                return
        found = _lookup(plan, stats)
    except (OSError, ValueError, TypeError, EOFError, UnicodeError):
        return
    if found is None:
        if len(plan.recent) > MOST_RECENT:
            return  # a fresh clone, a large pull: nothing kept here until they settle
        plan.digests = {path: digest(path) for path in plan.recent}  # before it is made
        PENDING = (plan, stats)
        _stderr = Watched(sys.stderr)
        sys.stderr = _stderr
        return
    _write(*found)


def keep(root: object, text: str) -> None:
    """Keep ``text``, the whole answer this process printed, for the key taken when it
    started, if nothing it holds changed since (and the process wrote nothing to stderr)."""
    global PENDING
    if PENDING is None:
        return
    plan, stats = PENDING
    PENDING = None
    if str(root) != plan.root or (_stderr is not None and _stderr.written):
        return
    if plan.encoding.lower() not in ENCODINGS:
        return
    try:
        body = text.encode(plan.encoding, plan.errors)
        again = Plan(plan.root, plan.git_dir, "", plan.head, plan.person)
        if _stats(again) != stats or set(again.recent) - set(plan.digests):
            return
        if any(digest(path) != value or value is None for path, value in plan.digests.items()):
            return
        header = marshal.dumps((plan.head, plan.digests, len(stats), len(body)))
        folder = os.path.dirname(plan.path)
        if not os.path.isdir(folder):
            os.mkdir(folder, 0o700)
        partial = f"{plan.path}.{os.getpid()}.tmp"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with open(fd, "wb", closefd=True) as stream:
                stream.write(FORMAT + len(header).to_bytes(8, "little") + header)
                stream.write(stats)  # compared piece by piece (``_same``)
                stream.write(body)
            os.replace(partial, plan.path)
        except BaseException:
            _unlink(partial)
            raise
    except (OSError, ValueError, UnicodeError):
        return


def forget(git_dir: object) -> None:
    """Delete every kept answer of the repository whose git folder is ``git_dir``."""
    folder = os.path.join(os.fspath(git_dir), FOLDER)  # type: ignore[call-overload]
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        _unlink(os.path.join(folder, name))


def forget_unlisted(git_dir: object, kind: str, listed: Any, gone: str | None = None) -> None:
    """Delete the kept `person show` or `intervenant show` answers (``kind``) of the ids
    not in ``listed``, or of ``gone`` only (their file is gone: nothing it held stays)."""
    folder = os.path.join(os.fspath(git_dir), FOLDER)  # type: ignore[call-overload]
    try:
        names = os.listdir(folder)
    except OSError:
        return
    prefix = kind + "."
    for name in names:
        if not name.startswith(prefix):
            continue
        ident = name[len(prefix) :].split(".", 1)[0]
        if ident == gone if gone is not None else ident not in listed:
            _unlink(os.path.join(folder, name))


def digest(path: str, st: os.stat_result | None = None) -> str | None:
    """A hash of what ``path`` holds (a folder: its names; a link: its target), by its
    stat ``st`` when given; None when it is missing or cannot be read. The derived
    index's keys take it too (``index.content_digest``)."""
    try:
        if st is None:
            st = os.lstat(path)
        mode = st.st_mode & 0o170000
        if mode == 0o040000:
            content = "\0".join(sorted(os.listdir(path))).encode("utf-8", "surrogateescape")
        elif mode == 0o120000:
            content = os.fsencode(os.readlink(path))
        else:
            with open(path, "rb") as stream:
                content = stream.read()
    except (OSError, ValueError):
        return None
    return str(_sha256()(content).hexdigest())


def _sha256() -> Any:
    """SHA-256 from Python's own module (``hashlib`` loads OpenSSL: milliseconds)."""
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]
    except ImportError:
        try:
            from _sha2 import sha256  # type: ignore[import-not-found]  # Python 3.12+
        except ImportError:
            from hashlib import sha256
    return sha256


def _unlink(path: str) -> None:
    try:  # noqa: SIM105 - contextlib costs this module's callers its imports
        os.unlink(path)
    except OSError:
        pass


def _plan(args: list[str]) -> Plan | None:
    """This run's head and the place of its answer, or None when it is not one to serve."""
    position, explicit = 0, None
    while position < len(args) and args[position].startswith("--repo"):
        arg = args[position]
        if arg == "--repo" and position + 1 < len(args):
            explicit, position = args[position + 1], position + 2
        elif arg.startswith("--repo="):
            explicit, position = arg[len("--repo=") :], position + 1
        else:
            return None
    command = args[position : position + 2]
    found = _named(command, args[position + 2 :])
    if found is False:
        return None
    named = found
    person = named[1] if named and named[0] == "person" else None
    if "-h" in args or "--help" in args or "--strict" in args:
        return None
    if sys.stdout is None or os.isatty(1) or sys.stdout.fileno() != 1:
        return None
    environ = os.environ
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in environ):
        return None
    cwd = os.getcwd()
    root = _root(explicit, cwd)
    if root is None:
        return None
    git_dir = os.path.join(root, ".git")
    if os.lstat(git_dir).st_mode & 0o170000 != 0o040000:
        return None
    if any(os.path.lexists(os.path.join(git_dir, mark)) for mark in MARKS):
        return None
    if os.path.lexists(os.path.join(root, TEAM_FILE)):
        return None
    import time

    head = _dumps(
        (
            FORMAT,
            sys.version,
            sys.executable,
            tuple(sys.flags),
            sys.orig_argv,
            cwd,
            root,
            sorted((k, v) for k, v in environ.items() if k not in _IGNORED),
            str(sys.stdout.encoding),
            str(sys.stdout.errors),
            time.strftime("%Y-%m-%d"),
        )
    )
    # its file's name, from the command line and the folder (binascii or zlib would load
    # a library for it): two that share a name take turns in its file, told apart by head
    name = f"{int.from_bytes(_dumps((sys.orig_argv, cwd)), 'little') % 0xFFFFFFFB:08x}"
    if named is not None:  # named by its file's id: forgotten when the file is gone
        name = f"{named[0]}.{named[1]}.{name}"
    plan = Plan(root, git_dir, name, head, person)
    plan.named = named
    return plan


def _named(command: list[str], rest: list[str]) -> tuple[str, str] | None | Literal[False]:
    """(kind, id) of `person show ID` and `intervenant show ID`; None for another
    command served; False for one not served."""
    if command in (["person", "show"], ["intervenant", "show"]):
        ident = _person(rest)
        return False if ident is None else (command[0], ident)
    return (
        None if command[:1] in (["status"], ["check"]) or command == ["person", "list"] else False
    )


def _person(args: list[str]) -> str | None:
    """The person `person show ARGS` reads (one id, `--json` or not), else None (the
    intervenant of `intervenant show ARGS` likewise)."""
    rest = [arg for arg in args if arg != "--json"]
    if len(rest) != 1 or len(args) - len(rest) > 1:
        return None
    ident = rest[0]  # as ids.ID_RULE: [a-z0-9][a-z0-9-]{0,39}
    if not 0 < len(ident) <= 40 or ident[0] == "-" or ident.strip(_ID_CHARACTERS):
        return None
    return ident


def _root(explicit: str | None, cwd: str) -> str | None:
    """The repository as ``repo.find`` finds it: ``--repo``, else RESEAU_REPO, else the
    nearest folder upward holding a reseau.yaml file."""
    if explicit is None and os.environ.get("RESEAU_REPO"):
        explicit = os.environ["RESEAU_REPO"]
    if explicit is not None:
        if explicit.startswith("~"):
            return None
        root = os.path.realpath(explicit)
        return root if os.path.isfile(os.path.join(root, SETTINGS)) else None
    folder = os.path.realpath(cwd)
    while True:
        if os.path.isfile(os.path.join(folder, SETTINGS)):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _stats(plan: Plan) -> bytes | None:
    """The stats of every file the answer may depend on (see the module), marshalled;
    the files changed too recently for their stat to be trusted go to ``plan.recent``.
    Folders are listed in the order the system gives (an unchanged folder lists the
    same way; another order only makes another key)."""
    now = __import__("time").time_ns() - RACY_NS
    found: list[Any] = []
    recent = plan.recent
    _top(plan, found, recent, now)
    _walk(None, PACKAGE, PACKAGE, found, recent, now)
    shipped = os.path.dirname(os.path.dirname(PACKAGE))  # a source checkout's top
    for name in ("schemas", "templates", "examples/schemes"):
        folder = os.path.join(shipped, name)
        if os.path.isdir(folder):
            _walk(None, folder, folder, found, recent, now)
    _one(os.path.join(plan.git_dir, "config"), found, recent, now)
    for path in sys.path:  # a folder of modules: its own stat (an install changes it)
        _one(path or ".", found, recent, now, follow=True)
    return _dumps(found)


def _top(plan: Plan, found: list[Any], recent: list[str], now: int) -> None:
    """The repository's top-level files by their stat, its folders by a mark, and the
    entries of those a reading command may read (of the persons folder, for `person
    show`, the one file it reads)."""
    root = plan.root
    fd = os.open(root, _FOLDER)
    try:
        for name in os.listdir(fd):
            st = os.lstat(name, dir_fd=fd)
            if st.st_mode & 0o170000 == 0o040000:
                if name != ".git":
                    found.append(("d", name))
                    if name == "persons" and plan.person is not None:
                        _one(f"{root}/{name}/{plan.person}.yaml", found, recent, now)
                    elif name in TREES:
                        _walk(fd, name, f"{root}/{name}", found, recent, now)
                continue
            mtime, ctime = st.st_mtime_ns, st.st_ctime_ns
            found.append((name, st.st_mode, st.st_size, mtime, ctime, st.st_ino))
            if mtime >= now or ctime >= now:
                recent.append(f"{root}/{name}")
    finally:
        os.close(fd)


# A folder opened to list it and take the stat of each entry by its name (the system
# looks up one name, not the whole path); one of its entries, found a folder by its own
# stat, is opened without following a link put in its place meanwhile.
_FOLDER = os.O_RDONLY | os.O_DIRECTORY
_ENTRY = _FOLDER | getattr(os, "O_NOFOLLOW", 0)


def _one(path: str, found: list[Any], recent: list[str], now: int, *, follow: bool = False) -> None:
    """One path by its own stat (a link's, not its target's, unless ``follow``), or as
    missing."""
    try:
        st = os.stat(path, follow_symlinks=follow)
    except OSError:
        found.append((path, None))
        return
    found.append((path, st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    if st.st_mtime_ns >= now or st.st_ctime_ns >= now:
        recent.append(path)


def _dumps(value: Any) -> bytes:
    """``value`` marshalled in the same bytes whenever it is equal: format 0, without the
    references and interned strings of later formats (they depend on who else holds an
    object, or whether a string was interned)."""
    return marshal.dumps(value, 0)


def _walk(
    parent: int | None, name: str, folder: str, found: list[Any], recent: list[str], now: int
) -> None:
    """Each entry of the folder ``name`` (in the folder open as ``parent``, or a path;
    ``folder``, its path) but ``__pycache__``: a file by its name and stat, a folder by a
    mark, its entries, and a mark of the way back. A path given (reseau's own folders)
    may be reached through a link, as Python's imports reach it."""
    fd = os.open(name, _FOLDER if parent is None else _ENTRY, dir_fd=parent)
    try:
        found.append(("d", name))
        lstat, append = os.lstat, found.append
        for entry in os.listdir(fd):
            st = lstat(entry, dir_fd=fd)
            if st.st_mode & 0o170000 == 0o040000:
                if entry != "__pycache__":
                    _walk(fd, entry, f"{folder}/{entry}", found, recent, now)
                continue
            mtime, ctime = st.st_mtime_ns, st.st_ctime_ns
            append((entry, st.st_mode, st.st_size, mtime, ctime, st.st_ino))
            if mtime >= now or ctime >= now:
                recent.append(f"{folder}/{entry}")
        found.append(("u", name))
    finally:
        os.close(fd)


def _lookup(plan: Plan, stats: bytes) -> tuple[int, int, int] | None:
    """(file descriptor, offset, length) of the answer kept for this key, or None (none
    kept, kept for another key, or in another format or cut short: the normal path makes
    it and keeps it in its place). The file: the format, the header's length, the header
    (head, hashes of the files too recent, the stats' length, the answer's), the stats,
    the answer."""
    try:
        fd = os.open(plan.path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            start = _read(fd, len(FORMAT) + 8)
            if start[: len(FORMAT)] != FORMAT:
                raise ValueError(plan.path)  # kept by another version of reseau
            size = int.from_bytes(start[len(FORMAT) :], "little")
            head, checks, kept, length = marshal.loads(_read(fd, size))
            offset = len(FORMAT) + 8 + size + kept
        except (EOFError, ValueError, TypeError):
            os.close(fd)
            return None
        if (
            head == plan.head
            and kept == len(stats)
            and _same(fd, stats)
            and os.fstat(fd).st_size == offset + length
            and all(value is not None and digest(path) == value for path, value in checks.items())
        ):
            return fd, offset, length
    except BaseException:
        os.close(fd)
        raise
    os.close(fd)
    return None


def _same(fd: int, data: bytes) -> bool:
    """Whether ``fd`` holds ``data`` next, read and compared piece by piece (a buffer of
    the whole, hundreds of kilobytes, would cost its pages)."""
    done = 0
    while done < len(data):
        piece = os.read(fd, min(1 << 16, len(data) - done))
        if not piece or piece != data[done : done + len(piece)]:
            return False
        done += len(piece)
    return True


def _read(fd: int, size: int) -> bytes:
    data = b""
    while len(data) < size:
        more = os.read(fd, size - len(data))
        if not more:
            raise EOFError(size)
        data += more
    return data


def _write(fd: int, offset: int, length: int) -> None:
    """Copy the kept answer to stdout and exit 0; Ctrl-C and SIGTERM wait until then
    (``guard.done``). When the reader went away (`reseau status | head`), silently, as
    the normal path ends: 0 once some of the answer was taken (Python's buffered
    stdout drops the rest of a large write after a partial one), 1 when none was
    (``guard.run``)."""
    import _signal  # type: ignore[import-not-found]

    _signal.pthread_sigmask(_signal.SIG_BLOCK, {_signal.SIGINT, _signal.SIGTERM})
    end, taken = offset + length, False
    try:
        try:
            while offset < end:
                sent = os.sendfile(1, fd, offset, end - offset)
                if sent == 0:
                    raise EOFError(offset)
                offset, taken = offset + sent, True
        except OSError as exc:
            if exc.errno == 32:  # EPIPE
                raise
            os.lseek(fd, offset, os.SEEK_SET)
            while offset < end:
                data = os.read(fd, min(end - offset, 1 << 20))
                if not data:
                    raise EOFError(offset) from None
                view = memoryview(data)
                while view:
                    view = view[os.write(1, view) :]
                    taken = True
                offset += len(data)
    except BrokenPipeError:
        sys.exit(0 if taken else 1)
    finally:
        os.close(fd)
    sys.exit(0)
