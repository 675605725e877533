"""`reseau share` sets up a remote a teammate can clone; `sync` warns about a remote whose
HEAD names a missing branch and tells a setup problem from a passing one (issue 11,
items 2 and 24). Real bare repositories in tmp_path play the team's server."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import commits, git, invoke, ok, refused, snapshot


def remotes(root: Path) -> str:
    return git(root, "remote", "-v")


def clone(server: Path, path: Path) -> Path:
    git(path.parent, "clone", "--quiet", str(server), str(path))
    return path


def test_share_creates_a_bare_repository_a_teammate_can_clone(team: Path, tmp_path: Path) -> None:
    before = commits(team)
    server = tmp_path / "shared" / "team.git"
    result = ok("share", str(server))
    assert f"Created the shared repository {server} (its HEAD on main)" in result.stderr
    assert f"git clone {server}" in result.stderr
    assert git(server, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert git(server, "rev-parse", "main") == git(team, "rev-parse", "HEAD")
    assert commits(team) == before  # share commits nothing
    assert git(team, "remote", "get-url", "origin").strip() == str(server)
    assert git(team, "rev-parse", "--abbrev-ref", "main@{upstream}").strip() == "origin/main"
    hugo = clone(server, tmp_path / "hugo")
    assert (hugo / "reseau.yaml").is_file()
    assert "Nothing to do" in ok("--repo", str(team), "sync").stderr


def test_share_a_relative_path_under_another_remote_name(
    team: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    ok("share", "backup.git", "--remote", "backup")
    assert git(team, "remote", "get-url", "backup").strip() == str(tmp_path / "backup.git")
    ok("share", "backup.git", "--remote", "backup")  # again: the same remote, pushed again


def test_share_fixes_a_plain_git_init_bare(team: Path, tmp_path: Path) -> None:
    """`git init --bare` leaves HEAD on master; reseau pushes main: clones came out empty."""
    server = tmp_path / "server.git"
    git(tmp_path, "init", "--quiet", "--bare", str(server))
    git(server, "symbolic-ref", "HEAD", "refs/heads/master")
    result = ok("share", str(server))
    assert "its HEAD named 'master', a branch it does not have; it now names main" in (
        result.stderr
    )
    assert git(server, "symbolic-ref", "HEAD").strip() == "refs/heads/main"
    assert (clone(server, tmp_path / "hugo") / "reseau.yaml").is_file()


def test_share_refusals_change_nothing(team: Path, tmp_path: Path) -> None:
    server = tmp_path / "server.git"
    ok("share", str(server))
    other = tmp_path / "other.git"
    refused(team, "share", str(other), match="remote 'origin' already points to")
    assert not other.exists()
    work_tree = clone(server, tmp_path / "hugo")
    refused(team, "share", str(work_tree), "--remote", "w", match="is a git work tree")
    folder = tmp_path / "papers"
    folder.mkdir()
    (folder / "note.txt").write_text("x")
    refused(team, "share", str(folder), "--remote", "p", match="exists and is not a git repository")
    refused(team, "share", str(team / "inside.git"), "--remote", "i", match="inside this clone")
    refused(team, "share", "x.git", "--remote", "a b", match="not a usable remote name")
    assert not (team / "inside.git").exists()
    assert remotes(team).split() == [
        "origin",
        str(server),
        "(fetch)",
        "origin",
        str(server),
        "(push)",
    ]


def test_share_into_a_repository_with_other_history_undoes_everything(
    team: Path, tmp_path: Path
) -> None:
    server = tmp_path / "server.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(server))
    other = tmp_path / "other"
    git(tmp_path, "init", "--quiet", "--initial-branch=main", str(other))
    git(other, "commit", "--quiet", "--allow-empty", "-m", "someone else's history")
    git(other, "push", "--quiet", str(server), "main")
    refused(team, "share", str(server), match="already has a branch main with other commits")
    assert remotes(team) == ""


def test_sync_warns_when_the_remotes_head_names_a_missing_branch(
    team: Path, tmp_path: Path
) -> None:
    server = tmp_path / "server.git"
    git(tmp_path, "init", "--quiet", "--bare", str(server))
    git(server, "symbolic-ref", "HEAD", "refs/heads/master")
    git(team, "remote", "add", "origin", str(server))
    result = ok("sync")
    assert "Sent 1 commit(s) to origin/main" in result.stderr
    assert "warning: the shared repository origin" in result.stderr
    assert "its HEAD names 'master', a branch it does not have" in result.stderr
    assert "git symbolic-ref HEAD refs/heads/main" in result.stderr
    git(server, "symbolic-ref", "HEAD", "refs/heads/main")
    assert "warning" not in ok("sync").stderr


def test_an_empty_clone_is_told_to_check_out_the_real_branch(
    team: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = tmp_path / "server.git"
    git(tmp_path, "init", "--quiet", "--bare", str(server))
    git(server, "symbolic-ref", "HEAD", "refs/heads/master")
    git(team, "push", "--quiet", str(server), "main")
    hugo = clone(server, tmp_path / "hugo")
    assert not (hugo / "reseau.yaml").exists()
    monkeypatch.delenv("RESEAU_REPO")
    monkeypatch.chdir(hugo)
    result = invoke("status")
    assert result.exit_code == 1
    assert "branch 'master' has no commit yet" in result.stderr
    assert "team's data is on origin/main: run `git checkout main`" in result.stderr
    assert "reseau init" not in result.stderr
    assert "run `git checkout main`" in invoke("--repo", str(hugo), "status").stderr
    git(hugo, "checkout", "--quiet", "main")
    assert ok("status").exit_code == 0


# -- a setup problem is not a passing one (item 24) ---------------------------------------


@pytest.fixture
def shared(team: Path, tmp_path: Path) -> Path:
    ok("share", str(tmp_path / "server.git"))
    return team


def test_a_remote_that_does_not_exist_is_a_setup_problem(shared: Path, tmp_path: Path) -> None:
    git(shared, "remote", "set-url", "origin", str(tmp_path / "typo.git"))
    result = refused(shared, "sync", match="this is a setup problem")
    assert "does not appear to be a git repository" in result.stderr
    assert "git remote set-url origin URL" in result.stderr
    assert "again later" not in result.stderr


def test_a_url_git_cannot_use_is_a_setup_problem(shared: Path) -> None:
    git(shared, "remote", "set-url", "origin", "htps://git.example.invalid/team.git")
    refused(shared, "sync", match="this is a setup problem")


def test_refused_credentials_are_a_setup_problem(
    shared: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What ssh says when the server refuses the key, through git's own GIT_SSH_COMMAND."""
    ssh = tmp_path / "ssh.py"
    ssh.write_text(
        "import sys\nsys.stderr.write('git@git.example.invalid: Permission denied "
        "(publickey).\\n')\nsys.exit(255)\n"
    )
    monkeypatch.setenv("GIT_SSH_COMMAND", f"{sys.executable} {ssh}")
    git(shared, "remote", "set-url", "origin", "git@git.example.invalid:team.git")
    result = refused(shared, "sync", match="this is a setup problem")
    assert "Permission denied (publickey)" in result.stderr
    assert "SSH key" in result.stderr


def test_a_network_that_does_not_answer_is_a_passing_problem(shared: Path) -> None:
    git(shared, "remote", "set-url", "origin", "git://127.0.0.1:9/team.git")  # nothing listens
    result = refused(shared, "sync", match="try `reseau sync` again later")
    assert "setup problem" not in result.stderr
    before = snapshot(shared)
    assert invoke("sync").exit_code == 1
    assert snapshot(shared) == before
