"""``leadscore report``: 360, group and self-assessment pages from ratings, an export or a saved take."""

from __future__ import annotations

import argparse
import json
import re

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import leadscore

from leadscore._files import OutputFile, read_json, terminal_safe
from leadscore._model import Instrument
from leadscore._results import Result
from leadscore._score_file import TABLES
from leadscore.cli._common import (
    OK,
    Usage,
    export_arguments,
    export_options,
    instrument_named,
    lang_option,
    language,
    lines_of,
    pdf_options,
    progress_bar,
    reading_problems,
    rendered,
)
from leadscore.errors import InvalidAnswersError, InvalidArgumentError, LeadscoreError
from leadscore.readers import read_ratings


def add(commands: Any) -> None:
    """The report command's options."""
    report = commands.add_parser(
        "report",
        help="write self-contained HTML (or PDF) reports: a 360 or group report from ratings or a 360 export, "
        "a self-assessment from a file `take --save` wrote",
    )
    report.add_argument("id")
    report.add_argument(
        "file", type=Path, help='JSON: {"person": ..., "ratings": [{"group", "rater", "answers"}, ...]}'
    )
    report.add_argument("--out", type=Path, help="the report of a JSON ratings file")
    report.add_argument(
        "--out-dir", type=Path, help="a 360 export (one row per evaluation): one report per subject in this folder"
    )
    report.add_argument("--subject", default="SubjectUniqueIdentifier", help="a 360 export's column of who is rated")
    report.add_argument("--rater", default="ParticipantUniqueIdentifier", help="a 360 export's column of who rates")
    report.add_argument("--relationship", default="Relationship", help="a 360 export's column of the rater's role")
    report.add_argument(
        "--mapping", type=Path, metavar="FILE", help="a mapping file (TOML), with [roles] for relationships"
    )
    report.add_argument("--ignore", action="append", default=[], metavar="COLUMN", help="drop a column (repeatable)")
    export_options(report)
    lang_option(report)
    report.add_argument(
        "--kind",
        choices=["360", "group"],
        default="360",
        help="a JSON ratings file as a 360 of one person (default) or as a group report of many",
    )
    pdf_options(report)
    report.add_argument(
        "--released",
        type=Path,
        nargs="*",
        default=[],
        metavar="FILE",
        help="ratings files of reports released earlier for the same person, oldest first: audited together",
    )
    report.set_defaults(run=_report)


def _report(args: argparse.Namespace) -> int:
    if args.file.suffix.lower() in TABLES:
        return _reports(args)
    if args.out is None or args.out_dir is not None:
        raise Usage("a JSON file is one report's: give --out FILE (--out-dir is for 360 exports)")
    out = OutputFile(args.out, inputs=[args.file, *args.released])
    instrument = instrument_named(args.id)
    lang, _ = language(args, instrument)
    data = read_json(args.file)
    if isinstance(data, dict) and set(data) == {"answers", "result"}:  # What `take --save` wrote.
        report, answers = _saved(args, instrument, data)
        out.write(rendered(args, report, instrument, lang, answers=answers))
        print(terminal_safe(f"wrote {args.out} ({lang})"))
        return OK
    ratings = _ratings_of(args.file, data)
    earlier = [_ratings_file(path)[1] for path in args.released]
    if args.kind == "group" and args.released:
        raise Usage("--released goes with a 360: a group report is audited on its own")
    try:
        made = (
            leadscore.group_report(instrument, ratings)
            if args.kind == "group"
            else leadscore.aggregate(instrument, ratings, released=earlier)
        )
    except InvalidArgumentError as error:  # Bad ratings (a repeated rater, a bad group): a usage problem.
        raise Usage(_named(str(error), args.released)) from error
    except InvalidAnswersError as error:  # An earlier round's answers: say which file.
        error.__notes__ = [_named(note, args.released) for note in getattr(error, "__notes__", [])]
        raise
    # Invalid answers propagate: exit 1, like every other command.
    person = data.get("person")
    out.write(rendered(args, made, instrument, lang, person=person if isinstance(person, str) else None))
    print(terminal_safe(f"wrote {args.out} ({lang})"))
    return OK


