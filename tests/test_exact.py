"""
The scoring arithmetic is exact, then rounded once: an independent fraction oracle finds no figure off by a bit.

The oracle is the kit's (`leadscore.testing._invariants.exact_scores`, written from
docs/scoring.md with `fractions.Fraction`); every value and POMP of `score` must be the double
nearest the exact value of its formula, and every band the one its exact value reaches.
"""

from __future__ import annotations

import json
import random

from fractions import Fraction

import pytest

import leadscore

from leadscore import (
    Composite,
    CompositeScore,
    Instrument,
    InvalidDefinitionError,
    Part,
    Result,
    Scale,
    ScaleScore,
    from_json,
    score,
    to_json,
)
from leadscore._exact import EXACT, bound, formulas
from leadscore.testing._invariants import _band_of, _exact_pomp, exact_scores
from tests.strategies import tiny_with_not_applicable


SHIPPED = [leadscore.get_instrument(info.id) for info in leadscore.list_instruments()]


def off_by_a_bit(instrument: Instrument, answers: dict[str, int | None]) -> list[str]:
    """Every figure of score() that is not the double nearest its exact value, or a band its exact value does not reach."""
    result = score(instrument, answers)
    exact = exact_scores(instrument, answers)
    every: list[Scale | Composite] = [*instrument.scales, *instrument.composites]
    shapes = {shape.id: shape for shape in every}
    found = []
    scores: dict[str, ScaleScore | CompositeScore] = {**result.scales, **result.composites}
    for score_id, got in scores.items():
        value = exact[score_id]
        if value is None:
            if got.value is not None:
                found.append(f"{score_id}: {got.value!r} where there is no value")
            continue
        pomp = _exact_pomp(instrument, score_id, value)
        wanted = (float(value), float(pomp), _band_of(shapes[score_id], value))
        if (got.value, got.pomp, got.band) != wanted:
            found.append(f"{score_id}: {(got.value, got.pomp, got.band)!r}, exactly {wanted!r}")
    return found


def random_answers(instrument: Instrument, chooser: random.Random) -> dict[str, int | None]:
    """Answers to every item, a tenth left blank, not-applicable codes among them where the item has one."""
    answers: dict[str, int | None] = {}
    for item in instrument.items:
        response = item.response
        choices: list[int | None] = [*range(response.min, response.max + 1)]
        if response.not_applicable is not None:
            choices.append(response.not_applicable.code)
        answers[item.id] = None if chooser.random() < 0.1 else chooser.choice(choices)
    return answers


@pytest.mark.deep
@pytest.mark.parametrize("instrument", SHIPPED, ids=[instrument.id for instrument in SHIPPED])
def test_every_figure_of_the_shipped_instruments_is_its_exact_value_rounded_once(instrument: Instrument) -> None:
    """6,000 random answer sets per shipped instrument: no value, POMP or band differs from the oracle's."""
    chooser = random.Random(29)
    found = [problem for _ in range(6000) for problem in off_by_a_bit(instrument, random_answers(instrument, chooser))]

    assert found == []


def test_pomp_and_sum_over_every_count_are_exact() -> None:
    """A 40-item scale answered 1 to 3, by 1 to 40 items, at every total: each figure the oracle's."""
    instrument = tiny_with_not_applicable("forty", items=tuple(f"i{k}" for k in range(40)))
    wrong = []
    for n in range(1, 41):
        for high in range(n + 1):
            for middle in (0, 1) if high < n else (0,):
                answered = [3] * high + [2] * middle + [1] * (n - high - middle)
                answers: dict[str, int | None] = {f"i{k}": answered[k] if k < n else None for k in range(40)}
                wrong += off_by_a_bit(instrument, answers)
    assert wrong == []


def test_a_composite_is_over_its_parts_exact_values() -> None:
    """Secure Base Leadership: Care minus Dare of 1.25 and 1.2 is 0.05, not 1.25 - 1.2 = 0.050000000000000044."""
    sbl = leadscore.get_instrument("secure-base-leadership")
    answers: dict[str, int | None] = dict.fromkeys((item.id for item in sbl.items), 1)
    answers.update({"stays-calm": 2, "sees-the-potential": 2})

    result = score(sbl, answers)

    assert (result.composites["care"].value, result.composites["dare"].value) == (1.25, 1.2)
    assert result.composites["care-dare-balance"].value == float(Fraction(5, 4) - Fraction(6, 5)) == 0.05
    assert 1.25 - 1.2 != 0.05  # What a difference of the rounded parts gave.
    assert off_by_a_bit(sbl, answers) == []


def test_the_bound_of_the_shipped_instruments_is_within_doubles() -> None:
    """Every engine scores every shipped instrument: no step of any score passes 2**53."""
    for instrument in SHIPPED:
        assert max(bound(instrument, formulas(instrument)).values()) < EXACT


@pytest.mark.parametrize("weight", [0.33333, 1e-5, 5e-324])
def test_a_weight_of_more_than_four_decimals_is_refused(weight: float) -> None:
    """Four decimals at most, named with the part: more would pass 2**53 in a weighted mean's terms."""
    with pytest.raises(InvalidDefinitionError) as caught:
        Part(scale="s", weight=weight)

    (problem,) = caught.value.problems
    assert (problem.path, problem.message.split(",")[0]) == ("$.weight", "weight of 's' must have at most 4 decimals")
    assert Part(scale="s", weight=0.3333).weight == 0.3333


def test_a_stored_value_no_answers_give_is_named_at_its_scale_alone() -> None:
    """A stored scale value off by a bit: named at the scale; the composites over it are not checked again."""
    sbl = leadscore.get_instrument("secure-base-leadership")
    result = score(sbl, dict.fromkeys((item.id for item in sbl.items), 4))
    data = json.loads(to_json(result))
    data["scales"]["stays-calm"]["value"] = 4.000000000000001
    data["scales"]["sees-the-potential"]["value"] = 99.0

    with pytest.raises(InvalidDefinitionError) as caught:
        from_json(json.dumps(data), Result, instrument=sbl)

    assert [problem.path for problem in caught.value.problems] == [
        "$.scales['stays-calm'].value",
        "$.scales['sees-the-potential'].value",
    ]


def test_a_result_records_its_arithmetic() -> None:
    """Version 2 written and read back; a stored result without one is of version 1, checked only as that."""
    sbl = leadscore.get_instrument("secure-base-leadership")
    result = score(sbl, dict.fromkeys((item.id for item in sbl.items), 4))
    data = json.loads(to_json(result))

    assert (result.arithmetic, data["arithmetic"]) == (2, 2)
    assert from_json(to_json(result), Result, instrument=sbl) == result
    del data["arithmetic"]
    older = from_json(json.dumps(data), Result)
    assert older.arithmetic == 1
    assert older != result  # Its figures may differ in the last bit: another arithmetic, another result.
    with pytest.raises(InvalidDefinitionError) as caught:
        from_json(json.dumps(data), Result, instrument=sbl)
    assert [problem.path for problem in caught.value.problems] == ["$.arithmetic"]
    assert "scored before leadscore's exact arithmetic (2); score its answers again" in str(caught.value)


@pytest.mark.parametrize("version", [0, 3, -1])
def test_an_arithmetic_leadscore_does_not_know_is_refused(version: int) -> None:
    """From 1 to the current version only."""
    data = json.loads(to_json(score("secure-base-leadership", {"stays-calm": 4})))
    data["arithmetic"] = version

    with pytest.raises(InvalidDefinitionError) as caught:
        from_json(json.dumps(data), Result)

    assert [problem.path for problem in caught.value.problems] == ["$.arithmetic"]
