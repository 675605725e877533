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

from reseau_cli.i18n import N_, _, ngettext
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
from reseau_cli.records import field, frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

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


@frozen
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


# The kinds of concertation, as the documents name them (the same catalog entries).
KIND_WORDS = {
    "concertation": N_("Concertation"),
    "synthesis": N_("Synthesis meeting"),
    "coordination": N_("Coordination meeting"),
}

# Each section yields (kind, ref, date, message): whole sentences in the terminal's
# language (status --json speaks English, see the CLI).
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
    coming = upcoming_designations(doc, "coordinator", on)
    if coming:
        who, start = name_of(coming[0]["intervenant"]), coming[0]["since"]
        if since:
            message = _("no coordinator since {since}; {name} from {start}")
        else:
            message = _("no coordinator; {name} from {start}")
        message = message.format(since=since, name=who, start=start)
    else:
        message = _("no coordinator since {since}") if since else _("no coordinator")
        message = message.format(since=since)
    yield "no-coordinator", None, since, message


def _actions(doc: dict[str, Any], today: dt.date, name_of: Callable[[str], str]) -> Found:
    on = today.isoformat()
    for a in open_actions(doc):
        who = a["by"]
        if a.get("due") and a["due"] < on:
            late = (today - dt.date.fromisoformat(a["due"])).days
            if who == PERSON:
                overdue = ngettext(
                    "{action} (the person): due {due}, {count} day late",
                    "{action} (the person): due {due}, {count} days late",
                    late,
                )
            else:
                overdue = ngettext(
                    "{action} ({name}): due {due}, {count} day late",
                    "{action} ({name}): due {due}, {count} days late",
                    late,
                )
            yield (
                "action-overdue",
                a["id"],
                a["due"],
                overdue.format(action=a["text"], name=name_of(who), due=a["due"], count=late),
            )
        if who != PERSON and not is_member(doc, who, on):
            ends = [m["until"] for m in memberships(doc, who) if m.get("until")]
            left = max(ends) if ends else None
            if left:
                gone = _(
                    "{action}: held by {name}, who left the network on {date}; reassign it "
                    "with `reseau plan action set {person} {id} --by INTERVENANT`"
                )
            else:
                gone = _(
                    "{action}: held by {name}, who left the network; reassign it "
                    "with `reseau plan action set {person} {id} --by INTERVENANT`"
                )
            message = gone.format(
                action=a["text"], name=name_of(who), date=left, person=doc["id"], id=a["id"]
            )
            yield "responsible-left", a["id"], left, message


def _reviews(doc: dict[str, Any], today: dt.date, soon: str) -> Found:
    next_review = (doc.get("plan") or {}).get("next_review")
    if next_review and next_review < today.isoformat():
        message = _("plan review overdue since {date}").format(date=next_review)
        yield "review-overdue", None, next_review, message
    elif next_review and next_review <= soon:
        message = _("plan review due on {date}").format(date=next_review)
        yield "review-due", None, next_review, message


def _concertations(doc: dict[str, Any], today: dt.date, soon: str) -> Found:
    on = today.isoformat()
    for c in doc.get("concertations") or []:
        kind = _(KIND_WORDS.get(c["kind"], c["kind"]))
        if c["status"] == "planned" and on <= c["date"] <= soon:
            yield "concertation-upcoming", c["id"], c["date"], _upcoming(c, kind)
        elif c["status"] == "planned" and c["date"] < on:
            message = _(
                "{kind} planned on {date} is not recorded: `reseau concertation record "
                "{person} {id} …` or `reseau concertation cancel {person} {id} --reason TEXT`"
            ).format(kind=kind, date=c["date"], person=doc["id"], id=c["id"])
            yield "concertation-unrecorded", c["id"], c["date"], message


def _upcoming(c: dict[str, Any], kind: str) -> str:
    if c.get("time") and c.get("place"):
        sentence = _("{kind} on {date} at {time}, {place}")
    elif c.get("time"):
        sentence = _("{kind} on {date} at {time}")
    elif c.get("place"):
        sentence = _("{kind} on {date}, {place}")
    else:
        sentence = _("{kind} on {date}")
    return sentence.format(kind=kind, date=c["date"], time=c.get("time"), place=c.get("place"))


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
        if last:
            message = _("no concertation and no review since {date}").format(date=last)
        elif start:
            message = _(
                "no concertation and no review since the accompaniment opened on {date}"
            ).format(date=start)
        else:
            message = _("no concertation and no review yet")
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
            _(
                "no consent to sharing recorded: nothing may be sent outside the team; "
                "`reseau consent give {person} …` once the person agrees"
            ).format(person=pid),
        )
        return
    if entry["status"] != "given":
        return
    since = entry.get("date")
    if since is None or (today - dt.date.fromisoformat(since)).days > consent_days:
        if since:
            review = ngettext(
                "consent given on {date}, more than {count} day ago: check with the person "
                "that it still holds (`reseau consent give {person} …` records it again)",
                "consent given on {date}, more than {count} days ago: check with the person "
                "that it still holds (`reseau consent give {person} …` records it again)",
                consent_days,
            )
        else:
            review = _(
                "consent given on a date not recorded: check with the person that it still "
                "holds (`reseau consent give {person} …` records it again)"
            )
        message = review.format(date=since, count=consent_days, person=pid)
        yield "consent-review", entry["id"], since, message


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
            message = _("{id} under {scheme}: {missing}").format(
                id=c["id"], scheme=scheme["id"], missing=what
            )
            yield "scheme-unmet", c["id"], c["date"], message


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
