"""score_frame on Polars and PyArrow frames (through narwhals): the scores of pandas, in the caller's kind."""

from __future__ import annotations

import random

import pandas as pd
import pytest

import leadscore

from leadscore.errors import InvalidAnswersError
from leadscore.frames import score_frame


pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")
SBL = leadscore.get_instrument("secure-base-leadership")
IDS = [item.id for item in SBL.items]


def answers(rows: int = 40, seed: int = 3) -> dict[str, list[object]]:
    """Answer columns with blanks, and an id column."""
    rng = random.Random(seed)
    data: dict[str, list[object]] = {"respondent": [f"r{n}" for n in range(rows)]}
    for item_id in IDS:
        data[item_id] = [rng.randint(1, 5) if rng.random() > 0.1 else None for _ in range(rows)]
    return data


def as_rows(frame: pd.DataFrame) -> list[dict[str, object]]:
    """A pandas result as plain values: missing as None, bands as text."""
    return [
        {
            key: (None if pd.isna(value) else (str(value) if key.endswith(".band") else value))
            for key, value in row.items()
        }
        for row in frame.astype(object).to_dict("records")
    ]


@pytest.mark.parametrize("kind", ["polars", "pyarrow"])
def test_the_same_scores_in_the_callers_kind(kind: str) -> None:
    """Polars in, Polars out; Arrow in, Arrow out; every value as pandas gives it."""
    data = answers()
    native = pl.DataFrame(data) if kind == "polars" else pa.table(data)
    frame = pd.DataFrame(data).astype(dict.fromkeys(IDS, "Int64"))

    got = score_frame(SBL, native, keep=["respondent"])
    expected = as_rows(score_frame(SBL, frame, keep=["respondent"]))

    assert type(got) is type(native)
    rows = got.to_dicts() if kind == "polars" else got.to_pylist()
    assert rows == expected


def test_bad_cells_are_named_by_their_row() -> None:
    """A bad cell in a Polars frame: the same error as in pandas, its row the position."""
    data = answers(5)
    data["stays-calm"][3] = 9

    with pytest.raises(InvalidAnswersError) as raised:
        score_frame(SBL, pl.DataFrame(data), keep=["respondent"])

    (problem,) = raised.value.problems
    assert (problem.row, problem.item_id) == (3, "stays-calm")
