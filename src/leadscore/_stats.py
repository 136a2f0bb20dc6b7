"""
Means, variances and cross-products: the one home of leadscore's descriptive statistics.

Every sum goes through `math.fsum`, which is exact before its one rounding, so no order of
the values can change a figure; a mean rounds once more, in its division. Variances are
two-pass (the squared deviations from the mean are added), with ``n - 1`` in the
denominator: the sample variance of R's ``var`` and Python's `statistics.variance`, without
the 5 ms that `statistics` costs at import.

Figures over people's scores or answers (a 360 group's mean, a change's mean difference) use
the exact forms: scores' exact values (`leadscore._plan.Plan.exact_values`) or whole-number
answers in, a `Fraction` out, rounded once by whoever shows it.
"""

from __future__ import annotations

import math

from collections.abc import Iterable, Sequence
from fractions import Fraction


__all__ = [
    "Exact",
    "cross_products",
    "exact_mean",
    "exact_sd",
    "exact_variance",
    "mean",
    "mean_or_none",
    "quantile",
    "rounded",
    "rounded_root",
    "sd",
    "variance",
]

#: A value known exactly: a whole-number answer or a score's exact value.
Exact = int | Fraction


def mean(values: Sequence[float]) -> float:
    """The arithmetic mean of one or more *values*."""
    return math.fsum(values) / len(values)


def mean_or_none(values: Iterable[float | None]) -> float | None:
    """The mean of the *values* that are not None, or None when there are none."""
    present = [value for value in values if value is not None]
    return mean(present) if present else None


def exact_mean(values: Sequence[Exact]) -> Fraction:
    """The mean of one or more exact *values*, exactly (`float` of it is the one rounding)."""
    return Fraction(sum(values), len(values))


def exact_variance(values: Sequence[Exact]) -> Fraction:
    """The sample variance (``n - 1``) of two or more exact *values*, exactly: ``(n·Σv² - (Σv)²) / (n(n - 1))``."""
    return variance_of_sums(len(values), sum(values), sum(value * value for value in values))


def variance_of_sums(n: int, total: Exact, squares: Exact) -> Fraction:
    """The sample variance of *n* (two or more) exact values from their sum and sum of squares, exactly."""
    return Fraction(n * squares - total * total, n * (n - 1))


def uniform_variance(low: int, high: int) -> Fraction:
    """The variance of whole numbers spread uniformly over *low* to *high*: r_wg's null distribution."""
    return Fraction((high - low + 1) ** 2 - 1, 12)


def agreement(mean_variance: Exact, j: int, null_variance: Fraction) -> Fraction:
    """
    r_wg(J) (James, Demaree & Wolf, 1984) of *j* items with this mean observed variance, exactly.

    ``J(1 - v/σ²) / (J(1 - v/σ²) + v/σ²)``, r_wg when J is 1; 0 when the observed variance
    reaches the null's σ² (a uniform spread over the range).
    """
    ratio = mean_variance / null_variance
    if ratio >= 1:
        return Fraction(0)
    return j * (1 - ratio) / (j * (1 - ratio) + ratio)


def exact_sd(values: Sequence[Exact]) -> float:
    """The sample SD of two or more exact *values*: the root of their exact variance, rounded twice."""
    return math.sqrt(exact_variance(values))


def rounded(value: Exact, decimals: int) -> float:
    """
    *value* to *decimals* decimals, half away from zero (4.805 to two is 4.81), as the double of that decimal.

    The rule for every figure a report shows: from the exact value, rounded once.
    """
    scale: int = 10**decimals
    units = abs(Fraction(value)) * scale
    whole = math.floor(units + Fraction(1, 2))
    return math.copysign(whole, value) / scale if whole else 0.0


def rounded_root(value: Exact, decimals: int) -> float:
    """The square root of a non-negative exact *value* to *decimals* decimals, half away from zero, exactly."""
    scale: int = 10**decimals
    # The largest k with k - 1/2 <= scale * sqrt(value), from whole numbers only:
    # (2k - 1)² <= 4 scale² value, so 2k - 1 <= isqrt(floor(4 scale² value)).
    largest_odd = math.isqrt(math.floor(4 * scale * scale * Fraction(value)))
    return ((largest_odd + 1) // 2) / scale


def variance(values: Sequence[float]) -> float:
    """The sample variance (``n - 1``) of two or more *values*."""
    center = mean(values)
    return math.fsum((value - center) ** 2 for value in values) / (len(values) - 1)


# Beyond this, a squared deviation (or a sum of them) can pass the largest float.
_SQUARE_SAFE = 1e150


def sd(values: Sequence[float]) -> float:
    """
    The sample standard deviation (``n - 1``) of two or more *values*.

    Deviations beyond 1e150 would overflow when squared: they are scaled by the largest
    first, and the root scaled back (values of a norm table can be that large).
    """
    center = mean(values)
    largest = max(abs(value - center) for value in values)
    if largest <= _SQUARE_SAFE:
        return math.sqrt(variance(values))
    scaled = math.fsum(((value - center) / largest) ** 2 for value in values)
    return largest * math.sqrt(scaled / (len(values) - 1))


def cross_products(xs: Sequence[float], ys: Sequence[float]) -> tuple[float, float, float]:
    """
    The sums of cross-products and squares of deviations from the means of paired values.

    Returns ``(sxy, sxx, syy)``: the covariance is ``sxy / (n - 1)``, the correlation
    ``sxy / sqrt(sxx * syy)``.
    """
    mx, my = mean(xs), mean(ys)
    sxy = math.fsum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = math.fsum((x - mx) ** 2 for x in xs)
    syy = math.fsum((y - my) ** 2 for y in ys)
    return sxy, sxx, syy


def quantile(ordered: Sequence[float], q: float) -> float:
    """
    The *q*-quantile of *ordered* (sorted, not empty), by linear interpolation between order statistics.

    R's type 7 and NumPy's default: the value at position ``q * (n - 1)`` from 0, between its
    neighbours.
    """
    at = q * (len(ordered) - 1)
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)
