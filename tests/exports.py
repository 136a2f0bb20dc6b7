"""
Survey platform exports written from answer sets, for reading back (tests only).

Each writer follows the facts gathered in shared/research/exports.md about that platform's
export: header rows, metadata columns, how items are named, codes or label text, missing
codes, delimiter, byte-order mark. They are written here from those facts, not copied from
any platform's files.
"""

from __future__ import annotations

import csv
import io
import json
import random

from collections.abc import Sequence
from typing import Any

from leadscore import Instrument, Item
from leadscore.readers import MappingFile


PLATFORMS = (
    "csv",
    "qualtrics",
    "limesurvey",
    "surveymonkey",
    "google-forms",
    "microsoft-forms",
    "sosci",
    "castor",
)


class Export:
    """An export's bytes, the mapping file it needs (if any), and the answers written into it."""

    def __init__(self, data: bytes, mapping: MappingFile | None, answers: list[dict[str, int | None]]) -> None:
        """Hold what was written."""
        self.data, self.mapping, self.answers = data, mapping, answers


def text_of(item: Item, language: str) -> str:
    """The item's text in *language* (or its first language)."""
    return item.text.get(language, *item.text.languages)


def cell(  # noqa: PLR0911 - one return per way of writing
    item: Item, value: int | None, platform: str, *, labels: bool, language: str, rng: random.Random
) -> str:
    """How *platform* writes *value* of *item*."""
    response = item.response
    na = response.not_applicable
    if value is None:
        return {"sosci": "-9", "castor": rng.choice(["-95", "-97", "-98", "-99"])}.get(platform, "")
    if na is not None and value == na.code:
        if platform == "sosci":
            return "-1"
        if platform == "castor":
            return "-96"
        if labels:
            return _varied(na.label.get(language, *na.label.languages), rng)
        return str(value)
    label = response.label(value)
    if labels and label is not None:
        return _varied(label.get(language, *label.languages), rng)
    return str(value)


def _varied(text: str, rng: random.Random) -> str:
    """Label text as people and platforms write it: any case, spaces around it."""
    cased = rng.choice([text.lower(), text.upper(), text.title(), text])
    return " " * rng.randint(0, 1) + cased + " " * rng.randint(0, 1)


