"""
Score a DataFrame of answers at once: one row per response, one column per item.

Needs the ``pandas`` extra (``pip install "leadscore[pandas]"``); the core imports no pandas.
A Dask DataFrame is scored partition by partition (the ``dask`` extra). Cells follow
`leadscore.coerce_answers`: whole numbers (``4``, ``4.0``, ``"4"``) are answers; NaN, None and
blank text are not answered; anything else (``4.5``, ``"four"``, booleans, a value out of
range) rejects its row, with the row, the column and the reason.

Scores are computed with NumPy, a block of rows at a time, never a Python loop per row:
each scale's keyed sum and count are sums of rows of answers. Answers are whole numbers, so
those sums are exact in any order, and each score then takes the same float operations in
the same order as `leadscore.score`: the results are equal bit for bit, except a weighted
mean of scores and any composite built on one, where the weighted parts are added in turn
and `score` uses `math.fsum`: those agree within 1e-12, relative.
"""

from leadscore._frames import FIELDS, score_frame


__all__ = ["FIELDS", "score_frame"]
