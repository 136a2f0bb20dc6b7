"""
The invariants of docs/invariants.md, one function each, shared by the kit and leadscore's tests.

Each function takes ``draw`` (Hypothesis's ``data.draw``), the implementation under test and
an instrument, draws what it needs, and raises `AssertionError` saying what broke.
"""

from __future__ import annotations

import copy
import math
import random

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any, TypeVar

import attrs

from hypothesis import strategies as st

from leadscore._model import Composite, Instrument, Scale
from leadscore._results import CompositeScore, Result, ScaleScore
from leadscore.errors import LeadscoreError
from leadscore.testing._implementation import Implementation
from leadscore.testing.strategies import answers, is_valid_answer


T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[T]], T]


def _scores(instrument: Instrument) -> list[Scale | Composite]:
    return [*instrument.scales, *instrument.composites]


def _fields(result: Result) -> dict[str, tuple[Any, ...]]:
    """Every score's fields by id, ignoring which instrument object produced them."""
    out: dict[str, tuple[Any, ...]] = {}
    for scale_id, s in result.scales.items():
        out[scale_id] = (
            s.value,
            s.n_answered,
            s.n_not_applicable,
            s.n_items,
            s.pomp,
            s.band,
            s.reason,
        )
    for composite_id, c in result.composites.items():
        out[composite_id] = (c.value, c.pomp, c.band, c.reason)
    return out


def _keyed(instrument: Instrument, scale: Scale, given: Mapping[str, Any]) -> list[int]:
    """The keyed, answered values of a scale, from first principles."""
    values = []
    for item_id in scale.items:
        item = instrument.item(item_id)
        answer = given.get(item_id)
        if answer is None or not item.response.min <= answer <= item.response.max:
            continue
        values.append(item.response.min + item.response.max - answer if scale.is_reversed(item_id) else answer)
    return values


def _decimal(value: float) -> Fraction:
    """A weight or bound as written: the shortest decimal that reads back as *value*."""
    return Fraction(repr(float(value)))


def exact_scores(instrument: Instrument, given: Mapping[str, Any]) -> dict[str, Fraction | None]:
    """
    Every score's exact value from first principles (docs/scoring.md), or None below its minimum.

    A scale's mean, prorated sum or POMP of its keyed answers; a composite's weighted mean of its
    parts' exact values (weights as the decimals they were written as) or their difference.
    """
    exact: dict[str, Fraction | None] = {}
    for scale in instrument.scales:
        keyed = _keyed(instrument, scale, given)
        if len(keyed) < scale.min_answered:
            exact[scale.id] = None
            continue
        mean = Fraction(sum(keyed), len(keyed))
        response = instrument.item(scale.items[0]).response
        pomp = 100 * (mean - response.min) / (response.max - response.min)
        exact[scale.id] = {"mean": mean, "sum": mean * len(scale.items), "pomp": pomp}[scale.method]
    for composite in instrument.composite_order:
        given_parts = [exact[part.scale] for part in composite.parts]
        parts = [part for part in given_parts if part is not None]
        if len(parts) < len(given_parts):
            exact[composite.id] = None
        elif composite.method == "difference":
            exact[composite.id] = parts[0] - parts[1]
        else:
            weights = [_decimal(part.weight) for part in composite.parts]
            total = sum((w * v for w, v in zip(weights, parts, strict=True)), Fraction(0))
            exact[composite.id] = total / sum(weights)
    return exact


def _exact_pomp(instrument: Instrument, score_id: str, value: Fraction) -> Fraction:
    """The POMP of an exact value: its position in the score's exact range."""
    bottom, top = (Fraction(end) for end in _exact_range(instrument, score_id))
    return 100 * (value - bottom) / (top - bottom)


