"""
Figures from a scale's item correlation matrix: standardized alpha, smc, lambda 6, omega total.

Standardized alpha, the squared multiple correlations, Guttman's lambda 6, and McDonald's
omega total from a one-factor minres fit.

The formulas are those `leadscore._consistency` documents (psych's ``alpha`` and ``omega``);
its two engines, pure Python and arrays, both end here. The fits are written once, over the
few steps of linear algebra an `Algebra` gives: `PYTHON` writes them out (Cholesky, triangular
solves, exact sums; no dependency) for the pure engine, and the array engine passes NumPy's
(`leadscore.analysis._algebra`), whose k³ steps take LAPACK milliseconds where Python takes
minutes at 1,000 items. Matrices are rows of floats, k by k.
"""

from __future__ import annotations

import math
import operator

from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, combinations
from typing import Any, Final, Protocol


__all__ = [
    "PYTHON",
    "Algebra",
    "Matrix",
    "Sums",
    "column_rs",
    "correlation_matrix",
    "fsum_or_none",
    "lambda_6_of",
    "leading_eigen",
    "omega_total_of",
    "one_factor",
    "squared_multiple_correlations",
    "standardized_alpha",
]

#: A k x k matrix as its rows.
Matrix = list[list[float]]


class BlockSums(Protocol):
    """Sums of a symmetric matrix's entries: of all of it, or without one item's row and column (`Sums`)."""

    k: int

    def block(self, leaving: int | None = None) -> float | None: ...
    def trace(self, leaving: int | None = None) -> float: ...
    def others(self, item: int) -> float: ...


class Algebra(Protocol):
    """The steps of linear algebra the fits take (`PYTHON`; NumPy's in `leadscore.analysis._algebra`)."""

    def sums(self, matrix: Matrix) -> BlockSums:
        """The sums of *matrix*'s entries, whole and leaving out each item (`Sums`)."""

    def multiply(self, matrix: Matrix, vector: Sequence[float]) -> list[float]:
        """*matrix* times *vector*."""

    def cholesky(self, matrix: Matrix) -> Any | None:
        """The Cholesky factor of a symmetric *matrix*; None unless every pivot is above 1e-10."""

    def solve(self, factor: Any, b: Sequence[float]) -> list[float]:
        """``x`` with ``L Lᵀ x = b`` for the factor ``L`` that `cholesky` gave."""

    def inverse_diagonal(self, factor: Any) -> list[float]:
        """The diagonal of the inverse of the matrix whose factor `cholesky` gave."""

    def off_diagonal_loss(self, matrix: Matrix, loadings: Sequence[float]) -> float:
        """``sum over i < j of (m_ij - l_i l_j)²``: a one-factor fit's residual."""


# A communality of at most 0.995, a uniqueness of at least 0.005: psych's bounds for minres.
_MAX_COMMUNALITY: Final = 0.995
_SWEEPS: Final = 1000


def correlation_matrix(corr: Mapping[tuple[int, int], float | None], k: int) -> Matrix | None:
    """R, 1 on its diagonal; None when a correlation between two items has no value."""
    r = [[1.0] * k for _ in range(k)]
    for i, j in combinations(range(k), 2):
        value = corr[i, j]
        if value is None:
            return None
        r[i][j] = r[j][i] = value
    return r


def one_factor(r: Matrix, smc: list[float] | None, algebra: Algebra) -> list[float] | None:
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
    k = len(r)
    diagonal = smc if smc is not None else [0.5] * k
    found = leading_eigen(_with_diagonal(r, diagonal), [1 / math.sqrt(k)] * k, algebra)
    if found is None:
        return None
    value, vector = found
    bound = math.sqrt(_MAX_COMMUNALITY)
    loadings = [max(-bound, min(bound, math.sqrt(max(value, 0.0)) * x)) for x in vector]
    current = algebra.off_diagonal_loss(r, loadings)
    for _ in range(_SWEEPS):
        squares = [loading**2 for loading in loadings]
        total = math.fsum(squares)
        others = [total - square for square in squares]  # Each item's sum of the others' squared loadings.
        # The loss's Hessian (halved): Newton's step where it is positive definite, which
        # converges in a few sweeps near the optimum; else Gauss-Newton's, without the residuals.
        newton = [
            [2 * lm * ln - rmn for ln, rmn in zip(loadings, row, strict=True)]
            for lm, row in zip(loadings, r, strict=True)
        ]
        factor = algebra.cholesky(_with_diagonal(newton, others))
        if factor is None:
            factor = algebra.cholesky(_with_diagonal([[lm * ln for ln in loadings] for lm in loadings], others))
        if factor is None:
            return None
        # The gradient (halved): for each item, the sum over the others of (r_mj - l_m l_j) l_j.
        product = algebra.multiply(r, loadings)
        gradient = [product[m] - r[m][m] * loadings[m] - loadings[m] * others[m] for m in range(k)]
        step = algebra.solve(factor, gradient)
        size = 1.0
        while size > 1e-10:
            trial = [max(-bound, min(bound, now + size * d)) for now, d in zip(loadings, step, strict=True)]
            trial_loss = algebra.off_diagonal_loss(r, trial)
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


def _with_diagonal(matrix: Matrix, diagonal: Sequence[float]) -> Matrix:
    """*matrix* with *diagonal* in place of its own."""
    rows = [list(row) for row in matrix]
    for i, value in enumerate(diagonal):
        rows[i][i] = value
    return rows


