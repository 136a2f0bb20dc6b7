"""
An independent attacker of 360 reports who knows that answers are whole numbers (issue 31): a test oracle.

It reads only what an attacker has: the instrument's definition (items, ranges, keys, methods),
who rated in which group and which items each answered, the self and manager ratings (and, as a
colluder, one rater's own answers), and every mean the report shows, as printed (two decimals,
with its n). Every shown mean becomes an exact integer constraint on the protected answers (the
printed figure is the exact mean rounded half away from zero), each answer an integer variable in
its range, the same (rater key, item) the same variable in every round. OR-Tools' CP-SAT then
decides, for each protected answer, whether another value fits every figure: if none does, the
answer is pinned. Nothing here comes from leadscore's audit.
"""

from __future__ import annotations

import math

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

from ortools.sat.python import cp_model

from leadscore import FeedbackReport, GroupFigure, Instrument, Rating


Affine = tuple[dict[str, Fraction], Fraction]  # Coefficients on item ids, and a constant.
IDENTIFIABLE = {"self", "manager"}


def value_of(instrument: Instrument, score_id: str, rating: Rating) -> Affine | None:
    """One rater's exact score as an affine function of their answers, from the definition; None without one."""
    items = {item.id: item for item in instrument.items}
    if score_id in items:
        return ({score_id: Fraction(1)}, Fraction(0)) if _answered(instrument, score_id, rating) else None
    scales = {scale.id: scale for scale in instrument.scales}
    if score_id in scales:
        return _scale_value(instrument, scales[score_id], rating)
    composite = next(c for c in instrument.composites if c.id == score_id)
    parts = [value_of(instrument, part.scale, rating) for part in composite.parts]
    if any(part is None for part in parts):
        return None
    if composite.method == "difference":
        weights = [Fraction(1), Fraction(-1)]
    else:
        given_weights = [Fraction(repr(part.weight)) for part in composite.parts]
        weights = [w / sum(given_weights) for w in given_weights]
    out: dict[str, Fraction] = {}
    constant = Fraction(0)
    for weight, part in zip(weights, parts, strict=True):
        coefficients, part_constant = part  # type: ignore[misc]
        for item_id, c in coefficients.items():
            out[item_id] = out.get(item_id, Fraction(0)) + weight * c
        constant += weight * part_constant
    return out, constant


def _answered(instrument: Instrument, item_id: str, rating: Rating) -> bool:
    item = next(i for i in instrument.items if i.id == item_id)
    value, na = rating.answers.get(item_id), item.response.not_applicable
    return value is not None and (na is None or value != na.code)


def _scale_value(instrument: Instrument, scale: Any, rating: Rating) -> Affine | None:
    """A scale's exact score: the mean (or prorated sum, or POMP) of the rater's keyed answers."""
    items = {item.id: item for item in instrument.items}
    given = [i for i in scale.items if _answered(instrument, i, rating)]
    k = len(given)
    if k < scale.min_answered:
        return None
    low, high = items[scale.items[0]].response.min, items[scale.items[0]].response.max
    coefficients: dict[str, Fraction] = {}
    constant = Fraction(0)
    for item_id in given:  # The keyed answer: low + high - answer when reverse keyed.
        if item_id in scale.reverse_keyed:
            coefficients[item_id], constant = Fraction(-1, k), constant + Fraction(low + high, k)
        else:
            coefficients[item_id] = Fraction(1, k)
    factor, shift = Fraction(1), Fraction(0)
    if scale.method == "sum":
        factor = Fraction(len(scale.items))
    elif scale.method == "pomp":
        factor, shift = Fraction(100, high - low), Fraction(low)
    return {i: c * factor for i, c in coefficients.items()}, (constant - shift) * factor


def members(ratings: Sequence[Rating], figure: GroupFigure) -> list[Rating]:
    """The raters a figure is of, as the attacker knows: its group (or the merged groups, or all but self)."""
    if figure.group == "all-others":
        return [r for r in ratings if r.group != "self"]
    if figure.group == "merged":
        return [r for r in ratings if r.group in figure.merged_from]
    return [r for r in ratings if r.group == figure.group]


def shown_figures(report: FeedbackReport) -> Iterable[tuple[str, GroupFigure]]:
    """Every figure the report shows, with its score id."""
    for collection in (report.scales, report.composites, report.items):
        for feedback in collection.values():
            for figure in [*feedback.groups, *([feedback.all_others] if feedback.all_others else [])]:
                yield feedback.id, figure


def _bounds(printed: Fraction, places: int) -> tuple[Fraction, Fraction, bool, bool]:
    """The exact values that round half away from zero to *printed*: (low, high, low included, high included)."""
    half = Fraction(1, 2 * 10**places)
    if printed > 0:
        return printed - half, printed + half, True, False
    if printed < 0:
        return printed - half, printed + half, False, True
    return -half, half, False, False


