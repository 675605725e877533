"""The commit of a write made by one ``git fast-import`` (tree and commit from the old
commit's tree, not from a copy of git's index) is the very commit ``read-tree``,
``update-index``, ``write-tree`` and ``commit-tree`` make: same bytes, same id. Where
only git can tell what ``commit-tree`` would write, the write takes git's own way."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import git, ok
from reseau_cli.vcs._atomic import AtomicCommit

DATES = {
    "GIT_AUTHOR_DATE": "2026-11-28T09:15:02+01:00",
    "GIT_COMMITTER_DATE": "2026-11-28T09:15:07-03:30",
}


def _both_ways(root: Path, texts: dict[Path, str | None], env: dict[str, str]) -> tuple[str, str]:
    """The commit made by fast-import, and the one made through the temporary index."""
    fast = AtomicCommit(root, texts, lock_fd=None)
    fast.prepare("p-x: change", env, sign=False)
    assert fast.import_stream("p-x: change", env) is not None
    plain = AtomicCommit(root, texts, lock_fd=None)
    plain.old = fast.old
    plain.files = fast.files  # the blobs fast made
    made = plain._commit_tree(plain._tree(), "p-x: change", env, sign=False)
    return fast.new, made


@pytest.mark.parametrize(
    ("name", "email"),
    [
        ("Alice Coordinator", "alice@example.org"),
        ("Léa Dubois-Émile d'Ans", "léa.dubois@exemple.be"),
        ("B", "b@x"),
    ],
)
def test_fast_import_makes_the_commit_commit_tree_makes(
    team: Path, marcel: str, name: str, email: str
) -> None:
    persons = team / "persons"
    extra = persons / "p-new0001.yaml"
    script = team / "tool.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    git(team, "add", str(script))
    git(team, "commit", "-qm", "a tool")
    texts: dict[Path, str | None] = {
        persons / f"{marcel}.yaml": (persons / f"{marcel}.yaml").read_text() + "# changed\n",
        extra: "format: 1\n",
        team / "deeper" / "folder" / "note.txt": "é\n",
        script: "#!/bin/sh\necho changed\n",
        team / "reseau.yaml": None,
    }
    env = {
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
        **DATES,
    }
    fast, plain = _both_ways(team, texts, env)
    assert fast == plain
    # And reseau's own loose objects: the very trees and commit.
    loose = AtomicCommit(team, texts, lock_fd=None)
    loose.prepare("p-x: change", env, sign=False, fsync=False, loose=True)
    assert loose.new == fast
    assert git(team, "cat-file", "-t", fast).strip() == "commit"
    shown = git(team, "show", "--stat", "--format=%an|%ae|%aI|%cI|%s", fast)
    assert shown.startswith(f"{name}|{email}|{DATES['GIT_AUTHOR_DATE']}|")
    assert "tool.sh" in shown and "reseau.yaml" in shown and "note.txt" in shown
    assert git(team, "ls-tree", fast, "tool.sh").startswith("100755 ")
    # The scratch branch fast-import builds on never becomes a ref.
    assert "fast-import" not in git(team, "for-each-ref")


def test_a_write_made_now_is_dated_as_git_dates_it(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without date variables: the time of the commit and the local offset."""
    monkeypatch.delenv("RESEAU_TODAY", raising=False)
    monkeypatch.setenv("TZ", "America/St_Johns")  # -03:30 / -02:30
    time.tzset()
    try:
        ok("plan", "action", "add", marcel, "Call the GP", "--by", "person")
    finally:
        monkeypatch.undo()
        time.tzset()
    made = git(team, "log", "-1", "--format=%ad|%cd", "--date=raw").strip().split("|")
    stamp = git(team, "log", "-1", "--format=%ct").strip()
    assert made[0] == made[1]
    assert made[0].split()[0] == stamp
    assert made[0].split()[1] in ("-0330", "-0230")
    assert "fast-import" not in git(team, "for-each-ref")
    assert git(team, "status", "--porcelain").strip() == ""


