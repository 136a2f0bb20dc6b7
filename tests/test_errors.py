from __future__ import annotations

import pickle

import pytest

from leadscore.errors import (
    BrokenPluginsError,
    DefinitionProblem,
    InstrumentConflictError,
    InstrumentLoadError,
    InvalidAnswerError,
    InvalidAnswersError,
    InvalidDefinitionError,
    LeadscoreError,
    UnknownInstrumentError,
)


def _answer(value: object = 4.5) -> InvalidAnswerError:
    return InvalidAnswerError("must be a whole number", item_id="stays-calm", value=value, row=7, column="Q1_1")


ERRORS = [
    pytest.param(LeadscoreError("plain"), id="LeadscoreError"),
    pytest.param(DefinitionProblem("unknown item 'x'", "$.scales[2].items[0]"), id="DefinitionProblem"),
    pytest.param(
        InvalidDefinitionError("invalid instrument 'demo'", [DefinitionProblem("a", "$.id"), DefinitionProblem("b")]),
        id="InvalidDefinitionError",
    ),
    pytest.param(_answer(), id="InvalidAnswerError"),
    pytest.param(InvalidAnswersError("sbl", [_answer(), _answer(None)], row=3), id="InvalidAnswersError"),
    pytest.param(UnknownInstrumentError("no 'x'", instrument_id="x", version="1.0.0"), id="UnknownInstrumentError"),
    pytest.param(
        InstrumentLoadError("broken", instrument_id="x", entry_point="pkg:make", distribution="pkg"),
        id="InstrumentLoadError",
    ),
    pytest.param(
        InstrumentConflictError("twice", instrument_id="x", version="1.0.0", distributions=["a", "b"]),
        id="InstrumentConflictError",
    ),
    pytest.param(BrokenPluginsError("broken plugins", [LeadscoreError("one"), _answer()]), id="BrokenPluginsError"),
]


def _shape(error: BaseException) -> object:
    """Everything a caller can see of an error: type, text, attributes, notes and nested errors."""
    if isinstance(error, BaseExceptionGroup):
        # Nested errors compare by identity, so compare what they show instead.
        return type(error), str(error), error.message, vars(error), [_shape(e) for e in error.exceptions]
    return type(error), str(error), error.args, vars(error)


@pytest.mark.parametrize("error", ERRORS)
def test_errors_survive_pickling(error: LeadscoreError) -> None:
    """Dask and multiprocessing send errors between processes by pickling them."""
    error.add_note("in partition 3")
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 (our own bytes)
    assert _shape(copy) == _shape(error)
    assert copy.__notes__ == ["in partition 3"]
