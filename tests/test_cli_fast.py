"""The score command's fast path (pandas) writes what its row path writes, byte for byte."""

from __future__ import annotations

import io
import json
import sys
import tempfile

from pathlib import Path

import pytest

from hypothesis import given
from hypothesis import strategies as st

import leadscore
import leadscore._score_fast
import leadscore._score_file
import leadscore.cli

from leadscore.cli import main


SBL = leadscore.get_instrument("secure-base-leadership")
IDS = [item.id for item in SBL.items]
CELLS = st.one_of(
    st.sampled_from(["1", "2", "3", "4", "5", "", " 4 ", "4.0"]),  # answers, as files write them
    st.sampled_from(["7", "0", "x", "4.5", "=1+1"]),  # no answers
)


@st.composite
def files(draw: st.DrawFn) -> str:
    """A CSV export of SBL with an id and a kept column, bad cells and ragged rows now and then."""
    header = ["respondent", "team", *IDS]
    lines = [",".join(header)]
    for n in range(draw(st.integers(0, 12))):
        cells = [f"r{n}", draw(st.sampled_from(["a", "b", "-x"])), *(draw(CELLS) for _ in IDS)]
        if draw(st.integers(0, 9)) == 0:
            cells = cells[: draw(st.integers(1, len(cells) - 1))]  # a short row
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def run(path: Path, *, fast: bool, skip: bool) -> tuple[int, bytes, bytes, str]:
    """Score *path* by one path: the exit code, the output's and rejected file's bytes, and what stderr said."""
    out, rejected = path.with_name("out.csv"), path.with_name("rejected.jsonl")
    for stale in (out, rejected):
        stale.unlink(missing_ok=True)
    said = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        if not fast:
            patch.setattr(leadscore._score_file, "_fast_path", lambda: None)
        patch.setattr(leadscore._score_fast, "BLOCK", 3)  # Many blocks, and runs cut by bad rows.
        patch.setattr(sys, "stderr", said)
        options = ["--on-error", "report", "--rejected", str(rejected)] if skip else []
        code = main(["score", SBL.id, str(path), "--keep", "team", "--out", str(out), *options])
    written = out.read_bytes() if out.exists() else b""
    return code, written, rejected.read_bytes() if rejected.exists() else b"", said.getvalue()


@pytest.mark.deep
@pytest.mark.untraced
@given(files(), st.booleans())
def test_the_fast_path_writes_what_the_row_path_writes(text: str, skip: bool) -> None:
    """Output, rejected rows, messages and exit code: the same, whichever path scored the file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "export.csv"
        path.write_text(text, encoding="utf-8")

        fast = run(path, fast=True, skip=skip)
        slow = run(path, fast=False, skip=skip)

    assert fast == slow


def test_a_file_of_several_blocks_with_a_bad_row_scores_alike_by_both_paths(tmp_path: Path) -> None:
    """Seven rows in blocks of three, the fifth refused: the property above by one example, under coverage."""
    rows = [",".join([f"r{n}", "a", *(["9"] if n == 4 else ["3"]) * len(IDS)]) for n in range(7)]
    path = tmp_path / "export.csv"
    path.write_text("\n".join([",".join(["respondent", "team", *IDS]), *rows]) + "\n", encoding="utf-8")

    fast = run(path, fast=True, skip=True)

    assert fast == run(path, fast=False, skip=True)
    assert 0 == fast[0]
    assert 7 == len(fast[1].splitlines())  # the header and six scored rows
    assert [6] == [json.loads(line)["row"] for line in fast[2].splitlines()]  # r4, on the file's sixth line


def test_an_excel_true_beside_a_one_is_refused_by_both_paths(tmp_path: Path) -> None:
    """Python holds TRUE (a boolean cell) equal to 1: the fast path once read it as 1; both paths refuse it."""
    import xlsxwriter  # type: ignore[import-untyped]  # noqa: PLC0415 - a test tool

    path = tmp_path / "export.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["team", "stays-calm"])
    sheet.write_row(1, 0, ["a", 1])
    sheet.write_row(2, 0, ["a"])
    sheet.write_boolean(2, 1, True)
    book.close()

    fast, slow = run(path, fast=True, skip=True), run(path, fast=False, skip=True)

    assert fast == slow
    assert "row 3, column 'stays-calm': a boolean is not an answer (got True)" in fast[3]
    assert fast[1].count(b"\n") == 2  # The header and the one good row.
