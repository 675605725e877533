"""Drawing an ecomap with Graphviz: the person in the centre, the network around them.

The layout is Graphviz's: ``twopi`` places the members on rings around the person
(grouped by kind, since they come in that order) and removes overlaps; ``dot`` lays out
the legend in a column. Both layouts are then drawn as one picture by ``neato -n2``
(positions kept as computed), so SVG and PNG come out of the same drawing. Every text
goes into an HTML-like label, escaped: nothing a name holds is read by Graphviz as
markup or as an escape sequence.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

from reseau_cli.errors import InvalidInput, ReseauError
from reseau_cli.i18n import _
from reseau_cli.model.ecomap import KINDS, Ecomap, Tie

FORMATS = ("svg", "png", "html")
FONT = "DejaVu Sans,Arial,Helvetica,sans-serif"

# Shapes differ by kind, so the ecomap reads in black and white; fills are light and
# told apart by people with the common colour blindnesses.
STYLE = {
    "professional": {"shape": "box", "fillcolor": "#d6e6f5"},
    "service": {"shape": "box3d", "fillcolor": "#dcefd6"},
    "carer": {"shape": "ellipse", "fillcolor": "#fde3c8"},
    "volunteer": {"shape": "hexagon", "fillcolor": "#eadcf4"},
}


class GraphvizMissing(ReseauError):
    """Graphviz's programs are not installed."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Graphviz is not installed (its `dot` program draws the ecomap): install it "
                "with `apt-get install graphviz` (or your system's graphviz package)"
            )
        )


class DrawingFailed(ReseauError):
    """Graphviz refused what it was given (a bug of reseau's, or a broken install)."""

    def __init__(self, detail: str) -> None:
        first = next((line for line in detail.splitlines() if line.strip()), _("no message"))
        super().__init__(
            _("Graphviz could not draw the picture: {reason}").format(reason=first.strip())
        )


def _pipe(graph: Any, fmt: str, **options: Any) -> bytes:
    """Graphviz's output for ``graph``; its absence or failure as one clear error."""
    import graphviz

    try:
        out: bytes = graph.pipe(format=fmt, quiet=True, **options)
    except graphviz.ExecutableNotFound as exc:
        raise GraphvizMissing() from exc
    except graphviz.CalledProcessError as exc:
        raise DrawingFailed(exc.stderr.decode("utf-8", "replace") if exc.stderr else "") from exc
    return out


@dataclass(frozen=True)
class Drawing:
    svg: str  # the SVG document, without XML prolog: ready to inline in HTML
    png: bytes | None


def words(lang: str) -> dict[str, str]:
    """The ecomap's words in the document's language (the message catalogs)."""
    from reseau_cli.i18n import gettext_in

    return {
        "professional": gettext_in(lang, "Professionals"),
        "service": gettext_in(lang, "Services"),
        "carer": gettext_in(lang, "Family and carers"),
        "volunteer": gettext_in(lang, "Volunteers"),
        "coordinator": "★ " + gettext_in(lang, "coordinator"),
        "lead": "◆ " + gettext_in(lang, "concertation lead"),
        "left": gettext_in(lang, "left the network on {date}"),
        "left_legend": gettext_in(lang, "left the network"),
        "unknown": gettext_in(lang, "unknown (not in the directory)"),
        "legend": gettext_in(lang, "Legend"),
    }


def _esc(value: str) -> str:
    # Graphviz's HTML-like labels are XML: escape it, and keep characters XML refuses out.
    cleaned = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]", "\ufffd", value)
    # A backslash doubled: Graphviz reads \N, \G, \L… (even written as entities) as its
    # own escapes, and \\ as one backslash.
    return html.escape(cleaned, quote=True).replace("\\", "\\\\")


def _label(lines: list[tuple[str, str]]) -> str:
    """An HTML-like label: each line (text, style) escaped; style b, i or plain."""
    parts = []
    for text, style in lines:
        escaped = _esc(text)
        parts.append(f"<{style.upper()}>{escaped}</{style.upper()}>" if style else escaped)
    return "<" + "<BR/>".join(parts) + ">"


def _tie_label(tie: Tie, w: dict[str, str], date_text: Any) -> str:
    lines: list[tuple[str, str]] = [(tie.name if tie.name is not None else w["unknown"], "b")]
    if tie.role:
        lines.append((tie.role, "i"))
    if tie.coordinator:
        lines.append((w["coordinator"], "b"))
    if tie.lead:
        lines.append((w["lead"], "b"))
    if not tie.current and tie.until:
        lines.append((w["left"].format(date=date_text(tie.until)), ""))
    return _label(lines)


