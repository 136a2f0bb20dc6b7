"""
One table, every back end: the same instruments and answer sets scored by each, the same bits.

The back ends are the rules interpreter, the generated Python function, `score_frame`, the
compiled query run by DuckDB, SQLite and PostgreSQL (real engines), and `to_polars`. Each
receives the rows as its users hand them over: Python values to the two functions behind
`score`, and typed columns to the others (`backends` lists them). A row holding a cell its
column type cannot hold is left out for that back end, as `HOLDS` says:

- 64-bit integer columns hold no fraction (2.5) and no whole number beyond -2**63 .. 2**63 - 1;
- double columns hold no whole number a double cannot (2**53 + 1; 2**63 is refused by every
  back end as out of range anyway, but reaches a double column rounded, so it is left out).

Every other row is scored by every back end, which must give `score`'s value, POMP, count and
band for each score bit for bit (a zero's sign too), refuse the rows `score` refuses (the
columnar back ends with `score_frame`'s text for the row's first bad cell, for their column
type), and refuse as a whole an instrument whose exact figures could pass 2**53 (the two Python
back ends score it exactly).

Engines not run here (ClickHouse, Spark, BigQuery, Snowflake, …) get the same query in their
dialect; docs/compiling.md says they are expected within one unit in the last place, untested.
"""

from __future__ import annotations

import re

from collections.abc import Callable
from typing import Any

import attrs
import pandas as pd
import polars as pl
import pytest

from hypothesis import given
from hypothesis import strategies as st

from leadscore import CompositeScore, Instrument, InvalidAnswersError, Result, ScaleScore
from leadscore._plan import compiled
from leadscore.compile import to_polars, to_sql
from leadscore.frames import score_frame
from leadscore.testing.strategies import instruments
from tests.engines import (
    answer_tables,
    check,
    first_errors,
    refused_beyond_doubles,
    run_duckdb,
    run_postgres,
    run_sqlite,
    table,
)
from tests.strategies import SHIPPED, fewer_examples


Rows = list[dict[str, Any]]

#: What each kind of column can hold, as the back end receives it.
HOLDS: dict[str, Callable[[Any], bool]] = {
    "python": lambda _: True,
    "int64": lambda cell: cell is None or (type(cell) is int and -(2**63) <= cell < 2**63),
    "float64": lambda cell: cell is None or type(cell) is float or (type(cell) is int and abs(cell) <= 2**53),
}

#: Refusals by the two Python back ends are compared as refusals: their texts are score()'s own.
REFUSED = "refused"


def cells_of(scorer: Callable[[dict[str, Any]], Result], rows: Rows) -> Rows:
    """Each row scored by *scorer* (a Python back end), as the columns a table of scores holds."""
    out: Rows = []
    for row in rows:
        try:
            result = scorer(row)
        except InvalidAnswersError:
            out.append({"error": REFUSED})
            continue
        cells: dict[str, Any] = {"error": None}
        for scale in result.scales.values():
            cells[f"{scale.id}.n_answered"] = scale.n_answered
        every: list[ScaleScore | CompositeScore] = [*result.scales.values(), *result.composites.values()]
        for score in every:
            cells[f"{score.id}.value"] = score.value
            cells[f"{score.id}.pomp"] = score.pomp
            cells[f"{score.id}.band"] = score.band
        out.append(cells)
    return out


def frame_cells(instrument: Instrument, rows: Rows, dtype: str) -> Rows:
    """
    `score_frame` on *rows* in columns of the pandas *dtype*, as dicts with None for missing.

    Its error names every bad cell of a row; the engines name the first, so that is kept.
    """
    frame = pd.DataFrame(rows, columns=[item.id for item in instrument.items], dtype=dtype)
    scored = score_frame(instrument, frame, on_error="report").astype(object).to_dict("records")
    cells = [{k: None if pd.isna(v) else v for k, v in r.items()} for r in scored]
    return [{**r, "error": r["error"] and r["error"].split("; ")[0]} for r in cells]


@attrs.frozen
class Backend:
    """A back end: its name, the kind of column it reads (a key of HOLDS), and how it scores rows."""

    name: str
    column: str
    run: Callable[[Instrument, Rows], Rows]
    #: How it writes a whole double in an error's "(got ...)": PostgreSQL writes 7.0 as 7 (docs/compiling.md).
    whole_doubles: Callable[[str], str] = lambda text: text

    @property
    def engine(self) -> bool:
        """Whether it computes in doubles, and so refuses an instrument beyond 2**53 (the Python ones do not)."""
        return self.column != "python"


