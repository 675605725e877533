"""Printing a person for the terminal (rich)."""

from __future__ import annotations

from reseau_cli import dates
from reseau_cli.cli import output
from reseau_cli.i18n import N_, _, ngettext, pgettext
from reseau_cli.model.network import covers, never_held

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

KIND_LABEL = {
    "professional": N_("Professionals"),
    "service": N_("Services"),
    "carer": N_("Family and carers"),
    "volunteer": N_("Volunteers"),
}


def _role(role: str) -> str:
    """The name of a function (coordinator, concertation lead) in the terminal's language."""
    if role == "coordinator":
        return pgettext("function", "coordinator")
    if role == "concertation_lead":
        return pgettext("function", "concertation lead")
    return role


def _name(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "—"
    if entry["id"] == "person":
        return _("the person")
    return f"{entry['name']} ({entry['id']})"


def print_person(view: dict[str, Any]) -> None:
    con = output.console()
    today = dates.today_iso()
    coming = _upcoming(view, today)
    _print_identity(con, view)
    _print_coordination(con, view, today, coming)
    _print_network(con, view, coming)
    _print_evaluation(con, view)
    _print_plan(con, view)
    _print_concertations(con, view)


def _print_identity(con: Any, view: dict[str, Any]) -> None:
    e = output.escape
    head = f"[bold]{e(view['name'])}[/bold]  {view['id']}"
    if view["age"] is not None:
        age = ngettext("{age} year (born {date})", "{age} years (born {date})", view["age"])
        head += "  ·  " + e(age.format(age=view["age"], date=view["identity"]["birth_date"]))
    head += f"  ·  {view['status']}"
    con.print(head)
    identity = view["identity"]
    for key, label in (("phone", _("phone")), ("address", _("address"))):
        if identity.get(key):
            con.print("  " + e(_("{key}: {value}").format(key=label, value=identity[key])))
    if view["opened"]:
        con.print("  " + e(_("accompanied since {date}").format(date=view["opened"])))
    if view["closed"]:
        closed = _("closed on {date}: {reason}")
        con.print(
            "  " + e(closed.format(date=view["closed"]["date"], reason=view["closed"]["reason"]))
        )
    for past in view.get("closures") or []:
        if past.get("reason") and past.get("note"):
            said = _("closed on {closed} ({reason}), reopened on {reopened}: {note}")
        elif past.get("reason"):
            said = _("closed on {closed} ({reason}), reopened on {reopened}")
        elif past.get("note"):
            said = _("closed on {closed}, reopened on {reopened}: {note}")
        else:
            said = _("closed on {closed}, reopened on {reopened}")
        con.print("  " + e(said.format(**{"reason": "", "note": "", **past})))
    if view["situation"]:
        con.print("\n[bold]" + e(_("Situation")) + "[/bold]")
        con.print(e(view["situation"]))
    from reseau_cli.model.consent import describe

    con.print("\n[bold]" + e(_("Consent")) + "[/bold]")
    history = view["consent_history"]
    con.print("  " + e(describe(_latest(history, view))))
    for entry in history:
        con.print(f"    {entry['id']}  {e(describe(entry))}")


def _latest(history: list[dict[str, Any]], view: dict[str, Any]) -> dict[str, Any] | None:
    consent = view["consent"]
    return next((h for h in history if h["id"] == consent["id"]), None)


def _print_coordination(
    con: Any, view: dict[str, Any], today: str, coming: list[dict[str, Any]]
) -> None:
    e = output.escape

    con.print("\n[bold]" + e(_("Coordination")) + "[/bold]")
    for role in ("coordinator", "concertation_lead"):
        # Who holds the function today (the view's field is as of today), until when.
        now = [d for d in view["designations"] if d["role"] == role and covers(d, today)]
        if now and now[-1].get("until"):
            said = _("{function}: {who}, until {date}")
        else:
            said = _("{function}: {who}")
        who = _name(view[role])
        until = now[-1].get("until") if now else None
        con.print("  " + e(said.format(function=_role(role), who=who, date=until)))
    if coming:
        con.print("  " + e(_("upcoming:")))
    for d in coming:
        if d.get("until"):
            said = _("from {since} to {until}  {function}: {who}")
        else:
            said = _("from {since}  {function}: {who}")
        values = {"since": d["since"], "until": d.get("until"), "who": _name(d["who"])}
        con.print("    " + e(said.format(function=_role(d["role"]), **values)))
    if view["designations"]:
        con.print("  " + e(_("history:")))
    for d in view["designations"]:
        if never_held(d):
            period, mark = _("{since} (cancelled)").format(since=d["since"]), ""
        else:
            end = d.get("until") or ("…" if d["since"] > today else _("now"))
            period = f"{d['since']} → {end}"
            mark = "  " + _("(upcoming)") if d["since"] > today else ""
        note = "".join(f"  {d[k]}" for k in ("note", "reason") if d.get(k))
        said = _("{function}: {who}").format(function=_role(d["role"]), who=_name(d["who"]))
        con.print(f"    {e(period)}  {e(said)}{e(mark)}{e(note)}")


def _coming_marks(member: dict[str, Any], coming: list[dict[str, Any]]) -> str:
    return "".join(
        " ◇ " + _("{function} from {since}").format(function=_role(d["role"]), since=d["since"])
        for d in coming
        if d["intervenant"] == member["id"]
    )


def _print_network(con: Any, view: dict[str, Any], coming: list[dict[str, Any]]) -> None:
    e = output.escape

    con.print("\n[bold]" + e(_("Network")) + "[/bold]")
    if not view["network_groups"]:
        con.print("  " + e(_("nobody yet")))
    for group in view["network_groups"]:
        kind = KIND_LABEL.get(group["kind"])
        con.print(f"  [underline]{e(_(kind) if kind else group['kind'])}[/underline]")
        for m in group["members"]:
            marks = " ★ " + _role("coordinator") if m["coordinator"] else ""
            marks += " ◆ " + _role("concertation_lead") if m["lead"] else ""
            marks += _coming_marks(m, coming)
            contact = " · ".join(x for x in (m.get("phone"), m.get("email")) if x)
            role = f", {m['role']}" if m.get("role") else ""
            if m.get("until"):
                since = _("since {since}, until {until}").format(since=m["since"], until=m["until"])
            else:
                since = _("since {since}").format(since=m["since"])
            con.print(f"    {e(_name(m))}{e(role)}  {e(since)}{e(marks)}")
            if contact or m.get("organisation"):
                con.print(
                    f"      {e(' · '.join(x for x in (m.get('organisation'), contact) if x))}"
                )
    if view.get("network_upcoming"):
        con.print("  [dim]" + e(_("Joining later")) + "[/dim]")
        for m in view["network_upcoming"]:
            role = f", {m['role']}" if m.get("role") else ""
            since = _("from {since}").format(since=m["since"])
            con.print(f"    {e(_name(m))}{e(role)}  {e(since)}{e(_coming_marks(m, coming))}")
    if view["network_past"]:
        con.print("  [dim]" + e(_("Past members")) + "[/dim]")
        for m in view["network_past"]:
            role = f", {m['role']}" if m.get("role") else ""
            reason = f"  ({m['reason']})" if m.get("reason") else ""
            con.print(
                f"    {e(_name(m))}{e(role)}  {m['since']} → {m.get('until') or ''}{e(reason)}"
            )


def _print_plan(con: Any, view: dict[str, Any]) -> None:
    e = output.escape

    plan = view["plan"]
    con.print("\n[bold]" + e(_("Plan")) + "[/bold]")
    reviews = _("last review: {reviewed}   next review: {next}")
    con.print(
        "  " + e(reviews.format(reviewed=plan["reviewed"] or "—", next=plan["next_review"] or "—"))
    )
    for o in view["objectives"]:
        star = "★ " if o.get("priority") else ""
        con.print(
            f"  {star}{o['id']}  {e(o['text'])}  {_status(o['status'], 'objective status')}"
            + (f" ({o['domain']})" if o.get("domain") else "")
        )
        for a in o["actions"]:
            _print_action(con, a)
    if view["actions_without_objective"]:
        con.print("  " + e(_("Other actions")))
        for a in view["actions_without_objective"]:
            _print_action(con, a)


def _print_evaluation(con: Any, view: dict[str, Any]) -> None:
    """The situation by domain as the latest evaluations left it, and the instruments."""
    e = output.escape
    found = view["evaluation"]
    con.print("\n[bold]" + e(_("Evaluation")) + "[/bold]")
    if not found["count"]:
        con.print("  " + e(_("none yet")))
        return
    count = ngettext(
        "{count} evaluation, the latest on {date}",
        "{count} evaluations, the latest on {date}",
        found["count"],
    )
    con.print("  " + e(count.format(count=found["count"], date=found["latest"])))
    for d in found["situation"]:
        answered = ", ".join(o["id"] for o in d["objectives"])
        mark = ""
        if answered:
            mark = f"  → {answered}"
        elif d["open"]:
            mark = "  [bold]" + e(_("no objective")) + "[/bold]"
        con.print(f"  {d['domain']}: {d['level']} ({d['date']}){mark}")
        if d.get("need"):
            con.print("    " + e(_("need: {text}").format(text=d["need"])))
        if d.get("person_view"):
            con.print("    " + e(_("in their words: {text}").format(text=d["person_view"])))
    for i in found["instruments"]:
        steps = " → ".join(f"{r['label']} ({r['date']})" for r in i["results"])
        con.print(f"  {i['id']}: {e(steps)}")


def _print_concertations(con: Any, view: dict[str, Any]) -> None:
    e = output.escape

    con.print("\n[bold]" + e(_("Concertations")) + "[/bold]")
    if not view["concertations"]:
        con.print("  " + e(_("none yet")))
    for c in view["concertations"]:
        when = c["date"] + (f" {c['time']}" if c.get("time") else "")
        place = f" · {c['place']}" if c.get("place") else ""
        con.print(
            f"  {c['id']}  {when}  {c['kind']}  {_status(c['status'], 'concertation status')}{e(place)}"
        )


def _upcoming(view: dict[str, Any], today: str) -> list[dict[str, Any]]:
    """Designations that start after today (a handover planned ahead), in date order."""
    found = [d for d in view["designations"] if d["since"] > today and not never_held(d)]
    return sorted(found, key=lambda d: d["since"])


def _print_action(con: Any, a: dict[str, Any]) -> None:
    escape = output.escape

    from reseau_cli.operations.plan import late_days

    due = escape(_(", due {date}").format(date=a["due"])) if a.get("due") else ""
    late = late_days(a, dates.today())
    if late:
        late_text = ngettext(" (overdue, {count} day late)", " (overdue, {count} days late)", late)
        due += " [red]" + escape(late_text.format(count=late).strip()) + "[/red]"
    con.print(
        f"    - {a['id']}  {escape(a['text'])} — {escape(_name(a['who']))}{due}  "
        + _status(a["status"], "action status")
    )


_STATUS_STYLE = {
    "planned": "yellow",
    "ongoing": "cyan",
    "done": "green",
    "held": "green",
    "achieved": "green",
    "active": "cyan",
    "cancelled": "dim",
    "abandoned": "dim",
}


def _status(status: str, context: str) -> str:
    """A status word in the terminal's language (the documents' words: the same catalog
    entries, CONTEXT telling whose status it is), coloured on a terminal; brackets
    escaped so rich prints them."""
    style = _STATUS_STYLE.get(status, "")
    word = output.escape(pgettext(context, status))
    return f"[{style}]\\[{word}][/{style}]" if style else f"\\[{word}]"
