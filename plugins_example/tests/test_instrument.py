"""The example plugin, tested the way a plugin author tests theirs: through leadscore's API."""

from __future__ import annotations

from leadscore_example_plugin import instrument

import leadscore


def test_plugin_is_found_through_its_entry_point() -> None:
    """The plugin is found in the installed distribution's metadata."""
    infos = {info.id: info for info in leadscore.list_instruments()}

    assert "leadscore-example-plugin" == infos["tichy-transformational-leadership"].distribution
    assert instrument() == leadscore.get_instrument("tichy-transformational-leadership")


def test_overall_needs_five_of_seven() -> None:
    """The overall score is the mean of the answered traits, from five answers on."""
    five = {item.id: 4 for item in instrument().items[:5]}
    four = {item.id: 4 for item in instrument().items[:4]}

    assert (
        4.0
        == leadscore.score("tichy-transformational-leadership", five)
        .scales["transformational-leadership"]
        .value
    )
    assert (
        leadscore.score("tichy-transformational-leadership", four)
        .scales["transformational-leadership"]
        .value
        is None
    )


def test_every_item_records_dutch_english_and_its_source() -> None:
    """Every item has Dutch and English text and names its source."""
    for item in instrument().items:
        assert ("en", "nl") == item.text.languages
        assert "seed 002" in item.source.document
