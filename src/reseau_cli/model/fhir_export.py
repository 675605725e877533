"""A person's file as a FHIR R4 Bundle (a plain dict; ``documents.fhir`` validates it).

Patient (identity), CareTeam (the network and the designations), Goal (objectives),
CarePlan (situation, period, actions as activities), Encounter (concertations),
Consent, the directory entries the file names (Practitioner, RelatedPerson,
Organization) and one Provenance per commit of the file. Every field FHIR has no
element for travels in a reseau extension (``fhir_codec``), so that importing the
Bundle gives the same file back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from reseau_cli.model import consent as consent_model
from reseau_cli.model import fhir_codec as c

PERSON_USED = frozenset(
    {"format", "id", "status", "opened", "identity", "situation", "consent", "network"}
    | {"coordination", "plan", "concertations"}
)
IDENTITY_USED = frozenset({"family_name", "given_name", "birth_date", "phone", "email", "address"})
ENTRY_USED = frozenset({"format", "id", "name", "kind", "phone", "email", "address", "profession"})
MEMBERSHIP_USED = frozenset({"intervenant", "role", "since", "until"})
DESIGNATION_USED = frozenset({"role", "intervenant", "since", "until"})
OBJECTIVE_USED = frozenset({"id", "text", "domain", "status", "priority", "created", "closed"})
ACTION_USED = frozenset({"id", "objective", "text", "by", "start", "due", "status"})
CONCERTATION_USED = frozenset({"id", "status", "kind", "date", "time", "duration_minutes"})
CONSENT_USED = frozenset({"information_sharing", "date", "scope"})
# The decision in force as Consent.status: a refusal is a rejected consent, a withdrawal
# makes it inactive.
CONSENT_STATUS = {"given": "active", "refused": "rejected", "withdrawn": "inactive"}
PLAN_USED = frozenset({"objectives", "actions"})

GOAL_STATUS = {"active": "active", "achieved": "completed", "abandoned": "cancelled"}
ACTIVITY_STATUS = {
    "planned": "not-started",
    "ongoing": "in-progress",
    "done": "completed",
    "cancelled": "cancelled",
}
ENCOUNTER_STATUS = {"planned": "planned", "held": "finished", "cancelled": "cancelled"}
FUNCTION_CODE = {"coordinator": "coordinator", "concertation_lead": "concertation-lead"}
FUNCTION_DISPLAY = {"coordinator": "Coordinator", "concertation_lead": "Concertation lead"}


@dataclass(frozen=True)
class Commit:
    """One commit of the person's file, for its Provenance."""

    commit: str
    date: str  # ISO 8601 with offset
    author: str
    message: str


def bundle(
    doc: dict[str, Any],
    directory: dict[str, dict[str, Any]],
    history: list[Commit],
    *,
    team: str,
    timezone: str,
    timestamp: str,
    pseudonymised: bool = False,
) -> dict[str, Any]:
    """The Bundle (type ``collection``) of one person's file."""
    pid = doc["id"]
    resources = [_patient(doc)]
    for ident in sorted(referenced(doc)):
        if ident in directory:
            resources.append(_entry(directory[ident], pid))
    resources.append(_care_team(doc, directory, team))
    resources += [_goal(o, pid) for o in doc.get("plan", {}).get("objectives", [])]
    resources.append(_care_plan(doc, directory))
    resources += [_encounter(m, pid, directory, timezone) for m in doc.get("concertations", [])]
    if "consent" in doc:
        resources.append(_consent(doc, directory))
    resources += [_provenance(commit, pid, first=i == 0) for i, commit in enumerate(history)]
    meta: dict[str, Any] = {"lastUpdated": timestamp}
    if pseudonymised:
        meta["security"] = [{"system": c.SECURITY, "code": "PSEUDED", "display": "pseudonymized"}]
    return {
        "resourceType": "Bundle",
        "id": f"reseau-{pid}",
        "meta": meta,
        "type": "collection",
        "timestamp": timestamp,
        "entry": [
            {"fullUrl": c.full_url(r["resourceType"], r["id"]), "resource": r} for r in resources
        ],
    }


def referenced(doc: dict[str, Any]) -> set[str]:
    """Every intervenant id the file names."""
    found = {m["intervenant"] for m in doc.get("network", [])}
    found |= {d["intervenant"] for d in doc.get("coordination", {}).get("history", [])}
    found |= {a["by"] for a in doc.get("plan", {}).get("actions", []) if a.get("by") != "person"}
    for meeting in doc.get("concertations", []):
        found |= {p["intervenant"] for p in meeting.get("participants", [])}
        found.update(meeting.get("invited", []))
        found |= {meeting[k] for k in ("organiser", "coordinator") if meeting.get(k)}
    for decision in (doc.get("consent") or {}).get("history") or []:
        named = list(decision.get("recipients") or [])
        named += [w.get("from") for w in decision.get("withhold") or []]
        found |= {w for w in named if w not in consent_model.KINDS}
    return {f for f in found if isinstance(f, str)}


