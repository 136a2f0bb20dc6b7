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
from itertools import combinations
from statistics import NormalDist
from typing import Any, Final, Literal

from attrs import frozen

from leadscore._checks import quoted
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
        negatively_keyed: True when its corrected item-total correlation is below 0: as keyed,
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
) -> ReliabilityReport:
    """The report of every scale's figures, from each scale's moments (options already checked)."""
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
        scales=ById(_scale(scale, plan, q) for scale, q in zip(listed, quantiles, strict=True)),
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


def _scale(moments: ScaleMoments, plan: Plan, quantiles: tuple[float, float, float] | None) -> ScaleReliability:
    rule = moments.rule
    k = rule.n_items
    cov, corr = moments.cov, moments.corr
    reason = None
    if k == 1:
        reason = "a single-item scale has no alpha"
    elif any(value is None for value in cov.values()):
        reason = "too few respondents answered both items of a pair"
    alpha = None if reason else _alpha(cov, range(k))
    if alpha is None:
        reason = reason or "the items' total variance is 0"
    # The correlation matrix R, 1 on its diagonal, when every correlation exists.
    r = _correlation_matrix(corr, k) if alpha is not None else None
    smc = _smc(r, k) if r is not None else None
    loadings = _one_factor(r, k, smc) if r is not None else None
    standardized_r = _column_rs(r, k, None) if r is not None else [None] * k
    smc_r = _column_rs(r, k, smc) if r is not None and smc is not None else [None] * k
    items = []
    for i, position in enumerate(rule.positions):
        rest = [j for j in range(k) if j != i]
        r_drop = _r_drop(cov, i, k) if alpha is not None else None
        items.append(
            ItemStatistics(
                id=plan.items[position].id,
                n_respondents=moments.counts[i],
                mean=moments.means[i],
                sd=_sqrt(cov[i, i]),
                alpha_if_deleted=_alpha(cov, rest) if alpha is not None and k > 2 else None,
                corrected_item_total=r_drop,
                item_total=moments.item_total[i],
                item_total_standardized=standardized_r[i],
                item_total_smc=smc_r[i],
                alpha_standardized_if_deleted=_standardized(r, rest) if r is not None and k > 2 else None,
                frequencies=moments.frequencies[i],
                missing_share=moments.missing_shares[i],
                negatively_keyed=r_drop is not None and r_drop < 0,
                loading=loadings[i] if loadings is not None else None,
            )
        )
    off = [r[i, j] for i, j in combinations(range(k), 2)] if r is not None else []
    average = math.fsum(off) / len(off) if off else None
    se = _duhachek_se(cov, k, moments.n) if alpha is not None else None
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
        alpha_standardized=_standardized(r, range(k)) if r is not None else None,
        items=ById(items),
        reason=reason,
        alpha_se=se,
        alpha_ci_feldt=feldt,
        alpha_ci_duhachek=duhachek,
        average_r=average,
        median_r=statistics.median(off) if off else None,
        # An average r of 1, but for rounding, has no signal-to-noise (it would be near 1e16).
        signal_to_noise=k * average / (1 - average) if average is not None and 1 - average > 1e-12 else None,
        lambda_6=_lambda_6(r, k, smc) if r is not None and smc is not None else None,
        mean=moments.score_mean,
        sd=moments.score_sd,
        negatively_keyed=tuple(item.id for item in items if item.negatively_keyed),
        omega_total=_omega_total(r, loadings) if r is not None and loadings is not None else None,
    )


def omega_from(corr: Mapping[tuple[int, int], float | None], k: int) -> float | None:
    """Omega total from a scale's correlations (each pair i < j), fitted as `reliability` fits it."""
    r = _correlation_matrix(corr, k) if k > 1 else None
    if r is None:
        return None
    loadings = _one_factor(r, k, _smc(r, k))
    return _omega_total(r, loadings) if loadings is not None else None


def _correlation_matrix(corr: Mapping[tuple[int, int], float | None], k: int) -> dict[tuple[int, int], float] | None:
    """R, 1 on its diagonal, by (row, column); None when a correlation between two items has no value."""
    r: dict[tuple[int, int], float] = {}
    for i, j in combinations(range(k), 2):
        value = corr[i, j]
        if value is None:
            return None
        r[i, j] = r[j, i] = value
    return r | {(i, i): 1.0 for i in range(k)}


# A communality of at most 0.995, a uniqueness of at least 0.005: psych's bounds for minres.
_MAX_COMMUNALITY: Final = 0.995
_SWEEPS: Final = 1000


