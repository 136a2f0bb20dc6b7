"""
Score a pandas DataFrame of answers at once: one row per response, one column per item.

Needs the ``pandas`` extra (``pip install "leadscore[pandas]"``); the core imports no pandas.
Cells follow `leadscore.coerce_answers`: whole numbers (``4``, ``4.0``, ``"4"``) are answers;
NaN, None and blank text are not answered; anything else (``4.5``, ``"four"``, booleans, a
value out of range) rejects its row, with the row, the column and the reason.

Scores are computed with arrays, no Python loop per row, by the same float operations in the
same order as `leadscore.score`, so they are equal to its results bit for bit, except a
weighted mean of scores and any composite built on one: numpy sums weighted parts pairwise
where `score` uses `math.fsum`, so those agree to within 1e-12, relative.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import numpy as np
import pandas as pd

from leadscore._plan import compiled
from leadscore.errors import InvalidAnswerError, InvalidAnswersError
from leadscore.model import Instrument
from leadscore.scoring import resolve
from leadscore.tabular import describe_cell, read_cell


__all__ = ["score_frame"]


def score_frame(
    instrument: Instrument | str,
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, str] | None = None,
    keep: Iterable[str] = (),
    errors: Literal["raise", "report"] = "raise",
    max_errors: int = 20,
) -> pd.DataFrame:
    """
    Score every row of *frame*; return a frame of scores with the same index.

    Args:
        instrument: The instrument, or its id.
        frame: One row per response. Its columns are item ids, unless *columns* maps them.
        columns: Export header to item id, for survey exports (``{"Q1[SQ001]": "stays-calm"}``).
            Every other column must be in *keep*.
        keep: Columns carried into the result unchanged, such as a respondent id.
        errors: ``"raise"``: one `InvalidAnswersError` listing the bad cells (at most
            *max_errors*, with a count of all). ``"report"``: bad rows get no scores and an
            ``error`` column saying why; the other rows are scored.
        max_errors: How many bad cells an error lists.

    Returns:
        The kept columns, then per scale ``<id>.value``, ``<id>.n_answered``, ``<id>.pomp``
        and ``<id>.band``, then per composite ``<id>.value``, ``<id>.pomp`` and ``<id>.band``.

    Raises:
        InvalidAnswersError: For columns that name no item, name one twice or are missing
            from the frame, and with ``errors="raise"`` for bad cells.

    .. versionadded:: 0.1.0
    """
    instrument = resolve(instrument)
    kept = list(keep)
    mapping = _mapping(instrument, frame, columns, kept)
    values, bad, problems = _answers(instrument, frame, mapping)
    if problems and errors == "raise":
        raise _error(instrument, frame, mapping, problems, max_errors)
    out: dict[str, Any] = {name: frame[name].to_numpy() for name in kept}
    scores: dict[str, np.ndarray] = {}
    _score_scales(instrument, values, bad, scores, out)
    _score_composites(instrument, scores, out)
    if errors == "report":
        messages = np.full(len(frame), None, dtype=object)
        for row, header, cell, reason in sorted(problems):
            text = f"column {header!r}: {reason} (got {describe_cell(cell)})"
            messages[row] = text if messages[row] is None else f"{messages[row]}; {text}"
        out["error"] = messages
    return pd.DataFrame(out, index=frame.index)


Problem = tuple[int, str, Any, str]


def _answers(
    instrument: Instrument, frame: pd.DataFrame, mapping: Mapping[str, str]
) -> tuple[dict[str, np.ndarray], np.ndarray, list[Problem]]:
    """The answers by item (NaN: not answered or not applicable), the bad rows, and every bad cell."""
    plan = compiled(instrument)
    values: dict[str, np.ndarray] = {}
    bad = np.zeros(len(frame), dtype=bool)
    problems: list[Problem] = []
    for header, item_id in mapping.items():
        low, high, na = plan.item_bounds[plan.item_index[item_id]]
        answer, reasons = _column(frame[header], low, high, na)
        # A not-applicable answer is never scored: it counts as not answered here.
        values[item_id] = np.where(answer == na, np.nan, answer) if na is not None else answer
        failed = np.flatnonzero(reasons != "")
        bad[failed] = True
        problems.extend((int(row), header, _plain(frame[header].iloc[row]), str(reasons[row])) for row in failed)
    return values, bad, sorted(problems)


def _error(
    instrument: Instrument, frame: pd.DataFrame, mapping: Mapping[str, str], problems: list[Problem], max_errors: int
) -> InvalidAnswersError:
    listed = [
        InvalidAnswerError(
            f"{reason} (got {describe_cell(cell)})",
            item_id=mapping[header],
            value=cell,
            row=_label(frame, row),
            column=header,
        )
        for row, header, cell, reason in problems[:max_errors]
    ]
    error = InvalidAnswersError(instrument.id, listed)
    if len(problems) > max_errors:
        error.add_note(f"{len(problems)} bad cells in all; the first {max_errors} are listed")
    return error


def _score_scales(
    instrument: Instrument,
    values: Mapping[str, np.ndarray],
    bad: np.ndarray,
    scores: dict[str, np.ndarray],
    out: dict[str, Any],
) -> None:
    missing = np.full(len(bad), np.nan)
    for scale in instrument.scales:
        response = instrument.item(scale.items[0]).response
        low, high = response.min, response.max
        keyed = np.column_stack(
            [
                (low + high) - values.get(i, missing) if scale.is_reversed(i) else values.get(i, missing)
                for i in scale.items
            ]
        )
        answered = (~np.isnan(keyed)).sum(axis=1)
        # The same float operations, in the same order, as the scoring plan.
        total = np.nansum(keyed, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = total / answered
            pomp = 100 * (mean - low) / (high - low)
            value = {"mean": mean, "sum": total * len(scale.items) / answered, "pomp": pomp}[scale.method]
        scored = (answered >= scale.min_answered) & ~bad
        value, pomp = np.where(scored, value, np.nan), np.where(scored, pomp, np.nan)
        counts = pd.array(answered, dtype="Int64")
        counts[bad] = pd.NA
        scores[scale.id] = value
        out[f"{scale.id}.value"] = value
        out[f"{scale.id}.n_answered"] = counts
        out[f"{scale.id}.pomp"] = pomp
        out[f"{scale.id}.band"] = _bands(value, scale.bands)


def _score_composites(instrument: Instrument, scores: dict[str, np.ndarray], out: dict[str, Any]) -> None:
    plan = compiled(instrument)
    by_id = {composite.id: composite for composite in instrument.composites}
    for composite in (by_id[composite_id] for composite_id in plan.layout[2]):  # Parts come first.
        parts = np.column_stack([scores[p.scale] for p in composite.parts])
        if composite.method == "difference":
            value = parts[:, 0] - parts[:, 1]
        else:
            weights = np.array([p.weight for p in composite.parts])
            value = (parts * weights).sum(axis=1) / weights.sum()
        bottom, top = plan.ranges[composite.id]
        scores[composite.id] = value
        out[f"{composite.id}.value"] = value
        out[f"{composite.id}.pomp"] = 100 * (value - bottom) / (top - bottom)
        out[f"{composite.id}.band"] = _bands(value, composite.bands)


def _mapping(
    instrument: Instrument, frame: pd.DataFrame, columns: Mapping[str, str] | None, kept: list[str]
) -> dict[str, str]:
    """Header to item id; every problem with the columns at once."""
    items = {item.id for item in instrument.items}
    mapping = dict(columns) if columns is not None else {c: c for c in frame.columns if c not in kept}
    problems = [
        f"column {header!r} names no item; map it with columns= or list it in keep="
        for header in frame.columns
        if header not in mapping and header not in kept
    ]
    for header, item_id in mapping.items():
        if header not in frame.columns:
            problems.append(f"column {header!r} is mapped to {item_id!r} but is not in the frame")
        if item_id not in items:
            problems.append(f"column {header!r} is mapped to {item_id!r}, which is not an item of {instrument.id!r}")
    by_item: dict[str, list[str]] = {}
    for header, item_id in mapping.items():
        by_item.setdefault(item_id, []).append(str(header))
    for item_id, headers in by_item.items():
        if len(headers) > 1:
            problems.append(f"item {item_id!r} is mapped from {len(headers)} columns: {', '.join(map(repr, headers))}")
    problems.extend(
        f"column {name!r} is to be kept but is not in the frame" for name in kept if name not in frame.columns
    )
    if problems:
        raise InvalidAnswersError(instrument.id, [InvalidAnswerError(p, item_id="", value=None) for p in problems])
    return {str(h): i for h, i in mapping.items() if h in frame.columns}


def _column(cells: pd.Series, low: int, high: int, na: int | None) -> tuple[np.ndarray, np.ndarray]:
    """The answers of one column as floats (NaN: not answered), and a reason per bad cell ('' if good)."""
    n = len(cells)
    reasons = np.full(n, "", dtype=object)
    if pd.api.types.is_bool_dtype(cells.dtype):
        present = cells.notna().to_numpy()
        reasons[present] = "a boolean is not an answer"
        return np.full(n, np.nan), reasons
    if pd.api.types.is_numeric_dtype(cells.dtype):
        answer = pd.to_numeric(cells).to_numpy(dtype="float64", na_value=np.nan, copy=True)
    else:
        answer = np.full(n, np.nan)
        text = cells.astype("object").to_numpy()
        for row, cell in enumerate(text):
            answer[row], reasons[row] = _cell(cell)
    with np.errstate(invalid="ignore"):
        fractional = np.isfinite(answer) & (answer != np.floor(answer))
        infinite = np.isinf(answer)
        outside = np.isfinite(answer) & ~fractional & ((answer < low) | (answer > high))
    if na is not None:
        outside &= answer != na
    reasons[(fractional | infinite) & (reasons == "")] = "must be a whole number"
    allowed = f"must be an integer from {low} to {high}" + (f" or {na} (not applicable)" if na is not None else "")
    reasons[outside & (reasons == "")] = allowed
    answer[reasons != ""] = np.nan
    return answer, reasons


def _cell(cell: Any) -> tuple[float, str]:
    """One cell of a text or mixed column, by `leadscore.coerce_answers`'s own rule."""
    if cell is pd.NA:
        return np.nan, ""
    try:
        answer = read_cell(cell)
    except ValueError as exc:
        return np.nan, str(exc)
    return (np.nan if answer is None else float(answer)), ""


def _bands(value: np.ndarray, bands: Any) -> np.ndarray:
    labels = np.full(len(value), None, dtype=object)
    if not bands:
        return labels
    lowers = np.array([band.lower for band in bands])
    ids = np.array([band.id for band in bands], dtype=object)
    present = ~np.isnan(value)
    positions = np.maximum(np.searchsorted(lowers, value[present], side="right") - 1, 0)
    labels[present] = ids[positions]
    return labels


def _plain(cell: Any) -> Any:
    """A NumPy scalar as the Python value it holds, so messages read 4.5, not np.float64(4.5)."""
    return cell.item() if isinstance(cell, np.generic) else cell


def _label(frame: pd.DataFrame, row: int) -> int:
    label = frame.index[row]
    return int(label) if isinstance(label, (int, np.integer)) else row
