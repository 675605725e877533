"""Funding schemes as data: the conditions a concertation must meet to count for a funder.

A scheme is a document (``schemas/scheme.schema.json``); this module holds no
scheme-specific code, only the rule kinds every scheme combines:

- ``present-min`` / ``present-max``  intervenants taking part (invited before the meeting,
                                     present after it)
- ``group-min`` / ``group-max``      of given professions or kinds (the directory's
                                     ``profession``, case and accents ignored)
- ``person-present``                 the person (or their representative) at a held meeting
- ``person-agreed``                  the person agreed to the participants
- ``paid-max``                       more eligible participants than the funder pays for
                                     (a note: the team chooses whom to claim for)
- ``frequency``                      at most N concertations under the scheme per person in
                                     a sliding window of months, or per calendar year
- ``document``                       what must exist once it is held (report, decisions…)
- ``no-profession``                  an intervenant without a profession (or not in the
                                     directory) counts for no profession: reported, a note

``unmet`` is pure: no file, no clock; the caller gives the person's concertations as
history and the directory as a mapping.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence

from reseau_cli import text
from reseau_cli.i18n import _, ngettext
from reseau_cli.records import frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DOCUMENTS = ("report", "decisions", "actions", "attendance", "plan")


@frozen
class Condition:
    """One condition of a scheme that a concertation does not meet (or a note about it)."""

    kind: str
    message: str
    ref: str | None = None  # the group, document, intervenant or concertation it is about
    need: int | None = None
    have: int | None = None
    blocking: bool = True  # False: worth knowing, but the concertation still counts

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "ref": self.ref,
            "need": self.need,
            "have": self.have,
            "blocking": self.blocking,
            "message": self.message,
        }


def contradictions(scheme: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(location, message) for every condition that no concertation could meet, or that
    names what the scheme does not define; an empty list for a usable scheme."""
    found: list[tuple[str, str]] = []
    present = scheme.get("present") or {}
    cap = present.get("max")
    if cap is not None and present.get("min", 0) > cap:
        found.append(
            (
                "$.present",
                _("min {min} is more than max {max}").format(min=present["min"], max=cap),
            )
        )
    seen: set[str] = set()
    for n, group in enumerate(scheme.get("groups") or []):
        where = f"$.groups[{n}]"
        if group["id"] in seen:
            found.append(
                (f"{where}.id", _("group {id} is defined twice").format(id=repr(group["id"])))
            )
        seen.add(group["id"])
        if group.get("max") is not None and group["min"] > group["max"]:
            found.append(
                (
                    where,
                    _("min {min} is more than max {max}").format(
                        min=group["min"], max=group["max"]
                    ),
                )
            )
        if cap is not None and group["min"] > cap:
            found.append(
                (
                    where,
                    _("min {min} is more than the {max} participants allowed").format(
                        min=group["min"], max=cap
                    ),
                )
            )
    paid = scheme.get("paid") or {}
    if paid.get("group") is not None and paid["group"] not in seen:
        found.append(
            ("$.paid.group", _("no group {id} in this scheme").format(id=repr(paid["group"])))
        )
    return found


def unmet(
    scheme: Mapping[str, Any],
    concertation: Mapping[str, Any],
    person: Mapping[str, Any],
    history: Sequence[Mapping[str, Any]],
    directory: Mapping[str, Mapping[str, Any]],
) -> list[Condition]:
    """What ``concertation`` lacks for ``scheme``: before the meeting (planned: who is
    invited, agreement, frequency) or after it (held: who came, the person, documents).
    ``history`` holds the person's concertations (this one may be among them);
    ``directory`` maps intervenant ids to their directory entries."""
    status = concertation.get("status")
    if status not in ("planned", "held"):
        return []
    held = status == "held"
    taking_part = _taking_part(concertation, held=held)
    found = [
        *_presence(scheme, taking_part, held=held),
        *_groups(scheme, taking_part, directory, held=held),
        *_person(scheme, concertation, held=held),
        *_frequency(scheme, concertation, history),
    ]
    if held:
        found += _documents(scheme, concertation, person)
    return found


def blocking(conditions: Sequence[Condition]) -> list[Condition]:
    return [c for c in conditions if c.blocking]


