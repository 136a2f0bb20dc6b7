"""
Survey platforms, simulated from the survey file alone: what each would export as responses.

Each function takes the text `leadscore.export_survey` wrote and answer sets keyed by item
id, and returns the response export the platform would give (codes or labels, its header
rows and metadata columns), knowing of the instrument only what the survey file says: the
question and answer codes, the answer texts, the variable map in its metadata. No platform
runs here; these follow the platforms' documented export shapes (docs/survey-platforms.md).
"""

from __future__ import annotations

import csv
import html
import io
import json

from collections.abc import Mapping, Sequence
from typing import Any


Answers = Mapping[str, int | None]


def _metadata_json(text: str) -> dict[str, Any]:
    """The ``{"leadscore": {...}}`` object written into a survey's metadata, found in *text*."""
    start = text.index('{"leadscore"')
    return json.JSONDecoder().raw_decode(text[start:])[0]["leadscore"]  # type: ignore[no-any-return]


def limesurvey(survey: str, people: Sequence[Answers], *, labels: bool = False) -> bytes:
    """A LimeSurvey response export (CSV, comma): ``g1[stayscalm]`` columns, answer codes or full answers."""
    rows = list(csv.DictReader(io.StringIO(survey.lstrip("\ufeff")), delimiter="\t", quoting=csv.QUOTE_NONE))
    base = next(r["text"] for r in rows if r["class"] == "S" and r["name"] == "language")
    ours = [r for r in rows if r["language"] == base]
    stamp = next(r["text"] for r in ours if r["class"] == "Q" and r["type/scale"] == "*")
    metadata = _metadata_json(
        html.unescape(next(r["help"] for r in ours if r["class"] == "Q" and r["type/scale"] == "*"))
    )
    item_of = {name: item_id for item_id, name in metadata["variables"].items()}
    columns: list[tuple[str, str]] = []  # (column, item id)
    answer_texts: dict[str, dict[str, str]] = {}  # question -> code -> text
    codes: dict[str, dict[int, str]] = {}
    question = ""
    for row in ours:
        if row["class"] == "Q" and row["type/scale"] == "F":
            question = row["name"]
        elif row["class"] == "SQ":
            columns.append((f"{question}[{row['name']}]", item_of[row["name"]]))
        elif row["class"] == "A":
            answer_texts.setdefault(question, {})[row["name"]] = html.unescape(row["text"])
            codes.setdefault(question, {})[int(row["relevance"])] = row["name"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["id", "submitdate", "lastpage", "startlanguage", "seed", "leadscore", *(c for c, _ in columns)])
    for number, person in enumerate(people, start=1):
        cells = []
        for column, item_id in columns:
            value = person.get(item_id)
            group = column.split("[")[0]
            code = "" if value is None else codes[group][value]
            cells.append(answer_texts[group][code] if labels and code else code)
        writer.writerow([number, "2026-11-30 10:00:00", 2, base, 12345, stamp, *cells])
    return out.getvalue().encode("utf-8")


def qualtrics(survey: str, people: Sequence[Answers], *, labels: bool = False) -> bytes:
    """A Qualtrics CSV export: three header rows, export tags as columns, recode values or choice text."""
    document = json.loads(survey)
    stamp = next(
        data["Value"]
        for element in document["SurveyElements"]
        if element["Element"] == "FL"
        for flow in element["Payload"]["Flow"]
        if flow["Type"] == "EmbeddedData"
        for data in flow["EmbeddedData"]
    )
    columns: list[tuple[str, str, str, dict[int, str]]] = []  # tag, text, import id, recode -> display
    for element in document["SurveyElements"]:
        if element["Element"] != "SQ":
            continue
        payload = element["Payload"]
        shown = {
            int(payload["RecodeValues"][key]): html.unescape(answer["Display"])
            for key, answer in payload["Answers"].items()
        }
        for key in payload["ChoiceOrder"]:
            statement = html.unescape(payload["Choices"][key]["Display"])
            tag = payload["ChoiceDataExportTags"][key]
            columns.append((tag, f"{payload['QuestionText']} - {statement}", f"{payload['QuestionID']}_{key}", shown))
    metadata = ["StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)", "Finished", "ResponseId"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*metadata, *(c[0] for c in columns), "leadscore"])
    writer.writerow([*metadata, *(c[1] for c in columns), "leadscore"])
    writer.writerow(
        [
            *(json.dumps({"ImportId": m.lower()}) for m in metadata),
            *(json.dumps({"ImportId": c[2]}) for c in columns),
            json.dumps({"ImportId": "leadscore"}),
        ]
    )
    for number, person in enumerate(people, start=1):
        cells = []
        for tag, _, _, shown in columns:
            value = person.get(tag)
            cells.append("" if value is None else shown[value] if labels else str(value))
        writer.writerow(
            ["2026-11-30 10:00:00", "2026-11-30 10:05:00", "0", "100", "300", "1", f"R_{number:04d}", *cells, stamp]
        )
    return out.getvalue().encode("utf-8-sig")


