"""A FHIR R4 Bundle (validated) read back into a person's file and directory entries.

The inverse of ``fhir_export``: a Bundle reseau wrote gives back the same file; one from
another system gives what maps, and ``Imported.unmapped`` names every resource, element
and extension that was not read, so that nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from typing import Any

from reseau_cli import ids
from reseau_cli.errors import InvalidInput
from reseau_cli.i18n import _
from reseau_cli.model import fhir_codec as c
from reseau_cli.model import fhir_export as out

MEMBERS = ("Practitioner", "RelatedPerson", "Organization")
# Elements read from each resource; any other is listed as not imported.
READ = {
    "Patient": {"identifier", "active", "name", "telecom", "birthDate", "address"},
    "CareTeam": {"status", "name", "subject", "participant"},
    "CarePlan": {"status", "intent", "subject", "careTeam", "description", "period"}
    | {"goal", "activity"},
    "Goal": {"lifecycleStatus", "achievementStatus", "description", "subject", "category"}
    | {"priority", "startDate", "statusDate"},
    "Encounter": {"status", "class", "subject", "type", "period", "length", "participant"},
    "Consent": {"status", "scope", "category", "patient", "provision", "dateTime", "policyRule"},
    "Practitioner": {"identifier", "name", "telecom", "address", "qualification"},
    "RelatedPerson": {"identifier", "name", "telecom", "address", "patient", "relationship"},
    "Organization": {"identifier", "name", "telecom", "address", "type"},
}
ALWAYS = {"resourceType", "id", "meta", "extension", "text"}
GOAL_STATUS = {"completed": "achieved", "cancelled": "abandoned"}
ACTIVITY_STATUS = {v: k for k, v in out.ACTIVITY_STATUS.items()}
ENCOUNTER_STATUS = {v: k for k, v in out.ENCOUNTER_STATUS.items()}
FUNCTION_ROLE = {v: k for k, v in out.FUNCTION_CODE.items()}


@dataclass
class Imported:
    """What a Bundle gives: the person's file, directory entries, what was not read."""

    person: dict[str, Any]
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)
    original_id: str = ""
    taken: bool = False  # the original id is a reseau id, held by another file here


class _Reader:
    """Reads the Bundle's resources, noting what it leaves out."""

    def __init__(self, bundle: dict[str, Any]) -> None:
        self.unmapped: list[str] = []
        self.by_type: dict[str, list[dict[str, Any]]] = {}
        for entry in bundle.get("entry") or []:
            resource = entry.get("resource")
            if isinstance(resource, dict):
                self.by_type.setdefault(resource.get("resourceType", "?"), []).append(resource)

    def one(self, kind: str) -> dict[str, Any] | None:
        found = self.by_type.get(kind, [])
        for extra in found[1:]:
            self.unmapped.append(f"{kind}/{extra.get('id', '?')} (only the first {kind} is read)")
        return found[0] if found else None

    def note(self, resource: dict[str, Any]) -> None:
        kind = resource.get("resourceType", "?")
        where = f"{kind}/{resource.get('id', '?')}"
        for key in sorted(set(resource) - READ.get(kind, set()) - ALWAYS):
            self.unmapped.append(f"{where}.{key}")
        for url in c.foreign_extensions(resource):
            self.unmapped.append(f"{where}.extension {url}")

    def leftovers(self) -> None:
        for kind, found in sorted(self.by_type.items()):
            if kind == "Provenance":
                self.unmapped.append(
                    f"{len(found)} Provenance (the sender's history: a handover carries it)"
                )
            elif kind not in READ:
                self.unmapped += [f"{kind}/{r.get('id', '?')}" for r in found]


