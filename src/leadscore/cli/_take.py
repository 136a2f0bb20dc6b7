"""``leadscore take``: answer an instrument item by item."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import leadscore

from leadscore._catalog import Words
from leadscore._files import OutputFile, json_text, terminal_safe
from leadscore._model import Instrument, Item
from leadscore._plan import ItemRule, compiled
from leadscore._results import CompositeScore, Result, ScaleScore
from leadscore._serialization import unstructure
from leadscore.cli._common import INSTRUMENT_HELP, OK, Usage, choices, instrument_named, lang_option, language, text_in
from leadscore.errors import InvalidFileError
from leadscore.report import reason_text


def add(commands: Any) -> None:
    """The command's options."""
    take = commands.add_parser(
        "take", help="answer an instrument item by item, '<' to go back (or pipe answers on stdin)"
    )
    take.add_argument("id", metavar="instrument", help=INSTRUMENT_HELP)
    lang_option(take)
    take.add_argument(
        "--save", type=Path, help="also write the answers and the result as JSON to this file (`report` reads it)"
    )
    take.set_defaults(run=_take)


_BACK = object()  # The answer "<": go back one question.


def _take(args: argparse.Namespace) -> int:
    save = OutputFile(args.save) if args.save is not None else None  # Checked before any question.
    instrument = instrument_named(args.id)
    lang, say = language(args, instrument)
    interactive = sys.stdin.isatty()
    lines = iter(sys.stdin.readline, "")
    print(terminal_safe(text_in(instrument.title, lang)))
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
    text = terminal_safe(text_in(item.text, lang))
    prompt = f"{number}/{count}. {text}\n   ({terminal_safe(choices(item, rule, lang, say))}) > "
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
    titles = {s.id: s.title for s in instrument.scales} | {c.id: c.title for c in instrument.composites}
    scores: list[ScaleScore | CompositeScore] = [*result.scales.values(), *result.composites.values()]
    print(say("Scores"))
    for score in scores:
        title = text_in(titles[score.id], lang)
        value = "-" if score.value is None else f"{score.value:.2f}"
        why = reason_text(score, instrument=instrument, lang=lang)
        print(terminal_safe(f"  {title:<45} {value:>6}" + (f"   {why}" if why else "")))
