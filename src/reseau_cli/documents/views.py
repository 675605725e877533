"""View data for people to read: names resolved, lists sorted, nothing left raw.

Both `person show` and the document templates read these structures, so a person
looks the same in the terminal and on paper.
"""

from __future__ import annotations

import datetime as dt

from reseau_cli import dates, text
from reseau_cli.errors import ReseauError
from reseau_cli.model import consent as consent_model
from reseau_cli.model import evaluation as evaluation_model
from reseau_cli.model.network import PERSON, display_name, is_current
from reseau_cli.model.plan import is_open
from reseau_cli.repo import Repository

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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
    """What `reseau person show` prints: the same view as the documents (``plan_view``:
    one builder, one order for the network, objectives and actions), plus what only
    the terminal shows: the whole history of memberships and designations, reviews and
    every concertation."""
    on = today.isoformat()
    paper = plan_view(repo, doc, today=today)
    coordination = doc.get("coordination") or {}
    spans = [
        {**(who(repo, m["intervenant"]) or {}), **m, "id": m["intervenant"]}
        for m in sorted(doc.get("network") or [], key=lambda m: m["since"])
        if not is_current(m, on)
    ]
    plan = doc.get("plan") or {}
    return {
        "id": doc["id"],
        "name": paper["name"],
        "identity": doc.get("identity") or {},
        "age": paper["age"],
        "status": doc["status"],
        "opened": doc.get("opened"),
        "closed": doc.get("closed"),
        "closures": doc.get("closures") or [],
        "situation": doc.get("situation"),
        "consent": paper["consent"],
        "consent_history": consent_model.history(doc),
        "network_groups": paper["network_groups"],
        # Not current: either ended, or starting later (a handover planned ahead).
        "network_past": [m for m in spans if m["since"] <= on],
        "network_upcoming": [m for m in spans if m["since"] > on],
        "coordinator": who(repo, coordination.get("coordinator")),
        "concertation_lead": who(repo, coordination.get("concertation_lead")),
        "designations": [
            {**d, "who": who(repo, d["intervenant"])} for d in coordination.get("history") or []
        ],
        "plan": {
            "reviewed": plan.get("reviewed"),
            "next_review": plan.get("next_review"),
            "reviews": plan.get("reviews") or [],
        },
        "objectives": paper["objectives"],
        "actions_without_objective": paper["other_actions"],
        "evaluation": paper["evaluation"],
        "concertations": sorted(
            doc.get("concertations") or [], key=lambda c: (c["date"], c.get("time") or "")
        ),
    }


# -- documents (render) ------------------------------------------------------------------
# Templates run with StrictUndefined: every key they may read is present (None when
# empty), every list is sorted the way it is printed.

_CARD_KEYS = ("profession", "organisation", "phone", "email", "address")


def card(repo: Repository, doc: dict[str, Any], ident: str, *, on: str) -> dict[str, Any]:
    """Everything a document shows about one intervenant (or the person) for this person."""
    coordination = doc.get("coordination") or {}
    base: dict[str, Any] = {key: None for key in _CARD_KEYS}
    if ident == PERSON:
        identity = doc.get("identity") or {}
        base.update(phone=identity.get("phone"), email=identity.get("email"))
        base.update(id=PERSON, name=display_name(doc), kind=PERSON, is_person=True, missing=False)
    else:
        entry = who(repo, ident) or {}
        base.update({key: entry.get(key) for key in _CARD_KEYS})
        base.update(
            id=ident,
            name=entry.get("name") or ident,
            kind=entry.get("kind") or "professional",
            is_person=False,
            missing=bool(entry.get("missing")),
        )
    spans = [m for m in doc.get("network") or [] if m["intervenant"] == ident]
    current = [m for m in spans if is_current(m, on)]
    latest: dict[str, Any] = max(current or spans, key=lambda m: m["since"], default={})
    base.update(
        role=latest.get("role") or None,
        since=latest.get("since"),
        until=latest.get("until"),
        reason=latest.get("reason"),
        member=bool(current),
        coordinator=ident == coordination.get("coordinator"),
        lead=ident == coordination.get("concertation_lead"),
    )
    return base


def _card_order(c: dict[str, Any]) -> tuple[Any, ...]:
    kind = KIND_ORDER.index(c["kind"]) if c["kind"] in KIND_ORDER else len(KIND_ORDER)
    return (not c["coordinator"], kind, text.sort_key(c["name"]), c["id"])


def _kind_only(kind: str) -> dict[str, Any]:
    return {"kind": kind, "coordinator": False, "name": "", "id": ""}