def leading_eigen(matrix: Matrix, start: list[float], algebra: Algebra) -> tuple[float, list[float]] | None:
    """
    The largest eigenvalue of a symmetric *matrix* and its unit eigenvector: shifted power iteration from *start*.

    To 1e-6 in the vector: it is only the start of the factor fit, which settles the loadings.
    """
    # Shifted by a bound on the most negative eigenvalue (Gershgorin), so the largest is also the largest in size.
    sizes = [math.fsum(map(abs, row)) for row in matrix]
    shift = max(0.0, *(size - abs(row[i]) - row[i] for i, (size, row) in enumerate(zip(sizes, matrix, strict=True))))
    # A product this small against the shifted matrix's size is 0 but for rounding: the start
    # lies in the eigenspace of the shifted 0, and no engine's rounding may decide otherwise.
    floor = 1e-12 * (shift + max(sizes))
    vector = start
    for _ in range(_SWEEPS):
        product = [x + shift * v for x, v in zip(algebra.multiply(matrix, vector), vector, strict=True)]
        norm = math.sqrt(math.fsum(x * x for x in product))
        if norm <= floor:
            return None
        following = [x / norm for x in product]
        if max(abs(a - b) for a, b in zip(following, vector, strict=True)) < 1e-6:
            value = math.fsum(map(operator.mul, following, algebra.multiply(matrix, following)))
            return value, following
        vector = following
    return None


def omega_total_of(total: float | None, loadings: list[float]) -> float | None:
    """``(sum(R) - sum(1 - l²)) / sum(R)``, *total* being sum(R): the share of the score's variance of the factor."""
    if total is None or total < 0:
        return None
    return (total - math.fsum(1 - loading**2 for loading in loadings)) / total


def lambda_6_of(total: float | None, smc: list[float]) -> float | None:
    """Guttman's lambda 6: ``1 - (k - sum(smc)) / sum(R)``, *total* the sum of R."""
    return None if total is None else 1 - (len(smc) - math.fsum(smc)) / total


def fsum_or_none(values: Iterable[float | None]) -> float | None:
    """
    The sum of *values*, or None where it is 0 but for rounding.

    Pairwise covariances or correlations of sparse data can cancel out; dividing by such a sum
    gave figures near 1e16 that meant nothing.
    """
    listed: list[float] = list(values)  # type: ignore[arg-type]
    total = math.fsum(listed)
    return None if abs(total) <= 1e-12 * math.fsum(map(abs, listed)) else total


def standardized_alpha(sums: BlockSums, leaving: int | None = None) -> float | None:
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

    def __init__(self, matrix: Matrix) -> None:
        k = self.k = len(matrix)
        units = [list(map(_units, row)) for row in matrix]
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


def column_rs(r: Matrix, diagonal: list[float] | None) -> list[float | None]:
    """Each item's column sum of R over the square root of R's total; with *diagonal* in place of R's 1s."""
    cells = r if diagonal is None else _with_diagonal(r, diagonal)
    total = fsum_or_none(chain.from_iterable(cells))
    if total is None or total < 0:
        return [None] * len(r)
    root = math.sqrt(total)
    return [math.fsum(row) / root for row in cells]  # R is symmetric: a column's sum is its row's.


def squared_multiple_correlations(r: Matrix, algebra: Algebra) -> list[float] | None:
    """
    Each item's squared multiple correlation with the others, ``1 - 1 / diag(R⁻¹)``; None unless R is positive definite.

    Pairwise correlations of sparse data can give an R that is not positive definite (no
    correlation matrix of complete data is): a diagonal element of its inverse can then be
    near 0, and its sign, so the smc, a matter of rounding that differs with the order of the
    items. psych clamps such smcs to 0 or 1; leadscore gives none, and so no lambda 6 and no
    ``r.cor``.
    """
    factor = algebra.cholesky(r)
    if factor is None:
        return None
    return [1 - 1 / value for value in algebra.inverse_diagonal(factor)]


class _Python:
    """`Algebra` written out in Python: exact sums (`math.fsum`, `Sums`), no dependency."""

    def sums(self, matrix: Matrix) -> Sums:
        return Sums(matrix)

    def multiply(self, matrix: Matrix, vector: Sequence[float]) -> list[float]:
        return [math.fsum(map(operator.mul, row, vector)) for row in matrix]

    def cholesky(self, matrix: Matrix) -> Matrix | None:
        k = len(matrix)
        lower = [[0.0] * k for _ in range(k)]
        for i in range(k):
            row = lower[i]
            for j in range(i + 1):
                rest = matrix[i][j] - math.fsum(map(operator.mul, row[:j], lower[j][:j]))
                if i == j:
                    if rest <= 1e-10:
                        return None
                    row[i] = math.sqrt(rest)
                else:
                    row[j] = rest / lower[j][j]
        return lower

    def solve(self, factor: Matrix, b: Sequence[float]) -> list[float]:
        k = len(b)
        y: list[float] = []
        for i in range(k):
            y.append((b[i] - math.fsum(map(operator.mul, factor[i][:i], y))) / factor[i][i])
        x = [0.0] * k
        for i in reversed(range(k)):
            x[i] = (y[i] - math.fsum(factor[m][i] * x[m] for m in range(i + 1, k))) / factor[i][i]
        return x

    def inverse_diagonal(self, factor: Matrix) -> list[float]:
        # Column i of the inverse solves M x = e_i; its diagonal element is x_i.
        k = len(factor)
        return [self.solve(factor, [1.0 if j == i else 0.0 for j in range(k)])[i] for i in range(k)]

    def off_diagonal_loss(self, matrix: Matrix, loadings: Sequence[float]) -> float:
        return math.fsum(
            (matrix[i][j] - loadings[i] * loadings[j]) ** 2
            for i in range(len(matrix))
            for j in range(i + 1, len(matrix))
        )


#: The linear algebra of the pure engine.
PYTHON: Final[Algebra] = _Python()
