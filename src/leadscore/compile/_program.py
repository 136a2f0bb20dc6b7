"""
The plan as a program of column expressions: one walk over its rules, for every engine.

`program` walks a plan once and builds every score as an expression over the answer
columns, through a `Target` that makes the engine's own expressions (sqlglot's syntax trees
for SQL, Polars expressions). The arithmetic is the plan's exact formulas
(`leadscore._exact`), evaluated with the target's integers:

- A cell is valid when it is empty, a whole number within the item's range, or the item's
  not-applicable code. The first invalid cell of a row, in the instrument's item order,
  gives the row's ``error`` text; a row with an error gets no scores.
- Valid answers are read as 64-bit integers (not applicable and empty as null), so every
  scale's keyed total (a reverse key is ``min + max - x``) and count are exact.
- Each score's numerator and denominator are integer expressions over the totals, the
  counts and its parts' numerators and denominators (the numerator null when too few items
  are answered, and so every figure over it); each figure is the numerator as a double divided by
  the denominator as a double: while every step is within 2**53 (`check_bounds`) that is the
  correctly rounded quotient, as ``int / int`` is in Python, so every figure equals
  `score`'s bit for bit. No divisor is a constant (each holds a count column).
- A band is the last whose lower bound ``p / q`` the exact value reaches (``num * q >= p *
  den``), else the first.

Values are bound at levels (`Target.level`): SQL makes each level a common table
expression, so each score is computed once; Polars inlines them, and its optimizer finds
the shared parts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol, TypeVar

from leadscore._checks import quoted
from leadscore._exact import Ratio, ScoreFormula, evaluate
from leadscore._plan import Plan, allowed_answers
from leadscore.errors import InvalidArgumentError


__all__ = ["INTERNAL", "MAX_UNFOLDED", "Columns", "Target", "check_bounds", "check_unfolded", "program"]


E = TypeVar("E")
#: A program's result columns, name and expression, in order: kept columns, scores, ``error``.
Columns = tuple[tuple[str, E], ...]


class Target(Protocol[E]):
    """What an engine gives the walk: expressions of its own, and levels to bind them at."""

    def answer(self, item_id: str) -> E:
        """The answer column named *item_id*, as the table holds it."""

    def number(self, value: int) -> E:
        """A whole number (the exact formulas have no other constants)."""

    def text(self, value: str) -> E:
        """A text constant."""

    def bands(self, value: E | None, band_ids: Sequence[str]) -> E:
        """A band column: *value* (a band id or null; None for a score without bands) among *band_ids*."""

    def case(self, whens: Sequence[tuple[E, E]], default: E | None = None) -> E:
        """The value of the first condition that holds, else *default* (else null)."""

    def floor(self, value: E) -> E:
        """The greatest whole number not above *value*."""

    def as_int(self, value: E) -> E:
        """*value* as a 64-bit integer (only ever asked of whole numbers within range)."""

    def as_float(self, value: E) -> E:
        """*value* as a double."""

    def as_text(self, value: E) -> E:
        """*value* written as the engine writes it."""

    def text_null(self) -> E:
        """A null text."""

    def concat(self, parts: Sequence[E]) -> E:
        """Texts joined."""

    def count(self, value: E) -> E:
        """1 where *value* is not null, else 0, as a column (never a constant)."""

    def zero_for_null(self, value: E) -> E:
        """*value*, with 0 for null."""

    def add(self, left: E, right: E) -> E: ...
    def sub(self, left: E, right: E) -> E: ...
    def mul(self, left: E, right: E) -> E: ...
    def div(self, left: E, right: E) -> E: ...
    def div_by(self, value: E, constant: int) -> E:
        """*value* (a double) divided by the whole number *constant*, one IEEE division in every row."""

    def eq(self, left: E, right: E) -> E: ...
    def ge(self, left: E, right: E) -> E: ...
    def between(self, value: E, low: E, high: E) -> E: ...
    def is_null(self, value: E) -> E: ...
    def not_null(self, value: E) -> E: ...
    def both(self, left: E, right: E) -> E: ...
    def either(self, left: E, right: E) -> E: ...
    def negate(self, value: E) -> E: ...

    def level(self, bindings: dict[str, E]) -> dict[str, E]:
        """Bind *bindings* (name to expression, over what earlier levels bound); return how to refer to each."""


#: Every name the query binds for itself starts with this (a kept column may not).
INTERNAL = "_ls_"


def check_bounds(plan: Plan, target_name: str) -> None:
    """Refuse an instrument whose answers or figures would not all be exact doubles, naming each."""
    plan.refuse_beyond_doubles(target_name)


#: The most scale values one Polars expression may unfold to: composites of composites are
#: inlined (a composite reading two of the level below doubles the count at every level).
MAX_UNFOLDED = 10_000


def check_unfolded(plan: Plan) -> None:
    """Refuse a chain of composites whose inlined expressions would pass `MAX_UNFOLDED` scale values."""
    n_scales = len(plan.scales)
    size = [1] * n_scales
    for rule in plan.composites:
        size.append(sum(size[part] for part in rule.parts))
    deep = [rule.id for rule, n in zip(plan.composites, size[n_scales:], strict=True) if n > MAX_UNFOLDED]
    if deep:
        raise InvalidArgumentError(
            f"the Polars target inlines composites of composites, and {', '.join(map(quoted, deep))} would read "
            f"more than {MAX_UNFOLDED:,} scale values: score {plan.instrument_id!r} with to_sql or score_frame"
        )


def program(plan: Plan, target: Target[E], *, keep: Iterable[str], fields: tuple[str, ...]) -> Columns[E]:
    """*plan*'s scores as columns of *target*'s expressions: the kept columns, the scores asked for, ``error``."""
    t = target
    kept = list(keep)
    error, valid, keyed = _validated(plan, t)
    first = t.level({"_ls_error": error, "_ls_ok": valid} | {f"_ls_k{p}": k for p, k in enumerate(keyed)})
    error, ok = first["_ls_error"], first["_ls_ok"]
    answers = [first[f"_ls_k{p}"] for p in range(len(plan.items))]
    sums: dict[str, E] = {}
    for j, rule in enumerate(plan.scales):
        terms = [t.zero_for_null(answers[p]) for p in rule.forward]
        terms += [t.zero_for_null(t.sub(t.number(rule.offset), answers[p])) for p in rule.reverse]
        counts = [t.count(answers[p]) for p in rule.positions]
        sums[f"_ls_t{j}"], sums[f"_ls_n{j}"] = _tree(t.add, terms), t.as_int(_tree(t.add, counts))
    second = t.level(sums)
    ops = _Ops(t)
    table = plan.formulas.scores
    exact: dict[str, E] = {}
    for j, rule in enumerate(plan.scales):
        total, n = second[f"_ls_t{j}"], second[f"_ls_n{j}"]
        enough = t.both(ok, t.ge(n, t.number(rule.min_answered)))
        leaf = _scale_leaf(total, n)
        # Only the numerator is null without enough answers: every figure over it is null then
        # (a denominator of 0 is only ever divided into a null).
        exact[f"_ls_a{j}"] = t.case([(enough, evaluate(table[j].value.num, ops, leaf))])
        exact[f"_ls_b{j}"] = evaluate(table[j].value.den, ops, leaf)
    bound = t.level(exact)
    refs = {j: (bound[f"_ls_a{j}"], bound[f"_ls_b{j}"]) for j in range(len(plan.scales))}
    for depth in _by_depth(plan):  # A composite's parts are all bound at lower depths; null parts give null.
        leaf = _score_leaf(refs)
        level: dict[str, E] = {}
        for k in depth:
            level[f"_ls_a{k}"] = evaluate(table[k].value.num, ops, leaf)
            level[f"_ls_b{k}"] = evaluate(table[k].value.den, ops, leaf)
        bound = t.level(level)
        refs.update({k: (bound[f"_ls_a{k}"], bound[f"_ls_b{k}"]) for k in depth})
    return _columns(plan, t, kept=kept, fields=fields, checked=(error, ok), sums=second, refs=refs)


def _validated(plan: Plan, t: Target[E]) -> tuple[E, E, list[E]]:
    """
    The row's checks and answers.

    Its error text (null when every cell is valid), whether every cell is valid, and each
    item's answer as an integer (null when not answered, not applicable or invalid).
    """
    whens: list[tuple[E, E]] = []
    fine: list[E] = []
    keyed: list[E] = []
    for rule in plan.items:
        cell = t.answer(rule.id)
        whole = t.eq(cell, t.floor(cell))
        in_range = t.between(cell, t.number(rule.low), t.number(rule.high))
        where = f"column {quoted(rule.id)}: "
        allowed = allowed_answers(rule.low, rule.high, rule.not_applicable)
        valid = (
            in_range if rule.not_applicable is None else t.either(in_range, t.eq(cell, t.number(rule.not_applicable)))
        )
        for condition, reason in ((t.negate(whole), "must be a whole number"), (t.negate(valid), f"must be {allowed}")):
            message = t.concat([t.text(f"{where}{reason} (got "), t.as_text(cell), t.text(")")])
            whens.append((t.both(t.not_null(cell), condition), message))
        fine.append(t.either(t.is_null(cell), t.both(whole, valid)))
        keyed.append(t.case([(t.both(whole, in_range), t.as_int(cell))]))
    valid = _tree(t.both, fine)
    # The messages only where a cell is bad: an engine that evaluates lazily tests each cell once.
    return t.case([(valid, t.text_null())], t.case(whens)), valid, keyed


def _tree(combine: Callable[[E, E], E], terms: list[E]) -> E:
    """
    *terms* combined as a balanced tree, only log2(n) deep for a parser to read.

    For what does not depend on the order: sums of whole numbers (exact), conjunctions.
    """
    if len(terms) == 1:
        return terms[0]
    middle = len(terms) // 2
    return combine(_tree(combine, terms[:middle]), _tree(combine, terms[middle:]))


class _Ops:
    """A target's integer expressions for the exact formulas (`leadscore._exact.evaluate`)."""

    def __init__(self, target: Target[E]) -> None:
        self.t = target

    def const(self, value: int) -> Any:
        return self.t.number(value)

    def add(self, left: Any, right: Any) -> Any:
        return self.t.add(left, right)

    def sub(self, left: Any, right: Any) -> Any:
        return self.t.sub(left, right)

    def mul(self, left: Any, right: Any) -> Any:
        return self.t.mul(left, right)


