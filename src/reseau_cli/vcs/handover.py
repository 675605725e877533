"""A person's history carried from one repository to another as a git bundle.

The sender's repository holds every person's files: its history cannot travel as it is.
``history_bundle`` writes, in a scratch repository, one commit per commit that changed
the person's file (same author, committer, dates and message, holding that file alone)
and bundles them. ``receive`` fetches such a bundle under a ref of the receiving
repository (``refs/reseau/handover/<id>``), where ``git log`` shows who changed what.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from reseau_cli.errors import GitError, InvalidInput
from reseau_cli.i18n import _
from reseau_cli.vcs._plumbing import run

BRANCH = "refs/heads/handover"
TAG = "refs/tags/handover"
REF_PREFIX = "refs/reseau/handover/"
_SEP = "\x1f"
_END = "\x1e"


def history_bundle(root: Path, path: Path, dest: Path, *, seal: str | None = None) -> int:
    """Write to ``dest`` the bundle of ``path``'s history; returns how many commits.
    With ``seal`` (a message), the last commit also gets a tag ``handover`` holding it,
    signed with the user's signing key as their own repository configures it."""
    rel = path.relative_to(root).as_posix()
    fmt = _SEP.join(["%H", "%an", "%ae", "%ad", "%cn", "%ce", "%cd", "%B"]) + _END
    log = run(
        root, "log", "--reverse", "--full-history", "--date=raw", f"--format={fmt}", "--", rel
    )
    commits = [c.strip("\n").split(_SEP) for c in log.split(_END) if c.strip("\n")]
    if not commits:
        raise InvalidInput(_("{path} has no history: commit it first").format(path=rel))
    wanted = "".join(f"{c[0]}:{rel}\n" for c in commits).encode()
    contents = _contents(root, wanted, len(commits))
    stream = bytearray()
    for mark, (fields, content) in enumerate(zip(commits, contents, strict=True), 1):
        _sha, an, ae, ad, cn, ce, cd, message = fields
        body = (message if message.endswith("\n") else message + "\n").encode()
        stream += f"commit {BRANCH}\nmark :{mark}\n".encode()
        stream += f"author {an} <{ae}> {ad}\ncommitter {cn} <{ce}> {cd}\n".encode()
        stream += f"data {len(body)}\n".encode() + body + b"\n"
        if mark > 1:
            stream += f"from :{mark - 1}\n".encode()
        if content is None:
            stream += f"D {rel}\n".encode()
        else:
            stream += f"M 100644 inline {rel}\ndata {len(content)}\n".encode() + content + b"\n"
    with tempfile.TemporaryDirectory(prefix="reseau-handover-") as scratch:
        where = Path(scratch)
        run(where, "init", "-q", "--bare", ".")
        run(where, "fast-import", "--quiet", "--done", stdin=bytes(stream) + b"done\n")
        refs = [BRANCH]
        if seal is not None:
            options = [o for k, v in _signing_config(root) for o in ("-c", f"{k}={v}")]
            try:
                run(where, *options, "tag", "-s", "-m", seal, "handover", BRANCH, what="tag -s")
            except GitError as exc:
                raise GitError(
                    _("could not sign the handover: {error}").format(error=exc)
                ) from None
            refs.append(TAG)
        run(where, "bundle", "create", "-q", str(dest), *refs)
    return len(commits)


def _contents(root: Path, wanted: bytes, count: int) -> list[bytes | None]:
    """The file's content at each commit (None where it did not exist)."""
    proc = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=root, input=wanted, capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise GitError(
            _("git {command} failed: {reason}").format(
                command="cat-file", reason=proc.stderr.decode(errors="replace").strip()
            )
        )
    out, at = proc.stdout, 0
    found: list[bytes | None] = []
    for _n in range(count):
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if header[-1] == b"missing":
            found.append(None)
            continue
        size = int(header[2])
        found.append(out[at : at + size])
        at += size + 1
    return found


def _signing_config(root: Path) -> list[tuple[str, str]]:
    """The user's signing settings (key, format, programs), for the scratch repository."""
    proc = subprocess.run(
        [
            "git",
            "config",
            "-z",
            "--get-regexp",
            r"^(user\.signingkey|user\.name|user\.email|gpg\.)",
        ],
        cwd=root,
        capture_output=True,
        text=True,
    )
    found = []
    for item in proc.stdout.split("\0"):
        key, _, value = item.partition("\n")
        if key:
            found.append((key, value))
    return found


def seal_of(root: Path, ref: str) -> tuple[str, str] | None:
    """The signed tag received with a handover: its message and the commit it names."""
    tag = f"{ref}-seal"
    if run_ok(root, "rev-parse", "--verify", "--quiet", tag) is None:
        return None
    body = run(root, "cat-file", "tag", tag)
    commit = run(root, "rev-parse", f"{tag}^{{commit}}")
    return body, commit


def verify_seal(root: Path, ref: str) -> tuple[bool, str]:
    """Whether git verifies the signature of the tag received with a handover."""
    tag = run(root, "rev-parse", f"{ref}-seal")
    proc = subprocess.run(
        ["git", "verify-tag", "--raw", tag], cwd=root, capture_output=True, text=True
    )
    lines = [line.strip() for line in (proc.stderr or proc.stdout).splitlines() if line.strip()]
    if proc.returncode == 0:
        good = next((line for line in lines if "Good" in line or "GOODSIG" in line), "")
        return True, good or (lines[0] if lines else "good signature")
    return False, lines[-1] if lines else f"exit {proc.returncode}"


def receive(root: Path, bundle: Path, ref: str) -> None:
    """Fetch the handover bundle's history under ``ref``; refused when it is not one."""
    if run_ok(root, "bundle", "verify", "-q", str(bundle)) is None:
        raise InvalidInput(_("the history in the handover is not a valid git bundle"))
    heads = run(root, "bundle", "list-heads", str(bundle)).split()
    if BRANCH not in heads:
        raise InvalidInput(_("the history in the handover has no handover branch"))
    specs = [f"+{BRANCH}:{ref}"]
    if TAG in heads:
        specs.append(f"+{TAG}:{ref}-seal")
    run(root, "fetch", "-q", "--no-tags", "--no-write-fetch-head", str(bundle), *specs)


def run_ok(root: Path, *args: str) -> str | None:
    try:
        return run(root, *args)
    except GitError:
        return None


def show(root: Path, ref: str, rel: str) -> bytes | None:
    """The bytes of ``rel`` at ``ref``, or None."""
    proc = subprocess.run(
        ["git", "cat-file", "blob", f"{ref}:{rel}"], cwd=root, capture_output=True, check=False
    )
    return proc.stdout if proc.returncode == 0 else None


def drop(root: Path, ref: str) -> None:
    run_ok(root, "update-ref", "-d", ref)
    run_ok(root, "update-ref", "-d", f"{ref}-seal")


def commit_of(root: Path, ref: str) -> str:
    return run(root, "rev-parse", ref)


def count(root: Path, ref: str) -> int:
    return int(run(root, "rev-list", "--count", ref) or 0)


def taken(root: Path, ref: str) -> bool:
    return run_ok(root, "rev-parse", "--verify", "--quiet", ref) is not None
