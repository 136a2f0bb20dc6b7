"""
The kit has teeth: a catalogue of planted defects, each of which check_instrument must catch.

Every defect is a small broken scoring rule (or serialization), built by wrapping leadscore's
own functions, and handed to check_instrument as the implementation under test. The test
asserts that the report names the invariant the defect breaks.
"""

from __future__ import annotations

import ast
import random
import re

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import attrs
import pytest

from hypothesis import settings

import leadscore

from leadscore import (
    Band,
    Composite,
    Instrument,
    InvalidAnswersError,
    Item,
    NotApplicable,
    Part,
    ResponseScale,
    Result,
    Scale,
    Source,
)
from leadscore.errors import InvalidAnswerError
from leadscore.testing import Implementation, InvariantError, check_instrument, leadscore_implementation


TEXT = {"en": "text"}


def probe() -> Instrument:
    """An instrument with something for every defect to break: reverse keys, a sum scale,
    a minimum above one, bands, a weighted composite with unequal weights, and notes.
    """
    na = NotApplicable(code=0, label={"en": "n/a"})
    items = [
        Item(id=i, text=TEXT, response=ResponseScale(min=1, max=5, not_applicable=na), source=Source(document="t"))
        for i in ("a", "b", "c", "d")
    ]
    bands = [Band(id="low", label=TEXT, lower=1, upper=3), Band(id="high", label=TEXT, lower=3, upper=5)]
    return Instrument(
        id="probe",
        version="1.0.0",
        title=TEXT,
        notes={"en": "notes that must survive JSON"},
        items=items,
        scales=[
            Scale(id="mean", title=TEXT, items=["a", "b", "c"], reverse_keyed=["c"], min_answered=2, bands=bands),
            Scale(id="total", title=TEXT, items=["b", "c", "d"], method="sum", min_answered=1),
            Scale(id="first", title=TEXT, items=["a"], min_answered=1),
        ],
        composites=[
            Composite(
                id="weighted",
                title=TEXT,
                method="weighted_mean",
                parts=[Part(scale="mean", weight=3), Part(scale="first", weight=1)],
            ),
            Composite(id="gap", title=TEXT, method="difference", parts=[Part(scale="first"), Part(scale="mean")]),
        ],
    )


def rebuild(
    result: Result,
    scale: Callable[[str, tuple[Any, ...]], tuple[Any, ...]] = lambda _, row: row,
    composite: Callable[[str, tuple[Any, ...]], tuple[Any, ...]] = lambda _, row: row,
) -> Result:
    """A copy of *result* with its rows changed by *scale* and *composite*."""
    rows = {
        i: (s.value, s.n_answered, s.n_not_applicable, s.n_items, s.pomp, s.band, s.reason)
        for i, s in result.scales.items()
    }
    crows = {i: (c.value, c.pomp, c.band, c.reason) for i, c in result.composites.items()}
    return Result(
        instrument_id=result.instrument_id,
        instrument_version=result.instrument_version,
        fingerprint=result.fingerprint,
        scales={i: scale(i, row) for i, row in rows.items()},
        composites={i: composite(i, row) for i, row in crows.items()},
    )


# --- the defects


def reverse_key_twice(instrument: Instrument, answers: Mapping[str, Any]) -> Result:
    """Reverse keys applied twice: the same as not at all."""
    unkeyed = attrs.evolve(instrument, scales=[attrs.evolve(s, reverse_keyed=()) for s in instrument.scales])
    return rebuild(leadscore.score(unkeyed, answers), lambda _, row: row)


def sum_drops_last_item(instrument: Instrument, answers: Mapping[str, Any]) -> Result:
    """A sum scale that never sees its last item."""
    last = {s.items[-1] for s in instrument.scales if s.method == "sum"}
    return leadscore.score(instrument, {k: v for k, v in answers.items() if k not in last})


def minimum_off_by_one(instrument: Instrument, answers: Mapping[str, Any]) -> Result:
    """A scale needs one answer more than its minimum."""
    minimum = {s.id: s.min_answered for s in instrument.scales}

    def scale(scale_id: str, row: tuple[Any, ...]) -> tuple[Any, ...]:
        if row[1] == minimum[scale_id]:
            return (None, row[1], row[2], row[3], None, None, "too few answers")
        return row

    return rebuild(leadscore.score(instrument, answers), scale)


def band_with_a_gap(instrument: Instrument, answers: Mapping[str, Any]) -> Result:
    """The band lookup leaves a gap just above each inner boundary."""
    inner = {s.id: [b.lower for b in s.bands[1:]] for s in instrument.scales}

    def scale(scale_id: str, row: tuple[Any, ...]) -> tuple[Any, ...]:
        value = row[0]
        if value is not None and any(lower <= value < lower + 0.5 for lower in inner[scale_id]):
            return (*row[:5], None, row[6])
        return row

    return rebuild(leadscore.score(instrument, answers), scale)


