"""The array engine of `leadscore.analysis`: every respondent read at once, with NumPy."""

from __future__ import annotations

import math

from collections.abc import Hashable, Iterable, Mapping
from itertools import combinations
from typing import Any

import attrs
import numpy as np

from leadscore._consistency import Missing, ReliabilityReport, ScaleMoments, kept_rows, omega_from, report_of
from leadscore._model import Instrument
from leadscore._plan import Plan, ScaleRule, compiled
from leadscore._views import ById
from leadscore.analysis._algebra import NumPyAlgebra
from leadscore.analysis._answers import answer_matrix


__all__ = ["array_report", "correlations", "masked_correlations", "moments"]

# A sum of squared deviations at most this share of the sum of squares is 0 but for rounding.
_ROUNDING = 1e-12


def array_report(
    instrument: Instrument,
    answer_sets: Any,
    *,
    missing: Missing,
    level: float | None,
    mapping: Mapping[Hashable, str] | None,
    ignore: Iterable[Hashable],
    exclude: Iterable[Hashable],
    bootstrap: int | None = None,
    seed: int | None = None,
) -> ReliabilityReport:
    """`leadscore.analysis.reliability` with arrays (options already checked)."""
    matrix, frame = answer_matrix(instrument, answer_sets, mapping=mapping, ignore=ignore)
    kept, excluded = kept_rows(frame.index if frame is not None else range(len(matrix)), exclude)
    if excluded:
        matrix = matrix[np.array(kept, dtype=bool)]
    plan = compiled(instrument)
    found = [moments(rule, plan, matrix, missing) for rule in plan.scales]
    report = report_of(instrument, len(matrix), missing, level, found, excluded=excluded, algebra=NumPyAlgebra())
    if bootstrap is None or level is None:
        return report
    intervals = _bootstrap(plan, matrix, missing, level, samples=bootstrap, seed=seed)
    scales = ById(
        attrs.evolve(scale, omega_ci_bootstrap=interval, omega_replicates=count)
        for scale, (interval, count) in zip(report.scales.values(), intervals, strict=True)
    )
    return attrs.evolve(report, scales=scales, bootstrap=bootstrap, seed=seed)


def _bootstrap(
    plan: Plan, matrix: np.ndarray, missing: Missing, level: float, *, samples: int, seed: int | None
) -> list[tuple[tuple[float, float] | None, int]]:
    """
    Per scale, omega total's percentile interval over *samples* resamples of the rows, and how many gave one.

    Each sample draws as many rows as there are, with replacement, from NumPy's default
    generator seeded with *seed*; every scale is computed on the same samples. The interval's
    ends are the (1 - level) / 2 and (1 + level) / 2 quantiles of the omegas (NumPy's linear
    interpolation: R's type 7).
    """
    generator = np.random.default_rng(seed)
    n = len(matrix)
    omegas: list[list[float]] = [[] for _ in plan.scales]
    for _ in range(samples):
        sample = matrix[generator.integers(0, n, n)] if n else matrix
        for index, rule in enumerate(plan.scales):
            value = omega_from(_keyed_correlations(rule, sample, missing), rule.n_items, NumPyAlgebra())
            if value is not None:
                omegas[index].append(value)
    tail = (1 - level) / 2
    return [
        ((float(np.quantile(values, tail)), float(np.quantile(values, 1 - tail))) if values else None, len(values))
        for values in omegas
    ]


def _keyed_correlations(rule: ScaleRule, matrix: np.ndarray, missing: Missing) -> dict[tuple[int, int], float | None]:
    """A scale's correlations of keyed answers, as `moments` computes them."""
    keyed = matrix[:, list(rule.positions)]
    if missing == "listwise":
        keyed = keyed[~np.isnan(keyed).any(axis=1)]
    reverse = [i for i, position in enumerate(rule.positions) if position in rule.reverse]
    if reverse:
        keyed[:, reverse] = rule.offset - keyed[:, reverse]
    return correlations(keyed)