def _exact_range(instrument: Instrument, score_id: str) -> tuple[Fraction, Fraction]:
    """A score's range from first principles: its scale's answers, or its parts' ranges."""
    scales = {scale.id: scale for scale in instrument.scales}
    if score_id in scales:
        scale = scales[score_id]
        response = instrument.item(scale.items[0]).response
        low, high = Fraction(response.min), Fraction(response.max)
        if scale.method == "sum":
            return low * len(scale.items), high * len(scale.items)
        return (Fraction(0), Fraction(100)) if scale.method == "pomp" else (low, high)
    composite = next(c for c in instrument.composites if c.id == score_id)
    ranges = [_exact_range(instrument, part.scale) for part in composite.parts]
    if composite.method == "difference":
        return ranges[0][0] - ranges[1][1], ranges[0][1] - ranges[1][0]
    weights = [_decimal(part.weight) for part in composite.parts]
    total = sum(weights, Fraction(0))
    low = sum((w * r[0] for w, r in zip(weights, ranges, strict=True)), Fraction(0)) / total
    high = sum((w * r[1] for w, r in zip(weights, ranges, strict=True)), Fraction(0)) / total
    return low, high


def _value(result: Result, score_id: str) -> float | None:
    return result.values()[score_id]


def bounds(draw: Draw[Any], impl: Implementation, instrument: Instrument) -> None:
    """1. Every score lies within its range, its POMP within 0 to 100, and in the band that holds it."""
    given = draw(answers(instrument))
    result = impl.score(instrument, given)
    exact = exact_scores(instrument, given)
    by_id = {s.id: s for s in _scores(instrument)}
    got: dict[str, ScaleScore | CompositeScore] = {**result.scales, **result.composites}
    for score_id, score in got.items():
        low, high = instrument.score_range(score_id)
        if score.value is None:
            continue
        assert low <= score.value <= high, f"{score_id!r} = {score.value!r} lies outside its range {low} to {high}"
        assert score.pomp is not None, f"{score_id!r} has a value but no POMP"
        assert 0 <= score.pomp <= 100, f"{score_id!r} has POMP {score.pomp!r}, outside 0 to 100"
        expected = _band_of(by_id[score_id], exact[score_id])  # type: ignore[arg-type]
        assert expected == score.band, (
            f"{score_id!r} = {score.value!r} should be in band {expected!r}, got {score.band!r}"
        )


def _band_of(score: Scale | Composite, value: Fraction) -> str | None:
    """The band the exact *value* reaches: the last whose lower bound, as a decimal, it reaches."""
    if not score.bands:
        return None
    holding = [band.id for band in score.bands if _decimal(band.lower) <= value]
    return holding[-1] if holding else score.bands[0].id


def monotonicity_and_locality(draw: Draw[Any], impl: Implementation, instrument: Instrument) -> None:
    """2. Raising one answer moves only the scores that use it, and each scale in its keyed direction."""
    given = draw(answers(instrument))
    item = draw(st.sampled_from(instrument.items))
    low, high = item.response.min, item.response.max
    before_value = draw(st.integers(low, high - 1))
    after_value = draw(st.integers(before_value + 1, high))
    before = impl.score(instrument, {**given, item.id: before_value})
    after = impl.score(instrument, {**given, item.id: after_value})
    dependents = _dependents(instrument, item.id)
    old_fields, new_fields = _fields(before), _fields(after)
    for score in _scores(instrument):
        if score.id not in dependents:
            assert old_fields[score.id] == new_fields[score.id], (
                f"raising {item.id!r} from {before_value} to {after_value} changed {score.id!r}, "
                f"which does not use it: {old_fields[score.id]} -> {new_fields[score.id]}"
            )
    for scale in instrument.scales:
        old, new = _value(before, scale.id), _value(after, scale.id)
        if item.id in scale.items and old is not None and new is not None:
            if scale.is_reversed(item.id):
                assert new <= old, f"raising reverse-keyed {item.id!r} raised {scale.id!r}: {old} -> {new}"
            else:
                assert new >= old, f"raising {item.id!r} lowered {scale.id!r}: {old} -> {new}"


def _dependents(instrument: Instrument, item_id: str) -> set[str]:
    found = {s.id for s in instrument.scales if item_id in s.items}
    for composite in instrument.composites:  # Dependency order: parts come first.
        if any(part.scale in found for part in composite.parts):
            found.add(composite.id)
    return found


