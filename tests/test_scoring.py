"""score() and score_many() against hand-computed values, and their error messages."""

from __future__ import annotations

from typing import Any

import pytest

from attrs.exceptions import FrozenInstanceError

import leadscore

from leadscore import (
    Band,
    Composite,
    CompositeScore,
    Instrument,
    InvalidAnswersError,
    Item,
    NotApplicable,
    Part,
    ResponseScale,
    Result,
    Scale,
    ScaleScore,
    Source,
    coerce_answers,
    score,
    score_many,
)
from leadscore.errors import InvalidAnswerError


TEXT = {"en": "text"}


@pytest.fixture(name="inst", scope="module")
def _inst() -> Instrument:
    """Three 1-5 items (q3 reverse-keyed, with 0 = not applicable) on mean, sum and POMP
    scales, and composites over them.
    """
    na = NotApplicable(code=0, label={"en": "not applicable"})
    items = [
        Item(
            id=f"q{i}",
            text=TEXT,
            response=ResponseScale(min=1, max=5, not_applicable=na),
            source=Source(document="t"),
        )
        for i in (1, 2, 3)
    ]
    keyed: dict[str, Any] = {
        "items": ["q1", "q2", "q3"],
        "reverse_keyed": ["q3"],
        "min_answered": 2,
    }
    bands = [
        Band(id="low", label=TEXT, lower=1, upper=3),
        Band(id="high", label=TEXT, lower=3, upper=5),
    ]
    return Instrument(
        id="demo",
        version="1.0.0",
        title=TEXT,
        items=items,
        scales=[
            Scale(id="mean", title=TEXT, bands=bands, **keyed),
            Scale(id="sum", title=TEXT, method="sum", **keyed),
            Scale(id="pomp", title=TEXT, method="pomp", **keyed),
            Scale(id="first", title=TEXT, items=["q1"], min_answered=1),
        ],
        composites=[
            Composite(
                id="weighted",
                title=TEXT,
                method="weighted_mean",
                parts=[Part(scale="mean", weight=3), Part(scale="first", weight=1)],
            ),
            Composite(
                id="gap",
                title=TEXT,
                method="difference",
                parts=[Part(scale="first"), Part(scale="mean")],
            ),
        ],
    )


