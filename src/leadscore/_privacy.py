"""
The disclosure audit of a 360 report: no figure set may give away one rater's answers.

`aggregate` drafts a report with its size rules, then hands this module every figure it
would release, with the raters behind each. Each figure is written as a function of the
protected raters' answers (every rater but self and manager, whose ratings are identifiable
by design and taken as known):

- a mean over raters S of a score f is ``sum(form_r(f) for r in S) / |S|``, where a rater's
  form of an item is their answer, of a scale their method applied to their answered keyed
  items (``1 / k_r`` each for a mean of k_r answers, reverse keys negative), of a composite
  the weighted mean or difference of their part forms: all linear, constants set aside;
- an SD over S (shown only where S holds at least `MIN_SPREAD` protected raters, with r_wg;
  `aggregate` says which) releases, with the mean, the sum of the raters' squared scores: one unknown per rater and
  score, owned by that rater;
- r_wg releases the mean over items of the item variances: per item, the raters' squared
  answers (owned by each) and the square of their sum, known when that item's mean over the
  same raters is released and otherwise one unknown owned by no one.

`_disclosure.exposed_in` decides, exactly, whether the figures give away any combination of
one rater's unknowns. While they do, each exposed rater's derivation is found
(`_disclosure.Derivations`) and its first figure withheld, in a fixed order (item figures
before scale figures before composites; within each, the smallest anonymous group first,
then merged groups, then all others; then by id); then every withheld figure is tried back,
last withheld first, and kept back only if the audit fails without it. The same ratings
always give the same report. docs/privacy.md states the threat model and the limits.
"""

from __future__ import annotations

import hashlib

from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final, NamedTuple

from leadscore._disclosure import Columns, Derivations, certificate, columns_of, derivable, exposed_in, prime_for
from leadscore._plan import Plan
from leadscore._witness import Evidence, spread_of


__all__ = [
    "AUDIT",
    "FIRST",
    "MIN_SPREAD",
    "Earlier",
    "ExactForm",
    "Field",
    "Figure",
    "Form",
    "audit",
    "exact_forms",
    "field_for",
    "reduced",
    "rows_of",
]

#: The version of the rules that release a 360's figures, recorded in every report and release
#: record (docs/privacy.md, "Versions of the audit"): 1, the linear audit with every figure at
#: full precision; 2, every figure as the page shows it, SD and r_wg from `MIN_SPREAD` raters,
#: earlier reports audited from their release records; 3, the integer audit too (`leadscore._witness`).
AUDIT: Final = 3
#: The oldest audit whose release records this leadscore reads.
OLDEST_RECORD: Final = 2

#: The fewest protected raters a group needs for its SD and r_wg to be shown (docs/privacy.md,
#: "Spread and agreement"): below it, a spread with a mean pins a small group's answers.
MIN_SPREAD: Final = 10

#: A released figure: (kind, score id, group label) with the raters behind it, by position.
Figure = tuple[str, str, str]
Form = dict[Any, int]  # Coefficients modulo the audit's prime.


class Field:
    """Arithmetic modulo one prime, with the inverses of small numbers kept."""

    __slots__ = ("_inverses", "prime")

    def __init__(self, prime: int) -> None:
        """The integers modulo *prime*."""
        self.prime = prime
        self._inverses: dict[int, int] = {}

    def ratio(self, numerator: int, denominator: int = 1) -> int:
        """``numerator / denominator`` modulo the prime."""
        inverse = self._inverses.get(denominator)
        if inverse is None:
            inverse = self._inverses[denominator] = pow(denominator % self.prime, -1, self.prime)
        return numerator % self.prime * inverse % self.prime

    def exact(self, value: Fraction) -> int:
        """A fraction modulo the prime."""
        return self.ratio(value.numerator, value.denominator)


_KIND_ORDER = {"item": 0, "scale": 1, "composite": 2}


ExactForm = dict[Any, Fraction]  # Coefficients, exactly.


class Earlier(NamedTuple):
    """What earlier reports showed, for both audits (`leadscore._release.earlier_rows` reads their records)."""

    #: Every row of what they showed, modulo the audit's prime: for the linear audit.
    rows: list[Form]
    #: Each mean they showed, as an exact form of the answers: a witness must keep each.
    means: list[ExactForm]
    #: The answers behind an SD or r_wg they showed: a witness leaves them as they are.
    fixed: frozenset[Any]


