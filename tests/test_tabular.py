"""coerce_answers(): the explicit step from CSV and DataFrame cells to answers."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from leadscore import Instrument, InvalidAnswersError, coerce_answers, score


class TestCoerceAnswers:
    @pytest.mark.parametrize(
        ("cell", "expected"),
        [
            ("4", 4),
            (" 4 ", 4),
            ("4.0", 4),
            ("+4", 4),
            (4, 4),
            (4.0, 4),
            (Fraction(4), 4),
            (Decimal("4.00"), 4),
            ("", None),
            ("   ", None),
            (None, None),
            (float("nan"), None),
        ],
    )
    def test_accepted_cells(self, sbl: Instrument, cell: Any, expected: int | None) -> None:
        """Whole numbers in any of their tabular forms become ints; blanks and NaN become None."""
        assert {"stays-calm": expected} == coerce_answers(sbl, {"stays-calm": cell})

    @pytest.mark.parametrize(
        ("cell", "reason"),
        [
            (4.5, "must be a whole number (got 4.5)"),
            ("4.5", "must be a whole number (got '4.5')"),
            ("4,0", "must be a whole number (got '4,0')"),
            ("four", "must be a whole number (got 'four')"),
            ("4_0", "must be a whole number (got '4_0')"),
            (float("inf"), "must be a whole number (got inf)"),
            (True, "a boolean is not an answer (got True)"),
            ([4], "must be a whole number, text or empty (got list [4])"),
        ],
    )
    def test_error_when_cell_is_not_a_whole_number(self, sbl: Instrument, cell: Any, reason: str) -> None:
        """Anything that is not plainly a whole number is rejected with its row and column."""
        with pytest.raises(InvalidAnswersError) as caught:
            coerce_answers(sbl, {"stays-calm": cell}, row_number=7)

        (problem,) = caught.value.problems
        assert f"row 7, column 'stays-calm': {reason}" == str(problem)
        assert (7, "stays-calm") == (problem.row, problem.column)

    def test_error_names_unknown_columns_and_ignores_listed_ones(self, sbl: Instrument) -> None:
        """Columns that name no item are errors unless listed in ignore."""
        row = {"respondent": "r1", "stays-calm": "3", "stays_calm": "4"}

        with pytest.raises(InvalidAnswersError) as caught:
            coerce_answers(sbl, row, ignore=["respondent"])

        assert ["column 'stays_calm': 'stays_calm' is not an item of 'secure-base-leadership'"] == [
            str(p) for p in caught.value.problems
        ]

    def test_row_is_not_changed_and_ranges_are_left_to_score(self, sbl: Instrument) -> None:
        """Coercion returns a new dict; an out-of-range value passes here and fails in score()."""
        row = {"stays-calm": "9", "respondent": "r1"}

        answers = coerce_answers(sbl, row, ignore=("respondent",))

        assert {"stays-calm": "9", "respondent": "r1"} == row
        assert {"stays-calm": 9} == answers
        with pytest.raises(InvalidAnswersError):
            score(sbl, answers)
