from __future__ import annotations

import pickle

from collections.abc import Callable

import pytest

from hypothesis import given
from hypothesis import strategies as st

import leadscore
import leadscore.errors

from leadscore.errors import (
    ArgumentTypeError,
    BrokenPluginsError,
    DefinitionProblem,
    InstrumentConflictError,
    InstrumentLoadError,
    InvalidAnswerError,
    InvalidAnswersError,
    InvalidArgumentError,
    InvalidDefinitionError,
    InvalidExportError,
    InvalidFileError,
    LeadscoreError,
    UnknownInstrumentError,
)
from leadscore.report import render
from leadscore.testing import check_instrument


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
    pytest.param(InvalidArgumentError("top must be at least 0 (got -1)"), id="InvalidArgumentError"),
    pytest.param(ArgumentTypeError("a row must be a mapping (got NoneType)"), id="ArgumentTypeError"),
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
    pytest.param(InvalidExportError("export.csv", ["column 3 'Team' is no item"]), id="InvalidExportError"),
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


SBL = "secure-base-leadership"
MISUSES: list[tuple[str, Callable[[], object], type[Exception], str]] = [
    (
        "score without an instrument",
        lambda: leadscore.score(None, {}),  # type: ignore[arg-type]
        ArgumentTypeError,
        "an instrument must be a leadscore.Instrument or its id (got NoneType)",
    ),
    (
        "score_many with a number for an instrument",
        lambda: list(leadscore.score_many(42, [{}])),  # type: ignore[arg-type]
        ArgumentTypeError,
        "an instrument must be a leadscore.Instrument or its id (got int)",
    ),
    (
        "get_instrument with a list",
        lambda: leadscore.get_instrument([]),  # type: ignore[arg-type]
        ArgumentTypeError,
        "an instrument id must be a string (got [])",
    ),
    (
        "get_instrument with a numeric version",
        lambda: leadscore.get_instrument(SBL, version=1),  # type: ignore[arg-type]
        ArgumentTypeError,
        "a version must be a string or None (got 1)",
    ),
    (
        "register with a number",
        lambda: leadscore.register(42),
        ArgumentTypeError,
        "register() takes an Instrument, a zero-argument callable returning one, or a 'module:attr' string (got int)",
    ),
    (
        "load_instrument without a source",
        lambda: leadscore.load_instrument(None),  # type: ignore[arg-type]
        ArgumentTypeError,
        "load_instrument() takes a file path or a mapping (got NoneType)",
    ),
    (
        "coerce_answers without a row",
        lambda: leadscore.coerce_answers(SBL, None),  # type: ignore[arg-type]
        ArgumentTypeError,
        "a row must be a mapping of column to cell (got NoneType)",
    ),
    (
        "aggregate with a negative threshold",
        lambda: leadscore.aggregate(SBL, [], gap_threshold=-1.0),
        InvalidArgumentError,
        "invalid ratings: gap_threshold must be a finite number of at least 0 (got -1.0)",
    ),
    (
        "aggregate with an unknown homogeneity rule",
        lambda: leadscore.aggregate(SBL, [], homogeneous="hide"),
        InvalidArgumentError,
        "invalid ratings: homogeneous must be 'show' or 'withhold' (got 'hide')",
    ),
    (
        "reliability with an unknown policy",
        lambda: leadscore.reliability(SBL, [], missing="everything"),  # type: ignore[arg-type]
        InvalidArgumentError,
        "missing must be 'pairwise' or 'listwise' (got 'everything')",
    ),
    (
        "change with a zero criterion",
        lambda: leadscore.change(SBL, [], [], criterion=0.0),
        InvalidArgumentError,
        "criterion must be a positive number (got 0.0)",
    ),
    (
        "a collection with an id twice",
        lambda: leadscore.ById([leadscore.ScaleNorm(id="a", mean=1, sd=1)] * 2),
        InvalidArgumentError,
        "each id may appear once (got 'a' more than once)",
    ),
    (
        "the kit without an instrument",
        lambda: check_instrument(SBL),  # type: ignore[arg-type]
        ArgumentTypeError,
        "check_instrument() takes a leadscore.Instrument (got str)",
    ),
    (
        "a report in a language it does not have",
        lambda: render(leadscore.aggregate(SBL, []), lang="fr"),
        InvalidArgumentError,
        "lang must be a language the instrument 'secure-base-leadership' has: one of ['en', 'nl'] (got 'fr')",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), [m[1:] for m in MISUSES], ids=[m[0] for m in MISUSES])
