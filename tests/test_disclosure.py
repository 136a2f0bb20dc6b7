"""
The auditor's linear algebra on its own, against dense rational elimination.

`leadscore._disclosure` works modulo a prime, on sparse columns, with shortcuts (symmetric
raters skipped, leave-one-out over halves, elimination limited to linked figures). Here
random small systems are checked against the plain definition: rater r is exposed exactly
when taking r's columns out lowers the rank, computed over fractions (`tests.test_privacy.rank`).
Entries are small integers, so every minor is far below the prime and both must agree.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from hypothesis import given
from hypothesis import strategies as st

from leadscore._disclosure import (
    Columns,
    Derivations,
    _is_prime,
    _prime_from,
    certificate,
    columns_of,
    derivable,
    exposed_in,
    prime_for,
)
from tests.test_privacy import rank


PRIME = prime_for(b"tests")
Cell = tuple[str, int]


@st.composite
def systems(draw: st.DrawFn) -> list[dict[Cell, int]]:
    """A few figures over the cells of up to four raters (two cells each), small coefficients."""
    cells = [(rater, k) for rater in "wxyz"[: draw(st.integers(1, 4))] for k in range(2)]
    rows = []
    for _ in range(draw(st.integers(1, 6))):
        chosen = draw(st.lists(st.sampled_from(cells), min_size=1, max_size=4, unique=True))
        rows.append({cell: draw(st.integers(-3, 3).filter(bool)) for cell in chosen})
    return rows


def dense(rows: list[dict[Cell, int]], cells: list[Cell]) -> list[list[Fraction]]:
    """The rows as a matrix of fractions over *cells*."""
    return [[Fraction(row.get(cell, 0)) for cell in cells] for row in rows]


def exposed_by_rank(rows: list[dict[Cell, int]]) -> set[str]:
    """The definition: a rater is exposed when removing their columns lowers the rank."""
    cells = sorted({cell for row in rows for cell in row})
    full = rank(dense(rows, cells))
    return {
        rater
        for rater in {r for r, _ in cells}
        if rank(dense(rows, [cell for cell in cells if cell[0] != rater])) < full
    }


def modular(rows: list[dict[Cell, int]]) -> list[dict[Cell, int]]:
    """The rows' coefficients modulo the prime, as the auditor takes them."""
    return [{cell: value % PRIME for cell, value in row.items()} for row in rows]


@pytest.mark.untraced
@given(systems())
def test_exposed_in_agrees_with_the_rank_definition(rows: list[dict[Cell, int]]) -> None:
    """Whoever the rank test exposes, the auditor exposes, and no one else."""
    figures = modular(rows)
    columns = Columns(columns_of(figures, PRIME), len(figures))
    owner = {cell: cell[0] for row in rows for cell in row}

    found = exposed_in(columns, owner, range(len(rows)), prime=PRIME)

    assert set(found) == exposed_by_rank(rows)
    for rater, among in found.items():
        # The figures named with an exposed rater expose them on their own.
        assert rater in exposed_by_rank([rows[i] for i in among])


@pytest.mark.untraced
@given(systems(), st.data())
def test_a_subset_of_figures_is_audited_as_if_alone(rows: list[dict[Cell, int]], data: st.DataObject) -> None:
    """Auditing some figures of a larger set is auditing those figures on their own."""
    kept = data.draw(st.sets(st.integers(0, len(rows) - 1)))
    figures = modular(rows)
    columns = Columns(columns_of(figures, PRIME), len(figures))
    owner = {cell: cell[0] for row in rows for cell in row}

    found = exposed_in(columns, owner, kept, prime=PRIME)

    assert set(found) == exposed_by_rank([rows[i] for i in sorted(kept)])
    assert all(set(among) <= kept for among in found.values())


@pytest.mark.untraced
@given(systems())
def test_a_certificate_is_a_derivation_of_one_raters_answers(rows: list[dict[Cell, int]]) -> None:
    """For an exposed rater, some combination of the certificate's figures vanishes on every other rater's cells and not on theirs; a safe rater has none."""
    figures = modular(rows)
    derivations = Derivations(figures, PRIME)
    exposed = exposed_by_rank(rows)
    for rater in sorted({cell[0] for row in rows for cell in row}):
        mine = {cell for row in rows for cell in row if cell[0] == rater}
        needed = derivations.find(mine)

        assert bool(needed) == (rater in exposed)
        if needed:
            # The certificate's figures give away something of the rater's that the others' cannot hide:
            # within them alone, the rank drops without the rater's columns.
            assert rater in exposed_by_rank([rows[i] for i in sorted(needed)])


