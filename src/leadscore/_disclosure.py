"""
Which raters' answers a set of released figures gives away: exact linear algebra.

Every figure a 360 report releases is a linear function of the protected raters' answers
(a mean of means of answers; known raters and constants set aside). The attacker knows the
figures; a combination ``c · x`` of the answers is derivable from them exactly when ``c`` is
in the row space of the figures' matrix ``A``. A rater is exposed when some nonzero
combination of *their* answers alone is derivable, which is the case exactly when removing
their columns lowers the rank: ``rank(A) > rank(A without r)``. Equivalently, when the span
of the other raters' columns does not contain all of theirs.

The arithmetic is exact: over the integers modulo a prime of 61 bits chosen from the data
(`prime_for`), which cannot wrongly report a rater as safe unless it divides one of the
matrix's nonzero minors (see `prime_for` for the bound). Raters whose columns are all shared
with another rater (the same group and the same answered items) are safe by symmetry and
need no rank test; the others are tested by leave-one-out over a shared basis, split in
halves, so the work grows with the number of columns times the logarithm of the number of
raters tested.
"""

from __future__ import annotations

import hashlib
import heapq

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any, TypeVar


__all__ = [
    "Basis",
    "Columns",
    "Derivations",
    "certificate",
    "columns_of",
    "derivable",
    "exposed_in",
    "prime_for",
]

Owner = TypeVar("Owner", bound=Hashable)
Cell = Any  # Any hashable: a cell's identity (Mapping keys are invariant, so not Hashable).
Vector = dict[int, int]

# Primes of the form 2**61 - k are tried from a start chosen by the data's hash.
_BITS = 61


def _is_prime(n: int) -> bool:
    """Deterministic Miller-Rabin for n below 3.3e24 (these bases suffice)."""
    if n < 2:
        return False
    small = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41)
    for p in small:
        if n % p == 0:
            return n == p
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    for a in small:
        x = pow(a, d, n)
        if x in {1, n - 1}:
            continue
        for _ in range(s - 1):
            x = x * x % n
            if x == n - 1:
                break
        else:
            return False
    return True


def prime_for(seed: bytes) -> int:
    """
    A prime between 2**60 and 2**61 picked by hashing *seed*: the same data, the same prime.

    Ranks modulo the prime equal ranks over the rationals unless it divides the nonzero minor
    that witnesses a rank; docs/privacy.md bounds that chance (below 1 in 10**13 per rank
    test for a report of 50 items and 30 raters).
    """
    return _prime_from(
        (1 << (_BITS - 1)) + int.from_bytes(hashlib.sha256(seed).digest()[:8], "big") % (1 << (_BITS - 1))
    )


def _prime_from(start: int) -> int:
    """The first prime from *start* on, going round to 2**60 past 2**61."""
    candidate = start | 1
    while not _is_prime(candidate):
        candidate += 2
        if candidate >= 1 << _BITS:
            candidate = (1 << (_BITS - 1)) + 1
    return candidate


class Basis:
    """An echelon basis of a subspace of GF(p)^m; vectors are sparse (index to nonzero value)."""

    __slots__ = ("prime", "rows")

    def __init__(self, prime: int, rows: Mapping[int, Vector] | None = None) -> None:
        """An empty basis (or a copy of *rows*: pivot index to a vector whose pivot entry is 1)."""
        self.prime = prime
        self.rows: dict[int, Vector] = dict(rows or {})

    def copy(self) -> Basis:
        """A basis of the same subspace that can grow on its own (its vectors are shared, never changed)."""
        return Basis(self.prime, self.rows)

    def residue(self, vector: Mapping[int, int]) -> Vector:
        """What is left of *vector* after taking out its part in the subspace: empty when it lies in it."""
        return _reduce(dict(vector), self.rows, self.prime)

    def add(self, vector: Mapping[int, int]) -> bool:
        """Add *vector* to the subspace; return whether it grew."""
        left = self.residue(vector)
        if not left:
            return False
        pivot = min(left)
        self.rows[pivot] = _scaled(left, pow(left[pivot], -1, self.prime), self.prime)
        return True


