"""score_frame(): a whole DataFrame at once, equal to score() row by row, with the same strictness."""

from __future__ import annotations

import math
import re

from typing import Any
from unittest import mock

import numpy as np
import pandas as pd
import pytest

from hypothesis import given
from hypothesis import strategies as st

import leadscore

from leadscore import (
    Band,
    Instrument,
    InvalidAnswersError,
    Item,
    ResponseScale,
    Scale,
    Source,
    _frames,
    coerce_answers,
    score,
)
from leadscore._exact import EXACT
from leadscore._plan import compiled
from leadscore.errors import InvalidArgumentError
from leadscore.frames import FIELDS, score_frame
from leadscore.testing.strategies import answers
from tests.strategies import THREE_METHODS_ROWS, any_instruments, table_layout, three_methods, tiny_with_not_applicable


def same(expected: float | None, got: Any) -> bool:
    """Whether a frame cell holds the score's value: NaN for None, else the same bits (the sign of a zero too)."""
    if expected is None:
        return got is None or pd.isna(got)
    return bool(expected == got and math.copysign(1, expected) == math.copysign(1, got))


def same_label(expected: str | None, got: Any) -> bool:
    """Whether a frame cell holds the band id: pandas' missing value stands for None."""
    return bool(pd.isna(got)) if expected is None else expected == got


@pytest.mark.deep
@pytest.mark.untraced
@given(st.data())
def test_frame_scores_equal_score_row_by_row(data: st.DataObject) -> None:
    """For generated instruments and answers, every frame cell equals score()'s result for its row,
    bit for bit (each figure is the double nearest its exact value in both), whether the answers
    come as floats, nullable integers or text, wherever blocks of rows end, and whichever fields
    are asked for. An instrument whose exact figures pass 2**53 is refused, naming the score.
    """
    instrument: Instrument = data.draw(any_instruments())
    if max(compiled(instrument).bounds.values(), default=0) > EXACT:
        with pytest.raises(InvalidArgumentError, match="beyond 2\\*\\*53"):
            score_frame(instrument, pd.DataFrame())
        return
    rows = data.draw(st.lists(answers(instrument), min_size=1, max_size=6))
    frame = pd.DataFrame([{item.id: row.get(item.id) for item in instrument.items} for row in rows], dtype="float64")
    form = data.draw(st.sampled_from(["float64", "Int64", "text"]))
    if form == "text":
        frame = frame.map(lambda v: "" if pd.isna(v) else str(int(v))).astype(object)
    else:
        frame = frame.astype(form)
    block = data.draw(st.integers(min_value=1, max_value=7), label="rows per block")
    fields = data.draw(st.sets(st.sampled_from(FIELDS), min_size=1), label="fields")

    with mock.patch.object(_frames, "_CHUNK_ROWS", block):
        result = score_frame(instrument, frame)
        narrow = score_frame(instrument, frame, fields=fields)

    pd.testing.assert_frame_equal(result[list(narrow.columns)], narrow)
    assert table_layout(instrument) == list(result.columns)
    assert table_layout(instrument, fields) == list(narrow.columns)

    # Cells read once per row (a cell lookup per score took a quarter of this test's time).
    for row, cells in zip(rows, result.to_dict("records"), strict=True):
        expected = score(instrument, row)
        for scale_id, s in expected.scales.items():
            assert same(s.value, cells[f"{scale_id}.value"])
            assert same(s.pomp, cells[f"{scale_id}.pomp"])
            assert s.n_answered == cells[f"{scale_id}.n_answered"]
            assert same_label(s.band, cells.get(f"{scale_id}.band"))  # No column: no bands, no band.
        for composite_id, c in expected.composites.items():
            assert same(c.value, cells[f"{composite_id}.value"])
            assert same(c.pomp, cells[f"{composite_id}.pomp"])
            assert same_label(c.band, cells.get(f"{composite_id}.band"))


def test_a_mean_a_sum_and_a_pomp_score_as_score_does() -> None:
    """The property above by one example, under coverage: each method, a span of 3, gaps, an unscored scale."""
    instrument = three_methods()
    frame = pd.DataFrame(THREE_METHODS_ROWS, columns=["a", "b", "c", "d"], dtype="Int64")

    cells = score_frame(instrument, frame).to_dict("records")

    for row, got in zip(THREE_METHODS_ROWS, cells, strict=True):
        for scale_id, expected in score(instrument, row).scales.items():
            assert same(expected.value, got[f"{scale_id}.value"]), (scale_id, row)
            assert same(expected.pomp, got[f"{scale_id}.pomp"]), (scale_id, row)
    assert math.isnan(cells[3]["p.value"])  # c and d unanswered: no POMP


