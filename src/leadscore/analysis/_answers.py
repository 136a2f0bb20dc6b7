"""
Answers as a matrix: one row per respondent, one column per item, NaN where not answered.

"Not applicable" counts as not answered. From answer mappings or a DataFrame.

Needs NumPy; a DataFrame needs pandas too (for Polars and PyArrow frames, narwhals: all in
the ``pandas`` extra).
"""

from __future__ import annotations

import sys

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import numpy as np

from leadscore._model import Instrument
from leadscore._plan import compiled
from leadscore._scoring import answer_sets_of
from leadscore.analysis._tables import is_frame
from leadscore.errors import ArgumentTypeError


__all__ = ["answer_matrix"]


def answer_matrix(
    instrument: Instrument,
    data: Any,
    *,
    mapping: Mapping[Hashable, str] | None = None,
    ignore: Iterable[Hashable] = (),
) -> tuple[np.ndarray, Any]:
    """
    The answers of *data* as a float matrix (respondents by the instrument's items, in its order).

    Returns the matrix and, for a DataFrame, the pandas frame it was read from (for the kept
    columns and the index), else None.

    Raises:
        InvalidAnswersError: Naming the bad cells of a frame (at most 20, with a count of all),
            or the first invalid answer set, with its row.
        ArgumentTypeError: For a Dask DataFrame (its partitions are not all the respondents).
    """
    plan = compiled(instrument)
    if type(data).__module__.split(".")[0] == "dask":
        raise ArgumentTypeError(
            "a Dask DataFrame is read partition by partition: compute() it first (reliability and data "
            "quality need every respondent at once)"
        )
    if not is_frame(data):
        rows = [plan.validated(answers, row)[0] for row, answers in enumerate(answer_sets_of(data))]
        matrix = np.array(
            [[np.nan if value is None else value for value in row] for row in rows], dtype="float64"
        ).reshape(len(rows), len(plan.items))
        return matrix, None
    return _frame_matrix(instrument, data, mapping, list(ignore))


def _frame_matrix(
    instrument: Instrument, data: Any, mapping: Mapping[Hashable, str] | None, ignore: list[Hashable]
) -> tuple[np.ndarray, Any]:
    from leadscore._arrays import AnswerReader, as_pandas, error_of, mapping_of  # noqa: PLC0415 - pandas

    pandas = sys.modules.get("pandas")
    frame = data
    if pandas is None or not isinstance(data, pandas.DataFrame):
        converted = as_pandas(data)
        if converted is None:  # pragma: no cover - is_frame took it for a frame narwhals knows
            raise TypeError(f"cannot read a {type(data).__name__} as a table of answers")
        frame = converted[0]
    plan = compiled(instrument)
    placed = mapping_of(instrument, frame, mapping, ignore, set(), listed_in="ignore")
    reader = AnswerReader(instrument, frame, placed)
    problems: list[Any] = []
    block, answered = reader.read(0, len(frame), problems)
    if problems:
        raise error_of(instrument, frame, placed, problems, 20)
    matrix = np.full((len(frame), len(plan.items)), np.nan)
    positions = [plan.item_index[item_id] for item_id in placed.values()]
    m = len(positions)
    matrix[:, positions] = np.where(answered, block[:m], np.nan).T
    return matrix, frame
