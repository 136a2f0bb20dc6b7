"""
Internal consistency of an instrument's scales on a set of answers: Cronbach's alpha.

The definitions are those of R's psych (`alpha`) and pingouin (`cronbach_alpha`):

- items are keyed from the instrument first (reverse-keyed items as ``min + max - answer``);
- the item covariance matrix ``C`` uses ``n - 1``; with ``missing="pairwise"`` (the default,
  as in psych) each covariance uses the respondents who answered both items, and each
  variance those who answered the item; with ``"listwise"`` only respondents who answered
  every item of the scale count;
- raw alpha is ``k / (k - 1) * (1 - trace(C) / sum(C))``;
- standardized alpha is ``k * r / (1 + (k - 1) * r)``, ``r`` the mean correlation between
  distinct items, each correlation computed directly from the pair's respondents (psych
  2.4.1 and later; before, psych took ``r`` from the pairwise covariances, which differs
  when answers are missing);
- alpha if an item is deleted is the raw alpha of the remaining items' covariance matrix;
- the corrected item-total correlation of an item is its covariance with the sum of the other
  items over the square root of the two variances, from ``C`` (psych's ``r.drop``).

"Not applicable" answers count as missing. Single-item scales have no alpha, and say so.
Checked against psych 2.5.3 on its ``bfi`` data (``tests/test_reliability.py``).
"""

from __future__ import annotations

import math

from collections.abc import Iterable, Iterator, Mapping
from itertools import combinations
from typing import Any, Literal

from attrs import frozen

from leadscore._checks import quoted
from leadscore._deprecation import entries, renamed
from leadscore._model import Instrument
from leadscore._plan import ScaleRule, compiled
from leadscore._registry import resolve
from leadscore._scoring import Answers, answer_sets_of
from leadscore._stats import cross_products, mean, mean_or_none
from leadscore._views import AboutInstrument, ById
from leadscore.errors import InvalidArgumentError


__all__ = ["ItemStatistics", "ReliabilityReport", "ScaleReliability", "reliability"]

Missing = Literal["pairwise", "listwise"]


@frozen(kw_only=True)
class ItemStatistics:
    """
    One item of a scale, keyed as the scale keys it.

    Attributes:
        id: The item.
        n_respondents: How many respondents answered it (after listwise deletion, if chosen).
        mean: Its mean keyed answer, or None.
        sd: Its standard deviation (``n - 1``), or None.
        alpha_if_deleted: The scale's raw alpha without this item, or None (fewer than three items).
        corrected_item_total: Its correlation with the sum of the scale's other items, or None.

    .. versionadded:: 0.1.0
    """

    id: str
    n_respondents: int
    mean: float | None
    sd: float | None
    alpha_if_deleted: float | None
    corrected_item_total: float | None

    item_id = renamed("item_id", "id")
    n = renamed("n", "n_respondents")


@frozen(kw_only=True)
class ScaleReliability:
    """
    Cronbach's alpha for one scale.

    Attributes:
        id: The scale.
        n_items: How many items it has.
        n_respondents: Respondents used: with listwise deletion, those who answered every
            item; pairwise, the fewest respondents behind any covariance.
        alpha: Raw alpha, or None (see `reason`).
        alpha_standardized: Standardized alpha, or None (also where the mean inter-item
            correlation is -1 / (k - 1), which leaves it undefined).
        items: Per-item statistics by item id, in the scale's order.
        reason: Why there is no alpha, or None.

    .. versionadded:: 0.1.0
    """

    id: str
    n_items: int
    n_respondents: int
    alpha: float | None
    alpha_standardized: float | None
    items: ById[ItemStatistics]
    reason: str | None

    scale_id = renamed("scale_id", "id")
    n = renamed("n", "n_respondents")


@frozen(kw_only=True)
class ReliabilityReport(AboutInstrument):
    """
    Alpha for every scale of an instrument (and the instrument, as every report names it).

    Attributes:
        missing: How missing answers were handled: ``"pairwise"`` or ``"listwise"``.
        n_respondents: How many answer sets were given.
        scales: Per scale, its reliability, by scale id in the instrument's order.

    .. versionadded:: 0.1.0
    """

    missing: Missing
    n_respondents: int
    scales: ById[ScaleReliability]

    n_responses = renamed("n_responses", "n_respondents")
    results = renamed("results", "scales", entries)


