"""Signed validation tags travel with `reseau sync` (a bare repository as the team's
server, two clones, SSH keys made here): `reseau verify` checks the same signatures in
every clone; a tag is never moved or deleted, and one that differs is said."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from test_sync import ELISE, HUGO, Team, attempt, git, marcel, run, team  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None, reason="ssh-keygen (openssh-client) is not installed"
)


def _signers(clones: Team, tmp_path: Path) -> None:
    """Each clone signs with its own SSH key; both trust both (one allowed signers file)."""
    allowed = tmp_path / "allowed_signers"
    for clone, who in ((clones.elise, ELISE), (clones.hugo, HUGO)):
        key = tmp_path / f"key-{clone.name}"
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", clone.name, "-f", str(key)],
            check=True,
        )
        with allowed.open("a") as handle:
            handle.write(f"{who[1]} {key.with_suffix('.pub').read_text()}")
        git(clone, "config", "gpg.format", "ssh")
        git(clone, "config", "user.signingkey", str(key.with_suffix(".pub")))
    for clone in (clones.elise, clones.hugo):
        git(clone, "config", "gpg.ssh.allowedSignersFile", str(allowed))


def _tags(clone: Path) -> dict[str, str]:
    listed = git(clone, "for-each-ref", "--format=%(refname) %(objectname)", "refs/tags/")
    return dict(line.split(" ") for line in listed.splitlines())


def _validate(clone: Path, pid: str) -> str:
    return run(clone, "plan", "validate", pid, "--with", "anne-lambert").stdout.strip()


@pytest.fixture
def sent(team: Team, marcel: str, tmp_path: Path) -> str:  # noqa: F811
    """Both clones sign; Élise validated Marcel's plan and synced: the tag's ref."""
    _signers(team, tmp_path)
    validation = _validate(team.elise, marcel)
    assert "warning" not in run(team.elise, "sync").stderr
    return f"refs/tags/reseau/validation/{marcel}/{validation}"


def test_a_signed_validation_reaches_the_other_clone(
    team: Team,  # noqa: F811
    marcel: str,  # noqa: F811
    sent: str,
) -> None:
    assert sent in _tags(team.server)
    run(team.hugo, "sync")
    assert _tags(team.hugo) == _tags(team.elise) == _tags(team.server)
    verified = run(team.hugo, "verify", marcel)
    assert "good" in verified.stdout and "unsigned" not in verified.stdout
    # Hugo validates in turn: it travels back, and nothing is sent twice.
    second = _validate(team.hugo, marcel)
    run(team.hugo, "sync")
    run(team.elise, "sync")
    assert f"refs/tags/reseau/validation/{marcel}/{second}" in _tags(team.elise)
    assert _tags(team.elise) == _tags(team.hugo) == _tags(team.server)
    assert run(team.elise, "verify", marcel).stdout.count("good") == 2


def test_a_tag_made_before_is_sent_by_a_sync_with_nothing_else_to_do(
    team: Team,  # noqa: F811
    sent: str,
) -> None:
    git(team.server, "update-ref", "-d", sent)  # as a server that never had it
    result = run(team.elise, "sync")  # no commit to exchange
    assert "warning" not in result.stderr
    assert sent in _tags(team.server)
    assert _tags(team.server) == _tags(team.elise)


def test_a_tag_that_differs_is_kept_on_each_side_and_said(
    team: Team,  # noqa: F811
    marcel: str,  # noqa: F811
    sent: str,
) -> None:
    run(team.hugo, "sync")
    tag = sent
    validation = tag.rsplit("/", 1)[1]
    # Hugo's tag is replaced here by an edited one (a forgery, or a tag made again).
    text = git(team.hugo, "cat-file", "tag", tag).replace("plan validation", "plan VALIDATION")
    forged = subprocess.run(
        ["git", "mktag"], cwd=team.hugo, input=text, capture_output=True, text=True, check=True
    ).stdout.strip()
    git(team.hugo, "update-ref", f"{tag}", forged)
    server_before = _tags(team.server)
    result = attempt(team.hugo, "sync")
    assert result.exit_code == 0, result.stderr
    assert f"reseau/validation/{marcel}/{validation} is not the same on origin" in result.stderr
    assert _tags(team.server) == server_before  # the server's tag is not moved
    assert _tags(team.hugo)[tag] == forged  # nor is Hugo's
    assert attempt(team.hugo, "verify", marcel).exit_code == 1  # and it is told BAD there
    assert "good" in run(team.elise, "verify", marcel).stdout


def test_tags_pass_the_servers_pre_receive_hook(
    team: Team,  # noqa: F811
    marcel: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    from conftest import ok

    ok("--repo", str(team.server), "hooks", "install", "--server")
    _signers(team, tmp_path)
    validation = _validate(team.elise, marcel)
    result = run(team.elise, "sync")
    assert "warning" not in result.stderr
    assert f"refs/tags/reseau/validation/{marcel}/{validation}" in _tags(team.server)
