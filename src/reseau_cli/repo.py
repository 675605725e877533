"""A data repository: where it is, its settings, its files, and the one way to change them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import cached_property, partial
from pathlib import Path

from reseau_cli import formats, ids, schemas, store
from reseau_cli.errors import (
    InvalidDocument,
    NotARepository,
    Problem,
    ReadFailed,
    ReseauError,
    UnknownIntervenant,
    UnknownPerson,
    UnsafeFile,
)
from reseau_cli.i18n import _
from reseau_cli.records import field, record
from reseau_cli.vcs.layout import FOLDERS, INSTRUMENTS, SCHEMES, SETTINGS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from reseau_cli.change import Change
    from reseau_cli.crypto.layer import Keyring

# How a command sees a document it reads: given (kind, document as written), a document
# the view may share but must not change. Operations give one that names today's
# coordinator (the model decides; the repository only reads files).
if TYPE_CHECKING:
    View = Callable[[str, Any], Any]


def as_written(kind: str, doc: Any) -> Any:
    return doc


DEFAULTS: dict[str, Any] = {
    "lang": "fr",
    "timezone": "Europe/Brussels",
    "review_interval_days": 90,
    "upcoming_days": 14,
    "send_log": False,
    "consent_review_days": 365,
    "ics_full": False,
    "evaluation_interval_days": 180,
}


def find(explicit: Path | None = None) -> Path:
    """The data repository root: ``explicit``, else RESEAU_REPO, else upward from cwd."""
    if explicit is None and os.environ.get("RESEAU_REPO"):
        explicit = Path(os.environ["RESEAU_REPO"])
    if explicit is not None:
        root = explicit.expanduser().resolve()
        if not (root / SETTINGS).is_file():
            raise NotARepository(start=root, explicit=True, checkout=_unborn_clone(root))
        return root
    start = Path.cwd().resolve()
    for folder in (start, *start.parents):
        if (folder / SETTINGS).is_file():
            return folder
    raise NotARepository(start=start, checkout=_unborn_clone(start))


def _unborn_clone(path: Path) -> tuple[str, str] | None:
    """A clone of the team's remote left empty (its HEAD named a missing branch)."""
    from reseau_cli import vcs

    return vcs.unborn_clone(path, SETTINGS)


