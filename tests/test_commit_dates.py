"""With RESEAU_TODAY set, commits carry that day too, so that a back-dated document never
says it was made on one day from a version of a later one (issue 11, item 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import git, ok


def test_commits_are_dated_on_reseau_today(
    team: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RESEAU_TODAY", "2020-01-15")
    pid = ok("person", "add", "--family-name", "Janssens", "--given-name", "Marcel").stdout.strip()
    dates = git(team, "log", "-1", "--format=%aI %cI").split()
    assert [d[:10] for d in dates] == ["2020-01-15", "2020-01-15"]
    html = tmp_path / "plan.html"
    ok("render", "plan", pid, "--lang", "en", "-f", "html", "-o", str(html))
    text = html.read_text()
    assert "Document prepared on Wednesday, 15 January 2020" in text
    assert "of the file (15 Jan 2020)" in text


def test_a_merge_made_by_sync_is_dated_on_reseau_today_too(
    team: Path, marcel: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server = tmp_path / "server.git"
    ok("share", str(server))
    hugo = tmp_path / "hugo"
    git(tmp_path, "clone", "--quiet", str(server), str(hugo))
    ok("plan", "objective", "add", marcel, "Rester vivre chez moi")
    ok("sync")
    monkeypatch.setenv("RESEAU_REPO", str(hugo))
    monkeypatch.setenv("RESEAU_TODAY", "2020-01-16")
    ok("plan", "objective", "add", marcel, "Revoir ses amis")
    ok("sync")
    assert git(hugo, "log", "-1", "--format=%s %cI").startswith(
        "sync: merge origin/main 2020-01-16"
    )


def test_git_date_variables_win(team: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESEAU_TODAY", "2020-01-15")
    monkeypatch.setenv("GIT_COMMITTER_DATE", "2020-01-10T09:00:00+01:00")
    ok("person", "add", "--family-name", "Janssens", "--given-name", "Marcel")
    assert git(team, "log", "-1", "--format=%aI %cI").split() == [
        git(team, "log", "-1", "--format=%aI").strip(),
        "2020-01-10T09:00:00+01:00",
    ]
    assert git(team, "log", "-1", "--format=%aI").startswith("2020-01-15")
