"""
Fuzzing the scoring entry points: score, score_many, coerce_answers and score_frame.

Each test hands an entry point values of every kind (see `hostile`) and asserts the one
promise: a correct result or a `LeadscoreError`, nothing else, and nothing coerced. An
oracle written here, apart from the code under test, says which outcome is the right one.
"""

from __future__ import annotations

import re

from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from hypothesis import given
from hypothesis import strategies as st

import leadscore

from leadscore import Instrument, InvalidAnswersError, Result
from leadscore._checks import quoted
from leadscore.errors import ArgumentTypeError, LeadscoreError
from leadscore.frames import score_frame
from leadscore.testing.strategies import answers, is_valid_answer
from tests.adversarial.hostile import hostile, outcome, scalars
from tests.strategies import any_instruments


def keys() -> st.SearchStrategy[Any]:
    """Keys a caller might use for an item: look-alike ids, other types, hostile text."""
    return st.one_of(st.text(max_size=8), st.integers(), st.none(), st.sampled_from(["Stays-Calm", "stays_calm", ""]))


@st.composite
def spoiled_answers(draw: st.DrawFn) -> tuple[Instrument, dict[Any, Any]]:
    """An instrument and an answer set in which some answers are replaced by, or joined by, anything."""
    instrument = draw(any_instruments())
    given_answers: dict[Any, Any] = dict(draw(answers(instrument)))
    ids = [item.id for item in instrument.items]
    for item_id in draw(st.lists(st.sampled_from(ids), max_size=3, unique=True)):
        given_answers[item_id] = draw(hostile(max_leaves=3))
    for key in draw(st.lists(keys(), max_size=2)):
        given_answers[key] = draw(scalars())
    return instrument, given_answers


def bad_keys(instrument: Instrument, given_answers: dict[Any, Any]) -> list[Any]:
    """The oracle: which answers score() must refuse (an unknown key, or not an answer to its item)."""
    items = {item.id: item for item in instrument.items}
    return [key for key, value in given_answers.items() if key not in items or not is_valid_answer(items[key], value)]


@given(spoiled_answers())
def test_score_refuses_exactly_the_bad_answers(case: tuple[Instrument, dict[Any, Any]]) -> None:
    """score(): a result when every answer is valid; otherwise one error naming each bad answer, and only those."""
    instrument, given_answers = case
    bad = bad_keys(instrument, given_answers)

    got = outcome(leadscore.score, instrument, given_answers)

    if bad:
        assert isinstance(got, InvalidAnswersError), got
        assert len(bad) == len(got.problems)
        assert [k if isinstance(k, str) else None for k in bad] == [
            p.item_id if isinstance(k, str) else None for k, p in zip(bad, got.problems, strict=True)
        ]
    else:
        assert isinstance(got, Result)
        assert got == leadscore.from_json(leadscore.to_json(got), Result, instrument=instrument)


@given(
    st.one_of(any_instruments(), st.sampled_from(["secure-base-leadership", "no-such-thing"]), hostile(3)), hostile(4)
)
def test_score_takes_any_arguments_without_an_unrelated_exception(instrument: Any, given_answers: Any) -> None:
    """score() with anything as its instrument and its answers: a result or a LeadscoreError."""
    got = outcome(leadscore.score, instrument, given_answers)

    assert isinstance(got, (Result, LeadscoreError))
    if not isinstance(instrument, (Instrument, str)):
        assert isinstance(got, ArgumentTypeError)


@given(any_instruments(), st.one_of(hostile(4), st.lists(hostile(3), max_size=4)))
def test_score_many_takes_anything_without_an_unrelated_exception(instrument: Instrument, answer_sets: Any) -> None:
    """score_many() over anything: results as score() gives them, up to the first error, which is a LeadscoreError."""
    got = outcome(lambda: list(leadscore.score_many(instrument, answer_sets)))

    if isinstance(answer_sets, list):
        expected = [outcome(leadscore.score, instrument, a) for a in answer_sets]
        first_error = next((i for i, e in enumerate(expected) if isinstance(e, LeadscoreError)), None)
        if first_error is None:
            assert expected == got
        else:
            assert isinstance(got, InvalidAnswersError)
            assert first_error == got.row
    else:
        assert isinstance(got, (list, LeadscoreError))


def expected_cell(cell: Any) -> int | str | None:
    """
    The oracle for one tabular cell, written apart from the code: the answer it holds, or "refused".

    A cell holds an answer when it means exactly one whole number: an integer (not a
    boolean), a finite real number with nothing after the point, or text of ASCII digits
    with an optional sign and ``.0`` and spaces around. NaN, None and blank text hold no
    answer. No number of more than 18 digits is an answer, unless it is an integer already
    (its range is score()'s to check).
    """
    if cell is None:
        return None
    if isinstance(cell, bool) or type(cell).__name__ == "bool_":
        return "refused"
    if isinstance(cell, int):
        return int(cell)
    return _expected_text(cell) if isinstance(cell, str) else _expected_number(cell)


