"""A write's trees and commit written by reseau itself, as git's loose objects: the very
objects ``git fast-import`` would write for the same change (the same bytes, so the same
ids), without its process (and the ``unpack-objects`` one it starts).

Only where that is plain: the old commit and every tree the change walks through are
loose objects (a packed one, or one this reader does not know, is left to git), each tree
holds canonical modes in git's own order, and no folder ends up empty. Anything else is
``Unproven``, and the caller takes git's way. A blob is written here only when
``plain_blobs`` proves ``git hash-object`` would store the file's bytes as they are (its
attributes files set no filter, line-ending or encoding conversion); otherwise git makes it.

Written by hand because the libraries that write git objects cost a write more than
git's own processes do: importing pygit2 (libgit2) took 100–120 ms and dulwich 23–27 ms
on the benchmark's machine (2026-12-03), against a few milliseconds for the processes
this module spares. What is done here is small (zlib and SHA-1 of a blob, of the trees
on the changed files' path, and of a commit), and ``tests/test_write_path.py`` holds it
to the very ids ``git fast-import`` and ``git commit-tree`` make, ``tests/test_tree_splice.py``
its trees to those ``git mktree`` makes.

A folder of 20,000 persons is one tree of 840 KB, read and written again by each commit
that changes one of its files: its cost is kept to a few passes over its bytes at C
speed. The new tree is the old one's bytes with the changed entries spliced in (nothing
taken apart or put together again per entry); a tree whose entries are all files with
names of one length (``persons/``) is checked a column of bytes at a time; a large tree is
stored without compression (``_STORED_FROM``).

An object is written whole under a temporary name in its folder, then renamed to its
id, as git does: a crash leaves at most a ``tmp_obj_`` file, which ``git prune`` removes,
and an object nothing refers to yet. Like git's default (``core.fsync``), loose objects
are not fsynced; the caller keeps this way to that default.
"""

from __future__ import annotations

import contextlib
import operator
import os
import re
import struct
import zlib
from bisect import bisect_left
from collections.abc import Sequence
from itertools import accumulate, islice
from pathlib import Path

try:  # CPython's own SHA-1: hashlib would load OpenSSL (milliseconds) for a few bytes
    from _sha1 import sha1  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import sha1

# The modes git writes in a tree (``canon_mode``): files, executables, links, folders and
# submodules. A tree holding another (an old git's 100664) is left to git.
_CANONICAL = frozenset((b"100644", b"100755", b"120000", b"40000", b"160000"))
_FOLDER = b"40000"

# A change to one tree: name -> new (mode, binary id) of a file, None to remove it, or
# the change to the folder of that name.
Changes = dict[bytes, "tuple[bytes, bytes] | None | Changes"]


class Unproven(Exception):
    """Only git can tell what it would write."""


def commit(
    git_dir: Path, parent: str, files: list[tuple[str, str, str | None]], head: bytes
) -> str:
    """Write the commit whose parent is ``parent`` (a loose commit) with ``files``
    changed ((path relative to the top, git mode, blob id or None to remove)), and
    ``head``: the commit's text after its ``tree`` and ``parent`` lines (authorship,
    blank line, message). Its id; Unproven (or OSError) when git must make it."""
    if len(parent) != 40 or any(os.environ.get(v) for v in _OBJECT_ENV):
        raise Unproven
    if (git_dir / "commondir").exists():
        raise Unproven  # a linked worktree: its objects live elsewhere
    old = read(git_dir, parent, b"commit")
    if old is None or not old.startswith(b"tree ") or old[45:46] != b"\n":
        raise Unproven
    changes: Changes = {}
    for rel, mode, blob in files:
        *folders, name = rel.encode("utf-8").split(b"/")
        level = changes
        for folder in folders:
            nested = level.setdefault(folder, {})
            if not isinstance(nested, dict):
                raise Unproven
            level = nested
        level[name] = None if blob is None else (mode.encode("ascii"), bytes.fromhex(blob))
    tree = _tree(git_dir, old[5:45].decode("ascii"), changes)
    if tree is None:
        raise Unproven  # every file removed: left to git
    body = b"tree %s\nparent %s\n" % (tree.hex().encode("ascii"), parent.encode("ascii")) + head
    return write(git_dir, b"commit", body).hex()


