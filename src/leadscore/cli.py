"""
The ``leadscore`` command (also ``python -m leadscore``): list, show, take, score, validate.

Exit codes: 0 ok, 1 invalid input (bad answers, a bad definition, a broken instrument), 2
usage (unknown command or option, a file that cannot be read). Errors go to standard error,
one clear line each.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import csv
import itertools
import json
import os
import sys
import tempfile

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from attrs import frozen

import leadscore

from leadscore._model import Instrument, Item
from leadscore._plan import ItemRule, compiled
from leadscore._results import CompositeScore, Result, ScaleScore
from leadscore.errors import InvalidAnswerError, InvalidAnswersError, InvalidArgumentError, LeadscoreError


__all__ = ["main"]

OK, INVALID, USAGE = 0, 1, 2
# As a shell reports a process ended by a signal: 128 + SIGINT (Ctrl-C), 128 + SIGPIPE (the
# reader of the output went away, as `| head` does).
INTERRUPTED, BROKEN_PIPE = 130, 141
#: The longest line an input file may have: a longer one is no answer set, and is not read into memory.
MAX_LINE = 1 << 20


class _Usage(Exception):
    """A usage problem: reported on stderr, exit code 2."""


class _CannotWrite(_Usage):
    """An output file that the system refused to write."""


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the ``leadscore`` command with *argv* (default: the process's arguments); return the exit code.

    .. versionadded:: 0.1.0
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 on --help.
        return int(exit_.code or 0)
    try:
        return int(args.run(args))
    except _Usage as problem:
        print(f"leadscore: {problem}", file=sys.stderr)
        return USAGE
    except LeadscoreError as error:
        for line in _lines(error):
            print(f"leadscore: {line}", file=sys.stderr)
        return INVALID
    except BrokenPipeError:
        _discard_stdout()
        return BROKEN_PIPE
    except KeyboardInterrupt:
        return INTERRUPTED


def _discard_stdout() -> None:
    """Point standard output at the null device, so that flushing it at exit raises nothing more."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # A stand-in for stdout (tests, an embedding app).
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


