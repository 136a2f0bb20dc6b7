"""
Reading one export against one instrument, row by row, in pure Python.

`Reading` opens the file, settles its encoding and delimiter, recognises the platform,
decides every column (`_mapping.plan_columns`) and refuses the file, before any row, when a
column cannot be placed. Its rows are then read one at a time (constant memory): each gives
its answers by item id, or the problems with its cells, with the number of the line it
starts on. `MappingReport` says what was decided and why, and what was translated.
"""

from __future__ import annotations

import json

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, Self

from attrs import evolve, frozen

from leadscore._checks import quoted
from leadscore._model import Instrument
from leadscore._names import stamp
from leadscore._plan import compiled
from leadscore._registry import resolve
from leadscore.errors import (
    ArgumentTypeError,
    InvalidAnswerError,
    InvalidAnswersError,
    InvalidArgumentError,
    InvalidExportError,
)
from leadscore.readers._mapping import (
    COMMON_ROLES,
    ID,
    ITEM,
    KEPT,
    STAMPED,
    Column,
    MappingFile,
    column_names,
    load_mapping_file,
    plan_columns,
)
from leadscore.readers._platforms import detect, header_rows, platform_named
from leadscore.readers._sources import FrameRows, Table, as_text, open_table


__all__ = [
    "DEFAULT_ID",
    "MappingReport",
    "ReadOptions",
    "Reading",
    "Row",
    "Translation",
]

_Line = tuple[int, list[str]]  # A row's line number and cells.
#: The column carried through as the id when the file has it and no other is named.
DEFAULT_ID = "respondent"


@frozen
class Translation:
    """Cells of one column read other than as a plain number: how many, and what they became."""

    column: str
    item: str
    text: str
    answer: int | None
    how: str
    count: int


@frozen
class MappingReport:
    """
    What reading a file decided, and why: printable (``str``) and as data.

    Attributes:
        source: The file's name.
        platform: The platform's name; *platform_reason* says why it was chosen.
        kind: ``"text"``, ``"excel"``, ``"spss"`` or ``"stata"``.
        encoding: How a text file was decoded (None for the others).
        delimiter: A text file's ``"comma"``, ``"semicolon"`` or ``"tab"``; *delimiter_how*
            whether it was given, sniffed from the first line, or the platform's.
        sheet: The sheet of a workbook that was read.
        header_rows: Rows of header before the answers.
        columns: Every column and what it became.
        absent: Items no column holds: read as not answered in every row.
        disagreements: Where the file's value labels differ from the instrument's.
        translations: Cell texts read as labels, codes or mapping-file values, with counts.
        rows: Data rows read so far.
    """

    source: str
    platform: str
    platform_reason: str
    kind: str
    encoding: str | None
    delimiter: str | None
    delimiter_how: str | None
    sheet: str | None
    header_rows: int
    columns: tuple[Column, ...]
    absent: tuple[str, ...]
    disagreements: tuple[str, ...]
    translations: tuple[Translation, ...]
    rows: int

    def __str__(self) -> str:
        """The report as lines a person reads."""
        if self.kind == "text":
            form = f"{self.encoding}, {self.delimiter}-separated ({self.delimiter_how})"
        else:
            form = (
                f"Excel, sheet {self.sheet!r}"
                if self.kind == "excel"
                else "JSON"
                if self.kind == "json"
                else f"a {self.kind}" + (" file" if self.kind != "frame" else "")
            )
        lines = [
            (
                f"{self.source}: {self.rows:,} rows; platform {self.platform} ({self.platform_reason}); "
                f"{form}; {self.header_rows} header row(s)"
            )
        ]
        for column in self.columns:
            target = f"item {column.item}" if column.item is not None else column.role
            lines.append(f"  column {column.position} {column.name!r}: {target} ({column.how})")
        lines.extend(f"  {note}" for note in self.disagreements)
        if self.absent:
            lines.append(f"  no column for item(s) {', '.join(self.absent)}: not answered in every row")
        for t in self.translations:
            answer = "not answered" if t.answer is None else t.answer
            lines.append(f"  {t.column!r}: {t.text!r} -> {answer} ({t.how}), {t.count:,}x")
        return "\n".join(lines)


@frozen
class Row:
    """One data row: its line, id, kept cells, and answers or the problems with its cells."""

    line: int
    id: Any
    kept: Mapping[str, str]
    answers: dict[str, int | None] | None
    error: InvalidAnswersError | None
    cells: list[Any]


