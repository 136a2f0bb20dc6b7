"""The model rejects every definition that cannot be scored correctly, naming the offender."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from leadscore import (
    Band,
    Composite,
    Instrument,
    InvalidDefinitionError,
    Item,
    LeadscoreError,
    LocalizedText,
    NotApplicable,
    Part,
    PointLabel,
    ResponseScale,
    Scale,
    Source,
)
from leadscore.errors import DefinitionProblem


TEXT = {"nl": "tekst", "en": "text"}
SOURCE = Source(document="tests")
FIVE = ResponseScale(min=1, max=5)


def item(item_id: str, response: ResponseScale = FIVE) -> Item:
    """An item with placeholder text."""
    return Item(id=item_id, text=TEXT, response=response, source=SOURCE)


def scale(scale_id: str, items: list[str], **kwargs: Any) -> Scale:
    """A mean scale needing one answer unless told otherwise."""
    return Scale(id=scale_id, title=TEXT, items=items, min_answered=kwargs.pop("min_answered", 1), **kwargs)


def instrument(**kwargs: Any) -> Instrument:
    """A two-item instrument, changed by *kwargs*."""
    fields: dict[str, Any] = {
        "id": "demo",
        "version": "1.0.0",
        "title": TEXT,
        "items": [item("a"), item("b")],
        "scales": [scale("both", ["a", "b"])],
    }
    fields.update(kwargs)
    return Instrument(**fields)


def messages(error: InvalidDefinitionError) -> list[str]:
    """Every problem's text, as ``str`` shows it."""
    return [str(problem) for problem in error.problems]