#: No earlier report.
FIRST: Final = Earlier([], [], frozenset())


def exact_forms(
    plan: Plan, answers: Sequence[Sequence[Any]], protected: Sequence[bool], owners: Sequence[Any]
) -> dict[tuple[str, str], list[ExactForm | None]]:
    """
    Each rater's linear form of every score, by (kind, id), in exact fractions; None where the rater has no score.

    An answer is the unknown ``("answer", rater key, item id)``: the same rater's answer to the
    same item in an earlier round is the same unknown (the attacker may assume every rater kept
    every answer). *answers* need only say which are given: anything but None is an answer. A
    rater who is not protected has the empty form: their answers are known.
    """
    out: dict[tuple[str, str], list[ExactForm | None]] = {}
    by_position: list[list[ExactForm | None]] = []  # Scales, then composites in computing order.
    ids = [item.id for item in plan.items]
    one = Fraction(1)
    for position, item in enumerate(plan.items):
        out["item", item.id] = [
            ({("answer", owners[r], item.id): one} if protected[r] else {}) if values[position] is not None else None
            for r, values in enumerate(answers)
        ]
    for rule in plan.scales:
        column: list[ExactForm | None] = []
        for r, values in enumerate(answers):
            answered = [p for p in rule.positions if values[p] is not None]
            k = len(answered)
            if k < rule.min_answered:
                column.append(None)
                continue
            if rule.method == "mean":
                scale = Fraction(1, k)
            elif rule.method == "pomp":
                scale = Fraction(100, rule.span * k)
            else:  # A sum, prorated to every item.
                scale = Fraction(rule.n_items, k)
            owner = owners[r]
            column.append(
                {("answer", owner, ids[p]): -scale if p in rule.reverse else scale for p in answered}
                if protected[r]
                else {}
            )
        out["scale", rule.id] = column
        by_position.append(column)
    for composite in plan.composites:
        column = []
        weights = (
            (one, -one)
            if composite.is_difference
            else tuple(Fraction(w) / sum(composite.weights) for w in composite.weights)
        )
        for r in range(len(answers)):
            parts = [by_position[part][r] for part in composite.parts]
            if any(part is None for part in parts):
                column.append(None)
                continue
            form: ExactForm = {}
            for weight, part in zip(weights, parts, strict=True):
                for cell, coefficient in part.items():  # type: ignore[union-attr]
                    form[cell] = form.get(cell, 0) + weight * coefficient
            column.append({cell: c for cell, c in form.items() if c})
        out["composite", composite.id] = column
        by_position.append(column)
    return out


def reduced(form: ExactForm, field: Field) -> Form:
    """An exact form modulo the audit's prime."""
    return {cell: field.exact(coefficient) for cell, coefficient in form.items()}


class _Draft:
    """What the rows of a draft report are written from."""

    __slots__ = ("answers", "exact", "field", "forms", "owners", "plan", "protected", "released", "spread")

    def __init__(
        self,
        plan: Plan,
        answers: Sequence[Sequence[Any]],
        protected: Sequence[bool],
        released: Mapping[Figure, Sequence[int]],
        *,
        spread: Collection[Figure],
        owners: Sequence[Any],
        field: Field,
        exact: Mapping[tuple[str, str], list[ExactForm | None]] | None = None,
    ) -> None:
        self.plan, self.answers, self.protected, self.released = plan, answers, protected, released
        self.spread, self.owners, self.field = spread, owners, field
        self.exact = exact_forms(plan, answers, protected, owners) if exact is None else exact
        self.forms = {
            score: [None if form is None else reduced(form, field) for form in column]
            for score, column in self.exact.items()
        }


