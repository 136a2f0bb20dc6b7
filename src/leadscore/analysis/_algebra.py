"""
NumPy's linear algebra for the fits of `leadscore._correlations`: the array engine's `Algebra`.

The fits (one-factor minres, power iteration, alpha and its leave-one-out figures) are written
once, in `leadscore._correlations`; this gives them their steps in NumPy: a Cholesky factor, its
solves and R's inverse from LAPACK (k³ work that Python's written-out loops take minutes over at
1,000 items), products and sums over arrays. Sums are NumPy's, not exact: an item's leave-one-out
sum is the whole less its row and column, good to about 1e-16 of the entries' sizes, far inside
the 1e-12 below which a sum counts as 0 but for rounding; the two engines agree to about 1e-13.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from leadscore._correlations import Matrix


__all__ = ["NumPyAlgebra"]


class NumPyAlgebra:
    """`leadscore._correlations.Algebra` in NumPy; one per report (it keeps the last matrix it read as an array)."""

    def __init__(self) -> None:
        self._last: tuple[Matrix, np.ndarray] | None = None

    def _array(self, matrix: Matrix) -> np.ndarray:
        """*matrix* as an array, read once while it is the one the fit works on."""
        if self._last is None or self._last[0] is not matrix:
            self._last = (matrix, np.array(matrix, dtype=float))
        return self._last[1]

    def sums(self, matrix: Matrix) -> _ArraySums:
        return _ArraySums(self._array(matrix))

    def multiply(self, matrix: Matrix, vector: Sequence[float]) -> list[float]:
        return (self._array(matrix) @ np.asarray(vector, dtype=float)).tolist()  # type: ignore[no-any-return]

    def cholesky(self, matrix: Matrix) -> Any | None:
        try:
            lower = np.linalg.cholesky(np.array(matrix, dtype=float))
        except np.linalg.LinAlgError:
            return None
        return lower if bool((np.diagonal(lower) ** 2 > 1e-10).all()) else None

    def solve(self, factor: Any, b: Sequence[float]) -> list[float]:
        forward = np.linalg.solve(factor, np.asarray(b, dtype=float))
        return np.linalg.solve(factor.T, forward).tolist()  # type: ignore[no-any-return]

    def inverse_diagonal(self, factor: Any) -> list[float]:
        # M = L Lᵀ, so M⁻¹ = L⁻ᵀ L⁻¹: its diagonal holds the column sums of squares of L⁻¹.
        inverse = np.linalg.inv(factor)
        return (inverse**2).sum(axis=0).tolist()  # type: ignore[no-any-return]

    def off_diagonal_loss(self, matrix: Matrix, loadings: Sequence[float]) -> float:
        vector = np.asarray(loadings, dtype=float)
        residual = np.triu(self._array(matrix) - np.outer(vector, vector), 1)
        return float((residual**2).sum())


class _ArraySums:
    """`leadscore._correlations.Sums` over an array: whole sums, less a row and column per item."""

    def __init__(self, matrix: np.ndarray) -> None:
        self.k = len(matrix)
        self._rows = matrix.sum(axis=1)
        self._sizes = np.abs(matrix).sum(axis=1)
        self._diagonal = np.diagonal(matrix).copy()
        self._total = float(self._rows.sum())
        self._size = float(self._sizes.sum())
        self._trace = float(self._diagonal.sum())

    def block(self, leaving: int | None = None) -> float | None:
        total, size = self._total, self._size
        if leaving is not None:
            diagonal = float(self._diagonal[leaving])
            total += diagonal - 2 * float(self._rows[leaving])
            size += abs(diagonal) - 2 * float(self._sizes[leaving])
        return None if abs(total) <= 1e-12 * size else total

    def trace(self, leaving: int | None = None) -> float:
        return self._trace - (0.0 if leaving is None else float(self._diagonal[leaving]))

    def others(self, item: int) -> float:
        return float(self._rows[item] - self._diagonal[item])
