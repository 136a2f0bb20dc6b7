"""
Norm tables supplied by the user: percentiles and T-scores against a reference sample.

leadscore ships no norms: none are published for its instruments. A `NormTable` records its
sample (size, population, date, source) and, per scale, either a mean and SD or the sample's
scores themselves. Percentiles are "% of the sample at or below the score": counted exactly
from an empirical distribution, or from the normal distribution's exact CDF (``erf``) for a
mean and SD; no curve approximations. T-scores are ``50 + 10 * (score - mean) / SD``.
A table whose sample is smaller than ``small_sample`` (100), or a scale's norm that rests on
fewer scores, warns when built; a scale with more scores than the sample has people (one
score per person at most) is refused.
"""

from __future__ import annotations

import math
import warnings

from bisect import bisect_right

from attrs import field, frozen

from leadscore._checks import MAX_ANSWER, Problems, duplicates, quoted, to_tuple
from leadscore._stats import mean as sample_mean
from leadscore._stats import sd as sample_sd
from leadscore._views import ById


__all__ = ["NormSample", "NormTable", "ScaleNorm", "SmallNormSampleWarning"]

#: The smallest SD a parametric norm may have: a spread no norm sample of scores shows less of,
#: and above which every T-score of a score within ±2**53 is a finite float.
MIN_SD = 1e-6


class SmallNormSampleWarning(UserWarning):
    """
    A norm table's sample is small, so its percentiles and T-scores are imprecise.

    .. versionadded:: 0.1.0
    """


@frozen(kw_only=True)
class NormSample:
    """
    Who the norms describe.

    .. versionadded:: 0.1.0
    """

    n: int
    population: str
    date: str
    source: str


@frozen(kw_only=True)
class ScaleNorm:
    """
    The reference distribution of one scale: a mean and SD, or the sample's scores.

    Attributes:
        id: The scale's id.
        mean: The sample's mean, with `sd`.
        sd: The sample's standard deviation (``n - 1``), with `mean`.
        values: Or the sample's scores themselves.

    .. versionadded:: 0.1.0
    """

    id: str
    mean: float | None = None
    sd: float | None = None
    values: tuple[float, ...] = field(default=(), converter=to_tuple)

    def __attrs_post_init__(self) -> None:
        """Check that exactly one description is given and that it is usable."""
        problems = Problems()
        problems.check_slug(self.id, "$.id", "scale id")
        parametric = self.mean is not None or self.sd is not None
        if parametric == bool(self.values):
            problems.add(f"norm of {quoted(self.id)} needs a mean and sd, or values, not both", "$")
            problems.raise_if_any(f"norm {quoted(self.id)}")
        if parametric:
            numbers = [
                problems.check_number(getattr(self, name), f"$.{name}", f"{name} of {quoted(self.id)}")
                for name in ("mean", "sd")
            ]
            if numbers[0] and not abs(self.mean) <= MAX_ANSWER:  # type: ignore[arg-type]
                problems.add(f"mean of {quoted(self.id)} must lie within ±2**53 (got {quoted(self.mean)})", "$.mean")
            if numbers[1] and not MIN_SD <= self.sd <= MAX_ANSWER:  # type: ignore[operator]
                # Below it, a T-score of any score off the mean passes what a float holds.
                problems.add(f"sd of {quoted(self.id)} must be from 1e-06 to 2**53 (got {quoted(self.sd)})", "$.sd")
        elif problems.check_items(self.values, (int, float), "$.values", f"values of {quoted(self.id)}"):
            finite = True
            for index, value in enumerate(self.values):  # Every bad value is reported, not only the first.
                what = f"each of the values of {quoted(self.id)}"
                finite = problems.check_number(value, f"$.values[{index}]", what) and finite
            if len(self.values) < 2:
                problems.add(f"values of {quoted(self.id)} need at least 2 scores", "$.values")
            elif finite and len(set(self.values)) == 1:
                problems.add(
                    f"values of {quoted(self.id)} are all equal: with no spread there is no T-score", "$.values"
                )
            elif finite and not sample_sd(list(self.values)) > 0:  # Apart by less than a float's SD can show.
                problems.add(
                    f"values of {quoted(self.id)} differ by too little for their SD (it rounds to 0): "
                    "with no spread there is no T-score",
                    "$.values",
                )
        problems.raise_if_any(f"norm {quoted(self.id)}")

    def percentile(self, score: float) -> float:
        """Return the percent of the reference sample at or below *score*."""
        if self.values:
            ordered = sorted(self.values)
            return 100 * bisect_right(ordered, score) / len(ordered)
        z = (score - self.mean) / self.sd  # type: ignore[operator]
        return 50 * (1 + math.erf(z / math.sqrt(2)))

    def t_score(self, score: float) -> float:
        """Return ``50 + 10 * (score - mean) / SD``."""
        if self.values:
            mean, sd = sample_mean(self.values), sample_sd(self.values)
        else:
            mean, sd = self.mean, self.sd  # type: ignore[assignment]
        return 50 + 10 * (score - mean) / sd


