"""
One compiler, three targets: an instrument's scoring as Python source, as SQL, as Polars expressions.

Every target is made from the instrument's plan (the rules `leadscore.score` runs) and
gives its results:

- `to_python`: the source of the straight-line function that `score` and `score_many` run
  (generated and compiled for you; this shows what runs).
- `to_sql`: one ``SELECT`` that scores a table of answers inside a database, written by
  sqlglot in DuckDB's dialect or any other it knows (the ``sql`` extra; ``duckdb`` to run it
  embedded).
- `to_polars`: the expressions for ``lazy_frame.select(...)`` (the ``polars`` extra).

The SQL and Polars results have the columns of `leadscore.frames.score_frame`: kept columns,
then ``<id>.value``, ``<id>.n_answered``, ``<id>.pomp`` and ``<id>.band`` per scale (a
composite has no count, a score without bands no band), only the *fields* asked for, then
``error``: null for a row whose every cell is valid, else what is wrong with its first bad
cell in item order, and that row has no scores. They read one column per item, named by
item id: whole numbers (integers, or doubles holding whole numbers), null for no answer, the
item's code for not applicable.
docs/compiling.md shows each target, its limits and where its arithmetic can differ.

.. versionadded:: 0.1.0
"""

from leadscore.compile._targets import (
    DIALECTS,
    FIELDS,
    to_polars,
    to_python,
    to_sql,
)


__all__ = ["DIALECTS", "FIELDS", "to_polars", "to_python", "to_sql"]