class TestScore:
    def test_reverse_keys_use_the_declared_range(self, inst: Instrument) -> None:
        """q3 = 2 counts as 1 + 5 - 2 = 4: mean (5 + 4 + 4) / 3, sum 13, POMP 100 * (13/3 - 1) / 4."""
        result = score(inst, {"q1": 5, "q2": 4, "q3": 2})

        assert (
            ScaleScore(
                id="mean",
                value=13 / 3,
                n_answered=3,
                n_not_applicable=0,
                n_items=3,
                pomp=100 * (13 / 3 - 1) / 4,
                band="high",
                reason=None,
            )
            == result.scales["mean"]
        )
        assert 13.0 == result.scales["sum"].value
        assert 100 * (13 / 3 - 1) / 4 == result.scales["pomp"].value

    def test_missing_answers_prorate_the_sum(self, inst: Instrument) -> None:
        """With q2 left out, the mean is over the answered items and the sum is prorated to 3 items."""
        result = score(inst, {"q1": 4, "q3": 5})

        assert 2.5 == result.scales["mean"].value
        assert 7.5 == result.scales["sum"].value
        assert 2 == result.scales["mean"].n_answered

    def test_below_minimum_gives_none_with_reason(self, inst: Instrument) -> None:
        """One answer of three, where two are needed, gives no score and says why."""
        result = score(inst, {"q1": 4, "q2": None, "q3": 0})

        assert (
            ScaleScore(
                id="mean",
                value=None,
                n_answered=1,
                n_not_applicable=1,
                n_items=3,
                pomp=None,
                band=None,
                reason="1 of 3 items answered, at least 2 needed (1 not applicable)",
                reason_code="too-few-answered",
                reason_params={"n_answered": 1, "n_items": 3, "min_answered": 2, "n_not_applicable": 1},
            )
            == result.scales["mean"]
        )
        assert (
            CompositeScore(
                id="gap",
                value=None,
                pomp=None,
                band=None,
                reason="no score for 'mean'",
                reason_code="missing-parts",
                reason_params={"parts": ["mean"]},
            )
            == result.composites["gap"]
        )

    def test_not_applicable_is_left_out_and_counted(self, inst: Instrument) -> None:
        """The not-applicable code is counted, never scored."""
        result = score(inst, {"q1": 1, "q2": 3, "q3": 0})

        assert 2.0 == result.scales["mean"].value
        assert 1 == result.scales["mean"].n_not_applicable

    def test_composites(self, inst: Instrument) -> None:
        """A weighted mean weighs its parts; a difference is first minus second."""
        result = score(inst, {"q1": 5, "q2": 1, "q3": 3})

        assert 3.0 == result.scales["mean"].value
        assert (3 * 3 + 5) / 4 == result.composites["weighted"].value
        assert CompositeScore(id="gap", value=2.0, pomp=75.0, band=None, reason=None) == result.composites["gap"]

    def test_bands_are_lower_inclusive_and_the_top_band_holds_the_maximum(self, inst: Instrument) -> None:
        """A score on a boundary belongs to the band above it; the maximum to the top band."""
        at_boundary = score(inst, {"q1": 3, "q2": 3, "q3": 3})
        at_minimum = score(inst, {"q1": 1, "q2": 1, "q3": 5})
        at_maximum = score(inst, {"q1": 5, "q2": 5, "q3": 1})

        assert "high" == at_boundary.scales["mean"].band
        assert "low" == at_minimum.scales["mean"].band
        assert "high" == at_maximum.scales["mean"].band

    def test_error_names_every_bad_answer_at_once(self, inst: Instrument) -> None:
        """True, 4.7, '4', NaN, out-of-range values and unknown ids are all reported together."""
        bad: dict[str, Any] = {"q1": True, "q2": 4.7, "q3": "4", "q4": 1, "first": float("nan")}

        with pytest.raises(InvalidAnswersError) as caught:
            score(inst, bad)

        assert [
            "'q1' must be an integer from 1 to 5 or 0 (not applicable), or None (got True)",
            "'q2' must be an integer from 1 to 5 or 0 (not applicable), or None (got 4.7)",
            "'q3' must be an integer from 1 to 5 or 0 (not applicable), or None (got '4')",
            "'q4' is not an item of 'demo' (got 1)",
            "'first' is not an item of 'demo' (got nan)",
        ] == [str(problem) for problem in caught.value.problems]
        assert "invalid answers for 'demo' (5 problem(s)):" == str(caught.value).splitlines()[0]

    @pytest.mark.parametrize("value", [6, -1, 4.0, 2**70])
    def test_error_when_out_of_range_or_float(self, inst: Instrument, value: Any) -> None:
        """Values outside the range, and floats even when whole, are rejected."""
        with pytest.raises(InvalidAnswersError) as caught:
            score(inst, {"q1": value})

        assert ["q1"] == [problem.item_id for problem in caught.value.problems]
        assert [value] == [problem.value for problem in caught.value.problems]

    def test_error_when_answers_are_not_a_mapping(self, inst: Instrument) -> None:
        """A list of answers is rejected as a whole."""
        with pytest.raises(InvalidAnswersError) as caught:
            score(inst, [5, 4, 3])  # type: ignore[arg-type]

        assert ["answers must be a mapping of item id to answer (got list)"] == [str(p) for p in caught.value.problems]

    def test_error_when_answers_are_not_a_mapping_names_instrument_and_row(self, inst: Instrument) -> None:
        """A non-mapping answer set is reported against the instrument, with its row in a batch."""
        with pytest.raises(InvalidAnswersError) as caught:
            list(score_many(inst, [{"q1": 1}, (1, 2)]))  # type: ignore[list-item]

        (problem,) = caught.value.problems
        assert ("", (1, 2), 1) == (problem.item_id, problem.value, problem.row)
        assert ("demo", 1) == (caught.value.instrument_id, caught.value.row)
        assert "invalid answers for 'demo' in row 1 (1 problem(s)):" == str(caught.value).splitlines()[0]

    def test_composite_bands_and_reasons_for_several_missing_parts(self) -> None:
        """The Care/Dare balance is banded by its value, and names every part it lacks."""
        sbl = leadscore.get_instrument("secure-base-leadership")
        care = ["stays-calm", "accepts-the-individual", "uses-listening-and-inquiry", "signals-accessibility"]

        def balance(care_value: int, dare_value: int) -> CompositeScore:
            given = {item.id: care_value if item.id in care else dare_value for item in sbl.items}
            return score(sbl, given).composites["care-dare-balance"]

        assert ("care-without-dare", 3.0, 87.5) == (balance(5, 2).band, balance(5, 2).value, balance(5, 2).pomp)
        assert ("dare-without-care", -4.0) == (balance(1, 5).band, balance(1, 5).value)
        assert ("balanced", 0.0) == (balance(3, 3).band, balance(3, 3).value)
        assert "no score for 'care', 'dare'" == score(sbl, {}).composites["care-dare-balance"].reason

    def test_except_star_catches_single_answers(self, inst: Instrument) -> None:
        """The error is an ExceptionGroup, so except* can pick out the single problems."""
        caught: list[InvalidAnswerError] = []
        try:
            score(inst, {"q1": 9})
        except* InvalidAnswerError as group:
            caught.extend(group.exceptions)  # type: ignore[arg-type]

        assert ["q1"] == [problem.item_id for problem in caught]

    def test_instrument_can_be_named_by_id(self) -> None:
        """score, score_many and coerce_answers take an installed instrument's id."""
        by_id = score("secure-base-leadership", {"stays-calm": 2})
        batch = list(score_many("secure-base-leadership", [{"stays-calm": 2}]))

        assert [by_id] == batch
        assert {"stays-calm": 2} == coerce_answers("secure-base-leadership", {"stays-calm": "2"})
        assert 2.0 == by_id.scales["stays-calm"].value