def rows_of(
    plan: Plan,
    answers: Sequence[Sequence[Any]],
    protected: Sequence[bool],
    released: Mapping[Figure, Sequence[int]],
    *,
    spread: Collection[Figure],
    owners: Sequence[Any],
    field: Field,
    exact: Mapping[tuple[str, str], list[ExactForm | None]] | None = None,
) -> list[Form]:
    """
    The rows of what a report showed: each figure's, in *released*'s order (see `audit` for the arguments).

    *answers* need only say which items each rater answered: a release record's rows need no answer.
    *exact*: the scores' exact forms (`exact_forms`), where the caller has them already.
    """
    draft = _Draft(plan, answers, protected, released, spread=spread, owners=owners, field=field, exact=exact)
    return [row for figure in released for row in _rows(figure, draft)]


def _rows(figure: Figure, draft: _Draft) -> list[Form]:
    """The rows one released figure adds: its mean, and its SD and r_wg where they are shown."""
    kind, score_id, label = figure
    plan, answers, protected, released, score_forms = (
        draft.plan,
        draft.answers,
        draft.protected,
        draft.released,
        draft.forms,
    )
    raters = released[figure]
    rows = [_mean(figure, raters, score_forms, draft.field)]
    if figure not in draft.spread:
        return rows
    owners, column = draft.owners, score_forms[kind, score_id]
    # A squared score is one unknown per rater and score, the same for the same answers.
    rows.append(
        {
            ("square", kind, score_id, owners[r], frozenset(column[r])): 1  # type: ignore[arg-type]
            for r in raters
            if protected[r]
        }
    )
    if kind == "composite":
        return rows
    positions = [plan.item_index[score_id]] if kind == "item" else _scale_positions(plan, score_id)
    agreement: Form = {}
    for p in positions:
        item_id = plan.items[p].id
        answered = [r for r in raters if answers[r][p] is not None]
        if len(answered) < 2:
            continue
        for r in answered:
            if protected[r]:
                square = ("square", "item", item_id, owners[r], frozenset({("answer", owners[r], item_id)}))
                agreement[square] = draft.field.ratio(1, len(answered) - 1)
        if released.get(("item", item_id, label)) != answered:
            pooled = tuple(sorted(repr(owners[r]) for r in answered))
            agreement["pooled", item_id, pooled] = 1
    if agreement:
        rows.append(agreement)
    return rows


def _mean(
    figure: Figure, raters: Sequence[int], score_forms: Mapping[tuple[str, str], list[Form | None]], field: Field
) -> Form:
    """The mean of a score over *raters*, as a form over the protected raters' answers."""
    kind, score_id, _ = figure
    column = score_forms[kind, score_id]
    share, prime = field.ratio(1, len(raters)), field.prime
    mean: Form = {}
    for r in raters:
        for cell, coefficient in column[r].items():  # type: ignore[union-attr]
            mean[cell] = (mean.get(cell, 0) + coefficient * share) % prime
    return {cell: value for cell, value in mean.items() if value}


def _scale_positions(plan: Plan, scale_id: str) -> tuple[int, ...]:
    return next(rule.positions for rule in plan.scales if rule.id == scale_id)


def _order(figure: Figure, released: Mapping[Figure, Sequence[int]], kinds: Mapping[str, int]) -> tuple[Any, ...]:
    kind, score_id, label = figure
    rank = 2 if label == "all-others" else 1 if label == "merged" else 0
    return (_KIND_ORDER[kind], rank, len(released[figure]), kinds.get(score_id, 0), score_id, label)


