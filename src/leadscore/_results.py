"""
What scoring returns: one immutable `Result` per answer set.

A result is one object over plain tuples, so building one costs little; the per-scale
objects (`ScaleScore`, `CompositeScore`) are made when you look them up.
"""

from __future__ import annotations

import re

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final, Generic, NoReturn, TypeVar

from attrs import frozen
from attrs.exceptions import FrozenInstanceError

from leadscore._catalog import Reason
from leadscore._checks import quoted
from leadscore.errors import ArgumentTypeError, InvalidArgumentError


__all__ = [
    "ARITHMETIC",
    "FIELDS",
    "FINGERPRINT",
    "CompositeScore",
    "Result",
    "ScaleScore",
    "Scores",
    "chosen_fields",
    "rows_of",
    "shape_problems",
]

#: What a fingerprint looks like: ``sha256:`` and 64 lowercase hexadecimal digits.
FINGERPRINT = re.compile(r"sha256:[0-9a-f]{64}")

# A scale's row holds value, n_answered, n_not_applicable, n_items, pomp, band, reason.
ScaleRow = tuple[float | None, int, int, int, float | None, str | None, Reason | None]
# A composite's row holds value, pomp, band, reason.
CompositeRow = tuple[float | None, float | None, str | None, Reason | None]
# The instrument (id, version, fingerprint) and the arithmetic; scale ids; composite ids.
Layout = tuple[tuple[str, str, str, int], tuple[str, ...], tuple[str, ...]]

FIELDS: Final = ("value", "n_answered", "pomp", "band")
"""The columns per score of a table of scores, in order; a composite has no ``n_answered``."""


def chosen_fields(fields: Iterable[str]) -> tuple[str, ...]:
    """*fields* checked against `FIELDS`, in `FIELDS`' order; a bare text is one field."""
    given: object = fields
    if not isinstance(given, (str, Iterable)):
        raise ArgumentTypeError(f"fields must be a collection of field names (got {quoted(given)})")
    asked = set(fields) if not isinstance(fields, str) else {fields}
    unknown = asked - set(FIELDS)
    if unknown or not asked:
        choices = ", ".join(map(repr, FIELDS))
        raise InvalidArgumentError(f"fields must be some of {choices} (got {sorted(asked, key=str)!r})")
    return tuple(field for field in FIELDS if field in asked)


@frozen(kw_only=True)
class ScaleScore:
    """
    One scale's score in a result.

    Attributes:
        id: The scale's id.
        value: The score, or None when fewer than the scale's minimum items were answered.
        n_answered: How many of its items were answered (not counting "not applicable").
        n_not_applicable: How many of its items were answered "not applicable".
        n_items: How many items the scale has.
        pomp: The score as percent of maximum possible (0 to 100), or None.
        band: The id of the band the score falls in, or None (no bands, or no score).
        reason: Why `value` is None, in English, or None when there is a score.
        reason_code: The reason as a code (see `leadscore.Reason`), or None when there is a score.
        reason_params: The code's parameters (counts, ids), or None.

    To show the reason in a reader's language, use `leadscore.reason_text`.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *reason_code* and *reason_params*.
    """

    id: str
    value: float | None
    n_answered: int
    n_not_applicable: int
    n_items: int
    pomp: float | None
    band: str | None
    reason: str | None
    reason_code: str | None = None
    reason_params: dict[str, Any] | None = None


@frozen(kw_only=True)
class CompositeScore:
    """
    One composite's score in a result.

    Attributes:
        id: The composite's id.
        value: The score, or None when one of its parts has no score.
        pomp: The score as percent of its range (0 to 100), or None.
        band: The id of the band the score falls in, or None.
        reason: Why `value` is None, in English, or None when there is a score.
        reason_code: The reason as a code (see `leadscore.Reason`), or None when there is a score.
        reason_params: The code's parameters (the ids of the parts without a score), or None.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *reason_code* and *reason_params*.
    """

    id: str
    value: float | None
    pomp: float | None
    band: str | None
    reason: str | None
    reason_code: str | None = None
    reason_params: dict[str, Any] | None = None


S = TypeVar("S", ScaleScore, CompositeScore)


