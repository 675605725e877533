"""Team work through a shared remote: `reseau sync` and the merge driver, on real git.

A bare repository plays the team's git server; Élise and Hugo each have a clone with
their own git identity (set in the clone, none in the environment).
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import Result

from conftest import (
    TODAY,
    commits,
    git,
    invoke,
    no_identity,
    ok,
    refused,
    snapshot,
    write_intervenant,
)
from reseau_cli import schemas, store, vcs

ELISE = ("Élise Marchal", "elise.marchal@reseau-sante-nord.example")
HUGO = ("Hugo Servais", "hugo.servais@reseau-sante-nord.example")


@dataclass
class Team:
    server: Path
    elise: Path
    hugo: Path


def clone_as(server: Path, path: Path, who: tuple[str, str]) -> Path:
    git(path.parent, "clone", "--quiet", str(server), str(path))
    git(path, "config", "user.name", who[0])
    git(path, "config", "user.email", who[1])
    return path


def run(clone: Path, *args: str) -> Result:
    return ok("--repo", str(clone), *args)


def attempt(clone: Path, *args: str) -> Result:
    return invoke("--repo", str(clone), *args)


def person_file(clone: Path, pid: str) -> Path:
    return clone / "persons" / f"{pid}.yaml"


def load(clone: Path, pid: str) -> dict[str, Any]:
    return yaml.load(person_file(clone, pid).read_text(), Loader=store.Loader)


def edit(clone: Path, pid: str, what: str, change: Callable[[dict[str, Any]], Any]) -> None:
    """A change to a person file committed in that clone, under its own identity."""
    doc = load(clone, pid)
    change(doc)
    assert not schemas.problems("person", doc, path=pid)
    person_file(clone, pid).write_text(store.dump(schemas.order("person", doc)))
    git(clone, "commit", "--quiet", "-am", f"{pid}: {what}")


def action(doc: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(a for a in doc["plan"]["actions"] if a["id"] == ident)


def head(clone: Path) -> str:
    return git(clone, "rev-parse", "HEAD").strip()


def no_markers(clone: Path) -> bool:
    return not any(
        "<<<<<<<" in p.read_text() or ">>>>>>>" in p.read_text()
        for p in clone.rglob("*.yaml")
        if ".git" not in p.parts
    )


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Team:
    """The server and two clones; Élise created the data repository and pushed it."""
    no_identity(monkeypatch)
    server = tmp_path / "server.git"
    git(tmp_path, "init", "--quiet", "--bare", "--initial-branch=main", str(server))
    elise = clone_as(server, tmp_path / "elise", ELISE)
    run(elise, "init", str(elise), "--team", "Réseau Santé Nord")
    assert "Sent 1 commit(s) to origin/main" in run(elise, "sync").stderr
    hugo = clone_as(server, tmp_path / "hugo", HUGO)
    return Team(server, elise, hugo)


@pytest.fixture
def marcel(team: Team) -> str:
    """Marcel Janssens (case 1), in both clones: GP, nurse (coordinator), social worker."""
    for ident, name in (
        ("anne-lambert", "Dr Anne Lambert"),
        ("karim-ouali", "Karim Ouali"),
        ("sophie-claes", "Sophie Claes"),
        ("julie-peeters", "Julie Peeters"),
    ):
        write_intervenant(team.elise, ident, name)
    write_intervenant(team.elise, "luc-janssens", "Luc Janssens", "carer")
    pid = run(
        team.elise,
        "person",
        "add",
        "--family-name",
        "Janssens",
        "--given-name",
        "Marcel",
        "--since",
        "2026-09-01",
    ).stdout.strip()

    def seed(d: dict[str, Any]) -> None:
        d["network"] = [
            {"intervenant": who, "role": role, "since": "2026-09-01"}
            for who, role in (
                ("anne-lambert", "médecin traitant"),
                ("karim-ouali", "infirmier"),
                ("sophie-claes", "assistante sociale de l'hôpital"),
            )
        ]
        d["coordination"] = {
            "coordinator": "karim-ouali",
            "concertation_lead": None,
            "history": [
                {"role": "coordinator", "intervenant": "karim-ouali", "since": "2026-09-15"}
            ],
        }
        d["plan"]["objectives"] = [
            {"id": "o-k2f7", "text": "Rester vivre chez moi", "status": "active"}
        ]
        d["plan"]["actions"] = [
            {
                "id": "a-3f9k",
                "objective": "o-k2f7",
                "text": "Demande d'allocation d'aide à domicile",
                "by": "sophie-claes",
                "created": "2026-09-15",
                "due": "2026-12-01",
                "status": "planned",
            }
        ]

    edit(team.elise, pid, "network, coordinator and plan", seed)
    run(team.elise, "sync")
    run(team.hugo, "sync")
    assert load(team.hugo, pid) == load(team.elise, pid)
    return pid


# -- scenarios of the issue ---------------------------------------------------------------------


def test_independent_additions_in_two_clones_are_all_kept(team: Team, marcel: str) -> None:
    pid = marcel

    def elise_adds(d: dict[str, Any]) -> None:
        d["network"].append(
            {"intervenant": "julie-peeters", "role": "kinésithérapeute", "since": TODAY}
        )
        d["plan"]["objectives"].append(
            {"id": "o-e1s3", "text": "Marcher jusqu'au parc", "status": "active"}
        )
        d["plan"]["actions"].append(
            {
                "id": "a-e1s3",
                "objective": "o-e1s3",
                "text": "Kiné 2×/semaine",
                "by": "julie-peeters",
                "created": TODAY,
                "status": "planned",
            }
        )
        d["concertations"].append(
            {
                "id": "c-e1s3",
                "status": "planned",
                "kind": "synthesis",
                "date": "2026-12-10",
                "invited": ["julie-peeters", "karim-ouali"],
                "agenda": ["Kinésithérapie"],
            }
        )

    def hugo_adds(d: dict[str, Any]) -> None:
        d["identity"]["phone"] = "+32 81 22 33 44"
        d["network"].append({"intervenant": "luc-janssens", "role": "fils, aidant", "since": TODAY})
        d["plan"]["objectives"].append(
            {"id": "o-h7g0", "text": "Voir mon fils chaque semaine", "status": "active"}
        )
        d["plan"]["actions"].append(
            {
                "id": "a-h7g0",
                "objective": "o-h7g0",
                "text": "Appel quotidien",
                "by": "luc-janssens",
                "created": TODAY,
                "status": "ongoing",
            }
        )
        d["concertations"].append(
            {
                "id": "c-h7g0",
                "status": "planned",
                "kind": "coordination",
                "date": "2026-12-12",
                "invited": ["luc-janssens"],
                "agenda": ["Week-ends"],
            }
        )

    edit(team.elise, pid, "physiotherapy", elise_adds)
    write_intervenant(team.hugo, "rosa-costa", "Rosa Costa", "volunteer")
    edit(team.hugo, pid, "son as carer", hugo_adds)

    assert "Sent" in run(team.elise, "sync").stderr
    merged = run(team.hugo, "sync")
    assert "Merged 1 commit(s) from origin/main" in merged.stderr
    assert "Received" in run(team.elise, "sync").stderr

    doc = load(team.elise, pid)  # Hugo merged: his additions first, then Élise's
    assert person_file(team.elise, pid).read_text() == person_file(team.hugo, pid).read_text()
    assert [m["intervenant"] for m in doc["network"]][-2:] == ["luc-janssens", "julie-peeters"]
    assert [o["id"] for o in doc["plan"]["objectives"]] == ["o-k2f7", "o-h7g0", "o-e1s3"]
    assert [a["id"] for a in doc["plan"]["actions"]] == ["a-3f9k", "a-h7g0", "a-e1s3"]
    assert [c["id"] for c in doc["concertations"]] == ["c-h7g0", "c-e1s3"]
    assert doc["identity"]["phone"] == "+32 81 22 33 44"
    assert (team.elise / "intervenants" / "rosa-costa.yaml").is_file()
    for clone in (team.elise, team.hugo):
        assert "no problem" in run(clone, "check").stdout
        assert no_markers(clone)
        assert git(clone, "status", "--porcelain") == ""
    assert head(team.elise) == head(team.hugo) == git(team.server, "rev-parse", "main").strip()
    assert commits(team.hugo)[0] == "sync: merge origin/main"
    assert git(team.hugo, "log", "-1", "--format=%an").strip() == HUGO[0]
    history = run(team.elise, "log", pid).stdout
    assert ELISE[0] in history and HUGO[0] in history
    assert f"{pid}: physiotherapy" in history and f"{pid}: son as carer" in history


def test_membership_ended_while_an_action_is_assigned_to_it(team: Team, marcel: str) -> None:
    pid = marcel
    run(team.elise, "intervenant", "end", pid, "sophie-claes", "--reason", "Marcel est rentré")
    new = {
        "id": "a-r3l4",
        "text": "Relancer la mutualité",
        "by": "sophie-claes",
        "created": TODAY,
        "status": "planned",
    }
    edit(team.hugo, pid, "add action", lambda d: d["plan"]["actions"].append(new))
    run(team.elise, "sync")
    run(team.hugo, "sync")
    run(team.elise, "sync")
    for clone in (team.elise, team.hugo):
        doc = load(clone, pid)
        assert doc["network"][2]["until"] == TODAY
        assert action(doc, "a-r3l4") == new
        assert "no problem" in run(clone, "check").stdout
    assert head(team.elise) == head(team.hugo)
    # `reseau status` flags an intervenant who left but still holds open actions:
    # the one assigned in Hugo's clone included.
    for clone in (team.elise, team.hugo):
        alerts = json.loads(run(clone, "status", "--json").stdout)
        left = {a["ref"] for a in alerts if a["kind"] == "responsible-left" and a["person"] == pid}
        assert left == {"a-3f9k", "a-r3l4"}


def test_same_due_date_changed_differently_is_a_reported_conflict(team: Team, marcel: str) -> None:
    pid = marcel

    def elise(d: dict[str, Any]) -> None:
        action(d, "a-3f9k")["due"] = "2026-12-10"
        d["identity"]["phone"] = "+32 81 22 33 44"

    def hugo(d: dict[str, Any]) -> None:
        action(d, "a-3f9k")["due"] = "2026-12-15"
        d["situation"] = "Rentré à domicile le 20 novembre."

    edit(team.elise, pid, "due date", elise)
    edit(team.hugo, pid, "due date", hugo)
    run(team.elise, "sync")
    before = snapshot(team.hugo)
    result = attempt(team.hugo, "sync")
    assert result.exit_code == 1, result.stderr
    err = result.stderr
    assert err.startswith("error: conflicting changes with origin/main")
    assert f"{pid}  plan.actions[a-3f9k].due" in err
    assert "yours:  2026-12-15" in err and "theirs: 2026-12-10" in err
    assert f"reseau sync --theirs persons/{pid}.yaml" in err
    assert f"reseau sync --ours persons/{pid}.yaml" in err
    assert "Traceback" not in err
    # Nothing lost, nothing half-done: the working copy is exactly as before sync.
    assert snapshot(team.hugo) == before
    assert not (team.hugo / ".git" / "MERGE_HEAD").exists()
    assert not list((team.hugo / ".git" / vcs.CONFLICTS_DIR).glob("*.json"))
    assert no_markers(team.hugo)
    assert "no problem" in run(team.hugo, "check").stdout
    assert git(team.server, "rev-parse", "main").strip() == head(team.elise)

    chosen = run(team.hugo, "sync", "--theirs", f"persons/{pid}.yaml")
    assert f"persons/{pid}.yaml: kept their value for plan.actions[a-3f9k].due" in chosen.stderr
    doc = load(team.hugo, pid)
    assert action(doc, "a-3f9k")["due"] == "2026-12-10"
    assert doc["identity"]["phone"] == "+32 81 22 33 44"  # Élise's other change
    assert doc["situation"] == "Rentré à domicile le 20 novembre."  # Hugo's other change
    run(team.elise, "sync")
    assert load(team.elise, pid) == doc
    assert head(team.elise) == head(team.hugo)


def test_multi_line_values_of_a_conflict_stay_under_their_line(team: Team, marcel: str) -> None:
    pid = marcel
    edit(team.elise, pid, "situation", lambda d: d.update(situation="Vit seul.\nFils à 60 km."))
    edit(team.hugo, pid, "situation", lambda d: d.update(situation="Vit seul.\nVoisine a la clé."))
    run(team.elise, "sync")
    result = attempt(team.hugo, "sync")
    assert result.exit_code == 1
    assert (
        f"  {pid}  situation\n"
        "      yours:  Vit seul.\n"
        "              Voisine a la clé.\n"
        "      theirs: Vit seul.\n"
        "              Fils à 60 km.\n"
    ) in result.stderr
    assert f"`reseau person edit {pid}`" in result.stderr


def test_choosing_ours_for_a_conflict_by_person_id(team: Team, marcel: str) -> None:
    pid = marcel
    edit(team.elise, pid, "due", lambda d: action(d, "a-3f9k").update(due="2026-12-10"))
    edit(team.hugo, pid, "due", lambda d: action(d, "a-3f9k").update(due="2026-12-15"))
    run(team.elise, "sync")
    chosen = run(team.hugo, "sync", "--ours", pid)
    assert "kept your value for plan.actions[a-3f9k].due" in chosen.stderr
    assert action(load(team.hugo, pid), "a-3f9k")["due"] == "2026-12-15"
    run(team.elise, "sync")
    assert action(load(team.elise, pid), "a-3f9k")["due"] == "2026-12-15"


def test_agreeing_with_their_value_then_syncing_again(team: Team, marcel: str) -> None:
    pid = marcel
    edit(team.elise, pid, "due", lambda d: action(d, "a-3f9k").update(due="2026-12-10"))
    edit(team.hugo, pid, "due", lambda d: action(d, "a-3f9k").update(due="2026-12-15"))
    run(team.elise, "sync")
    assert attempt(team.hugo, "sync").exit_code == 1
    edit(
        team.hugo,
        pid,
        "due as Élise set it",
        lambda d: action(d, "a-3f9k").update(due="2026-12-10"),
    )
    assert "Merged" in run(team.hugo, "sync").stderr
    assert action(load(team.hugo, pid), "a-3f9k")["due"] == "2026-12-10"


def test_both_create_a_person_at_the_same_time(team: Team) -> None:
    names = {}
    for clone, (family, given) in (
        (team.elise, ("Boukhari", "Inès")),
        (team.hugo, ("Vermeulen", "Noah")),
    ):
        names[
            run(
                clone, "person", "add", "--family-name", family, "--given-name", given
            ).stdout.strip()
        ] = family
    assert len(names) == 2
    run(team.elise, "sync")
    run(team.hugo, "sync")
    run(team.elise, "sync")
    for clone in (team.elise, team.hugo):
        for pid, family in names.items():
            assert load(clone, pid)["identity"]["family_name"] == family
        assert "2 person file(s)" in run(clone, "check").stdout
    assert head(team.elise) == head(team.hugo)


def test_the_same_person_id_created_twice_is_a_conflict(team: Team) -> None:
    args = ("person", "add", "--id", "p-noah18", "--family-name", "Vermeulen", "--given-name")
    run(team.elise, *args, "Noah")
    run(team.hugo, *args, "Noé")
    run(team.elise, "sync")
    result = attempt(team.hugo, "sync")
    assert result.exit_code == 1
    assert "p-noah18  identity.given_name" in result.stderr
    assert load(team.hugo, "p-noah18")["identity"]["given_name"] == "Noé"


def _hook(clone: Path, other: Path, *, once: bool) -> None:
    """A pre-push hook that makes the other clone push first: the remote moves on
    between our fetch and our push."""
    flag = clone / ".git" / "moved-once"
    script = f"""#!/bin/sh
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_PREFIX
{f'[ -e "{flag}" ] && exit 0' if once else ""}
touch "{flag}"
cd "{other}" || exit 1
n=$(ls intervenants | wc -l)
printf 'format: 1\\nid: extra-%s\\nname: Extra %s\\nkind: service\\n' $n $n > intervenants/extra-$n.yaml
git add intervenants >/dev/null && git commit -qm "extra-$n: add to directory" && git push -q origin main
"""
    hook = clone / ".git" / "hooks" / "pre-push"
    hook.write_text(script)
    hook.chmod(0o755)


def test_push_rejected_because_the_remote_moved_on_during_sync(team: Team, marcel: str) -> None:
    pid = marcel
    edit(team.hugo, pid, "due", lambda d: action(d, "a-3f9k").update(due="2026-12-15"))
    _hook(team.hugo, team.elise, once=True)
    result = run(team.hugo, "sync")
    assert "2 attempts" in result.stderr
    assert git(team.server, "rev-parse", "main").strip() == head(team.hugo)
    assert (team.hugo / "intervenants" / "extra-5.yaml").is_file()
    assert f"{pid}: due" in commits(team.hugo)
    assert "no problem" in run(team.hugo, "check").stdout


def test_a_remote_that_keeps_moving_stops_with_a_clear_message(team: Team, marcel: str) -> None:
    pid = marcel
    edit(team.hugo, pid, "due", lambda d: action(d, "a-3f9k").update(due="2026-12-15"))
    _hook(team.hugo, team.elise, once=False)
    result = attempt(team.hugo, "sync")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: origin changed again during each of 3")
    assert "run `reseau sync` again" in lines[0]
    assert f"{pid}: due" in commits(team.hugo)  # Hugo's work is committed here
    assert not (team.hugo / ".git" / "MERGE_HEAD").exists()
    assert git(team.hugo, "status", "--porcelain") == ""


def test_a_remote_that_cannot_be_reached(team: Team, marcel: str, tmp_path: Path) -> None:
    edit(team.hugo, marcel, "due", lambda d: action(d, "a-3f9k").update(due="2026-12-15"))
    git(team.hugo, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    refused(team.hugo, "--repo", str(team.hugo), "sync", match="this is a setup problem")
    assert f"{marcel}: due" in commits(team.hugo)


def test_an_unreachable_remote_is_said_in_one_sentence(
    team: Team, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """git only says "fatal: Could not read from remote repository." (ssh said nothing)."""
    monkeypatch.setenv("GIT_SSH_COMMAND", "false")
    git(team.hugo, "remote", "set-url", "origin", "ssh://git.example.invalid/team.git")
    result = refused(team.hugo, "--repo", str(team.hugo), "sync", match="cannot reach")
    assert result.stderr == (
        "error: cannot reach remote 'origin' (ssh://git.example.invalid/team.git): Could not "
        "read from remote repository; nothing was changed here, try `reseau sync` again later\n"
    )


def test_a_merge_that_breaks_a_rule_is_not_committed(team: Team, marcel: str) -> None:
    """Both add the physiotherapist, on two different days: two open memberships."""
    pid = marcel
    edit(
        team.elise,
        pid,
        "add julie-peeters",
        lambda d: d["network"].append(
            {"intervenant": "julie-peeters", "role": "kiné", "since": "2026-11-26"}
        ),
    )
    edit(
        team.hugo,
        pid,
        "add julie-peeters",
        lambda d: d["network"].append(
            {"intervenant": "julie-peeters", "role": "kiné", "since": TODAY}
        ),
    )
    run(team.elise, "sync")
    before = snapshot(team.hugo)
    result = attempt(team.hugo, "sync")
    assert result.exit_code == 1
    assert "'julie-peeters' has two open memberships" in result.stderr
    assert f"reseau sync --ours persons/{pid}.yaml" in result.stderr
    assert f"`reseau person edit {pid}`" in result.stderr and "PERSON" not in result.stderr
    assert snapshot(team.hugo) == before
    chosen = run(team.hugo, "sync", "--ours", f"persons/{pid}.yaml")
    assert "took your whole version" in chosen.stderr
    assert [
        m["since"] for m in load(team.hugo, pid)["network"] if m["intervenant"] == "julie-peeters"
    ] == [TODAY]
    assert "no problem" in run(team.hugo, "check").stdout


# -- the ordinary cases -------------------------------------------------------------------------


def test_nothing_to_do(team: Team) -> None:
    run(team.hugo, "sync")
    assert "Nothing to do" in run(team.hugo, "sync").stderr
    assert "Nothing to do" in run(team.elise, "sync").stderr


def test_only_receiving_is_a_fast_forward(team: Team) -> None:
    run(team.elise, "person", "add", "--family-name", "Boukhari", "--given-name", "Inès")
    run(team.elise, "sync")
    result = run(team.hugo, "sync")
    assert "Received 1 commit(s) from origin/main" in result.stderr
    assert head(team.hugo) == head(team.elise)
    assert "sync: merge" not in git(team.hugo, "log", "--format=%s")


def test_no_remote_says_how_to_add_one(tmp_path: Path) -> None:
    root = tmp_path / "alone"
    ok("init", str(root))
    refused(root, "--repo", str(root), "sync", match="git remote add origin URL")


def test_unknown_or_ambiguous_remote(team: Team, tmp_path: Path) -> None:
    refused(
        team.hugo,
        "--repo",
        str(team.hugo),
        "sync",
        "--remote",
        "backup",
        match="no remote named 'backup'",
    )
    git(team.hugo, "remote", "add", "backup", str(tmp_path / "backup.git"))
    git(team.hugo, "branch", "--unset-upstream")
    git(team.hugo, "remote", "rename", "origin", "server")
    refused(team.hugo, "--repo", str(team.hugo), "sync", match="choose one with --remote NAME")
    run(team.hugo, "sync", "--remote", "server")


def test_uncommitted_changes_are_refused(team: Team, marcel: str) -> None:
    path = person_file(team.hugo, marcel)
    path.write_text(path.read_text() + "# typed by hand\n")
    refused(team.hugo, "--repo", str(team.hugo), "sync", match="uncommitted changes")
    path.write_text(path.read_text().replace("# typed by hand\n", ""))
    (team.hugo / "persons" / "p-byhand.yaml").write_text("format: 1\n")
    result = refused(team.hugo, "--repo", str(team.hugo), "sync", match="persons/p-byhand.yaml")
    assert "commits nothing itself" in result.stderr


def test_sync_in_the_middle_of_a_merge_is_refused(team: Team) -> None:
    (team.hugo / ".git" / "MERGE_HEAD").write_text(head(team.hugo) + "\n")
    refused(team.hugo, "--repo", str(team.hugo), "sync", match="middle of a merge")


def test_choosing_a_side_for_a_file_twice_is_refused(team: Team, marcel: str) -> None:
    hugo = team.hugo
    args = ("sync", "--ours", f"persons/{marcel}.yaml", "--theirs", marcel)
    refused(hugo, "--repo", str(hugo), *args, match="both --ours and --theirs")


@pytest.mark.parametrize(
    ("option", "given", "match"),
    [
        ("--ours", "p-nope", "--ours p-nope: no person or intervenant has that id"),
        ("--theirs", "p-nope", "--theirs p-nope: no person or intervenant has that id"),
        ("--ours", "persons/p-nope.yaml", "--ours persons/p-nope.yaml: not a data file"),
        ("--theirs", ".gitignore", "--theirs .gitignore: not a data file of this repository"),
        ("--theirs", "/etc/hostname", "not a data file of this repository"),
        ("--ours", "persons/", "--ours persons/: not a data file"),
    ],
)
def test_choosing_a_side_for_an_unknown_person_or_file_is_refused_before_anything(
    team: Team, marcel: str, tmp_path: Path, option: str, given: str, match: str
) -> None:
    # The remote is gone: the choice is refused before sync even tries to fetch.
    git(team.hugo, "remote", "set-url", "origin", str(tmp_path / "gone.git"))
    refused(team.hugo, "--repo", str(team.hugo), "sync", option, given, match=match)


def test_choosing_a_side_by_intervenant_id(team: Team, marcel: str) -> None:
    for clone, phone in ((team.elise, "081 11 11 11"), (team.hugo, "081 22 22 22")):
        run(clone, "intervenant", "update", "karim-ouali", "--phone", phone)
    run(team.elise, "sync")
    result = attempt(team.hugo, "sync")
    assert "`reseau intervenant update karim-ouali`" in result.stderr
    chosen = run(team.hugo, "sync", "--theirs", "karim-ouali")
    assert "intervenants/karim-ouali.yaml: kept their value for phone" in chosen.stderr


# -- the merge driver ---------------------------------------------------------------------------


def test_init_registers_the_merge_driver(team: Team) -> None:
    expected = f"{shlex.quote(sys.executable)} -m reseau_cli merge-driver %O %A %B %P"
    assert git(team.elise, "config", "merge.reseau.driver").strip() == expected
    assert vcs.merge_driver_registered(team.elise)


def test_a_fresh_clone_registers_the_driver_and_plain_git_pull_uses_it(
    team: Team, marcel: str, tmp_path: Path
) -> None:
    fresh = clone_as(
        team.server, tmp_path / "nora", ("Nora El Amrani", "nora@reseau-sante-nord.example")
    )
    assert 'merge "reseau"' not in (fresh / ".git" / "config").read_text()
    run(fresh, "person", "list")
    assert vcs.merge_driver_registered(fresh)
    # Both append an action at the same place: a line merge would conflict.
    first = {"id": "a-n0r4", "text": "Repas livrés", "by": "person", "status": "planned"}
    second = {"id": "a-e1s3", "text": "Pendentif d'alarme", "by": "person", "status": "planned"}
    edit(fresh, marcel, "meals", lambda d: d["plan"]["actions"].append(first))
    edit(team.elise, marcel, "alarm", lambda d: d["plan"]["actions"].append(second))
    run(team.elise, "sync")
    git(fresh, "pull", "--quiet", "--no-rebase", "--no-edit", "origin", "main")
    assert [a["id"] for a in load(fresh, marcel)["plan"]["actions"]] == [
        "a-3f9k",
        "a-n0r4",
        "a-e1s3",
    ]
    assert no_markers(fresh)


def test_plain_git_merge_of_a_real_conflict_leaves_ours_without_markers(
    team: Team, marcel: str
) -> None:
    clone, pid = team.hugo, marcel
    git(clone, "switch", "--quiet", "-c", "other")
    edit(clone, pid, "due", lambda d: action(d, "a-3f9k").update(due="2026-12-10"))
    git(clone, "switch", "--quiet", "main")
    edit(clone, pid, "due", lambda d: action(d, "a-3f9k").update(due="2026-12-15"))
    ours = person_file(clone, pid).read_text()
    done = subprocess.run(["git", "merge", "other"], cwd=clone, capture_output=True, text=True)
    assert done.returncode != 0
    assert "plan.actions[a-3f9k].due changed on both sides" in done.stdout + done.stderr
    assert person_file(clone, pid).read_text() == ours
    record = json.loads(
        (clone / ".git" / vcs.CONFLICTS_DIR / f"persons__{pid}.yaml.json").read_text()
    )
    assert record["conflicts"][0] == {
        "path": "plan.actions[a-3f9k].due", "ours": "2026-12-15", "theirs": "2026-12-10", "base": "2026-12-01",
    }  # fmt: skip
    git(clone, "merge", "--abort")
    assert "middle of a merge" not in attempt(clone, "check").stderr


def test_merge_driver_command_writes_a_clean_merge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = {"format": 1, "id": "karim-ouali", "name": "Karim Ouali", "kind": "professional"}
    files = {}
    for side, doc in (
        ("base", base),
        ("ours", base | {"phone": "+32 81 22 33 44"}),
        ("theirs", base | {"organisation": "Soins Nord"}),
    ):
        files[side] = tmp_path / side
        files[side].write_text(store.dump(doc))
    monkeypatch.chdir(tmp_path)
    ok(
        "merge-driver",
        str(files["base"]),
        str(files["ours"]),
        str(files["theirs"]),
        "intervenants/karim-ouali.yaml",
    )
    assert yaml.safe_load(files["ours"].read_text()) == base | {
        "phone": "+32 81 22 33 44",
        "organisation": "Soins Nord",
    }


def test_merge_driver_refuses_an_invalid_result_and_keeps_ours(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = {"format": 1, "id": "karim-ouali", "name": "Karim Ouali", "kind": "professional"}
    files = {}
    for side, doc in (
        ("base", base),
        ("ours", base | {"phone": "+32 81 22 33 44"}),
        ("theirs", base | {"kind": "nurse"}),
    ):
        files[side] = team.hugo / f".{side}"
        files[side].write_text(store.dump(doc))
    ours = files["ours"].read_text()
    monkeypatch.chdir(team.hugo)
    result = invoke(
        "merge-driver",
        str(files["base"]),
        str(files["ours"]),
        str(files["theirs"]),
        "intervenants/karim-ouali.yaml",
    )
    assert result.exit_code == 1
    assert "kind" in result.stderr and "keeps our version" in result.stderr
    assert files["ours"].read_text() == ours
    assert (
        team.hugo / ".git" / vcs.CONFLICTS_DIR / "intervenants__karim-ouali.yaml.json"
    ).is_file()


def test_a_conflict_outside_person_files_is_reported_and_can_be_chosen(team: Team) -> None:
    for clone, team_name in ((team.elise, "Réseau Santé Nord-Est"), (team.hugo, "Réseau Nord")):
        settings = clone / "reseau.yaml"
        settings.write_text(settings.read_text().replace("Réseau Santé Nord", team_name))
        git(clone, "commit", "--quiet", "-am", "settings: team name")
    run(team.elise, "sync")
    before = snapshot(team.hugo)
    result = attempt(team.hugo, "sync")
    assert result.exit_code == 1
    assert "reseau.yaml  changed on both sides" in result.stderr
    assert "reseau sync --theirs reseau.yaml" in result.stderr
    assert "(edit reseau.yaml and commit it)" in result.stderr and "PERSON" not in result.stderr
    assert snapshot(team.hugo) == before
    chosen = run(team.hugo, "sync", "--theirs", "reseau.yaml")
    assert "reseau.yaml: took their whole version" in chosen.stderr
    assert "Réseau Santé Nord-Est" in (team.hugo / "reseau.yaml").read_text()
    assert no_markers(team.hugo)


@pytest.mark.parametrize(
    "python", ["/opt/reseau/bin/python", "/home/élise/my tools #2/python", 'C:\\x"y\\python']
)
def test_registration_is_read_back_from_the_config_text(
    team: Team, python: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check made on every command reads `.git/config` as git writes it."""
    monkeypatch.setattr(sys, "executable", python)
    assert not vcs.merge_driver_registered(team.hugo)
    assert vcs.register_merge_driver(team.hugo)
    assert vcs.merge_driver_registered(team.hugo)
    assert not vcs.register_merge_driver(team.hugo)
    driver = git(team.hugo, "config", "merge.reseau.driver").strip()
    assert shlex.split(driver)[:3] == [python, "-m", "reseau_cli"]


