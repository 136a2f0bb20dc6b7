"""The shipped instruments' factories, targets of leadscore's entry points; `leadscore.instruments` re-exports them."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from leadscore._definitions import load_instrument
from leadscore._model import Instrument


__all__ = [
    "alliance_qualities",
    "coaching_behaviours",
    "connective_leadership",
    "definition_path",
    "secure_base_leadership",
]


def definition_path(name: str) -> Path:
    """Return the path of the shipped definition file *name* (without ``.toml``)."""
    return Path(str(resources.files("leadscore.instruments") / f"{name}.toml"))


def secure_base_leadership() -> Instrument:
    """Secure Base Leadership: Kohlrieser's nine characteristics, with Care and Dare (seed 000)."""
    return load_instrument(definition_path("secure_base_leadership"))


def connective_leadership() -> Instrument:
    """Connective leadership: eight essences (seed 001) and four company dimensions (seed 002)."""
    return load_instrument(definition_path("connective_leadership"))


def alliance_qualities() -> Instrument:
    """Boonstra's nine qualities of leaders in value-driven alliances (seed 004)."""
    return load_instrument(definition_path("alliance_qualities"))


def coaching_behaviours() -> Instrument:
    """The seventeen small coaching behaviours of 'Kleine dingen', for before/after evaluation (seed 003)."""
    return load_instrument(definition_path("coaching_behaviours"))
