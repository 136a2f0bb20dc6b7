"""
The integer audit of a 360 report: evidence that no protected answer can be pinned to one value.

The linear audit (`leadscore._privacy`) proves that no combination of one rater's answers follows
from the figures by linear algebra. An attacker who also knows that answers are whole numbers in
their range can do more: a group mean of 5.00 says everyone gave 5; means over different rater
sets, with the ceiling of 5, can leave one possible answer for a named rater. This module makes
the second guarantee: no protected answer is pinned, except through homogeneity (below).

Only exhibited evidence certifies. For a protected answer, a *witness* is another complete set of
answers (whole numbers in range, the same items answered, the self and manager ratings as they
are) that gives every shown mean exactly the value it has, every shown SD and r_wg the value it
is shown with (one decimal), every mean of the earlier reports on record its value, and gives that
answer another value. An attacker who sees
the figures cannot tell the two sets apart, so cannot pin the answer. Witnesses are sought among
small changes, in a fixed order:

- *solo*: the answer itself one up or down (a figure-free answer);
- *trade*: two raters of one group trade their answers to every item of the scales they answered
  alike (those figures stay as they are, SDs too: only who said what changes);
- *transfer*: one up for this rater and one down for a second rater on the same item;
- *swap*: one up on this item and one down on a second item for this rater, the opposite for a
  second rater (every item sum kept; each rater's scale sums kept where both items are in it).

A rater who knows their own answers (one colluder) can rule out a witness that changes them: an
answer is safe when it has a witness that changes no one else, or witnesses through two different
second raters, or one through a second rater whose own answers do not pin it by homogeneity.

*Homogeneity*, the one exception: an answer may be pinned only through an item figure (or a
figure of a one-item scale) on which every protected rater, the colluder left out, gave the same
answer, so that the figure alone says what they gave: all at an end of the range (a group mean of
5.00: everyone gave 5), or one answer the colluder does not know (a group of two). Such a figure
is shown by default, and the report says what a unanimous figure reveals;
``homogeneous="withhold"`` withholds it as any other.

Where no evidence is found, `_privacy.audit` withholds a figure the answer is in (the same order as
the linear audit's) and looks again; every figure it withheld is then tried back. Relaxations never
certify: not finding a witness only withholds more. docs/privacy.md states the guarantee and its
limits.
"""

from __future__ import annotations

import math

from collections.abc import Collection, Iterator, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final

from leadscore._plan import Plan
from leadscore._stats import agreement, rounded, rounded_root, uniform_variance, variance_of_sums


__all__ = ["Evidence", "spread_of"]

Figure = tuple[str, str, str]
Score = tuple[str, str]
Delta = tuple[tuple[tuple[int, int], int], ...]  # ((rater, item position), change), sorted
_ZERO = Fraction(0)
#: The most changes tried for one answer at a time before its figures are withheld instead.
MAX_TRIES: Final = 200
_ALWAYS: Figure = ("", "", "")  # Blocks a change whatever figures are shown: out of range, or an earlier figure.


