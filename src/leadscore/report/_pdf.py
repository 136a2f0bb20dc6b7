"""A report as PDF, laid out by WeasyPrint (the ``pdf`` extra) from the same HTML page and its print styles."""

from __future__ import annotations

from typing import Any, NoReturn


__all__ = ["pdf"]


def _nothing_fetched(url: str, *_: Any, **__: Any) -> NoReturn:
    """A report is self-contained: WeasyPrint is given nothing to fetch, from the network or from files."""
    raise ValueError(f"a report fetches nothing (asked for {url[:80]!r})")


def pdf(html: str, *, paper: str) -> bytes:
    """*html* (a report page) as PDF on *paper* (``"a4"`` or ``"letter"``)."""
    try:
        import weasyprint  # type: ignore[import-untyped]  # noqa: PLC0415 - the pdf extra
    except ImportError as error:
        raise ImportError("a PDF report needs WeasyPrint: pip install 'leadscore[pdf]'") from error
    # A report's wide tables (the item analysis) print on pages named "wide", turned sideways.
    # These are user styles: !important outranks the page's own (which prints sideways on any paper).
    name = "A4" if paper == "a4" else "letter"
    size = weasyprint.CSS(string=f"@page {{ size: {name}; }} @page wide {{ size: {name} landscape !important; }}")
    document = weasyprint.HTML(string=html, url_fetcher=_nothing_fetched)
    data: bytes = document.write_pdf(stylesheets=[size])
    return data
