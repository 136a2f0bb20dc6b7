"""leadscore.readers: every platform's export read back to exactly the answers written into it."""

from __future__ import annotations

import io
import json
import re

from pathlib import Path
from typing import Any

import pytest

from hypothesis import given
from hypothesis import strategies as st

import leadscore

from leadscore import Instrument, Item, NotApplicable, PointLabel, ResponseScale, Scale, Source
from leadscore.errors import InvalidAnswersError, InvalidExportError
from leadscore.readers import MappingFile, load_mapping, read_ratings, read_responses
from leadscore.testing.strategies import answers
from tests.exports import PLATFORMS, Export, export, frame_rows


pd = pytest.importorskip("pandas")

AGREEMENT = [
    ("helemaal mee oneens", "strongly disagree"),
    ("mee oneens", "disagree"),
    ("neutraal", "neutral"),
    ("mee eens", "agree"),
    ("helemaal mee eens", "strongly agree"),
]


def labelled() -> Instrument:
    """Four items on a labelled agreement scale with a not-applicable answer, texts in Dutch and English."""
    response = ResponseScale(
        min=1,
        max=5,
        labels=[PointLabel(value=v + 1, text={"nl": nl, "en": en}) for v, (nl, en) in enumerate(AGREEMENT)],
        not_applicable=NotApplicable(code=9, label={"nl": "niet van toepassing", "en": "not applicable"}),
    )
    texts = [
        ("Luistert eerst en oordeelt later.", "Listens first and judges later."),
        ("Geeft ruimte om fouten te maken.", "Leaves room to make mistakes."),
        ("Spreekt verwachtingen helder uit.", "States expectations clearly."),
        ("Blijft rustig onder druk.", "Stays calm under pressure."),
    ]
    items = [
        Item(id=f"q{k + 1}", text={"nl": nl, "en": en}, response=response, source=Source(document="test"))
        for k, (nl, en) in enumerate(texts)
    ]
    return Instrument(
        id="labelled",
        version="1.0.0",
        title={"nl": "Test", "en": "Test"},
        items=items,
        scales=[Scale(id="all", title={"nl": "Alles", "en": "All"}, items=[i.id for i in items], min_answered=1)],
    )


LABELLED = labelled()
INSTRUMENTS = [LABELLED, *(leadscore.get_instrument(i) for i in ("secure-base-leadership", "alliance-qualities"))]


@st.composite
def exports(draw: st.DrawFn) -> tuple[Instrument, str, tuple[Export, bool]]:
    """An instrument, a platform, and that platform's export of generated answer sets."""
    instrument = draw(st.sampled_from(INSTRUMENTS))
    platform = draw(st.sampled_from(PLATFORMS))
    sets = draw(st.lists(answers(instrument), min_size=1, max_size=6))
    excel = draw(st.booleans())
    written = export(
        platform,
        instrument,
        sets,
        language=draw(st.sampled_from(["nl", "en"])),
        labels=draw(st.booleans()),
        bom=not excel and draw(st.booleans()),
        seed=draw(st.integers(0, 1000)),
        excel=excel,
    )
    return instrument, platform, (written, excel)


@pytest.mark.untraced
@given(exports())
def test_every_platforms_export_reads_back_to_the_answers_written(
    case: tuple[Instrument, str, tuple[Export, bool]],
) -> None:
    """Whatever the platform, language, labels, byte-order mark, text or workbook: the answers that went in come out."""
    instrument, platform, (written, excel) = case
    source = io.BytesIO(written.data)
    source.name = "export.xlsx" if excel else "export.csv"

    read = read_responses(source, instrument, mapping=written.mapping)

    expected_platform = {"google-forms": ("google-forms", "google-forms-nl")}.get(platform, (platform,))
    assert read.report.platform in expected_platform
    assert frame_rows(read.answers) == written.answers
    assert read.report.absent == ()
    assert read.report.kind == ("excel" if excel else "text")


