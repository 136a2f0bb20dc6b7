"""The example plugin, tested the way a plugin author tests theirs: through leadscore's API and kit."""

from __future__ import annotations

import pytest

from leadscore_example_plugin import instrument

import leadscore

from leadscore.testing import check_instrument
from leadscore.testing.suite import InstrumentInvariants


@pytest.mark.untraced
class TestTichyInvariants(InstrumentInvariants):
    """leadscore's nine invariants, one test each, exactly as any plugin author would run them."""

    @pytest.fixture(name="instrument")
    def _instrument(self) -> leadscore.Instrument:
        """The instrument under test."""
        return instrument()


def test_check_instrument_reports_what_it_proved() -> None:
    """
    The same checks without pytest: one call, and a report of invariants and examples.

    Twenty examples per invariant, not the profile's: this shows the one-call API and its
    report; the class above runs each invariant on this instrument at the profile's full count.
    """
    report = check_instrument(instrument(), max_examples=20)

    assert report.ok
    assert 9 == len(report.results)


def test_plugin_is_found_through_its_entry_point() -> None:
    """The plugin is found in the installed distribution's metadata."""
    infos = {info.id: info for info in leadscore.list_instruments()}

    assert "leadscore-example-plugin" == infos["tichy-transformational-leadership"].distribution
    assert instrument() == leadscore.get_instrument("tichy-transformational-leadership")


def test_overall_needs_five_of_seven() -> None:
    """The overall score is the mean of the answered traits, from five answers on."""
    five = {item.id: 4 for item in instrument().items[:5]}
    four = {item.id: 4 for item in instrument().items[:4]}

    assert 4.0 == leadscore.score("tichy-transformational-leadership", five).scales["transformational-leadership"].value
    assert (
        leadscore.score("tichy-transformational-leadership", four).scales["transformational-leadership"].value is None
    )


def test_every_item_records_dutch_english_and_its_source() -> None:
    """Every item has Dutch and English text and names its source."""
    for item in instrument().items:
        assert ("en", "nl") == item.text.languages
        assert "seed 002" in item.source.document
