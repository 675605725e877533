"""The context object every command receives in ``ctx.obj``."""

from __future__ import annotations

from pathlib import Path

from reseau_cli.records import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import typer

    from reseau_cli.repo import Repository


@record
class AppContext:
    repo_path: Path | None = None
    _repo: Repository | None = field(default=None, repr=False)

    def repo(self, *, strict: bool = True) -> Repository:
        """The data repository, found on first use (so `init` and `--help` need none)."""
        if self._repo is None:
            from reseau_cli.operations.repository import open_repository

            self._repo = open_repository(self.repo_path, strict=strict)
        return self._repo


def get(ctx: typer.Context) -> AppContext:
    obj: Any = ctx.find_root().obj
    if not isinstance(obj, AppContext):  # a command invoked without the root callback
        obj = AppContext()
        ctx.find_root().obj = obj
    return obj
