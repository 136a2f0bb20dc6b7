"""
Before/after change per scale, with the Reliable Change Index (Jacobson & Truax, 1991).

For each person and scale, the difference is ``after - before``. With a reliability ``r`` for
the scale and the standard deviation ``SD`` of the before scores, the standard error of a
difference is ``S_diff = sqrt(2) * SD * sqrt(1 - r)`` and ``RCI = difference / S_diff``.
A person whose RCI is above the criterion (1.96: the 95 % level) improved reliably, below
minus the criterion declined reliably, and otherwise shows no reliable change. "Improved"
assumes a higher score is better, as on every instrument leadscore ships.

``SD`` is the before scores' own SD (``n - 1``) unless given, for example from a larger
reference group; leadscore ships no norms, so it invents none.
"""

from __future__ import annotations

import math

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from attrs import frozen

from leadscore._checks import is_number, quoted
from leadscore._deprecation import entries, renamed
from leadscore._model import Instrument
from leadscore._plan import compiled
from leadscore._registry import resolve
from leadscore._reliability import ReliabilityReport
from leadscore._scoring import Answers, answer_sets_of
from leadscore._stats import mean_or_none
from leadscore._stats import sd as sample_sd
from leadscore._views import AboutInstrument, ById
from leadscore.errors import ArgumentTypeError, InvalidArgumentError


__all__ = ["ChangeReport", "PersonChange", "ScaleChange", "change"]

Classification = Literal["improved", "no reliable change", "declined"]


@frozen(kw_only=True)
class PersonChange:
    """
    One person's change on one scale.

    Attributes:
        index: The person's position in the before and after lists.
        before: The before score, or None.
        after: The after score, or None.
        difference: ``after - before``, or None when either is missing.
        rci: The Reliable Change Index, or None without a reliability or a difference.
        classification: What the RCI says, or None without one.

    .. versionadded:: 0.1.0
    """

    index: int
    before: float | None
    after: float | None
    difference: float | None
    rci: float | None
    classification: Classification | None


@frozen(kw_only=True)
class ScaleChange:
    """
    Change on one scale over a group (of one or more).

    Attributes:
        id: The scale.
        n_respondents: People with both a before and an after score.
        mean_before: Their mean before score, or None.
        mean_after: Their mean after score, or None.
        mean_change: Their mean difference, or None.
        sd_before: The SD used for the RCI, or None.
        reliability: The reliability used for the RCI, or None.
        se_difference: ``S_diff``, or None.
        improved: How many improved reliably (None without an RCI).
        unchanged: How many show no reliable change (None without an RCI).
        declined: How many declined reliably (None without an RCI).
        people: Each person's change, in order.
        reason: Why there is no RCI, or None.

    .. versionadded:: 0.1.0
    """

    id: str
    n_respondents: int
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    sd_before: float | None
    reliability: float | None
    se_difference: float | None
    improved: int | None
    unchanged: int | None
    declined: int | None
    people: tuple[PersonChange, ...]
    reason: str | None

    scale_id = renamed("scale_id", "id")
    n = renamed("n", "n_respondents")


@frozen(kw_only=True)
class ChangeReport(AboutInstrument):
    """
    Change on every scale of an instrument (and the instrument, as every report names it).

    Attributes:
        criterion: The RCI beyond which change counts as reliable.
        scales: The change per scale, by scale id in the instrument's order.

    .. versionadded:: 0.1.0
    """

    criterion: float
    scales: ById[ScaleChange]

    results = renamed("results", "scales", entries)


def change(
    instrument: Instrument | str,
    before: Iterable[Answers],
    after: Iterable[Answers],
    *,
    reliability: Mapping[str, float] | ReliabilityReport | None = None,
    sd: Mapping[str, float] | None = None,
    criterion: float = 1.96,
) -> ChangeReport:
    """
    Compare before and after answers, paired by position, scale by scale.

    Args:
        instrument: The instrument, or its id.
        before: Each person's answers before.
        after: The same people's answers after, in the same order.
        reliability: Per scale, the reliability for the RCI (such as alpha from
            `leadscore.reliability`), or a `ReliabilityReport` (whose alphas outside 0 to 1
            are left out); scales without one get differences only.
        sd: Per scale, the SD of before scores to use; by default the before scores' own.
        criterion: The RCI beyond which change counts as reliable (1.96: 95 %).

    Raises:
        ValueError: If the lists differ in length, a reliability is outside 0 to 1 (1
            excluded), an SD is not positive, or the criterion is not positive.
        InvalidAnswersError: If an answer set is invalid.

    .. versionadded:: 0.1.0
    """
    instrument = resolve(instrument)
    plan = compiled(instrument)
    # Each person's values by score id, read once (a lookup per scale in each result was quadratic).
    before_results = [plan.score(answers, row).values() for row, answers in enumerate(answer_sets_of(before, "before"))]
    after_results = [plan.score(answers, row).values() for row, answers in enumerate(answer_sets_of(after, "after"))]
    if len(before_results) != len(after_results):
        raise InvalidArgumentError(
            f"before has {len(before_results)} answer sets and after {len(after_results)}; they must pair up"
        )
    reliabilities = _reliabilities(reliability, plan.fingerprint)
    if sd is not None and not isinstance(sd, Mapping):
        raise ArgumentTypeError(f"sd must be a mapping of scale id to SD, or None (got {quoted(sd)})")
    _check_options(instrument, reliabilities, sd or {}, criterion)
    results = []
    for scale in instrument.scales:
        pairs = [(b[scale.id], a[scale.id]) for b, a in zip(before_results, after_results, strict=True)]
        results.append(_scale_change(scale.id, pairs, reliabilities.get(scale.id), (sd or {}).get(scale.id), criterion))
    return ChangeReport(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        fingerprint=plan.fingerprint,
        criterion=criterion,
        scales=ById(results),
    )