# Where git would put or find objects otherwise than under ``.git/objects`` (a hook's
# environment may name another repository, or a quarantine).
_OBJECT_ENV = (
    "GIT_DIR",
    "GIT_COMMON_DIR",
    "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_QUARANTINE_PATH",
)


def _tree(git_dir: Path, sha: str | None, changes: Changes) -> bytes | None:
    """The binary id of the tree ``sha`` (None: an empty one) with ``changes`` made,
    written; None when it ends empty. The new tree is the old one's bytes with the
    changed entries spliced in: the entries left alone are copied as they are, not
    taken apart and put together again (a folder of 20,000 files is one tree)."""
    listing = _listing(git_dir, sha) if sha else _EMPTY
    keys, starts = listing.keys, listing.starts
    edits: list[tuple[int, int, bytes, bytes]] = []  # (start, end, key, new entry bytes)
    for name, change in changes.items():
        if not name or b"\0" in name or b"/" in name:
            raise Unproven
        # git's order: by name, a folder's name as if it ended in ``/``.
        at, folder_at = bisect_left(keys, name), bisect_left(keys, name + b"/")
        is_file = at < len(keys) and keys[at] == name
        is_folder = folder_at < len(keys) and keys[folder_at] == name + b"/"
        if isinstance(change, dict):
            if is_file:
                raise Unproven  # a file where the folder would be
            made = _tree(git_dir, listing.oid(folder_at).hex() if is_folder else None, change)
            if made is None:
                raise Unproven  # a folder emptied: left to git
            end = starts[folder_at + 1] if is_folder else starts[folder_at]
            edits.append(
                (starts[folder_at], end, name + b"/", _FOLDER + b" " + name + b"\0" + made)
            )
        elif is_folder:
            raise Unproven  # a folder where the file would be
        elif change is None:
            if is_file:
                edits.append((starts[at], starts[at + 1], name, b""))
        else:
            end = starts[at + 1] if is_file else starts[at]
            edits.append((starts[at], end, name, change[0] + b" " + name + b"\0" + change[1]))
    # Spans in the old tree's order; entries put in at one place, in their own order.
    edits.sort()
    pieces: list[bytes] = []
    done = 0
    for start, end, _key, entry in edits:
        pieces += (listing.body[done:start], entry)
        done = end
    pieces.append(listing.body[done:])
    body = b"".join(pieces)
    return write(git_dir, b"tree", body) if body else None


# One tree entry: ``MODE NAME``, a NUL and the 20 bytes of its id.
_ENTRY = re.compile(rb"([0-7]+) ([^\0/]+)\0(.{20})", re.DOTALL)


class Listing:
    """A tree's bytes, its entries' sort keys (a folder's name ends in ``/``) in its
    order, and where each entry starts (entry ``k`` is ``body[starts[k]:starts[k + 1]]``)."""

    __slots__ = ("body", "keys", "starts")

    def __init__(self, body: bytes, keys: Sequence[bytes], starts: Sequence[int]) -> None:
        self.body, self.keys, self.starts = body, keys, starts

    def entry(self, at: int) -> tuple[bytes, bytes]:
        """(mode, binary id) of entry ``at``."""
        start, end = self.starts[at], self.starts[at + 1]
        return self.body[start : self.body.index(b" ", start)], self.body[end - 20 : end]

    def oid(self, at: int) -> bytes:
        return self.body[self.starts[at + 1] - 20 : self.starts[at + 1]]


_EMPTY = Listing(b"", [], [0])


def find(git_dir: Path, sha: str, name: bytes) -> tuple[bytes, bytes] | None:
    """(mode, binary id) of the entry ``name`` of a loose tree (a file's first, as git
    lists them), None when it has none; Unproven unless the tree is one git writes."""
    listing = _listing(git_dir, sha)
    keys = listing.keys
    for key in (name, name + b"/"):
        at = bisect_left(keys, key)
        if at < len(keys) and keys[at] == key:
            return listing.entry(at)
    return None


def _listing(git_dir: Path, sha: str) -> Listing:
    """The listing of a loose tree; Unproven unless it is one git writes: entries end to
    end, canonical modes, names in git's order, none twice. Kept for the process (an id
    names one content): not to be changed."""
    key = (str(git_dir), sha)
    found = _PARSED.get(key)
    if found is None:
        data = read(git_dir, sha, b"tree")
        if data is None:
            raise Unproven
        found = _PARSED[key] = _alike(data) or _files(data) or _parse(data)
    return found