def test_a_push_the_server_refuses_is_not_retried(team: Team, marcel: str) -> None:
    hook = team.server / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'main is protected' >&2\nexit 1\n")
    hook.chmod(0o755)
    edit(team.hugo, marcel, "due", lambda d: action(d, "a-3f9k").update(due="2026-12-15"))
    result = attempt(team.hugo, "sync")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: origin refused the push: [remote rejected]")
    assert "main is protected" in lines[0]
    assert f"{marcel}: due" in commits(team.hugo)


def test_commands_of_both_clones_merge_and_two_designations_conflict(
    team: Team, marcel: str
) -> None:
    """The network commands on both sides: additions merge; two different coordinators
    designated the same day are a conflict, never two open designations."""
    pid = marcel
    run(team.elise, "intervenant", "add", pid, "--name", "Rosa Costa", "--kind", "volunteer")
    run(team.hugo, "intervenant", "add", pid, "--id", "luc-janssens", "--role", "fils")
    run(team.elise, "coordinator", "set", pid, "anne-lambert")
    run(team.hugo, "coordinator", "set", pid, "luc-janssens", "--note", "Il appelle chaque jour")
    run(team.elise, "sync")
    result = attempt(team.hugo, "sync")
    assert result.exit_code == 1
    assert f"{pid}  coordination.coordinator" in result.stderr
    assert "yours:  luc-janssens" in result.stderr and "theirs: anne-lambert" in result.stderr
    run(team.hugo, "sync", "--theirs", pid)
    doc = load(team.hugo, pid)
    assert doc["coordination"]["coordinator"] == "anne-lambert"
    opened = [d for d in doc["coordination"]["history"] if "until" not in d]
    assert [d["intervenant"] for d in opened] == ["anne-lambert"]
    members = [m["intervenant"] for m in doc["network"]]
    assert "rosa-costa" in members and "luc-janssens" in members
    assert "no problem" in run(team.hugo, "check").stdout