def audit(
    plan: Plan,
    answers: Sequence[Sequence[Any]],
    protected: Sequence[bool],
    released: Mapping[Figure, Sequence[int]],
    owners: Sequence[Any],
    *,
    values: Sequence[Mapping[str, Any]],
    groups: Sequence[str],
    spread: Collection[Figure] = (),
    hidden: Mapping[Figure, Sequence[int]] | None = None,
    earlier: Earlier = FIRST,
    homogeneous: bool = True,
    field: Field,
) -> tuple[set[Figure], set[Figure]]:
    """
    The figures to withhold, and the SDs and r_wg to withhold, so that the rest give away no protected rater's answers.

    Args:
        plan: The instrument's plan.
        answers: Each rater's answers by item position (None: not answered or not applicable);
            only whether an item is answered matters.
        protected: Whether each rater is protected (not self, not manager).
        released: Every figure the draft report shows, with its raters by position.
        owners: Each rater's identity (their rater key): raters with one key are one person.
        values: Each rater's exact value of every scale and composite, by id (for the witnesses
            of the integer audit, which keep every SD).
        groups: Each rater's group (the witnesses' partners of the same group come first).
        spread: The figures of *released* whose SD and r_wg are shown too.
        hidden: The figures of groups and pools the size rules keep back for having too few
            raters, with their raters: none may follow from the figures shown. (All others
            kept back for having fewer than its minimum is no secret when its raters are
            shown groups; kept back so as not to reveal a hidden group, that group is.)
        earlier: What reports released before for the same person showed (their release
            records, read by `leadscore._release.earlier_rows`): shown whatever this report withholds.
        homogeneous: Whether an answer pinned only by a unanimous item figure at an end of the
            range may be shown (the documented exception; `leadscore._witness`).
        field: The arithmetic of the audit: one prime for a report and its earlier ones
            (`field_for`).

    Returns:
        The figures to withhold (mean, SD and r_wg), and the figures of *spread* shown whose SD
        and r_wg are to be withheld (their means shown).
    """
    draft = _Draft(plan, answers, protected, released, spread=spread, owners=owners, field=field)
    prime = field.prime
    positions = _positions(plan)
    order = sorted(released, key=lambda figure: _order(figure, released, positions))
    rows: list[Form] = list(earlier.rows)
    always = range(len(rows))
    figure_of: list[Figure | None] = [None] * len(rows)
    spans: dict[Figure, range] = {}
    for figure in order:
        figure_rows = _rows(figure, draft)
        spans[figure] = range(len(rows), len(rows) + len(figure_rows))
        rows.extend(figure_rows)
        figure_of.extend([figure] * len(figure_rows))
    owner = {}
    for row in rows:
        for cell in row:
            if cell[0] == "answer":
                owner[cell] = cell[1]
            elif cell[0] == "square":
                owner[cell] = cell[3]
    rank = {figure: index for index, figure in enumerate(order)}

    # What the size rules keep back must not follow from what is shown either.
    targets = [(figure, _mean(figure, raters, draft.forms, field)) for figure, raters in sorted((hidden or {}).items())]
    targets = [(figure, row) for figure, row in targets if row]

    columns = Columns(columns_of(rows, prime), len(rows))
    derivations = Derivations(rows, prime)
    cells_by_owner: dict[Any, list[Any]] = {}
    for cell, whose in owner.items():
        cells_by_owner.setdefault(whose, []).append(cell)

    def leaks(
        shown: set[Figure], *, explain: bool = True, first: bool = False, near: Figure | None = None
    ) -> dict[Any, set[Figure]]:
        # explain: with a derivation per finding; first: only whether there is any finding; near:
        # only what the figures linked to that one through shared cells give away (when nothing
        # leaked without it, nothing else can with it).
        kept = [*always, *(index for figure in order if figure in shown for index in spans[figure])]
        tested = kept if near is None else columns.component(spans[near], kept)
        found: dict[Any, set[Figure]] = {}
        for who, among in exposed_in(columns, owner, tested, prime=prime, ignore=given_away, first=first).items():
            found[who] = set()
            if explain:
                # The figures of one derivation of their answers: withholding any of them breaks it.
                needed = derivations.find(cells_by_owner[who], among)
                found[who] = {f for f in (figure_of[i] for i in needed) if f is not None}
        if targets and not (first and found):
            near_cells = None if near is None else {cell for i in tested for cell in rows[i]}
            touched = [(f, row) for f, row in targets if near_cells is None or not near_cells.isdisjoint(row)]
            flags = derivable([rows[index] for index in kept], [row for _, row in touched], prime=prime)
            for (figure, row), flag in zip(touched, flags, strict=True):
                if flag:
                    found["hidden", figure] = _derivation(row, kept) if explain else set()
        return found

    def _derivation(target: Form, kept: list[int]) -> set[Figure]:
        # The target plus a fresh unknown is one more figure; a combination giving away that
        # unknown alone is a derivation of the target from the kept figures (it needs the extra one).
        extra = {**target, ("target",): 1}
        needed = certificate([*rows, extra], {("target",)}, prime=prime, among=[*kept, len(rows)])
        return {f for i in needed if i < len(rows) and (f := figure_of[i]) is not None}

    # What earlier reports gave away already cannot be taken back: not this report's to fix.
    given_away: set[Any] = set()
    if earlier.rows:
        given_away = set(leaks(set(), explain=False))

    shown = _withhold_until_safe(set(released), rank, leaks)
    evidence = Evidence(
        plan,
        answers,
        protected,
        draft.exact,
        values=values,
        released=released,
        earlier=earlier.means,
        fixed=earlier.fixed,
        owners=owners,
        groups=groups,
        homogeneous=homogeneous,
    )
    kept = _withhold_until_witnessed(shown | {spread_of(f) for f in spread if f in shown}, rank, evidence)
    return set(released) - kept, {f for f in spread if f in kept and spread_of(f) not in kept}


