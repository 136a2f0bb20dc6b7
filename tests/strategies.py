"""Strategies for leadscore's own tests: the public ones, plus the shipped instruments."""

from __future__ import annotations

import functools

from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from hypothesis import settings
from hypothesis import strategies as st

from leadscore import Composite, Instrument, Item, NotApplicable, ResponseScale, Scale, Source, load_instrument
from leadscore.frames import FIELDS
from leadscore.testing.strategies import answers, instruments


def shipped() -> list[Instrument]:
    """The instruments that ship with leadscore, read from their definition files."""
    folder = resources.files("leadscore") / "instruments"
    return [load_instrument(path) for path in sorted(Path(str(folder)).glob("*.toml"))]


SHIPPED = shipped()


def fewer_examples(divisor: int) -> settings:
    """
    The loaded profile's examples divided by *divisor* (at least ten), for one property.

    Only for a property marked ``deep`` whose docstring says what an example costs: at the
    ``deep`` profile's 1,000 examples a divisor up to five still runs at least the ``ci``
    profile's 200 (docs/testing.md lists each). ``make check`` runs it at its ten.
    """
    return settings(max_examples=max(10, settings().max_examples // divisor))


@functools.cache  # Made once: a strategy made anew inside a draw is validated again on each draw.
def any_instruments() -> st.SearchStrategy[Instrument]:
    """A generated instrument, or one of the shipped ones."""
    return st.one_of(instruments(), st.sampled_from(SHIPPED))


@st.composite
def instruments_and_answers(draw: st.DrawFn, *, complete: bool = False) -> tuple[Instrument, dict[str, int | None]]:
    """An instrument (generated or shipped) and a valid answer set for it."""
    instrument = draw(any_instruments())
    return instrument, draw(answers(instrument, complete=complete))


def three_methods() -> Instrument:
    """
    Four items answered from 1 to 4 (a span of 3, no power of two) and one scale per method:
    "m" the mean of a and b (b reverse-keyed), "s" the sum of b and c, "p" the POMP of c and d.
    """
    response = ResponseScale(min=1, max=4)
    items = [Item(id=i, text={"en": i.upper()}, response=response, source=Source(document="t")) for i in "abcd"]
    return Instrument(
        id="three-methods",
        version="1.0.0",
        title={"en": "Three methods"},
        items=items,
        scales=[
            Scale(id="m", title={"en": "M"}, items=["a", "b"], reverse_keyed=["b"], min_answered=1),
            Scale(id="s", title={"en": "S"}, items=["b", "c"], method="sum", min_answered=1),
            Scale(id="p", title={"en": "P"}, items=["c", "d"], method="pomp", min_answered=1),
        ],
    )


#: Answer sets of three_methods(): complete, with gaps, at both ends, and one scale unscored.
THREE_METHODS_ROWS: list[dict[str, int | None]] = [
    {"a": 1, "b": 4, "c": 2, "d": 3},
    {"a": 4, "b": None, "c": 3, "d": None},
    {"a": None, "b": 1, "c": None, "d": 4},
    {"a": 2, "b": 2, "c": None, "d": None},
]


def tiny_with_not_applicable(instrument_id: str, items: tuple[str, ...] = ("a", "b")) -> Instrument:
    """
    A small instrument answered from 1 to 3 or 0 (not applicable), with one scale "s" over
    *items*, its second item (if any) reverse-keyed.
    """
    na = NotApplicable(code=0, label={"en": "not applicable"})
    response = ResponseScale(min=1, max=3, not_applicable=na)
    return Instrument(
        id=instrument_id,
        version="1.0.0",
        title={"en": "Tiny"},
        items=[Item(id=i, text={"en": i.upper()}, response=response, source=Source(document="t")) for i in items],
        scales=[Scale(id="s", title={"en": "S"}, items=items, reverse_keyed=items[1:2], min_answered=1)],
    )


def table_layout(instrument: Instrument, fields: Iterable[str] = FIELDS) -> list[str]:
    """
    The score columns of a table as docs/glossary.md lays them out, from the definition.

    The scales, then the composites, each in the definition's order; per score the fields in
    FIELDS' order, but no count for a composite and no band for a score without bands. An
    oracle apart from the plan's `table_columns`.
    """
    asked = [field for field in FIELDS if field in set(fields)]
    scores: list[Scale | Composite] = [*instrument.scales, *instrument.composites]
    return [
        f"{score.id}.{field}"
        for score in scores
        for field in asked
        if not (field == "n_answered" and isinstance(score, Composite)) and not (field == "band" and not score.bands)
    ]
