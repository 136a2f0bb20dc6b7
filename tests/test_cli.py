"""The leadscore command, in-process through main() and as the real console script."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys

from pathlib import Path

import pytest

import leadscore

from leadscore.cli import main
from tests.strategies import tiny_with_not_applicable


SBL_ITEMS = ["stays-calm", "accepts-the-individual", "sees-the-potential"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run main() and return the exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def absent(path: Path, *present: str) -> str:
    """The warning the command gives for the items a file has no column for."""
    missing = [i.id for i in leadscore.get_instrument("secure-base-leadership").items if i.id not in present]
    return f"leadscore: {path}: no column for item(s) {', '.join(missing)}: not answered in every row\n"


class TestCommands:
    def test_list_shows_every_instrument_and_its_distribution(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """List prints each instrument's id, distribution and state, importing nothing; --load imports; JSON too."""
        monkeypatch.setattr(leadscore._registry, "_DEFAULT", leadscore._registry.Registry())
        code, out, _ = run(capsys, "list")
        json_code, json_out, _ = run(capsys, "list", "--format", "json")
        load_code, loaded, _ = run(capsys, "list", "--load")

        assert (0, 0, 0) == (code, json_code, load_code)
        assert "secure-base-leadership               leadscore                    unloaded\n" in out
        assert "secure-base-leadership               leadscore                    available\n" in loaded
        assert "leadscore-example-plugin" in out
        assert {"unloaded"} == {line.split()[-1] for line in out.splitlines()}
        assert {"available"} == {line.split()[-1] for line in loaded.splitlines()}
        assert {"alliance-qualities", "coaching-behaviours"} <= {row["id"] for row in json.loads(json_out)}

    def test_show_in_dutch_and_as_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Show prints items with their answers and scales, in the chosen language, or the JSON."""
        code, out, _ = run(capsys, "show", "connective-leadership", "--lang", "nl")
        _, json_out, _ = run(capsys, "show", "coaching-behaviours", "--format", "json")

        assert 0 == code
        assert "  1. [communicates-openly] Communiceert open, eerlijk en direct, en schetst het niet mooier." in out
        assert "1 = nooit; 2 = zelden; 3 = soms; 4 = vaak; 5 = altijd" in out
        assert (
            "schaal 4xr: 4xR: Richting, Ruimte, Resultaat, Rekenschap "
            "(gemiddelde van richting, ruimte, resultaat, rekenschap; minstens 3 beantwoord)" in out
        )
        assert "coaching-behaviours" == json.loads(json_out)["id"]

    def test_show_lists_reverse_keys_composites_and_not_applicable(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Reverse-keyed items are marked with '-', composites and not-applicable answers are listed."""
        tiny = tiny_with_not_applicable("cli-tiny")
        leadscore.register(tiny)
        try:
            _, out, _ = run(capsys, "show", "cli-tiny")
        finally:
            leadscore._registry.default_registry().unregister("cli-tiny")
        _, sbl, _ = run(capsys, "show", "secure-base-leadership")

        assert "     1 = lowest; 2; 3 = highest; 0 = not applicable" in out
        assert "scale s: S (mean of a, -b; at least 1 answered)" in out
        assert "composite care-dare-balance: Balance of Care and Dare (difference of care, dare)" in sbl

    def test_error_when_instrument_is_unknown(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An unknown id is a usage error (2), on stderr, one line."""
        code, out, err = run(capsys, "show", "nope")

        assert (2, "") == (code, out)
        assert err.startswith("leadscore: no instrument 'nope' is installed or registered")
        assert 1 == len(err.splitlines())

    def test_error_when_options_are_wrong(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Unknown commands and options exit 2; --help exits 0."""
        assert 2 == run(capsys, "frobnicate")[0]
        assert 2 == run(capsys, "show", "secure-base-leadership", "--lang", "fr")[0]
        assert 0 == run(capsys, "--help")[0]


class TestScore:
    @pytest.fixture(name="rows")
    def _rows(self, tmp_path: Path) -> Path:
        """A CSV with one good row and two bad ones."""
        path = tmp_path / "rows.csv"
        path.write_text("respondent,stays-calm,sees-the-potential\nr1,4,5\nr2,4.5,\nr3,2,x\n", encoding="utf-8")
        return path

    def test_fail_stops_at_the_first_bad_row(self, capsys: pytest.CaptureFixture[str], rows: Path) -> None:
        """By default a bad row stops the run with exit 1, naming row, column and reason."""
        code, out, err = run(capsys, "score", "secure-base-leadership", str(rows))

        assert 1 == code
        assert out.splitlines()[1].startswith("r1,4.0,75.0,,")
        assert (
            absent(rows, "stays-calm", "sees-the-potential")
            + ("leadscore: row 3, column 'stays-calm': must be a whole number (got '4.5')\n")
            == err
        )

    def test_skip_writes_rejected_rows_to_a_file(
        self, capsys: pytest.CaptureFixture[str], rows: Path, tmp_path: Path
    ) -> None:
        """With --on-error report, good rows are scored and bad rows kept in the rejected file."""
        rejected = tmp_path / "rejected.jsonl"

        code, out, err = run(
            capsys,
            "score",
            "secure-base-leadership",
            str(rows),
            "--on-error",
            "report",
            "--rejected",
            str(rejected),
            "--format",
            "jsonl",
        )

        assert 0 == code
        assert ["r1"] == [json.loads(line)["respondent"] for line in out.splitlines()]
        assert [3, 4] == [json.loads(line)["row"] for line in rejected.read_text(encoding="utf-8").splitlines()]
        assert err.endswith(f"leadscore: 2 row(s) rejected, written to {rejected}\n")

    def test_progress_on_a_terminal(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """When stderr is a terminal, a long file shows a progress bar (tqdm) counting the rows scored."""
        path = tmp_path / "long.csv"
        items = [item.id for item in leadscore.get_instrument("secure-base-leadership").items]
        path.write_text(",".join(items) + "\n" + (",".join("3" * len(items)) + "\n") * 2500, encoding="utf-8")
        terminal = io.StringIO()
        terminal.isatty = lambda: True  # type: ignore[method-assign]
        monkeypatch.setattr(sys, "stderr", terminal)

        code = main(["score", "secure-base-leadership", str(path)])
        out, _ = capsys.readouterr()

        assert 0 == code
        assert len(out.splitlines()) == 2501
        assert "\rscoring long.csv: 2.50k rows [" in terminal.getvalue()

    def test_skip_needs_a_rejected_file(self, capsys: pytest.CaptureFixture[str], rows: Path) -> None:
        """Skipping without somewhere to keep the rejected rows would lose them silently."""
        code, _, err = run(capsys, "score", "secure-base-leadership", str(rows), "--on-error", "report")

        assert 2 == code
        assert "on_error 'report' needs a file for the rejected rows, so that no row is lost silently" in err

    def test_json_and_json_lines_input(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A JSON list and JSON Lines are read as well as CSV; answers there may be numbers."""
        as_json = tmp_path / "rows.json"
        as_json.write_text(
            json.dumps([{"respondent": "a", "stays-calm": 5}, {"respondent": "b", "stays-calm": 1}]), encoding="utf-8"
        )
        as_lines = tmp_path / "rows.jsonl"
        as_lines.write_text('{"respondent": "c", "stays-calm": 3}\n\n', encoding="utf-8")

        _, out, _ = run(capsys, "score", "secure-base-leadership", str(as_json))
        _, lines_out, _ = run(capsys, "score", "secure-base-leadership", str(as_lines))

        assert ["a,5.0", "b,1.0"] == [line[:5] for line in out.splitlines()[1:]]
        assert "c,3.0" == lines_out.splitlines()[1][:5]

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("rows.txt", "x", "cannot read"),
            ("rows.json", '{"a": 1}', "must hold a JSON list of answer objects"),
            ("rows.jsonl", "[1]\n", "entry 1: must be an object of item id to answer"),
        ],
    )
    def test_error_when_file_cannot_be_read(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, content: str, message: str
    ) -> None:
        """Files of the wrong kind or shape are usage errors."""
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")

        code, _, err = run(capsys, "score", "secure-base-leadership", str(path))

        assert 2 == code
        assert message in err

    def test_error_when_file_is_missing(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A missing file is a usage error naming it."""
        code, _, err = run(capsys, "score", "secure-base-leadership", str(tmp_path / "none.csv"))

        assert 2 == code
        assert "none.csv: No such file or directory" in err


class TestTakeAndValidate:
    def test_take_reads_piped_answers_asks_again_and_saves(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """A bad answer is asked again with the allowed values; the result is printed and saved."""
        monkeypatch.setattr(sys, "stdin", io.StringIO("4\n9\n5\n\n" + "3\n" * 6))
        saved = tmp_path / "result.json"

        code, out, _ = run(capsys, "take", "secure-base-leadership", "--save", str(saved))

        assert 0 == code
        assert "'9' is not an answer: type one of 1, 2, 3, 4, 5, nothing to skip, or < to go back" in out
        assert "  Stays Calm                                      4.00" in out
        kept = json.loads(saved.read_text(encoding="utf-8"))
        assert 5.0 == kept["result"]["scales"]["accepts-the-individual"]["value"]
        assert {"stays-calm": 4, "accepts-the-individual": 5, "sees-the-potential": None} == {
            k: kept["answers"][k] for k in ("stays-calm", "accepts-the-individual", "sees-the-potential")
        }

    def test_take_at_a_terminal_with_a_not_applicable_answer(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """At a terminal the typed answer is not echoed again; the not-applicable code is accepted."""

        class Terminal(io.StringIO):
            def isatty(self) -> bool:
                return True

        tiny = tiny_with_not_applicable("cli-na", items=("a",))
        monkeypatch.setattr(sys, "stdin", Terminal("0\n"))
        leadscore.register(tiny)
        try:
            code, out, _ = run(capsys, "take", "cli-na")
        finally:
            leadscore._registry.default_registry().unregister("cli-na")

        assert 0 == code
        assert "(1 = lowest; 2; 3 = highest; 0 = not applicable) > \n" in out
        assert "0 of 1 items answered, at least 1 needed (1 not applicable)" in out

    def test_broken_instrument_is_reported_in_one_line(self, capsys: pytest.CaptureFixture[str]) -> None:
        """An instrument that fails to load exits 1 with its reason on one line."""
        leadscore.register(lambda: 42, id="cli-broken")
        try:
            code, _, err = run(capsys, "show", "cli-broken")
        finally:
            leadscore._registry.default_registry().unregister("cli-broken")

        assert 1 == code
        assert 1 == len(err.splitlines())
        assert "could not be loaded: TypeError: it gave int, not an Instrument" in err

    def test_take_stops_when_input_ends(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Running out of input is a usage error, not a silent partial result."""
        monkeypatch.setattr(sys, "stdin", io.StringIO("4\n"))

        code, _, err = run(capsys, "take", "secure-base-leadership")

        assert 2 == code
        assert "the input ended before question 2 was answered" in err

    def test_validate_a_definition_and_run_the_kit(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Validate loads a definition, then runs the conformance kit on it."""
        source = Path(__file__).parent.parent / "src" / "leadscore" / "instruments" / "alliance_qualities.toml"

        code, out, _ = run(capsys, "validate", str(source), "--examples", "5")

        assert 0 == code
        assert out.splitlines()[0].endswith("alliance-qualities 0.1.0 is a valid definition")
        assert "alliance-qualities: 9 invariants checked over" in out.splitlines()[1]

    def test_validate_names_bands_without_narrative(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A band of a definition whose other bands tell their story, without one: named, exit 1."""
        source = Path(__file__).parent.parent / "src" / "leadscore" / "instruments" / "secure_base_leadership.toml"
        text = source.read_text(encoding="utf-8")
        cut = text.index('description = { nl = "Care en Dare liggen')
        path = tmp_path / "sbl.toml"
        path.write_text(text[:cut] + text[text.index("\n", cut) + 1 :], encoding="utf-8")

        code, out, _ = run(capsys, "validate", str(path), "--examples", "2")

        assert 1 == code
        assert "texts: band 'balanced' of 'care-dare-balance' has no description, and other bands have one" in out

    def test_validate_reports_every_problem(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A broken definition exits 1 with one line per problem."""
        broken = tmp_path / "broken.json"
        broken.write_text('{"id": "X", "version": "1"}', encoding="utf-8")

        code, _, err = run(capsys, "validate", str(broken))

        assert 1 == code
        assert "leadscore: required key missing @ $.title" in err.splitlines()

    def test_validate_missing_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A definition file that does not exist is a usage error."""
        assert 2 == run(capsys, "validate", str(tmp_path / "none.toml"))[0]


class TestConsoleScript:
    def test_console_script_and_module_run(self) -> None:
        """The installed `leadscore` script and `python -m leadscore` both work."""
        script = shutil.which("leadscore", path=str(Path(sys.executable).parent))
        assert script is not None

        listed = subprocess.run([script, "list"], capture_output=True, text=True, check=True).stdout
        module = subprocess.run(
            [sys.executable, "-m", "leadscore", "list"], capture_output=True, text=True, check=True
        ).stdout

        assert listed == module
        assert "secure-base-leadership" in listed

    def test_take_through_real_standard_input(self) -> None:
        """Take answers from a pipe, as a script or a person's shell would give them."""
        answers = "5\n4\n3\n2\n1\n2\n3\n4\n5\n"

        done = subprocess.run(
            [sys.executable, "-m", "leadscore", "take", "secure-base-leadership", "--lang", "nl"],
            input=answers,
            capture_output=True,
            text=True,
            check=False,
        )

        assert 0 == done.returncode
        assert "  Secure Base Leadership, totaal                  3.22" in done.stdout

    def test_score_exit_code_for_bad_input(self, tmp_path: Path) -> None:
        """The real script exits 1 on invalid answers, with the reason on stderr."""
        path = tmp_path / "rows.csv"
        path.write_text("stays-calm\n7\n", encoding="utf-8")

        done = subprocess.run(
            [sys.executable, "-m", "leadscore", "score", "secure-base-leadership", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )

        assert 1 == done.returncode
        assert (
            absent(path, "stays-calm")
            + ("leadscore: row 2: 'stays-calm' must be an integer from 1 to 5, or None (got 7)\n")
            == done.stderr
        )


class TestReportsOfAnExport:
    """leadscore report on a 360 export: one report per subject, into a folder."""

    EXAMPLE = Path(__file__).parents[1] / "examples" / "sbl-360-qualtrics.csv"

    def test_one_page_per_subject(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """The example with its mapping file: two subjects, two pages, each the report of that subject's ratings."""
        mapping = self.EXAMPLE.with_suffix(".toml")

        code, out, _ = run(
            capsys, "report", "secure-base-leadership", str(self.EXAMPLE), "--out-dir", str(tmp_path),
            "--mapping", str(mapping), "--lang", "nl",
        )  # fmt: skip

        assert (0, f"wrote 2 report(s) to {tmp_path} (nl)\n") == (code, out)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["leider-a.html", "leider-b.html"]
        assert "<h1>360-gradenfeedbackrapport — leider-a</h1>" in (tmp_path / "leider-a.html").read_text(
            encoding="utf-8"
        )

    def test_subject_ids_become_safe_file_names(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A subject id with a path in it, or two that read alike, cannot write outside the folder or over each other."""
        rows = [
            "SubjectUniqueIdentifier,ParticipantUniqueIdentifier,Relationship,stays-calm",
            "../../etc/x,p1,Self,4",
            ".._.._etc_x,p2,Self,3",
        ]
        path = tmp_path / "export.csv"
        path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        folder = tmp_path / "out"
        folder.mkdir()

        code, _, _ = run(capsys, "report", "secure-base-leadership", str(path), "--out-dir", str(folder))

        assert 0 == code
        assert sorted(p.name for p in folder.iterdir()) == ["_.._etc_x-2.html", "_.._etc_x.html"]

    @pytest.mark.parametrize(
        ("extra", "message"),
        [
            ([], "a 360 export holds many people: give --out-dir FOLDER, one report per subject"),
            (["--out-dir", "nowhere"], "--out-dir nowhere: no such folder"),
        ],
    )
    def test_usage(self, capsys: pytest.CaptureFixture[str], extra: list[str], message: str) -> None:
        """An export needs a folder that exists; a JSON ratings file needs --out."""
        code, _, err = run(capsys, "report", "secure-base-leadership", str(self.EXAMPLE), *extra)

        assert (2, f"leadscore: {message}\n") == (code, err)

    def test_a_json_ratings_file_needs_out(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """--out-dir is for exports; one person's JSON ratings go to --out."""
        example = self.EXAMPLE.with_name("sbl-360.json")

        code, _, err = run(capsys, "report", "secure-base-leadership", str(example), "--out-dir", str(tmp_path))

        assert (
            2,
            "leadscore: a JSON file is one report's: give --out FILE (--out-dir is for 360 exports)\n",
        ) == (
            code,
            err,
        )
