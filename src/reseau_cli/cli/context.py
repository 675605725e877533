"""The context object every command receives in ``ctx.obj``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from reseau_cli.repo import Repository


@dataclass
class AppContext:
    repo_path: Path | None = None
    _repo: Repository | None = field(default=None, repr=False)

    def repo(self, *, strict: bool = True) -> Repository:
        """The data repository, found on first use (so `init` and `--help` need none)."""
        if self._repo is None:
            from reseau_cli import vcs
            from reseau_cli.change import repair
            from reseau_cli.repo import Repository

            self._repo = Repository.open(self.repo_path, strict=strict)
            # A change a crash interrupted is finished or undone before anything is read.
            repair(self._repo.root)
            # A fresh clone: make git merge its data files with reseau (cheap when done).
            vcs.ensure_merge_driver(self._repo.root)
        return self._repo


def get(ctx: typer.Context) -> AppContext:
    obj: Any = ctx.find_root().obj
    if not isinstance(obj, AppContext):  # a command invoked without the root callback
        obj = AppContext()
        ctx.find_root().obj = obj
    return obj
