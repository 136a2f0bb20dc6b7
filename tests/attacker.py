"""
An independent attacker of 360 reports who knows that answers are whole numbers (issue 31): a test oracle.

It reads only what an attacker has: the instrument's definition (items, ranges, keys, methods),
who rated in which group and which items each answered, the self and manager ratings (and, as a
colluder, one rater's own answers), and every mean the report shows, as printed (two decimals,
with its n); attacking the report object rather than the page (``spreads=True``), every SD and
r_wg it holds as well (one decimal). Every shown figure becomes an exact integer constraint on the
protected answers (the printed figure is the exact value rounded half away from zero: a mean is a
linear constraint, an SD and r_wg quadratic ones), each answer an integer variable in its range,
the same (rater key, item) the same variable in every round. OR-Tools' CP-SAT then decides, for
each protected answer, whether another value fits every figure: if none does, the answer is
pinned. Nothing here comes from leadscore's audit.

The SD is the sample SD of the figure's values (n - 1); r_wg(J) (James, Demaree & Wolf, 1984) is
``J(1 - t) / (J(1 - t) + t)`` with t the mean, over the items with two or more answers among the
figure's raters, of each item's sample variance, divided by the variance of a uniform answer over
the range, ``((high - low + 1)^2 - 1) / 12``; 0 from t = 1 on (docs/feedback-and-analysis.md).
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
        self,
        instrument: Instrument,
        rounds: Sequence[tuple[Sequence[Rating], FeedbackReport]],
        colluder: Any = None,
        *,
        spreads: bool = False,
    ) -> None:
        """Build the model: one variable per protected (rater key, item), constraints per shown figure."""
        self.model = cp_model.CpModel()
        self.squares: dict[tuple[Any, str], Any] = {}
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
                if spreads and figure.sd is not None:
                    self._constrain_sd(instrument, score_id, figure, members(ratings, figure))
                if spreads and figure.rwg is not None:
                    self._constrain_rwg(instrument, score_id, figure, members(ratings, figure))

    def _affine(self, coefficients: Mapping[tuple[Any, str], Fraction], constant: Fraction, scale: int) -> Any:
        """An integer variable equal to *scale* times the affine form (coefficients on cells, and a constant)."""
        low = high = constant * scale
        for key, c in coefficients.items():
            lo, hi = self._range(self.cells[key])
            low += min(c * lo, c * hi) * scale
            high += max(c * lo, c * hi) * scale
        variable = self.model.new_int_var(math.floor(low), math.ceil(high), "affine")
        self.model.add(
            variable == sum(int(c * scale) * self.cells[key] for key, c in coefficients.items()) + int(constant * scale)
        )
        return variable

    def _square(self, variable: Any) -> Any:
        """An integer variable equal to *variable* squared."""
        lo, hi = self._range(variable)
        top = max(lo * lo, hi * hi)
        square = self.model.new_int_var(0 if lo <= 0 <= hi else min(lo * lo, hi * hi), top, "square")
        self.model.add_multiplication_equality(square, [variable, variable])
        return square

    def _values(
        self, instrument: Instrument, score_id: str, raters: list[Rating]
    ) -> list[tuple[dict[tuple[Any, str], Fraction], Fraction]]:
        """Each rater's value of the score (those with one): coefficients on unknown cells, and the known rest."""
        out = []
        for rating in raters:
            got = value_of(instrument, score_id, rating)
            if got is None:
                continue
            coefficients, constant = got
            terms: dict[tuple[Any, str], Fraction] = {}
            for item_id, c in coefficients.items():
                key = (rating.rater, item_id)
                if key in self.cells:
                    terms[key] = c
                else:
                    constant += c * int(rating.answers[item_id])  # type: ignore[arg-type]
            out.append((terms, constant))
        return out

    def _constrain_sd(self, instrument: Instrument, score_id: str, figure: GroupFigure, raters: list[Rating]) -> None:
        """The SD as shown: (n·Σw² - (Σw)²) / (n(n-1)L²) within the squares of its rounding interval, w = L·value."""
        values = self._values(instrument, score_id, raters)
        n = len(values)
        scale = math.lcm(*(c.denominator for terms, constant in values for c in (*terms.values(), constant)))
        ws = [self._affine(terms, constant, scale) for terms, constant in values]
        total = self._affine_sum(ws)
        expression = n * sum(self._square(w) for w in ws) - self._square(total)
        low, high, low_in, high_in = _bounds(Fraction(repr(figure.sd)), 1)
        k = n * (n - 1) * scale * scale
        lower, upper = max(low, Fraction(0)) ** 2 * k, high**2 * k
        self._within(expression, lower, upper, low_in or low <= 0, high_in)

    def _constrain_rwg(self, instrument: Instrument, score_id: str, figure: GroupFigure, raters: list[Rating]) -> None:
        """r_wg as shown: the mean item variance within the interval that rounds to it (r_wg falls as it grows)."""
        inside = [r for r in raters if value_of(instrument, score_id, r) is not None]
        scale = next((s for s in instrument.scales if s.id == score_id), None)
        item_ids = list(scale.items) if scale is not None else [score_id]
        items = {item.id: item for item in instrument.items}
        low_answer, high_answer = items[item_ids[0]].response.min, items[item_ids[0]].response.max
        null = Fraction((high_answer - low_answer + 1) ** 2 - 1, 12)
        columns = []
        for item_id in item_ids:
            answered = [r for r in inside if _answered(instrument, item_id, r)]
            if len(answered) > 1:
                columns.append((item_id, answered))
        j = len(columns)
        m = math.lcm(*(len(a) * (len(a) - 1) for _, a in columns))
        # R = Σ_q (M / (c(c-1))) (c Σx² - (Σx)²) = J·M·v, with v the mean item variance.
        parts = []
        for item_id, answered in columns:
            c = len(answered)
            xs = [self._answer(r, item_id) for r in answered]
            total = self._affine_sum(xs)
            squares = sum(
                x * x if isinstance(x, int) else self._answer_square(r, item_id)
                for r, x in zip(answered, xs, strict=True)
            )
            parts.append((m // (c * (c - 1))) * (c * squares - self._square(total)))
        expression = sum(parts)
        printed = Fraction(repr(figure.rwg))

        # r_wg >= a exactly when t <= t(a); r_wg < b exactly when t > t(b) (t = v / null).
        def t_of(r: Fraction) -> Fraction:
            return j * (1 - r) / (j - r * j + r)

        low, high, _, _ = _bounds(printed, 1)
        k = j * m * null  # R = k·t
        if printed > 0:
            self.model.add(expression * k.denominator <= math.floor(t_of(low) * k * k.denominator))
        if high <= 1:  # r_wg < high: t > t(high).
            self.model.add(expression * k.denominator >= math.floor(t_of(high) * k * k.denominator) + 1)

    def _range(self, variable: Any) -> tuple[int, int]:
        """A variable's bounds, read from the model (a variable's own view of them does not survive the model growing)."""
        domain = list(self.model.proto.variables[variable.index].domain)
        return domain[0], domain[-1]

    def _answer(self, rating: Rating, item_id: str) -> Any:
        """An answer: its variable when unknown, else the known whole number."""
        key = (rating.rater, item_id)
        return self.cells[key] if key in self.cells else int(rating.answers[item_id])  # type: ignore[arg-type]

    def _answer_square(self, rating: Rating, item_id: str) -> Any:
        key = (rating.rater, item_id)
        if key not in self.squares:
            self.squares[key] = self._square(self.cells[key])
        return self.squares[key]

    def _affine_sum(self, terms: Sequence[Any]) -> Any:
        """An integer variable equal to the sum of *terms* (variables or whole numbers)."""
        lows = [t if isinstance(t, int) else self._range(t)[0] for t in terms]
        highs = [t if isinstance(t, int) else self._range(t)[1] for t in terms]
        total = self.model.new_int_var(sum(lows), sum(highs), "sum")
        self.model.add(total == sum(terms))
        return total

    def _within(self, expression: Any, lower: Fraction, upper: Fraction, low_in: bool, high_in: bool) -> None:
        """Keep a whole-number *expression* from *lower* to *upper*, each end included or not."""
        self.model.add(expression >= (math.ceil(lower) if low_in else math.floor(lower) + 1))
        self.model.add(expression <= (math.floor(upper) if high_in else math.ceil(upper) - 1))

    def _constrain(self, instrument: Instrument, score_id: str, figure: GroupFigure, raters: list[Rating]) -> None:
        """The mean as shown: n·low <= the sum of the values <= n·high, in whole numbers."""
        values = self._values(instrument, score_id, raters)
        n = len(values)
        assert n == figure.n_raters, (score_id, figure.group, n, figure.n_raters)
        terms: dict[tuple[Any, str], Fraction] = {}
        for coefficients, _ in values:
            for key, c in coefficients.items():
                terms[key] = terms.get(key, Fraction(0)) + c
        constant = sum((part for _, part in values), Fraction(0))
        low, high, low_in, high_in = _bounds(Fraction(repr(figure.mean)), 2)
        scale = math.lcm(*(c.denominator for c in (*terms.values(), constant, low, high)))
        expression = sum(int(c * scale) * self.cells[key] for key, c in terms.items())
        base = int(constant * scale)
        self._within(expression, n * low * scale - base, n * high * scale - base, low_in, high_in)

    def admits(self, answers: Mapping[tuple[Any, str], int]) -> bool:
        """Whether these protected answers (one per cell) fit every figure modelled."""
        fixed = self.model.clone()
        for key, variable in self.cells.items():
            fixed.add(fixed.get_int_var_from_proto_index(variable.index) == answers[key])
        return bool(_solve(fixed)[0] != cp_model.INFEASIBLE)

    def farthest(self) -> dict[tuple[Any, str], int]:
        """Protected answers that fit every figure modelled, as far from the true ones as they can be (in sum)."""
        far = self.model.clone()
        distances = []
        for key, variable in self.cells.items():
            low, high = self._range(variable)
            distance = far.new_int_var(0, high - low, "distance")
            far.add_abs_equality(distance, far.get_int_var_from_proto_index(variable.index) - self.truth[key])
            distances.append(distance)
        far.maximize(sum(distances))
        status, solver = _solve(far)
        assert status == cp_model.OPTIMAL, solver.status_name(status)
        return {key: solver.value(far.get_int_var_from_proto_index(v.index)) for key, v in self.cells.items()}

    def possible(self) -> dict[tuple[Any, str], set[int]]:
        """For each protected answer, every value some answer set fitting every figure gives it."""
        seen: dict[tuple[Any, str], set[int]] = {key: {self.truth[key]} for key in self.cells}
        for key, variable in sorted(self.cells.items(), key=lambda kv: repr(kv[0])):
            low, high = self._range(variable)
            for value in range(low, high + 1):
                if value in seen[key]:
                    continue
                other = self.model.clone()
                other.add(other.get_int_var_from_proto_index(variable.index) == value)
                status, solver = _solve(other)
                if status == cp_model.INFEASIBLE:
                    continue
                for cell, known in self.cells.items():  # A solution shows a value of every answer.
                    seen[cell].add(solver.value(other.get_int_var_from_proto_index(known.index)))
        return seen

    def pinned(self) -> list[tuple[Any, str]]:
        """The protected (rater key, item) whose answer no other value can replace."""
        found = []
        free: set[tuple[Any, str]] = set()  # Answers a solution found so far gives another value.
        for key, variable in sorted(self.cells.items(), key=lambda kv: repr(kv[0])):
            if key in free:
                continue
            other = self.model.clone()
            other.add(other.get_int_var_from_proto_index(variable.index) != self.truth[key])
            status, solver = _solve(other)
            if status == cp_model.INFEASIBLE:
                found.append(key)
                continue
            # The solution moves other answers too: none of those is pinned either.
            for cell, known in self.cells.items():
                if solver.value(other.get_int_var_from_proto_index(known.index)) != self.truth[cell]:
                    free.add(cell)
        return found


def _solve(model: cp_model.CpModel) -> tuple[Any, cp_model.CpSolver]:
    """Solve *model* on one worker, deterministically; a solver that gives up fails the test."""
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = 120
    status = solver.solve(model)
    assert status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE), solver.status_name(status)
    return status, solver


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
    instrument: Instrument,
    rounds: Sequence[tuple[Sequence[Rating], FeedbackReport]],
    colluders: Iterable[Any] = (),
    *,
    spreads: bool = False,
) -> dict[Any, list[tuple[Any, str]]]:
    """
    For the leader (None) and each colluder: the answers pinned that no unanimous figure of any round explains.

    With *spreads*, the attacker reads the report object (every SD and r_wg too), else the page.
    """
    out: dict[Any, list[tuple[Any, str]]] = {}
    for colluder in (None, *colluders):
        pinned = Attacker(instrument, rounds, colluder, spreads=spreads).pinned()
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
