"""`reseau log PERSON` lists every commit that touched the file, merges included, also
after `sync --theirs` replaced one's own change by the other side's (issue 11, item 8)."""

from __future__ import annotations

from pathlib import Path

import yaml

from conftest import git, ok
from reseau_cli import store


def _set_situation(clone: Path, pid: str, text: str, message: str) -> None:
    path = clone / "persons" / f"{pid}.yaml"
    doc = yaml.load(path.read_text(), Loader=store.Loader)
    doc["situation"] = text
    path.write_text(store.dump(doc))
    git(clone, "commit", "--quiet", "-am", message)


def test_log_of_a_person_keeps_the_overridden_commit_and_the_merge(
    team: Path, marcel: str, tmp_path: Path
) -> None:
    server = tmp_path / "server.git"
    ok("share", str(server))
    hugo = tmp_path / "hugo"
    git(tmp_path, "clone", "--quiet", str(server), str(hugo))
    _set_situation(team, marcel, "Back home; the nurse comes every evening.", f"{marcel}: elise")
    _set_situation(hugo, marcel, "Back home; his son visits on Sundays.", f"{marcel}: hugo")
    ok("sync")
    ok("--repo", str(hugo), "sync", "--theirs", marcel)
    # Hugo's version of the file is now exactly Élise's: git's default history
    # simplification would follow her side only.
    messages = [
        line.split("  ")[-1].strip()
        for line in ok("--repo", str(hugo), "log", marcel).stdout.splitlines()
    ]
    assert messages[0] == "sync: merge origin/main"
    assert f"{marcel}: hugo" in messages and f"{marcel}: elise" in messages
    assert messages[-1] == f"{marcel}: add person"
    # The repository's own history is unchanged by this.
    assert len(ok("--repo", str(hugo), "log").stdout.splitlines()) == len(
        git(hugo, "log", "--format=%H").splitlines()
    )
