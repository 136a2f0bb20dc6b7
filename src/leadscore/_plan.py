"""
Compile an instrument once into a plan, and score answers against it.

The plan is the instrument reduced to what scoring needs: per item its position and the
answers it takes (`ItemRule`), per scale its keyed item positions and method (`ScaleRule`),
per composite its parts (`CompositeRule`), in the order scores are computed. The rules are
slotted attrs classes, built by keyword and read by name (reading a slot took 26 ns, a
named tuple's field 49 ns: see docs/performance.md), compared by identity: nothing compares
plans, and leaving out the generated equality halves what they cost at import. Every rule of
scoring has its home here, and the other layers (analysis, DataFrames, reports) take them
from the plan: how an answer is keyed, which answers an item takes and how a refusal is
worded, and where a score's value falls among its bands.

Everything here is on the scoring hot path: one pass over the answers to validate them,
then one pass per scale and composite. Answers are integers, so scale sums are exact; every
figure is an exact ratio of integers (`leadscore._exact`), divided once: the double nearest
its exact value. No order of answers can change a score.
"""

from __future__ import annotations

import functools

from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Literal

from attrs import frozen

from leadscore._canonical import fingerprint
from leadscore._catalog import Reason
from leadscore._checks import quoted, weight_ratio
from leadscore._codegen import WARM_UP, generated, source
from leadscore._exact import EXACT, Formulas, PythonFormula, bound, formulas, python_formulas
from leadscore._model import Composite, Instrument, Scale
from leadscore._results import ARITHMETIC, CompositeRow, Layout, Result, ScaleRow, rows_of
from leadscore.errors import InvalidAnswerError, InvalidAnswersError, InvalidArgumentError


__all__ = [
    "CompositeRule",
    "ItemRule",
    "Plan",
    "ScaleRule",
    "allowed_answers",
    "band_of",
    "compiled",
]


def allowed_answers(low: int, high: int, not_applicable: int | None) -> str:
    """What an item takes, as refusals word it: ``an integer from 1 to 5 or 0 (not applicable)``."""
    allowed = f"an integer from {low} to {high}"
    if not_applicable is not None:
        allowed += f" or {not_applicable} (not applicable)"
    return allowed


# A reason is immutable and made of a few small numbers or ids: one object per distinct reason,
# made once, so that scoring an answer set with gaps costs no more than it did with text.
@functools.lru_cache(maxsize=4096)
def _too_few(min_answered: int, n_answered: int, n_items: int, n_not_applicable: int) -> Reason:
    params = (
        ("min_answered", min_answered),
        ("n_answered", n_answered),
        ("n_items", n_items),
        ("n_not_applicable", n_not_applicable),
    )
    return Reason("too-few-answered", params)


@functools.lru_cache(maxsize=4096)
def _missing_parts(parts: tuple[str, ...]) -> Reason:
    return Reason("missing-parts", (("parts", parts),))


def band_of(value: float, lowers: Sequence[float], band_ids: Sequence[str]) -> str | None:
    """The id of the band *value* falls in (the last whose lower bound it reaches), or None without bands."""
    return band_ids[max(bisect_right(lowers, value) - 1, 0)] if band_ids else None


@frozen(eq=False)
class ItemRule:
    """
    One item as validation sees it.

    Attributes:
        id: The item's id.
        low: Its lowest answer.
        high: Its highest answer.
        not_applicable: Its not-applicable code, or None.
        valid: ``range(low, high + 1)``: ``answer in valid`` is one C call.
    """

    id: str
    low: int
    high: int
    not_applicable: int | None
    valid: range

    @property
    def answers(self) -> tuple[int, ...]:
        """Every answer the item takes: its range, then its not-applicable code if it has one."""
        return (*self.valid, self.not_applicable) if self.not_applicable is not None else tuple(self.valid)


