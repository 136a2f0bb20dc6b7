"""`leadscore.aggregate_file` and `leadscore.analyze_file`: what `report` and `analyze` do, as library calls."""

from __future__ import annotations

import csv
import io

from pathlib import Path
from typing import Any

import pytest

import leadscore

from leadscore import AnalyzedFile, InvalidAnswersError, aggregate_file, analyze_file, read_releases, releases_json
from leadscore._files import file_names, path_of, write_all
from leadscore.errors import ArgumentTypeError, InvalidArgumentError, InvalidFileError
from leadscore.readers import read_ratings


EXAMPLES = Path(__file__).parents[1] / "examples"
EXPORT = EXAMPLES / "sbl-360-qualtrics.csv"
MAPPING = EXAMPLES / "sbl-360-qualtrics.toml"
TEAM = EXAMPLES / "connective-team.csv"
SBL = "secure-base-leadership"
CONNECTIVE = "connective-leadership"


class TestAggregateFile:
    def test_each_subject_is_aggregate_of_its_ratings(self) -> None:
        """One report per subject, in the file's order, equal to aggregate over read_ratings' ratings."""
        reports = aggregate_file(SBL, EXPORT, mapping=MAPPING)

        subjects = read_ratings(EXPORT, SBL, mapping=MAPPING).subjects
        assert list(reports) == list(subjects)
        assert reports == {who: leadscore.aggregate(SBL, ratings) for who, ratings in subjects.items()}

    @pytest.mark.deep
    def test_earlier_rounds_are_matched_by_subject(self, tmp_path: Path) -> None:
        """Release records of a round without one peer of leader A and without leader B: each subject's own records."""
        lines = EXPORT.read_text(encoding="utf-8-sig").splitlines()
        earlier = tmp_path / "round1.csv"
        kept = [line for line in lines if "leider-a-peer-4" not in line and ",leider-b," not in line]
        earlier.write_text("\n".join(kept) + "\n", encoding="utf-8")
        records = tmp_path / "round1.releases.json"
        records.write_text(releases_json(aggregate_file(SBL, earlier, mapping=MAPPING)), encoding="utf-8")
        earlier.unlink()  # The answers of round one are gone; its records remain.

        reports = aggregate_file(SBL, EXPORT, mapping=MAPPING, released=[records])

        now = read_ratings(EXPORT, SBL, mapping=MAPPING).subjects
        before = read_releases(records)
        assert set(before) == {"leider-a"}
        assert reports == {
            who: leadscore.aggregate(SBL, ratings, released=[before[who]] if who in before else [])
            for who, ratings in now.items()
        }
        assert reports["leider-a"] != leadscore.aggregate(SBL, now["leider-a"])

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            ("[]", 'must hold {"subjects": {subject: release record, ...}}'),
            ('{"subjects": {"leider-a": {"audit": 2}}}', "subject 'leider-a': invalid release record: "),
        ],
        ids=["shape", "record"],
    )
    def test_a_bad_file_of_records_is_named(self, tmp_path: Path, content: str, message: str) -> None:
        """A file of release records that holds none, or a bad one: an InvalidFileError naming the file (and subject)."""
        path = tmp_path / "round1.releases.json"
        path.write_text(content, encoding="utf-8")

        with pytest.raises(InvalidFileError) as raised:
            aggregate_file(SBL, EXPORT, mapping=MAPPING, released=[path])

        assert str(raised.value).startswith(f"{path}")
        assert message in str(raised.value)

    def test_a_record_of_another_instrument_names_its_file(self, tmp_path: Path) -> None:
        """A record that is well formed but of another instrument: the subject and the file are named."""
        connective = [leadscore.Rating(group="peers", rater=f"p{i}", answers={}) for i in range(3)]
        record = leadscore.aggregate(CONNECTIVE, connective).release
        path = tmp_path / "other.releases.json"
        path.write_text(releases_json({"leider-a": leadscore.aggregate(CONNECTIVE, connective)}), encoding="utf-8")
        assert record is not None

        with pytest.raises(InvalidArgumentError) as raised:
            aggregate_file(SBL, EXPORT, mapping=MAPPING, released=[path])

        said = f"subject 'leider-a': {path}: it records a report of 'connective-leadership', not of {SBL!r}"
        assert str(raised.value) == said

    def test_a_subject_whose_ratings_make_no_360_is_named(self, tmp_path: Path) -> None:
        """Two self ratings of one subject: an InvalidArgumentError naming the subject."""
        path = tmp_path / "twice.csv"
        header = "SubjectUniqueIdentifier,ParticipantUniqueIdentifier,Relationship,stays-calm"
        path.write_text(f"{header}\nA,p1,Self,4\nA,p2,Self,3\n", encoding="utf-8")

        with pytest.raises(InvalidArgumentError, match=r"^subject 'A': invalid ratings: there is more than one self"):
            aggregate_file(SBL, path)

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            ({"source": 3}, r"source must be a path \(got int\)"),
            ({"released": "round1.csv"}, r"released must be a collection of paths \(got str\)"),
            ({"released": EXPORT}, r"released must be a collection of paths \(got PosixPath\)"),
            ({"released": 5}, r"released must be a collection of paths \(got int\)"),
            ({"released": [MAPPING, b"x"]}, r"released\[1\] must be a path \(got bytes\)"),
        ],
    )
    def test_what_is_no_path_is_refused(self, arguments: dict[str, Any], message: str) -> None:
        """Paths are paths: text or Path, in a collection for the earlier rounds."""
        given = {"source": EXPORT, "mapping": MAPPING, **arguments}

        with pytest.raises(ArgumentTypeError, match=f"^{message}$"):
            aggregate_file(SBL, **given)


