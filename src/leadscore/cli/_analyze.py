"""``leadscore analyze``: an item analysis of a file of answer sets."""

from __future__ import annotations

import argparse
import sys

from pathlib import Path
from typing import Any

from leadscore._file_reports import analyze_file
from leadscore._files import OutputFile, terminal_safe
from leadscore.cli._common import (
    INSTRUMENT_HELP,
    INVALID,
    OK,
    Usage,
    export_arguments,
    export_options,
    instrument_named,
    lang_option,
    language,
    pdf_options,
    reading_problems,
    rendered,
    warn,
)
from leadscore.errors import InvalidAnswersError


def add(commands: Any) -> None:
    """The analyze command's options."""
    analyze = commands.add_parser(
        "analyze",
        help="write an item analysis of a survey export or JSON answer sets: reliability per scale (alpha, omega, "
        "item statistics and frequencies, the keying audit) and each respondent's data-quality indices",
    )
    analyze.add_argument("id", metavar="instrument", help=INSTRUMENT_HELP)
    analyze.add_argument("file", type=Path)
    analyze.add_argument(
        "--out", type=Path, help="write the page to this file, whole or not at all (default: standard output)"
    )
    analyze.add_argument(
        "--id-column", help="the column that identifies a response (default: respondent if the file has it)"
    )
    export_options(analyze, mapping=True)
    lang_option(analyze)
    analyze.add_argument("--missing", choices=["pairwise", "listwise"], default="pairwise", help="(default pairwise)")
    analyze.add_argument(
        "--level", type=float, default=0.95, help="the confidence level of the intervals (default 0.95)"
    )
    analyze.add_argument(
        "--bootstrap", type=int, metavar="N", help="also a percentile bootstrap interval of omega from N samples"
    )
    analyze.add_argument("--seed", type=int, default=0, help="the bootstrap's seed (default 0)")
    analyze.add_argument(
        "--synonym-r", type=float, default=0.60, help="item pairs correlated above this are synonyms (default 0.60)"
    )
    analyze.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="ID",
        help="set a response aside from the reliability figures, by its id (or line): repeatable",
    )
    analyze.add_argument(
        "--order", help="the items' ids in the order they were presented, comma-separated (default: the instrument's)"
    )
    pdf_options(analyze)
    analyze.set_defaults(run=_analyze, keep=[])  # Nothing is carried: columns that are no items are --ignore'd.


def _analyze(args: argparse.Namespace) -> int:
    """An item analysis of a file of answer sets: every row read and checked before anything is written."""
    if args.format == "pdf" and args.out is None:
        raise Usage("--format pdf writes a file: give --out FILE")
    out = OutputFile(args.out, inputs=[args.file]) if args.out is not None else None
    instrument = instrument_named(args.id)
    lang, _ = language(args, instrument)
    order = [part.strip() for part in args.order.split(",")] if args.order else None
    try:
        with reading_problems():  # Bad rows are invalid answers (exit 1), each said; the rest are usage problems.
            analyzed = analyze_file(
                instrument,
                args.file,
                id_column=args.id_column,
                missing=args.missing,
                level=args.level,
                exclude=args.exclude,
                bootstrap=args.bootstrap,
                seed=args.seed,
                synonym_r=args.synonym_r,
                order=order,
                **export_arguments(args),
            )
    except InvalidAnswersError as error:
        for problem in error.problems:
            warn(str(problem))
        return INVALID
    if analyzed.absent:
        warn(f"{args.file}: no column for item(s) {', '.join(analyzed.absent)}: not answered in every row")
    page = rendered(args, analyzed.reliability, instrument, lang, quality=analyzed.quality)
    if out is None:
        sys.stdout.write(page if isinstance(page, str) else page.decode())
        return OK
    out.write(page)
    print(terminal_safe(f"wrote {args.out} ({lang})"))
    return OK
