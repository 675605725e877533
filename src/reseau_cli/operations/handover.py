"""`reseau handover export` / `import`: a person's file, its history, its rendered plan
and the directory entries it names, as one checksummed tar archive between two teams."""

from __future__ import annotations

import datetime as dt
import io
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reseau_cli import dates, ids, store, vcs
from reseau_cli.crypto.layer import is_sealed
from reseau_cli.errors import InvalidInput
from reseau_cli.i18n import _
from reseau_cli.model import fhir_export
from reseau_cli.model import handover as model
from reseau_cli.repo import Repository, parse_document
from reseau_cli.vcs import handover as history
from reseau_cli.vcs import signing

# An archive is read whole into memory, member by member: none may be larger.
MAX_MEMBER = 64 * 1024 * 1024
MAX_MEMBERS = 1000


@dataclass
class Exported:
    path: Path
    commits: int
    entries: int
    signed: bool


def export(repo: Repository, person: str, output: Path) -> Exported:
    """Write the archive of ``person`` to ``output``."""
    from reseau_cli.documents.renderer import Renderer, check_output_file, write_file

    check_output_file(repo, output)
    path = repo.path("person", person)
    doc = repo.load_raw("person", person)
    members: dict[str, bytes] = {model.PERSON: store.read_bytes(path, display=repo.rel(path))}
    if is_sealed(members[model.PERSON].decode("utf-8", "replace")):
        # Its versions are sealed for this team's members alone: another team could
        # read neither the file nor its history.
        raise InvalidInput(
            _(
                "{person}'s file is encrypted for this team: a handover of an encrypted "
                "repository's file is not supported yet (export it as FHIR, which is read in clear)"
            ).format(person=person)
        )
    names = sorted(i for i in fhir_export.referenced(doc) if repo.exists("intervenant", i))
    for ident in names:
        entry = repo.path("intervenant", ident)
        members[f"{model.DIRECTORY}{ident}.yaml"] = store.read_bytes(entry, display=ident)
    members[model.PLAN] = Renderer(repo).render("plan", person, None, fmt="html").content
    with tempfile.TemporaryDirectory(prefix="reseau-handover-") as scratch:
        bundle = Path(scratch) / "history.bundle"
        signed = signing.signing_key(repo.root) is not None
        seal = model.seal(person, members) if signed else None
        commits = history.history_bundle(repo.root, path, bundle, seal=seal)
        members[model.HISTORY] = bundle.read_bytes()
    head = vcs.file_commits(repo.root, path)[-1].commit
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    manifest = model.manifest(
        members,
        person=person,
        team=str(repo.settings.get("team") or ""),
        commit=head,
        created=stamp,
        commits=commits,
        signed=signed,
    )
    write_file(output, _tar({model.MANIFEST: manifest, **members}))
    return Exported(output, commits, len(names), signed)


