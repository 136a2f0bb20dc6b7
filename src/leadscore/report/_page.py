"""
`page`: the reports a person reads, as one self-contained HTML page: self-assessment, 360, group, item analysis.

One file, no scripts, no network: styles are inline (``style.css``, package data) and the
charts are HTML and CSS, so they reflow on a phone, print on A4 or Letter, and read aloud as
text. Every text, including item texts and names from third-party plugins, is escaped with
`html.escape`, so no instrument can inject markup or script. Only what `leadscore.aggregate`
and `leadscore.group_report` release is drawn, so their privacy rules hold in the report. The
body comes from the page kind's module (`_self`, `_feedback`, `_analysis`).

Interface words come from the message catalogues (`leadscore._catalog`); item, scale and band
texts from the instrument, in the report's language.
"""

from __future__ import annotations

import warnings

from collections.abc import Mapping
from typing import Any

from leadscore._aggregate import FeedbackReport
from leadscore._catalog import interface_language, words
from leadscore._consistency import ReliabilityReport
from leadscore._group_report import GroupReport
from leadscore._model import Instrument
from leadscore._plan import compiled
from leadscore._quality_report import QualityReport
from leadscore._registry import resolve
from leadscore._results import Result
from leadscore._scoring import score
from leadscore.errors import ArgumentTypeError, InvalidArgumentError
from leadscore.report._analysis import analysis_report
from leadscore.report._feedback import feedback_report, group_report
from leadscore.report._html import (
    Context,
    InterfaceLanguageWarning,
    page_document,
    report_languages,
)
from leadscore.report._self import self_report


__all__ = ["page"]


def page(
    report: Result | FeedbackReport | GroupReport | ReliabilityReport,
    *,
    lang: str,
    instrument: Instrument | str | None = None,
    person: str | None = None,
    answers: Mapping[str, Any] | None = None,
    group_names: Mapping[str, str] | None = None,
    quality: QualityReport | None = None,
) -> str:
    """The HTML page of *report*; the arguments are `leadscore.render`'s."""
    if not isinstance(report, (Result, FeedbackReport, GroupReport, ReliabilityReport)):
        raise ArgumentTypeError(
            "report must be a leadscore.Result, FeedbackReport, GroupReport or ReliabilityReport "
            f"(got {type(report).__name__}); make one with score, aggregate, group_report or reliability"
        )
    if quality is not None:
        if not isinstance(report, ReliabilityReport) or not isinstance(quality, QualityReport):
            raise ArgumentTypeError(
                "quality goes with a ReliabilityReport: a QualityReport from leadscore.analysis.quality"
            )
        if quality.fingerprint != report.fingerprint:
            raise InvalidArgumentError("the quality report is of another instrument than the reliability report")
    definition = resolve(instrument if instrument is not None else report.instrument_id)
    plan = compiled(definition)
    if (definition.id, definition.version, plan.fingerprint) != (
        report.instrument_id,
        report.instrument_version,
        report.fingerprint,
    ):
        raise InvalidArgumentError(
            f"the report is of {report.instrument_id!r} {report.instrument_version} ({report.fingerprint}); "
            f"the instrument given is {definition.id!r} {definition.version} ({plan.fingerprint})"
        )
    if not isinstance(lang, str):
        raise ArgumentTypeError(f"lang must be a language tag such as 'nl' or 'en' (got {type(lang).__name__})")
    languages = report_languages(definition)
    if lang not in languages:
        raise InvalidArgumentError(
            f"lang must be a language the instrument {definition.id!r} has: one of {list(languages)} (got {lang!r})"
        )
    interface = interface_language(lang)
    if interface != lang:
        warnings.warn(
            f"there are no interface texts in {lang!r}: the report's headings and notes are in English, "
            "its items and scales in the instrument's own words",
            InterfaceLanguageWarning,
            stacklevel=3,
        )
    names: dict[Any, Any] = dict(group_names or {})  # Whatever came in, whatever its annotation says.
    if any(not (isinstance(k, str) and isinstance(v, str) and v.strip()) for k, v in names.items()):
        raise ArgumentTypeError("group_names must map group names to non-empty texts")
    if person is not None and not isinstance(person, str):
        raise ArgumentTypeError(f"person must be a text (got {type(person).__name__})")
    context = Context(definition, lang, words(interface), names)
    if isinstance(report, Result):
        if answers is not None and score(definition, answers) != report:
            raise InvalidArgumentError("answers must be the answers the result was scored from")
        body = self_report(context, report, answers)
        kind = context.say("Self-assessment")
    elif answers is not None:
        raise InvalidArgumentError("answers go with a self-assessment (a Result); a 360 or group report has its own")
    elif isinstance(report, FeedbackReport):
        body = feedback_report(context, report)
        kind = context.say("360 feedback report")
    elif isinstance(report, ReliabilityReport):
        body = analysis_report(context, report, quality)
        kind = context.say("Item analysis")
    else:
        body = group_report(context, report)
        kind = context.say("Group report")
    return page_document(context, kind, person, plan.fingerprint, body, wide=isinstance(report, ReliabilityReport))