@frozen(kw_only=True)
class ReadOptions:
    """
    How an export is read: the readers' keyword arguments (`leadscore.read_responses`), checked once.

    Attributes:
        platform: ``"auto"`` or a platform's name.
        mapping: The mapping file, if any.
        keep: Columns carried through.
        ignore: Columns left out.
        id_column: The column that identifies a response, or None for the default.
        delimiter: A delimited file's delimiter, or None: the platform's, or sniffed.
        encoding: The text encoding, or None: UTF-8 unless a byte-order mark says otherwise.
        sheet: A workbook's sheet, by name or number from 1, or None: the first.
    """

    platform: str = "auto"
    mapping: MappingFile | None = None
    keep: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    id_column: str | None = None
    delimiter: str | None = None
    encoding: str | None = None
    sheet: str | int | None = None

    @classmethod
    def checked(
        cls,
        *,
        platform: str = "auto",
        mapping: MappingFile | str | Path | None = None,
        keep: Iterable[str] = (),
        ignore: Iterable[str] = (),
        id_column: str | None = None,
        delimiter: str | None = None,
        encoding: str | None = None,
        sheet: str | int | None = None,
    ) -> ReadOptions:
        """The options, each of the right type (an `ArgumentTypeError` names each that is not); a mapping file read."""
        check_options(platform=platform, id_column=id_column, delimiter=delimiter, encoding=encoding, sheet=sheet)
        if platform is None:
            raise ArgumentTypeError("platform must be text: 'auto' or a platform's name (got None)")
        return cls(
            platform=platform,
            mapping=load_mapping_file(mapping),
            keep=tuple(column_list(keep, "keep")),
            ignore=tuple(column_list(ignore, "ignore")),
            id_column=id_column,
            delimiter=delimiter,
            encoding=encoding,
            sheet=sheet,
        )


