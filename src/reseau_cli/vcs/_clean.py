"""Proof, from git's own files, that files a write is about to change hold no edit made
outside reseau: what ``git status --porcelain -- FILES`` would print nothing for, told
without starting git (whose every process reads the whole index).

A file is proven clean when git's index holds it once, at stage 0, with the blob and
mode of the branch's commit, and the file on disk hashes to that blob with that mode;
or when neither the index, the commit nor the disk has it. Anything else (an edit, a
staged change, a conflict, an untracked file, a filter that makes the bytes on disk
differ from the blob, an index or object this reader does not know) is not proven, and
``git status`` is asked, as before: this only ever saves git's answer when it would be
"nothing"."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from reseau_cli.errors import DetachedHead
from reseau_cli.vcs import _loose
from reseau_cli.vcs._atomic import Place, branch, branch_value
from reseau_cli.vcs._loose import read as _object
from reseau_cli.vcs._loose import sha1

_MODES = {0o100644: b"100644", 0o100755: b"100755"}
Entry = tuple[bytes, bytes]  # (git mode, binary blob id)


class _Unproven(Exception):
    """Something only git can tell."""


def proven_clean(place: Place, paths: list[Path]) -> bool:
    """Whether git's files prove that none of ``paths`` has uncommitted changes."""
    git_dir = place.git_dir
    if (git_dir / "commondir").exists():
        return False  # a linked worktree: its objects live elsewhere
    try:
        index = _loose.index_bytes(git_dir)  # read once for the attributes check too
        names = os.listdir(git_dir)
    except OSError:
        return False
    # Version 2 only: version 3 has entries with extended flags (intent-to-add,
    # skip-worktree), 4 compresses paths; a split index keeps entries elsewhere.
    if index[:8] != b"DIRC\0\0\0\2" or any(n.startswith("sharedindex.") for n in names):
        return False
    try:
        ref = branch(place)
    except DetachedHead:
        return False
    head = branch_value(place, ref)
    if head is None or len(head) != 40:
        return False
    commit = _object(git_dir, head, b"commit")
    if commit is None or not commit.startswith(b"tree "):
        return False
    tree = commit[5:45].decode("ascii")
    for path in paths:
        try:
            rel = path.relative_to(place.top).as_posix().encode("utf-8")
        except ValueError:
            return False
        try:
            if not 0 < len(rel) < 0x100 or not _file_clean(git_dir, index, tree, rel, path):
                return False
        except _Unproven:
            return False
    return True


def _file_clean(git_dir: Path, index: bytes, tree: str, rel: bytes, path: Path) -> bool:
    entry = _index_entry(index, rel)
    if entry != _tree_entry(git_dir, tree, rel):
        return False
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return entry is None
    except OSError:
        return False
    if entry is None or not stat.S_ISREG(info.st_mode):
        return False
    mode, blob = entry
    if _MODES[0o100755 if info.st_mode & 0o100 else 0o100644] != mode:
        return False
    try:
        data = path.read_bytes()
    except OSError:
        return False
    return sha1(b"blob %d\0" % len(data) + data).digest() == blob


def _index_entry(index: bytes, rel: bytes) -> Entry | None:
    """(mode, blob) of ``rel`` in a version 2 index; None when the index does not hold
    it; _Unproven when it holds it otherwise than once at stage 0 (a conflict).

    Entries are 62 bytes of stat data, blob and flags, then the path and 1 to 8 NULs,
    each starting 8-aligned after the 12-byte header; the flags' low 12 bits are the
    path's length (below 0x100 here, so their high byte, the stage and the flag bits, is
    NUL for a plain entry, and no path holds a NUL): a match of the path that is not an
    entry's own path does not have them."""
    found: Entry | None = None
    start = 12
    needle = rel + b"\0"
    while (at := index.find(needle, start)) >= 0:
        start = at + 1
        head = at - 62
        if head < 12 or (head - 12) % 8 or index[at - 1] != len(rel):
            continue
        if index[at - 2] & 0x0F:
            continue  # the length's upper bits: not this path's entry
        if index[at - 2] != 0 or found is not None:
            raise _Unproven  # another stage (a conflict) or a flag: git tells
        mode = int.from_bytes(index[head + 24 : head + 28], "big")
        if mode not in _MODES:
            raise _Unproven
        found = (_MODES[mode], index[at - 22 : at - 2])
    return found


def _tree_entry(git_dir: Path, tree: str, rel: bytes) -> Entry | None:
    """(mode, blob) of ``rel`` in the commit's tree; None when absent; _Unproven when it
    cannot be told here (a packed tree, a symbolic link, a submodule)."""
    *folders, name = rel.split(b"/")
    for folder in folders:
        found = _lookup(git_dir, tree, folder)
        if found is None or found[0] != b"40000":
            return None  # no such folder (or a file where the folder would be)
        tree = found[1].hex()
    found = _lookup(git_dir, tree, name)
    if found is not None and found[0] not in _MODES.values():
        raise _Unproven
    return found


def _lookup(git_dir: Path, tree: str, name: bytes) -> Entry | None:
    try:  # a tree as git writes it: its parse, which the new tree is made from too
        return _loose.find(git_dir, tree, name)
    except _loose.Unproven:
        pass
    data = _object(git_dir, tree, b"tree")
    if data is None:
        raise _Unproven
    # Entries are ``MODE NAME\0`` and 20 bytes of id; matched from the first entry on,
    # one whole entry at a time, so that a name is only ever matched as a whole name.
    pattern = rb"(?:[0-7]+ [^\0]+\0.{20})*?([0-7]+) " + re.escape(name) + rb"\0(.{20})"
    match = re.compile(pattern, re.DOTALL).match(data)
    return None if match is None else (match.group(1), match.group(2))
