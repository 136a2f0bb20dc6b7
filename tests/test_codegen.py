"""
The generated scoring function (`leadscore._codegen`): the plan's results bit for bit, the
plan's refusals word for word, a source made only of the names and literals it may hold,
and the plan itself beyond the size bound.
"""

from __future__ import annotations

import ast
import math
import types

from typing import Any

import attrs
import pytest

from hypothesis import given
from hypothesis import strategies as st

import leadscore
import leadscore._codegen

from leadscore import Instrument, Item, ResponseScale, Scale, Source
from leadscore._plan import Plan, compiled
from leadscore._results import rows_of
from leadscore.cli import main
from leadscore.errors import InvalidAnswersError
from leadscore.testing import check_instrument
from leadscore.testing.strategies import answers, invalid_values
from tests.strategies import any_instruments, fewer_examples


def exactly(result: leadscore.Result) -> str:
    """A result's rows as text: `repr` of a float is exact, so equal texts are equal bits (-0.0 too)."""
    return repr(rows_of(result))


def generated_is_used(plan: Plan) -> bool:
    """Whether the plan's last score came from the generated function (not the rules)."""
    scorer = plan._scorer
    return isinstance(scorer, types.FunctionType) and scorer.__code__.co_filename.startswith("<leadscore scorer")


@given(any_instruments(), st.data())
def test_the_generated_function_scores_as_the_rules_do_bit_for_bit(instrument: Instrument, data: st.DataObject) -> None:
    """Any valid answer set (unanswered, not applicable, reverse keys, every method, bands, composites): the same bits."""
    plan = Plan(instrument)
    given_answers = data.draw(answers(instrument))

    assert exactly(plan.generated()(given_answers)) == exactly(plan.score_by_rules(given_answers))
    assert generated_is_used(plan)


@st.composite
def bad_answer_sets(draw: st.DrawFn, instrument: Instrument) -> Any:
    """Answer sets with something wrong: a value no item takes, an unknown id, or no dict at all."""
    valid = draw(answers(instrument))
    kind = draw(st.sampled_from(["value", "unknown", "proxy", "not a mapping"]))
    if kind == "value":
        key = draw(st.sampled_from([item.id for item in instrument.items]))
        return {**valid, key: draw(st.one_of(invalid_values(), st.integers(-1000, 1000)))}
    if kind == "unknown":
        return {**valid, draw(st.one_of(st.text(max_size=5), st.integers())): 3}
    if kind == "proxy":  # A mapping, valid or not, that is no dict: the rules read it.
        return types.MappingProxyType(valid)
    return draw(st.one_of(st.none(), st.integers(), st.lists(st.integers(), max_size=2)))


@given(any_instruments(), st.data())
def test_what_the_generated_function_does_not_score_the_rules_score_or_refuse(
    instrument: Instrument, data: st.DataObject
) -> None:
    """A bad answer set gets the rules' refusal, word for word; a valid non-dict mapping, the rules' result."""
    plan = Plan(instrument)
    bad = data.draw(bad_answer_sets(instrument))
    outcomes: list[object] = []
    for scorer in (plan.generated(), plan.score_by_rules):
        try:
            outcomes.append(exactly(scorer(bad, 7)))
        except InvalidAnswersError as error:
            outcomes.append([str(p) for p in error.exceptions])
    assert outcomes[0] == outcomes[1]


# Every name the generated source may use: its variables, and what the namespace binds.
NAMES = {"answers", "row", "get", "t", "n", "i", "v", "type", "int", "dict", "tuple", "sorted"} | {
    "_KNOWN", "_plan_score", "_from_rows", "_LAYOUT", "_too_few", "_missing_parts",
}  # fmt: skip


def _allowed(name: str) -> bool:
    return name in NAMES or (name[0] in "axsvwcND" and name[1:].isdigit())


@pytest.mark.untraced
@given(any_instruments())
def test_the_source_holds_only_its_own_names_and_literals(instrument: Instrument) -> None:
    """Parsed, the source is one function of known names, whose constants are ids (bands' too), numbers and None."""
    plan = Plan(instrument)
    tree = ast.parse(plan.source())
    ids = (
        {item.id for item in instrument.items}
        | {s.id for s in instrument.scales}
        | {c.id for c in instrument.composites}
        | {band.id for scale in instrument.scales for band in scale.bands}
        | {band.id for composite in instrument.composites for band in composite.bands}
    )

    assert [type(node) for node in tree.body] == [ast.FunctionDef]
    assert all(_allowed(node.id) for node in ast.walk(tree) if isinstance(node, ast.Name))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant):
            assert node.value is None or type(node.value) in {int, float} or node.value in ids
        assert not isinstance(node, (ast.Import, ast.ImportFrom, ast.Attribute, ast.Lambda)) or (
            isinstance(node, ast.Attribute) and node.attr in {"get", "issuperset"}
        )