class TestInstrument:
    def test_valid_instrument_builds(self) -> None:
        """A consistent definition builds, with lists turned into tuples."""
        built = instrument()

        assert ("a", "b") == tuple(i.id for i in built.items)
        assert isinstance(built.scales, tuple)

    def test_error_when_item_ids_repeat(self) -> None:
        """A duplicate item id is rejected by name."""
        with pytest.raises(InvalidDefinitionError) as caught:
            instrument(items=[item("a"), item("a"), item("b")])

        assert ["item id 'a' is used twice @ $.items"] == messages(caught.value)

    def test_error_when_scale_and_composite_ids_repeat(self) -> None:
        """Scales and composites share one namespace."""
        both = Composite(id="both", title=TEXT, method="weighted_mean", parts=[Part(scale="one")])

        with pytest.raises(InvalidDefinitionError) as caught:
            instrument(scales=[scale("both", ["a", "b"]), scale("one", ["a"])], composites=[both])

        assert ["scale or composite id 'both' is used twice @ $"] == messages(caught.value)

    def test_error_when_scale_names_unknown_item(self) -> None:
        """A scale naming an item the instrument lacks is rejected with its path."""
        with pytest.raises(InvalidDefinitionError) as caught:
            instrument(scales=[scale("both", ["a", "b", "zz"])])

        assert ["scale 'both' names unknown item 'zz' @ $.scales[0].items[2]"] == messages(caught.value)

    def test_error_when_item_is_on_no_scale(self) -> None:
        """An item that no scale uses would never be scored, so it is rejected."""
        with pytest.raises(InvalidDefinitionError) as caught:
            instrument(scales=[scale("first", ["a"])])

        assert ["item 'b' is on no scale, so it would never be scored @ $.items"] == messages(caught.value)

    def test_error_when_no_scales(self) -> None:
        """An instrument with no scales scores nothing."""
        with pytest.raises(InvalidDefinitionError) as caught:
            instrument(items=[], scales=[])

        assert ["an instrument needs at least one scale @ $.scales"] == messages(caught.value)

    def test_error_when_scale_mixes_ranges(self) -> None:
        """Items of one scale must share one response range, so reverse keys and means mean one thing."""
        seven = ResponseScale(min=1, max=7)

        with pytest.raises(InvalidDefinitionError) as caught:
            instrument(
                items=[item("a"), item("b", seven)],
                scales=[scale("both", ["a", "b"], reverse_keyed=["b"])],
            )

        assert [
            (
                "scale 'both' mixes response ranges ('a' 1-5, 'b' 1-7); reverse keys and means need one "
                "range: split it into scales and combine them with a composite @ $.scales[0].items"
            )
        ] == messages(caught.value)

    def test_error_when_composites_form_a_cycle(self) -> None:
        """Composites that depend on each other are rejected, naming the cycle."""
        first = Composite(id="x", title=TEXT, method="weighted_mean", parts=[Part(scale="y")])
        second = Composite(id="y", title=TEXT, method="weighted_mean", parts=[Part(scale="x")])

        with pytest.raises(InvalidDefinitionError) as caught:
            instrument(composites=[first, second])

        assert ["composites form a cycle: x -> y -> x @ $.composites[0].parts"] == messages(caught.value)

    def test_error_when_composite_names_unknown_part(self) -> None:
        """A composite naming a score that does not exist is rejected."""
        broken = Composite(id="x", title=TEXT, method="weighted_mean", parts=[Part(scale="nope")])

        with pytest.raises(InvalidDefinitionError) as caught:
            instrument(composites=[broken])

        assert ["composite 'x' names unknown scale or composite 'nope' @ $.composites[0].parts[0].scale"] == messages(
            caught.value
        )

    def test_error_lists_every_problem_at_once(self) -> None:
        """Several problems are reported together, in one error."""
        with pytest.raises(InvalidDefinitionError) as caught:
            instrument(id="Bad Id", version="v1", scales=[scale("both", ["a", "zz"])])

        assert [
            (
                "instrument id must be a string of lowercase letters and digits, joined by single '-', "
                "'_' or '.' (got 'Bad Id') @ $.id"
            ),
            "version must be a semantic version such as '1.0.0' (got 'v1') @ $.version",
            "scale 'both' names unknown item 'zz' @ $.scales[0].items[1]",
            "item 'b' is on no scale, so it would never be scored @ $.items",
        ] == messages(caught.value)

    def test_error_is_a_leadscore_error_and_a_value_error(self) -> None:
        """Callers can catch the root error or the builtin it matches."""
        with pytest.raises(InvalidDefinitionError) as caught:
            instrument(version="1")

        assert isinstance(caught.value, LeadscoreError)
        assert isinstance(caught.value, ValueError)
        assert isinstance(caught.value, ExceptionGroup)

    def test_except_star_splits_definition_problems(self) -> None:
        """The error is an ExceptionGroup of DefinitionProblem, so except* works on it."""
        caught: list[BaseException] = []
        try:
            instrument(version="1")
        except* DefinitionProblem as group:
            caught.extend(group.exceptions)

        assert ["version must be a semantic version such as '1.0.0' (got '1') @ $.version"] == [str(p) for p in caught]

    def test_evolve_checks_again(self) -> None:
        """attrs.evolve builds a new instrument, so it is checked again."""
        with pytest.raises(InvalidDefinitionError):
            attrs.evolve(instrument(), items=(item("a"),))

    def test_error_when_fields_have_wrong_types(self) -> None:
        """Objects built in code are checked too, without coercion."""
        with pytest.raises(InvalidDefinitionError) as caught:
            instrument(items="ab")

        assert ["items must be a tuple (got 'ab') @ $.items"] == messages(caught.value)

    def test_item_lookup_and_score_range(self) -> None:
        """An instrument finds its items and reports each score's range."""
        built = instrument()

        assert "a" == built.item("a").id
        assert (1.0, 5.0) == built.score_range("both")
        with pytest.raises(KeyError):
            built.item("zz")