def test_scores_of_a_read_export_equal_scoring_the_answers() -> None:
    """Read, then score_frame: the same scores as leadscore.score on the answers that went in."""
    from leadscore.frames import score_frame  # noqa: PLC0415

    sets: list[dict[str, int | None]] = [{"q1": 5, "q2": 9, "q3": None, "q4": 2}, {"q1": 1, "q2": 2, "q3": 3, "q4": 4}]
    written = export("qualtrics", LABELLED, sets, labels=True, language="en")

    read = read_responses(io.BytesIO(written.data), LABELLED)
    scores = score_frame(LABELLED, read.answers.reset_index(drop=True))

    assert list(scores["all.value"]) == [leadscore.score(LABELLED, s).scales["all"].value for s in sets]


class TestTheMappingReport:
    def test_it_names_the_platform_every_column_and_every_translation(self) -> None:
        """Qualtrics with choice text: metadata named, items by the text after ' - ', labels counted."""
        sets: list[dict[str, int | None]] = [
            {"q1": 5, "q2": 9, "q3": None, "q4": 2},
            {"q1": 5, "q2": 2, "q3": 3, "q4": 4},
        ]
        written = export("qualtrics", LABELLED, sets, labels=True, language="nl", seed=3)

        report = read_responses(io.BytesIO(written.data), LABELLED).report

        assert (report.platform, report.header_rows, report.delimiter) == ("qualtrics", 3, "comma")
        assert [c.role for c in report.columns][:7] == ["metadata"] * 7
        assert report.columns[7].item == "q1"
        assert report.columns[7].how == "the second row after ' - ': the item's text (nl)"
        found: dict[tuple[str, int | None, str], int] = {}
        for t in report.translations:  # One entry per text as written: its case may vary.
            found[t.item, t.answer, t.how] = found.get((t.item, t.answer, t.how), 0) + t.count
        assert found[("q1", 5, "label (nl)")] == 2
        assert found[("q2", 9, "label (nl)")] == 1
        assert "column 8 'Q1_1': item q1" in str(report)

    def test_platform_codes_for_not_applicable_follow_the_item(self) -> None:
        """SoSci's -1 is the item's not-applicable answer where it has one, not answered where it has none."""
        sbl = leadscore.get_instrument("secure-base-leadership")
        ids = [i.id for i in sbl.items]
        header = "CASE\tQUESTNNR\t" + "\t".join(ids)
        data = f"{header}\n1\tbase\t-1\t-9\t" + "\t".join(["3"] * (len(ids) - 2)) + "\n"
        labelled_data = "CASE\tQUESTNNR\tq1\tq2\tq3\tq4\n1\tbase\t-1\t-9\t3\t3\n"

        sbl_read = read_responses(io.BytesIO(data.encode()), sbl)
        own_read = read_responses(io.BytesIO(labelled_data.encode()), LABELLED)

        assert frame_rows(sbl_read.answers)[0][ids[0]] is None
        assert frame_rows(own_read.answers)[0]["q1"] == 9
        hows = {t.how for t in sbl_read.report.translations}
        assert "SoSci Survey code for not applicable: not answered (the item has no not-applicable answer)" in hows
        assert "SoSci Survey code for missing: not answered" in hows