class _Version(argparse.Action):
    """``--version``: the installed distribution's version, read only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print leadscore's version and exit", **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        print(f"leadscore {leadscore.__version__}")
        parser.exit()


def _lines(error: LeadscoreError) -> list[str]:
    problems = getattr(error, "problems", None)
    if problems:
        return [str(problem) for problem in problems]
    return [str(error).splitlines()[0] if str(error) else type(error).__name__]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leadscore", description="Score leadership questionnaires.")
    parser.add_argument("--version", action=_Version)
    commands = parser.add_subparsers(required=True, metavar="command")

    listing = commands.add_parser("list", help="list installed instruments, broken ones with the reason")
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.set_defaults(run=_list)

    show = commands.add_parser("show", help="show an instrument's items, response labels and scales")
    show.add_argument("id")
    show.add_argument("--lang", choices=["nl", "en"], default="en")
    show.add_argument("--format", choices=["text", "json"], default="text")
    show.set_defaults(run=_show)

    take = commands.add_parser("take", help="answer an instrument item by item (or pipe answers on stdin)")
    take.add_argument("id")
    take.add_argument("--lang", choices=["nl", "en"], default="en")
    take.add_argument("--save", type=Path, help="also write the result as JSON to this file")
    take.set_defaults(run=_take)

    score = commands.add_parser("score", help="score a CSV, JSON or JSON Lines file of answer sets")
    score.add_argument("id")
    score.add_argument("file", type=Path)
    score.add_argument("--format", choices=["csv", "json"], default="csv", help="output format (default csv)")
    score.add_argument("--on-error", choices=["fail", "skip"], default="fail")
    score.add_argument("--rejected", type=Path, help="with --on-error skip: where rejected rows go (JSON Lines)")
    score.add_argument("--id-column", default="respondent", help="a column to carry through (default respondent)")
    score.set_defaults(run=_score)

    report = commands.add_parser("report", help="write a self-contained HTML 360 report from a JSON file of ratings")
    report.add_argument("id")
    report.add_argument(
        "file", type=Path, help='JSON: {"person": ..., "ratings": [{"group", "rater", "answers"}, ...]}'
    )
    report.add_argument("--out", type=Path, required=True)
    report.add_argument("--lang", choices=["nl", "en"], default="en")
    report.set_defaults(run=_report)

    validate = commands.add_parser("validate", help="check a definition file (and run the conformance kit)")
    validate.add_argument("file", type=Path)
    validate.add_argument("--examples", type=int, default=25, help="examples per invariant for the kit")
    validate.set_defaults(run=_validate)
    return parser


def _list(args: argparse.Namespace) -> int:
    infos = leadscore.list_instruments()
    if args.format == "json":
        rows = [
            {
                "id": i.id,
                "version": i.version,
                "distribution": i.distribution,
                "distribution_version": i.distribution_version,
                "state": i.state,
                "reason": i.reason,
            }
            for i in infos
        ]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return OK
    for info in infos:
        line = f"{info.id:<36} {info.distribution or 'registered in code':<28} {info.state}"
        print(line + (f": {info.reason}" if info.reason and info.state != "available" else ""))
    return OK


def _instrument(instrument_id: str) -> Instrument:
    try:
        return leadscore.get_instrument(instrument_id)
    except leadscore.UnknownInstrumentError as error:
        raise _Usage(str(error)) from error


def _text(value: Any, lang: str) -> str:
    return "" if value is None else str(value.get(lang, "en", "nl"))


def _show(args: argparse.Namespace) -> int:
    instrument = _instrument(args.id)
    if args.format == "json":
        print(leadscore.to_json(instrument))
        return OK
    lang = args.lang
    print(f"{_text(instrument.title, lang)} ({instrument.id} {instrument.version})")
    if instrument.description is not None:
        print(_text(instrument.description, lang))
    print()
    rules = compiled(instrument).items
    for number, (item, rule) in enumerate(zip(instrument.items, rules, strict=True), start=1):
        print(f"{number:>3}. [{item.id}] {_text(item.text, lang)}")
        print(f"     {_choices(item, rule, lang)}")
    print()
    for scale in instrument.scales:
        keyed = ", ".join(f"-{i}" if scale.is_reversed(i) else i for i in scale.items)
        print(f"scale {scale.id}: {_text(scale.title, lang)} ({scale.method} of {keyed}; needs {scale.min_answered})")
    for composite in instrument.composites:
        parts = ", ".join(p.scale for p in composite.parts)
        print(f"composite {composite.id}: {_text(composite.title, lang)} ({composite.method} of {parts})")
    if instrument.notes is not None:
        print()
        print(_text(instrument.notes, lang))
    return OK


def _choices(item: Item, rule: ItemRule, lang: str) -> str:
    """Every answer the item takes, with its label where it has one."""
    response = item.response
    points = []
    for value in rule.answers:
        na = response.not_applicable
        label = na.label if na is not None and value == na.code else response.label(value)
        points.append(f"{value}" + (f" = {_text(label, lang)}" if label is not None else ""))
    return "; ".join(points)


def _take(args: argparse.Namespace) -> int:
    save = _OutputFile(args.save) if args.save is not None else None  # Checked before any question.
    instrument = _instrument(args.id)
    lang = args.lang
    interactive = sys.stdin.isatty()
    answers: dict[str, int | None] = {}
    lines = iter(sys.stdin.readline, "")
    print(_text(instrument.title, lang))
    rules = compiled(instrument).items
    for number, (item, rule) in enumerate(zip(instrument.items, rules, strict=True), start=1):
        answers[item.id] = _ask(item, rule, number, lang, lines, interactive=interactive)
    result = leadscore.score(instrument, answers)
    print()
    _print_result(instrument, result, lang)
    if save is not None:
        text = leadscore.to_json(result) + "\n"
        try:
            save.write(text)
        except _CannotWrite as problem:
            # The answers were typed by a person: keep them where the system lets us.
            descriptor, rescue = tempfile.mkstemp(prefix="leadscore-result-", suffix=".json")
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
            raise _Usage(f"{problem}; the result is saved in {rescue} instead") from problem
        print(f"saved to {args.save}")
    return OK


def _ask(item: Item, rule: ItemRule, number: int, lang: str, lines: Iterator[str], *, interactive: bool) -> int | None:
    allowed = {str(answer): answer for answer in rule.answers}
    prompt = f"{number}. {_text(item.text, lang)}\n   ({_choices(item, rule, lang)}; empty to skip) > "
    while True:
        print(prompt, end="", flush=True)
        line = next(lines, None)
        if line is None:
            raise _Usage(f"standard input ended before item {item.id!r} was answered")
        answer = line.strip()
        if not interactive:
            print(answer)
        if answer == "":
            return None
        if answer in allowed:
            return allowed[answer]
        print(f"   {answer!r} is not an answer; type one of {', '.join(allowed)}, or nothing to skip")


def _print_result(instrument: Instrument, result: Result, lang: str) -> None:
    titles = {s.id: s.title for s in instrument.scales} | {c.id: c.title for c in instrument.composites}
    scores: list[ScaleScore | CompositeScore] = [*result.scales.values(), *result.composites.values()]
    for score in scores:
        title = _text(titles[score.id], lang)
        value = "-" if score.value is None else f"{score.value:.2f}"
        print(f"  {title:<45} {value:>6}" + (f"   {score.reason}" if score.reason else ""))


def _score(args: argparse.Namespace) -> int:
    instrument = _instrument(args.id)
    if args.on_error == "skip" and args.rejected is None:
        raise _Usage("--on-error skip needs --rejected FILE, so that no row is lost silently")
    rejected = _OutputFile(args.rejected, inputs=[args.file]) if args.rejected is not None else None
    rows = _read_rows(args.file)
    # Read as far as the first row before writing anything: a file refused for its header or
    # its JSON as a whole gets no output at all.
    first = next(rows, None)
    rows = itertools.chain([first] if first is not None else [], rows)
    writer = _Writer(instrument, args.format, args.id_column)
    with rejected if rejected is not None else contextlib.nullcontext() as rejected_out:
        return _score_rows(args, instrument, rows, writer, rejected_out)


def _score_rows(
    args: argparse.Namespace,
    instrument: Instrument,
    rows: Iterator[tuple[int, Row]],
    writer: _Writer,
    rejected_out: IO[str] | None,
) -> int:
    failures = 0
    progress = _Progress(args.file) if sys.stderr.isatty() else None
    try:
        for number, row in rows:
            if progress is not None:
                progress.tick()
            carried = row.get(args.id_column) if isinstance(row, dict) else None
            try:
                result = leadscore.score(instrument, _answers(instrument, row, number, args.id_column))
            except InvalidAnswersError as error:
                failures += 1
                for problem in error.problems:
                    print(
                        f"leadscore: {problem if problem.row is not None else f'row {number}: {problem}'}",
                        file=sys.stderr,
                    )
                if args.on_error == "fail":
                    return INVALID
                assert rejected_out is not None
                cells = row.cells if isinstance(row, _Malformed) else row
                rejected_out.write(
                    json.dumps({"row": number, "answers": cells, "errors": [p.message for p in error.problems]}) + "\n"
                )
                continue
            writer.write(carried, result)
    finally:
        writer.close()
        if progress is not None:
            progress.done()
    if failures:
        print(f"leadscore: {failures} row(s) rejected, written to {args.rejected}", file=sys.stderr)
    return OK


def _answers(instrument: Instrument, row: Row, number: int, id_column: str) -> dict[str, int | None]:
    """The answers in one row; raise `InvalidAnswersError` for a row that has none to give."""
    if isinstance(row, _Malformed):
        problem = InvalidAnswerError(row.reason, item_id="", value=row.cells, row=number)
        raise InvalidAnswersError(instrument.id, [problem], row=number)
    return leadscore.coerce_answers(instrument, row, row_number=number, ignore=[id_column])


def _read_rows(path: Path) -> Iterator[tuple[int, Row]]:
    """Rows one at a time (constant memory), numbered as a person reads the file."""
    suffix = path.suffix.lower()
    if suffix not in {".csv", ".json", ".jsonl"}:
        raise _Usage(f"cannot read {path}: use a .csv, .json or .jsonl file")
    try:
        handle = path.open("rb")
    except OSError as error:
        raise _Usage(f"cannot read {path}: {error.strerror}") from error
    return _rows(handle, suffix, path)


def _rows(handle: IO[bytes], suffix: str, path: Path) -> Iterator[tuple[int, Row]]:
    """The file's answer sets; anything that cannot be read stops the run with the file and the place."""
    with handle:
        lines = _lines_of(handle, path)
        try:
            if suffix == ".csv":
                yield from _csv_rows(lines, path)
            elif suffix == ".jsonl":
                for number, line in lines:
                    if line.strip():
                        yield number, _object(_parse_json(line.rstrip("\r\n"), path, number), path, number)
            else:
                text = "".join(line for _, line in lines)
                data = _parse_json(text, path, None)
                if not isinstance(data, list):
                    raise _Usage(f"{path} must hold a JSON list of answer objects")
                for number, row in enumerate(data, start=1):
                    yield number, _object(row, path, number)
        except csv.Error as error:
            raise _Usage(f"cannot read {path}: {error}") from error