class Attacker:
    """
    The equations of one or more rounds' reports, ready to ask which answers they pin.

    Args:
        instrument: The instrument.
        rounds: Each round's ratings and the report made of them (oldest first).
        colluder: The rater key of a colluding rater, whose own answers the attacker knows.
    """

    def __init__(
        self, instrument: Instrument, rounds: Sequence[tuple[Sequence[Rating], FeedbackReport]], colluder: Any = None
    ) -> None:
        """Build the model: one variable per protected (rater key, item), one constraint per shown mean."""
        self.model = cp_model.CpModel()
        self.truth: dict[tuple[Any, str], int] = {}
        self.cells: dict[tuple[Any, str], Any] = {}
        ranges = {item.id: (item.response.min, item.response.max) for item in instrument.items}
        for ratings, _ in rounds:
            for rating in ratings:
                if rating.group in IDENTIFIABLE or rating.rater == colluder:
                    continue
                for item_id, answer in rating.answers.items():
                    if value_of(instrument, item_id, rating) is not None:
                        key = (rating.rater, item_id)
                        if key not in self.cells:
                            low, high = ranges[item_id]
                            self.cells[key] = self.model.new_int_var(low, high, f"{key}")
                            self.truth[key] = int(answer)  # type: ignore[arg-type]
        for ratings, report in rounds:
            for score_id, figure in shown_figures(report):
                self._constrain(instrument, score_id, figure, members(ratings, figure))

    def _constrain(self, instrument: Instrument, score_id: str, figure: GroupFigure, raters: list[Rating]) -> None:
        terms: dict[tuple[Any, str], Fraction] = {}
        constant = Fraction(0)
        n = 0
        for rating in raters:
            got = value_of(instrument, score_id, rating)
            if got is None:
                continue
            n += 1
            coefficients, part = got
            constant += part
            for item_id, c in coefficients.items():
                key = (rating.rater, item_id)
                if key in self.cells:
                    terms[key] = terms.get(key, Fraction(0)) + c
                else:  # Known: the self's, the manager's, the colluder's.
                    constant += c * int(rating.answers[item_id])  # type: ignore[arg-type]
        assert n == figure.n_raters, (score_id, figure.group, n, figure.n_raters)
        low, high, low_in, high_in = _bounds(Fraction(repr(figure.mean)), 2)
        # n·low <= sum <= n·high, scaled to whole numbers.
        scale = math.lcm(*(c.denominator for c in (*terms.values(), constant, low, high)))
        expression = sum(int(c * scale) * self.cells[key] for key, c in terms.items())
        base = int(constant * scale)
        lower, upper = n * low * scale - base, n * high * scale - base
        self.model.add(expression >= (math.ceil(lower) if low_in else math.floor(lower) + 1))
        self.model.add(expression <= (math.floor(upper) if high_in else math.ceil(upper) - 1))

    def pinned(self) -> list[tuple[Any, str]]:
        """The protected (rater key, item) whose answer no other value can replace."""
        found = []
        for key, variable in sorted(self.cells.items(), key=lambda kv: repr(kv[0])):
            other = self.model.clone()
            other.add(other.get_int_var_from_proto_index(variable.index) != self.truth[key])
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = 0
            solver.parameters.max_time_in_seconds = 60
            status = solver.solve(other)
            assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE), solver.status_name(status)
            if status == cp_model.INFEASIBLE:
                found.append(key)
        return found


def homogeneous(
    instrument: Instrument, ratings: Sequence[Rating], report: FeedbackReport, key: tuple[Any, str], colluder: Any
) -> bool:
    """
    Whether a pinned answer is the documented exception: on a shown figure of its item (or of a
    one-item scale of it), every protected rater but the colluder gave the same answer.
    """
    rater, item_id = key
    direct = {item_id} | {s.id for s in instrument.scales if tuple(s.items) == (item_id,)}
    for score_id, figure in shown_figures(report):
        if score_id not in direct:
            continue
        inside = [r for r in members(ratings, figure) if value_of(instrument, score_id, r) is not None]
        if rater not in {r.rater for r in inside}:
            continue
        given = {r.answers[item_id] for r in inside if r.group not in IDENTIFIABLE and r.rater != colluder}
        if len(given) == 1:
            return True
    return False


def beyond_homogeneity(
    instrument: Instrument, rounds: Sequence[tuple[Sequence[Rating], FeedbackReport]], colluders: Iterable[Any] = ()
) -> dict[Any, list[tuple[Any, str]]]:
    """For the leader (None) and each colluder: the answers pinned that no unanimous figure of any round explains."""
    out: dict[Any, list[tuple[Any, str]]] = {}
    for colluder in (None, *colluders):
        pinned = Attacker(instrument, rounds, colluder).pinned()
        unexplained = [
            key
            for key in pinned
            if not any(homogeneous(instrument, ratings, report, key, colluder) for ratings, report in rounds)
        ]
        if unexplained:
            out[colluder] = unexplained
    return out


def answers_of(ratings: Sequence[Rating]) -> Mapping[Any, Mapping[str, Any]]:
    """Each rater's answers, by key."""
    return {r.rater: r.answers for r in ratings}
