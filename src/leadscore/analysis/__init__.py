"""
Psychometrics of a set of answers: reliability, and the quality of each respondent's answers.

`reliability` takes answer mappings, as always, or a DataFrame (pandas, Polars, PyArrow: the
cell rules of `leadscore.frames.score_frame`). With NumPy installed (the ``analysis`` extra)
it reads every respondent with array operations; without it, answer mappings go through the
pure-Python engine of the core. `leadscore.reliability` is this function.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from leadscore.analysis._reliability import reliability


__all__ = ["reliability"]
