"""leadscore.readers at its edges: every refusal with its exact message, and the less common shapes of files."""

from __future__ import annotations

import io
import json
import sys

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import leadscore
import leadscore.readers

from leadscore.errors import ArgumentTypeError, InvalidArgumentError, InvalidExportError, InvalidFileError
from leadscore.readers import (
    MappingFile,
    Platform,
    load_mapping,
    open_reading,
    platforms,
    read_ratings,
    read_responses,
    register_platform,
)
from leadscore.readers._platforms import PLATFORMS, detect, header_rows
from leadscore.readers._text import MAX_LINE
from tests.exports import frame_rows, workbook
from tests.test_readers import LABELLED


def refused(data: bytes, **options: object) -> tuple[str, ...]:
    """The problems read_responses names for *data*."""
    with pytest.raises(InvalidExportError) as raised:
        read_responses(io.BytesIO(data), LABELLED, **options)  # type: ignore[arg-type]
    return raised.value.problems


class TestText:
    @pytest.mark.parametrize(
        ("data", "options", "problem"),
        [
            (b"q1\n4\n", {"encoding": "latin-1"}, "encoding 'latin-1' is not one of utf-8, utf-16, cp1252"),
            (b"q1\n4\n", {"delimiter": "|"}, "delimiter '|' is not one of comma, semicolon or tab"),
            (b"q1\n4\n", {"encoding": "utf-16"}, "utf-16 was asked for, but the file has no UTF-16 byte-order mark"),
            (b"q1\n" + b"4" * (MAX_LINE + 1) + b"\n", {}, f"line 2 is longer than {MAX_LINE:,} bytes"),
            (b'q1\n"4\n', {}, "line 2: a quote that is never closed"),
            (b'q1,q2\n"4"x,5\n', {}, "line 2: text right after a closing quote"),
            (b"q1\rq2,x\n", {}, "line 1: a line break inside a cell that is not in quotes"),
            (b"q1,x\nq\r1,x\n", {}, "line 2: a line break inside a cell that is not in quotes"),
            ("q1\n4\n".encode("utf-16-le")[:-1].join([b"\xff\xfe", b""]) + b"\x00\xd8", {}, None),
        ],
        ids=[
            "unknown encoding",
            "unknown delimiter",
            "utf-16 without its mark",
            "long line",
            "open quote",
            "text after a quote",
            "stray carriage return in the first line",
            "stray carriage return later",
            "cut UTF-16",
        ],
    )
    def test_refusals(self, data: bytes, options: dict[str, object], problem: str | None) -> None:
        """Each refusal names its line, or what was asked."""
        problems = refused(data, **options)

        assert len(problems) == 1
        if problem is not None:
            assert problems[0] == problem

    def test_a_long_utf16_line(self) -> None:
        """UTF-16 lines are limited too, in characters."""
        data = ("q1\n" + "4" * (MAX_LINE + 1) + "\n").encode("utf-16")

        assert refused(data) == (f"line 2 is longer than {MAX_LINE:,} characters",)

    def test_an_empty_file_or_only_blank_lines(self) -> None:
        """Nothing to read is no rows, and every item is absent."""
        for data in (b"", b"\n\n"):
            read = read_responses(io.BytesIO(data), LABELLED)
            assert (len(read.answers), read.report.absent) == (0, ("q1", "q2", "q3", "q4"))

    def test_one_column(self) -> None:
        """A file of one column has no delimiter to find: any reads it."""
        read = read_responses(io.BytesIO(b"q1\n4\n"), LABELLED)

        assert frame_rows(read.answers) == [{"q1": 4, "q2": None, "q3": None, "q4": None}]


