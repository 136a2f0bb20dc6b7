"""score_frame() on a Dask DataFrame: partition by partition on a local cluster of processes, equal to pandas."""

from __future__ import annotations

from collections.abc import Iterator

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

from distributed import Client, LocalCluster

import leadscore

from leadscore import InvalidAnswersError
from leadscore.frames import score_frame


SBL = "secure-base-leadership"


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """
    Two worker processes, so partitions are scored in other interpreters and results come back pickled.

    The dashboard takes any free port: with `dashboard_address=None` it took 8787, and two test
    processes starting a cluster at once collided there (a warning, so an error here).
    """
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,
        Client(cluster) as client,
    ):
        yield client


def answers(rows: int, seed: int = 7) -> pd.DataFrame:
    """Whole answers from 1 to 5 with about a tenth missing, and a respondent id."""
    rng = np.random.default_rng(seed)
    items = [item.id for item in leadscore.get_instrument(SBL).items]
    frame = pd.DataFrame(rng.integers(1, 6, size=(rows, len(items))).astype("float64"), columns=items)
    frame = frame.mask(rng.random(frame.shape) < 0.1)
    frame.insert(0, "respondent", [f"r{i:04d}" for i in range(rows)])
    return frame


def test_partitions_on_a_cluster_equal_pandas(client: Client) -> None:
    """Scored in two worker processes over five partitions, the result equals the pandas one, types included."""
    frame = dd.from_pandas(answers(1000), npartitions=5)
    lazy = score_frame(SBL, frame, keep=["respondent"])

    result = lazy.compute()

    # Against the same data as Dask holds it (Dask makes text columns Arrow strings).
    expected = score_frame(SBL, frame.compute(), keep=["respondent"])
    pd.testing.assert_frame_equal(expected, result)
    assert 5 == lazy.npartitions
    assert len(client.scheduler_info()["workers"]) == 2


def test_bad_cells_raise_on_compute_naming_the_partition(client: Client) -> None:
    """Columns are checked at once; a bad cell raises when its partition is scored, and says which one."""
    frame = answers(100)
    frame.loc[73, "stays-calm"] = 4.5
    lazy = score_frame(SBL, dd.from_pandas(frame, npartitions=4), keep=["respondent"])

    for scheduler in (None, "synchronous"):  # The cluster's worker processes, then this one.
        with pytest.raises(InvalidAnswersError) as caught:
            lazy.compute(scheduler=scheduler)

        assert ["row 73, column 'stays-calm': must be a whole number (got 4.5)"] == [
            str(p) for p in caught.value.problems
        ]
        assert ["in partition 2 of the Dask DataFrame; rows are its index labels"] == caught.value.__notes__


def test_report_marks_bad_rows_in_any_partition(client: Client) -> None:
    """With errors='report', every partition's bad rows carry their reason and the rest are scored."""
    pandas_frame = answers(100)
    pandas_frame.loc[[5, 95], "sees-the-potential"] = [9.0, 0.0]
    frame = dd.from_pandas(pandas_frame, npartitions=4)
    lazy = score_frame(SBL, frame, keep=["respondent"], on_error="report")

    result = lazy.compute()

    assert [5, 95] == list(result.index[result["error"].notna()])
    assert result.loc[[5, 95], "overall.value"].isna().all()
    pd.testing.assert_frame_equal(score_frame(SBL, frame.compute(), keep=["respondent"], on_error="report"), result)


def test_column_problems_raise_before_anything_is_computed() -> None:
    """An unmatched column is an error when the graph is built, not later on a worker."""
    frame = dd.from_pandas(answers(10).rename(columns={"stays-calm": "Q1"}), npartitions=2)

    with pytest.raises(InvalidAnswersError) as caught:
        score_frame(SBL, frame, keep=["respondent"])

    assert ["column 'Q1' names no item; map it with mapping= or list it in keep="] == [
        str(p) for p in caught.value.problems
    ]


def test_fields_and_column_map_pass_through() -> None:
    """Options reach every partition: a column map, a narrower result, the synchronous scheduler."""
    frame = dd.from_pandas(answers(40).rename(columns={"stays-calm": "Q1_1"}), npartitions=3)
    columns = {"Q1_1": "stays-calm"} | {c: c for c in frame.columns[2:]}

    result = score_frame(SBL, frame, mapping=columns, keep=["respondent"], fields=["value"])

    pd.testing.assert_frame_equal(
        score_frame(SBL, frame.compute(), mapping=columns, keep=["respondent"], fields=["value"]),
        result.compute(scheduler="synchronous"),
    )
    assert ["respondent", "stays-calm.value"] == list(result.columns[:2])


def test_other_frames_are_refused() -> None:
    """Anything but a pandas or Dask DataFrame is a TypeError naming what came in."""
    with pytest.raises(TypeError, match=r"frame must be a pandas, Polars, PyArrow or Dask DataFrame \(got dict\)"):
        score_frame(SBL, {"stays-calm": [4]})
