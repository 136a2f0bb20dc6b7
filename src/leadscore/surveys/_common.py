"""
What every survey export is made of: the instrument's items in groups that share their answers.

Items that follow each other and offer the same answers with the same words (every point's
label in every language, and the not-applicable answer) form one group: a LimeSurvey array,
a Qualtrics matrix, a REDCap matrix group, a SurveyJS matrix. An item with poles of its own
(Secure Base Leadership's) offers words no other item does, so it is a group of one: every
platform then shows its own ends, and nothing is lost.
"""

from __future__ import annotations

import warnings

from collections.abc import Iterable, Mapping

from attrs import frozen

from leadscore._canonical import fingerprint
from leadscore._model import Instrument, Item, common_languages
from leadscore._names import STAMP, stamp, variable_names
from leadscore.errors import ArgumentTypeError, InvalidArgumentError


__all__ = ["Group", "Point", "Survey", "SurveyExportWarning", "degraded", "survey_of"]


class SurveyExportWarning(UserWarning):
    """
    A platform cannot carry part of an instrument: what was left out or changed, and how.

    .. versionadded:: 0.1.0
    """


def degraded(message: str) -> None:
    """Warn that an export cannot carry something (the caller's caller is the user's line)."""
    warnings.warn(message, SurveyExportWarning, stacklevel=4)


@frozen
class Point:
    """One answer a group offers: its value and its words by language (the number where it has none)."""

    value: int
    words: Mapping[str, str]
    not_applicable: bool = False


@frozen
class Group:
    """Items in a row that offer the same answers: one question on a platform."""

    number: int
    items: tuple[Item, ...]
    points: tuple[Point, ...]

    @property
    def code(self) -> str:
        """The question's code: ``g`` and its number (letters and digits: every platform takes it)."""
        return f"g{self.number}"


@frozen
class Survey:
    """An instrument as a survey: its languages, groups, variable names and stamp."""

    instrument: Instrument
    languages: tuple[str, ...]
    groups: tuple[Group, ...]
    names: Mapping[str, str]

    @property
    def stamp(self) -> str:
        """The instrument's id, version and fingerprint, as the ``leadscore`` variable carries them."""
        return stamp(self.instrument)

    def metadata(self) -> dict[str, object]:
        """What an export records of its instrument: id, version, fingerprint, languages, variable names."""
        return {
            "instrument": self.instrument.id,
            "version": self.instrument.version,
            "fingerprint": fingerprint(self.instrument),
            "languages": list(self.languages),
            "stamp_variable": STAMP,
            "variables": dict(self.names),
            "made_by": "leadscore export_survey; names: docs/survey-platforms.md",
        }


def _words(item: Item, value: int, languages: tuple[str, ...]) -> dict[str, str]:
    response = item.response
    label = next((p.text for p in response.labels if p.value == value), None)
    if label is None and value == response.min and item.low is not None:
        label = item.low
    if label is None and value == response.max and item.high is not None:
        label = item.high
    return {lang: label.shown_in(lang) if label is not None else str(value) for lang in languages}


def _points(item: Item, languages: tuple[str, ...]) -> tuple[Point, ...]:
    response = item.response
    points = [Point(v, _words(item, v, languages)) for v in range(response.min, response.max + 1)]
    if response.not_applicable is not None:
        na = response.not_applicable
        points.append(Point(na.code, {lang: na.label.shown_in(lang) for lang in languages}, not_applicable=True))
    return tuple(points)


def survey_of(instrument: Instrument, languages: Iterable[str] | None) -> Survey:
    """The survey of *instrument* (resolved by the caller) in *languages* (all of the instrument's by default)."""
    available = common_languages(instrument)
    if languages is None:
        chosen = available
    else:
        given: object = languages
        if isinstance(given, (str, bytes)) or not isinstance(given, Iterable):
            raise ArgumentTypeError(f"languages must be a collection of language tags (got {given!r:.80})")
        listed = list(given)
        wrong = [lang for lang in listed if not isinstance(lang, str)]
        if wrong:
            raise ArgumentTypeError(f"languages must hold language tags as text (got {wrong[0]!r:.80})")
        unknown = [lang for lang in listed if lang not in available]
        if unknown:
            raise InvalidArgumentError(
                f"{instrument.id!r} has no language {', '.join(map(repr, unknown))}: "
                f"its texts are all in {', '.join(available) or 'no one language'}"
            )
        if not listed:
            raise InvalidArgumentError("languages must name at least one language (or be None for all)")
        chosen = tuple(dict.fromkeys(listed))
    if not chosen:
        raise InvalidArgumentError(f"{instrument.id!r} has no language that every item text and title has")
    if any(item.id == STAMP for item in instrument.items):
        raise InvalidArgumentError(
            f"{instrument.id!r} has an item {STAMP!r}: a survey's {STAMP!r} variable carries the instrument's "
            "stamp, so this instrument cannot be exported (rename the item)"
        )
    groups: list[Group] = []
    for item in instrument.items:
        points = _points(item, chosen)
        if groups and groups[-1].points == points:
            last = groups[-1]
            groups[-1] = Group(last.number, (*last.items, item), points)
        else:
            groups.append(Group(len(groups) + 1, (item,), points))
    return Survey(instrument, chosen, tuple(groups), variable_names(instrument))
