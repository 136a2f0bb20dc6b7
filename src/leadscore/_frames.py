"""`score_frame` with NumPy and pandas: the module `leadscore.frames` re-exports (its docstring says what holds)."""

from __future__ import annotations

import sys

from collections.abc import Hashable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, overload

import attrs
import numpy as np
import pandas as pd

from leadscore._arrays import AnswerReader, Problem, as_pandas, error_of, mapping_of, position
from leadscore._checks import quoted
from leadscore._exact import Expr
from leadscore._model import Instrument
from leadscore._plan import CompositeRule, Plan, ScaleRule, compiled
from leadscore._registry import resolve
from leadscore._results import FIELDS, chosen_fields
from leadscore._tabular import describe_cell
from leadscore.errors import ArgumentTypeError, InvalidAnswersError, InvalidArgumentError


if TYPE_CHECKING:
    import dask.dataframe as dd


__all__ = ["FIELDS", "score_frame"]


_CHUNK_ROWS = 1 << 15  # Rows scored at once: the working arrays stay small and in cache.
_INT8_MAX = 127  # Band codes fit in int8 up to this many bands.


@overload
def score_frame(
    instrument: Instrument | str,
    frame: dd.DataFrame,
    *,
    mapping: Mapping[Hashable, str] | None = ...,
    keep: Iterable[Hashable] = ...,
    fields: Iterable[str] = ...,
    on_error: Literal["raise", "report"] = ...,
    max_errors: int = ...,
) -> dd.DataFrame: ...


@overload
def score_frame(
    instrument: Instrument | str,
    frame: pd.DataFrame,
    *,
    mapping: Mapping[Hashable, str] | None = ...,
    keep: Iterable[Hashable] = ...,
    fields: Iterable[str] = ...,
    on_error: Literal["raise", "report"] = ...,
    max_errors: int = ...,
) -> pd.DataFrame: ...


