"""
An instrument as plain data, its canonical JSON and its fingerprint, with attrs alone.

The plain data is what `leadscore.to_json` writes for a definition (the JSON converter uses
this function for every model class): each field under its name, in the model's order,
leaving out fields at their defaults, so an instrument keeps its fingerprint when a later
leadscore adds an optional field. Scoring fingerprints an instrument when it first compiles
it; nothing here loads cattrs.
"""

from __future__ import annotations

import hashlib
import json

from typing import Any

import attrs

from leadscore._model import Instrument
from leadscore._text import LocalizedText


__all__ = ["canonical_json", "fingerprint", "plain"]


def plain(obj: Any) -> Any:
    """
    Return a model object (an instrument or any part of one) as JSON-ready data.

    Fields at their default value, and fields that are not arguments of the class (caches,
    what validation derives), are left out.
    """
    if isinstance(obj, LocalizedText):
        return obj.as_dict()
    if attrs.has(type(obj)):
        data = {}
        for field in attrs.fields(type(obj)):
            if not field.init:
                continue
            value = getattr(obj, field.name)
            if field.default is not attrs.NOTHING and value == field.default:
                continue
            data[field.name] = plain(value)
        return data
    if isinstance(obj, tuple):
        return [plain(member) for member in obj]
    return obj


def canonical_json(instrument: Instrument) -> bytes:
    """Return the canonical JSON of *instrument*: sorted keys, no spaces, UTF-8."""
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
    return "sha256:" + hashlib.sha256(canonical_json(instrument)).hexdigest()
