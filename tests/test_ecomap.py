"""`reseau render ecomap`: the network drawn around the person by Graphviz.

The SVG is parsed as XML: each member is one node (a ``<g>`` with the classes reseau
gives it), the coordinator and the lead are marked, the legend names every kind.
"""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from conftest import git, invoke, ok, refused
from example_repo import example_team
from network_cases import edit_person

pytestmark = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz is not installed")

SVG = ""  # parse() drops the namespace: inline SVG in HTML has none
MARCEL = "p-m4rc3l"
# Marcel's network on 2026-11-28 (examples/team): Sophie Leroy left on 2026-10-30.
CURRENT = {
    "Élise Marchal",
    "Dr Anne Lambert",
    "Karim Ouali",
    "Luc Janssens",
    "Julie Peeters",
    "Aide familiale Nord",
    "Repas à domicile",
    "Rosa Martinez",
}


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return example_team(tmp_path / "team", monkeypatch)


def parse(svg: bytes | str) -> ET.Element:
    root = ET.fromstring(svg if isinstance(svg, bytes) else svg.encode("utf-8"))
    for element in root.iter():
        element.tag = element.tag.rpartition("}")[2]
    return root


def nodes(root: ET.Element, cls: str) -> list[ET.Element]:
    return [
        g
        for g in root.iter(f"{SVG}g")
        if "node" in (g.get("class") or "").split() and cls in (g.get("class") or "").split()
    ]


def lines(node: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in node.iter(f"{SVG}text")]


def test_every_current_member_once_coordinator_and_lead_marked_legend(example: Path) -> None:
    result = ok("render", "ecomap", MARCEL)
    assert result.stderr == ""
    root = parse(result.stdout_bytes)
    members = nodes(root, "member")
    names = [lines(m)[0] for m in members]
    assert sorted(names) == sorted(CURRENT)  # each once, nobody else (Sophie has left)
    (person,) = nodes(root, "person")
    assert lines(person) == ["Marcel Janssens"]
    (coordinator,) = nodes(root, "coordinator")
    assert lines(coordinator)[0] == "Karim Ouali"
    assert "★ coordination" in lines(coordinator)
    assert len(coordinator.findall(f"{SVG}path") + coordinator.findall(f"{SVG}polygon")) >= 2
    (lead,) = nodes(root, "lead")
    assert lines(lead)[0] == "Élise Marchal"
    kinds = {lines(m)[0]: m.get("class", "").split() for m in members}
    assert "kind-service" in kinds["Repas à domicile"]
    assert "kind-carer" in kinds["Luc Janssens"]
    assert "kind-volunteer" in kinds["Rosa Martinez"]
    legend = [" ".join(lines(g)) for g in nodes(root, "legend")]
    for word in ("Légende", "Professionnels", "Services", "Famille et proches aidants"):
        assert word in legend
    assert "Bénévoles" in legend and "★ coordination" in legend


def test_history_shows_who_left_faded(example: Path) -> None:
    root = parse(ok("render", "ecomap", MARCEL, "--history").stdout_bytes)
    (left,) = nodes(root, "left")
    assert lines(left)[0] == "Sophie Leroy"
    assert "a quitté le réseau le 30 oct. 2026" in lines(left)
    assert "stroke-dasharray" in ET.tostring(left, encoding="unicode")
    assert len(nodes(root, "current")) == len(CURRENT)
    assert any("a quitté le réseau" in lines(g) for g in nodes(root, "legend"))


def test_date_draws_the_network_of_that_day(example: Path) -> None:
    # On 15 October: Sophie still there, Julie not yet, nobody coordinating yet.
    root = parse(ok("render", "ecomap", MARCEL, "--date", "2026-10-15").stdout_bytes)
    names = {lines(m)[0] for m in nodes(root, "member")}
    assert names == {"Sophie Leroy", "Élise Marchal", "Dr Anne Lambert", "Karim Ouali"} | {
        "Luc Janssens"
    }
    assert nodes(root, "coordinator") == []
    assert [lines(g)[0] for g in nodes(root, "lead")] == ["Élise Marchal"]


def test_missing_directory_entry_is_drawn_unknown_and_reported(example: Path) -> None:
    (example / "intervenants" / "julie-peeters.yaml").unlink()
    git(example, "commit", "-qam", "julie-peeters: gone from the directory")
    result = ok("render", "ecomap", MARCEL)
    assert result.stderr.strip() == (
        "warning: julie-peeters is not in the directory: drawn as unknown"
    )
    root = parse(result.stdout_bytes)
    (unknown,) = nodes(root, "unknown")
    assert lines(unknown) == ["inconnu (absent de l’annuaire)", "kinésithérapeute"]
    assert "Julie Peeters" not in result.stdout


def test_labels_are_escaped(team: Path, marcel: str) -> None:
    tricky = 'Zoé <b>"&amp;</b> \\N \\l {x|y}'
    ok("intervenant", "add", marcel, "--name", tricky, "--role", "<i>rôle</i> & co")
    result = ok("render", "ecomap", marcel, "--lang", "en")
    root = parse(result.stdout_bytes)  # well-formed XML
    (member,) = nodes(root, "member")
    assert lines(member) == [tricky, "<i>rôle</i> & co"]
    assert "<b>" not in result.stdout


