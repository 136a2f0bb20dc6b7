"""What the commands share: exit codes, messages, the options of reading an export, the reader's language."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import leadscore

from leadscore._catalog import N_, Words, catalogue_languages, interface_language, words
from leadscore._files import OutputFile, terminal_safe
from leadscore._model import Instrument, Item
from leadscore._plan import ItemRule
from leadscore.errors import ArgumentTypeError, InvalidArgumentError, InvalidExportError, LeadscoreError
from leadscore.report import InterfaceLanguageWarning, render, report_languages


OK, INVALID, USAGE = 0, 1, 2


class Usage(Exception):
    """A usage problem: reported on standard error, exit code 2."""


# As a shell reports a process ended by a signal: 128 + SIGINT (Ctrl-C), 128 + SIGPIPE (the
# reader of the output went away, as `| head` does).
INTERRUPTED, BROKEN_PIPE = 130, 141


def warn(message: str) -> None:
    """Say *message* on standard error; text from outside in it cannot act on the terminal."""
    print(f"leadscore: {terminal_safe(message)}", file=sys.stderr)


def lines_of(error: LeadscoreError) -> list[str]:
    problems = getattr(error, "problems", None)
    notes = list(getattr(error, "__notes__", []))
    if problems:
        return [str(problem) for problem in problems] + notes
    return [str(error).splitlines()[0] if str(error) else type(error).__name__, *notes]


def export_options(parser: argparse.ArgumentParser, *, mapping: bool = False) -> None:
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


def pdf_options(parser: argparse.ArgumentParser) -> None:
    """--format html|pdf and --paper, for the commands that write a page."""
    parser.add_argument(
        "--format", choices=["html", "pdf"], default="html", help="html (default) or pdf (the pdf extra: WeasyPrint)"
    )
    parser.add_argument("--paper", choices=["a4", "letter"], default="a4", help="a PDF's paper (default a4)")


#: What the instrument argument of every command is (its help text).
INSTRUMENT_HELP = (
    "an instrument: a definition file (a name ending in .toml or .json, or a path), "
    "or the id of an installed or registered one (id@version for one version)"
)


def instrument_named(reference: str) -> Instrument:
    """
    The instrument a command's argument names: a definition file, or an installed or registered id.

    A name ending in ``.toml`` or ``.json``, or holding a path separator, is a file, read and
    checked as `leadscore.load_instrument` does (a missing file is an error, never an id);
    anything else is an id, ``id@version`` for one version.
    """
    suffix = Path(reference).suffix.lower()
    if suffix in {".toml", ".json"} or "/" in reference or os.sep in reference:
        path = Path(reference)
        if not path.is_file():
            raise Usage(f"no definition file {reference!r}: a name ending in .toml or .json, or a path, is a file")
        try:
            return leadscore.load_instrument(path)
        except OSError as error:
            raise Usage(f"cannot read the definition file {reference!r}: {error.strerror or error}") from error
        except leadscore.InvalidDefinitionError as error:
            error.add_note(f"(in the definition file {reference})")
            raise
    instrument_id, at, version = reference.partition("@")
    try:
        # A plugin is imported on first use; what it prints must not mix with this command's output.
        with contextlib.redirect_stdout(sys.stderr):
            return leadscore.get_instrument(instrument_id, version if at else None)
    except leadscore.UnknownInstrumentError as error:
        raise Usage(str(error)) from error


def text_in(value: Any, lang: str) -> str:
    return "" if value is None else str(value.shown_in(lang))


def lang_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        help="the language of texts (default: the locale's where the instrument and leadscore have it, else English)",
    )


def locale_language() -> str | None:
    """The language of the user's locale (``nl`` of ``nl_NL.UTF-8``), as gettext finds it; None for C or POSIX."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            language = value.split(".")[0].split("@")[0].split("_")[0].lower()
            return None if language in {"c", "posix"} else language
    return None


def language(args: argparse.Namespace, instrument: Instrument) -> tuple[str, Words]:
    """
    The language of a command's texts and its interface words: ``--lang``, else the locale's, else English.

    The locale's language is taken where the instrument has its texts and leadscore its words;
    the command says on standard error which language it chose, and why, when it was not asked.
    """
    languages = report_languages(instrument)
    wanted = locale_language()
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
        warn(f"there are no interface texts in {lang!r}: prompts and headings are in English")
    elif args.lang is None and lang != "en":
        warn(say("texts in {language}: the language of your locale (--lang chooses another)", language=lang))
    elif args.lang is None and wanted not in {None, "en"}:
        warn(f"texts in English: {instrument.id} or leadscore has none in {wanted!r}, your locale's language")
    return lang, say


METHODS = {
    "mean": N_("mean"),
    "sum": N_("sum"),
    "pomp": N_("percent of maximum possible"),
    "weighted_mean": N_("weighted mean"),
    "difference": N_("difference"),
}


def choices(item: Item, rule: ItemRule, lang: str, say: Words) -> str:
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
            meaning = text_in(label, lang)
        elif value == low:
            meaning = text_in(item.low, lang) if item.low is not None else say("lowest")
        elif value == high:
            meaning = text_in(item.high, lang) if item.high is not None else say("highest")
        else:
            meaning = ""
        points.append(f"{value}" + (f" = {meaning}" if meaning else ""))
    return "; ".join(points)


DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t"}


def progress_bar(path: Path, *, what: str = "scoring", unit: str = " rows", total: int | None = None) -> Any:
    """A progress bar (rows scored, reports made), on a terminal's stderr, when tqdm is installed (the cli extra)."""
    if not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm  # type: ignore[import-untyped]  # noqa: PLC0415 - the cli extra
    except ImportError:
        return None
    return tqdm(desc=f"{what} {path.name}", unit=unit, unit_scale=True, total=total, file=sys.stderr, mininterval=0.5)


def export_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The export options of a command (`export_options`) as the readers take them."""
    sheet = int(args.sheet) if args.sheet is not None and args.sheet.isdigit() else args.sheet  # Digits: a number.
    options = {
        "platform": args.platform,
        "delimiter": DELIMITERS.get(args.delimiter),
        "encoding": args.encoding,
        "sheet": sheet,
    }
    if "mapping" in args:  # The commands that take a mapping file also take columns to ignore.
        options.update(mapping=args.mapping, ignore=args.ignore)
    return options


@contextlib.contextmanager
def reading_problems() -> Iterator[None]:
    """What the readers refuse, as a usage problem: one line per problem, naming the file."""
    try:
        yield
    except ImportError as error:  # A workbook or statistics file without its extra.
        raise Usage(str(error)) from error
    except InvalidExportError as error:
        raise Usage("\n".join(f"cannot read {error.source}: {problem}" for problem in error.shown())) from error
    except (InvalidArgumentError, ArgumentTypeError) as error:
        raise Usage(str(error)) from error


def written(out: OutputFile | None, text: str, said: str) -> int:
    """Write *text* to *out*, whole or not at all, and say *said*; without *out*, to standard output."""
    if out is None:
        sys.stdout.write(text)
    else:
        out.write(text)
        print(terminal_safe(said))
    return OK


def rendered(
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
    kind: str = args.format  # "html" or "pdf", the parser's choices
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InterfaceLanguageWarning)  # Said once already, by language.
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
