"""Collect-then-raise validation helpers shared by the model and the loader."""

from __future__ import annotations

import math
import os
import re
import sys

from collections.abc import Iterable, Mapping
from fractions import Fraction
from pathlib import Path
from typing import Any, Final

from leadscore.errors import DefinitionProblem, InvalidDefinitionError, InvalidFileError


SLUG = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")
SLUG_RULE = "lowercase letters and digits, joined by single '-', '_' or '.'"
# Semantic Versioning 2.0.0, without the leading "v".
SEMVER = re.compile(
    r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?"
)
LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")


class Problems:
    """Problems found so far in one object; raised together at the end."""

    def __init__(self) -> None:
        """Start with no problems."""
        self.found: list[DefinitionProblem] = []

    def add(self, message: str, path: str = "$") -> None:
        """Record *message* at *path*."""
        self.found.append(DefinitionProblem(message, path))

    def raise_if_any(self, what: str) -> None:
        """Raise `InvalidDefinitionError` naming *what* if anything was recorded."""
        if self.found:
            raise InvalidDefinitionError(f"invalid {what}", self.found)

    def check_slug(self, value: Any, path: str, what: str) -> bool:
        """Record a problem unless *value* is a valid id; return whether it was."""
        if isinstance(value, str) and SLUG.fullmatch(value):
            return True
        self.add(f"{what} must be a string of {SLUG_RULE} (got {quoted(value)})", path)
        return False

    def check_type(self, value: Any, types: type | tuple[type, ...], path: str, what: str) -> bool:
        """Record a problem unless *value* is an instance of *types*; return whether it was."""
        if isinstance(value, types) and not (isinstance(value, bool) and bool not in _as_tuple(types)):
            return True
        self.add(f"{what} must be {_type_names(types)} (got {quoted(value)})", path)
        return False

    def check_items(self, values: Any, types: type | tuple[type, ...], path: str, what: str) -> bool:
        """Record a problem for each member of the tuple *values* not of *types*."""
        if not self.check_type(values, tuple, path, what):
            return False
        ok = True
        for index, value in enumerate(values):
            ok = self.check_type(value, types, f"{path}[{index}]", f"each of {what}") and ok
        return ok

    @staticmethod
    def is_tuple(value: Any) -> bool:
        """Return whether *value* is a tuple (for fields whose input is not yet trusted)."""
        return isinstance(value, tuple)

    def check_answer(self, value: Any, path: str, what: str) -> bool:
        """Record a problem unless *value* is a whole number within ±2**53 (an answer every engine holds exactly)."""
        if not self.check_type(value, int, path, what):
            return False
        if abs(value) <= MAX_ANSWER:
            return True
        self.add(f"{what} must lie within ±2**53, so that every engine holds it exactly (got {quoted(value)})", path)
        return False

    def check_number(self, value: Any, path: str, what: str) -> bool:
        """Record a problem unless *value* is a number (see `is_number`); return whether it was."""
        if not self.check_type(value, (int, float), path, what):
            return False
        if is_number(value):
            return True
        if isinstance(value, int):
            self.add(f"{what} must be a number a float can hold (got {quoted(value)})", path)
        else:
            self.add(f"{what} must be finite (got {quoted(value)})", path)
        return False


#: The largest answer, code or scale bound: every integer up to it has a double of its own.
MAX_ANSWER: Final = 2**53


def is_number(value: Any) -> bool:
    """Whether *value* is a number to compute with: an int or float (not a bool), finite, within a float's range."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return abs(value) <= sys.float_info.max if isinstance(value, int) else math.isfinite(value)


def quoted(value: Any, limit: int = 80) -> str:
    """
    *value* as an error message quotes it: its repr, cut to *limit* characters.

    Bad input can be anything: a repr may be megabytes long, or fail (Python will not write
    an integer of more than 4,300 digits), and the message must still be one readable line.
    """
    try:
        text = repr(value)
    except ValueError as error:
        if isinstance(value, int):  # The limit on integer digits.
            return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1:,} digits"
        return _unshowable(value, error)
    except Exception as error:  # noqa: BLE001 - a caller's object may fail to show itself in any way
        return _unshowable(value, error)
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def _unshowable(value: Any, error: BaseException) -> str:
    return f"a {type(value).__name__} that cannot be shown ({type(error).__name__})"


def _as_tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def _type_names(types: type | tuple[type, ...]) -> str:
    wanted = _as_tuple(types)
    if set(wanted) == {int, float}:
        return "a number"
    names = {int: "an integer", str: "a string", bool: "a boolean", tuple: "a tuple"}
    return " or ".join(names.get(t, f"{'an' if t.__name__[0] in 'AEIOU' else 'a'} {t.__name__}") for t in wanted)


def to_tuple(value: object) -> Any:
    """Turn a list or other non-text iterable into a tuple; leave anything else for validation."""
    if isinstance(value, (str, bytes, Mapping)) or not isinstance(value, Iterable):
        return value
    return tuple(value)


def to_float(value: Any) -> Any:
    """Widen an exact int to float so equal bounds serialize alike; leave anything else, a huge int too."""
    if type(value) is int and abs(value) <= sys.float_info.max:
        return float(value)
    return value


def duplicates(values: Iterable[str]) -> list[str]:
    """Return each value that occurs more than once, in order of its second occurrence."""
    seen: set[str] = set()
    repeated: dict[str, None] = {}  # Ordered, and searched in constant time.
    for value in values:
        if value in seen:
            repeated[value] = None
        seen.add(value)
    return list(repeated)


#: A weight has at most this many decimals: a composite's weighted mean is then a ratio of
#: integers that stays exact in doubles (`leadscore._exact`).
WEIGHT_DECIMALS: Final = 4


def decimal_ratio(value: float) -> Fraction:
    """The exact value of the shortest decimal that reads back as *value* (``0.3`` is 3/10, not the double's)."""
    return Fraction(repr(float(value)))


def within_decimals(value: float, decimals: int) -> bool:
    """Whether *value*, as the decimal it was written as (`decimal_ratio`), has at most *decimals* decimals."""
    return bool(10**decimals % decimal_ratio(value).denominator == 0)


def weight_ratio(weight: float) -> Fraction:
    """A part's weight as the rational it was written as: its shortest decimal (`decimal_ratio`)."""
    return decimal_ratio(weight)


def file_path(source: str | os.PathLike[str]) -> Path:
    """
    *source* as a path; an `InvalidFileError` when no file can have that name.

    A name the file system's encoding cannot hold (a lone surrogate in a ``str``) would make
    every attempt to open it raise ``UnicodeEncodeError``.
    """
    try:
        os.fsencode(source)
    except UnicodeEncodeError as error:
        shown = os.fspath(source).encode("utf-8", "backslashreplace").decode("utf-8")
        bad = error.object[error.start : error.end]
        raise InvalidFileError(f"{shown}: no file can have this name (the file system cannot encode {bad!a})") from None
    return Path(source)