def _saved(args: argparse.Namespace, instrument: Instrument, data: dict[str, Any]) -> tuple[Result, Any]:
    """The result and answers of a file `take --save` wrote, checked against each other and the instrument."""
    if args.kind != "360" or args.released:
        raise Usage(f"{args.file} is one person's self-assessment: --kind and --released go with ratings")
    try:
        result = leadscore.from_json(json.dumps(data["result"]), Result, instrument=instrument)
    except LeadscoreError as error:
        raise Usage(f"{args.file}: its result is not one of {instrument.id!r}: {lines_of(error)[0]}") from error
    answers = data["answers"]
    if not isinstance(answers, dict) or leadscore.score(instrument, answers) != result:
        raise Usage(f"{args.file}: its answers do not give its result")
    return result, answers


def _reports(args: argparse.Namespace) -> int:
    """One report per subject of a 360 export, into --out-dir: all made before any is written."""
    if args.out_dir is None or args.out is not None:
        raise Usage("a 360 export holds many people: give --out-dir FOLDER, one report per subject")
    if args.kind != "360":
        raise Usage("a 360 export gives a 360 report per subject: --kind group takes a JSON ratings file")
    if any(path.suffix.lower() not in TABLES for path in args.released):
        raise Usage("--released with a 360 export takes the earlier 360 exports (JSON ratings go with --out)")
    if not args.out_dir.is_dir():
        raise Usage(f"--out-dir {args.out_dir}: no such folder")
    instrument = instrument_named(args.id)
    lang, _ = language(args, instrument)
    read = _export_ratings(args, instrument, args.file)
    # Each subject's earlier rounds, oldest first: their reports are audited with the new one.
    earlier = [_export_ratings(args, instrument, path) for path in args.released]
    pages: dict[Path, str | bytes] = {}
    progress = progress_bar(args.file, what="reports", unit=" reports", total=len(read.subjects))
    try:
        for subject, ratings in read.subjects.items():
            rounds = [round_.subjects[subject] for round_ in earlier if subject in round_.subjects]
            try:
                feedback = leadscore.aggregate(instrument, ratings, released=rounds)
            except InvalidArgumentError as error:  # A rater twice for one subject, two self ratings.
                raise Usage(f"subject {subject!r}: {error}") from error
            suffix = f".{args.format}"
            pages[_page_for(args.out_dir, subject, pages, suffix)] = rendered(
                args, feedback, instrument, lang, person=subject
            )
            if progress is not None:
                progress.update(1)
    finally:
        if progress is not None:
            progress.close()
    outputs = [OutputFile(path, inputs=[args.file, *args.released]) for path in pages]
    for output, page in zip(outputs, pages.values(), strict=True):
        output.write(page)
    print(terminal_safe(f"wrote {len(pages)} report(s) to {args.out_dir} ({lang})"))
    return OK


def _export_ratings(args: argparse.Namespace, instrument: Instrument, path: Path) -> Any:
    """A 360 export's ratings by subject, read with the command's options; a usage problem if it cannot be."""
    with reading_problems():
        return read_ratings(
            path,
            instrument,
            subject=args.subject,
            rater=args.rater,
            relationship=args.relationship,
            **export_arguments(args),
        )


def _page_for(folder: Path, subject: str, taken: Mapping[Path, object], suffix: str = ".html") -> Path:
    """A file name for *subject*'s report: its id with anything but letters, digits, '.', '-' and '_' as '_'."""
    stem = re.sub(r"[^A-Za-z0-9._-]", "_", subject)[:80].lstrip(".") or "subject"
    path, number = folder / f"{stem}{suffix}", 1
    while path in taken:
        number += 1
        path = folder / f"{stem}-{number}{suffix}"
    return path


def _named(text: str, paths: Sequence[Path]) -> str:
    """*text* with aggregate's ``released[i]`` written as the file it came from."""
    for index, path in enumerate(paths):
        text = text.replace(f"released[{index}]", str(path))
    return text


def _ratings_file(path: Path) -> tuple[Any, list[leadscore.Rating]]:
    """A ratings file's data and its ratings; a `Usage` problem when it cannot be read or has another shape."""
    data = read_json(path)
    return data, _ratings_of(path, data)


def _ratings_of(path: Path, data: Any) -> list[leadscore.Rating]:
    """The ratings of a ratings file's *data*; a `Usage` problem when it has another shape."""
    entries = data.get("ratings") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and set(e) == {"group", "rater", "answers"} for e in entries
    ):
        raise Usage(f'{path} must hold {{"ratings": [{{"group": ..., "rater": ..., "answers": {{...}}}}, ...]}}')
    return [leadscore.Rating(**entry) for entry in entries]  # Checked by aggregate, which names the round.
