"""
Compile an instrument once into a plan of plain tuples, and score answers against it.

Everything here is on the scoring hot path: one pass over the answers to validate them,
then one pass per scale and composite. Sums use `math.fsum`, which is exact before its one
rounding, so the order of answers can never change a score.
"""

from __future__ import annotations

import math

from bisect import bisect_right
from collections.abc import Mapping
from typing import Any, Final

from leadscore._checks import Problems
from leadscore.errors import InvalidAnswerError, InvalidAnswersError
from leadscore.model import Band, Instrument, composite_order, composite_range, scale_range
from leadscore.results import CompositeRow, Result, ScaleRow


_NA: Final = object()  # An answer of "not applicable", kept apart from "not answered".
_MEAN, _SUM, _POMP = 0, 1, 2
_METHOD_CODES: Final = {"mean": _MEAN, "sum": _SUM, "pomp": _POMP}


class Plan:
    """An instrument reduced to what scoring needs, in tuples and dicts."""

    __slots__ = (
        "composite_specs",
        "instrument_id",
        "item_bounds",
        "item_index",
        "layout",
        "ranges",
        "scale_specs",
        "valid",
    )

    def __init__(self, instrument: Instrument, fingerprint: str) -> None:
        """Compile *instrument*, whose canonical JSON hashes to *fingerprint*."""
        self.instrument_id = instrument.id
        self.item_index = {item.id: index for index, item in enumerate(instrument.items)}
        self.item_bounds = tuple(
            (
                item.response.min,
                item.response.max,
                None if item.response.not_applicable is None else item.response.not_applicable.code,
            )
            for item in instrument.items
        )
        # `int in range` is one C call; the type is checked first, as True in range(1, 6).
        self.valid = tuple(range(low, high + 1) for low, high, _ in self.item_bounds)
        ranges: dict[str, tuple[float, float]] = {}
        position: dict[str, int] = {}
        scale_specs = []
        for scale in instrument.scales:
            response = instrument.items[self.item_index[scale.items[0]]].response
            low, high = response.min, response.max
            normal = tuple(self.item_index[i] for i in scale.items if not scale.is_reversed(i))
            reverse = tuple(self.item_index[i] for i in scale.reverse_keyed)
            ranges[scale.id] = scale_range(scale, low, high)
            position[scale.id] = len(position)
            scale_specs.append(
                (
                    # The one item of a single-item, positively keyed scale, or None.
                    normal[0] if len(normal) == 1 and not reverse else None,
                    normal,
                    reverse,
                    frozenset(normal + reverse),
                    len(scale.items),
                    scale.min_answered,
                    _METHOD_CODES[scale.method],
                    low,
                    high - low,
                    # A reverse-keyed answer counts as min + max - answer.
                    low + high,
                    *_band_table(scale.bands),
                )
            )
        self.scale_specs = tuple(scale_specs)
        composite_specs = []
        composite_ids = []
        for composite in (instrument.composites[i] for i in composite_order(instrument, Problems())):
            ranges[composite.id] = composite_range(composite, ranges)
            position[composite.id] = len(position)
            composite_ids.append(composite.id)
            bottom, top = ranges[composite.id]
            composite_specs.append(
                (
                    composite.method == "difference",
                    tuple(position[part.scale] for part in composite.parts),
                    tuple(part.weight for part in composite.parts),
                    math.fsum(part.weight for part in composite.parts),
                    tuple(part.scale for part in composite.parts),
                    bottom,
                    top - bottom,
                    *_band_table(composite.bands),
                )
            )
        self.composite_specs = tuple(composite_specs)
        self.ranges = ranges
        self.layout = (
            (instrument.id, instrument.version, fingerprint),
            tuple(scale.id for scale in instrument.scales),
            tuple(composite_ids),
        )

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
        values: list[Any] = [None] * len(self.valid)
        not_applicable: set[int] | None = None
        problems: list[InvalidAnswerError] | None = None
        index = self.item_index
        valid = self.valid
        for key, answer in answers.items():
            position = index.get(key)
            if position is not None and type(answer) is int and answer in valid[position]:
                values[position] = answer
            elif position is not None and answer is None:
                continue
            elif position is not None and type(answer) is int and answer == self.item_bounds[position][2]:
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
        """Validate *answers* and score them; raise `InvalidAnswersError` naming every problem."""
        values, not_applicable = self.validated(answers, row)
        all_values: list[float | None] = []
        scale_rows: list[ScaleRow] = []
        for (
            single,
            normal,
            reverse,
            members,
            n_items,
            minimum,
            method,
            low,
            span,
            offset,
            lowers,
            band_ids,
        ) in self.scale_specs:
            # Answers are ints, so these sums are exact and int / int rounds once, correctly:
            # no order of answers can change a score.
            if single is not None:
                total = values[single]
                n_answered = 0 if total is None else 1
            else:
                got = [values[i] for i in normal if values[i] is not None]
                total, n_answered = sum(got), len(got)
                if reverse:
                    back = [values[i] for i in reverse if values[i] is not None]
                    total += offset * len(back) - sum(back)
                    n_answered += len(back)
            n_na = 0 if not_applicable is None else len(members & not_applicable)
            if n_answered < minimum:
                reason = f"{n_answered} of {n_items} items answered, at least {minimum} needed"
                if n_na:
                    reason += f" ({n_na} not applicable)"
                all_values.append(None)
                scale_rows.append((None, n_answered, n_na, n_items, None, None, reason))
                continue
            mean = total / n_answered
            pomp = 100 * (mean - low) / span
            value = mean if method == _MEAN else total * n_items / n_answered if method == _SUM else pomp
            all_values.append(value)
            band = band_ids[max(bisect_right(lowers, value) - 1, 0)] if band_ids else None
            scale_rows.append((value, n_answered, n_na, n_items, pomp, band, None))

        composite_rows: list[CompositeRow] = []
        for (
            is_difference,
            parts,
            weights,
            total_weight,
            part_ids,
            bottom,
            width,
            lowers,
            band_ids,
        ) in self.composite_specs:
            part_values: list[Any] = [all_values[part] for part in parts]
            if None in part_values:
                # Sorted, so the reason does not depend on the order the parts were listed in.
                absent = sorted(part_id for part_id, v in zip(part_ids, part_values, strict=True) if v is None)
                all_values.append(None)
                composite_rows.append((None, None, None, "no score for " + ", ".join(map(repr, absent))))
                continue
            if is_difference:
                value = part_values[0] - part_values[1]
            else:
                # Weighted values are floats: fsum keeps their sum exact before one rounding.
                value = math.fsum([w * v for w, v in zip(weights, part_values, strict=True)]) / total_weight
            all_values.append(value)
            band = band_ids[max(bisect_right(lowers, value) - 1, 0)] if band_ids else None
            composite_rows.append((value, 100 * (value - bottom) / width, band, None))

        return Result._from_rows(self.layout, tuple(scale_rows), tuple(composite_rows))  # noqa: SLF001

    def _problem(self, key: Any, answer: Any, position: int | None, row: int | None) -> InvalidAnswerError:
        if position is None:
            return InvalidAnswerError(
                f"{key!r} is not an item of {self.instrument_id!r} (got {answer!r})",
                item_id=str(key),
                value=answer,
                row=row,
            )
        low, high, na = self.item_bounds[position]
        allowed = f"an integer from {low} to {high}"
        if na is not None:
            allowed += f" or {na} (not applicable)"
        return InvalidAnswerError(
            f"{key!r} must be {allowed}, or None (got {answer!r})",
            item_id=key,
            value=answer,
            row=row,
        )


def _band_table(bands: tuple[Band, ...]) -> tuple[tuple[float, ...], tuple[str, ...]]:
    return tuple(band.lower for band in bands), tuple(band.id for band in bands)


def compiled(instrument: Instrument) -> Plan:
    """Return the plan of *instrument*, compiling it on first use."""
    plan: Plan | None = instrument._compiled  # noqa: SLF001
    if plan is None:
        from leadscore.serialization import fingerprint  # noqa: PLC0415 - it imports this module's users

        plan = Plan(instrument, fingerprint(instrument))
        # A benign race: two threads may both compile; both plans are equal.
        object.__setattr__(instrument, "_compiled", plan)
    return plan
