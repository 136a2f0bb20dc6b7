"""
`ById`: the one shape of every collection a report holds, an ordered read-only mapping by id.

`Result.scales`, `ReliabilityReport.scales`, `FeedbackReport.items` and the rest are all
mappings of id to entry, in the instrument's order, so a caller looks up, iterates and
serializes them the same way everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Generic, Protocol, TypeVar

from attrs import frozen

from leadscore._checks import duplicates
from leadscore.errors import InvalidArgumentError


__all__ = ["AboutInstrument", "ById", "Identified"]


class Identified(Protocol):
    """Anything with an ``id``: a scale, an item, a score, an entry of a report."""

    @property
    def id(self) -> str:
        """The id of what the entry is about."""
        ...  # pragma: no cover - a protocol


T = TypeVar("T", bound=Identified)


class ById(Mapping[str, T], Generic[T]):
    """
    An immutable mapping of id to entry, in the order the entries were given.

    Each entry is keyed by its own ``id``; an id given twice is an error. Equal when the
    entries are equal in the same order; hashable; pickles.

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_entries", "_index")
    _entries: tuple[T, ...]
    _index: dict[str, int]

    def __init__(self, entries: Iterable[T] = ()) -> None:
        """Key *entries* by their ids."""
        listed = tuple(entries)
        index = {entry.id: position for position, entry in enumerate(listed)}
        if len(index) != len(listed):
            twice = ", ".join(map(repr, duplicates(entry.id for entry in listed)))
            raise InvalidArgumentError(f"each id may appear once (got {twice} more than once)")
        self._entries = listed
        self._index = index

    def __getitem__(self, key: str) -> T:
        """Return the entry with id *key*; raise `KeyError` if there is none."""
        return self._entries[self._index[key]]

    def __iter__(self) -> Iterator[str]:
        """Iterate over the ids, in order."""
        return (entry.id for entry in self._entries)

    def __len__(self) -> int:
        """Return the number of entries."""
        return len(self._entries)

    def __eq__(self, other: object) -> bool:
        """Equal to another `ById` with equal entries in the same order, or to a mapping with the same items."""
        if isinstance(other, ById):
            return self._entries == other._entries
        return super().__eq__(other)

    def __hash__(self) -> int:
        """Hash the entries."""
        return hash(self._entries)

    def __repr__(self) -> str:
        """Show the ids and entries."""
        return f"ById({{{', '.join(f'{entry.id!r}: {entry!r}' for entry in self._entries)}}})"

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle as the entries."""
        return (ById, (self._entries,))


@frozen(kw_only=True)
class AboutInstrument:
    """
    What every report starts with: the instrument it is about, so a stored report can be checked.

    Attributes:
        instrument_id: The instrument's id.
        instrument_version: Its version.
        fingerprint: Its fingerprint (``sha256:`` and the hash of its canonical JSON).

    .. versionadded:: 0.1.0
    """

    instrument_id: str
    instrument_version: str
    fingerprint: str