class TestScale:
    @pytest.mark.parametrize("minimum", [0, 1, 2])
    def test_error_when_empty(self, minimum: int) -> None:
        """A scale with no items is told so, and only so: no minimum fits it."""
        with pytest.raises(InvalidDefinitionError) as caught:
            scale("s", [], min_answered=minimum)

        assert ["scale 's' has no items @ $.items"] == messages(caught.value)

    @pytest.mark.parametrize("minimum", [0, 3])
    def test_error_when_minimum_out_of_range(self, minimum: int) -> None:
        """The minimum answered items must be from 1 to the number of items."""
        with pytest.raises(InvalidDefinitionError) as caught:
            scale("s", ["a", "b"], min_answered=minimum)

        assert [f"scale 's' must require from 1 to 2 answered items (got {minimum}) @ $.min_answered"] == messages(
            caught.value
        )

    def test_error_when_reverse_keying_a_stranger(self) -> None:
        """Only the scale's own items can be reverse-keyed, each once."""
        with pytest.raises(InvalidDefinitionError) as caught:
            scale("s", ["a", "a"], reverse_keyed=["b", "b"])

        assert [
            "scale 's' names item 'a' twice @ $.items",
            "scale 's' reverse-keys 'b', which is not one of its items @ $.reverse_keyed[0]",
            "scale 's' reverse-keys 'b', which is not one of its items @ $.reverse_keyed[1]",
            "scale 's' reverse-keys 'b' twice @ $.reverse_keyed",
        ] == messages(caught.value)

    def test_error_when_fields_have_wrong_types(self) -> None:
        """A string is not a list of items, nor a minimum."""
        with pytest.raises(InvalidDefinitionError) as caught:
            Scale(id="s", title=TEXT, items="ab", reverse_keyed="b", min_answered="1")  # type: ignore[arg-type]

        assert [
            "items of scale 's' must be a tuple (got 'ab') @ $.items",
            "reverse_keyed of scale 's' must be a tuple (got 'b') @ $.reverse_keyed",
            "min_answered of scale 's' must be an integer (got '1') @ $.min_answered",
        ] == messages(caught.value)

    def test_error_when_method_unknown(self) -> None:
        """The method is one of mean, sum and pomp."""
        with pytest.raises(InvalidDefinitionError) as caught:
            scale("s", ["a"], method="median")

        assert ["method of scale 's' must be one of ('mean', 'sum', 'pomp') (got 'median') @ $.method"] == messages(
            caught.value
        )


class TestResponseScale:
    def test_error_when_min_not_below_max(self) -> None:
        """A range needs min below max."""
        with pytest.raises(InvalidDefinitionError) as caught:
            ResponseScale(min=5, max=5)

        assert ["response min must be below max (got min 5 and max 5) @ $"] == messages(caught.value)

    def test_error_when_bounds_are_not_integers(self) -> None:
        """Bounds are integers; True and 4.0 are not."""
        with pytest.raises(InvalidDefinitionError) as caught:
            ResponseScale(min=True, max=4.0)  # type: ignore[arg-type]

        assert [
            "response min must be an integer (got True) @ $.min",
            "response max must be an integer (got 4.0) @ $.max",
        ] == messages(caught.value)

    def test_error_when_labels_or_not_applicable_clash_with_range(self) -> None:
        """Labels lie inside the range, once each; the not-applicable code lies outside."""
        with pytest.raises(InvalidDefinitionError) as caught:
            ResponseScale(
                min=1,
                max=5,
                labels=[
                    PointLabel(value=6, text=TEXT),
                    PointLabel(value=2, text=TEXT),
                    PointLabel(value=2, text=TEXT),
                ],
                not_applicable=NotApplicable(code=3, label=TEXT),
            )

        assert [
            "label value must be from 1 to 5 (got 6) @ $.labels[0].value",
            "point 2 is labelled twice @ $.labels",
            "not-applicable code must lie outside 1 to 5 (got 3) @ $.not_applicable.code",
        ] == messages(caught.value)

    def test_label_lookup(self) -> None:
        """A point's label is found by value; unlabelled points have none."""
        labelled = ResponseScale(min=1, max=2, labels=[PointLabel(value=1, text={"en": "never"})])

        assert "never" == labelled.label(1).get("en")  # type: ignore[union-attr]
        assert labelled.label(2) is None


