"""Consent across clones: two coordinators record decisions and disclosures offline on
the same day; `reseau sync` (the merge driver, on real git with a bare remote) keeps
every decision and every disclosure, merged by id, with no conflict."""

from __future__ import annotations

import json

from test_sync import Team, load, marcel, run, team  # noqa: F401 (fixtures)


def test_decisions_and_disclosures_from_two_clones_are_all_kept(team: Team, marcel: str) -> None:  # noqa: F811
    pid = marcel
    first = run(team.elise, "consent", "give", pid, "--to", "professional").stdout.strip()
    run(team.elise, "sync")
    run(team.hugo, "sync")
    # Offline, the same day: Élise sends the plan to the GP; Hugo records Marcel's new
    # decision (his situation kept from the hospital's social worker) and sends the plan
    # to the nurse.
    run(team.elise, "render", "plan", pid, "--for", "anne-lambert", "--send-log")
    second = run(
        team.hugo, "consent", "give", pid, "--to", "professional",
        "--withhold", "situation:sophie-claes",
    ).stdout.strip()  # fmt: skip
    run(team.hugo, "render", "plan", pid, "--for", "karim-ouali", "--send-log")
    run(team.elise, "sync")
    merged = run(team.hugo, "sync")
    assert "conflict" not in merged.stderr.lower(), merged.stderr
    run(team.elise, "sync")
    elise, hugo = load(team.elise, pid), load(team.hugo, pid)
    assert elise == hugo
    assert [e["id"] for e in elise["consent"]["history"]] == [first, second]
    assert elise["consent"]["status"] == "given"
    assert sorted(d["recipient"] for d in elise["consent"]["disclosures"]) == [
        "anne-lambert",
        "karim-ouali",
    ]
    register = json.loads(run(team.elise, "consent", "log", pid, "--json").stdout)
    assert {d["recorded_by"] for d in register} == {"Élise Marchal", "Hugo Servais"}
    state = json.loads(run(team.elise, "consent", "show", pid, "--json").stdout)
    assert state["in_force"]["id"] == second
    assert "no problem" in run(team.elise, "check").stdout
