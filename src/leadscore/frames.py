"""
Score a DataFrame of answers at once: one row per response, one column per item.

Needs the ``pandas`` extra (``pip install "leadscore[pandas]"``); the core imports no pandas.
A Dask DataFrame is scored partition by partition (the ``dask`` extra). Cells follow
`leadscore.coerce_answers`: whole numbers (``4``, ``4.0``, ``"4"``) are answers; NaN, None and
blank text are not answered; anything else (``4.5``, ``"four"``, booleans, a value out of
range) rejects its row, with the row, the column and the reason.

Scores are computed with NumPy, a block of rows at a time, never a Python loop per row:
each scale's keyed sum and count are sums of rows of answers, and every score is then its
exact formula's integer numerator over its integer denominator, divided once (see "Arithmetic"
in docs/scoring.md). The results equal `leadscore.score`'s bit for bit; an instrument whose
exact figures could pass 2**53 is refused, naming the score (`score` alone scores it).
"""

from leadscore._frames import FIELDS, score_frame


__all__ = ["FIELDS", "score_frame"]
