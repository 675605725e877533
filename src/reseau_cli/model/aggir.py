"""AGGIR: the French national grid of loss of autonomy, scored to a GIR (1 to 6).

Source: Code de l'action sociale et des familles, annexe 2-1 (the grid and its guide,
décret n° 2008-821 du 21 août 2008) and annexe 2-2 (the "mode opératoire de calcul",
first published by décret n° 97-427 du 28 avril 1997). The eight discriminant
variables that enter the computation are each coded A, B or C; the two others
(déplacements à l'extérieur, alerter) are recorded but do not change the GIR.

UNCERTAINTY. The official text of annexe 2-2 could not be read while writing this
module; the coefficient tables and rank thresholds below were cross-checked across
three independent published transcriptions of the algorithm (a Python/JavaScript
form, lwh-21.github.io/Pampa 2021; a C++ header, M. Nogatchewsky 2018; a Python
calculator based on F. Brouard's SQL implementation). All three agree except:
- group D, coefficients for B: (…, alimentation 200, …, déplacements 0) in two of
  them, (alimentation 0, déplacements 200) in the third: the majority is used;
- group F: two agree on C = 200/200/500×5/200 and B = 100×7/0; the third is shifted
  by one column (a visible typo): the majority is used;
- group H: rank 11 from 4000 included (two of three; the third uses > 4000).
Those three cells should be checked against the Journal officiel before relying on a
GIR near them. The algorithm as transcribed is not monotone in two places, which the
tests pin (a worse transferts B→C, or déplacements A→B, can give a higher GIR): both
are properties of the published tables (group H weighs transferts B more than C;
group B has negative coefficients for déplacements), not of this code.

The sub-variables of the 2008 guide (toilette haut/bas, habillage haut/moyen/bas, …)
are combined into the variable's letter by the evaluator, as the guide instructs;
this module takes the ten variables' letters.
"""

from __future__ import annotations

from reseau_cli.errors import InvalidInput
from reseau_cli.i18n import _

VERSION = "CASF annexe 2-2 (décret 97-427; guide: décret 2008-821)"
SOURCE = "Code de l'action sociale et des familles, annexes 2-1 and 2-2 (France)"

# The ten discriminant variables, in the grid's order; the first eight are scored.
VARIABLES = (
    "coherence",
    "orientation",
    "toilette",
    "habillage",
    "alimentation",
    "elimination",
    "transferts",
    "deplacements-interieur",
    "deplacements-exterieur",
    "alerter",
)
SCORED = VARIABLES[:8]
LETTERS = ("A", "B", "C")

# Per group: (coefficients for C, coefficients for B) over SCORED, and the rank
# thresholds (minimum score, rank), highest first. A scores 0 everywhere.
GROUPS: tuple[tuple[str, tuple[int, ...], tuple[int, ...], tuple[tuple[int, int], ...]], ...] = (
    ("A", (2000, 1200, 40, 40, 60, 100, 800, 200), (0, 0, 16, 16, 20, 16, 120, 32),
     ((4380, 1), (4140, 2), (3390, 3))),
    ("B", (1500, 1200, 40, 40, 60, 100, 800, -80), (320, 120, 16, 16, 0, 16, 120, -40),
     ((2016, 4),)),
    ("C", (0, 0, 40, 40, 60, 160, 1000, 400), (0, 0, 16, 16, 20, 20, 200, 40),
     ((1700, 5), (1432, 6))),
    ("D", (0, 0, 0, 0, 2000, 400, 2000, 200), (0, 0, 0, 0, 200, 200, 200, 0),
     ((2400, 7),)),
    ("E", (400, 400, 400, 400, 400, 800, 800, 200), (0, 0, 100, 100, 100, 100, 100, 0),
     ((1200, 8),)),
    ("F", (200, 200, 500, 500, 500, 500, 500, 200), (100, 100, 100, 100, 100, 100, 100, 0),
     ((800, 9),)),
    ("G", (150, 150, 300, 300, 500, 500, 400, 200), (0, 0, 200, 200, 200, 200, 200, 100),
     ((650, 10),)),
    ("H", (0, 0, 3000, 3000, 3000, 3000, 1000, 1000), (0, 0, 2000, 2000, 2000, 2000, 2000, 1000),
     ((4000, 11), (2000, 12), (0, 13))),
)  # fmt: skip
# Rank (1 to 13) to GIR.
GIR_OF_RANK = {1: 1, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2, 8: 3, 9: 3, 10: 4, 11: 4, 12: 5, 13: 6}


def group_score(letters: dict[str, str], c_row: tuple[int, ...], b_row: tuple[int, ...]) -> int:
    total = 0
    for i, name in enumerate(SCORED):
        letter = letters[name]
        total += c_row[i] if letter == "C" else b_row[i] if letter == "B" else 0
    return total


def rank(letters: dict[str, str]) -> tuple[int, str, int]:
    """(rank 1..13, the group that placed it, that group's score)."""
    for name, c_row, b_row, thresholds in GROUPS:
        score = group_score(letters, c_row, b_row)
        for minimum, found in thresholds:
            if score >= minimum:
                return found, name, score
    raise AssertionError("group H always places")  # its last threshold is 0


def gir(letters: dict[str, str]) -> int:
    """The GIR (1: most dependent, 6: autonomous) of the eight scored variables."""
    for name in SCORED:
        if letters.get(name) not in LETTERS:
            raise InvalidInput(_("aggir: {item} must be A, B or C").format(item=name))
    return GIR_OF_RANK[rank(letters)[0]]


def score(items: dict[str, str]) -> dict[str, object]:
    """The instrument's result: label, value (the GIR, for charts) and rank."""
    found, _, _ = rank(items)
    value = GIR_OF_RANK[found]
    return {"label": f"GIR {value}", "value": value, "rank": found}
