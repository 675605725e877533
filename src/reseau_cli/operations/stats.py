"""`reseau stats`: the anonymised figures of one or several teams' repositories."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reseau_cli import dates
from reseau_cli.errors import InvalidInput, Problem, ReseauError
from reseau_cli.i18n import _, ngettext
from reseau_cli.model.disclosure import Cell

DEFAULT_MIN_COUNT = 5


@dataclass(frozen=True)
class StatsResult:
    start: str
    end: str
    min_count: int
    repositories: int
    cells: list[Cell]
    lang: str
    root: Path  # the first repository: its team's templates, if any, shape the HTML


class UnreadableFiles(ReseauError):
    """Person files that could not be read: figures without them would be wrong."""

    def __init__(self, *, repo: Path, count: int) -> None:
        super().__init__(
            ngettext(
                "{repo}: {count} person file could not be read, so the figures would be "
                "wrong; run `reseau check` in that repository and fix them first",
                "{repo}: {count} person files could not be read, so the figures would be "
                "wrong; run `reseau check` in that repository and fix them first",
                count,
            ).format(repo=repo, count=count)
        )


def period(start: str | None, end: str | None, *, today: dt.date) -> tuple[str, str]:
    """The period: --from (default: 1 January of --to's year) to --to (default: today)."""
    last = dates.check(end, what="--to") or today.isoformat()
    first = dates.check(start, what="--from") or f"{last[:4]}-01-01"
    if first > last:
        raise InvalidInput(
            _("--from {first} is after --to {last}: the period would be empty").format(
                first=first, last=last
            )
        )
    return first, last


def compute(
    repos: list[Path],
    *,
    start: str | None,
    end: str | None,
    min_count: int,
    default: Path | None = None,
    lang: str | None = None,
) -> StatsResult:
    """The figures of the period over ``repos`` (or the current repository)."""
    from reseau_cli.model import stats
    from reseau_cli.repo import Repository

    if min_count < 1:
        raise InvalidInput(_("--min-count must be 1 or more (got {count})").format(count=min_count))
    first, last = period(start, end, today=dates.today())
    opened = [Repository.open(p) for p in repos] if repos else [Repository.open(default)]
    roots = [r.root for r in opened]
    if len(set(roots)) != len(roots):
        raise InvalidInput(_("the same repository is given twice: its persons would count twice"))
    teams: list[list[Any]] = []
    for repo in opened:
        repo.settings  # noqa: B018 - a newer format or an invalid reseau.yaml is refused here
        problems: list[Problem] = []
        found = [doc for _, doc in repo.all_raw("person", problems)]
        if problems:
            raise UnreadableFiles(repo=repo.root, count=len({p.path for p in problems}))
        teams.append(found)
    window = stats.Period(first, last)
    figures = stats.compute(teams, window)
    for repo, found in zip(opened, teams, strict=True):
        for scheme, met in scheme_results(repo, found, window):
            figures.schemes[scheme] += 1
            figures.schemes_unmet[scheme] += not met
    cells = stats.sheet(figures, min_count=min_count).cells()
    chosen = lang or opened[0].settings.get("lang", "fr")
    return StatsResult(first, last, min_count, len(opened), cells, chosen, opened[0].root)


def scheme_results(repo: Any, docs: list[Any], window: Any) -> list[tuple[str, bool]]:
    """(scheme id, met) for every concertation held in ``window`` under a funding scheme:
    met when the scheme's rules (``model.scheme.unmet``) find nothing blocking. A scheme
    the repository does not define (or defines invalidly) is not met."""
    from reseau_cli import funding
    from reseau_cli.model.scheme import blocking
    from reseau_cli.operations.scheme import evaluate

    found: list[tuple[str, bool]] = []
    schemes: dict[str, Any] | None = None
    for doc in docs:
        for c in doc.get("concertations") or []:
            if c.get("status") != "held" or not c.get("scheme") or not window.holds(c["date"]):
                continue
            if schemes is None:
                schemes = funding.load(repo).schemes
            scheme = schemes.get(c["scheme"])
            met = scheme is not None and not blocking(evaluate(repo, doc, c, scheme))
            found.append((c["scheme"], met))
    return found


def last_twelve_months(today: dt.date) -> tuple[str, str]:
    """From the first day of the month eleven months back, through ``today``: 12 months."""
    months = today.year * 12 + today.month - 1 - 11
    return dt.date(months // 12, months % 12 + 1, 1).isoformat(), today.isoformat()


def overview_page(root: Path, *, today: dt.date, lang: str) -> str:
    """The team's figures of the last 12 months as the stats HTML page (default
    suppression), for the overview `render all` writes beside its index."""
    from reseau_cli.documents.stats import write

    start, end = last_twelve_months(today)
    result = compute([], start=start, end=end, min_count=DEFAULT_MIN_COUNT, default=root, lang=lang)
    return write(result, "html")