@frozen(eq=False)
class ScaleRule:
    """
    One scale as scoring sees it: its items by position, split by keying.

    A reverse-keyed answer ``x`` counts as ``offset - x``, where ``offset`` is the response
    scale's ``min + max``: the one rule for reverse keys. `keyed` applies it to one answer
    set; scoring and `leadscore.frames` apply its sum form, ``offset * n - sum(x)``.

    Attributes:
        id: The scale's id.
        positions: Positions of its items, in the scale's order.
        forward: Positions of its positively keyed items, in the scale's order.
        reverse: Positions of its reverse-keyed items.
        members: All its item positions.
        single: The one item of a single-item, positively keyed scale, or None.
        n_items: How many items it has.
        min_answered: The fewest answered items that give a score.
        method: ``"mean"``, ``"sum"`` or ``"pomp"``.
        low: The lowest answer of its items.
        high: The highest answer of its items.
        offset: ``low + high``.
        span: ``high - low``.
    """

    id: str
    positions: tuple[int, ...]
    forward: tuple[int, ...]
    reverse: tuple[int, ...]
    members: frozenset[int]
    single: int | None
    n_items: int
    min_answered: int
    method: Literal["mean", "sum", "pomp"]
    low: int
    high: int
    offset: int
    span: int

    def keyed(self, values: Sequence[Any]) -> list[Any]:
        """The scale's keyed answers in its item order, from *values* by item position; None stays None."""
        offset, reverse = self.offset, self.reverse
        keyed = [values[p] for p in self.positions]
        for index, p in enumerate(self.positions):
            if p in reverse and keyed[index] is not None:
                keyed[index] = offset - keyed[index]
        return keyed


@frozen(eq=False)
class CompositeRule:
    """
    One composite as scoring sees it.

    Attributes:
        id: The composite's id.
        is_difference: True for ``"difference"`` (first part minus second), else a weighted mean.
        parts: The positions of its parts among all scores (scales first, then composites in order).
        part_ids: Their ids.
        weights: Their weights, exactly (`leadscore._model.weight_ratio`).
    """

    id: str
    is_difference: bool
    parts: tuple[int, ...]
    part_ids: tuple[str, ...]
    weights: tuple[Fraction, ...]


def _scale_rule(instrument: Instrument, scale: Scale, index: Mapping[str, int]) -> ScaleRule:
    low, high = instrument.scale_response(scale.id)
    forward = tuple(index[i] for i in scale.items if not scale.is_reversed(i))
    reverse = tuple(index[i] for i in scale.reverse_keyed)
    return ScaleRule(
        id=scale.id,
        positions=tuple(index[i] for i in scale.items),
        forward=forward,
        reverse=reverse,
        members=frozenset(forward + reverse),
        single=forward[0] if len(forward) == 1 and not reverse else None,
        n_items=len(scale.items),
        min_answered=scale.min_answered,
        method=scale.method,
        low=low,
        high=high,
        offset=low + high,
        span=high - low,
    )


def _composite_rule(composite: Composite, position: Mapping[str, int]) -> CompositeRule:
    return CompositeRule(
        id=composite.id,
        is_difference=composite.method == "difference",
        parts=tuple(position[part.scale] for part in composite.parts),
        part_ids=tuple(part.scale for part in composite.parts),
        weights=tuple(weight_ratio(part.weight) for part in composite.parts),
    )


