"""
Reports of a file, as functions an app calls: what ``leadscore report`` and ``leadscore analyze`` do.

`aggregate_file` reads a 360 export (one row per evaluation, `leadscore.read_ratings`) and
makes each subject's `FeedbackReport`, audited with the release records of that subject's
reports of earlier rounds (`read_release`, `read_releases`, `releases_json`);
`analyze_file` reads a file of answer sets (a survey export or JSON, as `leadscore.score_file`
reads it), checks every row and computes the item analysis: `leadscore.reliability` and
`leadscore.analysis.quality`, with each response known by the file's own id.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs

from attrs import frozen

from leadscore._aggregate import FeedbackReport, aggregate
from leadscore._files import json_text, path_of, read_json
from leadscore._model import Instrument
from leadscore._plan import compiled
from leadscore._registry import resolve
from leadscore._release import ReleaseRecord
from leadscore._score_file import AnswerFile, on_row
from leadscore._serialization import structure, unstructure
from leadscore.errors import (
    ArgumentTypeError,
    InvalidAnswerError,
    InvalidAnswersError,
    InvalidArgumentError,
    InvalidDefinitionError,
    InvalidFileError,
)
from leadscore.readers import MappingFile, read_ratings
from leadscore.readers._reader import ReadOptions, column_list


if TYPE_CHECKING:
    from leadscore._consistency import ReliabilityReport
    from leadscore._quality_report import QualityReport


__all__ = ["AnalyzedFile", "aggregate_file", "analyze_file", "read_release", "read_releases", "releases_json"]


def aggregate_file(
    instrument: Instrument | str,
    source: str | Path,
    *,
    released: Iterable[str | Path] = (),
    subject: str = "SubjectUniqueIdentifier",
    rater: str = "ParticipantUniqueIdentifier",
    relationship: str = "Relationship",
    platform: str = "auto",
    mapping: MappingFile | str | Path | None = None,
    ignore: Iterable[str] = (),
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> dict[str, FeedbackReport]:
    """
    Each subject's 360 report of the 360 export *source*, by subject id in the file's order.

    Args:
        instrument: The instrument, or its id.
        source: A 360 export, one row per evaluation (`leadscore.read_ratings`).
        released: The files of release records of rounds shown earlier, oldest first (what
            `releases_json` wrote of their reports): each subject's report is audited with
            that subject's earlier records (`leadscore.aggregate`'s *released*); a subject
            absent from a round had no report in it.
        subject: The column that says who is rated.
        rater: The column that says who rates.
        relationship: The column that says how the rater knows the subject.
        platform: As for `leadscore.read_responses`; so are the others.
        mapping: A mapping file; its ``[roles]`` map relationship values to groups.
        ignore: Columns left out.
        delimiter: A delimited export's delimiter.
        encoding: The text encoding.
        sheet: A workbook's sheet.

    Returns:
        Subject id to that subject's `FeedbackReport`, every one made (nothing is returned
        when one subject's cannot be).

    Raises:
        InvalidExportError: A file whose columns cannot be placed.
        InvalidFileError: A file of release records that cannot be read or holds none.
        InvalidAnswersError: Every bad cell of a file, by row and column.
        InvalidArgumentError: A subject's ratings that make no 360 (a rater twice, two self
            ratings), or an earlier record not of this instrument, with the subject and the
            file named.
        ImportError: A workbook or statistics file without the extra that reads it.

    .. versionadded:: 0.1.0
    """
    instrument = resolve(instrument)
    given: object = released
    if isinstance(given, (str, bytes, Path)) or not isinstance(given, Iterable):
        raise ArgumentTypeError(f"released must be a collection of paths (got {type(given).__name__})")
    earlier = [path_of(path, f"released[{index}]") for index, path in enumerate(given)]
    options: dict[str, Any] = {
        "subject": subject,
        "rater": rater,
        "relationship": relationship,
        "platform": platform,
        "mapping": mapping,
        "ignore": ignore,
        "delimiter": delimiter,
        "encoding": encoding,
        "sheet": sheet,
    }
    rounds = [(path, read_releases(path)) for path in earlier]
    read = read_ratings(path_of(source, "source"), instrument, **options)
    reports: dict[str, FeedbackReport] = {}
    for who, ratings in read.subjects.items():
        theirs = [(path, records[who]) for path, records in rounds if who in records]
        try:
            reports[who] = aggregate(instrument, ratings, released=[record for _, record in theirs])
        except InvalidArgumentError as error:
            said = str(error)
            for index, (path, _) in enumerate(theirs):
                said = said.replace(f"released[{index}]", f"{path}")
            raise InvalidArgumentError(f"subject {who!r}: {said}") from error
    return reports


def releases_json(reports: Mapping[str, FeedbackReport]) -> str:
    """
    The release records of *reports* (subject to report) as one JSON file: ``{"subjects": {subject: record}}``.

    Keep it with the answers, not with the pages: it names the raters by key.

    .. versionadded:: 0.1.0
    """
    return json_text({"subjects": {who: unstructure(report.release) for who, report in reports.items()}}, indent=2)


def read_releases(path: str | Path) -> dict[str, ReleaseRecord]:
    """
    The release records of a file `releases_json` wrote, by subject.

    Raises:
        InvalidFileError: A file that cannot be read, is not of that shape, or holds a record
            that is not well formed (every problem named, with the subject).

    .. versionadded:: 0.1.0
    """
    where = path_of(path, "path")
    data = read_json(where)
    if not (isinstance(data, dict) and set(data) == {"subjects"} and isinstance(data["subjects"], dict)):
        raise InvalidFileError(f'{where} must hold {{"subjects": {{subject: release record, ...}}}}')
    return {who: _record(record, f"{where}: subject {who!r}") for who, record in data["subjects"].items()}


def read_release(path: str | Path) -> ReleaseRecord:
    """
    The one release record of a file (``to_json(report.release)``).

    Raises:
        InvalidFileError: A file that cannot be read or that holds no well-formed record.

    .. versionadded:: 0.1.0
    """
    where = path_of(path, "path")
    return _record(read_json(where), f"{where}")


def _record(data: object, where: str) -> ReleaseRecord:
    try:
        return structure(data, ReleaseRecord)
    except InvalidDefinitionError as error:
        problems = "; ".join(str(problem) for problem in error.problems)
        raise InvalidFileError(f"{where}: {error.message}: {problems}") from error


@frozen(kw_only=True)
class AnalyzedFile:
    """
    What `analyze_file` read and computed.

    Attributes:
        reliability: The reliability of every scale (`leadscore.reliability`), its
            ``excluded`` given as the responses' ids.
        quality: Each response's data-quality indices (`leadscore.analysis.quality`), each
            ``row`` given as the response's id.
        ids: Each response's id, in the file's order: the id column's value, or its line.
        absent: Items of the instrument no column held.

    .. versionadded:: 0.1.0
    """

    reliability: ReliabilityReport
    quality: QualityReport
    ids: tuple[str, ...]
    absent: tuple[str, ...]


def analyze_file(
    instrument: Instrument | str,
    source: str | Path,
    *,
    id_column: str | None = None,
    platform: str = "auto",
    mapping: MappingFile | str | Path | None = None,
    ignore: Iterable[str] = (),
    delimiter: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    missing: Literal["pairwise", "listwise"] = "pairwise",
    level: float = 0.95,
    exclude: Iterable[str] = (),
    bootstrap: int | None = None,
    seed: int | None = 0,
    synonym_r: float = 0.60,
    order: Sequence[str] | None = None,
) -> AnalyzedFile:
    """
    The item analysis of the file of answer sets *source*: every row read and checked first.

    Args:
        instrument: The instrument, or its id.
        source: A survey export or JSON answer sets, as `leadscore.score_file` reads them.
        id_column: The column that identifies a response (default ``respondent`` when the
            file has it; otherwise a response is known by its line).
        platform: As for `leadscore.read_responses`; so are *mapping*, *delimiter*,
            *encoding* and *sheet* (for survey exports only).
        mapping: A mapping file.
        ignore: Columns that are no items, left out.
        delimiter: A delimited export's delimiter.
        encoding: The text encoding.
        sheet: A workbook's sheet.
        missing: As for `leadscore.reliability`; so are *level*, *bootstrap* and *seed*.
        level: The confidence level of the intervals.
        exclude: Responses set aside from the reliability figures, by their ids (`ids`).
        bootstrap: Samples of a percentile bootstrap interval of omega, if any.
        seed: The bootstrap's seed.
        synonym_r: As for `leadscore.analysis.quality`; so is *order*.
        order: The items' ids in the order they were presented.

    Returns:
        An `AnalyzedFile`.

    Raises:
        InvalidAnswersError: Every problem of every bad row, each by its row and column.
        InvalidArgumentError: An id in *exclude* that is no response of the file, or an
            option the analysis refuses.
        InvalidExportError: A survey export whose columns cannot be placed.
        InvalidFileError: A file that cannot be read.
        ImportError: Without NumPy (the ``analysis`` extra), or SciPy for the intervals.

    .. versionadded:: 0.1.0
    """
    try:
        from leadscore.analysis import quality, reliability  # noqa: PLC0415 - NumPy, the analysis extra
    except ImportError as error:
        raise ImportError("an item analysis needs NumPy and SciPy: pip install 'leadscore[analysis]'") from error
    instrument = resolve(instrument)
    skipped = column_list(exclude, "exclude", kind="response ids")
    options = ReadOptions.checked(
        platform=platform,
        mapping=mapping,
        ignore=ignore,
        id_column=id_column,
        delimiter=delimiter,
        encoding=encoding,
        sheet=sheet,
    )
    path = path_of(source, "source")
    with AnswerFile(instrument, path, options) as answers:
        absent = answers.absent
        ids, answer_sets = _checked(answers, instrument)
    unknown = [given for given in skipped if given not in set(ids)]
    if unknown:
        raise InvalidArgumentError(f"exclude: no response {', '.join(map(repr, unknown))} in {path}")
    figures = reliability(
        instrument,
        answer_sets,
        missing=missing,
        level=level,
        exclude=[position for position, name in enumerate(ids) if name in set(skipped)],
        bootstrap=bootstrap,
        seed=seed,
    )
    checked = quality(instrument, answer_sets, order=order, synonym_r=synonym_r)
    # Rows by the file's own ids, not positions: what *exclude* takes, and what an analyst looks up.
    by_position: dict[Hashable, str] = dict(enumerate(ids))
    return AnalyzedFile(
        reliability=attrs.evolve(figures, excluded=tuple(by_position[position] for position in figures.excluded)),
        quality=attrs.evolve(
            checked,
            respondents=tuple(attrs.evolve(person, row=by_position[person.row]) for person in checked.respondents),
        ),
        ids=tuple(ids),
        absent=absent,
    )


def _checked(answers: AnswerFile, instrument: Instrument) -> tuple[list[str], list[dict[str, int | None]]]:
    """Every row's id and answers; an `InvalidAnswersError` with every problem of every bad row."""
    ids: list[str] = []
    answer_sets: list[dict[str, int | None]] = []
    problems: list[InvalidAnswerError] = []
    plan = compiled(instrument)
    for row in answers.rows():
        error = row.error
        if error is None:
            try:
                plan.validated(row.answers, row.number)
            except InvalidAnswersError as raised:
                error = raised
        if error is not None:
            problems.extend(on_row(error, instrument.id, row.number).problems)
            continue
        ids.append(str(row.carried) if row.carried is not None else str(row.number))
        answer_sets.append(row.answers or {})  # Validated: a mapping.
    if problems:
        raise InvalidAnswersError(instrument.id, problems)
    return ids, answer_sets
