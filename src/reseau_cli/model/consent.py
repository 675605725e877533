"""The person's consent to sharing: a history of decisions, never overwritten, and the
register of what was disclosed to whom (GDPR art. 15: "who received my data").

``consent.history`` holds every decision (given, refused, withdrawn) with its date, how
it was expressed, who recorded it, to which recipients and which sections are withheld
from whom. The decision in force is the latest one dated on or before the day asked
about; ``consent.status`` repeats it for readers of the raw file. ``consent.disclosures``
lists each document sent (kind, version commit, sections, recipient, date).
"""

from __future__ import annotations

from collections.abc import Iterable

from reseau_cli import formats, ids
from reseau_cli.errors import InvalidInput, RuleViolation
from reseau_cli.i18n import _, pgettext
from reseau_cli.model.network import PERSON, is_current, memberships

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

STATUSES = ("given", "refused", "withdrawn")
HOW = ("oral", "written", "representative")
KINDS = ("professional", "service", "carer", "volunteer")
# Sections of the file a person may keep from some recipients. "health": the objectives
# of a health domain and their actions; "contacts": the person's own phone, e-mail and
# address; "minutes": what meetings said (summaries, decisions); "plan": objectives,
# actions and reviews.
SECTIONS = ("situation", "health", "evaluations", "minutes", "contacts", "plan")
HEALTH_DOMAINS = ("health", "mental-health")
DEFAULT_RECIPIENTS = tuple(formats.DEFAULT_RECIPIENTS)


