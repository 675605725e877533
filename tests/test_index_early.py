"""Git's index process of a write starts before the branch moves (``vcs._atomic``): it
takes git's index lock and reads the index while the commit is published, then is given
the entries, and the files are renamed and the derived cache written while it sets them.
The index it leaves is the one ``git update-index --cacheinfo`` left afterwards; a change
that does not commit leaves the index as it was; a process that fails is asked again as
before (``_plumbing.start``: a git process the caller waits for later)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import git
from reseau_cli.errors import GitError
from reseau_cli.vcs import _atomic, _plumbing
from reseau_cli.vcs._atomic import AtomicCommit, File

EMPTY_BLOB = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"  # git hash-object of nothing


def _blob(root: Path, data: bytes) -> str:
    return _plumbing.run(root, "hash-object", "--stdin", stdin=data)


@pytest.mark.parametrize("size", [0, 100, 4096, 300_000])
def test_a_started_process_reads_all_it_is_given(team: Path, size: int) -> None:
    data = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    running = _plumbing.start(team, "hash-object", "--stdin", fed=True)
    running.give(data)
    assert running.wait() == _blob(team, data)


def test_a_started_process_given_nothing_reads_an_empty_input(team: Path) -> None:
    assert _plumbing.start(team, "hash-object", "--stdin", fed=True).wait() == EMPTY_BLOB
    # and one not fed reads /dev/null
    assert _plumbing.start(team, "hash-object", "--stdin").wait() == EMPTY_BLOB


def test_a_started_process_fails_as_run_fails(team: Path) -> None:
    running = _plumbing.start(team, "cat-file", "-p", "nothing-such", what="look")
    with pytest.raises(GitError, match="git look failed: Not a valid object name"):
        running.wait()


def test_no_git_is_said_when_starting(team: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(team / "nowhere"))
    with pytest.raises(GitError, match="git is not installed"):
        _plumbing.start(team, "version")


def _files(root: Path, texts: dict[str, bytes]) -> list[File]:
    return [
        File(
            root / rel,
            rel,
            data,
            0o644,
            _plumbing.run(root, "hash-object", "-w", "--stdin", stdin=data),
        )
        for rel, data in texts.items()
    ]


def _entries(root: Path) -> str:
    return git(root, "-c", "core.quotePath=false", "ls-files", "--stage")


def test_the_early_process_sets_the_entries_cacheinfo_sets(team: Path, marcel: str) -> None:
    rel = f"persons/{marcel}.yaml"
    texts = {
        rel: b"format: 1\n",
        "persons/p-new0001.yaml": b"format: 1\nid: x\n",
        "a b/é.txt": b"\n",
    }
    place = _atomic.locate(team)
    before = (team / ".git" / "index").read_bytes()
    _atomic.set_index(place, _files(team, texts), None)  # git started afterwards
    late = _entries(team)
    (team / ".git" / "index").write_bytes(before)
    files = _files(team, texts)
    started = _atomic.start_index(place, files, None)
    assert started is not None
    _atomic.set_index(place, files, None, started=started)
    assert _entries(team) == late
    assert "persons/p-new0001.yaml" in late and "a b/é.txt" in late
    assert not (team / ".git" / "index.lock").exists()


def test_no_early_process_for_a_removal_or_a_taken_index_lock(team: Path, marcel: str) -> None:
    place = _atomic.locate(team)
    [kept] = _files(team, {f"persons/{marcel}.yaml": b"format: 1\n"})
    removed = File(team / "reseau.yaml", "reseau.yaml", b"", 0o644, _atomic.DELETED)
    assert _atomic.start_index(place, [kept, removed], None) is None
    (team / ".git" / "index.lock").write_text("")
    try:
        assert _atomic.start_index(place, [kept], None) is None
    finally:
        (team / ".git" / "index.lock").unlink()


def test_a_failed_early_process_is_asked_again(team: Path, marcel: str) -> None:
    place = _atomic.locate(team)
    files = _files(team, {f"persons/{marcel}.yaml": b"format: 1\n"})
    failing = _plumbing.start(team, "update-index", "--no-such-option", fed=True)
    done: list[str] = []
    _atomic.set_index(place, files, None, lambda: done.append("meanwhile"), started=failing)
    assert done == ["meanwhile"]  # once
    assert f"{files[0].blob} 0\tpersons/{marcel}.yaml" in _entries(team)


def test_meanwhile_runs_once_git_has_the_entries(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = _atomic.locate(team)
    files = _files(team, {f"persons/{marcel}.yaml": b"format: 1\n"})
    steps: list[str] = []
    give, wait = _plumbing.Running.give, _plumbing.Running.wait
    monkeypatch.setattr(
        _plumbing.Running, "give", lambda s, d: (steps.append("give"), give(s, d))[1]
    )
    monkeypatch.setattr(_plumbing.Running, "wait", lambda s: (steps.append("wait"), wait(s))[1])
    started = _atomic.start_index(place, files, None)
    _atomic.set_index(place, files, None, lambda: steps.append("meanwhile"), started=started)
    assert steps == ["give", "meanwhile", "wait"]


def test_a_change_refused_at_the_ref_leaves_the_index_as_it_was(team: Path, marcel: str) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    commit = AtomicCommit(team, {path: path.read_text() + "# changed\n"}, lock_fd=None)
    commit.prepare("p-x: change", {}, sign=False)
    # Meanwhile the branch moves: update-ref refuses (old value), nothing is committed.
    git(team, "commit", "-q", "--allow-empty", "-m", "elsewhere")
    index = (team / ".git" / "index").read_bytes()
    with pytest.raises(GitError):
        commit.publish(lambda: None, reflog="commit: p-x: change")
    assert (team / ".git" / "index").read_bytes() == index
    assert not (team / ".git" / "index.lock").exists()
    assert not (team / ".git" / "reseau-journal.json").exists()
    assert git(team, "status", "--porcelain") == ""


def test_a_write_leaves_the_index_git_would(team: Path, marcel: str) -> None:
    from conftest import ok

    ok("plan", "action", "add", marcel, "Call the GP", "--by", "person")
    assert git(team, "status", "--porcelain") == ""
    assert git(team, "diff", "--cached", "--stat") == ""
    assert not (team / ".git" / "reseau-journal.json").exists()


def _change_situation(team: Path, marcel: str) -> None:
    from reseau_cli.operations.repository import open_repository

    repo = open_repository(team)
    with repo.change(f"{marcel}: test") as change:
        doc = change.load("person", marcel)
        doc["situation"] = "Changed."
        change.put("person", marcel, doc)


def test_the_cache_is_given_the_documents_while_git_sets_the_index(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from reseau_cli import change

    steps: list[str] = []
    remember, wait = change.Change._remember, _plumbing.Running.wait
    monkeypatch.setattr(
        change.Change, "_remember", lambda s, c: (steps.append("remember"), remember(s, c))[1]
    )
    monkeypatch.setattr(_plumbing.Running, "wait", lambda s: (steps.append("wait"), wait(s))[1])
    _change_situation(team, marcel)
    assert steps == ["remember", "wait"]
    assert git(team, "status", "--porcelain") == ""


def test_a_failure_while_remembering_is_raised_once_the_change_is_whole(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import commits
    from reseau_cli import change

    def broken(self: object, changed: object) -> None:
        raise RuntimeError("no cache")

    monkeypatch.setattr(change.Change, "_remember", broken)
    with pytest.raises(RuntimeError, match="no cache"):
        _change_situation(team, marcel)
    assert commits(team)[0] == f"{marcel}: test"
    assert git(team, "status", "--porcelain") == ""
    assert not (team / ".git" / "reseau-journal.json").exists()


# -- the branch moved by a process started beforehand (``_atomic._RefMove``) ----------


def _commit_on(team: Path, parent: str) -> str:
    return git(team, "commit-tree", f"{parent}^{{tree}}", "-p", parent, "-m", "next").strip()


def _positional_refusal(team: Path, args: tuple[str, ...]) -> str:
    """What ``git update-ref ARGS`` (the update given as arguments) is refused with."""
    with pytest.raises(GitError) as refused:
        _plumbing.run(team, *args, what="commit")
    return str(refused.value)


def test_the_ref_moves_as_update_ref_moves_it(team: Path, marcel: str) -> None:
    head = git(team, "rev-parse", "HEAD").strip()
    new = _commit_on(team, head)
    move = _atomic._RefMove(team, "refs/heads/main", new, head, "commit: x", None)
    move.move()
    assert git(team, "rev-parse", "HEAD").strip() == new
    assert git(team, "reflog", "-1", "--format=%gs", "refs/heads/main").strip() == "commit: x"
    assert git(team, "reflog", "-1", "--format=%gs", "HEAD").strip() == "commit: x"
    # a ref that does not exist yet (no old value) is created, once
    created = _atomic._RefMove(team, "refs/heads/other", new, None, "commit: y", None)
    created.move()
    assert git(team, "rev-parse", "refs/heads/other").strip() == new


def test_given_nothing_the_ref_stays(team: Path, marcel: str) -> None:
    head = git(team, "rev-parse", "HEAD").strip()
    move = _atomic._RefMove(team, "refs/heads/main", _commit_on(team, head), head, "x", None)
    move.running.wait()
    assert git(team, "rev-parse", "HEAD").strip() == head


@pytest.mark.parametrize("case", ["moved", "exists", "locked"])
def test_a_refusal_is_said_as_update_ref_says_it(team: Path, marcel: str, case: str) -> None:
    head = git(team, "rev-parse", "HEAD").strip()
    new = _commit_on(team, head)
    ref, old = "refs/heads/main", head
    if case == "moved":
        old = _commit_on(team, new)  # not what the branch names
    elif case == "exists":
        old = None  # ``create``: the branch exists
    else:
        (team / ".git" / "refs" / "heads" / "main.lock").write_text("")
    args = ("update-ref", "-m", "x", ref, new, old or "")
    said = _positional_refusal(team, args)
    move = _atomic._RefMove(team, ref, new, old, "x", None)
    with pytest.raises(GitError) as refused:
        move.move()
    assert str(refused.value) == said
    assert git(team, "rev-parse", "HEAD").strip() == head


def test_a_git_without_transactions_on_its_input_moves_the_ref_the_other_way(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before git 2.27, ``update-ref --stdin`` knew no ``start``: it refused it."""
    import os
    import shutil

    real = shutil.which("git")
    folder = tmp_path / "oldgit"
    folder.mkdir()
    script = folder / "git"
    script.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do [ "$a" = --stdin ] && [ "$3" = update-ref ] && {\n'
        '  cat >/dev/null; echo "fatal: unknown command: start" >&2; exit 128; }; done\n'
        f'exec {real} "$@"\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    head = git(team, "rev-parse", "HEAD").strip()
    new = _commit_on(team, head)
    move = _atomic._RefMove(team, "refs/heads/main", new, head, "commit: x", None)
    move.move()
    assert git(team, "rev-parse", "HEAD").strip() == new
    # the script did refuse `start`
    refused = _atomic._RefMove(team, "refs/heads/main", head, new, "x", None)
    refused.running.give(b"start\n")
    assert refused.running.ended()[2].startswith(b"fatal: unknown command: start")