def action_view(
    repo: Repository, doc: dict[str, Any], action: dict[str, Any], *, on: str
) -> dict[str, Any]:
    keys = ("objective", "created", "start", "due", "closed", "concertation")
    view = {key: action.get(key) for key in keys}
    view.update(
        id=action["id"],
        text=action["text"],
        status=action["status"],
        notes=sorted(action.get("notes") or [], key=lambda n: n["date"]),
        who=card(repo, doc, action["by"], on=on),
        open=is_open(action),
        overdue=is_open(action) and bool(action.get("due")) and action["due"] < on,
    )
    return view


def plan_view(repo: Repository, doc: dict[str, Any], *, today: dt.date) -> dict[str, Any]:
    """The person, their plan and their network, ready for a document template."""
    on = today.isoformat()
    identity = doc.get("identity") or {}
    coordination = doc.get("coordination") or {}
    plan = doc.get("plan") or {}
    actions = [action_view(repo, doc, a, on=on) for a in plan.get("actions") or []]
    actions.sort(key=lambda a: (not a["open"], a["due"] or "9999", a["text"].casefold()))
    objectives = []
    ordered = sorted(
        plan.get("objectives") or [],
        key=lambda o: (not o.get("priority", False), o["status"] != "active"),
    )
    for o in ordered:
        view = {k: o.get(k) for k in ("domain", "created", "closed", "note")}
        view["needs"] = list(o.get("needs") or [])
        view.update(id=o["id"], text=o["text"], status=o["status"])
        view.update(priority=bool(o.get("priority")))
        view["actions"] = [a for a in actions if a["objective"] == o["id"]]
        objectives.append(view)
    known = {o["id"] for o in objectives}
    members = sorted({m["intervenant"] for m in doc.get("network") or []})
    cards = [card(repo, doc, ident, on=on) for ident in members]
    current = sorted((c for c in cards if c["member"]), key=_card_order)
    kinds = sorted({c["kind"] for c in current}, key=lambda k: _card_order(_kind_only(k)))
    groups = [{"kind": k, "members": [c for c in current if c["kind"] == k]} for k in kinds]
    # The coordinator's group comes first, the coordinator first in it.
    groups.sort(key=lambda g: not g["members"][0]["coordinator"])
    concertations = sorted(
        doc.get("concertations") or [], key=lambda c: (c["date"], c.get("time") or "")
    )
    held = [c for c in concertations if c["status"] == "held"]
    planned = [c for c in concertations if c["status"] == "planned" and c["date"] >= on]
    closed = doc.get("closed")
    lead = coordination.get("concertation_lead")
    coordinator = coordination.get("coordinator")
    return {
        "id": doc["id"],
        "name": display_name(doc),
        "given_name": identity["given_name"],
        "family_name": identity["family_name"],
        "birth_date": identity.get("birth_date"),
        "age": dates.plausible_age(identity.get("birth_date"), today),
        "phone": identity.get("phone"),
        "email": identity.get("email"),
        "address": identity.get("address"),
        "status": doc["status"],
        "opened": doc.get("opened"),
        "closed": {"date": closed["date"], "reason": closed["reason"]} if closed else None,
        "situation": doc.get("situation") or None,
        "consent": consent_view(repo, doc, on=on),
        "coordinator": card(repo, doc, coordinator, on=on) if coordinator else None,
        "lead": card(repo, doc, lead, on=on) if lead else None,
        "objectives": objectives,
        "other_actions": [a for a in actions if a["objective"] not in known],
        "actions": actions,
        "network": current,
        "network_groups": groups,
        "past_members": sorted(
            (c for c in cards if not c["member"]), key=lambda c: c["until"] or "", reverse=True
        ),
        "reviewed": plan.get("reviewed"),
        "next_review": plan.get("next_review"),
        "review_due": bool(plan.get("next_review")) and plan["next_review"] <= on,
        "last_concertation": _brief(held[-1], doc) if held else None,
        "next_concertation": _brief(planned[0], doc) if planned else None,
        "evaluation": evaluation_view(repo, doc),
    }


def consent_view(repo: Repository, doc: dict[str, Any], *, on: str) -> dict[str, Any]:
    """The decision in force, recipients and withheld sections named for a reader:
    a kind stays a kind (``kind``), an intervenant gets their name (``name``)."""
    found = consent_model.summary(doc, on)

    def named(ident: str | None) -> dict[str, Any]:
        if ident is None:
            return {"kind": None, "name": None}
        if ident in consent_model.KINDS:
            return {"kind": ident, "name": None}
        entry = who(repo, ident) or {}
        return {"kind": None, "name": entry.get("name") or ident}

    found["recipients"] = [named(r) for r in found["recipients"]]
    found["withhold"] = [
        {"section": w["section"], **named(w.get("from"))} for w in found["withhold"]
    ]
    return found


