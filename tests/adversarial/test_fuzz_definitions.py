"""
Fuzzing what builds or finds an instrument: load_instrument (mappings, JSON and TOML text),
from_json (definitions and results), register and get_instrument.

A definition is mutated where it is weakest, one node at a time: a value replaced by
anything, a key dropped, a key added, a list entry repeated. Whatever comes out must be an
`InvalidDefinitionError` naming the problem, or an instrument that scores correctly: one
that cannot be scored correctly cannot be built.
"""

from __future__ import annotations

import copy
import json
import uuid

from pathlib import Path
from typing import Any

import pytest

from hypothesis import given
from hypothesis import strategies as st

import leadscore

from leadscore import Instrument, InvalidDefinitionError, Result
from leadscore._registry import Registry
from leadscore._serialization import unstructure
from leadscore.errors import ArgumentTypeError, LeadscoreError
from leadscore.testing.strategies import answers
from tests.adversarial.hostile import hostile, outcome
from tests.strategies import SHIPPED, any_instruments


Path_ = tuple[Any, ...]


def paths(node: Any, here: Path_ = ()) -> list[Path_]:
    """Every place in a tree of dicts and lists, the root included."""
    found = [here]
    if isinstance(node, dict):
        for key, value in node.items():
            found.extend(paths(value, (*here, key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.extend(paths(value, (*here, index)))
    return found


def json_values() -> st.SearchStrategy[Any]:
    """Anything JSON can hold, a little deep."""
    return st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)),
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
        max_leaves=6,
    )


@st.composite
def mutated(draw: st.DrawFn, values: st.SearchStrategy[Any]) -> tuple[Any, str]:
    """A valid definition's data with one to three nodes changed; and what was done, for the report."""
    data: Any = unstructure(draw(any_instruments()))
    done = []
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(paths(data)))
        kind = draw(st.sampled_from(["replace", "drop", "add", "repeat"]))
        done.append(f"{kind} at {where}")
        if not where:
            if kind == "replace":
                data = draw(values)
            continue
        parent = data
        for step in where[:-1]:
            parent = parent[step]
        last = where[-1]
        if kind == "replace":
            parent[last] = draw(values)
        elif kind == "drop":
            del parent[last]
        elif kind == "add" and isinstance(parent, dict):
            parent[draw(st.text(max_size=6))] = draw(values)
        elif isinstance(parent, list):
            parent.insert(last, copy.deepcopy(parent[last]))
    return data, "; ".join(done)


def assert_scores_correctly(instrument: Instrument, answer_sets: list[dict[str, Any]]) -> None:
    """What a built instrument must do: round-trip, and score any valid answers into its ranges."""
    assert instrument == leadscore.from_json(leadscore.to_json(instrument), Instrument)
    for given_answers in answer_sets:
        result = leadscore.score(instrument, given_answers)
        for score_id, value in result.values().items():
            low, high = instrument.score_range(score_id)
            assert value is None or low <= value <= high


@pytest.mark.untraced
@given(mutated(hostile(4)), st.data())
def test_load_instrument_from_a_mapping_builds_only_what_scores(case: tuple[Any, str], data: st.DataObject) -> None:
    """load_instrument(mapping) with any node changed to anything: a definition error, or an instrument that scores."""
    definition, _ = case
    before = repr(definition) if _showable(definition) else None

    got = outcome(leadscore.load_instrument, definition)

    if before is not None:
        assert before == repr(definition), "the mapping was changed"
    if isinstance(got, Instrument):
        assert_scores_correctly(got, [data.draw(answers(got)), data.draw(answers(got, complete=True))])
    else:
        assert isinstance(got, (InvalidDefinitionError, ArgumentTypeError)), got


def _showable(value: Any) -> bool:
    try:
        repr(value)
    except Exception:  # noqa: BLE001 - hostile values may fail to show themselves
        return False
    return True


@pytest.mark.untraced
@given(mutated(json_values()), st.data())
def test_from_json_builds_only_what_scores(case: tuple[Any, str], data: st.DataObject) -> None:
    """from_json(text, Instrument) of a mutated definition: a definition error, or an instrument that scores."""
    definition, _ = case

    got = outcome(leadscore.from_json, json.dumps(definition), Instrument)

    if isinstance(got, Instrument):
        assert_scores_correctly(got, [data.draw(answers(got, complete=True))])
    else:
        assert isinstance(got, InvalidDefinitionError), got


TOML_FILES = sorted((Path(leadscore.__file__).parent / "instruments").glob("*.toml"))


DEFINITION_FILES = [(path.name, path.read_bytes()) for path in TOML_FILES] + [
    (f"{instrument.id}.json", leadscore.to_json(instrument).encode()) for instrument in SHIPPED
]


