"""`main`: the parser of every command, and the exit codes of what they raise."""

from __future__ import annotations

import argparse

from collections.abc import Sequence
from typing import Any

import leadscore

from leadscore._files import discard_stdout
from leadscore.cli import _analyze, _export, _list, _map, _report, _score, _show, _take, _validate
from leadscore.cli._common import BROKEN_PIPE, INTERRUPTED, INVALID, USAGE, Usage, lines_of, warn
from leadscore.errors import InvalidFileError, LeadscoreError


def main(argv: Sequence[str] | None = None) -> int:
    """
    Run the ``leadscore`` command with *argv* (default: the process's arguments); return the exit code.

    .. versionadded:: 0.1.0
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 on --help.
        return int(exit_.code or 0)
    try:
        return int(args.run(args))
    except (Usage, InvalidFileError) as problem:  # A file that cannot be read or written is a usage problem.
        for line in str(problem).split("\n"):
            warn(line)
        return USAGE
    except LeadscoreError as error:
        for line in lines_of(error):
            warn(line)
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


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``leadscore`` command and all its commands."""
    made = argparse.ArgumentParser(prog="leadscore", description="Score leadership questionnaires.")
    made.add_argument("--version", action=_Version)
    commands = made.add_subparsers(required=True, metavar="command")
    for command in (_list, _show, _take, _score, _map, _report, _analyze, _export, _validate):
        command.add(commands)
    return made