def test_plan_commands_of_both_clones_merge(team: Team, marcel: str) -> None:
    """Two re-evaluations recorded on two days and two new actions: no conflict, the
    plan's next review follows the latest one."""
    pid = marcel
    run(team.elise, "plan", "review", pid, "--date", "2026-11-27")
    first = run(team.elise, "plan", "action", "add", pid, "Repas livrés", "--by", "person").stdout
    run(team.hugo, "plan", "review", pid, "--date", TODAY, "--next", "2027-01-15")
    second = run(
        team.hugo, "plan", "action", "add", pid, "Insuline chaque matin", "--by", "karim-ouali"
    ).stdout
    run(team.hugo, "plan", "action", "set", pid, "a-3f9k", "--due", "2026-12-15")
    run(team.elise, "sync")
    run(team.hugo, "sync")
    run(team.elise, "sync")
    plan = load(team.elise, pid)["plan"]
    assert plan["reviewed"] == TODAY and plan["next_review"] == "2027-01-15"
    assert [r["date"] for r in plan["reviews"]] == [TODAY, "2026-11-27"]
    assert {a["id"] for a in plan["actions"]} == {"a-3f9k", first.strip(), second.strip()}
    assert action(load(team.elise, pid), "a-3f9k")["due"] == "2026-12-15"
    assert "no problem" in run(team.elise, "check").stdout
    assert head(team.elise) == head(team.hugo)
