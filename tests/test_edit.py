"""`reseau person edit` with a scripted $EDITOR."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

from conftest import commits, git, invoke, ok, refused, snapshot


def _editor(tmp_path: Path, *steps: tuple[str, str]) -> str:
    """An editor that applies one (old, new) replacement per invocation, in order."""
    script = tmp_path / "editor.py"
    counter = tmp_path / "editor.count"
    script.write_text(
        "import pathlib, sys\n"
        f"steps = {list(steps)!r}\n"
        f"counter = pathlib.Path({str(counter)!r})\n"
        "n = int(counter.read_text()) if counter.exists() else 0\n"
        "counter.write_text(str(n + 1))\n"
        "path = pathlib.Path(sys.argv[-1])\n"
        "old, new = steps[min(n, len(steps) - 1)]\n"
        "path.write_text(path.read_text().replace(old, new))\n"
    )
    return f"{sys.executable} {script}"


def test_valid_edit_is_committed(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "EDITOR", _editor(tmp_path, ("Lives alone;", "Lives alone, cat named Gaston;"))
    )
    result = ok("person", "edit", marcel)
    assert "Saved" in result.stderr
    doc = yaml.safe_load((team / "persons" / f"{marcel}.yaml").read_text())
    assert "cat named Gaston" in doc["situation"]
    assert commits(team)[0] == f"{marcel}: edit by hand"
    assert not list((team / ".git" / "reseau-edit").glob("*"))


def test_visual_is_used_when_editor_unset(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VISUAL", _editor(tmp_path, ("Lives alone;", "Lives with a cat;")))
    ok("person", "edit", marcel)
    assert "Lives with a cat" in (team / "persons" / f"{marcel}.yaml").read_text()


def test_unchanged_edit_writes_nothing(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", _editor(tmp_path, ("no such text", "x")))
    before = snapshot(team)
    result = ok("person", "edit", marcel)
    assert "No change" in result.stderr
    assert snapshot(team) == before


def test_invalid_edit_then_abort_changes_nothing(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", _editor(tmp_path, ("status: active", "status: asleep")))
    before = snapshot(team)
    result = invoke("person", "edit", marcel, input="a\n")
    assert result.exit_code == 1
    assert "'asleep' is not one of" in result.stderr
    assert "edit aborted" in result.stderr
    assert snapshot(team) == before


def test_invalid_edit_then_fix_on_second_round(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "EDITOR",
        _editor(
            tmp_path,
            ("birth_date: '1940-05-03'", "birth_date: '1940-02-30'"),
            ("1940-02-30", "1940-02-29"),
        ),
    )
    result = invoke("person", "edit", marcel, input="e\n")
    assert result.exit_code == 0, result.stderr
    assert "is not a 'date'" in result.stderr
    assert "birth_date: '1940-02-29'" in (team / "persons" / f"{marcel}.yaml").read_text()
    assert commits(team)[0] == f"{marcel}: edit by hand"


def test_no_answer_means_abort(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", _editor(tmp_path, ("status: active", "status: [")))
    before = snapshot(team)
    result = invoke("person", "edit", marcel)  # stdin at its end: no answer
    assert result.exit_code == 1
    assert "invalid YAML" in result.stderr
    assert "error: edit aborted; nothing was changed; your draft is kept in" in result.stderr
    assert snapshot(team) == before


def test_changing_the_id_is_refused(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", _editor(tmp_path, (f"id: {marcel}", "id: p-other")))
    before = snapshot(team)
    result = invoke("person", "edit", marcel, input="a\n")
    assert result.exit_code == 1
    assert f"the id must stay '{marcel}'" in result.stderr
    assert snapshot(team) == before


def test_editor_failure_changes_nothing(
    team: Path, marcel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", "false")
    refused(team, "person", "edit", marcel, match="editor exited with status 1")
    monkeypatch.setenv("EDITOR", "no-such-editor-xyz")
    refused(team, "person", "edit", marcel, match="not found")


def test_edit_repairs_an_invalid_file(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    path.write_text(path.read_text().replace("status: active", "status: asleep"))
    git(team, "commit", "-qam", "broken by hand")
    monkeypatch.setenv("EDITOR", _editor(tmp_path, ("status: asleep", "status: active")))
    ok("person", "edit", marcel)
    assert ok("check").exit_code == 0


def test_edit_refused_before_the_editor_opens_when_it_could_not_be_saved(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nobody types into an editor only to be told the work cannot be saved."""
    path = team / "persons" / f"{marcel}.yaml"
    path.write_text(path.read_text() + "# typed by hand\n")
    marker = tmp_path / "editor-was-called"
    monkeypatch.setenv("EDITOR", f"touch {marker}")
    refused(team, "person", "edit", marcel, match="uncommitted changes")
    assert not marker.exists()