class TestBands:
    def bands(self, *edges: tuple[float, float]) -> list[Band]:
        """Bands with the given (lower, upper) bounds."""
        return [Band(id=f"b{i}", label=TEXT, lower=low, upper=high) for i, (low, high) in enumerate(edges)]

    def test_bands_that_cover_the_range_are_accepted(self) -> None:
        """Contiguous bands from the lowest to the highest score build."""
        built = instrument(scales=[scale("both", ["a", "b"], bands=self.bands((1, 3), (3, 5)))])

        assert ("b0", "b1") == tuple(band.id for band in built.scales[0].bands)

    @pytest.mark.parametrize(
        ("edges", "expected"),
        [
            (
                ((1, 2.5), (3, 5)),
                [
                    "bands of 'both' have a gap between 'b0' (up to 2.5) and 'b1' (from 3.0) @ $.scales[0].bands[1].lower"
                ],
            ),
            (
                ((1, 3.5), (3, 5)),
                [
                    "bands of 'both' have an overlap between 'b0' (up to 3.5) and 'b1' (from 3.0) @ $.scales[0].bands[1].lower"
                ],
            ),
            (
                ((0, 3), (3, 6)),
                [
                    "bands of 'both' must start at its lowest score 1.0 (got 0.0) @ $.scales[0].bands[0].lower",
                    "bands of 'both' must end at its highest score 5.0 (got 6.0) @ $.scales[0].bands[1].upper",
                ],
            ),
        ],
    )
    def test_error_when_bands_leave_gaps_overlap_or_miss_the_range(
        self, edges: tuple[tuple[float, float], ...], expected: list[str]
    ) -> None:
        """Bands must follow each other exactly and cover the scale's whole range."""
        with pytest.raises(InvalidDefinitionError) as caught:
            instrument(scales=[scale("both", ["a", "b"], bands=self.bands(*edges))])

        assert expected == messages(caught.value)

    def test_sum_scale_bands_cover_the_sum_range(self) -> None:
        """A sum scale's range is the item range times its number of items."""
        with pytest.raises(InvalidDefinitionError) as caught:
            instrument(scales=[scale("both", ["a", "b"], method="sum", bands=self.bands((1, 5)))])

        assert [
            "bands of 'both' must start at its lowest score 2.0 (got 1.0) @ $.scales[0].bands[0].lower",
            "bands of 'both' must end at its highest score 10.0 (got 5.0) @ $.scales[0].bands[0].upper",
        ] == messages(caught.value)

    def test_error_when_band_is_empty_or_not_finite(self) -> None:
        """A band's bounds are finite numbers with lower below upper."""
        with pytest.raises(InvalidDefinitionError) as caught:
            Band(id="x", label=TEXT, lower=2, upper=float("inf"))
        with pytest.raises(InvalidDefinitionError) as caught_empty:
            Band(id="y", label=TEXT, lower=2, upper=2)

        assert ["upper bound of band 'x' must be finite (got inf) @ $.upper"] == messages(caught.value)
        assert ["band 'y' must have lower below upper (got 2.0 and 2.0) @ $"] == messages(caught_empty.value)

    def test_error_when_band_ids_repeat(self) -> None:
        """A scale's bands have distinct ids."""
        twice = [
            Band(id="same", label=TEXT, lower=1, upper=3),
            Band(id="same", label=TEXT, lower=3, upper=5),
        ]

        with pytest.raises(InvalidDefinitionError) as caught:
            instrument(scales=[scale("both", ["a", "b"], bands=twice)])

        assert ["'both' has band 'same' twice @ $.scales[0].bands"] == messages(caught.value)


class TestComposite:
    def test_difference_needs_two_unweighted_parts(self) -> None:
        """A difference is first minus second: exactly two parts, no weights."""
        with pytest.raises(InvalidDefinitionError) as caught:
            Composite(id="d", title=TEXT, method="difference", parts=[Part(scale="a", weight=2)])

        assert [
            "difference 'd' needs exactly 2 parts (got 1) @ $.parts",
            "difference 'd' takes no weights (got 2.0 for 'a') @ $.parts[0].weight",
        ] == messages(caught.value)

    def test_error_when_parts_empty_repeated_or_method_unknown(self) -> None:
        """A composite has parts, each once, and a known method."""
        with pytest.raises(InvalidDefinitionError) as caught:
            Composite(id="c", title=TEXT, method="median", parts=[])  # type: ignore[arg-type]
        with pytest.raises(InvalidDefinitionError) as caught_twice:
            Composite(id="c", title=TEXT, method="weighted_mean", parts=[Part(scale="a"), Part(scale="a")])

        assert [
            "method of composite 'c' must be one of ('weighted_mean', 'difference') (got 'median') @ $.method",
            "composite 'c' has no parts @ $.parts",
        ] == messages(caught.value)
        assert ["composite 'c' names 'a' twice @ $.parts"] == messages(caught_twice.value)

    def test_error_when_parts_are_not_a_list(self) -> None:
        """Parts are a list of Part objects."""
        with pytest.raises(InvalidDefinitionError) as caught:
            Composite(id="c", title=TEXT, method="weighted_mean", parts="a")

        assert ["parts of composite 'c' must be a tuple (got 'a') @ $.parts"] == messages(caught.value)

    @pytest.mark.parametrize("weight", [0, -1.5, float("nan"), True])
    def test_error_when_weight_not_positive_finite(self, weight: Any) -> None:
        """Weights are finite numbers above 0; a bool is not a number."""
        with pytest.raises(InvalidDefinitionError):
            Part(scale="a", weight=weight)

    def test_composite_ranges(self) -> None:
        """A weighted mean spans the weighted mean of its parts' ranges; a difference spans
        first's low minus second's high to first's high minus second's low.
        """
        built = instrument(
            items=[item("a"), item("b", ResponseScale(min=0, max=10))],
            scales=[scale("x", ["a"]), scale("y", ["b"])],
            composites=[
                Composite(
                    id="m",
                    title=TEXT,
                    method="weighted_mean",
                    parts=[Part(scale="x", weight=3), Part(scale="y")],
                ),
                Composite(
                    id="d",
                    title=TEXT,
                    method="difference",
                    parts=[Part(scale="x"), Part(scale="y")],
                ),
            ],
        )

        assert (0.75, 6.25) == built.score_range("m")
        assert (-9.0, 5.0) == built.score_range("d")
        assert (1, 5) == built.scale_response("x")
        assert ["m", "d"] == [composite.id for composite in built.composite_order]
        with pytest.raises(KeyError):
            built.score_range("nope")

    def test_composites_are_ordered_parts_first(self) -> None:
        """A composite listed before the composite it is made of is computed after it."""
        built = instrument(
            composites=[
                Composite(
                    id="outer", title=TEXT, method="weighted_mean", parts=[Part(scale="inner"), Part(scale="both")]
                ),
                Composite(id="inner", title=TEXT, method="weighted_mean", parts=[Part(scale="both")]),
            ]
        )

        assert ["inner", "outer"] == [composite.id for composite in built.composite_order]