def _withhold_until_witnessed(shown: set[Any], rank: Mapping[Figure, int], evidence: Evidence) -> set[Any]:
    """
    What may be shown of *shown* (figures, and `spread_of` figures) so that no protected answer is pinned.

    While an answer lacks evidence (`leadscore._witness`), withhold the first (by *rank*) SD and
    r_wg of the shown figures it is in, or, when none is shown, the first of those figures; then
    try each withheld figure back, last withheld first, until none comes back (an SD and r_wg
    once: the mean beside them is shown). An answer in no shown
    figure that still lacks evidence was given away by earlier reports alone: not this report's to fix.
    """
    evidence.begin(shown)
    withheld: list[Any] = []

    def exposed() -> dict[tuple[int, int], list[Figure]]:
        return {cell: inside for cell, inside in evidence.exposed().items() if inside}

    found = exposed()
    while found:
        now: list[Any] = []
        for inside in found.values():  # In the order of the raters' keys.
            left = sorted((f for f in inside if f in evidence.shown and f not in now), key=rank.__getitem__)
            spreads = [spread_of(f) for f in left if spread_of(f) in evidence.shown and spread_of(f) not in now]
            first = spreads[0] if spreads else left[0] if left else None
            if first is not None:
                now.append(first)
        evidence.withhold(now)
        withheld.extend(now)
        found = exposed()
    # Try each back, last withheld first, until none comes back: a figure the others imply
    # (which cannot pin anything they do not) always does, once the figures it needs are back.
    restored, tried = 0, dict.fromkeys(withheld, -1)  # A key comes back, or is tried again after another does.
    back = True
    while back:
        back = False
        for key in reversed(withheld):
            if key in evidence.shown or tried[key] == restored or (len(key) > 3 and tried[key] >= 0):
                continue  # An SD and r_wg are tried back once: the mean beside them is shown.
            tried[key] = restored
            if evidence.restore(key):
                restored += 1
                back = True
    return evidence.shown


def _withhold_until_safe(shown: set[Figure], rank: Mapping[Figure, int], leaks: Any) -> set[Figure]:
    """
    What may be shown of *shown*, by the one rule.

    While a rater is exposed, withhold the first figure (by *rank*) of a derivation of their
    answers; then try each withheld figure back, last withheld first.
    """
    withheld: list[Figure] = []
    found = leaks(shown)
    while found:
        before = len(withheld)
        for who in sorted(found, key=repr):
            first = min(found[who] & shown, key=rank.__getitem__, default=None)
            if first is not None:
                shown.discard(first)
                withheld.append(first)
        if len(withheld) == before:  # pragma: no cover - a derivation always uses a figure of this report
            # (one from earlier reports alone is in `given_away`); should that ever fail, show nothing.
            withheld.extend(sorted(shown, key=rank.__getitem__))
            shown.clear()
            break
        found = leaks(shown)
    for figure in reversed(withheld):
        if not leaks(shown | {figure}, explain=False, first=True, near=figure):
            shown.add(figure)
    return shown


def field_for(data: object) -> Field:
    """The field of an audit: modulo a prime picked by hashing *data* (the same data, the same prime)."""
    return Field(prime_for(hashlib.sha256(repr(data).encode()).digest()))


def _positions(plan: Plan) -> dict[str, int]:
    ids = [rule.id for rule in plan.items] + [rule.id for rule in plan.scales] + [c.id for c in plan.composites]
    return {score_id: index for index, score_id in enumerate(ids)}
