"""`render`: the one entry point of every report, HTML or PDF."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, overload

from leadscore._aggregate import FeedbackReport
from leadscore._consistency import ReliabilityReport
from leadscore._group_report import GroupReport
from leadscore._model import Instrument
from leadscore._quality_report import QualityReport
from leadscore._results import Result
from leadscore.errors import InvalidArgumentError
from leadscore.report._page import page


__all__ = ["PAPER_SIZES", "render"]

#: The paper sizes a PDF is laid out on.
PAPER_SIZES = ("a4", "letter")


@overload
def render(
    report: Result | FeedbackReport | GroupReport | ReliabilityReport,
    *,
    lang: str,
    format: Literal["html"] = "html",
    instrument: Instrument | str | None = None,
    person: str | None = None,
    answers: Mapping[str, Any] | None = None,
    group_names: Mapping[str, str] | None = None,
    paper: str = "a4",
    quality: QualityReport | None = None,
) -> str: ...
@overload
def render(
    report: Result | FeedbackReport | GroupReport | ReliabilityReport,
    *,
    lang: str,
    format: Literal["pdf"],
    instrument: Instrument | str | None = None,
    person: str | None = None,
    answers: Mapping[str, Any] | None = None,
    group_names: Mapping[str, str] | None = None,
    paper: str = "a4",
    quality: QualityReport | None = None,
) -> bytes: ...
@overload
def render(
    report: Result | FeedbackReport | GroupReport | ReliabilityReport,
    *,
    lang: str,
    format: str,
    instrument: Instrument | str | None = None,
    person: str | None = None,
    answers: Mapping[str, Any] | None = None,
    group_names: Mapping[str, str] | None = None,
    paper: str = "a4",
    quality: QualityReport | None = None,
) -> str | bytes: ...
def render(
    report: Result | FeedbackReport | GroupReport | ReliabilityReport,
    *,
    lang: str,
    format: str = "html",  # noqa: A002 - the word users know
    instrument: Instrument | str | None = None,
    person: str | None = None,
    answers: Mapping[str, Any] | None = None,
    group_names: Mapping[str, str] | None = None,
    paper: str = "a4",
    quality: QualityReport | None = None,
) -> str | bytes:
    """
    Render *report* for a person who reads *lang*: an HTML page (text) or a PDF (bytes).

    Args:
        report: A `Result` (a self-assessment), a `FeedbackReport` (a 360), a `GroupReport`, or
            a `ReliabilityReport` (an analyst's item analysis: reliability per scale, item
            statistics and frequencies, the keying audit).
        lang: The reader's language: one the instrument has every text in (see
            `report_languages`). Headings and notes come from the message catalogues; a
            language they lack gets English ones, with an `InterfaceLanguageWarning`.
        format: ``"html"`` (the default) or ``"pdf"`` (needs the ``pdf`` extra, WeasyPrint).
        instrument: The instrument, or its id; by default the registered one the report names.
            Its id, version and fingerprint must be the report's.
        person: The name to show, if any (escaped like every other text).
        answers: For a self-assessment, the answers it was scored from: the report lists them.
        group_names: Names for groups of your own (``{"board": "Raad van bestuur"}``).
        paper: A PDF's paper, ``"a4"`` or ``"letter"`` (HTML prints on the printer's paper).
        quality: With a `ReliabilityReport`, the `QualityReport` of the same answers
            (`leadscore.analysis.quality`): the page adds each careless-responding index.

    Raises:
        InvalidArgumentError: For a language, format or paper that cannot be, an instrument
            that is not the report's, or answers that are not the result's.
        ArgumentTypeError: For a report that is none of these, or *quality* without a reliability report.
        ImportError: For a PDF without the ``pdf`` extra.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       A `ReliabilityReport`, and *quality*.
    """
    if format not in {"html", "pdf"}:
        raise InvalidArgumentError(f"format must be 'html' or 'pdf' (got {format!r})")
    if paper not in PAPER_SIZES:
        raise InvalidArgumentError(f"paper must be one of {list(PAPER_SIZES)} (got {paper!r})")
    html = page(
        report,
        lang=lang,
        instrument=instrument,
        person=person,
        answers=answers,
        group_names=group_names,
        quality=quality,
    )
    if format == "html":
        return html
    from leadscore.report._pdf import pdf  # noqa: PLC0415 - WeasyPrint loads only for a PDF

    return pdf(html, paper=paper)
