"""
The ``leadscore`` command (also ``python -m leadscore``): list, show, take, score, validate.

Exit codes: 0 ok, 1 invalid input (bad answers, a bad definition, a broken instrument), 2
usage (unknown command or option, a file that cannot be read). Errors go to standard error,
one clear line each.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import sys
import tempfile
import warnings

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

import leadscore

from leadscore._catalog import N_, Words, catalogue_languages, interface_language, words
from leadscore._files import (
    OutputFile,
    discard_stdout,
    json_text,
    read_json,
    terminal_safe,
)
from leadscore._model import Instrument, Item
from leadscore._plan import ItemRule, compiled
from leadscore._results import CompositeScore, Result, ScaleScore
from leadscore._score_file import TABLES, AnswerFile, Outputs, write_scores
from leadscore._serialization import unstructure
from leadscore.compile import to_sql
from leadscore.errors import (
    ArgumentTypeError,
    InvalidAnswersError,
    InvalidArgumentError,
    InvalidExportError,
    InvalidFileError,
    LeadscoreError,
)


__all__ = ["main"]

OK, INVALID, USAGE = 0, 1, 2


class Usage(Exception):
    """A usage problem: reported on standard error, exit code 2."""


# As a shell reports a process ended by a signal: 128 + SIGINT (Ctrl-C), 128 + SIGPIPE (the
# reader of the output went away, as `| head` does).
INTERRUPTED, BROKEN_PIPE = 130, 141


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
    except (Usage, InvalidFileError) as problem:  # A file that cannot be read or written is a usage problem.
        for line in str(problem).split("\n"):
            _warn(line)
        return USAGE
    except LeadscoreError as error:
        for line in _lines(error):
            _warn(line)
        return INVALID
    except BrokenPipeError:
        discard_stdout()
        return BROKEN_PIPE
    except KeyboardInterrupt:
        return INTERRUPTED


class _Version(argparse.Action):
    """``--version``: the installed distribution's version, read only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print leadscore's version and exit", **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        print(f"leadscore {leadscore.__version__}")
        parser.exit()


def _warn(message: str) -> None:
    """Say *message* on standard error; text from outside in it cannot act on the terminal."""
    print(f"leadscore: {terminal_safe(message)}", file=sys.stderr)


def _lines(error: LeadscoreError) -> list[str]:
    problems = getattr(error, "problems", None)
    notes = list(getattr(error, "__notes__", []))
    if problems:
        return [str(problem) for problem in problems] + notes
    return [str(error).splitlines()[0] if str(error) else type(error).__name__, *notes]


def _export_options(parser: argparse.ArgumentParser, *, mapping: bool = False) -> None:
    """The options of reading a survey export, for the commands that read one (*mapping*: --mapping, --ignore)."""
    if mapping:
        parser.add_argument(
            "--mapping", type=Path, metavar="FILE", help="a mapping file (TOML): columns to items, values, [roles]"
        )
        parser.add_argument(
            "--ignore", action="append", default=[], metavar="COLUMN", help="drop a column (repeatable)"
        )
    parser.add_argument("--platform", default="auto", help="the survey platform of a CSV or TSV export (default: auto)")
    parser.add_argument(
        "--delimiter", choices=[",", ";", "tab"], help="the delimiter (default: the platform's, or sniffed)"
    )
    parser.add_argument("--encoding", choices=["utf-8", "utf-16", "cp1252"], help="the text encoding (default utf-8)")
    parser.add_argument("--sheet", help="an Excel workbook's sheet, by name or number from 1 (default: the first)")


def _pdf_options(parser: argparse.ArgumentParser) -> None:
    """--format html|pdf and --paper, for the commands that write a page."""
    parser.add_argument(
        "--format", choices=["html", "pdf"], default="html", help="html (default) or pdf (the pdf extra: WeasyPrint)"
    )
    parser.add_argument("--paper", choices=["a4", "letter"], default="a4", help="a PDF's paper (default a4)")


