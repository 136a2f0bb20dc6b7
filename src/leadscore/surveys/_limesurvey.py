"""
The LimeSurvey survey structure: the tab-separated file LimeSurvey imports as a survey.

Shapes from LimeSurvey's manual, "Tab Separated Value survey structure" (the columns ``id,
related_id, class, type/scale, name, relevance, text, help, language, validation, mandatory,
other, default, same_default``; classes ``S`` and ``SL`` for the survey's settings, ``G``
groups, ``Q`` questions, ``SQ`` subquestions, ``A`` answers; one row per language, sharing
its id; UTF-8 with a byte-order mark) and "Question types" (``F``, the array; ``*``, the
equation). LimeSurvey publishes no schema: the file is verified only by our own reader's
round trip, and the docs say so.

Each group of items is one array (``F``) coded ``g1``, ``g2``…; its subquestions are the
items, coded by their variable names (`leadscore._names`), so a response export names the
column ``g1[stayscalm]``; its answers are coded by `leadscore._names.answer_code` (an answer
below zero is ``n`` and its magnitude: LimeSurvey's codes are letters and digits, at most
five), with the answer itself as the assessment value. Texts are HTML there, so they are
escaped (quotes too: no cell holds a ``"``). The equation question ``leadscore`` holds the
stamp, hidden: a response export carries it as a column; its help text holds the whole of
`Survey.metadata`.
"""

from __future__ import annotations

import json

from html import escape as _escape

from leadscore._names import STAMP, answer_code
from leadscore.errors import InvalidArgumentError
from leadscore.surveys._common import Survey


__all__ = ["limesurvey"]

_COLUMNS = (
    "id",
    "related_id",
    "class",
    "type/scale",
    "name",
    "relevance",
    "text",
    "help",
    "language",
    "validation",
    "mandatory",
    "other",
    "default",
    "same_default",
    "hidden",
)


def escape(text: str) -> str:
    """
    Text as HTML (LimeSurvey's texts are HTML): ``&``, ``<``, ``>`` and quotes escaped.

    With quotes escaped too, no cell holds a ``"``, so no reader of the file takes one for a
    field's quoting (LimeSurvey's importer reads it as delimited text).
    """
    return _escape(text, quote=True)


#: LimeSurvey's answer codes are at most five characters.
_CODE_LENGTH = 5


def _cell(value: object) -> str:
    # Tabs and line breaks would split a cell or a row: a text's are written as spaces, as
    # HTML (which LimeSurvey's texts are) shows them anyway.
    return " ".join(str(value).split()) if isinstance(value, str) else str(value)


def limesurvey(survey: Survey) -> str:
    """The tab-separated survey structure of *survey*, with a byte-order mark."""
    instrument = survey.instrument
    too_long = sorted({p.value for g in survey.groups for p in g.points if len(answer_code(p.value)) > _CODE_LENGTH})
    if too_long:
        raise InvalidArgumentError(
            f"LimeSurvey's answer codes have at most {_CODE_LENGTH} characters: the answers "
            f"{', '.join(map(str, too_long))} of {instrument.id!r} cannot be coded"
        )
    first, others = survey.languages[0], survey.languages[1:]
    rows: list[dict[str, object]] = [
        {"class": "S", "name": "language", "text": first},
        {"class": "S", "name": "additional_languages", "text": " ".join(others)},
        {"class": "S", "name": "format", "text": "G"},
        {"class": "S", "name": "assessments", "text": "Y"},
    ]

    def each_language(row: dict[str, object], texts: dict[str, str]) -> None:
        rows.extend({**row, "language": lang, "text": texts[lang]} for lang in survey.languages)

    for lang in survey.languages:
        rows.append(
            {"class": "SL", "name": "surveyls_title", "text": instrument.title.shown_in(lang), "language": lang}
        )
        if instrument.description is not None:
            description = escape(instrument.description.shown_in(lang))
            rows.append({"class": "SL", "name": "surveyls_description", "text": description, "language": lang})
    each_language(
        {"id": 1, "class": "G", "name": instrument.id, "relevance": "1"},
        {lang: escape(instrument.title.shown_in(lang)) for lang in survey.languages},
    )
    metadata = json.dumps({"leadscore": survey.metadata()}, ensure_ascii=False)
    each_language(
        {
            "id": 1,
            "class": "Q",
            "type/scale": "*",
            "name": STAMP,
            "relevance": "1",
            "help": escape(metadata),
            "mandatory": "N",
            "hidden": "1",
        },
        dict.fromkeys(survey.languages, survey.stamp),
    )
    for group in survey.groups:
        qid = group.number + 1
        each_language(
            {"id": qid, "class": "Q", "type/scale": "F", "name": group.code, "relevance": "1", "mandatory": "N"},
            dict.fromkeys(survey.languages, ""),
        )
        for item in group.items:
            each_language(
                {"id": qid, "class": "SQ", "type/scale": 0, "name": survey.names[item.id], "relevance": "1"},
                {lang: escape(item.text.shown_in(lang)) for lang in survey.languages},
            )
        for point in group.points:
            each_language(
                {"id": qid, "class": "A", "type/scale": 0, "name": answer_code(point.value), "relevance": point.value},
                {lang: escape(point.words[lang]) for lang in survey.languages},
            )
    lines = ["\t".join(_COLUMNS)]
    lines.extend("\t".join(_cell(row.get(column, "")) for column in _COLUMNS) for row in rows)
    return "\ufeff" + "\n".join(lines) + "\n"
