"""Reading and writing YAML files: safe, fast, stable, atomic.

Dates stay ISO strings (the schemas check them); keys keep a stable order; a write
goes to a temporary file in the same folder, is flushed and fsynced, then renamed
over the original, so a crash never leaves half a file. Reading is bounded: only
regular files (never through a symbolic link), at most 1 MiB, no YAML anchors or
aliases, no integer longer than 18 digits.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import operator
import os
import re
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

from reseau_cli.errors import (
    InvalidDocument,
    Problem,
    ReadFailed,
    RepositoryBusy,
    UnsafeFile,
    WriteFailed,
)
from reseau_cli.i18n import _
from reseau_cli.safety import MAX_FILE_BYTES, MAX_INT_DIGITS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import IO, Any


@functools.cache
def _yaml() -> tuple[Any, Any, Any]:
    """PyYAML and reseau's loader and dumper, built on first use (a command that reads
    documents from the derived caches never imports PyYAML): ``(yaml, Loader, Dumper)``."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        """Safe loader that keeps timestamps as the strings written in the file and
        refuses integers too long to mean anything (int() of thousands of digits is slow,
        and raises past 4,300 in Python 3.11)."""

    def timestamp_as_text(loader: Any, node: Any) -> str:
        return str(loader.construct_scalar(node))

    def bounded_int(loader: Any, node: Any) -> int:
        digits = loader.construct_scalar(node).replace("_", "").lstrip("+-")
        if len(digits) > MAX_INT_DIGITS + 2:  # room for a 0x / 0o prefix
            raise yaml.constructor.ConstructorError(
                None, None, f"a number of {len(digits)} digits is too large", node.start_mark
            )
        return int(yaml.constructor.SafeConstructor.construct_yaml_int(loader, node))

    Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp_as_text)
    Loader.add_constructor("tag:yaml.org,2002:int", bounded_int)
    _quicken(yaml, Loader)

    class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
        """Safe dumper: block style, multi-line text as literal blocks."""

    def text(dumper: Any, value: str) -> Any:
        if "\n" in value:
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
        return dumper.represent_scalar("tag:yaml.org,2002:str", value)

    Dumper.add_representer(str, text)
    return yaml, Loader, Dumper


class _Slow(Exception):
    """A node the quick construction leaves to PyYAML's own (see ``_quicken``)."""


_TAG = "tag:yaml.org,2002:"
_RESOLVED_MAX = 4096  # short plain scalars whose tag is remembered (see ``_quicken``)


def _quicken(yaml: Any, loader: Any) -> None:
    """Make ``loader`` build documents about twice as fast, with the same result.

    The C parser composes the nodes; PyYAML then builds the objects in Python, through
    a general machinery (anchors, recursive objects, generators, merge keys) that
    reseau's files never need. Here each document is built by one small recursive
    function for the tags they use (text, maps, lists, null, booleans, integers,
    dates kept as text), each exactly as the registered constructor builds it; any
    other node (another tag, a key that is not a plain value, ``<<`` and ``=`` keys)
    makes the whole document go through PyYAML's own construction instead, errors
    included. And the tag of each short plain value is remembered (it depends on
    the value alone: reseau adds no path resolver), not worked out again by regular
    expressions for every ``status: active`` of every file."""
    build = _builder(yaml, loader)
    base_construct = loader.construct_document

    def construct_document(self: Any, node: Any) -> Any:
        try:
            return build(self, node)
        except _Slow:
            return base_construct(self, node)

    loader.construct_document = construct_document
    if not loader.yaml_path_resolvers:  # (reseau adds none)
        loader.resolve = _remembering(yaml, loader.resolve)
        # Without path resolvers, PyYAML's hooks called as the parser descends into
        # each node and ascends out of it do nothing: C functions that do nothing
        # either (neither binds as a method) save two Python calls per node.
        loader.descend_resolver = operator.is_  # (node, index) -> ignored
        loader.ascend_resolver = _NOTHING.clear  # () -> ignored


_NOTHING: dict[str, str] = {}  # stays empty: its ``clear`` is a C function doing nothing


