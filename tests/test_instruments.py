"""Standardised instruments: AGGIR (GIR), the Belgian Katz scale, the team's own as data."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import git, invoke, ok, refused
from plan_helpers import load
from reseau_cli.model import aggir, katz

# -- AGGIR -----------------------------------------------------------------------------

A8 = dict.fromkeys(aggir.SCORED, "A")


def _profile(**letters: str) -> dict[str, str]:
    return {**A8, **{k.replace("_", "-"): v for k, v in letters.items()}}


# One profile per rank, each computed by hand from the tables of CASF annexe 2-2 (the
# first group whose score reaches a threshold places the person).
RANKS = [
    # all C: group A = 2000+1200+40+40+60+100+800+200 = 4440 >= 4380
    (dict.fromkeys(aggir.SCORED, "C"), 1, 1),
    # alimentation A, elimination B: group A = 4440 - 60 - 100 + 16 = 4296 >= 4140
    ({**dict.fromkeys(aggir.SCORED, "C"), "alimentation": "A", "elimination": "B"}, 2, 2),
    # group A = 2000+1200+40+40+800 = 4080 >= 3390
    (
        _profile(coherence="C", orientation="C", toilette="C", habillage="C", transferts="C"),
        3,
        2,
    ),
    # group A = 3200 < 3390; group B = 1500+1200 = 2700 >= 2016 (mind altered, mobile)
    (_profile(coherence="C", orientation="C"), 4, 2),
    # group B = 40+40+60+100+800-80 = 960; group C = 40+40+60+160+1000+400 = 1700
    (
        _profile(
            toilette="C",
            habillage="C",
            alimentation="C",
            elimination="C",
            transferts="C",
            deplacements_interieur="C",
        ),
        5,
        2,
    ),
    # group C = 160+1000+400 = 1560 >= 1432
    (_profile(elimination="C", transferts="C", deplacements_interieur="C"), 6, 2),
    # group C = 60+1000 = 1060; group D = 2000+2000 = 4000 >= 2400
    (_profile(alimentation="C", transferts="C"), 7, 2),
    # group B = 1500+100 = 1600 < 2016; group E = 400+800 = 1200
    (_profile(coherence="C", elimination="C"), 8, 3),
    # group E = 800 < 1200; group F = 500+500 = 1000 >= 800
    (_profile(toilette="C", habillage="C"), 9, 3),
    # group F = 300; group G = 200+200+200+100 = 700 >= 650
    (_profile(toilette="B", habillage="B", elimination="B", deplacements_interieur="B"), 10, 4),
    # group G = 600 < 650; group H = 2000*3 = 6000 >= 4000
    (_profile(toilette="B", habillage="B", transferts="B"), 11, 4),
    # group G = 200; group H = 2000
    (_profile(toilette="B"), 12, 5),
    # group F = 100 < 800; group H = 0
    (_profile(orientation="B"), 13, 6),
    (A8, 13, 6),
]


@pytest.mark.parametrize(("letters", "rank", "gir"), RANKS)
def test_aggir_ranks_and_gir(letters: dict[str, str], rank: int, gir: int) -> None:
    assert aggir.rank(letters)[0] == rank
    assert aggir.gir(letters) == gir
    assert aggir.score(letters) == {"label": f"GIR {gir}", "value": gir, "rank": rank}


def _worse(letter: str) -> str:
    return "B" if letter == "A" else "C"


def test_aggir_more_dependence_never_gives_a_better_gir_but_where_the_tables_say_so() -> None:
    """Exhaustive over the 3^8 profiles: one variable made worse never raises the GIR,
    except in the two places the published tables themselves do (group H weighs
    transferts B above C; group B subtracts for déplacements): pinned here."""
    exceptions: Counter[tuple[str, str]] = Counter()
    for combo in itertools.product(aggir.LETTERS, repeat=8):
        letters = dict(zip(aggir.SCORED, combo, strict=True))
        before = aggir.gir(letters)
        for name in aggir.SCORED:
            if letters[name] != "C":
                worse = {**letters, name: _worse(letters[name])}
                if aggir.gir(worse) > before:
                    exceptions[(name, letters[name])] += 1
    assert exceptions == {("transferts", "B"): 16, ("deplacements-interieur", "A"): 14}


def test_aggir_gir_covers_one_to_six_and_ignores_the_two_illustrative_variables() -> None:
    girs = {
        aggir.gir(dict(zip(aggir.SCORED, combo, strict=True)))
        for combo in itertools.product(aggir.LETTERS, repeat=8)
    }
    assert girs == {1, 2, 3, 4, 5, 6}
    for extra in ("A", "B", "C"):
        letters = {**_profile(toilette="B"), "deplacements-exterieur": extra, "alerter": extra}
        assert aggir.gir(letters) == 5


# -- Katz ------------------------------------------------------------------------------

ONES = dict.fromkeys(katz.ITEMS, 1)


def _katz(**scores: int) -> dict[str, int]:
    return {**ONES, **scores}


# The categories of article 150 (AR 3 July 1996), one case per clause.
KATZ_CASES = [
    (ONES, "O"),
    (_katz(washing=2, dressing=2, transfers=2), "O"),  # 2 is not dependent
    (_katz(washing=3), "A"),  # dependent for washing and/or dressing
    (_katz(dressing=4), "A"),
    (_katz(time=3, space=4), "A"),  # disoriented, fully independent physically
    (_katz(time=3, space=2), "O"),  # disoriented in time only
    (_katz(washing=3, dressing=3, transfers=3), "B"),
    (_katz(washing=4, dressing=3, toilet=4), "B"),
    (_katz(time=4, space=4, dressing=3), "B"),  # disoriented and washing and/or dressing
    (_katz(washing=3, dressing=3, transfers=3, toilet=3, eating=3), "C"),
    (_katz(washing=4, dressing=4, transfers=4, toilet=4, continence=4), "C"),
    (_katz(time=3, space=3, washing=3, dressing=3, continence=3, transfers=3), "Cd"),
    (_katz(time=4, space=4, washing=4, dressing=4, continence=4, eating=4), "Cd"),
    # disoriented and C by eating but continent: not Cd, C
    (_katz(time=3, space=3, washing=3, dressing=3, transfers=3, toilet=3, eating=3), "C"),
]


@pytest.mark.parametrize(("scores", "category"), KATZ_CASES)
def test_katz_categories(scores: dict[str, int], category: str) -> None:
    assert katz.category(scores) == category
    result = katz.score(scores)
    assert result["label"] == category
    assert result["value"] == katz.CATEGORIES.index(category)


def test_katz_a_higher_score_never_lowers_the_category_but_where_article_150_says_so() -> None:
    """Exhaustive over 4^8 profiles: one score raised never gives a lighter category,
    except "disoriented and entirely independent physically" (A) becoming O when an
    activity other than washing or dressing becomes dependent, as the text reads."""
    order = {c: i for i, c in enumerate(katz.CATEGORIES)}
    exceptions: Counter[tuple[str, str, str]] = Counter()
    for combo in itertools.product(katz.SCORES, repeat=8):
        scores = dict(zip(katz.ITEMS, combo, strict=True))
        before = katz.category(scores)
        for name in katz.ITEMS:
            if scores[name] < 4:
                after = katz.category({**scores, name: scores[name] + 1})
                if order[after] < order[before]:
                    exceptions[(name, before, after)] += 1
    assert set(exceptions) == {
        (name, "A", "O") for name in ("transfers", "toilet", "continence", "eating")
    }


# -- through the CLI -------------------------------------------------------------------

AGGIR_FLAGS = [
    "--instrument",
    "aggir",
    *("--item", "coherence=A", "--item", "orientation=A", "--item", "toilette=B"),
    *("--item", "habillage=B", "--item", "alimentation=A", "--item", "elimination=A"),
    *("--item", "transferts=B", "--item", "deplacements-interieur=A"),
]


def test_add_with_aggir_records_items_and_result(team: Path, marcel: str) -> None:
    eid = ok("evaluation", "add", marcel, "--date", "2026-10-12", *AGGIR_FLAGS).stdout.strip()
    [evaluation] = load(team, marcel)["evaluations"]
    [used] = evaluation["instruments"]
    assert evaluation["id"] == eid
    assert used["instrument"] == "aggir" and used["version"] == aggir.VERSION
    assert used["items"]["transferts"] == "B"
    assert used["result"] == {"label": "GIR 4", "value": 4, "rank": 11}
    swap = {"transferts=B": "transferts=A", "habillage=B": "habillage=A"}
    flags = [swap.get(f, f) for f in AGGIR_FLAGS]  # toilette B alone: group H = 2000
    ok("evaluation", "add", marcel, *flags)
    shown = json.loads(ok("evaluation", "show", marcel, "--json").stdout)
    assert shown["instruments"][0]["before"] == "GIR 4"
    assert shown["instruments"][0]["result"]["label"] == "GIR 5"
    assert "aggir: GIR 4 → GIR 5" in ok("evaluation", "show", marcel).stdout


def test_add_with_katz(team: Path, marcel: str) -> None:
    items = ["washing=3", "dressing=3", "transfers=3", "toilet=2", "continence=1"]
    items += ["eating=1", "time=1", "space=1"]
    ok(
        "evaluation",
        "add",
        marcel,
        "--instrument",
        "katz",
        *[a for i in items for a in ("--item", i)],
    )
    [used] = load(team, marcel)["evaluations"][0]["instruments"]
    assert used["items"]["washing"] == 3 and used["result"]["label"] == "B"


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (["--instrument", "barthel", "--item", "a=1"], "unknown instrument 'barthel'"),
        (["--instrument", "aggir", "--item", "coherence=D"], "invalid value 'D'"),
        (["--instrument", "aggir", "--item", "memory=A"], "aggir has no item 'memory'"),
        (["--instrument", "aggir", "--item", "coherence=A"], "missing item(s) orientation"),
        (["--instrument", "katz", "--item", "washing=5"], "invalid value '5'"),
        (["--item", "washing=3"], "--item needs --instrument"),
        (["--instrument", "katz"], "needs its --item"),
    ],
)
def test_bad_instrument_input(team: Path, marcel: str, args: list[str], match: str) -> None:
    refused(team, "evaluation", "add", marcel, *args, match=match)


def test_form_instruments_errors_name_their_line(team: Path, marcel: str, tmp_path: Path) -> None:
    form = tmp_path / "form.yaml"
    form.write_text(
        "date: 2026-11-20\ninstruments:\n  katz:\n    washing: 3\n    dressing: 3\n"
        "    transfers: 1\n    toilet: 1\n    continence: 1\n    eating: 1\n    time: 1\n"
    )
    result = refused(team, "evaluation", "add", marcel, "--file", str(form), match="line 3")
    assert "missing item(s) space" in result.stderr
    form.write_text("date: 2026-11-20\ninstruments:\n  katz:\n    washing: 7\n")
    refused(team, "evaluation", "add", marcel, "--file", str(form), match="line 4")
    form.write_text(
        "date: 2026-11-20\ninstruments:\n  katz: {washing: 3, dressing: 3, transfers: 1,"
        " toilet: 1, continence: 1, eating: 1, time: 1, space: 1}\n"
    )
    ok("evaluation", "add", marcel, "--file", str(form))
    assert load(team, marcel)["evaluations"][0]["instruments"][0]["result"]["label"] == "A"


# -- the team's own instruments --------------------------------------------------------

CAREGIVER = """\
format: 1
id: caregiver-load
title: Caregiver load (team check-list)
version: 2026-1
source: Réseau Santé Nord, internal
items:
  - {id: sleep, label: Sleep disturbed, values: [0, 1, 2]}
  - {id: own-time, label: Time for oneself, values: [0, 1, 2]}
  - {id: health, label: Own health, values: [0, 1, 2]}
