"""The keys of the answers `status`, `person list`, `intervenant show` and `check` keep
whole (``cli.kept``): everything each one is made from besides reseau's code, the day
and the language, or None when that cannot be said (nothing is kept then).

Light on purpose: a command whose answer is kept imports this module, and not the code
that would make its answer again (alerts, lines, caseloads, rules).
"""

from __future__ import annotations

import os

from reseau_cli.errors import ReseauError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt

    from reseau_cli.repo import Repository

_HERE = os.path.dirname(os.path.abspath(__file__))


def status_key(repo: Repository, today: dt.date) -> str | None:
    """`status`: every person file (``index.listing_key``) and what their alerts
    depend on (``alerts_key``)."""
    from reseau_cli import index

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
    changed too recently to be told apart from a later change and cannot be read."""
    from reseau_cli import __version__, i18n, index
    from reseau_cli.model.summary import SUMMARY_VERSION
    from reseau_cli.resources import data_dir
    from reseau_cli.vcs.layout import FOLDERS, SCHEMES, SETTINGS

    package = os.path.dirname(_HERE)
    files = [
        str(repo.root / SETTINGS),
        *index.folder_files(repo.root / FOLDERS["intervenant"], ".yaml"),
        *index.folder_files(repo.root / SCHEMES, ".yaml"),
        *index.folder_files(os.path.join(package, "model"), ".py"),
        os.path.join(package, "funding.py"),
        os.path.join(_HERE, "status.py"),
        *index.folder_files(data_dir("schemes"), ".yaml"),
        *(str(p) for p in sorted(i18n.LOCALE_DIR.glob("*/LC_MESSAGES/*"))),
    ]
    files_key = index.stamps(files)
    if files_key is None:
        return None
    return f"{today.isoformat()}|{i18n.language()}|{SUMMARY_VERSION}|{__version__}|{files_key}"


def person_list_key(repo: Repository) -> str | None:
    """`person list`: every person's and every intervenant's file (their names stand
    for the coordinators), by ``index.listing_key``."""
    from reseau_cli import index
    from reseau_cli.model.summary import SUMMARY_VERSION

    try:
        persons = index.listing_key(repo.listing("person"))
        directory = index.listing_key(repo.listing("intervenant"))
    except ReseauError:
        return None
    if persons is None or directory is None:
        return None
    return f"{SUMMARY_VERSION}|{persons}|{directory}"


def caseload_key(repo: Repository, intervenant: str) -> str | None:
    """`intervenant show`: the intervenant's file and every person's file (by
    ``index.listing_key``)."""
    from reseau_cli import ids, index

    try:
        ids.check(intervenant, what="intervenant id")
        path = str(repo.path("intervenant", intervenant))
        persons = index.listing_key(repo.listing("person"))
    except ReseauError:
        return None
    try:
        entry = index.key_of([(path, os.lstat(path))])
    except OSError:
        return None
    if persons is None or entry is None:
        return None
    return f"{intervenant}|{entry}|{persons}"