def _scale_leaf(total: E, n: E) -> Callable[[str, int], E]:
    """A scale's formula reads its own total and count only."""
    return lambda kind, _: total if kind == "total" else n


def _score_leaf(refs: dict[int, tuple[E, E]]) -> Callable[[str, int], E]:
    """A composite's formula, a POMP and a band test read scores' numerators and denominators."""
    return lambda kind, at: refs[at][0 if kind == "num" else 1]


def _ratio(t: Target[E], ratio: Ratio, leaf: Callable[[str, int], E]) -> E:
    """*ratio* as one division of two doubles (whole numbers, exact within 2**53)."""
    ops = _Ops(t)
    num = t.as_float(evaluate(ratio.num, ops, leaf))
    if ratio.den.op == "const":  # Every item required: a constant count. Polars must not divide by a constant.
        return t.div_by(num, ratio.den.value)
    return t.div(num, t.as_float(evaluate(ratio.den, ops, leaf)))


def _by_depth(plan: Plan) -> list[list[int]]:
    """The composites' positions among all scores, grouped by how many composites deep their parts go."""
    n_scales = len(plan.scales)
    depth: dict[int, int] = {}
    for k, rule in enumerate(plan.composites, start=n_scales):
        depth[k] = 1 + max((depth.get(part, 0) for part in rule.parts), default=0)
    levels: dict[int, list[int]] = {}
    for k, d in depth.items():
        levels.setdefault(d, []).append(k)
    return [levels[d] for d in sorted(levels)]


