"""`reseau export pseudonymised`: a copy of the repository with nothing identifying."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from reseau_cli import dates, store, vcs
from reseau_cli.errors import InvalidInput
from reseau_cli.i18n import _
from reseau_cli.model import pseudonymise
from reseau_cli.repo import Repository

KEY_FILE = "reseau-pseudonym.key"
_PREFIX = {"person": "P", "intervenant": "I", "objective": "O", "concertation": "C"}


@dataclass(frozen=True)
class Exported:
    folder: Path
    persons: int
    intervenants: int


def _key(repo: Repository) -> bytes:
    """This clone's secret for pseudonyms (``.git/reseau-pseudonym.key``, 0600): the same
    id gives the same pseudonym in every export from this clone, and nobody without the
    key can compute one from an id."""
    path = vcs.git_dir(repo.root) / KEY_FILE
    if path.exists():
        data = store.read_bytes(path, display=KEY_FILE)
        if len(data) >= 32:
            return data
    data = secrets.token_bytes(32)
    store.write_atomic(path, data, mode=0o600)
    return data


def pseudonymiser(key: bytes) -> pseudonymise.Pseudonym:
    def pseudonym(kind: str, ident: str) -> str:
        digest = hmac.new(key, f"{kind}:{ident}".encode(), hashlib.sha256).hexdigest()
        return f"{_PREFIX.get(kind, 'X')}-{digest[:10]}"

    return pseudonym


def _target(folder: Path, repo: Repository) -> Path:
    folder = folder.expanduser().absolute()
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InvalidInput(
            _("{folder} exists and is not an empty folder; choose a new one").format(folder=folder)
        )
    root = repo.root.resolve()
    resolved = folder.resolve()
    if resolved == root or root in resolved.parents:
        raise InvalidInput(_("export outside the data repository (its files would be committed)"))
    return folder


def pseudonymised(repo: Repository, folder: Path) -> Exported:
    """Write ``persons/`` and ``intervenants/`` pseudonymised into ``folder``."""
    target = _target(folder, repo)
    pseudonym = pseudonymiser(_key(repo))
    today = dates.today_iso()
    people = [pseudonymise.person(d, pseudonym, today=today) for _, d in repo.all_raw("person")]
    directory = [pseudonymise.intervenant(d, pseudonym) for _, d in repo.all_raw("intervenant")]
    for sub, docs in (("persons", people), ("intervenants", directory)):
        (target / sub).mkdir(parents=True, exist_ok=True)
        for doc in docs:
            store.write_atomic(target / sub / f"{doc['id']}.yaml", store.dump(doc))
    readme = (
        "Pseudonymised export of a reseau repository: ids replaced by pseudonyms, birth\n"
        "dates by age bands, dates by months; names, contacts, addresses and free text left out.\n"
    )
    store.write_atomic(target / "README.txt", readme)
    os.chmod(target, 0o755)
    return Exported(target, len(people), len(directory))