@st.composite
def damaged_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A shipped definition, as its TOML file or as JSON, with a few bytes cut, repeated or replaced."""
    name, original = draw(st.sampled_from(DEFINITION_FILES))
    text = bytearray(original)
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(text) - 1))
        end = min(len(text), start + draw(st.integers(0, 40)))
        kind = draw(st.sampled_from(["cut", "repeat", "replace"]))
        if kind == "cut":
            del text[start:end]
        elif kind == "repeat":
            text[start:start] = text[start:end]
        else:
            text[start:end] = draw(
                st.binary(max_size=8) | st.sampled_from([b'"', b"[", b"=", b"\n", b"\\", b"\xff", b"{"])
            )
    return name, bytes(text)


@pytest.mark.untraced
@given(damaged_files(), st.data())
def test_load_instrument_from_a_damaged_file(
    tmp_path_factory: pytest.TempPathFactory, damaged: tuple[str, bytes], data: st.DataObject
) -> None:
    """A TOML or JSON definition file damaged anywhere: one InvalidDefinitionError, or an instrument that scores."""
    name, raw = damaged
    path = tmp_path_factory.getbasetemp() / f"{uuid.uuid4().hex}-{name}"
    path.write_bytes(raw)

    got = outcome(leadscore.load_instrument, path)

    if isinstance(got, Instrument):
        assert_scores_correctly(got, [data.draw(answers(got, complete=True))])
    else:
        assert isinstance(got, InvalidDefinitionError), got
        assert str(path) in str(got)
    path.unlink()


@st.composite
def mutated_result(draw: st.DrawFn) -> tuple[Instrument, Any]:
    """An instrument and one of its results as data, with one to three nodes changed."""
    instrument = draw(any_instruments())
    data: Any = json.loads(leadscore.to_json(leadscore.score(instrument, draw(answers(instrument)))))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.sampled_from(paths(data)[1:]))
        parent = data
        for step in where[:-1]:
            parent = parent[step]
        if draw(st.booleans()):
            parent[where[-1]] = draw(json_values())
        else:
            del parent[where[-1]]
    return instrument, data


@pytest.mark.untraced
@given(mutated_result(), st.booleans())
def test_from_json_of_a_result_passes_only_what_scoring_can_give(case: tuple[Instrument, Any], checked: bool) -> None:
    """A stored result changed anywhere: refused, or (checked against its instrument) one scoring could give."""
    instrument, data = case

    got = outcome(leadscore.from_json, json.dumps(data), Result, instrument=instrument if checked else None)

    if isinstance(got, Result):
        again = leadscore.from_json(leadscore.to_json(got), Result)
        assert got == again
        if checked:
            for score_id, value in got.values().items():
                low, high = instrument.score_range(score_id)
                assert value is None or low <= value <= high
    else:
        assert isinstance(got, InvalidDefinitionError), got


TARGETS = (
    "",
    ":",
    "a:b:c",
    "no_such_module_for_leadscore:x",
    "leadscore:nothing_here",
    "leadscore:__version__",
    "leadscore.instruments:secure_base_leadership",
    "leadscore:score",
)


@given(
    st.one_of(hostile(3), st.sampled_from(TARGETS), st.sampled_from(SHIPPED), st.just(lambda: SHIPPED[0])),
    st.one_of(st.none(), st.sampled_from(["secure-base-leadership", "other", ""]), hostile(2)),
    st.one_of(st.booleans(), hostile(2)),
)
def test_register_takes_anything_without_an_unrelated_exception(target: Any, instrument_id: Any, replace: Any) -> None:
    """register() with anything: an id, or a LeadscoreError; a registered id is then found, or fails as a plugin does."""
    registry = Registry(group="leadscore.tests.fuzz")

    got = outcome(registry.register, target, id=instrument_id, replace=replace)

    if isinstance(got, str):
        found = outcome(registry.get, got)
        assert isinstance(found, (Instrument, LeadscoreError))
    else:
        assert isinstance(got, LeadscoreError), got


@given(
    st.one_of(st.sampled_from([i.id for i in SHIPPED]), st.text(max_size=10), hostile(3)),
    st.one_of(st.none(), st.sampled_from(["0.1.0", "9.9.9", "", "x"]), hostile(2)),
)
def test_get_instrument_takes_anything_without_an_unrelated_exception(instrument_id: Any, version: Any) -> None:
    """get_instrument() with anything as id and version: the instrument asked for, or a LeadscoreError."""
    got = outcome(leadscore.get_instrument, instrument_id, version)

    if isinstance(got, Instrument):
        assert (instrument_id, version or got.version) == (got.id, got.version)
    else:
        assert isinstance(got, LeadscoreError), got
