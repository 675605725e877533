"""A derived cache of parsed, validated documents, so commands over every person stay fast.

It lives in the git folder (never committed, never shared), one file per kind in
``marshal`` format (plain data only, twice as fast to read as JSON),
keyed by what git itself uses to notice a change: size, mtime, ctime and inode. A file
whose key differs is parsed and validated again; the cache is never trusted over the
files, and a cache that cannot be read or written is simply rebuilt or skipped.
A cold load of many files is spread over the machine's cores. Entries of files that no
longer exist are pruned whenever every file of a kind is listed, so the cache never
keeps what a deleted file held; its header records the reseau, Python and marshal
versions it was written with, and anything else is rebuilt.

It knows nothing of the repository beyond ``Source`` below: the caller hands it the
function that parses files, so this module imports nothing above the store.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import marshal
import os
import sys
import time
from collections.abc import Callable, Container, Iterator
from pathlib import Path

from reseau_cli import __version__, store
from reseau_cli.errors import Problem, ReseauError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    # parse_many(root, kind, ids) -> [(id, document or None, problems)], run in workers
    ParseMany = Callable[[str, str, list[str]], list[tuple[str, Any, list[Problem]]]]

    class Source(Protocol):
        """What the cache needs of a repository."""

        root: Path

        def ids(self, kind: str) -> list[str]: ...

        def listing(self, kind: str) -> list[tuple[str, os.DirEntry[str]]]: ...

        def path(self, kind: str, ident: str) -> Path: ...


_PARALLEL_FROM = 200  # below this many stale files, one process is faster
_PARALLEL_BYTES = 1 << 20  # and below this many bytes (300 directory entries: 0.1 MiB)
RACY_NS = 2_000_000_000  # an entry of a file changed this close to its making is read again


def _stat_key(entry: os.DirEntry[str]) -> list[int] | None:
    try:
        st = entry.stat(follow_symlinks=False)  # a link never borrows its target's key
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _cache_file(repo: Source, kind: str) -> Path | None:
    from reseau_cli import vcs

    try:
        return vcs.git_dir(repo.root) / "reseau-cache" / f"{kind}.marshal"
    except ReseauError:
        return None


def sweep(root: Path) -> None:
    """Remove the temporary files a command killed while writing the cache left."""
    from reseau_cli import vcs

    folder = vcs.git_dir(root) / "reseau-cache"
    store.sweep_temporary(folder)
    store.sweep_temporary(folder / "files")


def load_all(
    repo: Source, kind: str, parse_many: ParseMany, problems: list[Problem] | None = None
) -> Iterator[tuple[str, Any]]:
    """Yield ``(id, document)`` for every valid file of ``kind``, sorted by id.

    Invalid files are skipped; their problems are appended to ``problems`` if given.
    ``parse_many`` parses and validates the files that are not fresh in the cache.
    """
    now_ns = time.time_ns()  # before any file is stat-ed
    listing = repo.listing(kind)
    idents = [ident for ident, _ in listing]
    cache_path = _cache_file(repo, kind)
    made, entries = _read(cache_path)
    fresh: dict[str, Any] = {}
    stale: list[str] = []
    keys: dict[str, list[int] | None] = {}
    upgrade = False  # a racy entry the cache written now would trust
    for ident, entry in listing:
        key = keys[ident] = _stat_key(entry)
        hit = entries.get(ident)
        if key is None or hit is None or hit[0] != key:
            stale.append(ident)
        elif max(key[1], key[2]) >= made - RACY_NS:
            # Changed about when its entry was made (within the file system's clock
            # granularity): a rewrite of the same size may have kept its key. Read
            # again, as git does with its "racily clean" entries, until a cache
            # made later than the file can trust its key.
            stale.append(ident)
            upgrade = upgrade or max(key[1], key[2]) < now_ns - RACY_NS
        else:
            fresh[ident] = hit[1]
    results = parse_spread(repo.root, kind, stale, parse_many)
    if cache_path is not None:
        prune_files(cache_path.parent, kind, set(idents))
    new_entries = {i: [keys[i], doc] for i, doc in fresh.items()}
    changed = upgrade or not set(entries) <= set(idents)  # or a file gone
    for ident, doc, found in results:
        if found:
            changed = changed or ident in entries
            if problems is not None:
                problems.extend(found)
        else:
            fresh[ident] = doc
            if keys[ident] is not None:
                new_entries[ident] = [keys[ident], doc]
                hit = entries.get(ident)
                changed = changed or hit is None or hit[0] != keys[ident] or hit[1] != doc
    if changed and cache_path is not None:
        _write(cache_path, new_entries, now_ns)
    for ident in idents:
        if ident in fresh:
            yield ident, fresh[ident]


if TYPE_CHECKING:
    Parsed = list[tuple[str, Any, list[Problem]]]


def parse_spread(root: Path, kind: str, idents: list[str], parse_many: ParseMany) -> Parsed:
    """``parse_many`` over ``idents``, in their order (see ``spread``)."""
    found = {item[0]: item for part in spread(root, kind, idents, parse_many) for item in part}
    return [found[ident] for ident in idents]


def spread(
    root: Path, kind: str, idents: list[str], parse_many: ParseMany, size: int | None = None
) -> Iterator[Parsed]:
    """``parse_many`` over ``idents``, given chunk by chunk as each is ready (in no set
    order), spread over the cores when there are many (and, when their ``size`` in
    bytes is given, they are not small: forking and feeding the workers costs more
    than reading a few hundred small files), with a progress bar on stderr when it is
    a terminal.

    The parent reads one file itself first (so that the YAML loader, the compiled
    validator and whatever else ``parse_many`` needs are ready), then forks one worker
    per core, which inherit all that; small chunks keep both cores busy to the end, and
    the caller works on each chunk (indexing it, say) while the workers read the next.
    A worker sends back plain data (``marshal``, several times faster than ``pickle``).
    Python's cyclic garbage collector is paused meanwhile: documents are trees, and it
    would otherwise walk every object built so far, again and again."""
    with _collector_paused():
        few = len(idents) < _PARALLEL_FROM or (size is not None and size < _PARALLEL_BYTES)
        if few or (os.cpu_count() or 1) < 2 or _SPREADING:
            yield parse_many(str(root), kind, idents)  # (never a pool within a pool)
            return
        _SPREADING.append(kind)  # (before the first file too: one of many)
        pool = None
        try:
            first = parse_many(str(root), kind, idents[:1])
            rest = idents[1:]
            workers = min(os.cpu_count() or 2, 4)
            size = max(16, min(100, len(rest) // (workers * 8)))
            chunks = _chunks(rest, size, workers)
            work = functools.partial(_work, parse_many, str(root), kind)
            pool = _pool(workers)
            futures = [pool.submit(work, chunk) for chunk in chunks]  # the workers fork here
            with _progress(kind, len(idents)) as step:
                step(len(first))
                yield first
                for future in _completed(futures):
                    part = _unpack(future.result())
                    step(len(part))
                    yield part
        finally:
            _SPREADING.pop()
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


_SPREADING: list[str] = []  # the kinds being read by a pool of this process (or its workers)


def spreading() -> bool:
    """Whether many files are being read by a pool (``spread``): in the command, or in
    one of the pool's worker processes, which inherit this."""
    return bool(_SPREADING)