def composite_ignores_weights(instrument: Instrument, answers: Mapping[str, Any]) -> Result:
    """Weighted means taken as plain means."""
    unweighted = attrs.evolve(
        instrument,
        composites=[attrs.evolve(c, parts=[Part(scale=p.scale) for p in c.parts]) for c in instrument.composites],
    )
    return leadscore.score(unweighted, answers)


def depends_on_answer_order(instrument: Instrument, answers: Mapping[str, Any]) -> Result:
    """A running mean in the order the answers came: float rounding then depends on that order."""
    result = leadscore.score(instrument, answers)

    def scale(scale_id: str, row: tuple[Any, ...]) -> tuple[Any, ...]:
        if row[0] is None or scale_id != "mean":
            return row
        mean, count = 0.0, 0
        for key, value in answers.items():
            if key in {"a", "b", "c"} and isinstance(value, int) and 1 <= value <= 5:
                count += 1
                mean += ((6 - value if key == "c" else value) / 3 - mean) / count
        return (mean * 3 if count else row[0], *row[1:])

    return rebuild(result, scale)


def mutates_input(instrument: Instrument, answers: Mapping[str, Any]) -> Result:
    """Tidies the caller's answers by deleting the unanswered ones."""
    result = leadscore.score(instrument, answers)
    if isinstance(answers, dict):
        for key in [k for k, v in answers.items() if v is None]:
            del answers[key]
    return result


def leaves_a_bad_answer_unnamed(instrument: Instrument, answers: Mapping[str, Any]) -> Result:
    """Refuses bad answers, but its error names the last bad item it found as ``"?"``, not by its id."""
    try:
        return leadscore.score(instrument, answers)
    except InvalidAnswersError as error:
        *kept, last = error.problems
        unnamed = InvalidAnswerError(last.message, item_id="?", value=last.value)
        raise InvalidAnswersError(instrument.id, [*kept, unnamed]) from None


def accepts_booleans(instrument: Instrument, answers: Mapping[str, Any]) -> Result:
    """Reads True as 1 and False as 0."""
    return leadscore.score(instrument, {k: int(v) if isinstance(v, bool) else v for k, v in answers.items()})


def random_fingerprint(instrument: Instrument) -> str:
    """A fingerprint with a random part."""
    return leadscore.fingerprint(instrument) + f"-{random.random()}"


def json_loses_notes(obj: Any, **kwargs: Any) -> str:
    """Instrument JSON without the notes."""
    if isinstance(obj, Instrument) and obj.notes is not None:
        obj = attrs.evolve(obj, notes=None)
    return leadscore.to_json(obj, **kwargs)


def pomp_wrong_denominator(instrument: Instrument, answers: Mapping[str, Any]) -> Result:
    """POMP divided by the maximum, not by the range."""

    def scale(_: str, row: tuple[Any, ...]) -> tuple[Any, ...]:
        if row[0] is None:
            return row
        mean = row[4] / 100 * 4 + 1
        return (*row[:4], 100 * (mean - 1) / 5, *row[5:])

    return rebuild(leadscore.score(instrument, answers), scale)


def leaks_an_item(instrument: Instrument, answers: Mapping[str, Any]) -> Result:
    """The 'first' scale also counts item 'd'."""
    wider = attrs.evolve(
        instrument, scales=[attrs.evolve(s, items=[*s.items, "d"]) if s.id == "first" else s for s in instrument.scales]
    )
    result = leadscore.score(wider, answers)
    return rebuild(result, lambda i, row: (*row[:3], 1, *row[4:]) if i == "first" else row)


def batch_carries_answers_over(instrument: Instrument, answer_sets: Iterable[Mapping[str, Any]]) -> Iterator[Result]:
    """Batch scoring fills each answer set's gaps from the one before."""
    previous: dict[str, Any] = {}
    for answers in answer_sets:
        previous = {**previous, **{k: v for k, v in answers.items() if v is not None}}
        yield leadscore.score(instrument, {**answers, **previous})


