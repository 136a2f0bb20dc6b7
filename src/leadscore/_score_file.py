"""
`score_file`: a file of answer sets scored into a table of scores, written whole or not at all.

What ``leadscore score`` does, as a function an app calls: the file is a survey export (CSV,
TSV, Excel, SPSS, Stata, read by `leadscore.readers` with every check) or JSON answer sets (a
``.json`` list, ``.jsonl`` lines, a saved HTML form or SurveyJS results); each row is scored by
`leadscore.score`, or with pandas installed in blocks by `leadscore.frames.score_frame` (the
same bytes: `leadscore._score_fast`); the scores are written as CSV in the one layout of every
table of scores (`Plan.table_columns`) or as JSON Lines of results.
"""

from __future__ import annotations

import contextlib
import csv
import importlib
import itertools
import json
import sys

from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Literal, Self

from attrs import frozen

from leadscore._checks import file_path
from leadscore._files import (
    OutputFile,
    as_it_is,
    json_entries,
    json_text,
    path_of,
    read_json,
    read_rows,
    spreadsheet_safe,
    terminal_safe,
)
from leadscore._model import Instrument
from leadscore._plan import compiled
from leadscore._registry import resolve
from leadscore._results import Result, rows_of
from leadscore._scoring import score
from leadscore._serialization import unstructure
from leadscore._tabular import coerce_answers
from leadscore.errors import InvalidAnswerError, InvalidAnswersError, InvalidArgumentError
from leadscore.readers import MappingFile, MappingReport, Reading, Row
from leadscore.readers._front import reading_of
from leadscore.readers._json import json_kind
from leadscore.readers._reader import DEFAULT_ID, ReadOptions


__all__ = ["TABLES", "AnswerFile", "Input", "Outputs", "ScoredFile", "on_row", "score_file", "write_scores"]