class TestLocalizedText:
    def test_text_is_sorted_by_language_and_looked_up_with_fallbacks(self) -> None:
        """Translations compare alike whatever their order; get() falls back in order."""
        text = LocalizedText({"nl": "kalm", "en": "calm"})

        assert LocalizedText({"en": "calm", "nl": "kalm"}) == text
        assert ("en", "nl") == text.languages
        assert "calm" == text.get("de", "en")
        assert {"en": "calm", "nl": "kalm"} == text.as_dict()
        with pytest.raises(KeyError):
            text.get("de")

    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ({}, ["text must be a non-empty mapping of language to text (got ()) @ $"]),
            ({"NL": "x"}, ["language must be a tag such as 'nl' or 'en' (got 'NL') @ $"]),
            ({"nl": "  "}, ["text in 'nl' must be a non-empty string (got '  ') @ $['nl']"]),
            ([("nl", "a"), ("nl", "b")], ["language 'nl' is given twice @ $"]),
            ("nl", ["text must be a non-empty mapping of language to text (got 'nl') @ $"]),
        ],
    )
    def test_error_when_text_is_empty_or_badly_tagged(self, value: Any, expected: list[str]) -> None:
        """Every text has at least one language, valid tags, and no blank text."""
        with pytest.raises(InvalidDefinitionError) as caught:
            LocalizedText(value)

        assert expected == messages(caught.value)


class TestSourceAndItem:
    def test_error_when_source_is_blank(self) -> None:
        """Every item records a source document."""
        with pytest.raises(InvalidDefinitionError) as caught:
            Source(document=" ", section=3)  # type: ignore[arg-type]

        assert [
            "source document must not be empty @ $.document",
            "source section must be a string (got 3) @ $.section",
        ] == messages(caught.value)

    def test_error_when_item_fields_are_wrong(self) -> None:
        """An item checks its id, text, response scale, source and poles."""
        with pytest.raises(InvalidDefinitionError) as caught:
            Item(id="A", text="plain", response=None, source=None, low=5)  # type: ignore[arg-type]

        assert [
            (
                "item id must be a string of lowercase letters and digits, joined by single '-', '_' or '.' "
                "(got 'A') @ $.id"
            ),
            "text of item 'A' must be a LocalizedText (got 'plain') @ $.text",
            "response of item 'A' must be a ResponseScale (got None) @ $.response",
            "source of item 'A' must be a Source (got None) @ $.source",
            "low pole of item 'A' must be a LocalizedText (got 5) @ $.low",
        ] == messages(caught.value)