DEFECTS: list[tuple[str, dict[str, Any], set[int]]] = [
    ("a reverse key applied twice", {"score": reverse_key_twice}, {2, 5}),
    ("a sum that drops the last item", {"score": sum_drops_last_item}, {5}),
    ("a minimum-answered rule off by one", {"score": minimum_off_by_one}, {5}),
    ("bands with a gap", {"score": band_with_a_gap}, {1}),
    ("a composite that ignores weights", {"score": composite_ignores_weights}, {5}),
    ("a result that depends on answer order", {"score": depends_on_answer_order}, {4, 5}),
    ("a scorer that mutates its input", {"score": mutates_input}, {6}),
    ("a rule that accepts True", {"score": accepts_booleans}, {9}),
    ("an error that leaves a bad answer unnamed", {"score": leaves_a_bad_answer_unnamed}, {9}),
    ("a non-deterministic fingerprint", {"fingerprint": random_fingerprint}, {6, 7}),
    ("a JSON round trip that loses a field", {"to_json": json_loses_notes}, {7}),
    ("POMP with the wrong denominator", {"score": pomp_wrong_denominator}, {5}),
    ("a scale that uses an item it does not declare", {"score": leaks_an_item}, {2}),
    ("batch scoring that carries answers over", {"score_many": batch_carries_answers_over}, {8}),
]


# The examples a plugin author runs who sets no profile: Hypothesis's default, 100. The catalogue
# asks whether the kit catches each defect as plugin authors run it, so it runs that many, not
# the ci profile's 200 (which doubled its 55 s under coverage and caught no defect more).
AUTHORS_EXAMPLES = settings.get_profile("default").max_examples


def check_caught(
    defect: str, overrides: dict[str, Any], broken: set[int], invariants: Iterable[int] | None = None
) -> InvariantError:
    """Run the kit (all of it by default) against the defect; it must fail, name an invariant the
    defect breaks and show the example.
    """
    implementation: Implementation = leadscore_implementation(**overrides)

    with pytest.raises(InvariantError) as caught:
        check_instrument(probe(), implementation=implementation, max_examples=AUTHORS_EXAMPLES, invariants=invariants)

    failed = {result.number for result in caught.value.report.results if result.failure is not None}
    assert failed & broken, f"{defect}: broke {sorted(failed)}, expected one of {sorted(broken)}"
    assert "Minimal failing example:" in str(caught.value)
    return caught.value


@pytest.mark.deep
@pytest.mark.untraced
@pytest.mark.usefixtures("no_shrinking")
@pytest.mark.parametrize(("defect", "overrides", "broken"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_check_instrument_catches_the_defect(defect: str, overrides: dict[str, Any], broken: set[int]) -> None:
    """
    check_instrument fails on the planted defect and names an invariant it breaks (not shrunk: see conftest).

    At Hypothesis's default 100 examples, as a plugin author runs the kit (AUTHORS_EXAMPLES).
    """
    check_caught(defect, overrides, broken)


def test_the_failing_example_is_shrunk_to_the_bad_answer() -> None:
    """
    With shrinking, as plugin authors run the kit, the failure points at the defect: the booleans.

    Either the minimal case (one boolean among valid answers gave a result), or an error that
    named every bad answer but the booleans. Hypothesis's shrinker does not promise the global
    minimum: within the whole suite it has stopped at three bad answers of which the error
    named the one that was no boolean, which says the same thing.

    Only invariant 9 runs: the catalogue runs this defect through the whole kit already.
    """
    error = check_caught("a rule that accepts True", {"score": accepts_booleans}, {9}, invariants=[9])

    (failure,) = [r.failure for r in error.report.results if r.failure is not None]
    assert failure is not None
    draw = ast.literal_eval(failure.split("Draw 1: ", 1)[1].splitlines()[0])
    booleans = sorted(key for key, value in draw.items() if isinstance(value, bool))
    result = re.search(r"\(bad: \[('[a-d]')\]\) gave a result", failure)
    named = re.search(r"the error names (\[[^]]*\]), not the bad items (\[[^]]*\])", failure)
    assert result is not None or named is not None, failure
    if result is not None:  # Shrunk to one bad answer, a boolean, among answers that are all valid.
        assert [ast.literal_eval(result.group(1))] == booleans, failure
    else:
        left_out = set(ast.literal_eval(named.group(2))) - set(ast.literal_eval(named.group(1)))  # type: ignore[union-attr]
        assert sorted(left_out) == booleans, failure


def test_an_error_that_leaves_out_a_bad_answer_is_named_so() -> None:
    """Invariant 9 says which bad items an error left out (the catalogue runs it untraced; this, traced)."""
    defect = "an error that leaves a bad answer unnamed"
    error = check_caught(defect, {"score": leaves_a_bad_answer_unnamed}, {9}, invariants=[9])

    (failure,) = [r.failure for r in error.report.results if r.failure is not None]
    assert failure is not None
    assert re.search(r"the error names \[[^]]*\], not the bad items \[", failure), failure


@pytest.mark.untraced
def test_probe_passes_with_leadscore_itself() -> None:
    """Without a defect, the probe instrument passes every invariant (at AUTHORS_EXAMPLES, as the catalogue runs)."""
    report = check_instrument(probe(), max_examples=AUTHORS_EXAMPLES)

    assert report.ok
    assert 9 == len(report.results)
