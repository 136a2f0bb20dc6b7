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
        "composite_ids",
        "composite_specs",
        "head",
        "instrument_id",
        "item_bounds",
        "item_index",
        "ranges",
        "scale_ids",
        "scale_specs",
    )

    def __init__(self, instrument: Instrument, fingerprint: str) -> None:
        """Compile *instrument*, whose canonical JSON hashes to *fingerprint*."""
        self.instrument_id = instrument.id
        self.head = (instrument.id, instrument.version, fingerprint)
        self.item_index = {item.id: index for index, item in enumerate(instrument.items)}
        self.item_bounds = tuple(
            (
                item.response.min,
                item.response.max,
                None if item.response.not_applicable is None else item.response.not_applicable.code,
            )
            for item in instrument.items
        )
        ranges: dict[str, tuple[float, float]] = {}
        position: dict[str, int] = {}
        scale_specs = []
        for scale in instrument.scales:
            low, high = (
                instrument.items[self.item_index[scale.items[0]]].response.min,
                instrument.items[self.item_index[scale.items[0]]].response.max,
            )
            indexes = tuple(self.item_index[item_id] for item_id in scale.items)
            # A keyed answer is offset + sign * answer: the answer itself, or min + max - answer.
            keys = tuple((low + high, -1) if scale.is_reversed(i) else (0, 1) for i in scale.items)
            method = _METHOD_CODES[scale.method]
            ranges[scale.id] = scale_range(scale, low, high)
            position[scale.id] = len(position)
            scale_specs.append(
                (
                    indexes,
                    keys,
                    len(indexes),
                    scale.min_answered,
                    method,
                    low,
                    high,
                    *_band_table(scale.bands),
                )
            )
        self.scale_ids = tuple(scale.id for scale in instrument.scales)
        self.scale_specs = tuple(scale_specs)
        composite_specs = []
        composite_ids = []
        for composite in (
            instrument.composites[i] for i in composite_order(instrument, Problems())
        ):
            ranges[composite.id] = composite_range(composite, ranges)
            position[composite.id] = len(position)
            composite_ids.append(composite.id)
            composite_specs.append(
                (
                    composite.method == "difference",
                    tuple(position[part.scale] for part in composite.parts),
                    tuple(part.weight for part in composite.parts),
                    math.fsum(part.weight for part in composite.parts),
                    tuple(part.scale for part in composite.parts),
                    *ranges[composite.id],
                    *_band_table(composite.bands),
                )
            )
        self.composite_ids = tuple(composite_ids)
        self.composite_specs = tuple(composite_specs)
        self.ranges = ranges

    def score(self, answers: Any, row: int | None = None) -> Result:  # noqa: PLR0915
        """Validate *answers* and score them; raise `InvalidAnswersError` naming every problem."""
        values: list[Any] = [None] * len(self.item_bounds)
        problems: list[InvalidAnswerError] = []
        if not isinstance(answers, Mapping):
            problems.append(
                InvalidAnswerError(
                    "answers must be a mapping of item id to answer "
                    f"(got {type(answers).__name__})",
                    item_id="",
                    value=answers,
                    row=row,
                )
            )
            raise InvalidAnswersError(self.instrument_id, problems, row=row)
        index = self.item_index
        bounds = self.item_bounds
        for key, answer in answers.items():
            position = index.get(key)
            if position is None:
                problems.append(_unknown(self.instrument_id, key, answer, row))
            elif answer is None:
                continue
            elif type(answer) is int and bounds[position][0] <= answer <= bounds[position][1]:
                values[position] = answer
            elif type(answer) is int and answer == bounds[position][2]:
                values[position] = _NA
            else:
                problems.append(_out_of_range(key, answer, bounds[position], row))
        if problems:
            raise InvalidAnswersError(self.instrument_id, problems, row=row)

        all_values: list[float | None] = []
        scale_rows: list[ScaleRow] = []
        fsum = math.fsum
        for (
            indexes,
            keys,
            n_items,
            minimum,
            method,
            low,
            high,
            lowers,
            band_ids,
        ) in self.scale_specs:
            keyed = []
            n_na = 0
            for position, (offset, sign) in zip(indexes, keys, strict=True):
                answer = values[position]
                if answer is None:
                    continue
                if answer is _NA:
                    n_na += 1
                    continue
                keyed.append(offset + sign * answer)
            n_answered = len(keyed)
            if n_answered < minimum:
                reason = f"{n_answered} of {n_items} items answered, at least {minimum} needed"
                if n_na:
                    reason += f" ({n_na} not applicable)"
                all_values.append(None)
                scale_rows.append((None, n_answered, n_na, n_items, None, None, reason))
                continue
            total = fsum(keyed)
            mean = total / n_answered
            pomp = 100 * (mean - low) / (high - low)
            value: float
            if method == _MEAN:
                value = mean
            elif method == _SUM:
                value = total * n_items / n_answered
            else:
                value = pomp
            all_values.append(value)
            scale_rows.append(
                (value, n_answered, n_na, n_items, pomp, _band(value, lowers, band_ids), None)
            )

        composite_rows: list[CompositeRow] = []
        for (
            is_difference,
            parts,
            weights,
            total_weight,
            part_ids,
            bottom,
            top,
            lowers,
            band_ids,
        ) in self.composite_specs:
            part_values: list[Any] = [all_values[part] for part in parts]
            if None in part_values:
                # Sorted, so the reason does not depend on the order the parts were listed in.
                absent = sorted(
                    part_id for part_id, v in zip(part_ids, part_values, strict=True) if v is None
                )
                reason = "no score for " + ", ".join(repr(part_id) for part_id in absent)
                all_values.append(None)
                composite_rows.append((None, None, None, reason))
                continue
            if is_difference:
                value = part_values[0] - part_values[1]
            else:
                value = (
                    fsum([w * v for w, v in zip(weights, part_values, strict=True)]) / total_weight
                )
            all_values.append(value)
            composite_rows.append(
                (
                    value,
                    100 * (value - bottom) / (top - bottom),
                    _band(value, lowers, band_ids),
                    None,
                )
            )

        return Result._from_rows(  # noqa: SLF001 - the plan is the result's only fast builder
            self.head, self.scale_ids, tuple(scale_rows), self.composite_ids, tuple(composite_rows)
        )


