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
  items over the square root of the two variances, from ``C`` (psych's ``r.drop``);
- with ``R`` the item correlation matrix (pairwise correlations, 1 on the diagonal) and
  ``smc`` each item's squared multiple correlation ``1 - 1 / diag(R⁻¹)``: Guttman's lambda 6
  ``1 - (k - sum(smc)) / sum(R)``; the average and median of the correlations between distinct
  items; signal-to-noise ``k r / (1 - r)``; an item's standardized item-total correlation
  ``colsum(R) / sqrt(sum(R))``, and with ``smc`` on the diagonal (``r.cor``); its raw item-total
  correlation with each respondent's mean of answered items (``raw.r``);
- alpha's asymptotic standard error (Duhachek and Iacobucci, 2004) and, at a chosen level,
  Feldt's interval ``1 - (1 - alpha) F(1 ∓ (1 - level) / 2; n - 1, (n - 1)(k - 1))`` and
  Duhachek's ``alpha ± z se`` (psych prints it with ``z = 1.96``; here ``z`` is the exact
  normal quantile of the level), ``n`` all respondents (listwise: the complete ones);
- response frequencies per item: the share of each answer among those who answered, before
  reverse keying, and the share who did not answer.

"Not applicable" answers count as missing. Single-item scales have no alpha, and say so.
Every figure is checked against psych 2.5.3 on its ``bfi`` data, pairwise and listwise, to
1e-12 (``tests/fixtures/psych_alpha.json``, made by ``scripts/reliability_fixtures.R``).
"""

from __future__ import annotations

import math
import statistics

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, combinations
from statistics import NormalDist
from typing import Any, Final, Literal

from attrs import frozen

from leadscore._checks import quoted
from leadscore._correlations import (
    PYTHON,
    Algebra,
    BlockSums,
    Matrix,
    column_rs,
    correlation_matrix,
    lambda_6_of,
    omega_total_of,
    one_factor,
    squared_multiple_correlations,
    standardized_alpha,
)
from leadscore._model import Instrument
from leadscore._plan import Plan, ScaleRule, compiled
from leadscore._registry import resolve
from leadscore._scoring import Answers, answer_sets_of
from leadscore._stats import cross_products, mean, mean_or_none, sd
from leadscore._views import AboutInstrument, ById
from leadscore.errors import InvalidArgumentError


__all__ = ["ItemStatistics", "ReliabilityReport", "ScaleReliability", "pure_report"]

# For the array engine of leadscore.analysis: check_options, kept_rows, omega_from, ScaleMoments, report_of.

Missing = Literal["pairwise", "listwise"]

#: What `omega_total` is: the figure psych's ``omega(x, nfactors = 1, fm = "minres")`` reports as ``omega.tot``.
OMEGA_METHOD: Final = (
    "omega total (McDonald, 1999): (sum(R) - sum(u2)) / sum(R), u2 = 1 - loading^2 of a one-factor "
    "minimum-residual (unweighted least squares) fit of the keyed items' correlation matrix R, each "
    "communality at most 0.995, as psych's omega(nfactors = 1, fm = 'minres') reports omega.tot"
)


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
        corrected_item_total: Its correlation with the sum of the scale's other items, or None
            (psych's ``r.drop``).
        item_total: Its correlation with the scale score, the mean of each respondent's
            answered items, itself included (psych's ``raw.r``), or None.
        item_total_standardized: The same from the item correlation matrix: the column sum of
            ``R`` over the square root of its total (psych's ``std.r``), or None.
        item_total_smc: As the standardized one, with each item's squared multiple correlation
            in place of its 1 on the diagonal of ``R``, correcting for the item's overlap with
            itself (psych's ``r.cor``), or None.
        alpha_standardized_if_deleted: The scale's standardized alpha without this item, or
            None (fewer than three items).
        frequencies: The share of each answer among those who answered, for every point of
            the item's response scale, as (answer, share) pairs; its answers as given, before
            reverse keying (as psych's ``response.freq``).
        missing_share: The share of respondents who did not answer it (or answered "not applicable").
        negatively_keyed: True when its corrected item-total correlation is below 0 (by more
            than 1e-12, the reach of rounding): as keyed,
            it runs against the rest of the scale. leadscore never re-keys from data; the
            instrument's author decides.
        loading: Its loading on the one factor behind `ScaleReliability.omega_total`, or None.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *item_total*, *item_total_standardized*, *item_total_smc*,
       *alpha_standardized_if_deleted*, *frequencies*, *missing_share*, *negatively_keyed*.
    """

    id: str
    n_respondents: int
    mean: float | None
    sd: float | None
    alpha_if_deleted: float | None
    corrected_item_total: float | None
    item_total: float | None = None
    item_total_standardized: float | None = None
    item_total_smc: float | None = None
    alpha_standardized_if_deleted: float | None = None
    frequencies: tuple[tuple[int, float], ...] = ()
    missing_share: float | None = None
    negatively_keyed: bool = False
    loading: float | None = None


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
        alpha_se: The asymptotic standard error of raw alpha (Duhachek and Iacobucci, 2004;
            psych's ``ase``), or None.
        alpha_ci_feldt: Feldt's interval for alpha at the report's `level`, (lower, upper), or
            None (no level asked for, no alpha, or an alpha above 1, which pairwise
            covariances of sparse data can give).
        alpha_ci_duhachek: Duhachek's interval, ``alpha ± z * alpha_se``, or None.
        average_r: The mean correlation between distinct items, or None.
        median_r: Their median, or None.
        signal_to_noise: ``k * average_r / (1 - average_r)``, or None.
        lambda_6: Guttman's lambda 6, ``1 - (k - sum(smc)) / sum(R)``, each item's squared
            multiple correlation with the others from ``R`` (psych's ``G6(smc)``), or None.
        mean: The mean scale score, each respondent's mean of answered (keyed) items, or None.
        sd: Its standard deviation (``n - 1``), or None.
        negatively_keyed: The items whose corrected item-total correlation is below 0.
        omega_total: McDonald's omega total from a one-factor minimum-residual fit of ``R``
            (see `ReliabilityReport.omega_method`), or None.
        omega_ci_bootstrap: The percentile bootstrap interval of omega total at the report's
            `level` (see `ReliabilityReport.bootstrap`), or None.
        omega_replicates: How many bootstrap samples gave an omega (those that did not, such
            as a sample where an item does not vary, are left out of the interval).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *alpha_se*, *alpha_ci_feldt*, *alpha_ci_duhachek*, *average_r*, *median_r*,
       *signal_to_noise*, *lambda_6*, *mean*, *sd*, *negatively_keyed*, *omega_total*,
       *omega_ci_bootstrap*, *omega_replicates*.
    """

    id: str
    n_items: int
    n_respondents: int
    alpha: float | None
    alpha_standardized: float | None
    items: ById[ItemStatistics]
    reason: str | None
    alpha_se: float | None = None
    alpha_ci_feldt: tuple[float, float] | None = None
    alpha_ci_duhachek: tuple[float, float] | None = None
    average_r: float | None = None
    median_r: float | None = None
    signal_to_noise: float | None = None
    lambda_6: float | None = None
    mean: float | None = None
    sd: float | None = None
    negatively_keyed: tuple[str, ...] = ()
    omega_total: float | None = None
    omega_ci_bootstrap: tuple[float, float] | None = None
    omega_replicates: int = 0


@frozen(kw_only=True)
class ReliabilityReport(AboutInstrument):
    """
    Alpha for every scale of an instrument (and the instrument, as every report names it).

    Attributes:
        missing: How missing answers were handled: ``"pairwise"`` or ``"listwise"``.
        n_respondents: How many answer sets were used: those given, less those excluded.
        scales: Per scale, its reliability, by scale id in the instrument's order.
        level: The confidence level of the intervals, or None (none asked for).
        omega_method: Which omega `ScaleReliability.omega_total` is, and how it was fitted.
        excluded: The answer sets the caller set aside (``exclude=``), by position or by the
            frame's index label; ``len(excluded)`` is how many.
        bootstrap: How many bootstrap samples of the respondents (drawn with replacement, as
            many as were used) gave omega's interval, or None.
        seed: The seed of those samples (NumPy's default generator, PCG64), or None.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *level*, *excluded*, *bootstrap*, *seed*.
    """

    missing: Missing
    n_respondents: int
    scales: ById[ScaleReliability]
    level: float | None = None
    omega_method: str = OMEGA_METHOD
    excluded: tuple[Hashable, ...] = ()
    bootstrap: int | None = None
    seed: int | None = None


def pure_report(
    instrument: Instrument | str,
    answer_sets: Iterable[Answers],
    *,
    missing: Missing = "pairwise",
    level: float | None = None,
    exclude: Iterable[int] = (),
) -> ReliabilityReport:
    """
    Compute Cronbach's alpha, and the figures psych's ``alpha`` gives, for every scale of *instrument*.

    This is the pure-Python engine, for answer mappings: `leadscore.reliability` uses it where
    NumPy is not installed, and otherwise `leadscore.analysis`'s array engine, which also
    takes DataFrames. Both give the same figures (to rounding: they are tested against each
    other and against psych).

    Args:
        instrument: The instrument, or its id.
        answer_sets: The respondents' answers, validated as `leadscore.score` does.
        missing: ``"pairwise"`` (default, as psych's ``alpha``) or ``"listwise"``.
        level: A confidence level between 0 and 1 (such as 0.95) for Feldt's and Duhachek's
            intervals of alpha; they need the ``analysis`` extra (SciPy, for the F quantile).
        exclude: Positions of answer sets to set aside (they are still validated).

    Raises:
        InvalidAnswersError: At the first invalid answer set, with its row.
        ValueError: If *missing* is neither, *level* is not between 0 and 1, or *exclude*
            names a position that is not there.
        ImportError: If *level* is given without the ``analysis`` extra.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *level*, and every figure but alpha, standardized alpha, alpha if deleted and the
       corrected item-total correlation.
    """
    check_options(missing, level)
    instrument = resolve(instrument)
    plan = compiled(instrument)
    rows = [plan.validated(answers, row)[0] for row, answers in enumerate(answer_sets_of(answer_sets))]
    kept, excluded = kept_rows(range(len(rows)), exclude)
    rows = [row for row, keep in zip(rows, kept, strict=True) if keep]
    moments = [row_moments(rule, plan, rows, missing) for rule in plan.scales]
    return report_of(instrument, len(rows), missing, level, moments, excluded=excluded)


def kept_rows(labels: Sequence[Any], exclude: Iterable[Any]) -> tuple[list[bool], tuple[Any, ...]]:
    """
    For each row (by its label), whether it is kept (not among *exclude*); and the labels set aside.

    Raises:
        ValueError: Naming every label of *exclude* that labels no row.
    """
    if isinstance(exclude, (str, bytes)) or not isinstance(exclude, Iterable):
        raise InvalidArgumentError(f"exclude must be a collection of rows (got {quoted(exclude)})")
    excluded = dict.fromkeys(exclude)
    if not excluded:
        return [True] * len(labels), ()
    known = set(labels)
    unknown = [label for label in excluded if label not in known]
    if unknown:
        listed = ", ".join(quoted(label) for label in unknown)
        raise InvalidArgumentError(f"exclude names rows that are not there: {listed}")
    kept = [label not in excluded for label in labels]
    return kept, tuple(label for label, keep in zip(labels, kept, strict=True) if not keep)


def check_options(missing: object, level: object) -> None:
    """Refuse a *missing* that is neither choice and a *level* that is not a number between 0 and 1."""
    if not (isinstance(missing, str) and missing in {"pairwise", "listwise"}):
        raise InvalidArgumentError(f"missing must be 'pairwise' or 'listwise' (got {quoted(missing)})")
    if level is not None and not (isinstance(level, (int, float)) and not isinstance(level, bool) and 0 < level < 1):
        raise InvalidArgumentError(f"level must be a number between 0 and 1, such as 0.95 (got {quoted(level)})")


@frozen(kw_only=True)
class ScaleMoments:
    """
    What a scale's figures are computed from: the part of the work that reads every respondent.

    The pure-Python engine (`row_moments`) and the array engine of `leadscore.analysis` each
    compute these; `report_of` turns them into every figure, the same way for both.

    Attributes:
        rule: The scale.
        n: The respondents used (listwise: those who answered every item).
        cov: The keyed items' covariances (``n - 1``), pairwise or listwise, by (row, column)
            position in the scale; None where fewer than two respondents answered both.
        corr: Their correlations for each pair (i, j), i < j; None where either has no variance.
        n_pairs: The fewest respondents behind any covariance.
        means: Each item's mean keyed answer, or None.
        counts: How many answered each item.
        item_total: Each item's correlation with the mean of each respondent's answered items, or None.
        frequencies: Per item, (answer, share of those who answered) for every point of its scale.
        missing_shares: Per item, the share of respondents who did not answer it; None without any.
        score_mean: The mean of the respondents' scale scores (mean of answered items), or None.
        score_sd: Their standard deviation (``n - 1``), or None.
    """

    rule: ScaleRule
    n: int
    cov: Mapping[tuple[int, int], float | None]
    corr: Mapping[tuple[int, int], float | None]
    n_pairs: int
    means: Sequence[float | None]
    counts: Sequence[int]
    item_total: Sequence[float | None]
    frequencies: Sequence[tuple[tuple[int, float], ...]]
    missing_shares: Sequence[float | None]
    score_mean: float | None
    score_sd: float | None


def row_moments(rule: ScaleRule, plan: Plan, rows: list[list[Any]], missing: Missing) -> ScaleMoments:
    """A scale's moments from validated answer rows (answers by item position, None where not answered)."""
    k = rule.n_items
    if missing == "listwise":
        rows = [row for row in rows if all(row[p] is not None for p in rule.positions)]
    data = [rule.keyed(row) for row in rows]
    cov, n_pairs, corr = _moments(data, k)
    columns = list(zip(*data, strict=True)) if data else [()] * k
    totals = [mean_or_none(values) for values in data]  # psych's scale score: the mean of answered items.
    scored = [t for t in totals if t is not None]
    frequencies = []
    missing_shares = []
    for position in rule.positions:
        answered = [row[position] for row in rows if row[position] is not None]
        item = plan.items[position]
        frequencies.append(
            tuple((value, answered.count(value) / len(answered)) for value in range(item.low, item.high + 1))
            if answered
            else ()
        )
        missing_shares.append(1 - len(answered) / len(rows) if rows else None)
    return ScaleMoments(
        rule=rule,
        n=len(data),
        cov=cov,
        corr=corr,
        n_pairs=min(n_pairs.values()),
        means=[mean_or_none(column) for column in columns],
        counts=[sum(v is not None for v in column) for column in columns],
        item_total=[
            _correlation([(t, v[i]) for t, v in zip(totals, data, strict=True) if t is not None and v[i] is not None])
            for i in range(k)
        ],
        frequencies=frequencies,
        missing_shares=missing_shares,
        score_mean=mean(scored) if scored else None,
        score_sd=sd(scored) if len(scored) > 1 else None,
    )


def report_of(
    instrument: Instrument,
    n_respondents: int,
    missing: Missing,
    level: float | None,
    moments: Iterable[ScaleMoments],
    *,
    excluded: tuple[Hashable, ...] = (),
    algebra: Algebra = PYTHON,
) -> ReliabilityReport:
    """The report of every scale's figures, from each scale's moments (options already checked), by *algebra*."""
    listed = list(moments)
    plan = compiled(instrument)
    # The F quantiles of every scale's degrees of freedom in one call: SciPy's cost is per call.
    quantiles = (
        _quantiles(float(level), [(m.n - 1, (m.n - 1) * (m.rule.n_items - 1)) for m in listed])
        if level is not None
        else [None] * len(listed)
    )
    return ReliabilityReport(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        fingerprint=plan.fingerprint,
        missing=missing,
        n_respondents=n_respondents,
        scales=ById(_scale(scale, plan, q, algebra) for scale, q in zip(listed, quantiles, strict=True)),
        level=None if level is None else float(level),
        excluded=excluded,
    )


def _quantiles(level: float, dfs: list[tuple[int, int]]) -> list[tuple[float, float, float]]:
    """
    Per pair of degrees of freedom, what the intervals need at *level*: the normal quantile and F's two.

    A pair with a degree of freedom below 1 (a scale without respondents or items to spare)
    gets NaN quantiles; such a scale has no alpha to give an interval of.
    """
    try:
        from scipy.stats import f as f_distribution  # type: ignore[import-untyped]  # noqa: PLC0415 - the analysis extra
    except ImportError as error:
        raise ImportError("confidence intervals of alpha need SciPy: pip install 'leadscore[analysis]'") from error
    tail = (1 - level) / 2
    z = NormalDist().inv_cdf(1 - tail)
    first = [max(df1, 0) for df1, _ in dfs]
    second = [max(df2, 0) for _, df2 in dfs]
    low = f_distribution.ppf(tail, first, second).tolist()
    high = f_distribution.ppf(1 - tail, first, second).tolist()
    return [(z, a, b) for a, b in zip(low, high, strict=True)]


def _scale(
    moments: ScaleMoments, plan: Plan, quantiles: tuple[float, float, float] | None, algebra: Algebra
) -> ScaleReliability:
    rule = moments.rule
    k = rule.n_items
    cov, corr = moments.cov, moments.corr
    reason = None
    if k == 1:
        reason = "a single-item scale has no alpha"
    elif any(value is None for value in cov.values()):
        reason = "too few respondents answered both items of a pair"
    # The covariances as rows: without a reason, every one exists.
    c: Matrix | None = None if reason else [[cov[i, j] for j in range(k)] for i in range(k)]  # type: ignore[misc]
    sums = None if c is None else algebra.sums(c)
    alpha = None if sums is None else _alpha(sums)
    if alpha is None:
        reason = reason or "the items' total variance is 0"
    # The correlation matrix R, 1 on its diagonal, when every correlation exists.
    r = correlation_matrix(corr, k) if alpha is not None else None
    r_sums = algebra.sums(r) if r is not None else None
    r_total = r_sums.block() if r_sums is not None else None
    smc = squared_multiple_correlations(r, algebra) if r is not None else None
    loadings = one_factor(r, smc, algebra) if r is not None else None
    standardized_r = column_rs(r, None) if r is not None else [None] * k
    smc_r = column_rs(r, smc) if r is not None and smc is not None else [None] * k
    items = []
    for i, position in enumerate(rule.positions):
        r_drop = _r_drop(sums, cov, i) if sums is not None and alpha is not None else None
        items.append(
            ItemStatistics(
                id=plan.items[position].id,
                n_respondents=moments.counts[i],
                mean=moments.means[i],
                sd=_sqrt(cov[i, i]),
                alpha_if_deleted=_alpha(sums, i) if sums is not None and alpha is not None and k > 2 else None,
                corrected_item_total=r_drop,
                item_total=moments.item_total[i],
                item_total_standardized=standardized_r[i],
                item_total_smc=smc_r[i],
                alpha_standardized_if_deleted=standardized_alpha(r_sums, i) if r_sums is not None and k > 2 else None,
                frequencies=moments.frequencies[i],
                missing_share=moments.missing_shares[i],
                negatively_keyed=r_drop is not None and r_drop < -_ROUNDING,
                loading=loadings[i] if loadings is not None else None,
            )
        )
    off = [r[i][j] for i, j in combinations(range(k), 2)] if r is not None else []
    average = math.fsum(off) / len(off) if off else None
    se = _duhachek_se(c, moments.n) if c is not None and alpha is not None else None
    feldt = duhachek = None
    # No interval for an alpha above 1, which pairwise covariances of sparse data can give: the
    # intervals' theory has no such alpha (Feldt's bounds would come out in reverse).
    if quantiles is not None and alpha is not None and alpha <= 1:
        z, low_f, high_f = quantiles
        feldt = (1 - (1 - alpha) * high_f, 1 - (1 - alpha) * low_f)
        duhachek = (alpha - z * se, alpha + z * se) if se is not None else None
    return ScaleReliability(
        id=rule.id,
        n_items=k,
        n_respondents=moments.n_pairs,
        alpha=alpha,
        alpha_standardized=standardized_alpha(r_sums) if r_sums is not None else None,
        items=ById(items),
        reason=reason,
        alpha_se=se,
        alpha_ci_feldt=feldt,
        alpha_ci_duhachek=duhachek,
        average_r=average,
        median_r=statistics.median(off) if off else None,
        # An average r of 1, but for rounding, has no signal-to-noise (it would be near 1e16).
        signal_to_noise=k * average / (1 - average) if average is not None and 1 - average > 1e-12 else None,
        lambda_6=lambda_6_of(r_total, smc) if smc is not None else None,
        mean=moments.score_mean,
        sd=moments.score_sd,
        negatively_keyed=tuple(item.id for item in items if item.negatively_keyed),
        omega_total=omega_total_of(r_total, loadings) if loadings is not None else None,
    )


def omega_from(corr: Mapping[tuple[int, int], float | None], k: int, algebra: Algebra = PYTHON) -> float | None:
    """Omega total from a scale's correlations (each pair i < j), fitted as `reliability` fits it."""
    r = correlation_matrix(corr, k) if k > 1 else None
    if r is None:
        return None
    loadings = one_factor(r, squared_multiple_correlations(r, algebra), algebra)
    return omega_total_of(algebra.sums(r).block(), loadings) if loadings is not None else None


def _duhachek_se(c: Matrix, n: int) -> float | None:
    """
    Alpha's asymptotic standard error, ``sqrt(Q / n)`` (Duhachek and Iacobucci, 2004, as psych's ``alpha``).

    ``Q = 2 k² / ((k - 1)² S³) * (S (tr(C²) + tr(C)²) - 2 tr(C) sum(C²))``, ``S`` the sum of ``C``
    and ``n`` every respondent (psych's ``nsub``, all rows; listwise, the complete ones).
    """
    k = len(c)
    total = math.fsum(chain.from_iterable(c))
    trace = math.fsum(c[i][i] for i in range(k))
    trace_squared = math.fsum(v * v for v in chain.from_iterable(c))  # tr(C²) = sum of C's squares, C symmetric
    sum_squared = math.fsum(math.fsum(row) ** 2 for row in c)  # sum(C C), C symmetric
    q = (2 * k**2 / ((k - 1) ** 2 * total**3)) * (total * (trace_squared + trace**2) - 2 * trace * sum_squared)
    return math.sqrt(q / n) if q >= 0 and n > 0 else None


def _correlation(pairs: list[tuple[float, float]]) -> float | None:
    if len(pairs) < 2:
        return None
    sxy, sxx, syy = cross_products([p[0] for p in pairs], [p[1] for p in pairs])
    return _r(sxy, sxx, syy)


def _r(sxy: float, sxx: float, syy: float) -> float | None:
    """Pearson's r from the cross products of two columns; None where either has no variance."""
    return sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else None


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
            corr[i, j] = _r(sxy, sxx, syy)
    return cov, counts, corr


def _alpha(sums: BlockSums, leaving: int | None = None) -> float | None:
    """Alpha of every item of *sums* (the covariances'), or of all but *leaving*: ``k/(k-1) (1 - tr(C)/sum(C))``."""
    total = sums.block(leaving)
    if total is None:  # A total variance of 0 (but for rounding) has no alpha.
        return None
    k = sums.k - (leaving is not None)
    return k / (k - 1) * (1 - sums.trace(leaving) / total)


#: A correlation this close to 0 is 0 but for rounding: the keying audit does not call it
#: negative (the two engines' covariances differ in their last bits; a case found gave
#: -1.5e-17 in one and 0.0 in the other for a correlation that is exactly 0).
_ROUNDING = 1e-12


def _r_drop(sums: BlockSums, cov: Mapping[tuple[int, int], float | None], i: int) -> float | None:
    """Item *i*'s correlation with the sum of the others, from the covariances (and their *sums*)."""
    # The rest's variance, None where it is 0 but for rounding (pairwise covariances can cancel).
    rest_variance = sums.block(i)
    item_variance = cov[i, i]
    if not item_variance or rest_variance is None or rest_variance <= 0:
        return None
    return sums.others(i) / math.sqrt(item_variance * rest_variance)


def _sqrt(value: float | None) -> float | None:
    return math.sqrt(value) if value is not None and value >= 0 else None