@pytest.mark.parametrize(
    "change",
    [
        {"GIT_AUTHOR_NAME": "Alice."},  # git strips the final dot
        {"GIT_AUTHOR_NAME": " Alice"},
        {"GIT_COMMITTER_EMAIL": "<a@x>"},
        {"GIT_AUTHOR_DATE": "@1795877103 +0000"},  # a form git reads, not this writer
        {"GIT_COMMITTER_DATE": "2026-11-28 10:00"},
        {"GIT_AUTHOR_DATE": "2026-11-28T10:00:00"},  # no offset: git takes the local one
    ],
)
def test_what_only_git_can_tell_goes_through_commit_tree(
    team: Path, marcel: str, change: dict[str, str]
) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    env = {
        "GIT_AUTHOR_NAME": "A",
        "GIT_AUTHOR_EMAIL": "a@x",
        "GIT_COMMITTER_NAME": "A",
        "GIT_COMMITTER_EMAIL": "a@x",
        **DATES,
        **change,
    }
    commit = AtomicCommit(team, {path: path.read_text() + "# x\n"}, lock_fd=None)
    assert commit.import_stream("m", env) is None
    commit.prepare("m", env, sign=False)
    assert git(team, "cat-file", "-t", commit.new).strip() == "commit"


def test_a_commit_encoding_other_than_utf8_goes_through_commit_tree(
    team: Path, marcel: str
) -> None:
    git(team, "config", "i18n.commitEncoding", "ISO-8859-1")
    ok("plan", "action", "add", marcel, "Call the GP", "--by", "person")
    assert "encoding ISO-8859-1" in git(team, "cat-file", "-p", "HEAD")
    git(team, "config", "i18n.commitEncoding", "UTF-8")
    ok("plan", "action", "add", marcel, "Write", "--by", "person")
    assert "encoding" not in git(team, "cat-file", "-p", "HEAD")


def _status(root: Path, path: Path) -> str:
    return git(root, "status", "--porcelain", "--untracked-files=all", "--", str(path))


def _proven(root: Path, path: Path) -> bool:
    from reseau_cli.vcs._atomic import locate
    from reseau_cli.vcs._clean import proven_clean

    return proven_clean(locate(root), [path])


