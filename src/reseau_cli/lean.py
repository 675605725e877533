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
  library), and of git's config (where the merge driver is registered); and the stat
  of each folder walked, taken before it is listed (a name added, removed or renamed in
  a folder changes its mtime and ctime: POSIX).

`person show ID` (with or without ``--json``) reads one person file: its key holds the
stat of that file instead of the whole persons folder (the directory, settings, team,
schemes, instruments, locale and templates as above); its answer is kept by
``cli.kept.lean_only``.

The answer is kept in ``.git/reseau-kept/`` (one file per command line and working
folder) by ``keep``, called by ``cli.kept`` once the normal path printed an answer it
keeps, and only if the key taken when the process started is the key taken again then.
It is served only for the same head and the same stats: each one kept is taken again
as it was (each by its name in its folder, open: the system looks up one name, not the
whole path), a folder by its own stat, so that its names are known without listing it
(at 5,000 persons, listing them and marshalling a new key cost more than comparing),
then copied to stdout by ``sendfile`` before ``SystemExit`` (the console script then
ends the process without Python's finalization: ``cli.console``). A kept answer in
another format (another version's) or cut short is made again in its place.
A file or folder changed too recently for its stat to tell a later change apart (two
seconds: git's racy rule) counts by its stat, and a hash of its content (of a folder,
its names), taken before the answer was made, is kept beside it and checked before the
answer is served; once the answer is older than that, the first run that finds them
the same keeps it again without them (``_settle``).

At a terminal, its size is part of the head (the whole environment already is: colours,
``TERM``, ``COLUMNS``), and its answers are kept apart from those for pipes and files.

Anything unusual declines, and the normal path runs as always: stdout closed or not
file descriptor 1, a terminal whose size cannot be had, another command, help,
completion, an option before the command other than
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

FORMAT = b"reseau-kept 4\n"
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
        if plan.named is not None:
            kind, ident = plan.named
            if not os.path.lexists(os.path.join(plan.root, NAMED[kind], ident + ".yaml")):
                forget_unlisted(plan.git_dir, kind, (), ident)  # gone: nothing it held stays
                return
        found = _lookup(plan)
        if found is None:
            stats = _stats(plan)
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
                stream.write(stats)
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
    if sys.stdout is None or sys.stdout.fileno() != 1:
        return None
    screen = terminal_sizes()  # an answer drawn for a terminal is kept for its size
    if screen is False:
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
            environment(),
            str(sys.stdout.encoding),
            str(sys.stdout.errors),
            time.strftime("%Y-%m-%d"),
            screen,
        )
    )
    # its file's name, from the command line and the folder (binascii or zlib would load
    # a library for it): two that share a name take turns in its file, told apart by head
    name = (
        f"{int.from_bytes(_dumps((sys.orig_argv, cwd, screen is None)), 'little') % 0xFFFFFFFB:08x}"
    )
    if named is not None:  # named by its file's id: forgotten when the file is gone
        name = f"{named[0]}.{named[1]}.{name}"
    plan = Plan(root, git_dir, name, head, person)
    plan.named = named
    return plan


def environment() -> list[tuple[str, str]]:
    """The environment an answer may depend on: all of it, but what the shell sets for
    itself (``_IGNORED``), sorted."""
    return sorted((k, v) for k, v in os.environ.items() if k not in _IGNORED)


def terminal_sizes() -> tuple[tuple[int, int] | None, ...] | None | Literal[False]:
    """When stdout is a terminal, the size of each standard stream that is one (rich
    takes the first of stdin, stdout, stderr it can); None for a pipe or a file; False
    when stdout's size cannot be had."""
    if not os.isatty(1):
        return None
    sizes: list[tuple[int, int] | None] = []
    for fd in (0, 1, 2):
        try:
            size = os.get_terminal_size(fd)
        except OSError:
            sizes.append(None)
        else:
            sizes.append((size.columns, size.lines))
    return False if sizes[1] is None else tuple(sizes)


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