#: The suffixes of files read as survey exports (tables); any other is JSON answer sets.
TABLES = frozenset({".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".sav", ".zsav", ".dta"})
# The fields of the CSV of scores, and where each is in a result's row of a scale and of a
# composite: (value, n_answered, n_not_applicable, n_items, pomp, band, reason) and (value, pomp,
# band, reason).
_CSV_FIELDS = ("value", "pomp", "band")
_SCALE_ROW = {"value": 0, "pomp": 4, "band": 5}
_COMPOSITE_ROW = {"value": 0, "pomp": 1, "band": 2}
# The options of reading a file as given when none is: JSON answer sets take none of an export's.
_DEFAULTS = ReadOptions()


@frozen(kw_only=True)
class ScoredFile:
    """
    What `score_file` read, decided and wrote.

    Attributes:
        instrument_id: The instrument the file was scored with.
        instrument_version: Its version.
        source: The file's name.
        format: ``"csv"`` or ``"jsonl"``.
        id_column: The output's first column: the column that identified a response, or
            ``"line"`` when rows are known by their line.
        kept: The columns carried into the output, in its order.
        columns: The output's header (CSV; for JSON Lines the keys of each line but the result's).
        rows_read: Data rows read.
        rows_scored: Rows scored and written.
        rows_rejected: Rows rejected (with ``on_error="report"``, written to *rejected*).
        absent: Items of the instrument no column held: not answered in any row.
        mapping: How a survey export's columns were read (`leadscore.readers.MappingReport`);
            None for JSON answer sets.

    .. versionadded:: 0.1.0
    """

    instrument_id: str
    instrument_version: str
    source: str
    format: str
    id_column: str
    kept: tuple[str, ...]
    columns: tuple[str, ...]
    rows_read: int
    rows_scored: int
    rows_rejected: int
    absent: tuple[str, ...]
    mapping: MappingReport | None


def score_file(
    instrument: Instrument | str,
    source: str | Path,
    *,
    out: str | Path | IO[str],
    format: Literal["csv", "jsonl"] = "csv",  # noqa: A002 - the glossary's word
    on_error: Literal["raise", "report"] = "raise",
    rejected: str | Path | IO[str] | None = None,
    platform: str = "auto",
    mapping: MappingFile | str | Path | None = None,
    keep: Iterable[str] = (),
    ignore: Iterable[str] = (),
    id_column: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    raw_text: bool = False,
    on_message: Callable[[str], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ScoredFile:
    r"""
    Score every answer set in the file *source* and write the scores to *out*.

    Args:
        instrument: The instrument, or its id.
        source: A survey export (``.csv``, ``.tsv``, ``.txt``, ``.xlsx``, ``.xlsm``, ``.sav``,
            ``.zsav``, ``.dta``; read as `leadscore.read_responses` reads it) or JSON answer
            sets (``.json``: a list of objects of item id to answer, a saved HTML form or
            SurveyJS results; ``.jsonl``: one object per line).
        out: A path, written whole when the run succeeds and not at all when it fails, or an
            open text stream. A path may not be *source*, a folder, or in a missing folder.
        format: ``"csv"`` (the id column, the kept columns, then the scores in the one layout
            of the glossary: value, POMP and band per score) or ``"jsonl"`` (one JSON result
            per line, with the id and kept columns).
        on_error: ``"raise"``: the first bad row stops the run (nothing is written to a path)
            with an `InvalidAnswersError` naming its cells by row and column. ``"report"``:
            the good rows are scored; each bad row goes to *rejected* as a JSON line
            (``{"row", "answers", "errors"}``).
        rejected: Where rejected rows go (a path, written whole, or a text stream); needed
            with ``on_error="report"``, so that no row is lost silently.
        platform: A survey export's platform (`leadscore.read_responses`); not for JSON.
        mapping: A survey export's mapping file (`leadscore.read_responses`); not for JSON.
        keep: Columns carried into the output, after the id column.
        ignore: Columns that are no items, left out.
        id_column: The column that identifies a response (default ``respondent`` when the
            file has it; otherwise an export's rows are known by their line).
        delimiter: A delimited export's delimiter (`leadscore.read_responses`); not for JSON.
        encoding: An export's text encoding (`leadscore.read_responses`); not for JSON.
        sheet: A workbook's sheet (`leadscore.read_responses`); not for JSON.
        raw_text: Write text cells that a spreadsheet would run as a formula (starting with
            ``=``, ``+``, ``-``, ``@``) as they are; by default they get a leading ``'``.
        on_message: Called with each thing a person should be told as it happens: an item
            no column holds, each problem of a rejected row.
        on_progress: Called with the number of rows just scored, as the run goes.

    Returns:
        A `ScoredFile`: what was read, decided and written.

    Raises:
        InvalidFileError: An input that cannot be read (bad bytes, malformed JSON), or an
            output that may not be written.
        InvalidExportError: A survey export whose columns cannot be placed.
        InvalidAnswersError: With ``on_error="raise"``, the first bad row.
        InvalidArgumentError: Options that do not go together (``"report"`` without
            *rejected*; *out* and *rejected* one file; an export's options for JSON).
        ImportError: A workbook or statistics file without the extra that reads it.

    .. versionadded:: 0.1.0
    """
    path = path_of(source, "source")
    outputs = Outputs(path, out, rejected, format=format, on_error=on_error)
    instrument = resolve(instrument)
    options = ReadOptions.checked(
        platform=platform,
        mapping=mapping,
        keep=keep,
        ignore=ignore,
        id_column=id_column,
        delimiter=delimiter,
        encoding=encoding,
        sheet=sheet,
    )
    answers = AnswerFile(instrument, path, options)
    return write_scores(instrument, answers, outputs, raw_text=raw_text, on_message=on_message, on_progress=on_progress)


class Outputs:
    """Where `score_file` writes, and how: checked before any work is done."""

    def __init__(
        self,
        source: Path,
        out: str | Path | IO[str],
        rejected: str | Path | IO[str] | None,
        *,
        format: str,  # noqa: A002 - the glossary's word
        on_error: str,
    ) -> None:
        """Check the options and the output files of scoring *source* (see `score_file`)."""
        if format not in {"csv", "jsonl"}:
            raise InvalidArgumentError(f"format must be 'csv' or 'jsonl' (got {format!r:.80})")
        if on_error not in {"raise", "report"}:
            raise InvalidArgumentError(f"on_error must be 'raise' or 'report' (got {on_error!r:.80})")
        if on_error == "report" and rejected is None:
            raise InvalidArgumentError(
                "on_error 'report' needs a file for the rejected rows, so that no row is lost silently"
            )
        paths = [given for given in (out, rejected) if isinstance(given, (str, Path))]
        if len(paths) == 2 and file_path(paths[0]).resolve() == file_path(paths[1]).resolve():
            raise InvalidArgumentError(f"out and rejected are both {paths[0]}: one would overwrite the other")
        self.format, self.on_error = format, on_error
        self.out_file = OutputFile(Path(out), inputs=[source]) if isinstance(out, (str, Path)) else None
        self.out_stream = out if not isinstance(out, (str, Path)) else None
        self.rejected_file = OutputFile(Path(rejected), inputs=[source]) if isinstance(rejected, (str, Path)) else None
        self.rejected_stream = rejected if not isinstance(rejected, (str, Path)) else None


def write_scores(
    instrument: Instrument,
    answers: AnswerFile,
    outputs: Outputs,
    *,
    raw_text: bool = False,
    on_message: Callable[[str], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ScoredFile:
    """Score the rows of the opened *answers* into *outputs* (`score_file`, after its checks)."""
    say = on_message or _quiet
    for line in answers.warnings():
        say(line)
    terminal = outputs.out_stream is not None and _is_terminal(outputs.out_stream)
    writer = _Writer(
        instrument, outputs.format, raw_text=raw_text, terminal=terminal, id_name=answers.id_name, kept=answers.kept
    )
    # Read as far as the first row before writing anything: a file refused for its header or
    # its JSON as a whole gets no output at all.
    rows = answers.rows(fast=writer.csv is not None, text=writer.text, layout=writer.columns)
    try:
        first = next(rows, None)
    except BaseException:
        answers.close()
        raise
    rows = itertools.chain([first] if first is not None else [], rows)
    out_file, rejected_file = outputs.out_file, outputs.rejected_file
    with (
        answers,
        out_file if out_file is not None else contextlib.nullcontext(outputs.out_stream) as stream,
        rejected_file if rejected_file is not None else contextlib.nullcontext(outputs.rejected_stream) as rejected_out,
    ):
        assert stream is not None
        writer.start(stream)
        scored, rejected = _score_rows(
            instrument, rows, writer, rejected_out, on_error=outputs.on_error, say=say, progress=on_progress
        )
    return ScoredFile(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        source=str(answers.path),
        format=outputs.format,
        id_column=answers.id_name,
        kept=tuple(answers.kept),
        columns=tuple(writer.header),
        rows_read=scored + rejected,
        rows_scored=scored,
        rows_rejected=rejected,
        absent=answers.absent,
        mapping=answers.reading.report() if answers.reading is not None else None,
    )


def _quiet(_: str) -> None:
    """Tell no one."""


def _is_terminal(stream: IO[str]) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty()) if callable(isatty) else False


class Input:
    """One row to score: its number, id and kept cells, and its answers or the problems with them."""

    __slots__ = ("answers", "carried", "cells", "error", "kept", "number")

    def __init__(  # noqa: PLR0917 - a record's fields, in order
        self,
        number: int,
        carried: Any,
        kept: dict[str, Any],
        answers: dict[str, int | None] | None,
        error: InvalidAnswersError | None,
        cells: Any,
    ) -> None:
        """A row as read: *answers*, or the *error* that its cells are."""
        self.number, self.carried, self.kept = number, carried, kept
        self.answers, self.error, self.cells = answers, error, cells


class AnswerFile:
    """A file of answer sets, opened: a survey export through `leadscore.readers`, or JSON answer sets."""

    def __init__(self, instrument: Instrument, path: Path, options: ReadOptions) -> None:
        """Open *path*, read with *options*: its header (or its JSON as a whole) is read and checked now."""
        self.instrument, self.path = instrument, path
        self.reading: Reading | None = None
        self.entries: Generator[tuple[int, dict[str, Any]], None, None] | None = None
        self.data: Any = None
        self.ignore = list(options.ignore)
        suffix = path.suffix.lower()
        export = suffix in TABLES
        if suffix == ".json":
            self.data = read_json(path)
            # A form file or SurveyJS results are read as exports are; a list of answer objects as before.
            if json_kind(self.data) != "list":
                export, self.data = True, None
        if export:
            self.reading = reading_of(instrument, path, options)
            self.id_name = self.reading.id_column or "line"
            self.kept = [c.name for c in self.reading.kept]
            return
        table_only = [
            name
            for name in ("platform", "mapping", "delimiter", "encoding", "sheet")
            if getattr(options, name) != getattr(_DEFAULTS, name)
        ]
        if table_only:
            kinds = "CSV, TSV, Excel, SPSS, Stata"
            raise InvalidArgumentError(f"{', '.join(table_only)}: only for survey exports ({kinds}), not {path.name}")
        self.id_name = options.id_column or DEFAULT_ID
        self.kept = list(options.keep)

    @property
    def absent(self) -> tuple[str, ...]:
        """Items no column holds (a survey export's; none for JSON answer sets)."""
        return tuple(self.reading.report().absent) if self.reading is not None else ()

    def warnings(self) -> list[str]:
        """What a person should know before the rows: items no column holds."""
        if not self.absent:
            return []
        return [f"{self.path}: no column for item(s) {', '.join(self.absent)}: not answered in every row"]

    def rows(
        self, *, fast: bool = False, text: Callable[[Any], Any] = as_it_is, layout: Sequence[tuple[str, str]] = ()
    ) -> Iterator[Input | Any]:
        """
        The file's rows in order, as `Input` records.

        With *fast* and pandas installed, runs of good rows of an export come scored in bulk
        (`leadscore._score_fast.Scored`: CSV rows in *layout*, their cells made safe by *text*).
        """
        if self.reading is not None:
            header = self.reading.names
            bulk = _fast_path() if fast else None
            rows = (
                bulk.fast_rows(self.instrument, self.reading, text, list(layout))
                if bulk is not None
                else self.reading.rows()
            )
            for row in rows:
                if not isinstance(row, Row):  # A run of good rows, scored in bulk.
                    yield row
                    continue
                cells = dict(zip(header, row.cells, strict=True)) if len(row.cells) == len(header) else row.cells
                yield Input(row.line, row.id, dict(row.kept), row.answers, row.error, cells)
            return
        skip = [self.id_name, *self.kept, *self.ignore]
        entries = json_entries(self.data, self.path) if self.data is not None else read_rows(self.path)
        self.entries = entries  # A JSON Lines file stays open while it is read: `close` closes it.
        for number, row in entries:
            kept = {name: row.get(name) for name in self.kept}
            try:
                answers = coerce_answers(self.instrument, row, row_number=number, ignore=skip)
            except InvalidAnswersError as error:
                yield Input(number, row.get(self.id_name), kept, None, error, row)
                continue
            yield Input(number, row.get(self.id_name), kept, answers, None, row)

    def __enter__(self) -> Self:
        """The file, to close on leaving."""
        return self

    def __exit__(self, *_: object) -> None:
        """Close the file."""
        self.close()

    def close(self) -> None:
        """Close the file: an export, or the JSON Lines being read (a JSON file was read whole)."""
        if self.reading is not None:
            self.reading.close()
        if self.entries is not None:
            self.entries.close()


def _fast_path() -> Any:
    """The fast path's module when pandas is installed (the pandas extra), else None."""
    try:
        return importlib.import_module("leadscore._score_fast")  # It imports pandas.
    except ImportError:
        return None


def _score_rows(
    instrument: Instrument,
    rows: Iterator[Input | Any],
    writer: _Writer,
    rejected_out: IO[str] | None,
    *,
    on_error: str,
    say: Callable[[str], None],
    progress: Callable[[int], None] | None,
) -> tuple[int, int]:
    """Score and write *rows*; return how many were scored and how many rejected."""
    scored = failures = 0
    try:
        for row in rows:
            if not isinstance(row, Input):  # A run of rows the fast path scored.
                writer.csv.writerows(row.rows)
                scored += len(row.rows)
                if progress is not None:
                    progress(len(row.rows))
                continue
            if progress is not None:
                progress(1)
            error = on_row(row.error, instrument.id, row.number) if row.error is not None else None
            if error is None:
                try:
                    result = score(instrument, row.answers)  # type: ignore[arg-type]
                except InvalidAnswersError as raised:
                    error = on_row(raised, instrument.id, row.number)
            if error is None:
                writer.write(row.carried, row.kept, result)
                scored += 1
                continue
            if on_error == "raise":
                raise error
            failures += 1
            for problem in error.problems:
                say(str(problem))
            assert rejected_out is not None
            record = {"row": row.number, "answers": row.cells, "errors": [p.message for p in error.problems]}
            rejected_out.write(json.dumps(record) + "\n")
    finally:
        writer.close()
    return scored, failures


def on_row(error: InvalidAnswersError, instrument_id: str, number: int) -> InvalidAnswersError:
    """*error* with every problem placed on row *number* of the file."""
    problems = [
        problem
        if problem.row is not None
        else InvalidAnswerError(
            problem.message, item_id=problem.item_id, value=problem.value, row=number, column=problem.column
        )
        for problem in error.problems
    ]
    return InvalidAnswersError(instrument_id, problems)


class _Writer:
    """Writes results as CSV rows or JSON Lines objects, one per input row, as they come."""

    def __init__(
        self,
        instrument: Instrument,
        format: str,  # noqa: A002 - the glossary's word
        *,
        raw_text: bool,
        terminal: bool,
        id_name: str,
        kept: Sequence[str] = (),
    ) -> None:
        self.stream: IO[str] = sys.stdout
        self.id_column = id_name
        self.kept = list(kept)
        # The table's layout, the one every tabular output has; where each column is in a
        # result's rows is found from the first result.
        self.columns = compiled(instrument).table_columns(_CSV_FIELDS)
        self.picks: list[tuple[bool, int, int]] | None = None
        self.safe: Callable[[Any], Any] = as_it_is if raw_text else spreadsheet_safe
        # CSV cannot escape a character; on a terminal, text from the file is shown escaped.
        self.terminal = terminal
        self.csv: Any = None
        self.format = format
        self.header = [id_name, *self.kept]
        if format == "csv":
            self.csv = True  # A csv.writer once the stream is open (`start`).
            self.header += [f"{score_id}.{field}" for score_id, field in self.columns]

    def start(self, stream: IO[str]) -> None:
        """Write to *stream*, beginning with the CSV header."""
        self.stream = stream
        if self.format == "csv":
            self.csv = csv.writer(stream, lineterminator="\n")
            self.csv.writerow([self.text(name) for name in self.header])

    def text(self, cell: Any) -> Any:
        """A cell from the file as it is written: safe from spreadsheets, and on a terminal escaped."""
        cell = self.safe(cell)
        return terminal_safe(cell) if self.terminal and isinstance(cell, str) else cell

    def write(self, carried: Any, kept: dict[str, Any], result: Result) -> None:
        """Write one row's result."""
        if self.csv is not None:
            layout, scale_rows, composite_rows = rows_of(result)
            if self.picks is None:
                scale_at = {score_id: i for i, score_id in enumerate(layout[1])}
                composite_at = {score_id: i for i, score_id in enumerate(layout[2])}
                self.picks = [
                    (True, scale_at[score_id], _SCALE_ROW[field])
                    if score_id in scale_at
                    else (False, composite_at[score_id], _COMPOSITE_ROW[field])
                    for score_id, field in self.columns
                ]
            # Only the carried and kept cells are text from outside; scores are numbers and bands are ids.
            cells: list[Any] = [self.text(carried), *(self.text(kept[name]) for name in self.kept)]
            for is_scale, at, field in self.picks:
                cell = (scale_rows if is_scale else composite_rows)[at][field]
                cells.append("" if cell is None else cell)
            self.csv.writerow(cells)
        else:
            record = unstructure(result)
            self.stream.write(json_text({self.id_column: carried, **kept, **record}) + "\n")

    def close(self) -> None:
        """Flush what was written."""
        self.stream.flush()
