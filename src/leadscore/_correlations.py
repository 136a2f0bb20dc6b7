"""
Figures from a scale's item correlation matrix: standardized alpha, smc, lambda 6, omega total.

Standardized alpha, the squared multiple correlations, Guttman's lambda 6, and McDonald's
omega total from a one-factor minres fit.

The formulas are those `leadscore._consistency` documents (psych's ``alpha`` and ``omega``);
its two engines, pure Python and arrays, both end here. The matrices are small (a scale's
items), so the linear algebra is written out: Cholesky, a triangular solve, power iteration.
"""

from __future__ import annotations

import math

from collections.abc import Iterable, Mapping
from itertools import combinations
from typing import Final


__all__ = [
    "Sums",
    "cholesky",
    "column_rs",
    "correlation_matrix",
    "fsum_or_none",
    "lambda_6_of",
    "leading_eigen",
    "omega_total_of",
    "one_factor",
    "solve",
    "squared_multiple_correlations",
    "standardized_alpha",
]


# A communality of at most 0.995, a uniqueness of at least 0.005: psych's bounds for minres.
_MAX_COMMUNALITY: Final = 0.995
_SWEEPS: Final = 1000


def correlation_matrix(corr: Mapping[tuple[int, int], float | None], k: int) -> dict[tuple[int, int], float] | None:
    """R, 1 on its diagonal, by (row, column); None when a correlation between two items has no value."""
    r: dict[tuple[int, int], float] = {}
    for i, j in combinations(range(k), 2):
        value = corr[i, j]
        if value is None:
            return None
        r[i, j] = r[j, i] = value
    return r | {(i, i): 1.0 for i in range(k)}


def one_factor(r: Mapping[tuple[int, int], float], k: int, smc: list[float] | None) -> list[float] | None:
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
    found = leading_eigen(
        [[diagonal[i] if i == j else r[i, j] for j in range(k)] for i in range(k)], [1 / math.sqrt(k)] * k
    )
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
        factor = cholesky(newton) or cholesky(
            [[newton[m][n] if m == n else loadings[m] * loadings[n] for n in range(k)] for m in range(k)]
        )
        if factor is None:
            return None
        gradient = [math.fsum(residual[m, j] * loadings[j] for j in range(k) if j != m) for m in range(k)]
        step = solve(factor, gradient)
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


def leading_eigen(matrix: list[list[float]], start: list[float]) -> tuple[float, list[float]] | None:
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


def omega_total_of(r: Mapping[tuple[int, int], float], loadings: list[float]) -> float | None:
    """``(sum(R) - sum(1 - l²)) / sum(R)``: the share of the scale score's variance the factor explains."""
    total = fsum_or_none(r.values())
    if total is None or total < 0:
        return None
    return (total - math.fsum(1 - loading**2 for loading in loadings)) / total


def lambda_6_of(r: Mapping[tuple[int, int], float], k: int, smc: list[float]) -> float | None:
    """Guttman's lambda 6: ``1 - (k - sum(smc)) / sum(R)``."""
    total = fsum_or_none(r.values())
    return None if total is None else 1 - (k - math.fsum(smc)) / total


def fsum_or_none(values: Iterable[float | None]) -> float | None:
    """
    The sum of *values*, or None where it is 0 but for rounding.

    Pairwise covariances or correlations of sparse data can cancel out; dividing by such a sum
    gave figures near 1e16 that meant nothing.
    """
    listed: list[float] = list(values)  # type: ignore[arg-type]
    total = math.fsum(listed)
    return None if abs(total) <= 1e-12 * math.fsum(map(abs, listed)) else total


def standardized_alpha(sums: Sums, leaving: int | None = None) -> float | None:
    """
    Standardized alpha: ``k / (k - 1) * (1 - k / sum(R))``, None where sum(R) is 0.

    Of every item of *sums* (a correlation matrix's), or of all but the item *leaving*.
    """
    total = sums.block(leaving)
    if total is None:
        return None
    k = sums.k - (leaving is not None)
    return k / (k - 1) * (1 - k / total)


#: Every finite double is a whole number of 2**-1074.
_UNIT_BITS: Final = 1074


def _units(value: float) -> int:
    """*value* as a whole number of 2**-1074 (exact for every finite double)."""
    numerator, denominator = value.as_integer_ratio()
    return numerator << (_UNIT_BITS + 1 - denominator.bit_length())