class Reading:
    """An export opened for reading against an instrument (see the module's docstring)."""

    def __init__(
        self,
        instrument: Instrument | str,
        source: Path | IO[bytes] | FrameRows,
        name: str,
        options: ReadOptions | None = None,
        *,
        strict: bool = True,
    ) -> None:
        """
        Read *source*'s header (a path, or a binary file at its start) and decide its columns.

        Raises `InvalidExportError` if they cannot all be placed (without *strict*, they are
        kept in `problems` instead, for ``leadscore map``). A file opened here from a path is
        closed by `close` (or the end of a ``with`` block), and at once if reading fails here.
        """
        self.table: Table | None = None
        options = options if options is not None else ReadOptions()
        try:
            self.instrument = resolve(instrument)
            self.name = name
            self._open_table(source, options)
            self._decide_columns(options, strict=strict)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> Self:
        """The reading itself."""
        return self

    def __exit__(self, *_: object) -> None:
        """Close the file if it is this reading's own."""
        self.close()

    def close(self) -> None:
        """Close the file if it is this reading's own (opened from a path)."""
        if self.table is not None:
            self.table.close()

    def _open_table(self, source: Path | IO[bytes] | FrameRows, options: ReadOptions) -> None:
        """Open the table and read its header rows: its platform, and how many rows are header."""
        mapping = options.mapping if options.mapping is not None else MappingFile()
        platform, delimiter = options.platform, options.delimiter
        chosen_name = mapping.platform if platform == "auto" and mapping.platform else platform
        chosen = None if chosen_name == "auto" else platform_named(chosen_name)
        use = delimiter if delimiter is not None else (chosen.delimiter if chosen is not None else None)
        how = "given" if delimiter is not None else f"{chosen.title}'s" if use is not None else "sniffed"  # type: ignore[union-attr]
        name = self.name
        self.table = open_table(
            source, name, encoding=options.encoding, delimiter=use, delimiter_how=how, sheet=options.sheet
        )
        self._rows = self.table.rows
        self._pending: list[_Line] = _take(self._rows, 3)
        first = [[as_text(cell) for cell in cells] for _, cells in self._pending]  # Header rows are text.
        if not first:  # An empty file: no columns, no rows.
            first = [[]]
        if chosen is None and self.table.platform is not None:
            chosen, reason = platform_named(self.table.platform), self.table.platform_reason or ""
        elif chosen is None:
            try:
                chosen, reason = detect(first)
            except InvalidArgumentError as error:
                raise InvalidExportError(name, [str(error)]) from None
        else:
            reason = "given" if platform != "auto" else "the mapping file"
        self.platform, self.platform_reason = chosen, reason
        count = min(header_rows(chosen, first), len(first))
        self.headers = first[:count]
        del self._pending[:count]

    def _decide_columns(self, options: ReadOptions, *, strict: bool) -> None:
        """Decide what each column is: an item, the id, kept, ignored, the platform's metadata."""
        chosen, name = self.platform, self.name
        mapping = options.mapping if options.mapping is not None else MappingFile()
        keep, ignore, id_column = list(options.keep), list(options.ignore), options.id_column
        header = self.names = column_names(self.headers, chosen)
        if id_column is None:
            found = [c for c in (DEFAULT_ID, chosen.id_column) if c is not None and c in header]
            id_column = found[0] if found else None
        elif id_column not in header:
            raise InvalidExportError(name, [f"the id column {id_column!r} is not in the header"])
        self.id_column = id_column
        missing_kept = [k for k in keep if k not in header]
        self.plan, problems = plan_columns(
            self.instrument,
            self.headers,
            chosen,
            mapping=mapping,
            keep=keep,
            ignore=ignore,
            id_column=id_column,
            table=self.table,
        )
        problems = [*(f"the kept column {k!r} is not in the header" for k in missing_kept), *problems]
        self.problems = tuple(problems)
        if problems and strict:
            raise InvalidExportError(name, problems)
        self.kept = [c for c in self.plan.columns if c.role == KEPT]
        #: Each item column's position and item, in the file's order.
        self.items = [(c.position - 1, c.item) for c in self.plan.columns if c.role == ITEM and c.item is not None]
        self.id_at = next((c.position - 1 for c in self.plan.columns if c.role == ID), None)
        self.stamp_at = next((c.position - 1 for c in self.plan.columns if c.role == STAMPED), None)
        self.stamp = stamp(self.instrument)
        self.count = 0

    def rows(self) -> Iterator[Row]:
        """The data rows, one at a time."""
        for line, cells in self.raw():
            yield self.row(line, cells)

    def checked_rows(self) -> Iterator[Row]:
        """The data rows, each answer also checked against its item's answers as scoring checks it (a 7 on 1 to 5)."""
        plan = compiled(self.instrument)
        for row in self.rows():
            if row.error is None:
                try:
                    plan.validated(row.answers, row.line)
                except InvalidAnswersError as error:
                    row = evolve(row, answers=None, error=error)  # noqa: PLW2901 - the row, with its problems
            yield row

    def raw(self) -> Iterator[tuple[int, list[Any]]]:
        """The data rows as they are in the file, each with its line (for readers that read cells in bulk)."""
        at = self.stamp_at
        for line, cells in _chain(self._pending, self._rows):
            if at is not None and at < len(cells):
                self._check_stamp(line, cells[at])
            self.count += 1
            yield line, cells

    def _check_stamp(self, line: int, cell: Any) -> None:
        """A row's stamp must be the installed instrument's (empty: a row the survey did not stamp)."""
        said = as_text(cell).strip()
        if said and said != self.stamp:
            where = f"line {line}" if self.table is not None and self.table.kind == "text" else f"row {line}"
            raise InvalidExportError(
                self.name,
                [
                    (
                        f"{where}: the survey was made from {said!r}, but the installed instrument is "
                        f"{self.stamp!r}: its items may not mean what the answers meant; score them with "
                        "the version they were collected with"
                    )
                ],
            )

    def row(self, line: int, cells: list[Any], *, counted: bool = True) -> Row:
        """One data row read: its answers, or the problems with its cells (*counted* in the report's translations)."""
        width = len(self.names)
        if len(cells) != width:
            reason = f"has {len(cells)} cells where the header has {width} columns"
            problem = InvalidAnswerError(reason, item_id="", value=cells, row=line)
            return Row(line, None, {}, None, InvalidAnswersError(self.instrument.id, [problem], row=line), cells)
        answers: dict[str, int | None] = {}
        problems = []
        readers = self.plan.readers
        for at, item_id in self.items:
            try:
                answers[item_id] = readers[at].read(cells[at], 1 if counted else 0)
            except ValueError as reason:
                name = self.names[at]
                problems.append(
                    InvalidAnswerError(str(reason), item_id=item_id, value=cells[at], row=line, column=name)
                )
        bad = InvalidAnswersError(self.instrument.id, problems, row=line) if problems else None
        return Row(line, self.id_of(line, cells), self.kept_of(cells), None if bad else answers, bad, cells)

    def id_of(self, line: int, cells: list[Any]) -> Any:
        """A row's id: its id column's cell as text, or its line."""
        return as_text(cells[self.id_at]) if self.id_at is not None else line

    def kept_of(self, cells: list[Any]) -> dict[str, str]:
        """A row's kept cells, as text."""
        return {c.name: as_text(cells[c.position - 1]) for c in self.kept}

    def mapping(self, relationship: str | None = None) -> str:
        """
        The mapping this reading found, as a mapping file's TOML text for a person to check.

        Every item column is listed under ``[columns]``, whatever found it; columns nothing
        was found for are listed in comments, to be mapped or ignored by hand. With the
        name of a 360 export's *relationship* column that the file has, its values are
        read (the rows are read to their end) and listed under ``[roles]``: the common
        names with their groups, the others as comments to fill in.
        """
        columns = {c.name: c.item for c in self.plan.columns if c.role == ITEM and c.item is not None}
        lines = [
            f"# leadscore map: {self.name} read as {self.instrument.id} {self.instrument.version}",
            f"# platform {self.platform.name}: {self.platform_reason}",
            MappingFile(platform=self.platform.name, columns=columns).to_toml().rstrip("\n"),
        ]
        placed = {c.position for c in self.plan.columns}
        unplaced = [name for i, name in enumerate(self.names) if i + 1 not in placed]
        if unplaced:
            if not columns:
                lines.append("\n[columns]")
            lines.append("# No item was found for these columns: give each an item id, or list it in ignore.")
            lines.extend(f'# {json.dumps(name, ensure_ascii=False)} = ""' for name in unplaced)
            ids = ", ".join(item.id for item in self.instrument.items if item.id not in columns.values())
            lines.append(f"# Items without a column: {ids}")
        if relationship is not None and relationship in self.names:
            lines.extend(self._roles(self.names.index(relationship)))
        return "\n".join(lines) + "\n"

    def _roles(self, at: int) -> list[str]:
        """The [roles] table of the relationship values in the column at *at*."""
        values: dict[str, None] = {}
        for _, cells in self.raw():
            if at < len(cells):
                values.setdefault(as_text(cells[at]).strip(), None)
        lines = ["", "[roles]"]
        for value in values:
            group = COMMON_ROLES.get(value.casefold())
            shown = json.dumps(value, ensure_ascii=False)
            hint = "  # a group: self, manager, peers, direct_reports, others, or one of your own"
            lines.append(f'{shown} = "{group}"' if group else f'# {shown} = ""{hint}')
        return lines

    def report(self) -> MappingReport:
        """What was decided, and what was translated in the rows read so far."""
        translations = []
        for at, reader in sorted(self.plan.readers.items()):
            for (text, answer, how), count in sorted(reader.counts.items(), key=lambda e: (str(e[0][0]), e[0][2])):
                translations.append(Translation(self.names[at], reader.item.id, text, answer, how, count))
        return MappingReport(
            source=self.name,
            platform=self.platform.name,
            platform_reason=self.platform_reason,
            kind=self.table.kind,  # type: ignore[union-attr]
            encoding=self.table.encoding,  # type: ignore[union-attr]
            delimiter=self.table.delimiter,  # type: ignore[union-attr]
            delimiter_how=self.table.delimiter_how,  # type: ignore[union-attr]
            sheet=self.table.sheet,  # type: ignore[union-attr]
            header_rows=len(self.headers),
            columns=self.plan.columns,
            absent=tuple(
                item.id for item in self.instrument.items if item.id not in {c.item for c in self.plan.columns}
            ),
            disagreements=self.plan.disagreements,
            translations=tuple(translations),
            rows=self.count,
        )