class TestFiles:
    @pytest.mark.parametrize(
        ("data", "encoding", "delimiter"),
        [
            ("\ufeffrespondent;q1;q2\r\nr1;4;5\r\n".encode(), "utf-8 (with byte-order mark)", "semicolon"),
            ("respondent\tq1\tq2\r\nr1\t4\t5\r\n".encode("utf-16"), "utf-16", "tab"),
            (b"respondent,q1,q2\nr1,4,5\n\n\n", "utf-8", "comma"),
        ],
        ids=["Excel CSV UTF-8 (semicolons)", "Excel Unicode text", "trailing empty lines"],
    )
    def test_excel_and_spreadsheet_files(self, data: bytes, encoding: str, delimiter: str) -> None:
        """A byte-order mark, UTF-16, semicolons and blank trailing lines are read as they are meant."""
        read = read_responses(io.BytesIO(data), LABELLED)

        assert (read.report.encoding, read.report.delimiter) == (encoding, delimiter)
        assert frame_rows(read.answers) == [{"q1": 4, "q2": 5, "q3": None, "q4": None}]
        assert list(read.answers.index) == ["r1"]
        assert read.report.absent == ("q3", "q4")

    def test_cp1252_when_asked(self) -> None:
        """An old Excel export in cp1252 is read when asked, and refused with a hint when not."""
        data = "respondent,q1\nJosé,4\n".encode("cp1252")

        with pytest.raises(InvalidExportError, match=r"line 2, byte 4: not UTF-8 text .* \(--encoding cp1252\)"):
            read_responses(io.BytesIO(data), LABELLED)
        assert list(read_responses(io.BytesIO(data), LABELLED, encoding="cp1252").answers.index) == ["José"]

    def test_a_quoted_line_break_stays_in_its_cell_and_rows_keep_their_lines(self) -> None:
        """A kept comment with a line break: the next row is still known by its own line."""
        data = b'respondent,comment,q1\nr1,"two\nlines",4\nr2,x,seven\n'

        with pytest.raises(InvalidAnswersError) as raised:
            read_responses(io.BytesIO(data), LABELLED, keep=["comment"])

        (problem,) = raised.value.problems
        assert (problem.row, problem.column) == (4, "q1")
        assert "is neither a whole number nor a label of the item's answers (got 'seven')" in str(problem)


class TestRefusals:
    def test_every_unknown_column_is_named_at_once(self) -> None:
        """Columns that are no item, no metadata, not kept or ignored: all named, with what to do."""
        data = b"respondent,q1,Department,Team\nr1,4,HR,A\n"

        with pytest.raises(InvalidExportError) as raised:
            read_responses(io.BytesIO(data), LABELLED)

        advice = "map it, keep it or ignore it (mapping, keep, ignore; on the command line --mapping, --keep, --ignore)"
        assert raised.value.problems == (
            f"column 3 'Department' is no item of 'labelled': {advice}",
            f"column 4 'Team' is no item of 'labelled': {advice}",
        )
        kept = read_responses(io.BytesIO(data), LABELLED, keep=["Department"], ignore=["Team"])
        assert kept.kept.to_dict("list") == {"Department": ["HR"]}

    def test_two_columns_for_one_item(self) -> None:
        """An item id and its text both in the header: refused, naming both."""
        data = b"q1,Luistert eerst en oordeelt later.\n4,5\n"

        with pytest.raises(InvalidExportError) as raised:
            read_responses(io.BytesIO(data), LABELLED)

        assert raised.value.problems == ("columns 1 'q1' and 2 'Luistert eerst en oordeelt later.' are both item 'q1'",)

    def test_a_delimiter_that_cannot_be_settled(self) -> None:
        """A first line that splits alike by comma and semicolon is not guessed."""
        with pytest.raises(InvalidExportError, match="splits into 2 columns by comma and semicolon alike"):
            read_responses(io.BytesIO(b"a,b;c\n1,2;3\n"), LABELLED)

    def test_a_mapping_file_that_names_no_item(self) -> None:
        """A mapping to an item the instrument does not have, or from a column the file does not have."""
        mapping = load_mapping('[columns]\n"AB01_01" = "nope"\n"AB01_02" = "q2"\n')

        with pytest.raises(InvalidExportError) as raised:
            read_responses(io.BytesIO(b"AB01_01\n4\n"), LABELLED, mapping=mapping)

        assert raised.value.problems == (
            "the mapping file maps 'AB01_01' to 'nope', which is no item of 'labelled'",
            "the mapping file maps 'AB01_02', which is no column of the file",
        )

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("platform = 3\n", "platform must be text"),
            ("[values]\nx = 4.5\n", "[values] 'x' must be a whole number or \"missing\" (got 4.5)"),
            ("colums = {}\n", "unknown keys 'colums'"),
            ("[columns\n", "not TOML"),
        ],
    )
    def test_a_bad_mapping_file(self, text: str, message: str) -> None:
        """Every problem in a mapping file is named."""
        with pytest.raises(leadscore.errors.InvalidArgumentError, match=re.escape(message)):
            load_mapping(text)