@record
class Repository:
    """An opened data repository. Reading never writes; writing goes through ``Change``."""

    root: Path
    _docs: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)
    # Keep each file read on its own in the derived cache (see cache.load_one); off
    # for bulk loads, which have their own cache per kind.
    file_cache: bool = True
    # Files that commands over every document had to leave out (invalid): the CLI
    # warns about them once, at the end of the command.
    skipped: list[Problem] = field(default_factory=list, repr=False)
    _real_folders: set[str] = field(default_factory=set, repr=False)
    # How ``load`` and ``all`` present documents (``load_raw`` always gives them as written).
    view: View = field(default=as_written, repr=False)

    def __post_init__(self) -> None:
        from reseau_cli.crypto import keyrings

        keyrings.register(self.root, lambda: make_keyring(self.root))
        store.on_sealed(_open_sealed)  # the layer, imported when a sealed text comes

    @property
    def keyring(self) -> Keyring:
        """This repository's data keys, as this member can open them (see crypto.layer)."""
        from reseau_cli.crypto import keyrings

        found = keyrings.keyring_for(self.root / SETTINGS)
        assert found is not None
        return found

    def refresh_keys(self) -> None:
        """Read the team and the key store again on next use."""
        from reseau_cli.crypto import keyrings

        keyrings.forget(self.root)

    @property
    def encrypted(self) -> bool:
        """Whether the team encrypts its files (team/recipients.yaml)."""
        from reseau_cli.crypto import keyrings

        if keyrings.clear(self.root / SETTINGS):
            return False  # no team file (nor keyring): nothing to make for it
        return self.keyring.team.encryption

    @classmethod
    def open(cls, explicit: Path | None = None, *, strict: bool = True) -> Repository:
        """Find and open a repository; an empty or invalid reseau.yaml is refused here
        (unless ``strict`` is false: `check` reports it with everything else)."""
        repo = cls(find(explicit))
        repo.refresh_keys()
        if strict:
            repo.settings  # noqa: B018 - loading validates
        return repo

    # -- settings -----------------------------------------------------------------
    @cached_property
    def settings(self) -> dict[str, Any]:
        """``reseau.yaml`` validated, with defaults filled in."""
        doc = self.load_file("settings", self.root / SETTINGS)
        return {**DEFAULTS, **doc}

    # -- paths ----------------------------------------------------------------------
    def path(self, kind: str, ident: str) -> Path:
        """The file of a person or intervenant; the id is checked so no path escapes,
        and the folder must be a real folder of the repository (not a symbolic link)."""
        ids.check(ident, what=f"{kind} id")
        return self.folder(kind) / f"{ident}.yaml"

    def folder(self, kind: str) -> Path:
        """``persons/`` or ``intervenants/``, refused when it is a symbolic link."""
        folder = self.root / FOLDERS[kind]
        if kind not in self._real_folders:
            if folder.is_symlink():
                raise UnsafeFile(path=FOLDERS[kind], reason=store.symlink())
            self._real_folders.add(kind)
        return folder

    def layout_problems(self) -> list[Problem]:
        """Every symbolic link in the data layout (reseau.yaml, the data folders and
        templates/ and schemes/): git carries links to every clone, and reseau never
        follows them."""
        found = []
        for top in (SETTINGS, *FOLDERS.values(), "templates", SCHEMES, INSTRUMENTS):
            path = self.root / top
            if path.is_symlink():
                found.append(Problem(top, "-", store.symlink()))
            elif path.is_dir():
                for folder, dirs, files in os.walk(path):
                    for name in sorted(dirs + files):
                        if os.path.islink(os.path.join(folder, name)):
                            rel = self.rel(Path(folder) / name)
                            found.append(Problem(rel, "-", store.symlink()))
        return found

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def ids(self, kind: str) -> list[str]:
        """Ids of the files in a data folder; symbolic links are listed too, so that
        reading them is refused and reported rather than silently skipped."""
        return [ident for ident, _entry in self.listing(kind)]

    def listing(self, kind: str) -> list[tuple[str, os.DirEntry[str]]]:
        """``(id, entry)`` for each file of a data folder (as ``ids``), sorted by id, from
        one pass over the folder: an entry's ``stat(follow_symlinks=False)`` is the
        file's own (a link's, never its target's), made once and kept."""
        folder = self.folder(kind)
        try:
            with os.scandir(folder) as listed:
                found = [
                    (entry.name[:-5], entry)
                    for entry in listed
                    if entry.name.endswith(".yaml")
                    and (entry.is_symlink() or entry.is_file(follow_symlinks=False))
                ]
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as exc:
            raise ReadFailed(path=FOLDERS[kind], reason=exc.strerror or str(exc)) from None
        rule = ids.ID_RULE.fullmatch
        found.sort(key=lambda pair: pair[0])
        return [pair for pair in found if rule(pair[0])]

    def exists(self, kind: str, ident: str) -> bool:
        return os.path.lexists(self.path(kind, ident))

    def taken(self, kind: str) -> _Taken:
        """The ids a new file of ``kind`` may not take: those ``ids`` lists, and any name
        anything else in the folder has, told one id at a time (a new id is drawn at
        random: a few checks, not a listing of the folder)."""
        return _Taken(self, kind)

    # -- reading ---------------------------------------------------------------------
    def load_file(self, kind: str, path: Path) -> Any:
        """Parse, upgrade and validate one file; InvalidDocument names file and line.

        A file unchanged since it was last found valid comes from the derived cache,
        so a command reading one file pays neither for parsing nor for jsonschema."""
        if self.file_cache:
            from reseau_cli.cache import load_one

            display = self.rel(path)
            return load_one(
                self,
                kind,
                path,
                lambda text: parse_document(kind, text, display=display),
                display=display,
            )
        return self._parse_file(kind, path)

    def _parse_file(self, kind: str, path: Path) -> Any:
        display = self.rel(path)
        return parse_document(kind, store.read_text(path, display=display), display=display)

    def load(self, kind: str, ident: str) -> Any:
        """One person or intervenant document, validated (cached for this process), as
        this repository's ``view`` presents it."""
        return self.view(kind, self.load_raw(kind, ident))

    def load_raw(self, kind: str, ident: str) -> Any:
        """One document, validated, as the file says (for `reseau check`); never changed
        by a view, so it is the same whether or not ``load`` was called first."""
        key = (kind, ident)
        if key not in self._docs:
            path = self.path(kind, ident)
            if not os.path.lexists(path):
                raise (UnknownPerson if kind == "person" else UnknownIntervenant)(id=ident)
            doc = self.load_file(kind, path)
            if doc.get("id") != ident:
                display = self.rel(path)
                problem = Problem(
                    display,
                    "$.id",
                    _("id {id} differs from file name").format(id=repr(doc.get("id"))),
                )
                raise InvalidDocument(path=display, problems=[problem])
            self._docs[key] = doc
        return self._docs[key]

    def person(self, ident: str) -> dict[str, Any]:
        return self.load("person", ident)

    def intervenant(self, ident: str) -> dict[str, Any]:
        return self.load("intervenant", ident)

    def all(self, kind: str) -> Iterator[tuple[str, Any]]:
        """Every valid document of a kind, through the derived cache; invalid ones skipped."""
        from reseau_cli.cache import load_all

        for ident, doc in load_all(self, kind, parse_many, self.skipped):
            yield ident, self.view(kind, doc)

    def all_raw(
        self, kind: str, problems: list[Problem] | None = None
    ) -> Iterator[tuple[str, Any]]:
        """Every valid document of a kind as written (no view); the problems of invalid
        ones are appended to ``problems``. Without ``file_cache``, every file is read and
        validated again, no derived cache used (`check --strict`)."""
        from reseau_cli.cache import load_all, parse_spread

        if self.file_cache:
            return load_all(self, kind, parse_many, problems)
        found = parse_spread(self.root, kind, self.ids(kind), parse_many)
        if problems is not None:
            problems.extend(p for _, _, bad in found for p in bad)
        return iter([(ident, doc) for ident, doc, bad in found if not bad])

    def summaries(self, kind: str) -> Iterator[tuple[str, Any]]:
        """The summary (``model.summary``) of every valid document of a kind, from the
        derived index, as this repository's ``view`` presents it; invalid ones skipped
        (and noted in ``skipped``). What commands over every person read."""
        from reseau_cli.index import summaries

        for ident, doc in summaries(self, kind, parse_changed, self.skipped):
            yield ident, self.view(kind, doc)

    def names(self, kind: str) -> dict[str, str]:
        """``id -> name`` of every valid document of a kind (intervenants: their
        ``name``; persons: given and family name), from the derived index; invalid
        ones left out, and not noted in ``skipped``."""
        from reseau_cli.index import entries

        found = entries(self, kind, parse_changed)
        return {i: e.name for i, e in found.items() if e.valid and e.name is not None}

    def derived(
        self, kind: str, what: str, key: str | None, make: Callable[[str, Any], Any]
    ) -> Iterator[tuple[str, Any]]:
        """``(id, make(id, summary))`` for every valid document of a kind, the summary as
        this repository's ``view`` presents it; kept in the derived index under ``what``
        for ``key`` (see ``index.derived``: the key names all the value depends on
        besides the file, the view included), so that an unchanged file costs no work."""
        from reseau_cli.index import derived

        def made(ident: str, summary: Any) -> Any:
            return make(ident, self.view(kind, summary))

        yield from derived(self, kind, parse_changed, what, key, made, self.skipped)

    def members(self, intervenant: str) -> Iterator[tuple[str, Any]]:
        """The summaries (as ``summaries`` gives them) of the persons whose network
        names ``intervenant``, now or ever: only theirs are read; invalid files noted
        in ``skipped`` (any of them may name the intervenant)."""
        from reseau_cli.index import members

        for ident, doc in members(self, parse_changed, intervenant, self.skipped):
            yield ident, self.view("person", doc)

    # -- writing ---------------------------------------------------------------------
    def change(self, message: str) -> Change:
        from reseau_cli.change import Change

        return Change(self, message)