class TestPlatforms:
    def test_the_registry(self) -> None:
        """Platforms by name; a new one registered, a second of the same name refused unless replacing."""
        mine = Platform(name="mine", title="Mine", signature={"MyId"}, metadata={"MyId"})

        register_platform(mine)
        try:
            assert "mine" in platforms()
            with pytest.raises(InvalidArgumentError, match="a platform named 'mine' is registered already"):
                register_platform(mine)
            register_platform(mine, replace=True)
            read = read_responses(io.BytesIO(b"MyId,q1\nx,4\n"), LABELLED)
            assert (read.report.platform, read.report.columns[0].role) == ("mine", "metadata")
        finally:
            del PLATFORMS["mine"]
        with pytest.raises(ArgumentTypeError, match="register_platform takes a Platform"):
            register_platform("mine")  # type: ignore[arg-type]

    def test_an_unknown_platform_and_a_header_that_fits_two(self) -> None:
        """An unknown --platform lists the known ones; a header with two platforms' signatures is not guessed."""
        with pytest.raises(InvalidArgumentError, match="platform must be 'auto' or one of castor, "):
            read_responses(io.BytesIO(b"q1\n4\n"), LABELLED, platform="typeform")

        problems = refused(b"CASE,QUESTNNR,Timestamp,q1\n1,base,x,4\n")

        assert problems == ("the header fits google-forms and sosci alike: give the platform (--platform)",)

    def test_older_qualtrics_exports_have_two_header_rows(self) -> None:
        """Without the ImportId row, the answers start on the third line."""
        data = b"StartDate,ResponseId,Q1\nStartDate,ResponseId,Blijft rustig onder druk.\n2026,R_1,4\n"

        read = read_responses(io.BytesIO(data), LABELLED)

        assert (read.report.header_rows, list(read.answers.index)) == (2, [3])
        assert detect([["StartDate", "ResponseId"]])[0].name == "qualtrics"
        assert header_rows(PLATFORMS["qualtrics"], [["a"], ["b"], ['{"x": 1}', "{bad"]]) == 2


class TestColumns:
    def test_texts_under_questions_in_brackets_and_as_ids(self) -> None:
        """SurveyMonkey's 'Response' row under a question, or the item's text under a matrix question; an item id in [...]."""
        monkey = b"Respondent ID,Collector ID,Blijft rustig onder druk.\n,,Response\n1,2,4\n"
        matrix = b"Respondent ID,Collector ID,Hoe vaak?\n,,Blijft rustig onder druk.\n1,2,3\n"
        bracket = b"Beoordeel [q2]\n5\n"

        assert frame_rows(read_responses(io.BytesIO(monkey), LABELLED).answers)[0]["q4"] == 4
        assert frame_rows(read_responses(io.BytesIO(matrix), LABELLED).answers)[0]["q4"] == 3
        assert frame_rows(read_responses(io.BytesIO(bracket), LABELLED).answers)[0]["q2"] == 5

    def test_a_text_two_items_share_is_not_guessed(self) -> None:
        """Two items with one text: a column with that text must be mapped."""
        twin = leadscore.Instrument(
            id="twin",
            version="1.0.0",
            title={"en": "T"},
            items=[
                leadscore.Item(
                    id=i,
                    text={"en": "Same."},
                    response=LABELLED.items[0].response,
                    source=leadscore.Source(document="t"),
                )
                for i in ("a", "b")
            ],
            scales=[leadscore.Scale(id="s", title={"en": "S"}, items=["a", "b"], min_answered=1)],
        )

        with pytest.raises(InvalidExportError) as raised:
            read_responses(io.BytesIO(b"Same.\n4\n"), twin)

        assert raised.value.problems == (
            "column 1 'Same.': its text is the text of items 'a', 'b': map it (--mapping)",
        )

    def test_an_id_column_or_kept_column_that_is_not_there(self) -> None:
        """--id-column and --keep name columns the file must have."""
        assert refused(b"q1\n4\n", id_column="ResponseId") == ("the id column 'ResponseId' is not in the header",)
        assert refused(b"q1\n4\n", keep=["Team"]) == ("the kept column 'Team' is not in the header",)

    def test_the_mapping_files_platform_and_its_ignore_list(self) -> None:
        """A mapping file may name the platform and columns to ignore."""
        mapping = MappingFile(platform="sosci", ignore=("Extra",), columns={"AB01_01": "q1"})

        read = read_responses(io.BytesIO(b"AB01_01\tExtra\n-9\tx\n"), LABELLED, mapping=mapping)

        assert (read.report.platform, read.report.platform_reason) == ("sosci", "the mapping file")
        assert read.report.delimiter_how == "SoSci Survey's"
        assert [c.role for c in read.report.columns] == ["item", "ignored"]


