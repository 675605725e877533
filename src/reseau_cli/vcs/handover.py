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
from reseau_cli.vcs._plumbing import run

BRANCH = "refs/heads/handover"
REF_PREFIX = "refs/reseau/handover/"
_SEP = "\x1f"
_END = "\x1e"


def history_bundle(root: Path, path: Path, dest: Path) -> int:
    """Write to ``dest`` the bundle of ``path``'s history; returns how many commits."""
    rel = path.relative_to(root).as_posix()
    fmt = _SEP.join(["%H", "%an", "%ae", "%ad", "%cn", "%ce", "%cd", "%B"]) + _END
    log = run(
        root, "log", "--reverse", "--full-history", "--date=raw", f"--format={fmt}", "--", rel
    )
    commits = [c.strip("\n").split(_SEP) for c in log.split(_END) if c.strip("\n")]
    if not commits:
        raise InvalidInput(f"{rel} has no history: commit it first")
    wanted = "".join(f"{c[0]}:{rel}\n" for c in commits).encode()
    contents = _contents(root, wanted, len(commits))
    stream = bytearray()
    for mark, (fields, content) in enumerate(zip(commits, contents, strict=True), 1):
        _, an, ae, ad, cn, ce, cd, message = fields
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
        run(where, "bundle", "create", "-q", str(dest), BRANCH)
    return len(commits)


def _contents(root: Path, wanted: bytes, count: int) -> list[bytes | None]:
    """The file's content at each commit (None where it did not exist)."""
    proc = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=root, input=wanted, capture_output=True, check=False
    )
    if proc.returncode != 0:
        raise GitError("git cat-file failed: " + proc.stderr.decode(errors="replace").strip())
    out, at = proc.stdout, 0
    found: list[bytes | None] = []
    for _ in range(count):
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


def receive(root: Path, bundle: Path, ref: str) -> None:
    """Fetch the handover bundle's history under ``ref``; refused when it is not one."""
    if run_ok(root, "bundle", "verify", "-q", str(bundle)) is None:
        raise InvalidInput("the history in the handover is not a valid git bundle")
    heads = run(root, "bundle", "list-heads", str(bundle)).split()
    if BRANCH not in heads:
        raise InvalidInput("the history in the handover has no handover branch")
    run(root, "fetch", "-q", "--no-tags", "--no-write-fetch-head", str(bundle), f"+{BRANCH}:{ref}")


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


def count(root: Path, ref: str) -> int:
    return int(run(root, "rev-list", "--count", ref) or 0)


def taken(root: Path, ref: str) -> bool:
    return run_ok(root, "rev-parse", "--verify", "--quiet", ref) is not None
