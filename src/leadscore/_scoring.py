"""Score answers: the one entry point apps call, for one answer set or many."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from leadscore._model import Instrument
from leadscore._plan import Plan, compiled
from leadscore._registry import resolve
from leadscore._results import Result
from leadscore.errors import ArgumentTypeError


__all__ = ["Answer", "Answers", "answer_sets_of", "score", "score_many"]

#: One answer: an integer within the item's response scale (or its declared
#: not-applicable code), or None for "not answered".
Answer = int | None
#: An answer set: item id to answer. Items left out count as not answered.
Answers = Mapping[str, Answer]


def score(instrument: Instrument | str, answers: Answers) -> Result:
    """
    Validate *answers* against *instrument* and score them.

    Every answer must be an ``int`` within its item's response scale, the item's declared
    not-applicable code, or None; items left out count as not answered. Nothing is coerced:
    ``True``, ``4.0``, ``"4"`` and NaN are errors (use `leadscore.coerce_answers` for
    tabular input).

    Args:
        instrument: The instrument to score against, or its id (its highest installed
            version is used).
        answers: Item id to answer.

    Returns:
        The scores of every scale and composite, with the instrument's id, version and
        fingerprint.

    Raises:
        InvalidAnswersError: Naming every bad answer at once (unknown ids, wrong types,
            values out of range).
        UnknownInstrumentError: If *instrument* is an id that nothing provides.

    .. versionadded:: 0.1.0
    """
    return compiled(resolve(instrument)).score(answers)


def score_many(instrument: Instrument | str, answer_sets: Iterable[Answers]) -> Iterator[Result]:
    """
    Score many answer sets lazily, compiling the instrument once.

    Yields exactly what ``score(instrument, answers)`` returns for each answer set, in order.

    Raises:
        ArgumentTypeError: At the call, if *answer_sets* is not an iterable of answer sets
            (a number, text, or one answer set).
        InvalidAnswersError: At the first bad answer set, with its position (from 0) as
            ``row``; results already yielded stay valid.

    .. versionadded:: 0.1.0
    """
    plan = compiled(resolve(instrument))
    return _scored(plan, answer_sets_of(answer_sets))


def _scored(plan: Plan, answer_sets: Iterator[Answers]) -> Iterator[Result]:
    for row, answers in enumerate(answer_sets):
        yield plan.score(answers, row)


def answer_sets_of(answer_sets: Any, name: str = "answer_sets") -> Iterator[Any]:
    """
    An iterator over *answer_sets*, or an `ArgumentTypeError` when it is not a collection of them.

    One answer set given where many belong (a mapping: iterating it would give its keys) and
    text (its characters) are refused too.
    """
    if isinstance(answer_sets, Mapping):
        raise ArgumentTypeError(f"{name} must be answer sets (one mapping each), not one answer set")
    if isinstance(answer_sets, (str, bytes)):
        raise ArgumentTypeError(f"{name} must be answer sets (one mapping each), not text")
    try:
        return iter(answer_sets)
    except TypeError:
        raise ArgumentTypeError(
            f"{name} must be an iterable of answer sets (got {type(answer_sets).__name__})"
        ) from None
