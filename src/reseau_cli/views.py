"""View data for people to read: names resolved, lists sorted, nothing left raw.

Both `person show` and the document templates read these structures, so a person
looks the same in the terminal and on paper.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reseau_cli import dates
from reseau_cli.errors import ReseauError
from reseau_cli.model.network import PERSON, display_name, is_current
from reseau_cli.repo import Repository

KIND_ORDER = ("professional", "service", "carer", "volunteer")


def who(repo: Repository, ident: str | None) -> dict[str, Any] | None:
    """An intervenant's directory entry as view data (tolerates a missing entry)."""
    if ident is None:
        return None
    if ident == PERSON:
        return {"id": PERSON, "name": "", "kind": "person", "missing": False}
    try:
        entry = dict(repo.intervenant(ident))
        entry["missing"] = False
    except ReseauError:
        entry = {"id": ident, "name": ident, "kind": "professional", "missing": True}
    return entry


def person_view(repo: Repository, doc: dict[str, Any], *, today: dt.date) -> dict[str, Any]:
    on = today.isoformat()
    identity = doc.get("identity") or {}
    coordination = doc.get("coordination") or {}
    coordinator = coordination.get("coordinator")
    lead = coordination.get("concertation_lead")
    members = []
    for m in doc.get("network") or []:
        entry = who(repo, m["intervenant"]) or {}
        members.append(
            {
                **entry,
                "role": m.get("role", ""),
                "since": m["since"],
                "until": m.get("until"),
                "reason": m.get("reason"),
                "current": is_current(m, on),
                "coordinator": m["intervenant"] == coordinator,
                "lead": m["intervenant"] == lead,
            }
        )
    current = [m for m in members if m["current"]]
    groups = []
    for kind in KIND_ORDER:
        in_kind = [m for m in current if m.get("kind") == kind]
        in_kind.sort(key=lambda m: (not m["coordinator"], m.get("name", "").casefold()))
        if in_kind:
            groups.append({"kind": kind, "members": in_kind})
    plan = doc.get("plan") or {}
    actions = [_action(repo, a) for a in plan.get("actions") or []]
    objectives = []
    for o in sorted(
        plan.get("objectives") or [],
        key=lambda o: (not o.get("priority", False), o.get("status") != "active"),
    ):
        objectives.append({**o, "actions": [a for a in actions if a.get("objective") == o["id"]]})
    loose = [a for a in actions if not a.get("objective")]
    concertations = sorted(
        doc.get("concertations") or [], key=lambda c: (c["date"], c.get("time", ""))
    )
    return {
        "id": doc["id"],
        "name": display_name(doc),
        "identity": identity,
        "age": dates.age(identity["birth_date"], today) if identity.get("birth_date") else None,
        "status": doc["status"],
        "opened": doc.get("opened"),
        "closed": doc.get("closed"),
        "situation": doc.get("situation"),
        "consent": doc.get("consent"),
        "network_groups": groups,
        # Not current: either ended, or starting later (a handover planned ahead).
        "network_past": [m for m in members if not m["current"] and m["since"] <= on],
        "network_upcoming": [m for m in members if not m["current"] and m["since"] > on],
        "coordinator": who(repo, coordinator),
        "concertation_lead": who(repo, lead),
        "designations": [
            {**d, "who": who(repo, d["intervenant"])} for d in coordination.get("history") or []
        ],
        "plan": {
            "reviewed": plan.get("reviewed"),
            "next_review": plan.get("next_review"),
            "reviews": plan.get("reviews") or [],
        },
        "objectives": objectives,
        "actions_without_objective": loose,
        "concertations": concertations,
    }


def _action(repo: Repository, action: dict[str, Any]) -> dict[str, Any]:
    return {**action, "who": who(repo, action["by"])}