def test_hostile_ids_reach_the_source_only_as_literals(sbl: Instrument) -> None:
    """Ids the model would refuse, forced into a plan: the source still compiles, and scores them as ids."""
    plan = Plan(sbl)
    hostile = ["x'); __import__('os')._exit(3); ('", 'a"""b', "\\n\\x00", "é\u2028"]
    plan.items = tuple(attrs.evolve(rule, id=name) for rule, name in zip(plan.items, hostile * 3, strict=False))
    plan.item_index = {rule.id: index for index, rule in enumerate(plan.items)}
    text = plan.source()
    ast.parse(text)
    for name in hostile:
        assert repr(name) in text

    result = plan.generated()({hostile[0]: 5})

    assert result.scales["stays-calm"].value == 5.0
    assert generated_is_used(plan)


def test_literal_takes_only_texts_and_numbers() -> None:
    """Anything but an int, a float, a text or None has no literal; nor have NaN and infinity."""
    literal = leadscore._codegen._literal
    for value in (object(), [1], b"x", math.nan, math.inf):
        with pytest.raises((TypeError, ValueError)):
            literal(value)
    assert [literal(v) for v in (None, 3, -2.5, "it's")] == ["None", "3", "-2.5", '"it\'s"']


def _many_items(count: int) -> Instrument:
    items = [
        Item(id=f"q{n}", text={"en": "q"}, response=ResponseScale(min=1, max=5), source=Source(document="t"))
        for n in range(count)
    ]
    return Instrument(
        id="many",
        version="1.0.0",
        title={"en": "many"},
        items=items,
        scales=[Scale(id="all", title={"en": "all"}, items=[i.id for i in items], min_answered=1)],
    )


def test_beyond_the_size_bound_the_rules_score() -> None:
    """1,001 items: no source is generated, and the rules give the result."""
    plan = Plan(_many_items(leadscore._codegen.MAX_ITEMS + 1))

    result = plan.generated()({"q0": 2, "q1000": 4})

    assert plan._scorer == plan.score_by_rules
    assert result.scales["all"].value == 3.0


@pytest.mark.deep
def test_every_invariant_holds_when_the_rules_score(monkeypatch: pytest.MonkeyPatch) -> None:
    """
    The conformance kit on a shipped instrument, scored by the rules alone (the bound set to no items).

    In make test-deep only, with a fifth of its profile (200 examples; 20 s at 200 under
    coverage): the rules also score every drawn instrument's first sixteen answer sets in
    test_invariants.py, where each example draws a new instrument, at the full count.
    """
    monkeypatch.setattr(leadscore._codegen, "MAX_ITEMS", 0)
    instrument = leadscore.load_instrument(
        leadscore.schema_path().parent.parent / "instruments" / "secure_base_leadership.toml"
    )

    report = check_instrument(instrument, max_examples=fewer_examples(5).max_examples)

    assert report.ok
    assert compiled(instrument)._scorer == compiled(instrument).score_by_rules


def test_show_source_prints_the_function(capsys: pytest.CaptureFixture[str]) -> None:
    """`leadscore show ID --source` prints what runs, for a reviewer to read."""
    assert main(["show", "secure-base-leadership", "--source"]) == 0
    out = capsys.readouterr().out
    assert out == compiled(leadscore.get_instrument("secure-base-leadership")).source()
    assert "    a0 = get('stays-calm')\n" in out
    # The care-dare balance: care (over 4, a constant: each of its scales has one item, required)
    # minus dare (over 5), as one fraction of whole numbers, divided once.
    assert "        N12 = (5 * N10 - 4 * N11)\n        D12 = 20\n        w2 = N12 / D12\n" in out


def test_a_plan_scores_by_its_rules_until_it_is_warm(sbl: Instrument) -> None:
    """The first WARM_UP scores go by the rules, the next by the generated function; the results are equal."""
    plan = Plan(sbl)
    given_answers = {"stays-calm": 4}
    first = [exactly(plan.score(given_answers)) for _ in range(leadscore._codegen.WARM_UP)]
    assert plan._scorer is None
    later = exactly(plan.score(given_answers))
    assert generated_is_used(plan)
    assert set(first) == {later}


def test_equal_instruments_share_compiled_code(sbl: Instrument) -> None:
    """An instrument read twice compiles its source once."""
    again = leadscore.load_instrument(
        leadscore.schema_path().parent.parent / "instruments" / "secure_base_leadership.toml"
    )
    one, two = Plan(sbl).generated(), Plan(again).generated()
    assert one is not two
    assert one.__code__ is two.__code__


def test_the_code_kept_is_bounded(monkeypatch: pytest.MonkeyPatch, sbl: Instrument) -> None:
    """Past its bound the store of compiled code starts again; a plan keeps its own function."""
    monkeypatch.setattr(leadscore._codegen, "_CODE", {})
    monkeypatch.setattr(leadscore._codegen, "_CODE_KEPT", 1)
    plan = Plan(sbl)
    first = plan.generated()
    Plan(_many_items(3)).generated()

    assert list(leadscore._codegen._CODE) == [Plan(_many_items(3)).source()]
    assert plan.generated() is first
