"""
The scoring invariants of docs/invariants.md over generated and shipped instruments.

Each test draws an instrument (random ranges, keys, methods, minimums, not-applicable
codes, bands and composites, or a shipped one) and runs the invariant's check from
`leadscore.testing`: the same code the conformance kit hands to plugin authors.
"""

from __future__ import annotations

import re

from pathlib import Path
from typing import Any

import pytest

from hypothesis import given
from hypothesis import strategies as st

import leadscore

from leadscore import Instrument, to_json
from leadscore.testing import Implementation
from leadscore.testing._invariants import INVARIANTS
from leadscore.testing.strategies import instruments
from tests.strategies import any_instruments


LEADSCORE = Implementation()


def run(number: int, data: st.DataObject) -> None:
    """Run invariant *number* against a drawn instrument."""
    instrument = data.draw(any_instruments())
    INVARIANTS[number][2](data.draw, LEADSCORE, instrument)


@given(st.data())
def test_1_bounds(data: st.DataObject) -> None:
    """Every score lies within its range; POMP within 0 to 100; each score in the band holding it."""
    run(1, data)


@given(st.data())
def test_2_monotonicity_and_locality(data: st.DataObject) -> None:
    """Raising one answer moves only the scores that use it, each scale in its keyed direction."""
    run(2, data)


@given(st.data())
def test_3_reflection(data: st.DataObject) -> None:
    """Reflecting every answer reflects every complete mean scale, to within rounding."""
    run(3, data)


@given(st.data())
def test_4_order(data: st.DataObject) -> None:
    """The order of answers, items, scale items and weighted parts never changes a score."""
    run(4, data)


@given(st.data())
def test_5_missing_data(data: st.DataObject) -> None:
    """A score is None exactly below its minimum; otherwise it equals its rule, exactly."""
    run(5, data)


@given(st.data())
def test_6_purity(data: st.DataObject) -> None:
    """Scoring never changes its input, and the same input always gives the same result."""
    run(6, data)


@pytest.mark.untraced
@given(st.data())
def test_7_round_trips(data: st.DataObject) -> None:
    """Instruments and results survive JSON and back unchanged, byte for byte."""
    run(7, data)


@pytest.mark.untraced
@given(instruments())
def test_7_definition_file_twin(tmp_path_factory: pytest.TempPathFactory, instrument: Instrument) -> None:
    """A definition file written from an instrument loads to the same instrument."""
    path: Path = tmp_path_factory.mktemp("twin") / "generated.json"
    path.write_text(to_json(instrument), encoding="utf-8")

    assert instrument == leadscore.load_instrument(path)


@given(st.data())
def test_8_batch_equals_single(data: st.DataObject) -> None:
    """score_many(xs) equals [score(x) for x in xs]."""
    run(8, data)


@given(st.data())
def test_9_bad_input_never_scores(data: st.DataObject) -> None:
    """Every invalid answer set raises a LeadscoreError naming exactly the bad items."""
    run(9, data)


def test_invariant_wording_matches_the_docs() -> None:
    """Each invariant's wording in the kit is the wording in docs/invariants.md."""
    docs = (Path(__file__).parent.parent / "docs" / "invariants.md").read_text(encoding="utf-8")
    table: dict[int, Any] = {
        int(m[1]): m[2] for m in re.finditer(r"^\| (\d+) \| \*\*[^*]+\*\* (.+?) \|", docs, re.MULTILINE)
    }

    assert {number: wording for number, (_, wording, _) in INVARIANTS.items()} == {n: table[n] for n in INVARIANTS}