class TestValues:
    def test_codes_labels_and_mapping_values(self) -> None:
        """A mapping value wins over everything; a not-applicable label is the not-applicable code."""
        mapping = MappingFile(values={"Eens": 4, "weet niet": None})
        data = b"q1,q2,q3\nEens,niet van toepassing,weet niet\n"

        read = read_responses(io.BytesIO(data), LABELLED, mapping=mapping)

        assert frame_rows(read.answers) == [{"q1": 4, "q2": 9, "q3": None, "q4": None}]
        assert {(t.text, t.how) for t in read.report.translations} == {
            ("Eens", "mapping file"),
            ("niet van toepassing", "label (nl)"),
            ("weet niet", "mapping file"),
        }
        assert "'q1': 'Eens' -> 4 (mapping file), 1x" in str(read.report)

    def test_a_cell_that_is_not_text(self) -> None:
        """Excel gives numbers and booleans: a whole number is an answer, TRUE is not."""
        path = io.BytesIO(workbook([["q1", "q2"], ["4", "5"]]))
        path.name = "w.xlsx"

        assert frame_rows(read_responses(path, LABELLED).answers)[0]["q1"] == 4


class TestMappingFiles:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("columns = 3\n", "[columns] must map each header to an item id (text)"),
            ("values = 3\n", '[values] must map cell text to an answer (a whole number) or "missing"'),
            ("ignore = 3\n", "ignore must be a list of column names"),
            ("roles = 3\n", "[roles] must map each relationship value to a group (text)"),
        ],
    )
    def test_each_table_of_the_wrong_shape(self, text: str, message: str) -> None:
        """Each part of a mapping file is checked."""
        with pytest.raises(InvalidArgumentError) as raised:
            load_mapping(text, "m.toml")

        assert str(raised.value) == f"m.toml: {message}"

    def test_a_mapping_file_by_path(self, tmp_path: Path) -> None:
        """A path is read; one that cannot be read is refused with the reason."""
        path = tmp_path / "m.toml"
        path.write_text('[columns]\n"AB" = "q1"\n', encoding="utf-8")

        assert frame_rows(read_responses(io.BytesIO(b"AB\n3\n"), LABELLED, mapping=path).answers)[0]["q1"] == 3
        with pytest.raises(ArgumentTypeError, match="cannot read the mapping file"):
            read_responses(io.BytesIO(b"AB\n3\n"), LABELLED, mapping=tmp_path / "none.toml")
        with pytest.raises(ArgumentTypeError, match="mapping must be a MappingFile or a path"):
            read_responses(io.BytesIO(b"AB\n3\n"), LABELLED, mapping=3)  # type: ignore[arg-type]


class TestArguments:
    @pytest.mark.parametrize(
        ("options", "message"),
        [
            ({"keep": "Team"}, "keep must be a collection of column names, not one name (got 'Team')"),
            ({"keep": 3}, "keep must be a collection of column names (got 3)"),
            ({"keep": [3]}, "keep must hold column names as text (got 3)"),
            ({"sheet": True}, "sheet must be text or a number (got True)"),
            ({"platform": None}, "platform must be text: 'auto' or a platform's name (got None)"),
            ({"encoding": 8}, "encoding must be text (got 8)"),
        ],
    )
    def test_wrong_types(self, options: dict[str, object], message: str) -> None:
        """Each argument of the wrong type is named."""
        with pytest.raises(ArgumentTypeError) as raised:
            read_responses(io.BytesIO(b"q1\n4\n"), LABELLED, **options)  # type: ignore[arg-type]

        assert str(raised.value) == message

    def test_a_source_that_is_neither_a_path_nor_a_file(self) -> None:
        """A number is no source; a path that is not there is a file that cannot be read."""
        with pytest.raises(ArgumentTypeError, match="source must be a path, a binary file, or a pandas, Polars"):
            read_responses(3, LABELLED)
        with pytest.raises(InvalidExportError, match="No such file or directory"):
            read_responses("/nonexistent/export.csv", LABELLED)

    def test_a_sheet_for_a_file_that_has_none(self) -> None:
        """Only workbooks have sheets."""
        assert refused(b"q1\n4\n", sheet="Blad1") == ("a sheet was given, but this is no Excel workbook (.xlsx)",)


