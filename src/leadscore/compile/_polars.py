"""
The plan as Polars expressions, for ``lazy_frame.select(...)``.

Every name a level binds is its expression itself: the expressions of the scores repeat
the validation and the sums they rest on, and Polars' optimizer (common subexpression
elimination, on by default for lazy frames) computes each once. A band column is an
``Enum`` of the score's band ids, in their order, as `score_frame`'s ordered categorical.

Polars divides a column by a constant as a multiplication by the constant's reciprocal
(pola-rs/polars#23741, closed as intended; #27753): two roundings, and a third of the
quotients by 3 one unit in the last place off Python's. So no division here is by a
constant: a denominator that is one (a scale whose items are all required has a constant
count) becomes a column that holds it in every row (made from the null mask of an answer
column, which the optimizer cannot fold), and a column divided by a column is one IEEE
division. Counts of answers are sums of null masks, never a ``when(...).then(1)`` that
Polars may fold into a constant when every row agrees.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from leadscore.compile._program import Columns


__all__ = ["PolarsTarget"]


class PolarsTarget:
    """The program's expressions as Polars expressions."""

    def __init__(self, anchor: str) -> None:
        """Make constant divisors into columns from the null mask of the answer column *anchor*."""
        self.anchor = anchor

    def answer(self, item_id: str) -> pl.Expr:
        return pl.col(item_id)

    def number(self, value: int) -> pl.Expr:
        return pl.lit(value, dtype=pl.Int64)

    def text(self, value: str) -> pl.Expr:
        return pl.lit(value, dtype=pl.String)

    def bands(self, value: pl.Expr | None, band_ids: Sequence[str]) -> pl.Expr:
        column = value if value is not None else self.text_null()
        return column.cast(pl.Enum(list(band_ids)))

    def text_null(self) -> pl.Expr:
        return pl.lit(None, dtype=pl.String)

    def case(self, whens: Sequence[tuple[pl.Expr, pl.Expr]], default: pl.Expr | None = None) -> pl.Expr:
        (first, then), *rest = whens
        chain: Any = pl.when(first).then(then)
        for condition, value in rest:
            chain = chain.when(condition).then(value)
        return chain.otherwise(default)  # type: ignore[no-any-return]

    def floor(self, value: pl.Expr) -> pl.Expr:
        return value.floor()

    def as_int(self, value: pl.Expr) -> pl.Expr:
        return value.cast(pl.Int64, strict=False)

    def as_float(self, value: pl.Expr) -> pl.Expr:
        return value.cast(pl.Float64)

    def as_text(self, value: pl.Expr) -> pl.Expr:
        return value.cast(pl.String)

    def concat(self, parts: Sequence[pl.Expr]) -> pl.Expr:
        return pl.concat_str(list(parts))

    def add(self, left: pl.Expr, right: pl.Expr) -> pl.Expr:
        return left + right

    def sub(self, left: pl.Expr, right: pl.Expr) -> pl.Expr:
        return left - right

    def mul(self, left: pl.Expr, right: pl.Expr) -> pl.Expr:
        return left * right

    def div(self, left: pl.Expr, right: pl.Expr) -> pl.Expr:
        return left / right

    def div_by(self, value: pl.Expr, constant: int) -> pl.Expr:
        # A column of the constant (0.0 + c is c exactly), not the constant: see the module's docstring.
        return value / (pl.col(self.anchor).is_null().cast(pl.Float64) * 0.0 + float(constant))

    def count(self, value: pl.Expr) -> pl.Expr:
        return value.is_not_null().cast(pl.Int64)

    def zero_for_null(self, value: pl.Expr) -> pl.Expr:
        return value.fill_null(0)

    def eq(self, left: pl.Expr, right: pl.Expr) -> pl.Expr:
        return left == right

    def ge(self, left: pl.Expr, right: pl.Expr) -> pl.Expr:
        return left >= right

    def between(self, value: pl.Expr, low: pl.Expr, high: pl.Expr) -> pl.Expr:
        return value.is_between(low, high)

    def is_null(self, value: pl.Expr) -> pl.Expr:
        return value.is_null()

    def not_null(self, value: pl.Expr) -> pl.Expr:
        return value.is_not_null()

    def both(self, left: pl.Expr, right: pl.Expr) -> pl.Expr:
        return left & right

    def either(self, left: pl.Expr, right: pl.Expr) -> pl.Expr:
        return left | right

    def negate(self, value: pl.Expr) -> pl.Expr:
        return ~value

    def level(self, bindings: dict[str, pl.Expr]) -> dict[str, pl.Expr]:
        return bindings

    def select(self, columns: Columns[pl.Expr]) -> list[pl.Expr]:
        """The program's columns as named expressions."""
        return [value.alias(name) for name, value in columns]