_PARSED: dict[tuple[str, str], Listing] = {}


def _alike(data: bytes) -> Listing | None:
    """The listing of a tree whose entries are all files (mode 100644 or 100755) with
    names of one length, as a folder of ids made alike (``persons/``): every entry has
    the same length, so each byte of an entry is checked for all entries at once, a
    column of bytes (``data[j::size]``), at C speed. None for any other tree."""
    first = data.find(b"\0")  # the first entry's name ends there (a name has no NUL)
    size = first + 21
    count, rest = divmod(len(data), size) if first > 7 else (0, 1)
    if rest or not count:
        return None
    column = [data[j::size] for j in range(first + 1)]
    sixes = column[3]  # ``1006`` then ``44`` for a file, ``1007`` then ``55`` for one run
    zeros = b"0" * count
    if (
        column[0] != b"1" * count
        or column[1] != zeros
        or column[2] != zeros
        or sixes.translate(None, b"67")
        or not sixes.translate(_MODE_TAIL) == column[4] == column[5]
        or column[6] != b" " * count
        or column[first] != b"\0" * count
        or any(b"\0" in c or b"/" in c for c in column[7:first])
    ):
        return None
    names = [name for (name,) in struct.iter_unpack(f"7x{first - 7}s21x", data)]
    # Strictly rising: in git's order (files only, of one length: byte order), none twice.
    if not all(map(operator.lt, names, names[1:])):
        raise Unproven
    return Listing(data, names, range(0, len(data) + 1, size))


_MODE_TAIL = bytes.maketrans(b"67", b"45")


# An entry of a file, a link or a submodule (a six-digit mode): its name.
_NAMED = re.compile(rb"(?:100644|100755|120000|160000) ([^\0/]+)\0.{20}", re.DOTALL)


def _files(data: bytes) -> Listing | None:
    """The listing of a tree with no folder in it (None for any other), by one pass
    that finds its entries' names: each entry is 28 bytes around its name (a six-digit
    mode, a space, a NUL and 20 bytes of id), and when these add up to the whole tree the
    entries found lie end to end from its first byte, leaving nothing out."""
    names = _NAMED.findall(data)
    if sum(map(len, names)) + 28 * len(names) != len(data):
        return None
    if not all(map(operator.lt, names, names[1:])):
        raise Unproven  # out of git's order, or a name twice
    return Listing(data, names, _Starts(names))


class _Starts(Sequence[int]):
    """Where each entry of a tree of files starts, computed when asked (for the few
    entries a change splices)."""

    def __init__(self, names: list[bytes]) -> None:
        self.names = names

    def __len__(self) -> int:
        return len(self.names) + 1

    def __getitem__(self, at: int) -> int:  # type: ignore[override] # no slice is asked
        if not 0 <= at <= len(self.names):
            raise IndexError(at)
        return 28 * at + sum(map(len, islice(self.names, at)))


def _parse(data: bytes) -> Listing:
    entries = _ENTRY.findall(data)
    modes = [m for m, _n, _o in entries]
    if not set(modes) <= _CANONICAL:
        raise Unproven
    folders = modes.count(_FOLDER)
    if folders:
        keys = [n + b"/" if m == _FOLDER else n for m, n, _o in entries]
    else:
        keys = [n for _m, n, _o in entries]
    # Every mode but a folder's has 6 digits; a folder's key has one byte more than its
    # name: the entries' bytes, which add up to the whole tree when nothing lies between.
    if sum(map(len, keys)) - 2 * folders + 28 * len(entries) != len(data):
        raise Unproven
    if not all(map(operator.lt, keys, keys[1:])):
        raise Unproven  # out of git's order, or a name twice
    sizes = [len(m) + len(n) + 22 for m, n, _o in entries]
    return Listing(data, keys, list(accumulate(sizes, initial=0)))


# Objects are compressed at core.looseCompression's default (1, the fastest), but a tree
# of this size or more is stored as it is (zlib's level 0, still a zlib stream: git
# reads it, packs it and checks it as any other). Half of a tree's bytes are object ids,
# which do not compress: level 1 kept 59 % of the 840 KB tree of 20,000 files, and took
# 9 ms to, about a sixth of the whole write; stored, it is copied.
_STORED_FROM = 1 << 16


