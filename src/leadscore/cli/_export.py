"""``leadscore export``: an instrument as a survey for a platform."""

from __future__ import annotations

import argparse
import warnings

from pathlib import Path
from typing import Any

from leadscore._files import OutputFile
from leadscore.cli._common import INSTRUMENT_HELP, instrument_named, warn, written
from leadscore.surveys import SurveyExportWarning, export_survey


def add(commands: Any) -> None:
    export = commands.add_parser(
        "export",
        help="write an instrument as a survey for a platform (LimeSurvey, Qualtrics, REDCap, SurveyJS, an HTML form)",
        description=(
            "Write an instrument as a survey whose responses leadscore reads back with no mapping file: "
            "item and answer codes are leadscore's, and the survey carries the instrument's id, version and "
            "fingerprint (docs/survey-platforms.md)."
        ),
    )
    export.add_argument("id", metavar="instrument", help=INSTRUMENT_HELP)
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


def _export(args: argparse.Namespace) -> int:
    out = OutputFile(args.out) if args.out is not None else None
    instrument = instrument_named(args.id)
    languages = None
    if args.lang is not None:
        languages = [lang.strip() for given in args.lang for lang in given.split(",") if lang.strip()]
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always", SurveyExportWarning)
        text = export_survey(instrument, args.platform, languages=languages)
    for warning in said:
        warn(str(warning.message))
    return written(out, text, f"wrote {args.out} ({args.platform}, {instrument.id} {instrument.version})")