def _taking_part(concertation: Mapping[str, Any], *, held: bool) -> list[str]:
    """Who counts: after the meeting, participants recorded present; before it, the
    invited and the organiser."""
    if held:
        return [p["intervenant"] for p in concertation.get("participants") or [] if p["present"]]
    out = list(dict.fromkeys(concertation.get("invited") or []))
    organiser = concertation.get("organiser")
    if organiser and organiser not in out:
        out.append(organiser)
    return out


def _counted(count: int, *, held: bool) -> str:
    if held:
        return ngettext("{n} was present", "{n} were present", count).format(n=count)
    return ngettext("{n} invited", "{n} invited", count).format(n=count)


def _presence(
    scheme: Mapping[str, Any], taking_part: list[str], *, held: bool
) -> Iterator[Condition]:
    present = scheme.get("present") or {}
    have = len(taking_part)
    low, high = present.get("min"), present.get("max")
    if low is not None and have < low:
        yield Condition(
            "present-min",
            _("needs {need} participants present: {have}").format(
                need=low, have=_counted(have, held=held)
            ),
            need=low,
            have=have,
        )
    if high is not None and have > high:
        yield Condition(
            "present-max",
            _("at most {need} participants: {have}").format(
                need=high, have=_counted(have, held=held)
            ),
            need=high,
            have=have,
        )


def matches(group: Mapping[str, Any], entry: Mapping[str, Any] | None) -> bool:
    """Whether a directory entry belongs to a group: its kind is one of the group's kinds,
    or its profession one of the group's professions (case, accents and spacing ignored;
    an entry ending in ``*`` matches every profession that begins so)."""
    if entry is None:
        return False
    if entry.get("kind") in (group.get("kinds") or ()):
        return True
    profession = entry.get("profession")
    if not profession:
        return False
    mine = text.fold(profession)
    for wanted in group.get("professions") or ():
        if wanted.endswith("*"):
            if mine.startswith(text.fold(wanted[:-1])):
                return True
        elif mine == text.fold(wanted):
            return True
    return False


def _groups(
    scheme: Mapping[str, Any],
    taking_part: list[str],
    directory: Mapping[str, Mapping[str, Any]],
    *,
    held: bool,
) -> Iterator[Condition]:
    groups = scheme.get("groups") or []
    by_profession = any(g.get("professions") for g in groups)
    for who in taking_part:
        entry = directory.get(who)
        if entry is None:
            yield Condition(
                "no-profession",
                _("{who} is not in the directory: counts for no profession or kind").format(
                    who=who
                ),
                ref=who,
                blocking=False,
            )
        elif by_profession and not entry.get("profession"):
            yield Condition(
                "no-profession",
                _(
                    "{who} has no profession in the directory: counts for no profession "
                    "(`reseau intervenant update {who} --profession P`)"
                ).format(who=who),
                ref=who,
                blocking=False,
            )
    for group in groups:
        have = sum(1 for who in taking_part if matches(group, directory.get(who)))
        if have < group["min"]:
            yield Condition(
                "group-min",
                _("needs {need} {label} present: {have}").format(
                    need=group["min"], label=group["label"], have=_counted(have, held=held)
                ),
                ref=group["id"],
                need=group["min"],
                have=have,
            )
        if group.get("max") is not None and have > group["max"]:
            yield Condition(
                "group-max",
                _("at most {need} {label}: {have}").format(
                    need=group["max"], label=group["label"], have=_counted(have, held=held)
                ),
                ref=group["id"],
                need=group["max"],
                have=have,
            )
    yield from _paid(scheme, taking_part, directory, held=held)


def _paid(
    scheme: Mapping[str, Any],
    taking_part: list[str],
    directory: Mapping[str, Mapping[str, Any]],
    *,
    held: bool,
) -> Iterator[Condition]:
    paid = scheme.get("paid")
    if not paid:
        return
    group = next((g for g in scheme.get("groups") or [] if g["id"] == paid.get("group")), None)
    eligible = [w for w in taking_part if group is None or matches(group, directory.get(w))]
    if len(eligible) > paid["max"]:
        label = group["label"] if group else _("participants")
        if held:
            message = _(
                "{have} {label} present: the scheme pays at most {need}; choose whom to claim for"
            )
        else:
            message = _(
                "{have} {label} invited: the scheme pays at most {need}; choose whom to claim for"
            )
        yield Condition(
            "paid-max",
            message.format(have=len(eligible), label=label, need=paid["max"]),
            ref=paid.get("group"),
            need=paid["max"],
            have=len(eligible),
            blocking=False,
        )


