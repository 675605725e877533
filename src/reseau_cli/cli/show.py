"""Printing a person for the terminal (rich)."""

from __future__ import annotations

from typing import Any

from reseau_cli import dates
from reseau_cli.cli import output
from reseau_cli.model.network import ROLES, covers, never_held

KIND_LABEL = {
    "professional": "Professionals",
    "service": "Services",
    "carer": "Family and carers",
    "volunteer": "Volunteers",
}


def _name(entry: dict[str, Any] | None) -> str:
    if entry is None:
        return "—"
    if entry["id"] == "person":
        return "the person"
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
        years = "year" if view["age"] == 1 else "years"
        head += f"  ·  {view['age']} {years} (born {view['identity']['birth_date']})"
    head += f"  ·  {view['status']}"
    con.print(head)
    identity = view["identity"]
    for key in ("phone", "address"):
        if identity.get(key):
            con.print(f"  {key}: {e(identity[key])}")
    if view["opened"]:
        con.print(f"  accompanied since {view['opened']}")
    if view["closed"]:
        con.print(f"  closed on {view['closed']['date']}: {e(view['closed']['reason'])}")
    for past in view.get("closures") or []:
        why = f" ({past['reason']})" if past.get("reason") else ""
        note = f": {past['note']}" if past.get("note") else ""
        con.print(f"  closed on {past['closed']}{e(why)}, reopened on {past['reopened']}{e(note)}")
    if view["situation"]:
        con.print("\n[bold]Situation[/bold]")
        con.print(e(view["situation"]))
    from reseau_cli.model.consent import describe

    con.print("\n[bold]Consent[/bold]")
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

    con.print("\n[bold]Coordination[/bold]")
    for role, label in ROLES.items():
        # Who holds the function today (the view's field is as of today), until when.
        now = [d for d in view["designations"] if d["role"] == role and covers(d, today)]
        until = f", until {now[-1]['until']}" if now and now[-1].get("until") else ""
        con.print(f"  {label}: {e(_name(view[role]))}{until}")
    if coming:
        con.print("  upcoming:")
    for d in coming:
        role = ROLES.get(d["role"], d["role"])
        end = f" to {d['until']}" if d.get("until") else ""
        con.print(f"    from {d['since']}{end}  {role}: {e(_name(d['who']))}")
    if view["designations"]:
        con.print("  history:")
    for d in view["designations"]:
        if never_held(d):
            period, mark = f"{d['since']} (cancelled)", ""
        else:
            period = f"{d['since']} → {d.get('until') or ('…' if d['since'] > today else 'now')}"
            mark = "  (upcoming)" if d["since"] > today else ""
        note = "".join(f"  {d[k]}" for k in ("note", "reason") if d.get(k))
        role = ROLES.get(d["role"], d["role"])
        con.print(f"    {period}  {role}: {e(_name(d['who']))}{mark}{e(note)}")


def _coming_marks(member: dict[str, Any], coming: list[dict[str, Any]]) -> str:
    return "".join(
        f" ◇ {ROLES[d['role']]} from {d['since']}"
        for d in coming
        if d["intervenant"] == member["id"]
    )


def _print_network(con: Any, view: dict[str, Any], coming: list[dict[str, Any]]) -> None:
    e = output.escape

    con.print("\n[bold]Network[/bold]")
    if not view["network_groups"]:
        con.print("  nobody yet")
    for group in view["network_groups"]:
        con.print(f"  [underline]{KIND_LABEL.get(group['kind'], group['kind'])}[/underline]")
        for m in group["members"]:
            marks = " ★ coordinator" if m["coordinator"] else ""
            marks += " ◆ concertation lead" if m["lead"] else ""
            marks += _coming_marks(m, coming)
            contact = " · ".join(x for x in (m.get("phone"), m.get("email")) if x)
            role = f", {m['role']}" if m.get("role") else ""
            until = f", until {m['until']}" if m.get("until") else ""
            con.print(f"    {e(_name(m))}{e(role)}  since {m['since']}{until}{marks}")
            if contact or m.get("organisation"):
                con.print(
                    f"      {e(' · '.join(x for x in (m.get('organisation'), contact) if x))}"
                )
    if view.get("network_upcoming"):
        con.print("  [dim]Joining later[/dim]")
        for m in view["network_upcoming"]:
            role = f", {m['role']}" if m.get("role") else ""
            con.print(f"    {e(_name(m))}{e(role)}  from {m['since']}{_coming_marks(m, coming)}")
    if view["network_past"]:
        con.print("  [dim]Past members[/dim]")
        for m in view["network_past"]:
            role = f", {m['role']}" if m.get("role") else ""
            reason = f"  ({m['reason']})" if m.get("reason") else ""
            con.print(
                f"    {e(_name(m))}{e(role)}  {m['since']} → {m.get('until') or ''}{e(reason)}"
            )


def _print_plan(con: Any, view: dict[str, Any]) -> None:
    e = output.escape

    plan = view["plan"]
    con.print("\n[bold]Plan[/bold]")
    con.print(
        f"  last review: {plan['reviewed'] or '—'}   next review: {plan['next_review'] or '—'}"
    )
    for o in view["objectives"]:
        star = "★ " if o.get("priority") else ""
        con.print(
            f"  {star}{o['id']}  {e(o['text'])}  {_status(o['status'])}"
            + (f" ({o['domain']})" if o.get("domain") else "")
        )
        for a in o["actions"]:
            _print_action(con, a)
    if view["actions_without_objective"]:
        con.print("  Other actions")
        for a in view["actions_without_objective"]:
            _print_action(con, a)


def _print_evaluation(con: Any, view: dict[str, Any]) -> None:
    """The situation by domain as the latest evaluations left it, and the instruments."""
    from reseau_cli.i18n import _, ngettext

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

    con.print("\n[bold]Concertations[/bold]")
    if not view["concertations"]:
        con.print("  none yet")
    for c in view["concertations"]:
        when = c["date"] + (f" {c['time']}" if c.get("time") else "")
        place = f" · {c['place']}" if c.get("place") else ""
        con.print(f"  {c['id']}  {when}  {c['kind']}  {_status(c['status'])}{e(place)}")


def _upcoming(view: dict[str, Any], today: str) -> list[dict[str, Any]]:
    """Designations that start after today (a handover planned ahead), in date order."""
    found = [d for d in view["designations"] if d["since"] > today and not never_held(d)]
    return sorted(found, key=lambda d: d["since"])


def _print_action(con: Any, a: dict[str, Any]) -> None:
    escape = output.escape

    from reseau_cli.operations.plan import late_days

    due = f", due {a['due']}" if a.get("due") else ""
    late = late_days(a, dates.today())
    if late:
        due += f" [red](overdue, {late} day(s) late)[/red]"
    con.print(
        f"    - {a['id']}  {escape(a['text'])} — {escape(_name(a['who']))}{due}  "
        + _status(a["status"])
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


def _status(status: str) -> str:
    """A status word, coloured on a terminal; brackets escaped so rich prints them."""
    style = _STATUS_STYLE.get(status, "")
    return f"[{style}]\\[{status}][/{style}]" if style else f"\\[{status}]"