def moments(rule: ScaleRule, plan: Plan, matrix: np.ndarray, missing: Missing) -> ScaleMoments:
    """A scale's moments from the answer *matrix* (respondents by items, NaN where not answered)."""
    raw = matrix[:, list(rule.positions)]
    answered = ~np.isnan(raw)
    if missing == "listwise":
        raw = raw[answered.all(axis=1)]
        answered = np.ones(raw.shape, dtype=bool)  # What is left answered every item.
    n, k = raw.shape
    keyed = raw.copy()
    reverse = [i for i, position in enumerate(rule.positions) if position in rule.reverse]
    if reverse:
        keyed[:, reverse] = rule.offset - keyed[:, reverse]
    found = (_complete if n and answered.all() else _pairwise)(keyed, answered)
    counts, means, cov, corr, pair_n, variances, totals, item_total = found
    cov_cells: dict[tuple[int, int], float | None] = {}
    cov_list, pair_list = cov.tolist(), pair_n.tolist()
    for i in range(k):
        for j in range(k):
            cov_cells[i, j] = cov_list[i][j] if pair_list[i][j] >= 2 else None
    corr_cells = _correlations(corr, pair_n, variances)
    scored = totals[~np.isnan(totals)]
    counted = counts.tolist()
    return ScaleMoments(
        rule=rule,
        n=n,
        cov=cov_cells,
        corr=corr_cells,
        n_pairs=int(pair_n.min()) if k else 0,
        means=[None if c == 0 else m for m, c in zip(means.tolist(), counted, strict=True)],
        counts=counted,
        item_total=item_total,
        frequencies=_frequencies(raw, answered, [plan.items[p] for p in rule.positions]),
        missing_shares=[1 - c / n if n else None for c in counted],
        score_mean=float(scored.mean()) if scored.size else None,
        score_sd=float(scored.std(ddof=1)) if scored.size > 1 else None,
    )


def correlations(matrix: np.ndarray) -> dict[tuple[int, int], float | None]:
    """
    The pairwise correlations of the columns of *matrix* (NaN where not answered), for i < j.

    None where fewer than two rows have both, or either has no variance over them.
    """
    answered = ~np.isnan(matrix)
    _, _, _, corr, pair_n, variances, _, _ = _pairwise(matrix, answered)
    return _correlations(corr, pair_n, variances)


def _correlations(corr: np.ndarray, pair_n: np.ndarray, variances: np.ndarray) -> dict[tuple[int, int], float | None]:
    corr_list, pair_list, variance_list = corr.tolist(), pair_n.tolist(), variances.tolist()
    cells: dict[tuple[int, int], float | None] = {}
    for i, j in combinations(range(len(corr_list)), 2):
        has = pair_list[i][j] >= 2 and variance_list[i][j] > 0 and variance_list[j][i] > 0
        cells[i, j] = corr_list[i][j] if has else None
    return cells


Found = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[float | None]]
"""Counts, means, covariances, correlations, pair counts, pair variances, scale scores, item-total r."""


def _complete(keyed: np.ndarray, answered: np.ndarray) -> Found:  # noqa: ARG001 - the signature of _pairwise
    """The moments where every respondent answered every item: one product of the centred answers."""
    n, k = keyed.shape
    means = keyed.mean(axis=0)
    centred = keyed - means
    sxy = centred.T @ centred
    diagonal = np.diagonal(sxy).copy()
    # A constant column is centred to exact zeros (its mean is exact): no variance, no correlation.
    variances = np.broadcast_to(diagonal[:, None], (k, k))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = sxy / np.sqrt(np.outer(diagonal, diagonal))
        totals = keyed.mean(axis=1)
        deviations = totals - totals.mean()
        spread = float(deviations @ deviations)
        item_r = (deviations @ centred) / np.sqrt(spread * diagonal)
    has = (diagonal > 0) & (spread > _ROUNDING * float(totals @ totals)) & (n >= 2)
    item_total = [float(r) if ok else None for r, ok in zip(item_r.tolist(), has.tolist(), strict=True)]
    pair_n = np.full((k, k), n)
    return np.full(k, n), means, sxy / (n - 1) if n > 1 else sxy * np.nan, corr, pair_n, variances, totals, item_total


