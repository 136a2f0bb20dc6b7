"""
The scoring arithmetic, described once: every score as a fraction of two integer formulas.

A scale's keyed total ``t`` and its count of answered items ``n`` are integers. Every score
is a ratio of two integer expressions over them, and every back end (the plan's rules, the
generated Python, NumPy, SQL, Polars, the check of a stored result) evaluates those
expressions with its own integers or exact doubles and divides once, so each figure is the
double nearest its exact value:

- a mean is ``t / n``; a prorated sum ``t * m / n`` (``m`` items); a POMP
  ``100 * (t - low * n) / (span * n)`` (with ``100 / span`` in lowest terms);
- a weighted mean is ``sum(a_i * N_i * D_other) / (sum(a_i) * D_1 * ... * D_k)`` over its
  parts' own numerators ``N_i`` and denominators ``D_i`` (their exact values, never their
  rounded doubles), each weight ``a_i`` an integer: the weights' decimals
  (`leadscore._model.weight_ratio`) over their common denominator;
- a difference is ``(N_1 * D_2 - N_2 * D_1) / (D_1 * D_2)``;
- a composite's POMP is its position in its exact range, one more ratio over its own
  ``N`` and ``D``; a band is reached when ``N * q >= p * D`` for its lower bound ``p / q``
  read as a decimal.

Denominators are positive. `bound` works out, with Python integers over every score's
extreme inputs, the largest magnitude any step of a score's evaluation can reach: within
2**53 a double holds every step exactly and its one division is correctly rounded, as
Python's ``int / int`` always is. The engines that compute in doubles refuse a score beyond
it; `leadscore.score` computes with Python integers, exact at any size.
"""

from __future__ import annotations

import math

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any, Protocol, TypeVar

from attrs import frozen

from leadscore._checks import decimal_ratio, weight_ratio
from leadscore._model import Composite, Instrument, Scale


__all__ = [
    "EXACT",
    "PYTHON",
    "Expr",
    "Formulas",
    "Ops",
    "PythonFormula",
    "Ratio",
    "ScoreFormula",
    "bound",
    "evaluate",
    "formulas",
    "python_formulas",
]

#: Every integer up to this has a double of its own: steps within it are exact in doubles.
EXACT = 2**53

E = TypeVar("E")


@frozen
class Expr:
    """
    An integer expression: a constant, a scale's total or count, a score's numerator or denominator, or an operation.

    Attributes:
        op: ``"const"``, ``"total"``, ``"count"``, ``"num"``, ``"den"``, ``"add"``, ``"sub"`` or ``"mul"``.
        value: The constant, or the scale's or score's position (scales first, then composites).
        args: The operands of an operation.
    """

    op: str
    value: int = 0
    args: tuple[Expr, ...] = ()


def const(value: int) -> Expr:
    """The integer *value*."""
    return Expr("const", value)


def _add(left: Expr, right: Expr) -> Expr:
    return Expr("add", args=(left, right))


def _sub(left: Expr, right: Expr) -> Expr:
    if right.op == "const" and right.value == 0:  # A range from 0 (POMP's): ``x - 0`` is ``x``.
        return left
    return Expr("sub", args=(left, right))


def _mul(left: Expr, right: Expr) -> Expr:
    if right.op == "const" and left.op != "const":
        left, right = right, left
    if left.op == "const" and right.op == "const":
        return const(left.value * right.value)
    if left.op == "const" and right.op == "mul" and right.args[0].op == "const":  # a * (b * x) is (a b) * x.
        return _mul(const(left.value * right.args[0].value), right.args[1])
    if left.op == "const" and left.value == 0:  # ``0 * x``: a range's bottom of 0.
        return left
    if left.op == "const" and left.value == 1:
        return right
    return Expr("mul", args=(left, right))


def _product(factors: Sequence[Expr]) -> Expr:
    """The product of *factors*, its constants multiplied into one, first."""
    result = const(math.prod(factor.value for factor in factors if factor.op == "const"))
    for factor in factors:
        if factor.op != "const":
            result = _mul(result, factor)
    return result


def _sum(terms: Sequence[Expr]) -> Expr:
    result = terms[0]
    for term in terms[1:]:
        result = _add(result, term)
    return result


@frozen
class Ratio:
    """A figure as its exact fraction: *num* over *den* (positive)."""

    num: Expr
    den: Expr


