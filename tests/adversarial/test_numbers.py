"""
Every number a definition or a frame can hold is bounded where it is read (issue 29): each case an
attacker tried gives one `LeadscoreError` naming the field, or a correct finite result.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import leadscore

from leadscore import (
    Composite,
    Instrument,
    InvalidAnswersError,
    InvalidDefinitionError,
    Item,
    LocalizedText,
    Part,
    PointLabel,
    ResponseScale,
    Result,
    Scale,
    ScaleNorm,
    Source,
    from_json,
    score,
)
from leadscore.errors import ArgumentTypeError
from leadscore.frames import score_frame


SBL = "secure-base-leadership"
SOURCE = Source(document="d")
HUGE = 10**5000
# What the types forbid, as an attacker passes it anyway.
BAD_PAIRS: Any = [("en", "a", "b")]
NO_PAIRS: Any = [1, 2]
NONE: Any = None
FIVE: Any = 5


def problems_of(make: Any) -> list[tuple[str, str]]:
    """The (path, message) of each problem *make* raises as an `InvalidDefinitionError`."""
    with pytest.raises(InvalidDefinitionError) as caught:
        make()
    return [(problem.path, problem.message) for problem in caught.value.problems]


def two_scales(first: float, second: float) -> Instrument:
    """Two one-item scales and their weighted mean, weighted *first* and *second*."""
    items = [Item(id=i, text={"en": i}, response=ResponseScale(min=1, max=5), source=SOURCE) for i in ("a", "b")]
    return Instrument(
        id="weights",
        version="1.0.0",
        title={"en": "W"},
        items=items,
        scales=[Scale(id=s, title={"en": s}, items=[i], min_answered=1) for s, i in (("s", "a"), ("t", "b"))],
        composites=[
            Composite(
                id="c",
                title={"en": "C"},
                method="weighted_mean",
                parts=[Part(scale="s", weight=first), Part(scale="t", weight=second)],
            )
        ],
    )


@pytest.mark.parametrize(
    ("make", "where", "message"),
    [
        (
            lambda: Scale(id="s", title={"en": "S"}, items=["a"], min_answered=HUGE),
            "$.min_answered",
            "must require from 1 to 1 answered items (got an integer of about 5,001 digits)",
        ),
        (lambda: PointLabel(value=HUGE, text={"en": "x"}), "$.value", "label value must lie within ±2**53"),
        (lambda: ResponseScale(min=1, max=10**400), "$.max", "response max must lie within ±2**53"),
        (lambda: ResponseScale(min=-(2**60), max=1), "$.min", "response min must lie within ±2**53"),
        (lambda: LocalizedText(BAD_PAIRS), "$", "text must be a mapping of language to text"),
        (lambda: LocalizedText(NO_PAIRS), "$", "text must be a mapping of language to text"),
        (lambda: ScaleNorm(id="s", mean=-1.797e308, sd=1.0), "$.mean", "mean of 's' must lie within ±2**53"),
        (lambda: ScaleNorm(id="s", mean=3.0, sd=1e-320), "$.sd", "sd of 's' must be from 1e-06 to 2**53"),
        (lambda: Part(scale="s", weight=5e-324), "$.weight", "weight of 's' must have at most 4 decimals"),
    ],
)
def test_a_number_beyond_its_bounds_is_named_at_its_field(make: Any, where: str, message: str) -> None:
    """One problem, at the field, whatever the number's size."""
    ((path, said),) = problems_of(make)

    assert path == where
    assert message in said


def test_huge_weights_give_a_correct_finite_composite() -> None:
    """Weights of 1e308 (one or both): exact, finite, and the double nearest the exact value."""
    one, both = two_scales(1e308, 1), two_scales(1e308, 1e308)

    assert score(one, {"a": 5, "b": 1}).composites["c"].value == (10**308 * 5 + 1) / (10**308 + 1)
    assert score(both, {"a": 5, "b": 2}).composites["c"] == score(both, {"a": 5, "b": 2}).composites["c"]
    assert score(both, {"a": 5, "b": 2}).composites["c"].value == 3.5
    assert score(both, {"a": 5, "b": 2}).composites["c"].pomp == 62.5


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda sbl: score_frame(sbl, pd.DataFrame({"stays-calm": [9]}), max_errors=0), "max_errors must be"),
        (lambda sbl: score_frame(sbl, pd.DataFrame({"stays-calm": [4]}), fields=NONE), "fields must be a collection"),
        (lambda sbl: score_frame(sbl, pd.DataFrame({"stays-calm": [4]}), mapping=FIVE), "mapping must be a mapping"),
        (lambda _: from_json(NONE, Result), "text must be JSON text"),
    ],
)
def test_arguments_of_the_wrong_type_are_argument_type_errors(call: Any, message: str) -> None:
    """As docs/under-attack.md promises: an `ArgumentTypeError`, never a bare TypeError."""
    with pytest.raises(ArgumentTypeError, match=message):
        call(leadscore.get_instrument(SBL))


def test_an_integer_no_double_holds_in_an_object_column_is_a_bad_cell() -> None:
    """10**400 in an object column: named at its row and column, not an OverflowError."""
    frame = pd.DataFrame({"stays-calm": pd.Series([4, 10**400], dtype=object)})

    with pytest.raises(InvalidAnswersError) as caught:
        score_frame(SBL, frame)

    (problem,) = caught.value.problems
    assert (problem.row, problem.column) == (1, "stays-calm")
    assert "lies beyond ±2**53" in str(problem)


def test_a_definition_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    """As a Windows editor saves it: the mark is no part of the text."""
    shipped = Path(leadscore.__file__).with_name("instruments") / "secure_base_leadership.toml"
    for suffix, content in (
        (".toml", shipped.read_bytes()),
        (".json", leadscore.to_json(leadscore.get_instrument(SBL)).encode()),
    ):
        path = tmp_path / f"marked{suffix}"
        path.write_bytes(b"\xef\xbb\xbf" + content)

        assert leadscore.load_instrument(path) == leadscore.get_instrument(SBL)