def test_a_clean_file_is_proven_clean_without_git(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    ok("plan", "action", "add", marcel, "Call the GP", "--by", "person")
    assert _status(team, path) == "" and _proven(team, path)
    fresh = team / "persons" / "p-zzzzzz.yaml"
    assert _status(team, fresh) == "" and _proven(team, fresh)
    assert _proven(team, team / "reseau.yaml")
    assert _proven(team, team / "a" / "b" / "new.txt")


@pytest.mark.parametrize(
    "edit",
    [
        "same size",  # an edit that keeps the size and the time stamp's second
        "appended",
        "staged",  # git add, then the file put back as the index has it
        "staged only",  # the index differs from the commit, the file from the index
        "removed",
        "removed from the index",  # git rm --cached: the file is untracked again
        "executable",
        "untracked",
        "conflict",
    ],
)
def test_every_change_git_sees_is_left_to_git(team: Path, marcel: str, edit: str) -> None:
    """Wherever `git status` prints something, the proof fails and git is asked; the
    write is refused as before."""
    path = team / "persons" / f"{marcel}.yaml"
    text = path.read_text()
    if edit == "same size":
        path.write_text(text.replace("Marcel", "Marcek"))
    elif edit == "appended":
        path.write_text(text + "# note\n")
    elif edit == "staged":
        path.write_text(text + "# note\n")
        git(team, "add", str(path))
    elif edit == "staged only":
        path.write_text(text + "# note\n")
        git(team, "add", str(path))
        path.write_text(text)
    elif edit == "removed":
        path.unlink()
    elif edit == "removed from the index":
        git(team, "rm", "-q", "--cached", str(path))
    elif edit == "executable":
        path.chmod(0o755)
    elif edit == "untracked":
        path = team / "persons" / "p-zzzzzz.yaml"
        path.write_text("format: 1\n")
    elif edit == "conflict":
        git(team, "checkout", "-q", "-b", "side")
        path.write_text(text.replace("Marcel", "Marcelin"))
        git(team, "commit", "-qam", "side")
        git(team, "checkout", "-q", "main")
        path.write_text(text.replace("Marcel", "Marcello"))
        git(team, "commit", "-qam", "main")
        assert "CONFLICT" in _merge(team, "side")
    assert _status(team, path) != ""
    assert not _proven(team, path)


def _merge(root: Path, branch: str) -> str:
    import subprocess

    done = subprocess.run(
        ["git", "merge", "--no-edit", branch], cwd=root, capture_output=True, text=True
    )
    return done.stdout + done.stderr


def test_a_write_over_an_edit_made_outside_is_refused_as_before(team: Path, marcel: str) -> None:
    from conftest import refused

    path = team / "persons" / f"{marcel}.yaml"
    path.write_text(path.read_text().replace("Marcel", "Marcek"))
    refused(
        team,
        "plan",
        "action",
        "add",
        marcel,
        "Call the GP",
        "--by",
        "person",
        match=f"persons/{marcel}.yaml has uncommitted changes made outside reseau",
    )


@pytest.mark.parametrize("setting", [None, ("core.fsync", "all"), ("core.fsyncObjectFiles", "")])
def test_fast_import_keeps_its_fsync_when_the_user_set_gits(
    team: Path, marcel: str, setting: tuple[str, str] | None
) -> None:
    """With git's default fsync settings, loose objects are not fsynced, nor then the
    pack fast-import unpacks into them; a user's own setting is left to git."""
    from reseau_cli.vcs._core import identity

    if setting is not None:
        key, value = setting
        config = team / ".git" / "config"
        section, name = key.split(".")
        written = f"\t{name} = {value}\n" if value else f"\t{name}\n"
        config.write_text(config.read_text() + f"[{section}]\n{written}")
    assert identity(team, signing=True).fsync is (setting is not None)
    ok("plan", "action", "add", marcel, "Call the GP", "--by", "person")
    assert git(team, "status", "--porcelain").strip() == ""


def _loose_way(root: Path, texts: dict[Path, str | None]) -> str | None:
    """The commit reseau writes as loose objects itself, or None when it leaves it to git."""
    from reseau_cli.vcs import _loose

    commit = AtomicCommit(root, texts, lock_fd=None)
    env = {"GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@x", **DATES}
    env |= {"GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@x"}
    commit.prepare("m", env, sign=False, fsync=False)  # the blobs, and git's commit
    parts = commit._commit_parts("m", env)
    assert parts is not None
    head = f"author {parts[0][0]}\ncommitter {parts[0][1]}\n\n".encode() + parts[1]
    files = [
        (f.rel, f.cacheinfo.split(",")[0], None if f.deleted else f.blob) for f in commit.files
    ]
    assert commit.old is not None
    try:
        made = _loose.commit(root / ".git", commit.old, files, head)
    except _loose.Unproven:
        return None
    assert made == commit.new  # what git made the same change into
    return made


def test_reseau_writes_the_trees_and_commit_git_would(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    made = _loose_way(team, {path: path.read_text() + "# x\n", team / "a" / "b.txt": "b\n"})
    assert made is not None
    assert git(team, "fsck", "--strict", "--no-dangling").strip() == ""


def test_what_loose_objects_cannot_show_is_left_to_git(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    settings = team / "reseau.yaml"
    solo = team / "solo" / "only.txt"
    solo.parent.mkdir()
    solo.write_text("only\n")
    git(team, "add", str(solo))
    git(team, "commit", "-qm", "solo")
    # A folder emptied, a file where a folder was, and the reverse: left to git.
    assert _loose_way(team, {solo: None}) is None
    assert _loose_way(team, {team / "persons": "x\n"}) is None
    assert _loose_way(team, {settings / "x.txt": "x\n"}) is None
    # Packed trees: read by git only.
    git(team, "gc", "-q")
    assert _loose_way(team, {path: path.read_text() + "# packed\n"}) is None


@pytest.mark.parametrize(
    "setting", [None, "core.sharedRepository=group", "extensions.worktreeConfig=true"]
)
def test_loose_objects_only_with_gits_plain_object_settings(
    team: Path, marcel: str, setting: str | None
) -> None:
    from reseau_cli.vcs._core import identity

    if setting is not None:
        key, value = setting.split("=")
        git(team, "config", key, value)
    assert identity(team, signing=True).loose is (setting is None)
    ok("plan", "action", "add", marcel, "Call the GP", "--by", "person")
    assert git(team, "status", "--porcelain").strip() == ""
    assert git(team, "fsck", "--no-dangling").strip() == ""


def _plain(root: Path, rel: str, data: bytes) -> bool:
    from reseau_cli.vcs import _loose

    return _loose.plain_blobs(root / ".git", root, [(rel, data)])


def test_blobs_reseau_writes_are_the_ones_git_would(team: Path, marcel: str) -> None:
    from reseau_cli.vcs import _loose

    rel = f"persons/{marcel}.yaml"
    data = (team / rel).read_bytes() + b"# new\n"
    assert _plain(team, rel, data)  # reseau's own .gitattributes: text eol=lf, merge
    made = _loose.write(team / ".git", b"blob", data).hex()
    scratch = team.parent / "scratch.yaml"
    scratch.write_bytes(data)
    assert made == git(team, "hash-object", f"--path={rel}", str(scratch)).strip()
    assert git(team, "cat-file", "blob", made).encode() == data
    assert git(team, "fsck", "--strict", "--no-dangling").strip() == ""


@pytest.mark.parametrize(
    ("where", "line"),
    [
        (".gitattributes", "*.yaml filter=upper"),
        (".gitattributes", "*.yaml ident"),
        (".gitattributes", "*.yaml working-tree-encoding=UTF-16"),
        (".gitattributes", "*.yaml eol=crlf"),
        (".gitattributes", "[attr]mine filter=upper"),
        ("persons/.gitattributes", "* filter=upper"),
        (".git/info/attributes", "*.yaml filter=upper"),
        ("xdg/git/attributes", "*.yaml filter=upper"),
    ],
)
def test_attributes_that_change_bytes_leave_blobs_to_git(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch, where: str, line: str
) -> None:
    rel = f"persons/{marcel}.yaml"
    data = (team / rel).read_bytes()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(team / "xdg"))
    assert _plain(team, rel, data)
    path = team / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text((path.read_text() if path.exists() else "") + line + "\n")
    assert not _plain(team, rel, data)


def test_a_cr_or_an_attributes_file_only_in_the_index_leaves_blobs_to_git(
    team: Path, marcel: str
) -> None:
    rel = f"persons/{marcel}.yaml"
    data = (team / rel).read_bytes()
    assert not _plain(team, rel, data.replace(b"\n", b"\r\n"))
    (team / ".gitattributes").unlink()  # git still reads the index's
    assert not _plain(team, rel, data)


@pytest.mark.parametrize("setting", ["core.autocrlf=input", "core.eol=crlf", "attr.tree=HEAD"])
def test_line_ending_settings_leave_blobs_to_git(team: Path, setting: str) -> None:
    from reseau_cli.vcs._core import identity

    assert identity(team, signing=True).blobs
    key, value = setting.split("=")
    git(team, "config", key, value)
    found = identity(team, signing=True)
    assert not found.blobs and found.loose


def test_a_clean_filter_still_makes_the_blob_git_makes(team: Path, marcel: str) -> None:
    git(team, "config", "filter.upper.clean", "tr a-z A-Z")
    attributes = team / ".gitattributes"
    attributes.write_text(attributes.read_text() + "persons/*.yaml filter=upper\n")
    git(team, "add", ".gitattributes")
    git(team, "commit", "-qm", "filter")
    ok("plan", "action", "add", marcel, "Call the GP", "--by", "person")
    stored = git(team, "show", f"HEAD:persons/{marcel}.yaml")
    assert "CALL THE GP" in stored and stored == stored.upper()


@pytest.mark.parametrize(
    "entries",
    [
        [(b"100644", b"b"), (b"100644", b"a")],  # out of git's order
        [(b"100644", b"a"), (b"100644", b"a")],  # twice
        [(b"100664", b"a")],  # an old git's mode
        [(b"40000", b"a"), (b"100644", b"a.txt")],  # "a/" sorts after "a.txt"
    ],
)
def test_a_tree_git_would_not_write_is_left_to_git(
    team: Path, entries: list[tuple[bytes, bytes]]
) -> None:
    from reseau_cli.vcs import _loose

    blob = bytes.fromhex(git(team, "rev-parse", "HEAD:reseau.yaml").strip())
    body = b"".join(mode + b" " + name + b"\0" + blob for mode, name in entries)
    tree = _loose.write(team / ".git", b"tree", body).hex()
    with pytest.raises(_loose.Unproven):
        _loose._listing(team / ".git", tree)
    fine = b"100644 a.txt\0" + blob + b"40000 a\0" + blob
    assert (
        len(_loose._listing(team / ".git", _loose.write(team / ".git", b"tree", fine).hex()).keys)
        == 2
    )
    with pytest.raises(_loose.Unproven):  # bytes between entries
        _loose._listing(team / ".git", _loose.write(team / ".git", b"tree", fine + b"x").hex())


@pytest.mark.parametrize(
    "text",
    [
        "a" * 40,
        "0123456789abcdef" * 4,
        "f" * 64,
        "a" * 39,
        "a" * 41,
        "A" * 40,
        "g" + "a" * 39,
        " " + "a" * 39,
        "a" * 39 + "\n",
        "٣" * 40,  # a digit, but not an ASCII one
        "",
    ],
)
def test_an_object_id_is_told_as_the_expression_told_it(text: str) -> None:
    import re

    from reseau_cli.vcs._atomic import _object_id

    assert _object_id(text) == bool(re.fullmatch(r"[0-9a-f]{40}|[0-9a-f]{64}", text))