def _pairwise(keyed: np.ndarray, answered: np.ndarray) -> Found:
    """The moments of each pair of items over the respondents who answered both."""
    flags = answered.astype("float64")
    counts = answered.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        means = np.where(answered, keyed, 0.0).sum(axis=0) / counts
        centred = np.where(answered, keyed - means, 0.0)
        pair_n = flags.T @ flags  # [i, j]: respondents who answered both.
        sums = centred.T @ flags  # [i, j]: the sum of item i's answers over those respondents.
        products = centred.T @ centred
        squares = (centred * centred).T @ flags
        sxy = products - sums * sums.T / pair_n
        sxx = squares - sums * sums / pair_n
        # A column constant over a pair's respondents has no variance: rounding must not give it one.
        sxx = np.where(sxx <= _ROUNDING * squares, 0.0, sxx)
        cov = sxy / (pair_n - 1)
        corr = sxy / np.sqrt(sxx * sxx.T)
        totals = np.where(answered, keyed, 0.0).sum(axis=1) / flags.sum(axis=1)  # NaN where none was answered.
    return counts, means, cov, corr, pair_n, sxx, totals, _item_totals(totals, keyed, answered)


def _item_totals(totals: np.ndarray, keyed: np.ndarray, answered: np.ndarray) -> list[float | None]:
    """Each item's correlation with the scale score (mean of answered items), over those who answered it."""
    # Every respondent who answered an item has a total.
    r = masked_correlations(np.broadcast_to(totals[:, None], keyed.shape), keyed, answered, axis=0)
    return [None if math.isnan(value) else value for value in r.tolist()]


def masked_correlations(x: np.ndarray, y: np.ndarray, both: np.ndarray, *, axis: int) -> np.ndarray:
    """
    Pearson's r of *x* with *y* along *axis*, over the cells where *both* is True; NaN where it has no value.

    No value: fewer than two cells, or a side without variance but for rounding (a
    straight-liner's answers, a constant item): not 0, not a quotient of rounding errors.
    """
    count = both.sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        xs = np.where(both, x, 0.0)
        ys = np.where(both, y, 0.0)
        dx = np.where(both, x - np.expand_dims(xs.sum(axis=axis) / count, axis), 0.0)
        dy = np.where(both, y - np.expand_dims(ys.sum(axis=axis) / count, axis), 0.0)
        sxx, syy = (dx * dx).sum(axis=axis), (dy * dy).sum(axis=axis)
        r = (dx * dy).sum(axis=axis) / np.sqrt(sxx * syy)
    varies = (sxx > _ROUNDING * (xs * xs).sum(axis=axis)) & (syy > _ROUNDING * (ys * ys).sum(axis=axis))
    return np.where((count >= 2) & varies, r, np.nan)


def _frequencies(raw: np.ndarray, answered: np.ndarray, items: list[Any]) -> list[tuple[tuple[int, float], ...]]:
    """
    Per item, the share of each answer from its lowest to its highest among those who answered.

    Answers as given, before reverse keying. One count over all the items: each item's answers
    are offset by its column's place, so a single `numpy.bincount` counts them all.
    """
    k = len(items)  # One or more: a scale has items.
    lows = np.array([item.low for item in items], dtype="int64")
    width = max(item.high - item.low for item in items) + 1
    codes = np.where(answered, raw, lows).astype("int64") - lows + np.arange(k) * width
    counts = np.bincount(codes[answered], minlength=k * width).reshape(k, width).tolist()
    out = []
    for item, row in zip(items, counts, strict=True):
        total = sum(row)
        points = row[: item.high - item.low + 1]
        out.append(tuple((item.low + i, count / total) for i, count in enumerate(points)) if total else ())
    return out
