"""
An instrument as plain data, its canonical JSON and its fingerprint, with attrs alone.

The plain data is what `leadscore.to_json` writes for a definition (the JSON converter uses
this function for every model class): each field under its name, in the model's order,
leaving out fields at their defaults, so an instrument keeps its fingerprint when a later
leadscore adds an optional field. Scoring fingerprints an instrument when it first compiles
it; nothing here loads cattrs.
"""

from __future__ import annotations

from typing import Any

import attrs

from leadscore._model import Instrument
from leadscore._text import LocalizedText


__all__ = ["canonical_json", "fingerprint", "plain"]


def plain(obj: Any) -> Any:
    """
    Return a model object (an instrument or any part of one) as JSON-ready data.

    Fields at their default value, and fields that are not arguments of the class (caches,
    what validation derives), are left out. The model holds nothing but attrs classes,
    `LocalizedText`, tuples, text, numbers and None.
    """
    kind = type(obj)
    if kind is tuple:
        return [member if type(member) in _LEAVES else plain(member) for member in obj]
    if kind is LocalizedText:
        return obj.as_dict()
    data = {}
    for name, default in _written(kind):
        value = getattr(obj, name)
        if default is _REQUIRED or value != default:
            data[name] = value if type(value) in _LEAVES else plain(value)
    return data


_LEAVES = frozenset({str, int, float, bool, type(None)})
_REQUIRED: Any = attrs.NOTHING
_FIELDS: dict[type, tuple[tuple[str, Any], ...]] = {}


def _written(cls: type) -> tuple[tuple[str, Any], ...]:
    """The (name, default) of each field of an attrs class that its data holds."""
    try:
        return _FIELDS[cls]
    except KeyError:
        fields = tuple((f.name, f.default) for f in attrs.fields(cls) if f.init)
        _FIELDS[cls] = fields
        return fields


def canonical_json(instrument: Instrument) -> bytes:
    """Return the canonical JSON of *instrument*: sorted keys, no spaces, UTF-8."""
    import json  # noqa: PLC0415 - json and hashlib load on the first fingerprint, not at import

    return json.dumps(
        plain(instrument), ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    ).encode()


def fingerprint(instrument: Instrument) -> str:
    """
    Return ``sha256:`` and the hex digest of the canonical JSON of *instrument*.

    Two instruments have the same fingerprint exactly when they serialize alike; fields left
    at their defaults are not written, so an instrument keeps its fingerprint when a later
    leadscore adds an optional field.

    .. versionadded:: 0.1.0
    """
    known: str | None = instrument._fingerprint  # noqa: SLF001 - the model keeps this cache slot for us
    if known is None:
        import hashlib  # noqa: PLC0415

        known = "sha256:" + hashlib.sha256(canonical_json(instrument)).hexdigest()
        # An instrument is immutable, so its fingerprint never changes; a benign race between threads.
        object.__setattr__(instrument, "_fingerprint", known)
    return known