class Scores(Mapping[str, S], Generic[S]):
    """A read-only mapping of score id to its score, in the instrument's order."""

    __slots__ = ("_ids", "_make", "_rows")
    _ids: tuple[str, ...]
    _rows: tuple[Any, ...]
    _make: type[S]

    def __init__(self, ids: tuple[str, ...], rows: tuple[Any, ...], make: type[S]) -> None:
        """View *rows* by *ids*; scores are made with *make* on access."""
        self._ids = ids
        self._rows = rows
        self._make = make

    def __getitem__(self, score_id: str) -> S:
        """Return the score *score_id*; raise `KeyError` if the instrument has none."""
        try:
            index = self._ids.index(score_id)
        except ValueError:
            raise KeyError(score_id) from None
        return self._build(index)

    def _build(self, index: int) -> S:
        row = self._rows[index]
        if self._make is ScaleScore:
            value, n_answered, n_na, n_items, pomp, band, reason = row
            return ScaleScore(  # type: ignore[return-value]
                id=self._ids[index],
                value=value,
                n_answered=n_answered,
                n_not_applicable=n_na,
                n_items=n_items,
                pomp=pomp,
                band=band,
                **_reason_fields(reason),
            )
        value, pomp, band, reason = row
        return CompositeScore(  # type: ignore[return-value]
            id=self._ids[index], value=value, pomp=pomp, band=band, **_reason_fields(reason)
        )

    def __iter__(self) -> Iterator[str]:
        """Iterate over the score ids in the instrument's order."""
        return iter(self._ids)

    def __len__(self) -> int:
        """Return the number of scores."""
        return len(self._ids)

    def __repr__(self) -> str:
        """Show the ids and values."""
        shown = ", ".join(f"{i!r}: {row[0]!r}" for i, row in zip(self._ids, self._rows, strict=True))
        return f"Scores({{{shown}}})"


def _reason_fields(reason: Reason | None) -> dict[str, Any]:
    if reason is None:
        return {"reason": None}
    return {"reason": str(reason), "reason_code": reason.code, "reason_params": reason.as_dict}


#: The version of the scoring arithmetic a result was made with (docs/scoring.md, "Arithmetic"):
#: 2, every figure exact then rounded once (leadscore 0.1.0); 1, the floating-point figures of the
#: development versions before it, which differ from 2 in the last bit of some figures.
ARITHMETIC: Final = 2