class TestAnalyzeFile:
    def test_the_analysis_of_a_file_by_its_own_ids(self) -> None:
        """Reliability and quality of every row, each response known by its id; excluded ids set aside."""
        pytest.importorskip("numpy")
        pytest.importorskip("scipy")
        from leadscore.analysis import quality  # noqa: PLC0415 - NumPy

        analyzed = analyze_file(CONNECTIVE, TEAM, exclude=["t02"])

        rows = list(csv.DictReader(io.StringIO(TEAM.read_text(encoding="utf-8"))))
        ids = [row.pop("respondent") for row in rows]
        answer_sets = [{item: int(value) for item, value in row.items()} for row in rows]
        assert isinstance(analyzed, AnalyzedFile)
        assert analyzed.ids == tuple(ids)
        assert analyzed.absent == ()
        assert analyzed.reliability.excluded == ("t02",)
        expected = leadscore.reliability(CONNECTIVE, answer_sets, exclude=[ids.index("t02")], level=0.95)
        assert analyzed.reliability.scales == expected.scales
        figures = quality(CONNECTIVE, answer_sets)
        assert [person.row for person in analyzed.quality.respondents] == ids
        assert [person.longstring for person in analyzed.quality.respondents] == [
            person.longstring for person in figures.respondents
        ]

    def test_every_bad_row_is_named(self, tmp_path: Path) -> None:
        """Two bad rows: one InvalidAnswersError naming both, by row and item; nothing computed."""
        lines = TEAM.read_text(encoding="utf-8").splitlines()
        header = lines[0].split(",")
        rows = [line.split(",") for line in lines[1:]]
        column = next(position for position, name in enumerate(header) if name != "respondent")
        rows[0][column], rows[2][column] = "9", "0"
        bad = tmp_path / "bad.csv"
        bad.write_text("\n".join(",".join(row) for row in [header, *rows]) + "\n", encoding="utf-8")

        with pytest.raises(InvalidAnswersError) as raised:
            analyze_file(CONNECTIVE, bad)

        assert [(problem.row, problem.item_id) for problem in raised.value.problems] == [
            (2, header[column]),
            (4, header[column]),
        ]

    def test_a_json_row_that_is_no_answer_set_is_named_by_its_row(self, tmp_path: Path) -> None:
        """A JSON answer set with an unknown key: its problem placed on its row."""
        path = tmp_path / "answers.json"
        path.write_text('[{"richting": 3}, {"no-such-item": 3}]', encoding="utf-8")

        with pytest.raises(InvalidAnswersError) as raised:
            analyze_file(CONNECTIVE, path)

        assert [problem.row for problem in raised.value.problems] == [2]

    def test_an_unknown_id_to_exclude(self) -> None:
        """An id that is no response of the file: refused, naming it and the file."""
        pytest.importorskip("numpy")

        with pytest.raises(InvalidArgumentError, match=r"exclude: no response 't99', 'x' in .*connective-team.csv"):
            analyze_file(CONNECTIVE, TEAM, exclude=["t99", "t01", "x"])

    @pytest.mark.parametrize(
        ("exclude", "message"),
        [
            ("t01", "exclude must be a collection of response ids, not one name"),
            ([1], "exclude must hold response ids as text"),
        ],
    )
    def test_ids_to_exclude_are_text(self, exclude: Any, message: str) -> None:
        """Exclude takes a collection of ids as text."""
        with pytest.raises(ArgumentTypeError, match=message):
            analyze_file(CONNECTIVE, TEAM, exclude=exclude)

    def test_without_numpy_the_hint_names_the_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The analysis extra, named."""
        monkeypatch.setitem(__import__("sys").modules, "leadscore.analysis", None)

        with pytest.raises(ImportError, match=r"pip install 'leadscore\[analysis\]'"):
            analyze_file(CONNECTIVE, TEAM)


class TestFiles:
    def test_file_names_are_safe_and_each_their_own(self, tmp_path: Path) -> None:
        """Unsafe characters become _, leading dots go, an empty name has one, repeats are numbered."""
        names = file_names(tmp_path, ["a/b", "a_b", "..", "", "x" * 100, "ok"], ".html")

        assert {name: path.name for name, path in names.items()} == {
            "a/b": "a_b.html",
            "a_b": "a_b-2.html",
            "..": "file.html",
            "": "file-2.html",
            "x" * 100: "x" * 80 + ".html",
            "ok": "ok.html",
        }
        assert {path.parent for path in names.values()} == {tmp_path}

    def test_all_files_are_checked_before_any_is_written(self, tmp_path: Path) -> None:
        """One output in a folder that does not exist: nothing is written."""
        files: dict[Path, str | bytes] = {tmp_path / "a.html": "a", tmp_path / "missing" / "b.html": "b"}

        with pytest.raises(InvalidFileError, match="does not exist"):
            write_all(files)

        assert list(tmp_path.iterdir()) == []
        write_all({tmp_path / "a.html": "a", tmp_path / "b.pdf": b"%PDF"})
        assert (tmp_path / "a.html").read_text() == "a"
        assert (tmp_path / "b.pdf").read_bytes() == b"%PDF"

    def test_a_path_is_text_or_a_path(self) -> None:
        """Anything else is named."""
        assert path_of("x.csv", "source") == Path("x.csv") == path_of(Path("x.csv"), "source")
        with pytest.raises(ArgumentTypeError, match=r"^out must be a path \(got NoneType\)$"):
            path_of(None, "out")