def score_frame(
    instrument: Instrument | str,
    frame: pd.DataFrame | dd.DataFrame,
    *,
    mapping: Mapping[Hashable, str] | None = None,
    keep: Iterable[Hashable] = (),
    fields: Iterable[str] = FIELDS,
    on_error: Literal["raise", "report"] = "raise",
    max_errors: int = 20,
) -> pd.DataFrame | dd.DataFrame:
    """
    Score every row of *frame*; return a frame of scores with the same index.

    Args:
        instrument: The instrument, or its id.
        frame: One row per response: a pandas DataFrame, or a Dask one, which is scored
            partition by partition and returned lazily (bad cells raise on ``compute()``).
            Its columns are item ids, unless *mapping* maps them.
        mapping: Export header to item id, for survey exports (``{"Q1[SQ001]": "stays-calm"}``).
            Every other column must be in *keep*.
        keep: Columns carried into the result unchanged, such as a respondent id. A kept
            column that is also an item is scored as well.
        fields: Which columns to give per score, from `FIELDS`; ``("value",)`` gives one
            column per scale and composite.
        on_error: ``"raise"``: one `InvalidAnswersError` listing the bad cells (at most
            *max_errors*, with a count of all). ``"report"``: bad rows get no scores and an
            ``error`` column saying why; the other rows are scored.
        max_errors: How many bad cells an error lists.

    Returns:
        The kept columns, then per scale ``<id>.value`` (float), ``<id>.n_answered``
        (``Int64``), ``<id>.pomp`` (float) and ``<id>.band`` (an ordered categorical of the
        band ids; only for a score with bands), then per composite the same without
        ``n_answered``, each in the order of the definition (`Plan.table_columns`, the layout
        of every table of scores); only the *fields* asked for. Missing scores are NaN.

    Raises:
        InvalidAnswersError: For columns that name no item, name one twice or are missing
            from the frame, and with ``on_error="raise"`` for bad cells.
        ValueError: For *fields* or *on_error* that are not among the choices.
        TypeError: For a *frame* that is neither a pandas nor a Dask DataFrame.

    .. versionadded:: 0.1.0
    """
    instrument = resolve(instrument)
    if not isinstance(frame, pd.DataFrame):
        options = {"mapping": mapping, "keep": tuple(keep), "fields": tuple(fields), "on_error": on_error}
        other = as_pandas(frame)
        if other is not None:  # Polars, PyArrow and the other frames narwhals knows.
            read, back = other
            return back(score_frame(instrument, read, **options, max_errors=max_errors))  # type: ignore[arg-type]
        return _score_dask(instrument, frame, **options, max_errors=max_errors)
    wanted = chosen_fields(fields)
    limit: object = max_errors
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise ArgumentTypeError(f"max_errors must be a whole number from 1 (got {quoted(max_errors)})")
    if on_error not in {"raise", "report"}:
        raise InvalidArgumentError(f"on_error must be 'raise' or 'report' (got {quoted(on_error)})")
    kept = list(keep)
    layout = compiled(instrument).table_columns(wanted)
    taken = {f"{score_id}.{field}" for score_id, field in layout} | ({"error"} if on_error == "report" else set())
    placed = mapping_of(instrument, frame, mapping, kept, taken)
    compiled(instrument).refuse_beyond_doubles("score_frame")
    scorer = _Scorer(instrument, frame, placed, layout)
    problems: list[Problem] = []
    for start in range(0, len(frame), _CHUNK_ROWS):
        stop = min(start + _CHUNK_ROWS, len(frame))
        block, flags = scorer.reader.read(start, stop, problems)
        if not (problems and on_error == "raise"):  # Once it will raise, only look for more bad cells.
            with np.errstate(invalid="ignore", divide="ignore"):  # 0 / 0 and NaN are how a score goes missing.
                scorer.score(block, flags, start, stop)
    if problems and on_error == "raise":
        raise error_of(instrument, frame, placed, problems, max_errors)
    out: dict[Hashable, Any] = {name: frame[name].array.copy() for name in kept}
    out.update(scorer.columns())
    if on_error == "report":
        messages = np.full(len(frame), None, dtype=object)
        for row, _, header, cell, reason in sorted(problems, key=position):
            text = f"column {quoted(header)}: {reason} (got {describe_cell(cell)})"
            messages[row] = text if messages[row] is None else f"{messages[row]}; {text}"
        out["error"] = pd.array(messages, dtype="string")
    # copy=False: each column stays its own array; pandas need not stack them into blocks. The
    # columns as an object index even when there are none (fields=("band",) without bands).
    return pd.DataFrame(out, index=frame.index, columns=pd.Index(list(out), dtype=object), copy=False)


