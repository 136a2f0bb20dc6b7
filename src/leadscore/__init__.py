"""
leadscore: strict, property-tested scoring of leadership questionnaires.

The everyday API is re-exported here; everything else lives in its own module.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from leadscore import errors
from leadscore.errors import (
    InstrumentConflictError,
    InstrumentLoadError,
    InvalidAnswersError,
    InvalidDefinitionError,
    LeadscoreError,
    UnknownInstrumentError,
)
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
from leadscore.results import CompositeScore, Result, ScaleScore
from leadscore.scoring import score, score_many
from leadscore.tabular import coerce_answers
from leadscore.text import LocalizedText


if TYPE_CHECKING:
    from leadscore.consistency import ItemStatistics, ReliabilityReport, ScaleReliability, reliability
    from leadscore.definitions import load_instrument, schema_path
    from leadscore.feedback import FeedbackReport, Rating, aggregate
    from leadscore.norms import NormSample, NormTable, ScaleNorm
    from leadscore.registry import InstrumentInfo, get_instrument, list_instruments, refresh, register
    from leadscore.reliable_change import ChangeReport, PersonChange, ScaleChange, change
    from leadscore.serialization import fingerprint, from_json, to_json

# Imported on first use, so an app that only scores does not pay at import for the
# definition reader, the JSON converter, the registry or the analysis layer.
_LAZY = {
    "InstrumentInfo": "leadscore.registry",
    "get_instrument": "leadscore.registry",
    "list_instruments": "leadscore.registry",
    "refresh": "leadscore.registry",
    "register": "leadscore.registry",
    "load_instrument": "leadscore.definitions",
    "schema_path": "leadscore.definitions",
    "fingerprint": "leadscore.serialization",
    "from_json": "leadscore.serialization",
    "to_json": "leadscore.serialization",
    "FeedbackReport": "leadscore.feedback",
    "NormSample": "leadscore.norms",
    "NormTable": "leadscore.norms",
    "Rating": "leadscore.feedback",
    "ScaleNorm": "leadscore.norms",
    "aggregate": "leadscore.feedback",
    "ChangeReport": "leadscore.reliable_change",
    "PersonChange": "leadscore.reliable_change",
    "ScaleChange": "leadscore.reliable_change",
    "change": "leadscore.reliable_change",
    "ItemStatistics": "leadscore.consistency",
    "ReliabilityReport": "leadscore.consistency",
    "ScaleReliability": "leadscore.consistency",
    "reliability": "leadscore.consistency",
}


__all__ = [
    "Band",
    "ChangeReport",
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
    "ItemStatistics",
    "LeadscoreError",
    "LocalizedText",
    "NormSample",
    "NormTable",
    "NotApplicable",
    "Part",
    "PersonChange",
    "PointLabel",
    "Rating",
    "ReliabilityReport",
    "ResponseScale",
    "Result",
    "Scale",
    "ScaleChange",
    "ScaleNorm",
    "ScaleReliability",
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
    if name in _LAZY:
        value = getattr(import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    # Read the version from the installed metadata only when asked, to keep import fast.
    if name == "__version__":
        from importlib_metadata import version  # noqa: PLC0415

        return version("leadscore")
    raise AttributeError(f"module 'leadscore' has no attribute {name!r}")
