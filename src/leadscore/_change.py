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

from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Literal

from attrs import frozen

from leadscore._checks import is_number, quoted
from leadscore._consistency import ReliabilityReport
from leadscore._model import Instrument
from leadscore._plan import compiled
from leadscore._registry import resolve
from leadscore._scoring import Answers, answer_sets_of
from leadscore._stats import exact_mean, exact_sd
from leadscore._views import AboutInstrument, ById
from leadscore.errors import ArgumentTypeError, InvalidAnswersError, InvalidArgumentError


__all__ = ["ChangeReport", "PersonChange", "ScaleChange", "change"]

Classification = Literal["improved", "no reliable change", "declined"]
Pairing = Literal["position", "id"]


@frozen(kw_only=True)
class PersonChange:
    """
    One person's change on one scale.

    Attributes:
        index: The person's position in the before and after lists (paired by id: among the
            people paired, in the order of *before*).
        before: The before score, or None.
        after: The after score, or None.
        difference: ``after - before``, or None when either is missing.
        rci: The Reliable Change Index, or None without a reliability or a difference.
        classification: What the RCI says, or None without one.
        respondent: The respondent id the pair was made by, or None (paired by position).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *respondent*.
    """

    index: int
    before: float | None
    after: float | None
    difference: float | None
    rci: float | None
    classification: Classification | None
    respondent: Hashable | None = None


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
        share_improved: `improved` over the people with an RCI, or None.
        share_unchanged: `unchanged` over them, or None.
        share_declined: `declined` over them, or None.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *share_improved*, *share_unchanged*, *share_declined*.
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
    share_improved: float | None = None
    share_unchanged: float | None = None
    share_declined: float | None = None


@frozen(kw_only=True)
class ChangeReport(AboutInstrument):
    """
    Change on every scale of an instrument (and the instrument, as every report names it).

    Attributes:
        criterion: The RCI beyond which change counts as reliable.
        scales: The change per scale, by scale id in the instrument's order.
        pair: How before and after were paired: ``"position"`` or ``"id"``.
        unpaired_before: Paired by id: the respondent ids with answers before only.
        unpaired_after: Paired by id: those with answers after only.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *pair*, *unpaired_before*, *unpaired_after*.
    """

    criterion: float
    scales: ById[ScaleChange]
    pair: Pairing = "position"
    unpaired_before: tuple[Hashable, ...] = ()
    unpaired_after: tuple[Hashable, ...] = ()


def change(
    instrument: Instrument | str,
    before: Iterable[Answers] | Mapping[Any, Answers],
    after: Iterable[Answers] | Mapping[Any, Answers],
    *,
    reliability: Mapping[str, float] | ReliabilityReport | None = None,
    sd: Mapping[str, float] | None = None,
    criterion: float = 1.96,
    pair: Pairing = "position",
) -> ChangeReport:
    """
    Compare before and after answers, paired by position or by respondent id, scale by scale.

    Args:
        instrument: The instrument, or its id.
        before: Each person's answers before: a list, or with ``pair="id"`` a mapping of
            respondent id to answers.
        after: The same people's answers after: in the same order, or by the same ids.
        reliability: Per scale, the reliability for the RCI (such as alpha from
            `leadscore.reliability`), or a `ReliabilityReport` (whose alphas outside 0 to 1
            are left out); scales without one get differences only.
        sd: Per scale, the SD of before scores to use; by default the before scores' own.
        criterion: The RCI beyond which change counts as reliable (1.96: 95 %).
        pair: ``"position"`` (default): the n-th answer set before with the n-th after.
            ``"id"``: *before* and *after* map respondent ids to answers; each id in both is a
            pair, and the report lists the ids found on one side only (they are not scored
            as change).

    Raises:
        ValueError: If the lists differ in length (by position), a reliability is outside
            0 to 1 (1 excluded), an SD is not positive, the criterion is not positive, or
            *pair* is neither choice.
        TypeError: With ``pair="id"``, for *before* or *after* that is no mapping.
        InvalidAnswersError: If an answer set is invalid (with its respondent id in a note,
            paired by id).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *pair*.
    """
    instrument = resolve(instrument)
    plan = compiled(instrument)
    chosen: object = pair
    if not (isinstance(chosen, str) and chosen in {"position", "id"}):
        raise InvalidArgumentError(f"pair must be 'position' or 'id' (got {quoted(pair)})")
    ids: list[Hashable] | None = None
    unpaired: tuple[tuple[Hashable, ...], tuple[Hashable, ...]] = ((), ())
    if pair == "id":
        earlier, later = _by_id(before, "before"), _by_id(after, "after")
        ids = [key for key in earlier if key in later]
        unpaired = (tuple(k for k in earlier if k not in later), tuple(k for k in later if k not in earlier))
        before_results = [_values(plan, earlier[key], row, key) for row, key in enumerate(ids)]
        after_results = [_values(plan, later[key], row, key) for row, key in enumerate(ids)]
    else:
        # Each person's values by score id, read once (a lookup per scale in each result was quadratic).
        before_results = [_values(plan, a, row) for row, a in enumerate(answer_sets_of(before, "before"))]
        after_results = [_values(plan, a, row) for row, a in enumerate(answer_sets_of(after, "after"))]
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
        results.append(
            _scale_change(scale.id, pairs, reliabilities.get(scale.id), (sd or {}).get(scale.id), criterion, ids=ids)
        )
    return ChangeReport(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        fingerprint=plan.fingerprint,
        criterion=criterion,
        scales=ById(results),
        pair=pair,
        unpaired_before=unpaired[0],
        unpaired_after=unpaired[1],
    )