class Result:
    """
    The scores of one answer set, with the instrument's id, version and fingerprint.

    Immutable; compares equal to another result with the same instrument and scores.
    Make one with `leadscore.score`, or read one back with `leadscore.from_json`.

    Attributes:
        instrument_id: The id of the instrument that scored it.
        instrument_version: That instrument's version.
        fingerprint: ``sha256:`` and the hash of the instrument's canonical JSON, so a stored
            result can be checked against the instrument it claims.
        arithmetic: The version of the scoring arithmetic it was made with (`ARITHMETIC`).

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_composite_rows", "_layout", "_scale_rows")
    # The layout is shared by every result of one instrument: (instrument id, version,
    # fingerprint), scale ids, composite ids.
    _layout: Layout
    _scale_rows: tuple[ScaleRow, ...]
    _composite_rows: tuple[CompositeRow, ...]

    def __init__(
        self,
        *,
        instrument_id: str,
        instrument_version: str,
        fingerprint: str,
        scales: Mapping[str, ScaleRow],
        composites: Mapping[str, CompositeRow],
        arithmetic: int = ARITHMETIC,
    ) -> None:
        """Build a result from rows keyed by score id (used when reading JSON back)."""
        layout = (
            (instrument_id, instrument_version, fingerprint, arithmetic),
            tuple(scales),
            tuple(composites),
        )
        object.__setattr__(self, "_layout", layout)
        object.__setattr__(self, "_scale_rows", tuple(scales.values()))
        object.__setattr__(self, "_composite_rows", tuple(composites.values()))

    @classmethod
    def _from_rows(
        cls,
        layout: Layout,
        scale_rows: tuple[ScaleRow, ...],
        composite_rows: tuple[CompositeRow, ...],
    ) -> Result:
        # The scoring hot path: no mapping is built and nothing is copied.
        self = object.__new__(cls)
        object.__setattr__(self, "_layout", layout)
        object.__setattr__(self, "_scale_rows", scale_rows)
        object.__setattr__(self, "_composite_rows", composite_rows)
        return self

    @property
    def instrument_id(self) -> str:
        """The id of the instrument that scored it."""
        return self._layout[0][0]

    @property
    def instrument_version(self) -> str:
        """That instrument's version."""
        return self._layout[0][1]

    @property
    def fingerprint(self) -> str:
        """``sha256:`` and the hash of the instrument's canonical JSON."""
        return self._layout[0][2]

    @property
    def arithmetic(self) -> int:
        """The version of the scoring arithmetic it was made with (`ARITHMETIC` for every new result)."""
        return self._layout[0][3]

    @property
    def scales(self) -> Scores[ScaleScore]:
        """The scale scores by scale id, in the instrument's order."""
        return Scores(self._layout[1], self._scale_rows, ScaleScore)

    @property
    def composites(self) -> Scores[CompositeScore]:
        """The composite scores by composite id, in the instrument's order."""
        return Scores(self._layout[2], self._composite_rows, CompositeScore)

    def values(self) -> dict[str, float | None]:
        """Return every scale's and composite's value by id, scales first."""
        ids = self._layout[1] + self._layout[2]
        pairs = zip(ids, self._scale_rows + self._composite_rows, strict=True)
        return {score_id: row[0] for score_id, row in pairs}

    def _key(self) -> tuple[Any, ...]:
        return (self._layout, self._scale_rows, self._composite_rows)

    def _by_id(self) -> tuple[Any, ...]:
        """The instrument and every score by id: what equality compares, whatever order the scores came in."""
        layout = self._layout
        return (
            layout[0],
            frozenset(zip(layout[1], self._scale_rows, strict=True)),
            frozenset(zip(layout[2], self._composite_rows, strict=True)),
        )

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle (and copy) as the rows it is made of: a result refuses attribute assignment."""
        return (Result._from_rows, self._key())

    def __eq__(self, other: object) -> bool:
        """Compare instrument and every score, by id: the order the scores are listed in does not count."""
        if not isinstance(other, Result):
            return NotImplemented
        if self._layout == other._layout:  # Results of one plan: compare the rows as they are.
            return self._scale_rows == other._scale_rows and self._composite_rows == other._composite_rows
        return self._by_id() == other._by_id()

    def __hash__(self) -> int:
        """Hash instrument and every score, by id."""
        return hash(self._by_id())

    def __repr__(self) -> str:
        """Show the instrument and the values."""
        return (
            f"Result(instrument_id={self.instrument_id!r}, "
            f"instrument_version={self.instrument_version!r}, values={self.values()!r})"
        )

    def __setattr__(self, name: str, value: object) -> NoReturn:
        """Refuse: a result is immutable."""
        raise FrozenInstanceError

    def __delattr__(self, name: str) -> NoReturn:
        """Refuse: a result is immutable."""
        raise FrozenInstanceError


def rows_of(result: Result) -> tuple[Layout, tuple[ScaleRow, ...], tuple[CompositeRow, ...]]:
    """What *result* is made of: its layout, its scale rows and its composite rows."""
    layout, scale_rows, composite_rows = result._key()  # noqa: SLF001 - this module's own class
    return layout, scale_rows, composite_rows


def shape_problems(result: Result) -> list[tuple[str, str]]:
    """
    What makes *result* one that no scoring gives, whatever the instrument: (path, message) pairs.

    A well-formed fingerprint; counts that are not negative and add up to at most the
    items; a value exactly when there is no reason, with a POMP from 0 to 100 and a band
    only beside a value.
    """
    problems: list[tuple[str, str]] = []
    layout, scale_rows, composite_rows = rows_of(result)
    if not FINGERPRINT.fullmatch(result.fingerprint):
        problems.append(
            (
                "$.instrument.fingerprint",
                f"must be 'sha256:' and 64 hexadecimal digits (got {quoted(result.fingerprint)})",
            )
        )
    for scale_id, (value, n_answered, n_na, n_items, pomp, band, reason) in zip(layout[1], scale_rows, strict=True):
        path = f"$.scales[{scale_id!r}]"
        if min(n_answered, n_na, n_items) < 0 or n_answered + n_na > n_items:
            problems.append(
                (
                    path,
                    f"counts do not add up: {n_answered} answered and {n_na} not applicable of {n_items} items",
                )
            )
        problems.extend(_value_problems(path, value, pomp, band, reason))
    for composite_id, (value, pomp, band, reason) in zip(layout[2], composite_rows, strict=True):
        problems.extend(_value_problems(f"$.composites[{composite_id!r}]", value, pomp, band, reason))
    return problems


def _value_problems(
    path: str, value: float | None, pomp: float | None, band: str | None, reason: Reason | None
) -> list[tuple[str, str]]:
    if value is None:
        extra = [name for name, given in (("pomp", pomp), ("band", band)) if given is not None]
        problems = [(f"{path}.{name}", "must be null when there is no value") for name in extra]
        if reason is None:
            problems.append((f"{path}.reason", "must say why there is no value"))
        return problems
    problems = []
    if reason is not None:
        problems.append((f"{path}.reason", f"must be null when there is a value (got {quoted(str(reason))})"))
    if pomp is None or not 0 <= pomp <= 100:
        problems.append((f"{path}.pomp", f"must be a number from 0 to 100 beside a value (got {pomp!r})"))
    return problems