# Each built-in instrument's range, for its chart (team instruments: their values').
_RANGES = {"aggir": (1, 6), "katz": (0, 4)}


def evaluation_view(repo: Repository, doc: dict[str, Any]) -> dict[str, Any]:
    """The situation by domain (each domain as its latest evaluation left it, with the
    active objectives answering its need) and each instrument's results over time."""
    from reseau_cli.documents.chart import line_chart

    objectives = (doc.get("plan") or {}).get("objectives") or []
    situation = []
    for entry in evaluation_model.situation(doc):
        answering = [
            {"id": o["id"], "text": o["text"]}
            for o in objectives
            if o["status"] == "active" and entry["domain"] in (o.get("needs") or [])
        ]
        view = {k: entry.get(k) for k in ("need", "person_view")}
        view.update(domain=entry["domain"], level=entry["level"], date=entry["date"])
        view.update(open=entry["level"] in evaluation_model.OPEN_LEVELS, objectives=answering)
        situation.append(view)
    instruments = []
    for name, results in evaluation_model.instrument_series(doc).items():
        series = [
            {"date": r["date"], "label": r["result"]["label"], "value": r["result"].get("value")}
            for r in results
        ]
        low, high = _RANGES.get(name, (None, None))
        instruments.append(
            {
                "id": name,
                "title": _instrument_title(repo, name),
                "results": series,
                "latest": series[-1],
                "chart": line_chart(series, low=low, high=high) if len(series) > 1 else None,
            }
        )
    latest = evaluation_model.latest(doc)
    return {
        "count": len(doc.get("evaluations") or []),
        "latest": latest["date"] if latest else None,
        "situation": situation,
        "instruments": instruments,
        "unanswered": evaluation_model.unanswered_needs(doc),
    }


def _instrument_title(repo: Repository, name: str) -> str:
    """A built-in instrument's title; a team instrument is shown by its id."""
    from reseau_cli.model.instruments import BUILTIN

    return BUILTIN[name].title if name in BUILTIN else name


def _brief(c: dict[str, Any], doc: dict[str, Any] | None = None) -> dict[str, Any]:
    """A meeting in short; one at the person's home has the address of the file as place."""
    view = {k: c.get(k) for k in ("time", "place", "next")}
    view.update(id=c["id"], kind=c["kind"], status=c["status"], date=c["date"])
    view["at_home"] = bool(c.get("at_home"))
    if view["at_home"] and doc is not None:
        view["place"] = (doc.get("identity") or {}).get("address") or c.get("place")
    return view


def concertation_view(
    repo: Repository, doc: dict[str, Any], concertation: dict[str, Any], *, today: dt.date
) -> dict[str, Any]:
    """One concertation with everyone named, for an invitation or minutes.

    Each person's role is the one of their membership on the meeting day (a role that
    changed since is not carried back onto old minutes); for a held meeting, someone
    who was not a member that day gets no role (their profession shows instead)."""
    on = today.isoformat()
    c = concertation
    when = c["date"]
    held = c["status"] == "held"

    def person_card(ident: str) -> dict[str, Any]:
        found = card(repo, doc, ident, on=min(when, on) if held else on)
        span = membership_on(doc, ident, when)
        if span is not None:
            found.update(role=span.get("role") or None, since=span["since"])
            found.update(until=span.get("until"), reason=span.get("reason"))
        elif held:
            found.update(role=None)
        return found

    participants = c.get("participants") or []
    present = [person_card(p["intervenant"]) for p in participants if p["present"]]
    excused = [
        person_card(p["intervenant"]) for p in participants if not p["present"] and p.get("excused")
    ]
    absent = [
        person_card(p["intervenant"])
        for p in participants
        if not p["present"] and not p.get("excused")
    ]
    recorded = {p["intervenant"] for p in participants}
    not_recorded = [
        person_card(i) for i in dict.fromkeys(c.get("invited") or []) if i not in recorded
    ]
    # Someone else present is named once: an invitee typed by name was present (listed
    # with their role), a participant already listed is not repeated.
    others: list[str] = []
    named = {text.fold(m["name"]) for m in present + excused + absent}
    for name in (n.strip() for n in c.get("others_present") or []):
        key = text.fold(name)
        invitee = next((m for m in not_recorded if text.fold(m["name"]) == key), None)
        if invitee is not None:
            not_recorded.remove(invitee)
            present.append(invitee)
        elif name and key not in named:
            others.append(name)
        named.add(key)
    by_id = {a["id"]: a for a in (doc.get("plan") or {}).get("actions") or []}
    decided = []
    for ident in c.get("actions") or []:
        if ident in by_id:
            view = action_view(repo, doc, by_id[ident], on=on)
            if held:  # who held it, with the role they had at the meeting
                view["who"] = person_card(by_id[ident]["by"])
            decided.append(view)
    return {
        **_brief(c, doc),
        "duration_minutes": c.get("duration_minutes"),
        "end_time": end_time(c.get("time"), c.get("duration_minutes")),
        "organiser": person_card(c["organiser"]) if c.get("organiser") else None,
        "invited": sorted(
            (person_card(i) for i in dict.fromkeys(c.get("invited") or [])), key=_card_order
        ),
        "present": sorted(present, key=_card_order),
        "excused": sorted(excused, key=_card_order),
        "absent": sorted(absent, key=_card_order),
        "not_recorded": sorted(not_recorded, key=_card_order),
        "person_present": c.get("person_present"),
        "others_present": others,
        # Family carers of the network who came (others present are listed once, apart).
        "family_present": [
            m["name"] for m in sorted(present, key=_card_order) if m["kind"] == "carer"
        ],
        "agenda": list(c.get("agenda") or []),
        "bring": list(c.get("bring") or []),
        "summary": c.get("summary") or None,
        "decisions": list(c.get("decisions") or []),
        "actions": decided,
        "coordinator": person_card(c["coordinator"]) if c.get("coordinator") else None,
        "cancelled_reason": c.get("cancelled_reason"),
        "next_meeting": _following(doc, c),
    }


