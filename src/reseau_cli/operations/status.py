"""`reseau status`: the alerts (``model.alerts``) of every active person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from reseau_cli.errors import ReseauError
from reseau_cli.model.alerts import SEVERITIES, Alert, person_alerts

if TYPE_CHECKING:
    from reseau_cli.repo import Repository

__all__ = ["SEVERITIES", "Alert", "StatusReport", "status"]


@dataclass(frozen=True)
class StatusReport:
    """What `reseau status` found."""

    alerts: list[Alert]
    persons: int  # active persons looked at
    unreadable: int  # person files skipped because invalid (`reseau check` says why)


def status(repo: Repository, *, today: dt.date) -> StatusReport:
    """Every alert of every active person, most urgent first, then by person and date."""
    settings = repo.settings
    names: dict[str, str] = {}

    def name_of(ident: str) -> str:
        if ident not in names:
            try:
                names[ident] = repo.intervenant(ident)["name"]
            except ReseauError:  # a missing or invalid entry is `check`'s business
                names[ident] = ident
        return names[ident]

    found: list[Alert] = []
    read = active = 0
    schemes = _Schemes(repo)
    for _, doc in repo.summaries("person"):
        read += 1
        if doc.get("status") != "active":
            continue
        active += 1
        found += person_alerts(
            doc,
            today=today,
            upcoming_days=int(settings["upcoming_days"]),
            interval_days=int(settings["review_interval_days"]),
            name_of=name_of,
            consent_days=int(settings["consent_review_days"]),
            **schemes.inputs(doc),
            evaluation_interval_days=int(settings["evaluation_interval_days"]),
        )
    found.sort(
        key=lambda a: (SEVERITIES.index(a.severity), a.person, a.date or "", a.kind, a.ref or "")
    )
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
        from reseau_cli.operations import scheme

        if self.loaded is None:
            from reseau_cli import funding

            self.loaded = funding.load(self.repo).schemes
        wanted = [w for c in under for w in scheme.taking_part(c) if w not in self.entries]
        self.entries.update(scheme.directory(self.repo, wanted))
        return {"schemes": self.loaded, "directory": self.entries}
