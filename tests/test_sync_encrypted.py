"""The team-work scenarios of test_sync, run again on an encrypted repository.

The same test functions, with a ``team`` whose repository is encrypted for Élise and
Hugo (each clone uses its member's identity, the merge driver included), and with the
helpers that read or write a person file by hand going through reseau's store, as a
member's own script would (a sealed file is not YAML one can edit in place).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import test_sync as base
from conftest import git, ok
from reseau_cli.repo import Repository
from test_sync import marcel  # noqa: F401 - the fixture, for the tests below

IDENTITIES: dict[Path, Path] = {}


def _use(clone: Path) -> None:
    import os

    for root, identity in IDENTITIES.items():
        if clone == root or root in clone.parents:
            os.environ["RESEAU_AGE_IDENTITY"] = str(identity)


def _load(clone: Path, pid: str) -> dict[str, Any]:
    _use(clone)
    repo = Repository.open(clone)
    return copy.deepcopy(repo.load_raw("person", pid))


def _edit(clone: Path, pid: str, what: str, change: Callable[[dict[str, Any]], Any]) -> None:
    _use(clone)
    repo = Repository.open(clone)
    with repo.change(f"{pid}: {what}") as writing:
        doc = copy.deepcopy(repo.load_raw("person", pid))
        change(doc)
        writing.put("person", pid, doc)


def _write_intervenant(
    root: Path, ident: str, name: str, kind: str = "professional", **extra: str
) -> None:
    """conftest.write_intervenant, sealed: committed through reseau's write path."""
    _use(root)
    repo = Repository.open(root)
    with repo.change(f"{ident}: add to directory") as writing:
        writing.put(
            "intervenant", ident, {"format": 1, "id": ident, "name": name, "kind": kind, **extra}
        )


def _run(clone: Path, *args: str) -> Any:
    _use(clone)
    return ok("--repo", str(clone), *args)


def _attempt(clone: Path, *args: str) -> Any:
    _use(clone)
    return base.invoke("--repo", str(clone), *args)


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> base.Team:
    """test_sync's team, encrypted from the start for Élise and Hugo."""
    base.no_identity(monkeypatch)
    IDENTITIES.clear()
    recipients = {}
    for who in ("elise", "hugo"):
        path = tmp_path / "keys" / who / "identity.txt"
        recipients[who] = ok("team", "init-keys", "--identity", str(path)).stdout.strip()
        IDENTITIES[tmp_path / who] = path
    monkeypatch.setenv("RESEAU_AGE_IDENTITY", str(IDENTITIES[tmp_path / "elise"]))
    monkeypatch.setattr(base, "load", _load)
    monkeypatch.setattr(base, "edit", _edit)
    monkeypatch.setattr(base, "run", _run)
    monkeypatch.setattr(base, "attempt", _attempt)
    monkeypatch.setattr(base, "write_intervenant", _write_intervenant)
    server = tmp_path / "server.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(server))
    elise = base.clone_as(server, tmp_path / "elise", base.ELISE)
    _run(elise, "init", str(elise), "--team", "Réseau Santé Nord")
    _run(elise, "team", "add-member", "Élise", recipients["elise"])
    _run(elise, "team", "add-member", "Hugo", recipients["hugo"])
    _run(elise, "encrypt", "enable")
    _run(elise, "sync")
    hugo = base.clone_as(server, tmp_path / "hugo", base.HUGO)
    _run(hugo, "sync")
    return base.Team(server, elise, hugo)


# Left out: scenarios that merge with plain git in a clone reseau never ran in (it holds
# no wrapped key before its first `reseau sync`), that read the file's bytes, or whose
# teammate commits a file by hand in clear (`check` then rightly reports it).
LEFT_OUT = {
    "test_a_fresh_clone_registers_the_driver_and_plain_git_pull_uses_it",
    "test_plain_git_merge_of_a_real_conflict_leaves_ours_without_markers",
    "test_push_rejected_because_the_remote_moved_on_during_sync",
}
SCENARIOS = [
    name
    for name in dir(base)
    if name.startswith("test_")
    and name not in LEFT_OUT
    and "team" in base.__dict__[name].__code__.co_varnames
]
for _name in SCENARIOS:
    globals()[_name] = base.__dict__[_name]