def _rounded(units: int) -> float:
    """A whole number of 2**-1074 as the nearest double (Python's int / int is correctly rounded)."""
    return units / (1 << _UNIT_BITS)


class Sums:
    """
    Sums of a symmetric k x k matrix's entries: of all of it, or without one item's row and column.

    Each is the exact sum rounded once, as `math.fsum` of the entries gives it, the same bits,
    with `fsum_or_none`'s test for 0 but for rounding. Summing each item's leave-one-out block
    anew costs k² per item, k³ per scale (minutes at 1,000 items); these are exact whole
    numbers of 2**-1074, added once (k²), then taken apart per item in constant time.
    """

    def __init__(self, matrix: Mapping[tuple[int, int], float], k: int) -> None:
        self.k = k
        units = [[_units(matrix[i, j]) for j in range(k)] for i in range(k)]
        self._rows = [sum(row) for row in units]
        self._sizes = [sum(map(abs, row)) for row in units]
        self._diagonal = [units[i][i] for i in range(k)]
        self._total = sum(self._rows)
        self._size = sum(self._sizes)
        self._trace = sum(self._diagonal)

    def block(self, leaving: int | None = None) -> float | None:
        """The sum of every entry (but those of item *leaving*), or None where it is 0 but for rounding."""
        total, size = self._total, self._size
        if leaving is not None:
            diagonal = self._diagonal[leaving]
            total += diagonal - 2 * self._rows[leaving]
            size += abs(diagonal) - 2 * self._sizes[leaving]
        value = _rounded(total)
        return None if abs(value) <= 1e-12 * _rounded(size) else value

    def trace(self, leaving: int | None = None) -> float:
        """The sum of the diagonal (but item *leaving*'s)."""
        return _rounded(self._trace - (0 if leaving is None else self._diagonal[leaving]))

    def others(self, item: int) -> float:
        """The sum of *item*'s row without its diagonal entry."""
        return _rounded(self._rows[item] - self._diagonal[item])


def column_rs(r: Mapping[tuple[int, int], float], k: int, diagonal: list[float] | None) -> list[float | None]:
    """Each item's column sum of R over the square root of R's total; with *diagonal* in place of R's 1s."""

    def cell(a: int, b: int) -> float:
        return diagonal[a] if diagonal is not None and a == b else r[a, b]

    total = fsum_or_none(cell(a, b) for a in range(k) for b in range(k))
    if total is None or total < 0:
        return [None] * k
    root = math.sqrt(total)
    return [math.fsum(cell(a, i) for a in range(k)) / root for i in range(k)]


def squared_multiple_correlations(r: Mapping[tuple[int, int], float], k: int) -> list[float] | None:
    """
    Each item's squared multiple correlation with the others, ``1 - 1 / diag(R⁻¹)``; None unless R is positive definite.

    Pairwise correlations of sparse data can give an R that is not positive definite (no
    correlation matrix of complete data is): a diagonal element of its inverse can then be
    near 0, and its sign, so the smc, a matter of rounding that differs with the order of the
    items. psych clamps such smcs to 0 or 1; leadscore gives none, and so no lambda 6 and no
    ``r.cor``.
    """
    factor = cholesky([[r[i, j] for j in range(k)] for i in range(k)])
    if factor is None:
        return None
    # Column i of R⁻¹ solves R x = e_i; its diagonal element is x_i.
    diagonal = [solve(factor, [1.0 if j == i else 0.0 for j in range(k)])[i] for i in range(k)]
    return [1 - 1 / value for value in diagonal]


def cholesky(matrix: list[list[float]]) -> list[list[float]] | None:
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


def solve(lower: list[list[float]], b: list[float]) -> list[float]:
    """``x`` with ``L Lᵀ x = b``, by substitution forwards then backwards."""
    k = len(b)
    y: list[float] = []
    for i in range(k):
        y.append((b[i] - math.fsum(lower[i][m] * y[m] for m in range(i))) / lower[i][i])
    x = [0.0] * k
    for i in reversed(range(k)):
        x[i] = (y[i] - math.fsum(lower[m][i] * x[m] for m in range(i + 1, k))) / lower[i][i]
    return x
