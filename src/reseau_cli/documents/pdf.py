"""HTML to PDF through WeasyPrint, the optional extra ``pdf``."""

from __future__ import annotations

from typing import Any

from reseau_cli.errors import MissingExtra


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
        raise MissingExtra(feature="PDF output", extra="pdf") from None
    except OSError as exc:  # WeasyPrint is there but the Pango libraries are not
        raise MissingExtra(
            feature="PDF output",
            extra="pdf",
            detail=f"and the Pango libraries, e.g. apt-get install libpango-1.0-0 libpangoft2-1.0-0: {exc}",
        ) from None
    return weasyprint


def html_to_pdf(html: str) -> bytes:
    """A PDF of a self-contained HTML document (nothing is fetched from the network)."""
    weasyprint = _weasyprint()

    document = weasyprint.HTML(string=html, url_fetcher=_fetcher(weasyprint), base_url=".")
    return document.write_pdf()


def _fetcher(weasyprint: Any) -> Any:
    """A fetcher that only accepts inline ``data:`` URLs: no network, no local files."""
    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint 66 and later
        return weasyprint.URLFetcher(allowed_protocols=["data"])

    def data_only(url: str, *args: object, **kwargs: object) -> object:
        if not url.startswith("data:"):
            raise ValueError(f"documents fetch nothing from outside ({url})")
        return weasyprint.default_url_fetcher(url, *args, **kwargs)

    return data_only
