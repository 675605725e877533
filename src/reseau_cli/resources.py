"""Files shipped with the package: JSON Schemas and built-in templates.

In a wheel they live inside the package (``reseau_cli/schemas``); in a source checkout
(editable install) they are the top-level ``schemas/`` and ``templates/`` folders.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def data_dir(name: str) -> Path:
    """The folder holding the shipped ``name`` files (``schemas`` or ``templates``)."""
    here = Path(__file__).resolve().parent
    inside = here / name
    if inside.is_dir():
        return inside
    checkout = here.parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"reseau is installed without its {name}/ folder")
