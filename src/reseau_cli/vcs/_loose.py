"""A write's trees and commit written by reseau itself, as git's loose objects: the very
objects ``git fast-import`` would write for the same change (the same bytes, so the same
ids), without its process (and the ``unpack-objects`` one it starts).

Only where that is plain: the old commit and every tree the change walks through are
loose objects (a packed one, or one this reader does not know, is left to git), each tree
holds canonical modes in git's own order, and no folder ends up empty. Anything else is
``Unproven``, and the caller takes git's way. Blobs are not made here: ``git
hash-object`` applies the repository's attributes (filters, line endings) to them.

An object is written whole under a temporary name in its folder, then renamed to its
id, as git does: a crash leaves at most a ``tmp_obj_`` file, which ``git prune`` removes,
and an object nothing refers to yet. Like git's default (``core.fsync``), loose objects
are not fsynced; the caller keeps this way to that default.
"""

from __future__ import annotations

import contextlib
import os
import re
import zlib
from bisect import bisect_left
from pathlib import Path

from reseau_cli.vcs._clean import _object, sha1

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
    old = _object(git_dir, parent, b"commit")
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


# Where git would put or find objects otherwise than under ``.git/objects``.
_OBJECT_ENV = ("GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_QUARANTINE_PATH")


def _tree(git_dir: Path, sha: str | None, changes: Changes) -> bytes | None:
    """The binary id of the tree ``sha`` (None: an empty one) with ``changes`` made,
    written; None when it ends empty."""
    entries, keys = _entries(git_dir, sha) if sha else ([], [])
    for name, change in changes.items():
        # git's order: by name, a folder's name as if it ended in ``/``.
        at, folder_at = bisect_left(keys, name), bisect_left(keys, name + b"/")
        is_file = at < len(keys) and keys[at] == name
        is_folder = folder_at < len(keys) and keys[folder_at] == name + b"/"
        if isinstance(change, dict):
            if is_file:
                raise Unproven  # a file where the folder would be
            made = _tree(git_dir, entries[folder_at][2].hex() if is_folder else None, change)
            if made is None:
                raise Unproven  # a folder emptied: left to git
            entry = (_FOLDER, name, made)
            if is_folder:
                entries[folder_at] = entry
            else:
                entries.insert(folder_at, entry)
                keys.insert(folder_at, name + b"/")
        elif is_folder:
            raise Unproven  # a folder where the file would be
        elif change is None:
            if is_file:
                del entries[at], keys[at]
        elif is_file:
            entries[at] = (change[0], name, change[1])
        else:
            entries.insert(at, (change[0], name, change[1]))
            keys.insert(at, name)
    if not entries:
        return None
    return write(git_dir, b"tree", b"".join([m + b" " + n + b"\0" + o for m, n, o in entries]))


# One tree entry: ``MODE NAME``, a NUL and the 20 bytes of its id.
_ENTRY = re.compile(rb"([0-7]+) ([^\0/]+)\0(.{20})", re.DOTALL)


def _entries(git_dir: Path, sha: str) -> tuple[list[tuple[bytes, bytes, bytes]], list[bytes]]:
    """The entries (mode, name, binary id) of a loose tree, in its order, and their sort
    keys; Unproven unless it is one git writes: entries end to end (the lengths of the
    matches add up to the whole), canonical modes, names in git's order, none twice."""
    data = _object(git_dir, sha, b"tree")
    if data is None:
        raise Unproven
    entries = _ENTRY.findall(data)
    modes = {m for m, _n, _o in entries}
    names = sum(len(m) + len(n) for m, n, _o in entries)
    if names + 22 * len(entries) != len(data) or not modes <= _CANONICAL:
        raise Unproven
    if _FOLDER in modes:
        keys = [n + b"/" if m == _FOLDER else n for m, n, _o in entries]
    else:
        keys = [n for _m, n, _o in entries]
    if keys != sorted(keys) or len(set(keys)) != len(keys):
        raise Unproven
    return entries, keys


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
            view = memoryview(zlib.compress(raw, 1))  # core.looseCompression's default
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return digest
