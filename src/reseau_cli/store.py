"""Reading and writing YAML files: safe, fast, stable, atomic.

Dates stay ISO strings (the schemas check them); keys keep a stable order; a write
goes to a temporary file in the same folder, is flushed and fsynced, then renamed
over the original, so a crash never leaves half a file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import yaml

from reseau_cli.errors import InvalidDocument, Problem, RepositoryBusy, WriteFailed

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps timestamps as the strings written in the file."""


def _timestamp_as_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
    return loader.construct_scalar(node)


Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


class Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Safe dumper: block style, multi-line text as literal blocks."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


Dumper.add_representer(str, _text)


def parse(text: str, *, path: str) -> Any:
    """Parse YAML text; a syntax error becomes InvalidDocument naming the line."""
    try:
        return yaml.load(text, Loader=Loader)  # noqa: S506 - Loader is a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "-"
        what = getattr(exc, "problem", None) or "not valid YAML"
        raise InvalidDocument(
            path=path, problems=[Problem(path, where, f"invalid YAML: {what}")]
        ) from None


def read_text(path: Path, *, display: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problem = Problem(display, "-", "not UTF-8 text")
        raise InvalidDocument(path=display, problems=[problem]) from None
    except OSError as exc:
        raise WriteFailed(path=display, reason=exc.strerror or str(exc)) from None


def dump(doc: Any) -> str:
    """YAML text for a document, formatted the same way every time."""
    return yaml.dump(
        doc,
        Dumper=Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )


def line_of(text: str, location: tuple[Any, ...]) -> int | None:
    """1-based line of the node at ``location`` (keys and indexes) in YAML ``text``."""
    try:
        node = yaml.compose(text, Loader=Loader)
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
    path: Path, text: str | bytes, *, display: str | None = None, mode: int = 0o644
) -> None:
    """Replace ``path`` with ``text`` atomically (same-folder temp file, fsync, rename)."""
    payload = text.encode("utf-8") if isinstance(text, str) else text
    display = display or str(path)
    tmp_name = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        suffix = f".{os.getpid()}.tmp"  # the writer's pid: see sweep_temporary
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            os.chmod(tmp_name, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp_name, mode)
        os.replace(tmp_name, path)
        tmp_name = None
        _fsync_dir(path.parent)
    except OSError as exc:
        raise WriteFailed(path=display, reason=exc.strerror or str(exc)) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


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


def _fsync_dir(folder: Path) -> None:
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
        who = f"another reseau command (process {pid}) is writing in this repository"
    elif pid:
        who = f"a git command started by reseau process {pid}, which has ended, is finishing"
    else:
        who = "another reseau command is writing in this repository"
    return f"{who}; try again (lock: {lock_path})"
