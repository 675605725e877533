"""`reseau hooks install [--server]`: a pre-commit hook in a clone and a pre-receive hook
in the team's bare repository, run by real `git commit` and `git push`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import AUTHOR, TODAY, git, invoke, ok

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Team:
    server: Path
    clone: Path
    person: str


def run_git(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, env=env)


def remote_head(server: Path, branch: str = "main") -> str | None:
    done = run_git(server, "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}")
    return done.stdout.strip() or None


def person_path(team: Team) -> Path:
    return team.clone / "persons" / f"{team.person}.yaml"


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def commit_all(clone: Path, message: str) -> str:
    git(clone, "add", "-A")
    git(clone, "commit", "--quiet", "--no-verify", "-m", message)
    return git(clone, "rev-parse", "HEAD").strip()


def refused_push(team: Team, *expected: str, branch: str = "main") -> str:
    """Push, which the server must refuse, naming each expected problem; its ref stays."""
    before = remote_head(team.server, branch)
    done = run_git(team.clone, "push", "origin", f"HEAD:refs/heads/{branch}")
    assert done.returncode != 0, done.stderr
    assert "pre-receive hook declined" in done.stderr
    for line in expected:
        assert f"remote: reseau: {line}" in done.stderr, done.stderr
    assert "push refused" in done.stderr
    assert "Traceback" not in done.stderr
    assert remote_head(team.server, branch) == before
    return done.stderr


def accepted_push(team: Team, branch: str = "main") -> None:
    done = run_git(team.clone, "push", "origin", f"HEAD:refs/heads/{branch}")
    assert done.returncode == 0, done.stderr
    assert remote_head(team.server, branch) == git(team.clone, "rev-parse", "HEAD").strip()


def make_server(bare: Path) -> Path:
    git(bare.parent, "init", "--quiet", "--bare", "--initial-branch=main", str(bare))
    result = ok("--repo", str(bare), "hooks", "install", "--server")
    assert f"Installed the reseau pre-receive hook in {bare / 'hooks' / 'pre-receive'}" in (
        result.stderr
    )
    return bare


@pytest.fixture
def server(tmp_path: Path) -> Path:
    return make_server(tmp_path / "team.git")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Team:
    """A clone with a person in a network, whose first push went into the empty server
    (built once, then copied for each test)."""
    base = tmp_path_factory.mktemp("template")
    with pytest.MonkeyPatch.context() as env:  # what conftest's isolated_git sets
        (base / ".gitconfig").write_text("")
        env.setenv("HOME", str(base))
        env.setenv("GIT_CONFIG_GLOBAL", str(base / ".gitconfig"))
        env.setenv("GIT_CONFIG_NOSYSTEM", "1")
        for who in ("AUTHOR", "COMMITTER"):
            env.setenv(f"GIT_{who}_NAME", AUTHOR[0])
            env.setenv(f"GIT_{who}_EMAIL", AUTHOR[1])
        env.setenv("RESEAU_TODAY", TODAY)
        env.delenv("RESEAU_REPO", raising=False)
        server = make_server(base / "team.git")
        clone = base / "elise"
        ok("init", str(clone), "--team", "Réseau Santé Nord")
        git(clone, "remote", "add", "origin", str(server))
        pid = ok(
            "--repo", str(clone), "person", "add", "--family-name", "Janssens",
            "--given-name", "Hélène", "--birth-date", "1940-05-03", "--since", "2026-09-01",
        ).stdout.strip()  # fmt: skip
        ok("--repo", str(clone), "intervenant", "add", pid, "--name", "Paul Martin",
           "--role", "médecin traitant", "--since", "2026-09-01")  # fmt: skip
        done = run_git(clone, "push", "--quiet", "--set-upstream", "origin", "main")
        assert done.returncode == 0, done.stderr
        assert remote_head(server) == git(clone, "rev-parse", "HEAD").strip()
    return Team(server, clone, pid)


@pytest.fixture
def team(template: Team, tmp_path: Path) -> Team:
    server = shutil.copytree(template.server, tmp_path / "team.git", symlinks=True)
    clone = shutil.copytree(template.clone, tmp_path / "elise", symlinks=True)
    git(clone, "remote", "set-url", "origin", str(server))
    return Team(server, clone, template.person)


# -- the server -----------------------------------------------------------------------
def test_valid_hand_edit_is_accepted(team: Team) -> None:
    rewrite(person_path(team), "family_name: Janssens", "family_name: Janssens-Peeters")
    commit_all(team.clone, f"{team.person}: family name after marriage (Janssensstraat)")
    accepted_push(team)


def test_reseau_commands_and_sync_go_through(team: Team) -> None:
    clone = str(team.clone)
    ok("--repo", clone, "plan", "objective", "add", team.person, "Rester vivre chez moi")
    ok("--repo", clone, "person", "add", "--family-name", "Lefèvre", "--given-name", "Anne")
    result = ok("--repo", clone, "sync")
    assert "Sent 2 commit(s)" in result.stderr
    assert remote_head(team.server) == git(team.clone, "rev-parse", "HEAD").strip()


Breaker = Callable[[Team], str]  # changes the clone; returns the commit message


def _bad_date(team: Team) -> str:
    rewrite(person_path(team), "'1940-05-03'", "'1940-02-30'")
    return f"{team.person}: birth date"


def _unknown_intervenant(team: Team) -> str:
    rewrite(person_path(team), "intervenant: paul-martin", "intervenant: nobody")
    return f"{team.person}: network"


def _removed_intervenant(team: Team) -> str:
    git(team.clone, "rm", "--quiet", "intervenants/paul-martin.yaml")
    return "paul-martin: remove"


def _symlink(team: Team) -> str:
    (team.clone / "persons" / "p-link.yaml").symlink_to("/etc/passwd")
    return "p-link: add"


def _symlinked_template(team: Team) -> str:
    (team.clone / "templates" / "fr").mkdir(parents=True)
    (team.clone / "templates" / "fr" / "plan.md.j2").symlink_to("../../reseau.yaml")
    return "templates: plan"


def _conflict_marker(team: Team) -> str:
    path = person_path(team)
    text = path.read_text().replace("status: active\n", "<<<<<<< HEAD\nstatus: active\n")
    path.write_text(text)
    return f"{team.person}: merge"


def _given_name_in_message(team: Team) -> str:
    rewrite(person_path(team), "'1940-05-03'", "'1940-05-04'")
    return f"{team.person}: birth date of HELENE corrected"


def _family_name_in_message(team: Team) -> str:
    rewrite(person_path(team), "'1940-05-03'", "'1940-05-04'")
    return f"{team.person}: janssens, birth date"


def _outside_layout(team: Team) -> str:
    (team.clone / "notes.txt").write_text("phone numbers\n")
    return "notes"


def _settings_removed(team: Team) -> str:
    git(team.clone, "rm", "--quiet", "reseau.yaml")
    return "settings: remove"


def _contradictory_scheme(team: Team) -> str:
    path = team.clone / "schemes" / "region.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(
        "format: 1\nid: region\nname: Région\nsource: Convention 2026\npresent: {min: 3, max: 1}\n"
    )
    return "schemes: region"


def _misnamed_person_file(team: Team) -> str:
    git(team.clone, "mv", f"persons/{team.person}.yaml", "persons/Helene.yaml")
    return "rename"


def at(team: Team, needle: str) -> int:
    """The line of ``needle`` in the person file."""
    lines = person_path(team).read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


CASES: dict[str, tuple[Breaker, Callable[[Team], str]]] = {
    "invalid file": (
        _bad_date,
        lambda t: (
            f"persons/{t.person}.yaml: line {at(t, '1940-02-30')} ($.identity.birth_date): "
            "'1940-02-30' is not a 'date'"
        ),
    ),
    "cross-file rule": (
        _unknown_intervenant,
        lambda t: (
            f"persons/{t.person}.yaml: line {at(t, 'nobody')} ($.network[0].intervenant): "
            "unknown intervenant 'nobody'"
        ),
    ),
    "intervenant still named": (
        _removed_intervenant,
        lambda t: (
            f"persons/{t.person}.yaml: line {at(t, 'paul-martin')} ($.network[0].intervenant): "
            "unknown intervenant 'paul-martin'"
        ),
    ),
    "symlink": (_symlink, lambda t: "persons/p-link.yaml: -: a symbolic link"),
    "symlinked template": (_symlinked_template, lambda t: "templates/fr/plan.md.j2: -: a symbolic"),
    "conflict marker": (
        _conflict_marker,
        lambda t: f"persons/{t.person}.yaml: line {at(t, '<<<<<<<')}: conflict marker '<<<<<<<'",
    ),
    "given name": (
        _given_name_in_message,
        lambda t: f"persons/{t.person}.yaml: commit message: contains the person's given name",
    ),
    "family name": (
        _family_name_in_message,
        lambda t: f"persons/{t.person}.yaml: commit message: contains the person's family name",
    ),
    "outside layout": (_outside_layout, lambda t: "notes.txt: -: not part of the data layout"),
    "settings removed": (_settings_removed, lambda t: "reseau.yaml: -: removed"),
    "misnamed file": (_misnamed_person_file, lambda t: "persons/Helene.yaml: -: not part of"),
    "contradictory scheme": (
        _contradictory_scheme,
        lambda t: "schemes/region.yaml: line 5 ($.present): min 3 is more than max 1",
    ),
}


def test_a_team_scheme_file_is_part_of_the_layout(team: Team) -> None:
    path = team.clone / "schemes" / "region.yaml"
    path.parent.mkdir()
    path.write_text("format: 1\nid: region\nname: Région\nsource: Convention 2026\n")
    commit_all(team.clone, "schemes: region")
    accepted_push(team)


@pytest.mark.parametrize("case", CASES)
def test_invalid_work_is_refused(team: Team, case: str) -> None:
    breaker, line = CASES[case]
    sha = commit_all(team.clone, breaker(team))
    refused_push(team, f"{sha[:10]}: {line(team)}")


def test_a_problem_repaired_by_a_later_commit_is_still_refused(team: Team) -> None:
    bad = commit_all(team.clone, _bad_date(team))
    rewrite(person_path(team), "'1940-02-30'", "'1940-05-03'")
    commit_all(team.clone, f"{team.person}: birth date again")
    stderr = refused_push(team, f"{bad[:10]}: persons/{team.person}.yaml: line ")
    assert stderr.count("remote: reseau: ") == 2  # the problem, then the refusal


def test_every_problem_of_a_push_gets_its_line(team: Team) -> None:
    _symlink(team)
    _outside_layout(team)
    sha = commit_all(team.clone, _bad_date(team))
    stderr = refused_push(
        team,
        f"{sha[:10]}: notes.txt: -: not part of the data layout",
        f"{sha[:10]}: persons/p-link.yaml: -: a symbolic link",
        f"{sha[:10]}: persons/{team.person}.yaml: line {at(team, '1940-02-30')} ($.identity",
    )
    assert "(3 problems)" in stderr


def test_templates_may_hold_markdown_underlines(team: Team) -> None:
    (team.clone / "templates" / "fr").mkdir(parents=True)
    (team.clone / "templates" / "fr" / "plan.md.j2").write_text("Plan\n=======\n")
    commit_all(team.clone, "templates: plan")
    accepted_push(team)
    (team.clone / "templates" / "fr" / "plan.md.j2").write_text("<<<<<<< HEAD\nPlan\n")
    sha = commit_all(team.clone, "templates: plan again")
    refused_push(team, f"{sha[:10]}: templates/fr/plan.md.j2: line 1: conflict marker")


def test_new_branches_and_deletions(team: Team) -> None:
    git(team.clone, "switch", "--quiet", "-c", "draft")
    sha = commit_all(team.clone, _bad_date(team))
    refused_push(team, f"{sha[:10]}: persons/{team.person}.yaml: line ", branch="draft")
    assert remote_head(team.server, "draft") is None
    git(team.clone, "reset", "--quiet", "--hard", "HEAD~1")
    rewrite(person_path(team), "'1940-05-03'", "'1940-05-04'")
    commit_all(team.clone, f"{team.person}: birth date")
    accepted_push(team, branch="draft")
    done = run_git(team.clone, "push", "origin", "--delete", "draft")
    assert done.returncode == 0, done.stderr
    assert remote_head(team.server, "draft") is None


def test_first_push_of_invalid_work_into_an_empty_server(server: Path, tmp_path: Path) -> None:
    clone = tmp_path / "hugo"
    ok("init", str(clone))
    (clone / "persons").mkdir()
    (clone / "persons" / "p-x.yaml").write_text("format: 1\nid: p-y\n")
    git(clone, "remote", "add", "origin", str(server))
    sha = commit_all(clone, "p-x: add")
    refused_push(Team(server, clone, "p-x"), f"{sha[:10]}: persons/p-x.yaml: ")
    assert run_git(server, "rev-list", "--all").stdout == ""


# -- the clone --------------------------------------------------------------------------
@pytest.fixture
def guarded(team: Team) -> Team:
    result = ok("--repo", str(team.clone), "hooks", "install")
    hook = team.clone / ".git" / "hooks" / "pre-commit"
    assert f"Installed the reseau pre-commit hook in {hook}" in result.stderr
    assert os.access(hook, os.X_OK)
    assert f"exec {sys.executable} -m reseau_cli hooks run pre-commit" in hook.read_text()
    return team


def commit(
    clone: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    return run_git(clone, "commit", "--quiet", *args, env=env)


def test_pre_commit_refuses_a_hand_edit_with_the_line_of_check(guarded: Team) -> None:
    head = git(guarded.clone, "rev-parse", "HEAD")
    _bad_date(guarded)
    checked = invoke("--repo", str(guarded.clone), "check").stdout.strip()
    # Without PATH: the hook runs the Python it was installed with.
    env = {**os.environ, "PATH": os.path.dirname(_git_binary())}
    done = commit(guarded.clone, "-am", f"{guarded.person}: birth date", env=env)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [
        f"reseau: {checked}",
        "reseau: commit refused: fix the staged files, `git add` them and commit again (1 problem)",
    ]
    assert git(guarded.clone, "rev-parse", "HEAD") == head


def test_pre_commit_checks_the_staged_files_not_the_work_tree(guarded: Team) -> None:
    path = person_path(guarded)
    head = git(guarded.clone, "rev-parse", "HEAD")
    _bad_date(guarded)
    git(guarded.clone, "add", str(path))
    rewrite(path, "'1940-02-30'", "'1940-05-04'")  # valid, but not staged
    done = commit(guarded.clone, "-m", "staged invalid")
    assert done.returncode == 1 and "'1940-02-30' is not a 'date'" in done.stderr
    assert git(guarded.clone, "rev-parse", "HEAD") == head
    git(guarded.clone, "add", str(path))
    rewrite(path, "'1940-05-04'", "'1940-02-31'")  # invalid, but not staged
    done = commit(guarded.clone, "-m", f"{guarded.person}: birth date")
    assert done.returncode == 0, done.stderr
    assert "'1940-05-04'" in git(guarded.clone, "show", f"HEAD:persons/{guarded.person}.yaml")


def test_pre_commit_refuses_a_symlink_and_a_marker(guarded: Team) -> None:
    _symlink(guarded)
    _conflict_marker(guarded)
    git(guarded.clone, "add", "-A")
    done = commit(guarded.clone, "-m", "x")
    assert done.returncode == 1
    assert "reseau: persons/p-link.yaml: -: a symbolic link" in done.stderr
    marker = at(guarded, "<<<<<<<")
    assert f"reseau: persons/{guarded.person}.yaml: line {marker}: conflict marker" in done.stderr


def test_pre_commit_applies_the_cross_file_rules(guarded: Team) -> None:
    head = git(guarded.clone, "rev-parse", "HEAD")
    _removed_intervenant(guarded)
    done = commit(guarded.clone, "-m", "paul-martin: remove")
    assert done.returncode == 1
    line = at(guarded, "paul-martin")
    assert done.stderr.startswith(
        f"reseau: persons/{guarded.person}.yaml: line {line} ($.network[0].intervenant): "
        "unknown intervenant 'paul-martin'\n"
    )
    assert git(guarded.clone, "rev-parse", "HEAD") == head


def test_reseau_commands_still_commit_with_the_hook(guarded: Team) -> None:
    clone = str(guarded.clone)
    before = len(git(guarded.clone, "log", "--format=%s").splitlines())
    ok("--repo", clone, "plan", "objective", "add", guarded.person, "Rester chez moi")
    ok("--repo", clone, "person", "close", guarded.person, "--reason", "moved")
    subjects = git(guarded.clone, "log", "--format=%s").splitlines()
    assert len(subjects) == before + 2
    rewrite(person_path(guarded), "reason: moved", "reason: moved away")
    done = commit(guarded.clone, "-am", f"{guarded.person}: reason")
    assert done.returncode == 0, done.stderr


# -- installing -------------------------------------------------------------------------
def test_install_is_idempotent_and_refuses_the_wrong_repository(guarded: Team) -> None:
    hook = guarded.clone / ".git" / "hooks" / "pre-commit"
    text = hook.read_text()
    result = ok("--repo", str(guarded.clone), "hooks", "install")
    assert "already installed" in result.stderr and hook.read_text() == text
    result = invoke("--repo", str(guarded.clone), "hooks", "install", "--server")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and len(result.stderr.splitlines()) == 1
    assert "not the team's bare repository" in result.stderr
    result = invoke("--repo", str(guarded.server), "hooks", "install")
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "is a bare repository" in result.stderr and "--server" in result.stderr
    assert not (guarded.server / "hooks" / "pre-commit").exists()


def test_someone_elses_hook_is_kept_unless_forced(server: Path) -> None:
    hook = server / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\nexit 0\n")
    result = invoke("--repo", str(server), "hooks", "install", "--server")
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "not reseau's" in result.stderr and "--force" in result.stderr
    assert hook.read_text() == "#!/bin/sh\nexit 0\n"
    result = ok("--repo", str(server), "hooks", "install", "--server", "--force")
    assert "kept as" in result.stderr
    assert (server / "hooks" / "pre-receive.before-reseau").read_text() == "#!/bin/sh\nexit 0\n"
    assert "hooks run pre-receive" in hook.read_text()


def test_install_outside_git(tmp_path: Path) -> None:
    result = invoke("--repo", str(tmp_path), "hooks", "install")
    assert result.exit_code == 1
    assert result.stderr == f"error: {tmp_path} is not in a git repository\n"
    result = invoke("--repo", str(tmp_path / "nowhere"), "hooks", "install", "--server")
    assert result.exit_code == 1
    assert result.stderr == f"error: {tmp_path / 'nowhere'} is not a folder\n"
    assert not (tmp_path / "nowhere").exists()


def test_pre_commit_framework_manifest() -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "reseau-check"
    assert hook["entry"] == "reseau check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False


def _git_binary() -> str:
    found = shutil.which("git")
    assert found
    return found