class Evidence:
    """
    The witnesses of one draft report's protected answers, found once and kept while figures are withheld.

    Args:
        plan: The instrument's plan.
        answers: Each rater's answers by item position (None: not answered).
        protected: Whether each rater is protected (not self, not manager).
        forms: Each score's exact form per rater (`_privacy.exact_forms`), by (kind, id).
        values: Each rater's exact value per score id (scales and composites).
        released: Every figure of the draft, with its raters by position.
        earlier: The exact mean forms of what earlier reports showed, over cells
            ``("answer", rater key, item id)``.
        fixed: Answer cells behind an SD or r_wg of an earlier report: a witness keeps them.
        owners: Each rater's key.
        groups: Each rater's group.
        homogeneous: Whether an answer pinned by a unanimous item figure may be shown.
    """

    def __init__(
        self,
        plan: Plan,
        answers: Sequence[Sequence[Any]],
        protected: Sequence[bool],
        forms: Mapping[Score, Sequence[Mapping[Any, Fraction] | None]],
        *,
        values: Sequence[Mapping[str, Any]],
        released: Mapping[Figure, Sequence[int]],
        earlier: Sequence[Mapping[Any, Fraction]] = (),
        fixed: Collection[Any] = (),
        owners: Sequence[Any],
        groups: Sequence[str],
        homogeneous: bool = True,
    ) -> None:
        """Index the draft: coefficients by score, rater and item; figures by score; earlier means by cell."""
        self.answers, self.protected, self.homogeneous = answers, protected, homogeneous
        self.groups = groups
        # Raters in the order of their keys: the same ratings in any order give the same witnesses.
        self.order = sorted(range(len(answers)), key=lambda r: repr(owners[r]))
        self.items = plan.items
        position = {item.id: p for p, item in enumerate(plan.items)}
        rater_of = {owner: r for r, owner in enumerate(owners)}
        # coefficient[score][r]: item position -> coefficient; None where r has no score.
        self.coefficient: dict[Score, list[dict[int, Fraction] | None]] = {
            score: [None if form is None else {position[cell[2]]: c for cell, c in form.items()} for form in column]
            for score, column in forms.items()
        }
        self.scores_of: list[list[Score]] = [[] for _ in plan.items]  # The scores each item is in.
        self.items_of: dict[Score, list[int]] = {}  # The items each score is of.
        for score, column in self.coefficient.items():
            self.items_of[score] = sorted({p for form in column if form for p in form})
            for p in self.items_of[score]:
                self.scores_of[p].append(score)
        self.scale_positions = [rule.positions for rule in plan.scales]
        self.scales_with: list[list[int]] = [[] for _ in plan.items]
        self.together: list[set[int]] = [set() for _ in plan.items]  # The items sharing a scale with each.
        for k, rule in enumerate(plan.scales):
            for p in rule.positions:
                self.scales_with[p].append(k)
                self.together[p].update(rule.positions)
        # The scores whose figures show one item's answers as they are: the item, its one-item scales.
        self.direct: list[list[Score]] = [[("item", item.id)] for item in plan.items]
        for rule in plan.scales:
            if len(rule.positions) == 1:
                self.direct[rule.positions[0]].append(("scale", rule.id))
        self.members = {figure: frozenset(raters) for figure, raters in released.items()}
        self.on_score: dict[Score, list[Figure]] = {}
        for figure in released:
            self.on_score.setdefault(figure[:2], []).append(figure)
        self.figures_on = {
            score: [(figure, spread_of(figure), self.members[figure]) for figure in figures]
            for score, figures in self.on_score.items()
        }
        self.value_of = self._values(plan, values)
        self._whole_numbers()
        self.scale_items = {("scale", rule.id): rule.positions for rule in plan.scales} | {
            ("item", item.id): (p,) for p, item in enumerate(plan.items)
        }
        self.earlier: dict[tuple[int, int], list[dict[tuple[int, int], Fraction]]] = {}
        for form in earlier:
            mapped = {
                (rater_of[cell[1]], position[cell[2]]): c
                for cell, c in form.items()
                if cell[1] in rater_of and cell[2] in position
            }
            for cell in mapped:
                self.earlier.setdefault(cell, []).append(mapped)
        self.fixed = {
            (rater_of[cell[1]], position[cell[2]]) for cell in fixed if cell[1] in rater_of and cell[2] in position
        }
        self.group_sums: dict[tuple[Figure, int], tuple[int, int, int]] = {}
        self.spreads: dict[Figure, tuple[int, int, int, Fraction, int, Fraction]] = {}
        self.printed: dict[Any, float] = {}  # SDs and r_wg as shown, by what they are computed from.
        self.ranges = {("scale", rule.id): (rule.low, rule.high) for rule in plan.scales} | {
            ("item", item.id): (item.low, item.high) for item in plan.items
        }
        self.shown: set[Any] = set()
        self.cells: list[tuple[int, int]] = []
        self.unsafe: dict[tuple[int, int], None] = {}
        self.valid: dict[Delta, _Change] = {}  # The witnesses found, each valid for what is shown.
        self.of_cell: dict[tuple[int, int], dict[int, _Change]] = {}  # Each answer's witnesses, by id.
        self.rests_on_homogeneity: dict[tuple[int, int], bool] = {}
        self.blockers_of: dict[tuple[int, int], set[Any]] = {}  # What blocked the changes of an answer tried last.
        self.blocked: dict[Delta, Any] = {}  # A change found no witness, and a figure it changes.
        self.trades: dict[tuple[int, int], tuple[frozenset[int], Delta]] = {}  # By pair of raters (`_trade`).

    def _whole_numbers(self) -> None:
        """Each score in whole numbers: its coefficients and values times the least common denominator."""
        self.scale: dict[Score, int] = {}
        self.whole: dict[Score, list[dict[int, int] | None]] = {}
        self.whole_value: dict[Score, list[int | None]] = {}
        for score, column in self.coefficient.items():
            given = [Fraction(v) for v in self.value_of[score] if v is not None]
            denominators = [c.denominator for form in column if form for c in form.values()]
            scale = math.lcm(1, *denominators, *(v.denominator for v in given))
            self.scale[score] = scale
            self.whole[score] = [
                None if form is None else {p: int(c * scale) for p, c in form.items()} for form in column
            ]
            self.whole_value[score] = [None if v is None else int(Fraction(v) * scale) for v in self.value_of[score]]

    def _values(self, plan: Plan, values: Sequence[Mapping[str, Any]]) -> dict[Score, list[Any]]:
        """Each rater's exact value of every score (an item's is the answer)."""
        out: dict[Score, list[Any]] = {
            ("item", item.id): [row[p] for row in self.answers] for p, item in enumerate(plan.items)
        }
        for rule in plan.scales:
            out["scale", rule.id] = [row[rule.id] for row in values]
        for composite in plan.composites:
            out["composite", composite.id] = [row[composite.id] for row in values]
        return out

    def begin(self, shown: Collection[Any]) -> None:
        """
        Look for the witnesses of every protected answer with *shown* shown.

        *shown* holds the figures whose means are shown and, as `spread_of` them, those whose SD
        and r_wg are shown too. `withhold` and `restore` change it; `exposed` says what lacks evidence.
        """
        self.shown = set(shown)
        self.cells = [
            (r, p)
            for r in self.order
            if self.protected[r]
            for p, given in enumerate(self.answers[r])
            if given is not None
        ]
        self.unsafe = {}
        for cell in self.cells:
            self._settle(cell)

    def exposed(self) -> dict[tuple[int, int], list[Figure]]:
        """
        The protected answers the shown figures may pin, in the raters' order, each with the figures to withhold.

        Those are the shown figures the answer is in, and the shown figures that blocked a change
        of it (a figure it is not in may pin it with others: a unanimous group beside an earlier
        merged one). An answer is safe when a witness changes no one else, or witnesses change two
        different second raters, or every second rater all its witnesses change could not pin it
        by homogeneity; or, without a witness, when it is pinned only by homogeneity.
        """
        return {
            cell: self._figures_with(cell)
            + sorted({b[:3] for b in self.blockers_of.get(cell, ()) if b is not _ALWAYS and b[:3] in self.shown})
            for cell in self.cells
            if cell in self.unsafe
        }

    def withhold(self, keys: Collection[Any]) -> None:
        """Stop showing *keys* (a figure takes its SD and r_wg with it), and look for the witnesses that frees."""
        for key in keys:
            self.shown.discard(key)
            if len(key) == 3:
                self.shown.discard(spread_of(key))
        # Witnesses stay witnesses with fewer figures. An answer that lacked some may find them now,
        # if what blocked a change of it is withheld; one safe by homogeneity through a withheld
        # figure may no longer be.
        gone = set(keys) | {spread_of(key) for key in keys if len(key) == 3}
        for cell in self.cells:
            if (cell in self.unsafe and not gone.isdisjoint(self.blockers_of.get(cell, ()))) or (
                self.rests_on_homogeneity.get(cell) and not gone.isdisjoint(self._direct_figures(cell))
            ):
                self._settle(cell)

    def _direct_figures(self, cell: tuple[int, int]) -> list[Figure]:
        """The figures that show *cell*'s item as answered, with its rater among theirs."""
        r, p = cell
        return [f for score in self.direct[p] for f in self.on_score.get(score, ()) if r in self.members[f]]

    def restore(self, key: Any) -> bool:
        """Show *key* again if no protected answer loses its evidence; say whether it was shown."""
        self.shown.add(key)
        score = key[:2]
        broken = [
            change
            for change in self._touching(key)
            if self._figures_blocker(change, {key}, (score,) if score in change.effect else ()) is not None
        ]
        for change in broken:
            self._forget(change)
        affected = dict.fromkeys(cell for change in broken for cell, _ in change.delta)
        before = {
            cell: (cell in self.unsafe, self.rests_on_homogeneity.get(cell, False), self.blockers_of.get(cell, set()))
            for cell in affected
        }
        if all(self._settle(cell) for cell in affected):
            return True
        # As it was (the witnesses found meanwhile hold with fewer figures too, and stay).
        self.shown.discard(key)
        for change in broken:
            self._keep(change)
        for cell, (unsafe, homogeneity, blockers) in before.items():
            if unsafe:
                self.unsafe[cell] = None
            else:
                self.unsafe.pop(cell, None)
            self.rests_on_homogeneity[cell] = homogeneity
            self.blockers_of[cell] = blockers
        return False

    def _touching(self, key: Any) -> list[_Change]:
        """The witnesses that change an answer behind *key*'s figure: of one of its raters, on one of its items."""
        figure = key[:3]
        found: dict[int, _Change] = {}
        for r in self.members[figure]:
            for q in self.items_of[figure[:2]]:
                found.update(self.of_cell.get((r, q), {}))
        return list(found.values())

    def _keep(self, change: _Change) -> None:
        self.valid[change.delta] = change
        for cell, _ in change.delta:
            self.of_cell.setdefault(cell, {})[id(change)] = change

    def _forget(self, change: _Change) -> None:
        self.valid.pop(change.delta, None)
        for cell, _ in change.delta:
            self.of_cell[cell].pop(id(change), None)

    def _settle(self, cell: tuple[int, int]) -> bool:
        """Find witnesses of *cell* until they are enough; record whether it is safe, and return it."""
        r = cell[0]
        others = [change.movers - {r} for change in self.of_cell.get(cell, {}).values()]
        blockers: set[Any] = set()
        if not self._enough(others):
            tries = 0
            for delta in self._candidates(cell):
                if delta in self.valid:
                    continue
                blocked = self.blocked.get(delta)
                if blocked is not None and (blocked is _ALWAYS or blocked in self.shown):
                    blockers.add(blocked)
                    continue  # Still blocked by what blocked it: every figure's condition stands alone.
                tries += 1
                if tries > MAX_TRIES:
                    break  # Not finding evidence only withholds more: never less safe.
                change = self._check(delta, self.shown)
                if not isinstance(change, _Change):
                    self.blocked[delta] = change
                    blockers.add(change)
                    continue
                self._keep(change)
                others.append(change.movers - {r})
                if self._enough(others):
                    break
        self.blockers_of[cell] = blockers
        safe, homogeneity = self._safe(cell, others)
        self.rests_on_homogeneity[cell] = homogeneity
        if safe:
            self.unsafe.pop(cell, None)
        else:
            self.unsafe[cell] = None
        return safe

    def _safe(self, cell: tuple[int, int], others: list[frozenset[int]]) -> tuple[bool, bool]:
        """Whether *cell* is safe with witnesses changing *others*, and whether that rests on homogeneity."""
        if self._enough(others):
            return True, False
        if not others:
            return self._homogeneous(cell, None), True
        # A colluder who is every witness's second rater rules them all out: then only homogeneity may pin.
        common = frozenset.intersection(*others)
        return all(self._homogeneous(cell, colluder) for colluder in common), True

    @staticmethod
    def _enough(others: list[frozenset[int]]) -> bool:
        return any(not movers for movers in others) or (bool(others) and not frozenset.intersection(*others))

    def _candidates(self, cell: tuple[int, int]) -> Iterator[Delta]:
        """
        Each change of *cell*, in a fixed order: solo, trades, transfers, swaps, then exchanges across items.

        A transfer or swap moves one step, or exchanges the two raters' answers (which keeps
        every item's answers as a multiset, and so its SD and r_wg). Partners of the same group
        come first (they are in the same figures); swaps are with them only, the items of the
        same scales first.
        """
        r, p = cell
        answers = self.answers
        mine = answers[r]
        for step in (1, -1):
            yield (((r, p), step),)
        mates = [s for s in self.order if s != r and self.protected[s] and self.groups[s] == self.groups[r]]
        others = [s for s in self.order if s != r and self.protected[s] and answers[s][p] is not None]
        same = [s for s in others if self.groups[s] == self.groups[r]]
        # Two raters of one group trading their answers to every item of the scales they answered
        # alike (the same items of each scale with the item): those scales' figures, SDs and r_wg
        # stay as they are; only who said what changes.
        for s in mates:
            if answers[s][p] != mine[p]:
                traded, trade = self._trade(r, s)
                if p in traded:
                    yield trade
        for s in same + [s for s in others if self.groups[s] != self.groups[r]]:
            steps = {1, -1, answers[s][p] - mine[p]} - {0}
            for step in sorted(steps, key=lambda d: (abs(d), -d)):
                yield tuple(sorted((((r, p), step), ((s, p), -step))))
        for s in same:
            theirs = answers[s]
            exchange = theirs[p] - mine[p]
            for q in self._near(p):
                if mine[q] is None or theirs[q] is None:
                    continue
                steps = {1, -1, exchange} if exchange and mine[q] - theirs[q] == exchange else {1, -1}
                for step in sorted(steps, key=lambda d: (abs(d), -d)):
                    yield tuple(sorted((((r, p), step), ((s, p), -step), ((r, q), -step), ((s, q), step))))
        # One rater's answer to this item for another's to another item, where the figures of the
        # two items are not shown: their scales' values trade places.
        for s in mates:
            theirs = answers[s]
            for q in self._near(p):
                if theirs[q] is not None and theirs[q] != mine[p]:
                    yield tuple(sorted((((r, p), theirs[q] - mine[p]), ((s, q), mine[p] - theirs[q]))))

    def _near(self, p: int) -> Iterator[int]:
        """The items but *p*: those sharing a scale with it first (a swap there keeps the scale), in order."""
        mates = self.together[p]
        yield from (q for q in sorted(mates) if q != p)
        yield from (q for q in range(len(self.items)) if q not in mates and q != p)

    def _trade(self, r: int, s: int) -> tuple[frozenset[int], Delta]:
        """
        The items *r* and *s* trade (those of the scales they answered alike, answered differently), and the trade.

        Trading their answers to those items keeps those scales' figures, SDs and r_wg of their
        group: only who said what changes.
        """
        if (r, s) not in self.trades:
            mine, theirs = self.answers[r], self.answers[s]
            alike = [
                all((mine[q] is None) == (theirs[q] is None) for q in positions) for positions in self.scale_positions
            ]
            traded = [
                q
                for q in range(len(mine))
                if mine[q] is not None
                and theirs[q] is not None
                and mine[q] != theirs[q]
                and all(alike[k] for k in self.scales_with[q])
            ]
            pairs = [(((r, q), theirs[q] - mine[q]), ((s, q), mine[q] - theirs[q])) for q in traded]
            trade = tuple(sorted(change for pair in pairs for change in pair))
            self.trades[r, s] = (frozenset(traded), trade)
        return self.trades[r, s]

    def _check(self, delta: Delta, shown: Collection[Any]) -> _Change | tuple[str, ...]:
        """
        What *delta* changes (`_Change`) if it is a witness for *shown*; else what of *shown* it changes.

        What it changes of *shown* is a figure's mean (the figure), its SD or r_wg (`spread_of`
        the figure), or `_ALWAYS` (whatever is shown).

        A witness keeps every answer in range and every cell behind an earlier SD, every mean of
        *shown* and of earlier reports exactly, and every SD and r_wg of *shown* as shown.
        """
        for (r, p), step in delta:
            item = self.items[p]
            if not item.low <= self.answers[r][p] + step <= item.high or (r, p) in self.fixed:
                return _ALWAYS
        if self.earlier and not self._earlier_kept(delta):
            return _ALWAYS
        change = _Change(delta, self.scores_of, self.whole)
        blocker = self._figures_blocker(change, shown, sorted(change.effect))
        return change if blocker is None else blocker

    def _figures_blocker(self, change: _Change, shown: Collection[Any], scores: Sequence[Score]) -> Any:
        """The first figure of *shown* on *scores* (in their order) whose mean, SD or r_wg *change* changes, or None."""
        for score in scores:
            moved = change.effect[score]
            for figure, spread, members in self.figures_on.get(score, ()):
                # Each figure's mean, and its SD and r_wg, stand alone: *shown* may hold either.
                mean_shown, spread_shown = figure in shown, spread in shown
                if not spread_shown and not (moved and mean_shown):
                    continue  # Nothing of it shown, or only a mean no one's value of moves.
                inside = [r for r in change.raters if r in members]
                if not inside:
                    continue
                if sum(moved.get(r, 0) for r in inside):
                    return figure if mean_shown else spread  # An SD whose mean moves is not kept.
                if spread_shown and not self._spread_kept(figure, score, moved, inside, change.moves):
                    return spread
        return None

    def _spread_kept(
        self,
        figure: Figure,
        score: Score,
        change: Mapping[int, int],
        inside: list[int],
        moves: Mapping[int, Sequence[tuple[int, int]]],
    ) -> bool:
        """Whether the SD and r_wg *figure* shows (one decimal each) stay as they are (*moves*: by item)."""
        n, total, squares, variances, j, null = self._spread(figure, score)
        values: list[Any] = self.whole_value[score]  # Not None for a rater with a change.
        scale = self.scale[score]
        moved = squares + sum(2 * values[r] * change[r] + change[r] ** 2 for r in inside if r in change)
        if moved != squares and self._printed_sd(figure, n, total, moved, scale) != self._printed_sd(
            figure, n, total, squares, scale
        ):
            return False
        if score[0] == "composite" or not j:
            return True
        members = self.members[figure]
        now = variances
        for q in self.scale_items[score]:
            if q not in moves:
                continue
            count, sum1, sum2 = self._sums(figure, q)
            steps = [(r, step) for r, step in moves[q] if r in members]
            d1 = sum(step for _, step in steps)
            d2 = sum(2 * self.answers[r][q] * step + step * step for r, step in steps)
            if count > 1 and (d1 or d2):  # An exchange keeps the item's answers, and so its variance.
                now += variance_of_sums(count, sum1 + d1, sum2 + d2) - variance_of_sums(count, sum1, sum2)
        return now == variances or self._printed_rwg(now, j, null) == self._printed_rwg(variances, j, null)

    def _printed_sd(self, figure: Figure, n: int, total: int, squares: int, scale: int) -> float:
        """The SD *figure* shows (one decimal) with these count, sum and sum of squares (times *scale*); remembered."""
        key = (figure, squares)
        if key not in self.printed:
            self.printed[key] = rounded_root(Fraction(n * squares - total * total, n * (n - 1) * scale * scale), 1)
        return self.printed[key]

    def _printed_rwg(self, variances: Fraction, j: int, null: Fraction) -> float:
        """The r_wg shown (one decimal) for these items' total variance, J and null variance; remembered."""
        key = (variances, j, null)
        if key not in self.printed:
            self.printed[key] = rounded(agreement(variances / j, j, null), 1)
        return self.printed[key]

    def _spread(self, figure: Figure, score: Score) -> tuple[int, int, int, Fraction, int, Fraction]:
        """
        A spread figure's count, sum and sum of squares of its scores (times the score's scale).

        And its items' total variance, their number J, and the null variance of r_wg.
        """
        if figure not in self.spreads:
            got = [self.whole_value[score][r] for r in sorted(self.members[figure])]
            present = [v for v in got if v is not None]
            total_variance, j = _ZERO, 0
            for q in self.scale_items.get(score, ()):
                count, sum1, sum2 = self._sums(figure, q)
                if count > 1:
                    total_variance += variance_of_sums(count, sum1, sum2)
                    j += 1
            low, high = self.ranges.get(score, (0, 1))  # A composite has no r_wg: no items, no null.
            self.spreads[figure] = (
                len(present),
                sum(present),
                sum(v * v for v in present),
                total_variance,
                j,
                uniform_variance(low, high),
            )
        return self.spreads[figure]

    def _sums(self, figure: Figure, q: int) -> tuple[int, int, int]:
        """How many of *figure*'s raters answered item *q*, the sum and the sum of squares of their answers."""
        key = (figure, q)
        if key not in self.group_sums:
            got = [self.answers[r][q] for r in self.members[figure] if self.answers[r][q] is not None]
            self.group_sums[key] = (len(got), sum(got), sum(x * x for x in got))
        return self.group_sums[key]

    def _earlier_kept(self, delta: Delta) -> bool:
        """Whether every mean of an earlier report that *delta* touches stays as it was."""
        seen: set[int] = set()
        for cell, _ in delta:
            for form in self.earlier.get(cell, ()):
                if id(form) not in seen:
                    seen.add(id(form))
                    if sum((form.get(c, _ZERO) * step for c, step in delta), _ZERO):
                        return False
        return True

    def _homogeneous(self, cell: tuple[int, int], colluder: int | None) -> bool:
        """Whether *cell* is pinned by a shown unanimous figure at an end of the range (the colluder left out)."""
        if not self.homogeneous:
            return False
        r, p = cell
        item = self.items[p]
        for score in self.direct[p]:
            for figure in self.on_score.get(score, ()):
                members = self.members[figure]
                if figure not in self.shown or r not in members:
                    continue
                unknown = [self.answers[u][p] for u in members if self.protected[u] and u != colluder]
                # The figure alone pins them: one unknown answer, or all at one end of the range.
                if len(unknown) == 1 or set(unknown) in ({item.low}, {item.high}):
                    return True
        return False

    def _figures_with(self, cell: tuple[int, int]) -> list[Figure]:
        """The shown figures *cell*'s answer is in."""
        r, p = cell
        return [
            figure
            for score in self.scores_of[p]
            if (self.coefficient[score][r] or {}).get(p)
            for figure in self.on_score.get(score, ())
            if figure in self.shown and r in self.members[figure]
        ]


