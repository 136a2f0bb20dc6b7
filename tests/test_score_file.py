"""`leadscore.score_file`: what `leadscore score` does, as a library call, and what it says it did."""

from __future__ import annotations

import csv
import io
import json

from pathlib import Path
from typing import Any

import pytest

import leadscore

from leadscore import InvalidAnswersError, ScoredFile, score_file
from leadscore.cli import main
from leadscore.errors import ArgumentTypeError, InvalidArgumentError, InvalidFileError
from tests.strategies import table_layout


EXAMPLES = Path(__file__).parents[1] / "examples"
RATINGS = EXAMPLES / "sbl-ratings.csv"
SBL = "secure-base-leadership"


def bad_file(tmp_path: Path) -> Path:
    """Four rows of Secure Base Leadership answers, the second's and fourth's stays-calm out of range (9, 7)."""
    header, *rows = list(csv.reader(io.StringIO(RATINGS.read_text(encoding="utf-8"))))
    rows = rows[:4]
    assert header[1] == "stays-calm"
    rows[1][1], rows[3][1] = "9", "7"
    path = tmp_path / "bad.csv"
    path.write_text("".join(",".join(row) + "\n" for row in [header, *rows]), encoding="utf-8")
    return path


def test_a_file_scores_to_what_the_command_writes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The same bytes as `leadscore score`, the glossary's layout, and a record of what was read and written."""
    out = tmp_path / "scores.csv"
    said: list[str] = []
    moved: list[int] = []

    done = score_file(SBL, RATINGS, out=out, on_message=said.append, on_progress=moved.append)

    assert 0 == main(["score", SBL, str(RATINGS)])
    assert capsys.readouterr().out == out.read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    instrument = leadscore.get_instrument(SBL)
    assert ["respondent", *table_layout(instrument, ("value", "pomp", "band"))] == header
    assert done == ScoredFile(
        instrument_id=SBL,
        instrument_version=instrument.version,
        source=str(RATINGS),
        format="csv",
        id_column="respondent",
        kept=(),
        columns=tuple(header),
        rows_read=5,
        rows_scored=5,
        rows_rejected=0,
        absent=(),
        mapping=done.mapping,
    )
    assert done.mapping is not None
    assert [] == said
    assert 5 == sum(moved)


def test_report_scores_the_good_rows_and_names_each_bad_one(tmp_path: Path) -> None:
    """on_error="report": good rows scored, bad rows to the rejected stream, each problem told with its row."""
    source = bad_file(tmp_path)
    out, rejected = io.StringIO(), io.StringIO()
    said: list[str] = []

    done = score_file(SBL, source, out=out, on_error="report", rejected=rejected, on_message=said.append)

    assert (4, 2, 2) == (done.rows_read, done.rows_scored, done.rows_rejected)
    assert 3 == len(out.getvalue().splitlines())  # The header and two rows.
    records = [json.loads(line) for line in rejected.getvalue().splitlines()]
    assert [3, 5] == [record["row"] for record in records]  # Lines of the file.
    assert [line.split(": ")[0] for line in said] == ["row 3", "row 5"]
    assert all("'stays-calm' must be an integer from 1 to 5" in line for line in said)


def test_raise_stops_at_the_first_bad_row_and_writes_nothing(tmp_path: Path) -> None:
    """on_error="raise": an InvalidAnswersError naming the row and the item, and no output file."""
    out = tmp_path / "scores.jsonl"

    with pytest.raises(InvalidAnswersError) as raised:
        score_file(SBL, bad_file(tmp_path), out=out, format="jsonl")

    assert [(3, "stays-calm", 9)] == [(p.row, p.item_id, p.value) for p in raised.value.problems]
    assert not out.exists()


def test_json_lines_out_of_json_answer_sets(tmp_path: Path) -> None:
    """JSON answer sets in, one result per line out, with the id column and what is kept."""
    source = tmp_path / "answers.jsonl"
    source.write_text(
        "".join(json.dumps({"respondent": f"r{n}", "team": "A", "stays-calm": n}) + "\n" for n in (1, 5)),
        encoding="utf-8",
    )
    out = io.StringIO()

    done = score_file(SBL, source, out=out, format="jsonl", keep=["team"])

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [("r1", "A", 1.0), ("r5", "A", 5.0)] == [
        (line["respondent"], line["team"], line["scales"]["stays-calm"]["value"]) for line in lines
    ]
    assert (done.id_column, done.kept, done.columns, done.mapping) == (
        "respondent",
        ("team",),
        ("respondent", "team"),
        None,
    )


class _NoTty(io.StringIO):
    """A text stream without isatty, as some stand-ins for standard output are."""

    isatty = None  # type: ignore[assignment]


def test_a_stream_without_isatty_is_no_terminal(tmp_path: Path) -> None:
    """Text from the file is escaped for a terminal only: a stream that cannot say gets it as it is."""
    source = tmp_path / "answers.json"
    source.write_text(json.dumps([{"respondent": "\x1b[31mred", "stays-calm": 4}]), encoding="utf-8")
    out = _NoTty()

    score_file(SBL, source, out=out)

    assert "\x1b[31mred" in out.getvalue()


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"source": 3}, ArgumentTypeError, "source must be a path (got int)"),
        ({"format": "json"}, InvalidArgumentError, "format must be 'csv' or 'jsonl' (got 'json')"),
        ({"on_error": "skip"}, InvalidArgumentError, "on_error must be 'raise' or 'report' (got 'skip')"),
        ({"on_error": "report"}, InvalidArgumentError, "on_error 'report' needs a file for the rejected rows"),
        ({"rejected": "OUT"}, InvalidArgumentError, "out and rejected are both"),
        ({"out": "SOURCE"}, InvalidFileError, "it is the input"),
        ({"source": "JSON", "platform": "qualtrics"}, InvalidArgumentError, "platform: only for survey exports"),
    ],
)
def test_options_that_do_not_go_together_are_refused_before_any_work(
    tmp_path: Path, options: dict[str, Any], error: type[Exception], message: str
) -> None:
    """Each wrong option is a LeadscoreError naming it; nothing is written."""
    json_source = tmp_path / "a.json"
    json_source.write_text("[]", encoding="utf-8")
    out = tmp_path / "out.csv"
    places = {"OUT": out, "SOURCE": RATINGS, "JSON": json_source}
    given = {"source": RATINGS, "out": out, **options}
    given = {name: places.get(value, value) if isinstance(value, str) else value for name, value in given.items()}

    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        score_file(SBL, **given)

    assert not out.exists()