def test_a_mapping_file_round_trips() -> None:
    """What to_toml writes, load_mapping reads back equal: hand-written mappings and generated ones are one format."""
    mapping = MappingFile(
        platform="sosci",
        columns={"AB01_01": "q1", 'odd "name"\\': "q2"},
        values={"-9": None, "Eens": 4},
        ignore=("TIME001",),
        roles={"Collega": "peers"},
    )

    assert load_mapping(mapping.to_toml()) == mapping


class TestStatisticsFiles:
    """SPSS and Stata files, written with pyreadstat as a platform's SPSS export holds them."""

    @staticmethod
    def write(path: object, *, reverse: bool = False, wording: bool = False) -> None:
        """Variables V1..V4 labelled with the items' Dutch texts; -9 declared user-missing; Dutch value labels."""
        import pyreadstat  # noqa: PLC0415

        frame = pd.DataFrame(
            {
                "respondent": ["a", "b", "c"],
                "V1": [1.0, 5.0, -9.0],
                "V2": [9.0, 2.0, 3.0],
                "V3": [None, 4.0, 4.0],
                "V4": [2.0, 2.0, 1.0],
            }
        )
        labels: dict[int | float, str] = {v + 1: nl for v, (nl, _) in enumerate(AGREEMENT)}
        labels |= {9: "niet van toepassing", -9: "geen antwoord"}
        if reverse:
            labels = {6 - code if 1 <= code <= 5 else code: text for code, text in labels.items()}
        if wording:
            labels[3] = "neutraal / weet niet"
        texts = [item.text.get("nl") for item in LABELLED.items]
        value_labels: dict[str, dict[int | float, str]] = {f"V{k}": {**labels} for k in range(1, 5)}
        if str(path).endswith(".sav"):
            missing: dict[str, list[Any]] = {f"V{k}": [-9] for k in range(1, 5)}
            pyreadstat.write_sav(
                frame,
                str(path),
                column_labels=["respondent", *texts],
                variable_value_labels=value_labels,
                missing_ranges=missing,
            )
        else:
            pyreadstat.write_dta(
                frame, str(path), column_labels=["respondent", *texts], variable_value_labels=value_labels
            )

    @pytest.mark.parametrize("suffix", [".sav", ".dta"])
    def test_variable_labels_find_the_items_and_user_missing_is_not_answered(
        self, tmp_path: object, suffix: str
    ) -> None:
        """Columns V1..V4 are found by their variable labels; SPSS's user-missing -9 reads as not answered."""
        path = tmp_path / f"export{suffix}"  # type: ignore[operator]
        self.write(path)
        # Stata has no user-missing values here: -9 is recoded by the mapping file.
        mapping = MappingFile(values={"-9": None}) if suffix == ".dta" else None

        read = read_responses(path, LABELLED, mapping=mapping)

        assert frame_rows(read.answers) == [
            {"q1": 1, "q2": 9, "q3": None, "q4": 2},
            {"q1": 5, "q2": 2, "q3": 4, "q4": 2},
            {"q1": None, "q2": 3, "q3": 4, "q4": 1},
        ]
        assert [c.how for c in read.report.columns[1:]] == ["its variable label: the item's text (nl)"] * 4
        assert read.report.disagreements == ()
        assert read.report.kind == ("spss" if suffix == ".sav" else "stata")

    def test_value_labels_that_reverse_the_codes_are_refused(self, tmp_path: object) -> None:
        """The file labels 1 'helemaal mee eens' where the instrument's 1 is 'helemaal mee oneens': not read."""
        path = tmp_path / "reversed.sav"  # type: ignore[operator]
        self.write(path, reverse=True)

        with pytest.raises(InvalidExportError) as raised:
            read_responses(path, LABELLED)

        assert raised.value.problems[0] == (
            "column 2 'V1': the file labels code 1 'helemaal mee eens', which is the item's label for 5: "
            "the codes may be reversed; recode them in a mapping file ([values])"
        )
        assert len(raised.value.problems) == 16  # Codes 1, 2, 4 and 5 of each of four columns.

    def test_other_wording_is_reported(self, tmp_path: object) -> None:
        """A label worded otherwise is read, and said in the report."""
        path = tmp_path / "worded.sav"  # type: ignore[operator]
        self.write(path, wording=True)

        report = read_responses(path, LABELLED).report

        assert report.disagreements[0] == (
            "column 2 'V1': the file labels code 3 'neutraal / weet niet'; the item's label is 'neutraal / neutral'"
        )
        assert "column 2 'V1': the file labels code 3" in str(report)


