"""
Old names that keep working for one release, with a `DeprecationWarning` that says what to use.

Two kinds: a module that moved (`moved_module`, used by the former public modules such as
``leadscore.model``) and an attribute renamed on a report class (`renamed`). Each warns as
Python's warnings do (once per call site, by default).
"""

from __future__ import annotations

import warnings

from collections.abc import Callable
from importlib import import_module
from typing import Any, Final


__all__ = ["REMOVED_IN", "entries", "moved_module", "renamed", "warn"]

#: The release that removes every name deprecated so far.
REMOVED_IN: Final = "0.2.0"


def warn(old: str, instead: str, *, stacklevel: int = 3) -> None:
    """Warn that *old* is deprecated; *instead* says what to use."""
    warnings.warn(
        f"{old} is deprecated and will be removed in leadscore {REMOVED_IN}; {instead}",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def moved_module(old: str, new: str) -> Callable[[str], Any]:
    """
    Return a module ``__getattr__`` for the former module *old*, whose names now live in *new*.

    A name that ``leadscore`` exports is pointed there (``use leadscore.Instrument``); any
    other name is private now, and still served until the names are removed.
    """

    def __getattr__(name: str) -> Any:  # noqa: N807 - a module's own __getattr__
        if name.startswith("__") and name != "__all__":
            raise AttributeError(f"module {old!r} has no attribute {name!r}")
        try:
            value = getattr(import_module(new), name)
        except AttributeError:
            raise AttributeError(f"module {old!r} has no attribute {name!r}") from None
        public = name in import_module("leadscore").__all__
        instead = f"use leadscore.{name}" if public else "it is no longer public"
        warn(f"{old}.{name}", instead)
        return value

    return __getattr__


def renamed(old: str, new: str, convert: Callable[[Any], Any] | None = None) -> property:
    """
    Return a read-only property *old* that warns and gives the attribute *new* (through *convert*).

    For report classes whose fields were renamed: ``scale_id = renamed("scale_id", "id")``.
    """

    def get(self: Any) -> Any:
        cls = type(self).__name__
        warn(f"{cls}.{old}", f"use {cls}.{new}" + (" (a mapping by id)" if convert is not None else ""))
        value = getattr(self, new)
        return value if convert is None else convert(value)

    return property(get, doc=f"Deprecated: use `{new}`.")


def entries(mapping: Any) -> tuple[Any, ...]:
    """The entries of a mapping by id, in order: what the former tuple fields held."""
    return tuple(mapping.values())