def _node_attrs(kind: str, *, current: bool, coordinator: bool, missing: bool) -> dict[str, str]:
    attrs = {**STYLE[kind], "style": "filled", "fontname": FONT, "fontsize": "11"}
    if kind == "professional":
        attrs["style"] = "rounded,filled"
    if coordinator:
        attrs.update(peripheries="2", penwidth="2.5")
    if not current:
        attrs.update(style=attrs["style"] + ",dashed", fillcolor="#f4f4f4")
        attrs.update(color="#8a8a8a", fontcolor="#6a6a6a")
    if missing:
        attrs.update(style=attrs["style"].replace("filled", "filled,dashed"), fillcolor="#ffffff")
    return attrs


def _main_graph(ecomap: Ecomap, w: dict[str, str], date_text: Any) -> Any:
    import graphviz

    g = graphviz.Graph("ecomap", engine="twopi")
    # Each ring is wide enough for its labels: twopi then only nudges nodes apart.
    ranksep = max(1.6, 0.22 * len(ecomap.ties))
    g.attr(root="person", overlap="false", splines="false", ranksep=f"{ranksep:.2f}")
    g.attr(fontname=FONT, outputorder="edgesfirst")
    g.node(
        "person",
        _label([(ecomap.person, "b")]),
        shape="doublecircle",
        style="filled",
        fillcolor="#ffffff",
        penwidth="2",
        fontname=FONT,
        fontsize="14",
        id="person",
        **{"class": "person"},
    )
    for n, tie in enumerate(ecomap.ties):
        classes = ["member", f"kind-{tie.kind}", "current" if tie.current else "left"]
        classes += ["coordinator"] * tie.coordinator + ["lead"] * tie.lead
        classes += ["unknown"] * tie.missing
        attrs = _node_attrs(
            tie.kind, current=tie.current, coordinator=tie.coordinator, missing=tie.missing
        )
        g.node(
            f"m{n}",
            _tie_label(tie, w, date_text),
            id=f"member-{n}",
            **attrs,
            **{"class": " ".join(classes)},
        )
        edge: dict[str, str] = {"color": "#444444"}
        if tie.coordinator:
            edge.update(penwidth="3.5", color="#000000")
        elif not tie.current:
            edge.update(style="dotted", color="#9a9a9a")
        elif tie.lead:
            edge.update(style="dashed", penwidth="2")
        g.edge("person", f"m{n}", **edge, **{"class": "tie " + " ".join(classes)})
    return g


def _legend_graph(ecomap: Ecomap, w: dict[str, str]) -> Any:
    import graphviz

    g = graphviz.Graph("legend", engine="dot")
    g.attr(rankdir="TB", ranksep="0.12", fontname=FONT)
    samples: list[tuple[str, str, dict[str, str]]] = [
        ("plain", w["legend"], {"shape": "plaintext", "fontsize": "12"})
    ]
    for kind in KINDS:
        attrs = _node_attrs(kind, current=True, coordinator=False, missing=False)
        samples.append((f"kind-{kind}", w[kind], attrs))
    coordinator = _node_attrs("professional", current=True, coordinator=True, missing=False)
    samples.append(("coordinator", w["coordinator"], {**coordinator, "fillcolor": "#ffffff"}))
    if any(t.lead for t in ecomap.ties):
        samples.append(("lead", w["lead"], {"shape": "plaintext", "fontsize": "11"}))
    if any(not t.current for t in ecomap.ties):
        left = _node_attrs("professional", current=False, coordinator=False, missing=False)
        samples.append(("left", w["left_legend"], left))
    if ecomap.missing:
        unknown = _node_attrs("professional", current=True, coordinator=False, missing=True)
        samples.append(("unknown", w["unknown"], unknown))
    previous = None
    for n, (cls, text, attrs) in enumerate(samples):
        name = f"l{n}"
        style = {"fontname": FONT, "fontsize": "11", **attrs}
        g.node(
            name,
            _label([(text, "b" if n == 0 else "")]),
            id=f"legend-{n}",
            **style,
            **{"class": f"legend legend-{cls}"},
        )
        if previous is not None:
            g.edge(previous, name, style="invis")
        previous = name
    return g


def _layout(graph: Any) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(_pipe(graph, "json"))
    return found


def _positions(layout: dict[str, Any]) -> tuple[dict[str, tuple[float, float]], list[float]]:
    pos = {}
    for obj in layout.get("objects") or []:
        if "pos" in obj:
            x, y = (float(v) for v in obj["pos"].split(","))
            pos[obj["name"]] = (x, y)
    bb = [float(v) for v in layout["bb"].split(",")]
    return pos, bb