@frozen
class ScoreFormula:
    """
    One score's figures as ratios.

    Attributes:
        id: The score's id.
        position: Its position: the scales in order, then the composites, parts first.
        value: Its value, over its scale's total and count, or its parts' numerators and denominators.
        pomp: Its POMP, over its own numerator and denominator (``num`` and ``den`` of itself).
        reaches: Per lower bound after the first, two expressions: the first is at least the
            second when the score reaches that bound.
        band_ids: Its bands' ids.
    """

    id: str
    position: int
    value: Ratio
    pomp: Ratio
    reaches: tuple[tuple[Expr, Expr], ...]
    band_ids: tuple[str, ...]

    @property
    def own(self) -> Ratio:
        """The value over its own bound numerator and denominator (a constant denominator stays one)."""
        return Ratio(Expr("num", self.position), _own_den(self.position, self.value))


def _reaches(position: int, value: Ratio, lowers: Sequence[Fraction]) -> tuple[tuple[Expr, Expr], ...]:
    """Per lower bound ``p / q``: (``num * q``, ``p * den``); the first is at least the second when it is reached."""
    num, den = Expr("num", position), _own_den(position, value)
    return tuple((_mul(num, const(lower.denominator)), _mul(const(lower.numerator), den)) for lower in lowers)


@frozen
class Formulas:
    """Every score of an instrument as `ScoreFormula`: the scales in order, then the composites, parts first."""

    scores: tuple[ScoreFormula, ...]


def formulas(instrument: Instrument) -> Formulas:
    """The formulas of every score of *instrument* (scales, then composites in computing order)."""
    scales = instrument.scales
    order = instrument.composite_order
    scores_in_order: tuple[Scale | Composite, ...] = (*scales, *order)
    position = {score.id: index for index, score in enumerate(scores_in_order)}
    scores = [_scale(instrument, scale, index) for index, scale in enumerate(scales)]
    for index, composite in enumerate(order, start=len(scales)):
        scores.append(_composite(instrument, composite, index, position, scores))
    return Formulas(scores=tuple(scores))


def _own_den(position: int, value: Ratio) -> Expr:
    """A score's denominator as its other formulas read it: the constant where it is one, else its bound name."""
    return value.den if value.den.op == "const" else Expr("den", position)


def _pomp_of(position: int, value: Ratio, low: Fraction, high: Fraction) -> Ratio:
    """``100 * (x - low) / (high - low)`` of score *position*'s exact value ``x = num / den``."""
    # 100 (N/D - p/q) / w  =  100 (N q - p D) / (q w D): one constant factor in lowest terms.
    factor = Fraction(100) / (low.denominator * (high - low))
    num, den = Expr("num", position), _own_den(position, value)
    shifted = _sub(_mul(num, const(low.denominator)), _mul(const(low.numerator), den))
    return Ratio(_mul(const(factor.numerator), shifted), _mul(const(factor.denominator), den))


def _scale(instrument: Instrument, scale: Scale, index: int) -> ScoreFormula:
    total = Expr("total", index)
    # With every item required, a scale that has a value has all of them answered: its count is a constant.
    count = const(len(scale.items)) if scale.min_answered == len(scale.items) else Expr("count", index)
    low, high = instrument.scale_response(scale.id)
    if scale.method == "mean":
        value = Ratio(total, count)
    elif scale.method == "sum":
        value = Ratio(_mul(total, const(len(scale.items))), count)
    else:
        factor = Fraction(100, high - low)
        shifted = _sub(total, _mul(const(low), count))
        value = Ratio(_mul(const(factor.numerator), shifted), _mul(const(factor.denominator), count))
    return _formula(instrument, scale, index, value)


