"""
Release records: what a 360 report showed, kept so that the next round is audited without the answers.

A record holds every figure the report showed, as the page shows it (decimal text at its
precision), the raters behind each by position, and per rater its key, its group and which
items it answered: no answer. `aggregate` makes one for every report (`FeedbackReport.release`)
and audits a new report against the records of earlier ones (`aggregate(..., released=)`).
Rater keys are linked across rounds: one key is one person, whose answer to an item is taken
as kept between rounds (the attacker may assume so). docs/privacy.md gives the JSON schema
(``leadscore/schema/release.schema.json``) and what erasing a rater's answers means.
"""

from __future__ import annotations

import re

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Protocol

from attrs import frozen

from leadscore._checks import quoted
from leadscore._model import Instrument
from leadscore._plan import compiled
from leadscore._privacy import AUDIT, OLDEST_RECORD, Earlier, ExactForm, Field, Figure, Form, exact_forms, rows_of
from leadscore._registry import default_registry
from leadscore._views import AboutInstrument
from leadscore.errors import ArgumentTypeError, InvalidArgumentError, UnknownInstrumentError


__all__ = [
    "ALL_OTHERS",
    "GROUP",
    "IDENTIFIABLE",
    "MANAGER",
    "MERGED",
    "SELF",
    "Earlier",
    "ReleaseRecord",
    "ReleasedFigure",
    "ReleasedRater",
    "earlier_rows",
    "record_of",
    "record_problems",
]

SELF: Final = "self"
MANAGER: Final = "manager"
IDENTIFIABLE: Final = frozenset({SELF, MANAGER})
MERGED: Final = "merged"
ALL_OTHERS: Final = "all-others"
#: A group of raters: a lowercase slug.
GROUP: Final = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
_KINDS = ("item", "scale", "composite")
_MEAN = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]{2}")
_ONE_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]")


@frozen(kw_only=True)
class ReleasedRater:
    """
    One rater of a released report: who, in which group, which items they answered (never how).

    Attributes:
        key: The rater's key, as `leadscore.Rating` gave it: the same key in a later round is
            the same person.
        group: Their group.
        answered: The ids of the items they answered, in the instrument's order.

    .. versionadded:: 0.1.0
    """

    key: str | int
    group: str
    answered: tuple[str, ...]


@frozen(kw_only=True)
class ReleasedFigure:
    """
    One figure a report showed, as it showed it.

    Attributes:
        kind: ``"item"``, ``"scale"`` or ``"composite"``.
        id: The item's, scale's or composite's id.
        group: The group it is of (``"merged"``, ``"all-others"`` too).
        raters: The raters behind it, by position in `ReleaseRecord.raters`.
        mean: The mean as shown: decimal text with two decimals (``"3.67"``).
        sd: The SD as shown (one decimal), or None where it was not shown.
        rwg: r_wg as shown (one decimal), or None where it was not shown.

    .. versionadded:: 0.1.0
    """

    kind: str
    id: str
    group: str
    raters: tuple[int, ...]
    mean: str
    sd: str | None = None
    rwg: str | None = None


@frozen(kw_only=True)
class ReleaseRecord(AboutInstrument):
    """
    What one 360 report released, for auditing the reports after it without the answers behind it.

    Keep it with the answers, not with the page: it names the raters by key. Write it with
    ``leadscore.to_json(record)``, read it with ``leadscore.from_json(text, ReleaseRecord)``
    (schema: ``leadscore/schema/release.schema.json``). Gaps, flags and the top and bottom
    items are not recorded: they follow from the recorded means.

    Attributes:
        audit: The version of the audit that released it (docs/privacy.md).
        raters: Every rater of the report (self and manager too), by key.
        figures: Every figure the report showed, in the report's order.

    .. versionadded:: 0.1.0
    """

    audit: int
    raters: tuple[ReleasedRater, ...]
    figures: tuple[ReleasedFigure, ...]


class Shown(Protocol):
    """A figure as a report shows it (`leadscore.GroupFigure`)."""

    @property
    def group(self) -> str: ...
    @property
    def mean(self) -> float: ...
    @property
    def sd(self) -> float | None: ...
    @property
    def rwg(self) -> float | None: ...