def reflection(draw: Draw[Any], impl: Implementation, instrument: Instrument) -> None:
    """3. Reflecting every answer (min + max - x) reflects every complete mean scale."""
    given = draw(answers(instrument, complete=True))
    reflected = {i.id: i.response.min + i.response.max - given[i.id] for i in instrument.items}
    before, after = impl.score(instrument, given), impl.score(instrument, reflected)
    for scale in instrument.scales:
        if scale.method != "mean":
            continue
        low, high = instrument.score_range(scale.id)
        old, new = _value(before, scale.id), _value(after, scale.id)
        assert old is not None, f"complete answers gave no score for {scale.id!r}"
        assert new is not None, f"complete reflected answers gave no score for {scale.id!r}"
        tolerance = 4 * math.ulp(max(abs(low), abs(high), 1.0))
        assert math.isclose(new, low + high - old, rel_tol=0, abs_tol=tolerance), (
            f"{scale.id!r} = {old!r}, reflected {new!r}; expected {low + high - old!r}"
        )


def order(draw: Draw[Any], impl: Implementation, instrument: Instrument) -> None:
    """4. The order of answers, items, a scale's items or a weighted mean's parts never changes a result."""
    given = draw(answers(instrument))
    shuffle = random.Random(draw(st.integers(0, 2**32))).shuffle  # noqa: S311 - only shuffles
    keys = list(given)
    shuffle(keys)
    expected = impl.score(instrument, given)
    reordered_answers = impl.score(instrument, {key: given[key] for key in keys})
    assert expected == reordered_answers, f"answers in the order {keys} gave {reordered_answers!r}, not {expected!r}"
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
    assert _fields(expected) == _fields(impl.score(reordered, given)), "reordering the instrument changed a score"


def missing_data(draw: Draw[Any], impl: Implementation, instrument: Instrument) -> None:
    """5. A score is None exactly below its minimum answered; otherwise it equals its rule, exactly."""
    given = draw(answers(instrument))
    result = impl.score(instrument, given)
    for scale in instrument.scales:
        got = result.scales[scale.id]
        keyed = _keyed(instrument, scale, given)
        assert len(keyed) == got.n_answered, f"{scale.id!r} counts {got.n_answered} answered items, not {len(keyed)}"
        assert len(scale.items) == got.n_items, f"{scale.id!r} counts {got.n_items} items, not {len(scale.items)}"
        if len(keyed) < scale.min_answered:
            assert got.value is None, (
                f"{scale.id!r} = {got.value!r} from {len(keyed)} answers; needs {scale.min_answered}"
            )
            assert got.reason, f"{scale.id!r} has no score and no reason"
            continue
        assert got.value is not None, f"{scale.id!r} has no score from {len(keyed)} answers; needs {scale.min_answered}"
    exact = exact_scores(instrument, given)
    got_scores: dict[str, ScaleScore | CompositeScore] = {**result.scales, **result.composites}
    for score in _scores(instrument):
        value, got_score = exact[score.id], got_scores[score.id]
        if value is None:
            assert got_score.value is None, f"{score.id!r} = {got_score.value!r} although a part has no score"
            continue
        assert got_score.value == float(value), (
            f"{score.id!r} = {got_score.value!r}, not {float(value)!r}, the double nearest its exact value {value}"
        )
        pomp = _exact_pomp(instrument, score.id, value)
        assert got_score.pomp == float(pomp), (
            f"{score.id!r} has POMP {got_score.pomp!r}, not {float(pomp)!r}, the double nearest {pomp}"
        )


def purity(draw: Draw[Any], impl: Implementation, instrument: Instrument) -> None:
    """6. Scoring never mutates its input; the same input gives the same result."""
    given = draw(answers(instrument))
    kept = copy.deepcopy(given)
    fingerprint = impl.fingerprint(instrument)
    first = impl.score(instrument, given)
    second = impl.score(instrument, given)
    assert kept == given, f"scoring changed the answers: {kept!r} became {given!r}"
    assert fingerprint == impl.fingerprint(instrument), "scoring changed the instrument's fingerprint"
    assert first == second, f"the same answers scored twice gave {first!r} and {second!r}"
    assert impl.to_json(first) == impl.to_json(second), "the same answers scored twice gave different JSON"