def _stats(plan: Plan) -> bytes:
    """The key of every file the answer may depend on (see the module), marshalled: the
    repository's folder, reseau's own, and single paths, each by its stat (``_folder``,
    ``_one``); the files and folders changed too recently for their stat to be trusted
    go to ``plan.recent``. ``_unchanged`` tells whether it holds again."""
    now = __import__("time").time_ns() - RACY_NS
    recent = plan.recent
    # `person show`: of the persons folder, only the one file it reads (a path below)
    trees = TREES if plan.person is None else TREES - {"persons"}
    key: list[Any] = [("folder", plan.root, _folder(None, plan.root, recent, now, trees))]
    shipped = os.path.dirname(os.path.dirname(PACKAGE))  # a source checkout's top
    for folder in (PACKAGE, *(os.path.join(shipped, name) for name in SHIPPED)):
        if folder == PACKAGE or os.path.isdir(folder):
            key.append(("folder", folder, _folder(None, folder, recent, now)))
        else:
            key.append(("folder", folder, None))
    paths = [(os.path.join(plan.git_dir, "config"), False)]
    if plan.person is not None:
        paths.append((f"{plan.root}/persons/{plan.person}.yaml", False))
    # a folder of modules by its own stat (an install changes it)
    paths += [(path or ".", True) for path in sys.path]
    for path, follow in paths:
        stat = _one(path, follow)
        if stat is not None and (stat[2] >= now or stat[3] >= now):
            recent.append(path)
        key.append(("path", path, follow, stat))
    return _dumps(key)


# reseau's shipped files, beside its code in a source checkout (in its package once built)
SHIPPED = ("schemas", "templates", "examples/schemes")
# A folder opened to list it and take the stat of each entry by its name (the system
# looks up one name, not the whole path); one of its entries, found a folder by its own
# stat, is opened without following a link put in its place meanwhile.
_FOLDER = os.O_RDONLY | os.O_DIRECTORY
_ENTRY = _FOLDER | getattr(os, "O_NOFOLLOW", 0)


def _folder(
    parent: int | None, path: str, recent: list[str], now: int, trees: frozenset[str] = frozenset()
) -> tuple[Any, ...]:
    """The folder ``path`` (its name in the folder open as ``parent``, else a path, which
    may lead through a link, as Python's imports follow it): its own stat, each file in
    it by its name and stat (a link by its own), and each folder in it walked likewise
    but ``__pycache__``; for the repository's folder (``trees`` given), the folders
    named in ``trees`` walked, the others by their name only, ``.git`` left out.

    Its stat is taken before it is listed: a name added, removed or renamed in it
    later changes its mtime and ctime (POSIX), which is how ``_unchanged`` knows its
    names without listing it."""
    name = path if parent is None else os.path.basename(path)
    fd = os.open(name, _FOLDER if parent is None else _ENTRY, dir_fd=parent)
    try:
        st = os.fstat(fd)
        files: list[tuple[Any, ...]] = []
        names: list[str] = []  # the repository's folders not walked
        folders: list[tuple[Any, ...]] = []
        lstat, append = os.lstat, files.append
        for entry in os.listdir(fd):
            entry_st = lstat(entry, dir_fd=fd)
            if entry_st.st_mode & 0o170000 == 0o040000:
                if not trees:
                    if entry != "__pycache__":
                        folders.append(_folder(fd, f"{path}/{entry}", recent, now))
                elif entry in trees:
                    folders.append(_folder(fd, f"{path}/{entry}", recent, now))
                elif entry != ".git":
                    names.append(entry)
                continue
            mtime, ctime = entry_st.st_mtime_ns, entry_st.st_ctime_ns
            append((entry, entry_st.st_mode, entry_st.st_size, mtime, ctime, entry_st.st_ino))
            if mtime >= now or ctime >= now:
                recent.append(f"{path}/{entry}")
    finally:
        os.close(fd)
    mtime, ctime = st.st_mtime_ns, st.st_ctime_ns
    if mtime >= now or ctime >= now:
        recent.append(path)  # its names too recent for its stat: by their hash (``digest``)
    return (name, st.st_mode, st.st_size, mtime, ctime, st.st_ino, files, names, folders)