def reliability(
    instrument: Instrument | str, answer_sets: Iterable[Answers], *, missing: Missing = "pairwise"
) -> ReliabilityReport:
    """
    Compute Cronbach's alpha for every scale of *instrument* on *answer_sets*.

    Args:
        instrument: The instrument, or its id.
        answer_sets: The respondents' answers, validated as `leadscore.score` does.
        missing: ``"pairwise"`` (default, as psych's ``alpha``) or ``"listwise"``.

    Raises:
        InvalidAnswersError: At the first invalid answer set, with its row.
        ValueError: If *missing* is neither.

    .. versionadded:: 0.1.0
    """
    given: object = missing  # Whatever came in, whatever its annotation says.
    if not (isinstance(given, str) and given in {"pairwise", "listwise"}):
        raise InvalidArgumentError(f"missing must be 'pairwise' or 'listwise' (got {quoted(missing)})")
    instrument = resolve(instrument)
    plan = compiled(instrument)
    rows = [plan.validated(answers, row)[0] for row, answers in enumerate(answer_sets_of(answer_sets))]
    return ReliabilityReport(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        fingerprint=plan.fingerprint,
        missing=missing,
        n_respondents=len(rows),
        scales=ById(_scale(rule, [plan.items[p].id for p in rule.positions], rows, missing) for rule in plan.scales),
    )


def _scale(rule: ScaleRule, item_ids: list[str], rows: list[list[Any]], missing: Missing) -> ScaleReliability:
    k = rule.n_items
    data = [rule.keyed(row) for row in rows]
    if missing == "listwise":
        data = [values for values in data if None not in values]
    cov, n_pairs, corr = _moments(data, k)
    columns = list(zip(*data, strict=True)) if data else [()] * k
    means = [mean_or_none(column) for column in columns]
    counts = [sum(v is not None for v in column) for column in columns]
    n_used = min(n_pairs.values())
    reason = None
    if k == 1:
        reason = "a single-item scale has no alpha"
    elif any(value is None for value in cov.values()):
        reason = "too few respondents answered both items of a pair"
    alpha = None if reason else _alpha(cov, range(k))
    if alpha is None:
        reason = reason or "the items' total variance is 0"
    correlations = [corr[pair] for pair in combinations(range(k), 2)]
    standardized = None
    if alpha is not None and None not in correlations:
        mean_r = mean(correlations)  # type: ignore[arg-type]
        # k r / (1 + (k - 1) r) has no value where the mean correlation is -1 / (k - 1).
        if 1 + (k - 1) * mean_r != 0:
            standardized = k * mean_r / (1 + (k - 1) * mean_r)
    items = ById(
        ItemStatistics(
            id=item_id,
            n_respondents=counts[i],
            mean=means[i],
            sd=_sqrt(cov[i, i]),
            alpha_if_deleted=_alpha(cov, [j for j in range(k) if j != i]) if alpha is not None and k > 2 else None,
            corrected_item_total=_r_drop(cov, i, k) if alpha is not None else None,
        )
        for i, item_id in enumerate(item_ids)
    )
    return ScaleReliability(
        id=rule.id,
        n_items=k,
        n_respondents=n_used,
        alpha=alpha,
        alpha_standardized=standardized,
        items=items,
        reason=reason,
    )


def _pairs(data: list[list[Any]], i: int, j: int) -> Iterator[tuple[int, int]]:
    for values in data:
        if values[i] is not None and values[j] is not None:
            yield values[i], values[j]


def _moments(
    data: list[list[Any]], k: int
) -> tuple[dict[tuple[int, int], float | None], dict[tuple[int, int], int], dict[tuple[int, int], float | None]]:
    """Pairwise covariances (n - 1), their counts, and pairwise correlations."""
    cov: dict[tuple[int, int], float | None] = {}
    counts: dict[tuple[int, int], int] = {}
    corr: dict[tuple[int, int], float | None] = {}
    for i in range(k):
        for j in range(i, k):
            pairs = list(_pairs(data, i, j))
            counts[i, j] = len(pairs)
            if len(pairs) < 2:
                cov[i, j] = cov[j, i] = None
                corr[i, j] = None
                continue
            sxy, sxx, syy = cross_products([p[0] for p in pairs], [p[1] for p in pairs])
            cov[i, j] = cov[j, i] = sxy / (len(pairs) - 1)
            corr[i, j] = sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else None
    return cov, counts, corr


def _alpha(cov: Mapping[tuple[int, int], float | None], members: Iterable[int]) -> float | None:
    chosen = list(members)
    k = len(chosen)
    total = math.fsum(cov[i, j] for i in chosen for j in chosen)  # type: ignore[misc]
    if total == 0:
        return None
    trace = math.fsum(cov[i, i] for i in chosen)  # type: ignore[misc]
    return k / (k - 1) * (1 - trace / total)


def _r_drop(cov: Mapping[tuple[int, int], float | None], i: int, k: int) -> float | None:
    rest = [j for j in range(k) if j != i]
    with_rest = math.fsum(cov[i, j] for j in rest)  # type: ignore[misc]
    rest_variance = math.fsum(cov[j, m] for j in rest for m in rest)  # type: ignore[misc]
    item_variance = cov[i, i]
    if not item_variance or rest_variance <= 0:
        return None
    return with_rest / math.sqrt(item_variance * rest_variance)


def _sqrt(value: float | None) -> float | None:
    return math.sqrt(value) if value is not None and value >= 0 else None