def _following(doc: dict[str, Any], c: dict[str, Any]) -> dict[str, Any] | None:
    """The meeting planned after ``c``, as the minutes announce it: the one planned on
    its ``next`` date; without a ``next`` date, the first one planned after it."""
    if c["status"] != "held":
        return None
    planned = sorted(
        (p for p in doc.get("concertations") or [] if p["status"] == "planned"),
        key=lambda p: (p["date"], p.get("time") or ""),
    )
    if c.get("next"):
        found = [p for p in planned if p["date"] == c["next"]]
    else:
        found = [p for p in planned if p["date"] > c["date"]]
    if not found:
        return None
    view = _brief(found[0], doc)
    view["end_time"] = end_time(found[0].get("time"), found[0].get("duration_minutes"))
    return view


def membership_on(doc: dict[str, Any], ident: str, day: str) -> dict[str, Any] | None:
    """The membership of ``ident`` covering ``day`` (its last day included); the later
    one when a role changed that very day."""
    spans = [
        m
        for m in doc.get("network") or []
        if m["intervenant"] == ident
        and m["since"] <= day
        and (m.get("until") is None or m["until"] >= day)
    ]
    return max(spans, key=lambda m: m["since"], default=None)


def end_time(time: str | None, minutes: int | None) -> str | None:
    """HH:MM when a meeting starting at ``time`` and lasting ``minutes`` ends."""
    if not time or not minutes:
        return None
    hours, mins = (int(x) for x in time.split(":"))
    total = min(hours * 60 + mins + minutes, 23 * 60 + 59)
    return f"{total // 60:02d}:{total % 60:02d}"


def attendance_view(
    meeting: dict[str, Any], concertation: dict[str, Any], scheme: dict[str, Any] | None
) -> dict[str, Any]:
    """The attendance sheet's rows from a ``concertation_view``: every intervenant invited
    or recorded (the organiser first), with profession, organisation and presence
    (``present``, ``excused``, ``absent``, or None: not recorded yet, to tick on the
    day); the person's presence and agreement; the funding scheme, if any."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()

    def add(cards: list[dict[str, Any]], presence: str | None) -> None:
        for found in cards:
            if found["id"] not in seen:
                seen.add(found["id"])
                rows.append({**found, "presence": presence})

    organiser = meeting.get("organiser")
    lists = (("present", "present"), ("excused", "excused"), ("absent", "absent"))
    if organiser is not None:
        state = next((p for key, p in lists if organiser["id"] in _ids(meeting[key])), None)
        add([organiser], state)
    for key, presence in lists:
        add(meeting[key], presence)
    add(meeting["not_recorded"], None)
    return {
        "rows": rows,
        "person_present": concertation.get("person_present"),
        "representative_present": concertation.get("representative_present"),
        "person_agreed": concertation.get("person_agreed"),
        "scheme": {k: scheme.get(k) for k in ("id", "name", "source")} if scheme else None,
        "scheme_id": concertation.get("scheme"),
    }


def _ids(cards: list[dict[str, Any]]) -> set[str]:
    return {c["id"] for c in cards}
