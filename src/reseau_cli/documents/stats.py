"""The stats report as Markdown, HTML (with charts), JSON or CSV.

It receives only published cells (``model.disclosure``): counts already suppressed,
labels built from fixed words and codes. No name, id or free text can reach it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from reseau_cli.documents import stats_words as W
from reseau_cli.errors import InvalidInput
from reseau_cli.i18n import _
from reseau_cli.model.disclosure import Cell

FORMATS = ("md", "html", "json", "csv")
ORDER = ("persons", "coordination", "caseload", "concertations", "schemes", "actions", "needs")


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InvalidInput(
            _("stats cannot be written as {format}: use md, html, json or csv").format(
                format=repr(fmt)
            )
        )


def _lang(lang: str) -> str:
    from reseau_cli.i18n import shipped_languages

    return lang if lang in shipped_languages() else "en"


def label(cell: Cell, lang: str) -> str:
    words = W.keys(_lang(lang))
    key = cell.key
    if cell.table == "caseload" and key not in words:
        who, _, band = key.partition("_")
        text = band.replace("_or_more", "+").replace("_to_", "–")
        return words[f"band_{who}"].format(band=text)
    if cell.table == "schemes":
        scheme, _, what = key.rpartition(".")
        return words[f"scheme_{what}"].format(scheme=scheme)
    if cell.table == "needs" and key.startswith("unmet."):
        domain = key.split(".", 1)[1]
        return words["unmet"].format(domain=W.domains(_lang(lang)).get(domain, domain))
    if cell.table == "months":
        month, _, what = key.partition(".")
        return f"{month}: {words[f'month_{what}']}"
    return words[key]


def shown(cell: Cell, min_count: int, lang: str) -> str:
    if cell.suppressed:
        return f"< {min_count}" if cell.unit == "count" else W.page(_lang(lang))["hidden"]
    if cell.value is None:
        return "—"
    number = int(cell.value) if float(cell.value).is_integer() else round(cell.value, 1)
    text = str(number)
    if lang == "fr" or lang == "nl":
        text = text.replace(".", ",")
    return f"{text} %" if cell.unit == "percent" else text


def _tables(result: Any) -> dict[str, list[Cell]]:
    found: dict[str, list[Cell]] = {}
    for cell in result.cells:
        found.setdefault(cell.table, []).append(cell)
    return found


def _months(cells: list[Cell]) -> list[tuple[str, dict[str, Cell]]]:
    rows: dict[str, dict[str, Cell]] = {}
    for cell in cells:
        month, _, what = cell.key.partition(".")
        rows.setdefault(month, {})[what] = cell
    return list(rows.items())


def write(result: Any, fmt: str) -> str:
    check_format(fmt)
    writers: dict[str, Callable[[Any], str]] = {
        "md": markdown,
        "html": html_page,
        "json": as_json,
        "csv": as_csv,
    }
    return writers[fmt](result)


def _day(value: Any, lang: str) -> str:
    """A day of the period as the documents write it (CLDR), not in ISO form."""
    import datetime as dt

    from babel.dates import format_date

    from reseau_cli.documents.filters import locale_for

    return format_date(
        dt.date.fromisoformat(str(value)), format="long", locale=locale_for(_lang(lang))
    )


def _head(result: Any) -> tuple[str, str, str, str]:
    page = W.page(_lang(result.lang))
    return (
        page["title"],
        page["period"].format(
            start=_day(result.start, result.lang), end=_day(result.end, result.lang)
        ),
        page["repositories"].format(n=result.repositories),
        page["suppressed"].format(k=result.min_count),
    )


def markdown(result: Any) -> str:
    lang = _lang(result.lang)
    words, page, titles = W.keys(lang), W.page(lang), W.tables(lang)
    title, period, repos, note = _head(result)
    out = [f"# {title}", "", f"{period} · {repos}", "", note, ""]
    tables = _tables(result)
    for table in ORDER:
        if table not in tables:
            continue
        out += [
            f"## {titles[table]}",
            "",
            f"| {page['figure']} | {page['value']} |",
            "|---|---:|",
        ]
        out += [f"| {label(c, lang)} | {shown(c, result.min_count, lang)} |" for c in tables[table]]
        out.append("")
    if "months" in tables:
        out += [f"## {titles['months']}", ""]
        cols = ("followed", "opened", "closed")
        out.append(f"| {words['month']} | " + " | ".join(words[f"month_{c}"] for c in cols) + " |")
        out.append("|---|" + "---:|" * len(cols))
        for month, row in _months(tables["months"]):
            values = " | ".join(shown(row[c], result.min_count, lang) for c in cols)
            out.append(f"| {month} | {values} |")
        out.append("")
    return "\n".join(out)


def as_json(result: Any) -> str:
    figures: dict[str, dict[str, Any]] = {}
    for cell in result.cells:
        figures.setdefault(cell.table, {})[cell.key] = {
            "value": None if cell.value is None else cell.value,
            "unit": cell.unit,
            "suppressed": cell.suppressed,
            "shown": shown(cell, result.min_count, "en"),
        }
    doc = {
        "period": {"from": result.start, "to": result.end},
        "min_count": result.min_count,
        "repositories": result.repositories,
        "figures": figures,
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def as_csv(result: Any) -> str:
    buffer = io.StringIO()
    out = csv.writer(buffer, lineterminator="\n")
    out.writerow(["table", "figure", "label", "value", "unit", "suppressed"])
    for cell in result.cells:
        value = shown(cell, result.min_count, "en")
        out.writerow(
            [
                cell.table,
                cell.key,
                label(cell, result.lang),
                value,
                cell.unit,
                str(cell.suppressed).lower(),
            ]
        )
    return buffer.getvalue()


def html_page(result: Any) -> str:
    from markupsafe import Markup

    from reseau_cli.documents import charts, engine

    lang = _lang(result.lang)
    words, page, titles = W.keys(lang), W.page(lang), W.tables(lang)
    title, period, repos, note = _head(result)
    tables = _tables(result)
    sections = []
    for table in ORDER:
        if table not in tables:
            continue
        cells = tables[table]
        rows = [
            {
                "label": label(c, lang),
                "value": shown(c, result.min_count, lang),
                "suppressed": c.suppressed,
            }
            for c in cells
        ]
        bars = [c for c in cells if c.unit == "count"]
        chart = charts.bar_chart(
            titles[table],
            [(label(c, lang), c.value, shown(c, result.min_count, lang)) for c in bars],
            chart_id=f"chart-{table}",
        )
        sections.append({"title": titles[table], "rows": rows, "chart": Markup(chart)})
    months = _months(tables.get("months", []))
    line = None
    if len(months) > 1:
        cols = ("followed", "opened", "closed")
        line = Markup(
            charts.line_chart(
                titles["months"],
                [m for m, _ in months],
                [(words[f"month_{c}"], [row[c].value for _, row in months]) for c in cols],
                chart_id="chart-months",
                note=note,
            )
        )
    data = {
        "lang": lang,
        "title": title,
        "period": period,
        "repositories": repos,
        "note": note,
        "sections": sections,
        "line": line,
        "months": [
            {
                "month": m,
                "cells": [
                    shown(row[c], result.min_count, lang) for c in ("followed", "opened", "closed")
                ],
            }
            for m, row in months
        ],
        "month_heads": [words["month"]]
        + [words[f"month_{c}"] for c in ("followed", "opened", "closed")],
        "months_title": titles["months"],
        "figure": page["figure"],
        "value": page["value"],
    }
    return engine.render(result.root, "stats.html" + engine.SUFFIX, data)
