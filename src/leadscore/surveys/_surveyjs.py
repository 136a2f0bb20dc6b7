"""
The SurveyJS form: a survey's JSON, for apps that render the questionnaire themselves.

Shapes from SurveyJS's documentation (surveyjs.io, "Survey JSON schema", "Matrix question",
"Localization and globalization", "calculatedValues"), checked in the tests against the JSON
schema that the ``survey-core`` package publishes (``surveyjs_definition.json``, 3.1.1).
Each group of items is one ``matrix`` question named by its code (``g1``), its rows valued
by item id (SurveyJS takes any text as a row's value, so no encoding is needed) and its
columns by answer, as text (the schema's item values are text; a result then holds ``"4"``).
A text in several languages is a localizable string: ``default`` is the first language's,
then one entry per language. The stamp is a calculated value included in every result, so a
results file names the instrument it was collected with.
"""

from __future__ import annotations

import json

from collections.abc import Mapping
from typing import Any

from leadscore._names import STAMP
from leadscore.surveys._common import Survey


__all__ = ["surveyjs"]


def _localized(survey: Survey, words: Mapping[str, str]) -> str | dict[str, str]:
    if len(survey.languages) == 1:
        return words[survey.languages[0]]
    return {"default": words[survey.languages[0]], **{lang: words[lang] for lang in survey.languages}}


def surveyjs(survey: Survey) -> str:
    """The SurveyJS JSON of *survey*."""
    instrument = survey.instrument

    def text(value: Any) -> str | dict[str, str]:
        return _localized(survey, {lang: value.shown_in(lang) for lang in survey.languages})

    elements = [
        {
            "type": "matrix",
            "name": group.code,
            "titleLocation": "hidden",
            # The schema's item values are text: SurveyJS then stores "4", which the readers read as 4.
            "columns": [{"value": str(p.value), "text": _localized(survey, p.words)} for p in group.points],
            "rows": [{"value": item.id, "text": text(item.text)} for item in group.items],
        }
        for group in survey.groups
    ]
    form: dict[str, Any] = {
        "locale": survey.languages[0],
        "title": text(instrument.title),
    }
    if instrument.description is not None:
        form["description"] = text(instrument.description)
    form["calculatedValues"] = [
        # A stamp is a slug, a version and hex digits: no quote to escape in the expression.
        {"name": STAMP, "expression": f"'{survey.stamp}'", "includeIntoResult": True}
    ]
    form["pages"] = [{"name": "items", "elements": elements}]
    form["showQuestionNumbers"] = "off"
    return json.dumps(form, ensure_ascii=False, indent=2) + "\n"
