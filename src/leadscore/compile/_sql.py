"""
The plan as one SQL ``SELECT``, built as sqlglot's syntax tree and written in any of its dialects.

No SQL text is formatted here: ids become quoted identifiers, texts string literals, and
sqlglot writes both as the dialect escapes them. Numbers are whole-number literals only (the
exact formulas have no other): no engine's reading of a decimal literal enters a score.

Each level of the program is a common table expression that carries the kept columns and
every name bound so far, and nothing else of the table: a column of the table that happens
to share an internal name cannot be read by mistake.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlglot import exp

from leadscore.compile._program import Columns


__all__ = ["SqlTarget"]

_BINARY = (exp.Binary, exp.Not, exp.Neg)


def _operand(node: exp.Expression, within: type[exp.Expression] = exp.Expression) -> exp.Expression:
    """
    *node* in parentheses where it is an operation, so the tree's shape is what is written.

    Within ``AND`` and ``OR`` only another ``AND`` or ``OR`` needs them (``NOT``, comparisons
    and arithmetic bind tighter); within anything else, every operation gets them.
    """
    wrap = exp.Connector if issubclass(within, exp.Connector) else _BINARY
    return exp.Paren(this=node) if isinstance(node, wrap) else node


class SqlTarget:
    """The program's expressions as sqlglot nodes; levels as common table expressions."""

    def __init__(self, source: exp.Table, keep: Sequence[str]) -> None:
        """Read answers from *source*; carry the *keep* columns through every level."""
        self.source = source
        self.keep = list(keep)
        self.bound: list[str] = []  # Every name bound so far, in order.
        self.levels: list[tuple[str, exp.Select]] = []

    def answer(self, item_id: str) -> exp.Expression:
        return exp.column(item_id, quoted=True)

    def number(self, value: int) -> exp.Expression:
        literal = exp.Literal.number(abs(value))
        return exp.Paren(this=exp.Neg(this=literal)) if value < 0 else literal

    def text(self, value: str) -> exp.Expression:
        return exp.Literal.string(value)

    def bands(self, value: exp.Expression | None, band_ids: Sequence[str]) -> exp.Expression:  # noqa: ARG002 - SQL's bands are texts
        return value if value is not None else self.text_null()

    def text_null(self) -> exp.Expression:
        return exp.Cast(this=exp.Null(), to=exp.DataType.build("text"))

    def case(
        self, whens: Sequence[tuple[exp.Expression, exp.Expression]], default: exp.Expression | None = None
    ) -> exp.Expression:
        return exp.Case(ifs=[exp.If(this=c, true=v) for c, v in whens], default=default)

    def floor(self, value: exp.Expression) -> exp.Expression:
        return exp.Floor(this=value)

    def as_int(self, value: exp.Expression) -> exp.Expression:
        return exp.Cast(this=value, to=exp.DataType.build("bigint"))

    def as_float(self, value: exp.Expression) -> exp.Expression:
        return exp.Cast(this=value, to=exp.DataType.build("double"))

    def as_text(self, value: exp.Expression) -> exp.Expression:
        return exp.Cast(this=value, to=exp.DataType.build("text"))

    def concat(self, parts: Sequence[exp.Expression]) -> exp.Expression:
        joined = parts[0]
        for part in parts[1:]:
            joined = exp.DPipe(this=joined, expression=part, safe=True)
        return joined

    def count(self, value: exp.Expression) -> exp.Expression:
        return self.case([(self.not_null(value), self.number(1))], self.number(0))

    def zero_for_null(self, value: exp.Expression) -> exp.Expression:
        return exp.Coalesce(this=value, expressions=[self.number(0)])

    def _binary(self, kind: type[exp.Expression], left: exp.Expression, right: exp.Expression) -> exp.Expression:
        return kind(this=_operand(left, kind), expression=_operand(right, kind))

    def add(self, left: exp.Expression, right: exp.Expression) -> exp.Expression:
        return self._binary(exp.Add, left, right)

    def sub(self, left: exp.Expression, right: exp.Expression) -> exp.Expression:
        return self._binary(exp.Sub, left, right)

    def mul(self, left: exp.Expression, right: exp.Expression) -> exp.Expression:
        return self._binary(exp.Mul, left, right)

    def div(self, left: exp.Expression, right: exp.Expression) -> exp.Expression:
        return self._binary(exp.Div, left, right)

    def div_by(self, value: exp.Expression, constant: int) -> exp.Expression:
        return self.div(value, self.as_float(self.number(constant)))

    def eq(self, left: exp.Expression, right: exp.Expression) -> exp.Expression:
        return self._binary(exp.EQ, left, right)

    def ge(self, left: exp.Expression, right: exp.Expression) -> exp.Expression:
        return self._binary(exp.GTE, left, right)

    def between(self, value: exp.Expression, low: exp.Expression, high: exp.Expression) -> exp.Expression:
        return exp.Between(this=_operand(value), low=low, high=high)

    def is_null(self, value: exp.Expression) -> exp.Expression:
        return exp.Is(this=_operand(value), expression=exp.Null())

    def not_null(self, value: exp.Expression) -> exp.Expression:
        return exp.Not(this=self.is_null(value))

    def both(self, left: exp.Expression, right: exp.Expression) -> exp.Expression:
        return self._binary(exp.And, left, right)

    def either(self, left: exp.Expression, right: exp.Expression) -> exp.Expression:
        return self._binary(exp.Or, left, right)

    def negate(self, value: exp.Expression) -> exp.Expression:
        return exp.Not(this=_operand(value))

    def level(self, bindings: dict[str, exp.Expression]) -> dict[str, exp.Expression]:
        carried = [exp.column(name, quoted=True) for name in [*self.keep, *self.bound]]
        added = [exp.alias_(value, name, quoted=True, copy=False) for name, value in bindings.items()]
        source: Any = self.source if not self.levels else exp.to_identifier(self.levels[-1][0], quoted=True)
        self.levels.append((f"_ls_level{len(self.levels) + 1}", exp.select(*carried, *added).from_(source, copy=False)))
        self.bound.extend(bindings)
        return {name: exp.column(name, quoted=True) for name in bindings}

    def select(self, columns: Columns[exp.Expression]) -> exp.Select:
        """The whole query: the levels, then the output's columns, named as they say."""
        last = exp.to_identifier(self.levels[-1][0], quoted=True)
        query = exp.select(*(exp.alias_(value, name, quoted=True, copy=False) for name, value in columns)).from_(
            last, copy=False
        )
        for name, level in self.levels:
            query = query.with_(exp.to_identifier(name, quoted=True), as_=level, copy=False)
        return query
