"""File format versions: each file carries ``format: N``; older ones are upgraded on load.

An upgrade is a small function keyed by (kind, version) that turns a version-N
document into version N+1. The upgraded document is written back on the next save.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from reseau_cli.errors import UnsupportedFormat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

FORMAT = 1  # the newest file format this version reads and writes

if TYPE_CHECKING:
    Upgrade = Callable[[dict[str, Any]], dict[str, Any]]

# (kind, from_version) -> function. Format 1 is the first; nothing to upgrade yet.
UPGRADES: dict[tuple[str, int], Upgrade] = {}


def upgrade(kind: str, doc: Any, *, path: str) -> Any:
    """Bring ``doc`` to the current format; leave anything unrecognisable to the schema."""
    if not isinstance(doc, dict):
        return doc
    version = doc.get("format")
    if not isinstance(version, int) or isinstance(version, bool):
        return doc
    if version > FORMAT:
        raise UnsupportedFormat(path=path, found=version, supported=FORMAT)
    while version < FORMAT and (kind, version) in UPGRADES:
        doc = UPGRADES[(kind, version)](doc)
        version += 1
        doc["format"] = version
    if kind == "person" and is_old_consent(doc.get("consent")):
        doc["consent"] = upgrade_consent(doc["consent"])
    return doc


# -- consent: {information_sharing, date, scope} became a history of decisions ---------
# Within format 1 (the file's other keys are unchanged): a file in the old form is read
# as the new one, `reseau check` says so, and the next write saves the new form. The
# decision made from it has a fixed id, so two clones upgrading the same file agree.
UPGRADED_CONSENT_ID = "cn-upgraded"
DEFAULT_RECIPIENTS = ["professional", "service"]


def is_old_consent(consent: Any) -> bool:
    return (
        isinstance(consent, dict) and "information_sharing" in consent and "history" not in consent
    )


def upgrade_consent(old: dict[str, Any]) -> dict[str, Any]:
    """The old boolean as the first decision of the history (recipients: the network's
    professionals and services, the narrowest reading of "shared between intervenants")."""
    given = old.get("information_sharing") is True
    entry: dict[str, Any] = {"id": UPGRADED_CONSENT_ID}
    if old.get("date") is not None:
        entry["date"] = old["date"]
    entry["status"] = "given" if given else "refused"
    if given:
        entry["recipients"] = list(DEFAULT_RECIPIENTS)
    if old.get("scope"):
        entry["note"] = old["scope"]
    extra = {k: v for k, v in old.items() if k not in ("information_sharing", "date", "scope")}
    return {"status": entry["status"], "history": [entry], "disclosures": [], **extra}


# Compiled when first used (by `check` and `consent`; re keeps it), not by every write.
_OLD_CONSENT_KEY = r"(^|[{,])[ \t]*['\"]?information_sharing['\"]?[ \t]*:"


def old_consent_in_text(text: str) -> bool:
    """Whether a person file's text still holds the old ``consent`` object (a cheap
    look at the text, for `reseau check`; the loader upgrades it either way)."""
    return re.search(_OLD_CONSENT_KEY, text, re.M) is not None