_WARNED: set[Path] = set()


def _open_sealed(text: str, display: str, path: Path | None) -> str:
    """A sealed text, opened by the layer (imported then: a clear repository never
    needs it)."""
    from reseau_cli.crypto import layer

    return layer.reveal(text, display=display, path=path)


def make_keyring(root: Path) -> Keyring:
    """The keyring of the repository at ``root``: its team, this member's identity
    (read only when the team encrypts; a warning, once, when others could read it)
    and the key store on ``refs/reseau/keys``."""
    import sys

    from reseau_cli.crypto import identity, layer, team

    members = team.load(root)
    member = None
    if members.encryption:
        try:
            member = identity.load_optional()
        except ReseauError as exc:
            sys.stderr.write(_("warning: {warning}").format(warning=exc) + "\n")
        if member is not None and member.path not in _WARNED:
            _WARNED.add(member.path)
            for warning in member.warnings:
                sys.stderr.write(_("warning: {warning}").format(warning=warning) + "\n")
    return layer.Keyring(root, members, member, partial(_stored_keys, root))


def _stored_keys(root: Path) -> dict[str, bytes]:
    """The key store (read by the keyring only when a file is encrypted: git runs then)."""
    from reseau_cli.vcs import keys

    return keys.read(root)


def parse_document(kind: str, text: str, *, display: str) -> Any:
    """Parse, upgrade and validate one document's text; InvalidDocument names file and line."""
    if not text.strip():
        raise InvalidDocument(
            path=display, problems=[Problem(display, "-", _("the file is empty"))]
        )
    doc = formats.upgrade(kind, store.parse(text, path=display), path=display)
    found = schemas.problems(kind, doc, path=display, text=text)
    if found:
        ident = display.rpartition("/")[2].removesuffix(".yaml")
        hint = ""
        if kind == "person":
            hint = _("fix it with `reseau person edit {id}` or by hand").format(id=ident)
        raise InvalidDocument(path=display, problems=found, hint=hint)
    return doc