def test_png_and_html(example: Path, tmp_path: Path) -> None:
    ok("render", "ecomap", MARCEL, "--format", "png", "-o", str(tmp_path / "e.png"))
    assert (tmp_path / "e.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    ok("render", "ecomap", MARCEL, "-f", "html", "-o", str(tmp_path / "e.html"), "--lang", "en")
    page = (tmp_path / "e.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<?xml" not in page
    assert "http" not in page  # inline: no namespace address, nothing fetched
    assert "<title>Ecomap — Marcel Janssens" in page
    svg = re.search(r"<svg.*?</svg>", page, flags=re.S)
    assert svg is not None
    root = parse(svg.group())
    assert sorted(lines(m)[0] for m in nodes(root, "member")) == sorted(CURRENT)
    assert "Legend" in [" ".join(lines(g)) for g in nodes(root, "legend")]


def test_refusals(example: Path, tmp_path: Path) -> None:
    refused(example, "render", "ecomap", MARCEL, "--format", "pdf", match="use svg, png or html")
    refused(example, "render", "ecomap", MARCEL, "--date", "2026-02-30", match="--date")
    refused(example, "render", "ecomap", "p-nobody", match="unknown person")
    out = example / "persons" / "x.svg"
    refused(example, "render", "ecomap", MARCEL, "-o", str(out), match="refusing to write")


def test_without_graphviz_one_clear_line(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bare = tmp_path / "bin"
    bare.mkdir()
    git_path = shutil.which("git")
    assert git_path is not None
    os.symlink(git_path, bare / "git")
    monkeypatch.setenv("PATH", str(bare))
    refused(example, "render", "ecomap", MARCEL, match="Graphviz is not installed")


def _box(node: ET.Element) -> tuple[float, float, float, float]:
    xs: list[float] = []
    ys: list[float] = []
    for shape in node:
        if shape.tag == f"{SVG}ellipse":
            cx, cy, rx, ry = (float(shape.get(k, "0")) for k in ("cx", "cy", "rx", "ry"))
            xs += [cx - rx, cx + rx]
            ys += [cy - ry, cy + ry]
        elif shape.tag in (f"{SVG}polygon", f"{SVG}path"):
            found = re.findall(
                r"-?\d+(?:\.\d+)?,-?\d+(?:\.\d+)?", shape.get("points") or shape.get("d") or ""
            )
            for pair in found:
                x, y = pair.split(",")
                xs.append(float(x))
                ys.append(float(y))
    return min(xs), min(ys), max(xs), max(ys)


def test_thirty_members_never_overlap() -> None:
    from reseau_cli.documents.ecomap import draw
    from reseau_cli.model.ecomap import KINDS, build

    directory: dict[str, Any] = {}
    network = []
    for n in range(30):
        ident = f"m{n:02d}"
        directory[ident] = {"name": f"Prénom Nom-Composé Numéro {n}", "kind": KINDS[n % 4]}
        network.append({"intervenant": ident, "role": "un rôle un peu long", "since": "2026-01-01"})
    doc = {
        "id": "p-x",
        "identity": {"given_name": "Jeanne", "family_name": "Dupont"},
        "network": network,
        "coordination": {"coordinator": "m00", "concertation_lead": "m01"},
    }
    ecomap = build(doc, directory, on="2026-11-28")
    root = parse(draw(ecomap, lang="fr", date_text=str).svg)
    boxes = [_box(g) for g in nodes(root, "member") + nodes(root, "person")]
    assert len(boxes) == 31
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (a, b)


def test_no_network_yet_draws_the_person_alone(team: Path, marcel: str) -> None:
    root = parse(ok("render", "ecomap", marcel).stdout_bytes)
    assert nodes(root, "member") == []
    assert [lines(g) for g in nodes(root, "person")] == [["Marcel Janssens"]]


def test_a_member_removed_by_hand_from_the_file_is_not_drawn(example: Path) -> None:
    def drop_rosa(doc: dict[str, Any]) -> None:
        doc["network"] = [m for m in doc["network"] if m["intervenant"] != "rosa-martinez"]

    edit_person(example, MARCEL, drop_rosa)
    root = parse(ok("render", "ecomap", MARCEL).stdout_bytes)
    assert sorted(lines(m)[0] for m in nodes(root, "member")) == sorted(CURRENT - {"Rosa Martinez"})
    result = invoke("render", "ecomap", MARCEL, "--history")
    assert result.exit_code == 0
    assert "Rosa Martinez" not in result.stdout


def test_many_ecomaps_drawn_together_are_each_drawn_alone() -> None:
    """`render all` draws many ecomaps per Graphviz process: the same bytes as one each."""
    from reseau_cli.documents.ecomap import draw, draw_many
    from reseau_cli.model.ecomap import KINDS, build

    ecomaps = []
    for size in (0, 1, 5, 12):
        directory: dict[str, Any] = {}
        network = []
        for n in range(size):
            ident = f"m{n:02d}"
            if n != 3:  # m03 is not in the directory: drawn as unknown
                directory[ident] = {"name": f"Intervenant <{n}> & co", "kind": KINDS[n % 4]}
            member = {"intervenant": ident, "role": "rôle", "since": "2026-01-01"}
            if n == 4:
                member["until"] = "2026-06-30"
            network.append(member)
        doc = {
            "id": "p-x",
            "identity": {"given_name": "Jeanne", "family_name": f"Dupont {size}"},
            "network": network,
            "coordination": {"coordinator": "m00", "concertation_lead": "m01"} if size > 1 else {},
        }
        ecomaps.append(build(doc, directory, on="2026-11-28"))
    together = draw_many(ecomaps, lang="nl", date_text=str)
    assert together == [draw(e, lang="nl", date_text=str) for e in ecomaps]
    assert draw_many([], lang="fr", date_text=str) == []
