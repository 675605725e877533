"""Shell completion (issue 11, item 11): `reseau --show-completion` for bash, zsh and
fish, and what the shell gets back for commands, options and the repository's ids."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import ok
from reseau_cli.cli import app


def complete(line: str, shell: str = "bash") -> list[str]:
    """What `reseau` answers the shell for the command line ``line`` (cursor at its end),
    through the same environment variables the installed completion script sets."""
    words = line.split(" ")
    env = {"_RESEAU_COMPLETE": f"complete_{shell}"}
    if shell == "bash":
        env |= {"COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)}
    else:
        env |= {"_TYPER_COMPLETE_ARGS": line, "_TYPER_COMPLETE_FISH_ACTION": "get-args"}
    result = CliRunner().invoke(app, [], env=env, prog_name="reseau")
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if line]


@pytest.fixture
def people(team: Path, marcel: str) -> dict[str, str]:
    ok("intervenant", "add", marcel, "--name", "Karim Ouali", "--role", "infirmier")
    ines = ok("person", "add", "--family-name", "Boukhari", "--given-name", "Inès").stdout.strip()
    objective = ok("plan", "objective", "add", marcel, "Rester vivre chez moi").stdout.strip()
    action = ok(
        "plan", "action", "add", marcel, "Passage infirmier", "--by", "karim-ouali"
    ).stdout.strip()
    concertation = ok("concertation", "plan", marcel, "--date", "2026-12-10").stdout.strip()
    return {
        "marcel": marcel,
        "ines": ines,
        "objective": objective,
        "action": action,
        "concertation": concertation,
    }


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o default -F _reseau_completion reseau"),
        ("zsh", "#compdef reseau"),
        ("fish", "complete --command reseau"),
    ],
)
def test_show_completion_prints_the_script_for_each_shell(
    shell: str, marker: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Typer detects the running shell; this variable lets the shell be named instead.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = CliRunner().invoke(app, ["--show-completion", shell], prog_name="reseau")
    assert result.exit_code == 0, result.output
    assert marker in result.stdout
    assert "_RESEAU_COMPLETE" in result.stdout


def test_help_offers_completion() -> None:
    out = ok("--help").stdout
    assert "--install-completion" in out and "--show-completion" in out


def test_commands_and_options_complete(team: Path) -> None:
    assert complete("reseau pe") == ["person"]
    assert {"add", "list", "show", "edit", "close"} <= set(complete("reseau person "))
    assert "--family-name" in complete("reseau person add --fam")


def test_ids_complete_from_the_repository(people: dict[str, str]) -> None:
    marcel = people["marcel"]
    assert sorted(complete("reseau person show ")) == sorted([marcel, people["ines"]])
    assert complete(f"reseau person show {marcel[:4]}") == sorted(
        p for p in (marcel, people["ines"]) if p.startswith(marcel[:4])
    )
    assert complete("reseau intervenant show ") == ["karim-ouali"]
    assert complete(f"reseau render minutes {marcel} ") == [people["concertation"]]
    assert complete(f"reseau concertation cancel {marcel} ") == [people["concertation"]]
    assert complete(f"reseau plan action set {marcel} ") == [people["action"]]
    assert complete(f"reseau plan objective set {marcel} ") == [people["objective"]]
    assert complete("reseau log ") == sorted([marcel, people["ines"]])


def test_zsh_and_fish_get_names_beside_the_ids(people: dict[str, str]) -> None:
    marcel = people["marcel"]
    zsh = "\n".join(complete("reseau person show ", "zsh"))
    assert f'"{marcel}":"Marcel Janssens"' in zsh
    assert f"{marcel}\tMarcel Janssens" in complete("reseau person show ", "fish")
    assert "karim-ouali\tKarim Ouali" in complete("reseau intervenant show ", "fish")


def test_outside_a_repository_ids_complete_to_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RESEAU_REPO", raising=False)
    monkeypatch.chdir(tmp_path)
    assert complete("reseau person show ") == []
    assert complete("reseau render plan nobody ") == []


def test_repo_option_is_read_for_completion(
    people: dict[str, str], monkeypatch: pytest.MonkeyPatch, team: Path
) -> None:
    monkeypatch.delenv("RESEAU_REPO")
    assert complete(f"reseau --repo {team} intervenant show ") == ["karim-ouali"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_the_bash_script_completes_in_a_real_bash(people: dict[str, str], tmp_path: Path) -> None:
    reseau = Path(sys.executable).parent / "reseau"
    if not reseau.exists():
        pytest.skip("the reseau script is not installed next to this Python")
    script = (
        f'source <("{reseau}" --show-completion); '
        "COMP_WORDS=(reseau intervenant show ''); COMP_CWORD=3; "
        f'_reseau_completion "{reseau}"; printf "%s\\n" "${{COMPREPLY[@]}}"'
    )
    out = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    assert out.split() == ["karim-ouali"]