def spread_of(figure: Figure) -> tuple[str, ...]:
    """The key of *figure*'s SD and r_wg among what is shown (a figure's own key is its mean's)."""
    return (*figure, "spread")


class _Change:
    """
    What a change of answers (a `Delta`) changes, worked out once.

    *delta*: the change itself; *effect*: for each score of an item it changes, each rater's change of value in whole
    numbers (times the score's scale; a rater whose value stays is left out); *raters*: the
    raters it changes, in order; *movers*: the same as a set; *moves*: each item's changes,
    as (rater, step).
    """

    __slots__ = ("delta", "effect", "movers", "moves", "raters")

    def __init__(
        self,
        delta: Delta,
        scores_of: Sequence[Sequence[Score]],
        whole: Mapping[Score, Sequence[Mapping[int, int] | None]],
    ) -> None:
        """Work out what *delta* changes, with each item's scores (*scores_of*) and their whole-number forms."""
        self.delta = delta
        effect: dict[Score, dict[int, int]] = {}
        self.moves: dict[int, list[tuple[int, int]]] = {}
        for (r, p), step in delta:
            self.moves.setdefault(p, []).append((r, step))
            for score in scores_of[p]:
                changed = effect.setdefault(score, {})
                form = whole[score][r]
                coefficient = form.get(p, 0) if form else 0
                if coefficient:
                    changed[r] = changed.get(r, 0) + coefficient * step
        self.effect = {score: {r: c for r, c in changed.items() if c} for score, changed in effect.items()}
        self.raters = tuple(dict.fromkeys(r for (r, _), _ in delta))
        self.movers = frozenset(self.raters)
