"""
Item ids as survey platforms' variable names, and back: one encoding, computed from the instrument.

An item id may hold ``-``, ``_`` and ``.``; LimeSurvey's question and subquestion codes may
hold letters and digits only (at most 20, a letter first), REDCap's field names lowercase
letters, digits and underscores (a letter first), Stata's 32 characters. One name fits
them all: lowercase letters and digits, a letter first, at most 20 characters. Each item's
name is, in this order:

1. its id without the separators ``-``, ``_`` and ``.`` (``stays-calm`` is ``stayscalm``),
   when that fits the rule, no other item of the instrument gets the same, it is not of the
   counter's form (``i`` and digits) and it is not the reserved ``leadscore``;
2. otherwise ``i`` and the item's position in the instrument, from 1
   (``uses-listening-and-inquiry``, the fourth item, is ``i4``), with an ``x`` added while
   that is another item's id.

No name is another item's id, so a column is never both.

The names depend on the instrument alone (its item ids and their order), so a reader
recomputes them from the installed instrument; an export also writes the map into the
survey's metadata, where a person can read it. Answer codes are the answers themselves,
but for LimeSurvey, whose codes are alphanumeric: a negative answer there is ``n`` and its
magnitude (``-1`` is ``n1``).

The column ``leadscore`` of a response file carries the stamp of the instrument the survey
was made from (`stamp`): its id, version and fingerprint, checked by the readers.
"""

from __future__ import annotations

import re

from collections import Counter

from leadscore._canonical import fingerprint
from leadscore._model import Instrument


__all__ = ["NAME", "STAMP", "answer_code", "answer_of_code", "items_by_name", "stamp", "variable_names"]

#: A platform variable name: lowercase letters and digits, a letter first, at most 20.
NAME = re.compile(r"[a-z][a-z0-9]{0,19}")
#: The column (and survey variable) that carries the instrument's stamp.
STAMP = "leadscore"
_COUNTER = re.compile(r"i[0-9]+")
_SEPARATORS = str.maketrans("", "", "-_.")
_NEGATIVE = re.compile(r"n([1-9][0-9]{0,17})")


def variable_names(instrument: Instrument) -> dict[str, str]:
    """Each item id's platform variable name, in the instrument's order (see the module's docstring)."""
    readable = {item.id: item.id.translate(_SEPARATORS) for item in instrument.items}
    counts = Counter(readable.values())
    names: dict[str, str | None] = {}
    for item in instrument.items:
        name = readable[item.id]
        fits = NAME.fullmatch(name) and counts[name] == 1 and not _COUNTER.fullmatch(name) and name != STAMP
        names[item.id] = name if fits else None
    taken = {*(n for n in names.values() if n is not None), *(item.id for item in instrument.items)}
    for position, item in enumerate(instrument.items, start=1):
        if names[item.id] is None:
            name = f"i{position}"
            while name in taken and name != item.id:  # Another item's id: "i3" is the first item's.
                name += "x"
            names[item.id] = name
    return {item_id: name for item_id, name in names.items() if name is not None}


def items_by_name(instrument: Instrument) -> dict[str, str]:
    """The reverse of `variable_names`: each name's item id."""
    return {name: item_id for item_id, name in variable_names(instrument).items()}


def answer_code(value: int) -> str:
    """An answer as a LimeSurvey answer code: its digits, ``n`` and its magnitude when negative."""
    return str(value) if value >= 0 else f"n{-value}"


def answer_of_code(code: str) -> int | None:
    """The answer a LimeSurvey answer code written by `answer_code` stands for (None for any other text)."""
    match = _NEGATIVE.fullmatch(code.strip())
    return -int(match.group(1)) if match else None


def stamp(instrument: Instrument) -> str:
    """``<id> <version> <fingerprint>``: the instrument a survey was made from."""
    return f"{instrument.id} {instrument.version} {fingerprint(instrument)}"