def test_an_excel_workbook_by_sheet_name_or_number(tmp_path: object) -> None:
    """A Microsoft Forms workbook: label text and numbers, the sheet chosen by name or number."""
    from tests.exports import workbook  # noqa: PLC0415

    path = tmp_path / "forms.xlsx"  # type: ignore[operator]
    header = ["ID", "Start time", "Completion time", "Email", "Name", *(i.text.get("en") for i in LABELLED.items)]
    path.write_bytes(
        workbook([header, ["1", "", "", "anonymous", "", "Agree", "5", "", "not applicable"]], sheet="Form1")
    )

    by_name = read_responses(path, LABELLED, sheet="Form1")
    by_number = read_responses(path, LABELLED, sheet=1)

    assert frame_rows(by_name.answers) == frame_rows(by_number.answers) == [{"q1": 4, "q2": 5, "q3": None, "q4": 9}]
    assert (by_name.report.platform, by_name.report.sheet) == ("microsoft-forms", "Form1")
    with pytest.raises(InvalidExportError, match="no sheet 'Blad1'; the sheets are 'Form1'"):
        read_responses(path, LABELLED, sheet="Blad1")
    with pytest.raises(InvalidExportError, match=r"sheet 2: the workbook has 1 sheet\(s\)"):
        read_responses(path, LABELLED, sheet=2)


class TestRatings:
    """360 exports: one row per evaluation, read into each subject's ratings."""

    EXAMPLE = Path(__file__).parents[1] / "examples" / "sbl-360-qualtrics.csv"
    MAPPING = EXAMPLE.with_suffix(".toml")

    @pytest.mark.untraced
    def test_the_example_gives_each_subject_the_ratings_of_the_json_example(self) -> None:
        """Leader A's rows are the answers of examples/sbl-360.json: the same report as from that file."""
        sbl = leadscore.get_instrument("secure-base-leadership")
        data = json.loads((self.EXAMPLE.parent / "sbl-360.json").read_text(encoding="utf-8"))
        given = [leadscore.Rating(**entry) for entry in data["ratings"]]

        read = read_ratings(self.EXAMPLE, sbl, mapping=self.MAPPING)

        assert list(read.subjects) == ["leider-a", "leider-b"]
        mine = read.subjects["leider-a"]
        assert [(r.group, r.rater) for r in mine] == [(r.group, f"leider-a-{r.rater}") for r in given]
        assert [dict(r.answers) for r in mine] == [{i.id: r.answers.get(i.id) for i in sbl.items} for r in given]
        assert leadscore.aggregate(sbl, mine) == leadscore.aggregate(sbl, given)
        assert read.report.platform == "qualtrics"

    def test_a_relationship_with_no_group_is_named(self) -> None:
        """Without the mapping file, the example's 'Klant' is no group leadscore knows: refused, with its line."""
        with pytest.raises(InvalidExportError) as raised:
            read_ratings(self.EXAMPLE, "secure-base-leadership")

        assert raised.value.problems == (
            "relationship values with no group: 'Klant' (line 17): give each a group in the mapping file's [roles]",
        )

    def test_bad_cells_of_every_row_are_named(self) -> None:
        """Bad cells and an answer the item does not take, in three rows: one error naming each by its line."""
        data = "SubjectUniqueIdentifier,ParticipantUniqueIdentifier,Relationship,q1,q2\ns1,p1,Self,4,x\ns1,p2,Peer,7.5,3\ns1,p3,Peer,7,3\n"

        with pytest.raises(InvalidAnswersError) as raised:
            read_ratings(io.BytesIO(data.encode()), LABELLED)

        assert [(p.row, p.item_id) for p in raised.value.problems] == [(2, "q2"), (3, "q1"), (4, "q1")]
        assert "must be an integer from 1 to 5 or 9 (not applicable), or None (got 7)" in str(raised.value.problems[2])
