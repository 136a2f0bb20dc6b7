"""
Psychometrics of a set of answers: reliability, and the quality of each respondent's answers.

`reliability` takes answer mappings, as always, or a DataFrame (pandas, Polars, PyArrow: the
cell rules of `leadscore.frames.score_frame`). With NumPy installed (the ``analysis`` extra)
it reads every respondent with array operations; without it, answer mappings go through the
pure-Python engine of the core. `leadscore.reliability` is this function.

`quality` gives each respondent's indices of careless responding (longstring, IRV,
Mahalanobis distance, even-odd consistency, psychometric synonyms); it needs NumPy.
`agreement` gives the intraclass correlations of one rater group across a programme's 360s.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from leadscore._quality_report import QualityReport, RespondentQuality
from leadscore.analysis._agreement import AgreementReport, ScaleAgreement, agreement
from leadscore.analysis._reliability import reliability


if TYPE_CHECKING:  # Loaded on first use, by __getattr__ below.
    from leadscore.analysis._quality import quality


__all__ = [
    "AgreementReport",
    "QualityReport",
    "RespondentQuality",
    "ScaleAgreement",
    "agreement",
    "quality",
    "reliability",
]


def __getattr__(name: str) -> object:
    # The data-quality indices need NumPy: their module loads on first use, so importing
    # leadscore.analysis (as leadscore.reliability does) needs nothing beyond the core.
    if name == "quality":
        try:
            from leadscore.analysis._quality import quality  # noqa: PLC0415
        except ImportError as error:
            raise ImportError("leadscore.analysis.quality needs NumPy: pip install 'leadscore[analysis]'") from error
        return quality
    raise AttributeError(f"module 'leadscore.analysis' has no attribute {name!r}")