def _reduce(
    left: Vector,
    rows: Mapping[int, Vector],
    prime: int,
    combination: Vector | None = None,
    combinations: Mapping[int, Vector] | None = None,
) -> Vector:
    """
    Eliminate *left* (in place) against the echelon *rows* (pivot -> vector with 1 there); return it.

    Pivots go in increasing order, and eliminating pivot k only touches indices above k. With
    *combination*, each step is applied to it too, from the pivot rows' *combinations*: it
    keeps track of which original vectors the reduced one combines.
    """
    pending = [k for k in left if k in rows]
    heapq.heapify(pending)
    while pending:
        k = heapq.heappop(pending)
        factor = left.get(k)
        if not factor:  # Cancelled since it was queued, or queued twice.
            continue
        for j, c in rows[k].items():
            before = left.get(j, 0)
            value = (before - factor * c) % prime
            if value:
                if not before and j != k and j in rows:
                    heapq.heappush(pending, j)
                left[j] = value
            else:
                left.pop(j, None)
        if combination is not None:
            for j, c in combinations[k].items():  # type: ignore[index]
                value = (combination.get(j, 0) - factor * c) % prime
                if value:
                    combination[j] = value
                else:
                    combination.pop(j, None)
    return left


def _scaled(vector: Vector, factor: int, prime: int) -> Vector:
    """*vector* times *factor*, modulo *prime*."""
    return {j: c * factor % prime for j, c in vector.items()}


def columns_of(figures: Sequence[Mapping[Cell, int]], prime: int) -> dict[Cell, Vector]:
    """Each cell's column: the figures it appears in (by position, in increasing order) and its coefficient."""
    columns: dict[Cell, Vector] = {}
    for row, figure in enumerate(figures):
        for cell, value in figure.items():
            column = columns.setdefault(cell, {})
            column[row] = (column.get(row, 0) + value) % prime
    return columns


class Columns:
    """Every figure's columns, with each column's key over all figures kept, for audits of subsets."""

    __slots__ = ("columns", "full", "rows_of", "size")

    def __init__(self, columns: Mapping[Cell, Vector], size: int) -> None:
        """Index *columns* (`columns_of`) of *size* figures."""
        self.columns = columns
        self.size = size
        # Columns list their figures in increasing order, so a key needs no sorting.
        self.full = {cell: tuple((r, v) for r, v in column.items() if v) for cell, column in columns.items()}
        self.rows_of: dict[int, list[Cell]] = {}
        for cell, column in columns.items():
            for row in column:
                self.rows_of.setdefault(row, []).append(cell)

    def keys(self, kept: set[int]) -> dict[Cell, tuple[tuple[int, int], ...]]:
        """Each column's key over the *kept* figures (a column in none of them is left out)."""
        if 2 * len(kept) < self.size:  # Few kept: write the columns of those figures only.
            cells = dict.fromkeys(cell for row in sorted(kept) for cell in self.rows_of.get(row, ()))
            keys = {cell: tuple((r, v) for r, v in self.full[cell] if r in kept) for cell in cells}
            return {cell: key for cell, key in keys.items() if key}
        # Many kept: only columns in a left-out figure are written again.
        keys = dict(self.full)
        for row in range(self.size):
            if row not in kept:
                for cell in self.rows_of.get(row, ()):
                    keys[cell] = tuple((r, v) for r, v in keys[cell] if r != row)
        return {cell: key for cell, key in keys.items() if key}

    def components(self, kept: Iterable[int]) -> list[list[int]]:
        """
        The *kept* figures in groups that share no cell with each other, each in increasing order.

        A rank is the sum of its groups' ranks, so a rater is exposed by the figures exactly
        when they are exposed by one group of them alone.
        """
        parent: dict[int, int] = {row: row for row in kept}

        def root(row: int) -> int:
            while parent[row] != row:
                parent[row] = parent[parent[row]]
                row = parent[row]
            return row

        first_row: dict[Cell, int] = {}
        for row in sorted(parent):
            for cell in self.rows_of.get(row, ()):
                other = first_row.setdefault(cell, row)
                a, b = root(row), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        groups: dict[int, list[int]] = {}
        for row in sorted(parent):
            groups.setdefault(root(row), []).append(row)
        return list(groups.values())

    def component(self, seed: Iterable[int], kept: Iterable[int]) -> list[int]:
        """The figures of *kept* linked to those of *seed* through shared cells (*seed*'s kept ones included)."""
        allowed = set(kept)
        reached = {row for row in seed if row in allowed}
        queue, seen = list(reached), set()
        while queue:
            for cell in self.rows_of.get(queue.pop(), ()):
                if cell not in seen:
                    seen.add(cell)
                    for row, _ in self.full[cell]:
                        if row in allowed and row not in reached:
                            reached.add(row)
                            queue.append(row)
        return sorted(reached)


