"""What a recipient may see of a person file: ONE pure function, ``visible``.

Every document and every export for a recipient is built from ``visible(person,
recipient)["doc"]``, a copy of the file with the withheld sections taken out, so that
no template can show a withheld section by forgetting a condition. A recipient outside
the consent (no consent, refused, withdrawn, not named, left the network) is refused
with one line saying why and what to do.

Recipients: ``TEAM`` (the team's internal version: nothing withheld, labelled as such),
``PERSON`` (the person: nothing of their own withheld from them), or an intervenant
``{"id", "kind"}`` (kind from the directory).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping

from reseau_cli.errors import RuleViolation
from reseau_cli.i18n import _
from reseau_cli.model import consent
from reseau_cli.model.network import PERSON, is_current, is_member, memberships

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

TEAM = "team"


def recipient(ident: str, kind: str | None = None) -> dict[str, str]:
    """A recipient as ``visible`` takes it."""
    if ident in (TEAM, PERSON):
        return {"id": ident, "kind": ident}
    return {"id": ident, "kind": kind or "professional"}


def visible(person: dict[str, Any], to: dict[str, str], *, on: str) -> dict[str, Any]:
    """The view of ``person`` for recipient ``to`` on day ``on``.

    Returns ``{"doc", "audience", "recipient", "withheld", "consent"}``: the filtered
    document, ``team``/``person``/``recipient``, the recipient, the sections taken out,
    and the decision in force. Raises ``RuleViolation`` for a recipient outside it."""
    entry = consent.in_force(person, on)
    if to["kind"] in (TEAM, PERSON):
        audience = to["kind"]
        return {
            "doc": copy.deepcopy(person),
            "audience": audience,
            "recipient": dict(to),
            "withheld": [],
            "consent": consent.summary(person, on),
        }
    refusal(person, to, on=on)
    withheld = consent.withheld(entry, to["id"], to["kind"])
    return {
        "doc": withhold(person, withheld, on=on),
        "audience": "recipient",
        "recipient": dict(to),
        "withheld": withheld,
        "consent": consent.summary(person, on),
    }


def refusal(person: dict[str, Any], to: dict[str, str], *, on: str) -> None:
    """Raise the one-line reason ``to`` may not receive anything of ``person``, if any."""
    pid, who = person["id"], to["id"]
    spans = memberships(person, who)
    if not spans:
        raise RuleViolation(
            _(
                "{who} is not in {person}'s network: documents for a recipient go to its members"
            ).format(who=who, person=pid)
        )
    if not any(is_current(m, on) for m in spans):
        last = max(spans, key=lambda m: m["since"])
        if last["since"] > on:
            raise RuleViolation(
                _("{who} joins {person}'s network only on {date}: nothing is sent before").format(
                    who=who, person=pid, date=last["since"]
                )
            )
        raise RuleViolation(
            _("{who} left {person}'s network on {date}: nothing is sent to them any more").format(
                who=who, person=pid, date=last.get("until")
            )
        )
    entry = consent.in_force(person, on)
    hint = f"`reseau consent give {pid} --to {who}`"
    if entry is None:
        raise RuleViolation(
            _(
                "{person} has no consent recorded: nothing is shared outside the team; record "
                "the person's agreement with {hint}"
            ).format(person=pid, hint=hint)
        )
    when = entry.get("date") or _("a date not recorded")
    if entry["status"] == "refused":
        raise RuleViolation(
            _("{person} refused information sharing on {date}: nothing is sent to {who}").format(
                person=pid, date=when, who=who
            )
        )
    if entry["status"] == "withdrawn":
        raise RuleViolation(
            _(
                "{person} withdrew their consent on {date}: nothing is sent to {who} any more; "
                "a new agreement is recorded with {hint}"
            ).format(person=pid, date=when, who=who, hint=hint)
        )
    if not consent.covers(entry, who, to["kind"]):
        raise RuleViolation(
            _(
                "{who} ({kind}) is outside {person}'s consent of {date} (to {recipients}); if "
                "the person agrees, record it with {hint}"
            ).format(
                who=who,
                kind=to["kind"],
                person=pid,
                date=when,
                recipients=consent.describe_recipients(entry),
                hint=hint,
            )
        )


def withhold(person: dict[str, Any], sections: list[str], *, on: str) -> dict[str, Any]:
    """A copy of ``person`` without ``sections``, and without what is the team's own:
    the consent's notes and history beyond the decision in force, the register."""
    doc = copy.deepcopy(person)
    kept = set(sections)
    if "situation" in kept:
        doc.pop("situation", None)
    if "evaluations" in kept:
        doc.pop("evaluations", None)
    if "contacts" in kept:
        identity = doc.get("identity") or {}
        for key in ("phone", "email", "address"):
            identity.pop(key, None)
    plan = doc.get("plan") or {}
    if "plan" in kept:
        doc["plan"] = {}
    elif "health" in kept:
        objectives = plan.get("objectives") or []
        known = {o["id"]: o for o in objectives}
        plan["objectives"] = [o for o in objectives if allowed_objective(o, sections)]
        actions = plan.get("actions") or []
        plan["actions"] = [a for a in actions if allowed_action(a, known, sections)]
    if "health" in kept:  # what evaluations found in the health domains, too
        for e in doc.get("evaluations") or []:
            if "domains" in e:
                e["domains"] = [
                    d for d in e["domains"] if d["domain"] not in consent.HEALTH_DOMAINS
                ]
    shown = {a["id"] for a in (doc.get("plan") or {}).get("actions") or []}
    for c in doc.get("concertations") or []:
        if "minutes" in kept:
            c.pop("summary", None)
            c.pop("decisions", None)
        if c.get("actions"):
            c["actions"] = [a for a in c["actions"] if a in shown]
    block = doc.get("consent")
    if block:
        entries = block.get("history") or []
        latest = consent.in_force(person, on)
        doc["consent"] = {
            **({"status": block["status"]} if block.get("status") else {}),
            "history": [
                {k: v for k, v in e.items() if k not in ("note", "recorded_by")}
                for e in entries
                if latest is not None and e["id"] == latest["id"]
            ],
            "disclosures": [],
        }
    return doc


