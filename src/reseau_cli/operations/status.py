"""`reseau status`: the alerts (``model.alerts``) of every active person."""

from __future__ import annotations

import datetime as dt

from reseau_cli.cache import in_worker
from reseau_cli.model.alerts import SEVERITIES, Alert, person_alerts
from reseau_cli.operations.answers import alerts_key
from reseau_cli.records import frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from reseau_cli.repo import Repository

__all__ = ["SEVERITIES", "Alert", "StatusReport", "status"]

# From this many person files, the directory's names are read before the alerts are
# made (see ``status``): a fresh clone's files are read, and their alerts made, by worker
# processes, which inherit the names (and read no other file).
MANY = 200


@frozen
class StatusReport:
    """What `reseau status` found."""

    alerts: list[Alert]
    persons: int  # active persons looked at
    unreadable: int  # person files skipped because invalid (`reseau check` says why)


def status(repo: Repository, *, today: dt.date) -> StatusReport:
    """Every alert of every active person, most urgent first, then by person and date.

    Each person's alerts are kept in the derived index with the key of everything they
    depend on besides the person's file (``alerts_key``): a `status` run again the same
    day over unchanged files reads them instead of computing them again. The alerts of
    files read again are made where each file is read (``index._digest_many``, in worker
    processes after a fresh clone), except those that need the funding schemes."""
    settings = repo.settings
    names: list[dict[str, str]] = []

    def name_of(ident: str) -> str:
        # From the derived index, read when the first alert needs a name: every file of
        # the directory is read once, however many persons' alerts are made. A missing
        # or invalid entry (`check`'s business) is named by its id. A worker process
        # reads nothing else: the alerts it cannot make are made here.
        if not names:
            if in_worker():
                raise LookupError("the directory is read by the command")
            names.append(repo.names("intervenant"))
        return names[0].get(ident, ident)

    if len(repo.listing("person")) >= MANY:
        name_of("")  # read before worker processes are forked: they inherit the names

    schemes = _Schemes(repo)

    def make(ident: str, doc: dict[str, Any]) -> tuple[bool, list[tuple[Any, ...]]]:
        if doc.get("status") != "active":
            return False, []
        found = person_alerts(
            doc,
            today=today,
            upcoming_days=int(settings["upcoming_days"]),
            interval_days=int(settings["review_interval_days"]),
            name_of=name_of,
            consent_days=int(settings["consent_review_days"]),
            **schemes.inputs(doc),
            evaluation_interval_days=int(settings["evaluation_interval_days"]),
        )
        # each alert after its place in the report (severity, person, date, kind, ref,
        # then its rank in the person's alerts): one sort of plain tuples, no key
        return True, [
            (
                SEVERITIES.index(a.severity),
                a.person,
                a.date or "",
                a.kind,
                a.ref or "",
                n,
                (a.person, a.kind, a.ref, a.date, a.message, a.name),
            )
            for n, a in enumerate(found)
        ]

    rows: list[tuple[Any, ...]] = []
    read = active = 0
    for _, (is_active, alerts) in repo.derived("person", "alerts", alerts_key(repo, today), make):
        read += 1
        if is_active:
            active += 1
            rows += alerts
    rows.sort()
    found = [Alert(*row[-1]) for row in rows]
    unreadable = len(repo.ids("person")) - read
    return StatusReport(alerts=found, persons=active, unreadable=unreadable)


class _Schemes:
    """The funding schemes and directory entries the alerts need, read only for persons
    with a concertation under a scheme (most teams pay nothing for them)."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.loaded: dict[str, Any] | None = None
        self.entries: dict[str, dict[str, Any]] = {}

    def inputs(self, doc: dict[str, Any]) -> dict[str, Any]:
        under = [c for c in doc.get("concertations") or [] if c.get("scheme")]
        if not under:
            return {}
        if in_worker():  # a worker process reads nothing else: made by the command
            raise LookupError("the funding schemes are read by the command")
        from reseau_cli.operations import scheme

        if self.loaded is None:
            from reseau_cli import funding

            self.loaded = funding.load(self.repo).schemes
        wanted = [w for c in under for w in scheme.taking_part(c) if w not in self.entries]
        self.entries.update(scheme.directory(self.repo, wanted))
        return {"schemes": self.loaded, "directory": self.entries}