def person(
    bundle: dict[str, Any],
    *,
    taken: Container[str],
    directory: dict[str, dict[str, Any]],
    today: str,
) -> Imported:
    """The person (a free id if theirs is taken) and the directory entries to create."""
    reader = _Reader(bundle)
    patient = reader.one("Patient")
    if patient is None:
        raise InvalidInput(_("the Bundle holds no Patient"))
    care_team, care_plan = reader.one("CareTeam"), reader.one("CarePlan")
    if care_team is None and care_plan is None:
        raise InvalidInput(_("the Bundle holds neither a CareTeam nor a CarePlan"))
    for resource in [patient, care_team, care_plan]:
        if resource is not None:
            reader.note(resource)
    original = _identifier(patient, c.PERSON_SYSTEM) or str(patient.get("id") or "")
    pid = original if _valid(original) and original not in taken else ids.random_id("p", 6, taken)
    entries, renamed = _entries(reader, directory)
    doc = _patient(patient, pid, today, reader)
    _plan(doc, care_plan, reader, renamed)  # first: it says when the accompaniment opened
    if care_team is not None:
        _network(doc, care_team, renamed)
    meetings = [_encounter(e, renamed, reader) for e in reader.by_type.get("Encounter", [])]
    _own_ids(meetings, "c")
    if meetings:
        doc["concertations"] = meetings
    consent = reader.one("Consent")
    if consent is not None:
        reader.note(consent)
        doc["consent"] = _consent(consent, renamed)
    reader.leftovers()
    needed = out.referenced(doc) - set(entries) - set(directory)
    if needed:
        raise InvalidInput(
            _("the Bundle names intervenant(s) it does not describe: {ids}").format(
                ids=", ".join(sorted(needed))
            )
        )
    used = out.referenced(doc)
    entries = {k: v for k, v in entries.items() if k in used}
    taken_here = _valid(original) and original != pid
    return Imported(doc, entries, reader.unmapped, original, taken_here)


def _valid(ident: str) -> bool:
    return bool(ident) and ids.ID_RULE.fullmatch(ident) is not None


def _identifier(resource: dict[str, Any], system: str) -> str | None:
    for identifier in resource.get("identifier") or []:
        if identifier.get("system") == system and identifier.get("value"):
            return str(identifier["value"])
    return None


def _telecom(resource: dict[str, Any], record: dict[str, Any], reader: _Reader) -> None:
    for point in resource.get("telecom") or []:
        key = {"phone": "phone", "email": "email"}.get(point.get("system", ""))
        if key and key not in record and point.get("value"):
            record[key] = point["value"]
        else:
            where = f"{resource['resourceType']}/{resource.get('id', '?')}"
            reader.unmapped.append(f"{where}.telecom {point.get('system', '?')}")


def _address(resource: dict[str, Any]) -> str | None:
    for address in resource.get("address") or []:
        if address.get("text"):
            return str(address["text"])
        parts = [*address.get("line", []), address.get("postalCode"), address.get("city")]
        text = ", ".join(p for p in parts if p)
        if text:
            return text
    return None


def _patient(patient: dict[str, Any], pid: str, today: str, reader: _Reader) -> dict[str, Any]:
    extras = c.extras(patient)
    name = (patient.get("name") or [{}])[0]
    identity: dict[str, Any] = dict(extras.pop("identity", {}))
    family = name.get("family") or ""
    given = " ".join(name.get("given") or [])
    if not family or not given:
        raise InvalidInput(
            _(
                "the Patient has no family and given name "
                "(a pseudonymised export cannot be imported)"
            )
        )
    identity.update(family_name=family, given_name=given)
    if patient.get("birthDate"):
        identity["birth_date"] = patient["birthDate"]
    address = _address(patient)
    if address:
        identity["address"] = address
    _telecom(patient, identity, reader)
    # A closed file says when and why (a reseau extension); FHIR's `active` alone does not.
    status = "closed" if "closed" in extras else "active"
    doc: dict[str, Any] = {"format": 1, "id": pid, "status": status, "opened": today}
    doc["identity"] = identity
    doc.update(extras)
    return doc


