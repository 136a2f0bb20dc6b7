"""``leadscore analyze``: an item analysis of a file of answer sets."""

from __future__ import annotations

import argparse
import sys

from pathlib import Path
from typing import Any

import attrs

import leadscore

from leadscore._files import OutputFile, terminal_safe
from leadscore._model import Instrument
from leadscore._plan import compiled
from leadscore._score_file import AnswerFile
from leadscore.cli._common import (
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
from leadscore.errors import InvalidAnswersError, InvalidArgumentError


def add(commands: Any) -> None:
    """The analyze command's options."""
    analyze = commands.add_parser(
        "analyze",
        help="write an item analysis of a survey export or JSON answer sets: reliability per scale (alpha, omega, "
        "item statistics and frequencies, the keying audit) and each respondent's data-quality indices",
    )
    analyze.add_argument("id")
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
    try:
        from leadscore.analysis import quality  # noqa: PLC0415 - NumPy, only for this command
    except ImportError as error:
        raise Usage("analyze needs NumPy and SciPy: pip install 'leadscore[analysis]'") from error
    with reading_problems():
        source = AnswerFile(instrument, args.file, id_column=args.id_column, **export_arguments(args))
    for line in source.warnings():
        warn(line)
    ids, answer_sets, failed = _answer_sets(source, instrument)
    if failed:
        return INVALID
    unknown = [given for given in args.exclude if given not in ids]
    if unknown:
        raise Usage(f"--exclude: no response {', '.join(map(repr, unknown))} in {args.file}")
    order = [part.strip() for part in args.order.split(",")] if args.order else None
    try:
        report = leadscore.reliability(
            instrument,
            answer_sets,
            missing=args.missing,
            level=args.level,
            exclude=[position for position, name in enumerate(ids) if name in set(args.exclude)],
            bootstrap=args.bootstrap,
            seed=args.seed,
        )
        checked = quality(instrument, answer_sets, order=order, synonym_r=args.synonym_r)
    except ImportError as error:  # SciPy for the intervals (the analysis extra).
        raise Usage(str(error)) from error
    except InvalidArgumentError as error:
        raise Usage(str(error)) from error
    # Rows by the file's own ids, not positions: what --exclude takes, and what an analyst looks up.
    by_position: dict[Any, str] = dict(enumerate(ids))
    named = attrs.evolve(
        checked, respondents=tuple(attrs.evolve(person, row=by_position[person.row]) for person in checked.respondents)
    )
    report = attrs.evolve(report, excluded=tuple(by_position[position] for position in report.excluded))
    page = rendered(args, report, instrument, lang, quality=named)
    if out is None:
        sys.stdout.write(page if isinstance(page, str) else page.decode())
        return OK
    out.write(page)
    print(terminal_safe(f"wrote {args.out} ({lang})"))
    return OK


def _answer_sets(source: AnswerFile, instrument: Instrument) -> tuple[list[str], list[dict[str, int | None]], bool]:
    """Every row of *source*, checked: each good row's id and answers, and whether any was bad (each said)."""
    ids: list[str] = []
    answer_sets: list[dict[str, int | None]] = []
    failed = False
    plan = compiled(instrument)
    with source:
        for row in source.rows():
            problem_set = row.error
            if problem_set is None:
                try:
                    plan.validated(row.answers, row.number)
                except InvalidAnswersError as raised:
                    problem_set = raised
            if problem_set is not None:  # Every bad row is named before the command gives up.
                failed = True
                for problem in problem_set.problems:
                    warn(str(problem) if problem.row is not None else f"row {row.number}: {problem}")
                continue
            ids.append(str(row.carried) if row.carried is not None else str(row.number))
            answer_sets.append(row.answers or {})  # Validated: a mapping.
    return ids, answer_sets, failed
