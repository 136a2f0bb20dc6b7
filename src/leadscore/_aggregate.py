"""
Multi-rater (360) feedback: group means, gaps, agreement, and privacy enforced here.

Ratings are answer sets tagged with a rater group and an opaque rater key. For every scale
and every item, separately, and after unanswered and not-applicable answers are removed:

- ``self`` and ``manager`` are shown from one rating up, marked identifiable;
- any other group is anonymous and shown only with at least its minimum of raters (3 by
  default); anonymous groups below their minimum are merged into one pool, shown when the
  pool reaches the minimum and hidden otherwise;
- "all others" (everyone but self) is shown only with at least 4 raters, and only when no
  rater is hidden: otherwise subtracting the shown groups from it would reveal the hidden ones.

No rater's key or answers appear in the report. Gaps are self minus all others, in the
scale's units and in POMP points; a gap of at least the threshold (10 POMP points by
default) is a blind spot (self higher) or a hidden strength (self lower). Agreement is the
SD and r_wg (James, Demaree & Wolf, 1984) against a uniform null distribution, r_wg(J) for
multi-item scales, set to 0 when the observed variance exceeds the null's.

Figures a report cannot protect across revisions (a rater added later changes a group's
mean) are outside this function: show each report once, or only complete rounds.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final

import attrs

from attrs import field, frozen

from leadscore._catalog import SET_ASIDE_REASONS, Reason
from leadscore._checks import decimal_ratio, is_number, quoted
from leadscore._model import Instrument
from leadscore._plan import compiled
from leadscore._privacy import AUDIT, MIN_SPREAD, Earlier, Field, Figure, audit, field_for
from leadscore._registry import resolve
from leadscore._release import (
    ALL_OTHERS,
    GROUP,
    IDENTIFIABLE,
    MANAGER,
    MERGED,
    SELF,
    ReleaseRecord,
    earlier_rows,
    record_of,
)
from leadscore._results import Result
from leadscore._scoring import Answers
from leadscore._stats import (
    Exact,
    agreement,
    exact_mean,
    exact_variance,
    rounded,
    rounded_root,
    uniform_variance,
)
from leadscore._views import AboutInstrument, ById
from leadscore.errors import ArgumentTypeError, InvalidArgumentError


__all__ = [
    "ALL_OTHERS",
    "IDENTIFIABLE",
    "MANAGER",
    "MAX_MINIMUM",
    "MERGED",
    "SELF",
    "FeedbackReport",
    "GroupFigure",
    "Rating",
    "ScoreFeedback",
    "aggregate",
    "ratings_list",
]

MAX_MINIMUM: Final = 1_000_000


@frozen(kw_only=True)
class Rating:
    """
    One rater's answers, with the group they rate from.

    Attributes:
        group: ``"self"``, ``"manager"``, ``"peers"``, ``"direct_reports"``, ``"others"`` or a
            group of your own (a lowercase slug).
        rater: An opaque key (text or an integer), unique per rater; used to check no one
            rates twice, never shown.
        answers: Their answers, validated as `leadscore.score` validates them.

    .. versionadded:: 0.1.0
    """

    group: str
    rater: str | int = field(repr=False)
    answers: Answers = field(repr=False)


@frozen(kw_only=True)
class GroupFigure:
    """
    One group's figure for one scale or item.

    Attributes:
        group: The group (``"merged"`` for the pooled small groups, ``"all-others"``).
        n_raters: Raters with an answer or score here.
        mean: Their mean, to two decimals (rounded half away from zero from the exact mean: what
            the page shows).
        sd: Their standard deviation (``n - 1``) to one decimal; None unless the group holds at
            least 10 protected raters (not self, not manager): below that a spread with the mean
            pins a small group's answers (docs/privacy.md).
        rwg: Within-group agreement r_wg (r_wg(J) for multi-item scales) to one decimal; None
            where *sd* is.
        identifiable: True for self and manager, whose figures may be one person's.
        merged_from: For ``"merged"``, the groups pooled into it.

    .. versionadded:: 0.1.0
    """

    group: str
    n_raters: int
    mean: float
    sd: float | None
    rwg: float | None
    identifiable: bool
    merged_from: tuple[str, ...] = ()


@frozen(kw_only=True)
class ScoreFeedback:
    """
    The figures for one scale or item.

    Attributes:
        id: The scale's or item's id.
        groups: The shown groups, self and manager first, then the rest by name.
        all_others: All raters but self, or None when suppressed.
        gap: Self minus all others, from the two shown means (so two decimals), or None.
        gap_pomp: The gap in POMP points (percent of the range), to one decimal, or None; the
            flag compares the unrounded points of the shown gap with the threshold.
        flag: ``"blind spot"``, ``"hidden strength"`` or None.
        suppressed: Why a group or "all others" is not shown, one line each.
        withheld: The groups (``"all-others"`` too) the disclosure audit withheld here: their
            figures, with the others shown, would give away one rater's answers.
        notes: The lines of *suppressed* as reasons (codes and parameters), to show in a
            reader's language with `leadscore.Reason.shown`.

    .. versionadded:: 0.1.0
    """

    id: str
    groups: tuple[GroupFigure, ...]
    all_others: GroupFigure | None
    gap: float | None
    gap_pomp: float | None
    flag: str | None
    suppressed: tuple[str, ...]
    withheld: tuple[str, ...] = ()
    notes: tuple[Reason, ...] = ()

    def group(self, name: str) -> GroupFigure | None:
        """Return the shown figure of group *name*, or None."""
        for figure in self.groups:
            if figure.group == name:
                return figure
        return None


@frozen(kw_only=True)
class FeedbackReport(AboutInstrument):
    """
    A 360 report for one person on one instrument (and the instrument, as every report names it).

    Attributes:
        raters: How many ratings per group were given (before any suppression), by group name.
        scales: Per scale, its figures, by scale id in the instrument's order.
        composites: Per composite, its figures (no r_wg: a composite has no items of its own).
        items: Per item, its figures, by item id.
        top_items: Items with the highest all-others means, highest first.
        bottom_items: Items with the lowest all-others means, lowest first.
        rater_notes: Notes on the ratings as a whole, never on one: how many were set aside
            (``exclude=``; reason ``set-aside``). (How many ratings answer alike throughout is
            not said: with two item means it could give away one rater's answer.)
        audit: The version of the audit that released it (docs/privacy.md).
        release: The record of what it shows, for auditing the next round without these
            answers (`aggregate`'s *released*). It names the raters by key: keep it with the
            answers, never with the page. Not in the report's JSON (``to_json(report)``);
            write it on its own with ``to_json(report.release)``.

    Every figure is as the page shows it. The one figure outside the audit, the self rating at
    full precision, is only given by `unaudited_self_result`.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *rater_notes*, *audit*, *release*.
    """

    raters: tuple[tuple[str, int], ...]
    scales: ById[ScoreFeedback]
    composites: ById[ScoreFeedback]
    items: ById[ScoreFeedback]
    top_items: tuple[str, ...]
    bottom_items: tuple[str, ...]
    rater_notes: tuple[Reason, ...] = ()
    audit: int = AUDIT
    release: ReleaseRecord | None = field(default=None, repr=False, eq=False)
    _self_result: Result | None = field(default=None, repr=False, eq=False, alias="self_result")

    def unaudited_self_result(self) -> Result | None:
        """
        The self rating's scores at full precision, or None without a self rating: UNAUDITED.

        The page shows the self rating to two decimals. This is the person's own `Result`, for
        an app's own use (their own history, say): it is outside the disclosure audit, and a
        figure from it shown beside the others' is no longer the audited release.

        .. versionadded:: 0.1.0
        """
        return self._self_result


def aggregate(
    instrument: Instrument | str,
    ratings: Iterable[Rating],
    *,
    min_group: int = 3,
    min_all_others: int = 4,
    group_minimums: Mapping[str, int] | None = None,
    gap_threshold: float = 10.0,
    top: int = 3,
    released: Iterable[ReleaseRecord] = (),
    exclude: Iterable[str] | Mapping[str, str] = (),
    homogeneous: str = "show",
) -> FeedbackReport:
    """
    Aggregate ratings of one person into a 360 report, withholding what could identify a rater.

    Args:
        instrument: The instrument, or its id.
        ratings: Every rating, self included.
        min_group: Fewest raters for an anonymous group to be shown (default 3).
        min_all_others: Fewest raters for "all others" to be shown (default 4).
        group_minimums: Per-group minimums that override *min_group* (at least 2 each).
        gap_threshold: POMP points of self-minus-others gap that make a blind spot or hidden
            strength.
        top: How many top and bottom items to name.
        released: The release records of reports shown earlier for the same person
            (`FeedbackReport.release`, or read from JSON), oldest first: what they showed is
            audited together with this report (a rater added between two reports is not
            given away). No earlier answers are needed.
        exclude: Rater keys whose ratings are set aside (after they are validated), such as
            those `leadscore.analysis.quality` flagged; or a mapping of rater key to why, one
            of ``"same-answer-throughout"``, ``"long-runs"``, ``"outlier"``, ``"inconsistent"``
            and ``"unspecified"`` (the default). The report says how many, for each reason,
            never whose.
        homogeneous: ``"show"`` (the default) shows a figure on which every protected rater
            gave the same answer at an end of the range, which tells what each of them
            answered (a group mean of 5.00 on a 1-to-5 item: everyone gave 5), and the report
            says so; ``"withhold"`` withholds it like any figure that pins an answer.

    Raises:
        InvalidArgumentError: For a bad group name, a rater key used twice, more than one
            self rating, minimums below 2 (below 3 for all others), a negative threshold, an
            excluded key that is no rater's, or a release record that is not well formed or
            not of this instrument (``released[i]``, every problem named).
        InvalidAnswersError: If a rating's answers are invalid.

    .. versionadded:: 0.1.0
    """
    instrument = resolve(instrument)
    options = {
        "min_group": min_group,
        "min_all_others": min_all_others,
        "group_minimums": group_minimums,
        "gap_threshold": gap_threshold,
        "top": top,
        "homogeneous": homogeneous,
    }
    given: object = released
    if isinstance(given, (str, bytes, Mapping, ReleaseRecord)) or not isinstance(given, Iterable):
        raise ArgumentTypeError(
            f"released must be an iterable of leadscore.ReleaseRecord, oldest first (got {quoted(given)})"
        )
    records = list(given)
    current = ratings_list(ratings, "ratings")
    current, set_aside = _set_aside(instrument, current, exclude)
    # One prime for the whole audit, picked from everything audited together.
    field = field_for((instrument.id, list(map(repr, records)), [_key(r) for r in current]))
    report = _report(instrument, current, options, earlier_rows(instrument, records, field), field)
    if not set_aside:
        return report
    notes = [Reason("set-aside", {"count": count, "why": why}) for why, count in set_aside.items()]
    return attrs.evolve(report, rater_notes=(*notes, *report.rater_notes))


def _set_aside(instrument: Instrument, ratings: list[Any], exclude: object) -> tuple[list[Rating], dict[str, int]]:
    """
    The ratings kept, and how many were set aside for each reason (in the order of `SET_ASIDE_REASONS`).

    Every rating is validated first; anything that is no rating is named by the checks that follow.
    """
    if isinstance(exclude, (str, bytes)) or not isinstance(exclude, Iterable):
        raise ArgumentTypeError(f"exclude must be a collection of rater keys (got {quoted(exclude)})")
    why: dict[Any, Any] = dict(exclude) if isinstance(exclude, Mapping) else dict.fromkeys(exclude, "unspecified")
    if not why:
        return ratings, {}
    unknown_reasons = sorted({quoted(reason) for reason in why.values() if reason not in SET_ASIDE_REASONS})
    if unknown_reasons:
        raise InvalidArgumentError(
            f"exclude gives reasons that are not among {sorted(SET_ASIDE_REASONS)}: {', '.join(unknown_reasons)}"
        )
    plan = compiled(instrument)
    for row, rating in enumerate(ratings):
        plan.validated(getattr(rating, "answers", {}), row)
    keys = {rating.rater for rating in ratings if isinstance(rating, Rating)}
    unknown = [key for key in why if key not in keys]
    if unknown:
        raise InvalidArgumentError(f"exclude names no rater of these ratings: {', '.join(map(quoted, unknown))}")
    kept = [r for r in ratings if not (isinstance(r, Rating) and r.rater in why)]
    counts = {reason: list(why.values()).count(reason) for reason in SET_ASIDE_REASONS}
    return kept, {reason: count for reason, count in counts.items() if count}


def ratings_list(ratings: object, name: str) -> list[Rating]:
    if isinstance(ratings, (str, bytes, Mapping, Rating)) or not isinstance(ratings, Iterable):
        raise ArgumentTypeError(f"{name} must be an iterable of leadscore.Rating (got {quoted(ratings)})")
    return list(ratings)


def _key(rating: object) -> object:
    """What of a rating picks the audit's prime (anything that is no rating is refused later)."""
    if not isinstance(rating, Rating):
        return type(rating).__name__
    answers: object = rating.answers
    shown = sorted(map(quoted, answers.items())) if isinstance(answers, Mapping) else type(answers).__name__
    return (quoted(rating.group), quoted(rating.rater), shown)


def _report(
    instrument: Instrument,
    ratings: list[Rating],
    options: Mapping[str, Any],
    earlier: Earlier,
    field: Field,
) -> FeedbackReport:
    """One report, audited with the rows of earlier ones, with the record of what it shows."""
    group_minimums = options["group_minimums"]
    if group_minimums is not None and not isinstance(group_minimums, Mapping):
        raise ArgumentTypeError(f"group_minimums must be a mapping of group to minimum (got {quoted(group_minimums)})")
    min_all_others, gap_threshold, top = options["min_all_others"], options["gap_threshold"], options["top"]
    minimums = _check(
        ratings,
        min_group=options["min_group"],
        min_all_others=min_all_others,
        group_minimums=group_minimums or {},
        top=top,
        gap_threshold=gap_threshold,
        homogeneous=options["homogeneous"],
    )
    plan = compiled(instrument)
    validated = [plan.validated(rating.answers, row) for row, rating in enumerate(ratings)]
    # Each rater's exact values by score id, read once: looking each score up in each result was
    # quadratic in the number of scales. Means, gaps and agreement are exact, then rounded once.
    scored = [plan.exact_values(*checked) for checked in validated]
    # Each rater's answers by item position; unanswered and not applicable are both None.
    answers = [values for values, _ in validated]
    groups = [rating.group for rating in ratings]
    rules = (minimums, min_all_others, gap_threshold)
    released: dict[Figure, list[int]] = {}
    hidden: dict[Figure, list[int]] = {}
    scales = ById(
        _feedback(
            ("scale", rule.id, released, hidden),
            groups,
            [values[rule.id] for values in scored],
            spread=(*instrument.exact_range(rule.id), uniform_variance(rule.low, rule.high)),
            # The scale's keyed answers, one list per item, by rater.
            columns=[list(column) for column in zip(*(rule.keyed(row) for row in answers), strict=True)],
            rules=rules,
        )
        for rule in plan.scales
    )
    composites = ById(
        _feedback(
            ("composite", composite.id, released, hidden),
            groups,
            [values[composite.id] for values in scored],
            spread=(*instrument.exact_range(composite.id), Fraction(0)),
            columns=[],
            rules=rules,
        )
        for composite in instrument.composites
    )
    items = []
    for position, item in enumerate(plan.items):
        column = [row[position] for row in answers]
        spread = (Fraction(item.low), Fraction(item.high), uniform_variance(item.low, item.high))
        items.append(
            _feedback(("item", item.id, released, hidden), groups, column, spread=spread, columns=[column], rules=rules)
        )
    protected = [group not in IDENTIFIABLE for group in groups]
    owners = [rating.rater for rating in ratings]
    with_spread = {
        (kind, f.id, figure.group)
        for kind, drafted in (("scale", scales.values()), ("composite", composites.values()), ("item", items))
        for f in drafted
        for figure in _figures_of(f)
        if figure.sd is not None or figure.rwg is not None
    }
    withheld, no_spread = audit(
        plan,
        answers,
        protected,
        released,
        owners,
        values=scored,
        groups=groups,
        spread=with_spread,
        hidden=hidden,
        earlier=earlier,
        homogeneous=options["homogeneous"] == "show",
        field=field,
    )
    if withheld or no_spread:
        scales = ById(_withhold(f, "scale", withheld, no_spread) for f in scales.values())
        composites = ById(_withhold(f, "composite", withheld, no_spread) for f in composites.values())
        items = [_withhold(f, "item", withheld, no_spread) for f in items]
    ranked = sorted(
        (r for r in items if r.all_others is not None),
        key=lambda r: (-r.all_others.mean, r.id),  # type: ignore[union-attr]
    )
    counts: dict[str, int] = {}
    for group in groups:
        counts[group] = counts.get(group, 0) + 1
    by_kind = (("scale", scales.values()), ("composite", composites.values()), ("item", items))
    self_at = groups.index(SELF) if SELF in groups else None
    return FeedbackReport(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        fingerprint=plan.fingerprint,
        raters=tuple(sorted(counts.items())),
        scales=scales,
        composites=composites,
        items=ById(items),
        top_items=tuple(r.id for r in ranked[:top]),
        bottom_items=tuple(r.id for r in reversed(ranked[-top:])) if ranked and top else (),
        release=record_of(
            instrument,
            [(rating.rater, rating.group) for rating in ratings],
            answers,
            [(kind, f.id, figure) for kind, shown in by_kind for f in shown for figure in _figures_of(f)],
            released,
        ),
        self_result=None if self_at is None else plan.score_validated(*validated[self_at]),
    )


def _figures_of(feedback: ScoreFeedback) -> list[GroupFigure]:
    """The shown figures of one scale or item: its groups, then all others."""
    return [*feedback.groups, *([feedback.all_others] if feedback.all_others is not None else [])]


def _check(
    ratings: Sequence[Rating],
    *,
    min_group: int,
    min_all_others: int,
    group_minimums: Mapping[str, int],
    top: int,
    gap_threshold: float,
    homogeneous: str,
) -> dict[str, int]:
    problems = []
    if not (is_number(gap_threshold) and gap_threshold >= 0):
        problems.append(f"gap_threshold must be a finite number of at least 0 (got {quoted(gap_threshold)})")
    if homogeneous not in {"show", "withhold"}:
        problems.append(f"homogeneous must be 'show' or 'withhold' (got {quoted(homogeneous)})")
    # Minimums are bounded: a group of a million raters is none a report is made of, and a
    # larger integer could not even be written in a note.
    if type(min_group) is not int or not 2 <= min_group <= MAX_MINIMUM:
        problems.append(f"min_group must be an integer from 2 to {MAX_MINIMUM} (got {quoted(min_group)})")
    if type(min_all_others) is not int or not 3 <= min_all_others <= MAX_MINIMUM:
        problems.append(f"min_all_others must be an integer from 3 to {MAX_MINIMUM} (got {quoted(min_all_others)})")
    if type(top) is not int or top < 0:
        problems.append(f"top must be an integer of at least 0 (got {quoted(top)})")
    for group, minimum in group_minimums.items():
        if type(minimum) is not int or not 2 <= minimum <= MAX_MINIMUM:
            problems.append(
                f"the minimum of group {quoted(group)} must be an integer from 2 to {MAX_MINIMUM} "
                f"(got {quoted(minimum)})"
            )
    seen: set[Any] = set()
    given: Sequence[Any] = ratings  # Whatever came in, whatever its annotation says.
    for index, rating in enumerate(given):
        if not isinstance(rating, Rating):
            problems.append(f"rating {index} must be a leadscore.Rating (got {type(rating).__name__})")
            continue
        name: Any = rating.group
        if not (isinstance(name, str) and GROUP.fullmatch(name)) or name in {MERGED, ALL_OTHERS}:
            reserved = "use a lowercase slug other than 'merged' or 'all-others'"
            problems.append(f"rating {index} has group {quoted(name)}: {reserved}")
        rater: Any = rating.rater
        # A rater key is never shown, so a problem with it names only the rating.
        if not isinstance(rater, (str, int)) or isinstance(rater, bool):
            problems.append(f"rating {index} has a rater key that is not text or an integer")
            continue
        if rater in seen:
            problems.append(f"rating {index} repeats a rater key: each rater rates once")
        seen.add(rater)
    if sum(isinstance(r, Rating) and r.group == SELF for r in given) > 1:
        problems.append("there is more than one self rating")
    if problems:
        raise InvalidArgumentError("invalid ratings: " + "; ".join(problems))
    return {**dict.fromkeys({r.group for r in ratings}, min_group), **group_minimums}


def _withhold(
    feedback: ScoreFeedback, kind: str, withheld: set[Figure], no_spread: Collection[Figure] = ()
) -> ScoreFeedback:
    """*feedback* without the figures (or SDs and r_wg) the audits withheld, saying which groups, not why in detail."""
    gone = {label for k, score_id, label in withheld if k == kind and score_id == feedback.id}
    flat = {label for k, score_id, label in no_spread if k == kind and score_id == feedback.id}
    if not gone and not flat:
        return feedback

    def kept(figure: GroupFigure) -> GroupFigure:
        return attrs.evolve(figure, sd=None, rwg=None) if figure.group in flat else figure

    groups = tuple(kept(figure) for figure in feedback.groups if figure.group not in gone)
    lost_all_others = ALL_OTHERS in gone
    notes = [Reason("withheld", {"groups": [label]}) for label in sorted(gone)]
    notes += [Reason("spread-withheld", {"groups": [label]}) for label in sorted(flat)]
    others = feedback.all_others
    return attrs.evolve(
        feedback,
        groups=groups,
        all_others=None if lost_all_others or others is None else kept(others),
        gap=None if lost_all_others else feedback.gap,
        gap_pomp=None if lost_all_others else feedback.gap_pomp,
        flag=None if lost_all_others else feedback.flag,
        suppressed=(*feedback.suppressed, *map(str, notes)),
        notes=(*feedback.notes, *notes),
        withheld=tuple(sorted(gone)),
    )


def _figure(
    group: str,
    raters: list[int],
    values: Sequence[Exact | None],
    columns: Sequence[Sequence[int | None]],
    spread: tuple[Fraction, Sequence[str]],
    *,
    merged_from: tuple[str, ...] = (),
) -> GroupFigure:
    null_variance, groups = spread
    present = _present(values, raters)
    n = len(present)
    # SD and r_wg only for MIN_SPREAD protected raters or more, to one decimal (docs/privacy.md).
    spread_shown = sum(groups[r] not in IDENTIFIABLE for r in raters) >= MIN_SPREAD
    return GroupFigure(
        group=group,
        n_raters=n,
        mean=rounded(exact_mean(present), 2),
        sd=rounded_root(exact_variance(present), 1) if spread_shown else None,
        rwg=_rwg(raters, columns, null_variance) if spread_shown else None,
        identifiable=group in IDENTIFIABLE,
        merged_from=merged_from,
    )


def _present(values: Sequence[Exact | None], raters: list[int]) -> list[Exact]:
    """The values of *raters* that are not None."""
    return [value for value in (values[r] for r in raters) if value is not None]


def _rwg(raters: list[int], columns: Sequence[Sequence[int | None]], null_variance: Fraction) -> float | None:
    """r_wg(J) over the items with two or more of these raters' answers (r_wg when J is 1), exact, to one decimal."""
    variances = []
    for column in columns:
        answered = _present(column, raters)
        if len(answered) > 1:
            variances.append(exact_variance(answered))
    if not variances:
        return None
    return rounded(agreement(exact_mean(variances), len(variances), null_variance), 1)


def _feedback(
    what: tuple[str, str, dict[Figure, list[int]], dict[Figure, list[int]]],
    groups: Sequence[str],
    values: Sequence[Exact | None],
    *,
    spread: tuple[Fraction, Fraction, Fraction],
    columns: Sequence[Sequence[int | None]],
    rules: tuple[Mapping[str, int], int, float],
) -> ScoreFeedback:
    kind, score_id, released, hidden = what
    minimums, min_all_others, gap_threshold = rules
    low, high, null_variance = spread
    by_group: dict[str, list[int]] = {}
    for rater, (group, value) in enumerate(zip(groups, values, strict=True)):
        if value is not None:
            by_group.setdefault(group, []).append(rater)
    shown: list[GroupFigure] = []
    notes: list[Reason] = []
    pool: list[int] = []
    pooled: list[str] = []
    for group in sorted(by_group, key=lambda g: (g != SELF, g != MANAGER, g)):
        raters = by_group[group]
        if group in IDENTIFIABLE or len(raters) >= minimums[group]:
            shown.append(_figure(group, raters, values, columns, (null_variance, groups)))
            released[kind, score_id, group] = raters
        else:
            pool.extend(raters)
            pooled.append(group)
            hidden[kind, score_id, group] = raters
    hidden_pool = bool(pooled) and len(pool) < max(minimums[g] for g in pooled)
    if pooled and not hidden_pool:
        shown.append(_figure(MERGED, sorted(pool), values, columns, (null_variance, groups), merged_from=tuple(pooled)))
        released[kind, score_id, MERGED] = sorted(pool)
        notes.append(Reason("merged", {"groups": pooled}))
    elif pooled:
        notes.append(Reason("not-shown", {"groups": pooled}))
        hidden[kind, score_id, MERGED] = sorted(pool)
    others = sorted(r for g, raters in by_group.items() if g != SELF for r in raters)
    all_others = None
    if hidden_pool:
        notes.append(Reason("would-reveal", {}))
    elif len(others) >= min_all_others:
        all_others = _figure(ALL_OTHERS, others, values, columns, (null_variance, groups))
        released[kind, score_id, ALL_OTHERS] = others
    elif others:
        notes.append(Reason("too-few-others", {"minimum": min_all_others}))
    self_figure = next((f for f in shown if f.group == SELF), None)
    gap = gap_pomp = None
    flag = None
    if self_figure is not None and all_others is not None:
        # From the shown means (two decimals, as written): the gap says nothing they do not.
        shown_gap = decimal_ratio(self_figure.mean) - decimal_ratio(all_others.mean)
        in_points = 100 * shown_gap / (high - low)  # A difference in POMP points: the gap as percent of the range.
        gap, gap_pomp = float(shown_gap), rounded(in_points, 1)
        threshold = decimal_ratio(gap_threshold)  # As written: a threshold of 12.3 is 123/10.
        if in_points >= threshold:
            flag = "blind spot"
        elif in_points <= -threshold:
            flag = "hidden strength"
    return ScoreFeedback(
        id=score_id,
        groups=tuple(shown),
        all_others=all_others,
        gap=gap,
        gap_pomp=gap_pomp,
        flag=flag,
        suppressed=tuple(map(str, notes)),
        notes=tuple(notes),
    )
