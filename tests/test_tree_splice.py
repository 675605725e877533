"""A tree reseau writes by splicing the changed entries into the old tree's bytes is the
very tree git makes of the same entries (``git mktree``, and git's own commit through its
index): same id, for a folder of files named alike (read by columns), for any other
folder, and for a tree large enough to be stored uncompressed; and a repository written
this way, after a fresh clone (its objects packed) too, is one ``git fsck`` and
``git status`` find nothing wrong with."""

from __future__ import annotations

import random
import subprocess
import zlib
from pathlib import Path

import pytest

from conftest import ok
from reseau_cli.vcs import _loose

Entries = dict[bytes, tuple[bytes, bytes]]  # name -> (mode, binary id)


def git(root: Path, *args: str, input_text: str | None = None) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, check=True, capture_output=True, text=True, input=input_text
    ).stdout


def _repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "repo")
    return tmp_path / "repo"


def _blob(root: Path, text: str) -> bytes:
    out = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"], cwd=root, input=text.encode(), capture_output=True
    )
    return bytes.fromhex(out.stdout.decode().strip())


def _mktree(root: Path, entries: Entries) -> str:
    """The tree git makes of these entries (``git mktree`` sorts them itself)."""
    kinds = {b"40000": "tree", b"160000": "commit"}
    lines = "".join(
        f"{mode.decode()} {kinds.get(mode, 'blob')} {oid.hex()}\t{name.decode()}\n"
        for name, (mode, oid) in entries.items()
    )
    return git(root, "mktree", "--missing", input_text=lines).strip()


def _spliced(root: Path, tree: str, changes: _loose.Changes) -> str | None:
    made = _loose._tree(root / ".git", tree, changes)
    return None if made is None else made.hex()


def _apply(entries: Entries, changes: dict[bytes, tuple[bytes, bytes] | None]) -> Entries:
    new = dict(entries)
    for name, change in changes.items():
        if change is None:
            new.pop(name, None)
        else:
            new[name] = change
    return new


@pytest.mark.parametrize("kind", ["alike", "files", "folders"])
def test_spliced_trees_are_the_ones_git_makes(tmp_path: Path, kind: str) -> None:
    """Each way of reading a tree: names of one length (by columns), files of any length
    (one match of the whole), folders among them (entry by entry)."""
    root = _repo(tmp_path)
    alike = kind == "alike"
    rng = random.Random(kind)
    blobs = [_blob(root, f"content {i}\n") for i in range(8)]

    def name() -> bytes:
        size = 9 if alike else rng.randint(1, 14)
        return ("p-" + "".join(rng.choice("abcdefghjk23456789-") for _ in range(size))).encode()

    names = {name() + b".yaml" for _ in range(300)}
    entries: Entries = {n: (b"100644", rng.choice(blobs)) for n in names}
    if not alike:  # a link among them
        entries[b"p-link"] = (b"120000", blobs[0])
    if kind == "folders":
        entries[b"p-folder"] = (b"40000", bytes.fromhex(_mktree(root, {b"x": entries[min(names)]})))
    first = sorted(names)[0]
    entries[first] = (b"100755", entries[first][1])
    tree = _mktree(root, entries)
    data = _loose.read(root / ".git", tree, b"tree")
    assert data is not None
    assert (_loose._alike(data) is not None) is alike
    assert (_loose._files(data) is not None) is (kind != "folders")
    for _ in range(40):
        present = sorted(entries)
        changes: dict[bytes, tuple[bytes, bytes] | None] = {}
        for _ in range(rng.randint(1, 4)):
            what = rng.random()
            if what < 0.4:  # a file changed (its blob, or its mode)
                target = rng.choice([n for n in present if entries[n][0] != b"40000"])
                changes[target] = (rng.choice([b"100644", b"100755"]), rng.choice(blobs))
            elif what < 0.7:  # a new one, at either end or between two
                new = (b"" if alike else rng.choice([b"a", b"p-", b"z", b""])) + name() + b".yaml"
                changes[new] = (b"100644", rng.choice(blobs))
            else:
                changes[rng.choice([n for n in present if entries[n][0] != b"40000"])] = None
        expected = _apply(entries, changes)
        made = _spliced(root, tree, dict(changes))
        assert made == _mktree(root, expected)
        assert made is not None
        entries, tree = expected, made
    assert git(root, "fsck", "--strict", "--no-dangling").strip() == ""


def test_every_entry_of_an_alike_folder_can_be_replaced_removed_or_put_before(
    tmp_path: Path,
) -> None:
    root = _repo(tmp_path)
    old, new = _blob(root, "old\n"), _blob(root, "new\n")
    entries: Entries = {f"p-{i:04d}.yaml".encode(): (b"100644", old) for i in range(0, 40, 2)}
    tree = _mktree(root, entries)
    for name in list(entries) + [f"p-{i:04d}.yaml".encode() for i in range(-1, 42, 2)]:
        for change in [(b"100644", new), (b"100755", old), None]:
            made = _spliced(root, tree, {name: change})
            assert made == _mktree(root, _apply(entries, {name: change}))


