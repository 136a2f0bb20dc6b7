"""
Answers in a DataFrame, read into arrays by the cell rules of `leadscore.coerce_answers`.

Shared by `leadscore.frames` (scoring) and `leadscore.analysis` (reliability, data quality):
which column is which item, how each kind of column is read (NumPy, pandas' extension
arrays, text, mixed cells), which cells are refused and how the refusal reads. Needs pandas
and NumPy (the ``pandas`` extra).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from leadscore._checks import MAX_ANSWER, quoted
from leadscore._model import Instrument
from leadscore._plan import allowed_answers, compiled
from leadscore._tabular import WHOLE_NUMBER, describe_cell, read_cell
from leadscore.errors import ArgumentTypeError, InvalidAnswerError, InvalidAnswersError


__all__ = ["AnswerReader", "Problem", "as_pandas", "error_of", "mapping_of", "position"]

Problem = tuple[int, int, Hashable, Any, str]
"""A bad cell: its row and column positions, the column's label, the cell, the reason."""


def position(problem: Problem) -> tuple[int, int]:
    return problem[0], problem[1]


class AnswerReader:
    """
    The item columns of a frame, read a block of rows at a time into arrays of answers.

    Attributes:
        columns_read: Per item column: its header, the column, how to read it, and for NumPy
            columns the array (not a copy).
        items: The plan's rule of each column's item, in the columns' order.
        bad: Per row of the frame, True once a bad cell was found in it.
    """

    def __init__(self, instrument: Instrument, frame: pd.DataFrame, mapping: Mapping[Hashable, str]) -> None:
        plan = compiled(instrument)
        self.columns_read = []
        for header in mapping:
            cells = frame[header]
            kind = _kind(cells.dtype)
            self.columns_read.append((header, cells, kind, cells.to_numpy() if kind == "numpy" else None))
        self.items = [plan.items[plan.item_index[item_id]] for item_id in mapping.values()]
        self.low_high = np.array([(item.low, item.high) for item in self.items], dtype="float64").reshape(-1, 2, 1)
        self.not_applicable = [
            (row, item.not_applicable) for row, item in enumerate(self.items) if item.not_applicable is not None
        ]
        self.bad = np.zeros(len(frame), dtype=bool)

    def read(self, start: int, stop: int, problems: list[Problem]) -> tuple[np.ndarray, np.ndarray]:
        """
        Read rows *start* to *stop*: answers and flags, one row per item.

        The block holds the answers (0 where not answered), then answered flags (1.0 or 0.0);
        the flags come again as booleans.

        Every bad cell is added to *problems* and its response marked bad.
        """
        m = len(self.columns_read)
        block = np.empty((2 * m, stop - start))
        raw = block[:m]
        texts: dict[int, dict[int, str]] = {}
        for row, (_, cells, kind, array) in enumerate(self.columns_read):
            reasons = _read(cells, kind, array, (start, stop), raw[row])
            if reasons:
                texts[row] = reasons
        with np.errstate(invalid="ignore"):
            missing = np.isnan(raw)
            good = (raw >= self.low_high[:, 0]) & (raw <= self.low_high[:, 1]) & (raw == np.floor(raw))
        for row, na in self.not_applicable:
            # A not-applicable answer is never scored: it counts as not answered.
            skipped = raw[row] == na
            missing[row] |= skipped
            good[row] |= skipped
        failed = ~(good | missing)
        if texts or failed.any():
            self._problems(raw, failed, texts, start, problems)
            missing |= failed
        np.copyto(raw, 0.0, where=missing)
        answered = np.logical_not(missing, out=missing)
        np.copyto(block[m:], answered)
        return block, answered

    def _problems(
        self, raw: np.ndarray, failed: np.ndarray, texts: dict[int, dict[int, str]], start: int, problems: list[Problem]
    ) -> None:
        for row, (header, cells, *_) in enumerate(self.columns_read):
            item = self.items[row]
            allowed = "must be " + allowed_answers(item.low, item.high, item.not_applicable)
            reasons = texts.get(row, {})
            for column in np.flatnonzero(failed[row]).tolist():
                whole = np.isfinite(raw[row, column]) and raw[row, column] == np.floor(raw[row, column])
                reasons[column] = allowed if whole else "must be a whole number"
            for column, reason in reasons.items():
                self.bad[start + column] = True
                problems.append((start + column, row, header, _plain(cells.iloc[start + column]), reason))