def _one_factor(r: Mapping[tuple[int, int], float], k: int, smc: list[float] | None) -> list[float] | None:
    """
    The loadings of a one-factor minimum-residual fit of *r*, or None if the fit does not settle.

    Minimum residual: the loadings ``l`` that minimise ``sum over i < j of (r_ij - l_i l_j)²``,
    the correlations between distinct items (unweighted least squares), each ``l_i²`` at most
    0.995 (psych's bound: a uniqueness of at least 0.005). From psych's start (the leading
    eigenvector of ``R`` with the squared multiple correlations on its diagonal, scaled by the
    root of its eigenvalue), Newton steps (Gauss-Newton ones where the Hessian is not positive
    definite), halved until the residual falls, run until no loading moves by more than 1e-13.
    Every step treats the items alike, so neither their order nor the direction they are keyed
    in changes the fit.
    """
    diagonal = smc if smc is not None else [0.5] * k
    found = _leading([[diagonal[i] if i == j else r[i, j] for j in range(k)] for i in range(k)], [1 / math.sqrt(k)] * k)
    if found is None:
        return None
    value, vector = found
    bound = math.sqrt(_MAX_COMMUNALITY)
    loadings = [max(-bound, min(bound, math.sqrt(max(value, 0.0)) * x)) for x in vector]
    pairs = list(combinations(range(k), 2))

    def loss(candidate: list[float]) -> float:
        return math.fsum((r[i, j] - candidate[i] * candidate[j]) ** 2 for i, j in pairs)

    current = loss(loadings)
    for _ in range(_SWEEPS):
        residual = {(i, j): r[i, j] - loadings[i] * loadings[j] for i in range(k) for j in range(k) if i != j}
        # The loss's Hessian (halved): Newton's step where it is positive definite, which
        # converges in a few sweeps near the optimum; else Gauss-Newton's, without the residuals.
        newton = [
            [
                math.fsum(loadings[j] ** 2 for j in range(k) if j != m)
                if m == n
                else 2 * loadings[m] * loadings[n] - r[m, n]
                for n in range(k)
            ]
            for m in range(k)
        ]
        factor = _cholesky(newton) or _cholesky(
            [[newton[m][n] if m == n else loadings[m] * loadings[n] for n in range(k)] for m in range(k)]
        )
        if factor is None:
            return None
        gradient = [math.fsum(residual[m, j] * loadings[j] for j in range(k) if j != m) for m in range(k)]
        step = _solve(factor, gradient)
        size = 1.0
        while size > 1e-10:
            trial = [max(-bound, min(bound, now + size * d)) for now, d in zip(loadings, step, strict=True)]
            trial_loss = loss(trial)
            if trial_loss <= current:
                break
            size /= 2
        else:
            return loadings  # No step lowers the residual: the fit is where it can be.
        moved = max(abs(a - b) for a, b in zip(trial, loadings, strict=True))
        loadings, current = trial, trial_loss
        if moved < 1e-13:
            return loadings
    return None


def _leading(matrix: list[list[float]], start: list[float]) -> tuple[float, list[float]] | None:
    """
    The largest eigenvalue of a symmetric *matrix* and its unit eigenvector: shifted power iteration from *start*.

    To 1e-6 in the vector: it is only the start of the factor fit, which settles the loadings.
    """
    k = len(matrix)
    # Shifted by a bound on the most negative eigenvalue (Gershgorin), so the largest is also the largest in size.
    shift = max(0.0, *(math.fsum(abs(v) for j, v in enumerate(row) if j != i) - row[i] for i, row in enumerate(matrix)))
    vector = start
    for _ in range(_SWEEPS):
        product = [math.fsum(row[j] * vector[j] for j in range(k)) + shift * vector[i] for i, row in enumerate(matrix)]
        norm = math.sqrt(math.fsum(x * x for x in product))
        if norm == 0:
            return None
        following = [x / norm for x in product]
        if max(abs(a - b) for a, b in zip(following, vector, strict=True)) < 1e-6:
            value = math.fsum(following[i] * matrix[i][j] * following[j] for i in range(k) for j in range(k))
            return value, following
        vector = following
    return None


def _omega_total(r: Mapping[tuple[int, int], float], loadings: list[float]) -> float | None:
    """``(sum(R) - sum(1 - l²)) / sum(R)``: the share of the scale score's variance the factor explains."""
    total = _total(r.values())
    if total is None or total < 0:
        return None
    return (total - math.fsum(1 - loading**2 for loading in loadings)) / total


def _lambda_6(r: Mapping[tuple[int, int], float], k: int, smc: list[float]) -> float | None:
    """Guttman's lambda 6: ``1 - (k - sum(smc)) / sum(R)``."""
    total = _total(r.values())
    return None if total is None else 1 - (k - math.fsum(smc)) / total


def _total(values: Iterable[float | None]) -> float | None:
    """
    The sum of *values*, or None where it is 0 but for rounding.

    Pairwise covariances or correlations of sparse data can cancel out; dividing by such a sum
    gave figures near 1e16 that meant nothing.
    """
    listed: list[float] = list(values)  # type: ignore[arg-type]
    total = math.fsum(listed)
    return None if abs(total) <= 1e-12 * math.fsum(map(abs, listed)) else total


def _standardized(r: Mapping[tuple[int, int], float], members: Iterable[int]) -> float | None:
    """Standardized alpha of *members*: ``k / (k - 1) * (1 - k / sum(R))``, None where sum(R) is 0."""
    chosen = list(members)
    k = len(chosen)
    total = _total(r[i, j] for i in chosen for j in chosen)
    if total is None:
        return None
    return k / (k - 1) * (1 - k / total)