class _Scorer:
    """
    An instrument's scoring as array operations, and the result columns it fills.

    It reads and scores a block of rows at a time. Arrays have one row per item or score
    and one column per response, so every operation runs along long contiguous rows.
    """

    def __init__(
        self,
        instrument: Instrument,
        frame: pd.DataFrame,
        mapping: Mapping[Hashable, str],
        layout: list[tuple[str, str]],
    ) -> None:
        plan = compiled(instrument)
        self.layout = layout  # The result's (score id, field) columns, in order.
        fields = {field for _, field in layout}
        self.reader = AnswerReader(instrument, frame, mapping)
        # The plan's scales, then its composites (parts first): a score's row in `values` is its
        # position among them, as in the plan, and each keeps its bands' lower bounds and ids.
        rules: list[ScaleRule | CompositeRule] = [*plan.scales, *plan.composites]
        self.row = {rule.id: index for index, rule in enumerate(rules)}
        row_of = {item_id: row for row, item_id in enumerate(mapping.values())}
        self.scales = [_ScaleSum.of(rule, row_of, plan) for rule in plan.scales]
        self.python = plan.python()  # The exact formulas, as functions that take arrays too.
        # The scales whose value is their one required item's answer (its total over 1): divided
        # by its answered flag, 1 or 0, that answer is itself or 0 / 0, NaN (not answered: 0).
        self.answer_only = {
            index
            for index, score in enumerate(plan.formulas.scores[: len(plan.scales)])
            if score.value.num == Expr("total", index) and score.value.den == Expr("const", 1)
        }
        self.bands = {rule.id: self.python[index].band_ids for index, rule in enumerate(rules)}
        rows, n_scores = len(frame), len(self.row)
        # Every block of rows is scored before these are read: they need no filling first.
        self.values = np.empty((n_scores, rows))  # Every score's value: composites read their parts here.
        self.pomps = np.empty((n_scores, rows)) if "pomp" in fields else None
        self.counts = np.empty((len(plan.scales), rows), dtype="int64") if "n_answered" in fields else None
        self.codes = (
            {
                score_id: np.full(rows, -1, dtype=np.int8 if len(ids) < _INT8_MAX else np.int32)
                for score_id, ids in self.bands.items()
            }
            if "band" in fields
            else {}
        )

    def score(self, block: np.ndarray, flags: np.ndarray, start: int, stop: int) -> None:
        """Score rows *start* to *stop* from their answers; rows marked bad get no scores."""
        width = stop - start
        bad = self.reader.bad[start:stop]
        any_bad = bool(bad.any())
        values = self.values[:, start:stop]
        pomps = self.pomps[:, start:stop] if self.pomps is not None else np.empty((len(self.row), width))
        # Every score's exact numerator and denominator (leadscore._exact), as doubles: whole
        # numbers within 2**53 (checked before scoring), so every step is exact and each figure
        # is one division, rounded once, as score()'s int / int is. The plan's formulas are
        # Python functions of whole numbers, and take NumPy's arrays as they take ints.
        totals: list[np.ndarray] = []
        counts: list[np.ndarray] = []
        nums: list[np.ndarray] = []
        dens: list[Any] = []  # Arrays, or a whole number where a denominator is a constant.
        for index, scale in enumerate(self.scales):
            rule = scale.rule
            total, answered, count = scale.sums(block, flags)
            if self.counts is not None:
                self.counts[index, start:stop] = count
            totals.append(total)
            counts.append(answered)
            self._figures(
                index, (totals, counts, nums, dens), values, pomps, (rule.min_answered, bad if any_bad else None)
            )
        for index in range(len(self.scales), len(self.row)):
            self._figures(index, (totals, counts, nums, dens), values, pomps)
        self._bands(nums, dens, start, stop)

    def _figures(
        self,
        index: int,
        leaves: tuple[list[Any], ...],
        values: np.ndarray,
        pomps: np.ndarray,
        scale: tuple[int, np.ndarray | None] | None = None,
    ) -> None:
        """
        Score *index*'s numerator, denominator, value and POMP (one division each).

        For a scale (*scale*: its minimum answered, and the rows with a bad cell or None), the
        numerator is NaN where it has too few answers or a bad cell, and so is every figure over
        it: the scale's, and those of the composites and bands that read it.
        """
        formula = self.python[index]
        _, counts, nums, dens = leaves
        num, den = formula.num(*leaves), formula.den(*leaves)
        dens.append(den)
        if scale is None:
            nums.append(num)
            _divide(num, den, values[index])
        elif index in self.answer_only:
            np.divide(num, counts[index], out=values[index])
            if scale[1] is not None:
                np.copyto(values[index], np.nan, where=scale[1])
            nums.append(values[index])
        else:
            missing = counts[index] < scale[0]
            if scale[1] is not None:
                missing |= scale[1]
            nums.append(np.where(missing, np.nan, num))
            _divide(nums[index], den, values[index])
        if self.pomps is not None:
            _divide(formula.pomp_num(*leaves), formula.pomp_den(*leaves), pomps[index])

    def _bands(self, nums: list[np.ndarray], dens: list[Any], start: int, stop: int) -> None:
        """Each banded score's band code: how many lower bounds after the first it reaches; -1 for no value."""
        for score_id, codes in self.codes.items():
            formula = self.python[self.row[score_id]]
            if formula.band_ids:
                # The number of lower bounds after the first that the exact value reaches; -1 (no
                # band) where the score has no value: its numerator is NaN.
                code = codes[start:stop]
                code[:] = 0
                for left, right in formula.reaches:
                    np.add(code, left((), (), nums, dens) >= right((), (), nums, dens), out=code)
                np.copyto(code, -1, where=np.isnan(nums[formula.position]))

    def columns(self) -> dict[str, Any]:
        """The result columns, in the order of the layout."""
        out: dict[str, Any] = {}
        for score_id, field in self.layout:
            name, index = f"{score_id}.{field}", self.row[score_id]
            if field == "value":
                out[name] = self.values[index]
            elif field == "pomp" and self.pomps is not None:
                out[name] = self.pomps[index]
            elif field == "n_answered" and self.counts is not None:
                out[name] = pd.arrays.IntegerArray(self.counts[index], self.reader.bad.copy())
            else:  # "band": the fields were checked against FIELDS.
                categories = pd.CategoricalDtype(list(self.bands[score_id]), ordered=True)
                out[name] = pd.Categorical.from_codes(self.codes[score_id], dtype=categories)
        return out