def backends(postgres: Any) -> tuple[Backend, ...]:
    """Every back end, in the order they run; PostgreSQL through the tests' server *postgres*."""
    return (
        Backend("rules", "python", lambda i, rows: cells_of(compiled(i).score_by_rules, rows)),
        Backend("generated Python", "python", lambda i, rows: cells_of(compiled(i).generated(), rows)),
        Backend("score_frame, Int64", "int64", lambda i, rows: frame_cells(i, rows, "Int64")),
        Backend("score_frame, float64", "float64", lambda i, rows: frame_cells(i, rows, "float64")),
        Backend("DuckDB, BIGINT", "int64", lambda i, rows: run_duckdb(to_sql(i, "answers"), table(i, rows, pl.Int64))),
        Backend(
            "DuckDB, DOUBLE", "float64", lambda i, rows: run_duckdb(to_sql(i, "answers"), table(i, rows, pl.Float64))
        ),
        Backend("SQLite, INTEGER", "int64", lambda i, rows: run_sqlite(to_sql(i, "answers", "sqlite"), i, rows)),
        Backend("SQLite, REAL", "float64", lambda i, rows: run_sqlite(to_sql(i, "answers", "sqlite"), i, rows, "REAL")),
        Backend("PostgreSQL, bigint", "int64", lambda i, rows: postgres_cells(postgres, i, rows, "bigint")),
        Backend(
            "PostgreSQL, double precision",
            "float64",
            lambda i, rows: postgres_cells(postgres, i, rows, "float8"),
            lambda text: re.sub(r"\(got (-?\d+)\.0\)$", r"(got \1)", text),
        ),
        Backend("Polars, Int64", "int64", lambda i, rows: polars_cells(i, rows, pl.Int64)),
        Backend("Polars, Float64", "float64", lambda i, rows: polars_cells(i, rows, pl.Float64)),
    )


def postgres_cells(connection: Any, instrument: Instrument, rows: Rows, column_type: str) -> Rows:
    """The PostgreSQL query run by the tests' server on *rows* in columns of *column_type*, rolled back after."""
    with connection.transaction(force_rollback=True):
        ids = [item.id for item in instrument.items]
        return run_postgres(connection, ids, rows, to_sql(instrument, "answers", "postgres"), column_type)


def polars_cells(instrument: Instrument, rows: Rows, dtype: Any) -> Rows:
    """`to_polars`'s expressions on *rows* in columns of *dtype*, lazily, as dicts."""
    return table(instrument, rows, dtype).lazy().select(to_polars(instrument)).collect().to_dicts()


def every_back_end(instrument: Instrument, rows: Rows, postgres: Any) -> dict[str, int]:
    """
    Run *rows* through every back end and check each against `score`; how many rows each scored.

    An instrument beyond 2**53 is refused by every engine (checked) and scored by the Python back
    ends alone.
    """
    beyond = refused_beyond_doubles(instrument)
    scored: dict[str, int] = {}
    for backend in backends(postgres):
        if beyond and backend.engine:
            continue
        held = [row for row in rows if all(map(HOLDS[backend.column], row.values()))]
        if backend.engine:
            errors = [
                None if error is None else backend.whole_doubles(error)
                for error in first_errors(instrument, held, "Int64" if backend.column == "int64" else "float64")
            ]
        else:
            errors = [None if valid(instrument, row) else REFUSED for row in held]
        got = backend.run(instrument, held)
        try:
            check(instrument, held, got, errors)
        except AssertionError as failure:
            raise AssertionError(f"{backend.name}: {failure}") from failure
        scored[backend.name] = len(held)
    return scored


def valid(instrument: Instrument, row: dict[str, Any]) -> bool:
    """Whether score() scores *row* (rather than refusing it)."""
    try:
        compiled(instrument).score_by_rules(row)
    except InvalidAnswersError:
        return False
    return True


@pytest.mark.deep
@fewer_examples(3)
@given(data=st.data())
def test_every_back_end_scores_as_score_does(data: st.DataObject, postgres: Any) -> None:
    """
    Generated instruments and answer sets (gaps, not-applicable codes, out-of-range cells,
    fractions, whole numbers beyond a double and beyond 64 bits) through all twelve back ends.

    In make test-deep only, at a third of its profile (333 examples): each example plans and
    runs a query in three engines on two column types, a server round trip among them, and
    compiles a generated function (0.2 to 0.5 s each). make test runs the shipped instruments
    through every back end (test_shipped_instruments_score_alike_in_every_back_end).
    """
    instrument: Instrument = data.draw(instruments())
    rows = data.draw(answer_tables(instrument, floats=True, huge=True))

    scored = every_back_end(instrument, rows, postgres)

    assert scored["rules"] == len(rows)  # The Python back ends take every row.


@pytest.mark.parametrize("instrument", SHIPPED, ids=lambda instrument: instrument.id)
def test_shipped_instruments_score_alike_in_every_back_end(instrument: Instrument, postgres: Any) -> None:
    """Each shipped instrument, on every answer level, gaps, not-applicable codes and bad cells of each kind."""
    items = instrument.items
    low, high = items[0].response.min, items[0].response.max
    rows: Rows = [{item.id: value for item in items} for value in range(low, high + 1)]
    rows.append({item.id: None if i % 3 else high for i, item in enumerate(items)})
    rows.append({item.id: low + (i * 7) % (high - low + 1) for i, item in enumerate(items)})
    codes = {item.id: item.response.not_applicable.code for item in items if item.response.not_applicable}
    rows.append({item.id: codes.get(item.id, low) if i % 2 else high for i, item in enumerate(items)})
    last = rows[-1]
    rows.extend({**last, items[-1].id: bad} for bad in (high + 1, low + 0.5, 2**53 + 1, 2**63))

    scored = every_back_end(instrument, rows, postgres)

    assert scored == {
        backend.name: len(rows) - {"python": 0, "int64": 2, "float64": 2}[backend.column]
        for backend in backends(postgres)
    }