class TestStatisticsAndWorkbooks:
    def test_a_statistics_file_needs_a_path(self) -> None:
        """Pyreadstat reads from a path; an open SPSS file is refused."""
        handle = io.BytesIO(b"")
        handle.name = "x.sav"

        with pytest.raises(InvalidExportError, match="a SPSS file is read from a path, not from an open file"):
            read_responses(handle, LABELLED)

    def test_files_that_are_not_what_their_names_say(self, tmp_path: Path) -> None:
        """A .sav or .xlsx that is not one: refused, naming the kind."""
        for name in ("x.sav", "x.xlsx"):
            path = tmp_path / name
            path.write_bytes(b"not this kind of file")
            with pytest.raises(InvalidExportError, match="not a readable"):
                read_responses(path, LABELLED)


class TestOpenReading:
    def test_map_lists_what_it_found_and_what_it_did_not(self) -> None:
        """Without strict, columns that cannot be placed are listed for a person to fill in."""
        data = b"CASE\tQUESTNNR\tAB01_01\tq2\n1\tbase\t4\t5\n"

        with open_reading(LABELLED, io.BytesIO(data), strict=False) as reading:
            text = reading.mapping()

        assert reading.problems[0].startswith("column 3 'AB01_01' is no item of 'labelled', nor SoSci Survey metadata")
        assert 'platform = "sosci"\n\n[columns]\n"q2" = "q2"\n# No item was found' in text
        assert '# "AB01_01" = ""\n# Items without a column: q1, q3, q4\n' in text
        assert load_mapping(text).columns == {"q2": "q2"}

    def test_the_report_of_a_workbook_and_of_a_statistics_file(self, tmp_path: Path) -> None:
        """The report says the sheet or the kind of file instead of an encoding."""
        path = tmp_path / "w.xlsx"
        path.write_bytes(workbook([["q1"], ["4"]], sheet="Antwoorden"))

        report = read_responses(path, LABELLED).report

        assert "w.xlsx: 1 rows; platform csv (" in str(report)
        assert "Excel, sheet 'Antwoorden'" in str(report)


class TestRatingsEdges:
    def test_a_rating_needs_its_three_columns(self) -> None:
        """The subject, rater and relationship columns must be there."""
        with pytest.raises(InvalidExportError) as raised:
            read_ratings(io.BytesIO(b"q1\n4\n"), LABELLED)

        assert raised.value.problems[:3] == (
            "the kept column 'SubjectUniqueIdentifier' is not in the header",
            "the kept column 'ParticipantUniqueIdentifier' is not in the header",
            "the kept column 'Relationship' is not in the header",
        )

    def test_roles_from_the_mapping_file_win(self) -> None:
        """[roles] may name any group, and override a common name."""
        data = b"s,r,rel,q1\nA,1,Peer,4\nA,2,Klant,3\n"
        mapping = MappingFile(roles={"Peer": "others", "Klant": "customers"})

        read = read_ratings(io.BytesIO(data), LABELLED, subject="s", rater="r", relationship="rel", mapping=mapping)

        assert [r.group for r in read.subjects["A"]] == ["others", "customers"]


