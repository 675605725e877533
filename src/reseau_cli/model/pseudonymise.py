"""A person or intervenant document with nothing that identifies anyone: for
statistics, research or a bug report (`reseau export pseudonymised`).

Built by *keeping* known fields, never by removing known identifying ones: a field
reseau adds later stays out until it is listed here. What is kept: the schema's
enumerations (status, domain, kind…), counts, months instead of days, an age band
instead of the birth date, and ids replaced by stable pseudonyms (``pseudonym``: the
same id gives the same pseudonym in every export from the same clone). Names, contacts,
addresses and every free text (situation, objectives, notes, minutes…) are left out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# pseudonym(kind, id) -> a stable pseudonym ("P-…", "I-…", "O-…", "C-…")
Pseudonym = Callable[[str, str], str]

_ENUMS = {
    "status": {
        "active",
        "closed",
        "achieved",
        "abandoned",
        "planned",
        "ongoing",
        "done",
        "cancelled",
        "held",
    },
    "domain": {
        "health",
        "autonomy",
        "daily-life",
        "housing",
        "resources",
        "social",
        "family",
        "mental-health",
        "other",
    },
    "kind": {"concertation", "synthesis", "coordination"},
    "role": {"coordinator", "concertation_lead"},
    "intervenant_kind": {"professional", "carer", "volunteer", "service"},
}


def age_band(birth_date: Any, today: str) -> str | None:
    """``"80-89"`` (ten-year bands, ``"90+"``) from an ISO birth date, or None."""
    if not isinstance(birth_date, str) or len(birth_date) < 10:
        return None
    try:
        born = (int(birth_date[:4]), int(birth_date[5:7]), int(birth_date[8:10]))
        now = (int(today[:4]), int(today[5:7]), int(today[8:10]))
    except ValueError:
        return None
    age = now[0] - born[0] - (1 if now[1:] < born[1:] else 0)
    if age < 0:
        return None
    if age >= 90:
        return "90+"
    low = age // 10 * 10
    return f"{low}-{low + 9}"


def month(value: Any) -> str | None:
    """``"2026-08"`` from an ISO date: the day can single a person out."""
    return value[:7] if isinstance(value, str) and len(value) >= 7 else None


def _enum(value: Any, name: str) -> str | None:
    return value if isinstance(value, str) and value in _ENUMS[name] else None


def _who(value: Any, pseudonym: Pseudonym) -> str | None:
    if value == "person":
        return "person"
    return pseudonym("intervenant", value) if isinstance(value, str) else None


def _clean(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if v is not None and v != [] and v != {}}


def person(doc: dict[str, Any], pseudonym: Pseudonym, *, today: str) -> dict[str, Any]:
    """The pseudonymised person."""
    identity = doc.get("identity") or {}
    coordination = doc.get("coordination") or {}
    plan = doc.get("plan") or {}
    return _clean(
        {
            "id": pseudonym("person", str(doc.get("id"))),
            "status": _enum(doc.get("status"), "status"),
            "opened": month(doc.get("opened")),
            "closed": month(doc.get("closed")),
            "age_band": age_band(identity.get("birth_date"), today),
            "network": [
                _clean(
                    {
                        "intervenant": _who(m.get("intervenant"), pseudonym),
                        "since": month(m.get("since")),
                        "until": month(m.get("until")),
                    }
                )
                for m in doc.get("network") or []
                if isinstance(m, dict)
            ],
            "coordination": _clean(
                {
                    "coordinator": _who(coordination.get("coordinator"), pseudonym),
                    "concertation_lead": _who(coordination.get("concertation_lead"), pseudonym),
                    "designations": len(coordination.get("history") or []),
                }
            ),
            "plan": _plan(plan, pseudonym),
            "concertations": [
                _concertation(c, pseudonym)
                for c in doc.get("concertations") or []
                if isinstance(c, dict)
            ],
        }
    )


def _plan(plan: dict[str, Any], pseudonym: Pseudonym) -> dict[str, Any]:
    objectives = [
        _clean(
            {
                "id": pseudonym("objective", str(o.get("id"))),
                "domain": _enum(o.get("domain"), "domain"),
                "status": _enum(o.get("status"), "status"),
                "priority": o.get("priority") is True or None,
                "created": month(o.get("created")),
                "closed": month(o.get("closed")),
            }
        )
        for o in plan.get("objectives") or []
        if isinstance(o, dict)
    ]
    actions = [
        _clean(
            {
                "objective": pseudonym("objective", o)
                if isinstance(o := a.get("objective"), str)
                else None,
                "by": _who(a.get("by"), pseudonym),
                "status": _enum(a.get("status"), "status"),
                "created": month(a.get("created")),
                "due": month(a.get("due")),
                "closed": month(a.get("closed")),
            }
        )
        for a in plan.get("actions") or []
        if isinstance(a, dict)
    ]
    return _clean(
        {
            "reviewed": month(plan.get("reviewed")),
            "next_review": month(plan.get("next_review")),
            "objectives": objectives,
            "actions": actions,
        }
    )


def _concertation(c: dict[str, Any], pseudonym: Pseudonym) -> dict[str, Any]:
    participants = [p for p in c.get("participants") or [] if isinstance(p, dict)]
    return _clean(
        {
            "id": pseudonym("concertation", str(c.get("id"))),
            "status": _enum(c.get("status"), "status"),
            "kind": _enum(c.get("kind"), "kind"),
            "date": month(c.get("date")),
            "invited": len(c.get("invited") or []),
            "present": sum(1 for p in participants if p.get("present") is True),
            "person_present": c.get("person_present")
            if isinstance(c.get("person_present"), bool)
            else None,
            "decisions": len(c.get("decisions") or []),
        }
    )


def intervenant(doc: dict[str, Any], pseudonym: Pseudonym) -> dict[str, Any]:
    """The pseudonymised directory entry: its pseudonym and kind only."""
    return _clean(
        {
            "id": pseudonym("intervenant", str(doc.get("id"))),
            "kind": _enum(doc.get("kind"), "intervenant_kind"),
        }
    )