def draw(ecomap: Ecomap, *, lang: str, date_text: Any, png: bool = False) -> Drawing:
    """The ecomap as SVG (and PNG when asked), drawn by Graphviz."""
    w = words(lang)
    main = _main_graph(ecomap, w, date_text)
    legend = _legend_graph(ecomap, w)
    final = _final(main, legend, _layout(main), _layout(legend))
    svg = _pipe(final, "svg", neato_no_op=2).decode("utf-8")
    picture = _pipe(final, "png", neato_no_op=2) if png else None
    return Drawing(svg=inline_svg(svg), png=picture)


def _final(main: Any, legend: Any, main_layout: Any, legend_layout: Any) -> Any:
    """Both layouts as one graph for ``neato -n2``: the legend right of the ecomap."""
    import graphviz

    main_pos, main_bb = _positions(main_layout)
    legend_pos, legend_bb = _positions(legend_layout)
    # The legend stands right of the ecomap, 36 points apart, their tops level.
    dx = main_bb[2] + 36 - legend_bb[0]
    dy = main_bb[3] - legend_bb[3]
    final = graphviz.Graph("ecomap", engine="neato")
    final.attr(splines="false", fontname=FONT, outputorder="edgesfirst", pad="0.2")
    # Nodes and edges as laid out; not the layouts' own graph settings.
    final.body.extend(line for line in main.body + legend.body if not line.startswith("\tgraph "))
    for name, (x, y) in main_pos.items():
        final.node(name, pos=f"{x:.2f},{y:.2f}!")
    for name, (x, y) in legend_pos.items():
        final.node(name, pos=f"{x + dx:.2f},{y + dy:.2f}!")
    return final


def draw_many(ecomaps: list[Ecomap], *, lang: str, date_text: Any) -> list[Drawing | ReseauError]:
    """The SVG drawings of many ecomaps, as ``draw`` makes each one, by three Graphviz
    processes in all instead of three each (a Graphviz program lays out every graph of
    its input in turn; starting one costs more than a layout). A legend is laid out once
    for all the ecomaps that share it. Should a batch fail, each picture is drawn on its
    own, so that only the one Graphviz refuses fails (returned as its error)."""
    if not ecomaps:
        return []
    w = words(lang)
    mains = [_main_graph(e, w, date_text) for e in ecomaps]
    legends = [_legend_graph(e, w) for e in ecomaps]
    main_layouts = _layouts([g.source for g in mains], "twopi")
    distinct = list(dict.fromkeys(g.source for g in legends))
    legend_found = _layouts(distinct, "dot")
    svgs = None
    if main_layouts is not None and legend_found is not None:
        by_source = dict(zip(distinct, legend_found, strict=True))
        finals = [
            _final(main, legend, layout, by_source[legend.source])
            for main, legend, layout in zip(mains, legends, main_layouts, strict=True)
        ]
        svgs = _svgs([g.source for g in finals])
    if svgs is None:  # one of them fails: find which, drawing each alone
        return [_draw_alone(e, lang=lang, date_text=date_text) for e in ecomaps]
    return [Drawing(svg=inline_svg(_alone(svg.decode("utf-8"))), png=None) for svg in svgs]


# After its first graph, a Graphviz process names each picture's group as a later page.
_LATER_PAGE = re.compile(r'<g id="page\d+,\d+_graph0" class="graph"')


def _alone(svg: str) -> str:
    """A picture of a many-graph run as the same picture drawn alone is written."""
    return _LATER_PAGE.sub('<g id="graph0" class="graph"', svg, count=1)


def _draw_alone(ecomap: Ecomap, *, lang: str, date_text: Any) -> Drawing | ReseauError:
    try:
        return draw(ecomap, lang=lang, date_text=date_text)
    except GraphvizMissing:
        raise
    except ReseauError as exc:
        return exc


def _layouts(sources: list[str], engine: str) -> list[dict[str, Any]] | None:
    """The JSON layouts of many graphs by one ``engine`` process (None if it failed)."""
    out = _run_many(sources, engine, "json")
    if out is None:
        return None
    decoder = json.JSONDecoder()
    text = out.decode("utf-8")
    found, at = [], 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            break
        try:
            layout, at = decoder.raw_decode(text, at)
        except ValueError:
            return None
        found.append(layout)
    return found if len(found) == len(sources) else None


