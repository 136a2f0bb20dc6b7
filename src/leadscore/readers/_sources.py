"""
The kinds of file an export comes in, each as a `Table`: rows of cells with their numbers.

Delimited text (CSV, TSV, Excel's "Unicode text") is read here in pure Python. Excel
workbooks (``.xlsx``, ``.xlsm``) are read with python-calamine (the ``excel`` extra: a fast,
well-kept reader in Rust, the engine pandas itself offers); SPSS (``.sav``) and Stata
(``.dta``) files with pyreadstat (the ``spss`` extra), which gives each column's variable
label, value labels and user-missing values.
"""

from __future__ import annotations

import math

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from attrs import field, frozen

from leadscore.errors import InvalidExportError
from leadscore.readers._json import json_rows, read_json_source
from leadscore.readers._text import DELIMITERS, open_text, rows_of


__all__ = ["EXCEL", "STATISTICS", "FrameRows", "Table", "as_text", "frame_rows", "open_table"]

EXCEL = (".xlsx", ".xlsm")
STATISTICS = {".sav": "SPSS", ".zsav": "SPSS", ".dta": "Stata"}

_Line = tuple[int, list[Any]]
_JSON_PLATFORMS = {
    "form": ("leadscore-form", "a leadscore form file"),
    "surveyjs": ("surveyjs", "SurveyJS results"),
    "list": ("csv", "a list of answer objects"),
}


@frozen
class Table:
    """
    A file's rows, the first its header; and what the file says about its columns.

    Attributes:
        name: The file's name, for messages.
        kind: ``"text"``, ``"excel"``, ``"spss"``, ``"stata"``, ``"json"`` or ``"frame"``.
        rows: Each row with the number a person finds it by (its line, or its row in a sheet).
        encoding, delimiter, delimiter_how: Of a text file (None otherwise).
        sheet: Of a workbook.
        labels: Variable labels by column name (SPSS, Stata).
        value_labels: Value labels by column name, code to label (SPSS, Stata).
        user_missing: Codes the file declares missing, by column name (SPSS, Stata).
        handle: The file opened here from a path, closed by `close`.
        platform: The platform the file's kind itself says (a JSON file: SurveyJS or leadscore's
            form), with *platform_reason*; None where the header decides.
    """

    name: str
    kind: str
    rows: Iterator[_Line]
    encoding: str | None = None
    delimiter: str | None = None
    delimiter_how: str | None = None
    sheet: str | None = None
    labels: Mapping[str, str] = field(factory=dict)
    value_labels: Mapping[str, Mapping[int, str]] = field(factory=dict)
    user_missing: Mapping[str, frozenset[int]] = field(factory=dict)
    handle: IO[bytes] | None = None
    platform: str | None = None
    platform_reason: str | None = None

    def close(self) -> None:
        """Close the file this table opened itself (a path's), if any."""
        if self.handle is not None:
            self.handle.close()


@frozen
class FrameRows:
    """A DataFrame's header and rows, as Python values, each row with its index label (or position)."""

    header: list[str]
    rows: list[_Line]


def open_table(
    source: Path | IO[bytes] | FrameRows,
    name: str,
    *,
    encoding: str | None,
    delimiter: str | None,
    delimiter_how: str,
    sheet: str | int | None,
) -> Table:
    """The table in *source*, by its name's suffix (text unless it is a workbook or a statistics file)."""
    if isinstance(source, FrameRows):
        if sheet is not None or encoding is not None or delimiter is not None:
            raise InvalidExportError(name, ["a DataFrame has no sheet, encoding or delimiter"])
        return Table(name, "frame", iter([(0, source.header), *source.rows]))
    suffix = Path(name).suffix.lower()
    if suffix in EXCEL:
        return _excel(source, name, sheet)
    if sheet is not None:
        raise InvalidExportError(name, ["a sheet was given, but this is no Excel workbook (.xlsx)"])
    if suffix in STATISTICS:
        return _statistics(source, name, STATISTICS[suffix])
    if suffix == ".json":
        if encoding is not None or delimiter is not None:
            raise InvalidExportError(name, ["a JSON file is UTF-8 and has no delimiter: give neither"])
        kind, rows = json_rows(read_json_source(source, name), name)
        platform, reason = _JSON_PLATFORMS[kind]
        return Table(name, "json", iter(rows), platform=platform, platform_reason=reason)
    owned = None
    if isinstance(source, Path):
        try:
            owned = source.open("rb")
        except OSError as error:
            raise InvalidExportError(name, [error.strerror or str(error)]) from error
    try:
        text = open_text(owned or source, name, encoding=encoding, delimiter=delimiter)  # type: ignore[arg-type]
    except BaseException:
        if owned is not None:
            owned.close()
        raise
    how = delimiter_how if delimiter is not None else "sniffed"
    return Table(name, "text", rows_of(text), text.encoding, DELIMITERS[text.delimiter], how, handle=owned)


