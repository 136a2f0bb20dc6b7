"""
Surveys out: an instrument written as a survey for a platform, with codes leadscore reads back.

`export_survey` writes an instrument as a LimeSurvey survey structure (tab-separated), a
Qualtrics survey file (``.qsf``), a REDCap data dictionary (CSV), a SurveyJS form (JSON),
or a self-contained HTML form that saves the answers as a file ``leadscore score`` reads.
Every export uses leadscore's item variable names and answer codes (`leadscore._names`),
and carries the instrument's id, version and fingerprint, so `leadscore.readers` reads the
platform's response export back with no mapping file and checks it against the installed
instrument. docs/survey-platforms.md walks each round trip.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from leadscore.surveys._common import SurveyExportWarning
from leadscore.surveys._export import PLATFORMS, export_survey


__all__ = ["PLATFORMS", "SurveyExportWarning", "export_survey"]
