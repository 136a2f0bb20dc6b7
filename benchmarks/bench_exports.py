"""
Benchmark: ``leadscore score`` on a large survey export, against pandas doing the same.

Run with ``make bench``. Writes a CSV export of 200,000 responses to the nine items of
secure-base-leadership (5 % of answers left blank), then times, in one run and each from a
fresh interpreter (start-up and imports included), best of two:

- the command, as an analyst runs it: ``leadscore score ... --out scores.csv`` (the fast
  path, with pandas installed);
- the command on its row-by-row path (what runs without pandas);
- the baseline: ``pandas.read_csv`` + ``leadscore.frames.score_frame`` + ``to_csv`` of the
  same columns.

The issue's target: the command within twice the baseline.
"""

from __future__ import annotations

import random
import subprocess
import sys
import tempfile
import time

from pathlib import Path

import leadscore


ROWS = 200_000
REPEATS = 2
BASELINE = """
import sys
import pandas as pd
from leadscore.frames import score_frame
frame = pd.read_csv(sys.argv[1])
scores = score_frame("secure-base-leadership", frame.drop(columns=["respondent"]), fields=("value", "pomp", "band"))
scores.insert(0, "respondent", frame["respondent"])
scores.to_csv(sys.argv[2], index=False)
"""
ROW_PATH = """
import sys
import leadscore.cli
leadscore.cli._fast_path = lambda: None
sys.exit(leadscore.cli.main(["score", "secure-base-leadership", sys.argv[1], "--out", sys.argv[2]]))
"""


def write_export(path: Path) -> None:
    """The benchmark's export: an id column and the nine items."""
    ids = [item.id for item in leadscore.get_instrument("secure-base-leadership").items]
    rng = random.Random(0)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("respondent," + ",".join(ids) + "\n")
        for n in range(ROWS):
            cells = (str(rng.randint(1, 5)) if rng.random() > 0.05 else "" for _ in ids)
            handle.write(f"r{n}," + ",".join(cells) + "\n")


def best(command: list[str]) -> float:
    """The best of REPEATS runs of *command*, in seconds."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        subprocess.run(command, check=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Print the figures."""
    with tempfile.TemporaryDirectory() as folder:
        export, out = Path(folder) / "export.csv", Path(folder) / "scores.csv"
        write_export(export)
        command = best(
            [sys.executable, "-m", "leadscore", "score", "secure-base-leadership", str(export), "--out", str(out)]
        )
        rows = best([sys.executable, "-c", ROW_PATH, str(export), str(out)])
        baseline = best([sys.executable, "-c", BASELINE, str(export), str(out)])
    print(
        f"leadscore score, {ROWS:,} rows: {command:5.1f} s (row by row {rows:5.1f} s); "
        f"pandas read_csv + score_frame + to_csv {baseline:5.1f} s: {command / baseline:.2f}x"
    )


if __name__ == "__main__":
    main()