def _excel(source: Path | IO[bytes], name: str, sheet: str | int | None) -> Table:
    try:
        from python_calamine import CalamineError, CalamineWorkbook  # noqa: PLC0415 - the excel extra
    except ImportError as error:
        raise ImportError("reading Excel workbooks needs the excel extra: pip install 'leadscore[excel]'") from error
    try:
        book = (
            CalamineWorkbook.from_path(str(source))
            if isinstance(source, Path)
            else CalamineWorkbook.from_filelike(source)
        )
        names = book.sheet_names
        if sheet is None:
            chosen = names[0]
        elif isinstance(sheet, int) and not isinstance(sheet, bool):
            if not 1 <= sheet <= len(names):
                raise InvalidExportError(name, [f"sheet {sheet}: the workbook has {len(names)} sheet(s)"])
            chosen = names[sheet - 1]
        elif sheet in names:
            chosen = sheet
        else:
            raise InvalidExportError(name, [f"no sheet {sheet!r}; the sheets are {', '.join(map(repr, names))}"])
        data = book.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
    except CalamineError as error:
        raise InvalidExportError(name, [f"not a readable Excel workbook ({error})"]) from error
    rows = [(number, [None if cell == "" else cell for cell in row]) for number, row in enumerate(data, start=1)]
    rows = [(number, cells) for number, cells in rows if any(cell is not None for cell in cells)]
    if rows:
        rows[0] = (rows[0][0], [as_text(cell) for cell in rows[0][1]])
    return Table(name, "excel", iter(rows), sheet=chosen)


def as_text(cell: Any) -> str:
    """A cell as text, for headers, ids and kept columns: a number Excel stores as 1.0 is "1"."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def _statistics(source: Path | IO[bytes], name: str, kind: str) -> Table:
    if not isinstance(source, Path):
        raise InvalidExportError(name, [f"a {kind} file is read from a path, not from an open file"])
    try:
        import pyreadstat  # noqa: PLC0415 - the spss extra
    except ImportError as error:
        raise ImportError(f"reading {kind} files needs the spss extra: pip install 'leadscore[spss]'") from error
    read = pyreadstat.read_sav if kind == "SPSS" else pyreadstat.read_dta
    try:
        frame, meta = read(str(source), user_missing=True)
    except pyreadstat.ReadstatError as error:
        raise InvalidExportError(name, [f"not a readable {kind} file ({error})"]) from error
    except OSError as error:  # pragma: no cover - pyreadstat reports a missing file as a ReadstatError
        raise InvalidExportError(name, [error.strerror or str(error)]) from error
    columns = list(meta.column_names)
    labels = {c: label for c, label in zip(columns, meta.column_labels or [], strict=False) if label}
    value_labels = {
        column: {int(code): str(text) for code, text in found.items() if float(code).is_integer()}
        for column, found in (meta.variable_value_labels or {}).items()
    }
    missing: dict[str, set[int]] = {}
    for column, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        for span in ranges:
            low, high = span["lo"], span["hi"]
            if isinstance(low, (int, float)) and isinstance(high, (int, float)) and high - low <= 1000:
                missing.setdefault(column, set()).update(range(math.ceil(low), math.floor(high) + 1))
    rows: list[_Line] = [(0, columns)]
    for number, values in enumerate(frame.itertuples(index=False, name=None), start=1):
        rows.append((number, [None if _blank(v) else v for v in values]))
    return Table(
        name,
        kind.lower(),
        iter(rows),
        labels=labels,
        value_labels=value_labels,
        user_missing={c: frozenset(codes) for c, codes in missing.items()},
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def frame_rows(source: Any) -> FrameRows | None:
    """
    A pandas, Polars, PyArrow or other eager frame's header and rows (through narwhals), or None.

    Column labels become text as headers do (``1`` names column "1"); rows are known by
    their index label when a pandas frame's labels are whole numbers, else by position.
    """
    try:
        import narwhals as nw  # noqa: PLC0415 - frames only
    except ImportError:  # pragma: no cover - narwhals comes with the pandas extra
        return None
    try:
        wrapped = nw.from_native(source, eager_only=True)
    except TypeError:
        return None
    data = wrapped.to_dict(as_series=False)
    labels = list(data)
    count = len(wrapped)
    index = getattr(source, "index", None)
    numbers = list(index) if index is not None else list(range(count))
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
        numbers = list(range(count))
    columns = [data[label] for label in labels]
    rows = [(int(numbers[n]), [column[n] for column in columns]) for n in range(count)]
    return FrameRows([as_text(label) for label in labels], rows)