def redcap(dictionary: str, people: Sequence[Answers], *, labels: bool = False) -> bytes:
    """A REDCap data export (CSV): record_id, the fields, the form's complete flag; raw codes or labels."""
    fields = list(csv.DictReader(io.StringIO(dictionary)))
    form = fields[0]["Form Name"]
    stamp_field = next(f for f in fields if f["Variable / Field Name"] == "leadscore")
    stamp = stamp_field["Field Annotation"].split("@DEFAULT='")[1].split("'")[0]
    metadata = _metadata_json(stamp_field["Field Annotation"])
    item_of = {name: item_id for item_id, name in metadata["variables"].items()}
    radios = []
    for field in fields:
        if field["Field Type"] == "radio":
            choices = {}
            for choice in field["Choices, Calculations, OR Slider Labels"].split(" | "):
                code, label = choice.split(", ", 1)
                choices[int(code)] = label
            radios.append((field["Variable / Field Name"], item_of[field["Variable / Field Name"]], choices))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "record_id",
            "redcap_survey_identifier",
            f"{form}_timestamp",
            "leadscore",
            *(r[0] for r in radios),
            f"{form}_complete",
        ]
    )
    for number, person in enumerate(people, start=1):
        cells = []
        for _, item_id, choices in radios:
            value = person.get(item_id)
            cells.append("" if value is None else choices[value] if labels else str(value))
        writer.writerow([number, "", "2026-11-30 10:05", stamp, *cells, 2])
    return out.getvalue().encode("utf-8")


def surveyjs(form: str, people: Sequence[Answers]) -> bytes:
    """SurveyJS results: one ``survey.data`` object per response, as an app stores them (a JSON list)."""
    document = json.loads(form)
    stamp = document["calculatedValues"][0]["expression"].strip("'")
    results = []
    for person in people:
        data: dict[str, Any] = {}
        for page in document["pages"]:
            for element in page["elements"]:
                # A matrix stores the value of the column chosen, as the form gives it.
                values = {str(column["value"]): column["value"] for column in element["columns"]}
                rows = {row["value"]: person.get(row["value"]) for row in element["rows"]}
                answered = {key: values[str(value)] for key, value in rows.items() if value is not None}
                if answered:  # SurveyJS leaves an unanswered matrix out of the data.
                    data[element["name"]] = answered
        data["leadscore"] = stamp
        results.append(data)
    return json.dumps(results).encode("utf-8")


def form_file(page: str, person: Answers, *, respondent: str | None = None) -> bytes:
    """What the HTML form's script saves for *person* (as the browser test checks it does)."""
    start = page.index('<script type="application/json" id="leadscore-survey">') + len(
        '<script type="application/json" id="leadscore-survey">'
    )
    data = json.loads(page[start : page.index("</script>", start)])
    saved: dict[str, Any] = {
        "format": data["format"],
        "format_version": 1,
        "instrument": data["instrument"],
        "version": data["version"],
        "fingerprint": data["fingerprint"],
        "language": data["languages"][0],
        "saved": "2026-11-30T10:00:00.000Z",
    }
    if respondent is not None:
        saved["respondent"] = respondent
    saved["answers"] = {item_id: person.get(item_id) for item_id in data["items"]}
    return json.dumps(saved, indent=2).encode("utf-8")