def _tar(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o600, 0
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def read_archive(path: Path) -> dict[str, bytes]:
    """Every member of the archive, in memory: regular files with an expected name only
    (no link, device, folder, absolute or `..` path), never written out as they are."""
    members: dict[str, bytes] = {}
    try:
        with tarfile.open(path, mode="r:") as tar:
            for info in tar:
                if len(members) >= MAX_MEMBERS:
                    raise InvalidInput(
                        _("{path} holds too many files for a handover").format(path=path)
                    )
                name = info.name
                if not info.isreg() or not model.allowed(name):
                    shown = name if len(name) < 80 else name[:77] + "..."
                    raise InvalidInput(
                        _("{path} is not a reseau handover: unexpected {name}").format(
                            path=path, name=repr(shown)
                        )
                    )
                if name in members:
                    raise InvalidInput(_("{path} holds {name} twice").format(path=path, name=name))
                if info.size > MAX_MEMBER:
                    raise InvalidInput(
                        _("{path}: {name} is too large for a handover").format(path=path, name=name)
                    )
                handle = tar.extractfile(info)
                assert handle is not None
                members[name] = handle.read()
    except FileNotFoundError:
        raise InvalidInput(_("{path} does not exist").format(path=path)) from None
    except IsADirectoryError:
        raise InvalidInput(
            _("{path} is a folder, not a handover archive").format(path=path)
        ) from None
    except (tarfile.TarError, EOFError) as exc:
        raise InvalidInput(
            _("{path} is not a readable tar archive ({detail})").format(path=path, detail=exc)
        ) from None
    return members


@dataclass
class Imported:
    person: str
    original: str
    ref: str
    commits: int
    created: list[str]
    renamed: dict[str, str]
    signed_by: str | None = None


def import_archive(repo: Repository, path: Path) -> Imported:
    """Create the handed-over person (new id if taken), its history kept under a ref,
    the directory entries the team lacks; one commit."""
    from reseau_cli.model.directory import free_id
    from reseau_cli.text import same

    members = read_archive(path)
    manifest = model.check(members)
    doc = _parse(members, model.PERSON, "person")
    original = manifest["person"]
    if doc.get("id") != original:
        raise InvalidInput(_("the handover's person.yaml is not the person its manifest names"))
    handover = ids.random_id("h", 6)
    ref = history.REF_PREFIX + handover
    try:
        with repo.change("") as change:
            pid = original
            if repo.exists("person", pid):
                pid = ids.random_id("p", 6, taken=repo.taken("person"))
            directory = {ident: entry for ident, entry in repo.all_raw("intervenant")}
            created: list[str] = []
            renamed: dict[str, str] = {}
            for name in sorted(n for n in members if n.startswith(model.DIRECTORY)):
                entry = _parse(members, name, "intervenant")
                ident = entry["id"]
                if ident in directory and same(directory[ident]["name"], entry["name"]):
                    continue
                if ident in directory:
                    renamed[ident] = free_id(entry["name"], set(directory) | set(created))
                    entry["id"] = renamed[ident]
                created.append(entry["id"])
                change.put("intervenant", entry["id"], entry)
            model.rename(doc, renamed)
            doc["id"] = pid
            model.received(
                doc, handover=handover, manifest=manifest, date=dates.today_iso(), ref=ref
            )
            missing = fhir_export.referenced(doc) - set(directory) - set(created)
            if missing:
                raise InvalidInput(
                    _("the handover names intervenant(s) it does not describe: {ids}").format(
                        ids=", ".join(sorted(missing))
                    )
                )
            change.put("person", pid, doc)
            change.message = f"{pid}: handover import {handover} (was {original})"
            commits = _receive(repo, members, ref, original)
            signed_by = _check_seal(repo, members, manifest, ref)
    except BaseException:
        history.drop(repo.root, ref)  # nothing committed: the history goes too
        raise
    return Imported(pid, original, ref, commits, created, renamed, signed_by)


def _receive(repo: Repository, members: dict[str, bytes], ref: str, original: str) -> int:
    """Fetch the history under ``ref``; it must end with the file the archive holds."""
    with tempfile.TemporaryDirectory(prefix="reseau-handover-") as scratch:
        bundle = Path(scratch) / "history.bundle"
        bundle.write_bytes(members[model.HISTORY])
        history.receive(repo.root, bundle, ref)
    last = history.show(repo.root, ref, f"persons/{original}.yaml")
    if last != members[model.PERSON]:
        history.drop(repo.root, ref)
        raise InvalidInput(_("the handover's history does not end with its person.yaml"))
    return history.count(repo.root, ref)


def _check_seal(
    repo: Repository, members: dict[str, bytes], manifest: dict[str, Any], ref: str
) -> str | None:
    """Who signed the handover (git's words), None when unsigned; refused when the
    signature, or what it covers, does not hold."""
    found = history.seal_of(repo.root, ref)
    if found is None:
        if manifest.get("signed"):
            raise InvalidInput(_("the handover says it is signed, but its signature is missing"))
        return None
    tag, commit = found
    if commit != history.commit_of(repo.root, ref):
        raise InvalidInput(_("the handover's signature names another version of the history"))
    model.check_seal(tag, members)
    good, detail = history.verify_seal(repo.root, ref)
    if not good:
        raise InvalidInput(
            _(
                "the handover's signature does not verify ({detail}): if the sending team's "
                "key is new to you, add it to git's gpg.ssh.allowedSignersFile (SSH) or your "
                "keyring (OpenPGP), then import again"
            ).format(detail=detail)
        )
    return detail


def _parse(members: dict[str, bytes], name: str, kind: str) -> dict[str, Any]:
    text = store.decode(members[name], display=name)
    doc = parse_document(kind, text, display=name)
    if not isinstance(doc, dict):
        raise InvalidInput(
            _("the handover's {name} is not a {kind} file").format(name=name, kind=kind)
        )
    return doc
