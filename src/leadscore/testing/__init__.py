"""
The conformance kit: prove in your own CI that an instrument keeps leadscore's promises.

``check_instrument(instrument)`` runs every invariant of docs/invariants.md against the
instrument with Hypothesis-generated answers, and either returns a report of what it
proved or raises `InvariantError` naming each broken invariant, its wording and a minimal
failing example. It works with or without pytest; for one pytest test per invariant, see
`leadscore.testing.suite`. Needs the ``testing`` extra (``pip install leadscore[testing]``).

Importing this module imports no Hypothesis and changes no Hypothesis setting; the checks
run under whatever settings profile is loaded when they run.

.. versionadded:: 0.1.0
"""

from leadscore.testing._check import (
    CheckReport,
    InvariantError,
    InvariantResult,
    check_instrument,
    run_invariant,
    text_problems,
)
from leadscore.testing._implementation import Implementation, leadscore_implementation


__all__ = [
    "CheckReport",
    "Implementation",
    "InvariantError",
    "InvariantResult",
    "check_instrument",
    "leadscore_implementation",
    "run_invariant",
    "text_problems",
]