# Where each picture starts in Graphviz's SVG for many graphs. Every text of a picture
# is escaped (``_esc``), so no name can start one.
_SVG_START = re.compile(rb"(?=<\?xml )")


def _svgs(sources: list[str]) -> list[bytes] | None:
    """The SVG drawings (``neato -n2``) of many laid-out graphs by one process."""
    out = _run_many(sources, "neato", "svg", neato_no_op=2)
    if out is None:
        return None
    found = [part for part in _SVG_START.split(out) if part]
    return found if len(found) == len(sources) else None


def _run_many(sources: list[str], engine: str, fmt: str, **options: Any) -> bytes | None:
    """Graphviz's output for all of ``sources`` from one process; None when it failed."""
    import graphviz

    data = "".join(sources).encode("utf-8")
    try:
        out: bytes = graphviz.pipe(engine, fmt, data, quiet=True, **options)
    except graphviz.ExecutableNotFound as exc:
        raise GraphvizMissing() from exc
    except graphviz.CalledProcessError:
        return None
    return out


def inline_svg(svg: str) -> str:
    """The SVG element alone: no XML prolog, doctype or Graphviz comments."""
    start = svg.find("<svg")
    body = svg[start:] if start >= 0 else svg
    return re.sub(r"<!--.*?-->\n?", "", body, flags=re.S).strip() + "\n"


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InvalidInput(
            _("an ecomap cannot be rendered as {format}: use svg, png or html").format(
                format=repr(fmt)
            )
        )


@dataclass(frozen=True)
class EcomapDocument:
    content: bytes
    format: str
    missing: tuple[str, ...]  # members drawn as "unknown": not in the directory


def directory_for(repo: Any, doc: dict[str, Any]) -> dict[str, dict[str, Any] | None]:
    """The directory entries of everyone in ``doc``'s network (None when missing)."""
    from reseau_cli.errors import UnknownId

    found: dict[str, dict[str, Any] | None] = {}
    for m in doc.get("network") or []:
        ident = m["intervenant"]
        if ident in found:
            continue
        try:
            found[ident] = repo.intervenant(ident)
        except UnknownId:
            found[ident] = None
    return found


def render_ecomap(
    repo: Any,
    person: str,
    *,
    fmt: str = "svg",
    on: str | None = None,
    history: bool = False,
    lang: str | None = None,
) -> EcomapDocument:
    """``person``'s ecomap as of ``on`` (default today) as SVG, PNG or an HTML page."""
    from reseau_cli import dates
    from reseau_cli.documents.renderer import Renderer

    check_format(fmt)
    renderer = Renderer(repo, lang=lang)
    day = dates.check(on, what="--date") or renderer.today.isoformat()
    doc = repo.person(person)
    ecomap = ecomap_of(renderer, doc, on=day, history=history)
    drawing = draw(ecomap, lang=renderer.lang, date_text=date_text(renderer), png=fmt == "png")
    if fmt == "png":
        assert drawing.png is not None
        content = drawing.png
    elif fmt == "svg":
        content = svg_file(drawing)
    else:
        content = ecomap_page(renderer, doc, drawing.svg, on=day).encode("utf-8")
    return EcomapDocument(content=content, format=fmt, missing=ecomap.missing)


def ecomap_of(renderer: Any, doc: dict[str, Any], *, on: str, history: bool = False) -> Ecomap:
    """The ecomap of ``doc`` on day ``on``, its members looked up in the directory."""
    from reseau_cli.model import ecomap as model

    return model.build(doc, directory_for(renderer.repo, doc), on=on, history=history)


def date_text(renderer: Any) -> Any:
    """How the ecomap writes a date, in the renderer's language."""
    from reseau_cli.documents.filters import format_day

    return lambda value: format_day(value, renderer.lang)


def svg_file(drawing: Drawing) -> bytes:
    """The drawing as a standalone ``.svg`` file."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + drawing.svg).encode("utf-8")


def ecomap_page(renderer: Any, doc: dict[str, Any], svg: str, *, on: str) -> str:
    """A print-ready HTML page around the ecomap, like every other document."""
    from markupsafe import Markup

    from reseau_cli.documents import engine

    data = renderer.context("ecomap", doc, None)
    # Inline in HTML, the parser gives <svg> its namespace: no attribute naming an address.
    inline = re.sub(r'\s+xmlns(?::xlink)?="[^"]*"', "", svg, count=2)
    data["ecomap"] = {"svg": Markup(inline), "on": on}
    return engine.render(renderer.repo.root, f"{renderer.lang}/ecomap.html{engine.SUFFIX}", data)
