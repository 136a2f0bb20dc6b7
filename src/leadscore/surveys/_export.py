"""`export_survey`: an instrument written for one of the platforms of `leadscore.surveys`."""

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


__all__ = ["PLATFORMS", "export_survey"]

_WRITERS: dict[str, Callable[[Survey], str]] = {
    "limesurvey": limesurvey,
    "qualtrics": qualtrics,
    "redcap": redcap,
    "surveyjs": surveyjs,
    "html": form,
}
#: The platforms `export_survey` writes for.
PLATFORMS: tuple[str, ...] = tuple(_WRITERS)


def export_survey(instrument: Instrument | str, platform: str, *, languages: Iterable[str] | None = None) -> str:
    """
    Write *instrument* as a survey for *platform*, with the item texts and answer labels in *languages*.

    Args:
        instrument: The instrument, or its id.
        platform: ``"limesurvey"`` (the tab-separated survey structure, with a byte-order mark
            as LimeSurvey writes it), ``"qualtrics"`` (a ``.qsf`` file), ``"redcap"`` (a data
            dictionary), ``"surveyjs"`` (the form's JSON) or ``"html"`` (a form for a browser).
        languages: Language tags, the first the survey's main language (default: every
            language that all the instrument's texts have, in sorted order).

    Returns:
        The file's text: the command line (``leadscore export``) writes it as it is.

    Raises:
        InvalidArgumentError: An unknown platform or language, or an answer a platform cannot
            code (a LimeSurvey answer code is at most five characters).

    Warns:
        SurveyExportWarning: Where the platform cannot carry part of the instrument (REDCap's
            dictionary holds one language), saying what was left out.

    .. versionadded:: 0.1.0
    """
    given: object = platform
    if not isinstance(given, str):
        raise ArgumentTypeError(f"platform must be text, one of {', '.join(PLATFORMS)} (got {type(given).__name__})")
    if platform not in _WRITERS:
        raise InvalidArgumentError(f"platform must be one of {', '.join(PLATFORMS)} (got {platform!r:.80})")
    return _WRITERS[platform](survey_of(resolve(instrument), languages))