def mapping_of(
    instrument: Instrument,
    frame: pd.DataFrame,
    given: Mapping[Hashable, str] | None,
    kept: list[Hashable],
    taken: set[str],
    *,
    listed_in: str = "keep",
) -> dict[Hashable, str]:
    """
    Header to item id; every problem with the columns at once.

    *kept* are the columns that are no items, named by the caller's argument *listed_in*
    (``keep``: carried into the result; ``ignore``: left out); *taken* are the result's own
    column names.
    """
    items = {item.id for item in instrument.items}
    if given is not None and not isinstance(given, Mapping):
        raise ArgumentTypeError(f"mapping must be a mapping of column to item id (got {quoted(given)})")
    mapping: dict[Hashable, str] = dict(given) if given is not None else {c: c for c in frame.columns if c in items}
    problems = [
        f"column {quoted(header)} names no item; map it with mapping= or list it in {listed_in}="
        for header in dict.fromkeys(frame.columns)
        if header not in mapping and header not in kept
    ]
    counts = frame.columns.value_counts(sort=False)
    problems.extend(f"column {quoted(header)} appears {n} times in the frame" for header, n in counts.items() if n > 1)
    for header, item_id in mapping.items():
        if header not in frame.columns:
            problems.append(f"column {quoted(header)} is mapped to {quoted(item_id)} but is not in the frame")
        if item_id not in items:
            problems.append(
                f"column {quoted(header)} is mapped to {quoted(item_id)}, "
                f"which is not an item of {quoted(instrument.id)}"
            )
    by_item: dict[str, list[Hashable]] = {}
    for header, item_id in mapping.items():
        by_item.setdefault(item_id, []).append(header)
    for item_id, headers in by_item.items():
        if len(headers) > 1:
            problems.append(
                f"item {quoted(item_id)} is mapped from {len(headers)} columns: {', '.join(map(repr, headers))}"
            )
    problems.extend(
        f"column {quoted(name)} is listed in {listed_in}= but is not in the frame"
        for name in kept
        if name not in frame.columns
    )
    problems.extend(
        f"column {quoted(name)} is listed in {listed_in}= but the result has a column of that name"
        for name in kept
        if name in taken
    )
    if problems:
        raise InvalidAnswersError(instrument.id, [InvalidAnswerError(p, item_id="", value=None) for p in problems])
    return {h: i for h, i in mapping.items() if h in frame.columns}


def error_of(
    instrument: Instrument,
    frame: pd.DataFrame,
    mapping: Mapping[Hashable, str],
    problems: list[Problem],
    max_errors: int,
) -> InvalidAnswersError:
    problems.sort(key=position)
    listed = [
        InvalidAnswerError(
            f"{reason} (got {describe_cell(cell)})",
            item_id=mapping[header],
            value=cell,
            row=_label(frame, row),
            column=str(header),
        )
        for row, _, header, cell, reason in problems[:max_errors]
    ]
    error = InvalidAnswersError(instrument.id, listed)
    if len(problems) > max_errors:
        error.add_note(f"{len(problems)} bad cells in all; the first {max_errors} are listed")
    return error


def as_pandas(frame: Any) -> tuple[pd.DataFrame, Any] | None:
    """
    A Polars, PyArrow or other eager frame narwhals knows, as a pandas frame; and the way back.

    Through narwhals (a dependency of the pandas extra): the columns as Python values, so
    nulls are missing and whole numbers stay whole; the scores go back to the caller's kind
    the same way (a band as text, a missing score as null). None for anything narwhals does
    not take as an eager frame (a Dask frame, a dict).
    """
    try:
        import narwhals as nw  # noqa: PLC0415 - only for frames that are not pandas
    except ImportError:  # pragma: no cover - narwhals comes with the pandas extra
        return None
    try:
        wrapped = nw.from_native(frame, eager_only=True)
    except TypeError:
        return None
    backend = nw.get_native_namespace(wrapped)
    read = pd.DataFrame(wrapped.to_dict(as_series=False))

    def back(scores: pd.DataFrame) -> Any:
        data = {
            name: [None if pd.isna(value) else (str(value) if name.endswith(".band") else value) for value in column]
            for name, column in scores.astype(object).items()
        }
        return nw.from_dict(data, backend=backend).to_native()

    return read, back


