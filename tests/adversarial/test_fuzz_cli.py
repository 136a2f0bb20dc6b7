"""
Fuzzing the command line: score, report and take, on files and input damaged anywhere.

The promises checked on every run: the exit code is 0, 1 or 2 and nothing else escapes;
every line on stderr is one of leadscore's, with nothing in it that acts on a terminal; the
input file is never changed; an output file exists whole when the run succeeds and not at
all when it fails; and every row read is either scored or rejected, none dropped.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import uuid

from typing import Any

import pytest

from hypothesis import event, given
from hypothesis import strategies as st

from leadscore.cli import main
from tests.adversarial.hostile import TRICKY_TEXT


SBL = "secure-base-leadership"
ITEMS = ("stays-calm", "accepts-the-individual", "sees-the-potential", "uses-listening-and-inquiry")


def run(argv: list[str], stdin: str = "") -> tuple[int, str, str]:
    """Run main() in this process with *stdin*; return the exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        pytest.MonkeyPatch.context() as patch,
    ):
        patch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(argv)
    event(f"exit {code}")
    return code, out.getvalue(), err.getvalue()


def assert_quiet_and_safe(code: int, err: str) -> None:
    """An exit code of the documented three; every stderr line leadscore's own, shown, never acted on."""
    assert code in {0, 1, 2}
    for line in err.splitlines():
        assert line.startswith("leadscore: "), line
        assert line.isprintable(), line


def cells() -> st.SearchStrategy[str]:
    """What an exported cell holds: an answer, a blank, a decimal, or text that should not be there."""
    return st.one_of(
        st.integers(0, 6).map(str),
        st.sampled_from(["", " ", "4.0", "NA", "4,5"]),
        st.integers(0, len(TRICKY_TEXT) - 1).map(TRICKY_TEXT.__getitem__).filter(lambda t: len(t) < 100),
        st.text(max_size=4),
    )


@st.composite
def exports(draw: st.DrawFn) -> tuple[str, bytes, int]:
    """A CSV, JSON or JSON Lines export of answers, damaged here and there; and how many rows it has at most."""
    fmt = draw(st.sampled_from(["csv", "json", "jsonl"]))
    columns = ["respondent", *draw(st.lists(st.sampled_from([*ITEMS, "unknown", "respondent"]), max_size=4))]
    rows = [[f"r{i}", *(draw(cells()) for _ in columns[1:])] for i in range(draw(st.integers(0, 5)))]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
        writer.writerow(columns)
        writer.writerows(rows)
        raw = bytearray(buffer.getvalue().encode("utf-8", "surrogatepass"))
    else:
        objects = [dict(zip(columns, row, strict=False)) for row in rows]
        text = json.dumps(objects) if fmt == "json" else "".join(json.dumps(o) + "\n" for o in objects)
        raw = bytearray(text.encode("utf-8", "surrogatepass"))
    for _ in range(draw(st.integers(0, 2))):
        if not raw:
            break
        at = draw(st.integers(0, len(raw) - 1))
        raw[at : at + draw(st.integers(0, 3))] = draw(st.sampled_from([b",", b'"', b"\n", b"\xff", b"\x00", b"{", b""]))
    return fmt, bytes(raw), len(rows)


@given(
    exports(),
    st.fixed_dictionaries(
        {
            "fmt": st.sampled_from(["csv", "jsonl"]),
            "on_error": st.sampled_from(["raise", "report"]),
            "to_file": st.booleans(),
            "raw_text": st.booleans(),
        }
    ),
)
def test_score_loses_nothing_on_any_file(
    tmp_path_factory: pytest.TempPathFactory, export: tuple[str, bytes, int], options: dict[str, Any]
) -> None:
    """Leadscore score on a damaged export: documented exit codes, the input unchanged, outputs whole or absent, no row lost."""
    fmt, on_error, to_file, raw_text = options["fmt"], options["on_error"], options["to_file"], options["raw_text"]
    suffix, raw, _ = export
    folder = tmp_path_factory.mktemp("cli")
    data = folder / f"answers.{suffix}"
    data.write_bytes(raw)
    out, rejected = folder / "scores.out", folder / "rejected.jsonl"
    argv = ["score", SBL, str(data), "--format", fmt, "--on-error", on_error]
    argv += ["--out", str(out)] * to_file + ["--rejected", str(rejected)] * (on_error == "report")
    argv += ["--raw-text"] * raw_text

    code, printed, err = run(argv)

    assert_quiet_and_safe(code, err)
    assert raw == data.read_bytes()
    assert (code == 0) == out.exists() if to_file else not out.exists()
    assert (code == 0) == rejected.exists() if on_error == "report" else not rejected.exists()
    if code != 0:
        return
    written = out.read_text(encoding="utf-8") if to_file else printed
    scored = len(list(csv.reader(io.StringIO(written)))) - 1 if fmt == "csv" else len(written.splitlines())
    refused = len(rejected.read_text(encoding="utf-8").splitlines()) if on_error == "report" else 0
    rows_read = scored + refused
    # Every row read is in exactly one of the two outputs: as many as the file has data lines.
    assert rows_read == _data_lines(suffix, raw)


