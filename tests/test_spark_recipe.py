"""
The Spark recipe in docs/dataframes.md, run here against a stand-in for a Spark DataFrame.

The stand-in does what the recipe asks of Spark (an empty pandas frame, a column's type,
mapInPandas over batches), so CI keeps the documented code working with score_frame;
scripts/check_spark_recipe.py runs the same block on real Spark, by hand.
"""

from __future__ import annotations

import importlib.util

from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd

import leadscore

from leadscore.frames import score_frame


SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "check_spark_recipe.py"


class SparkLike:
    """Just enough of a Spark DataFrame for the recipe: batches of pandas frames."""

    def __init__(self, batches: list[pd.DataFrame]) -> None:
        """Hold *batches*; the respondent column is Spark's string."""
        self.batches = batches
        self.schema = {"respondent": SimpleNamespace(dataType=SimpleNamespace(simpleString=lambda: "string"))}
        self.mapped_with: str | None = None

    def limit(self, n: int) -> SimpleNamespace:
        """The first *n* rows, which toPandas() gives as a pandas frame."""
        return SimpleNamespace(toPandas=lambda: self.batches[0].head(n))

    def mapInPandas(  # noqa: N802 - Spark's name
        self, function: Callable[[Iterator[pd.DataFrame]], Iterator[pd.DataFrame]], schema: str
    ) -> pd.DataFrame:
        """Run *function* over the batches, as Spark does, and keep the schema it was given."""
        self.mapped_with = schema
        # Spark renumbers each batch from 0, as here.
        return pd.concat(list(function(b.reset_index(drop=True) for b in self.batches)), ignore_index=True)


def recipe() -> str:
    """The documented block, as the script that runs it on real Spark finds it."""
    spec = importlib.util.spec_from_file_location("check_spark_recipe", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text: str = module.recipe()
    return text


def test_recipe_scores_every_batch_with_a_schema_for_every_column() -> None:
    """The documented block gives a Spark type for each result column and scores each batch like pandas."""
    rng = np.random.default_rng(5)
    items = [item.id for item in leadscore.get_instrument("secure-base-leadership").items]
    frame = pd.DataFrame(rng.integers(1, 6, size=(30, len(items))).astype("float64"), columns=items)
    frame.iloc[4, 2] = 7.0
    frame.insert(0, "respondent", [f"r{i}" for i in range(30)])
    answers = SparkLike([frame.iloc[:10], frame.iloc[10:25], frame.iloc[25:]])
    namespace: dict[str, Any] = {"answers": answers}

    exec(recipe(), namespace)  # noqa: S102 - the documented recipe, verbatim

    expected = score_frame("secure-base-leadership", frame, keep=["respondent"], on_error="report")
    expected = expected.astype({name: "string" for name in expected.columns if name.endswith(".band")})
    pd.testing.assert_frame_equal(expected, namespace["scores"])
    assert answers.mapped_with is not None
    fields = answers.mapped_with.split(", ")
    assert len(expected.columns) == len(fields)
    assert ["`respondent` string", "`stays-calm.value` double", "`stays-calm.n_answered` bigint"] == fields[:3]
    assert {"double", "bigint", "string"} == {field.rsplit(" ", 1)[1] for field in fields}