def export(  # noqa: PLR0915 - one branch per platform, side by side
    platform: str,
    instrument: Instrument,
    answer_sets: Sequence[dict[str, int | None]],
    *,
    language: str = "nl",
    labels: bool = False,
    bom: bool = False,
    seed: int = 0,
    excel: bool = False,
) -> Export:
    """Write *answer_sets* as *platform* exports them (as text, or saved as an Excel workbook)."""
    rng = random.Random(seed)
    items = list(instrument.items)
    answers = [{item.id: given.get(item.id) for item in items} for given in answer_sets]

    def values(row: dict[str, int | None], *, use_labels: bool = labels) -> list[str]:
        return [cell(i, row[i.id], platform, labels=use_labels, language=language, rng=rng) for i in items]

    mapping = None
    delimiter = ","
    if platform == "csv":
        header_rows = [["respondent", *(i.id for i in items)]]
        body = [[f"r{n}", *values(row)] for n, row in enumerate(answers)]
    elif platform == "qualtrics":
        meta = ["StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)", "Finished", "ResponseId"]
        names = [*meta, *(f"Q1_{k + 1}" for k in range(len(items)))]
        stem = "Geef aan in hoeverre dit klopt" if language == "nl" else "How well does this describe you"
        texts = [*meta, *(f"{stem} - {text_of(i, language)}" for i in items)]
        ids = [json.dumps({"ImportId": m}) for m in meta] + [
            json.dumps({"ImportId": f"QID1_{k + 1}"}) for k in range(len(items))
        ]
        header_rows = [names, texts, ids]
        body = [["2026-11-01 10:00:00", "2026-11-01 10:07:00", "0", "100", "420", "1", f"R_{n:05d}", *values(row)]
                for n, row in enumerate(answers)]  # fmt: skip
    elif platform == "limesurvey":
        meta = ["id", "submitdate", "lastpage", "startlanguage", "seed"]
        question = "Hoe ziet u deze leider?" if language == "nl" else "How do you see this leader?"
        header_rows = [[*meta, *(f"{question} [{text_of(i, language)}]" for i in items)]]
        body = [[str(n + 1), "2026-11-01 10:07:00", "3", language, str(rng.randint(1, 10**9)), *values(row)]
                for n, row in enumerate(answers)]  # fmt: skip
    elif platform == "surveymonkey":
        meta = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address"]
        question = "Hoe vaak doet deze leider het volgende?" if language == "nl" else "How often does this leader:"
        first = [*meta, question, *([""] * (len(items) - 1))]
        second = [*([""] * len(meta)), *(text_of(i, language) for i in items)]
        header_rows = [first, second]
        body = [[str(10**10 + n), "123456789", "11/01/2026 10:00:00 AM", "11/01/2026 10:07:00 AM", "", *values(row)]
                for n, row in enumerate(answers)]  # fmt: skip
    elif platform == "google-forms":
        stamp = "Tijdstempel" if language == "nl" else "Timestamp"
        question = "Beoordeel" if language == "nl" else "Rate"
        header_rows = [[stamp, *(f"{question} [{text_of(i, language)}]" for i in items)]]
        body = [[f"2026/11/01 10:0{n % 10}:00", *values(row)] for n, row in enumerate(answers)]
    elif platform == "microsoft-forms":
        header_rows = [["ID", "Start time", "Completion time", "Email", "Name", *(text_of(i, language) for i in items)]]
        body = [[str(n + 1), "11/1/26 10:00:00", "11/1/26 10:07:00", "anonymous", "", *values(row)]
                for n, row in enumerate(answers)]  # fmt: skip
    elif platform == "sosci":
        delimiter = "\t"
        names = [f"AB01_{k + 1:02d}" for k in range(len(items))]
        header_rows = [["CASE", "SERIAL", "REF", "QUESTNNR", "MODE", "STARTED", *names, "TIME001", "FINISHED"]]
        body = [[str(n + 1), "", "", "base", "interview", "2026-11-01 10:00:00", *values(row, use_labels=False),
                 str(rng.randint(5, 500)), "1"] for n, row in enumerate(answers)]  # fmt: skip
        mapping = MappingFile(columns=dict(zip(names, (i.id for i in items), strict=True)))
    elif platform == "castor":
        delimiter = ";"
        names = [f"lead_{k + 1}" for k in range(len(items))]
        header_rows = [["Participant Id", "Participant Status", "Site Abbreviation", *names]]
        body = [[f"{n + 1:03d}", "Completed", "UMCG", *values(row, use_labels=False)] for n, row in enumerate(answers)]
        mapping = MappingFile(columns=dict(zip(names, (i.id for i in items), strict=True)))
    else:
        raise ValueError(platform)
    if excel:
        return Export(workbook([*header_rows, *body]), mapping, answers)
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([*header_rows, *body])
    data = text.getvalue().encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    return Export(data, mapping, answers)


def workbook(rows: list[list[str]], sheet: str = "Blad1") -> bytes:
    """*rows* as an Excel workbook, whole numbers stored as numbers, as Excel holds them."""
    import xlsxwriter  # type: ignore[import-untyped]  # noqa: PLC0415 - a test dependency

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    page = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value.lstrip("-").isdigit() and r > 0:
                page.write_number(r, c, int(value))
            elif value:
                page.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def frame_rows(frame: Any) -> list[dict[str, int | None]]:
    """A read_responses answers frame as answer sets (``<NA>`` as None)."""
    return [
        {column: (None if value is None else int(value)) for column, value in row.items()}
        for row in frame.astype(object).where(frame.notna(), None).to_dict("records")
    ]