def _lines_of(handle: IO[bytes], path: Path) -> Iterator[tuple[int, str]]:
    """Each line of *handle* as text with its number, decoded as UTF-8 one line at a time."""
    number = 0
    while line := handle.readline(MAX_LINE + 1):
        number += 1
        if len(line) > MAX_LINE:
            raise _Usage(f"cannot read {path}: line {number} is longer than {MAX_LINE:,} bytes")
        try:
            yield number, line.decode()
        except UnicodeDecodeError as error:
            raise _Usage(
                f"cannot read {path}: line {number}, byte {error.start + 1}: not UTF-8 text ({error.reason})"
            ) from error


def _parse_json(text: str, path: Path, line: int | None) -> Any:
    """Parse one JSON document: the whole file, or the text of its *line*."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        place = f"line {error.lineno if line is None else line}, column {error.colno}"
        raise _Usage(f"cannot read {path}: {place}: {error.msg}") from error
    except RecursionError as error:
        raise _Usage(f"cannot read {path}: {'' if line is None else f'line {line}: '}JSON nested too deeply") from error


def _csv_rows(lines: Iterator[tuple[int, str]], path: Path) -> Iterator[tuple[int, Row]]:
    """
    CSV rows as mappings of header to cell, numbered by the line they start on (the header is 1).

    A header that names a column twice would let one column silently replace the other: the
    file is refused. A row with more or fewer cells than the header would shift answers into
    the wrong items: it is rejected like any invalid row, and the others are scored.
    """
    reader = csv.reader(line for _, line in lines)
    header = next(reader, None)
    if header is None:
        return
    repeated = [name for name, count in collections.Counter(header).items() if count > 1]
    if repeated:
        named = "; ".join(
            f"{name!r} in columns {', '.join(str(i) for i, h in enumerate(header, start=1) if h == name)}"
            for name in repeated
        )
        raise _Usage(f"cannot read {path}: the header names a column twice ({named})")
    while True:
        start = reader.line_num + 1
        cells = next(reader, None)
        if cells is None:
            return
        if not cells:  # A blank line, as csv.DictReader skips it.
            continue
        if len(cells) != len(header):
            yield start, _Malformed(f"has {len(cells)} cells where the header has {len(header)} columns", cells)
        else:
            yield start, dict(zip(header, cells, strict=True))


@frozen
class _Malformed:
    """A row that cannot be read as answers: why, and its cells as they came."""

    reason: str
    cells: list[str]


Row = dict[str, Any] | _Malformed


def _object(value: Any, path: Path, number: int) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Usage(f"{path}, entry {number}: must be an object of item id to answer")
    return value


class _OutputFile:
    """
    A file the command writes whole or not at all, checked before any work is done.

    It is written to a temporary file beside it and renamed over it only when the work
    succeeds, so a run that fails, is interrupted or is killed never leaves a file that looks
    complete (a killed one may leave the hidden temporary file). It may not be one of the
    command's inputs, a folder, or in a folder that does not exist.
    """

    def __init__(self, path: Path, *, inputs: Sequence[Path] = ()) -> None:
        self.path = path
        if path.is_dir():
            raise _Usage(f"cannot write {path}: it is a folder")
        if not path.parent.is_dir():
            raise _Usage(f"cannot write {path}: the folder {path.parent} does not exist")
        for source in inputs:
            if path.resolve() == source.resolve() or (path.exists() and source.exists() and path.samefile(source)):
                raise _Usage(f"cannot write {path}: it is the input {source}, which would be lost")
        self.temporary: Path | None = None

    def __enter__(self) -> IO[str]:
        try:
            descriptor, name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".partial")
        except OSError as error:
            raise _CannotWrite(f"cannot write {self.path}: {error.strerror}") from error
        self.temporary = Path(name)
        self.handle = os.fdopen(descriptor, "w", encoding="utf-8", newline="")
        return self.handle

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        assert self.temporary is not None
        self.handle.close()
        if kind is not None:
            self.temporary.unlink()
            return
        # mkstemp makes the file private; give it the mode a new file of the user's would have.
        umask = os.umask(0)
        os.umask(umask)
        self.temporary.chmod(0o666 & ~umask)
        self.temporary.replace(self.path)

    def write(self, text: str) -> None:
        """Write *text* as the whole file."""
        with self as handle:
            handle.write(text)


class _Progress:
    """A one-line progress indicator on a terminal's stderr: the rows scored so far."""

    EVERY = 1000

    def __init__(self, path: Path) -> None:
        self.path = path
        self.rows = 0

    def tick(self) -> None:
        self.rows += 1
        if self.rows % self.EVERY == 0:
            self.show()

    def show(self) -> None:
        print(f"\rscoring {self.path.name}: {self.rows:,} rows", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        self.show()
        print(file=sys.stderr)


class _Writer:
    """Writes results as CSV rows or JSON Lines objects, one per input row, as they come."""

    def __init__(self, instrument: Instrument, fmt: str, id_column: str) -> None:
        self.fmt = fmt
        self.id_column = id_column
        self.ids = [s.id for s in instrument.scales] + [c.id for c in instrument.composites]
        self.csv: Any = None
        if fmt == "csv":
            self.csv = csv.writer(sys.stdout, lineterminator="\n")
            self.csv.writerow([id_column, *(f"{i}.{field}" for i in self.ids for field in ("value", "pomp", "band"))])

    def write(self, carried: Any, result: Result) -> None:
        if self.csv is not None:
            scores: dict[str, ScaleScore | CompositeScore] = {**result.scales, **result.composites}
            cells: list[Any] = [carried]
            for score_id in self.ids:
                score = scores[score_id]
                cells.extend(["" if v is None else v for v in (score.value, score.pomp, score.band)])
            self.csv.writerow(cells)
        else:
            record = json.loads(leadscore.to_json(result, indent=None))
            print(json.dumps({self.id_column: carried, **record}, ensure_ascii=False))

    def close(self) -> None:
        sys.stdout.flush()


def _report(args: argparse.Namespace) -> int:
    from leadscore.report import render_360  # noqa: PLC0415 - only this command renders HTML

    out = _OutputFile(args.out, inputs=[args.file])
    instrument = _instrument(args.id)
    try:
        data = json.loads(args.file.read_text(encoding="utf-8"))
    except OSError as error:
        raise _Usage(f"cannot read {args.file}: {error.strerror}") from error
    except ValueError as error:
        raise _Usage(f"cannot read {args.file}: {error}") from error
    entries = data.get("ratings") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and set(e) == {"group", "rater", "answers"} for e in entries
    ):
        raise _Usage(f'{args.file} must hold {{"ratings": [{{"group": ..., "rater": ..., "answers": {{...}}}}, ...]}}')
    try:
        ratings = [leadscore.Rating(**entry) for entry in entries]
        feedback = leadscore.aggregate(instrument, ratings)
    except InvalidArgumentError as error:  # Bad ratings (a repeated rater, a bad group): a usage problem.
        raise _Usage(str(error)) from error
    # Invalid answers propagate: exit 1, like every other command.
    person = data.get("person")
    html = render_360(instrument, feedback, lang=args.lang, person=person if isinstance(person, str) else None)
    out.write(html)
    print(f"wrote {args.out}")
    return OK


def _validate(args: argparse.Namespace) -> int:
    try:
        instrument = leadscore.load_instrument(args.file)
    except OSError as error:
        raise _Usage(f"cannot read {args.file}: {error.strerror}") from error
    print(f"{args.file}: {instrument.id} {instrument.version} is a valid definition")
    from leadscore.testing import check_instrument  # noqa: PLC0415 - the kit is imported only here

    try:
        report = check_instrument(instrument, max_examples=args.examples)
    except ImportError as error:  # pragma: no cover - the testing extra is installed wherever the tests run
        print(f"({error}; the conformance kit was not run)")
        return OK
    print(str(report).splitlines()[0])
    return OK
