"""One normaliser for names, one slug function: every letter of every European name survives."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ok
from reseau_cli import text


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Søren Kierkegaard", "soren-kierkegaard"),
        ("Œuvre sociale", "oeuvre-sociale"),
        ("Straße", "strasse"),
        ("Łukasz Żółć", "lukasz-zolc"),
        ("Élise  Marchal", "elise-marchal"),
        ("Ærøskøbing", "aeroskobing"),
        ("Dmitrii", "dmitrii"),
        ("!!!", "x"),
    ],
)
def test_slugs_keep_every_letter(name: str, slug: str) -> None:
    assert text.slug(name) == slug


def test_slugs_fit_an_id() -> None:
    long = text.slug("Centre public d'action sociale de la commune de Schaerbeek")
    assert len(long) <= 40 and not long.endswith("-")


@pytest.mark.parametrize(
    ("a", "b"),
    [("Søren", "soren"), ("ÉLISE  marchal", "elise marchal"), ("Straße", "strasse")],
)
def test_names_compare_whatever_case_accents_and_spacing(a: str, b: str) -> None:
    assert text.same(a, b)


def test_names_sort_as_people_expect() -> None:
    names = ["Zoé", "Élise", "Søren", "elise", "Anne"]
    assert sorted(names, key=text.sort_key) == ["Anne", "elise", "Élise", "Søren", "Zoé"]


def test_a_directory_entry_from_a_nordic_name_keeps_its_letters(team: Path, marcel: str) -> None:
    assert ok("intervenant", "add", marcel, "--name", "Søren Ærø").stdout.strip() == "soren-aero"
    # and the same name, typed otherwise, finds that entry again for another person
    other = ok("person", "add", "--family-name", "Boukhari", "--given-name", "Inès").stdout
    again = ok("intervenant", "add", other.strip(), "--name", "SØREN  ærø")
    assert again.stdout.strip() == "soren-aero"
    assert not (team / "intervenants" / "soren-aero-2.yaml").exists()


def test_letters_without_decomposition_fold_as_the_transliteration_table_says() -> None:
    """fold's own table gives what text-unidecode gives, so that a name folds the same
    whichever way it is taken."""
    from text_unidecode import unidecode

    from reseau_cli.text import NO_DECOMPOSITION, fold

    for letter, latin in NO_DECOMPOSITION.items():
        assert unidecode(letter) == latin
        assert fold(f"A{letter}b") == f"a{latin}b".casefold()
    assert fold("Søren Ødegård") == "soren odegard"
    assert fold("Łukasz Œuvre Straße") == "lukasz oeuvre strasse"


def test_json_for_the_terminal_needs_no_second_pass() -> None:
    """What `--json` prints is already safe for a terminal: every character
    ``for_terminal`` would escape is escaped by JSON or by ``json_text``, so it is
    written as it is (escaped once, not twice)."""
    import json
    import random

    from reseau_cli.cli.output import json_text
    from reseau_cli.safety import for_terminal

    pool = [chr(c) for c in range(0x00, 0xA0)] + list(
        'é\u2028\u2029\u202a\u202e\u2066\u2069\udc80ø𝄞 \\"'
    )
    rng = random.Random(12)
    for _ in range(500):
        words = ["".join(rng.choice(pool) for _ in range(rng.randint(0, 8))) for _ in range(4)]
        value = {words[0]: [words[1], {words[2]: words[3], "n": 1.5, "b": None}]}
        text = json_text(value)
        assert for_terminal(text) == text
        assert json.loads(text) == value