class TestScoreMany:
    def test_scores_lazily_in_order(self, inst: Instrument) -> None:
        """score_many yields one result per answer set, in order."""
        results = score_many(inst, iter([{"q1": 1}, {"q1": 5}]))

        assert [1.0, 5.0] == [r.scales["first"].value for r in results]

    def test_error_names_the_row(self, inst: Instrument) -> None:
        """A bad answer set is reported with its position, after the good ones were yielded."""
        results = score_many(inst, [{"q1": 1}, {"q1": 1}, {"q1": 7}])
        first_two = [next(results), next(results)]

        with pytest.raises(InvalidAnswersError) as caught:
            next(results)

        assert 2 == len(first_two)
        assert 2 == caught.value.row
        assert "row 2: 'q1' must be an integer from 1 to 5 or 0 (not applicable), or None (got 7)" == str(
            caught.value.problems[0]
        )
        assert "invalid answers for 'demo' in row 2 (1 problem(s)):" == str(caught.value).splitlines()[0]


class TestResult:
    def test_result_is_immutable(self, inst: Instrument) -> None:
        """Nothing on a result can be set or deleted."""
        result = score(inst, {"q1": 1})

        with pytest.raises(FrozenInstanceError):
            result.instrument_id = "other"  # type: ignore[misc]
        with pytest.raises(FrozenInstanceError):
            del result.fingerprint

    def test_result_views(self, inst: Instrument) -> None:
        """Scales and composites read like mappings in the instrument's order."""
        result = score(inst, {"q1": 5, "q2": 5, "q3": 1})

        assert ["mean", "sum", "pomp", "first"] == list(result.scales)
        assert 4 == len(result.scales)
        assert ["weighted", "gap"] == list(result.composites)
        assert "first" in result.scales
        assert "nope" not in result.scales
        assert {
            "mean": 5.0,
            "sum": 15.0,
            "pomp": 100.0,
            "first": 5.0,
            "weighted": 5.0,
            "gap": 0.0,
        } == result.values()
        assert "Scores({'weighted': 5.0, 'gap': 0.0})" == repr(result.composites)
        assert repr(result).startswith("Result(instrument_id='demo', instrument_version='1.0.0', values={")

    def test_equal_results_hash_alike(self, inst: Instrument) -> None:
        """Results with equal scores are equal and hash alike; other objects are not equal."""
        first, second = score(inst, {"q1": 2}), score(inst, {"q1": 2})

        assert first == second
        assert hash(first) == hash(second)
        assert first != score(inst, {"q1": 3})
        assert first != "a result"

    def test_result_carries_the_instrument(self, inst: Instrument) -> None:
        """A result names its instrument's id, version and fingerprint."""
        result: Result = score(inst, {})

        assert ("demo", "1.0.0") == (result.instrument_id, result.instrument_version)
        assert result.fingerprint.startswith("sha256:")
        assert 71 == len(result.fingerprint)