def _builder(yaml: Any, loader: Any) -> Callable[[Any, Any], Any]:
    """``build(loader, node)``: the object of ``node``, or ``_Slow`` raised."""
    scalar, sequence, mapping = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode
    text, timestamp, integer = _TAG + "str", _TAG + "timestamp", _TAG + "int"
    null, boolean, seq, map_ = _TAG + "null", _TAG + "bool", _TAG + "seq", _TAG + "map"
    plain_keys = frozenset((text, timestamp, integer, null, boolean))
    booleans = loader.bool_values
    make_int = loader.yaml_constructors[integer]

    def build_scalar(self: Any, node: Any, tag: str) -> Any:
        if tag in (text, timestamp):
            return node.value
        if tag == null:
            return None
        if tag == boolean and node.value.lower() in booleans:
            return booleans[node.value.lower()]
        if tag == integer:
            return make_int(self, node)
        raise _Slow

    def build(self: Any, node: Any) -> Any:
        tag, kind = node.tag, type(node)
        if kind is scalar:
            return build_scalar(self, node, tag)
        if kind is mapping and tag == map_:
            out = {}
            for key, value in node.value:  # text, the most common, built here directly
                if type(key) is not scalar or key.tag not in plain_keys:
                    raise _Slow
                if type(value) is scalar and value.tag == text:
                    found = value.value
                else:
                    found = build(self, value)
                out[key.value if key.tag == text else build_scalar(self, key, key.tag)] = found
            return out
        if kind is sequence and tag == seq:
            return [build(self, item) for item in node.value]
        raise _Slow

    return build