def _chunks(idents: list[str], size: int, workers: int) -> list[list[str]]:
    """``idents`` cut into chunks of ``size``, the last ones (as many files as two
    rounds of the workers) a quarter of that: the workers finish at about the same
    time, rather than one reading a whole chunk while the others wait."""
    small = max(4, size // 4)
    tail = min(len(idents), 2 * workers * size)
    cut = len(idents) - tail
    return [idents[i : min(i + size, cut)] for i in range(0, cut, size)] + [
        idents[i : i + small] for i in range(cut, len(idents), small)
    ]


def _pool(workers: int) -> Any:
    """A process pool whose workers are forked on Linux (they inherit what the parent
    loaded; Python's default there too, up to 3.13); elsewhere started the platform's
    own way (spawn on macOS, where forking is unsafe, and on Windows)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    return ProcessPoolExecutor(max_workers=workers, mp_context=context)


def _completed(futures: list[Any]) -> Iterator[Any]:
    from concurrent.futures import as_completed

    return as_completed(futures)


_IN_WORKER: list[bool] = []  # holds True in a worker process of ``spread``


def in_worker() -> bool:
    """Whether this is a worker process of ``spread`` (which must read nothing but the
    files it is given: a value that needs more is made by the command)."""
    return bool(_IN_WORKER)


def _work(parse_many: ParseMany, root: str, kind: str, idents: list[str]) -> bytes:
    """``parse_many`` in a worker process, its result as plain data (see ``_unpack``)."""
    gc.disable()  # the worker only builds trees (see ``spread``)
    if not _IN_WORKER:
        _IN_WORKER.append(True)
    found = [
        (ident, doc, [(p.path, p.location, p.message) for p in bad])
        for ident, doc, bad in parse_many(root, kind, idents)
    ]
    try:
        return b"m" + marshal.dumps(found)
    except ValueError:  # something marshal cannot carry (never in a valid document)
        import pickle

        return b"p" + pickle.dumps(found)


def _unpack(data: bytes) -> Parsed:
    if data[:1] == b"m":
        found = marshal.loads(data[1:])
    else:
        import pickle

        found = pickle.loads(data[1:])  # noqa: S301 - made by our own worker process
    return [(ident, doc, [Problem(*p) for p in bad]) for ident, doc, bad in found]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def _progress(kind: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr when it is a terminal (else nothing is shown)."""
    if not sys.stderr.isatty():
        yield lambda advance: None
        return
    from rich.console import Console
    from rich.progress import Progress

    from reseau_cli.i18n import ngettext

    if kind == "person":
        said = ngettext("Reading {count} person file", "Reading {count} person files", total)
    elif kind == "intervenant":
        said = ngettext("Reading {count} directory file", "Reading {count} directory files", total)
    else:
        said = ngettext("Reading {count} file", "Reading {count} files", total)
    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task(said.format(count=total), total=total)
        yield lambda advance: progress.advance(task, advance)


def forget(root: Path, kind: str, listed: set[str]) -> None:
    """Forget every file of ``kind`` not ``listed`` (deleted): its per-file entries go,
    and the whole-kind cache is deleted (made again when a command needs it) rather
    than read to be cut: nothing a deleted file held stays."""
    from reseau_cli import vcs

    try:
        folder = vcs.git_dir(root) / "reseau-cache"
    except ReseauError:
        return
    prune_files(folder, kind, listed)
    with contextlib.suppress(OSError):
        (folder / f"{kind}.marshal").unlink()


def _per_file(folder: Path, kind: str, name: str) -> Path:
    return folder / "files" / f"{kind}.{name}.marshal"


def prune_files(folder: Path, kind: str, idents: Container[str]) -> None:
    """Delete the per-file entries of ``kind`` whose file no longer exists."""
    files = folder / "files"
    if not files.is_dir():
        return
    prefix, suffix = f"{kind}.", ".yaml.marshal"
    with contextlib.suppress(OSError):
        for entry in os.scandir(files):
            name = entry.name
            if not (name.startswith(prefix) and name.endswith(suffix)):
                continue
            if name[len(prefix) : -len(suffix)] not in idents:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def load_one(
    repo: Source, kind: str, path: Path, parse: Callable[[str], Any], *, display: str
) -> Any:
    """One valid document, from its own small cache file when the file's content is
    the one the cache entry was made from (``parse`` makes it from the file's text).

    The entry is keyed by a hash of the file's bytes, not its stat: reading one small
    file costs nothing, and no change, however quick, can go unseen."""
    data = store.read_bytes(path, display=display)
    folder = _cache_file(repo, kind)
    if folder is None:
        return parse(store.text_of(data, path=path, display=display))
    key = _content_key(data)
    cache_path = _per_file(folder.parent, kind, path.name)
    try:
        found = marshal.loads(_unprotect(cache_path, cache_path.read_bytes()))
        if found["header"] == _header() and found["key"] == key:
            return found["doc"]
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        pass
    doc = parse(store.text_of(data, path=path, display=display))
    _keep(cache_path, key, doc)
    return doc


def remember(repo: Source, kind: str, path: Path, data: bytes, doc: Any) -> None:
    """Keep ``doc`` as the document of ``path`` whose bytes are ``data`` (just written
    by a change, from ``doc``, which it validated): the next command that reads the
    file neither parses nor validates it again."""
    folder = _cache_file(repo, kind)
    if folder is not None:
        _keep(_per_file(folder.parent, kind, path.name), _content_key(data), doc)


def _content_key(data: bytes) -> str:
    from reseau_cli.digest import sha256_hex

    return sha256_hex(data)


def _keep(cache_path: Path, key: str, doc: Any) -> None:
    with contextlib.suppress(ValueError, ReseauError, OSError):
        payload = _protect(cache_path, marshal.dumps({"header": _header(), "key": key, "doc": doc}))
        cache_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if payload is not None:
            store.write_atomic(cache_path, payload, mode=0o600, durable=False)


def _protect(path: Path, payload: bytes) -> bytes | None:
    """The payload as the encryption layer lets it be kept (sealed for this member
    when the team encrypts; None: keep nothing)."""
    from reseau_cli.crypto import keyrings

    if keyrings.clear(path.absolute()):
        return payload
    from reseau_cli.crypto import layer

    return layer.protect(path.absolute(), payload)


def _unprotect(path: Path, data: bytes) -> bytes:
    from reseau_cli.crypto import keyrings

    if keyrings.clear(path.absolute()):
        found = None if data.startswith(keyrings.CACHE_MARK) else data
    else:
        from reseau_cli.crypto import layer

        found = layer.unprotect(path.absolute(), data)
    if found is None:
        raise ValueError("not a cache this member can trust")
    return found


@functools.cache
def _header() -> dict[str, Any]:
    from reseau_cli.resources import data_dir

    # The entries ``Path.glob("*.json")`` finds (any kind, dot files too; none in a
    # folder it may not list or that is missing), without pathlib's glob machinery.
    schemas_dir = data_dir("schemas")
    try:
        names = [entry.name for entry in os.scandir(schemas_dir)]
    except OSError:
        names = []
    jsons = [schemas_dir / name for name in names if name.endswith(".json")]
    stamp = max((p.stat().st_mtime_ns for p in jsons), default=0)
    return {
        "reseau": __version__,
        "schemas": stamp,
        "python": list(sys.version_info[:3]),
        "marshal": marshal.version,
    }


def _read(path: Path | None) -> tuple[int, dict[str, Any]]:
    """When the cache's entries were made (the time before their files were stat-ed)
    and the entries, or nothing."""
    if path is None:
        return 0, {}
    try:
        data = marshal.loads(_unprotect(path, path.read_bytes()))
    except (OSError, EOFError, ValueError, TypeError):
        return 0, {}
    if not isinstance(data, dict) or data.get("header") != _header():
        return 0, {}
    entries, made = data.get("entries"), data.get("made")
    if not isinstance(entries, dict) or not isinstance(made, int):
        return 0, {}
    return made, entries


def _write(path: Path, entries: dict[str, Any], made: int) -> None:
    payload = _protect(path, marshal.dumps({"header": _header(), "made": made, "entries": entries}))
    with contextlib.suppress(ReseauError, OSError):
        if payload is not None:
            store.write_atomic(path, payload, mode=0o600, durable=False)