def test_a_rater_whose_columns_another_rater_shares_is_safe() -> None:
    """Two raters in every figure alike: neither is exposed, whatever the figures (symmetry)."""
    rows = [{("x", 0): 1, ("y", 0): 1}, {("x", 1): 2, ("y", 1): 2}]
    columns = Columns(columns_of(rows, PRIME), len(rows))

    assert {} == exposed_in(columns, {c: c[0] for r in rows for c in r}, range(2), prime=PRIME)
    assert exposed_in(columns, {c: c[0] for r in rows for c in r}, [0], prime=PRIME, first=True) == {}


def test_first_and_ignore() -> None:
    """With first, the search stops at one exposed owner; ignored owners are not reported."""
    rows = [{("x", 0): 1}, {("y", 0): 1}]
    columns = Columns(columns_of(rows, PRIME), len(rows))
    owner = {c: c[0] for r in rows for c in r}

    assert exposed_in(columns, owner, range(2), prime=PRIME) == {"x": [0], "y": [1]}
    assert len(exposed_in(columns, owner, range(2), prime=PRIME, first=True)) == 1
    assert exposed_in(columns, owner, range(2), prime=PRIME, ignore={"x"}) == {"y": [1]}


def test_a_cell_whose_coefficients_vanish_modulo_the_prime_exposes_no_one() -> None:
    """A coefficient that is a multiple of the prime is no coefficient: that cell is in no figure, whatever is kept."""
    rows = [{("x", 0): PRIME, ("y", 0): 1}, {("z", 1): 1}, {("z", 2): 1}]
    columns = Columns(columns_of(rows, PRIME), len(rows))
    owner = {c: c[0] for r in rows for c in r}

    assert ("x", 0) not in columns.keys({0})
    assert ("x", 0) not in columns.keys({0, 1, 2})
    assert exposed_in(columns, owner, [0], prime=PRIME) == {"y": [0]}


def test_figures_that_share_no_cell_are_audited_apart() -> None:
    """Two groups of figures that share no cell: a rater is exposed by the group that exposes them, named alone."""
    rows = [{("x", 0): 1, ("y", 0): 1}, {("x", 1): 1, ("y", 1): 1}, {("x", 1): 1}, {("z", 2): 1, ("x", 2): 1}]
    columns = Columns(columns_of(rows, PRIME), len(rows))
    owner = {c: c[0] for r in rows for c in r}

    assert columns.components(range(4)) == [[0], [1, 2], [3]]
    assert columns.component([2], range(4)) == [1, 2]
    assert columns.component([2], [0, 2, 3]) == [2]
    assert exposed_in(columns, owner, range(4), prime=PRIME) == {"x": [1, 2], "y": [1, 2]}
    # Few figures kept (the keys written from their columns alone) and most kept (the others taken out).
    assert columns.keys({2}) == {("x", 1): ((2, 1),)}
    assert columns.keys({0, 1}) == {("x", 0): ((0, 1),), ("y", 0): ((0, 1),), ("x", 1): ((1, 1),), ("y", 1): ((1, 1),)}


def test_derivable_and_certificate_of_a_target() -> None:
    """A sum two figures give is derivable and its derivation uses both; one they do not give is not."""
    rows = [{("x", 0): 1, ("y", 0): 1}, {("y", 0): 1, ("z", 0): 1}]

    assert derivable(rows, [{("x", 0): 1, ("z", 0): PRIME - 1}, {("x", 0): 1}], prime=PRIME) == [True, False]
    assert certificate([*rows, {("x", 0): 1, ("z", 0): PRIME - 1, "t": 1}], {"t"}, prime=PRIME) == {0, 1, 2}
    assert certificate(rows, {("x", 0)}, prime=PRIME) == set()


def test_small_numbers_are_classified_like_a_sieve() -> None:
    """Miller-Rabin with fixed bases: every number below 5000 and some Carmichael numbers."""
    sieve = [True] * 5000
    sieve[0] = sieve[1] = False
    for n in range(2, 5000):
        if sieve[n]:
            for multiple in range(n * n, 5000, n):
                sieve[multiple] = False

    assert [_is_prime(n) for n in range(5000)] == sieve
    assert not any(_is_prime(n) for n in (561, 41041, 825265, 3215031751, 2**61 + 1))
    assert _is_prime(2**61 - 1)


def test_the_prime_is_picked_by_the_data_and_wraps_round() -> None:
    """The same seed, the same 61-bit prime; past 2**61 the search starts again at 2**60."""
    assert prime_for(b"a") == prime_for(b"a") != prime_for(b"b")
    assert 2**60 < prime_for(b"a") < 2**61
    assert _prime_from(2**61 - 1) == 2**61 - 1  # a Mersenne prime
    assert _prime_from(2**61 + 1) == next(n for n in range(2**60 + 1, 2**61, 2) if _is_prime(n))