def _telecom(record: dict[str, Any]) -> list[dict[str, str]]:
    return [
        {"system": system, "value": record[key]}
        for key, system in (("phone", "phone"), ("email", "email"))
        if record.get(key)
    ]


def _patient(doc: dict[str, Any]) -> dict[str, Any]:
    identity = doc.get("identity", {})
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": doc["id"],
        "identifier": [{"system": c.PERSON_SYSTEM, "value": doc["id"]}],
        "active": doc.get("status") != "closed",
    }
    name = {k: v for k, v in identity.items() if k in ("family_name", "given_name")}
    if name:
        human: dict[str, Any] = {}
        if name.get("family_name"):
            human["family"] = name["family_name"]
        if name.get("given_name"):
            human["given"] = [name["given_name"]]
        patient["name"] = [human]
    if _telecom(identity):
        patient["telecom"] = _telecom(identity)
    if identity.get("birth_date"):
        patient["birthDate"] = identity["birth_date"]
    if identity.get("address"):
        patient["address"] = [{"text": identity["address"]}]
    found = c.extensions(doc, PERSON_USED)
    rest = {k: v for k, v in identity.items() if k not in IDENTITY_USED}
    if rest:
        found.append(c.encode(c.EXTENSION + "identity", rest))
    return c.with_extensions(patient, found)


def _entry(entry: dict[str, Any], pid: str) -> dict[str, Any]:
    """A directory entry as the resource of its kind."""
    kind = entry.get("kind", "professional")
    resource_type = c.KIND_RESOURCE.get(kind, "Practitioner")
    resource: dict[str, Any] = {
        "resourceType": resource_type,
        "id": entry["id"],
        "identifier": [{"system": c.INTERVENANT_SYSTEM, "value": entry["id"]}],
    }
    if resource_type == "Organization":
        resource["name"] = entry["name"]
    else:
        resource["name"] = [{"text": entry["name"]}]
    if _telecom(entry):
        resource["telecom"] = _telecom(entry)
    if entry.get("address"):
        resource["address"] = [{"text": entry["address"]}]
    profession = entry.get("profession")
    if resource_type == "RelatedPerson":
        resource["patient"] = c.ref("Patient", pid)
        if profession:
            resource["relationship"] = [{"text": profession}]
    elif resource_type == "Organization" and profession:
        resource["type"] = [{"text": profession}]
    elif profession:
        resource["qualification"] = [{"code": {"text": profession}}]
    found = c.extensions(entry, ENTRY_USED)
    if kind == "volunteer":
        found.append(c.encode(c.EXTENSION + "kind", kind))
    return c.with_extensions(resource, found)


def _member_ref(ident: str, directory: dict[str, dict[str, Any]]) -> dict[str, str]:
    kind = directory.get(ident, {}).get("kind", "professional")
    return c.ref(c.KIND_RESOURCE.get(kind, "Practitioner"), ident)


def _period(start: str | None, end: str | None) -> dict[str, str]:
    return {k: v for k, v in (("start", start), ("end", end)) if v}


def _care_team(
    doc: dict[str, Any], directory: dict[str, dict[str, Any]], team: str
) -> dict[str, Any]:
    participants = []
    for membership in doc.get("network", []):
        item: dict[str, Any] = {"member": _member_ref(membership["intervenant"], directory)}
        if membership.get("role"):
            item["role"] = [{"text": membership["role"]}]
        period = _period(membership.get("since"), membership.get("until"))
        if period:
            item["period"] = period
        participants.append(c.with_extensions(item, c.extensions(membership, MEMBERSHIP_USED)))
    coordination = doc.get("coordination", {})
    for designation in coordination.get("history", []):
        role = designation["role"]
        item = {
            "role": [
                {
                    "coding": [
                        {
                            "system": c.FUNCTION_SYSTEM,
                            "code": FUNCTION_CODE.get(role, role),
                            "display": FUNCTION_DISPLAY.get(role, role),
                        }
                    ]
                }
            ],
            "member": _member_ref(designation["intervenant"], directory),
        }
        period = _period(designation.get("since"), designation.get("until"))
        if period:
            item["period"] = period
        participants.append(c.with_extensions(item, c.extensions(designation, DESIGNATION_USED)))
    care_team: dict[str, Any] = {
        "resourceType": "CareTeam",
        "id": f"network-{doc['id']}",
        "status": "inactive" if doc.get("status") == "closed" else "active",
        "name": team,
        "subject": c.ref("Patient", doc["id"]),
    }
    if participants:
        care_team["participant"] = participants
    rest = {k: v for k, v in coordination.items() if k != "history"}
    if "coordination" in doc:
        care_team["extension"] = [c.encode(c.EXTENSION + "coordination", rest)]
    return care_team


