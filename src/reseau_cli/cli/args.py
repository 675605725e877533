"""Arguments shared by several command groups, so they read the same everywhere.

Positional arguments are shown in upper case (`PERSON`, `INTERVENANT`…), as in the
command contract; a command whose argument needs its own help text still uses the
metavar named here.

The argument types are built with Typer, so only when Typer reads the commands
(``aliases``, called by ``registry.resolvable``): a command module imports them for type
checking alone, and its string annotations name them.
"""

from __future__ import annotations

from functools import cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

PERSON = "PERSON"
INTERVENANT = "INTERVENANT"
CONCERTATION = "CONCERTATION"
OBJECTIVE = "OBJECTIVE"
ACTION = "ACTION"
TEXT = "TEXT"


@cache
def aliases() -> dict[str, Any]:
    """The shared argument types, by name, as Typer reads them."""
    from typing import Annotated

    import typer

    from reseau_cli.cli import complete

    return {
        "PersonArg": Annotated[
            str,
            typer.Argument(
                metavar=PERSON,
                help="Person id (see `reseau person list`).",
                autocompletion=complete.persons,
            ),
        ],
        "IntervenantArg": Annotated[
            str,
            typer.Argument(
                metavar=INTERVENANT,
                help="Intervenant id (see `reseau intervenant list`).",
                autocompletion=complete.intervenants,
            ),
        ],
        "MemberArg": Annotated[
            str,
            typer.Argument(
                metavar=INTERVENANT,
                help="A current member of the person's network (an intervenant id).",
                autocompletion=complete.intervenants,
            ),
        ],
        "ConcertationArg": Annotated[
            str,
            typer.Argument(
                metavar=CONCERTATION,
                help="Concertation id (see `reseau concertation list PERSON`).",
                autocompletion=complete.concertations,
            ),
        ],
        "ObjectiveArg": Annotated[
            str,
            typer.Argument(
                metavar=OBJECTIVE,
                help="Objective id (see `reseau plan show PERSON`).",
                autocompletion=complete.objectives,
            ),
        ],
        "ActionArg": Annotated[
            str,
            typer.Argument(
                metavar=ACTION,
                help="Action id (see `reseau plan show PERSON`).",
                autocompletion=complete.actions,
            ),
        ],
    }


if TYPE_CHECKING:
    PersonArg = str
    IntervenantArg = str
    MemberArg = str
    ConcertationArg = str
    ObjectiveArg = str
    ActionArg = str