def is_health(objective: dict[str, Any]) -> bool:
    return objective.get("domain") in consent.HEALTH_DOMAINS


def allowed_objective(objective: dict[str, Any], sections: list[str]) -> bool:
    """Whether an objective (from the file's history, say) may be shown."""
    if "plan" in sections:
        return False
    return not ("health" in sections and is_health(objective))


def allowed_action(action: dict[str, Any], objectives: dict[str, Any], sections: list[str]) -> bool:
    """Whether an action may be shown; ``objectives`` maps ids to objectives known."""
    if "plan" in sections:
        return False
    parent = objectives.get(action.get("objective") or "")
    return parent is None or allowed_objective(parent, sections)


def contradictions(
    doc: dict[str, Any], kinds: Mapping[str, str | None], *, today: str
) -> Iterator[tuple[str, str]]:
    """What in the file contradicts its consent, for `reseau check` (besides the
    register, checked apart): a decision naming an intervenant who was not in the network
    on its date; a planned concertation inviting a member the consent in force on its
    date does not cover (the invitation is a document they receive). ``kinds`` maps
    intervenant ids to their kind in the directory. Yields (JSON path, message)."""
    for i, entry in enumerate(consent.history(doc)):
        on = entry.get("date")
        if entry.get("status") != "given" or not on:
            continue
        named = list(entry.get("recipients") or [])
        named += [w["from"] for w in entry.get("withhold") or [] if w.get("from")]
        for who in dict.fromkeys(named):
            if who in consent.KINDS or who == PERSON or is_member(doc, who, on):
                continue
            yield (
                f"$.consent.history[{i}]",
                _(
                    "consent {id} of {date} names {who}, who was not in the network on that day"
                ).format(id=entry.get("id"), date=on, who=who),
            )
    if not consent.history(doc):
        return  # no consent recorded: `reseau status` says so (consent-missing)
    for i, c in enumerate(doc.get("concertations") or []):
        on = c.get("date") or ""
        if c.get("status") != "planned" or on < today:
            continue
        for j, who in enumerate(c.get("invited") or []):
            if who == PERSON or not is_member(doc, who, on):
                continue  # a guest outside the network: the network rules say so
            try:
                refusal(doc, recipient(who, kinds.get(who)), on=on)
            except RuleViolation as exc:
                yield (
                    f"$.concertations[{i}].invited[{j}]",
                    _(
                        "{who} is invited to {concertation} of {date}, but the invitation may "
                        "not go to them: {reason}"
                    ).format(who=who, concertation=c.get("id"), date=on, reason=exc),
                )
