"""
The check of a stored result against its instrument's plan: could scoring have given it?

`problems_of` rebuilds every score's exact numerator and denominator (`leadscore._exact`)
from what the result holds: a scale's whole-number total from its value and count, then its
composites from their parts' exact values, and requires every figure to be the one scoring
gives. `leadscore.from_json(..., instrument=...)` reports what it finds.
"""

from __future__ import annotations

import math

from collections.abc import Sequence
from typing import Any

from leadscore._exact import PythonFormula
from leadscore._plan import CompositeRule, Plan, ScaleRule
from leadscore._results import ARITHMETIC, Result, ScaleRow, rows_of


__all__ = ["problems_of"]


def problems_of(plan: Plan, result: Result) -> list[tuple[str, str]]:
    """
    What makes *result* one that *plan* cannot give, as (path, message) pairs.

    The instrument's id, version and fingerprint; its scales and composites, no more and
    no fewer; and for each score what scoring would give for its counts: a scale's value
    is its method applied to a whole-number total its answered items can reach, with
    the POMP and band of that total; a composite's value, POMP and band are those of its
    parts' values in the result. A result that passes is what `score` gives for some
    answer set (whose answers are not kept, so not checked).
    """
    given = rows_of(result)[0]
    problems = [
        (f"$.instrument.{name}", f"is {got!r}; the instrument's is {want!r}")
        for name, got, want in zip(("id", "version", "fingerprint"), given[0][:3], plan.layout[0][:3], strict=True)
        if got != want
    ]
    if problems:  # Scored by another definition: its scores cannot be checked against this one.
        return problems
    if result.arithmetic != ARITHMETIC:  # Figures of another arithmetic may differ in their last bit.
        before = f"scored before leadscore's exact arithmetic ({ARITHMETIC})"
        said = f"is {result.arithmetic!r}: {before}; score its answers again"
        return [("$.arithmetic", said)]
    for kind, got, want in (("scales", given[1], plan.layout[1]), ("composites", given[2], plan.layout[2])):
        problems.extend((f"$.{kind}", f"has no score for {i!r}") for i in want if i not in got)
        problems.extend((f"$.{kind}[{i!r}]", "is not one of the instrument's") for i in got if i not in want)
    if problems:
        return problems
    _, scale_rows, composite_rows = rows_of(plan.in_order(result))
    # Every score's exact numerator and denominator, rebuilt from each scale's value and count
    # (None where it has no value, or a value no answers give: its problem is said already).
    nums: list[Any] = []
    dens: list[Any] = []
    present: list[bool] = []
    table = plan.python()
    for index, (rule, row) in enumerate(zip(plan.scales, scale_rows, strict=True)):
        found, exact = _scale_problems(plan, rule, table[index], row, nums=nums, dens=dens)
        problems.extend(found)
        nums.append(exact[0] if exact else None)
        dens.append(exact[1] if exact else None)
        present.append(row[0] is not None)
    for index, (composite, (value, percent, band, _)) in enumerate(
        zip(plan.composites, composite_rows, strict=True), start=len(plan.scales)
    ):
        path = f"$.composites[{composite.id!r}]"
        parts = [present[part] for part in composite.parts]
        present.append(value is not None)
        if not all(parts) or value is None or any(nums[part] is None for part in composite.parts):
            # Without a value, the parts must have none; with a part whose value is wrong (said
            # at the part), nothing more can be checked.
            if (not all(parts) or value is None) and all(parts) == (value is None):
                problems.append((f"{path}.value", _composite_presence(value, composite, parts)))
            nums.append(None)
            dens.append(None)
            continue
        expected = table[index].scored((), (), nums, dens)  # Appends its numerator and denominator.
        problems.extend(_mismatches(path, (value, percent, band), expected))
    return problems


def _scale_problems(
    plan: Plan, rule: ScaleRule, formula: PythonFormula, row: ScaleRow, *, nums: list[Any], dens: list[Any]
) -> tuple[list[tuple[str, str]], tuple[int, int] | None]:
    """A stored scale's problems, and its exact numerator and denominator when scoring can give its value."""
    value, n_answered, n_na, n_items, percent, band, _ = row
    path = f"$.scales[{rule.id!r}]"
    can_be_na = sum(1 for p in rule.positions if plan.items[p].not_applicable is not None)
    if n_items != rule.n_items or n_na > can_be_na:
        return [(path, f"the scale has {rule.n_items} items, {can_be_na} of them with a not-applicable answer")], None
    if (value is None) != (n_answered < rule.min_answered):
        needed = f"the scale needs {rule.min_answered} answered item(s) for a value"
        return [(f"{path}.value", f"{needed}, and {n_answered} are answered (got {value!r})")], None
    if value is None:
        return [], None
    # The total of the keyed answers that gives this value, if there is one.
    mean = value if rule.method == "mean" else value * rule.span / 100 + rule.low
    estimate = value * n_answered / n_items if rule.method == "sum" else mean * n_answered
    total = round(estimate) if math.isfinite(estimate) else rule.low * n_answered - 1
    reachable = rule.low * n_answered <= total <= rule.high * n_answered
    exact = None
    if reachable:
        at = formula.position
        mine_nums, mine_dens = list(nums), list(dens)
        expected = formula.scored({at: total}, {at: n_answered}, mine_nums, mine_dens)
        exact = (mine_nums[at], mine_dens[at]) if expected[0] == value else None
    if exact is None:
        answered = f"{n_answered} answered item(s) from {rule.low} to {rule.high}"
        return [(f"{path}.value", f"{answered} cannot give a {rule.method} of {value!r}")], None
    return _mismatches(path, (value, percent, band), expected), exact


def _mismatches(path: str, got: tuple[Any, ...], expected: tuple[Any, ...]) -> list[tuple[str, str]]:
    return [
        (f"{path}.{name}", f"is {have!r}; its value gives {want!r}")
        for name, have, want in zip(("value", "pomp", "band"), got, expected, strict=True)
        if have != want
    ]


def _composite_presence(value: float | None, composite: CompositeRule, parts: Sequence[bool]) -> str:
    missing = [part_id for part_id, has in zip(composite.part_ids, parts, strict=True) if not has]
    if value is None:
        return "is null, but every part has a value"
    return f"is {value!r}, but {', '.join(map(repr, missing))} {'has' if len(missing) == 1 else 'have'} no value"
