"""
The scoring invariants of docs/invariants.md, each a property over generated instruments.

Each test's name starts with the invariant's number. The shipped instruments are checked
too, in the same tests, through ``@example``-free parametrization over real definitions.
"""

from __future__ import annotations

import copy
import json
import math
import random

from fractions import Fraction
from pathlib import Path
from typing import Any

import attrs
import pytest

from hypothesis import given
from hypothesis import strategies as st

import leadscore

from leadscore import (
    CompositeScore,
    Instrument,
    InvalidAnswersError,
    Result,
    ScaleScore,
    from_json,
    score,
    score_many,
    to_json,
)
from tests.strategies import (
    BAD_VALUES,
    answers,
    any_instruments,
    instruments,
    instruments_and_answers,
)


def _scores(instrument: Instrument, result: Result) -> dict[str, tuple[Any, ...]]:
    """Every score's fields by id, for comparisons that ignore the instrument's identity."""
    out: dict[str, tuple[Any, ...]] = {}
    for score_id, s in result.scales.items():
        out[score_id] = (
            s.value,
            s.n_answered,
            s.n_not_applicable,
            s.n_items,
            s.pomp,
            s.band,
            s.reason,
        )
    for score_id, c in result.composites.items():
        out[score_id] = (c.value, c.pomp, c.band, c.reason)
    return out


def _keyed(instrument: Instrument, scale_id: str, answers_: dict[str, int | None]) -> list[int]:
    """The keyed, answered values of a scale, computed from first principles."""
    scale = next(s for s in instrument.scales if s.id == scale_id)
    values = []
    for item_id in scale.items:
        item = instrument.item(item_id)
        answer = answers_.get(item_id)
        if answer is None or not item.response.min <= answer <= item.response.max:
            continue
        if scale.is_reversed(item_id):
            answer = item.response.min + item.response.max - answer
        values.append(answer)
    return values


@given(instruments_and_answers())
def test_1_bounds(case: tuple[Instrument, dict[str, int | None]]) -> None:
    """Every score lies within the range its method and response scale allow; POMP in 0-100."""
    instrument, answers_ = case

    result = score(instrument, answers_)

    for score_id, value in result.values().items():
        if value is not None:
            low, high = instrument.score_range(score_id)
            assert low <= value <= high
    every: list[ScaleScore | CompositeScore] = [
        *result.scales.values(),
        *result.composites.values(),
    ]
    for s in every:
        assert s.pomp is None or 0.0 <= s.pomp <= 100.0


@given(st.data())
def test_2_monotonicity_and_locality(data: st.DataObject) -> None:
    """Raising one answer never lowers a scale keying it positively, never raises one keying it
    negatively, and changes no scale or composite that does not depend on it.
    """
    instrument = data.draw(any_instruments())
    answers_ = data.draw(answers(instrument))
    item = data.draw(st.sampled_from(instrument.items))
    low, high = item.response.min, item.response.max
    before_value = data.draw(st.integers(low, high - 1))
    after_value = data.draw(st.integers(before_value + 1, high))
    before = score(instrument, {**answers_, item.id: before_value})
    after = score(instrument, {**answers_, item.id: after_value})

    depends = _dependents(instrument, item.id)
    for scale in instrument.scales:
        old, new = before.scales[scale.id].value, after.scales[scale.id].value
        if item.id not in scale.items:
            assert old == new
        elif old is not None and new is not None:
            assert new <= old if scale.is_reversed(item.id) else new >= old
    for composite in instrument.composites:
        if composite.id not in depends:
            assert before.composites[composite.id] == after.composites[composite.id]


def _dependents(instrument: Instrument, item_id: str) -> set[str]:
    """Ids of every scale and composite whose value depends on *item_id*."""
    found = {s.id for s in instrument.scales if item_id in s.items}
    changed = True
    while changed:
        changed = False
        for composite in instrument.composites:
            if composite.id not in found and any(p.scale in found for p in composite.parts):
                found.add(composite.id)
                changed = True
    return found


@given(instruments_and_answers(complete=True))
def test_3_reflection(case: tuple[Instrument, dict[str, int | None]]) -> None:
    """Reflecting every answer (min + max - x) reflects every complete mean scale, to within
    rounding of its last bit.
    """
    instrument, answers_ = case
    reflected = {
        item.id: item.response.min + item.response.max - answers_[item.id]  # type: ignore[operator]
        for item in instrument.items
    }

    before, after = score(instrument, answers_), score(instrument, reflected)

    for scale in instrument.scales:
        if scale.method != "mean":
            continue
        low, high = instrument.score_range(scale.id)
        old, new = before.scales[scale.id].value, after.scales[scale.id].value
        assert old is not None
        assert new is not None
        assert math.isclose(
            new, low + high - old, rel_tol=0, abs_tol=4 * math.ulp(max(abs(low), abs(high), 1.0))
        )


