"""
360 exports: one row per evaluation, read into each subject's ratings for `leadscore.aggregate`.

A 360 platform exports one row per evaluation: who is rated (the subject), who rates (the
participant), their relationship, and the answers (Qualtrics 360: ``SubjectUniqueIdentifier``,
``ParticipantUniqueIdentifier``, ``Relationship``). The relationship's values become groups
by the mapping file's ``[roles]`` table, or by the common names below (English and Dutch,
case ignored); a value that is neither is an error naming it, never a guess.
"""

from __future__ import annotations

from collections.abc import Mapping

from attrs import frozen

from leadscore._aggregate import Rating
from leadscore.errors import InvalidAnswerError, InvalidAnswersError, InvalidExportError
from leadscore.readers._mapping import COMMON_ROLES
from leadscore.readers._reader import MappingReport, Reading


__all__ = ["Ratings", "ratings_of"]


@frozen
class Ratings:
    """
    What `read_ratings` read: each subject's ratings, in the order subjects first appear.

    Attributes:
        subjects: Subject id to that subject's ratings.
        report: The `MappingReport` of the file.
    """

    subjects: Mapping[str, tuple[Rating, ...]]
    report: MappingReport


def ratings_of(reading: Reading, *, subject: str, rater: str, relationship: str, roles: Mapping[str, str]) -> Ratings:
    """Read every row of *reading* (opened with the three columns kept) into ratings by subject."""
    chosen = {key.strip().casefold(): group for key, group in {**COMMON_ROLES, **roles}.items()}
    subjects: dict[str, list[Rating]] = {}
    problems: list[InvalidAnswerError] = []
    unknown: dict[str, int] = {}
    for row in reading.checked_rows():  # Answers outside their items' range are named by their line here.
        if row.error is not None:
            problems.extend(row.error.problems)
            continue
        said = row.kept[relationship]
        group = chosen.get(said.strip().casefold())
        if group is None:
            unknown.setdefault(said, row.line)
            continue
        who = row.kept[subject]
        answers = row.answers or {}  # A row without an error has its answers.
        subjects.setdefault(who, []).append(Rating(group=group, rater=row.kept[rater], answers=answers))
    if unknown:
        listed = ", ".join(f"{value!r} (line {line})" for value, line in unknown.items())
        raise InvalidExportError(
            reading.name,
            [f"relationship values with no group: {listed}: give each a group in the mapping file's [roles]"],
        )
    if problems:
        raise InvalidAnswersError(reading.instrument.id, problems)
    return Ratings({who: tuple(found) for who, found in subjects.items()}, reading.report())