SBL = "secure-base-leadership"


class TestCoercion:
    def test_tabular_forms_are_read_as_coerce_answers_reads_them(self) -> None:
        """Whole numbers as numbers or text are answers; NaN, None, pd.NA and blanks are not answered."""
        frame = pd.DataFrame(
            {
                "stays-calm": [4.0, np.nan, 3.0],
                "sees-the-potential": ["5", " 2 ", ""],
                "signals-accessibility": pd.array([1, None, 5], dtype="Int64"),
                "focuses-on-the-positive": pd.Series([3, pd.NA, "4.0"], dtype="object"),
            }
        )

        result = score_frame(SBL, frame)

        assert [4.0, 5.0, 1.0, 3.0] == [
            result[f"{c}.value"].iloc[0]
            for c in ("stays-calm", "sees-the-potential", "signals-accessibility", "focuses-on-the-positive")
        ]
        assert [1, 0, 1] == list(result["stays-calm.n_answered"])
        assert pd.isna(result["stays-calm.value"].iloc[1])
        assert 4.0 == result["focuses-on-the-positive.value"].iloc[2]

    def test_error_lists_every_bad_cell_with_row_and_column(self) -> None:
        """4.5, text, booleans in a mixed column and out-of-range values are all refused, at once, in file order."""
        frame = pd.DataFrame(
            {
                "stays-calm": [4.5, 3.0, 7.0],
                "sees-the-potential": pd.Series(["four", True, "2"], dtype="object", index=[10, 11, 12]),
            },
            index=[10, 11, 12],
        )

        with pytest.raises(InvalidAnswersError) as caught:
            score_frame(SBL, frame)

        assert [
            "row 10, column 'stays-calm': must be a whole number (got 4.5)",
            "row 10, column 'sees-the-potential': must be a whole number (got 'four')",
            "row 11, column 'sees-the-potential': a boolean is not an answer (got True)",
            "row 12, column 'stays-calm': must be an integer from 1 to 5 (got 7.0)",
        ] == [str(p) for p in caught.value.problems]

    def test_boolean_columns_and_infinities_are_refused(self) -> None:
        """A boolean column is no answers; infinity is no whole number."""
        frame = pd.DataFrame({"stays-calm": [True, False], "sees-the-potential": [np.inf, 1.0]})

        with pytest.raises(InvalidAnswersError) as caught:
            score_frame(SBL, frame)

        assert 3 == len(caught.value.problems)

    def test_cells_that_are_neither_numbers_nor_text_are_refused(self) -> None:
        """A list in an object column is no answer."""
        frame = pd.DataFrame({"stays-calm": pd.Series([[4], 3], dtype="object")})

        with pytest.raises(InvalidAnswersError) as caught:
            score_frame(SBL, frame)

        assert ["row 0, column 'stays-calm': must be a whole number, text or empty (got list [4])"] == [
            str(p) for p in caught.value.problems
        ]

    def test_report_marks_bad_rows_and_scores_the_rest(self) -> None:
        """With on_error='report', a bad row gets no scores and an error; the others are scored."""
        frame = pd.DataFrame({"respondent": ["a", "b"], "stays-calm": ["9", "2"]})

        result = score_frame(SBL, frame, keep=["respondent"], on_error="report")

        assert ["a", "b"] == list(result["respondent"])
        assert pd.isna(result["stays-calm.value"].iloc[0])
        assert pd.isna(result["stays-calm.n_answered"].iloc[0])
        assert 2.0 == result["stays-calm.value"].iloc[1]
        assert "column 'stays-calm': must be an integer from 1 to 5 (got '9')" == result["error"].iloc[0]
        assert pd.isna(result["error"].iloc[1])

    def test_many_bad_cells_are_capped_with_a_count(self) -> None:
        """The error lists at most max_errors cells and says how many there were."""
        frame = pd.DataFrame({"stays-calm": [9.0] * 30})

        with pytest.raises(InvalidAnswersError) as caught:
            score_frame(SBL, frame, max_errors=5)

        assert 5 == len(caught.value.problems)
        assert ["30 bad cells in all; the first 5 are listed"] == caught.value.__notes__


