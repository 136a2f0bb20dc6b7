"""``leadscore report``: 360, group and self-assessment pages from ratings, an export or a saved take."""

from __future__ import annotations

import argparse
import json

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import leadscore

from leadscore._file_reports import aggregate_file, read_release, releases_json
from leadscore._files import OutputFile, file_names, read_json, terminal_safe, write_all
from leadscore._model import Instrument
from leadscore._results import Result
from leadscore._score_file import TABLES
from leadscore.cli._common import (
    INSTRUMENT_HELP,
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
from leadscore.errors import InvalidArgumentError, LeadscoreError


def add(commands: Any) -> None:
    """The report command's options."""
    report = commands.add_parser(
        "report",
        help="write self-contained HTML (or PDF) reports: a 360 or group report from ratings or a 360 export, "
        "a self-assessment from a file `take --save` wrote",
    )
    report.add_argument("id", metavar="instrument", help=INSTRUMENT_HELP)
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
        help="release records of reports shown earlier for the same people (what --record wrote), oldest first: "
        "audited together, no earlier answers needed",
    )
    report.add_argument(
        "--record",
        type=Path,
        metavar="FILE",
        help="also write the release record of what the report(s) show (JSON), for the next round's --released; "
        "it names the raters by key: keep it with the answers, not with the pages",
    )
    report.set_defaults(run=_report)


def _report(args: argparse.Namespace) -> int:
    if args.file.suffix.lower() in TABLES:
        return _reports(args)
    if args.out is None or args.out_dir is not None:
        raise Usage("a JSON file is one report's: give --out FILE (--out-dir is for 360 exports)")
    outputs = [args.out, *([args.record] if args.record is not None else [])]
    for output in outputs:
        OutputFile(output, inputs=[args.file, *args.released])
    if args.record is not None and args.record.resolve() == args.out.resolve():
        raise Usage("--record and --out name the same file")
    instrument = instrument_named(args.id)
    lang, _ = language(args, instrument)
    data = read_json(args.file)
    if isinstance(data, dict) and set(data) == {"answers", "result"}:  # What `take --save` wrote.
        report, answers = _saved(args, instrument, data)
        write_all({args.out: rendered(args, report, instrument, lang, answers=answers)}, inputs=[args.file])
        print(terminal_safe(f"wrote {args.out} ({lang})"))
        return OK
    ratings = _ratings_of(args.file, data, instrument)
    if args.kind == "group" and (args.released or args.record):
        raise Usage("--released and --record go with a 360: a group report is audited on its own")
    with reading_problems():  # A release record that cannot be read: exit 2, the file named.
        earlier = [read_release(path) for path in args.released]
    made: leadscore.FeedbackReport | leadscore.GroupReport
    try:
        if args.kind == "group":
            made, record = leadscore.group_report(instrument, ratings), None
        else:
            made = leadscore.aggregate(instrument, ratings, released=earlier)
            record = made.release
    except InvalidArgumentError as error:  # Bad ratings (a repeated rater, a bad group): a usage problem.
        raise Usage(_named(str(error), args.released)) from error
    # Invalid answers propagate: exit 1, like every other command.
    person = data.get("person")
    page = rendered(args, made, instrument, lang, person=person if isinstance(person, str) else None)
    files: dict[Path, str | bytes] = {args.out: page}
    if args.record is not None:  # Never with a group report (refused above).
        files[args.record] = leadscore.to_json(record) + "\n"
    write_all(files, inputs=[args.file, *args.released])
    print(terminal_safe(f"wrote {' and '.join(map(str, files))} ({lang})"))
    return OK


def _saved(args: argparse.Namespace, instrument: Instrument, data: dict[str, Any]) -> tuple[Result, Any]:
    """The result and answers of a file `take --save` wrote, checked against each other and the instrument."""
    if args.kind != "360" or args.released or args.record:
        raise Usage(f"{args.file} is one person's self-assessment: --kind, --released and --record go with ratings")
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
    if not args.out_dir.is_dir():
        raise Usage(f"--out-dir {args.out_dir}: no such folder")
    instrument = instrument_named(args.id)
    lang, _ = language(args, instrument)
    with reading_problems():  # A file that cannot be read, a subject whose ratings make no 360.
        reports = aggregate_file(
            instrument,
            args.file,
            released=args.released,
            subject=args.subject,
            rater=args.rater,
            relationship=args.relationship,
            **export_arguments(args),
        )
    names = file_names(args.out_dir, reports, f".{args.format}")
    pages: dict[Path, str | bytes] = {}
    progress = progress_bar(args.file, what="reports", unit=" reports", total=len(reports))
    try:
        for subject, feedback in reports.items():
            pages[names[subject]] = rendered(args, feedback, instrument, lang, person=subject)
            if progress is not None:
                progress.update(1)
    finally:
        if progress is not None:
            progress.close()
    if args.record is not None:
        pages[args.record] = releases_json(reports) + "\n"
    write_all(pages, inputs=[args.file, *args.released])
    recorded = f" and their release records to {args.record}" if args.record is not None else ""
    print(terminal_safe(f"wrote {len(reports)} report(s) to {args.out_dir}{recorded} ({lang})"))
    return OK


def _named(text: str, paths: Sequence[Path]) -> str:
    """*text* with aggregate's ``released[i]`` written as the file it came from."""
    for index, path in enumerate(paths):
        text = text.replace(f"released[{index}]", str(path))
    return text


def _ratings_of(path: Path, data: Any, instrument: Instrument) -> list[leadscore.Rating]:
    """
    The ratings of a ratings file's *data*; a `Usage` problem when it has another shape.

    Or when the file says it holds ratings of another instrument (its ``"instrument"``, an id).
    """
    entries = data.get("ratings") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(
        isinstance(e, dict) and set(e) == {"group", "rater", "answers"} for e in entries
    ):
        raise Usage(f'{path} must hold {{"ratings": [{{"group": ..., "rater": ..., "answers": {{...}}}}, ...]}}')
    named = data.get("instrument", instrument.id)  # A dict: checked above.
    if named != instrument.id:
        raise Usage(f"{path} holds ratings of {named!r}, not of {instrument.id!r}: name that instrument")
    return [leadscore.Rating(**entry) for entry in entries]  # Checked by aggregate, which names the round.
