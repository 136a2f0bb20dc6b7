"""``leadscore show``: an instrument's items, response labels and scales; its Python or SQL."""

from __future__ import annotations

import argparse
import sys

from typing import Any

from leadscore._files import json_text, terminal_safe
from leadscore._plan import compiled
from leadscore._serialization import unstructure
from leadscore.cli._common import (
    INSTRUMENT_HELP,
    METHODS,
    OK,
    Usage,
    choices,
    instrument_named,
    lang_option,
    language,
    text_in,
)
from leadscore.compile import to_sql


def add(commands: Any) -> None:
    """The command's options."""
    show = commands.add_parser("show", help="show an instrument's items, response labels and scales")
    show.add_argument("id", metavar="instrument", help=INSTRUMENT_HELP)
    lang_option(show)
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


def _show(args: argparse.Namespace) -> int:
    instrument = instrument_named(args.id)
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
    lang, say = language(args, instrument)
    print(terminal_safe(f"{text_in(instrument.title, lang)} ({instrument.id} {instrument.version})"))
    if instrument.description is not None:
        print(terminal_safe(text_in(instrument.description, lang)))
    print()
    rules = compiled(instrument).items
    for number, (item, rule) in enumerate(zip(instrument.items, rules, strict=True), start=1):
        print(terminal_safe(f"{number:>3}. [{item.id}] {text_in(item.text, lang)}"))
        print(terminal_safe(f"     {choices(item, rule, lang, say)}"))
    print()
    for scale in instrument.scales:
        keyed = ", ".join(f"-{i}" if scale.is_reversed(i) else i for i in scale.items)
        rule_text = say(
            "{method} of {items}; at least {count} answered",
            method=say(METHODS[scale.method]),
            items=keyed,
            count=scale.min_answered,
        )
        kind = say("scale")
        print(terminal_safe(f"{kind} {scale.id}: {text_in(scale.title, lang)} ({rule_text})"))
    for composite in instrument.composites:
        parts = ", ".join(p.scale for p in composite.parts)
        rule_text = say("{method} of {items}", method=say(METHODS[composite.method]), items=parts)
        kind = say("composite")
        print(terminal_safe(f"{kind} {composite.id}: {text_in(composite.title, lang)} ({rule_text})"))
    if instrument.notes is not None:
        print()
        print(terminal_safe(text_in(instrument.notes, lang)))
    return OK