@frozen(kw_only=True)
class NormTable:
    """
    Norms for an instrument's scales, with the sample they come from.

    Attributes:
        instrument_id: The instrument the norms are for.
        instrument_version: Its version: scores of another version are not comparable.
        sample: Who the norms describe.
        norms: One `ScaleNorm` per normed scale.
        small_sample: Below this sample size, building the table warns.

    .. versionadded:: 0.1.0
    """

    instrument_id: str
    instrument_version: str
    sample: NormSample
    norms: tuple[ScaleNorm, ...] = field(converter=to_tuple)
    small_sample: int = 100

    def __attrs_post_init__(self) -> None:
        """Check the table, and warn when its sample is small."""
        problems = Problems()
        if problems.check_items(self.norms, ScaleNorm, "$.norms", "norms"):
            for scale_id in duplicates(norm.id for norm in self.norms):
                problems.add(f"scale {quoted(scale_id)} is normed twice", "$.norms")
        if problems.check_type(self.sample, NormSample, "$.sample", "sample") and not (
            type(self.sample.n) is int and self.sample.n > 0
        ):
            problems.add(f"sample n must be a positive integer (got {quoted(self.sample.n)})", "$.sample.n")
        problems.raise_if_any(f"norm table for {quoted(self.instrument_id)}")
        for index, norm in enumerate(self.norms):
            # One score per person at most: a person without a score on a scale adds none.
            if len(norm.values) > self.sample.n:
                problems.add(
                    f"norm of {quoted(norm.id)} has {len(norm.values)} scores, more than the "
                    f"{self.sample.n} people in the sample",
                    f"$.norms[{index}].values",
                )
        problems.raise_if_any(f"norm table for {quoted(self.instrument_id)}")
        if self.sample.n < self.small_sample:
            warnings.warn(
                f"the norm sample for {quoted(self.instrument_id)} has only {self.sample.n} people "
                f"(fewer than {self.small_sample}): percentiles and T-scores are imprecise",
                SmallNormSampleWarning,
                stacklevel=3,
            )
        for norm in self.norms:
            if norm.values and len(norm.values) < min(self.small_sample, self.sample.n):
                warnings.warn(
                    f"the norm of {quoted(norm.id)} for {quoted(self.instrument_id)} rests on only "
                    f"{len(norm.values)} scores (fewer than {self.small_sample}): "
                    "its percentiles and T-scores are imprecise",
                    SmallNormSampleWarning,
                    stacklevel=3,
                )

    @property
    def scales(self) -> ById[ScaleNorm]:
        """The norms by scale id, in the order given."""
        return ById(self.norms)

    def norm(self, scale_id: str) -> ScaleNorm:
        """Return the norm of *scale_id*; raise `KeyError` if it has none."""
        return self.scales[scale_id]

    def percentile(self, scale_id: str, score: float) -> float:
        """Return the percent of the sample at or below *score* on *scale_id*."""
        return self.norm(scale_id).percentile(score)

    def t_score(self, scale_id: str, score: float) -> float:
        """Return the T-score of *score* on *scale_id*."""
        return self.norm(scale_id).t_score(score)