def _composite(
    instrument: Instrument, composite: Composite, index: int, position: dict[str, int], made: Sequence[ScoreFormula]
) -> ScoreFormula:
    parts = [position[part.scale] for part in composite.parts]
    nums = [Expr("num", part) for part in parts]
    dens = [_own_den(part, made[part].value) for part in parts]
    if composite.method == "difference":
        value = Ratio(_sub(_mul(nums[0], dens[1]), _mul(nums[1], dens[0])), _mul(dens[0], dens[1]))
    else:
        ratios = [weight_ratio(part.weight) for part in composite.parts]
        common = math.lcm(*(ratio.denominator for ratio in ratios))
        weights = [int(ratio * common) for ratio in ratios]
        divisor = math.gcd(*weights)
        weights = [weight // divisor for weight in weights]
        terms = [
            _mul(const(weight), _product([nums[i], *(dens[:i] + dens[i + 1 :])])) for i, weight in enumerate(weights)
        ]
        value = Ratio(_sum(terms), _mul(const(sum(weights)), _product(dens)))
    return _formula(instrument, composite, index, value)


def _formula(instrument: Instrument, shape: Scale | Composite, index: int, value: Ratio) -> ScoreFormula:
    """A score's formula from its value: its POMP over its exact range, its bands' tests."""
    bottom, top = instrument.exact_range(shape.id)
    lowers = tuple(decimal_ratio(band.lower) for band in shape.bands[1:])
    return ScoreFormula(
        id=shape.id,
        position=index,
        value=value,
        pomp=_pomp_of(index, value, bottom, top),
        reaches=_reaches(index, value, lowers),
        band_ids=tuple(band.id for band in shape.bands),
    )


class Ops(Protocol[E]):
    """What a back end evaluates an expression with: its integers (or exact doubles) and three operations."""

    def const(self, value: int) -> E: ...
    def add(self, left: E, right: E) -> E: ...
    def sub(self, left: E, right: E) -> E: ...
    def mul(self, left: E, right: E) -> E: ...


def evaluate(expr: Expr, ops: Ops[E], leaf: Callable[[str, int], E]) -> E:
    """*expr* with *ops*; *leaf* gives a ``total``, ``count``, ``num`` or ``den`` by its kind and position."""
    if expr.op == "const":
        return ops.const(expr.value)
    if not expr.args:
        return leaf(expr.op, expr.value)
    left, right = (evaluate(arg, ops, leaf) for arg in expr.args)
    if expr.op == "add":
        return ops.add(left, right)
    if expr.op == "sub":
        return ops.sub(left, right)
    return ops.mul(left, right)


@frozen
class _Span:
    low: int
    high: int


class _Bounds:
    """Interval arithmetic over integers that remembers the largest magnitude any step reached."""

    def __init__(self) -> None:
        self.largest = 0

    def seen(self, low: int, high: int) -> _Span:
        self.largest = max(self.largest, abs(low), abs(high))
        return _Span(low, high)

    def const(self, value: int) -> _Span:
        return self.seen(value, value)

    def add(self, left: _Span, right: _Span) -> _Span:
        return self.seen(left.low + right.low, left.high + right.high)

    def sub(self, left: _Span, right: _Span) -> _Span:
        return self.seen(left.low - right.high, left.high - right.low)

    def mul(self, left: _Span, right: _Span) -> _Span:
        ends = [a * b for a in (left.low, left.high) for b in (right.low, right.high)]
        return self.seen(min(ends), max(ends))


def _bounds_leaf(
    ops: _Bounds, inputs: Sequence[tuple[_Span, _Span]], spans: Sequence[tuple[_Span, _Span]]
) -> Callable[[str, int], _Span]:
    def leaf(kind: str, at: int) -> _Span:
        if kind in {"total", "count"}:
            span = inputs[at][0 if kind == "total" else 1]
            return ops.seen(span.low, span.high)
        return spans[at][0 if kind == "num" else 1]

    return leaf


def bound(instrument: Instrument, table: Formulas) -> dict[str, int]:
    """
    Each score's largest magnitude at any step of its evaluation: its value, POMP and band tests.

    Every total and count at its extremes (a count from the scale's minimum answered to its
    items; a total from the lowest to the highest keyed sum of any such count); every part
    of a composite at its own extremes.
    """
    spans: list[tuple[_Span, _Span]] = []  # Each score's numerator and denominator.
    inputs: list[tuple[_Span, _Span]] = []  # Each scale's total and count.
    for scale in instrument.scales:
        low, high = instrument.scale_response(scale.id)
        counts = (scale.min_answered, len(scale.items))
        inputs.append((_Span(min(low * n for n in counts), max(high * n for n in counts)), _Span(*counts)))
    largest: dict[str, int] = {}
    for score in table.scores:
        ops = _Bounds()
        leaf = _bounds_leaf(ops, inputs, spans)

        num = evaluate(score.value.num, ops, leaf)
        den = evaluate(score.value.den, ops, leaf)
        spans.append((num, den))
        evaluate(score.pomp.num, ops, leaf)
        evaluate(score.pomp.den, ops, leaf)
        for sides in score.reaches:
            for side in sides:
                evaluate(side, ops, leaf)
        largest[score.id] = ops.largest
    return largest


class _Python:
    """Python source of an integer expression (`evaluate`): every sum and difference in parentheses."""

    @staticmethod
    def const(value: int) -> str:
        text = repr(value)
        return f"({text})" if value < 0 else text

    @staticmethod
    def add(left: str, right: str) -> str:
        return f"({left} + {right})"

    @staticmethod
    def sub(left: str, right: str) -> str:
        return f"({left} - {right})"

    @staticmethod
    def mul(left: str, right: str) -> str:
        return f"{left} * {right}"


PYTHON = _Python()


def python_source(score: ScoreFormula, leaf: Callable[[str, int], str]) -> tuple[str, str, str, str]:
    """
    Python source of a score's numerator, denominator, POMP and band, its leaves named by *leaf*.

    The POMP and the band read the score's own numerator and denominator (``leaf("num", k)``
    and ``leaf("den", k)``), set from the first two; the band is a conditional expression,
    the highest lower bound first, its ids written by `repr`.
    """

    def code(expr: Expr) -> str:
        return evaluate(expr, PYTHON, leaf)

    percent = f"({code(score.pomp.num)}) / ({code(score.pomp.den)})"
    band = "None"
    if score.band_ids:
        band = repr(score.band_ids[0])
        for index, (left, right) in enumerate(score.reaches):
            band = f"{score.band_ids[index + 1]!r} if {code(left)} >= {code(right)} else ({band})"
    return code(score.value.num), code(score.value.den), percent, band


def _names(kind: str, at: int) -> str:
    return f"{kind[0].upper()}[{at}]"  # T[j], C[j], N[k], D[k]: the lists a compiled formula reads.


@frozen
class PythonFormula:
    """
    A score's formulas as Python functions of ``(T, C, N, D)``.

    The scales' totals and counts, the scores' numerators and denominators: made from the
    source `python_source` writes (whole numbers and those four names only), once per plan.
    Whole numbers in, so they take Python's integers (exact at any size) or NumPy's arrays
    of whole-number doubles alike.

    Attributes:
        position: The score's position among the plan's scores.
        num: Its numerator.
        den: Its denominator.
        pomp_num: Its POMP's numerator (over ``N`` and ``D``, its own set).
        pomp_den: Its POMP's denominator.
        reaches: Per band bound after the first, two functions: the first at least the second
            when the score reaches it.
        band_ids: Its bands' ids.
        scored: One call for Python's integers: appends the numerator and denominator to ``N``
            and ``D`` and returns the value, POMP and band, each one ``int / int``.
    """

    position: int
    num: Callable[..., Any]
    den: Callable[..., Any]
    pomp_num: Callable[..., Any]
    pomp_den: Callable[..., Any]
    reaches: tuple[tuple[Callable[..., Any], Callable[..., Any]], ...]
    band_ids: tuple[str, ...]
    scored: Callable[..., tuple[float, float, str | None]]


def python_formulas(table: Formulas) -> tuple[PythonFormula, ...]:
    """Every score's formulas as Python functions (`PythonFormula`)."""
    return tuple(_python_formula(score) for score in table.scores)


def _python_formula(score: ScoreFormula) -> PythonFormula:
    def function(text: str) -> Callable[..., Any]:
        return _compiled(f"lambda T, C, N, D: {text}")

    num, den, percent, band = python_source(score, _names)
    k = score.position
    lines = [
        "def scored(T, C, N, D):",
        f"    N.append({num})",
        f"    D.append({den})",
        f"    return N[{k}] / D[{k}], {percent}, {band}",
    ]
    namespace: dict[str, Any] = {"__builtins__": {}}
    exec(compile("\n".join(lines), "<leadscore formula>", "exec"), namespace)  # noqa: S102 - our text: ints, four names, repr'd ids
    return PythonFormula(
        position=k,
        num=function(num),
        den=function(den),
        pomp_num=function(evaluate(score.pomp.num, PYTHON, _names)),
        pomp_den=function(evaluate(score.pomp.den, PYTHON, _names)),
        reaches=tuple(
            (function(evaluate(left, PYTHON, _names)), function(evaluate(right, PYTHON, _names)))
            for left, right in score.reaches
        ),
        band_ids=score.band_ids,
        scored=namespace["scored"],
    )


def _compiled(text: str) -> Callable[..., Any]:
    code = compile(text, "<leadscore formula>", "eval")
    return eval(code, {"__builtins__": {}})  # type: ignore[no-any-return]  # noqa: S307 - our text: ints and four names
