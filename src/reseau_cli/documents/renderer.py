"""Documents people read: the plan, the network sheet, invitations and minutes.

``Renderer`` turns a person (and a concertation) into Markdown, HTML, PDF or an
``.ics`` event. Templates get prepared view data (see ``views``), never raw files; the
date of the document is ``today`` (RESEAU_TODAY in tests) and its version is the last
commit of the person file, so the same repository state renders the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reseau_cli import dates, ids, store, vcs
from reseau_cli.documents import engine as render
from reseau_cli.documents import filters, views
from reseau_cli.errors import InvalidInput, RuleViolation, UnknownId, WriteFailed
from reseau_cli.i18n import _, ngettext
from reseau_cli.repo import Repository

KINDS = ("plan", "minutes", "invitation", "network", "attendance")
FORMATS = ("md", "html", "pdf")
EXTRA_FORMATS = {"invitation": ("ics",)}
TEXT_TEMPLATE = "invitation.txt"  # first line: event summary; the rest: its description
BRIEF_TEMPLATE = "invitation_brief.txt"  # the same, with the minimum (the default)


@dataclass(frozen=True)
class Rendered:
    """A rendered document and the file name it is written under by default."""

    kind: str
    person: str
    concertation: str | None
    format: str
    content: bytes
    filename: str
    audience: str = "team"  # team (internal version), person, or recipient
    recipient: str | None = None  # the intervenant id, or "person"
    sections: tuple[str, ...] = ()  # the withholdable sections the document carried
    version: str | None = None  # the commit of the person file it was made from


def formats_for(kind: str) -> tuple[str, ...]:
    return FORMATS + EXTRA_FORMATS.get(kind, ())


class Renderer:
    """Renders the documents of one repository, in one language, on one date."""

    def __init__(
        self, repo: Repository, *, lang: str | None = None, today: dt.date | None = None
    ) -> None:
        self.repo = repo
        self.lang = lang or repo.settings["lang"]
        if self.lang not in render.LANGS:
            raise InvalidInput(
                _("unknown language {lang}: documents are written in {languages}").format(
                    lang=repr(self.lang), languages=", ".join(sorted(render.LANGS))
                )
            )
        self.locale = filters.locale_for(self.lang, repo.settings.get("timezone"))
        self.today = today or dates.today()
        self._versions: dict[str, list[vcs.Version]] = {}
        # Set by `render all` for the batch: one git process reads every earlier version.
        self.blobs: vcs.Blobs | None = None

    # -- public ------------------------------------------------------------------------
    def render(
        self,
        kind: str,
        person: str,
        concertation: str | None = None,
        *,
        fmt: str = "md",
        for_: str | None = None,
        full: bool | None = None,
    ) -> Rendered:
        """Document ``kind`` about ``person``: the team's internal version, or with
        ``for_`` (an intervenant id, or ``person``) the version that recipient may read."""
        if kind not in KINDS:
            raise InvalidInput(
                _("unknown document {kind}: use {kinds}").format(
                    kind=repr(kind), kinds=", ".join(KINDS)
                )
            )
        if fmt not in formats_for(kind):
            allowed = ", ".join(formats_for(kind))
            raise InvalidInput(
                _("{kind} cannot be rendered as {format}: use {formats}").format(
                    kind=kind, format=repr(fmt), formats=allowed
                )
            )
        if concertation is not None:
            ids.check(concertation, what="concertation id")
        doc = self.repo.person(person)
        if kind == "invitation" and doc["status"] == "closed":
            closed = doc.get("closed") or {}
            raise RuleViolation(
                _(
                    "{person} is closed (since {date}): there is no meeting to invite to; "
                    "reopen it with `reseau person reopen {person} --reason TEXT`"
                ).format(person=person, date=closed.get("date", "?"))
            )
        view = self.audience(doc, for_)
        if kind == "minutes" and "minutes" in view["withheld"]:
            raise RuleViolation(
                _(
                    "{person} keeps the minutes of meetings from {who} (consent of "
                    "{date}): `reseau consent show {person}`"
                ).format(person=person, who=for_, date=view["consent"]["date"])
            )
        data = self.context(kind, doc, concertation, view=view)
        chosen = data["concertation"]["id"] if data["concertation"] else None
        name = _filename(kind, data, fmt)
        if fmt == "ics":
            if full is None:
                full = bool(self.repo.settings.get("ics_full"))
            content = self._ics(data, full=full)
        else:
            # The person's own plan is the easy-to-read one.
            name_of = "plan_easy" if kind == "plan" and view["audience"] == "person" else kind
            template = f"{self.lang}/{name_of}.{'md' if fmt == 'md' else 'html'}"
            text = render.render(self.repo.root, template + render.SUFFIX, data)
            if fmt == "pdf":
                from reseau_cli.documents.pdf import html_to_pdf

                content = html_to_pdf(text, stamp=self.stamp(data))
            else:
                content = text.encode("utf-8")
        from reseau_cli.model.consent import SECTIONS

        carried = tuple(s for s in SECTIONS if s not in view["withheld"])
        return Rendered(
            kind,
            person,
            chosen,
            fmt,
            content,
            name,
            audience=view["audience"],
            recipient=for_,
            sections=carried,
            version=data["version"]["commit"] if data["version"] else None,
        )

    def audience(self, doc: dict[str, Any], for_: str | None) -> dict[str, Any]:
        """``sharing.visible`` for the recipient named on the command line."""
        from reseau_cli.documents import audience

        return audience.view(self.repo, doc, for_, on=self.today.isoformat())

    def context(
        self,
        kind: str,
        doc: dict[str, Any],
        concertation: str | None,
        *,
        view: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Everything a template of ``kind`` receives: built from the recipient's view of
        the file (``sharing.visible``; the team's internal version by default)."""
        if view is None:
            view = self.audience(doc, None)
        raw, doc = doc, view["doc"]
        settings = self.repo.settings
        person = views.plan_view(self.repo, doc, today=self.today)
        data: dict[str, Any] = {
            "document": kind,
            "lang": self.lang,
            "locale": self.locale,
            "today": self.today.isoformat(),
            "team": {k: settings.get(k) for k in ("team", "address", "phone", "email")},
            "version": self.version(doc["id"]),
            "person": person,
            "sharing": sharing_view(self.repo, view, person),
            "concertation": None,
            "previous": None,
            "changes": None,
            "pictures": {"timeline": self.timeline(doc) if kind == "plan" else None},
        }
        if kind in ("minutes", "invitation", "attendance"):
            chosen = select(doc, concertation, kind=kind, today=self.today.isoformat())
            data["concertation"] = views.concertation_view(self.repo, doc, chosen, today=self.today)
        if kind == "attendance":
            data["attendance"] = views.attendance_view(
                data["concertation"], chosen, self._scheme(chosen.get("scheme"))
            )
        if kind == "minutes":
            from reseau_cli.documents.history import since_previous

            found = since_previous(
                self.repo, raw, chosen, versions=self.versions(raw["id"]), blobs=self.blobs
            )
            if found is not None:
                data["previous"] = views.concertation_view(
                    self.repo, doc, found.previous, today=self.today
                )
                changes = shown_changes(found.changes, raw, view["withheld"])
                data["changes"] = changes_view(self.repo, doc, changes, today=self.today)
                data["changes"]["from_history"] = found.from_history
        return data

    def _scheme(self, ident: str | None) -> dict[str, Any] | None:
        """The funding scheme a sheet names (None when it has none, or when the team's
        file cannot be read: the sheet then shows the id; `reseau check` says why)."""
        if ident is None:
            return None
        from reseau_cli import funding
        from reseau_cli.errors import ReseauError

        try:
            return funding.find(self.repo, ident)
        except ReseauError:
            return None

    def timeline(self, doc: dict[str, Any]) -> Any:
        """The plan's actions on a timeline, as inline SVG (None when no action has a date)."""
        from markupsafe import Markup

        from reseau_cli.documents import timeline as drawing
        from reseau_cli.documents.filters import format_day, format_month
        from reseau_cli.model import timeline as model

        found = model.build(doc, today=self.today.isoformat())
        if found is None:
            return None
        svg = drawing.draw(
            found,
            lang=self.lang,
            date_text=lambda day: format_day(day, self.lang),
            month_text=lambda day: format_month(day, self.lang),
        )
        return Markup(svg)

    def read_history(self) -> None:
        """Every person file's commits from one pass over the history (a linear one; with
        merges each file's own ``git log`` is asked, when first needed)."""
        folder = self.repo.folder("person")
        found = vcs.folder_versions(self.repo.root, folder)
        if found is None:
            return
        for person in self.repo.ids("person"):
            self._versions[person] = found.get(self.repo.rel(self.repo.path("person", person)), [])

    def versions(self, person: str) -> list[vcs.Version]:
        """Every commit of the person file, oldest first (asked of git once per person)."""
        if person not in self._versions:
            self._versions[person] = vcs.file_versions(
                self.repo.root, self.repo.path("person", person)
            )
        return self._versions[person]

    def version(self, person: str) -> dict[str, str] | None:
        """The last commit of the person file: what the document was rendered from."""
        versions = self.versions(person)
        if not versions:
            return None
        last = versions[-1]
        return {"commit": last.commit[:7], "date": last.date[:10], "timestamp": last.date}

    def stamp(self, data: dict[str, Any]) -> dt.datetime:
        """The one time a PDF or an event carries: the date of the version it is made
        from (today at midnight UTC when the file has no commit yet)."""
        version = data["version"]
        if version:
            return dt.datetime.fromisoformat(version["timestamp"])
        return dt.datetime.combine(self.today, dt.time(), tzinfo=dt.UTC)

    # -- calendar ----------------------------------------------------------------------
    def _ics(self, data: dict[str, Any], *, full: bool = False) -> bytes:
        """The calendar event. By default the minimum: initials and the file id, no place
        (it may be the person's home, or name them), no names beside attendees' addresses;
        ``full``: the invitation's text, place and names, within the consent."""
        from reseau_cli.documents.ics import event_ics

        name = TEXT_TEMPLATE if full else BRIEF_TEMPLATE
        text = render.render(self.repo.root, f"{self.lang}/{name}{render.SUFFIX}", data).strip("\n")
        c = data["concertation"]
        location = c["place"] if full else None  # a place can name the person (their home)
        summary, _, description = text.partition("\n")
        return event_ics(
            person=data["person"],
            concertation=data["concertation"],
            summary=summary.strip(),
            description=description.strip("\n"),
            timezone=self.repo.settings["timezone"],
            stamp=self.stamp(data),
            lang=self.lang,
            location=location,
            names=full,
        )