class TestColumns:
    def test_survey_export_headers_are_mapped_explicitly(self) -> None:
        """A LimeSurvey-style export (Q1[SQ001]) or a Qualtrics-style one (Q1_1) maps by an explicit table."""
        lime = pd.DataFrame({"id": [1], "Q1[SQ001]": [4], "Q1[SQ002]": [2]})
        qualtrics = pd.DataFrame({"ResponseId": ["R_1"], "Q1_1": [4], "Q1_2": [2]})

        first = score_frame(
            SBL, lime, mapping={"Q1[SQ001]": "stays-calm", "Q1[SQ002]": "accepts-the-individual"}, keep=["id"]
        )
        second = score_frame(
            SBL, qualtrics, mapping={"Q1_1": "stays-calm", "Q1_2": "accepts-the-individual"}, keep=["ResponseId"]
        )

        assert (4.0, 2.0) == (first["stays-calm.value"].iloc[0], first["accepts-the-individual.value"].iloc[0])
        assert first["stays-calm.value"].equals(second["stays-calm.value"])

    def test_columns_labelled_by_position(self) -> None:
        """A CSV read without a header has columns 0, 1, 2, ...: they map like any label, errors name them."""
        export = pd.DataFrame(
            [["r1", 4, "x"], ["r2", 9, 2]]
        )  # Labels 0, 1, 2; mixed labels in errors sort by position.

        result = score_frame(
            SBL, export, mapping={1: "stays-calm", 2: "sees-the-potential"}, keep=[0], on_error="report"
        )

        assert [0, "stays-calm.value"] == list(result.columns[:2])
        assert ["r1", "r2"] == list(result[0])
        assert [
            "column 2: must be a whole number (got 'x')",
            "column 1: must be an integer from 1 to 5 (got 9)",
        ] == list(result["error"])
        with pytest.raises(InvalidAnswersError) as caught:
            score_frame(SBL, export, mapping={1: "stays-calm", 2: "sees-the-potential"}, keep=[0])
        assert [("1", 9), ("2", "x")] == sorted((p.column, p.value) for p in caught.value.problems)

    def test_error_when_columns_match_nothing_or_twice(self) -> None:
        """Unmatched and repeated columns, items mapped twice, unknown items and missing columns are all named."""
        frame = pd.DataFrame([[4, 3, 1, 2, 2]], columns=["Q1", "Q2", "Q9", "Q8", "Q8"])

        with pytest.raises(InvalidAnswersError) as caught:
            score_frame(SBL, frame, mapping={"Q1": "stays-calm", "Q2": "stays-calm", "Q3": "nope"}, keep=["id"])

        assert [
            "column 'Q9' names no item; map it with mapping= or list it in keep=",
            "column 'Q8' names no item; map it with mapping= or list it in keep=",
            "column 'Q8' appears 2 times in the frame",
            "column 'Q3' is mapped to 'nope' but is not in the frame",
            "column 'Q3' is mapped to 'nope', which is not an item of 'secure-base-leadership'",
            "item 'stays-calm' is mapped from 2 columns: 'Q1', 'Q2'",
            "column 'id' is listed in keep= but is not in the frame",
        ] == [str(p) for p in caught.value.problems]


def test_arrow_backed_columns_score_alike() -> None:
    """Arrow-backed columns give the same scores as NumPy ones."""
    plain = pd.DataFrame({"stays-calm": [4, 2, None], "sees-the-potential": ["5", "3", None]})
    arrow = plain.astype({"stays-calm": "int64[pyarrow]", "sees-the-potential": "string[pyarrow]"})

    assert score_frame(SBL, plain).equals(score_frame(SBL, arrow))


def test_instrument_id_and_band_columns() -> None:
    """The Care/Dare balance gets its band per row; an instrument may be named by id."""
    care = ["stays-calm", "accepts-the-individual", "uses-listening-and-inquiry", "signals-accessibility"]
    items = [i.id for i in leadscore.get_instrument(SBL).items]
    frame = pd.DataFrame([{i: (5 if i in care else 2) for i in items}, dict.fromkeys(items, 3)])

    result = score_frame(SBL, frame)

    assert ["care-without-dare", "balanced"] == list(result["care-dare-balance.band"])
    assert [3.0, 0.0] == list(result["care-dare-balance.value"])


