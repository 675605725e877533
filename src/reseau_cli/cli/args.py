"""Arguments shared by several command groups, so they read the same everywhere."""

from __future__ import annotations

from typing import Annotated

import typer

PersonArg = Annotated[
    str, typer.Argument(metavar="PERSON", help="Person id (see `reseau person list`).")
]
