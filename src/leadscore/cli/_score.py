"""``leadscore score``: `leadscore.score_file` from the command line."""

from __future__ import annotations

import argparse
import sys

from pathlib import Path
from typing import Any

from leadscore._score_file import AnswerFile, Outputs, write_scores
from leadscore.cli._common import (
    INSTRUMENT_HELP,
    OK,
    export_arguments,
    export_options,
    instrument_named,
    progress_bar,
    reading_problems,
    warn,
)
from leadscore.readers._reader import ReadOptions


def add(commands: Any) -> None:
    """The command's options."""
    score = commands.add_parser("score", help="score a CSV, JSON or JSON Lines file of answer sets")
    score.add_argument("id", metavar="instrument", help=INSTRUMENT_HELP)
    score.add_argument("file", type=Path)
    score.add_argument(
        "--format", choices=["csv", "jsonl"], default="csv", help="csv (default) or jsonl: one JSON result per line"
    )
    score.add_argument(
        "--out", type=Path, help="write the scores to this file, whole or not at all (default: standard output)"
    )
    score.add_argument(
        "--on-error",
        choices=["raise", "report"],
        default="raise",
        help="raise (default): a bad row stops the run, with no output; report: the good rows are scored, "
        "the bad ones go to --rejected",
    )
    score.add_argument("--rejected", type=Path, help="with --on-error report: where rejected rows go (JSON Lines)")
    score.add_argument(
        "--id-column", help="the column that identifies a response (default: respondent if the file has it)"
    )
    export_options(score, mapping=True)
    score.add_argument(
        "--keep", action="append", default=[], metavar="COLUMN", help="carry a column through (repeatable)"
    )
    score.add_argument(
        "--raw-text",
        action="store_true",
        help="write text cells that start like a spreadsheet formula (= + - @) as they are, not with a leading '",
    )
    score.set_defaults(run=_score)


def _score(args: argparse.Namespace) -> int:
    # As score_file does, with the reading of the file's header (or its JSON as a whole) apart:
    # a file that cannot be opened is a usage problem, a row found bad later is invalid input.
    with reading_problems():
        outputs = Outputs(
            args.file,
            args.out if args.out is not None else sys.stdout,
            args.rejected,
            format=args.format,
            on_error=args.on_error,
        )
    instrument = instrument_named(args.id)
    with reading_problems():
        options = ReadOptions.checked(keep=args.keep, id_column=args.id_column, **export_arguments(args))
        answers = AnswerFile(instrument, args.file, options)
    progress = progress_bar(args.file)
    try:
        done = write_scores(
            instrument,
            answers,
            outputs,
            raw_text=args.raw_text,
            on_message=warn,
            on_progress=progress.update if progress is not None else None,
        )
    finally:
        if progress is not None:
            progress.close()
    if done.rows_rejected:
        warn(f"{done.rows_rejected} row(s) rejected, written to {args.rejected}")
    return OK