def _remembering(yaml: Any, base_resolve: Any) -> Callable[[Any, Any, Any, Any], Any]:
    """``resolve`` remembering the tags of short plain values (at most _RESOLVED_MAX),
    for a loader without path resolvers: then PyYAML's ``resolve`` gives a plain value
    the tag of the first implicit resolver that matches its text, any other value
    (quoted, a block) the text tag, and a list or a map theirs: for a scalar, the tag
    depends on its text alone."""
    scalar = yaml.ScalarNode
    plain_tags = {yaml.SequenceNode: _TAG + "seq", yaml.MappingNode: _TAG + "map"}
    text = _TAG + "str"
    resolved: dict[str, str] = {}

    def resolve(self: Any, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is scalar:
            if not implicit[0]:
                return text
            found = resolved.get(value)
            if found is None:
                found = base_resolve(self, kind, value, implicit)
                if len(value) <= 32:
                    if len(resolved) >= _RESOLVED_MAX:
                        resolved.clear()
                    resolved[value] = found
            return found
        return plain_tags.get(kind) or base_resolve(self, kind, value, implicit)

    return resolve


def __getattr__(name: str) -> Any:
    """``store.Loader`` and ``store.Dumper``: the classes ``_yaml`` builds."""
    if name == "Loader":
        return _yaml()[1]
    if name == "Dumper":
        return _yaml()[2]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


MAX_DEPTH = 50  # a person file nests 6 levels; jsonschema recurses once per level
# A line that opens many levels at once: deep indentation, or "- - - -", "? ? ?". The
# first line, and any other after its newline: what ``^`` finds with ``re.MULTILINE``,
# without trying it at every character (a search from a literal newline is several
# times faster, and this runs for every file a command parses).
_DEEP_FIRST = re.compile(r"[ \t?:-]{48}")
_DEEP_LINE = re.compile(r"\n[ \t?:-]{48}")


def symlink() -> str:
    """Why a symbolic link is not read (a sentence, in the terminal's language)."""
    return _(
        "a symbolic link; reseau reads only regular files inside the repository "
        "(replace it with the file itself, or remove it)"
    )


_MIB = MAX_FILE_BYTES // (1024 * 1024)
SEALED_MARK = "# reseau: encrypted for the team (age)"  # crypto.layer.MARK
# How a sealed text is opened: set by ``crypto.layer`` when it is imported (the
# repository imports it), so the store itself knows nothing of keys.
_OPENERS: list[Callable[[str, str, Path | None], str]] = []


def on_sealed(opener: Callable[[str, str, Path | None], str]) -> None:
    """Register how sealed texts are opened: ``opener(text, display, path)``."""
    _OPENERS[:] = [opener]


def _reveal(text: str, display: str, path: Path | None) -> str:
    if not _OPENERS:
        reason = _("encrypted for the team; you hold no key for it")
        raise InvalidDocument(path=display, problems=[Problem(display, "-", reason)])
    return _OPENERS[0](text, display, path)


def parse(text: str, *, path: str) -> Any:
    """Parse YAML text; a syntax error becomes InvalidDocument naming the line.

    Anchors and aliases are refused before anything is built: reseau never writes
    them, and a few lines of nested aliases (a "billion laughs") expand to more nodes
    than any command could walk. Text over the size limit is refused unread."""
    if len(text) > MAX_FILE_BYTES:
        raise _too_large(path, len(text.encode("utf-8", "surrogateescape")))
    if text.startswith(SEALED_MARK):  # a version from git, sealed by the encryption layer
        text = _reveal(text, path, None)
    yaml, loader, _dumper = _yaml()
    try:
        if _suspect(text):
            _scan(text, path)
        return yaml.load(text, Loader=loader)  # noqa: S506 - Loader is a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("line {line}").format(line=mark.line + 1) if mark is not None else "-"
        what = getattr(exc, "problem", None) or _("not valid YAML")
        raise InvalidDocument(
            path=path,
            problems=[Problem(path, where, _("invalid YAML: {problem}").format(problem=what))],
        ) from None
    except RecursionError:
        problem = Problem(path, "-", _("invalid YAML: nested too deeply"))
        raise InvalidDocument(path=path, problems=[problem]) from None


def _suspect(text: str) -> bool:
    """Whether ``text`` could hold an anchor, an alias or deep nesting: only then is it
    scanned event by event first (reseau's own files never are)."""
    return (
        "&" in text
        or "*" in text
        or text.count("[") + text.count("{") > MAX_DEPTH
        or _DEEP_FIRST.match(text) is not None
        or _DEEP_LINE.search(text) is not None
    )


def _scan(text: str, path: str) -> None:
    """Refuse anchors, aliases and nesting deeper than MAX_DEPTH, from parser events."""
    yaml, loader, _dumper = _yaml()
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        message = None
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            message = _("YAML anchors and aliases (& and *) are not accepted; write the value out")
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                message = _("nested more than {depth} levels deep").format(depth=MAX_DEPTH)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if message is not None:
            mark = event.start_mark
            where = _("line {line}").format(line=mark.line + 1) if mark is not None else "-"
            raise InvalidDocument(path=path, problems=[Problem(path, where, message)])


def _too_large(path: str, size: int) -> UnsafeFile:
    return UnsafeFile(
        path=path,
        reason=_("{size} bytes is more than the {limit} MiB reseau reads in one file").format(
            size=size, limit=_MIB
        ),
    )


def read_bytes(path: Path, *, display: str) -> bytes:
    """The bytes of a regular file, never through a symbolic link, within the size limit.

    The file is opened with O_NOFOLLOW (a link swapped in between a check and the
    read is refused too) and O_NONBLOCK (a named pipe cannot stall the command)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafeFile(path=display, reason=symlink()) from None
        raise ReadFailed(path=display, reason=exc.strerror or str(exc)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFile(path=display, reason=_("not a regular file"))
        if info.st_size > MAX_FILE_BYTES:
            raise _too_large(display, info.st_size)
        chunks = []
        size = 0
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:  # grew while being read
            raise _too_large(display, size)
        return b"".join(chunks)
    except OSError as exc:
        raise ReadFailed(path=display, reason=exc.strerror or str(exc)) from None
    finally:
        os.close(fd)


def decode(data: bytes, *, display: str) -> str:
    """UTF-8 text, or InvalidDocument saying it is not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        problem = Problem(display, "-", _("not UTF-8 text"))
        raise InvalidDocument(path=display, problems=[problem]) from None


def read_text(path: Path, *, display: str) -> str:
    """The text of a data file, read as ``read_bytes`` does; a file sealed by the
    encryption layer is given in clear (see ``crypto.layer``)."""
    return text_of(read_bytes(path, display=display), path=path, display=display)


def text_of(data: bytes, *, path: Path, display: str) -> str:
    """The text of the bytes ``read_bytes`` read from ``path``, in clear."""
    text = decode(data, display=display)
    if text.startswith(SEALED_MARK):
        return _reveal(text, display, path.absolute())
    return text


def read_raw(path: Path, *, display: str) -> str:
    """The text of a file as it is on disk, sealed or not."""
    return decode(read_bytes(path, display=display), display=display)


def read_stream(stream: Any, *, display: str) -> str:
    """A form from a binary stream (stdin), bounded and decoded like a file."""
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(display, len(data))
    return decode(data, display=display)


def dump(doc: Any) -> str:
    """YAML text for a document, formatted the same way every time: PyYAML's, written
    without importing PyYAML when ``yamlout`` knows it writes exactly the same bytes."""
    from reseau_cli import yamlout

    text = yamlout.dump(doc)
    return text if text is not None else dump_by_pyyaml(doc)


def dump_by_pyyaml(doc: Any) -> str:
    """``dump`` through PyYAML's emitter (libyaml): the reference ``yamlout`` follows."""
    yaml, _loader, dumper = _yaml()
    text: str = yaml.dump(
        doc,
        Dumper=dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )
    return text


def line_of(text: str, location: tuple[Any, ...]) -> int | None:
    """1-based line of the node at ``location`` (keys and indexes) in YAML ``text``."""
    yaml, loader, _dumper = _yaml()
    try:
        node = yaml.compose(text, Loader=loader)
    except yaml.YAMLError:
        return None
    line = None
    for step in location:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            found = None
            for key, value in node.value:
                if key.value == step:
                    found = (key, value)
                    break
            if found is None:
                return line
            line = found[0].start_mark.line + 1
            node = found[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            if step >= len(node.value):
                return line
            node = node.value[step]
            line = node.start_mark.line + 1
        else:
            return line
    if node is not None and line is None:
        line = node.start_mark.line + 1
    return line


def write_atomic(
    path: Path,
    text: str | bytes,
    *,
    display: str | None = None,
    mode: int = 0o644,
    durable: bool = True,
) -> None:
    """Replace ``path`` with ``text`` atomically (same-folder temp file, fsync, rename).
    ``durable=False`` (derived caches, made again from the files when lost): no fsync;
    after a crash the file may be empty or unreadable, and the cache is made again."""
    payload = text.encode("utf-8") if isinstance(text, str) else text
    display = display or str(path)
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = _temporary(path)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
        tmp_name = None
        if durable:
            fsync_dir(path.parent)
    except OSError as exc:
        raise WriteFailed(path=display, reason=exc.strerror or str(exc)) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _temporary(path: Path) -> tuple[int, str]:
    """A new file beside ``path``, only the writer's (``O_EXCL``, mode 0600), named
    ``.NAME.RANDOM.PID.tmp`` (the writer's pid: see ``sweep_temporary``): what
    ``tempfile.mkstemp`` makes, without importing tempfile, shutil and random."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    flags |= getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(100):
        name = str(path.parent / f".{path.name}.{os.urandom(6).hex()}.{os.getpid()}.tmp")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path.parent))


def sweep_temporary(folder: Path) -> None:
    """Remove the temporary files of ``write_atomic`` that writers killed mid-write left
    in ``folder``: their names end with the writer's pid, and only those whose writer is
    gone are removed."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        name = entry.name
        if not (name.startswith(".") and name.endswith(".tmp")):
            continue
        pid = name[:-4].rpartition(".")[2]
        if pid.isdigit() and not _alive(int(pid)):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def locked(lock_path: Path, *, timeout: float = 10.0) -> Iterator[IO[str]]:
    """Hold an exclusive lock so two reseau processes never interleave their writes.

    The lock is an ``flock``: the system releases it when its owner dies, however it
    dies, so a lock is never stale. The file records the owner's pid for the message
    a waiting command gives. The open file is yielded: a git process that inherits it
    keeps the lock until it ends too."""
    import fcntl
    import time

    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise WriteFailed(path=lock_path.parent, reason=exc.strerror or str(exc)) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RepositoryBusy(_held_by(handle, lock_path)) from None
                time.sleep(0.05)
        with contextlib.suppress(OSError):
            os.ftruncate(handle.fileno(), 0)
            os.write(handle.fileno(), f"{os.getpid()}\n".encode())
        yield handle
    finally:
        handle.close()


def _held_by(handle: IO[str], lock_path: Path) -> str:
    """Who holds the lock, from the pid its owner recorded."""
    try:
        handle.seek(0)
        pid = int(handle.read().strip() or "0")
    except (OSError, ValueError):
        pid = 0
    alive = pid > 0
    if alive:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            alive = False
        except PermissionError:
            pass
    if alive:
        said = _(
            "another reseau command (process {pid}) is writing in this repository; "
            "try again (lock: {lock})"
        )
    elif pid:
        said = _(
            "a git command started by reseau process {pid}, which has ended, is finishing; "
            "try again (lock: {lock})"
        )
    else:
        said = _("another reseau command is writing in this repository; try again (lock: {lock})")
    return said.format(pid=pid, lock=lock_path)