def sharing_view(repo: Repository, view: dict[str, Any], person: dict[str, Any]) -> dict[str, Any]:
    """Who the document is for, what it leaves out, the consent it relies on."""
    to = view["recipient"]
    named = None
    if view["audience"] == "recipient":
        entry = views.who(repo, to["id"]) or {}
        named = {"id": to["id"], "name": entry.get("name") or to["id"], "kind": to["kind"]}
    return {
        "audience": view["audience"],
        "recipient": named,
        "withheld": list(view["withheld"]),
        "consent": person["consent"],
    }


def shown_changes(changes: Any, raw: dict[str, Any], withheld: list[str]) -> Any:
    """``history.PlanChanges`` without the objectives and actions a recipient may not see."""
    import dataclasses

    from reseau_cli.model import sharing

    if not withheld:
        return changes
    objectives = {o["id"]: o for o in (raw.get("plan") or {}).get("objectives") or []}
    for o in changes.objectives_added + changes.achieved + changes.abandoned:
        objectives.setdefault(o.get("id"), o)

    def keep_o(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [o for o in items if sharing.allowed_objective(o, withheld)]

    def keep_a(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [a for a in items if sharing.allowed_action(a, objectives, withheld)]

    return dataclasses.replace(
        changes,
        added=keep_a(changes.added),
        done=keep_a(changes.done),
        cancelled=keep_a(changes.cancelled),
        objectives_added=keep_o(changes.objectives_added),
        achieved=keep_o(changes.achieved),
        abandoned=keep_o(changes.abandoned),
    )


def select(doc: dict[str, Any], ident: str | None, *, kind: str, today: str) -> dict[str, Any]:
    """The concertation a document is about: the one named, else the obvious one."""
    person = doc["id"]
    concertations = sorted(
        doc.get("concertations") or [], key=lambda c: (c["date"], c.get("time") or "")
    )
    if ident is not None:
        found = next((c for c in concertations if c["id"] == ident), None)
        if found is None:
            raise UnknownId(
                _(
                    "unknown concertation {id}; `reseau concertation list {person}` shows the ids"
                ).format(id=repr(ident), person=person),
                id=ident,
            )
    elif kind == "attendance":  # the meeting of today or the next one, else the last held
        found = _attendance_default(concertations, today, person)
    else:
        wanted = "held" if kind == "minutes" else "planned"
        candidates = [c for c in concertations if c["status"] == wanted]
        if kind == "invitation":  # the next one to come, else the last one planned
            candidates = [c for c in candidates if c["date"] >= today][:1] or candidates[-1:]
        if not candidates:
            if kind == "minutes":
                raise RuleViolation(
                    _(
                        "{person} has no held concertation: record one with "
                        "`reseau concertation record {person}`"
                    ).format(person=person)
                )
            raise RuleViolation(
                _(
                    "{person} has no planned concertation: plan one with "
                    "`reseau concertation plan {person} --date YYYY-MM-DD`"
                ).format(person=person)
            )
        found = candidates[-1] if kind == "minutes" else candidates[0]
    status, cid = found["status"], found["id"]
    if kind == "attendance" and status == "cancelled":
        raise RuleViolation(_("concertation {id} was cancelled: nobody attended").format(id=cid))
    if kind == "minutes" and status != "held":
        if status == "planned":
            raise RuleViolation(
                _(
                    "concertation {id} is planned for {date}, not held: record it with "
                    "`reseau concertation record {person} {id}` before its minutes, or render "
                    "its invitation with `reseau render invitation {person} {id}`"
                ).format(id=cid, date=found["date"], person=person)
            )
        raise RuleViolation(_("concertation {id} was cancelled: it has no minutes").format(id=cid))
    if kind == "invitation" and status != "planned":
        if status == "held":
            raise RuleViolation(
                _(
                    "concertation {id} was already held on {date}: render its minutes "
                    "with `reseau render minutes {person} {id}`"
                ).format(id=cid, date=found["date"], person=person)
            )
        raise RuleViolation(
            _("concertation {id} was cancelled: there is nothing to invite to").format(id=cid)
        )
    return found


def _attendance_default(
    concertations: list[dict[str, Any]], today: str, person: str
) -> dict[str, Any]:
    coming = [c for c in concertations if c["status"] == "planned" and c["date"] >= today]
    held = [c for c in concertations if c["status"] == "held"]
    if coming:
        return coming[0]
    if held:
        return held[-1]
    raise RuleViolation(
        _(
            "{person} has no concertation to come nor held: plan one with "
            "`reseau concertation plan {person} --date YYYY-MM-DD`"
        ).format(person=person)
    )


def changes_view(
    repo: Repository, doc: dict[str, Any], changes: Any, *, today: dt.date
) -> dict[str, Any]:
    """``history.PlanChanges`` with names resolved, for the minutes."""
    on = today.isoformat()

    def actions(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [views.action_view(repo, doc, a, on=on) for a in items]

    def members(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for m in items:
            card = views.card(repo, doc, m["intervenant"], on=on)
            card.update(role=m.get("role") or card["role"], since=m.get("since"))
            card.update(until=m.get("until"), reason=m.get("reason"))
            out.append(card)
        return out

    def objectives(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        keys = ("id", "text", "domain", "status", "created", "closed")
        return [{key: o.get(key) for key in keys} for o in items]

    # A membership that ends the day another of the same intervenant starts is a new
    # role, not a departure and an arrival.
    joined, left, roles = list(changes.joined), list(changes.left), []
    for old in list(left):
        new = next(
            (
                m
                for m in joined
                if m.get("intervenant") == old.get("intervenant") and m["since"] == old.get("until")
            ),
            None,
        )
        if new is not None:
            left.remove(old)
            joined.remove(new)
            card = views.card(repo, doc, new["intervenant"], on=on)
            roles.append(
                {
                    "name": card["name"],
                    "before": old.get("role"),
                    "after": new.get("role"),
                    "since": new["since"],
                }
            )

    return {
        "empty": changes.empty,
        "from_history": True,
        "added": actions(changes.added),
        "done": actions(changes.done),
        "cancelled": actions(changes.cancelled),
        "joined": members(joined),
        "left": members(left),
        "roles": roles,
        "objectives_added": objectives(changes.objectives_added),
        "achieved": objectives(changes.achieved),
        "abandoned": objectives(changes.abandoned),
    }


def _filename(kind: str, data: dict[str, Any], fmt: str) -> str:
    c = data["concertation"]
    if c is None:
        return f"{kind}.{fmt}"
    return f"{c['date']}-{c['id']}-{kind}.{fmt}"


# What a document must never be written over or into: the team's data, its templates
# and git's own folder (besides any file git tracks in the data repository).


def check_output_file(repo: Repository, path: Path) -> None:
    """Refuse ``-o FILE`` when it would overwrite the data repository's own files, or
    reach them (or anywhere) through a symbolic link inside the data repository."""
    _refuse_linked(repo, path)
    _refuse_protected(repo, path, "file")
    if vcs.tracked(repo.root, path):
        raise InvalidInput(
            _(
                "refusing to write {path}: it is a file tracked in the data repository; choose "
                "a file or folder outside the team's data (for example under out/)"
            ).format(path=path)
        )


def check_output_dir(repo: Repository, folder: Path) -> None:
    """Refuse ``--out DIR`` when it is (or is inside) a data folder or holds tracked files,
    or when a folder of its path inside the data repository is a symbolic link (a link
    committed by anyone would send the documents wherever it points)."""
    _refuse_linked(repo, folder)
    _refuse_protected(repo, folder, "folder")
    found = vcs.tracked(repo.root, folder)
    if found:
        if len(found) > 1:
            said = ngettext(
                "refusing to write {path}: it holds files tracked in the data repository: "
                "{file} and {count} more; choose a file or folder outside the team's data "
                "(for example under out/)",
                "refusing to write {path}: it holds files tracked in the data repository: "
                "{file} and {count} more; choose a file or folder outside the team's data "
                "(for example under out/)",
                len(found) - 1,
            )
        else:
            said = _(
                "refusing to write {path}: it holds files tracked in the data repository: "
                "{file}; choose a file or folder outside the team's data (for example under out/)"
            )
        raise InvalidInput(said.format(path=folder, file=found[0], count=len(found) - 1))


def _refuse_linked(repo: Repository, folder: Path) -> None:
    root = repo.root.absolute()
    target = Path(os.path.abspath(folder.expanduser()))
    if root != target and root not in target.parents:
        return
    step = root
    for part in target.relative_to(root).parts:
        step = step / part
        if step.is_symlink():
            raise InvalidInput(
                _(
                    "refusing to write {folder}: {step} is a symbolic link inside the data "
                    "repository (it could send documents anywhere); remove the link or give "
                    "--out/-o a real folder"
                ).format(folder=folder, step=step)
            )


def _refuse_protected(repo: Repository, path: Path, what: str) -> None:
    from reseau_cli.vcs.layout import PROTECTED, SETTINGS

    root = repo.root.resolve()
    target = path.expanduser().resolve()
    if root not in target.parents:
        return
    rel = target.relative_to(root)
    if rel.parts[0] in PROTECTED:
        raise InvalidInput(
            _(
                "refusing to write {path}: it is in {folder}/ of the data repository; choose a "
                "file or folder outside the team's data (for example under out/)"
            ).format(path=path, folder=rel.parts[0])
        )
    if rel.as_posix() == SETTINGS:
        raise InvalidInput(
            _(
                "refusing to write {path}: it is the data repository's {settings}; choose a "
                "file or folder outside the team's data (for example under out/)"
            ).format(path=path, settings=SETTINGS)
        )


def write_file(path: Path, content: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` atomically; a folder that cannot be written is a WriteFailed.
    ``durable=False``: not forced to disk (a batch of documents made again at will)."""
    blocking = next((p for p in path.parents if p.exists() and not p.is_dir()), None)
    if blocking is not None:
        raise WriteFailed(path=path, reason=_("{path} is not a folder").format(path=blocking))
    store.write_atomic(path, content, display=str(path), durable=durable)
