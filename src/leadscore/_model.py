"""
The definition of an instrument: items, response scales, scales, composites and bands.

Every class is a frozen attrs class that checks itself when it is built and collects every
problem before raising `InvalidDefinitionError`, so an instrument that cannot be scored
correctly cannot exist. Change one with `attrs.evolve`, which checks again.
"""

from __future__ import annotations

import math

from collections.abc import Mapping
from fractions import Fraction
from itertools import pairwise
from typing import Any, Final, Literal, NamedTuple

from attrs import field, frozen

from leadscore._checks import (
    SEMVER,
    WEIGHT_DECIMALS,
    Problems,
    duplicates,
    quoted,
    to_float,
    to_tuple,
    weight_ratio,
    within_decimals,
)
from leadscore._text import LocalizedText, check_text, to_text


__all__ = [
    "Band",
    "Composite",
    "CompositeMethod",
    "Instrument",
    "Item",
    "NotApplicable",
    "Part",
    "PointLabel",
    "ResponseScale",
    "Scale",
    "ScaleMethod",
    "Source",
]

ScaleMethod = Literal["mean", "sum", "pomp"]
CompositeMethod = Literal["weighted_mean", "difference"]
SCALE_METHODS: Final = ("mean", "sum", "pomp")
COMPOSITE_METHODS: Final = ("weighted_mean", "difference")


@frozen(kw_only=True)
class Source:
    """
    Where a text or an item comes from.

    Attributes:
        document: The source document (a citation, or a file name such as
            ``seeds/000_800bd84f20daa2ee.txt``).
        section: The section, page or heading within it, if any.
        note: How the text was taken (for example "translation ours").

    .. versionadded:: 0.1.0
    """

    document: str
    section: str | None = None
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        """Check that the document is named and the rest are strings."""
        problems = Problems()
        if problems.check_type(self.document, str, "$.document", "source document") and not self.document.strip():
            problems.add("source document must not be empty", "$.document")
        for name in ("section", "note"):
            value = getattr(self, name)
            if value is not None:
                problems.check_type(value, str, f"$.{name}", f"source {name}")
        problems.raise_if_any("source")


@frozen(kw_only=True)
class PointLabel:
    """
    The label of one point of a response scale, such as ``5 = "altijd" / "always"``.

    .. versionadded:: 0.1.0
    """

    value: int
    text: LocalizedText = field(converter=to_text)

    def __attrs_post_init__(self) -> None:
        """Check the types."""
        problems = Problems()
        problems.check_answer(self.value, "$.value", "label value")
        check_text(problems, self.text, "$.text", "label text")
        problems.raise_if_any("point label")


@frozen(kw_only=True)
class NotApplicable:
    """
    A declared "not applicable" answer: a code outside the scale's range and its label.

    An answer with this code is counted as not applicable and left out of every score.

    .. versionadded:: 0.1.0
    """

    code: int
    label: LocalizedText = field(converter=to_text)

    def __attrs_post_init__(self) -> None:
        """Check the types."""
        problems = Problems()
        problems.check_answer(self.code, "$.code", "not-applicable code")
        check_text(problems, self.label, "$.label", "not-applicable label")
        problems.raise_if_any("not-applicable answer")


