"""A handover archive's manifest, its checks, and a handed-over file made at home in the
receiving repository (its id, its intervenants' ids, where it came from)."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from reseau_cli import ids
from reseau_cli.errors import InvalidInput
from reseau_cli.i18n import _

FORMAT = 1
KIND = "reseau-handover"
MANIFEST = "manifest.json"
PERSON = "person.yaml"
HISTORY = "history.bundle"
PLAN = "plan.html"
DIRECTORY = "intervenants/"


_HEX = re.compile(r"[0-9a-f]{7,64}")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest(
    members: dict[str, bytes],
    *,
    person: str,
    team: str,
    commit: str,
    created: str,
    commits: int,
    signed: bool = False,
) -> bytes:
    """The manifest: what the archive holds, with the SHA-256 of every other member."""
    doc = {
        "format": FORMAT,
        "kind": KIND,
        "person": person,
        "team": team,
        "commit": commit,
        "created": created,
        "commits": commits,
        "signed": signed,
        "files": {name: digest(data) for name, data in sorted(members.items())},
    }
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode()


def seal(person: str, members: dict[str, bytes]) -> str:
    """The message of the signed tag: the SHA-256 of every member but the history (the
    tag names its last commit, which covers it)."""
    lines = [f"reseau handover of {person}", ""]
    lines += [
        f"sha256 {digest(data)} {name}" for name, data in sorted(members.items()) if name != HISTORY
    ]
    return "\n".join(lines) + "\n"


_SEALED = re.compile(r"^sha256 ([0-9a-f]{64}) (\S+)$", re.M)


def check_seal(tag: str, members: dict[str, bytes]) -> None:
    """Refuse when the signed tag's checksums are not those of the members."""
    sealed = {name: value for value, name in _SEALED.findall(tag)}
    held = {name: digest(data) for name, data in members.items() if name not in (HISTORY, MANIFEST)}
    if sealed != held:
        odd = sorted(set(sealed.items()) ^ set(held.items()))[0][0]
        raise InvalidInput(
            _("the handover has been altered since it was signed: {name} differs").format(name=odd)
        )


def allowed(name: str) -> bool:
    """The only member names an archive may hold (no folder, link or path trick)."""
    if name in (MANIFEST, PERSON, HISTORY, PLAN):
        return True
    if name.startswith(DIRECTORY) and name.endswith(".yaml"):
        return ids.ID_RULE.fullmatch(name[len(DIRECTORY) : -len(".yaml")]) is not None
    return False


def check(members: dict[str, bytes]) -> dict[str, Any]:
    """The manifest, once every member matches its checksum; refused otherwise."""
    if MANIFEST not in members:
        raise InvalidInput(_("not a reseau handover: it holds no manifest.json"))
    try:
        doc = json.loads(members[MANIFEST].decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(_("the handover's manifest is damaged (not JSON)")) from None
    if not isinstance(doc, dict) or doc.get("kind") != KIND:
        raise InvalidInput(_("not a reseau handover: its manifest is of another kind"))
    version = doc.get("format")
    if not isinstance(version, int) or version < 1:
        raise InvalidInput(_("the handover's manifest has no valid format number"))
    if version > FORMAT:
        raise InvalidInput(
            _(
                "the handover was made by a newer reseau (handover format {version}; this one "
                "reads format {supported}): upgrade reseau to import it"
            ).format(version=version, supported=FORMAT)
        )
    files = doc.get("files")
    if not isinstance(files, dict):
        raise InvalidInput(_("the handover's manifest lists no files"))
    listed, held = set(files), set(members) - {MANIFEST}
    if listed != held:
        odd = sorted(listed ^ held)[0]
        raise InvalidInput(
            _("the handover has been altered: {name} is not as its manifest says").format(name=odd)
        )
    for name in sorted(held):
        if files[name] != digest(members[name]):
            raise InvalidInput(
                _("the handover has been altered: {name} fails its SHA-256 checksum").format(
                    name=name
                )
            )
    for key in (PERSON, HISTORY):
        if key not in held:
            raise InvalidInput(_("the handover holds no {name}").format(name=key))
    if not isinstance(doc.get("person"), str) or not ids.ID_RULE.fullmatch(doc["person"]):
        raise InvalidInput(_("the handover's manifest names no valid person id"))
    if not isinstance(doc.get("commit"), str) or not _HEX.fullmatch(doc["commit"]):
        raise InvalidInput(_("the handover's manifest names no valid commit"))
    return doc


def rename(doc: dict[str, Any], renamed: dict[str, str]) -> None:
    """Give every intervenant the file names its id in the receiving directory."""
    if not renamed:
        return

    def new(ident: Any) -> Any:
        return renamed.get(ident, ident) if isinstance(ident, str) else ident

    def each(records: list[dict[str, Any]], *keys: str) -> None:
        for record in records:
            for key in keys:
                if isinstance(record.get(key), list):
                    record[key] = [new(i) for i in record[key]]
                elif key in record:
                    record[key] = new(record[key])

    coordination = doc.get("coordination", {})
    plan = doc.get("plan", {})
    meetings = doc.get("concertations", [])
    each(doc.get("network", []), "intervenant")
    each([coordination], "coordinator", "concertation_lead")
    each(coordination.get("history", []), "intervenant")
    each(plan.get("actions", []), "by")
    each(plan.get("validations", []), "with")
    each(meetings, "organiser", "coordinator", "invited")
    for meeting in meetings:
        each(meeting.get("participants", []), "intervenant")


def received(
    doc: dict[str, Any], *, handover: str, manifest: dict[str, Any], date: str, ref: str
) -> dict[str, Any]:
    """The file under its new id, recording where it came from."""
    record = {
        "id": handover,
        "date": date,
        "team": str(manifest.get("team") or "?")[:200],
        "person": manifest["person"],
        "commit": str(manifest["commit"]),
        "ref": ref,
    }
    doc.setdefault("handovers", []).append(record)
    return doc
