"""Alerts: what needs attention in one person's file on a given day (pure functions).

Each alert names the person, what kind of alert it is, the item it is about (an
action or concertation id), the date that matters and a message. The kinds:

- ``no-coordinator``        nobody coordinates (a rupture)
- ``action-overdue``        an action is past its due date and neither done nor cancelled
- ``responsible-left``      an open action is held by someone whose membership ended
- ``review-overdue``        the plan's re-evaluation date has passed
- ``review-due``            the re-evaluation falls within the coming days
- ``no-follow-up``          no concertation and no review for longer than the interval
- ``concertation-upcoming`` a concertation is planned within the coming days
- ``concertation-unrecorded`` a planned concertation's date has passed and it was neither
                            recorded nor cancelled
- ``consent-missing``       no consent to sharing recorded (nothing may be shared)
- ``consent-review``        the consent in force is older than the team's review period
- ``scheme-unmet``          a concertation to come, or held within the review interval, does
                            not meet its funding scheme (``model.scheme.unmet``)
- ``need-unanswered``       the latest evaluation of a domain found a need not (fully) met
                            (``unmet`` or ``partly-met``) and no active objective answers it
- ``evaluation-due``        the latest evaluation is older than the team's interval
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from reseau_cli.i18n import _
from reseau_cli.model import evaluation
from reseau_cli.model.network import (
    PERSON,
    designations,
    display_name,
    holder,
    is_member,
    memberships,
    never_held,
    upcoming_designations,
)
from reseau_cli.model.plan import open_actions
from reseau_cli.model.scheme import blocking, unmet

SEVERITIES = ("urgent", "soon", "upcoming")
SEVERITY = {
    "no-coordinator": "urgent",
    "action-overdue": "urgent",
    "responsible-left": "urgent",
    "review-overdue": "urgent",
    "review-due": "soon",
    "no-follow-up": "soon",
    "concertation-upcoming": "upcoming",
    "concertation-unrecorded": "soon",
    "consent-missing": "soon",
    "consent-review": "soon",
    "scheme-unmet": "soon",
    "need-unanswered": "soon",
    "evaluation-due": "soon",
}


@dataclass(frozen=True)
class Alert:
    person: str
    kind: str
    ref: str | None
    date: str | None
    message: str
    name: str = field(default="", compare=False)  # the person's name, for the terminal only

    @property
    def severity(self) -> str:
        return SEVERITY[self.kind]

    def as_json(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "kind": self.kind,
            "ref": self.ref,
            "date": self.date,
            "message": self.message,
        }


def person_alerts(
    doc: dict[str, Any],
    *,
    today: dt.date,
    upcoming_days: int,
    interval_days: int,
    name_of: Callable[[str], str] = str,
    consent_days: int = 365,
    schemes: Mapping[str, Mapping[str, Any]] | None = None,
    directory: Mapping[str, Mapping[str, Any]] | None = None,
    evaluation_interval_days: int = 180,
) -> list[Alert]:
    """The alerts of one person document. ``schemes`` (by id) and ``directory`` (entries
    by id) let concertations be checked against their funding scheme."""
    soon = (today + dt.timedelta(days=upcoming_days)).isoformat()
    found = [
        *_coordination(doc, today, name_of),
        *_actions(doc, today, name_of),
        *_reviews(doc, today, soon),
        *_concertations(doc, today, soon),
        *_follow_up(doc, today, interval_days),
        *_consent(doc, today, consent_days),
        *_schemes(doc, today, interval_days, schemes or {}, directory or {}),
        *_evaluations(doc, today, evaluation_interval_days),
    ]
    name = display_name(doc)
    return [Alert(doc["id"], kind, ref, date, message, name) for kind, ref, date, message in found]


# Each section yields (kind, ref, date, message).
Found = Iterator[tuple[str, str | None, str | None, str]]


def _coordination(doc: dict[str, Any], today: dt.date, name_of: Callable[[str], str]) -> Found:
    # Whoever's designation covers today coordinates: a handover planned ahead counts
    # from its date, whatever the coordinator field says.
    on = today.isoformat()
    if holder(doc, "coordinator", on) is not None:
        return
    ended = [
        d["until"]
        for d in designations(doc, "coordinator")
        if d.get("until") and d["until"] <= on and not never_held(d)
    ]
    since = max(ended) if ended else doc.get("opened")
    message = "no coordinator" + (f" since {since}" if since else "")
    coming = upcoming_designations(doc, "coordinator", on)
    if coming:
        message += f"; {name_of(coming[0]['intervenant'])} from {coming[0]['since']}"
    yield "no-coordinator", None, since, message


def _actions(doc: dict[str, Any], today: dt.date, name_of: Callable[[str], str]) -> Found:
    on = today.isoformat()
    for a in open_actions(doc):
        who = a["by"]
        held = "the person" if who == PERSON else name_of(who)
        if a.get("due") and a["due"] < on:
            late = (today - dt.date.fromisoformat(a["due"])).days
            yield (
                "action-overdue",
                a["id"],
                a["due"],
                f"{a['text']} ({held}): due {a['due']}, {late} day(s) late",
            )
        if who != PERSON and not is_member(doc, who, on):
            ends = [m["until"] for m in memberships(doc, who) if m.get("until")]
            left = max(ends) if ends else None
            yield (
                "responsible-left",
                a["id"],
                left,
                f"{a['text']}: held by {held}, who left the network"
                + (f" on {left}" if left else "")
                + f"; reassign it with `reseau plan action set {doc['id']} {a['id']} --by "
                + "INTERVENANT`",
            )


def _reviews(doc: dict[str, Any], today: dt.date, soon: str) -> Found:
    next_review = (doc.get("plan") or {}).get("next_review")
    if next_review and next_review < today.isoformat():
        yield "review-overdue", None, next_review, f"plan review overdue since {next_review}"
    elif next_review and next_review <= soon:
        yield "review-due", None, next_review, f"plan review due on {next_review}"


def _concertations(doc: dict[str, Any], today: dt.date, soon: str) -> Found:
    on = today.isoformat()
    for c in doc.get("concertations") or []:
        if c["status"] == "planned" and on <= c["date"] <= soon:
            when = c["date"] + (f" at {c['time']}" if c.get("time") else "")
            where = f", {c['place']}" if c.get("place") else ""
            yield "concertation-upcoming", c["id"], c["date"], f"{c['kind']} on {when}{where}"
        elif c["status"] == "planned" and c["date"] < on:
            yield (
                "concertation-unrecorded",
                c["id"],
                c["date"],
                f"{c['kind']} planned on {c['date']} is not recorded: `reseau concertation "
                f"record {doc['id']} {c['id']} …` or `reseau concertation cancel {doc['id']} "
                f"{c['id']} --reason TEXT`",
            )


def _follow_up(doc: dict[str, Any], today: dt.date, interval_days: int) -> Found:
    on = today.isoformat()
    plan = doc.get("plan") or {}
    concertations = doc.get("concertations") or []
    followed = [c["date"] for c in concertations if c["status"] == "held" and c["date"] <= on]
    followed += [r["date"] for r in plan.get("reviews") or [] if r["date"] <= on]
    if plan.get("reviewed"):
        followed.append(plan["reviewed"])
    last = max(followed) if followed else None
    start = last or doc.get("opened")
    if start is None or (today - dt.date.fromisoformat(start)).days > interval_days:
        what = "no concertation and no review"
        if last:
            message = f"{what} since {last}"
        elif start:
            message = f"{what} since the accompaniment opened on {start}"
        else:
            message = f"{what} yet"
        yield "no-follow-up", None, start, message


def _consent(doc: dict[str, Any], today: dt.date, consent_days: int) -> Found:
    from reseau_cli.model.consent import in_force

    entry = in_force(doc, today.isoformat())
    pid = doc["id"]
    if entry is None:
        yield (
            "consent-missing",
            None,
            doc.get("opened"),
            f"no consent to sharing recorded: nothing may be sent outside the team; "
            f"`reseau consent give {pid} …` once the person agrees",
        )
        return
    if entry["status"] != "given":
        return
    since = entry.get("date")
    if since is None or (today - dt.date.fromisoformat(since)).days > consent_days:
        when = since or "a date not recorded"
        yield (
            "consent-review",
            entry["id"],
            since,
            f"consent given on {when}, more than {consent_days} days ago: check with the "
            f"person that it still holds (`reseau consent give {pid} …` records it again)",
        )


def _schemes(
    doc: dict[str, Any],
    today: dt.date,
    interval_days: int,
    schemes: Mapping[str, Mapping[str, Any]],
    directory: Mapping[str, Mapping[str, Any]],
) -> Found:
    """Concertations to come, or held within the interval, that miss their scheme (an
    unknown scheme is `reseau check`'s to report)."""
    since = (today - dt.timedelta(days=interval_days)).isoformat()
    on = today.isoformat()
    history = doc.get("concertations") or []
    for c in history:
        scheme = schemes.get(c.get("scheme") or "")
        if scheme is None:
            continue
        if not (c["status"] == "planned" and c["date"] >= on) and not (
            c["status"] == "held" and c["date"] >= since
        ):
            continue
        missing = blocking(unmet(scheme, c, doc, history, directory))
        if missing:
            what = "; ".join(m.message for m in missing)
            yield "scheme-unmet", c["id"], c["date"], f"{c['id']} under {scheme['id']}: {what}"


def _evaluations(doc: dict[str, Any], today: dt.date, interval_days: int) -> Found:
    situation = {s["domain"]: s for s in evaluation.situation(doc)}
    for domain in evaluation.unanswered_needs(doc):
        seen = situation[domain]
        yield (
            "need-unanswered",
            domain,
            seen["date"],
            _(
                "{domain}: need {level} since the evaluation of {date} and no active objective "
                "answers it; `reseau plan objective add {person} TEXT --need {domain}`"
            ).format(domain=domain, level=seen["level"], date=seen["date"], person=doc["id"]),
        )
    due = evaluation.due(doc, today=today.isoformat(), interval_days=interval_days)
    if due:
        last = evaluation.latest(doc) or {}
        yield (
            "evaluation-due",
            last.get("id"),
            due,
            _(
                "evaluation due since {due} (the latest is of {date}); "
                "`reseau evaluation add {person}`"
            ).format(due=due, date=last.get("date"), person=doc["id"]),
        )
