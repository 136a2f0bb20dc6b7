"""
The Qualtrics survey file (``.qsf``): JSON that Qualtrics imports as a survey.

Shapes from Qualtrics' support pages ("Importing and exporting surveys", "Matrix table",
"Recode values", "Embedded data", "Translating a survey") and the QSF files in public code
(the ``SurveyEntry`` and ``SurveyElements`` layout; ``BL`` blocks, ``FL`` flow, ``SO``
options and ``SQ`` questions). Qualtrics publishes no schema, so the file is verified only
by our own reader's round trip, and the docs say so.

Each group of items is one matrix table (``Matrix``, ``Likert``, ``SingleAnswer``): its
statements are the items, each with its question export tag equal to the item id (a
response export then names the column by it), and its scale points have recode values
equal to leadscore's answers (a not-applicable answer too). Other languages are the
question's translations. The stamp is an embedded data field set at the start of the flow,
so every response export carries a ``leadscore`` column; the whole of `Survey.metadata` is
in the survey's description.
"""

from __future__ import annotations

import json

from collections.abc import Mapping
from html import escape
from typing import Any

from leadscore._names import STAMP
from leadscore.surveys._common import Group, Survey


__all__ = ["qualtrics"]

_SURVEY_ID = "SV_leadscore"


def _qualtrics_language(tag: str) -> str:
    """Qualtrics writes language codes in capitals (``NL``, ``EN``, ``PT-BR``)."""
    return tag.upper()


def escape_text(text: str) -> str:
    """Text as HTML content (Qualtrics' texts are HTML)."""
    return escape(text, quote=False)


def _element(kind: str, primary: str, payload: Any, secondary: str | None = None) -> dict[str, Any]:
    return {
        "SurveyID": _SURVEY_ID,
        "Element": kind,
        "PrimaryAttribute": primary,
        "SecondaryAttribute": secondary,
        "TertiaryAttribute": None,
        "Payload": payload,
    }


def _texts(group: Group, lang: str) -> dict[str, Any]:
    return {
        "QuestionText": "",
        "Choices": {
            str(n): {"Display": escape_text(item.text.shown_in(lang))} for n, item in enumerate(group.items, start=1)
        },
        "Answers": {str(n): {"Display": escape_text(p.words[lang])} for n, p in enumerate(group.points, start=1)},
    }


def _question(survey: Survey, group: Group) -> dict[str, Any]:
    first = survey.languages[0]
    qid = f"QID{group.number}"
    payload: dict[str, Any] = {
        **_texts(group, first),
        "DataExportTag": group.code,
        "QuestionType": "Matrix",
        "Selector": "Likert",
        "SubSelector": "SingleAnswer",
        "Configuration": {"QuestionDescriptionOption": "UseText", "TextPosition": "inline"},
        "QuestionDescription": group.code,
        "ChoiceOrder": [str(n) for n in range(1, len(group.items) + 1)],
        "AnswerOrder": [str(n) for n in range(1, len(group.points) + 1)],
        "ChoiceDataExportTags": {str(n): item.id for n, item in enumerate(group.items, start=1)},
        "RecodeValues": {str(n): str(p.value) for n, p in enumerate(group.points, start=1)},
        "Validation": {"Settings": {"ForceResponse": "OFF", "Type": "None"}},
        "Language": {_qualtrics_language(lang): _texts(group, lang) for lang in survey.languages[1:]} or [],
        "NextChoiceId": len(group.items) + 1,
        "NextAnswerId": len(group.points) + 1,
        "QuestionID": qid,
    }
    return _element("SQ", qid, payload, secondary=group.code)


def qualtrics(survey: Survey) -> str:
    """The ``.qsf`` text of *survey*."""
    instrument = survey.instrument
    first = survey.languages[0]
    description: Mapping[str, Any] = {"leadscore": survey.metadata()}
    block = {
        "Type": "Default",
        "Description": instrument.title.shown_in(first),
        "ID": "BL_leadscore",
        "BlockElements": [{"Type": "Question", "QuestionID": f"QID{g.number}"} for g in survey.groups],
    }
    flow = {
        "Type": "Root",
        "FlowID": "FL_1",
        "Flow": [
            {
                "Type": "EmbeddedData",
                "FlowID": "FL_2",
                "EmbeddedData": [
                    {
                        "Description": STAMP,
                        "Type": "Custom",
                        "Field": STAMP,
                        "VariableType": "String",
                        "Value": survey.stamp,
                    }
                ],
            },
            {"Type": "Block", "ID": "BL_leadscore", "FlowID": "FL_3"},
        ],
        "Properties": {"Count": 3},
    }
    document = {
        "SurveyEntry": {
            "SurveyID": _SURVEY_ID,
            "SurveyName": instrument.title.shown_in(first),
            "SurveyDescription": json.dumps(description, ensure_ascii=False),
            "SurveyLanguage": _qualtrics_language(first),
            "SurveyStatus": "Inactive",
        },
        "SurveyElements": [
            _element("BL", "Survey Blocks", [block]),
            _element("FL", "Survey Flow", flow),
            _element("SO", "Survey Options", {"BackButton": "true", "SurveyLanguage": _qualtrics_language(first)}),
            _element("QC", "Survey Question Count", None, secondary=str(len(survey.groups))),
            *(_question(survey, group) for group in survey.groups),
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
