"""
`reliability` on answer mappings or a DataFrame: the array engine, and the choice of engine.

The figures and their formulas are those of `leadscore._consistency` (psych's ``alpha``);
this module computes, with NumPy, the part of the work that reads every respondent (each
scale's covariances, correlations, item means, item-total correlations and frequencies),
and hands it to the same code that turns it into every figure.

Pairwise covariances come from matrix products of the centred answers and the answered
flags: for items ``i`` and ``j``, over the respondents who answered both,
``sum(x y) - sum(x) sum(y) / n``, each column first centred on its own mean so that the
subtraction loses nothing worth counting. The sums are NumPy's, not `math.fsum`: figures
agree with the pure-Python engine to about 1e-13 and with psych to 1e-12 on its data.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

from leadscore import _consistency as pure
from leadscore._checks import quoted
from leadscore._consistency import Missing, ReliabilityReport
from leadscore._model import Instrument
from leadscore._registry import resolve
from leadscore.analysis._tables import is_frame
from leadscore.errors import InvalidArgumentError


__all__ = ["reliability"]


def reliability(
    instrument: Instrument | str,
    answer_sets: Any,
    *,
    missing: Missing = "pairwise",
    level: float | None = None,
    mapping: Mapping[Hashable, str] | None = None,
    ignore: Iterable[Hashable] = (),
    exclude: Iterable[Hashable] = (),
    bootstrap: int | None = None,
    seed: int | None = 0,
) -> ReliabilityReport:
    """
    Compute Cronbach's alpha, and the figures psych's ``alpha`` gives, for every scale of *instrument*.

    Per scale: raw and standardized alpha, Feldt's and Duhachek's intervals (with *level*),
    alpha's standard error, McDonald's omega total (one-factor minres), Guttman's lambda 6,
    the average and median inter-item correlation, signal-to-noise, the scale score's mean and
    SD; per item: its mean and SD, alpha and standardized alpha if it is dropped, raw,
    standardized, smc-corrected and corrected item-total correlations, its loading, its
    response frequencies and share missing, and whether it runs against the scale as keyed.
    `docs/feedback-and-analysis.md` gives every formula; each is checked against R psych.

    Args:
        instrument: The instrument, or its id.
        answer_sets: The respondents' answers: answer mappings, validated as `leadscore.score`
            does; or a pandas, Polars or PyArrow DataFrame, one row per respondent, its cells
            read as `leadscore.frames.score_frame` reads them.
        missing: ``"pairwise"`` (default, as psych's ``alpha``) or ``"listwise"``.
        level: A confidence level between 0 and 1 (such as 0.95) for Feldt's and Duhachek's
            intervals of alpha; they need the ``analysis`` extra (SciPy, for the F quantile).
        mapping: For a DataFrame: its header to item id, where the headers are not item ids.
        ignore: For a DataFrame: columns that are not items, left out (such as a respondent id).
        exclude: Answer sets to set aside, after they are validated: positions among the
            answer mappings, or labels of the frame's index (such as those
            `leadscore.analysis.quality` flagged). The report lists them (`excluded`);
            nothing is set aside unless named here.
        bootstrap: How many bootstrap samples of the respondents give a percentile interval
            of omega total at *level* (which it needs), such as 1000; with NumPy (the
            ``analysis`` extra).
        seed: The seed of those samples, recorded in the report: the same seed and data give
            the same interval.

    Raises:
        InvalidAnswersError: Naming a frame's bad cells and columns, or at the first invalid
            answer set, with its row.
        ValueError: If *missing* is neither, *level* is not between 0 and 1, or *exclude*
            names a row that is not there.
        ImportError: If *level* is given without the ``analysis`` extra, or a DataFrame
            without NumPy and pandas.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *level*, *mapping*, *ignore*, *exclude*, *bootstrap* and *seed*; DataFrames; every figure
       but alpha, standardized alpha, alpha if deleted and the corrected item-total correlation.
    """
    pure.check_options(missing, level)
    _check_bootstrap(bootstrap, seed, level)
    instrument = resolve(instrument)
    try:
        from leadscore.analysis import _engine  # noqa: PLC0415 - NumPy, from the analysis extra
    except ImportError as error:
        if is_frame(answer_sets):
            raise ImportError("reading a DataFrame needs NumPy and pandas: pip install 'leadscore[pandas]'") from error
        if bootstrap is not None:
            message = "a bootstrap interval needs NumPy: pip install 'leadscore[analysis]'"
            raise ImportError(message) from error
        return pure.pure_report(instrument, answer_sets, missing=missing, level=level, exclude=exclude)  # type: ignore[arg-type]
    return _engine.array_report(
        instrument,
        answer_sets,
        missing=missing,
        level=level,
        mapping=mapping,
        ignore=ignore,
        exclude=exclude,
        bootstrap=bootstrap,
        seed=seed,
    )


_MAX_SAMPLES = 1_000_000
_MAX_SEED = 2**64  # Seeds beyond are no more random, and too long to print in a report.


def _check_bootstrap(bootstrap: object, seed: object, level: object) -> None:
    if bootstrap is None:
        return
    if not (isinstance(bootstrap, int) and not isinstance(bootstrap, bool) and 2 <= bootstrap <= _MAX_SAMPLES):
        raise InvalidArgumentError(
            f"bootstrap must be a whole number of samples from 2 to {_MAX_SAMPLES:,}, such as 1000 "
            f"(got {quoted(bootstrap)})"
        )
    if seed is not None and not (isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed < _MAX_SEED):
        raise InvalidArgumentError(f"seed must be a whole number from 0 to 2**64 - 1, or None (got {quoted(seed)})")
    if level is None:
        raise InvalidArgumentError("a bootstrap interval needs a level, such as level=0.95")
