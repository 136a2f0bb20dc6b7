"""The functions the invariants are checked against: leadscore's own, or a wrapper of yours."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from attrs import frozen

from leadscore._canonical import fingerprint as _fingerprint
from leadscore._model import Instrument
from leadscore._results import Result
from leadscore._scoring import score as _score
from leadscore._scoring import score_many as _score_many
from leadscore._serialization import from_json as _from_json
from leadscore._serialization import to_json as _to_json


__all__ = ["Implementation", "leadscore_implementation"]


@frozen(kw_only=True)
class Implementation:
    """
    The functions the invariants are checked against; leadscore's own by default.

    Swap one with `attrs.evolve` (or `leadscore_implementation`) to check that a wrapper of
    your own (a cache, a remote scorer) keeps leadscore's promises.

    .. versionadded:: 0.1.0
    """

    score: Callable[[Instrument, Mapping[str, Any]], Result] = _score
    score_many: Callable[[Instrument, Iterable[Mapping[str, Any]]], Iterable[Result]] = _score_many
    fingerprint: Callable[[Instrument], str] = _fingerprint
    to_json: Callable[[Any], str] = _to_json
    from_json: Callable[[str, Any], Any] = _from_json


def leadscore_implementation(**overrides: Any) -> Implementation:
    """
    Return the functions the invariants check: leadscore's, with any of them replaced.

    Keyword arguments are ``score``, ``score_many``, ``fingerprint``, ``to_json`` and
    ``from_json``; use them to check a wrapper of your own keeps leadscore's promises.

    .. versionadded:: 0.1.0
    """
    return Implementation(**overrides)