def _one(path: str, follow: bool) -> tuple[int, ...] | None:
    """One path by its own stat (a link's, not its target's, unless ``follow``): mode,
    size, mtime, ctime, inode; None when it is missing or cannot be read."""
    try:
        st = os.stat(path, follow_symlinks=follow)
    except OSError:
        return None
    return (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _dumps(value: Any) -> bytes:
    """``value`` marshalled in the same bytes whenever it is equal: format 0, without the
    references and interned strings of later formats (they depend on who else holds an
    object, or whether a string was interned)."""
    return marshal.dumps(value, 0)


def _unchanged(key: list[Any]) -> bool:
    """Whether each stat of ``key`` (``_stats``) is the same again, taken as it was then:
    a folder by its own stat (the same names in it, see ``_folder``), then each file in
    it by its name, so that no folder is listed. Raises OSError when one is gone."""
    for item in key:
        if item[0] == "path":
            _, path, follow, kept = item
            if _one(path, follow) != kept:
                return False
        elif item[2] is None:
            if os.path.isdir(item[1]):
                return False
        elif not _same_folder(None, item[2]):
            return False
    return True


def _same_folder(parent: int | None, record: tuple[Any, ...]) -> bool:
    """Whether the folder of ``record`` (``_folder``) holds the same, by its stat."""
    name, mode, size, mtime, ctime, ino, files, names, folders = record
    fd = os.open(name, _FOLDER if parent is None else _ENTRY, dir_fd=parent)
    try:
        st = os.fstat(fd)
        if (st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) != (
            mode,
            size,
            mtime,
            ctime,
            ino,
        ):
            return False
        lstat = os.lstat
        for name, mode, size, mtime, ctime, ino in files:
            st = lstat(name, dir_fd=fd)
            if (
                st.st_mtime_ns != mtime
                or st.st_ctime_ns != ctime
                or st.st_size != size
                or st.st_ino != ino
                or st.st_mode != mode
            ):
                return False
        for name in names:
            if lstat(name, dir_fd=fd).st_mode & 0o170000 != 0o040000:
                return False
        return all(_same_folder(fd, folder) for folder in folders)
    finally:
        os.close(fd)


def _lookup(plan: Plan) -> tuple[int, int, int] | None:
    """(file descriptor, offset, length) of the answer kept for this run, or None (none
    kept, kept for another head or stats, or in another format or cut short: the normal
    path makes it and keeps it in its place). The file: the format, the header's length,
    the header (head, hashes of the files too recent, the key's length, the answer's),
    the key (``_stats``), the answer."""
    try:
        fd = os.open(plan.path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        found = _kept(fd, plan)
    except BaseException:
        os.close(fd)
        raise
    if found is None:
        os.close(fd)
    return found


def _kept(fd: int, plan: Plan) -> tuple[int, int, int] | None:
    """``_lookup`` in the kept file open as ``fd``."""
    try:
        start = _read(fd, len(FORMAT) + 8)
        if start[: len(FORMAT)] != FORMAT:
            return None  # kept by another version of reseau
        size = int.from_bytes(start[len(FORMAT) :], "little")
        head, checks, kept, length = marshal.loads(_read(fd, size))
        if head != plan.head:
            return None
        stats = _read(fd, kept)
        offset = len(FORMAT) + 8 + size + kept
        st = os.fstat(fd)
        if (
            st.st_size == offset + length
            and _unchanged(marshal.loads(stats))
            and all(value is not None and digest(path) == value for path, value in checks.items())
        ):
            if checks and st.st_mtime_ns < __import__("time").time_ns() - RACY_NS:
                _settle(plan.path, fd, head, stats, offset, length)
            return fd, offset, length
    except Exception:  # cut short or spoiled, a file gone: made again in its place
        pass
    return None


def _settle(path: str, fd: int, head: bytes, stats: bytes, offset: int, length: int) -> None:
    """Keep the answer of ``fd`` again without its hashes, once the files and folders
    they check, changed too recently for their stat when it was kept, are the same
    again by their hash and the answer is older than the racy window: a change from now
    on gets a later time than their stat, which was taken before it was kept. (A hash
    checked on every run is a folder listed or a file read: what the stats spare.)"""
    header = marshal.dumps((head, {}, len(stats), length))
    partial = f"{path}.{os.getpid()}.tmp"
    try:
        out = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return
    try:
        with open(out, "wb", closefd=True) as stream:
            stream.write(FORMAT + len(header).to_bytes(8, "little") + header)
            stream.write(stats)
            end = offset + length
            while offset < end:
                piece = os.pread(fd, min(end - offset, 1 << 20), offset)
                if not piece:
                    raise EOFError(offset)
                stream.write(piece)
                offset += len(piece)
        os.replace(partial, path)
    except BaseException as exc:
        _unlink(partial)
        if not isinstance(exc, Exception):
            raise  # else served all the same, its hashes checked on the next run again


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
