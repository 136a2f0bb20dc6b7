"""
Group reports: a team's or a programme's profile on one instrument, under the rules of a 360 report.

`group_report` is `aggregate` over answer sets grouped by team or cohort, with no one shown alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from attrs import frozen

from leadscore._aggregate import IDENTIFIABLE, Rating, ScoreFeedback, aggregate, ratings_list
from leadscore._model import Instrument
from leadscore._privacy import AUDIT
from leadscore._views import AboutInstrument, ById
from leadscore.errors import InvalidArgumentError


__all__ = ["GroupReport", "group_report"]


@frozen(kw_only=True)
class GroupReport(AboutInstrument):
    """
    A team's or a programme's profile on one instrument: many people, no one shown alone.

    Every figure is one group's (a team, a cohort) or everyone's (under ``"all-others"``),
    released under the rules of a 360 report: a group below its minimum is merged or not
    shown, and the disclosure audit withholds what would give away one person's answers.
    There is no self and no gap.

    Attributes:
        people: How many answer sets per group were given (before any suppression).
        scales: Per scale, its figures by group; ``all_others`` is everyone.
        composites: Per composite, its figures.
        items: Per item, its figures.
        top_items: Items with the highest means of everyone, highest first.
        bottom_items: Items with the lowest means of everyone, lowest first.
        audit: The version of the audit that released it (docs/privacy.md).

    Every figure is as the page shows it (see `GroupFigure`).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *audit*.
    """

    people: tuple[tuple[str, int], ...]
    scales: ById[ScoreFeedback]
    composites: ById[ScoreFeedback]
    items: ById[ScoreFeedback]
    top_items: tuple[str, ...]
    bottom_items: tuple[str, ...]
    audit: int = AUDIT


def group_report(
    instrument: Instrument | str,
    ratings: Iterable[Rating],
    *,
    min_group: int = 3,
    group_minimums: Mapping[str, int] | None = None,
    top: int = 3,
) -> GroupReport:
    """
    Aggregate many people's answers into a group profile, withholding what could identify one.

    Args:
        instrument: The instrument, or its id.
        ratings: One `Rating` per answer set: its group is the team or cohort (a lowercase
            slug; not ``"self"`` or ``"manager"``, whose figures a 360 shows alone), its
            rater an opaque key of the person. Self-assessments of a team, or every rating
            others gave the people of a programme, are both answer sets.
        min_group: Fewest answer sets for a group to be shown (default 3); everyone together
            is shown from this many too (at least 3).
        group_minimums: Per-group minimums that override *min_group*.
        top: How many top and bottom items to name.

    Raises:
        InvalidArgumentError: For a ``"self"`` or ``"manager"`` group and every problem
            `aggregate` names.
        InvalidAnswersError: If an answer set is invalid.

    .. versionadded:: 0.1.0
    """
    listed = ratings_list(ratings, "ratings")
    given: list[Any] = listed  # Whatever came in: aggregate names what is no rating.
    alone = sorted({r.group for r in given if isinstance(r, Rating) and r.group in IDENTIFIABLE})
    if alone:
        raise InvalidArgumentError(
            f"a group report has no one shown alone: use a team or cohort name, not {', '.join(map(repr, alone))}"
        )
    everyone = max(min_group, 3) if type(min_group) is int else min_group
    report = aggregate(
        instrument, listed, min_group=min_group, min_all_others=everyone, group_minimums=group_minimums, top=top
    )
    return GroupReport(
        audit=report.audit,
        instrument_id=report.instrument_id,
        instrument_version=report.instrument_version,
        fingerprint=report.fingerprint,
        people=report.raters,
        scales=report.scales,
        composites=report.composites,
        items=report.items,
        top_items=report.top_items,
        bottom_items=report.bottom_items,
    )
