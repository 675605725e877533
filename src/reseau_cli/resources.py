"""Files shipped with the package: JSON Schemas, built-in templates, example schemes.

In a wheel they live inside the package (``reseau_cli/schemas``); in a source checkout
(editable install) they are the top-level ``schemas/`` and ``templates/`` folders.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

# Where a source checkout keeps a shipped folder, when not at the top under its own name.
_CHECKOUT = {"schemes": "examples/schemes"}


@cache
def data_dir(name: str) -> Path:
    """The folder holding the shipped ``name`` files (``schemas``, ``templates``, ``schemes``)."""
    here = Path(__file__).resolve().parent
    inside = here / name
    if inside.is_dir():
        return inside
    checkout = here.parent.parent / _CHECKOUT.get(name, name)
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"reseau is installed without its {name}/ folder")