class TestResultShape:
    def test_column_types(self) -> None:
        """Values and POMP are floats, counts nullable Int64, bands ordered categoricals of the band ids, kept columns as they came."""
        items = [i.id for i in leadscore.get_instrument(SBL).items]
        frame = pd.DataFrame([dict.fromkeys(items, 3), {"stays-calm": 9}])
        frame.insert(0, "respondent", pd.array(["a", "b"], dtype="string[pyarrow]"))

        result = score_frame(SBL, frame, keep=["respondent"], on_error="report")

        assert frame["respondent"].dtype == result["respondent"].dtype
        assert "float64" == str(result["overall.value"].dtype) == str(result["care.pomp"].dtype)
        assert "Int64" == str(result["overall.n_answered"].dtype)
        assert [9, pd.NA] == list(result["overall.n_answered"])  # The bad row has no count.
        band = result["care-dare-balance.band"].dtype
        assert isinstance(band, pd.CategoricalDtype)
        assert band.ordered
        assert ["dare-without-care", "balanced", "care-without-dare"] == list(band.categories)
        assert ["balanced", None] == [None if pd.isna(b) else b for b in result["care-dare-balance.band"]]
        assert isinstance(result["error"].dtype, pd.StringDtype)

    def test_fields_narrow_the_result_in_a_fixed_order(self) -> None:
        """fields= picks columns per score; they come in the order of FIELDS whatever order is asked."""
        frame = pd.DataFrame({"stays-calm": [4, 2]})

        full = score_frame(SBL, frame)
        narrow = score_frame(SBL, frame, fields=["band", "value"])

        # Secure Base Leadership's scales have no bands: their band columns are left out.
        assert ["stays-calm.value", "accepts-the-individual.value"] == list(narrow.columns[:2])
        instrument = leadscore.get_instrument(SBL)
        assert table_layout(instrument, ["value", "band"]) == list(narrow.columns)
        assert 13 + sum(1 for c in instrument.composites if c.bands) == len(narrow.columns)
        pd.testing.assert_frame_equal(full[list(narrow.columns)], narrow)
        assert list(score_frame(SBL, frame, fields="pomp").columns) == [c for c in full.columns if c.endswith(".pomp")]
        assert FIELDS == ("value", "n_answered", "pomp", "band")

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (
                {"fields": ["value", "mean"]},
                "fields must be some of 'value', 'n_answered', 'pomp', 'band' (got ['mean', 'value'])",
            ),
            ({"fields": []}, "fields must be some of 'value', 'n_answered', 'pomp', 'band' (got [])"),
            ({"on_error": "ignore"}, "on_error must be 'raise' or 'report' (got 'ignore')"),
        ],
    )
    def test_options_out_of_their_choices(self, options: dict[str, Any], message: str) -> None:
        """An unknown field or error mode is a ValueError that names it."""
        with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
            score_frame(SBL, pd.DataFrame({"stays-calm": [4]}), **options)

    def test_kept_columns_may_not_take_a_result_name(self) -> None:
        """A kept column named like a score or the error column would be overwritten: it is an error."""
        frame = pd.DataFrame({"stays-calm.value": [1.0], "error": ["none"], "stays-calm": [4]})

        with pytest.raises(InvalidAnswersError) as caught:
            score_frame(SBL, frame, keep=["stays-calm.value", "error"], on_error="report")

        assert [
            "column 'stays-calm.value' is listed in keep= but the result has a column of that name",
            "column 'error' is listed in keep= but the result has a column of that name",
        ] == [str(p) for p in caught.value.problems]
        # Without on_error="report" there is no error column to clash with.
        assert ["error"] == list(score_frame(SBL, frame[["error", "stays-calm"]], keep=["error"]).columns[:1])

    def test_a_kept_item_column_is_kept_and_scored(self) -> None:
        """Keeping an item's column carries the answers along; it is scored all the same."""
        result = score_frame(SBL, pd.DataFrame({"stays-calm": [4, None]}), keep=["stays-calm"])

        assert [4.0, 4.0] == [result["stays-calm"].iloc[0], result["stays-calm.value"].iloc[0]]