def _entries(
    reader: _Reader, directory: dict[str, dict[str, Any]]
) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Directory entries to create, and the ids given a new one (taken by someone else)."""
    from reseau_cli.model.directory import free_id
    from reseau_cli.text import same

    entries: dict[str, dict[str, Any]] = {}
    renamed: dict[str, str] = {}
    for kind in MEMBERS:
        for resource in reader.by_type.get(kind, []):
            reader.note(resource)
            entry = _entry(resource, reader)
            ident = entry["id"]
            existing = directory.get(ident)
            if existing is not None and same(existing["name"], entry["name"]):
                continue  # the team's own entry stands
            if existing is not None or not _valid(ident):
                new = free_id(entry["name"], set(directory) | set(entries))
                renamed[str(resource.get("id"))] = new
                entry["id"] = new
            entries[entry["id"]] = entry
    return entries, renamed


def _entry(resource: dict[str, Any], reader: _Reader) -> dict[str, Any]:
    kind_of = {"Practitioner": "professional", "RelatedPerson": "carer"}
    extras = c.extras(resource)
    kind = extras.pop("kind", kind_of.get(resource["resourceType"], "service"))
    if resource["resourceType"] == "Organization":
        name = resource.get("name")
    else:
        first = (resource.get("name") or [{}])[0]
        name = first.get("text") or " ".join([*first.get("given", []), first.get("family", "")])
    ident = _identifier(resource, c.INTERVENANT_SYSTEM) or str(resource.get("id") or "")
    entry: dict[str, Any] = {"format": 1, "id": ident, "name": (name or "").strip() or ident}
    entry["kind"] = kind
    _telecom(resource, entry, reader)
    address = _address(resource)
    if address:
        entry["address"] = address
    profession = (
        (resource.get("qualification") or [{}])[0].get("code", {}).get("text")
        or (resource.get("relationship") or [{}])[0].get("text")
        or (resource.get("type") or [{}])[0].get("text")
    )
    if profession:
        entry["profession"] = profession
    entry.update(extras)
    return entry


def _member(reference: Any, renamed: dict[str, str]) -> str | None:
    ident = c.ref_id(reference)
    if ident is None:
        return None
    if str(reference.get("reference", "")).split("/")[-2:-1] == ["Patient"]:
        return "person"
    return renamed.get(ident, ident)


def _function(participant: dict[str, Any]) -> str | None:
    for role in participant.get("role") or []:
        for coding in role.get("coding") or []:
            if coding.get("system") == c.FUNCTION_SYSTEM:
                return FUNCTION_ROLE.get(coding.get("code"), coding.get("code"))
    return None


def _network(doc: dict[str, Any], care_team: dict[str, Any], renamed: dict[str, str]) -> None:
    network: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for participant in care_team.get("participant") or []:
        member = _member(participant.get("member"), renamed)
        if member is None or member == "person":
            continue
        period = participant.get("period") or {}
        function = _function(participant)
        record: dict[str, Any] = {"intervenant": member}
        if function is not None:
            record = {"role": function, **record}
        elif (participant.get("role") or [{}])[0].get("text"):
            record["role"] = participant["role"][0]["text"]
        # Without a period, the membership starts with the accompaniment.
        record["since"] = period.get("start") or doc["opened"]
        if period.get("end"):
            record["until"] = period["end"]
        record.update(c.extras(participant))
        (history if function is not None else network).append(record)
    if network:
        doc["network"] = network
    extras = c.extras(care_team)
    if "coordination" in extras or history:
        held = {k: renamed.get(v, v) for k, v in extras.get("coordination", {}).items()}
        doc["coordination"] = {**held, "history": history}


def _plan(
    doc: dict[str, Any],
    care_plan: dict[str, Any] | None,
    reader: _Reader,
    renamed: dict[str, str],
) -> None:
    extras = c.extras(care_plan or {})
    plan: dict[str, Any] = dict(extras.pop("plan", {}))
    doc.update(extras)
    if care_plan is not None:
        if care_plan.get("description"):
            doc["situation"] = care_plan["description"]
        start = (care_plan.get("period") or {}).get("start")
        if start:
            doc["opened"] = start
    objectives = []
    for goal in reader.by_type.get("Goal", []):
        reader.note(goal)
        objectives.append(_objective(goal))
    goals = _own_ids(objectives, "o")
    if objectives:
        plan["objectives"] = objectives
    activities = (care_plan or {}).get("activity") or []
    found = [_action(a, renamed, reader, i) for i, a in enumerate(activities)]
    actions = [a for a in found if a is not None]
    _own_ids(actions, "a")
    for action in actions:
        if action.get("objective") is not None:
            action["objective"] = goals.get(action["objective"], action["objective"])
    if actions:
        plan["actions"] = actions
    if plan or (care_plan is not None and "plan" in c.extras(care_plan)):
        doc["plan"] = plan


def _own_ids(records: list[dict[str, Any]], prefix: str) -> dict[str, str]:
    """Give a reseau id to every record whose id (from another system) is not one."""
    given: dict[str, str] = {}
    taken = {r["id"] for r in records}
    for record in records:
        if not _valid(record["id"]):
            new = ids.random_id(prefix, 4, taken)
            given[record["id"]] = new
            taken.add(new)
            record["id"] = new
    return given


def _code(element: Any, system: str) -> str | None:
    concepts = element if isinstance(element, list) else [element] if element else []
    for concept in concepts:
        for coding in concept.get("coding") or []:
            if coding.get("system") == system:
                return str(coding.get("code"))
    return None


def _objective(goal: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": goal.get("id", ""),
        "text": goal.get("description", {}).get("text") or "?",
    }
    domain = _code(goal.get("category"), c.DOMAIN_SYSTEM)
    if domain:
        record["domain"] = domain
    record["status"] = GOAL_STATUS.get(goal.get("lifecycleStatus", ""), "active")
    priority = _code(goal.get("priority"), c.GOAL_PRIORITY)
    if priority:
        record["priority"] = priority == "high-priority"
    for key, element in (("created", "startDate"), ("closed", "statusDate")):
        if goal.get(element):
            record[key] = goal[element]
    record.update(c.extras(goal))
    return record


def _action(
    activity: dict[str, Any], renamed: dict[str, str], reader: _Reader, index: int
) -> dict[str, Any] | None:
    detail = activity.get("detail")
    if not isinstance(detail, dict) or not detail.get("description"):
        reader.unmapped.append(f"CarePlan.activity[{index}] (no detail with a description)")
        return None
    record: dict[str, Any] = {"id": activity.get("id") or f"a-{index + 1}"}
    goal = c.ref_id((detail.get("goal") or [None])[0], "Goal")
    if goal:
        record["objective"] = goal
    record["text"] = detail["description"]
    performer = _member((detail.get("performer") or [None])[0], renamed)
    if performer:
        record["by"] = performer
    period = detail.get("scheduledPeriod") or {}
    for key, value in (("start", period.get("start")), ("due", period.get("end"))):
        if value:
            record[key] = value
    record["status"] = ACTIVITY_STATUS.get(detail.get("status", ""), "planned")
    record.update(c.extras(activity))
    return record


def _encounter(
    encounter: dict[str, Any], renamed: dict[str, str], reader: _Reader
) -> dict[str, Any]:
    reader.note(encounter)
    start = str((encounter.get("period") or {}).get("start") or "")
    record: dict[str, Any] = {
        "id": encounter.get("id", ""),
        "status": ENCOUNTER_STATUS.get(encounter.get("status", ""), "held"),
    }
    kind = _code(encounter.get("type"), c.KIND_SYSTEM)
    if kind:
        record["kind"] = kind
    record["date"] = start[:10]
    if len(start) >= 16:
        record["time"] = start[11:16]
    minutes = (encounter.get("length") or {}).get("value")
    if minutes:
        record["duration_minutes"] = int(minutes)
    participants = []
    for participant in encounter.get("participant") or []:
        member = _member(participant.get("individual"), renamed)
        if member and member != "person":
            participants.append({"intervenant": member, **c.extras(participant)})
    if participants:
        record["participants"] = participants
    record.update(_renamed(c.extras(encounter), renamed))
    return record


def _renamed(extras: dict[str, Any], renamed: dict[str, str]) -> dict[str, Any]:
    """Intervenant ids in a concertation's extra fields, given their new ids."""
    for key in ("organiser", "coordinator"):
        if extras.get(key) in renamed:
            extras[key] = renamed[extras[key]]
    if isinstance(extras.get("invited"), list):
        extras["invited"] = [renamed.get(i, i) for i in extras["invited"]]
    return extras