def test_the_mapping_report_as_data_is_json_friendly() -> None:
    """Every field of the report is plain data: text, numbers, and tuples of them."""
    import attrs  # noqa: PLC0415

    report = read_responses(io.BytesIO(b"q1\nEens\n"), LABELLED, mapping=MappingFile(values={"Eens": 4})).report

    assert json.loads(json.dumps(attrs.asdict(report)))["translations"][0]["how"] == "mapping file"


class TestMoreShapes:
    def test_an_answer_its_item_does_not_take(self) -> None:
        """A 7 on a 1-to-5 item is refused by read_responses, named by its line, as scoring names it."""
        with pytest.raises(leadscore.errors.InvalidAnswersError) as raised:
            read_responses(io.BytesIO(b"q1\n4\n7\n"), LABELLED)

        (problem,) = raised.value.problems
        assert (problem.row, problem.item_id) == (3, "q1")

    def test_an_id_column_given_by_name(self) -> None:
        """--id-column names the column carried as the index."""
        read = read_responses(io.BytesIO(b"ResponseId,q1\nR_1,4\n"), LABELLED, id_column="ResponseId")

        assert list(read.answers.index) == ["R_1"]

    def test_a_workbook_cell_that_is_a_boolean_and_an_empty_workbook(self, tmp_path: Path) -> None:
        """Excel's TRUE is no answer; a workbook with nothing in it is no rows."""
        import xlsxwriter  # type: ignore[import-untyped]  # noqa: PLC0415

        path = tmp_path / "w.xlsx"
        book = xlsxwriter.Workbook(str(path))
        page = book.add_worksheet()
        page.write_row(0, 0, ["q1"])
        page.write_boolean(1, 0, True)
        book.close()
        empty = tmp_path / "empty.xlsx"
        xlsxwriter.Workbook(str(empty)).close()

        with pytest.raises(leadscore.errors.InvalidAnswersError) as raised:
            read_responses(path, LABELLED)
        assert "a boolean is not an answer (got True)" in str(raised.value.problems[0])
        assert len(read_responses(empty, LABELLED).answers) == 0

    def test_spss_labels_outside_the_answers_and_wide_missing_ranges(self, tmp_path: Path) -> None:
        """A labelled code outside the item's answers is reported; a missing range too wide to list is left alone."""
        import pyreadstat  # noqa: PLC0415

        alliance = leadscore.get_instrument("alliance-qualities")
        item = alliance.items[0]
        frame = pd.DataFrame({"V1": [4.0, 2.0]})
        path = tmp_path / "a.sav"
        labels: dict[str, dict[int | float, str]] = {"V1": {4: "mee eens", 7: "weet ik niet"}}
        missing: dict[str, list[Any]] = {"V1": [{"lo": 100.0, "hi": 5000.0}]}
        pyreadstat.write_sav(
            frame, str(path), column_labels=[item.text.get("nl")], variable_value_labels=labels, missing_ranges=missing
        )

        report = read_responses(path, alliance).report

        assert report.disagreements == (
            "column 1 'V1': the file labels code 7 'weet ik niet', outside the item's answers",
        )

    def test_a_mapping_file_without_a_platform_writes_none(self) -> None:
        """to_toml leaves out what is not set."""
        assert MappingFile(values={"x": 3}).to_toml() == '\n[values]\n"x" = 3\n'.lstrip("\n")

    def test_shown_problems_are_capped(self) -> None:
        """An error of 60 problems shows 50 and says how many more."""
        error = InvalidExportError("f.csv", [f"problem {n}" for n in range(60)])

        assert error.shown()[-1] == "and 10 more problems"
        assert str(error).endswith("  - and 10 more problems")
        assert len(error.problems) == 60


