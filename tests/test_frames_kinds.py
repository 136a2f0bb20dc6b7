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


class TestFramesAsSources:
    """read_responses on an export already read into a frame: the same answers as from the file."""

    @pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
    def test_an_export_read_by_a_dataframe_library(self, kind: str) -> None:
        """A Qualtrics export read with its first row as the header, all as text: read as the file is."""
        from io import BytesIO, StringIO  # noqa: PLC0415

        from leadscore.readers import read_responses  # noqa: PLC0415
        from tests.exports import export, frame_rows  # noqa: PLC0415
        from tests.test_readers import LABELLED  # noqa: PLC0415

        sets: list[dict[str, int | None]] = [
            {"q1": 4, "q2": 9, "q3": None, "q4": 1},
            {"q1": 2, "q2": 3, "q3": 5, "q4": None},
        ]
        written = export("qualtrics", LABELLED, sets, labels=True, language="en")
        text = written.data.decode()
        if kind == "pandas":
            frame: object = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
        elif kind == "polars":
            frame = pl.read_csv(StringIO(text), infer_schema=False)
        else:
            from pyarrow import csv as arrow_csv  # noqa: PLC0415

            frame = arrow_csv.read_csv(
                BytesIO(written.data),
                convert_options=arrow_csv.ConvertOptions(strings_can_be_null=False, column_types={}),
            )

        read = read_responses(frame, LABELLED)

        assert frame_rows(read.answers) == written.answers
        assert (read.report.platform, read.report.kind, read.report.source) == ("qualtrics", "frame", "<frame>")

    def test_a_frame_has_no_encoding(self) -> None:
        """Options of files are refused for a frame."""
        from leadscore.errors import InvalidExportError  # noqa: PLC0415
        from leadscore.readers import read_responses  # noqa: PLC0415

        with pytest.raises(InvalidExportError, match="a DataFrame has no sheet, encoding or delimiter"):
            read_responses(pl.DataFrame({"stays-calm": [4]}), SBL, encoding="cp1252")


def test_a_frame_indexed_by_text_names_rows_by_position() -> None:
    """Index labels that are no whole numbers: a bad cell's row is its position."""
    from leadscore.readers import read_responses  # noqa: PLC0415

    frame = pd.DataFrame({"stays-calm": ["4", "seven"]}, index=["a", "b"])

    with pytest.raises(InvalidAnswersError) as raised:
        read_responses(frame, SBL)

    assert raised.value.problems[0].row == 1