def _consent(consent: dict[str, Any], renamed: dict[str, str]) -> dict[str, Any]:
    """reseau's own Consent: its extensions carry the history and the register. Another
    system's: its provisions give one decision (recipients, withheld sections) when they
    name actors or nested provisions, else the old form's yes or no."""
    extras = c.extras(consent)
    if "history" in extras or "status" in extras:
        for decision in extras.get("history") or []:
            _rename_decision(decision, renamed)
        return extras
    provision = consent.get("provision") or {}
    if provision.get("actor") or provision.get("provision"):
        decision = _decision(consent, renamed)
        return {"status": decision["status"], "history": [decision], "disclosures": [], **extras}
    record: dict[str, Any] = {}
    record["information_sharing"] = provision.get("type") == "permit"
    if consent.get("dateTime"):
        record["date"] = str(consent["dateTime"])[:10]
    scope = (consent.get("policyRule") or {}).get("text")
    if scope:
        record["scope"] = scope
    record.update(extras)
    return record


IMPORTED_CONSENT_ID = "cn-imported"


def _decision(consent: dict[str, Any], renamed: dict[str, str]) -> dict[str, Any]:
    """The decision a Consent's provision states: permit to its actors, less the sections
    its nested deny provisions name (``class``), for their actors or for all."""
    from reseau_cli.model.consent import SECTIONS

    provision = consent.get("provision") or {}
    given = provision.get("type") == "permit"
    decision: dict[str, Any] = {"id": IMPORTED_CONSENT_ID}
    day = (provision.get("period") or {}).get("start") or consent.get("dateTime")
    if day:
        decision["date"] = str(day)[:10]
    decision["status"] = "given" if given else "refused"
    if not given:
        return decision
    recipients = [_recipient(a, renamed) for a in provision.get("actor") or []]
    decision["recipients"] = list(dict.fromkeys(r for r in recipients if r))
    rules: list[dict[str, str]] = []
    for nested in provision.get("provision") or []:
        if nested.get("type") != "deny":
            continue
        sections = [
            k.get("code")
            for k in nested.get("class") or []
            if k.get("system") == c.SECTION_SYSTEM and k.get("code") in SECTIONS
        ]
        actors = nested.get("actor") or []
        whom: list[str | None] = [r for r in (_recipient(a, renamed) for a in actors) if r]
        if not actors:
            whom = [None]  # no actor: kept from every recipient
        rules += [{"section": s, **({"from": w} if w else {})} for s in sections for w in whom]
    if rules:
        decision["withhold"] = rules
    text = (consent.get("policyRule") or {}).get("text")
    if text:
        decision["note"] = text
    return decision


def _recipient(actor: dict[str, Any], renamed: dict[str, str]) -> str:
    """A provision actor as a recipient: a kind (by its identifier) or an intervenant id
    (by reference); "" for one that is neither."""
    from reseau_cli.model.consent import KINDS

    reference = actor.get("reference") or {}
    identifier = reference.get("identifier") or {}
    if identifier.get("system") == c.RECIPIENT_KIND_SYSTEM:
        value = identifier.get("value")
        return value if value in KINDS else ""
    ident = c.ref_id(reference)
    return renamed.get(ident, ident) if ident else ""


def _rename_decision(decision: Any, renamed: dict[str, str]) -> None:
    """A decision's intervenant ids, given their new ids."""
    if not isinstance(decision, dict):
        return
    if isinstance(decision.get("recipients"), list):
        decision["recipients"] = [renamed.get(r, r) for r in decision["recipients"]]
    for rule in decision.get("withhold") or []:
        if isinstance(rule, dict) and rule.get("from") in renamed:
            rule["from"] = renamed[rule["from"]]