@frozen(kw_only=True)
class ResponseScale:
    """
    The answers an item takes: the integers from `min` to `max`, optionally labelled.

    Attributes:
        min: The lowest answer.
        max: The highest answer; above `min`.
        labels: Labels for some or all points, each point at most once.
        not_applicable: An optional "not applicable" answer, outside the range.

    .. versionadded:: 0.1.0
    """

    min: int
    max: int
    labels: tuple[PointLabel, ...] = field(default=(), converter=to_tuple)
    not_applicable: NotApplicable | None = None

    def __attrs_post_init__(self) -> None:
        """Check the range, the labels and the not-applicable code against each other."""
        problems = Problems()
        ok = problems.check_answer(self.min, "$.min", "response min")
        ok = problems.check_answer(self.max, "$.max", "response max") and ok
        if ok and self.min >= self.max:
            problems.add(f"response min must be below max (got min {self.min} and max {self.max})", "$")
        if problems.check_items(self.labels, PointLabel, "$.labels", "labels") and ok:
            for index, label in enumerate(self.labels):
                if not self.min <= label.value <= self.max:
                    problems.add(
                        f"label value must be from {self.min} to {self.max} (got {label.value})",
                        f"$.labels[{index}].value",
                    )
            for value in duplicates(str(label.value) for label in self.labels):
                problems.add(f"point {value} is labelled twice", "$.labels")
        na = self.not_applicable
        if (
            na is not None
            and problems.check_type(na, NotApplicable, "$.not_applicable", "not_applicable")
            and ok
            and self.min <= na.code <= self.max
        ):
            problems.add(
                f"not-applicable code must lie outside {self.min} to {self.max} (got {na.code})",
                "$.not_applicable.code",
            )
        problems.raise_if_any("response scale")

    def label(self, value: int) -> LocalizedText | None:
        """Return the label of *value*, or None if it has none."""
        for point in self.labels:
            if point.value == value:
                return point.text
        return None


@frozen(kw_only=True)
class Item:
    """
    One question or statement that a person answers.

    Attributes:
        id: Unique among the instrument's items.
        text: The statement, in Dutch and English (and any other language).
        response: The answers it takes.
        source: Where the text comes from.
        low: What the lowest answer means, for bipolar items ("X vs Y").
        high: What the highest answer means.

    .. versionadded:: 0.1.0
    """

    id: str
    text: LocalizedText = field(converter=to_text)
    response: ResponseScale
    source: Source
    low: LocalizedText | None = field(default=None, converter=to_text)
    high: LocalizedText | None = field(default=None, converter=to_text)

    def __attrs_post_init__(self) -> None:
        """Check the types."""
        problems = Problems()
        problems.check_slug(self.id, "$.id", "item id")
        check_text(problems, self.text, "$.text", f"text of item {quoted(self.id)}")
        problems.check_type(self.response, ResponseScale, "$.response", f"response of item {quoted(self.id)}")
        problems.check_type(self.source, Source, "$.source", f"source of item {quoted(self.id)}")
        check_text(problems, self.low, "$.low", f"low pole of item {quoted(self.id)}", optional=True)
        check_text(problems, self.high, "$.high", f"high pole of item {quoted(self.id)}", optional=True)
        problems.raise_if_any(f"item {quoted(self.id)}")


@frozen(kw_only=True)
class Band:
    """
    A descriptive label for the scores from `lower` up to `upper`.

    A score belongs to the band whose `lower` it reaches and whose `upper` it stays below;
    the top band also holds its `upper`. The bands of one scale must follow each other
    without gap or overlap and cover its whole range. Bands describe; they are not norms.

    A band's `description` is its narrative: what the report says to a person whose score
    falls in it. `source` says where that text comes from; a text that is the instrument
    author's own reading says so in the source's ``note`` (for example "interpretation of
    the instrument's authors"). The conformance kit asks for a description and a source on
    every band of an instrument where any band has a description.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *source*.
    """

    id: str
    label: LocalizedText = field(converter=to_text)
    lower: float = field(converter=to_float)
    upper: float = field(converter=to_float)
    description: LocalizedText | None = field(default=None, converter=to_text)
    source: Source | None = None

    def __attrs_post_init__(self) -> None:
        """Check the types and that the band is not empty."""
        problems = Problems()
        problems.check_slug(self.id, "$.id", "band id")
        check_text(problems, self.label, "$.label", f"label of band {quoted(self.id)}")
        ok = problems.check_number(self.lower, "$.lower", f"lower bound of band {quoted(self.id)}")
        ok = problems.check_number(self.upper, "$.upper", f"upper bound of band {quoted(self.id)}") and ok
        if ok and not self.lower < self.upper:
            got = f"got {quoted(self.lower)} and {quoted(self.upper)}"
            problems.add(f"band {quoted(self.id)} must have lower below upper ({got})")
        check_text(problems, self.description, "$.description", "band description", optional=True)
        if self.source is not None:
            problems.check_type(self.source, Source, "$.source", "band source")
        problems.raise_if_any(f"band {quoted(self.id)}")