def _goal(objective: dict[str, Any], pid: str) -> dict[str, Any]:
    status = objective.get("status", "active")
    goal: dict[str, Any] = {
        "resourceType": "Goal",
        "id": objective["id"],
        "lifecycleStatus": GOAL_STATUS.get(status, "active"),
        "description": {"text": objective["text"]},
        "subject": c.ref("Patient", pid),
    }
    if status == "achieved":
        goal["achievementStatus"] = {"coding": [{"system": c.GOAL_ACHIEVEMENT, "code": "achieved"}]}
    if objective.get("domain"):
        goal["category"] = [{"coding": [{"system": c.DOMAIN_SYSTEM, "code": objective["domain"]}]}]
    if "priority" in objective:
        code = "high-priority" if objective["priority"] else "medium-priority"
        goal["priority"] = {"coding": [{"system": c.GOAL_PRIORITY, "code": code}]}
    if objective.get("created"):
        goal["startDate"] = objective["created"]
    if objective.get("closed"):
        goal["statusDate"] = objective["closed"]
    return c.with_extensions(goal, c.extensions(objective, OBJECTIVE_USED))


def _activity(action: dict[str, Any], pid: str, directory: dict[str, Any]) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "status": ACTIVITY_STATUS.get(action.get("status", "planned"), "unknown"),
        "description": action["text"],
    }
    by = action.get("by")
    if by == "person":
        detail["performer"] = [c.ref("Patient", pid)]
    elif by:
        detail["performer"] = [_member_ref(by, directory)]
    period = _period(action.get("start"), action.get("due"))
    if period:
        detail["scheduledPeriod"] = period
    if action.get("objective"):
        detail["goal"] = [c.ref("Goal", action["objective"])]
    activity = {"id": action["id"], "detail": detail}
    return c.with_extensions(activity, c.extensions(action, ACTION_USED))


def _care_plan(doc: dict[str, Any], directory: dict[str, Any]) -> dict[str, Any]:
    pid = doc["id"]
    plan = doc.get("plan", {})
    closed = doc.get("closed") or {}
    care_plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "id": f"plan-{pid}",
        "status": "completed" if doc.get("status") == "closed" else "active",
        "intent": "plan",
        "subject": c.ref("Patient", pid),
        "careTeam": [c.ref("CareTeam", f"network-{pid}")],
    }
    if doc.get("situation"):
        care_plan["description"] = doc["situation"]
    period = _period(doc.get("opened"), closed.get("date") if isinstance(closed, dict) else None)
    if period:
        care_plan["period"] = period
    goals = [c.ref("Goal", o["id"]) for o in plan.get("objectives", [])]
    if goals:
        care_plan["goal"] = goals
    activities = [_activity(a, pid, directory) for a in plan.get("actions", [])]
    if activities:
        care_plan["activity"] = activities
    found = [] if "plan" not in doc else [c.encode(c.EXTENSION + "plan", _rest(plan, PLAN_USED))]
    return c.with_extensions(care_plan, found)


def _rest(record: dict[str, Any], used: frozenset[str]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in used}


def _instant(date: str, time: str | None, timezone: str, minutes: int = 0) -> str:
    if not time:
        return date
    from zoneinfo import ZoneInfo

    start = dt.datetime.fromisoformat(f"{date}T{time}").replace(tzinfo=ZoneInfo(timezone))
    return (start + dt.timedelta(minutes=minutes)).isoformat()