def record_of(
    instrument: Instrument,
    raters: Sequence[tuple[Any, str]],
    answers: Sequence[Sequence[Any]],
    shown: Iterable[tuple[str, str, Shown]],
    released: Mapping[Figure, Sequence[int]],
) -> ReleaseRecord:
    """
    The record of a report: its *shown* figures (kind, id, figure) with their raters (from *released*).

    *raters* are each rater's key and group, *answers* their answers by item position (only
    whether each is given is kept). Raters are listed by key, so the same ratings in any order
    give the same record.
    """
    plan = compiled(instrument)
    order = sorted(range(len(raters)), key=lambda r: quoted(raters[r][0]))
    position = {rater: at for at, rater in enumerate(order)}
    return ReleaseRecord(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        fingerprint=plan.fingerprint,
        audit=AUDIT,
        raters=tuple(
            ReleasedRater(
                key=raters[r][0],
                group=raters[r][1],
                answered=tuple(
                    item.id for item, given in zip(plan.items, answers[r], strict=True) if given is not None
                ),
            )
            for r in order
        ),
        figures=tuple(
            ReleasedFigure(
                kind=kind,
                id=score_id,
                group=figure.group,
                raters=tuple(sorted(position[r] for r in released[kind, score_id, figure.group])),
                mean=_decimal(figure.mean, 2),
                sd=None if figure.sd is None else _decimal(figure.sd, 1),
                rwg=None if figure.rwg is None else _decimal(figure.rwg, 1),
            )
            for kind, score_id, figure in shown
        ),
    )


def _decimal(value: float, places: int) -> str:
    """*value* (a figure already rounded to *places* decimals) as the decimal text of a record: never ``-0.00``."""
    return f"{value + 0.0:.{places}f}"


def record_problems(record: ReleaseRecord) -> list[tuple[str, str]]:
    """What makes *record* no release record, as (path, problem): everything that needs no instrument."""
    found: list[tuple[str, str]] = []
    if type(record.audit) is not int or not OLDEST_RECORD <= record.audit <= AUDIT:
        said = f"must be an audit whose records this leadscore reads, {OLDEST_RECORD} to {AUDIT}"
        found.append(("$.audit", f"{said} (got {quoted(record.audit)})"))
    keys: set[Any] = set()
    for index, rater in enumerate(record.raters):
        path = f"$.raters[{index}]"
        # A record built in code is not checked by the converter: every field is what it is.
        key, group, answered = (getattr(rater, name, None) for name in ("key", "group", "answered"))
        if isinstance(key, bool) or not isinstance(key, (str, int)):
            found.append((f"{path}.key", f"must be text or an integer (got {quoted(key)})"))
        elif key in keys:
            found.append((f"{path}.key", "repeats the key of an earlier rater"))
        else:
            keys.add(key)
        if not (isinstance(group, str) and GROUP.fullmatch(group)) or group in {MERGED, ALL_OTHERS}:
            found.append((f"{path}.group", f"must be a group's name, a lowercase slug (got {quoted(group)})"))
        if not (isinstance(answered, tuple) and all(isinstance(item, str) for item in answered)):
            found.append((f"{path}.answered", f"must be item ids (got {quoted(answered)})"))
        elif len(set(answered)) != len(answered):
            found.append((f"{path}.answered", "names an item twice"))
    seen: set[Any] = set()
    for index, figure in enumerate(record.figures):
        found.extend(_figure_problems(f"$.figures[{index}]", figure, len(record.raters), seen))
    return found