def _check_bands(problems: Problems, owner: str, bands: Any, span: tuple[float, float], path: str) -> None:
    """Check that *bands* follow each other without gap or overlap over the range *span*."""
    low, high = span
    if not problems.check_items(bands, Band, path, f"bands of {quoted(owner)}") or not bands:
        return
    for band_id in duplicates(band.id for band in bands):
        problems.add(f"{quoted(owner)} has band {quoted(band_id)} twice", path)
    if not math.isclose(bands[0].lower, low, rel_tol=1e-9, abs_tol=1e-9):
        problems.add(
            f"bands of {quoted(owner)} must start at its lowest score {quoted(low)} (got {quoted(bands[0].lower)})",
            f"{path}[0].lower",
        )
    for index, (below, above) in enumerate(pairwise(bands), start=1):
        if below.upper != above.lower:
            kind = "a gap" if below.upper < above.lower else "an overlap"
            problems.add(
                f"bands of {quoted(owner)} have {kind} between {quoted(below.id)} (up to {quoted(below.upper)}) "
                f"and {quoted(above.id)} (from {quoted(above.lower)})",
                f"{path}[{index}].lower",
            )
    if not math.isclose(bands[-1].upper, high, rel_tol=1e-9, abs_tol=1e-9):
        problems.add(
            f"bands of {quoted(owner)} must end at its highest score {quoted(high)} (got {bands[-1].upper!r})",
            f"{path}[{len(bands) - 1}].upper",
        )


@frozen(kw_only=True)
class Scale:
    """
    A score made from items.

    Attributes:
        id: Unique among the instrument's scales and composites.
        title: The scale's name.
        items: The ids of its items, each once.
        reverse_keyed: The ids of its items scored reversed, as ``min + max - answer``.
        min_answered: The fewest answered items that give a score; below it the score is None.
        method: ``"mean"`` (default), ``"sum"`` (prorated: mean x number of items) or
            ``"pomp"`` (percent of maximum possible, 0 to 100).
        bands: Optional descriptive bands over the scale's range.
        description: Optional longer text.

    .. versionadded:: 0.1.0
    """

    id: str
    title: LocalizedText = field(converter=to_text)
    items: tuple[str, ...] = field(converter=to_tuple)
    reverse_keyed: tuple[str, ...] = field(default=(), converter=to_tuple)
    min_answered: int
    method: ScaleMethod = "mean"
    bands: tuple[Band, ...] = field(default=(), converter=to_tuple)
    description: LocalizedText | None = field(default=None, converter=to_text)
    # The reverse-keyed ids as a set: a tuple search per item made a long scale quadratic.
    _reversed: frozenset[str] = field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        """Check what can be checked without the instrument's items."""
        problems = Problems()
        problems.check_slug(self.id, "$.id", "scale id")
        check_text(problems, self.title, "$.title", f"title of scale {quoted(self.id)}")
        if problems.check_items(self.items, str, "$.items", f"items of scale {quoted(self.id)}"):
            if not self.items:
                problems.add(f"scale {quoted(self.id)} has no items", "$.items")
            for item_id in duplicates(self.items):
                problems.add(f"scale {quoted(self.id)} names item {quoted(item_id)} twice", "$.items")
        reverse_keyed = f"reverse_keyed of scale {quoted(self.id)}"
        if problems.check_items(self.reverse_keyed, str, "$.reverse_keyed", reverse_keyed):
            items: Any = self.items  # Whatever came in, whatever its annotation says.
            members = frozenset(items) if problems.is_tuple(items) and all(isinstance(i, str) for i in items) else None
            for index, item_id in enumerate(self.reverse_keyed):
                if members is not None and item_id not in members:
                    problems.add(
                        f"scale {quoted(self.id)} reverse-keys {quoted(item_id)}, which is not one of its items",
                        f"$.reverse_keyed[{index}]",
                    )
            for item_id in duplicates(self.reverse_keyed):
                problems.add(f"scale {quoted(self.id)} reverse-keys {quoted(item_id)} twice", "$.reverse_keyed")
            object.__setattr__(self, "_reversed", frozenset(self.reverse_keyed))
        if problems.check_type(self.min_answered, int, "$.min_answered", f"min_answered of scale {quoted(self.id)}"):
            count = len(self.items) if problems.is_tuple(self.items) else 0
            # A scale with no items is told so above; no minimum fits it.
            if count and not 1 <= self.min_answered <= count:
                problems.add(
                    f"scale {quoted(self.id)} must require from 1 to {count} answered items "
                    f"(got {quoted(self.min_answered)})",
                    "$.min_answered",
                )
        if self.method not in SCALE_METHODS:
            problems.add(
                f"method of scale {quoted(self.id)} must be one of {quoted(SCALE_METHODS)} (got {quoted(self.method)})",
                "$.method",
            )
        check_text(problems, self.description, "$.description", "scale description", optional=True)
        problems.raise_if_any(f"scale {quoted(self.id)}")

    def is_reversed(self, item_id: str) -> bool:
        """Return whether *item_id* is reverse-keyed on this scale."""
        return item_id in self._reversed


