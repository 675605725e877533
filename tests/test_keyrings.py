"""``crypto.keyrings``: which registered repository holds a path, and when a repository
is known clear without its keyring (no team file: the encryption layer not imported)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reseau_cli.crypto import keyrings


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[Path, object]:
    factories: dict[Path, object] = {}
    monkeypatch.setattr(keyrings, "_FACTORIES", factories)
    monkeypatch.setattr(keyrings, "_KEYRINGS", {})
    monkeypatch.setattr(keyrings, "_LAST", [])
    return factories


@pytest.mark.parametrize(
    "roots",
    [["/srv/team"], ["/srv/team", "/srv", "/srv/team/persons/x"], ["/srv/team", ".", "rel", "/"]],
)
def test_the_root_is_the_nearest_registered_parent(
    registry: dict[Path, object], roots: list[str]
) -> None:
    for root in roots:
        registry[Path(root)] = object()
    paths = [
        "/srv/team/.git/reseau-cache/files/ab/cd.marshal",
        "/srv/team",
        "/srv/team/persons/x",
        "/srv/team/persons/x/y.yaml",
        "/srv/other",
        "/srv",
        "/",
        "/etc/x",
        "rel/a",
        "rel",
        ".",
        "/srv/team2/a",
    ]
    for text in paths:
        path = Path(text)
        nearest = next((p for p in path.parents if p in registry), None)
        assert keyrings._root(path) == nearest, text


def test_clear_is_decided_by_the_team_file(registry: dict[Path, object], tmp_path: Path) -> None:
    registry[tmp_path] = object()
    inside = tmp_path / ".git" / "reseau-index.sqlite"
    assert keyrings.clear(inside)
    (tmp_path / "team").mkdir()
    (tmp_path / "team" / "recipients.yaml").write_text("encryption: false\nmembers: []\n")
    assert not keyrings.clear(inside)  # the layer decides