def _expected_text(cell: str) -> int | str | None:
    text = cell.strip()
    if not text:
        return None
    if not re.fullmatch(r"[+-]?[0-9]+(\.0*)?", text, flags=re.ASCII):
        return "refused"
    digits = text.lstrip("+-").split(".")[0].lstrip("0")
    return "refused" if len(digits) > 18 else int(Decimal(text))


def _expected_number(cell: Any) -> int | str | None:
    try:  # A float's exact value (its shortest text may round a large one), else its text.
        number = Decimal(cell) if isinstance(cell, (Decimal, float)) else Decimal(str(cell))
    except Exception:  # noqa: BLE001 - anything that is no number in writing is no answer
        return "refused"
    if number.is_nan():
        return None
    if not number.is_finite() or number != number.to_integral_value() or abs(number) >= 10**18:
        return "refused"
    return int(number)


@given(any_instruments(), st.data())
def test_coerce_answers_reads_exactly_the_whole_numbers(instrument: Instrument, data: st.DataObject) -> None:
    """coerce_answers(): each cell that means one whole number is read as it, blanks and NaN as missing, the rest named."""
    ids = [item.id for item in instrument.items]
    cells = st.one_of(scalars(), st.integers(-9, 9).map(str))
    row: dict[Any, Any] = {
        i: data.draw(cells) for i in data.draw(st.lists(st.sampled_from(ids), max_size=5, unique=True))
    }
    row |= data.draw(st.dictionaries(st.one_of(st.text(max_size=5), st.integers()), scalars(), max_size=2))
    oracle = {column: expected_cell(cell) if column in ids else "refused" for column, cell in row.items()}
    refused = [column for column, expected in oracle.items() if expected == "refused"]

    got = outcome(leadscore.coerce_answers, instrument, row, row_number=7)

    if refused:
        assert isinstance(got, InvalidAnswersError), got
        assert [c if isinstance(c, str) else quoted(c) for c in refused] == [p.column for p in got.problems]
        assert {7} == {p.row for p in got.problems}
    else:
        assert oracle == got
        assert all(answer is None or type(answer) is int for answer in got.values())


@given(hostile(3), hostile(3), hostile(2))
def test_coerce_answers_options_take_anything(row: Any, row_number: Any, ignore: Any) -> None:
    """coerce_answers() with anything as its row, row number and columns to ignore: answers or a LeadscoreError."""
    got = outcome(leadscore.coerce_answers, "secure-base-leadership", row, row_number=row_number, ignore=ignore)

    assert isinstance(got, (dict, LeadscoreError))


def frame_cells() -> st.SearchStrategy[Any]:
    """What a DataFrame column can hold: numbers, NaN, text, and the odd object."""
    return st.one_of(
        st.integers(-3, 9),
        st.floats(allow_nan=True, allow_infinity=True),
        st.sampled_from(["4", " 5 ", "4.0", "4.5", "", "x", "\u0663", "9" * 30, "1e3"]),
        st.none(),
        st.booleans(),
        st.decimals(allow_nan=True, allow_infinity=False, places=1, min_value=-10, max_value=10),
    )


@pytest.mark.untraced
@given(st.data())
def test_score_frame_agrees_with_coerce_and_score_row_by_row(data: st.DataObject) -> None:
    """score_frame() over columns of anything: every row scored as coerce_answers and score score it, or refused as they refuse it."""
    instrument = leadscore.get_instrument("secure-base-leadership")
    ids = [item.id for item in instrument.items]
    columns = data.draw(st.lists(st.sampled_from(ids), min_size=1, max_size=4, unique=True))
    n_rows = data.draw(st.integers(0, 4))
    rows = [{c: data.draw(frame_cells()) for c in columns} for _ in range(n_rows)]
    frame = pd.DataFrame(rows, columns=columns)

    got = outcome(score_frame, instrument, frame, on_error="report")

    expected = [
        outcome(lambda r=r: leadscore.score(instrument, leadscore.coerce_answers(instrument, r)))
        for r in frame.to_dict("records")
    ]
    assert isinstance(got, pd.DataFrame), got
    for position, want in enumerate(expected):
        error = got["error"].iloc[position]
        if isinstance(want, LeadscoreError):
            assert isinstance(error, str)
        else:
            assert pd.isna(error)
            for scale_id, value in want.values().items():
                cell = got[f"{scale_id}.value"].iloc[position]
                if value is None:
                    assert pd.isna(cell)
                else:
                    assert value == cell


@pytest.mark.parametrize("frame", [None, [], {"a": [1]}, "frame", 42])
def test_score_frame_refuses_what_is_no_frame(frame: Any) -> None:
    """score_frame() of something that is not a DataFrame: an ArgumentTypeError."""
    assert isinstance(outcome(score_frame, "secure-base-leadership", frame), ArgumentTypeError)