class Plan:
    """
    An instrument reduced to what scoring needs.

    Attributes:
        instrument_id: The instrument's id.
        layout: What every result of this plan shares: (id, version, fingerprint), scale ids,
            composite ids in computing order.
        table_order: The scores in the order of a table of them: the scales, then the
            composites, each in the definition's order (see `table_columns`).
        items: One `ItemRule` per item, in the instrument's order.
        item_index: Item id to position.
        scales: One `ScaleRule` per scale, in the instrument's order.
        composites: One `CompositeRule` per composite, parts before the composites using them.
    """

    __slots__ = (
        "_python",
        "_scored",
        "_scorer",
        "bounds",
        "composites",
        "formulas",
        "instrument_id",
        "item_index",
        "items",
        "layout",
        "scales",
        "table_order",
    )

    def __init__(self, instrument: Instrument) -> None:
        """Compile *instrument* (and fingerprint it, for the results)."""
        self.instrument_id = instrument.id
        self.item_index = {item.id: index for index, item in enumerate(instrument.items)}
        self.items = tuple(
            ItemRule(
                id=item.id,
                low=item.response.min,
                high=item.response.max,
                not_applicable=None if item.response.not_applicable is None else item.response.not_applicable.code,
                valid=range(item.response.min, item.response.max + 1),
            )
            for item in instrument.items
        )
        self.scales = tuple(_scale_rule(instrument, scale, self.item_index) for scale in instrument.scales)
        order = instrument.composite_order
        scores: tuple[Scale | Composite, ...] = (*instrument.scales, *order)
        position = {score.id: index for index, score in enumerate(scores)}
        self.composites = tuple(_composite_rule(composite, position) for composite in order)
        self.formulas: Formulas = formulas(instrument)
        # Each score's largest whole number at any step: within 2**53, doubles compute it exactly.
        self.bounds = bound(instrument, self.formulas)
        self.layout: Layout = (
            (instrument.id, instrument.version, fingerprint(instrument), ARITHMETIC),
            tuple(scale.id for scale in instrument.scales),
            tuple(composite.id for composite in order),
        )
        self.table_order = (*self.layout[1], *(composite.id for composite in instrument.composites))
        # The generated scoring function (leadscore._codegen), made after WARM_UP scores.
        self._scorer: Any = None
        self._scored = 0
        # The formulas as Python functions (leadscore._exact.python_formulas), made on first use.
        self._python: tuple[PythonFormula, ...] | None = None

    def __getstate__(self) -> dict[str, Any]:
        """The plan without its generated function (a function made by `exec` cannot be pickled)."""
        return {name: getattr(self, name) for name in self.__slots__ if name not in {"_scorer", "_scored", "_python"}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        """A plan from `__getstate__`'s state; its function is generated again on its first score."""
        for name, value in state.items():
            setattr(self, name, value)
        self._scorer, self._scored, self._python = None, 0, None

    def python(self) -> tuple[PythonFormula, ...]:
        """The plan's exact formulas as Python functions (`leadscore._exact.python_formulas`), made on first use."""
        if self._python is None:
            self._python = python_formulas(self.formulas)
        return self._python

    def refuse_beyond_doubles(self, target: str) -> None:
        """
        Refuse, naming each, the answers and scores that a back end computing in doubles cannot compute exactly.

        Answers and codes must lie within ±2**53, and every step of a score's exact formulas
        (`leadscore._exact.bound`) too; `score` itself computes with Python integers, exact at any size.
        """
        problems = [
            f"item {quoted(rule.id)}: its answers and codes must lie within ±2**53"
            for rule in self.items
            if max(abs(rule.low), abs(rule.high), abs(rule.not_applicable or 0)) > EXACT
        ]
        problems += [
            f"score {quoted(score_id)}: its exact figures need whole numbers of {largest.bit_length()} bits, "
            "beyond 2**53"
            for score_id, largest in self.bounds.items()
            if largest > EXACT
        ]
        if problems:
            raise InvalidArgumentError(
                f"the {target} target cannot score {self.instrument_id!r} exactly: " + "; ".join(problems)
            )

    @property
    def fingerprint(self) -> str:
        """The instrument's fingerprint."""
        return self.layout[0][2]

    def table_columns(self, fields: Iterable[str]) -> list[tuple[str, str]]:
        """
        The (score id, field) of every column of a table of scores, in the one order all tables share.

        The scales, then the composites, each in the definition's order; per score the
        *fields* in `leadscore.frames.FIELDS`' order, but ``n_answered`` only for a scale (a
        composite counts no items) and ``band`` only for a score with bands. Every tabular
        output lays its scores out by this: ``leadscore score``'s CSV, `score_frame`,
        `leadscore.compile`'s SQL and Polars.
        """
        asked = tuple(fields)
        every: tuple[ScaleRule | CompositeRule, ...] = (*self.scales, *self.composites)
        # A score's rule and its formula (which knows its bands) share its position.
        at = {rule.id: index for index, rule in enumerate(every)}
        return [
            (score_id, field)
            for score_id in self.table_order
            for field in asked
            if not (field == "n_answered" and at[score_id] >= len(self.scales))
            and not (field == "band" and not self.formulas.scores[at[score_id]].band_ids)
        ]

    def validated(self, answers: Any, row: int | None = None) -> tuple[list[Any], set[int] | None]:
        """
        Check *answers*; return the answers by item position and the positions answered not applicable.

        An item not answered, or answered not applicable, has None in the list.

        Raises:
            InvalidAnswersError: Naming every problem.
        """
        if not isinstance(answers, Mapping):
            problem = InvalidAnswerError(
                f"answers must be a mapping of item id to answer (got {type(answers).__name__})",
                item_id="",
                value=answers,
                row=row,
            )
            raise InvalidAnswersError(self.instrument_id, [problem], row=row)
        items = self.items
        values: list[Any] = [None] * len(items)
        not_applicable: set[int] | None = None
        problems: list[InvalidAnswerError] | None = None
        index = self.item_index
        for key, answer in answers.items():
            position = index.get(key)
            if position is not None and type(answer) is int and answer in items[position].valid:
                values[position] = answer
            elif position is not None and answer is None:
                continue
            elif position is not None and type(answer) is int and answer == items[position].not_applicable:
                if not_applicable is None:
                    not_applicable = set()
                not_applicable.add(position)
            else:
                if problems is None:
                    problems = []
                problems.append(self._problem(key, answer, position, row))
        if problems:
            raise InvalidAnswersError(self.instrument_id, problems, row=row)
        return values, not_applicable

    def score(self, answers: Any, row: int | None = None) -> Result:
        """
        Validate *answers* and score them; raise `InvalidAnswersError` naming every problem.

        The first `WARM_UP` answer sets are scored by the rules (`score_by_rules`); after them,
        by the generated function (`generated`), which is worth compiling only for a plan that
        scores more than a few. Either gives the same result, bit for bit, and the same refusal.
        """
        scorer = self._scorer
        if scorer is not None:
            return scorer(answers, row)  # type: ignore[no-any-return]
        self._scored += 1
        if self._scored <= WARM_UP:
            return self.score_by_rules(answers, row)
        return self.generated()(answers, row)  # type: ignore[no-any-return]

    def generated(self) -> Any:
        """
        The scoring function generated from this plan (`leadscore._codegen`), made on first use.

        It hands anything but a valid ``dict`` to `score_by_rules`; beyond the size bound
        (`leadscore._codegen.MAX_ITEMS`) it is `score_by_rules` itself.
        """
        scorer = self._scorer
        if scorer is None:
            helpers = {"too_few": _too_few, "missing_parts": _missing_parts}
            scorer = self._scorer = generated(self, self.score_by_rules, helpers) or self.score_by_rules
        return scorer

    def score_by_rules(self, answers: Any, row: int | None = None) -> Result:
        """`score` by walking the rules (what the generated function does in straight-line code)."""
        return self.score_validated(*self.validated(answers, row))

    def source(self) -> str:
        """The source of the generated scoring function, for a reviewer to read (``leadscore show --source``)."""
        return source(self)

    def exact_values(self, values: list[Any], not_applicable: set[int] | None) -> dict[str, Fraction | None]:
        """
        Each score's exact value, by id (scales, then composites), for answers that `validated` returned.

        What `score_validated` rounds once into a result's values (None where a score has none):
        for figures computed from many people's scores, such as a group's mean, that are to be
        exact before their one rounding too.
        """
        exact: list[Fraction | None] = []
        self.score_validated(values, not_applicable, exact)
        return dict(zip((*self.layout[1], *self.layout[2]), exact, strict=True))

    def score_validated(
        self, values: list[Any], not_applicable: set[int] | None, exact: list[Fraction | None] | None = None
    ) -> Result:
        """
        Score answers that `validated` returned (by item position, and the positions answered not applicable).

        Each score's exact value is appended to *exact* when it is given (`exact_values`).
        """
        # Each score's exact value as an integer numerator and denominator (leadscore._exact):
        # answers are ints, so every figure is one int / int, rounded once, correctly.
        totals: list[int] = []
        counts: list[int] = []
        nums: list[Any] = []
        dens: list[Any] = []
        scale_rows: list[ScaleRow] = []
        table = self._python or self.python()
        for index, rule in enumerate(self.scales):
            single = rule.single
            if single is not None:
                total = values[single]
                n_answered = 0 if total is None else 1
            else:
                got = [values[i] for i in rule.forward if values[i] is not None]
                total, n_answered = sum(got), len(got)
                if rule.reverse:
                    back = [values[i] for i in rule.reverse if values[i] is not None]
                    total += rule.offset * len(back) - sum(back)
                    n_answered += len(back)
            totals.append(total)
            counts.append(n_answered)
            n_na = 0 if not_applicable is None else len(rule.members & not_applicable)
            n_items = rule.n_items
            if n_answered < rule.min_answered:
                reason = _too_few(rule.min_answered, n_answered, n_items, n_na)
                nums.append(None)
                dens.append(None)
                scale_rows.append((None, n_answered, n_na, n_items, None, None, reason))
                continue
            value, percent, band = table[index].scored(totals, counts, nums, dens)  # Appends to nums and dens.
            scale_rows.append((value, n_answered, n_na, n_items, percent, band, None))

        composite_rows: list[CompositeRow] = []
        for index, composite in enumerate(self.composites, start=len(self.scales)):
            if any(nums[part] is None for part in composite.parts):
                # Sorted, so the reason does not depend on the order the parts were listed in.
                absent = sorted(
                    part_id
                    for part_id, part in zip(composite.part_ids, composite.parts, strict=True)
                    if nums[part] is None
                )
                nums.append(None)
                dens.append(None)
                composite_rows.append((None, None, None, _missing_parts(tuple(absent))))
                continue
            composite_rows.append((*table[index].scored((), (), nums, dens), None))
        if exact is not None:
            exact.extend(None if num is None else Fraction(num, den) for num, den in zip(nums, dens, strict=True))
        return Result._from_rows(self.layout, tuple(scale_rows), tuple(composite_rows))  # noqa: SLF001

    def in_order(self, result: Result) -> Result:
        """*result*'s scores in this plan's order, sharing its layout; its ids must be the plan's."""
        layout, scale_rows, composite_rows = rows_of(result)
        scales = dict(zip(layout[1], scale_rows, strict=True))
        composites = dict(zip(layout[2], composite_rows, strict=True))
        return Result._from_rows(  # noqa: SLF001
            self.layout,
            tuple(scales[i] for i in self.layout[1]),
            tuple(composites[i] for i in self.layout[2]),
        )

    def _problem(self, key: Any, answer: Any, position: int | None, row: int | None) -> InvalidAnswerError:
        if position is None:
            return InvalidAnswerError(
                f"{quoted(key)} is not an item of {self.instrument_id!r} (got {quoted(answer)})",
                item_id=key if isinstance(key, str) else quoted(key),
                value=answer,
                row=row,
            )
        rule = self.items[position]
        allowed = allowed_answers(rule.low, rule.high, rule.not_applicable)
        return InvalidAnswerError(
            f"{key!r} must be {allowed}, or None (got {quoted(answer)})",
            item_id=key,
            value=answer,
            row=row,
        )


def compiled(instrument: Instrument) -> Plan:
    """Return the plan of *instrument*, compiling it on first use and keeping it on the instrument."""
    plan: Plan | None = instrument._compiled  # noqa: SLF001 - the model keeps this cache slot for scoring
    if plan is None:
        plan = Plan(instrument)
        # A benign race: two threads may both compile; both plans are equal.
        object.__setattr__(instrument, "_compiled", plan)
    return plan