class TestBlocks:
    """Rows are read and scored in blocks; a small block size shows nothing depends on where a block ends."""

    def test_blocks_give_the_same_result(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Scored three rows at a time, every cell is as scored at once, bad rows in later blocks included."""
        rng = np.random.default_rng(3)
        items = [i.id for i in leadscore.get_instrument(SBL).items]
        frame = pd.DataFrame(rng.integers(1, 6, size=(10, len(items))).astype("float64"), columns=items)
        frame.iloc[[2, 7], 0] = [np.nan, 6.0]
        frame.iloc[8, 3] = 2.5
        at_once = score_frame(SBL, frame, on_error="report")

        monkeypatch.setattr(_frames, "_CHUNK_ROWS", 3)

        pd.testing.assert_frame_equal(at_once, score_frame(SBL, frame, on_error="report"))
        assert [7, 8] == list(at_once.index[at_once["error"].notna()])
        with pytest.raises(InvalidAnswersError) as caught:
            score_frame(SBL, frame)
        assert ["row 7, column 'stays-calm'", "row 8, column 'uses-listening-and-inquiry'"] == [
            str(p).split(":")[0] for p in caught.value.problems
        ]


def test_not_applicable_answers_count_as_not_answered() -> None:
    """A declared not-applicable code is read but not scored; other values outside the range name it."""
    tiny = tiny_with_not_applicable("frames-tiny")
    frame = pd.DataFrame({"a": [3, 0, 0, 4], "b": [1, 1, 0, 2]})

    result = score_frame(tiny, frame, on_error="report")

    assert [3.0, 3.0, None, None] == [None if pd.isna(v) else v for v in result["s.value"]]
    assert [2, 1, 0, pd.NA] == list(result["s.n_answered"])
    assert "column 'a': must be an integer from 1 to 3 or 0 (not applicable) (got 4)" == result["error"].iloc[3]
    for position in range(3):
        expected = score(tiny, {"a": int(frame["a"].iloc[position]), "b": int(frame["b"].iloc[position])})
        assert same(expected.scales["s"].value, result["s.value"].iloc[position])


class TestTextColumns:
    """Text columns are read with vectorized string operations, by the one cell rule."""

    @pytest.mark.parametrize("dtype", ["object", "str", "string[python]"])
    def test_text_is_read_as_read_cell_reads_it(self, dtype: str) -> None:
        """Signs, padding, zeros and blanks as coerce_answers takes them; other text is an error with its reason."""
        cells = ["4", " 2 ", "+3", "007", "4.00", "", None, "\x1c5\x1c", "N/A", "4.5", "1e0", "٤"]
        frame = pd.DataFrame({"stays-calm": pd.Series(cells, dtype=dtype)})

        result = score_frame(SBL, frame, on_error="report")

        expected: list[float | None] = [4.0, 2.0, 3.0, None, 4.0, None, None, 5.0]
        assert expected == [None if pd.isna(v) else v for v in result["stays-calm.value"].iloc[:8]]
        assert [
            "column 'stays-calm': must be an integer from 1 to 5 (got '007')",
            "column 'stays-calm': must be a whole number (got 'N/A')",
            "column 'stays-calm': must be a whole number (got '4.5')",
            "column 'stays-calm': must be a whole number (got '1e0')",
            "column 'stays-calm': must be a whole number (got '٤')",
        ] == list(result["error"].dropna())
        for cell, value in zip(cells, result["stays-calm.value"], strict=True):  # Cell by cell, as score() sees it.
            try:
                scored = score(SBL, coerce_answers(SBL, {"stays-calm": cell})).scales["stays-calm"].value
            except InvalidAnswersError:
                scored = None
            assert same(scored, value)


def test_negative_zero_is_zero() -> None:
    """-0.0 and "-0" are the answer 0, as coerce_answers reads them: no score comes out as -0.0."""
    item = leadscore.Item(
        id="a", text={"en": "A"}, response=leadscore.ResponseScale(min=0, max=4), source=leadscore.Source(document="t")
    )
    zero = leadscore.Instrument(
        id="frames-zero",
        version="1.0.0",
        title={"en": "Zero"},
        items=[item],
        scales=[leadscore.Scale(id="s", title={"en": "S"}, items=["a"], min_answered=1)],
    )

    for column in (pd.Series([-0.0]), pd.Series(["-0"]), pd.Series([-0.0], dtype="Float64")):
        result = score_frame(zero, pd.DataFrame({"a": column}))

        assert [1.0, 1.0] == [math.copysign(1, result["s.value"].iloc[0]), math.copysign(1, result["s.pomp"].iloc[0])]


def test_no_band_without_a_value_where_a_bound_is_zero() -> None:
    """A band bound of 0 compares the numerator with 0 alone: an unanswered scale still gets no band (a case found)."""
    instrument = Instrument(
        id="zero-bound",
        version="1.0.0",
        title={"en": "Zero"},
        items=[Item(id="i0", text={"en": "I"}, response=ResponseScale(min=-1, max=1), source=Source(document="t"))],
        scales=[
            Scale(
                id="s0",
                title={"en": "S"},
                items=["i0"],
                min_answered=1,
                bands=[
                    Band(id="b0", label={"en": "low"}, lower=-1, upper=0),
                    Band(id="b1", label={"en": "high"}, lower=0, upper=1),
                ],
            )
        ],
    )
    answers = [None, 0, 1, -1]

    got = score_frame(instrument, pd.DataFrame({"i0": answers}, dtype="float64"))["s0.band"].tolist()

    assert [None if pd.isna(band) else band for band in got] == [None, "b1", "b1", "b0"]
    assert [score(instrument, {"i0": answer}).scales["s0"].band for answer in answers] == [None, "b1", "b1", "b0"]
