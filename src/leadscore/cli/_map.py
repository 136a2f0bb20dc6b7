"""``leadscore map``: the mapping of an export's columns that leadscore finds, to check and edit."""

from __future__ import annotations

import argparse

from pathlib import Path
from typing import Any

from leadscore._files import OutputFile
from leadscore.cli._common import (
    INSTRUMENT_HELP,
    export_arguments,
    export_options,
    instrument_named,
    reading_problems,
    written,
)
from leadscore.readers import open_reading


def add(commands: Any) -> None:
    """The command's options."""
    mapper = commands.add_parser(
        "map", help="write the mapping of a survey export's columns to items that leadscore finds, to check and edit"
    )
    mapper.add_argument("id", metavar="instrument", help=INSTRUMENT_HELP)
    mapper.add_argument("file", type=Path)
    export_options(mapper)
    mapper.add_argument(
        "--relationship", default="Relationship", help="a 360 export's column of the rater's role: listed under [roles]"
    )
    mapper.add_argument("--out", type=Path, help="write the mapping file here (default: standard output)")
    mapper.set_defaults(run=_map)


def _map(args: argparse.Namespace) -> int:
    out = OutputFile(args.out, inputs=[args.file]) if args.out is not None else None
    instrument = instrument_named(args.id)
    with reading_problems():
        reading = open_reading(instrument, args.file, strict=False, **export_arguments(args))
    with reading:
        text = reading.mapping(args.relationship)
    return written(out, text, f"wrote {args.out}")