def exposed_in(
    columns: Columns,
    owner: Mapping[Cell, Owner],
    shown: Iterable[int],
    *,
    prime: int,
    ignore: Iterable[Owner] = (),
    first: bool = False,
) -> dict[Owner, list[int]]:
    """
    The owners some combination of whose cells the figures at positions *shown* give away.

    Each with the positions of the figures that give it away: the shown figures of each group of
    them (`Columns.components`) that exposes the owner alone, in increasing order.

    Args:
        columns: Every figure's columns (`Columns`), coefficients modulo *prime*, constants
            (such as known raters' answers) left out.
        owner: Each cell's owner (a rater). A cell with no owner (pooled unknowns) hides
            information but exposes no one.
        shown: The positions of the figures released.
        prime: The modulus (`prime_for`).
        ignore: Owners not to test (their columns still count).
        first: Stop at the first exposed owner found (for a yes-or-no question).
    """
    kept = set(shown)
    keys = columns.keys(kept)
    skipped = set(ignore)
    found: dict[Owner, list[int]] = {}
    for group in columns.components(kept):
        holders: dict[tuple[tuple[int, int], ...], set[Owner | None]] = {}
        for cell in dict.fromkeys(cell for row in group for cell in columns.rows_of.get(row, ())):
            key = keys.get(cell)
            if key:
                holders.setdefault(key, set()).add(owner.get(cell))
        shared = Basis(prime)
        unique: dict[Owner, list[Vector]] = {}
        for key, who in holders.items():
            # A column more than one owner has (or a pooled one) stays whatever one rater's removal does.
            if len(who) == 1 and None not in who and not who & skipped:
                unique.setdefault(next(iter(who)), []).append(dict(key))  # type: ignore[arg-type]
            else:
                shared.add(dict(key))
        exposed: set[Owner] = set()
        _leave_one_out(shared, sorted(unique, key=repr), unique, exposed, first=first)
        for rater in exposed:
            found.setdefault(rater, []).extend(group)
        if first and found:
            break
    return {who: sorted(rows) for who, rows in found.items()}


def _leave_one_out(
    basis: Basis, owners: list[Owner], unique: Mapping[Owner, list[Vector]], found: set[Owner], *, first: bool
) -> None:
    """Test each of *owners* against *basis* plus every other owner's columns (with *first*, until one is found)."""
    if not owners or (first and found):
        return
    if len(owners) == 1:
        if any(basis.residue(column) for column in unique[owners[0]]):
            found.add(owners[0])
        return
    half = len(owners) // 2
    for mine, others in ((owners[:half], owners[half:]), (owners[half:], owners[:half])):
        grown = basis.copy()
        for other in others:
            for column in unique[other]:
                grown.add(column)
        _leave_one_out(grown, mine, unique, found, first=first)


