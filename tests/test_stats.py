"""The one home of means, variances and cross-products, against Python's exact statistics."""

from __future__ import annotations

import math
import statistics

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from leadscore._stats import cross_products, mean, mean_or_none, quantile, sd, variance


VALUES = st.lists(st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False), min_size=2, max_size=40)


@given(VALUES)
def test_mean_and_variance_agree_with_the_exact_ones(values: list[float]) -> None:
    """Mean, variance and SD agree with the exact (Fraction) ones to within a few units in the
    last place: the sum is exact before its one rounding, the division rounds once more.
    """
    exact_mean = sum(map(Fraction, values)) / len(values)
    exact_variance = sum((Fraction(v) - exact_mean) ** 2 for v in values) / (len(values) - 1)

    assert math.isclose(float(exact_mean), mean(values), rel_tol=1e-15, abs_tol=1e-300)
    assert math.isclose(float(exact_variance), variance(values), rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(statistics.stdev(values), sd(values), rel_tol=1e-12, abs_tol=1e-9)


@given(st.lists(st.tuples(st.integers(1, 7), st.integers(1, 7)), min_size=2, max_size=40))
def test_cross_products_give_pearsons_correlation(pairs: list[tuple[int, int]]) -> None:
    """Sxy / sqrt(sxx * syy) is the correlation Python's statistics computes; sxy / (n - 1) its covariance."""
    xs, ys = [float(x) for x, _ in pairs], [float(y) for _, y in pairs]
    sxy, sxx, syy = cross_products(xs, ys)

    assert math.isclose(statistics.covariance(xs, ys), sxy / (len(xs) - 1), rel_tol=1e-12, abs_tol=1e-12)
    if sxx > 0 and syy > 0:
        assert math.isclose(statistics.correlation(xs, ys), sxy / math.sqrt(sxx * syy), rel_tol=1e-12, abs_tol=1e-12)


def test_mean_or_none_leaves_out_none() -> None:
    """Missing values are left out; with none left there is no mean."""
    assert 2.0 == mean_or_none([1, None, 3])
    assert mean_or_none([None, None]) is None


def test_sd_of_values_whose_squares_would_overflow() -> None:
    """Deviations near 1e154 square past the largest float: the SD is still right (a norm table found it)."""
    big = 1.8961503816218355e154

    assert abs(sd([0.0, big]) / (big / math.sqrt(2)) - 1) < 1e-15
    assert sd([0.0, 2.0]) == math.sqrt(2.0)


@given(st.lists(st.integers(-50, 50), min_size=1, max_size=30), st.sampled_from([0, 0.1, 0.25, 0.5, 0.75, 0.9, 1]))
def test_quantile_is_r_type_7(values: list[int], q: float) -> None:
    """quantile() interpolates between order statistics as R's type 7 does (statistics' "inclusive" method)."""
    ordered = sorted(values)
    expected: float
    if len(ordered) == 1:
        expected = ordered[0]
    elif q in {0, 1}:
        expected = ordered[0] if q == 0 else ordered[-1]
    else:
        cuts = statistics.quantiles(ordered, n=20 if q in {0.25, 0.5, 0.75} else 10, method="inclusive")
        expected = cuts[round(q * (20 if q in {0.25, 0.5, 0.75} else 10)) - 1]
    assert math.isclose(quantile(ordered, q), expected, rel_tol=1e-12, abs_tol=1e-12)
