"""The Belgian Katz scale (échelle de Katz, INAMI/RIZIV) and its dependency categories.

Source: arrêté royal du 3 juillet 1996 portant exécution de la loi relative à
l'assurance obligatoire soins de santé et indemnités, article 150 (categories O, A, B,
C and Cd), with the INAMI evaluation scale (six activities of daily living scored 1 to
4, and orientation in time and in space scored 1 to 4). As in INAMI's forms,
"dependent" for an activity means a score of 3 or 4; "disoriented in time and space"
is read here as a score of 3 or 4 for both time and space.

UNCERTAINTY. Two readings of category Cd circulate: the French text of article 150
(disoriented, dependent for washing and dressing and for incontinence, and for
transfers and/or going to the toilet and/or eating), used here, and a Dutch summary
omitting incontinence. Category D (a specialist's diagnosis of dementia) is not a
result of the scores and is not computed. No questionnaire text is shipped: the items
are named only.
"""

from __future__ import annotations

from reseau_cli.errors import InvalidInput
from reseau_cli.i18n import _

VERSION = "AR 3-7-1996 art. 150 (categories O, A, B, C, Cd)"
SOURCE = "INAMI/RIZIV, échelle d'évaluation (Katz), arrêté royal du 3 juillet 1996, art. 150"

ACTIVITIES = ("washing", "dressing", "transfers", "toilet", "continence", "eating")
ORIENTATION = ("time", "space")
ITEMS = ACTIVITIES + ORIENTATION
SCORES = (1, 2, 3, 4)
CATEGORIES = ("O", "A", "B", "C", "Cd")


def dependent(value: int) -> bool:
    return value >= 3


def category(items: dict[str, int]) -> str:
    """O, A, B, C or Cd from the eight scores (1 to 4)."""
    for name in ITEMS:
        if items.get(name) not in SCORES:
            raise InvalidInput(_("katz: {item} must be 1, 2, 3 or 4").format(item=name))
    dep = {name: dependent(items[name]) for name in ACTIVITIES}
    disoriented = dependent(items["time"]) and dependent(items["space"])
    wash_and_dress = dep["washing"] and dep["dressing"]
    wash_or_dress = dep["washing"] or dep["dressing"]
    if (
        disoriented
        and wash_and_dress
        and dep["continence"]
        and (dep["transfers"] or dep["toilet"] or dep["eating"])
    ):
        return "Cd"
    if (
        wash_and_dress
        and dep["transfers"]
        and dep["toilet"]
        and (dep["continence"] or dep["eating"])
    ):
        return "C"
    if wash_and_dress and (dep["transfers"] or dep["toilet"]):
        return "B"
    if disoriented and wash_or_dress:
        return "B"
    if wash_or_dress:
        return "A"
    if disoriented and not any(dep.values()):
        return "A"
    return "O"


def score(items: dict[str, int]) -> dict[str, object]:
    """The instrument's result: the category, and its place O=0 … Cd=4 for charts."""
    found = category(items)
    return {
        "label": found,
        "value": CATEGORIES.index(found),
        "score": sum(items[name] for name in ACTIVITIES),
    }
