"""The `reseau` command line: a thin layer over the core library, defined for Typer.

Each command group lives in its own module (declared through ``registry``, without
importing Typer). A plain invocation runs by the fast path (``fast``: a parser reading
the command table generated from the Typer application); `--help`, completion, usage
errors and anything unusual go to Typer (``root``, the root application, ``app`` here).
``guard`` holds what both paths do around a command (errors as one line, exit codes).
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from reseau_cli.cli.toplevel import COMMANDS, HIDDEN

__all__ = ["COMMANDS", "HIDDEN", "console", "main"]


def __getattr__(name: str) -> Any:
    """``app`` (the Typer application) and ``command_tree``, built when asked for;
    ``COMMANDS`` and ``HIDDEN`` (``toplevel``, which imports i18n) likewise."""
    if name in ("COMMANDS", "HIDDEN"):
        from reseau_cli.cli import toplevel

        return getattr(toplevel, name)
    if name in ("app", "command_tree"):
        from reseau_cli.cli import root

        return getattr(root, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point: a kept answer printed before anything else is imported
    (``lean``), else the fast path, else Typer. SIGTERM is raised like Ctrl-C, so that a
    terminated command too says what it left behind."""
    from reseau_cli import lean

    lean.serve(sys.argv[1:])
    import os

    if sys.stdout is None:  # started with standard output closed (`reseau … >&-`):
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - discarded, as by print

    from reseau_cli.cli import fast, guard
    from reseau_cli.errors import Terminated

    guard.ENTRY_POINT = True
    signal = guard.signals()
    install_interrupts(signal, Terminated)
    fast.main(sys.argv[1:], None)
    from reseau_cli.cli.root import app

    app()


def install_interrupts(signal: Any, terminated: type[BaseException]) -> Any:
    """Handle SIGINT as Ctrl-C (``KeyboardInterrupt``) and SIGTERM as ``terminated``,
    raised where the program is, so that an interrupted command says what it left
    behind; the handler, for tests."""
    pending: list[int] = []  # a signal put off (see ``interrupted``)
    replaced: dict[int, Any] = {}  # the timer signal's handler before ``later``

    def interrupted(signum: int, frame: Any) -> None:
        # Raised inside frozen standard-library code (the import machinery, a weakref
        # callback of its module locks, abc's subclass hooks run from C) or a ``__del__``,
        # the exception may be printed as "ignored" and lost: put off a few milliseconds,
        # by a timer (sending the signal again at once would run this handler again right
        # here, in the same place).
        if frame is not None and (
            frame.f_code.co_filename.startswith("<frozen ") or frame.f_code.co_name == "__del__"
        ):
            pending[:] = [signum]
            # the real-time timer, unless a render's time limit holds it (limits.py)
            timer, alarm = signal.ITIMER_REAL, signal.SIGALRM
            if signal.getitimer(timer)[0] > 0:
                timer, alarm = signal.ITIMER_VIRTUAL, signal.SIGVTALRM
            previous = signal.signal(alarm, later)
            if previous is not later:
                replaced[alarm] = previous
            signal.setitimer(timer, 0.002)
            return
        pending.clear()  # told now: a timer still to come finds nothing
        raise terminated() if signum == signal.SIGTERM else KeyboardInterrupt()

    def later(alarm: int, frame: Any) -> None:
        signal.signal(alarm, replaced.pop(alarm, signal.SIG_DFL))
        if pending:
            interrupted(pending.pop(), frame)  # (put off again while still there)

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    return interrupted


# Collections of the youngest generation: one per this many new objects (Python's 700
# makes a command's start-up, which only builds modules that live to the end, collect
# two dozen times for nothing to free: milliseconds of every write).
YOUNG_COLLECTED_EVERY = 20_000


def console() -> None:
    """The `reseau` program (console script, ``python -m reseau_cli``): ``main``, then,
    once its streams are flushed, the process ends without Python's finalization
    (freeing every object and module one by one: milliseconds that nothing needs, as
    every file was closed, fsynced or renamed by the command itself). It ends as
    ``main`` would whenever finalization could still do something: an exception, an
    exit status that is not a number, a handler registered with ``atexit``, threads
    (``threading`` imported), a replaced stream, or a stream that fails to flush."""
    import gc

    gc.set_threshold(YOUNG_COLLECTED_EVERY, 10, 10)
    try:
        main()
        code: object = None
    except SystemExit as exit:
        code = exit.code
    if code is not None and not isinstance(code, int):
        raise SystemExit(code)
    import atexit
    import os

    if (
        atexit._ncallbacks() == 0
        and "threading" not in sys.modules
        and sys.stdout is sys.__stdout__
        and sys.stderr is sys.__stderr__
    ):
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
        except BaseException:
            raise SystemExit(code) from None
        os._exit(code or 0)
    raise SystemExit(code)
