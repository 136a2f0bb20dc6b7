"""
One pytest test per invariant, for a plugin author's test suite.

Subclass `InstrumentInvariants` and give it an ``instrument`` fixture::

    import pytest
    from leadscore.testing.suite import InstrumentInvariants

    from my_plugin import my_instrument


    class TestMyInstrument(InstrumentInvariants):
        @pytest.fixture
        def instrument(self):
            return my_instrument()

That is all: pytest then runs ``test_invariant_1_bounds`` to ``test_invariant_9_bad_input``
against it. Nothing here depends on leadscore's own test fixtures, and importing it changes
no Hypothesis setting. Override the ``implementation`` fixture to check a wrapper of your
own instead of leadscore's functions.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from leadscore._canonical import fingerprint as _fingerprint
from leadscore._model import Instrument
from leadscore.errors import LeadscoreError
from leadscore.testing._check import CheckReport, InvariantError, run_invariant, text_problems


if TYPE_CHECKING:
    from leadscore.testing._implementation import Implementation


__all__ = ["InstrumentInvariants"]


class InstrumentInvariants:
    """Base class: one test per invariant of docs/invariants.md, run on ``self.instrument``."""

    @pytest.fixture(name="instrument")
    def _instrument(self) -> Instrument:
        """Refuse to run until a subclass names the instrument to check."""
        raise LeadscoreError("define an `instrument` fixture in your InstrumentInvariants subclass")

    @pytest.fixture(name="implementation")
    def _implementation(self) -> Implementation | None:
        """Leadscore's own functions, unless a subclass overrides this fixture."""
        return None

    def check(self, instrument: Instrument, implementation: Implementation | None, number: int) -> None:
        """Run invariant *number*; fail with its wording and minimal example if it breaks."""
        result = run_invariant(instrument, number, implementation=implementation)
        if result.failure is not None:
            report = CheckReport(
                instrument_id=instrument.id,
                instrument_version=instrument.version,
                fingerprint=_fingerprint(instrument),
                results=(result,),
            )
            raise InvariantError(report)

    def test_invariant_1_bounds(self, instrument: Instrument, implementation: Implementation | None) -> None:
        """Every score lies within the range its method and response scale allow."""
        self.check(instrument, implementation, 1)

    def test_invariant_2_monotonicity_and_locality(
        self, instrument: Instrument, implementation: Implementation | None
    ) -> None:
        """Raising one answer moves only the scores that use it, in the keyed direction."""
        self.check(instrument, implementation, 2)

    def test_invariant_3_reflection(self, instrument: Instrument, implementation: Implementation | None) -> None:
        """Reflecting every answer reflects every complete mean scale."""
        self.check(instrument, implementation, 3)

    def test_invariant_4_order(self, instrument: Instrument, implementation: Implementation | None) -> None:
        """The order of answers or items never changes a result."""
        self.check(instrument, implementation, 4)

    def test_invariant_5_missing_data(self, instrument: Instrument, implementation: Implementation | None) -> None:
        """A score is None exactly below its minimum; otherwise it equals its rule exactly."""
        self.check(instrument, implementation, 5)

    def test_invariant_6_purity(self, instrument: Instrument, implementation: Implementation | None) -> None:
        """Scoring never mutates its input and always gives the same result."""
        self.check(instrument, implementation, 6)

    def test_invariant_7_round_trips(self, instrument: Instrument, implementation: Implementation | None) -> None:
        """Instruments and results survive JSON unchanged."""
        self.check(instrument, implementation, 7)

    def test_invariant_8_batch_equals_single(
        self, instrument: Instrument, implementation: Implementation | None
    ) -> None:
        """score_many(xs) equals [score(x) for x in xs]."""
        self.check(instrument, implementation, 8)

    def test_invariant_9_bad_input(self, instrument: Instrument, implementation: Implementation | None) -> None:
        """Every invalid answer set raises a LeadscoreError."""
        self.check(instrument, implementation, 9)

    def test_band_narratives_are_complete(self, instrument: Instrument) -> None:
        """Where any band has a narrative, every band has one in every language, with its source."""
        assert text_problems(instrument) == []