@attrs.frozen
class _ScaleSum:
    """One scale as sums of block rows (see `_Scorer.read`), from its rule in the plan."""

    forward: list[int]  # Block rows of its positively keyed items in the frame.
    reverse: list[int]  # And of its reverse-keyed ones.
    rule: ScaleRule  # The reverse key's offset, the method, the range: the plan's own.

    @classmethod
    def of(cls, rule: ScaleRule, row_of: Mapping[str, int], plan: Plan) -> _ScaleSum:
        rows = [row_of.get(plan.items[position].id) for position in rule.forward]
        back = [row_of.get(plan.items[position].id) for position in rule.reverse]
        return cls([row for row in rows if row is not None], [row for row in back if row is not None], rule)

    def sums(self, block: np.ndarray, flags: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The keyed sum of the answers per response, the number answered, and that number again for counting."""
        # Sums of whole numbers: exact in any order, so equal to score()'s int sums.
        forward, reverse = self.forward, self.reverse
        m = len(flags)  # The block's answers come first, one row per item; row m + r flags row r.
        if len(forward) == 1 and not reverse:  # One item: its own rows are the sum and the count.
            return block[forward[0]], block[m + forward[0]], flags[forward[0]]
        width = block.shape[1]
        total = _add_rows(block, forward, np.empty(width))
        answered = _add_rows(block, [m + row for row in forward + reverse], np.empty(width))
        if reverse:
            total -= _add_rows(block, reverse, np.empty(width))
            # The plan's reverse key, min + max - x, summed: offset * n - sum(x).
            total += self.rule.offset * _add_rows(block, [m + row for row in reverse], np.empty(width))
        return total, answered, answered


def _divide(num: Any, den: Any, out: np.ndarray) -> None:
    """*num* / *den* into *out*: one division, or a copy where the denominator is the whole number 1."""
    if type(den) is int and den == 1:
        np.copyto(out, num)
    else:
        np.divide(num, den, out=out)


def _add_rows(block: np.ndarray, rows: list[int], out: np.ndarray) -> np.ndarray:
    """The sum of some rows of *block*, in *out*."""
    if not rows:
        out[:] = 0
        return out
    np.copyto(out, block[rows[0]])
    for row in rows[1:]:
        out += block[row]
    return out


def _score_dask(instrument: Instrument, frame: Any, **options: Any) -> Any:
    """Score a Dask DataFrame partition by partition; column problems raise now, cell problems on compute."""
    dataframe = sys.modules.get("dask.dataframe")
    if dataframe is None or not isinstance(frame, dataframe.DataFrame):
        raise ArgumentTypeError(
            f"frame must be a pandas, Polars, PyArrow or Dask DataFrame (got {type(frame).__name__})"
        )
    # Scoring the empty frame that describes every partition checks the columns and gives the result's types.
    meta = score_frame(instrument, frame._meta, **options)  # noqa: SLF001 - Dask's description of a partition
    return frame.map_partitions(_score_partition, instrument, meta=meta, **options)


def _score_partition(
    frame: pd.DataFrame, instrument: Instrument, partition_info: dict[str, Any] | None = None, **options: Any
) -> pd.DataFrame:
    try:
        return score_frame(instrument, frame, **options)
    except InvalidAnswersError as error:
        # Dask passes partition_info to a function that takes it.
        number = (partition_info or {}).get("number")
        error.add_note(f"in partition {number} of the Dask DataFrame; rows are its index labels")
        raise
