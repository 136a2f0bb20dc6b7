"""The shipped instruments: found as plugins, bilingual, sourced, and built by the house rules."""

from __future__ import annotations

import math

import pytest

import leadscore

from leadscore import Composite, Instrument, LocalizedText, Scale
from tests.strategies import SHIPPED


SHIPPED_IDS = ["alliance-qualities", "coaching-behaviours", "connective-leadership", "secure-base-leadership"]


def texts(instrument: Instrument) -> list[tuple[str, LocalizedText]]:
    """Every text of an instrument shown to a person, with where it is."""
    found: list[tuple[str, LocalizedText]] = [("title", instrument.title)]
    for name in ("description", "notes"):
        value = getattr(instrument, name)
        if value is not None:
            found.append((name, value))
    for item in instrument.items:
        found.append((f"item {item.id}", item.text))
        found.extend((f"item {item.id} pole", pole) for pole in (item.low, item.high) if pole is not None)
        found.extend((f"item {item.id} label {p.value}", p.text) for p in item.response.labels)
    scores: list[Scale | Composite] = [*instrument.scales, *instrument.composites]
    for score in scores:
        found.append((f"score {score.id}", score.title))
        if score.description is not None:
            found.append((f"score {score.id} description", score.description))
        for band in score.bands:
            found.append((f"band {band.id}", band.label))
            if band.description is not None:
                found.append((f"band {band.id} description", band.description))
    return found


def test_shipped_and_example_instruments_are_listed_with_their_distributions() -> None:
    """list_instruments shows the three shipped instruments and the installed example plugin."""
    infos = {info.id: info for info in leadscore.list_instruments()}

    assert dict.fromkeys(SHIPPED_IDS, "leadscore") == {i: infos[i].distribution for i in SHIPPED_IDS}
    assert "leadscore-example-plugin" == infos["tichy-transformational-leadership"].distribution


@pytest.mark.parametrize("instrument_id", SHIPPED_IDS)
def test_entry_point_gives_the_definition_file(instrument_id: str) -> None:
    """Each entry point loads the definition file shipped in the package."""
    instrument = leadscore.get_instrument(instrument_id)

    assert instrument in SHIPPED


@pytest.mark.parametrize("instrument", SHIPPED, ids=lambda i: i.id)
def test_every_text_is_in_dutch_and_english(instrument: Instrument) -> None:
    """Dutch is the source language; every text also has English."""
    missing = [where for where, text in texts(instrument) if not {"nl", "en"} <= set(text.languages)]

    assert [] == missing


@pytest.mark.parametrize("instrument", SHIPPED, ids=lambda i: i.id)
def test_every_item_names_its_seed_and_section(instrument: Instrument) -> None:
    """Every item records its source file and section."""
    unsourced = [
        item.id for item in instrument.items if "leadscore seed" not in item.source.document or not item.source.section
    ]

    assert [] == unsourced


@pytest.mark.parametrize("instrument", SHIPPED, ids=lambda i: i.id)
def test_multi_item_scales_need_two_thirds_rounded_up(instrument: Instrument) -> None:
    """A multi-item scale needs at least two-thirds of its items answered, rounded up."""
    rules = {s.id: (s.min_answered, math.ceil(2 * len(s.items) / 3)) for s in instrument.scales if len(s.items) > 1}

    assert {scale_id: expected for scale_id, (_, expected) in rules.items()} == {
        scale_id: actual for scale_id, (actual, _) in rules.items()
    }


@pytest.mark.parametrize("instrument", SHIPPED, ids=lambda i: i.id)
def test_notes_say_what_is_interpretation(instrument: Instrument) -> None:
    """Each instrument's notes say what is leadscore's own (interpretation, rewording or translation)."""
    assert instrument.notes is not None
    assert "leadscore" in instrument.notes.get("en")
    assert "no norms" in instrument.notes.get("en")


def test_secure_base_leadership_structure() -> None:
    """Nine 1-5 items with poles, nine trait scales and overall, Care, Dare and their balance."""
    sbl = leadscore.get_instrument("secure-base-leadership")
    balance = sbl.composites[-1]

    assert 9 == len(sbl.items)
    assert all(item.low is not None and item.high is not None for item in sbl.items)
    assert {(1, 5)} == {(item.response.min, item.response.max) for item in sbl.items}
    assert 10 == len(sbl.scales)
    assert ["care", "dare", "care-dare-balance"] == [c.id for c in sbl.composites]
    assert ("difference", ("care", "dare")) == (
        balance.method,
        tuple(p.scale for p in balance.parts),
    )
    assert ["dare-without-care", "balanced", "care-without-dare"] == [b.id for b in balance.bands]
    assert "interpretation" in sbl.notes.get("en")  # type: ignore[union-attr]


def test_connective_leadership_structure() -> None:
    """Eight essences (4xR as four items) and four company dimensions, plus overall."""
    connective = leadscore.get_instrument("connective-leadership")
    scales = {s.id: s for s in connective.scales}

    assert 13 == len(scales)
    assert ("richting", "ruimte", "resultaat", "rekenschap") == scales["4xr"].items
    assert {"inspiring-company", "caring-company", "creating-company", "winning-company"} <= set(scales)


def test_alliance_qualities_structure() -> None:
    """Nine qualities of two or three items each, plus overall."""
    alliance = leadscore.get_instrument("alliance-qualities")
    qualities = [s for s in alliance.scales if s.id != "overall"]

    assert 9 == len(qualities)
    assert {2, 3} >= {len(s.items) for s in qualities}


def test_coaching_behaviours_structure() -> None:
    """Seventeen verbatim behaviours on a five-point frequency scale, one overall score."""
    coaching = leadscore.get_instrument("coaching-behaviours")

    assert 17 == len(coaching.items)
    assert "Ik vraag sneller om hulp" in [item.text.get("nl") for item in coaching.items]
    assert ["small-things"] == [s.id for s in coaching.scales]
    assert 12 == coaching.scales[0].min_answered