def _figure_problems(path: str, figure: ReleasedFigure, n_raters: int, seen: set[Any]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    kind, score_id, group, raters, mean = (
        getattr(figure, name, None) for name in ("kind", "id", "group", "raters", "mean")
    )
    if kind not in _KINDS:
        found.append((f"{path}.kind", f"must be one of {', '.join(_KINDS)} (got {quoted(kind)})"))
    if not isinstance(score_id, str):
        found.append((f"{path}.id", f"must be an id (got {quoted(score_id)})"))
    if not isinstance(group, str):
        found.append((f"{path}.group", f"must be a group's name (got {quoted(group)})"))
    if (quoted(kind), quoted(score_id), quoted(group)) in seen:
        found.append((path, "repeats an earlier figure's kind, id and group"))
    seen.add((quoted(kind), quoted(score_id), quoted(group)))
    if not isinstance(raters, tuple) or not all(type(r) is int and 0 <= r < n_raters for r in raters):
        found.append(
            (f"{path}.raters", f"must be positions in raters, from 0 to {n_raters - 1} (got {quoted(raters)})")
        )
    elif not raters or len(set(raters)) != len(raters):
        found.append((f"{path}.raters", "must name one rater or more, each once"))
    if not (isinstance(mean, str) and _MEAN.fullmatch(mean)):
        found.append((f"{path}.mean", f"must be decimal text with two decimals, such as '3.67' (got {quoted(mean)})"))
    for name in ("sd", "rwg"):
        value = getattr(figure, name, None)
        if value is not None and not (isinstance(value, str) and _ONE_DECIMAL.fullmatch(value)):
            found.append((f"{path}.{name}", f"must be decimal text with one decimal, or null (got {quoted(value)})"))
    return found


def earlier_rows(instrument: Instrument, records: Sequence[object], field: Field) -> Earlier:
    """
    What the reports of *records* showed, oldest first, as the audits read it.

    Raises:
        ArgumentTypeError: For anything that is no `ReleaseRecord`.
        InvalidArgumentError: For a record that is not well formed, of another instrument, of
            a version that is not installed, or whose figures its raters cannot have (each
            problem named, with ``released[i]``).
    """
    rows: list[Form] = []
    means: list[ExactForm] = []
    fixed: set[Any] = set()
    for index, record in enumerate(records):
        if not isinstance(record, ReleaseRecord):
            raise ArgumentTypeError(
                f"released[{index}] must be a leadscore.ReleaseRecord, the release of an earlier report "
                f"(got {type(record).__name__})"
            )
        try:
            _read(instrument, record, field, Earlier(rows, means, frozenset()), fixed)
        except InvalidArgumentError as error:
            raise InvalidArgumentError(f"released[{index}]: {error}") from error
    return Earlier(rows, means, frozenset(fixed))


def _read(instrument: Instrument, record: ReleaseRecord, field: Field, into: Earlier, fixed: set[Any]) -> None:
    """Add what *record* showed to *into* (and the answers behind its spreads to *fixed*)."""
    problems = [f"{path}: {problem}" for path, problem in record_problems(record)]
    if problems:
        raise InvalidArgumentError("invalid release record: " + "; ".join(problems))
    made_with = _instrument_of(instrument, record)
    plan = compiled(made_with)
    ids = {item.id for item in plan.items}
    answered = [set(rater.answered) for rater in record.raters]
    problems = [
        f"$.raters[{index}].answered: {quoted(item_id)} is no item of {made_with.id} {made_with.version}"
        for index, given in enumerate(answered)
        for item_id in sorted(given - ids)
    ]
    presence = [[True if item.id in given else None for item in plan.items] for given in answered]
    protected = [rater.group not in IDENTIFIABLE for rater in record.raters]
    owners = [rater.key for rater in record.raters]
    columns = exact_forms(plan, presence, protected, owners)
    released: dict[Figure, list[int]] = {}
    for index, figure in enumerate(record.figures):
        path = f"$.figures[{index}]"
        column = columns.get((figure.kind, figure.id))
        if column is None:
            problems.append(f"{path}: {made_with.id} {made_with.version} has no {figure.kind} {quoted(figure.id)}")
            continue
        groups = [record.raters[r].group for r in figure.raters]
        if any(column[r] is None for r in figure.raters):
            problems.append(
                f"{path}: a rater behind it has no {figure.kind} {quoted(figure.id)} by the items it answered"
            )
        elif not _in_group(figure.group, groups):
            problems.append(f"{path}: its raters are not all of group {quoted(figure.group)}")
        else:
            released[figure.kind, figure.id, figure.group] = list(figure.raters)
    if problems:
        raise InvalidArgumentError("invalid release record: " + "; ".join(problems))
    spread = {(f.kind, f.id, f.group) for f in record.figures if f.sd is not None or f.rwg is not None}
    into.rows.extend(
        rows_of(plan, presence, protected, released, spread=spread, owners=owners, field=field, exact=columns)
    )
    for (kind, score_id, label), raters in released.items():
        mean: ExactForm = {}
        for r in raters:
            for cell, coefficient in columns[kind, score_id][r].items():  # type: ignore[union-attr]
                mean[cell] = mean.get(cell, 0) + coefficient / len(raters)
        into.means.append(mean)
        if (kind, score_id, label) in spread:
            fixed.update(cell for r in raters for cell in columns[kind, score_id][r] or {})


def _in_group(label: str, groups: Sequence[str]) -> bool:
    """Whether raters of *groups* can be behind a figure of group *label*."""
    if label == ALL_OTHERS:
        return SELF not in groups
    if label == MERGED:
        return not IDENTIFIABLE & set(groups)
    return set(groups) == {label}


def _instrument_of(instrument: Instrument, record: ReleaseRecord) -> Instrument:
    """The instrument *record* was made with: *instrument* itself, or another installed version of it."""
    if record.instrument_id != instrument.id:
        raise InvalidArgumentError(
            f"it records a report of {quoted(record.instrument_id)}, not of {quoted(instrument.id)}"
        )
    made_with = instrument
    if record.instrument_version != instrument.version:
        try:
            made_with = default_registry().get(instrument.id, record.instrument_version)
        except UnknownInstrumentError as error:
            raise InvalidArgumentError(
                f"it was made with version {record.instrument_version} of {quoted(instrument.id)}, "
                f"which is not installed or registered ({error})"
            ) from error
    if compiled(made_with).fingerprint != record.fingerprint:
        raise InvalidArgumentError(
            f"its fingerprint {record.fingerprint} is not that of {instrument.id} {record.instrument_version} "
            f"({compiled(made_with).fingerprint})"
        )
    return made_with
