"""read_responses_dask: exports as a Dask DataFrame, each file read by read_responses' rules."""

from __future__ import annotations

import re

from pathlib import Path

import pandas as pd
import pytest

import leadscore

from leadscore.errors import ArgumentTypeError, InvalidAnswersError, InvalidArgumentError, InvalidExportError
from leadscore.frames import score_frame
from leadscore.readers import read_responses, read_responses_dask


dd = pytest.importorskip("dask.dataframe")
SBL = leadscore.get_instrument("secure-base-leadership")
IDS = [item.id for item in SBL.items]


def exports(folder: Path, bad: str | None = None) -> list[Path]:
    """Three exports of five responses; with *bad*, the third's first answer is that cell."""
    paths = []
    for k in range(3):
        path = folder / f"responses-{k}.csv"
        rows = [",".join(["respondent", "team", *IDS])]
        for r in range(5):
            cells = [str(1 + (k + r + n) % 5) for n in range(len(IDS))]
            if bad is not None and k == 2 and r == 0:
                cells[0] = bad
            rows.append(",".join([f"r{k}-{r}", "HR" if r % 2 else "ICT", *cells]))
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def test_each_file_is_a_partition_read_as_read_responses_reads_it(tmp_path: Path) -> None:
    """The Dask frame equals the files read one by one with read_responses; scores equal pandas'."""
    paths = exports(tmp_path)

    frame = read_responses_dask(paths, SBL, keep=["team"])
    computed = frame.compute()

    assert frame.npartitions == 3
    expected = pd.concat([read_responses(p, SBL, keep=["team"]).answers for p in paths])
    # Dask keeps text as Arrow strings (its default), pandas as its own: the values are compared.
    pd.testing.assert_frame_equal(computed[IDS], expected, check_index_type=False)
    assert list(computed["file"]) == [str(p) for p in paths for _ in range(5)]
    assert list(computed["team"])[:2] == ["ICT", "HR"]
    scores = score_frame(SBL, frame, keep=["file", "team"], fields=("value",)).compute()
    expected_scores = score_frame(SBL, expected, fields=("value",))
    pd.testing.assert_frame_equal(scores.drop(columns=["file", "team"]), expected_scores, check_index_type=False)


def test_a_bad_cell_names_its_file_and_line(tmp_path: Path) -> None:
    """'four' in the third file: an InvalidAnswersError on compute, its line and file named (Dask's reader would fail inside)."""
    paths = exports(tmp_path, bad="four")
    frame = read_responses_dask(paths, SBL, keep=["team"])

    with pytest.raises(InvalidAnswersError) as raised:
        frame.compute(scheduler="synchronous")

    (problem,) = raised.value.problems
    assert (problem.row, problem.column) == (2, "stays-calm")
    assert raised.value.__notes__ == [f"in {paths[2]}; rows are its lines"]


def test_column_problems_of_the_first_file_raise_at_once(tmp_path: Path) -> None:
    """A column the first file cannot place: refused when the frame is made."""
    path = tmp_path / "x.csv"
    path.write_text("Team,stays-calm\nHR,4\n", encoding="utf-8")

    with pytest.raises(InvalidExportError, match="column 1 'Team' is no item"):
        read_responses_dask([path], SBL)


@pytest.mark.parametrize(
    ("paths", "error", "message"),
    [
        ("responses.csv", ArgumentTypeError, "paths must be a collection of paths (got str)"),
        ([3], ArgumentTypeError, "paths must hold paths (got int)"),
        ([], InvalidArgumentError, "paths must name at least one file"),
    ],
)
def test_paths_must_be_paths(paths: object, error: type[Exception], message: str) -> None:
    """One path, or something else: refused."""
    with pytest.raises(error, match=re.escape(message)):
        read_responses_dask(paths, SBL)  # type: ignore[arg-type]
