"""Wheel build hook: compile each message catalog (``reseau.po``) to the ``reseau.mo``
shipped beside it, so that an installed reseau reads compiled catalogs (git keeps only
the ``.po`` files; see scripts/catalogs.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogsHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        sys.path.insert(0, str(root / "src"))
        from reseau_cli.catalog import compile_text

        out = Path(self.directory) / "catalogs"
        for po in sorted((root / "src" / "reseau_cli" / "locale").glob("*/LC_MESSAGES/*.po")):
            relative = po.relative_to(root / "src").with_suffix(".mo")
            target = out / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(compile_text(po.read_text("utf-8"), str(po.relative_to(root))))
            build_data["force_include"][str(target)] = relative.as_posix()
