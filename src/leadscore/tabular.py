"""
The explicit coercion step for tabular answers (CSV rows, DataFrame rows).

`leadscore.score` accepts only ``int`` and None. Files and frames carry answers as text
(``"4"``, ``""``) or as floats (``4.0``, NaN); `coerce_answers` turns exactly those forms
into what `score` takes and rejects everything else with its row and column, so that
``4.5`` is never read as 4 and ``"yes"`` is never read as missing.
"""

from __future__ import annotations

import math
import numbers
import re

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from leadscore._plan import compiled
from leadscore.errors import InvalidAnswerError, InvalidAnswersError
from leadscore.model import Instrument
from leadscore.scoring import resolve


__all__ = ["coerce_answers"]

_WHOLE = re.compile(r"[+-]?[0-9]+(?:\.0*)?")


def coerce_answers(
    instrument: Instrument | str,
    row: Mapping[str, Any],
    *,
    row_number: int | None = None,
    ignore: Iterable[str] = (),
) -> dict[str, int | None]:
    """
    Turn one row of tabular answers into an answer set that `leadscore.score` accepts.

    Accepted, per cell: an ``int`` (or any integral number type that is not a bool); a
    float with no fractional part (``4.0``); a string of a whole number, with optional
    surrounding spaces (``"4"``, ``" 4 "``, ``"4.0"``). Read as not answered: None, NaN and
    the empty or all-space string. Everything else is rejected: ``4.5``, ``"4,5"``,
    ``"four"``, ``True``, infinities, and columns that name no item. Ranges are not checked
    here; `leadscore.score` checks them.

    Args:
        instrument: The instrument whose items the columns name, or its id.
        row: Column name to cell.
        row_number: The row's number in its file or frame, used in error messages.
        ignore: Columns to leave out, such as a respondent id.

    Returns:
        A new dict of item id to answer; *row* is not changed.

    Raises:
        InvalidAnswersError: Naming every bad cell with its row and column.

    .. versionadded:: 0.1.0
    """
    instrument = resolve(instrument)
    known = compiled(instrument).item_index
    skipped = frozenset(ignore)
    answers: dict[str, int | None] = {}
    problems: list[InvalidAnswerError] = []
    for column, cell in row.items():
        if column in skipped:
            continue
        if column not in known:
            problems.append(
                InvalidAnswerError(
                    f"{column!r} is not an item of {instrument.id!r}",
                    item_id=str(column),
                    value=cell,
                    row=row_number,
                    column=str(column),
                )
            )
            continue
        try:
            answers[column] = _cell(cell)
        except ValueError as exc:
            problems.append(InvalidAnswerError(str(exc), item_id=column, value=cell, row=row_number, column=column))
    if problems:
        raise InvalidAnswersError(instrument.id, problems, row=row_number)
    return answers


def _cell(cell: Any) -> int | None:
    """Return the answer in one cell, or raise `ValueError` saying why there is none."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError(f"a boolean is not an answer (got {cell!r})")  # noqa: TRY004 - reported as a bad value
    if isinstance(cell, numbers.Integral):
        return int(cell)
    if isinstance(cell, (numbers.Real, Decimal)):
        number: Any = cell  # numbers.Real declares too little for mypy to follow int().
        if number != number:  # Only NaN, of any float or decimal type, differs from itself.  # noqa: PLR0124
            return None
        if math.isfinite(number) and number == int(number):
            return int(number)
        raise ValueError(f"must be a whole number (got {cell!r})")
    if isinstance(cell, str):
        text = cell.strip()
        if not text:
            return None
        if _WHOLE.fullmatch(text):
            return int(text.split(".", 1)[0])
        raise ValueError(f"must be a whole number (got {cell!r})")
    raise ValueError(f"must be a whole number, text or empty (got {type(cell).__name__} {cell!r})")