def history(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return list((doc.get("consent") or {}).get("history") or [])


def disclosures(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return list((doc.get("consent") or {}).get("disclosures") or [])


def in_force(doc: dict[str, Any], on: str) -> dict[str, Any] | None:
    """The decision in force on ``on``: the latest dated on or before it (an entry with
    no date, upgraded from the old form, comes before every dated one)."""
    found = None
    for entry in _ordered(history(doc)):
        if (entry.get("date") or "") <= on:
            found = entry
    return found


def _ordered(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for _i, e in sorted(enumerate(entries), key=lambda p: (p[1].get("date") or "", p[0]))]


def status(doc: dict[str, Any], on: str) -> str:
    """``given``, ``refused``, ``withdrawn`` or ``none`` (never recorded)."""
    entry = in_force(doc, on)
    return entry["status"] if entry else "none"


def parse_withhold(value: str) -> dict[str, str]:
    """``SECTION`` or ``SECTION:KIND_OR_ID`` → ``{section, from?}``."""
    section, _sep, target = value.partition(":")
    section, target = section.strip(), target.strip()
    if section not in SECTIONS:
        raise InvalidInput(
            _("unknown section {section} in --withhold: use {sections}").format(
                section=repr(section), sections=", ".join(SECTIONS)
            )
        )
    if _sep and not target:
        raise InvalidInput(
            _(
                "--withhold {value}: name who it is kept from after ':' (a kind or a member), "
                "or give the section alone to keep it from every recipient"
            ).format(value=repr(value))
        )
    return {"section": section, "from": target} if target else {"section": section}


def check_recipient(doc: dict[str, Any], ident: str, *, on: str, known: Iterable[str]) -> None:
    """A kind, or an intervenant who is in the person's network on ``on``."""
    if ident in KINDS:
        return
    if ident == PERSON:
        raise InvalidInput(
            _("the person always sees their own data: give recipients other than 'person'")
        )
    spans = memberships(doc, ident)
    if not spans:
        if ident in set(known):
            raise InvalidInput(
                _(
                    "{who} is in the directory but not in {person}'s network: consent names "
                    "members of the network (`reseau intervenant add {person} --id {who}` "
                    "first) or a kind: {kinds}"
                ).format(who=ident, person=doc["id"], kinds=", ".join(KINDS))
            )
        raise InvalidInput(
            _(
                "unknown recipient {who}: use {kinds}, or the id of a member of {person}'s "
                "network (`reseau intervenant list {person}`)"
            ).format(who=repr(ident), person=doc["id"], kinds=", ".join(KINDS))
        )
    current = [m for m in spans if is_current(m, on)]
    if not current:
        last = max(spans, key=lambda m: m["since"])
        if last.get("until") and last["until"] <= on:
            raise RuleViolation(
                _("{who} left {person}'s network on {date}: not a recipient any more").format(
                    who=ident, person=doc["id"], date=last["until"]
                )
            )
        raise RuleViolation(
            _("{who} joins {person}'s network only on {date}").format(
                who=ident, person=doc["id"], date=last["since"]
            )
        )


def record(
    doc: dict[str, Any],
    *,
    decision: str,
    date: str,
    today: str,
    recorded_by: str | None,
    known: Iterable[str] = (),
    how: str | None = None,
    representative: str | None = None,
    recipients: list[str] | None = None,
    withhold: list[str] | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Add one decision to the consent history (never overwriting one); returns it."""
    if decision not in STATUSES:
        raise InvalidInput(_("unknown consent decision {decision}").format(decision=repr(decision)))
    _check_date(doc, date, today)
    entry: dict[str, Any] = {"id": new_id(doc, "cn"), "date": date, "status": decision}
    entry.update(_how(how, representative))
    if decision == "given":
        entry.update(_scope(doc, date, recipients, withhold, known))
    elif recipients or withhold:
        raise InvalidInput(_("--to and --withhold go with `consent give` only"))
    elif decision == "withdrawn":
        previous = in_force(doc, date)
        if previous is None or previous["status"] != "given":
            raise RuleViolation(
                _(
                    "{person} has no consent in force on {date}: there is nothing to withdraw"
                ).format(person=doc["id"], date=date)
            )
    if note is not None and note.strip():
        entry["note"] = note.strip()
    if recorded_by:
        entry["recorded_by"] = recorded_by
    consent = upgrade_block(doc)
    consent["history"].append(entry)
    refresh_status(doc, today)
    return entry


def _check_date(doc: dict[str, Any], date: str, today: str) -> None:
    if date > today:
        raise InvalidInput(
            _("--date {date} is in the future: record a consent on the day it is expressed").format(
                date=date
            )
        )
    if doc.get("opened") and date < doc["opened"]:
        raise InvalidInput(
            _("--date {date} is before {person}'s file was opened ({opened})").format(
                date=date, person=doc["id"], opened=doc["opened"]
            )
        )


def _how(how: str | None, representative: str | None) -> dict[str, Any]:
    if representative is not None and not representative.strip():
        raise InvalidInput(_("--representative must not be empty"))
    if representative and how is None:
        how = "representative"
    out: dict[str, Any] = {}
    if how is not None:
        if how not in HOW:
            raise InvalidInput(
                _("unknown --how {how}: use {allowed}").format(
                    how=repr(how), allowed=", ".join(HOW)
                )
            )
        if how == "representative" and not representative:
            raise InvalidInput(_("--how representative needs --representative NAME"))
        if representative and how != "representative":
            raise InvalidInput(
                _(
                    "--representative says the consent came through a representative, not --how {how}"
                ).format(how=how)
            )
        out["how"] = how
    if representative:
        out["representative"] = representative.strip()
    return out


def _scope(
    doc: dict[str, Any],
    date: str,
    recipients: list[str] | None,
    withhold: list[str] | None,
    known: Iterable[str],
) -> dict[str, Any]:
    """Recipients and withheld sections of a consent given, checked."""
    chosen = list(dict.fromkeys(recipients or DEFAULT_RECIPIENTS))
    for ident in chosen:
        check_recipient(doc, ident, on=date, known=known)
    rules = [parse_withhold(w) for w in withhold or []]
    for rule in rules:
        if "from" in rule:
            check_recipient(doc, rule["from"], on=date, known=known)
    out: dict[str, Any] = {"recipients": chosen}
    if rules:
        out["withhold"] = list({(r["section"], r.get("from")): r for r in rules}.values())
    return out


def upgrade_block(doc: dict[str, Any]) -> dict[str, Any]:
    """The ``consent`` block in the current form, created when missing, keys in order."""
    consent = doc.get("consent") or {}
    block: dict[str, Any] = {}
    if consent.get("status"):
        block["status"] = consent["status"]
    block["history"] = list(consent.get("history") or [])
    block["disclosures"] = list(consent.get("disclosures") or [])
    doc["consent"] = block
    return block


def refresh_status(doc: dict[str, Any], today: str) -> None:
    """``consent.status`` follows the history (after a merge, say)."""
    consent = doc.get("consent")
    if not consent:
        return
    found = status(doc, today)
    if found == "none":
        consent.pop("status", None)
    else:
        consent["status"] = found


def new_id(doc: dict[str, Any], prefix: str) -> str:
    consent = doc.get("consent") or {}
    taken = {
        e.get("id") for e in (consent.get("history") or []) + (consent.get("disclosures") or [])
    }
    return ids.random_id(prefix, 6, {t for t in taken if t})


def withheld(entry: dict[str, Any] | None, recipient: str, kind: str) -> list[str]:
    """The sections ``entry`` keeps from a recipient (an id and its kind)."""
    if entry is None or kind == PERSON:
        return []
    found = [
        w["section"]
        for w in entry.get("withhold") or []
        if w.get("from") in (None, recipient, kind)
    ]
    return [s for s in SECTIONS if s in found]


def covers(entry: dict[str, Any] | None, recipient: str, kind: str) -> bool:
    """Whether a consent given names this recipient (by id or by kind)."""
    if entry is None or entry["status"] != "given":
        return False
    named = entry.get("recipients") or []
    return recipient in named or kind in named


def describe_recipients(entry: dict[str, Any]) -> str:
    return ", ".join(entry.get("recipients") or [])


def describe(entry: dict[str, Any] | None) -> str:
    """One line about a decision, for the terminal."""
    if entry is None:
        return _("not recorded")
    when = entry.get("date") or _("date not recorded")
    how = f" ({_how_word(entry['how'])})" if entry.get("how") else ""
    if entry.get("representative"):
        how = " " + _("(through {name}, representative)").format(name=entry["representative"])
    if entry["status"] == "given":
        recipients = describe_recipients(entry) or "—"
        rules = entry.get("withhold") or []
        if not rules:
            return _("given on {date}{how} to {recipients}").format(
                date=when, how=how, recipients=recipients
            )
        kept = _("; ").join(
            _("{section} from {who}").format(
                section=w["section"], who=w.get("from") or _("everyone")
            )
            for w in rules
        )
        return _("given on {date}{how} to {recipients}; withheld: {rules}").format(
            date=when, how=how, recipients=recipients, rules=kept
        )
    if entry["status"] == "refused":
        return _("refused on {date}{how}").format(date=when, how=how)
    return _("withdrawn on {date}{how}").format(date=when, how=how)


def _how_word(how: str) -> str:
    """How a decision was expressed, in the terminal's language (the code in English)."""
    words = {
        "oral": pgettext("consent expressed", "oral"),
        "written": pgettext("consent expressed", "written"),
        "representative": pgettext("consent expressed", "representative"),
    }
    return words.get(how, how)


def summary(doc: dict[str, Any], on: str) -> dict[str, Any]:
    """The decision in force on ``on``, as documents and `person show` print it."""
    entry = in_force(doc, on)
    if entry is None:
        return {
            "status": "none",
            "date": None,
            "how": None,
            "representative": None,
            "recipients": [],
            "withhold": [],
            "note": None,
            "id": None,
        }
    return {
        "status": entry["status"],
        "date": entry.get("date"),
        "how": entry.get("how"),
        "representative": entry.get("representative"),
        "recipients": list(entry.get("recipients") or []),
        "withhold": [dict(w) for w in entry.get("withhold") or []],
        "note": entry.get("note"),
        "id": entry["id"],
    }


def disclose(
    doc: dict[str, Any],
    *,
    date: str,
    document: str,
    recipient: str,
    sections: list[str],
    commit: str | None = None,
    fmt: str | None = None,
    concertation: str | None = None,
    recorded_by: str | None = None,
) -> dict[str, Any]:
    """Add one entry to the register of disclosures (GDPR art. 15); returns it."""
    entry: dict[str, Any] = {"id": new_id(doc, "d"), "date": date, "document": document}
    if concertation:
        entry["concertation"] = concertation
    if fmt:
        entry["format"] = fmt
    if commit:
        entry["commit"] = commit
    entry["sections"] = [s for s in SECTIONS if s in sections]
    entry["recipient"] = recipient
    if recorded_by:
        entry["recorded_by"] = recorded_by
    block = upgrade_block(doc)
    block["disclosures"].append(entry)
    return entry


def status_problem(doc: dict[str, Any], today: str) -> str | None:
    """Why ``consent.status`` does not say the decision in force (a hand edit), if so:
    the history is the authority, and ``status`` only repeats it."""
    block = doc.get("consent") or {}
    written = block.get("status")
    if written is None or not block.get("history"):
        return None
    found = status(doc, today)
    if found in ("none", written):
        return None
    entry = in_force(doc, today) or {}
    return _(
        "consent.status says {written}, but the decision in force ({id} of {date}) is "
        "{status}: the history decides; record a decision with `reseau consent "
        "give|refuse|withdraw`"
    ).format(written=written, id=entry.get("id"), date=entry.get("date") or "—", status=found)


def rewritten(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    """Decisions and disclosures of ``old`` that ``new`` removed or changed (a hand edit):
    the consent history and the register are never rewritten. (JSON path, message)."""
    messages = {
        ("history", False): _(
            "the decision {id} was removed: the consent history is never rewritten; a new "
            "decision is recorded with `reseau consent give|refuse|withdraw`"
        ),
        ("history", True): _(
            "the decision {id} was changed: the consent history is never rewritten; a new "
            "decision is recorded with `reseau consent give|refuse|withdraw`"
        ),
        ("disclosures", False): _(
            "the disclosure {id} was removed: the register of what was sent to whom is never "
            "rewritten"
        ),
        ("disclosures", True): _(
            "the disclosure {id} was changed: the register of what was sent to whom is never "
            "rewritten"
        ),
    }
    found: list[tuple[tuple[Any, ...], str]] = []
    for key in ("history", "disclosures"):
        entries = (new.get("consent") or {}).get(key) or []
        after = {e.get("id"): (i, e) for i, e in enumerate(entries)}
        for entry in (old.get("consent") or {}).get(key) or []:
            ident = entry.get("id")
            if ident not in after:
                found.append((("consent", key), messages[(key, False)].format(id=ident)))
            elif after[ident][1] != entry:
                where = ("consent", key, after[ident][0])
                found.append((where, messages[(key, True)].format(id=ident)))
    return found