def test_a_change_inside_a_folder_splices_each_tree_on_its_path(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    blob = _blob(root, "x\n")
    inner = {f"p-{i:03d}.yaml".encode(): (b"100644", blob) for i in range(50)}
    persons = bytes.fromhex(_mktree(root, inner))
    top = {b"persons": (b"40000", persons), b"reseau.yaml": (b"100644", blob)}
    tree = _mktree(root, top)
    other = _blob(root, "y\n")
    made = _spliced(root, tree, {b"persons": {b"p-007.yaml": (b"100644", other)}})
    inner[b"p-007.yaml"] = (b"100644", other)
    top[b"persons"] = (b"40000", bytes.fromhex(_mktree(root, inner)))
    assert made == _mktree(root, top)
    made = _spliced(root, tree, {b"new": {b"deep": {b"f.txt": (b"100644", other)}}})
    deep = bytes.fromhex(_mktree(root, {b"f.txt": (b"100644", other)}))
    folder = bytes.fromhex(_mktree(root, {b"deep": (b"40000", deep)}))
    top[b"persons"] = (b"40000", persons)
    assert made == _mktree(root, {**top, b"new": (b"40000", folder)})


@pytest.mark.parametrize(
    "body",
    [
        b"100644 p-b.yaml\0%(o)s100644 p-a.yaml\0%(o)s",  # alike, out of git's order
        b"100644 p-a.yaml\0%(o)s100644 p-a.yaml\0%(o)s",  # alike, a name twice
        b"100644 p-bb.yaml\0%(o)s120000 p-a.yaml\0%(o)s",  # files, out of git's order
        b"100644 p-a.yaml\0%(o)s100644 p-a.yaml\0%(o)s100755 p-aa\0%(o)s",  # files, twice
        b"100664 p-a.yaml\0%(o)s100664 p-b.yaml\0%(o)s",  # an old git's mode
        b"100654 p-a.yaml\0%(o)s100745 p-b.yaml\0%(o)s",  # no mode git writes
        b"100644 p-a.yaml\0%(o)s100644 p/b.yaml\0%(o)s",  # a slash in a name
        b"100644 p-a.yaml\0%(o)s100644 p-b.yaml\0%(o)sx",  # a byte after the entries
    ],
)
def test_a_tree_git_would_not_write_is_not_spliced(tmp_path: Path, body: bytes) -> None:
    root = _repo(tmp_path)
    oid = _blob(root, "x\n")
    tree = _loose.write(root / ".git", b"tree", body % {b"o": oid}).hex()
    with pytest.raises(_loose.Unproven):
        _loose._tree(root / ".git", tree, {b"p-c.yaml": (b"100644", oid)})


def test_a_large_tree_is_stored_and_git_reads_packs_and_checks_it(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    blob = _blob(root, "x\n")
    entries: Entries = {f"p-{i:06d}.yaml".encode(): (b"100644", blob) for i in range(3000)}
    tree = _mktree(root, entries)
    made = _spliced(root, tree, {b"p-001500.yaml": None})
    assert made is not None
    raw = (root / ".git" / "objects" / made[:2] / made[2:]).read_bytes()
    stored = zlib.decompressobj()
    assert stored.decompress(raw)[:11] == b"tree 122959"  # 2,999 entries of 41 bytes
    assert raw[2] & 0b110 == 0  # the first deflate block is a stored one
    del entries[b"p-001500.yaml"]
    assert made == _mktree(root, entries)
    assert git(root, "cat-file", "-t", made).strip() == "tree"
    assert git(root, "fsck", "--strict", "--no-dangling").strip() == ""
    git(root, "update-ref", "refs/heads/main", git(root, "commit-tree", made, "-m", "x").strip())
    git(root, "gc", "-q", "--prune=now")
    assert "count: 0\n" in git(root, "count-objects", "-v")  # packed, none left loose
    assert git(root, "ls-tree", made).count("\n") == 2999
    assert git(root, "fsck", "--strict").strip() == ""


def test_writes_after_a_fresh_clone_leave_what_git_would(
    tmp_path: Path, team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(team, "gc", "-q")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(team), str(clone))
    monkeypatch.setenv("RESEAU_REPO", str(clone))
    for n in range(3):  # the first from packed objects (git's way), then loose ones
        ok("plan", "action", "add", marcel, f"Call {n}", "--by", "person")
        ok("person", "add", "--family-name", f"New{n}", "--given-name", "Y", "--force")
    assert git(clone, "status", "--porcelain").strip() == ""
    assert git(clone, "fsck", "--strict", "--no-dangling").strip() == ""
    # The commits' trees are those git makes of its index.
    assert git(clone, "write-tree").strip() == git(clone, "rev-parse", "HEAD^{tree}").strip()
    git(clone, "read-tree", "HEAD~1")
    assert git(clone, "write-tree").strip() == git(clone, "rev-parse", "HEAD~1^{tree}").strip()
    git(clone, "reset", "-q")
    assert git(clone, "status", "--porcelain").strip() == ""