def _band(t: Target[E], formula: ScoreFormula, leaf: Callable[[str, int], E], present: E) -> E:
    """The band's id: the last whose lower bound the exact value reaches, else the first (null for null)."""
    ops = _Ops(t)
    whens = [
        (t.ge(evaluate(left, ops, leaf), evaluate(right, ops, leaf)), t.text(band))
        for (left, right), band in zip(formula.reaches, formula.band_ids[1:], strict=True)
    ]
    return t.case([*reversed(whens), (t.not_null(present), t.text(formula.band_ids[0]))])


def _columns(
    plan: Plan,
    t: Target[E],
    *,
    kept: list[str],
    fields: tuple[str, ...],
    checked: tuple[E, E],
    sums: dict[str, E],
    refs: dict[int, tuple[E, E]],
) -> Columns[E]:
    error, ok = checked
    table = plan.formulas.scores
    ids = [rule.id for rule in plan.scales] + [rule.id for rule in plan.composites]
    row = {score_id: index for index, score_id in enumerate(ids)}
    leaf = _score_leaf(refs)
    out: list[tuple[str, E]] = [(name, t.answer(name)) for name in kept]
    for score_id, field in plan.table_columns(fields):
        index = row[score_id]
        formula = table[index]
        if field == "value":
            column = _ratio(t, formula.own, leaf)
        elif field == "n_answered":
            column = t.case([(ok, sums[f"_ls_n{index}"])])
        elif field == "pomp":
            column = _ratio(t, formula.pomp, leaf)
        else:
            banded = _band(t, formula, leaf, refs[index][0]) if formula.band_ids else None
            column = t.bands(banded, formula.band_ids)
        out.append((f"{score_id}.{field}", column))
    out.append(("error", error))
    return tuple(out)
