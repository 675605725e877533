"""The history behind the minutes: reading a file as it was, and comparing two states."""

from __future__ import annotations

from pathlib import Path

import yaml

from render_case import MARCEL
from reseau_cli import vcs
from reseau_cli.documents.history import dated_changes, plan_changes, previous_held, union

pytest_plugins = ["render_fixtures"]  # the `seed` and `repo` fixtures


def test_file_at_a_commit_and_at_a_date(repo: Path) -> None:
    path = repo / "persons" / f"{MARCEL}.yaml"
    versions = vcs.file_versions(repo, path)
    assert [v.date[:10] for v in versions] == [
        "2026-09-01",
        "2026-09-16",
        "2026-10-27",
        "2026-11-06",
        "2026-11-20",
    ]
    first = yaml.safe_load(vcs.file_at(repo, path, commit=versions[0].commit))
    assert first["concertations"][0]["status"] == "planned"
    on_oct_1 = yaml.safe_load(vcs.file_at(repo, path, before="2026-10-01"))
    assert on_oct_1["concertations"][0]["status"] == "held"
    assert len(on_oct_1["plan"]["actions"]) == 3
    assert vcs.file_at(repo, path, before="2026-08-01") is None
    assert vcs.file_at(repo, repo / "persons" / "p-none.yaml") is None
    assert vcs.file_at(repo, path) == path.read_text()


def test_file_history_of_a_file_never_committed(repo: Path) -> None:
    new = repo / "persons" / "p-new.yaml"
    new.write_text("format: 1\n")
    assert vcs.file_versions(repo, new) == []


def _doc(actions: list[dict], network: list[dict]) -> dict:
    return {"plan": {"actions": actions}, "network": network}


def test_plan_changes_is_a_pure_comparison() -> None:
    before = _doc(
        [
            {"id": "a-1", "text": "A", "by": "x", "status": "planned"},
            {"id": "a-2", "text": "B", "by": "x", "status": "ongoing"},
            {"id": "a-3", "text": "C", "by": "x", "status": "done"},
        ],
        [
            {"intervenant": "x", "since": "2026-01-01"},
            {"intervenant": "y", "since": "2026-01-01"},
        ],
    )
    after = _doc(
        [
            {"id": "a-1", "text": "A", "by": "x", "status": "done"},
            {"id": "a-2", "text": "B", "by": "x", "status": "cancelled"},
            {"id": "a-3", "text": "C", "by": "x", "status": "done"},
            {"id": "a-4", "text": "D", "by": "z", "status": "planned"},
            {"id": "a-5", "text": "E", "by": "z", "status": "planned"},
        ],
        [
            {"intervenant": "x", "since": "2026-01-01"},
            {"intervenant": "y", "since": "2026-01-01", "until": "2026-03-01"},
            {"intervenant": "z", "since": "2026-02-01"},
        ],
    )
    changes = plan_changes(before, after, exclude_actions=frozenset({"a-5"}))
    assert [a["id"] for a in changes.added] == ["a-4"]
    assert [a["id"] for a in changes.done] == ["a-1"]
    assert [a["id"] for a in changes.cancelled] == ["a-2"]
    assert [m["intervenant"] for m in changes.joined] == ["z"]
    assert [(m["intervenant"], m["until"]) for m in changes.left] == [("y", "2026-03-01")]
    assert not changes.empty
    assert plan_changes(after, after).empty
    assert plan_changes({}, {}).empty  # old or partial versions are tolerated


def test_previous_held_concertation() -> None:
    doc = {
        "concertations": [
            {"id": "c-1", "status": "held", "date": "2026-01-10"},
            {"id": "c-2", "status": "cancelled", "date": "2026-02-10"},
            {"id": "c-3", "status": "held", "date": "2026-03-10", "time": "09:00"},
            {"id": "c-4", "status": "held", "date": "2026-03-10", "time": "14:00"},
        ]
    }
    assert previous_held(doc, doc["concertations"][3])["id"] == "c-3"
    assert previous_held(doc, doc["concertations"][2])["id"] == "c-1"
    assert previous_held(doc, doc["concertations"][0]) is None


def test_dated_changes_read_the_window_from_the_file_itself() -> None:
    doc = {
        "plan": {
            "objectives": [
                {"id": "o-1", "text": "A", "status": "active", "created": "2026-02-01"},
                {"id": "o-2", "text": "B", "status": "achieved", "closed": "2026-03-10"},
                {"id": "o-3", "text": "C", "status": "abandoned", "closed": "2026-01-10"},
            ],
            "actions": [
                {"id": "a-1", "text": "A", "by": "x", "status": "done", "closed": "2026-02-01"},
                {"id": "a-2", "text": "B", "by": "x", "status": "planned", "created": "2026-01-10"},
                {"id": "a-3", "text": "C", "by": "x", "status": "planned", "created": "2026-01-11"},
                {
                    "id": "a-4",
                    "text": "D",
                    "by": "x",
                    "status": "cancelled",
                    "closed": "2026-03-11",
                },
                {"id": "a-5", "text": "E", "by": "x", "status": "planned", "created": "2026-03-10"},
            ],
        },
        "network": [
            {"intervenant": "x", "since": "2026-01-10"},
            {"intervenant": "y", "since": "2026-01-01", "until": "2026-02-15"},
            {"intervenant": "z", "since": "2026-03-10"},
        ],
    }
    # After the meeting of 2026-01-10 (excluded), up to the one of 2026-03-10 (included).
    changes = dated_changes(
        doc, after="2026-01-10", until="2026-03-10", exclude_actions=frozenset({"a-5"})
    )
    assert [a["id"] for a in changes.added] == ["a-3"]
    assert [a["id"] for a in changes.done] == ["a-1"]
    assert changes.cancelled == []
    assert [o["id"] for o in changes.objectives_added] == ["o-1"]
    assert [o["id"] for o in changes.achieved] == ["o-2"]
    assert changes.abandoned == []
    assert [m["intervenant"] for m in changes.joined] == ["z"]
    assert [m["intervenant"] for m in changes.left] == ["y"]
    assert dated_changes(doc, after="2026-04-01", until="2026-05-01").empty


def test_union_of_dated_and_history_changes_lists_each_change_once() -> None:
    action = {"id": "a-1", "text": "A", "by": "x", "status": "done", "closed": "2026-02-01"}
    undated = {"id": "a-2", "text": "B", "by": "x", "status": "done"}
    member = {"intervenant": "y", "since": "2026-01-01", "until": "2026-02-15"}
    dated = dated_changes(
        {"plan": {"actions": [action, undated]}, "network": [member]},
        after="2026-01-10",
        until="2026-03-10",
    )
    history = plan_changes(
        {
            "plan": {
                "actions": [{**action, "status": "planned"}, {**undated, "status": "ongoing"}]
            },
            "network": [{"intervenant": "y", "since": "2026-01-01"}],
        },
        {"plan": {"actions": [action, undated]}, "network": [member]},
    )
    both = union(dated, history)
    assert [a["id"] for a in both.done] == ["a-1", "a-2"]  # a-2 has no date: git saw it
    assert [m["intervenant"] for m in both.left] == ["y"]
