"""
The REDCap data dictionary: a CSV of one row per field, which REDCap uploads as an instrument.

Shapes from REDCap's data dictionary rules (the 18 columns of REDCap's Data Dictionary, as
listed in the REDCap knowledge base, RC-FD-08; field and form names of lowercase letters,
digits and underscores beginning with a letter; the first field the record id; a radio
field's choices ``code, label | code, label``; matrix groups of fields with the same
choices), checked in the tests by a validator of those rules.

Every item is a ``radio`` field named by its variable name (`leadscore._names`); a group of
items with the same answers is a matrix group named by its code. The first field is
``record_id``; the field ``leadscore`` is hidden and read-only, holds the stamp by
``@DEFAULT`` (so every record carries it) and, in its annotation, the whole of
`Survey.metadata`. A dictionary has one language: with several, the first is written and
a `SurveyExportWarning` names the others (REDCap's Multi-Language Management takes
translations apart from the dictionary). A ``|`` in a label would end the choice: it is
written as ``/``, with a warning.
"""

from __future__ import annotations

import csv
import io
import json
import re

from leadscore._names import STAMP
from leadscore.surveys._common import Survey, degraded


__all__ = ["COLUMNS", "redcap"]

#: The data dictionary's columns, in REDCap's order.
COLUMNS = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)


def form_name(instrument_id: str) -> str:
    """The instrument's id as a REDCap form name: separators as ``_``, a letter first."""
    name = re.sub(r"[-.]", "_", instrument_id)
    return name if name[0].isalpha() else f"form_{name}"


def redcap(survey: Survey) -> str:
    """The data dictionary of *survey*."""
    instrument = survey.instrument
    lang = survey.languages[0]
    if len(survey.languages) > 1:
        others = ", ".join(survey.languages[1:])
        degraded(
            f"a REDCap data dictionary holds one language: written in {lang}; {others} not carried "
            "(translate with REDCap's Multi-Language Management)"
        )
    form = form_name(instrument.id)
    rows = [
        {"Variable / Field Name": "record_id", "Field Type": "text", "Field Label": "Record ID"},
        {
            "Variable / Field Name": STAMP,
            "Field Type": "text",
            "Field Label": f"leadscore: {instrument.title.shown_in(lang)}",
            "Field Annotation": f"@HIDDEN @READONLY @DEFAULT='{survey.stamp}'\n"
            + json.dumps({"leadscore": survey.metadata()}, ensure_ascii=False),
        },
    ]
    piped = []
    for group in survey.groups:
        choices = []
        for point in group.points:
            label = point.words[lang]
            if "|" in label:
                piped.append(label)
                label = label.replace("|", "/")
            choices.append(f"{point.value}, {' '.join(label.split())}")
        rows.extend(
            {
                "Variable / Field Name": survey.names[item.id],
                "Field Type": "radio",
                "Field Label": " ".join(item.text.shown_in(lang).split()),
                "Choices, Calculations, OR Slider Labels": " | ".join(choices),
                "Matrix Group Name": group.code if len(group.items) > 1 else "",
                "Field Annotation": f"leadscore item {item.id}",
            }
            for item in group.items
        )
    if piped:
        degraded(f"'|' ends a REDCap choice: written as '/' in {', '.join(map(repr, sorted(set(piped))))}")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, form if column == "Form Name" else "") for column in COLUMNS})
    return out.getvalue()