def _kind(dtype: Any) -> str:
    """How to read a column: as a NumPy array, a pandas numeric extension array, booleans, or cell by cell."""
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_complex_dtype(dtype):
        return "numpy" if isinstance(dtype, np.dtype) else "extension"
    return "cells"


def _read(
    cells: pd.Series, kind: str, array: np.ndarray | None, rows: tuple[int, int], out: np.ndarray
) -> dict[int, str]:
    """
    Put some *rows* (start, stop) of one column into *out* as floats; NaN is not answered.

    Return the reason for each cell that is not a number at all, by position. Adding 0.0
    while copying turns -0.0 into 0.0, as `read_cell` does (``int(-0.0)`` is 0).
    """
    if array is not None:
        np.add(array[slice(*rows)], 0.0, out=out)
        return {}
    chunk = cells.iloc[slice(*rows)]
    if kind == "extension":
        np.add(chunk.to_numpy(dtype="float64", na_value=np.nan), 0.0, out=out)
        return {}
    if kind == "bool":
        out[:] = np.nan
        return dict.fromkeys(np.flatnonzero(chunk.notna().to_numpy()).tolist(), "a boolean is not an answer")
    if pd.api.types.infer_dtype(chunk, skipna=True) in {"string", "empty"}:
        return _read_text(chunk, out)
    return _read_cells(chunk, out, range(len(chunk)))


def _read_text(chunk: pd.Series, out: np.ndarray) -> dict[int, str]:
    """
    Text cells, read with vectorized string operations by the rule of `read_cell`.

    Text the fast reading takes for a whole number is one by that rule too; all other cells
    go through `read_cell` itself, which also gives the reason they are no answer.
    """
    text = chunk.astype("string").str.strip()
    whole = text.str.fullmatch(WHOLE_NUMBER.pattern).fillna(value=False).to_numpy(dtype=bool)
    blank = text.fillna("").eq("").to_numpy(dtype=bool)
    numbers = text.where(whole).astype("Float64")  # Only whole numbers are left to parse.
    np.add(numbers.to_numpy(dtype="float64", na_value=np.nan), 0.0, out=out)
    return _read_cells(chunk, out, np.flatnonzero(~(whole | blank)).tolist())


def _read_cells(chunk: pd.Series, out: np.ndarray, rows: Iterable[int]) -> dict[int, str]:
    """Read some *rows* of a text or mixed column one cell at a time, into *out*."""
    reasons = {}
    for row in rows:
        out[row], reason = _cell(chunk.iloc[row])
        if reason:
            reasons[row] = reason
    return reasons


def _cell(cell: Any) -> tuple[float, str]:
    """One cell of a text or mixed column, by `leadscore.coerce_answers`'s own rule."""
    if cell is pd.NA:
        return np.nan, ""
    try:
        answer = read_cell(cell)
    except ValueError as exc:
        return np.nan, str(exc)
    if answer is not None and abs(answer) > MAX_ANSWER:  # No item takes it, and no double holds it.
        return np.nan, f"{quoted(answer)} lies beyond ±2**53, outside every response scale"
    return (np.nan if answer is None else float(answer)), ""


def _plain(cell: Any) -> Any:
    """A NumPy scalar as the Python value it holds, so messages read 4.5, not np.float64(4.5)."""
    return cell.item() if isinstance(cell, np.generic) else cell


def _label(frame: pd.DataFrame, row: int) -> int:
    label = frame.index[row]
    return int(label) if isinstance(label, (int, np.integer)) else row
