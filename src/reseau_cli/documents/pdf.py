"""HTML to PDF through WeasyPrint, the optional extra ``pdf``.

The same HTML and the same ``stamp`` give the same bytes on every machine. The only
clock WeasyPrint reads is fontTools' (its font subsetter when HarfBuzz's subset library,
``libharfbuzz-subset0``, is missing), which writes the time into each embedded font
unless ``SOURCE_DATE_EPOCH`` is set: it is set to ``stamp`` while the PDF is written.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from reseau_cli.errors import MissingExtra
from reseau_cli.i18n import _

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"  # https://reproducible-builds.org/specs/source-date-epoch/


def available() -> bool:
    try:
        _weasyprint()
    except MissingExtra:
        return False
    return True


def _weasyprint() -> Any:
    try:
        import weasyprint
    except ImportError:
        raise MissingExtra(feature=_("PDF output"), extra="pdf") from None
    except OSError as exc:  # WeasyPrint is there but the Pango libraries are not
        raise MissingExtra(
            feature=_("PDF output"),
            extra="pdf",
            detail=_(
                "and the Pango libraries, e.g. apt-get install libpango-1.0-0 "
                "libpangoft2-1.0-0: {reason}"
            ).format(reason=exc),
        ) from None
    return weasyprint


def html_to_pdf(html: str, *, stamp: dt.datetime) -> bytes:
    """A PDF of a self-contained HTML document (nothing is fetched from the network).

    ``stamp`` is the date of the version the document is made from: the only date the
    PDF may carry, so that rendering the same version twice gives the same bytes."""
    weasyprint = _weasyprint()

    document = weasyprint.HTML(string=html, url_fetcher=_fetcher(weasyprint), base_url=".")
    with source_date_epoch(stamp):
        return document.write_pdf()


@contextmanager
def source_date_epoch(stamp: dt.datetime) -> Iterator[None]:
    """``SOURCE_DATE_EPOCH`` set to ``stamp`` inside the block, as it was afterwards."""
    before = os.environ.get(EPOCH_VARIABLE)
    os.environ[EPOCH_VARIABLE] = str(max(0, int(stamp.timestamp())))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(EPOCH_VARIABLE, None)
        else:
            os.environ[EPOCH_VARIABLE] = before


def _fetcher(weasyprint: Any) -> Any:
    """A fetcher that only accepts inline ``data:`` URLs: no network, no local files."""
    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint 66 and later
        return weasyprint.URLFetcher(allowed_protocols=["data"])

    def data_only(url: str, *args: object, **kwargs: object) -> object:
        if not url.startswith("data:"):
            raise ValueError(f"documents fetch nothing from outside ({url})")
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return data_only
