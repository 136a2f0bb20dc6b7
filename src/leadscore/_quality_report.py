"""
What `leadscore.analysis.quality` reports: careless-responding indices per respondent.

The computation needs NumPy and lives in `leadscore.analysis`; the report is plain data in
the core, so reports and JSON can carry it without NumPy.
"""

from __future__ import annotations

from collections.abc import Hashable

from attrs import frozen

from leadscore._views import AboutInstrument


__all__ = ["QualityReport", "RespondentQuality"]


@frozen(kw_only=True)
class RespondentQuality:
    """
    The careless-responding indices of one respondent.

    Attributes:
        row: The respondent: its position among the answer sets, or its label in the frame's index.
        n_answered: How many items were answered.
        longstring: The longest run of identical consecutive answers (0 with none answered).
        average_run: The mean length of the runs of identical answers, or None.
        irv: The standard deviation (``n - 1``) of the answers, or None (fewer than two).
        mahalanobis: The squared Mahalanobis distance, or None (not every item answered, or
            no usable covariance: see `QualityReport.mahalanobis_reason`).
        even_odd: The Spearman-Brown corrected even-odd consistency, or None.
        synonyms: The psychometric-synonym correlation, or None.
        n_synonym_pairs: How many synonym pairs the respondent answered both items of.

    .. versionadded:: 0.1.0
    """

    row: Hashable
    n_answered: int
    longstring: int
    average_run: float | None
    irv: float | None
    mahalanobis: float | None
    even_odd: float | None
    synonyms: float | None
    n_synonym_pairs: int


@frozen(kw_only=True)
class QualityReport(AboutInstrument):
    """
    The careless-responding indices of every respondent, and what they were computed from.

    Attributes:
        n_respondents: How many answer sets were given.
        order: The item ids in the order they were presented, as longstring read them.
        synonym_r: The critical correlation of psychometric synonyms.
        synonym_pairs: The synonym pairs: (item id, item id, their correlation).
        even_odd_scales: The scales the even-odd index splits (those of two or more items).
        mahalanobis_n: How many respondents (those who answered every item) gave the means
            and covariances of the Mahalanobis distance.
        mahalanobis_reason: Why there is no Mahalanobis distance, or None.
        respondents: Each respondent's indices, in the order given.

    .. versionadded:: 0.1.0
    """

    n_respondents: int
    order: tuple[str, ...]
    synonym_r: float
    synonym_pairs: tuple[tuple[str, str, float], ...]
    even_odd_scales: tuple[str, ...]
    mahalanobis_n: int
    mahalanobis_reason: str | None
    respondents: tuple[RespondentQuality, ...]
