"""
Indices of careless responding, per respondent: they describe, they never drop anyone.

Each index is defined as in the literature it comes from and as R's ``careless`` package
(Yentes and Wilhelm) computes it, where the two agree; where leadscore differs, it says so:

- *longstring* (Johnson, 2005): the longest run of identical consecutive answers, in the
  order the items were presented; *average_run*, the mean length of the runs. A missing
  answer ends a run and is no run itself (R's ``rle`` counts each missing answer as a run
  of one).
- *irv*, intra-individual response variability (Dunn et al., 2018): the standard deviation
  (``n - 1``, as R's ``sd``; careless-py divides by ``n``) of a respondent's answers.
- *mahalanobis*: the squared Mahalanobis distance ``D² = (x - m)ᵀ S⁻¹ (x - m)`` of a
  respondent's answers from the sample's means ``m``, ``S`` the sample covariance (``n - 1``)
  of the respondents who answered every item (psych's ``outlier`` and careless's ``mahad``
  give ``D²``; careless-py gives ``D``). Under multivariate normality ``D²`` follows a
  chi-square distribution with as many degrees of freedom as items.
- *even_odd* (Johnson, 2005): per scale of two or more items, the mean of its odd-numbered
  and of its even-numbered items (1st, 3rd, ... and 2nd, 4th, ..., keyed, in the scale's
  order); the correlation of the two halves across scales, corrected by Spearman-Brown,
  ``2 r / (1 + r)``, and held at -1 from below. Higher is more consistent, as Johnson
  reports it (careless 1.2 and later report its negative); at least three scales with both
  halves answered, else None.
- *synonyms* (Meade and Craig, 2012): the item pairs whose correlation across respondents
  (pairwise, answers as given) is above a critical value (0.60 by default) are psychometric
  synonyms; a respondent's index is the correlation of the first items' answers with the
  second items' over the pairs answered, at least three (careless's rule). Where that
  correlation has no value careless may resample the pairs at random; leadscore does not.

"Not applicable" counts as not answered.
"""

from __future__ import annotations

import math

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from leadscore._checks import quoted
from leadscore._model import Instrument
from leadscore._plan import compiled
from leadscore._quality_report import QualityReport, RespondentQuality
from leadscore._registry import resolve
from leadscore.analysis._answers import answer_matrix
from leadscore.analysis._engine import correlations, masked_correlations
from leadscore.errors import InvalidArgumentError


__all__ = ["QualityReport", "RespondentQuality", "quality"]

_FEWEST_PAIRS = 3  # careless: a synonym index needs more than two pairs.
_FEWEST_SCALES = 3  # A correlation over two scales is always 1 or -1.
_SINGULAR = 1e10  # A covariance matrix with a larger condition number has no usable inverse.


def quality(
    instrument: Instrument | str,
    answer_sets: Any,
    *,
    order: Sequence[str] | None = None,
    synonym_r: float = 0.60,
    mapping: Mapping[Hashable, str] | None = None,
    ignore: Iterable[Hashable] = (),
) -> QualityReport:
    """
    Compute longstring, IRV, Mahalanobis distance, even-odd consistency and psychometric synonyms per respondent.

    Nothing is set aside: the indices describe each respondent, and the analyst decides (for
    `leadscore.reliability`, by leaving answer sets out). Needs the ``analysis`` extra (NumPy).

    Args:
        instrument: The instrument, or its id.
        answer_sets: Answer mappings, or a pandas, Polars or PyArrow DataFrame (the cell rules
            of `leadscore.frames.score_frame`).
        order: The item ids in the order they were presented, each item once. By default the
            instrument's order, or for a DataFrame the order of its item columns.
        synonym_r: Item pairs correlated above this (between 0 and 1) are psychometric synonyms.
        mapping: For a DataFrame: its header to item id, where the headers are not item ids.
        ignore: For a DataFrame: columns that are not items, left out (such as a respondent id).

    Raises:
        InvalidAnswersError: Naming a frame's bad cells, or at the first invalid answer set.
        ValueError: For an *order* that is not the instrument's items each once, or a
            *synonym_r* that is not a number between 0 and 1.

    .. versionadded:: 0.1.0
    """
    instrument = resolve(instrument)
    given: object = synonym_r
    if not (isinstance(given, (int, float)) and not isinstance(given, bool) and 0 < given < 1):
        raise InvalidArgumentError(f"synonym_r must be a number between 0 and 1, such as 0.6 (got {quoted(synonym_r)})")
    plan = compiled(instrument)
    matrix, frame = answer_matrix(instrument, answer_sets, mapping=mapping, ignore=ignore)
    ids = [item.id for item in plan.items]
    if order is None and frame is not None:
        headers = dict.fromkeys(mapping.get(h, h) if mapping else h for h in frame.columns)
        order = [h for h in headers if h in plan.item_index] + [i for i in ids if i not in headers]
    presented = _order(ids, order)
    raw = matrix[:, [plan.item_index[item_id] for item_id in presented]]
    answered = ~np.isnan(raw)
    longest, average = _runs(raw, answered)
    distances, mahalanobis_n, reason = _mahalanobis(matrix)
    even_odd, scales_used = _even_odd(plan, matrix)
    pairs, synonyms, counts = _synonyms(matrix, float(synonym_r))
    rows = list(frame.index) if frame is not None else range(len(matrix))
    respondents = tuple(
        RespondentQuality(
            row=row,
            n_answered=int(n),
            longstring=int(run),
            average_run=_value(mean_run),
            irv=_value(spread),
            mahalanobis=_value(distance),
            even_odd=_value(consistency),
            synonyms=_value(synonym),
            n_synonym_pairs=int(count),
        )
        for row, n, run, mean_run, spread, distance, consistency, synonym, count in zip(
            rows,
            answered.sum(axis=1).tolist(),
            longest.tolist(),
            average.tolist(),
            _irv(raw, answered).tolist(),
            distances.tolist(),
            even_odd.tolist(),
            synonyms.tolist(),
            counts.tolist(),
            strict=True,
        )
    )
    return QualityReport(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        fingerprint=plan.fingerprint,
        n_respondents=len(matrix),
        order=tuple(presented),
        synonym_r=float(synonym_r),
        synonym_pairs=tuple((ids[i], ids[j], r) for i, j, r in pairs),
        even_odd_scales=scales_used,
        mahalanobis_n=mahalanobis_n,
        mahalanobis_reason=reason,
        respondents=respondents,
    )