def write(git_dir: Path, kind: bytes, body: bytes) -> bytes:
    """Write a loose object (unless git has it already); its binary id."""
    raw = kind + b" %d\0" % len(body) + body
    digest = sha1(raw).digest()
    name = digest.hex()
    folder = git_dir / "objects" / name[:2]
    path = folder / name[2:]
    if path.exists():
        with contextlib.suppress(OSError):
            os.utime(path)  # freshened, as git does: not pruned as an old unreachable one
        return digest
    folder.mkdir(exist_ok=True)
    temp = folder / f"tmp_obj_{os.urandom(6).hex()}"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    try:
        try:
            level = 0 if kind == b"tree" and len(raw) >= _STORED_FROM else 1
            view = memoryview(zlib.compress(raw, level))
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return digest


# Past these, with git's default settings, git's automatic upkeep may be due (``_upkeep``
# decides; a write below them, with none of its settings set, does not even import it).
CROWDED_COUNT = 27  # more entries in objects/17 than gc.auto's 6,700 / 256, rounded up
# More bytes there: 256 MiB of loose objects, estimated (two trees of 20,000 persons
# there, or one of 40,000).
CROWDED_BYTES = 1 << 20
_HEX = frozenset("0123456789abcdef")


def crowded(git_dir: Path) -> bool:
    """Whether ``census`` finds more than ``CROWDED_COUNT`` or ``CROWDED_BYTES``."""
    count, size = census(os.fspath(git_dir))
    return count > CROWDED_COUNT or size > CROWDED_BYTES