def round_trips(draw: Draw[Any], impl: Implementation, instrument: Instrument) -> None:
    """7. Instruments and results survive to-JSON-and-back unchanged, and fingerprints are stable."""
    text = impl.to_json(instrument)
    back = impl.from_json(text, Instrument)
    assert instrument == back, "the instrument changed on its way through JSON"
    assert text == impl.to_json(back), "the instrument's JSON changed on a second round trip"
    fingerprint = impl.fingerprint(instrument)
    assert fingerprint == impl.fingerprint(back), "the fingerprint changed on a round trip through JSON"
    assert fingerprint == impl.fingerprint(attrs.evolve(instrument)), "an equal instrument has another fingerprint"
    result = impl.score(instrument, draw(answers(instrument)))
    result_text = impl.to_json(result)
    result_back = impl.from_json(result_text, Result)
    assert result == result_back, f"the result changed on its way through JSON: {result!r} -> {result_back!r}"
    assert result_text == impl.to_json(result_back), "the result's JSON changed on a second round trip"
    assert fingerprint == result.fingerprint, "the result does not carry the instrument's fingerprint"


def batch_equals_single(draw: Draw[Any], impl: Implementation, instrument: Instrument) -> None:
    """8. score_many(xs) equals [score(x) for x in xs]."""
    batch = draw(st.lists(answers(instrument), max_size=4))
    singles = [impl.score(instrument, given) for given in batch]
    assert singles == list(impl.score_many(instrument, batch)), "score_many differs from score, one at a time"


def bad_input_never_scores(draw: Draw[Any], impl: Implementation, instrument: Instrument) -> None:
    """9. Every invalid answer set raises a LeadscoreError, naming each bad item."""
    given = draw(answers(instrument, invalid=True))
    items = {item.id: item for item in instrument.items}
    bad = {key for key, value in given.items() if key not in items or not is_valid_answer(items[key], value)}
    failure = None
    try:
        result = impl.score(instrument, given)
    except LeadscoreError as error:
        problems = getattr(error, "problems", None)
        named = bad if problems is None else {getattr(problem, "item_id", None) for problem in problems}
        if bad != named:
            failure = f"the error names {sorted(map(str, named))}, not the bad items {sorted(bad)}"
    else:
        failure = f"invalid answers {given!r} (bad: {sorted(bad)}) gave a result: {result!r}"
    # One assertion for both ways to fail: Hypothesis shrinks each place that fails on its own,
    # so an answer the rules wrongly accept shrinks to itself alone whichever way it showed first.
    assert failure is None, failure


#: The invariants by number: (name, wording as in docs/invariants.md, check).
INVARIANTS: dict[int, tuple[str, str, Callable[[Draw[Any], Implementation, Instrument], None]]] = {
    1: ("Bounds", "Every score lies within the range its method and response scale allow.", bounds),
    2: (
        "Monotonicity and locality",
        (
            "Raising one answer never lowers a scale that keys it positively, never raises one that keys it "
            "negatively, and changes no scale without it."
        ),
        monotonicity_and_locality,
    ),
    3: (
        "Reflection",
        "Reflecting every answer (`min + max - x`) reflects every complete mean scale.",
        reflection,
    ),
    4: ("Order", "The order of answers, items or raters never changes a result.", order),
    5: (
        "Missing data, exactly",
        (
            "A score is None exactly when fewer than the minimum items are answered; otherwise every figure is "
            "the correctly rounded exact value of its formula."
        ),
        missing_data,
    ),
    6: ("Purity", "Scoring never mutates its input; the same input gives the same result.", purity),
    7: (
        "Round trips",
        (
            "Instruments and results survive to-JSON-and-back unchanged; a definition file loads to the same "
            "instrument as its code twin."
        ),
        round_trips,
    ),
    8: ("Batch = single", "`score_many(xs)` equals `[score(x) for x in xs]`.", batch_equals_single),
    9: (
        "Bad input never yields a result",
        "Every invalid answer set raises a `LeadscoreError`.",
        bad_input_never_scores,
    ),
}
