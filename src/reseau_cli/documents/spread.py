"""`render all` over every core: runs of persons rendered by worker processes.

The workers are forked from the command once it has planned the batch and read the
history, so each starts with the documents, the history and the compiled templates
already in memory, and opens its own ``git cat-file``. Each run of jobs comes back as
the list of its errors, in order: the report is the one a single process makes, and
every document is written by ``write_file`` (a temporary file renamed), so it is
either whole or not there.

Ctrl-C (or SIGTERM) stops the workers: they ignore SIGINT, and the command, interrupted,
ends them with SIGTERM, which each turns into ``SystemExit``, so a file being written
has its temporary file removed on the way out.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from reseau_cli.documents.batch import Batch, Job

# The batch a worker renders, set before the workers are forked (they inherit it).
_WORK: tuple[Batch, list[list[Job]]] | None = None


def workers(requested: int | None, runs: int) -> int:
    """How many processes: ``requested``, else one per core this process may use; never
    more than there are runs, and one where processes cannot be forked."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if requested is None:
        affinity = getattr(os, "sched_getaffinity", None)
        requested = len(affinity(0)) if affinity is not None else os.cpu_count() or 1
    return max(1, min(requested, runs))


def parallel(batch: Batch, groups: list[list[Job]], count: int) -> Iterator[list[str | None]]:
    """Each group's outcomes (see ``batch.run_chunk``), in order, from ``count`` workers."""
    global _WORK
    _WORK = (batch, groups)
    sys.stdout.flush()  # nothing buffered before the fork is written twice
    sys.stderr.flush()
    pool = multiprocessing.get_context("fork").Pool(count, initializer=_start)
    try:
        yield from pool.imap(_run, range(len(groups)))
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        _WORK = None


def _start() -> None:
    from multiprocessing.util import Finalize

    from reseau_cli import vcs

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _quit)
    assert _WORK is not None
    renderer = _WORK[0].renderer
    renderer.blobs = vcs.Blobs(renderer.repo.root)
    Finalize(renderer.blobs, renderer.blobs.close, exitpriority=10)


def _quit(signum: int, frame: Any) -> None:
    raise SystemExit(1)


def _run(index: int) -> list[str | None]:
    from reseau_cli.documents.batch import run_chunk

    assert _WORK is not None
    batch, groups = _WORK
    return run_chunk(batch, groups[index])