def _report_parser(commands: Any) -> None:
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
    _export_options(report)
    _lang_option(report)
    report.add_argument(
        "--kind",
        choices=["360", "group"],
        default="360",
        help="a JSON ratings file as a 360 of one person (default) or as a group report of many",
    )
    _pdf_options(report)
    report.add_argument(
        "--released",
        type=Path,
        nargs="*",
        default=[],
        metavar="FILE",
        help="ratings files of reports released earlier for the same person, oldest first: audited together",
    )
    report.set_defaults(run=_report)


def _analyze_parser(commands: Any) -> None:
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
    _export_options(analyze, mapping=True)
    _lang_option(analyze)
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
    _pdf_options(analyze)
    analyze.set_defaults(run=_analyze, keep=[])  # Nothing is carried: columns that are no items are --ignore'd.


def _export_parser(commands: Any) -> None:
    export = commands.add_parser(
        "export",
        help="write an instrument as a survey for a platform (LimeSurvey, Qualtrics, REDCap, SurveyJS, an HTML form)",
        description=(
            "Write an instrument as a survey whose responses leadscore reads back with no mapping file: "
            "item and answer codes are leadscore's, and the survey carries the instrument's id, version and "
            "fingerprint (docs/survey-platforms.md)."
        ),
    )
    export.add_argument("id")
    export.add_argument(
        "--platform",
        required=True,
        choices=["limesurvey", "qualtrics", "redcap", "surveyjs", "html"],
        help="the platform: limesurvey (.txt), qualtrics (.qsf), redcap (.csv), surveyjs (.json), html (a form)",
    )
    export.add_argument(
        "--lang",
        action="append",
        metavar="LANG",
        help="a language to include, the first the survey's main one (repeatable, or nl,en; default: all)",
    )
    export.add_argument("--out", type=Path, help="write the survey to this file, whole or not at all (default: stdout)")
    export.set_defaults(run=_export)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="leadscore", description="Score leadership questionnaires.")
    parser.add_argument("--version", action=_Version)
    commands = parser.add_subparsers(required=True, metavar="command")

    listing = commands.add_parser("list", help="list installed instruments, broken ones with the reason")
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.add_argument(
        "--load", action="store_true", help="import every plugin first, so that the list says which ones work"
    )
    listing.set_defaults(run=_list)

    show = commands.add_parser("show", help="show an instrument's items, response labels and scales")
    show.add_argument("id")
    _lang_option(show)
    show.add_argument("--format", choices=["text", "json"], default="text")
    show.add_argument(
        "--source", action="store_true", help="print the Python that scores it, generated from its definition"
    )
    show.add_argument(
        "--sql",
        metavar="DIALECT",
        help="print one SQL SELECT that scores a table of answers: duckdb, postgres, spark, bigquery, snowflake, ...",
    )
    show.add_argument(
        "--table",
        default="answers",
        help="the table of answers --sql reads, one column per item id: NAME or SCHEMA.NAME (default: answers)",
    )
    show.add_argument(
        "--keep",
        action="append",
        default=[],
        metavar="COLUMN",
        help="a column --sql carries into its result (repeatable)",
    )
    show.set_defaults(run=_show)

    take = commands.add_parser(
        "take", help="answer an instrument item by item, '<' to go back (or pipe answers on stdin)"
    )
    take.add_argument("id")
    _lang_option(take)
    take.add_argument(
        "--save", type=Path, help="also write the answers and the result as JSON to this file (`report` reads it)"
    )
    take.set_defaults(run=_take)

    score = commands.add_parser("score", help="score a CSV, JSON or JSON Lines file of answer sets")
    score.add_argument("id")
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
    _export_options(score, mapping=True)
    score.add_argument(
        "--keep", action="append", default=[], metavar="COLUMN", help="carry a column through (repeatable)"
    )
    score.add_argument(
        "--raw-text",
        action="store_true",
        help="write text cells that start like a spreadsheet formula (= + - @) as they are, not with a leading '",
    )
    score.set_defaults(run=_score)

    mapper = commands.add_parser(
        "map", help="write the mapping of a survey export's columns to items that leadscore finds, to check and edit"
    )
    mapper.add_argument("id")
    mapper.add_argument("file", type=Path)
    _export_options(mapper)
    mapper.add_argument(
        "--relationship", default="Relationship", help="a 360 export's column of the rater's role: listed under [roles]"
    )
    mapper.add_argument("--out", type=Path, help="write the mapping file here (default: standard output)")
    mapper.set_defaults(run=_map)

    _report_parser(commands)
    _analyze_parser(commands)
    _export_parser(commands)

    validate = commands.add_parser("validate", help="check a definition file (and run the conformance kit)")
    validate.add_argument("file", type=Path)
    validate.add_argument("--examples", type=int, default=25, help="examples per invariant for the kit")
    validate.set_defaults(run=_validate)
    return parser


