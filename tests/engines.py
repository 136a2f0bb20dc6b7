"""
Scoring a table of answers in the engines leadscore's queries run in: helpers the tests share.

Rows are dicts of item id to a Python value (an int, a float, None); each engine's rows come
back as dicts of output columns (`leadscore.compile.FIELDS` per score, then ``error``), which
`check` compares with `leadscore.score`, bit for bit.
"""

from __future__ import annotations

import math

from typing import Any

import duckdb
import pandas as pd
import polars as pl
import pytest

from hypothesis import strategies as st

from leadscore import Instrument, InvalidAnswersError, LeadscoreError, score
from leadscore._exact import EXACT
from leadscore._plan import compiled
from leadscore.compile import to_polars, to_sql
from leadscore.frames import score_frame
from leadscore.testing.strategies import answers


#: Whole numbers beyond a double's integers and beyond a 64-bit integer's range.
HUGE = [EXACT + 1, 2**63, -(2**63) - 1]


@st.composite
def answer_tables(
    draw: st.DrawFn, instrument: Instrument, *, floats: bool = False, huge: bool = False
) -> list[dict[str, Any]]:
    """
    Rows of answers, some with a bad cell: out of range, a code the item lacks, (floats) a fraction.

    With *huge*, bad cells also include whole numbers a double cannot hold (2**53 + 1) and ones
    a 64-bit integer cannot (2**63, -2**63 - 1).
    """
    rows: list[dict[str, Any]] = [
        {item.id: row.get(item.id) for item in instrument.items}
        for row in draw(st.lists(answers(instrument), min_size=1, max_size=6))
    ]
    for row in rows:
        if draw(st.integers(0, 3)) == 0:  # About a quarter of the rows get bad cells.
            for item in draw(st.lists(st.sampled_from(instrument.items), min_size=1, max_size=2)):
                response = item.response
                na = response.not_applicable.code if response.not_applicable else None
                outside = [v for v in (response.min - 1, response.max + 1, response.max + 7) if v != na]
                choices = outside + ([response.min + 0.5] if floats else []) + (HUGE if huge else [])
                row[item.id] = draw(st.sampled_from(choices))
    return rows


def refused_beyond_doubles(instrument: Instrument) -> bool:
    """
    Whether *instrument* has a score whose exact figures pass 2**53 (leadscore._exact.bound).

    Such an instrument is scored exactly by score() alone: every engine that computes in doubles
    refuses it, naming the score, and this checks that they do.
    """
    if max(compiled(instrument).bounds.values(), default=0) <= EXACT:
        return False
    for engine in (to_polars, lambda i: to_sql(i, "answers"), lambda i: score_frame(i, pd.DataFrame())):
        with pytest.raises(LeadscoreError, match=r"its exact figures need whole numbers of \d+ bits, beyond 2\*\*53"):
            engine(instrument)
    return True


def same(expected: float | None, got: Any) -> bool:
    """A cell holds the score: null for None, else the same bits (the sign of a zero too)."""
    if expected is None or got is None:
        return expected is None and got is None
    return bool(expected == got and math.copysign(1, expected) == math.copysign(1, got))


def first_errors(instrument: Instrument, rows: list[dict[str, Any]], dtype: str) -> list[str | None]:
    """Each row's error as score_frame reports its first bad cell (columns in item order)."""
    frame = pd.DataFrame(rows, columns=[item.id for item in instrument.items], dtype=dtype)
    reported = score_frame(instrument, frame, on_error="report", fields=("value",))["error"]
    return [None if pd.isna(text) else text.split("; ")[0] for text in reported]


def check(
    instrument: Instrument, rows: list[dict[str, Any]], got: list[dict[str, Any]], errors: list[str | None]
) -> None:
    """*got* (one dict of columns per row) holds score()'s result for each row, bit for bit, and *errors* its refusals."""
    assert len(got) == len(rows)
    for row, cells, error in zip(rows, got, errors, strict=True):
        assert cells["error"] == error
        try:
            result = score(instrument, row)
        except InvalidAnswersError:
            assert error is not None
            assert all(v is None for name, v in cells.items() if name != "error")
            continue
        for scale in result.scales.values():
            assert same(scale.value, cells[f"{scale.id}.value"]), (scale, cells)
            assert same(scale.pomp, cells[f"{scale.id}.pomp"]), (scale, cells)
            assert scale.n_answered == cells[f"{scale.id}.n_answered"]
            assert scale.band == cells.get(f"{scale.id}.band")  # No column: no bands, no band.
        for composite in result.composites.values():
            assert same(composite.value, cells[f"{composite.id}.value"]), (composite, cells)
            assert same(composite.pomp, cells[f"{composite.id}.pomp"]), composite.id
            assert composite.band == cells.get(f"{composite.id}.band")


def table(instrument: Instrument, rows: list[dict[str, Any]], dtype: type[pl.DataType]) -> pl.DataFrame:
    """*rows* as a Polars frame with one column of *dtype* per item."""
    return pl.DataFrame(rows, schema={item.id: dtype for item in instrument.items}, strict=False)


def run_duckdb(query: str, frame: pl.DataFrame) -> list[dict[str, Any]]:
    """*query*'s rows, run by an in-memory DuckDB on *frame* as the table ``answers``."""
    with duckdb.connect() as connection:
        connection.register("answers", frame.to_arrow())
        cursor = connection.execute(query)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def run_sqlite(
    query: str, instrument: Instrument, rows: list[dict[str, Any]], column_type: str = "INTEGER"
) -> list[dict[str, Any]]:
    """*query*'s rows, run by Python's own SQLite on *rows* in a table ``answers`` of *column_type* columns."""
    import sqlite3  # noqa: PLC0415 - only these tests use it

    ids = [item.id for item in instrument.items]
    with sqlite3.connect(":memory:") as connection:
        columns = ", ".join('"' + i.replace('"', '""') + '" ' + column_type for i in ids)
        connection.execute(f"CREATE TABLE answers ({columns})")
        marks = ", ".join("?" * len(ids))
        insert = f"INSERT INTO answers VALUES ({marks})"  # noqa: S608 - placeholders only: the values are bound
        connection.executemany(insert, [[row.get(i) for i in ids] for row in rows])
        cursor = connection.execute(query)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def run_postgres(
    connection: Any, ids: list[str], rows: list[dict[str, Any]], query: str, column_type: str = "bigint"
) -> list[dict[str, Any]]:
    """*rows* in a temporary table of *column_type* columns named *ids*, then *query*'s rows."""
    from psycopg import sql  # noqa: PLC0415 - the tests' PostgreSQL driver

    columns = sql.SQL(", ").join(sql.SQL("{} " + column_type).format(sql.Identifier(i)) for i in ids)
    connection.execute(sql.SQL("CREATE TEMPORARY TABLE answers ({}) ON COMMIT DROP").format(columns))
    with connection.cursor() as cursor:
        insert = sql.SQL("INSERT INTO answers VALUES ({})").format(sql.SQL(", ").join(sql.Placeholder() * len(ids)))
        cursor.executemany(insert, [[row[i] for i in ids] for row in rows])
        cursor.execute(query)
        names = [column.name for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