def _person(
    scheme: Mapping[str, Any], concertation: Mapping[str, Any], *, held: bool
) -> Iterator[Condition]:
    rule = scheme.get("person") or {}
    if rule.get("agreed") and not concertation.get("person_agreed"):
        yield Condition(
            "person-agreed",
            _(
                "needs the person's agreement to the participants: not recorded "
                "(--person-agreed on `concertation plan` or `record`)"
            ),
        )
    wanted = rule.get("present")
    if not held or wanted is None:
        return  # who comes is known once the meeting is held
    if concertation.get("person_present"):
        return
    if wanted == "person-or-representative" and concertation.get("representative_present"):
        return
    if wanted == "person":
        message = _("needs the person present: {state}")
    else:
        message = _("needs the person or their representative present: {state}")
    recorded = "person_present" in concertation
    state = _("recorded absent") if recorded else _("not recorded")
    yield Condition("person-present", message.format(state=state))


def window_start(day: dt.date, rule: Mapping[str, Any]) -> dt.date:
    """The first day of the period ending on ``day``: the 1st of January for a calendar
    year; else ``months`` months back, the next day (a sliding window: 12 months before
    15 January 2027 begin on 16 January 2026)."""
    if rule.get("per") == "calendar-year":
        return dt.date(day.year, 1, 1)
    months = int(rule["months"])
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last)) + dt.timedelta(days=1)


def _frequency(
    scheme: Mapping[str, Any],
    concertation: Mapping[str, Any],
    history: Sequence[Mapping[str, Any]],
) -> Iterator[Condition]:
    rule = scheme.get("frequency")
    if not rule:
        return
    day = dt.date.fromisoformat(concertation["date"])
    start = window_start(day, rule).isoformat()
    mine = (concertation["date"], concertation["id"])
    earlier = [
        c
        for c in history
        if c.get("scheme") == scheme["id"]
        and c["id"] != concertation["id"]
        and c.get("status") in ("held", "planned")
        and start <= c["date"]
        and (c["date"], c["id"]) < mine
    ]
    if len(earlier) < rule["max"]:
        return
    when = ", ".join(f"{c['date']} ({c['id']})" for c in sorted(earlier, key=lambda c: c["date"]))
    if rule.get("per") == "calendar-year":
        message = ngettext(
            "already {n} concertation under this scheme for this person in {year}, on {when}",
            "already {n} concertations under this scheme for this person in {year}, on {when}",
            len(earlier),
        ).format(n=len(earlier), year=day.year, when=when)
    else:
        message = ngettext(
            "already {n} concertation under this scheme for this person in the {months} "
            "months before {date}, on {when}",
            "already {n} concertations under this scheme for this person in the {months} "
            "months before {date}, on {when}",
            len(earlier),
        ).format(n=len(earlier), months=rule["months"], date=day.isoformat(), when=when)
    yield Condition(
        "frequency", message, ref=earlier[-1]["id"], need=rule["max"], have=len(earlier)
    )


def _documents(
    scheme: Mapping[str, Any], concertation: Mapping[str, Any], person: Mapping[str, Any]
) -> Iterator[Condition]:
    plan = person.get("plan") or {}
    exists = {
        "report": bool((concertation.get("summary") or "").strip()),
        "decisions": bool(concertation.get("decisions")),
        "actions": bool(concertation.get("actions")),
        "attendance": bool(concertation.get("participants")),
        "plan": bool(plan.get("objectives")),
    }
    messages = {
        "report": _("needs a written report (the summary): none recorded"),
        "decisions": _("needs the decisions taken: none recorded"),
        "actions": _("needs actions decided (who does what by when): none recorded"),
        "attendance": _("needs the attendance (who was present): none recorded"),
        "plan": _("needs a support plan with objectives: the person's plan has none"),
    }
    for document in scheme.get("documents") or []:
        if not exists[document]:
            yield Condition("document", messages[document], ref=document)
