"""
The readers' entry points, re-exported by `leadscore.readers`.

`read_responses`, `read_ratings`, `read_responses_dask` and `open_reading`, over the
pure-Python `Reading`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from attrs import frozen

from leadscore._checks import file_path
from leadscore._model import Instrument
from leadscore._registry import resolve
from leadscore.errors import ArgumentTypeError, InvalidAnswerError, InvalidAnswersError, InvalidArgumentError
from leadscore.readers._mapping import MappingFile, load_mapping_file
from leadscore.readers._platforms import PLATFORMS
from leadscore.readers._ratings import Ratings, ratings_of
from leadscore.readers._reader import MappingReport, Reading, ReadOptions, Row, column_list
from leadscore.readers._sources import FrameRows, frame_rows


if TYPE_CHECKING:
    import pandas as pd


__all__ = [
    "Responses",
    "open_reading",
    "platforms",
    "read_ratings",
    "read_responses",
    "read_responses_dask",
    "reading_of",
]


def platforms() -> tuple[str, ...]:
    """The names ``platform=`` takes (besides ``"auto"``)."""
    return tuple(sorted(PLATFORMS))


@frozen
class Responses:
    """
    What `read_responses` read.

    Attributes:
        answers: One row per data row, in the file's order; one nullable-integer column per
            item of the instrument (``Int64``), not answered as ``<NA>``, a not-applicable
            answer as the item's not-applicable code. Indexed by the id column's values when
            the file has one, else by the line each row starts on.
        kept: The kept columns as text, same index.
        report: The `MappingReport`.
    """

    answers: pd.DataFrame
    kept: pd.DataFrame
    report: MappingReport


def open_reading(
    instrument: Instrument | str,
    source: str | Path | IO[bytes],
    *,
    platform: str = "auto",
    mapping: MappingFile | str | Path | None = None,
    keep: Iterable[str] = (),
    ignore: Iterable[str] = (),
    id_column: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    strict: bool = True,
) -> Reading:
    """
    Open *source* for reading row by row (no pandas needed); the arguments are `read_responses`'s.

    Without *strict*, columns that cannot be placed are kept in the reading's ``problems``
    rather than raised (``Reading.mapping`` then lists them for a person to map).

    The caller closes a file it passed; a path is opened here and closed by the `Reading`
    (use it in a ``with`` block).
    """
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
    return reading_of(instrument, source, options, strict=strict)


def reading_of(
    instrument: Instrument | str, source: str | Path | IO[bytes] | Any, options: ReadOptions, *, strict: bool = True
) -> Reading:
    """`open_reading` with its options checked already (`ReadOptions.checked`)."""
    opened: Path | IO[bytes] | FrameRows
    if isinstance(source, (str, Path)):
        opened, name = file_path(source), str(source)
    elif hasattr(source, "read"):
        opened, name = source, str(getattr(source, "name", "<file>"))
    elif (frame := frame_rows(source)) is not None:
        opened, name = frame, "<frame>"
    else:
        kinds = "a path, a binary file, or a pandas, Polars or PyArrow frame"
        raise ArgumentTypeError(f"source must be {kinds} (got {type(source).__name__})")
    return Reading(instrument, opened, name, options, strict=strict)


def read_responses(
    source: str | Path | IO[bytes] | Any,
    instrument: Instrument | str,
    *,
    platform: str = "auto",
    mapping: MappingFile | str | Path | None = None,
    keep: Iterable[str] = (),
    ignore: Iterable[str] = (),
    id_column: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> Responses:
    r"""
    Read a survey export's answers to *instrument*, checking every column and cell.

    Args:
        source: A path, a file opened in binary mode (named by its ``name``), or a
            pandas, Polars or PyArrow frame of the export as read (its columns the header;
            a row known by its index label, or its position). A file's suffix decides its
            kind: ``.xlsx`` and ``.xlsm`` are Excel workbooks (the ``excel`` extra),
            ``.sav`` SPSS and ``.dta`` Stata files (the ``spss`` extra, from a path only);
            anything else is delimited text.
        instrument: The instrument, or its id.
        platform: ``"auto"`` (recognised by the header, and said in the report) or one of
            `platforms()`.
        mapping: A `MappingFile`, or the path of one (TOML): columns to items, cell texts to
            answers, columns to ignore.
        keep: Columns to carry through as text.
        ignore: Columns to drop by name.
        id_column: The column that identifies a response (default: ``respondent`` when the
            file has it; otherwise rows are known by their line).
        delimiter: ``","``, ``";"`` or ``"\t"``; default: the platform's, or sniffed.
        encoding: ``"utf-8"`` (default), ``"utf-16"`` or ``"cp1252"``; a byte-order mark
            decides by itself.
        sheet: A workbook's sheet, by name or by number from 1 (default: the first).

    Raises:
        ImportError: For a workbook or statistics file without the extra that reads it.
        InvalidExportError: A column that cannot be placed, two columns for one item, an
            undecidable delimiter, bad text; every such problem at once.
        InvalidAnswersError: Every cell that is no answer, or an answer its item does not take
            (a 7 on a 1-to-5 item), by row and column.

    .. versionadded:: 0.1.0
    """
    import pandas as pd  # noqa: PLC0415 - the pandas extra, needed here only

    with open_reading(
        instrument,
        source,
        platform=platform,
        mapping=mapping,
        keep=keep,
        ignore=ignore,
        id_column=id_column,
        delimiter=delimiter,
        encoding=encoding,
        sheet=sheet,
    ) as reading:
        rows: list[Row] = []
        problems: list[InvalidAnswerError] = []
        for row in reading.checked_rows():
            if row.error is not None:
                problems.extend(row.error.problems)
            rows.append(row)
    if problems:
        raise InvalidAnswersError(reading.instrument.id, problems)
    index = pd.Index([row.id for row in rows], name=reading.id_column or "line")
    items = [item.id for item in reading.instrument.items]
    data: dict[str, Any] = {
        item_id: pd.array([row.answers.get(item_id) for row in rows], dtype="Int64")  # type: ignore[union-attr]
        for item_id in items
    }
    answers = pd.DataFrame(data, index=index, columns=items)
    kept = pd.DataFrame({c.name: [row.kept[c.name] for row in rows] for c in reading.kept}, index=index, dtype=str)
    return Responses(answers=answers, kept=kept, report=reading.report())


def read_ratings(
    source: str | Path | IO[bytes],
    instrument: Instrument | str,
    *,
    subject: str = "SubjectUniqueIdentifier",
    rater: str = "ParticipantUniqueIdentifier",
    relationship: str = "Relationship",
    platform: str = "auto",
    mapping: MappingFile | str | Path | None = None,
    ignore: Iterable[str] = (),
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> Ratings:
    """
    Read a 360 export (one row per evaluation) into each subject's ratings, for `leadscore.aggregate`.

    Args:
        source: As for `read_responses`.
        instrument: The instrument, or its id.
        subject: The column that says who is rated (default: Qualtrics 360's).
        rater: The column that says who rates; a rater key, never shown in a report.
        relationship: The column that says how the rater knows the subject; its values
            become groups by the mapping file's ``[roles]``, or by `COMMON_ROLES`.
        platform: As for `read_responses`.
        mapping: As for `read_responses`; its ``[roles]`` table maps relationship values.
        ignore: As for `read_responses`.
        delimiter: As for `read_responses`.
        encoding: As for `read_responses`.
        sheet: As for `read_responses`.

    Raises:
        InvalidExportError: As `read_responses`, and for a relationship value with no group.
        InvalidAnswersError: Every cell that is no answer, by row and column.

    No pandas is needed.

    .. versionadded:: 0.1.0
    """
    loaded = load_mapping_file(mapping)
    with open_reading(
        instrument,
        source,
        platform=platform,
        mapping=loaded,
        keep=[subject, rater, relationship],
        ignore=ignore,
        delimiter=delimiter,
        encoding=encoding,
        sheet=sheet,
    ) as reading:
        roles = loaded.roles if loaded is not None else {}
        return ratings_of(reading, subject=subject, rater=rater, relationship=relationship, roles=roles)


def read_responses_dask(
    paths: Iterable[str | Path],
    instrument: Instrument | str,
    *,
    platform: str = "auto",
    mapping: MappingFile | str | Path | None = None,
    keep: Iterable[str] = (),
    ignore: Iterable[str] = (),
    id_column: str | None = None,
    delimiter: str | None = None,
    encoding: str | None = None,
) -> Any:
    """
    Survey exports as one Dask DataFrame, each file a partition read by `read_responses`'s rules.

    Where ``dask.dataframe.read_csv`` types columns from a file's first rows (and then fails
    on a later row, or reads ``"four"`` into an error inside its reader), each file here is
    read by the same code as `read_responses`: answers as nullable integers, every bad cell
    named by its file and line. The columns are ``file`` (the path, as given), the kept
    columns (text), then one ``Int64`` column per item; the index is the id column's value,
    or the line a row starts on. Nothing is read until the frame is computed; the first
    file is read now, to check its columns (so a column problem raises here).

    Args:
        paths: The exports, one partition each (split a very large file into several).
        instrument: The instrument, or its id.
        platform: As for `read_responses`; so are the others, the same for every file.
        mapping: A mapping file.
        keep: Columns carried as text.
        ignore: Columns dropped by name.
        id_column: The index (default: ``respondent`` when a file has it, else the line).
        delimiter: The delimiter (default: the platform's, or sniffed per file).
        encoding: The encoding (default: UTF-8, or what a byte-order mark says).

    Raises:
        InvalidExportError: For the first file's columns; later files' when computed.
        InvalidAnswersError: When computed, for a file's bad cells, with a note naming the file.

    The ``dask`` extra.

    .. versionadded:: 0.1.0
    """
    import dask.dataframe as dd  # noqa: PLC0415 - the dask extra

    given: object = paths
    if isinstance(given, (str, bytes, Path)) or not isinstance(given, Iterable):
        raise ArgumentTypeError(f"paths must be a collection of paths (got {type(given).__name__})")
    files = [str(path) if isinstance(path, (str, Path)) else path for path in given]
    wrong = [path for path in files if not isinstance(path, str)]
    if wrong:
        raise ArgumentTypeError(f"paths must hold paths (got {type(wrong[0]).__name__})")
    if not files:
        raise InvalidArgumentError("paths must name at least one file")
    options = {
        "platform": platform,
        "mapping": load_mapping_file(mapping),
        "keep": list(column_list(keep, "keep")),
        "ignore": list(column_list(ignore, "ignore")),
        "id_column": id_column,
        "delimiter": delimiter,
        "encoding": encoding,
    }
    resolved = resolve(instrument)
    meta = _one_file(files[0], resolved, options).iloc[:0]
    return dd.from_map(  # type: ignore[no-untyped-call]
        _one_file, files, instrument=resolved, options=options, meta=meta, enforce_metadata=False
    )


def _one_file(path: str, instrument: Instrument, options: dict[str, Any]) -> pd.DataFrame:
    """One export as a partition: the file's path, its kept columns, its answers."""
    try:
        read = read_responses(path, instrument, **options)
    except InvalidAnswersError as error:
        error.add_note(f"in {path}; rows are its lines")
        raise
    frame = read.kept.copy()
    frame.insert(0, "file", path)
    frame["file"] = frame["file"].astype(str)
    return frame.join(read.answers)