WRONG_TYPES: list[tuple[Any, str, list[str]]] = [
    (
        lambda: PointLabel(value="1", text="x"),  # type: ignore[arg-type]
        "invalid point label (2 problem(s)):",
        ["label value must be an integer (got '1') @ $.value", "label text must be a LocalizedText (got 'x') @ $.text"],
    ),
    (
        lambda: NotApplicable(code=1.0, label=5),  # type: ignore[arg-type]
        "invalid not-applicable answer (2 problem(s)):",
        [
            "not-applicable code must be an integer (got 1.0) @ $.code",
            "not-applicable label must be a LocalizedText (got 5) @ $.label",
        ],
    ),
    (
        lambda: Band(id="B", label=3, lower="0", upper=None, description=4),
        "invalid band 'B' (5 problem(s)):",
        [
            "band id must be a string of lowercase letters and digits, joined by single '-', '_' or '.' (got 'B') @ $.id",
            "label of band 'B' must be a LocalizedText (got 3) @ $.label",
            "lower bound of band 'B' must be a number (got '0') @ $.lower",
            "upper bound of band 'B' must be a number (got None) @ $.upper",
            "band description must be a LocalizedText (got 4) @ $.description",
        ],
    ),
    (
        lambda: Part(scale="X", weight="1"),
        "invalid part 'X' (2 problem(s)):",
        [
            "part scale must be a string of lowercase letters and digits, joined by single '-', '_' or '.' (got 'X') @ $.scale",
            "weight of 'X' must be a number (got '1') @ $.weight",
        ],
    ),
    (
        lambda: Source(document=3, section=4, note=5),  # type: ignore[arg-type]
        "invalid source (3 problem(s)):",
        [
            "source document must be a string (got 3) @ $.document",
            "source section must be a string (got 4) @ $.section",
            "source note must be a string (got 5) @ $.note",
        ],
    ),
    (
        lambda: ResponseScale(min=1, max=5, labels="x", not_applicable="n/a"),  # type: ignore[arg-type]
        "invalid response scale (2 problem(s)):",
        [
            "labels must be a tuple (got 'x') @ $.labels",
            "not_applicable must be a NotApplicable (got 'n/a') @ $.not_applicable",
        ],
    ),
    (
        lambda: Scale(id="s", title=TEXT, items=[1], reverse_keyed=[2], min_answered=1, description=5),
        "invalid scale 's' (3 problem(s)):",
        [
            "each of items of scale 's' must be a string (got 1) @ $.items[0]",
            "each of reverse_keyed of scale 's' must be a string (got 2) @ $.reverse_keyed[0]",
            "scale description must be a LocalizedText (got 5) @ $.description",
        ],
    ),
    (
        lambda: Composite(id="C", title=7, method="weighted_mean", parts=["a"], description=5),
        "invalid composite 'C' (4 problem(s)):",
        [
            "composite id must be a string of lowercase letters and digits, joined by single '-', '_' or '.' (got 'C') @ $.id",
            "title of composite 'C' must be a LocalizedText (got 7) @ $.title",
            "each of parts of composite 'C' must be a Part (got 'a') @ $.parts[0]",
            "composite description must be a LocalizedText (got 5) @ $.description",
        ],
    ),
    (
        lambda: instrument(version=1, title=2, description=3, notes=4, sources=[5], composites="c"),
        "invalid instrument 'demo' (6 problem(s)):",
        [
            "version must be a string (got 1) @ $.version",
            "title must be a LocalizedText (got 2) @ $.title",
            "description must be a LocalizedText (got 3) @ $.description",
            "notes must be a LocalizedText (got 4) @ $.notes",
            "each of sources must be a Source (got 5) @ $.sources[0]",
            "composites must be a tuple (got 'c') @ $.composites",
        ],
    ),
    (
        lambda: instrument(items=[5], scales=["s"]),
        "invalid instrument 'demo' (2 problem(s)):",
        [
            "each of items must be an Item (got 5) @ $.items[0]",
            "each of scales must be a Scale (got 's') @ $.scales[0]",
        ],
    ),
]


@pytest.mark.parametrize(("make", "header", "expected"), WRONG_TYPES, ids=[row[1] for row in WRONG_TYPES])
def test_error_when_objects_are_built_with_wrong_types(make: Any, header: str, expected: list[str]) -> None:
    """Objects built in code report every wrong type with its path, under a header naming the object."""
    with pytest.raises(InvalidDefinitionError) as caught:
        make()

    assert header == str(caught.value).splitlines()[0]
    assert expected == messages(caught.value)


def test_a_text_in_neither_language_asked_nor_english_nor_dutch_is_shown_in_its_first() -> None:
    """An instrument only in German is shown in German to a reader of French: never a KeyError."""
    text = LocalizedText({"de": "Frage", "fr-CA": "Question"})

    assert ("Frage", "Question") == (text.shown_in("it"), text.shown_in("fr-CA"))
