"""`render all` over every core: runs of persons rendered by worker processes.

The workers are forked from the command once it has planned the batch and read the
history, so each starts with the documents, the history and the compiled templates
already in memory, and opens its own ``git cat-file``. Each run of jobs comes back as
the list of its errors, in order: the report is the one a single process makes, and
every document is written by ``write_file`` (a temporary file renamed), so it is
either whole or not there.

Ctrl-C (or SIGTERM) stops the workers: they ignore SIGINT, and the command, interrupted,
ends them with SIGTERM. A worker waiting for work leaves at once; one at work leaves at
its next ``checkpoint`` (between two documents), so that no file is left half-made and no
temporary file behind.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any

# What the workers run, set before they are forked (they inherit it): the work of one
# item by its index, and what each worker does first.
_WORK: tuple[Callable[[int], Any], Callable[[], None]] | None = None
# In a worker: whether it is at work, and whether it was asked to stop meanwhile.
_busy = False
_stop = False


def workers(requested: int | None, runs: int) -> int:
    """How many processes: ``requested``, else one per core this process may use; never
    more than there are runs, and one where processes cannot be forked."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if requested is None:
        affinity = getattr(os, "sched_getaffinity", None)
        requested = len(affinity(0)) if affinity is not None else os.cpu_count() or 1
    return max(1, min(requested, runs))


def parallel(
    run: Callable[[int], Any], items: int, count: int, *, start: Callable[[], None]
) -> Iterator[Any]:
    """``run(0)``, ``run(1)``… ``run(items - 1)`` by ``count`` forked workers, each of
    which calls ``start()`` first; the results in order."""
    global _WORK
    _WORK = (run, start)
    sys.stdout.flush()  # nothing buffered before the fork is written twice
    sys.stderr.flush()
    pool = multiprocessing.get_context("fork").Pool(count, initializer=_start)
    try:
        yield from pool.imap(_run, range(items))
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        _WORK = None


def on_exit(close: Callable[[], None]) -> None:
    """Call ``close`` when this worker ends (a worker runs no ``atexit`` handler)."""
    from multiprocessing.util import Finalize

    Finalize(None, close, exitpriority=10)


def _start() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _quit)
    assert _WORK is not None
    _WORK[1]()


def checkpoint() -> None:
    """In a worker asked to stop: leave now (called between two documents)."""
    if _stop:
        raise SystemExit(1)


def _quit(signum: int, frame: Any) -> None:
    global _stop
    _stop = True
    if not _busy:
        raise SystemExit(1)


def _run(index: int) -> Any:
    global _busy
    assert _WORK is not None
    checkpoint()
    _busy = True
    try:
        return _WORK[0](index)
    finally:
        _busy = False
        checkpoint()
