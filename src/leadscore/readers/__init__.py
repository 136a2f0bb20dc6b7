"""
Survey exports in: any platform's file, read and checked against the instrument it claims to be.

`read_responses` reads a CSV or TSV export (Qualtrics, LimeSurvey, SurveyMonkey, Google
Forms, Microsoft Forms, SoSci Survey, Castor EDC, or a plain table) and returns its answers
by item id, the columns asked to be kept, and a `MappingReport` of every decision: which
column became which item and why, which were the platform's metadata, which cell texts
were read as labels or codes. Nothing is guessed silently: a column that cannot be placed
refuses the file (`InvalidExportError`, naming every such column), a cell that is no answer
is an `InvalidAnswersError` naming its row and column.

The pure-Python reader underneath (`Reading`) needs no pandas; the ``leadscore score``
command uses it row by row. ``read_responses`` returns a pandas DataFrame (the ``pandas``
extra). docs/reading-exports.md shows each platform.

.. versionadded:: 0.1.0
"""

from leadscore.readers._front import (
    Responses,
    open_reading,
    platforms,
    read_ratings,
    read_responses,
    read_responses_dask,
)
from leadscore.readers._mapping import COMMON_ROLES, Column, MappingFile, load_mapping
from leadscore.readers._platforms import MISSING, NOT_APPLICABLE, Platform, register_platform
from leadscore.readers._ratings import Ratings
from leadscore.readers._reader import DEFAULT_ID, MappingReport, Reading, Row, Translation


__all__ = [
    "COMMON_ROLES",
    "DEFAULT_ID",
    "MISSING",
    "NOT_APPLICABLE",
    "Column",
    "MappingFile",
    "MappingReport",
    "Platform",
    "Ratings",
    "Reading",
    "Responses",
    "Row",
    "Translation",
    "load_mapping",
    "open_reading",
    "platforms",
    "read_ratings",
    "read_responses",
    "read_responses_dask",
    "register_platform",
]
