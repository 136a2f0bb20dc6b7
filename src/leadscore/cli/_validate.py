"""``leadscore validate``: a definition file checked, then the conformance kit run on it."""

from __future__ import annotations

import argparse

from pathlib import Path
from typing import Any

import leadscore

from leadscore.cli._common import INVALID, OK, Usage
from leadscore.testing import check_instrument, text_problems


def add(commands: Any) -> None:
    """The command's options."""
    validate = commands.add_parser("validate", help="check a definition file (and run the conformance kit)")
    validate.add_argument("file", type=Path)
    validate.add_argument("--examples", type=int, default=25, help="examples per invariant for the kit")
    validate.set_defaults(run=_validate)


def _validate(args: argparse.Namespace) -> int:
    try:
        instrument = leadscore.load_instrument(args.file)
    except OSError as error:
        raise Usage(f"cannot read {args.file}: {error.strerror}") from error
    print(f"{args.file}: {instrument.id} {instrument.version} is a valid definition")
    try:
        report = check_instrument(instrument, max_examples=args.examples)
    except ImportError as error:  # pragma: no cover - the testing extra is installed wherever the tests run
        print(f"({error}; the conformance kit was not run)")
        return OK
    print(str(report).splitlines()[0])
    lacking = text_problems(instrument)
    for problem in lacking:
        print(f"texts: {problem}")
    return INVALID if lacking else OK
