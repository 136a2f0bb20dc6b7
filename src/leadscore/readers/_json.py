"""
JSON answer files as tables: leadscore's own form files, SurveyJS results, lists of answer objects.

- A **form file** (`leadscore.surveys`' HTML form saves it): an object with ``"format":
  "leadscore-form"``, or a list of them. Each is one row: ``form`` (its format and version),
  ``leadscore`` (the stamp made of its instrument, version and fingerprint, checked against
  the installed instrument as any stamp column is), ``respondent``, ``language``, ``saved``,
  then its answers by item id.
- **SurveyJS results** (what ``survey.data`` holds on completion, one object per response;
  a list of them, or ``{"results": [...]}``): a matrix question's value is an object of row
  value to answer, and its entries become columns named by row value; other values are
  columns named by their question. Two columns of one name (a row value that is also a
  question's name) refuse the file.
- A list of **flat objects** (``leadscore score``'s JSON input): their keys are the columns.

Columns come in the order first seen; a row without a column has an empty cell (not
answered). A value that is an object inside a matrix row, or a list, stays a cell the
answer reader refuses by row and column. Line numbers are entry numbers, from 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

from leadscore._names import STAMP
from leadscore._serialization import parse_json
from leadscore.errors import InvalidExportError


__all__ = ["FORM", "json_kind", "json_rows"]

#: The ``format`` of leadscore's form file.
FORM = "leadscore-form"
#: The form file's versions this reader knows.
_FORM_VERSIONS = (1,)


def json_kind(data: Any) -> str:
    """``"form"``, ``"surveyjs"`` or ``"list"``: what a parsed JSON answer file is."""
    if _is_form(data) or (isinstance(data, list) and data and all(_is_form(entry) for entry in data)):
        return "form"
    if isinstance(data, Mapping) and isinstance(data.get("results"), list):
        return "surveyjs"
    if isinstance(data, list) and any(
        isinstance(entry, Mapping) and (STAMP in entry or any(isinstance(v, Mapping) for v in entry.values()))
        for entry in data
    ):
        return "surveyjs"
    return "list"


def _is_form(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get("format") == FORM


def read_json_source(source: Path | IO[bytes], name: str) -> Any:
    """The parsed JSON of *source* (UTF-8, strict: no NaN), or an `InvalidExportError` saying where it is broken."""
    try:
        raw = source.read_bytes() if isinstance(source, Path) else source.read()
    except OSError as error:
        raise InvalidExportError(name, [error.strerror or str(error)]) from error
    try:
        return parse_json(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise InvalidExportError(name, [f"not UTF-8 text (byte {error.start})"]) from error
    except ValueError as error:
        raise InvalidExportError(name, [f"not JSON: {error}"]) from error


def json_rows(data: Any, name: str) -> tuple[str, list[tuple[int, list[Any]]]]:
    """The file's kind and its rows (the header first, as line 0), or an `InvalidExportError` naming every problem."""
    kind = json_kind(data)
    if kind == "form":
        entries = data if isinstance(data, list) else [data]
        records, problems = [], []
        for number, entry in enumerate(entries, start=1):
            record, wrong = _form_record(entry, number if isinstance(data, list) else None)
            records.append(record)
            problems.extend(wrong)
        if problems:
            raise InvalidExportError(name, problems)
    else:
        entries = data["results"] if kind == "surveyjs" and isinstance(data, Mapping) else data
        if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
            raise InvalidExportError(
                name,
                [
                    (
                        "a JSON answer file must hold a leadscore form, a list of answer objects, "
                        "or SurveyJS results (a list of result objects)"
                    )
                ],
            )
        records = []
        problems = []
        for number, entry in enumerate(entries, start=1):
            record, wrong = _flattened(entry, number)
            records.append(record)
            problems.extend(wrong)
        if problems:
            raise InvalidExportError(name, problems)
    header: dict[str, None] = {}
    for record in records:
        header.update(dict.fromkeys(record))
    columns = list(header)
    rows = [(0, list(columns))]
    rows.extend((number, [record.get(c, "") for c in columns]) for number, record in enumerate(records, start=1))
    return kind, rows


def _form_record(entry: Mapping[str, Any], number: int | None) -> tuple[dict[str, Any], list[str]]:
    where = "the form file" if number is None else f"form {number}"
    problems = []
    version = entry.get("format_version")
    if version not in _FORM_VERSIONS or isinstance(version, bool):
        problems.append(f"{where}: format_version must be {', '.join(map(str, _FORM_VERSIONS))} (got {version!r:.40})")
    texts = {}
    for key in ("instrument", "version", "fingerprint"):
        value = entry.get(key)
        if not isinstance(value, str) or not value or any(c.isspace() for c in value):
            problems.append(f"{where}: {key} must be text without spaces (got {value!r:.80})")
        texts[key] = value
    answers = entry.get("answers")
    if not isinstance(answers, Mapping):
        problems.append(f"{where}: answers must be an object of item id to answer (got {type(answers).__name__})")
        answers = {}
    unknown = sorted(
        set(entry)
        - {
            "format",
            "format_version",
            "instrument",
            "version",
            "fingerprint",
            "language",
            "saved",
            "respondent",
            "answers",
        }
    )
    if unknown:
        problems.append(f"{where}: unknown keys {', '.join(map(repr, unknown))}")
    record: dict[str, Any] = {
        "form": f"{FORM} {version}",
        STAMP: f"{texts['instrument']} {texts['version']} {texts['fingerprint']}",
        "respondent": _cell(entry.get("respondent")),
        "language": _cell(entry.get("language")),
        "saved": _cell(entry.get("saved")),
    }
    clash = sorted(set(answers) & set(record))
    if clash:
        problems.append(f"{where}: answers hold {', '.join(map(repr, clash))}, which name the form's own fields")
    record.update({key: _cell(value) for key, value in answers.items()})
    return record, problems


def _cell(value: Any) -> Any:
    """A JSON value as a table's cell: null is an empty cell (not answered, or no text)."""
    return "" if value is None else value


def _flattened(entry: Mapping[str, Any], number: int) -> tuple[dict[str, Any], list[str]]:
    record: dict[str, Any] = {}
    source: dict[str, str] = {}
    problems = []
    for key, value in entry.items():
        inner = value.items() if isinstance(value, Mapping) else [(key, value)]
        for column, cell in inner:
            if column in record:
                problems.append(
                    f"entry {number}: {column!r} is both {source[column]} and {_said(key, column)}: "
                    "rename one in the survey"
                )
                continue
            record[column] = _cell(cell)
            source[column] = _said(key, column)
    return record, problems


def _said(key: str, column: str) -> str:
    return f"the question {key!r}" if key == column else f"a row of the matrix {key!r}"
