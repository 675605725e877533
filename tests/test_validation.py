"""`reseau plan validate` and `reseau verify`: validations recorded, signed with an SSH
key made in the test, checked; what changed in the plan since."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import AUTHOR, commits, git, invoke, ok, refused
from example_repo import example_team

needs_ssh_keygen = pytest.mark.skipif(
    shutil.which("ssh-keygen") is None, reason="ssh-keygen (openssh-client) is not installed"
)


@pytest.fixture
def examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return example_team(tmp_path / "team", monkeypatch)


def _ssh_key(root: Path, tmp_path: Path, name: str = "key") -> Path:
    """An SSH key made here, configured as the git signing key of ``root``."""
    key = tmp_path / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True
    )
    allowed = tmp_path / "allowed_signers"
    with allowed.open("a") as handle:
        handle.write(f"{AUTHOR[1]} {(tmp_path / f'{name}.pub').read_text()}")
    git(root, "config", "gpg.format", "ssh")
    git(root, "config", "user.signingkey", str(tmp_path / f"{name}.pub"))
    git(root, "config", "gpg.ssh.allowedSignersFile", str(allowed))
    return key


def _doc(root: Path, person: str) -> dict:
    return yaml.safe_load((root / "persons" / f"{person}.yaml").read_text())


def test_an_unsigned_validation_and_the_changes_since(examples: Path) -> None:
    before = git(examples, "rev-parse", "HEAD").strip()
    result = ok(
        "plan",
        "validate",
        "p-1n3sb0",
        "--with",
        "maxime-dubois",
        "--with",
        "nadia-benali",
        "--person-agreed",
        "--date",
        "2026-11-20",
    )
    validation = result.stdout.strip()
    assert "unsigned" in result.stderr
    assert commits(examples)[0] == f"p-1n3sb0: validate plan {validation}"
    (record,) = _doc(examples, "p-1n3sb0")["plan"]["validations"]
    assert record == {
        "id": validation,
        "date": "2026-11-20",
        "with": ["maxime-dubois", "nadia-benali"],
        "person_agreed": True,
        "commit": before,
    }
    assert git(examples, "tag", "-l") == ""
    result = ok("verify", "p-1n3sb0")
    assert "unsigned" in result.stdout
    assert "no change to the plan since" in result.stdout
    ok("plan", "action", "set", "p-1n3sb0", "a-v1s1", "--status", "done")
    objective = ok("plan", "objective", "add", "p-1n3sb0", "Passer le permis").stdout.strip()
    result = ok("verify")
    assert "action a-v1s1 status: planned → done" in result.stdout
    assert f"objective {objective} added: Passer le permis" in result.stdout


@needs_ssh_keygen
def test_a_validation_signed_with_an_ssh_key(examples: Path, tmp_path: Path) -> None:
    _ssh_key(examples, tmp_path)
    result = ok("plan", "validate", "p-1n3sb0", "--with", "maxime-dubois")
    validation = result.stdout.strip()
    tag = f"reseau/validation/p-1n3sb0/{validation}"
    assert f"signed: tag {tag}" in result.stderr
    assert git(examples, "rev-parse", f"{tag}^{{commit}}") == git(examples, "rev-parse", "HEAD")
    git(examples, "verify-tag", tag)  # git itself agrees
    result = ok("verify", "p-1n3sb0")
    assert "good" in result.stdout and "Good" in result.stdout

    # Someone edits the signed tag's message: the signature no longer verifies.
    text = git(examples, "cat-file", "tag", tag).replace("plan validation", "plan VALIDATION")
    forged = subprocess.run(
        ["git", "mktag"], cwd=examples, input=text, capture_output=True, text=True, check=True
    ).stdout.strip()
    git(examples, "update-ref", f"refs/tags/{tag}", forged)
    result = invoke("verify", "p-1n3sb0")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "BAD" in result.stdout
    assert "signature fails" in result.stderr


@needs_ssh_keygen
def test_a_tag_signed_by_an_unknown_key_fails(examples: Path, tmp_path: Path) -> None:
    _ssh_key(examples, tmp_path)
    validation = ok("plan", "validate", "p-a2b7kq").stdout.strip()
    tag = f"reseau/validation/p-a2b7kq/{validation}"
    other = tmp_path / "other"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(other)], check=True)
    git(examples, "-c", f"user.signingkey={other}.pub", "tag", "-f", "-s", "-m", "x", tag, "HEAD")
    result = invoke("verify")
    assert result.exit_code == 1
    assert "BAD" in result.stdout


@needs_ssh_keygen
def test_the_team_can_require_signed_validations(examples: Path, tmp_path: Path) -> None:
    settings = examples / "reseau.yaml"
    settings.write_text(settings.read_text() + "require_signed_validation: true\n")
    git(examples, "commit", "-qam", "require signed validations")
    refused(examples, "plan", "validate", "p-1n3sb0", match="requires signed validations")
    _ssh_key(examples, tmp_path)
    ok("plan", "validate", "p-1n3sb0")
    ok("verify")
    git(examples, "config", "--unset", "user.signingkey")
    # An unsigned validation recorded by hand (say, before the setting): verify fails.
    doc = _doc(examples, "p-a2b7kq")
    doc["plan"]["validations"] = [{"id": "v-hand", "date": "2026-11-01"}]
    (examples / "persons" / "p-a2b7kq.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True))
    git(examples, "commit", "-qam", "p-a2b7kq: a validation by hand")
    assert invoke("verify").exit_code == 1
    assert invoke("verify", "p-1n3sb0").exit_code == 0


def test_refusals(examples: Path) -> None:
    refused(
        examples,
        "plan",
        "validate",
        "p-1n3sb0",
        "--with",
        "anne-lambert",
        match="not in p-1n3sb0's network",
    )
    refused(examples, "plan", "validate", "p-1n3sb0", "--date", "2026-02-30", match="2026-02-30")
    refused(examples, "plan", "validate", "p-nobody", match="p-nobody")
    ok("person", "close", "p-1n3sb0", "--reason", "Déménagement")
    refused(examples, "plan", "validate", "p-1n3sb0", match="closed")
    assert "No validated plan" in ok("verify").stderr