def _list(args: argparse.Namespace) -> int:
    infos = leadscore.list_instruments()
    if args.load:
        for instrument_id in sorted({info.id for info in infos}):
            # A broken or conflicting plugin is listed as such; loading it is all this is for.
            with contextlib.suppress(LeadscoreError):
                _instrument(instrument_id)
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
        print(json_text(rows, indent=2))
        return OK
    for info in infos:
        # Ids, names and reasons come from plugins' metadata and code: shown, never acted on.
        line = f"{info.id:<36} {info.distribution or 'registered in code':<28} {info.state}"
        print(terminal_safe(line + (f": {info.reason}" if _explained(info) else "")))
    return OK


def _explained(info: leadscore.InstrumentInfo) -> bool:
    """Whether the listing gives *info*'s reason: for every state but a plain available or unloaded one."""
    return info.reason is not None and (info.state != "unloaded" or "also provided" in info.reason)


def _instrument(instrument_id: str) -> Instrument:
    try:
        # A plugin is imported on first use; what it prints must not mix with this command's output.
        with contextlib.redirect_stdout(sys.stderr):
            return leadscore.get_instrument(instrument_id)
    except leadscore.UnknownInstrumentError as error:
        raise Usage(str(error)) from error


def _text(value: Any, lang: str) -> str:
    return "" if value is None else str(value.shown_in(lang))


def _lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        help="the language of texts (default: the locale's where the instrument and leadscore have it, else English)",
    )