def _teammate_commits_meanwhile(tmp_path: Path, team: Path, path: Path) -> str:
    """An editor during whose session a teammate commits a change to the same file."""
    script = tmp_path / "editor.py"
    script.write_text(
        "import pathlib, subprocess, sys\n"
        f"repo = pathlib.Path({str(team)!r})\n"
        f"data = pathlib.Path({str(path)!r})\n"
        "data.write_text(data.read_text().replace('Lives alone', 'Lives alone (teammate)'))\n"
        "subprocess.run(['git', 'commit', '-qam', 'teammate'], cwd=repo, check=True)\n"
        "edit = pathlib.Path(sys.argv[-1])\n"
        "edit.write_text(edit.read_text().replace('Lives alone', 'Lives alone (mine)'))\n"
    )
    return f"{sys.executable} {script}"


def test_edit_refused_when_the_file_changed_meanwhile(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A teammate's change landing while the editor is open is not overwritten."""
    path = team / "persons" / f"{marcel}.yaml"
    monkeypatch.setenv("EDITOR", _teammate_commits_meanwhile(tmp_path, team, path))
    result = invoke("person", "edit", marcel)
    assert result.exit_code == 1
    assert "changed while you were editing it" in result.stderr
    assert "(teammate)" in path.read_text() and "(mine)" not in path.read_text()
    assert commits(team)[0] == "teammate"


def test_visual_comes_before_editor(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As git does: $VISUAL, else $EDITOR, else vi."""
    monkeypatch.setenv("VISUAL", _editor(tmp_path, ("Lives alone;", "Lives alone, VISUAL;")))
    monkeypatch.setenv("EDITOR", f"{sys.executable} -c 'raise SystemExit(3)'")
    ok("person", "edit", marcel)
    assert "Lives alone, VISUAL;" in (team / "persons" / f"{marcel}.yaml").read_text()


# -- drafts kept (issue 11, item 9) -----------------------------------------------------


def test_an_aborted_draft_is_kept_and_offered_again(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "EDITOR",
        _editor(
            tmp_path,
            ("Lives alone;", "Lives alone, cat named Gaston; status: [broken"),
            ("status: [broken", "(draft)"),
        ),
    )
    before = snapshot(team)
    result = invoke("person", "edit", marcel, input="a\n")
    draft = team / ".git" / "reseau-drafts" / f"{marcel}.yaml"
    assert result.exit_code == 1
    assert result.stderr.rstrip().endswith(
        f"error: edit aborted; nothing was changed; your draft is kept in "
        f".git/reseau-drafts/{marcel}.yaml (`reseau person edit {marcel}` offers to take it "
        "up again on the file as it is)"
    )
    assert "cat named Gaston" in draft.read_text()
    assert snapshot(team) == before
    # Next time: the draft is offered (the default), fixed, and saved; then dropped.
    result = invoke("person", "edit", marcel, input="\n")
    assert result.exit_code == 0, result.stderr
    assert f"A draft of an earlier edit is kept in .git/reseau-drafts/{marcel}.yaml" in (
        result.stderr
    )
    saved = (team / "persons" / f"{marcel}.yaml").read_text()
    assert "cat named Gaston; (draft)" in saved and "# " not in saved
    assert commits(team)[0] == f"{marcel}: edit by hand"
    assert not draft.exists()


def test_a_draft_overtaken_by_a_teammate_is_kept_and_reopened_on_the_new_version(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = team / "persons" / f"{marcel}.yaml"
    monkeypatch.setenv("EDITOR", _teammate_commits_meanwhile(tmp_path, team, path))
    result = invoke("person", "edit", marcel)
    assert result.exit_code == 1
    assert f"your draft is kept in .git/reseau-drafts/{marcel}.yaml" in result.stderr
    assert commits(team)[0] == "teammate"
    # Taken up again: the editor gets the draft, headed by the teammate's change.
    seen = tmp_path / "seen.yaml"
    keep = tmp_path / "keep.py"
    keep.write_text(
        "import pathlib, sys\n"
        "text = pathlib.Path(sys.argv[-1]).read_text()\n"
        f"pathlib.Path({str(seen)!r}).write_text(text)\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {keep}")
    result = invoke("person", "edit", marcel, input="d\n")
    assert result.exit_code == 0, result.stderr
    text = seen.read_text()
    assert "# The file changed since you started this draft" in text
    assert "#   +situation: Lives alone (teammate); back home after a fall." in text
    assert "situation: Lives alone (mine); back home after a fall." in text
    assert "(mine)" in path.read_text() and commits(team)[0] == f"{marcel}: edit by hand"
    # Or the user starts from the file as it is: the draft is dropped.
    ok("person", "edit", marcel)  # nothing changed, no draft
    assert not (team / ".git" / "reseau-drafts" / f"{marcel}.yaml").exists()


def test_a_kept_draft_can_be_set_aside_for_the_file_as_it_is(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EDITOR", _editor(tmp_path, ("status: active", "status: asleep")))
    invoke("person", "edit", marcel, input="a\n")
    draft = team / ".git" / "reseau-drafts" / f"{marcel}.yaml"
    assert "status: asleep" in draft.read_text()
    (tmp_path / "again").mkdir()
    monkeypatch.setenv("EDITOR", _editor(tmp_path / "again", ("Lives alone;", "Lives alone!")))
    result = invoke("person", "edit", marcel, input="f\n")
    assert result.exit_code == 0, result.stderr
    saved = (team / "persons" / f"{marcel}.yaml").read_text()
    assert "Lives alone!" in saved and "status: active" in saved
    assert not draft.exists()