def _encounter(
    meeting: dict[str, Any], pid: str, directory: dict[str, Any], timezone: str
) -> dict[str, Any]:
    at_home = bool(meeting.get("at_home"))
    encounter: dict[str, Any] = {
        "resourceType": "Encounter",
        "id": meeting["id"],
        "status": ENCOUNTER_STATUS.get(meeting.get("status", "planned"), "unknown"),
        "class": {"system": c.ACT_CODE, "code": "HH" if at_home else "AMB"},
        "subject": c.ref("Patient", pid),
    }
    if meeting.get("kind"):
        encounter["type"] = [{"coding": [{"system": c.KIND_SYSTEM, "code": meeting["kind"]}]}]
    period = {"start": _instant(meeting["date"], meeting.get("time"), timezone)}
    minutes = meeting.get("duration_minutes")
    if minutes and meeting.get("time"):
        period["end"] = _instant(meeting["date"], meeting["time"], timezone, minutes)
    if minutes:
        encounter["length"] = {
            "value": minutes,
            "unit": "min",
            "system": "http://unitsofmeasure.org",
            "code": "min",
        }
    encounter["period"] = period
    participants = []
    for person in meeting.get("participants", []):
        item: dict[str, Any] = {
            "type": [{"coding": [{"system": c.PARTICIPATION, "code": "PART"}]}],
            "individual": _member_ref(person["intervenant"], directory),
        }
        participants.append(c.with_extensions(item, c.extensions(person, {"intervenant"})))
    if participants:
        encounter["participant"] = participants
    used = CONCERTATION_USED | {"participants"}
    return c.with_extensions(encounter, c.extensions(meeting, used))


def _consent(doc: dict[str, Any], directory: dict[str, dict[str, Any]]) -> dict[str, Any]:
    consent = doc["consent"]
    sharing = consent.get("information_sharing")
    latest = None
    if sharing is None:  # a consent record with a history: its latest decision says it
        latest = consent_model.in_force(doc, "9999-12-31")
        sharing = latest is not None and latest["status"] == "given"
    resource: dict[str, Any] = {
        "resourceType": "Consent",
        "id": f"consent-{doc['id']}",
        "status": CONSENT_STATUS.get(latest["status"], "active") if latest else "active",
        "scope": {"coding": [{"system": c.CONSENT_SCOPE, "code": "patient-privacy"}]},
        "category": [{"coding": [{"system": c.LOINC, "code": "59284-0"}]}],
        "patient": c.ref("Patient", doc["id"]),
        "provision": {"type": "permit" if sharing else "deny"},
    }
    if latest is not None:
        resource["provision"] = provision(latest, directory)
    date = consent.get("date") or (latest or {}).get("date")
    if date:
        resource["dateTime"] = date
    if consent.get("scope"):
        resource["policyRule"] = {"text": consent["scope"]}
    used = CONSENT_USED if "information_sharing" in consent else frozenset({"date", "scope"})
    return c.with_extensions(resource, c.extensions(consent, used))


def provision(decision: dict[str, Any], directory: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A decision as a Consent.provision: permit (given) to its recipients as actors, with
    a nested deny for each withheld section (``class``), for a recipient or for all; deny
    (refused, withdrawn)."""
    if decision["status"] != "given":
        return {"type": "deny"}
    found: dict[str, Any] = {"type": "permit"}
    if decision.get("date"):
        found["period"] = {"start": decision["date"]}
    actors = [_actor(who, directory) for who in decision.get("recipients") or []]
    if actors:
        found["actor"] = actors
    kept = []
    for rule in decision.get("withhold") or []:
        item: dict[str, Any] = {
            "type": "deny",
            "class": [{"system": c.SECTION_SYSTEM, "code": rule["section"]}],
        }
        if rule.get("from"):
            item["actor"] = [_actor(rule["from"], directory)]
        kept.append(item)
    if kept:
        found["provision"] = kept
    return found


def _actor(who: str, directory: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """A recipient as a provision actor (information recipient): a member of the
    network by reference, a kind of recipient by a logical identifier."""
    role = {"coding": [{"system": c.PARTICIPATION, "code": "IRCP"}]}
    if who in consent_model.KINDS:
        identifier = {"system": c.RECIPIENT_KIND_SYSTEM, "value": who}
        return {"role": role, "reference": {"identifier": identifier, "display": who}}
    return {"role": role, "reference": _member_ref(who, directory)}


def _provenance(commit: Commit, pid: str, *, first: bool) -> dict[str, Any]:
    operation = "CREATE" if first else "UPDATE"
    return {
        "resourceType": "Provenance",
        "id": f"commit-{commit.commit[:40]}",
        "target": [c.ref("Patient", pid), c.ref("CarePlan", f"plan-{pid}")],
        "recorded": commit.date,
        "activity": {"coding": [{"system": c.DATA_OPERATION, "code": operation}]},
        "agent": [
            {
                "type": {"coding": [{"system": c.PROVENANCE_AGENT, "code": "author"}]},
                "who": {"display": commit.author},
            }
        ],
        "entity": [
            {
                "role": "revision",
                "what": {
                    "identifier": {"system": c.COMMIT_SYSTEM, "value": commit.commit},
                    "display": commit.message,
                },
            }
        ],
    }