@given(st.data())
def test_4_order(data: st.DataObject) -> None:
    """The order of answers, of items, of a scale's items and of composites' parts never
    changes a score.
    """
    instrument = data.draw(any_instruments())
    answers_ = data.draw(answers(instrument))
    shuffle = random.Random(data.draw(st.integers(0, 2**32))).shuffle
    keys = list(answers_)
    shuffle(keys)
    items = list(instrument.items)
    shuffle(items)
    scales = []
    for scale in instrument.scales:
        members = list(scale.items)
        shuffle(members)
        scales.append(attrs.evolve(scale, items=members))
    composites = []
    for composite in instrument.composites:
        parts = list(composite.parts)
        if composite.method == "weighted_mean":
            shuffle(parts)
        composites.append(attrs.evolve(composite, parts=parts))
    reordered = attrs.evolve(instrument, items=items, scales=scales, composites=composites)

    expected = score(instrument, answers_)

    assert expected == score(instrument, {key: answers_[key] for key in keys})
    assert _scores(instrument, expected) == _scores(reordered, score(reordered, answers_))


@given(instruments_and_answers())
def test_5_missing_data(case: tuple[Instrument, dict[str, int | None]]) -> None:
    """A score is None exactly when fewer than the minimum items are answered; a mean or sum
    scale with gaps equals the exact mean (or prorated sum) of its answered keyed items.
    """
    instrument, answers_ = case

    result = score(instrument, answers_)

    for scale in instrument.scales:
        got = result.scales[scale.id]
        keyed = _keyed(instrument, scale.id, answers_)
        assert len(keyed) == got.n_answered
        assert (got.value is None) == (len(keyed) < scale.min_answered)
        if got.value is None:
            assert got.reason is not None
            continue
        if scale.method == "mean":
            assert float(Fraction(sum(keyed), len(keyed))) == got.value
        elif scale.method == "sum":
            assert float(Fraction(sum(keyed) * len(scale.items), len(keyed))) == got.value


@given(instruments_and_answers())
def test_6_purity(case: tuple[Instrument, dict[str, int | None]]) -> None:
    """Scoring never changes its input, and the same input always gives the same result."""
    instrument, answers_ = case
    answers_copy = copy.deepcopy(answers_)
    fingerprint = leadscore.fingerprint(instrument)

    first, second = score(instrument, answers_), score(instrument, answers_)

    assert answers_copy == answers_
    assert fingerprint == leadscore.fingerprint(instrument)
    assert first == second
    assert to_json(first) == to_json(second)


@given(instruments_and_answers())
def test_7_round_trips(case: tuple[Instrument, dict[str, int | None]]) -> None:
    """Instruments and results survive JSON and back unchanged, byte for byte."""
    instrument, answers_ = case
    result = score(instrument, answers_)

    instrument_back = from_json(to_json(instrument), Instrument)
    result_back = from_json(to_json(result), Result)

    assert instrument == instrument_back
    assert to_json(instrument) == to_json(instrument_back)
    assert result == result_back
    assert to_json(result) == to_json(result_back)
    assert leadscore.fingerprint(instrument) == result_back.fingerprint


@given(instruments())
def test_7_definition_file_twin(
    tmp_path_factory: pytest.TempPathFactory, instrument: Instrument
) -> None:
    """A definition file written from an instrument loads to the same instrument."""
    path: Path = tmp_path_factory.mktemp("twin") / "generated.json"
    path.write_text(to_json(instrument), encoding="utf-8")

    assert instrument == leadscore.load_instrument(path)


@given(st.data())
def test_8_batch_equals_single(data: st.DataObject) -> None:
    """score_many(xs) equals [score(x) for x in xs]."""
    instrument = data.draw(any_instruments())
    batch = data.draw(st.lists(answers(instrument), max_size=5))

    assert [score(instrument, a) for a in batch] == list(score_many(instrument, batch))


@given(st.data())
def test_9_bad_input_never_scores(data: st.DataObject) -> None:
    """Every invalid answer set raises a LeadscoreError that names each bad item."""
    instrument = data.draw(any_instruments())
    answers_: dict[Any, Any] = data.draw(answers(instrument))
    bad = data.draw(
        st.lists(st.sampled_from(instrument.items), min_size=1, unique_by=lambda i: i.id)
    )
    named = set()
    for item in bad:
        response = item.response
        allowed = set(range(response.min, response.max + 1))
        if response.not_applicable is not None:
            allowed.add(response.not_applicable.code)
        answers_[item.id] = data.draw(st.one_of(BAD_VALUES, _outside(allowed)))
        named.add(item.id)
    if data.draw(st.booleans()):
        answers_["not-an-item"] = 3
        named.add("not-an-item")

    with pytest.raises(InvalidAnswersError) as caught:
        score(instrument, answers_)

    assert isinstance(caught.value, leadscore.LeadscoreError)
    assert named == {problem.item_id for problem in caught.value.problems}


def _outside(allowed: set[int]) -> st.SearchStrategy[int]:
    """Integers that are not in *allowed*."""
    return st.integers().filter(lambda value: value not in allowed)


@pytest.mark.parametrize("order", ["sorted", "reversed"])
def test_shipped_instruments_keep_order_and_round_trip(sbl: Instrument, order: str) -> None:
    """The shipped instrument scores alike whatever the answers' order, and round-trips."""
    answers_ = {item.id: 1 + index % 5 for index, item in enumerate(sbl.items)}
    keys = sorted(answers_, reverse=order == "reversed")

    result = score(sbl, {key: answers_[key] for key in keys})

    assert result == score(sbl, answers_)
    assert result == from_json(to_json(result), Result)
    assert sbl == from_json(to_json(sbl), Instrument)
    assert json.loads(to_json(result))["instrument"]["id"] == "secure-base-leadership"