def derivable(
    figures: Sequence[Mapping[Cell, int]], targets: Sequence[Mapping[Cell, int]], *, prime: int
) -> list[bool]:
    """For each target (a linear form, modulo *prime*), whether the *figures* determine it."""
    index: dict[Cell, int] = {}

    def numbered(form: Mapping[Cell, int]) -> dict[int, int]:
        return {index.setdefault(cell, len(index)): value for cell, value in form.items()}

    basis = Basis(prime)
    for figure in figures:
        basis.add(numbered(figure))
    return [not basis.residue(numbered(target)) for target in targets]


class Derivations:
    """
    Derivations of one owner's cells from a fixed list of figures, for many owners and subsets.

    The figures' cells are numbered once, and the figures each cell is in indexed once, so that
    each `find` only eliminates.
    """

    __slots__ = ("cells", "figures", "prime", "rows_of")

    def __init__(self, figures: Sequence[Mapping[Cell, int]], prime: int) -> None:
        """Index *figures* (coefficients modulo *prime*)."""
        self.prime = prime
        self.cells: dict[Cell, int] = {}
        self.figures = [{self.cells.setdefault(c, len(self.cells)): v for c, v in f.items()} for f in figures]
        self.rows_of: list[list[int]] = [[] for _ in self.cells]
        for position, figure in enumerate(self.figures):
            for cell in figure:
                self.rows_of[cell].append(position)

    def find(self, mine: Iterable[Cell], among: Iterable[int] | None = None) -> set[int]:
        """
        Positions of figures that together give away a combination of the cells in *mine* alone.

        Gaussian elimination of the figures on the other cells, keeping track of how each
        reduced row combines the figures: the first combination that vanishes on the other
        cells but not on *mine* is a derivation, and every figure in it is needed for it.
        Empty when there is none (the owner of *mine* is safe). *among* limits the figures to
        those positions (default: all).
        """
        prime, figures = self.prime, self.figures
        own = {self.cells[c] for c in mine if c in self.cells}
        allowed = set(range(len(figures)) if among is None else among)
        rows: dict[int, Vector] = {}  # Pivot -> reduced row on the other cells.
        combinations: dict[int, Vector] = {}  # Pivot -> the figures that row combines.
        for position in self._connected(own, allowed):
            combination: Vector = {position: 1}
            left = {c: v for c, v in figures[position].items() if c not in own}
            _reduce(left, rows, prime, combination, combinations)
            if left:
                pivot = min(left)
                inverse = pow(left[pivot], -1, prime)
                rows[pivot] = _scaled(left, inverse, prime)
                combinations[pivot] = _scaled(combination, inverse, prime)
                continue
            on_mine: dict[int, int] = {}
            for j, c in combination.items():
                for cell, value in figures[j].items():
                    if cell in own:
                        on_mine[cell] = (on_mine.get(cell, 0) + c * value) % prime
            if any(on_mine.values()):
                return set(combination)
        return set()

    def _connected(self, own: set[int], allowed: set[int]) -> list[int]:
        """
        The allowed figures linked to the cells *own* through shared cells, in their order.

        A derivation of a combination of these cells needs no other figure: those share no
        cell with these, so their part of any combination must vanish on its own.
        """
        figures, rows_of = self.figures, self.rows_of
        reached = {position for cell in own for position in rows_of[cell] if position in allowed}
        queue = list(reached)
        seen = set(own)
        while queue:
            for cell in figures[queue.pop()]:
                if cell not in seen:
                    seen.add(cell)
                    for position in rows_of[cell]:
                        if position in allowed and position not in reached:
                            reached.add(position)
                            queue.append(position)
        return sorted(reached)


def certificate(
    figures: Sequence[Mapping[Cell, int]], mine: Iterable[Cell], *, prime: int, among: Iterable[int] | None = None
) -> set[int]:
    """`Derivations.find` on figures indexed for this one question."""
    return Derivations(figures, prime).find(mine, among)