def _data_lines(suffix: str, raw: bytes) -> int:
    """How many answer sets a file that was read whole holds, counted apart from the command."""
    text = raw.decode("utf-8")
    if suffix == "json":
        return len(json.loads(text))
    if suffix == "jsonl":
        return sum(1 for line in text.splitlines() if line.strip())
    # Blank lines are no rows, before the header too: the header is the first line that is not blank.
    records = [record for record in csv.reader(io.StringIO(text, newline="")) if record]
    return sum(1 for record in records[1:] if any(cell.strip() for cell in record) or len(record) > 1)


@st.composite
def ratings_files(draw: st.DrawFn) -> bytes:
    """A 360 ratings file: mostly well formed, with anything in places."""
    entries = []
    for index in range(draw(st.integers(0, 8))):
        entry: dict[str, Any] = {
            "group": draw(st.sampled_from(["self", "manager", "peers", "direct_reports", "others"]))
            if draw(st.integers(0, 19))
            else draw(st.sampled_from(["Peers", "", "merged", "all-others"])),
            "rater": f"r{index}" if draw(st.integers(0, 9)) else draw(st.sampled_from(["r0", 7, None, ["r"]])),
            "answers": {
                item: draw(st.integers(1, 5))
                if draw(st.integers(0, 9))
                else draw(st.one_of(st.integers(0, 6), st.none(), cells()))
                for item in ITEMS[: draw(st.integers(0, 4))]
            },
        }
        if draw(st.integers(0, 19)) == 0:
            entry.pop(draw(st.sampled_from(sorted(entry))))
        entries.append(entry)
    document: Any = {"person": draw(st.one_of(st.text(max_size=8), st.none(), st.integers())), "ratings": entries}
    if draw(st.integers(0, 19)) == 0:
        document = draw(st.sampled_from([[], "x", {"ratings": "x"}, {"ratings": [1]}]))
    return json.dumps(document).encode()


@pytest.mark.untraced
@given(ratings_files(), st.sampled_from(["nl", "en"]))
def test_report_writes_a_whole_page_or_nothing(tmp_path_factory: pytest.TempPathFactory, raw: bytes, lang: str) -> None:
    """Leadscore report on any ratings file: documented exit codes; the page is written whole on success, else absent."""
    folder = tmp_path_factory.mktemp("report")
    ratings = folder / "ratings.json"
    ratings.write_bytes(raw)
    page = folder / f"report-{uuid.uuid4().hex}.html"

    code, _, err = run(["report", SBL, str(ratings), "--out", str(page), "--lang", lang])

    assert_quiet_and_safe(code, err)
    assert (code == 0) == page.exists()
    if code == 0:
        html = page.read_text(encoding="utf-8")
        assert html.startswith("<!DOCTYPE html>") or html.lower().startswith("<!doctype html>")
        assert html.rstrip().endswith("</html>")


@st.composite
def typed_answers(draw: st.DrawFn) -> list[str]:
    """What a person types for the nine items: an answer or a blank for each, with anything else before it now and then."""
    lines: list[str] = []
    for _ in range(9):
        lines.extend(draw(st.lists(cells(), max_size=1 if draw(st.integers(0, 3)) else 3)))
        lines.append(draw(st.sampled_from(["1", "2", "3", "4", "5", "", " 4 "])))
    return lines[: draw(st.integers(0, len(lines)))] if draw(st.integers(0, 9)) == 0 else lines


@pytest.mark.untraced
@given(typed_answers(), st.sampled_from(["nl", "en"]))
def test_take_with_any_typed_answers(answers: list[str], lang: str) -> None:
    """Leadscore take with anything typed: bad answers asked again, no traceback, a result or a clean end of input."""
    code, printed, err = run(["take", SBL, "--lang", lang], stdin="".join(f"{a}\n" for a in answers))

    assert_quiet_and_safe(code, err)
    assert "\x1b" not in printed
    if code == 0:
        assert printed.count("\n  ") >= 13  # The result: one line per scale and composite.
    else:
        assert (2, 1) == (code, len(err.splitlines()))
        assert "the input ended before question" in err or "de invoer eindigde voordat vraag" in err