def parse_many(root: str, kind: str, idents: list[str]) -> list[tuple[str, Any, list[Problem]]]:
    """Parse and validate files without any cache (for ``cache.load_all``, which may run
    it in worker processes): ``(id, document, [])``, or ``(id, None, problems)``."""
    return _parse_many(root, kind, idents, file_cache=False)


FEW = 32  # files read again one by one through the per-file cache (see parse_changed)


def parse_changed(root: str, kind: str, idents: list[str]) -> list[tuple[str, Any, list[Problem]]]:
    """``parse_many`` for the files the derived index reads again: a few (those a
    command just wrote, typically) through the per-file cache, which holds what the
    command validated; many (a fresh clone, a pull) without it, the chunks of many
    spread over processes included, however small each chunk is."""
    from reseau_cli.cache import spreading

    return _parse_many(root, kind, idents, file_cache=len(idents) <= FEW and not spreading())


def _parse_many(
    root: str, kind: str, idents: list[str], *, file_cache: bool
) -> list[tuple[str, Any, list[Problem]]]:
    repo = Repository(Path(root), file_cache=file_cache)
    out: list[tuple[str, Any, list[Problem]]] = []
    for ident in idents:
        try:
            out.append((ident, repo.load_raw(kind, ident), []))
        except InvalidDocument as exc:
            out.append((ident, None, exc.problems))
        except ReseauError as exc:
            display = repo.rel(repo.path(kind, ident))
            out.append((ident, None, [Problem(display, "-", str(exc))]))
    return out


class _Taken:
    """``Repository.taken``: ``ident in taken`` when the folder holds anything (a file,
    a link, a folder) at that id's path."""

    def __init__(self, repo: Repository, kind: str) -> None:
        self._repo = repo
        self._kind = kind

    def __contains__(self, ident: object) -> bool:
        return isinstance(ident, str) and self._repo.exists(self._kind, ident)
