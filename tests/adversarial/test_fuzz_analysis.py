"""
Fuzzing the analysis entry points: aggregate, reliability, change and norm tables.

Valid data with anything mixed in, and options of any type: the outcome is a report or a
`LeadscoreError`, and when every input is valid it is a report whose figures are in range.
"""

from __future__ import annotations

import math

from typing import Any

import pytest

from hypothesis import given
from hypothesis import strategies as st

import leadscore

from leadscore import FeedbackReport, Instrument, NormSample, NormTable, Rating, ScaleNorm
from leadscore.errors import LeadscoreError
from leadscore.testing.strategies import answers
from tests.adversarial.hostile import hostile, mostly, outcome, scalars
from tests.strategies import any_instruments


GROUPS = ("self", "manager", "peers", "direct_reports", "others", "customers", "merged", "all-others", "Peers", "")


@st.composite
def ratings(draw: st.DrawFn) -> tuple[Instrument, list[Any]]:
    """An instrument and ratings of it: mostly valid, some with anything in place of a group, rater or answers."""
    instrument = draw(any_instruments())
    given_ratings: list[Any] = []
    for index in range(draw(st.integers(0, 9))):
        group = (
            draw(st.sampled_from(GROUPS) | scalars())
            if draw(st.integers(0, 9)) == 0
            else draw(st.sampled_from(GROUPS[:6]))
        )
        rater = draw(scalars()) if draw(st.integers(0, 9)) == 0 else f"rater-{index}"
        rated = draw(hostile(3)) if draw(st.integers(0, 9)) == 0 else draw(answers(instrument))
        given_ratings.append(Rating(group=group, rater=rater, answers=rated))
    if draw(st.integers(0, 9)) == 0:
        given_ratings.append(draw(hostile(2)))
    return instrument, given_ratings


def options() -> st.SearchStrategy[dict[str, Any]]:
    """aggregate()'s options: usually left out or sensible, sometimes anything."""
    odd = st.one_of(scalars(), st.integers(-3, 8))
    return st.fixed_dictionaries(
        {},
        optional={
            "min_group": odd,
            "min_all_others": odd,
            "group_minimums": st.one_of(st.dictionaries(st.sampled_from(GROUPS), odd, max_size=2), hostile(2)),
            "gap_threshold": st.one_of(st.floats(0, 50), scalars()),
            "top": odd,
        },
    )


@pytest.mark.untraced
@given(ratings(), options())
def test_aggregate_takes_anything_without_an_unrelated_exception(
    case: tuple[Instrument, list[Any]], given_options: dict[str, Any]
) -> None:
    """aggregate() over ratings and options of any kind: a report whose means are in range, or a LeadscoreError."""
    instrument, given_ratings = case

    got = outcome(leadscore.aggregate, instrument, given_ratings, **given_options)

    if isinstance(got, FeedbackReport):
        for scale in got.scales.values():
            low, high = instrument.score_range(scale.id)
            for figure in scale.groups:
                assert low - 1e-9 <= figure.mean <= high + 1e-9
                assert figure.n_raters >= 1
    else:
        assert isinstance(got, LeadscoreError), got


@given(st.one_of(hostile(3), st.just(["not a rating"])))
def test_aggregate_of_no_ratings_at_all(given_ratings: Any) -> None:
    """aggregate() of something that is no list of ratings: a LeadscoreError (or the report of no ratings)."""
    got = outcome(leadscore.aggregate, "secure-base-leadership", given_ratings)

    assert isinstance(got, (FeedbackReport, LeadscoreError)), got


@st.composite
def answer_sets(draw: st.DrawFn, instrument: Instrument) -> Any:
    """Answer sets for *instrument*: a list of valid ones with, now and then, anything in their place or among them."""
    sets: list[Any] = draw(st.lists(answers(instrument), max_size=8))
    if draw(st.integers(0, 5)) == 0:
        sets.insert(draw(st.integers(0, len(sets))), draw(hostile(3)))
    return draw(hostile(3)) if draw(st.integers(0, 9)) == 0 else sets


@pytest.mark.untraced
@given(
    any_instruments().flatmap(lambda i: st.tuples(st.just(i), answer_sets(i))),
    st.one_of(st.sampled_from(["pairwise", "listwise"]), scalars()),
)
def test_reliability_takes_anything_without_an_unrelated_exception(case: tuple[Instrument, Any], missing: Any) -> None:
    """reliability() over anything: a report whose alphas are finite numbers or None, or a LeadscoreError."""
    instrument, sets = case

    got = outcome(leadscore.reliability, instrument, sets, missing=missing)

    if isinstance(got, LeadscoreError):
        return
    for scale in got.scales.values():
        for value in (scale.alpha, scale.alpha_standardized):
            assert value is None or math.isfinite(value)


@pytest.mark.untraced
@given(
    any_instruments().flatmap(lambda i: st.tuples(st.just(i), answer_sets(i), answer_sets(i))),
    st.one_of(st.none(), st.dictionaries(st.text(max_size=6), scalars(), max_size=2), hostile(2)),
    st.one_of(st.none(), st.dictionaries(st.text(max_size=6), scalars(), max_size=2), hostile(2)),
    st.one_of(st.just(1.96), scalars()),
)
def test_change_takes_anything_without_an_unrelated_exception(
    case: tuple[Instrument, Any, Any], reliabilities: Any, sd: Any, criterion: Any
) -> None:
    """change() with anything as its answer sets and options: a report or a LeadscoreError."""
    instrument, before, after = case

    got = outcome(leadscore.change, instrument, before, after, reliability=reliabilities, sd=sd, criterion=criterion)

    if isinstance(got, LeadscoreError):
        return
    for scale in got.scales.values():
        assert scale.n_respondents >= 0


@given(
    st.fixed_dictionaries(
        {
            "scale_id": mostly(st.sampled_from(["overall", "care"]), st.one_of(st.text(max_size=6), scalars())),
            "mean": mostly(st.floats(-5, 5), st.one_of(st.none(), scalars())),
            "sd": mostly(st.floats(0.01, 5), st.one_of(st.floats(-1, 0), st.none(), scalars())),
            "values": st.one_of(
                st.just([]),
                mostly(
                    st.lists(st.floats(-5, 5), min_size=2, max_size=8),
                    st.one_of(
                        st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=5),
                        st.lists(scalars(), max_size=3),
                        hostile(2),
                    ),
                ),
            ),
            "n": mostly(st.integers(8, 500), st.one_of(st.integers(-2, 7), scalars())),
        }
    ),
    st.floats(-10, 10),
)
def test_norm_tables_take_anything_without_an_unrelated_exception(given: dict[str, Any], score: float) -> None:
    """ScaleNorm, NormSample and NormTable with anything: a table whose percentiles are 0 to 100, or a LeadscoreError."""
    scale_id, values = given["scale_id"], given["values"]

    def build() -> NormTable:
        if isinstance(values, list) and not values:
            norm = ScaleNorm(id=scale_id, mean=given["mean"], sd=given["sd"])
        else:
            norm = ScaleNorm(id=scale_id, values=values)
        sample = NormSample(n=given["n"], population="p", date="2026-01", source="s")
        return NormTable(
            instrument_id="secure-base-leadership",
            instrument_version="0.1.0",
            sample=sample,
            norms=[norm],
            small_sample=0,
        )

    got = outcome(build)

    if isinstance(got, NormTable):
        assert 0 <= got.percentile(scale_id, score) <= 100
        assert math.isfinite(got.t_score(scale_id, score))
    else:
        assert isinstance(got, LeadscoreError), got
