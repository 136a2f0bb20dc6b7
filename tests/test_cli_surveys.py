"""The command line's `export`, and `score` on what comes back: REDCap and LimeSurvey exports, form files, SurveyJS results."""

from __future__ import annotations

import csv
import io
import json

from pathlib import Path
from typing import Any

import pytest

import leadscore

from leadscore._names import stamp
from leadscore.cli import main
from tests import platforms


SBL = leadscore.get_instrument("secure-base-leadership")
PEOPLE = [{item.id: (n + k) % 5 + 1 for n, item in enumerate(SBL.items)} for k in range(3)]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run main() and return the exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _scores(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_export_writes_each_format_whole_and_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """--out gets exactly what export_survey returns; the command says what it wrote."""
    for fmt, suffix in (("limesurvey", ".txt"), ("qualtrics", ".qsf"), ("surveyjs", ".json"), ("html", ".html")):
        out = tmp_path / f"sbl{suffix}"
        code, said, err = run(capsys, "export", SBL.id, "--platform", fmt, "--lang", "nl,en", "--out", str(out))
        assert (code, err) == (0, "")
        assert said == f"wrote {out} ({fmt}, secure-base-leadership 0.1.0)\n"
        assert out.read_text(encoding="utf-8") == leadscore.export_survey(SBL, fmt, languages=["nl", "en"])


def test_export_to_stdout_pipes_and_languages_repeat(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --out the survey goes to stdout; --lang may be given once per language."""
    code, out, _ = run(capsys, "export", SBL.id, "--platform", "surveyjs", "--lang", "en", "--lang", "nl")
    assert code == 0
    assert json.loads(out)["locale"] == "en"
    assert out == leadscore.export_survey(SBL, "surveyjs", languages=["en", "nl"])


def test_export_warns_on_stderr_what_a_platform_cannot_carry(capsys: pytest.CaptureFixture[str]) -> None:
    """REDCap with two languages: the dictionary on stdout, the warning on stderr."""
    code, out, err = run(capsys, "export", SBL.id, "--platform", "redcap")
    assert code == 0
    assert out.startswith("Variable / Field Name,Form Name,")
    assert err == (
        "leadscore: a REDCap data dictionary holds one language: written in en; nl not carried "
        "(translate with REDCap's Multi-Language Management)\n"
    )


@pytest.mark.parametrize(
    ("argv", "code", "said"),
    [
        (["--platform", "html", "--lang", "fr"], 1, "no language 'fr'"),
        (["--platform", "spss"], 2, "invalid choice: 'spss'"),
        (["--platform", "html", "--out", "/no/such/folder/x.html"], 2, "the folder /no/such/folder does not exist"),
    ],
)
def test_export_refusals(capsys: pytest.CaptureFixture[str], argv: list[str], code: int, said: str) -> None:
    """A wrong language, format or folder: a clear message, a usage or invalid exit code, nothing written."""
    got, out, err = run(capsys, "export", SBL.id, *argv)
    assert (got, out) == (code, "")
    assert said in err


def test_score_reads_a_redcap_export_of_the_exported_dictionary(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """No mapping file: REDCap's names and record ids come back as items and respondents."""
    path = tmp_path / "redcap.csv"
    path.write_bytes(platforms.redcap(leadscore.export_survey(SBL, "redcap", languages=["nl"]), PEOPLE, labels=True))
    code, out, err = run(capsys, "score", SBL.id, str(path))
    assert (code, err) == (0, "")
    rows = _scores(out)
    assert [row["record_id"] for row in rows] == ["1", "2", "3"]
    expected = [leadscore.score(SBL, person).scales["overall"].value for person in PEOPLE]
    assert [float(row["overall.value"]) for row in rows] == pytest.approx(expected)


def test_score_refuses_answers_collected_with_another_version_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A LimeSurvey export stamped by another version: refused, naming the line and both stamps; no output file."""
    path, out = tmp_path / "lime.csv", tmp_path / "scores.csv"
    exported = platforms.limesurvey(leadscore.export_survey(SBL, "limesurvey"), PEOPLE)
    path.write_bytes(exported.replace(stamp(SBL).encode(), b"secure-base-leadership 0.2.0 sha256:" + b"1" * 64))
    code, said, err = run(capsys, "score", SBL.id, str(path), "--out", str(out))
    assert (code, said) == (1, "")
    assert "line 2: the survey was made from 'secure-base-leadership 0.2.0 sha256:111" in err
    assert not out.exists()


def test_score_reads_saved_forms_and_surveyjs_results(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A saved form (its respondent the id) and a SurveyJS results file are scored like exports."""
    form = tmp_path / "form.json"
    form.write_bytes(platforms.form_file(leadscore.export_survey(SBL, "html"), PEOPLE[0], respondent="anna"))
    results = tmp_path / "results.json"
    results.write_bytes(platforms.surveyjs(leadscore.export_survey(SBL, "surveyjs"), PEOPLE))
    code, out, err = run(capsys, "score", SBL.id, str(form), "--format", "jsonl")
    assert (code, err) == (0, "")
    record = json.loads(out)
    assert record["respondent"] == "anna"
    assert record["scales"]["overall"]["value"] == pytest.approx(
        leadscore.score(SBL, PEOPLE[0]).scales["overall"].value
    )
    code, out, err = run(capsys, "score", SBL.id, str(results))
    assert (code, err) == (0, "")
    assert [row["line"] for row in _scores(out)] == ["1", "2", "3"]


def test_score_refuses_a_form_of_another_instrument(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A form file whose fingerprint is not the installed instrument's is refused."""
    form = tmp_path / "form.json"
    data = json.loads(platforms.form_file(leadscore.export_survey(SBL, "html"), PEOPLE[0]))
    data["fingerprint"] = "sha256:" + "0" * 64
    form.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(capsys, "score", SBL.id, str(form))
    assert (code, out) == (1, "")
    assert "row 1: the survey was made from 'secure-base-leadership 0.1.0 sha256:0000" in err


def test_a_plain_json_list_is_still_read_as_answer_objects(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The JSON input score took before (a list of flat answer objects) reads as it did."""
    path = tmp_path / "answers.json"
    path.write_text(json.dumps([{"respondent": "x", **PEOPLE[0]}]), encoding="utf-8")
    code, out, _ = run(capsys, "score", SBL.id, str(path))
    assert code == 0
    assert _scores(out)[0]["respondent"] == "x"


def test_true_is_no_answer_even_beside_a_one(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """
    Python holds True equal to 1: the fast path reads each distinct cell once, by type and value, so a
    JSON ``true`` (or an Excel TRUE) beside a 1 is refused, not read as 1; an object is refused, not a crash.
    """
    path = tmp_path / "results.json"
    results: list[dict[str, Any]] = [
        {"g1": {"stays-calm": 1}},
        {"g1": {"stays-calm": True}},
        {"g1": {"stays-calm": {"x": 1}}},
    ]
    path.write_text(json.dumps([{**r, "leadscore": stamp(SBL)} for r in results]), encoding="utf-8")
    code, _, err = run(
        capsys, "score", SBL.id, str(path), "--on-error", "report", "--rejected", str(tmp_path / "r.jsonl")
    )
    assert code == 0
    assert "row 2, column 'stays-calm': a boolean is not an answer (got True)" in err
    assert "row 3, column 'stays-calm': must be a whole number, text or empty (got dict {'x': 1})" in err


def test_export_offers_every_format(capsys: pytest.CaptureFixture[str]) -> None:
    """The command's --platform choices are export_survey's formats (the parser names them without importing it)."""
    from leadscore.surveys import PLATFORMS  # noqa: PLC0415

    assert main(["export", "--help"]) == 0
    assert "{" + ",".join(PLATFORMS) + "}" in capsys.readouterr().out