def _value(x: float) -> float | None:
    return None if math.isnan(x) else x


def _order(ids: list[str], order: Sequence[str] | None) -> list[str]:
    if order is None:
        return ids
    if isinstance(order, (str, bytes)) or not isinstance(order, Sequence):
        raise InvalidArgumentError(f"order must be a sequence of item ids (got {quoted(order)})")
    listed = list(order)
    problems = [f"{quoted(i)} is not an item of the instrument" for i in listed if i not in ids]
    problems += [f"{quoted(i)} is listed {listed.count(i)} times" for i in dict.fromkeys(listed) if listed.count(i) > 1]
    problems += [f"{quoted(i)} is not listed" for i in ids if i not in listed]
    if problems:
        raise InvalidArgumentError("order must list every item once: " + "; ".join(problems))
    return listed


def _runs(raw: np.ndarray, answered: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The longest run of identical answers per row, and the mean run length (NaN without answers)."""
    n, m = raw.shape
    same = raw[:, 1:] == raw[:, :-1]  # NaN equals nothing: a missing answer ends a run.
    length = answered[:, 0].astype("int64") if m else np.zeros(n, dtype="int64")
    longest = length.copy()
    for j in range(1, m):
        length = np.where(same[:, j - 1], length + 1, answered[:, j].astype("int64"))
        np.maximum(longest, length, out=longest)
    starts = answered[:, :1].sum(axis=1) + (answered[:, 1:] & ~same).sum(axis=1) if m else np.zeros(n)
    with np.errstate(invalid="ignore", divide="ignore"):
        average = answered.sum(axis=1) / starts
    return longest, average


def _irv(raw: np.ndarray, answered: np.ndarray) -> np.ndarray:
    """Each row's standard deviation (``n - 1``) of its answers; NaN with fewer than two."""
    count = answered.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        centre = np.where(answered, raw, 0.0).sum(axis=1) / count
        squares = np.where(answered, raw - centre[:, None], 0.0) ** 2
        return np.where(count >= 2, np.sqrt(squares.sum(axis=1) / (count - 1)), np.nan)


def _mahalanobis(matrix: np.ndarray) -> tuple[np.ndarray, int, str | None]:
    """D² of every complete row from the complete rows' means and covariance; NaN for the others."""
    n, m = matrix.shape
    complete = ~np.isnan(matrix).any(axis=1)
    data = matrix[complete]
    distances = np.full(n, np.nan)
    if len(data) <= m:
        return distances, len(data), f"{len(data)} respondents answered every item; more than {m} are needed"
    centred = data - data.mean(axis=0)
    covariance = centred.T @ centred / (len(data) - 1)
    if np.linalg.cond(covariance) > _SINGULAR:
        return (
            distances,
            len(data),
            "the items' covariance matrix is singular (an item without variance, or items that move together)",
        )
    distances[complete] = np.einsum("ij,ij->i", centred @ np.linalg.inv(covariance), centred)
    return distances, len(data), None


def _even_odd(plan: Any, matrix: np.ndarray) -> tuple[np.ndarray, tuple[str, ...]]:
    """Johnson's even-odd consistency per row, and the scales it used."""
    rules = [rule for rule in plan.scales if rule.n_items >= 2]
    n = len(matrix)
    halves = np.full((2, n, len(rules)), np.nan)
    for s, rule in enumerate(rules):
        keyed = matrix[:, list(rule.positions)]
        reverse = [i for i, p in enumerate(rule.positions) if p in rule.reverse]
        keyed[:, reverse] = rule.offset - keyed[:, reverse]
        for half, part in enumerate((keyed[:, 0::2], keyed[:, 1::2])):
            present = ~np.isnan(part)
            with np.errstate(invalid="ignore", divide="ignore"):
                halves[half, :, s] = np.where(present, part, 0.0).sum(axis=1) / present.sum(axis=1)
    odd, even = halves
    both = ~(np.isnan(odd) | np.isnan(even))
    r = masked_correlations(odd, even, both, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        corrected = np.maximum(2 * r / (1 + r), -1.0)
    corrected = np.where((both.sum(axis=1) >= _FEWEST_SCALES) & ~np.isnan(r), corrected, np.nan)
    return corrected, tuple(rule.id for rule in rules)


def _synonyms(matrix: np.ndarray, critical: float) -> tuple[list[tuple[int, int, float]], np.ndarray, np.ndarray]:
    """The synonym pairs (positions, r), each row's synonym correlation, and its count of pairs answered."""
    r = correlations(matrix)
    pairs = [(i, j, value) for (i, j), value in r.items() if value is not None and value > critical]
    n = len(matrix)
    if not pairs:
        return pairs, np.full(n, np.nan), np.zeros(n, dtype="int64")
    first = matrix[:, [i for i, _, _ in pairs]]
    second = matrix[:, [j for _, j, _ in pairs]]
    both = ~(np.isnan(first) | np.isnan(second))
    counts = both.sum(axis=1)
    values = masked_correlations(first, second, both, axis=1)
    return pairs, np.where(counts >= _FEWEST_PAIRS, values, np.nan), counts
