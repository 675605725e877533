"""Signed tags: git signs with the user's own key (``user.signingkey``; SSH when
``gpg.format`` is ``ssh``, else OpenPGP) and verifies with its own configuration
(``gpg.ssh.allowedSignersFile`` for SSH, the keyring for OpenPGP)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from reseau_cli.errors import GitError
from reseau_cli.i18n import _
from reseau_cli.vcs._plumbing import run


def signing_key(root: Path) -> str | None:
    """The key git signs with, if the user has configured one."""
    proc = subprocess.run(
        ["git", "config", "--get", "user.signingkey"], cwd=root, capture_output=True, text=True
    )
    value = proc.stdout.strip()
    return value or None


def sign_tag(root: Path, name: str, commit: str, message: str) -> None:
    """A signed, annotated tag ``name`` on ``commit``."""
    try:
        run(root, "tag", "-s", "-m", message, name, commit, what="tag -s")
    except GitError as exc:
        raise GitError(
            _("could not sign the tag {tag}: {error}").format(tag=name, error=exc)
        ) from None


@dataclass(frozen=True)
class Verdict:
    tag: str
    exists: bool
    good: bool
    target: str | None
    detail: str


def verify_tag(root: Path, name: str) -> Verdict:
    """Whether the tag exists, points to which commit, and has a good signature."""
    ref = f"refs/tags/{name}"
    target = subprocess.run(
        ["git", "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
        cwd=root,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not target:
        return Verdict(name, False, False, None, "no signed tag")
    proc = subprocess.run(
        ["git", "verify-tag", "--raw", name], cwd=root, capture_output=True, text=True
    )
    lines = [line for line in (proc.stderr or proc.stdout).splitlines() if line.strip()]
    detail = lines[0].strip() if lines else f"exit {proc.returncode}"
    if proc.returncode == 0:
        good = next((line for line in lines if "Good" in line or "GOODSIG" in line), detail)
        return Verdict(name, True, True, target, good.strip())
    # The last line says why ("Could not verify signature.", "No principal matched.").
    return Verdict(name, True, False, target, lines[-1].strip() if lines else detail)