def _locale_language() -> str | None:
    """The language of the user's locale (``nl`` of ``nl_NL.UTF-8``), as gettext finds it; None for C or POSIX."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            language = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return None if language in {"c", "posix"} else language
    return None


def _language(args: argparse.Namespace, instrument: Instrument) -> tuple[str, Words]:
    """
    The language of a command's texts and its interface words: ``--lang``, else the locale's, else English.

    The locale's language is taken where the instrument has its texts and leadscore its words;
    the command says on standard error which language it chose, and why, when it was not asked.
    """
    from leadscore.report import report_languages  # noqa: PLC0415 - with the commands that show texts

    languages = report_languages(instrument)
    wanted = _locale_language()
    if args.lang is not None:
        if args.lang not in languages:
            raise Usage(f"--lang {args.lang}: {instrument.id} has its texts in {', '.join(languages)}")
        lang = args.lang
    else:
        fallback = "en" if "en" in languages else languages[0]
        lang = wanted if wanted in languages and wanted in catalogue_languages() else fallback
    interface = interface_language(lang)
    say = words(interface)
    if interface != lang:
        _warn(f"there are no interface texts in {lang!r}: prompts and headings are in English")
    elif args.lang is None and lang != "en":
        _warn(say("texts in {language}: the language of your locale (--lang chooses another)", language=lang))
    elif args.lang is None and wanted not in {None, "en"}:
        _warn(f"texts in English: {instrument.id} or leadscore has none in {wanted!r}, your locale's language")
    return lang, say


def _show(args: argparse.Namespace) -> int:
    instrument = _instrument(args.id)
    if args.source:
        sys.stdout.write(compiled(instrument).source())
        return OK
    if args.sql is not None:
        try:
            query = to_sql(instrument, args.table.split("."), args.sql, keep=args.keep)
        except ImportError as error:  # sqlglot, the sql extra.
            raise Usage(str(error)) from error
        print(query + ";")
        return OK
    if args.format == "json":
        print(json_text(unstructure(instrument), indent=2))
        return OK
    lang, say = _language(args, instrument)
    print(terminal_safe(f"{_text(instrument.title, lang)} ({instrument.id} {instrument.version})"))
    if instrument.description is not None:
        print(terminal_safe(_text(instrument.description, lang)))
    print()
    rules = compiled(instrument).items
    for number, (item, rule) in enumerate(zip(instrument.items, rules, strict=True), start=1):
        print(terminal_safe(f"{number:>3}. [{item.id}] {_text(item.text, lang)}"))
        print(terminal_safe(f"     {_choices(item, rule, lang, say)}"))
    print()
    for scale in instrument.scales:
        keyed = ", ".join(f"-{i}" if scale.is_reversed(i) else i for i in scale.items)
        rule_text = say(
            "{method} of {items}; at least {count} answered",
            method=say(_METHODS[scale.method]),
            items=keyed,
            count=scale.min_answered,
        )
        kind = say("scale")
        print(terminal_safe(f"{kind} {scale.id}: {_text(scale.title, lang)} ({rule_text})"))
    for composite in instrument.composites:
        parts = ", ".join(p.scale for p in composite.parts)
        rule_text = say("{method} of {items}", method=say(_METHODS[composite.method]), items=parts)
        kind = say("composite")
        print(terminal_safe(f"{kind} {composite.id}: {_text(composite.title, lang)} ({rule_text})"))
    if instrument.notes is not None:
        print()
        print(terminal_safe(_text(instrument.notes, lang)))
    return OK


_METHODS = {
    "mean": N_("mean"),
    "sum": N_("sum"),
    "pomp": N_("percent of maximum possible"),
    "weighted_mean": N_("weighted mean"),
    "difference": N_("difference"),
}


def _choices(item: Item, rule: ItemRule, lang: str, say: Words) -> str:
    """
    Every answer the item takes, each with what it means.

    A point's own label where the response scale has one; else, at the ends, the item's poles
    (or "lowest" and "highest"); a point between two unlabelled ends is its number.
    """
    response = item.response
    low, high = response.min, response.max
    points = []
    for value in rule.answers:
        na = response.not_applicable
        label = na.label if na is not None and value == na.code else response.label(value)
        if label is not None:
            meaning = _text(label, lang)
        elif value == low:
            meaning = _text(item.low, lang) if item.low is not None else say("lowest")
        elif value == high:
            meaning = _text(item.high, lang) if item.high is not None else say("highest")
        else:
            meaning = ""
        points.append(f"{value}" + (f" = {meaning}" if meaning else ""))
    return "; ".join(points)


_BACK = object()  # The answer "<": go back one question.


def _take(args: argparse.Namespace) -> int:
    save = OutputFile(args.save) if args.save is not None else None  # Checked before any question.
    instrument = _instrument(args.id)
    lang, say = _language(args, instrument)
    interactive = sys.stdin.isatty()
    lines = iter(sys.stdin.readline, "")
    print(terminal_safe(_text(instrument.title, lang)))
    print(say("Type the number of your answer; nothing to skip a question, < to go back one."))
    rules = compiled(instrument).items
    asked = list(zip(instrument.items, rules, strict=True))
    given: list[int | None] = [None] * len(asked)
    index = 0
    while index < len(asked):
        item, rule = asked[index]
        reply = _ask(item, rule, (index + 1, len(asked)), (lang, say), lines, interactive=interactive)
        if reply is _BACK:
            if index == 0:
                print("   " + say("This is the first question."))
            index = max(index - 1, 0)
            continue
        given[index] = reply  # type: ignore[call-overload]
        index += 1
    answers = {item.id: value for (item, _), value in zip(asked, given, strict=True)}
    result = leadscore.score(instrument, answers)
    print()
    _print_result(instrument, result, lang, say)
    if save is not None:
        # The answers as well as the scores: what was typed can be scored again, and reported.
        text = json_text({"answers": answers, "result": unstructure(result)}, indent=2) + "\n"
        try:
            save.write(text)
        except InvalidFileError as problem:
            # The answers were typed by a person: keep them where the system lets us.
            descriptor, rescue = tempfile.mkstemp(prefix="leadscore-answers-", suffix=".json")
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
            raise Usage(f"{problem}; the answers and the result are saved in {rescue} instead") from problem
        print(say("Saved to {path}", path=terminal_safe(str(args.save))))
    return OK


def _ask(
    item: Item,
    rule: ItemRule,
    position: tuple[int, int],
    language: tuple[str, Words],
    lines: Iterator[str],
    *,
    interactive: bool,
) -> object:
    """One answer to *item*: a value, None to skip, or `_BACK`."""
    lang, say = language
    number, count = position
    allowed = {str(answer): answer for answer in rule.answers}
    text = terminal_safe(_text(item.text, lang))
    prompt = f"{number}/{count}. {text}\n   ({terminal_safe(_choices(item, rule, lang, say))}) > "
    while True:
        print(prompt, end="", flush=True)
        line = next(lines, None)
        if line is None:
            raise Usage(say("the input ended before question {number} was answered", number=number))
        answer = line.strip()
        if not interactive:
            print(terminal_safe(answer))
        if answer == "":
            return None
        if answer == "<":
            return _BACK
        if answer in allowed:
            return allowed[answer]
        print(
            "   "
            + terminal_safe(
                say(
                    "{answer} is not an answer: type one of {choices}, nothing to skip, or < to go back",
                    answer=repr(answer),
                    choices=", ".join(allowed),
                )
            )
        )


def _print_result(instrument: Instrument, result: Result, lang: str, say: Words) -> None:
    from leadscore.report import reason_text  # noqa: PLC0415 - with the commands that show texts

    titles = {s.id: s.title for s in instrument.scales} | {c.id: c.title for c in instrument.composites}
    scores: list[ScaleScore | CompositeScore] = [*result.scales.values(), *result.composites.values()]
    print(say("Scores"))
    for score in scores:
        title = _text(titles[score.id], lang)
        value = "-" if score.value is None else f"{score.value:.2f}"
        why = reason_text(score, instrument=instrument, lang=lang)
        print(terminal_safe(f"  {title:<45} {value:>6}" + (f"   {why}" if why else "")))


def _score(args: argparse.Namespace) -> int:
    # As score_file does, with the reading of the file's header (or its JSON as a whole) apart:
    # a file that cannot be opened is a usage problem, a row found bad later is invalid input.
    with _reading_problems():
        outputs = Outputs(
            args.file,
            args.out if args.out is not None else sys.stdout,
            args.rejected,
            format=args.format,
            on_error=args.on_error,
        )
    instrument = _instrument(args.id)
    with _reading_problems():
        answers = AnswerFile(instrument, args.file, keep=args.keep, id_column=args.id_column, **_export_arguments(args))
    progress = _progress(args.file)
    try:
        done = write_scores(
            instrument,
            answers,
            outputs,
            raw_text=args.raw_text,
            on_message=_warn,
            on_progress=progress.update if progress is not None else None,
        )
    finally:
        if progress is not None:
            progress.close()
    if done.rows_rejected:
        _warn(f"{done.rows_rejected} row(s) rejected, written to {args.rejected}")
    return OK


_DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}


def _progress(path: Path, *, what: str = "scoring", unit: str = " rows", total: int | None = None) -> Any:
    """A progress bar (rows scored, reports made), on a terminal's stderr, when tqdm is installed (the cli extra)."""
    if not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm  # type: ignore[import-untyped]  # noqa: PLC0415 - the cli extra
    except ImportError:
        return None
    return tqdm(desc=f"{what} {path.name}", unit=unit, unit_scale=True, total=total, file=sys.stderr, mininterval=0.5)


