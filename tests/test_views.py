"""ById: the ordered, read-only mapping by id that every report's collections are."""

from __future__ import annotations

import pickle

from collections.abc import Mapping

import attrs
import pytest

from leadscore import ById


@attrs.frozen
class Entry:
    id: str
    value: int


ENTRIES = (Entry("b", 2), Entry("a", 1), Entry("c", 3))


class TestById:
    def test_maps_ids_to_entries_in_the_order_given(self) -> None:
        """Keys are the entries' ids, in order; values are the entries themselves."""
        by_id = ById(ENTRIES)

        assert isinstance(by_id, Mapping)
        assert ["b", "a", "c"] == list(by_id)
        assert list(ENTRIES) == list(by_id.values())
        assert ENTRIES[1] is by_id["a"]
        assert 3 == len(by_id)
        assert "a" in by_id
        assert "z" not in by_id

    def test_error_when_an_id_is_missing(self) -> None:
        """A missing id raises KeyError naming it, as a dict does."""
        with pytest.raises(KeyError, match="'z'"):
            ById(ENTRIES)["z"]

    def test_error_when_an_id_is_given_twice(self) -> None:
        """Two entries with one id cannot be keyed."""
        with pytest.raises(ValueError, match=r"^each id may appear once \(got 'a' more than once\)$"):
            ById([Entry("a", 1), Entry("b", 2), Entry("a", 3)])

    def test_equality_hash_and_pickle(self) -> None:
        """Equal entries in the same order compare and hash alike; order matters between two ById;
        it compares equal to a dict of the same items; it survives pickling.
        """
        by_id = ById(ENTRIES)

        assert ById(ENTRIES) == by_id
        assert hash(ById(ENTRIES)) == hash(by_id)
        assert ById(reversed(ENTRIES)) != by_id
        assert {e.id: e for e in ENTRIES} == by_id
        assert by_id != 3
        assert by_id == pickle.loads(pickle.dumps(by_id))  # noqa: S301 - bytes made one line above

    def test_is_read_only(self) -> None:
        """No item can be set or deleted."""
        by_id = ById(ENTRIES)

        with pytest.raises(TypeError):
            by_id["a"] = Entry("a", 9)  # type: ignore[index]
        with pytest.raises(AttributeError):
            by_id.extra = 1  # type: ignore[attr-defined]

    def test_repr_shows_ids_and_entries(self) -> None:
        """The repr reads like the dict it stands for."""
        assert "ById({'a': Entry(id='a', value=1)})" == repr(ById([Entry("a", 1)]))