def test_missing_extras_are_named(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without python-calamine or pyreadstat, a workbook or SPSS file says which extra reads it."""
    monkeypatch.setitem(sys.modules, "python_calamine", None)
    monkeypatch.setitem(sys.modules, "pyreadstat", None)
    for name, extra in (("x.xlsx", "excel"), ("x.sav", "spss")):
        path = tmp_path / name
        path.write_bytes(b"")
        with pytest.raises(ImportError, match=rf"pip install 'leadscore\[{extra}\]'"):
            read_responses(path, LABELLED)


def test_limesurveys_code_for_a_negative_answer_reads_as_that_answer() -> None:
    """A LimeSurvey answer code ``n2`` on a scale from -2 to 2 is the answer -2, and the report says how it read it."""
    scale = leadscore.ResponseScale(min=-2, max=2)
    items = [
        leadscore.Item(
            id=f"q{k}",
            text={"nl": f"Vraag {k}", "en": f"Question {k}"},
            response=scale,
            source=leadscore.Source(document="test"),
        )
        for k in (1, 2)
    ]
    signed = leadscore.Instrument(
        id="signed",
        version="1.0.0",
        title={"nl": "Test", "en": "Test"},
        items=items,
        scales=[leadscore.Scale(id="all", title={"nl": "Alles", "en": "All"}, items=["q1", "q2"], min_answered=1)],
    )
    data = b"id,submitdate,lastpage,startlanguage,q1,q2\n1,2026-01-01,1,nl,n2,1\n"

    read = read_responses(io.BytesIO(data), signed)

    assert "limesurvey" == read.report.platform
    assert [{"q1": -2, "q2": 1}] == frame_rows(read.answers)
    assert [("q1", -2, "LimeSurvey answer code (leadscore's n for minus)")] == [
        (t.item, t.answer, t.how) for t in read.report.translations
    ]


def test_a_tag_or_an_items_text_in_brackets_names_its_item() -> None:
    """Headers such as ``Q1 [stayscalm]`` map by the leadscore variable name, ``Q2 [text]`` by the item's text."""
    sbl = leadscore.get_instrument("secure-base-leadership")
    text = sbl.items[1].text.as_dict()["nl"]
    data = f'respondent,Q1 [stayscalm],"Q2 [{text}]"\nr1,4,2\n'.encode()

    read = read_responses(io.BytesIO(data), sbl, ignore=["respondent"])

    assert [{**dict.fromkeys(item.id for item in sbl.items), "stays-calm": 4, sbl.items[1].id: 2}] == frame_rows(
        read.answers
    )
    hows = {(column.item, column.how) for column in read.report.columns}
    assert ("stays-calm", "the leadscore variable name in [...]") in hows
    assert (sbl.items[1].id, "the text in [...]: the item's text (nl)") in hows


NO_NAME = "\ud800"  # A lone surrogate: no file system can encode it.
EXAMPLE_RATINGS = Path(__file__).resolve().parents[1] / "examples" / "sbl-ratings.csv"


@pytest.mark.parametrize(
    "call",
    [
        lambda: leadscore.readers.read_responses(NO_NAME + ".csv", "secure-base-leadership"),
        lambda: leadscore.readers.read_ratings(NO_NAME + ".json", "secure-base-leadership"),
        lambda: leadscore.load_instrument(NO_NAME + ".toml"),
        lambda: leadscore.read_releases(NO_NAME + ".json"),
        lambda: leadscore.aggregate_file("secure-base-leadership", NO_NAME + ".csv"),
        lambda: leadscore.score_file("secure-base-leadership", NO_NAME + ".csv", out=io.StringIO()),
        lambda: leadscore.score_file("secure-base-leadership", EXAMPLE_RATINGS, out=NO_NAME + ".csv"),
        lambda: leadscore.score_file(
            "secure-base-leadership", EXAMPLE_RATINGS, out="x.csv", rejected=NO_NAME, on_error="report"
        ),
    ],
    ids=["responses", "ratings", "definition", "releases", "aggregate-file", "score-in", "score-out", "rejected"],
)
def test_a_name_no_file_can_have_is_refused_naming_it(call: Any) -> None:
    """A path the file system cannot encode: an InvalidFileError naming it, at every entry point that takes one."""
    with pytest.raises(InvalidFileError, match=r"\\ud800.*no file can have this name"):
        call()
