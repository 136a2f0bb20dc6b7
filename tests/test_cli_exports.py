"""The command line on survey exports: score, map and report, with their options and refusals."""

from __future__ import annotations

import io
import sys

from pathlib import Path

import pytest

import leadscore

from leadscore.cli import main
from leadscore.readers import load_mapping


SBL = leadscore.get_instrument("secure-base-leadership")
IDS = [item.id for item in SBL.items]
EXAMPLE = Path(__file__).parents[1] / "examples" / "sbl-360-qualtrics.csv"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run main() and return the exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def sosci(tmp_path: Path) -> Path:
    """A SoSci Survey export of SBL: variables AB01_01.. that only a mapping file places."""
    path = tmp_path / "sosci.csv"
    names = [f"AB01_{k + 1:02d}" for k in range(len(IDS))]
    rows = ["\t".join(["CASE", "QUESTNNR", *names]), "\t".join(["1", "base", *(["4"] * len(IDS))])]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


class TestMap:
    def test_a_mapping_to_fill_in_then_to_score_with(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Leadscore map lists the unplaced columns as lines to fill in; filled in, score reads the file."""
        path = sosci(tmp_path)

        code, text, _ = run(capsys, "map", SBL.id, str(path))
        filled = text
        for k, item_id in enumerate(IDS):
            filled = filled.replace(f'# "AB01_{k + 1:02d}" = ""', f'"AB01_{k + 1:02d}" = "{item_id}"')
        (tmp_path / "m.toml").write_text(filled, encoding="utf-8")
        scored, out, _ = run(capsys, "score", SBL.id, str(path), "--mapping", str(tmp_path / "m.toml"))

        assert 0 == code
        assert 'platform = "sosci"\n\n[columns]\n# No item was found' in text
        assert load_mapping(filled).columns == {f"AB01_{k + 1:02d}": i for k, i in enumerate(IDS)}
        assert (0, True) == (scored, out.startswith("line,stays-calm.value,"))

    def test_to_a_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """--out writes the mapping file whole."""
        out = tmp_path / "found.toml"

        code, said, _ = run(capsys, "map", SBL.id, str(EXAMPLE), "--out", str(out))

        assert (0, f"wrote {out}\n") == (code, said)
        assert load_mapping(out.read_text(encoding="utf-8")).columns["Q1_1"] == "stays-calm"

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (["--platform", "typeform"], "platform must be 'auto' or one of"),
            (["--encoding", "utf-16"], "utf-16 was asked for, but the file has no UTF-16 byte-order mark"),
        ],
    )
    def test_refusals(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, options: list[str], message: str
    ) -> None:
        """An unknown platform or an encoding the file is not in: exit 2, one line."""
        code, _, err = run(capsys, "map", SBL.id, str(sosci(tmp_path)), *options)

        assert 2 == code
        assert message in err


class TestScoreOptions:
    def test_export_options_on_a_json_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """--platform and the other export options have no meaning for JSON answer sets."""
        path = tmp_path / "a.json"
        path.write_text("[]", encoding="utf-8")

        code, _, err = run(capsys, "score", SBL.id, str(path), "--platform", "qualtrics", "--sheet", "1")

        assert (
            2,
            "leadscore: platform, sheet: only for survey exports (CSV, TSV, Excel, SPSS, Stata), not a.json\n",
        ) == (
            code,
            err,
        )

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("a.xml", "<x/>", "use a .csv, .tsv, .txt, .json or .jsonl file"),
            ("none.json", None, "No such file or directory"),
            ("none.jsonl", None, "No such file or directory"),
            ("bad.json", b"[\xff]", "line 1, byte 2: not UTF-8 text"),
        ],
    )
    def test_files_that_cannot_be_read(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, content: str | bytes | None, message: str
    ) -> None:
        """An unknown kind of file, a missing one, bad bytes: exit 2, naming the file."""
        path = tmp_path / name
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        elif content is not None:
            path.write_bytes(content)

        code, _, err = run(capsys, "score", SBL.id, str(path))

        assert 2 == code
        assert f"cannot read {path}: " in err
        assert message in err

    def test_an_unknown_platform(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--platform names a platform leadscore knows."""
        code, _, err = run(capsys, "score", SBL.id, str(EXAMPLE), "--platform", "typeform")

        assert 2 == code
        assert err.startswith("leadscore: platform must be 'auto' or one of castor, castor-survey, csv,")

    def test_a_workbook_without_the_excel_extra(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """Without python-calamine: exit 2, naming the extra to install."""
        monkeypatch.setitem(sys.modules, "python_calamine", None)
        path = tmp_path / "x.xlsx"
        path.write_bytes(b"")

        for argv in (["score", SBL.id, str(path)], ["map", SBL.id, str(path)]):
            code, _, err = run(capsys, *argv)
            assert (
                2,
                "leadscore: reading Excel workbooks needs the excel extra: pip install 'leadscore[excel]'\n",
            ) == (
                code,
                err,
            )

    def test_without_pandas_the_row_path_writes_the_same(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With pandas hidden, the command scores row by row, to the same output."""
        code, fast, _ = run(capsys, "score", SBL.id, str(EXAMPLE), "--id-column", "ResponseId")
        monkeypatch.setitem(sys.modules, "pandas", None)
        monkeypatch.delitem(sys.modules, "leadscore._score_fast", raising=False)
        slow_code, slow, _ = run(capsys, "score", SBL.id, str(EXAMPLE), "--id-column", "ResponseId")

        assert (0, 0) == (code, slow_code)
        assert fast == slow

    def test_progress_on_the_row_path_and_without_tqdm(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """JSON output goes row by row, with the progress bar; without tqdm, no bar and the same output."""
        terminal = io.StringIO()
        terminal.isatty = lambda: True  # type: ignore[method-assign]
        monkeypatch.setattr(sys, "stderr", terminal)

        code = main(["score", SBL.id, str(EXAMPLE), "--format", "jsonl"])
        with_bar, _ = capsys.readouterr()
        monkeypatch.setitem(sys.modules, "tqdm", None)
        shown = terminal.getvalue()
        plain_code = main(["score", SBL.id, str(EXAMPLE), "--format", "jsonl"])
        without_bar, _ = capsys.readouterr()

        assert (0, 0) == (code, plain_code)
        assert "scoring sbl-360-qualtrics.csv: 28.0 rows" in shown
        assert terminal.getvalue() == shown  # nothing more without tqdm
        assert with_bar == without_bar


class TestReportOfAnExport:
    def test_released_records_of_an_export_name_their_subjects(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """With a 360 export, --released takes files of records by subject: one person's record is refused by name."""
        one = tmp_path / "one.release.json"
        ratings = [leadscore.Rating(group="peers", rater=f"p{i}", answers={}) for i in range(3)]
        one.write_text(leadscore.to_json(leadscore.aggregate(SBL, ratings).release), encoding="utf-8")

        code, _, err = run(capsys, "report", SBL.id, str(EXAMPLE), "--out-dir", str(tmp_path), "--released", str(one))

        message = f'{one} must hold {{"subjects": {{subject: release record, ...}}}}'
        assert (2, f"leadscore: {message}\n") == (code, err)
        assert [one] == list(tmp_path.iterdir())

    @pytest.mark.untraced
    def test_each_subject_is_audited_with_its_earlier_records(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Round one without a peer of leader A writes --record; round two reads it with --released: each page audited."""
        from leadscore.readers import read_ratings  # noqa: PLC0415
        from leadscore.report import render  # noqa: PLC0415

        mapping = EXAMPLE.with_suffix(".toml")
        lines = EXAMPLE.read_text(encoding="utf-8-sig").splitlines()
        earlier = tmp_path / "round1.csv"
        earlier.write_text("\n".join(line for line in lines if "leider-a-peer-4" not in line) + "\n", encoding="utf-8")
        first, out, records = tmp_path / "first", tmp_path / "out", tmp_path / "round1.releases.json"
        first.mkdir()
        out.mkdir()
        options = ["--mapping", str(mapping), "--out-dir"]

        before = run(capsys, "report", SBL.id, str(earlier), *options, str(first), "--record", str(records))
        earlier.unlink()  # The answers of round one are gone; its records remain.
        code, _, _ = run(capsys, "report", SBL.id, str(EXAMPLE), *options, str(out), "--released", str(records))

        now = read_ratings(EXAMPLE, SBL, mapping=mapping).subjects
        recorded = leadscore.read_releases(records)
        released = leadscore.aggregate(SBL, now["leider-a"], released=[recorded["leider-a"]])
        expected = render(released, lang="en", instrument=SBL, person="leider-a")
        alone = render(leadscore.aggregate(SBL, now["leider-a"]), lang="en", instrument=SBL, person="leider-a")
        assert (0, f"wrote 2 report(s) to {first} and their release records to {records} (en)\n") == before[:2]
        assert 0 == code
        assert (out / "leider-a.html").read_text(encoding="utf-8") == expected != alone

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (["--platform", "typeform"], "leadscore: platform must be 'auto' or one of"),
            (["--encoding", "utf-16"], "leadscore: cannot read"),
        ],
    )
    def test_reading_problems(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, options: list[str], message: str
    ) -> None:
        """What the readers refuse, the report command says in one line, exit 2."""
        code, _, err = run(capsys, "report", SBL.id, str(EXAMPLE), "--out-dir", str(tmp_path), *options)

        assert 2 == code
        assert err.startswith(message)

    def test_a_subject_rated_twice_by_one_rater(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Two self ratings for one subject: refused, naming the subject; no page written."""
        path = tmp_path / "twice.csv"
        header = "SubjectUniqueIdentifier,ParticipantUniqueIdentifier,Relationship,stays-calm"
        path.write_text(f"{header}\nA,p1,Self,4\nA,p2,Self,3\n", encoding="utf-8")
        out = tmp_path / "out"
        out.mkdir()

        code, _, err = run(capsys, "report", SBL.id, str(path), "--out-dir", str(out))

        assert (2, "leadscore: subject 'A': invalid ratings: there is more than one self rating\n") == (code, err)
        assert list(out.iterdir()) == []

    def test_a_workbook_without_the_excel_extra(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """The report command names the missing extra too."""
        monkeypatch.setitem(sys.modules, "python_calamine", None)
        path = tmp_path / "x.xlsx"
        path.write_bytes(b"")

        code, _, err = run(capsys, "report", SBL.id, str(path), "--out-dir", str(tmp_path))

        assert (2, "leadscore: reading Excel workbooks needs the excel extra: pip install 'leadscore[excel]'\n") == (
            code,
            err,
        )


@pytest.mark.untraced
def test_map_of_a_360_export_lists_its_relationships(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The example's relationships under [roles]: the common ones with their groups, 'Klant' to fill in; filled, the reports follow."""
    code, text, _ = run(capsys, "map", SBL.id, str(EXAMPLE))
    filled = text.replace('# "Klant" = ""', '"Klant" = "customers"')
    mapping = tmp_path / "m.toml"
    mapping.write_text(filled, encoding="utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()

    written, _, _ = run(capsys, "report", SBL.id, str(EXAMPLE), "--mapping", str(mapping), "--out-dir", str(reports))

    assert 0 == code
    assert '\n[roles]\n"Zelf" = "self"\n"Leidinggevende" = "manager"\n' in text
    assert load_mapping(filled).roles["Klant"] == "customers"
    assert (0, 2) == (written, len(list(reports.iterdir())))


def test_map_of_a_360_export_with_a_short_row(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A row too short to have a relationship adds no role (it is an error when scored or reported)."""
    path = tmp_path / "short.csv"
    header = "SubjectUniqueIdentifier,ParticipantUniqueIdentifier,Relationship,stays-calm"
    path.write_text(f"{header}\nA,p1,Zelf,4\nA\n", encoding="utf-8")

    code, text, _ = run(capsys, "map", SBL.id, str(path))

    assert 0 == code
    assert text.endswith('\n[roles]\n"Zelf" = "self"\n')