def _by_id(answer_sets: object, name: str) -> Mapping[Hashable, Any]:
    if not isinstance(answer_sets, Mapping):
        raise ArgumentTypeError(
            f"{name} must map respondent ids to answers when pairing by id (got {type(answer_sets).__name__})"
        )
    return answer_sets


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _values(plan: Any, answers: Any, row: int, respondent: Hashable | None = None) -> Mapping[str, Fraction | None]:
    """One person's exact score values by score id; an invalid answer set names its respondent id, if any."""
    try:
        return plan.exact_values(*plan.validated(answers, row))  # type: ignore[no-any-return]
    except InvalidAnswersError as error:
        if respondent is not None:
            error.add_note(f"respondent {quoted(respondent)}")
        raise


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
    pairs: Sequence[tuple[Fraction | None, Fraction | None]],
    reliability: float | None,
    sd: float | None,
    criterion: float,
    *,
    ids: Sequence[Hashable] | None,
) -> ScaleChange:
    # Scores, means and differences are exact, then rounded once; the SD and the RCI take roots.
    complete = [(b, a) for b, a in pairs if b is not None and a is not None]
    befores = [b for b, _ in complete]
    if sd is None and len(befores) >= 2:
        sd = exact_sd(befores)
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
        difference = None if b is None or a is None else float(a - b)
        rci = None if difference is None or se is None else difference / se
        people.append(
            PersonChange(
                index=index,
                before=_float(b),
                after=_float(a),
                difference=difference,
                rci=rci,
                classification=_classify(rci, criterion),
                respondent=ids[index] if ids is not None else None,
            )
        )
    classes = [p.classification for p in people if p.classification is not None]
    counted = se is not None

    def share(name: Classification) -> float | None:
        return classes.count(name) / len(classes) if counted and classes else None

    return ScaleChange(
        id=scale_id,
        n_respondents=len(complete),
        mean_before=float(exact_mean(befores)) if complete else None,
        mean_after=float(exact_mean([a for _, a in complete])) if complete else None,
        mean_change=float(exact_mean([a - b for b, a in complete])) if complete else None,
        sd_before=sd,
        reliability=reliability,
        se_difference=se,
        improved=classes.count("improved") if counted else None,
        unchanged=classes.count("no reliable change") if counted else None,
        declined=classes.count("declined") if counted else None,
        people=tuple(people),
        reason=reason,
        share_improved=share("improved"),
        share_unchanged=share("no reliable change"),
        share_declined=share("declined"),
    )


def _classify(rci: float | None, criterion: float) -> Classification | None:
    if rci is None:
        return None
    if rci > criterion:
        return "improved"
    if rci < -criterion:
        return "declined"
    return "no reliable change"
