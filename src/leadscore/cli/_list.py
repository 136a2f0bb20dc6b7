"""``leadscore list``: the installed instruments, broken ones with the reason."""

from __future__ import annotations

import argparse
import contextlib

from typing import Any

import leadscore

from leadscore._files import json_text, terminal_safe
from leadscore.cli._common import OK, instrument_named
from leadscore.errors import LeadscoreError


def add(commands: Any) -> None:
    """The command's options."""
    listing = commands.add_parser("list", help="list installed instruments, broken ones with the reason")
    listing.add_argument("--format", choices=["text", "json"], default="text")
    listing.add_argument(
        "--load", action="store_true", help="import every plugin first, so that the list says which ones work"
    )
    listing.set_defaults(run=_list)


def _list(args: argparse.Namespace) -> int:
    infos = leadscore.list_instruments()
    if args.load:
        for instrument_id in sorted({info.id for info in infos}):
            # A broken or conflicting plugin is listed as such; loading it is all this is for.
            with contextlib.suppress(LeadscoreError):
                instrument_named(instrument_id)
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
