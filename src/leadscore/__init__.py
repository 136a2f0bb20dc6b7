"""
leadscore: strict, property-tested scoring of leadership questionnaires.

The everyday API is re-exported here; everything else lives in its own module.
"""

from __future__ import annotations

from typing import Any

from leadscore import errors
from leadscore.change import change
from leadscore.definitions import load_instrument, schema_path
from leadscore.errors import (
    InstrumentConflictError,
    InstrumentLoadError,
    InvalidAnswersError,
    InvalidDefinitionError,
    LeadscoreError,
    UnknownInstrumentError,
)
from leadscore.feedback import FeedbackReport, Rating, aggregate
from leadscore.model import (
    Band,
    Composite,
    Instrument,
    Item,
    NotApplicable,
    Part,
    PointLabel,
    ResponseScale,
    Scale,
    Source,
)
from leadscore.norms import NormSample, NormTable, ScaleNorm
from leadscore.registry import (
    InstrumentInfo,
    get_instrument,
    list_instruments,
    refresh,
    register,
)
from leadscore.reliability import reliability
from leadscore.results import CompositeScore, Result, ScaleScore
from leadscore.scoring import score, score_many
from leadscore.serialization import fingerprint, from_json, to_json
from leadscore.tabular import coerce_answers
from leadscore.text import LocalizedText


__all__ = [
    "Band",
    "Composite",
    "CompositeScore",
    "FeedbackReport",
    "Instrument",
    "InstrumentConflictError",
    "InstrumentInfo",
    "InstrumentLoadError",
    "InvalidAnswersError",
    "InvalidDefinitionError",
    "Item",
    "LeadscoreError",
    "LocalizedText",
    "NormSample",
    "NormTable",
    "NotApplicable",
    "Part",
    "PointLabel",
    "Rating",
    "ResponseScale",
    "Result",
    "Scale",
    "ScaleNorm",
    "ScaleScore",
    "Source",
    "UnknownInstrumentError",
    "aggregate",
    "change",
    "coerce_answers",
    "errors",
    "fingerprint",
    "from_json",
    "get_instrument",
    "list_instruments",
    "load_instrument",
    "refresh",
    "register",
    "reliability",
    "schema_path",
    "score",
    "score_many",
    "to_json",
]


def __getattr__(name: str) -> Any:
    # Read the version from the installed metadata only when asked, to keep import fast.
    if name == "__version__":
        from importlib_metadata import version  # noqa: PLC0415

        return version("leadscore")
    raise AttributeError(f"module 'leadscore' has no attribute {name!r}")
