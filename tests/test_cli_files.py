"""The leadscore command with the files analysts have: nothing lost, nothing half-written, every
unreadable file named with the place, and quiet ends when the reader goes away or Ctrl-C is pressed.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import tempfile

from pathlib import Path

import pytest

from hypothesis import example, given
from hypothesis import strategies as st

import leadscore
import leadscore._files
import leadscore.cli._main

from leadscore._files import json_text, terminal_safe
from leadscore.cli import main


HEADER = "respondent,stays-calm,accepts-the-individual"


def absent(path: Path, *present: str) -> str:
    """The warning the command gives for the items a file has no column for."""
    missing = [i.id for i in leadscore.get_instrument("secure-base-leadership").items if i.id not in present]
    return f"leadscore: {path}: no column for item(s) {', '.join(missing)}: not answered in every row\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run main() and return the exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def write(path: Path, content: str | bytes) -> Path:
    """Write *content* to *path* as bytes (text as UTF-8) and return the path."""
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


class TestOutputFiles:
    def test_error_when_the_rejected_file_is_the_input(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """--rejected on the input file is refused before anything is written: the data stays."""
        data = write(tmp_path / "data.csv", f"{HEADER}\nr1,4,9\n")

        code, out, err = run(
            capsys, "score", "secure-base-leadership", str(data), "--on-error", "report", "--rejected", str(data)
        )

        assert (2, "") == (code, out)
        assert f"leadscore: cannot write {data}: it is the input {data}, which would be lost\n" == err
        assert f"{HEADER}\nr1,4,9\n" == data.read_text(encoding="utf-8")

    @pytest.mark.parametrize("where", ["folder", "missing folder"])
    def test_error_when_an_output_cannot_be_a_file(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, where: str
    ) -> None:
        """A folder, or a file in a folder that does not exist, is refused before any work."""
        out = tmp_path if where == "folder" else tmp_path / "nowhere" / "report.html"
        ratings = Path(__file__).resolve().parents[1] / "examples" / "sbl-360.json"

        code, _, err = run(capsys, "report", "secure-base-leadership", str(ratings), "--out", str(out))

        expected = "it is a folder" if where == "folder" else f"the folder {out.parent} does not exist"
        assert (2, f"leadscore: cannot write {out}: {expected}\n") == (code, err)

    def test_a_failed_run_leaves_no_rejected_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A run that stops on an unreadable line writes no rejected file, not even a partial one."""
        data = write(tmp_path / "data.csv", f"{HEADER}\nr1,4,9\nr2,\xff,3\n".encode("latin-1"))
        rejected = tmp_path / "rejected.jsonl"

        code, _, err = run(
            capsys, "score", "secure-base-leadership", str(data), "--on-error", "report", "--rejected", str(rejected)
        )

        assert 2 == code
        assert "line 3, byte 4: not UTF-8 text" in err
        assert [data] == list(tmp_path.iterdir())

    def test_a_successful_run_writes_the_whole_file_with_an_ordinary_mode(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """The rejected file appears whole when the run ends, readable like any file the user makes."""
        data = write(tmp_path / "data.csv", f"{HEADER}\nr1,4,9\nr2,5,3\n")
        rejected = tmp_path / "rejected.jsonl"

        code, out, _ = run(
            capsys, "score", "secure-base-leadership", str(data), "--on-error", "report", "--rejected", str(rejected)
        )

        umask = os.umask(0)
        os.umask(umask)
        assert 0 == code
        assert 2 == len(out.splitlines())  # The header and r2; r1's 9 is out of range.
        assert [2] == [json.loads(line)["row"] for line in rejected.read_text(encoding="utf-8").splitlines()]
        assert 0o666 & ~umask == rejected.stat().st_mode & 0o777
        assert {data, rejected} == set(tmp_path.iterdir())

    def test_score_out_writes_the_whole_file_or_none(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """--out gets exactly what stdout would; a run stopped by a bad row leaves no file at all."""
        good = write(tmp_path / "good.csv", f"{HEADER}\nr1,4,5\nr2,5,3\n")
        bad = write(tmp_path / "bad.csv", f"{HEADER}\nr1,4,5\nr2,9,3\n")
        out = tmp_path / "scores.csv"

        stdout_code, stdout, _ = run(capsys, "score", "secure-base-leadership", str(good))
        code, printed, _ = run(capsys, "score", "secure-base-leadership", str(good), "--out", str(out))
        written = out.read_text(encoding="utf-8")
        out.unlink()
        bad_code, bad_printed, err = run(capsys, "score", "secure-base-leadership", str(bad), "--out", str(out))

        assert (0, 0, "") == (stdout_code, code, printed)
        assert stdout == written
        assert (1, "") == (bad_code, bad_printed)
        assert "row 3" in err
        assert {good, bad} == set(tmp_path.iterdir())

    @pytest.mark.parametrize("clash", ["input", "rejected"])
    def test_error_when_score_out_is_another_file_of_the_run(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, clash: str
    ) -> None:
        """--out may be neither the input nor the --rejected file: refused before anything is written."""
        data = write(tmp_path / "data.csv", f"{HEADER}\nr1,4,9\n")
        out = data if clash == "input" else tmp_path / "same.jsonl"
        options = ["--on-error", "report", "--rejected", str(tmp_path / "same.jsonl")]

        code, printed, err = run(capsys, "score", "secure-base-leadership", str(data), "--out", str(out), *options)

        expected = (
            f"cannot write {data}: it is the input {data}, which would be lost"
            if clash == "input"
            else f"out and rejected are both {out}: one would overwrite the other"
        )
        assert (2, "", f"leadscore: {expected}\n") == (code, printed, err)
        assert [data] == list(tmp_path.iterdir())
        assert f"{HEADER}\nr1,4,9\n" == data.read_text(encoding="utf-8")

    def test_take_checks_the_save_path_before_asking(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """Take --save into a missing folder stops before the first question."""
        monkeypatch.setattr("sys.stdin", io.StringIO(""))
        target = tmp_path / "missing" / "result.json"

        code, out, err = run(capsys, "take", "secure-base-leadership", "--save", str(target))

        assert (2, "") == (code, out)
        assert f"the folder {target.parent} does not exist" in err

    def test_take_keeps_the_answers_when_the_save_fails(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """If the system refuses the file after the questions, the result goes to a temporary file, and the message says where."""
        monkeypatch.setattr("sys.stdin", io.StringIO("4\n" * 9))
        target = tmp_path / "result.json"
        monkeypatch.setattr("tempfile.mkstemp", _refuse_once_in(tmp_path))

        code, _, err = run(capsys, "take", "secure-base-leadership", "--save", str(target))

        assert 2 == code
        rescue = Path(err.rsplit(" saved in ", 1)[1].split(" instead")[0])
        assert err.startswith(
            f"leadscore: cannot write {target}: Permission denied; the answers and the result are saved in "
        )
        kept = json.loads(rescue.read_text(encoding="utf-8"))
        assert 4.0 == leadscore.from_json(json.dumps(kept["result"]), leadscore.Result).scales["overall"].value
        assert {4} == set(kept["answers"].values())
        rescue.unlink()


def _refuse_once_in(folder: Path) -> object:
    """A mkstemp that refuses to create a file in *folder*, as a read-only folder would."""
    real = tempfile.mkstemp

    def mkstemp(*args: object, dir: object = None, **kwargs: object) -> tuple[int, str]:  # noqa: A002 - mkstemp's own name
        if dir is not None and Path(str(dir)) == folder:
            raise PermissionError(13, "Permission denied")
        return real(*args, dir=dir, **kwargs)  # type: ignore[call-overload,no-any-return]

    return mkstemp


class TestUnreadableInput:
    @pytest.mark.parametrize(
        ("name", "content", "where"),
        [
            (
                "bad.csv",
                f"{HEADER}\nr1,4,5\nr2,\xff\n".encode("latin-1"),
                "line 3, byte 4: not UTF-8 text (invalid start byte)",
            ),
            (
                "bad.jsonl",
                b'{"stays-calm": 4}\n{"stays-calm": 4\n',
                "line 2, column 17: Expecting ',' delimiter",
            ),
            ("deep.jsonl", b"[" * 100_000 + b"]" * 100_000 + b"\n", "line 1: JSON nested too deeply"),
            ("nan.jsonl", b'{"stays-calm": 4}\n{"stays-calm": NaN}\n', "line 2: NaN is not a JSON number"),
            (
                "surrogate.json",
                b'[{"respondent": "\\ud800", "stays-calm": 4}]',
                "a string holds a lone surrogate (\\ud800), which is no text",
            ),
            ("bad.json", b'[{"stays-calm": 4},\n{"stays-calm": }]', "line 2, column 16: Expecting value"),
            ("huge.csv", f"{HEADER}\nr1,{'4' * 200_000},5\n".encode(), "a cell longer than 131,072 characters"),
            (
                "endless.jsonl",
                b'{"stays-calm": "' + b"4" * (1 << 20) + b'"}\n',
                "line 1 is longer than 1,048,576 bytes",
            ),
        ],
        ids=[
            "invalid UTF-8",
            "malformed JSON Lines",
            "deeply nested JSON",
            "NaN, which is no JSON number",
            "a lone surrogate, which is no text",
            "malformed JSON",
            "huge CSV field",
            "huge line",
        ],
    )
    def test_every_unreadable_file_is_one_line_naming_the_file_and_where(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, content: bytes, where: str
    ) -> None:
        """Exit 2 and one line on stderr, never a traceback."""
        path = write(tmp_path / name, content)

        code, _, err = run(capsys, "score", "secure-base-leadership", str(path))

        assert 2 == code
        assert 1 == len(err.splitlines()), err
        assert err.startswith(f"leadscore: cannot read {path}: ")
        assert where in err

    def test_error_when_the_header_names_a_column_twice(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A repeated header would let one column replace the other silently: the file is refused."""
        path = write(tmp_path / "twice.csv", "respondent,stays-calm,stays-calm\nr1,4,2\n")

        code, out, err = run(capsys, "score", "secure-base-leadership", str(path))

        assert (2, "") == (code, out)
        assert f"leadscore: cannot read {path}: the header names a column twice ('stays-calm' in columns 2, 3)\n" == err

    def test_short_and_long_rows_are_rejected_with_their_line(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A row with too few or too many cells would shift answers: it is rejected; the others are scored."""
        path = write(tmp_path / "ragged.csv", f'{HEADER}\nr1,4\n"r2\nmore",4,5\nr3,4,5,1\nr4,3,3\n')
        rejected = tmp_path / "rejected.jsonl"

        code, out, err = run(
            capsys, "score", "secure-base-leadership", str(path), "--on-error", "report", "--rejected", str(rejected)
        )

        records = [json.loads(line) for line in rejected.read_text(encoding="utf-8").splitlines()]
        assert 0 == code
        assert ["r2\nmore", "r4"] == [row["respondent"] for row in csv.DictReader(io.StringIO(out))]
        assert [(2, ["r1", "4"]), (5, ["r3", "4", "5", "1"])] == [(r["row"], r["answers"]) for r in records]
        assert "row 2: has 2 cells where the header has 3 columns" in err
        assert "row 5: has 4 cells where the header has 3 columns" in err


class TestEndings:
    def test_version(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--version prints the installed version."""
        code, out, _ = run(capsys, "--version")

        assert (0, f"leadscore {leadscore.__version__}\n") == (code, out)

    def test_piping_into_head_ends_quietly(self, tmp_path: Path) -> None:
        """When the reader closes the pipe, the command stops with 141 (as SIGPIPE would) and says nothing."""
        rows = "\n".join(f"r{i},4,5" for i in range(20_000))
        data = write(tmp_path / "many.csv", f"{HEADER}\n{rows}\n")
        command = [sys.executable, "-m", "leadscore", "score", "secure-base-leadership", str(data)]
        with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
            assert process.stdout is not None
            assert process.stderr is not None
            first = process.stdout.readline()
            process.stdout.close()
            error = process.stderr.read()
            code = process.wait(timeout=120)

        assert first.startswith(b"respondent,stays-calm.value")
        assert (141, absent(data, "stays-calm", "accepts-the-individual").encode()) == (code, error)

    def test_ctrl_c_ends_quietly(self) -> None:
        """Ctrl-C while take waits for an answer ends with 130 and no traceback."""
        command = [sys.executable, "-m", "leadscore", "take", "secure-base-leadership"]
        with subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        ) as process:
            assert process.stdout is not None
            process.stdout.readline()  # The title: the command is running and about to ask.
            process.send_signal(signal.SIGINT)
            _, error = process.communicate(timeout=120)

        assert (130, b"") == (process.returncode, error)

    @pytest.mark.parametrize(("raised", "code"), [(BrokenPipeError, 141), (KeyboardInterrupt, 130)])
    def test_endings_in_process(
        self,
        capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch,
        raised: type[BaseException],
        code: int,
    ) -> None:
        """The same endings when main() runs inside another program: the codes, and nothing printed."""

        def interrupted(*_: object) -> None:
            raise raised

        parsed = leadscore.cli._main.build_parser().parse_args(["list"])
        monkeypatch.setattr(leadscore.cli._main, "build_parser", lambda: _Fixed(parsed, interrupted))

        assert (code, "", "") == run(capsys, "list")

    def test_a_closed_pipe_points_standard_output_at_the_null_device(
        self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """After a broken pipe, what is still buffered for standard output goes nowhere, not to the broken pipe."""
        with (tmp_path / "stdout").open("w", encoding="utf-8") as stdout:
            saved = os.dup(stdout.fileno())
            monkeypatch.setattr("sys.stdout", stdout)
            leadscore._files.discard_stdout()
            stdout.write("lost")
            stdout.flush()
            os.dup2(saved, stdout.fileno())
            os.close(saved)

        assert "" == (tmp_path / "stdout").read_text(encoding="utf-8")


class _Fixed:
    """A parser that gives the same arguments whatever it is asked, with *run* as the command."""

    def __init__(self, args: object, run: object) -> None:
        self.args = args
        self.args.run = run  # type: ignore[attr-defined]

    def parse_args(self, _: object) -> object:
        return self.args


class TestCsvShapes:
    def test_an_empty_file_gives_only_the_header(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A CSV file with nothing in it has no rows to score: the output is the header alone."""
        path = write(tmp_path / "empty.csv", "")

        code, out, _ = run(capsys, "score", "secure-base-leadership", str(path))

        assert (0, 1) == (code, len(out.splitlines()))

    def test_blank_lines_are_skipped_and_rows_keep_their_line_numbers(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """A blank line is no row; the row after it is still named by its own line."""
        path = write(tmp_path / "blank.csv", f"{HEADER}\n\nr1,4,9\n")

        code, _, err = run(capsys, "score", "secure-base-leadership", str(path))

        assert 1 == code
        assert (
            absent(path, "stays-calm", "accepts-the-individual")
            + ("leadscore: row 3: 'accepts-the-individual' must be an integer from 1 to 5, or None (got 9)\n")
            == err
        )


class TestWhatTheCommandWrites:
    def test_text_that_a_spreadsheet_would_run_is_written_as_text(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Carried cells starting like a formula get a leading apostrophe; numbers such as -12 stay;
        --raw-text writes them as they are.
        """
        ids = ['=HYPERLINK("http://x")', "+1+1", "@SUM(A1)", "-12", "-1.5e3", "\tcmd", "plain", "-2+3"]
        rows = "\n".join(f'"{i.replace(chr(34), chr(34) * 2)}",4,5' for i in ids)
        data = write(tmp_path / "ids.csv", f"{HEADER}\n{rows}\n")

        _, safe, _ = run(capsys, "score", "secure-base-leadership", str(data))
        _, raw, _ = run(capsys, "score", "secure-base-leadership", str(data), "--raw-text")

        safe_ids = [row["respondent"] for row in csv.DictReader(io.StringIO(safe))]
        raw_ids = [row["respondent"] for row in csv.DictReader(io.StringIO(raw))]
        assert [
            '\'=HYPERLINK("http://x")',
            "'+1+1",
            "'@SUM(A1)",
            "-12",
            "-1.5e3",
            "'\tcmd",
            "plain",
            "'-2+3",
        ] == safe_ids
        assert ids == raw_ids

    def test_text_from_the_file_never_acts_on_a_terminal(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """Escape codes in a respondent id: kept in files and pipes, shown escaped on a terminal, escaped in JSON."""
        hostile = "r1\x1b]0;owned\x07\x1b[2J\u202e\x9b"
        data = write(tmp_path / "data.csv", f"{HEADER}\n{hostile},4,5\n")

        _, piped, _ = run(capsys, "score", "secure-base-leadership", str(data))
        _, as_json, _ = run(capsys, "score", "secure-base-leadership", str(data), "--format", "jsonl")
        monkeypatch.setattr("sys.stdout.isatty", lambda: True)
        _, on_terminal, _ = run(capsys, "score", "secure-base-leadership", str(data))

        assert hostile == next(csv.DictReader(io.StringIO(piped)))["respondent"]
        assert hostile == json.loads(as_json)["respondent"]
        assert as_json.rstrip("\n").isprintable()
        assert "r1\\x1b]0;owned\\x07\\x1b[2J\\u202e\\x9b" == on_terminal.splitlines()[1].split(",")[0]

    def test_a_plugins_error_never_acts_on_a_terminal(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """A plugin's exception text reaches stderr and the listing with its control characters escaped."""
        (tmp_path / "hostile_plugin.py").write_text(
            "raise ImportError('gone\\x1b[2J\\x1b]0;owned\\x07')\n", encoding="utf-8"
        )
        monkeypatch.syspath_prepend(str(tmp_path))
        leadscore.register("hostile_plugin:make", id="hostile")
        try:
            code, _, err = run(capsys, "show", "hostile")
            _, listed, _ = run(capsys, "list")
        finally:
            leadscore._registry.default_registry().unregister("hostile")

        assert 1 == code
        assert err.endswith("ImportError: gone\\x1b[2J\\x1b]0;owned\\x07\n")
        assert "\x1b" not in err + listed
        assert "hostile_plugin:make) could not be loaded: ImportError: gone\\x1b[2J" in listed

    def test_a_plugin_that_prints_on_import_does_not_corrupt_the_output(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """What a plugin prints while it is imported goes to stderr; stdout holds only the command's output."""
        (tmp_path / "noisy_plugin.py").write_text(
            "import attrs, leadscore\nprint('hello from the plugin')\n"
            "def make():\n    return attrs.evolve(leadscore.get_instrument('secure-base-leadership'), id='noisy')\n",
            encoding="utf-8",
        )
        monkeypatch.syspath_prepend(str(tmp_path))
        leadscore.register("noisy_plugin:make", id="noisy")
        try:
            code, out, err = run(capsys, "show", "noisy", "--format", "json")
        finally:
            leadscore._registry.default_registry().unregister("noisy")

        assert 0 == code
        assert "noisy" == json.loads(out)["id"]
        assert "hello from the plugin\n" == err


def test_a_ratings_file_nested_too_deeply_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The report command reads its ratings as strictly: deep nesting is a usage error, not a RecursionError."""
    ratings = write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)

    code, _, err = run(capsys, "report", "secure-base-leadership", str(ratings), "--out", str(tmp_path / "r.html"))

    assert (2, f"leadscore: cannot read {ratings}: JSON nested too deeply\n") == (code, err)


class TestTerminalSafeText:
    @given(st.text())
    @example("a\x1b[2J\u202e\x9b\U000e0001\ud800 é \u00a0\n\t")
    def test_json_text_is_printable_and_means_the_same(self, text: str) -> None:
        """JSON written for a terminal reads back as the very value, and holds no unprintable character."""
        value = {"id": text, "list": [text, 1.5, None]}

        flat, indented = json_text(value), json_text(value, indent=2)

        assert value == json.loads(flat) == json.loads(indented)
        assert flat.isprintable()
        assert indented.replace("\n", "").isprintable()

    @given(st.text())
    @example("a\x1b[2J\u202e\x9b\U000e0001\ud800 é \u00a0\n\t")
    def test_terminal_safe_text_keeps_printable_characters_lines_and_tabs(self, text: str) -> None:
        """Only unprintable characters change, each into its escape; a text that is all printable stays as it is."""
        shown = terminal_safe(text)

        assert shown.replace("\n", "").replace("\t", "").isprintable()
        assert (shown == text) == all(c.isprintable() or c in "\n\t" for c in text)
        remaining = iter(shown)  # Every character kept appears in the shown text, in order.
        assert all(c in remaining for c in text if c.isprintable() or c in "\n\t")