def column_list(names: Iterable[str], what: str, *, kind: str = "column names") -> list[str]:
    """Column names (or other *kind* of names) given as a collection of text; anything else is refused."""
    given: object = names
    if isinstance(given, (str, bytes)):
        raise ArgumentTypeError(f"{what} must be a collection of {kind}, not one name (got {quoted(given)})")
    try:
        listed: list[object] = list(given)  # type: ignore[call-overload]
    except TypeError:
        raise ArgumentTypeError(f"{what} must be a collection of {kind} (got {quoted(given)})") from None
    wrong = [name for name in listed if not isinstance(name, str)]
    if wrong:
        raise ArgumentTypeError(f"{what} must hold {kind} as text (got {quoted(wrong[0])})")
    return [str(name) for name in listed]


def check_options(**options: object) -> None:
    """Refuse options of the wrong type, naming each: text (or None) for most, text or a number for a sheet."""
    problems = []
    for name, value in options.items():
        allowed: tuple[type, ...] = (str, int) if name == "sheet" else (str,)
        if value is not None and (not isinstance(value, allowed) or isinstance(value, bool)):
            kinds = "text or a number" if name == "sheet" else "text"
            problems.append(f"{name} must be {kinds} (got {quoted(value)})")
    if problems:
        raise ArgumentTypeError("; ".join(problems))


def _take(rows: Iterator[_Line], n: int) -> list[_Line]:
    """The first *n* rows (fewer if the file has fewer), taken from *rows*."""
    taken: list[_Line] = []
    for row in rows:
        taken.append(row)
        if len(taken) == n:
            break
    return taken


def _chain(first: list[_Line], rest: Iterator[_Line]) -> Iterator[_Line]:
    while first:
        yield first.pop(0)
    yield from rest