def test_misuse_is_a_leadscore_error_and_the_matching_builtin(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    """A wrong type is an ArgumentTypeError (a TypeError), a wrong value an InvalidArgumentError
    (a ValueError): both are LeadscoreErrors, with a message that names the argument and the value.
    """
    with pytest.raises(error) as caught:
        call()

    assert message == str(caught.value)
    assert isinstance(caught.value, LeadscoreError)
    assert isinstance(caught.value, TypeError if error is ArgumentTypeError else ValueError)


_TEXT = st.text(min_size=1, max_size=30)
_MAYBE = st.none() | _TEXT
_ANSWER = st.builds(
    InvalidAnswerError,
    _TEXT,
    item_id=_TEXT,
    value=st.none() | st.integers() | st.floats(allow_nan=False) | _TEXT,
    row=st.none() | st.integers(0, 10**6),
    column=_MAYBE,
)
_PROBLEM = st.builds(DefinitionProblem, _TEXT, _TEXT.map(lambda path: f"$.{path}"))
# Every error class of leadscore.errors, made from generated arguments of its constructor.
MAKERS: dict[type[LeadscoreError], st.SearchStrategy[LeadscoreError]] = {
    LeadscoreError: st.builds(LeadscoreError, _TEXT),
    DefinitionProblem: _PROBLEM,
    InvalidDefinitionError: st.builds(InvalidDefinitionError, _TEXT, st.lists(_PROBLEM, min_size=1, max_size=3)),
    InvalidAnswerError: _ANSWER,
    InvalidAnswersError: st.builds(
        InvalidAnswersError, _TEXT, st.lists(_ANSWER, min_size=1, max_size=3), row=st.none() | st.integers(0, 99)
    ),
    UnknownInstrumentError: st.builds(UnknownInstrumentError, _TEXT, instrument_id=_TEXT, version=_MAYBE),
    InstrumentLoadError: st.builds(
        InstrumentLoadError, _TEXT, instrument_id=_TEXT, entry_point=_TEXT, distribution=_MAYBE
    ),
    InstrumentConflictError: st.builds(
        InstrumentConflictError, _TEXT, instrument_id=_TEXT, version=_TEXT, distributions=st.lists(_TEXT, max_size=3)
    ),
    InvalidArgumentError: st.builds(InvalidArgumentError, _TEXT),
    ArgumentTypeError: st.builds(ArgumentTypeError, _TEXT),
    InvalidExportError: st.builds(InvalidExportError, _TEXT, st.lists(_TEXT, max_size=60)),
    InvalidFileError: st.builds(InvalidFileError, _TEXT),
    BrokenPluginsError: st.builds(
        BrokenPluginsError, _TEXT, st.lists(st.builds(LeadscoreError, _TEXT) | _ANSWER, min_size=1, max_size=3)
    ),
}


def test_every_error_class_has_a_maker() -> None:
    """The property below covers each error class leadscore.errors exports, a new one too."""
    classes = {
        value
        for value in vars(leadscore.errors).values()
        if isinstance(value, type) and issubclass(value, LeadscoreError)
    }
    assert classes == set(MAKERS)


@given(st.sampled_from(sorted(MAKERS, key=lambda cls: cls.__name__)).flatmap(MAKERS.__getitem__), _MAYBE)
def test_every_error_pickles_to_what_it_was(error: LeadscoreError, note: str | None) -> None:
    """Any error, made from any arguments, with or without a note, comes back the same through pickle."""
    if note is not None:
        error.add_note(note)
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 (our own bytes)
    assert _shape(copy) == _shape(error)
    assert getattr(copy, "__notes__", None) == getattr(error, "__notes__", None)
