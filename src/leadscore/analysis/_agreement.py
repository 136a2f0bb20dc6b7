"""
Rater agreement across the people of a programme: intraclass correlations of one rater group.

For a programme's 360s (many leaders, each rated by several raters of a group), each scale
gives a table of leaders by raters: the scale scores of the first ``k`` raters of that group
of each leader (in the order given). From its two-way analysis of variance (Shrout and
Fleiss, 1979; the definitions of R psych's ``ICC`` and pingouin's ``intraclass_corr``), with
``n`` leaders, mean squares between leaders ``MSB``, within leaders ``MSW``, between rater
positions ``MSJ`` and residual ``MSE``:

- ICC(1) = ``(MSB - MSW) / (MSB + (k - 1) MSW)``, one rater's score, raters nested in leaders;
- ICC(1,k) = ``(MSB - MSW) / MSB``, the mean of k raters;
- ICC(2) = ``(MSB - MSE) / (MSB + (k - 1) MSE + k (MSJ - MSE) / n)`` and
- ICC(2,k) = ``(MSB - MSE) / (MSB + (MSJ - MSE) / n)``, which treat the j-th rater of every
  leader as one judge. In a 360 raters are nested in leaders, not crossed: ICC(1) is the
  model that fits; ICC(2) and ICC(2,k) are given because psych and pingouin compute them
  from such a table, and analysts compare them.

Pure Python (every sum by `math.fsum`); needs no extra. These are figures about a programme,
never about one person: a person's own report shows r_wg per group, which the disclosure
audit of `leadscore.aggregate` withholds like any other figure.
"""

from __future__ import annotations

import math

from collections.abc import Iterable, Mapping
from typing import Any

from attrs import frozen

from leadscore._aggregate import MAX_MINIMUM, Rating
from leadscore._checks import quoted
from leadscore._model import Instrument
from leadscore._plan import compiled
from leadscore._registry import resolve
from leadscore._views import AboutInstrument, ById
from leadscore.errors import ArgumentTypeError, InvalidAnswersError, InvalidArgumentError


__all__ = ["AgreementReport", "ScaleAgreement", "agreement"]


@frozen(kw_only=True)
class ScaleAgreement:
    """
    The intraclass correlations of one scale.

    Attributes:
        id: The scale.
        n_subjects: The leaders in the table (those with at least `n_raters` scores from the group).
        n_raters: The raters per leader, ``k``.
        icc1: ICC(1), or None.
        icc1k: ICC(1,k), or None.
        icc2: ICC(2), or None.
        icc2k: ICC(2,k), or None.
        ms_between: The mean square between leaders, or None.
        ms_within: Within leaders, or None.
        ms_raters: Between rater positions, or None.
        ms_error: The residual mean square, or None.
        reason: Why there are no ICCs, or None.

    .. versionadded:: 0.1.0
    """

    id: str
    n_subjects: int
    n_raters: int
    icc1: float | None
    icc1k: float | None
    icc2: float | None
    icc2k: float | None
    ms_between: float | None
    ms_within: float | None
    ms_raters: float | None
    ms_error: float | None
    reason: str | None


@frozen(kw_only=True)
class AgreementReport(AboutInstrument):
    """
    Intraclass correlations of every scale for one rater group across a programme.

    Attributes:
        group: The rater group.
        n_subjects: The leaders given.
        scales: Per scale, its agreement, by scale id in the instrument's order.

    .. versionadded:: 0.1.0
    """

    group: str
    n_subjects: int
    scales: ById[ScaleAgreement]


