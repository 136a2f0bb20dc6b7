"""
The plan as a program of column expressions: one walk over its rules, for every engine.

`program` walks a plan once and builds every score as an expression over the answer
columns, through a `Target` that makes the engine's own expressions (sqlglot's syntax trees
for SQL, Polars expressions). The arithmetic is the plan's, operation for operation:

- A cell is valid when it is empty, a whole number within the item's range, or the item's
  not-applicable code. The first invalid cell of a row, in the instrument's item order,
  gives the row's ``error`` text; a row with an error gets no scores.
- Valid answers are read as 64-bit integers (not applicable and empty as null), so every
  scale's keyed total (a reverse key is ``min + max - x``) and count are exact.
- A mean is the total as a double divided by the count, one correctly rounded division, as
  ``int / int`` is in Python; a prorated sum is ``total * n_items`` divided by the count;
  POMP is ``100 * (mean - low) / span``: the same operations in the same order as `score`,
  so these are equal bit for bit.
- A difference of scores is one subtraction (bit for bit). A weighted mean adds its weighted
  parts in turn where `score` uses `math.fsum`: equal bit for bit for two parts (one
  rounding either way), within 1e-12 relative beyond.
- A band is the last whose lower bound the value reaches, else the first.

Values are bound at levels (`Target.level`): SQL makes each level a common table
expression, so each score is computed once; Polars inlines them, and its optimizer finds
the shared parts.
"""

from __future__ import annotations

import functools

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar

from leadscore._checks import quoted
from leadscore._plan import CompositeRule, Plan, ScaleRule, allowed_answers
from leadscore.errors import InvalidArgumentError


__all__ = ["EXACT", "INTERNAL", "MAX_UNFOLDED", "Columns", "Target", "check_bounds", "check_unfolded", "program"]

#: Beyond this, integers do not all have a double of their own: totals and their products
#: with a scale's item count must stay within it for a mean to be one correct rounding.
EXACT = 2**53

E = TypeVar("E")
#: A program's result columns, name and expression, in order: kept columns, scores, ``error``.
Columns = tuple[tuple[str, E], ...]


class Target(Protocol[E]):
    """What an engine gives the walk: expressions of its own, and levels to bind them at."""

    def answer(self, item_id: str) -> E:
        """The answer column named *item_id*, as the table holds it."""

    def number(self, value: float) -> E:
        """A constant: a whole number, or a double exactly as Python holds it."""

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
    def div_by(self, value: E, constant: float) -> E:
        """*value* divided by *constant*, one IEEE division in every row."""

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
    """Refuse an instrument whose answers or totals would not all be exact doubles, naming each."""
    problems = [
        f"item {quoted(rule.id)}: its answers and codes must lie within ±2**53"
        for rule in plan.items
        if max(abs(rule.low), abs(rule.high), abs(rule.not_applicable or 0)) > EXACT
    ]
    problems += [
        f"scale {quoted(rule.id)}: its largest answer times its item count, squared, passes 2**53"
        for rule in plan.scales
        if max(abs(rule.low), abs(rule.high)) * rule.n_items * rule.n_items > EXACT
    ]
    if problems:
        raise InvalidArgumentError(
            f"the {target_name} target cannot score {plan.instrument_id!r} exactly: " + "; ".join(problems)
        )


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
    scored: dict[str, E] = {}
    for j, rule in enumerate(plan.scales):
        total, n = second[f"_ls_t{j}"], second[f"_ls_n{j}"]
        enough = t.both(ok, t.ge(n, t.number(rule.min_answered)))
        value, percent = _scale(t, rule, total, n)
        scored[f"_ls_v{j}"] = t.case([(enough, value)])
        scored[f"_ls_p{j}"] = t.case([(enough, percent)])
    values = t.level(scored)
    refs = {j: values[f"_ls_v{j}"] for j in range(len(plan.scales))}
    for depth in _by_depth(plan):  # A composite's parts are all bound at lower depths.
        bound = t.level({f"_ls_v{k}": _composite(t, plan.composites[k - len(plan.scales)], refs) for k in depth})
        refs.update({k: bound[f"_ls_v{k}"] for k in depth})
    return _columns(plan, t, kept=kept, fields=fields, checked=(error, ok), sums=second, values=values, refs=refs)


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


def _pomp(t: Target[E], value: E, low: float, span: float) -> E:
    """``100 * (value - low) / span``, as `leadscore._plan.pomp`."""
    return t.div_by(t.mul(t.number(100), t.sub(value, t.number(low))), span)


def _scale(t: Target[E], rule: ScaleRule, total: E, n: E) -> tuple[E, E]:
    """A scale's value and POMP from its keyed total and count (the plan's `scale_value`)."""
    mean = t.div(t.as_float(total), n)
    percent = _pomp(t, mean, rule.low, rule.span)
    if rule.method == "mean":
        return mean, percent
    if rule.method == "sum":
        return t.div(t.as_float(t.mul(total, t.number(rule.n_items))), n), percent
    return percent, percent


def _composite(t: Target[E], rule: CompositeRule, refs: dict[int, E]) -> E:
    """A composite's value from its parts' values; null when any part is (null propagates)."""
    parts = [refs[part] for part in rule.parts]
    if rule.is_difference:
        return t.sub(parts[0], parts[1])
    # x * 1.0 is x exactly: unit weights need no multiplication.
    weighted = [
        part if weight == 1 else t.mul(t.number(weight), part) for weight, part in zip(rule.weights, parts, strict=True)
    ]
    # Added in turn, left to right, as score_frame adds them.
    return t.div_by(functools.reduce(t.add, weighted), rule.total_weight)


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


def _band(t: Target[E], value: E, lowers: Sequence[float], band_ids: Sequence[str]) -> E:
    """The band's id: the last whose lower bound *value* reaches, else the first (null for null)."""
    whens = [(t.ge(value, t.number(lower)), t.text(band)) for lower, band in zip(lowers[1:], band_ids[1:], strict=True)]
    return t.case([*reversed(whens), (t.not_null(value), t.text(band_ids[0]))])


def _columns(
    plan: Plan,
    t: Target[E],
    *,
    kept: list[str],
    fields: tuple[str, ...],
    checked: tuple[E, E],
    sums: dict[str, E],
    values: dict[str, E],
    refs: dict[int, E],
) -> Columns[E]:
    error, ok = checked
    rules: list[ScaleRule | CompositeRule] = [*plan.scales, *plan.composites]
    row = {rule.id: index for index, rule in enumerate(rules)}
    out: list[tuple[str, E]] = [(name, t.answer(name)) for name in kept]
    for score_id, field in plan.table_columns(fields):
        index = row[score_id]
        rule = rules[index]
        value = refs[index]
        if field == "value":
            column = value
        elif field == "n_answered":
            column = t.case([(ok, sums[f"_ls_n{index}"])])
        elif field == "pomp":
            if isinstance(rule, ScaleRule):
                column = values[f"_ls_p{index}"]
            else:
                column = _pomp(t, value, rule.bottom, rule.width)
        else:
            column = t.bands(_band(t, value, rule.lowers, rule.band_ids) if rule.band_ids else None, rule.band_ids)
        out.append((f"{score_id}.{field}", column))
    out.append(("error", error))
    return tuple(out)
