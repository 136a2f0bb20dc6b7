"""
leadscore: strict, property-tested scoring of leadership questionnaires.

This module is the public surface: every name in `__all__` is imported here from the private
module that implements it. Importing leadscore loads no instrument, no plugin, no TOML or
JSON converter and no metadata reader: each loads when first used.
"""

from leadscore import errors
from leadscore._aggregate import FeedbackReport, GroupFigure, Rating, ScoreFeedback, aggregate
from leadscore._canonical import fingerprint
from leadscore._change import ChangeReport, PersonChange, ScaleChange, change
from leadscore._definitions import load_instrument, schema_path
from leadscore._model import (
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
from leadscore._norms import NormSample, NormTable, ScaleNorm, SmallNormSampleWarning
from leadscore._registry import InstrumentInfo, get_instrument, list_instruments, refresh, register
from leadscore._reliability import ItemStatistics, ReliabilityReport, ScaleReliability, reliability
from leadscore._results import CompositeScore, Result, ScaleScore
from leadscore._scoring import Answer, Answers, score, score_many
from leadscore._serialization import from_json, make_converter, to_json
from leadscore._tabular import coerce_answers
from leadscore._text import LocalizedText
from leadscore._views import ById
from leadscore.errors import (
    InstrumentConflictError,
    InstrumentLoadError,
    InvalidAnswersError,
    InvalidDefinitionError,
    LeadscoreError,
    UnknownInstrumentError,
)


__all__ = [
    "Answer",
    "Answers",
    "Band",
    "ById",
    "ChangeReport",
    "Composite",
    "CompositeScore",
    "FeedbackReport",
    "GroupFigure",
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
    "ScoreFeedback",
    "SmallNormSampleWarning",
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
    "make_converter",
    "refresh",
    "register",
    "reliability",
    "schema_path",
    "score",
    "score_many",
    "to_json",
]


def __getattr__(name: str) -> object:
    # Read the version from the installed metadata only when asked, to keep import fast.
    if name == "__version__":
        from importlib_metadata import version  # noqa: PLC0415

        return version("leadscore")
    raise AttributeError(f"module 'leadscore' has no attribute {name!r}")