def agreement(
    instrument: Instrument | str,
    programme: Mapping[Any, Iterable[Rating]],
    *,
    group: str,
    raters: int | None = None,
) -> AgreementReport:
    """
    Compute ICC(1), ICC(1,k), ICC(2) and ICC(2,k) of each scale for one rater *group* of a programme.

    Args:
        instrument: The instrument, or its id.
        programme: Each leader (any key) and the ratings of their 360.
        group: The rater group whose agreement is wanted (``"direct_reports"``, ``"peers"``...).
        raters: ``k``, the raters per leader (2 to 1,000,000): each leader's first ``k`` ratings of
            the group with a score on the scale, in the order given; leaders with fewer are
            left out of that scale's table. By default, per scale, the fewest any leader has
            with two or more (so no leader with two is left out).

    Raises:
        ArgumentTypeError: For a *programme* that is no mapping of leaders to ratings.
        InvalidArgumentError: For a *group* that is no text, or *raters* below 2.
        InvalidAnswersError: For an invalid answer set, naming its leader and position.

    .. versionadded:: 0.1.0
    """
    instrument = resolve(instrument)
    plan = compiled(instrument)
    leaders: object = programme  # Whatever came in, whatever its annotation says.
    named: object = group
    if not isinstance(leaders, Mapping):
        raise ArgumentTypeError(f"programme must map each leader to their ratings (got {quoted(programme)})")
    if not isinstance(named, str) or not named:
        raise InvalidArgumentError(f"group must be a rater group such as 'peers' (got {quoted(group)})")
    given: object = raters
    if given is not None and (not isinstance(given, int) or isinstance(given, bool) or not 2 <= given <= MAX_MINIMUM):
        raise InvalidArgumentError(f"raters must be a whole number from 2 to {MAX_MINIMUM:,} (got {quoted(raters)})")
    # Per leader, per scale, the scores of the group's ratings, in order.
    scores: list[list[list[float]]] = []
    for leader, ratings in leaders.items():
        listed: object = ratings  # Whatever came in, whatever its annotation says.
        if isinstance(listed, (str, bytes, Mapping, Rating)) or not isinstance(listed, Iterable):
            raise ArgumentTypeError(f"the ratings of {quoted(leader)} must be an iterable of leadscore.Rating")
        mine: list[list[float]] = [[] for _ in plan.scales]
        for position, rating in enumerate(ratings):
            if not isinstance(rating, Rating):
                raise ArgumentTypeError(f"rating {position} of {quoted(leader)} is no leadscore.Rating")
            if rating.group != group:
                continue
            try:
                result = plan.score(rating.answers, position)
            except InvalidAnswersError as error:
                error.add_note(f"in the ratings of {quoted(leader)}")
                raise
            for index, rule in enumerate(plan.scales):
                value = result.scales[rule.id].value
                if value is not None:
                    mine[index].append(value)
        scores.append(mine)
    return AgreementReport(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        fingerprint=plan.fingerprint,
        group=group,
        n_subjects=len(scores),
        scales=ById(
            _scale(rule.id, [leader[index] for leader in scores], raters) for index, rule in enumerate(plan.scales)
        ),
    )


def _scale(scale_id: str, leaders: list[list[float]], raters: int | None) -> ScaleAgreement:
    counts = [len(values) for values in leaders if len(values) >= 2]
    k = raters if raters is not None else min(counts, default=2)
    table = [values[:k] for values in leaders if len(values) >= k]
    found = _iccs(table, k) if len(table) >= 2 else None
    if found is None:
        reason = (
            f"{len(table)} leaders have {k} raters of the group with a score; at least 2 are needed"
            if len(table) < 2
            else "the scores do not vary between or within leaders"
        )
        return ScaleAgreement(
            id=scale_id,
            n_subjects=len(table),
            n_raters=k,
            **dict.fromkeys(("icc1", "icc1k", "icc2", "icc2k", "ms_between", "ms_within", "ms_raters", "ms_error")),
            reason=reason,
        )
    return ScaleAgreement(id=scale_id, n_subjects=len(table), n_raters=k, **found, reason=None)


def _iccs(table: list[list[float]], k: int) -> dict[str, Any] | None:
    """The mean squares and ICCs of an n-by-k table; None where every mean square is 0."""
    n = len(table)
    grand = math.fsum(math.fsum(row) for row in table) / (n * k)
    row_means = [math.fsum(row) / k for row in table]
    column_means = [math.fsum(row[j] for row in table) / n for j in range(k)]
    ss_between = k * math.fsum((m - grand) ** 2 for m in row_means)
    ss_within = math.fsum((x - m) ** 2 for row, m in zip(table, row_means, strict=True) for x in row)
    ss_raters = n * math.fsum((m - grand) ** 2 for m in column_means)
    ms_between = ss_between / (n - 1)
    ms_within = ss_within / (n * (k - 1))
    ms_raters = ss_raters / (k - 1)
    ms_error = (ss_within - ss_raters) / ((n - 1) * (k - 1))
    if ms_between == 0 and ms_within == 0:
        return None
    return {
        "icc1": (ms_between - ms_within) / (ms_between + (k - 1) * ms_within),
        "icc1k": (ms_between - ms_within) / ms_between if ms_between else None,
        "icc2": _ratio(ms_between - ms_error, ms_between + (k - 1) * ms_error + k * (ms_raters - ms_error) / n),
        "icc2k": _ratio(ms_between - ms_error, ms_between + (ms_raters - ms_error) / n),
        "ms_between": ms_between,
        "ms_within": ms_within,
        "ms_raters": ms_raters,
        "ms_error": ms_error,
    }


def _ratio(top: float, bottom: float) -> float | None:
    return top / bottom if bottom else None