@frozen(kw_only=True)
class Part:
    """
    One scale or composite that a composite is made from, with its weight.

    .. versionadded:: 0.1.0
    """

    scale: str
    weight: float = field(default=1.0, converter=to_float)

    def __attrs_post_init__(self) -> None:
        """Check the id and that the weight is a positive, finite number."""
        problems = Problems()
        problems.check_slug(self.scale, "$.scale", "part scale")
        if problems.check_number(self.weight, "$.weight", f"weight of {quoted(self.scale)}"):
            if self.weight <= 0:
                problems.add(f"weight of {quoted(self.scale)} must be above 0 (got {quoted(self.weight)})", "$.weight")
            elif not within_decimals(self.weight, WEIGHT_DECIMALS):
                problems.add(
                    f"weight of {quoted(self.scale)} must have at most {WEIGHT_DECIMALS} decimals, so that scores are "
                    f"exact in every back end (got {quoted(self.weight)})",
                    "$.weight",
                )
        problems.raise_if_any(f"part {quoted(self.scale)}")


@frozen(kw_only=True)
class Composite:
    """
    A score made from other scores (scales or composites).

    Attributes:
        id: Unique among the instrument's scales and composites.
        title: The composite's name.
        method: ``"weighted_mean"`` of its parts, or ``"difference"``: the first of exactly
            two parts minus the second (weights must be 1).
        parts: The scores it combines, each once.
        bands: Optional descriptive bands over its range.
        description: Optional longer text.

    A composite is None when any of its parts is None.

    .. versionadded:: 0.1.0
    """

    id: str
    title: LocalizedText = field(converter=to_text)
    method: CompositeMethod
    parts: tuple[Part, ...] = field(converter=to_tuple)
    bands: tuple[Band, ...] = field(default=(), converter=to_tuple)
    description: LocalizedText | None = field(default=None, converter=to_text)

    def __attrs_post_init__(self) -> None:
        """Check what can be checked without the other scores."""
        problems = Problems()
        problems.check_slug(self.id, "$.id", "composite id")
        check_text(problems, self.title, "$.title", f"title of composite {quoted(self.id)}")
        if self.method not in COMPOSITE_METHODS:
            problems.add(
                f"method of composite {quoted(self.id)} must be one of {quoted(COMPOSITE_METHODS)} "
                f"(got {quoted(self.method)})",
                "$.method",
            )
        if problems.check_items(self.parts, Part, "$.parts", f"parts of composite {quoted(self.id)}"):
            if not self.parts:
                problems.add(f"composite {quoted(self.id)} has no parts", "$.parts")
            for scale_id in duplicates(part.scale for part in self.parts):
                problems.add(f"composite {quoted(self.id)} names {quoted(scale_id)} twice", "$.parts")
            if self.method == "difference":
                if len(self.parts) != 2:
                    problems.add(
                        f"difference {quoted(self.id)} needs exactly 2 parts (got {len(self.parts)})",
                        "$.parts",
                    )
                for index, part in enumerate(self.parts):
                    if part.weight != 1.0:
                        problems.add(
                            f"difference {quoted(self.id)} takes no weights "
                            f"(got {quoted(part.weight)} for {quoted(part.scale)})",
                            f"$.parts[{index}].weight",
                        )
        check_text(problems, self.description, "$.description", "composite description", optional=True)
        problems.raise_if_any(f"composite {quoted(self.id)}")


