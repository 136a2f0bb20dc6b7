"""
Reports a person reads: a self-assessment, a 360 and a group report, from one renderer.

`render` turns a `leadscore.Result` (one person's self-assessment), a `leadscore.FeedbackReport`
(a 360, from `leadscore.aggregate`) or a `leadscore.GroupReport` (from
`leadscore.group_report`) into one self-contained HTML page, or a PDF with the ``pdf`` extra
(WeasyPrint). Interface words come from the message catalogues (Dutch and English), item and
scale texts from the instrument. Each format lives in a private module of its own.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from leadscore.report._html import InterfaceLanguageWarning, reason_text, report_languages
from leadscore.report._render import PAPER_SIZES, render


__all__ = ["PAPER_SIZES", "InterfaceLanguageWarning", "reason_text", "render", "report_languages"]
