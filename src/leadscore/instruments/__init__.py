"""
The instruments that ship with leadscore, kept as definition files in this package.

Each module-level function here loads one definition; leadscore's own distribution
registers them as ``leadscore.instruments`` entry points, the same path a third party's
plugin takes. Importing this package reads no file and registers nothing.
"""

from leadscore.instruments._shipped import (
    alliance_qualities,
    coaching_behaviours,
    connective_leadership,
    definition_path,
    secure_base_leadership,
)


__all__ = [
    "alliance_qualities",
    "coaching_behaviours",
    "connective_leadership",
    "definition_path",
    "secure_base_leadership",
]
