"""
`leadscore.score_file`'s fast path for large exports: cells read in bulk, rows scored with arrays.

With pandas installed, `score_file` (and ``leadscore score``) reads a survey export in blocks of rows: each
column's distinct cells are read once (by the same `ValueReader` as the row path), the
block is scored by `leadscore.frames.score_frame`, and the scores are written with one
``writerows`` per run of good rows. A row with a cell that is no answer, a value outside its
item's answers or the wrong number of cells goes through the row path's own code, so its
messages, its place in the output and what happens next (stop, or the rejected file) are
the row path's. The output is the same, byte for byte (a property test checks it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from leadscore._model import Instrument
from leadscore._scoring import score
from leadscore.errors import InvalidAnswersError
from leadscore.frames import score_frame
from leadscore.readers import Reading, Row


__all__ = ["BLOCK", "fast_rows"]

#: Rows read and scored together: memory stays bounded, a progress bar moves.
BLOCK = 20_000
_BAD = object()


class Scored:
    """A run of good rows, scored: ready to write with one ``writerows``."""

    __slots__ = ("rows",)

    def __init__(self, rows: list[list[Any]]) -> None:
        self.rows = rows


def fast_rows(
    instrument: Instrument, reading: Reading, text: Callable[[Any], Any], layout: list[tuple[str, str]]
) -> Iterator[Scored | Row]:
    """
    The export's rows in order: runs of good rows as `Scored` CSV rows, and each bad row as the row path reads it.

    *text* makes a cell from the file safe to write (as the row path's writer does); *layout*
    is the output's (score id, field) columns, in its order (`Plan.table_columns`).
    """
    items = [item.id for item in instrument.items]
    block: list[tuple[int, list[Any]]] = []
    for entry in reading.raw():
        block.append(entry)
        if len(block) == BLOCK:
            yield from _block(instrument, reading, block, text, layout, items)
            block = []
    if block:
        yield from _block(instrument, reading, block, text, layout, items)


def _block(  # noqa: PLR0917 - one block's context, passed along
    instrument: Instrument,
    reading: Reading,
    block: list[tuple[int, list[Any]]],
    text: Callable[[Any], Any],
    layout: list[tuple[str, str]],
    items: list[str],
) -> Iterator[Scored | Row]:
    width = len(reading.names)
    bad = [len(cells) != width for _, cells in block]
    columns: dict[str, list[Any]] = {}
    readers = reading.plan.readers
    for at, item_id in reading.items:
        cells = [cells[at] if not bad[n] else None for n, (_, cells) in enumerate(block)]
        answers = _read_column(readers[at], cells)
        for n, answer in enumerate(answers):
            if answer is _BAD:
                bad[n] = True
        columns[item_id] = answers
    good = [n for n in range(len(block)) if not bad[n]]
    frame = pd.DataFrame(
        {
            item_id: pd.array(
                [columns[item_id][n] for n in good] if item_id in columns else [None] * len(good), dtype="Int64"
            )
            for item_id in items
        }
    )
    fields = tuple(dict.fromkeys(field for _, field in layout))
    scores = score_frame(instrument, frame, fields=fields, on_error="report")
    failed = scores["error"].notna().tolist()
    output = [_cells(scores[f"{score_id}.{field}"]) for score_id, field in layout]
    scored: dict[int, list[Any]] = {}
    for k, (n, values) in enumerate(zip(good, zip(*output, strict=True), strict=True)):
        if failed[k]:  # A value outside its item's answers: the row path says so in its words.
            bad[n] = True
            continue
        line, cells = block[n]
        scored[n] = [text(reading.id_of(line, cells)), *map(text, reading.kept_of(cells).values()), *values]
    run: list[list[Any]] = []
    for n, (line, cells) in enumerate(block):
        if not bad[n]:
            run.append(scored[n])
            continue
        if run:
            yield Scored(run)
            run = []
        yield _bad_row(instrument, reading, line, cells)
    if run:
        yield Scored(run)


def _read_column(reader: Any, cells: list[Any]) -> list[Any]:
    """Each cell's answer, or `_BAD`; every distinct cell read once, counted as often as it occurs."""
    keys = [_key(cell) for cell in cells]
    counts: dict[Any, list[Any]] = {}
    for key, cell in zip(keys, cells, strict=True):
        counts.setdefault(key, [cell, 0])[1] += 1
    table: dict[Any, Any] = {}
    for key, (cell, times) in counts.items():
        try:
            table[key] = reader.read(cell, times)
        except ValueError:
            table[key] = _BAD
    return [table[key] for key in keys]


def _key(cell: Any) -> Any:
    """
    A cell's key in the table of distinct cells: its value and type.

    With its type, ``True`` and ``1`` (equal in Python) stay apart; an unhashable cell (a JSON
    file's object or list) is a key of its own.
    """
    if type(cell) is str:
        return cell
    try:
        hash(cell)
    except TypeError:
        return (type(cell), id(cell))
    return (type(cell), cell)


def _bad_row(instrument: Instrument, reading: Reading, line: int, cells: list[Any]) -> Row:
    """A row the fast path cannot score, read and checked exactly as the row path does."""
    row = reading.row(line, cells, counted=False)  # Its cells were counted in bulk already.
    if row.error is None:  # Its cells are answers; scoring finds what is wrong with them.
        try:
            score(instrument, row.answers)  # type: ignore[arg-type]
        except InvalidAnswersError as error:
            return Row(row.line, row.id, row.kept, None, error, row.cells)
    return row  # pragma: no cover - a bad row always has an error


def _cells(series: pd.Series) -> list[Any]:
    """A score column as the row path writes it: floats as they are, band ids as text, nothing as ""."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        texts: list[Any] = series.astype(object).where(series.notna(), "").tolist()
        return texts
    values = series.to_numpy()
    cells = values.astype(object)
    cells[np.isnan(values)] = ""
    written: list[Any] = cells.tolist()
    return written
