"""
Benchmark: one instrument scored four ways on the same 1,000,000 responses, in one run.

Run with ``make bench`` (or ``python benchmarks/bench_compile.py [rows]``). The answers are
synthetic Secure Base Leadership responses (9 items from 1 to 5, about 5 % not answered),
written once to a Parquet file; each engine runs in a process of its own, which reads the
file into its own form first (not timed), then scores it:

- ``score_many``: the generated Python scorer, on a list of answer dicts;
- ``score_frame``: NumPy, on a pandas frame of float64 columns (as a CSV export reads);
- DuckDB: the query of ``to_sql`` on a DuckDB table, the result fetched as an Arrow table;
- Polars: ``lazy_frame.select(to_polars(...)).collect()`` on Int64 columns, in memory and
  on the streaming engine.

Each time is the best of 3; the ratios are against ``score_many`` in the same run. Memory
is the peak resident set (the kernel's VmHWM) while scoring, less the resident set before,
so that it counts native allocations (DuckDB's, Polars') that ``tracemalloc`` does not see;
the first run's, as later runs reuse freed pages. Every engine must give the same sum of
one scale's values (an exact column): a check that they scored the same thing.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tempfile
import time

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

import leadscore


ROWS = 1_000_000
REPEATS = 3
SBL = "secure-base-leadership"
CHECKED = "sees-the-potential.value"  # One item's mean: every engine computes it exactly.
ENGINES = ("score_many", "score_frame", "duckdb", "polars", "polars-streaming")


def write_answers(path: Path, rows: int) -> None:
    """*rows* synthetic responses, about 5 % of answers missing, as a Parquet file of Int64 columns."""
    rng = np.random.default_rng(2026)
    columns = {}
    for item in leadscore.get_instrument(SBL).items:
        values = rng.integers(item.response.min, item.response.max + 1, size=rows)
        columns[item.id] = pa.array(values, mask=rng.random(rows) < 0.05)
    pq.write_table(pa.table(columns), path)


def resident() -> tuple[int, int]:
    """This process's resident set and its peak so far, in bytes (Linux's /proc)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) * 1024, int(fields["VmHWM"].split()[0]) * 1024


def prepared(engine: str, path: Path) -> tuple[Callable[[], Any], Callable[[Any], float]]:
    """What to time for *engine* on the answers in *path*, and how to sum CHECKED in its result."""
    instrument = leadscore.get_instrument(SBL)
    table = pq.read_table(path)
    if engine == "score_many":
        columns = table.to_pydict()
        answers = [dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)]
        scale = CHECKED.split(".", maxsplit=1)[0]
        return (
            lambda: list(leadscore.score_many(instrument, answers)),
            lambda results: math.fsum(v for r in results if (v := r.scales[scale].value) is not None),
        )
    if engine == "score_frame":
        from leadscore.frames import score_frame  # noqa: PLC0415 - each engine loads only its own

        frame = table.to_pandas()  # Int64 columns with nulls arrive as float64 with NaN.
        return lambda: score_frame(instrument, frame), lambda result: math.fsum(result[CHECKED].dropna())
    if engine == "duckdb":
        import duckdb  # noqa: PLC0415

        from leadscore.compile import to_sql  # noqa: PLC0415

        connection = duckdb.connect()
        connection.register("arrow_answers", table)
        connection.execute("CREATE TABLE answers AS SELECT * FROM arrow_answers")
        connection.unregister("arrow_answers")
        del table
        query = to_sql(instrument, "answers")
        return (
            lambda: _arrow(connection.sql(query)),
            lambda result: math.fsum(v for v in result[CHECKED].to_pylist() if v is not None),
        )
    import polars as pl  # noqa: PLC0415

    from leadscore.compile import to_polars  # noqa: PLC0415

    lazy = pl.from_arrow(table).lazy()  # type: ignore[union-attr]
    del table
    expressions = to_polars(instrument)
    streaming = engine == "polars-streaming"
    return (
        lambda: lazy.select(expressions).collect(engine="streaming" if streaming else "auto"),
        lambda result: math.fsum(result[CHECKED].drop_nulls().to_list()),
    )


def _arrow(relation: Any) -> Any:
    """A DuckDB result as an Arrow table (``to_arrow_table`` from DuckDB 1.4, ``fetch_arrow_table`` before)."""
    fetch = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
    return fetch()


def child(engine: str, path: Path) -> dict[str, Any]:
    """Run *engine* REPEATS times; its best time, the first run's memory, and the check sum."""
    run, total = prepared(engine, path)
    before, _ = resident()
    times = []
    result = None
    peak = 0
    for index in range(REPEATS):
        result = None  # The last run's result is freed before the next starts.
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
        if index == 0:
            peak = resident()[1] - before
    return {"engine": engine, "seconds": min(times), "peak": peak, "check": total(result)}


def main() -> None:
    """Write the answers, run every engine in its own process, print times, ratios and memory."""
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2], Path(sys.argv[3]))))
        return
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else ROWS
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.parquet"
        write_answers(path, rows)
        figures = []
        for engine in ENGINES:
            command = [sys.executable, __file__, "--child", engine, str(path)]
            done = subprocess.run(command, check=True, capture_output=True, text=True)
            figures.append(json.loads(done.stdout))
    base = figures[0]["seconds"]
    print(f"Secure Base Leadership, {rows:,} responses (9 items, 13 scores), best of {REPEATS}:")
    for figure in figures:
        seconds, peak = figure["seconds"], figure["peak"] / 2**20
        print(f"  {figure['engine']:17} {seconds:7.3f} s  {seconds / base:5.3f} x score_many   peak {peak:7.0f} MiB")
    checks = {figure["check"] for figure in figures}
    if len(checks) != 1:
        raise SystemExit(f"the engines disagree on the sum of {CHECKED}: {sorted(checks)}")
    print(f"  every engine: the same sum of {CHECKED} ({checks.pop()!r})")


if __name__ == "__main__":
    main()