scoring:
  sum:
    bands:
      - {min: 0, max: 2, label: light}
      - {min: 3, max: 4, label: moderate}
      - {min: 5, label: heavy}
"""

HOUSING = """\
format: 1
id: home-safety
title: Home safety (team table)
version: 1
items:
  - {id: stairs, values: [none, safe, unsafe]}
  - {id: alarm, values: [yes-worn, none]}
scoring:
  table:
    - {when: {stairs: unsafe, alarm: none}, result: at risk, value: 2}
    - {when: {stairs: [unsafe], alarm: yes-worn}, result: watch, value: 1}
    - {result: safe, value: 0}
"""


def _instrument(team: Path, name: str, text: str) -> None:
    folder = team / "instruments"
    folder.mkdir(exist_ok=True)
    (folder / f"{name}.yaml").write_text(text)
    git(team, "add", "instruments")
    git(team, "commit", "-qm", f"instrument {name}")


def test_team_instruments_sum_with_bands_and_table(team: Path, marcel: str) -> None:
    _instrument(team, "caregiver-load", CAREGIVER)
    _instrument(team, "home-safety", HOUSING)
    listed = json.loads(ok("evaluation", "instruments", "--json").stdout)
    assert [i["id"] for i in listed] == ["aggir", "katz", "caregiver-load", "home-safety"]
    assert listed[0]["builtin"] and listed[0]["source"] == aggir.SOURCE
    assert not listed[2]["builtin"] and listed[2]["version"] == "2026-1"
    table = ok("evaluation", "instruments").stdout
    assert "caregiver-load" in table and "team: Réseau Santé Nord, internal" in table
    items = ["--item", "sleep=2", "--item", "own-time=2", "--item", "health=1"]
    ok("evaluation", "add", marcel, "--instrument", "caregiver-load", *items)
    ok(
        "evaluation", "add", marcel, "--instrument", "home-safety",
        "--item", "stairs=unsafe", "--item", "alarm=none",
    )  # fmt: skip
    first, second = load(team, marcel)["evaluations"]
    assert first["instruments"][0]["result"] == {
        "label": "heavy (5)", "value": 5, "score": 5, "band": "heavy"
    }  # fmt: skip
    assert second["instruments"][0]["result"] == {"label": "at risk", "value": 2}
    refused(
        team, "evaluation", "add", marcel, "--instrument", "caregiver-load",
        "--item", "sleep=3", "--item", "own-time=0", "--item", "health=0",
        match="invalid value '3'",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "match"),
    [
        (CAREGIVER.replace("values: [0, 1, 2]}\n  - {id: own", "values: [0, x]}\n  - {id: own"),
         "line 7 ($.items[0].values): a sum needs whole numbers"),
        (CAREGIVER.replace("id: caregiver-load", "id: other"), "the id must be the file's name"),
        (CAREGIVER.replace("title: Caregiver load (team check-list)\n", ""), "'title'"),
        (HOUSING.replace("{when: {stairs: unsafe, alarm: none}", "{when: {floor: 1}"),
         "unknown item 'floor'"),
        (CAREGIVER.replace("  sum:\n", "  average:\n"), "$.scoring"),
    ],
)  # fmt: skip
def test_team_instrument_that_does_not_validate(
    team: Path, marcel: str, text: str, match: str
) -> None:
    name = "home-safety" if "home-safety" in text else "caregiver-load"
    _instrument(team, name, text)
    check = invoke("check")
    assert check.exit_code == 1 and f"instruments/{name}.yaml" in check.stdout
    assert match in check.stdout
    refused(
        team, "evaluation", "add", marcel, "--instrument", name, "--item", "sleep=1",
        match=f"instruments/{name}.yaml",
    )  # fmt: skip
    listed = ok("evaluation", "instruments", "--json")
    assert name not in [i["id"] for i in json.loads(listed.stdout)]
    assert "warning: instruments/" in listed.stderr


def test_a_team_instrument_cannot_take_a_built_in_name(team: Path) -> None:
    _instrument(team, "katz", CAREGIVER.replace("id: caregiver-load", "id: katz"))
    check = invoke("check")
    assert "is a built-in instrument" in check.stdout