@frozen(kw_only=True)
class Instrument:
    """
    A questionnaire and the rules that score it.

    Attributes:
        id: The instrument's id, a slug such as ``secure-base-leadership``.
        version: A semantic version (``1.0.0``); change it whenever scoring changes.
        title: The instrument's name.
        items: The items, each id once.
        scales: The scales; every item is on at least one.
        composites: Scores made from scales and other composites, without cycles.
        description: Optional longer text.
        sources: Where the instrument comes from.
        notes: Anything a user must know to read the scores, such as which parts are the
            authors' interpretation rather than a source's.

    .. versionadded:: 0.1.0
    """

    id: str
    version: str
    title: LocalizedText = field(converter=to_text)
    items: tuple[Item, ...] = field(converter=to_tuple)
    scales: tuple[Scale, ...] = field(converter=to_tuple)
    composites: tuple[Composite, ...] = field(default=(), converter=to_tuple)
    description: LocalizedText | None = field(default=None, converter=to_text)
    sources: tuple[Source, ...] = field(default=(), converter=to_tuple)
    notes: LocalizedText | None = field(default=None, converter=to_text)
    # What validation works out once: every score's range and the order composites are
    # computed in (parts first). Not part of the definition: not compared, not serialized.
    _derived: Derived = field(init=False, eq=False, repr=False, hash=False)
    # Cache slots that other layers fill on first use, the model never reads: the compiled
    # plan (scoring) and the fingerprint (leadscore._canonical). An instrument is immutable,
    # so neither can go stale.
    _compiled: Any = field(init=False, default=None, eq=False, repr=False, hash=False)
    _fingerprint: str | None = field(init=False, default=None, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        """Check every id, reference and range against the others; raise with all problems."""
        problems = Problems()
        problems.check_slug(self.id, "$.id", "instrument id")
        if problems.check_type(self.version, str, "$.version", "version") and not SEMVER.fullmatch(self.version):
            problems.add(
                f"version must be a semantic version such as '1.0.0' (got {quoted(self.version)})",
                "$.version",
            )
        check_text(problems, self.title, "$.title", "title")
        check_text(problems, self.description, "$.description", "description", optional=True)
        check_text(problems, self.notes, "$.notes", "notes", optional=True)
        problems.check_items(self.sources, Source, "$.sources", "sources")
        items_ok = problems.check_items(self.items, Item, "$.items", "items")
        scales_ok = problems.check_items(self.scales, Scale, "$.scales", "scales")
        composites_ok = problems.check_items(self.composites, Composite, "$.composites", "composites")
        if items_ok and scales_ok and composites_ok:
            derived = _check_structure(self, problems)
            object.__setattr__(self, "_derived", derived)
        problems.raise_if_any(f"instrument {quoted(self.id)}")

    def item(self, item_id: str) -> Item:
        """Return the item *item_id*; raise `KeyError` if there is none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def score_range(self, score_id: str) -> tuple[float, float]:
        """
        Return the lowest and highest value the scale or composite *score_id* can take.

        Raises:
            KeyError: If the instrument has no such scale or composite.
        """
        low, high = self._derived.ranges[score_id]
        return float(low), float(high)

    def exact_range(self, score_id: str) -> tuple[Fraction, Fraction]:
        """
        Return the lowest and highest value of the scale or composite *score_id*, exactly.

        Raises:
            KeyError: If the instrument has no such scale or composite.

        .. versionadded:: 0.1.0
        """
        return self._derived.ranges[score_id]

    def scale_response(self, scale_id: str) -> tuple[int, int]:
        """
        Return the lowest and highest answer of the items of scale *scale_id* (one range per scale).

        Raises:
            KeyError: If the instrument has no such scale.

        .. versionadded:: 0.1.0
        """
        return self._derived.responses[scale_id]

    @property
    def composite_order(self) -> tuple[Composite, ...]:
        """
        The composites in an order that computes every part before the composites using it.

        .. versionadded:: 0.1.0
        """
        return tuple(self.composites[index] for index in self._derived.composite_order)


class Derived(NamedTuple):
    """What an instrument's validation works out once, for every later use."""

    ranges: Mapping[str, tuple[Fraction, Fraction]]
    responses: Mapping[str, tuple[int, int]]
    composite_order: tuple[int, ...]


def _check_structure(instrument: Instrument, problems: Problems) -> Derived:
    """Check ids, references, ranges, cycles and bands across the instrument; return what it worked out."""
    items = {item.id: item for item in instrument.items}
    for item_id in duplicates(item.id for item in instrument.items):
        problems.add(f"item id {quoted(item_id)} is used twice", "$.items")
    score_ids = [s.id for s in instrument.scales] + [c.id for c in instrument.composites]
    for score_id in duplicates(score_ids):
        problems.add(f"scale or composite id {quoted(score_id)} is used twice", "$")
    if not instrument.scales:
        problems.add("an instrument needs at least one scale", "$.scales")
    ranges: dict[str, tuple[Fraction, Fraction]] = {}
    responses: dict[str, tuple[int, int]] = {}
    on_a_scale: set[str] = set()
    for index, scale in enumerate(instrument.scales):
        path = f"$.scales[{index}]"
        known = [items[item_id] for item_id in scale.items if item_id in items]
        on_a_scale.update(scale.items)
        for position, item_id in enumerate(scale.items):
            if item_id not in items:
                problems.add(
                    f"scale {quoted(scale.id)} names unknown item {quoted(item_id)}",
                    f"{path}.items[{position}]",
                )
        spans = {(item.response.min, item.response.max) for item in known}
        if len(spans) > 1:
            listed = ", ".join(f"{quoted(item.id)} {item.response.min}-{item.response.max}" for item in known)
            problems.add(
                f"scale {quoted(scale.id)} mixes response ranges ({listed}); reverse keys and means "
                "need one range: split it into scales and combine them with a composite",
                f"{path}.items",
            )
        elif spans and len(known) == len(scale.items):
            ((low, high),) = spans
            responses[scale.id] = (low, high)
            ranges[scale.id] = exact_scale_range(scale, low, high)
            _check_bands(problems, scale.id, scale.bands, _floats(ranges[scale.id]), f"{path}.bands")
    for item in instrument.items:
        if item.id not in on_a_scale:
            problems.add(f"item {quoted(item.id)} is on no scale, so it would never be scored", "$.items")
    order = _order_composites(instrument, problems)
    for index in order:
        composite = instrument.composites[index]
        path = f"$.composites[{index}]"
        missing = [part.scale for part in composite.parts if part.scale not in ranges]
        for position, part in enumerate(composite.parts):
            if part.scale not in score_ids:
                problems.add(
                    f"composite {quoted(composite.id)} names unknown scale or composite {quoted(part.scale)}",
                    f"{path}.parts[{position}].scale",
                )
        if not missing:
            ranges[composite.id] = exact_composite_range(composite, ranges)
            _check_bands(problems, composite.id, composite.bands, _floats(ranges[composite.id]), f"{path}.bands")
    return Derived(ranges=ranges, responses=responses, composite_order=tuple(order))


def _floats(span: tuple[Fraction, Fraction]) -> tuple[float, float]:
    return float(span[0]), float(span[1])


def exact_scale_range(scale: Scale, low: int, high: int) -> tuple[Fraction, Fraction]:
    """Return the range of *scale* when its items are answered from *low* to *high*, exactly."""
    if scale.method == "sum":
        return Fraction(low * len(scale.items)), Fraction(high * len(scale.items))
    if scale.method == "pomp":
        return Fraction(0), Fraction(100)
    return Fraction(low), Fraction(high)


def exact_composite_range(
    composite: Composite, ranges: Mapping[str, tuple[Fraction, Fraction]]
) -> tuple[Fraction, Fraction]:
    """Return the range of *composite* given the exact ranges of its parts, exactly."""
    if composite.method == "difference":
        first, second = (ranges[part.scale] for part in composite.parts)
        return first[0] - second[1], first[1] - second[0]
    weights = [weight_ratio(part.weight) for part in composite.parts]
    total = sum(weights, Fraction(0))
    low = sum((w * ranges[part.scale][0] for w, part in zip(weights, composite.parts, strict=True)), Fraction(0))
    high = sum((w * ranges[part.scale][1] for w, part in zip(weights, composite.parts, strict=True)), Fraction(0))
    return low / total, high / total


def scale_range(scale: Scale, low: int, high: int) -> tuple[float, float]:
    """Return the range of *scale* when its items are answered from *low* to *high* (`exact_scale_range`, rounded)."""
    return _floats(exact_scale_range(scale, low, high))


def composite_range(composite: Composite, ranges: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
    """Return the range of *composite* given its parts' ranges (`exact_composite_range`, rounded)."""
    exact = {name: (Fraction(low), Fraction(high)) for name, (low, high) in ranges.items()}
    return _floats(exact_composite_range(composite, exact))


def _order_composites(instrument: Instrument, problems: Problems) -> list[int]:
    """
    Return composite indexes so that parts come before the composites using them; record cycles.

    A depth-first walk with a stack of its own, not recursion: a chain of composites may be
    longer than Python's recursion limit.
    """
    composites = instrument.composites
    index_of = {composite.id: index for index, composite in enumerate(composites)}
    order: list[int] = []
    state: dict[str, str] = {}
    for root in composites:
        if state.get(root.id) == "done":
            continue
        state[root.id] = "visiting"
        trail = [root.id]  # The composites being visited, from the root down.
        stack = [iter(composites[index_of[root.id]].parts)]
        while stack:
            for part in stack[-1]:
                if part.scale not in index_of or state.get(part.scale) == "done":
                    continue
                if state.get(part.scale) == "visiting":
                    cycle = " -> ".join((*trail[trail.index(part.scale) :], part.scale))
                    problems.add(f"composites form a cycle: {cycle}", f"$.composites[{index_of[part.scale]}].parts")
                    continue
                state[part.scale] = "visiting"
                trail.append(part.scale)
                stack.append(iter(composites[index_of[part.scale]].parts))
                break
            else:  # Every part is done: so is this composite.
                stack.pop()
                done = trail.pop()
                state[done] = "done"
                order.append(index_of[done])
    return order


def common_languages(instrument: Instrument) -> tuple[str, ...]:
    """The languages every item text, scale title and the instrument's title exist in, sorted."""
    texts = [instrument.title, *(i.text for i in instrument.items), *(s.title for s in instrument.scales)]
    common = set(texts[0].languages)
    for text in texts[1:]:
        common &= set(text.languages)
    return tuple(sorted(common))
