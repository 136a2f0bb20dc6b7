"""
leadscore: strict, property-tested scoring of leadership questionnaires.

This module is the public surface: every name in `__all__` comes from the private module that
implements it. Importing leadscore loads the model, scoring and the registry, and no
instrument, plugin, TOML or JSON converter, metadata reader or optional dependency. The
analysis and I/O layers load together on first use of any of their names: creating their
report classes would take as long as the rest of the import.
"""

from typing import TYPE_CHECKING

from leadscore import errors
from leadscore._canonical import fingerprint
from leadscore._catalog import Reason
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
from leadscore._registry import InstrumentInfo, get_instrument, list_instruments, refresh, register
from leadscore._results import CompositeScore, Result, ScaleScore
from leadscore._scoring import Answer, Answers, score, score_many
from leadscore._tabular import coerce_answers
from leadscore._text import LocalizedText
from leadscore.errors import (
    InstrumentConflictError,
    InstrumentLoadError,
    InvalidAnswersError,
    InvalidDefinitionError,
    LeadscoreError,
    UnknownInstrumentError,
)


if TYPE_CHECKING:  # Imported on first use, by __getattr__ below.
    from leadscore._aggregate import (
        FeedbackReport,
        GroupFigure,
        Rating,
        ScoreFeedback,
        aggregate,
    )
    from leadscore._change import ChangeReport, PersonChange, ScaleChange, change
    from leadscore._consistency import ItemStatistics, ReliabilityReport, ScaleReliability
    from leadscore._definitions import load_instrument, schema_path
    from leadscore._file_reports import AnalyzedFile, aggregate_file, analyze_file, read_releases, releases_json
    from leadscore._group_report import GroupReport, group_report
    from leadscore._norms import NormSample, NormTable, ScaleNorm, SmallNormSampleWarning
    from leadscore._release import ReleasedFigure, ReleasedRater, ReleaseRecord
    from leadscore._score_file import ScoredFile, score_file
    from leadscore._serialization import from_json, make_converter, to_json
    from leadscore._views import ById
    from leadscore.analysis import reliability
    from leadscore.frames import score_frame
    from leadscore.readers import read_ratings, read_responses
    from leadscore.report import render
    from leadscore.surveys import SurveyExportWarning, export_survey

_ON_FIRST_USE = (
    "leadscore._aggregate",
    "leadscore._group_report",
    "leadscore._change",
    "leadscore._definitions",
    "leadscore._norms",
    "leadscore._release",
    "leadscore._consistency",
    "leadscore._serialization",
    "leadscore._views",
    # The renderer of reports (an edge): `leadscore.render` is `leadscore.report.render`.
    "leadscore.report",
    # Reliability and data quality (an edge; NumPy when installed): `leadscore.reliability`
    # is `leadscore.analysis.reliability`, after the core's engine of the same name.
    "leadscore.analysis",
    # Surveys out (an edge): `leadscore.export_survey` is `leadscore.surveys.export_survey`.
    "leadscore.surveys",
)

# Names that load their own module on their own first use: the I/O of files and frames, which
# `leadscore.render` and the analysis names never need. Where the module needs an extra, the
# hint names it.
_OWN_MODULE: dict[str, tuple[str, str | None]] = {
    "AnalyzedFile": ("leadscore._file_reports", None),
    "ScoredFile": ("leadscore._score_file", None),
    "aggregate_file": ("leadscore._file_reports", None),
    "analyze_file": ("leadscore._file_reports", None),
    "read_releases": ("leadscore._file_reports", None),
    "releases_json": ("leadscore._file_reports", None),
    "read_ratings": ("leadscore.readers", "pandas"),
    "read_responses": ("leadscore.readers", "pandas"),
    "score_file": ("leadscore._score_file", None),
    "score_frame": ("leadscore.frames", "pandas"),
}

__all__ = [
    "AnalyzedFile",
    "Answer",
    "Answers",
    "Band",
    "ById",
    "ChangeReport",
    "Composite",
    "CompositeScore",
    "FeedbackReport",
    "GroupFigure",
    "GroupReport",
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
    "Reason",
    "ReleaseRecord",
    "ReleasedFigure",
    "ReleasedRater",
    "ReliabilityReport",
    "ResponseScale",
    "Result",
    "Scale",
    "ScaleChange",
    "ScaleNorm",
    "ScaleReliability",
    "ScaleScore",
    "ScoreFeedback",
    "ScoredFile",
    "SmallNormSampleWarning",
    "Source",
    "SurveyExportWarning",
    "UnknownInstrumentError",
    "aggregate",
    "aggregate_file",
    "analyze_file",
    "change",
    "coerce_answers",
    "errors",
    "export_survey",
    "fingerprint",
    "from_json",
    "get_instrument",
    "group_report",
    "list_instruments",
    "load_instrument",
    "make_converter",
    "read_ratings",
    "read_releases",
    "read_responses",
    "refresh",
    "register",
    "releases_json",
    "reliability",
    "render",
    "schema_path",
    "score",
    "score_file",
    "score_frame",
    "score_many",
    "to_json",
]


def __getattr__(name: str) -> object:
    if name in _OWN_MODULE:
        from importlib import import_module  # noqa: PLC0415 - bound here, not as a public name

        module_name, extra = _OWN_MODULE[name]
        try:
            module = import_module(module_name)
        except ImportError as error:
            if extra is None:  # pragma: no cover - the module needs nothing optional
                raise
            raise ImportError(f"leadscore.{name} needs the {extra} extra: pip install 'leadscore[{extra}]'") from error
        globals()[name] = getattr(module, name)
        return globals()[name]
    if name in __all__:
        # The first use of an analysis or I/O name loads those layers and binds all their
        # public names here, so later lookups never come back.
        from importlib import import_module  # noqa: PLC0415 - bound here, not as a public name

        for module_name in _ON_FIRST_USE:
            module = import_module(module_name)
            globals().update({public: getattr(module, public) for public in module.__all__ if public in __all__})
        return globals()[name]
    # Read the version from the installed metadata only when asked, to keep import fast.
    if name == "__version__":
        from importlib_metadata import version  # noqa: PLC0415

        return version("leadscore")
    raise AttributeError(f"module 'leadscore' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