def _column_rs(r: Mapping[tuple[int, int], float], k: int, diagonal: list[float] | None) -> list[float | None]:
    """Each item's column sum of R over the square root of R's total; with *diagonal* in place of R's 1s."""

    def cell(a: int, b: int) -> float:
        return diagonal[a] if diagonal is not None and a == b else r[a, b]

    total = _total(cell(a, b) for a in range(k) for b in range(k))
    if total is None or total < 0:
        return [None] * k
    root = math.sqrt(total)
    return [math.fsum(cell(a, i) for a in range(k)) / root for i in range(k)]


def _smc(r: Mapping[tuple[int, int], float], k: int) -> list[float] | None:
    """
    Each item's squared multiple correlation with the others, ``1 - 1 / diag(R⁻¹)``; None unless R is positive definite.

    Pairwise correlations of sparse data can give an R that is not positive definite (no
    correlation matrix of complete data is): a diagonal element of its inverse can then be
    near 0, and its sign, so the smc, a matter of rounding that differs with the order of the
    items. psych clamps such smcs to 0 or 1; leadscore gives none, and so no lambda 6 and no
    ``r.cor``.
    """
    factor = _cholesky([[r[i, j] for j in range(k)] for i in range(k)])
    if factor is None:
        return None
    # Column i of R⁻¹ solves R x = e_i; its diagonal element is x_i.
    diagonal = [_solve(factor, [1.0 if j == i else 0.0 for j in range(k)])[i] for i in range(k)]
    return [1 - 1 / value for value in diagonal]


def _cholesky(matrix: list[list[float]]) -> list[list[float]] | None:
    """The lower triangular ``L`` with ``L Lᵀ`` = symmetric *matrix*; None unless every pivot is above 1e-10."""
    k = len(matrix)
    lower = [[0.0] * k for _ in range(k)]
    for i in range(k):
        for j in range(i + 1):
            rest = matrix[i][j] - math.fsum(lower[i][m] * lower[j][m] for m in range(j))
            if i == j:
                if rest <= 1e-10:
                    return None
                lower[i][i] = math.sqrt(rest)
            else:
                lower[i][j] = rest / lower[j][j]
    return lower


def _solve(lower: list[list[float]], b: list[float]) -> list[float]:
    """``x`` with ``L Lᵀ x = b``, by substitution forwards then backwards."""
    k = len(b)
    y: list[float] = []
    for i in range(k):
        y.append((b[i] - math.fsum(lower[i][m] * y[m] for m in range(i))) / lower[i][i])
    x = [0.0] * k
    for i in reversed(range(k)):
        x[i] = (y[i] - math.fsum(lower[m][i] * x[m] for m in range(i + 1, k))) / lower[i][i]
    return x


def _duhachek_se(cov: Mapping[tuple[int, int], float | None], k: int, n: int) -> float | None:
    """
    Alpha's asymptotic standard error, ``sqrt(Q / n)`` (Duhachek and Iacobucci, 2004, as psych's ``alpha``).

    ``Q = 2 k² / ((k - 1)² S³) * (S (tr(C²) + tr(C)²) - 2 tr(C) sum(C²))``, ``S`` the sum of ``C``
    and ``n`` every respondent (psych's ``nsub``, all rows; listwise, the complete ones).
    """
    c = [[cov[i, j] for j in range(k)] for i in range(k)]
    total = math.fsum(v for row in c for v in row)  # type: ignore[misc]
    trace = math.fsum(c[i][i] for i in range(k))  # type: ignore[misc]
    trace_squared = math.fsum(c[i][j] * c[j][i] for i in range(k) for j in range(k))  # type: ignore[operator]
    sum_squared = math.fsum(math.fsum(row) ** 2 for row in c)  # type: ignore[arg-type]  # sum(C C), C symmetric
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


def _alpha(cov: Mapping[tuple[int, int], float | None], members: Iterable[int]) -> float | None:
    chosen = list(members)
    k = len(chosen)
    total = _total(cov[i, j] for i in chosen for j in chosen)
    if total is None:  # A total variance of 0 (but for rounding) has no alpha.
        return None
    trace = math.fsum(cov[i, i] for i in chosen)  # type: ignore[misc]
    return k / (k - 1) * (1 - trace / total)


def _r_drop(cov: Mapping[tuple[int, int], float | None], i: int, k: int) -> float | None:
    rest = [j for j in range(k) if j != i]
    with_rest = math.fsum(cov[i, j] for j in rest)  # type: ignore[misc]
    # The rest's variance, None where it is 0 but for rounding (pairwise covariances can cancel).
    rest_variance = _total(cov[j, m] for j in rest for m in rest)
    item_variance = cov[i, i]
    if not item_variance or rest_variance is None or rest_variance <= 0:
        return None
    return with_rest / math.sqrt(item_variance * rest_variance)


def _sqrt(value: float | None) -> float | None:
    return math.sqrt(value) if value is not None and value >= 0 else None