def _export_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The export options of a command (`_export_options`) as the readers take them."""
    sheet = int(args.sheet) if args.sheet is not None and args.sheet.isdigit() else args.sheet  # Digits: a number.
    options = {
        "platform": args.platform,
        "delimiter": _DELIMITERS.get(args.delimiter),
        "encoding": args.encoding,
        "sheet": sheet,
    }
    if "mapping" in args:  # The commands that take a mapping file also take columns to ignore.
        options.update(mapping=args.mapping, ignore=args.ignore)
    return options


@contextlib.contextmanager
def _reading_problems() -> Iterator[None]:
    """What the readers refuse, as a usage problem: one line per problem, naming the file."""
    try:
        yield
    except ImportError as error:  # A workbook or statistics file without its extra.
        raise Usage(str(error)) from error
    except InvalidExportError as error:
        raise Usage("\n".join(f"cannot read {error.source}: {problem}" for problem in error.shown())) from error
    except (InvalidArgumentError, ArgumentTypeError) as error:
        raise Usage(str(error)) from error


def _export(args: argparse.Namespace) -> int:
    from leadscore.surveys import SurveyExportWarning, export_survey  # noqa: PLC0415 - only this command

    out = OutputFile(args.out) if args.out is not None else None
    instrument = _instrument(args.id)
    languages = None
    if args.lang is not None:
        languages = [lang.strip() for given in args.lang for lang in given.split(",") if lang.strip()]
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", SurveyExportWarning)
        text = export_survey(instrument, args.platform, languages=languages)
    for warning in said:
        _warn(str(warning.message))
    return _written(out, text, f"wrote {args.out} ({args.platform}, {instrument.id} {instrument.version})")


def _written(out: OutputFile | None, text: str, said: str) -> int:
    """Write *text* to *out*, whole or not at all, and say *said*; without *out*, to standard output."""
    if out is None:
        sys.stdout.write(text)
    else:
        out.write(text)
        print(terminal_safe(said))
    return OK


def _map(args: argparse.Namespace) -> int:
    from leadscore.readers import open_reading  # noqa: PLC0415 - only this command and score need the readers

    out = OutputFile(args.out, inputs=[args.file]) if args.out is not None else None
    instrument = _instrument(args.id)
    with _reading_problems():
        reading = open_reading(instrument, args.file, strict=False, **_export_arguments(args))
    with reading:
        text = reading.mapping(args.relationship)
    return _written(out, text, f"wrote {args.out}")


def _report(args: argparse.Namespace) -> int:
    if args.file.suffix.lower() in TABLES:
        return _reports(args)
    if args.out is None or args.out_dir is not None:
        raise Usage("a JSON file is one report's: give --out FILE (--out-dir is for 360 exports)")
    out = OutputFile(args.out, inputs=[args.file, *args.released])
    instrument = _instrument(args.id)
    lang, _ = _language(args, instrument)
    data = read_json(args.file)
    if isinstance(data, dict) and set(data) == {"answers", "result"}:  # What `take --save` wrote.
        report, answers = _saved(args, instrument, data)
        out.write(_rendered(args, report, instrument, lang, answers=answers))
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
    out.write(_rendered(args, made, instrument, lang, person=person if isinstance(person, str) else None))
    print(terminal_safe(f"wrote {args.out} ({lang})"))
    return OK


def _analyze(args: argparse.Namespace) -> int:
    """An item analysis of a file of answer sets: every row read and checked before anything is written."""
    if args.format == "pdf" and args.out is None:
        raise Usage("--format pdf writes a file: give --out FILE")
    out = OutputFile(args.out, inputs=[args.file]) if args.out is not None else None
    instrument = _instrument(args.id)
    lang, _ = _language(args, instrument)
    try:
        from leadscore.analysis import quality  # noqa: PLC0415 - NumPy, only for this command
    except ImportError as error:
        raise Usage("analyze needs NumPy and SciPy: pip install 'leadscore[analysis]'") from error
    with _reading_problems():
        source = AnswerFile(instrument, args.file, id_column=args.id_column, **_export_arguments(args))
    for line in source.warnings():
        _warn(line)
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
    page = _rendered(args, report, instrument, lang, quality=named)
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
                    _warn(str(problem) if problem.row is not None else f"row {row.number}: {problem}")
                continue
            ids.append(str(row.carried) if row.carried is not None else str(row.number))
            answer_sets.append(row.answers or {})  # Validated: a mapping.
    return ids, answer_sets, failed


def _saved(args: argparse.Namespace, instrument: Instrument, data: dict[str, Any]) -> tuple[Result, Any]:
    """The result and answers of a file `take --save` wrote, checked against each other and the instrument."""
    if args.kind != "360" or args.released:
        raise Usage(f"{args.file} is one person's self-assessment: --kind and --released go with ratings")
    try:
        result = leadscore.from_json(json.dumps(data["result"]), Result, instrument=instrument)
    except LeadscoreError as error:
        raise Usage(f"{args.file}: its result is not one of {instrument.id!r}: {_lines(error)[0]}") from error
    answers = data["answers"]
    if not isinstance(answers, dict) or leadscore.score(instrument, answers) != result:
        raise Usage(f"{args.file}: its answers do not give its result")
    return result, answers


def _rendered(
    args: argparse.Namespace,
    report: Any,
    instrument: Instrument,
    lang: str,
    *,
    person: str | None = None,
    answers: Any = None,
    quality: Any = None,
) -> str | bytes:
    """A report as the command writes it: HTML, or PDF with --format pdf."""
    from leadscore.report import InterfaceLanguageWarning, render  # noqa: PLC0415 - only this command renders

    kind: str = args.format  # "html" or "pdf", the parser's choices
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InterfaceLanguageWarning)  # Said once already, by _language.
            return render(
                report,
                lang=lang,
                instrument=instrument,
                person=person,
                answers=answers,
                format=kind,
                paper=args.paper,
                quality=quality,
            )
    except ImportError as error:  # --format pdf without WeasyPrint (the pdf extra).
        raise Usage(str(error)) from error


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
    instrument = _instrument(args.id)
    lang, _ = _language(args, instrument)
    read = _export_ratings(args, instrument, args.file)
    # Each subject's earlier rounds, oldest first: their reports are audited with the new one.
    earlier = [_export_ratings(args, instrument, path) for path in args.released]
    pages: dict[Path, str | bytes] = {}
    progress = _progress(args.file, what="reports", unit=" reports", total=len(read.subjects))
    try:
        for subject, ratings in read.subjects.items():
            rounds = [round_.subjects[subject] for round_ in earlier if subject in round_.subjects]
            try:
                feedback = leadscore.aggregate(instrument, ratings, released=rounds)
            except InvalidArgumentError as error:  # A rater twice for one subject, two self ratings.
                raise Usage(f"subject {subject!r}: {error}") from error
            suffix = f".{args.format}"
            pages[_page_for(args.out_dir, subject, pages, suffix)] = _rendered(
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
    from leadscore.readers import read_ratings  # noqa: PLC0415 - only exports need the readers

    with _reading_problems():
        return read_ratings(
            path,
            instrument,
            subject=args.subject,
            rater=args.rater,
            relationship=args.relationship,
            **_export_arguments(args),
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


def _validate(args: argparse.Namespace) -> int:
    try:
        instrument = leadscore.load_instrument(args.file)
    except OSError as error:
        raise Usage(f"cannot read {args.file}: {error.strerror}") from error
    print(f"{args.file}: {instrument.id} {instrument.version} is a valid definition")
    from leadscore.testing import check_instrument  # noqa: PLC0415 - the kit is imported only here

    try:
        report = check_instrument(instrument, max_examples=args.examples)
    except ImportError as error:  # pragma: no cover - the testing extra is installed wherever the tests run
        print(f"({error}; the conformance kit was not run)")
        return OK
    print(str(report).splitlines()[0])
    from leadscore.testing import text_problems  # noqa: PLC0415 - with the kit

    lacking = text_problems(instrument)
    for problem in lacking:
        print(f"texts: {problem}")
    return INVALID if lacking else OK