def _check_options(
    instrument: Instrument, reliabilities: Mapping[str, Any], sd: Mapping[str, Any], criterion: Any
) -> None:
    """Raise one `InvalidArgumentError` naming every option that cannot be used."""
    problems = []
    if not (is_number(criterion) and criterion > 0):
        problems.append(f"criterion must be a positive number (got {quoted(criterion)})")
    scale_ids = {scale.id for scale in instrument.scales}
    options: tuple[tuple[str, Mapping[Any, Any]], ...] = (("reliability", reliabilities), ("sd", sd))
    for option, values in options:
        unknown = [scale_id for scale_id in values if not (isinstance(scale_id, str) and scale_id in scale_ids)]
        if unknown:
            named = ", ".join(map(quoted, unknown))
            problems.append(f"{option} names {named}, which {quoted(instrument.id)} has no scale of")
    for scale_id, r in reliabilities.items():
        if not (is_number(r) and 0 <= r < 1):
            problems.append(f"reliability of {quoted(scale_id)} must be from 0 up to 1, 1 excluded (got {quoted(r)})")
    for scale_id, value in sd.items():
        if not (is_number(value) and value > 0):
            problems.append(f"sd of {quoted(scale_id)} must be a positive number (got {quoted(value)})")
    if problems:
        raise InvalidArgumentError("; ".join(problems))


def _reliabilities(reliability: Mapping[str, float] | ReliabilityReport | None, fingerprint: str) -> dict[str, float]:
    if reliability is None:
        return {}
    if isinstance(reliability, ReliabilityReport):
        if reliability.fingerprint != fingerprint:
            raise InvalidArgumentError(
                f"the reliability report is for {quoted(reliability.instrument_id)} {reliability.instrument_version} "
                "as another definition (its fingerprint differs): compute it on this instrument"
            )
        # A negative alpha is no reliability at all: such scales get differences only.
        return {i: s.alpha for i, s in reliability.scales.items() if s.alpha is not None and 0 <= s.alpha < 1}
    if not isinstance(reliability, Mapping):
        raise ArgumentTypeError(
            "reliability must be a mapping of scale id to reliability, a ReliabilityReport or None "
            f"(got {quoted(reliability)})"
        )
    return dict(reliability)


def _scale_change(
    scale_id: str,
    pairs: Sequence[tuple[float | None, float | None]],
    reliability: float | None,
    sd: float | None,
    criterion: float,
) -> ScaleChange:
    complete = [(b, a) for b, a in pairs if b is not None and a is not None]
    befores = [b for b, _ in complete]
    if sd is None and len(befores) >= 2:
        sd = sample_sd(befores)
    reason = None
    se = None
    if reliability is None:
        reason = "no reliability given for this scale"
    elif not sd:
        reason = "no SD of before scores: give sd=, or at least two people with scores that differ"
    else:
        se = math.sqrt(2) * sd * math.sqrt(1 - reliability)
    people = []
    for index, (b, a) in enumerate(pairs):
        difference = None if b is None or a is None else a - b
        rci = None if difference is None or se is None else difference / se
        people.append(
            PersonChange(
                index=index, before=b, after=a, difference=difference, rci=rci, classification=_classify(rci, criterion)
            )
        )
    classes = [p.classification for p in people if p.classification is not None]
    counted = se is not None
    return ScaleChange(
        id=scale_id,
        n_respondents=len(complete),
        mean_before=mean_or_none(befores),
        mean_after=mean_or_none([a for _, a in complete]),
        mean_change=mean_or_none([a - b for b, a in complete]),
        sd_before=sd,
        reliability=reliability,
        se_difference=se,
        improved=classes.count("improved") if counted else None,
        unchanged=classes.count("no reliable change") if counted else None,
        declined=classes.count("declined") if counted else None,
        people=tuple(people),
        reason=reason,
    )


def _classify(rci: float | None, criterion: float) -> Classification | None:
    if rci is None:
        return None
    if rci > criterion:
        return "improved"
    if rci < -criterion:
        return "declined"
    return "no reliable change"