def census(git_dir: str) -> tuple[int, int]:
    """How many loose objects ``objects/17`` holds and their bytes: git's estimate of its
    loose objects for its automatic upkeep (one folder of the 256; the bytes too, since
    reseau's trees are large and stored uncompressed). A linked worktree's are those of
    its common folder. Paths as text, the folder listed from its descriptor (each
    entry's stat made from it too): microseconds that every write pays."""
    try:
        fd = os.open(f"{git_dir}/objects/17", os.O_RDONLY | os.O_DIRECTORY)
    except FileNotFoundError:
        try:  # a linked worktree's folder has no objects: its common folder's
            with open(f"{git_dir}/commondir", encoding="utf-8") as named:
                common = os.path.join(git_dir, named.read().strip())
        except FileNotFoundError:
            return 0, 0
        try:
            fd = os.open(f"{common}/objects/17", os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            return 0, 0
    count = size = 0
    try:
        with os.scandir(fd) as entries:
            for entry in entries:
                name = entry.name
                if len(name) == 38 and _HEX.issuperset(name):
                    count += 1
                    size += entry.stat(follow_symlinks=False).st_size
    finally:
        os.close(fd)
    return count, size


# Attributes that leave a file's bytes as they are when git makes its blob (the line
# endings ``text`` and ``eol=lf`` would change are refused below: no CR at all).
_HARMLESS = frozenset(
    (
        b"merge",
        b"diff",
        b"text",
        b"binary",
        b"delta",
        b"whitespace",
        b"export-ignore",
        b"export-subst",
    )
)


def plain_blobs(git_dir: Path, top: Path, files: list[tuple[str, bytes]]) -> bool:
    """Whether ``git hash-object --path=REL`` would store each file's bytes as they are
    ((path relative to the top, bytes)): no CR in them, and every attributes file git
    would read for them (in each folder of the work tree, else in the index; the
    repository's, the user's and the system's) sets only attributes that cannot change
    such bytes (no filter, ``ident``, ``working-tree-encoding``, macro, ``eol=crlf``).
    The caller has checked git's own settings (core.autocrlf, core.eol, core.safecrlf,
    core.attributesFile, attr.*)."""
    if (git_dir / "commondir").exists() or os.environ.get("GIT_ATTR_SOURCE"):
        return False
    if any(b"\r" in data for _rel, data in files) or any(os.environ.get(v) for v in _OBJECT_ENV):
        return False
    folders = {""}
    for rel, _data in files:
        parts = rel.split("/")[:-1]
        folders.update("/".join(parts[: n + 1]) + "/" for n in range(len(parts)))
    index: bytes | None = None
    for folder in folders:
        found = _harmless(top / folder / ".gitattributes", in_tree=True)
        if found is None:  # not in the work tree: git reads the index's
            if index is None:
                index = _index(git_dir)
                if index is None:
                    return False
            if f"{folder}.gitattributes".encode() + b"\0" in index:
                return False
        elif not found:
            return False
    return all(_harmless(path, in_tree=False) is not False for path in _outer_attributes(git_dir))


def _index(git_dir: Path) -> bytes | None:
    """Git's index when it holds every path whole (version 2 or 3, not split)."""
    try:
        index = index_bytes(git_dir)
        names = os.listdir(git_dir)
    except FileNotFoundError:
        return b""
    except OSError:
        return None
    if index[:8] not in (b"DIRC\0\0\0\2", b"DIRC\0\0\0\3"):
        return None
    return None if any(n.startswith("sharedindex.") for n in names) else index


def index_bytes(git_dir: Path) -> bytes:
    """The bytes of git's index file, read once a process while it is the same file
    (git writes a new index under another name and renames it over the old one: another
    inode; a rewrite in place would change its size or its times)."""
    with open(git_dir / "index", "rb") as index:
        info = os.fstat(index.fileno())
        key = (
            str(git_dir),
            info.st_dev,
            info.st_ino,
            info.st_size,
            info.st_mtime_ns,
            info.st_ctime_ns,
        )
        if key in _INDEX:
            return _INDEX[key]
        data = index.read()
    _INDEX.clear()
    _INDEX[key] = data
    return data


_INDEX: dict[tuple[str, int, int, int, int, int], bytes] = {}


def _outer_attributes(git_dir: Path) -> list[Path]:
    """The attributes files outside the work tree git reads: the repository's, the
    user's (core.attributesFile aside, checked by the caller) and the system's (under
    /etc, or the ``etc`` folder beside the one holding the git on PATH)."""
    paths = [git_dir / "info" / "attributes", Path("/etc/gitattributes")]
    xdg = os.environ.get("XDG_CONFIG_HOME")
    home = os.environ.get("HOME")
    if xdg:
        paths.append(Path(xdg) / "git" / "attributes")
    elif home:
        paths.append(Path(home) / ".config" / "git" / "attributes")
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        git = Path(folder or ".") / "git"
        if os.access(git, os.X_OK):
            paths.append(git.parent.parent / "etc" / "gitattributes")
            with contextlib.suppress(OSError):
                paths.append(git.resolve().parent.parent / "etc" / "gitattributes")
            break
    return paths


def _harmless(path: Path, *, in_tree: bool) -> bool | None:
    """Whether an attributes file sets only harmless attributes; None when there is
    none (nor anything else) at ``path``."""
    try:
        if in_tree and path.is_symlink():
            return False  # git does not follow it: left to git
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return False
    for line in data.splitlines():
        words = line.split()
        if not words or words[0].startswith(b"#"):
            continue
        if words[0].startswith((b'"', b"[attr]", b"!")):
            return False  # a quoted pattern, a macro, a negated pattern: left to git
        for word in words[1:]:
            name, _eq, value = word.lstrip(b"-!").partition(b"=")
            if name == b"eol":
                if word[:1] not in (b"-", b"!") and value != b"lf":
                    return False
            elif name not in _HARMLESS and not name.startswith(b"linguist-"):
                return False
    return True


def read(git_dir: Path, sha: str, kind: bytes) -> bytes | None:
    """The content of a loose object of ``kind``, or None (packed, missing, another kind).
    Kept for the process once read: an object's id is its content's hash, so what is
    kept is what git has under that id (the write path reads the same trees twice)."""
    key = (str(git_dir), sha)
    raw = _READ.get(key)
    if raw is None:
        try:
            raw = zlib.decompress((git_dir / "objects" / sha[:2] / sha[2:]).read_bytes())
        except (OSError, zlib.error):
            return None
        _READ[key] = raw
    header, nul, body = raw.partition(b"\0")
    # zlib checks the bytes it inflates; git itself does not hash a loose object it reads.
    return body if nul and header == kind + b" %d" % len(body) else None


_READ: dict[tuple[str, str], bytes] = {}
