"""`reseau status`: the alerts (``model.alerts``) of every active person."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reseau_cli.model.alerts import SEVERITIES, Alert, person_alerts
from reseau_cli.records import frozen

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from reseau_cli.repo import Repository

__all__ = ["SEVERITIES", "Alert", "StatusReport", "status"]


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
    day over unchanged files reads them instead of computing them again."""
    settings = repo.settings
    names: list[dict[str, str]] = []

    def name_of(ident: str) -> str:
        # From the derived index, read when the first alert needs a name: every file of
        # the directory is read once, however many persons' alerts are made. A missing
        # or invalid entry (`check`'s business) is named by its id.
        if not names:
            names.append(repo.names("intervenant"))
        return names[0].get(ident, ident)

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


def answer_key(repo: Repository, today: dt.date) -> str | None:
    """The key of all `status` prints is made from, besides reseau's code (see
    ``cli.kept``): every person file (``index.listing_key``) and what their alerts
    depend on (``alerts_key``); None when it cannot be said."""
    from reseau_cli import index
    from reseau_cli.errors import ReseauError

    key = alerts_key(repo, today)
    if key is None:
        return None
    try:
        persons = index.listing_key(repo.listing("person"))
    except ReseauError:
        return None
    return None if persons is None else f"{key}|{persons}"


def alerts_key(repo: Repository, today: dt.date) -> str | None:
    """What a person's alerts depend on besides the person's file: the day, the team's
    settings and language, the directory (names in messages, members of a scheme), the
    funding schemes, and reseau's own code and catalogs. None when one of those files
    changed too recently to be told apart from a later change (then nothing is kept)."""
    from reseau_cli import __version__, i18n, index
    from reseau_cli.model.summary import SUMMARY_VERSION
    from reseau_cli.resources import data_dir
    from reseau_cli.vcs.layout import FOLDERS, SCHEMES, SETTINGS

    package = Path(__file__).resolve().parent.parent
    files = [
        str(repo.root / SETTINGS),
        *index.folder_files(repo.root / FOLDERS["intervenant"], ".yaml"),
        *index.folder_files(repo.root / SCHEMES, ".yaml"),
        *index.folder_files(package / "model", ".py"),
        str(package / "funding.py"),
        str(Path(__file__).resolve()),
        *index.folder_files(data_dir("schemes"), ".yaml"),
        *(str(p) for p in sorted(i18n.LOCALE_DIR.glob("*/LC_MESSAGES/*"))),
    ]
    files_key = index.stamps(files)
    if files_key is None:
        return None
    return f"{today.isoformat()}|{i18n.language()}|{SUMMARY_VERSION}|{__version__}|{files_key}"


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