def _band_table(bands: tuple[Band, ...]) -> tuple[tuple[float, ...], tuple[str, ...]]:
    return tuple(band.lower for band in bands), tuple(band.id for band in bands)


def _band(value: float, lowers: tuple[float, ...], band_ids: tuple[str, ...]) -> str | None:
    if not band_ids:
        return None
    # The last band whose lower bound the value reaches; values a rounding error below the
    # first bound belong to the first band.
    return band_ids[max(bisect_right(lowers, value) - 1, 0)]


def _unknown(instrument_id: str, key: Any, value: Any, row: int | None) -> InvalidAnswerError:
    return InvalidAnswerError(
        f"{key!r} is not an item of {instrument_id!r} (got {value!r})",
        item_id=str(key),
        value=value,
        row=row,
    )


def _out_of_range(
    key: str, value: Any, bounds: tuple[int, int, int | None], row: int | None
) -> InvalidAnswerError:
    low, high, na = bounds
    allowed = f"an integer from {low} to {high}"
    if na is not None:
        allowed += f" or {na} (not applicable)"
    return InvalidAnswerError(
        f"{key!r} must be {allowed}, or None (got {value!r})", item_id=key, value=value, row=row
    )


def compiled(instrument: Instrument) -> Plan:
    """Return the plan of *instrument*, compiling it on first use."""
    plan: Plan | None = instrument._compiled  # noqa: SLF001
    if plan is None:
        from leadscore.serialization import fingerprint  # noqa: PLC0415 - it imports this module's users

        plan = Plan(instrument, fingerprint(instrument))
        # A benign race: two threads may both compile; both plans are equal.
        object.__setattr__(instrument, "_compiled", plan)
    return plan
