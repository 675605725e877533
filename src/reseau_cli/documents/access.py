"""The readable page of a right-of-access export (`reseau person export`): what the
team holds about one person, in the team's language, every value escaped."""

from __future__ import annotations

import json
from html import escape
from typing import Any


def _words(lang: str) -> dict[str, str]:
    """The page's words in ``lang``, escaped."""
    from reseau_cli.i18n import gettext_in

    words = {
        "files": gettext_in(lang, "The files of this export:"),
        "person": gettext_in(lang, "the file"),
        "history": gettext_in(lang, "every change of the file, with its author and date"),
        "disclosures": gettext_in(lang, "which document went to whom, and when"),
        "plan": gettext_in(lang, "the plan"),
        "history_title": gettext_in(lang, "History of the file"),
        "date": gettext_in(lang, "Date"),
        "author": gettext_in(lang, "Author"),
        "change": gettext_in(lang, "Change"),
        "commit": gettext_in(lang, "Commit"),
        "disclosures_title": gettext_in(lang, "Disclosures"),
        "document": gettext_in(lang, "Document"),
        "recipient": gettext_in(lang, "Recipient"),
        "sections": gettext_in(lang, "Sections"),
        "none": gettext_in(lang, "No disclosure recorded."),
        "file_title": gettext_in(lang, "The file"),
    }
    return {k: escape(v, quote=False) for k, v in words.items()}


def _cells(values: list[str], tag: str = "td") -> str:
    return "<tr>" + "".join(f"<{tag}>{v}</{tag}>" for v in values) + "</tr>\n"


def index_html(
    lang: str, doc: dict[str, Any], history: list[dict[str, str]], disclosures: list[Any]
) -> str:
    """index.html: the files of the export, the history of the file, the disclosures."""
    from reseau_cli.i18n import gettext_in

    w = _words(lang)
    title = escape(
        gettext_in(lang, "Everything the team holds about {person}").format(person=doc["id"]),
        quote=False,
    )
    rows = "".join(
        _cells([escape(str(h[k]), quote=False) for k in ("date", "author", "message")]).replace(
            "</tr>", f"<td><code>{escape(h['commit'][:12])}</code></td></tr>"
        )
        for h in history
    )
    sent = "".join(
        _cells(
            [escape(str(d.get(k) or ""), quote=False) for k in ("date", "document", "recipient")]
            + [escape(", ".join(d.get("sections") or []), quote=False)]
        )
        for d in disclosures
    )
    if disclosures:
        head = _cells([w["date"], w["document"], w["recipient"], w["sections"]], "th")
        register = f"<table>\n{head}{sent}</table>\n"
    else:
        register = f"<p>{w['none']}</p>\n"
    links = "".join(
        f'<li><a href="{name}">{name}</a>: {w[key]}</li>\n'
        for name, key in (
            ("person.json", "person"),
            ("history.json", "history"),
            ("disclosures.json", "disclosures"),
            ("plan.html", "plan"),
        )
    )
    data = escape(json.dumps(doc, ensure_ascii=False, indent=2, default=str), quote=False)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body>\n<h1>{title}</h1>\n"
        f"<p>{w['files']}</p>\n<ul>\n{links}</ul>\n"
        f"<h2>{w['history_title']}</h2>\n<table>\n"
        + _cells([w["date"], w["author"], w["change"], w["commit"]], "th")
        + f"{rows}</table>\n<h2>{w['disclosures_title']}</h2>\n{register}"
        f"<h2>{w['file_title']}</h2>\n<pre>{data}</pre>\n</body>\n</html>\n"
    )
