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

from leadscore._checks import quoted
from leadscore._model import Instrument
from leadscore._plan import compiled
from leadscore._registry import resolve
from leadscore.errors import ArgumentTypeError, InvalidAnswerError, InvalidAnswersError


__all__ = ["coerce_answers"]

WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+(?:\.0*)?")
"""Text that is a whole number, once stripped: ASCII digits, an optional sign and ``.0``."""
# No answer has more digits than this: a longer number (a float's or a Decimal's too) is
# refused before it is turned into an int, which for 1e999999 would take a long time.
_MAX_DIGITS = 18
_TOO_LARGE = 10**_MAX_DIGITS


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
    given: object = row  # Whatever came in, whatever its annotation says.
    if not isinstance(given, Mapping):
        raise ArgumentTypeError(f"a row must be a mapping of column to cell (got {type(given).__name__})")
    if row_number is not None and type(row_number) is not int:
        raise ArgumentTypeError(f"row_number must be an integer or None (got {quoted(row_number)})")
    if isinstance(ignore, (str, bytes)):
        raise ArgumentTypeError(f"ignore must be a collection of column names, not one name (got {quoted(ignore)})")
    try:
        skipped = frozenset(ignore)
    except TypeError:
        raise ArgumentTypeError(f"ignore must be a collection of column names (got {quoted(ignore)})") from None
    known = compiled(instrument).item_index
    answers: dict[str, int | None] = {}
    problems: list[InvalidAnswerError] = []
    cells: Mapping[Any, Any] = row  # Whatever came in: a column may be named by anything.
    for column, cell in cells.items():
        if column in skipped:
            continue
        if column not in known:
            name = column if isinstance(column, str) else quoted(column)
            problems.append(
                InvalidAnswerError(
                    f"{quoted(column)} is not an item of {instrument.id!r}",
                    item_id=name,
                    value=cell,
                    row=row_number,
                    column=name,
                )
            )
            continue
        try:
            answers[column] = read_cell(cell)
        except ValueError as exc:
            reason = f"{exc} (got {describe_cell(cell)})"
            problems.append(InvalidAnswerError(reason, item_id=column, value=cell, row=row_number, column=column))
    if problems:
        raise InvalidAnswersError(instrument.id, problems, row=row_number)
    return answers


def read_cell(cell: Any) -> int | None:
    """
    Return the answer in one tabular cell, or raise `ValueError` with the reason there is none.

    The one rule for cells, shared by `coerce_answers` and `leadscore.frames`; the reason does
    not quote the cell (see `describe_cell`).
    """
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError("a boolean is not an answer")  # noqa: TRY004 - reported as a bad value
    if isinstance(cell, numbers.Integral):
        return int(cell)
    if isinstance(cell, (numbers.Real, Decimal)):
        return _read_number(cell)
    if isinstance(cell, str):
        text = cell.strip()
        if not text:
            return None
        if WHOLE_NUMBER.fullmatch(text):
            whole = text.split(".", 1)[0]
            if len(whole.lstrip("+-0")) > _MAX_DIGITS:
                raise ValueError("is too large to be an answer")
            return int(whole)
        raise ValueError("must be a whole number")
    raise ValueError("must be a whole number, text or empty")


def _read_number(number: Any) -> int | None:
    """A float or Decimal cell: NaN is not answered, a whole number is the answer."""
    if isinstance(number, Decimal):  # Comparing a signalling NaN raises; math.isfinite overflows.
        if number.is_nan():
            return None
        finite = number.is_finite()
    elif number != number:  # Only NaN, of any float type, differs from itself.  # noqa: PLR0124
        return None
    else:
        finite = math.isfinite(number)
    if not finite:
        raise ValueError("must be a whole number")
    if abs(number) >= _TOO_LARGE:
        raise ValueError("is too large to be an answer")
    if number == int(number):
        return int(number)
    raise ValueError("must be a whole number")


def describe_cell(cell: Any) -> str:
    """The cell as an error message quotes it: its repr, with its type when that is not a number or text."""
    if cell is None or isinstance(cell, (bool, str, numbers.Real, Decimal)):
        return quoted(cell)
    return f"{type(cell).__name__} {quoted(cell)}"
