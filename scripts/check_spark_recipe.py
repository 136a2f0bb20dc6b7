"""
Run the Spark recipe of docs/dataframes.md against a local Spark session, and check its scores.

Not part of CI: Spark needs a JVM and a large download. Run it by hand when the recipe or
``score_frame`` changes, in an environment with leadscore[pandas] and pyspark::

    python -m venv /tmp/spark && /tmp/spark/bin/pip install -e ".[pandas]" pyspark pyarrow
    /tmp/spark/bin/python scripts/check_spark_recipe.py

It takes the code block under the ``spark-recipe`` marker exactly as the docs show it, runs
it on 3,000 synthetic responses in six partitions (some answers missing, two rows with bad
cells), and compares every score with ``score_frame`` on the same rows in pandas.

Last run 2026-11-22: pyspark 4.3.0, OpenJDK 17.0.15, pandas 3.1.1, pyarrow 26.0.1, NumPy 2.4.6:
3,000 rows and 51 columns equal, 2 rows rejected (pyspark warns that it does not yet fully
support pandas 3; nothing here was affected).
"""

from __future__ import annotations

import os
import re
import sys

from pathlib import Path
from typing import Any


DOCS = Path(__file__).resolve().parents[1] / "docs" / "dataframes.md"


def recipe() -> str:
    """The code block that follows the spark-recipe marker in docs/dataframes.md."""
    found = re.search(r"<!-- spark-recipe:.*?-->\n```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    if found is None:
        raise SystemExit(f"no spark-recipe block in {DOCS}")
    return found.group(1)


def synthetic_answers(rows: int) -> Any:
    """Answers from 1 to 5, about a tenth missing, two bad cells, and a respondent id."""
    import numpy as np  # noqa: PLC0415 - only this script's own run needs them
    import pandas as pd  # noqa: PLC0415

    import leadscore  # noqa: PLC0415

    rng = np.random.default_rng(11)
    items = [item.id for item in leadscore.get_instrument("secure-base-leadership").items]
    frame = pd.DataFrame(rng.integers(1, 6, size=(rows, len(items))).astype("float64"), columns=items)
    frame = frame.mask(rng.random(frame.shape) < 0.1)
    frame.iloc[[17, 2500], 0] = [4.5, 9.0]
    frame.insert(0, "respondent", [f"r{i:05d}" for i in range(rows)])
    return frame


def main() -> int:
    """Run the recipe on Spark; compare with pandas; 0 if every cell agrees."""
    import pandas as pd  # noqa: PLC0415
    import pyspark  # noqa: PLC0415

    from pyspark.sql import SparkSession  # noqa: PLC0415

    from leadscore.frames import score_frame  # noqa: PLC0415

    # Spark's workers run `python3` unless told otherwise; they need leadscore too.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = SparkSession.builder.master("local[2]").appName("leadscore-recipe").getOrCreate()
    try:
        frame = synthetic_answers(3000)
        answers = spark.createDataFrame(frame).repartition(6)
        namespace: dict[str, Any] = {"answers": answers}
        exec(recipe(), namespace)  # noqa: S102 - the documented recipe, verbatim
        got = namespace["scores"].toPandas().sort_values("respondent").reset_index(drop=True)
    finally:
        spark.stop()
    expected = score_frame("secure-base-leadership", frame, keep=["respondent"], on_error="report")
    expected = expected.astype({name: "string" for name in expected.columns if name.endswith(".band")})
    expected["respondent"] = expected["respondent"].astype(object)
    got["respondent"] = got["respondent"].astype(object)
    pd.testing.assert_frame_equal(expected, got, check_dtype=False)
    rejected = int(got["error"].notna().sum())
    print(f"pyspark {pyspark.__version__}: {len(got)} rows, {len(got.columns)} columns equal; {rejected} rejected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
