"""`export_survey`: an instrument written in one of the formats of `leadscore.surveys`."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from leadscore._model import Instrument
from leadscore._registry import resolve
from leadscore.errors import ArgumentTypeError, InvalidArgumentError
from leadscore.surveys._common import Survey, survey_of
from leadscore.surveys._form import form
from leadscore.surveys._limesurvey import limesurvey
from leadscore.surveys._qualtrics import qualtrics
from leadscore.surveys._redcap import redcap
from leadscore.surveys._surveyjs import surveyjs


__all__ = ["FORMATS", "export_survey"]

_WRITERS: dict[str, Callable[[Survey], str]] = {
    "limesurvey": limesurvey,
    "qualtrics": qualtrics,
    "redcap": redcap,
    "surveyjs": surveyjs,
    "html": form,
}
#: The formats `export_survey` writes.
FORMATS: tuple[str, ...] = tuple(_WRITERS)


def export_survey(instrument: Instrument | str, format: str, *, languages: Iterable[str] | None = None) -> str:  # noqa: A002 - the issue's settled name
    """
    Write *instrument* as a survey in *format*, with the item texts and answer labels in *languages*.

    Args:
        instrument: The instrument, or its id.
        format: ``"limesurvey"`` (the tab-separated survey structure, with a byte-order mark
            as LimeSurvey writes it), ``"qualtrics"`` (a ``.qsf`` file), ``"redcap"`` (a data
            dictionary), ``"surveyjs"`` (the form's JSON) or ``"html"`` (a form for a browser).
        languages: Language tags, the first the survey's main language (default: every
            language that all the instrument's texts have, in sorted order).

    Returns:
        The file's text: the command line (``leadscore export``) writes it as it is.

    Raises:
        InvalidArgumentError: An unknown format or language, or an answer a platform cannot
            code (a LimeSurvey answer code is at most five characters).

    Warns:
        SurveyExportWarning: Where the platform cannot carry part of the instrument (REDCap's
            dictionary holds one language), saying what was left out.

    .. versionadded:: 0.1.0
    """
    given: object = format
    if not isinstance(given, str):
        raise ArgumentTypeError(f"format must be text, one of {', '.join(FORMATS)} (got {type(given).__name__})")
    if format not in _WRITERS:
        raise InvalidArgumentError(f"format must be one of {', '.join(FORMATS)} (got {format!r:.80})")
    return _WRITERS[format](survey_of(resolve(instrument), languages))
