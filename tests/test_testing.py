"""The conformance kit: check_instrument, its report, the pytest suite and the strategies."""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap

from typing import Any

import attrs
import pytest

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import leadscore

from leadscore import Instrument
from leadscore.testing import CheckReport, InvariantError, InvariantResult, check_instrument
from leadscore.testing import strategies as ls
from leadscore.testing.suite import InstrumentInvariants
from tests.strategies import SHIPPED, tiny_with_not_applicable


pytest_plugins = ["pytester"]

NOT_AN_INSTRUMENT: Any = "sbl"
NOT_AN_ITEM: Any = "q1"


@pytest.mark.untraced
class TestShippedInstruments(InstrumentInvariants):
    """
    Every shipped instrument, through the suite a plugin author uses (plugins_example/ runs it too).

    The profile's full count, without coverage's tracer (docs/testing.md, "Untraced tests"):
    traced, the suite's JSON round trips of the larger instruments cost 10 to 17 s each at 200.
    """

    @pytest.fixture(name="instrument", params=[i.id for i in SHIPPED])
    def _instrument(self, request: pytest.FixtureRequest) -> Instrument:
        """Each instrument, loaded through the registry."""
        return leadscore.get_instrument(request.param)


class TestCheckInstrument:
    def test_report_says_what_was_proved(self) -> None:
        """A passing check returns a report counting invariants and examples."""
        report = check_instrument(leadscore.get_instrument("secure-base-leadership"), max_examples=10)

        assert report.ok
        assert list(range(1, 10)) == [r.number for r in report.results]
        assert all(r.examples >= 1 for r in report.results)
        assert str(report).startswith(
            f"secure-base-leadership: 9 invariants checked over {report.examples} examples; all held"
        )
        assert "  invariant 3 (Reflection) held over" in str(report)

    def test_only_the_asked_invariants_run(self) -> None:
        """invariants= picks which invariants run."""
        report = check_instrument(leadscore.get_instrument("alliance-qualities"), max_examples=5, invariants=[9, 1, 9])

        assert [1, 9] == [r.number for r in report.results]

    def test_error_when_not_an_instrument(self) -> None:
        """Anything but an Instrument is refused before any check runs."""
        with pytest.raises(TypeError, match=r"takes a leadscore\.Instrument"):
            check_instrument("secure-base-leadership")  # type: ignore[arg-type]

    def test_failure_names_number_wording_and_example(self) -> None:
        """A broken invariant is reported with its number, its wording and the minimal example."""

        def bad_score(instrument: Instrument, answers: Any) -> leadscore.Result:
            return leadscore.score(instrument, {k: v for k, v in answers.items() if k != "stays-calm"})

        with pytest.raises(InvariantError) as caught:
            check_instrument(
                leadscore.get_instrument("secure-base-leadership"),
                implementation=leadscore.testing.leadscore_implementation(score=bad_score),
                max_examples=50,
                invariants=[5],
            )

        text = str(caught.value)
        assert isinstance(caught.value, AssertionError)
        assert text.startswith("secure-base-leadership: 1 invariants checked over")
        assert (
            "invariant 5 (Missing data, exactly) is broken: A score is None exactly when fewer than the minimum" in text
        )
        assert "Minimal failing example:" in text

    def test_an_error_without_problems_still_counts_as_refusal(self) -> None:
        """Invariant 9 accepts any LeadscoreError; only errors that list problems must name the bad items."""

        def refuse(instrument: Instrument, answers: Any) -> leadscore.Result:
            raise leadscore.LeadscoreError("refused")

        result = leadscore.testing.run_invariant(
            leadscore.get_instrument("secure-base-leadership"),
            9,
            implementation=leadscore.testing.leadscore_implementation(score=refuse),
            max_examples=5,
        )

        assert result.failure is None

    def test_distinct_failures_are_all_described(self) -> None:
        """When Hypothesis finds several distinct failures, each is described."""
        result = InvariantResult(number=1, name="Bounds", wording="w", examples=3, failure=None)
        report = CheckReport(instrument_id="x", instrument_version="1.0.0", fingerprint="sha256:0", results=(result,))

        assert "x: 1 invariants checked over 3 examples; all held" == str(report).splitlines()[0]
        assert leadscore.testing._check._describe(ExceptionGroup("two", [ValueError("a"), KeyError("b")])).startswith(
            "2 distinct failures:\nValueError: a\nKeyError: 'b'"
        )

    def test_error_without_hypothesis_says_what_to_install(self) -> None:
        """Without Hypothesis, running a check says which extra to install."""
        code = (
            "import sys; sys.modules['hypothesis'] = None\n"
            "import leadscore, leadscore.testing\n"
            "try:\n"
            "    leadscore.testing.check_instrument(leadscore.get_instrument('alliance-qualities'))\n"
            "except ImportError as error:\n"
            "    print(error)\n"
        )

        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

        assert "leadscore's conformance kit needs Hypothesis: pip install 'leadscore[testing]'" == out.strip()

    def test_importing_the_kit_imports_no_hypothesis(self) -> None:
        """leadscore.testing can be imported without loading Hypothesis or changing its settings."""
        code = "import sys, leadscore.testing; print('hypothesis' in sys.modules)"

        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout

        assert "False" == out.strip()


@pytest.mark.usefixtures("few_examples")
class TestSuiteForPluginAuthors:
    """
    The suite class as a plugin author subclasses it, run by a nested pytest (pytester).

    Ten examples per inner test (the ``few_examples`` fixture), not the profile's 200: these
    tests ask how the suite's tests are wired (how many there are, which one fails when an
    implementation is broken, what a failure shows), not whether an instrument keeps the
    invariants. Those properties are the inner tests themselves, and they run at the
    profile's full count on every shipped instrument in ``TestShippedInstruments`` above and on
    the example plugin in plugins_example/tests. At 200 the nested runs cost about 20 s of
    ``make test`` and find nothing the full-count runs would not.
    """

    def test_a_subclass_runs_one_test_per_invariant(self, pytester: pytest.Pytester) -> None:
        """A plugin author's subclass with an instrument fixture gets ten passing tests: nine invariants and the texts."""
        pytester.makepyfile(
            textwrap.dedent(
                """
                import pytest
                import leadscore
                from leadscore.testing.suite import InstrumentInvariants

                class TestTichy(InstrumentInvariants):
                    @pytest.fixture
                    def instrument(self):
                        return leadscore.get_instrument("tichy-transformational-leadership")
                """
            )
        )

        result = pytester.runpytest("-p", "no:cacheprovider", "-q")

        result.assert_outcomes(passed=10)

    def test_a_broken_implementation_fails_its_invariant(self, pytester: pytest.Pytester) -> None:
        """Overriding the implementation fixture checks that implementation; a broken one fails."""
        pytester.makepyfile(
            textwrap.dedent(
                """
                import pytest
                import leadscore
                from leadscore.testing import leadscore_implementation
                from leadscore.testing.suite import InstrumentInvariants

                def forgiving(instrument, answers):
                    # Drops what it cannot score instead of refusing it: breaks invariant 9 on every example.
                    from leadscore.testing.strategies import is_valid_answer
                    items = {item.id: item for item in instrument.items}
                    kept = {k: v for k, v in answers.items() if k in items and is_valid_answer(items[k], v)}
                    return leadscore.score(instrument, kept)

                class TestForgiving(InstrumentInvariants):
                    @pytest.fixture
                    def instrument(self):
                        return leadscore.get_instrument("secure-base-leadership")

                    @pytest.fixture
                    def implementation(self):
                        return leadscore_implementation(score=forgiving)
                """
            )
        )

        result = pytester.runpytest("-p", "no:cacheprovider", "-q", "-k", "invariant_9")

        result.assert_outcomes(failed=1, deselected=9)
        result.stdout.fnmatch_lines(["*invariant 9 (Bad input never yields a result) is broken*"])

    def test_a_subclass_without_instrument_says_what_is_missing(self, pytester: pytest.Pytester) -> None:
        """Forgetting the instrument fixture fails with a message saying what to add."""
        pytester.makepyfile(
            """
            from leadscore.testing.suite import InstrumentInvariants

            class TestNothing(InstrumentInvariants):
                pass
            """
        )

        result = pytester.runpytest("-p", "no:cacheprovider", "-q")

        result.assert_outcomes(errors=10)
        result.stdout.fnmatch_lines(["*define an `instrument` fixture in your InstrumentInvariants subclass*"])


class TestStrategies:
    @pytest.mark.parametrize(
        ("make", "message"),
        [
            (lambda: ls.answers(NOT_AN_INSTRUMENT), "instrument must be a leadscore.Instrument (got str)"),
            (
                lambda: ls.answers(SHIPPED[0], complete=True, invalid=True),
                "answers() takes complete or invalid, not both",
            ),
            (lambda: ls.instruments(max_items=0), "max_items must be an integer of at least 1 (got 0)"),
            (lambda: ls.instruments(max_composites=-1), "max_composites must be an integer of at least 0 (got -1)"),
            (lambda: ls.bands(3, 1), "low must be below high (got 3 and 1)"),
            (lambda: ls.answer_values(NOT_AN_ITEM), "item must be a leadscore.Item (got str)"),
        ],
    )
    def test_error_when_arguments_are_wrong(self, make: Any, message: str) -> None:
        """Strategies check their arguments when they are made, not when drawn from."""
        with pytest.raises(InvalidArgument) as caught:
            make()

        assert message == str(caught.value)

    @given(st.data(), st.booleans())
    def test_answer_values_are_valid_and_missing_only_when_asked(self, data: st.DataObject, missing: bool) -> None:
        """answer_values gives valid answers only; None and not-applicable codes only with missing=True."""
        instrument = data.draw(ls.instruments())
        item = data.draw(st.sampled_from(instrument.items))
        value = data.draw(ls.answer_values(item, missing=missing))

        assert ls.is_valid_answer(item, value)
        assert missing or (value is not None and item.response.min <= value <= item.response.max)

    def test_answers_leave_items_unanswered_in_every_way(self) -> None:
        """
        Among generated answer sets, items are None, left out and not applicable, not only answered.

        No property: a sample of the strategy's output, a hundred derandomized answer sets
        (Hypothesis's default, what a plugin author runs), whatever profile is loaded.
        """
        probe = tiny_with_not_applicable("probe", ("a", "b", "c", "d"))
        seen: list[dict[str, Any]] = []

        @settings(max_examples=100, derandomize=True, database=None)
        @given(ls.answers(probe))
        def collect(given_answers: dict[str, Any]) -> None:
            seen.append(given_answers)

        collect()

        assert any(None in given_answers.values() for given_answers in seen)
        assert any(len(given_answers) < 4 for given_answers in seen)
        assert any(0 in given_answers.values() for given_answers in seen)  # The not-applicable code.

    @given(st.data())
    def test_complete_answers_answer_every_item_in_range(self, data: st.DataObject) -> None:
        """complete=True gives every item an in-range answer."""
        instrument = data.draw(st.sampled_from(SHIPPED))
        given_answers = data.draw(ls.answers(instrument, complete=True))

        assert [i.id for i in instrument.items] == list(given_answers)
        assert all(i.response.min <= given_answers[i.id] <= i.response.max for i in instrument.items)

    @given(st.data())
    def test_invalid_answers_are_never_all_valid(self, data: st.DataObject) -> None:
        """invalid=True always includes at least one answer that is not valid."""
        instrument = data.draw(st.sampled_from(SHIPPED))
        given_answers = data.draw(ls.answers(instrument, invalid=True))
        items = {i.id: i for i in instrument.items}

        assert any(k not in items or not ls.is_valid_answer(items[k], v) for k, v in given_answers.items())

    @given(ls.bands(-2.0, 3.0))
    def test_bands_cover_the_range_without_gaps(self, bands: tuple[leadscore.Band, ...]) -> None:
        """Drawn bands start at low, end at high, and follow each other exactly."""
        assert (-2.0, 3.0) == (bands[0].lower, bands[-1].upper)
        assert all(a.upper == b.lower for a, b in itertools.pairwise(bands))


class TestTextProblems:
    """The kit's check of band narratives: complete where any is given, in every language, with a source."""

    def test_the_shipped_instruments_have_complete_narratives(self) -> None:
        """Secure Base Leadership's balance bands each tell their story, in Dutch and English, with a source."""
        from leadscore.testing import text_problems  # noqa: PLC0415

        for instrument_id in (
            "secure-base-leadership",
            "connective-leadership",
            "alliance-qualities",
            "coaching-behaviours",
        ):
            assert text_problems(leadscore.get_instrument(instrument_id)) == []

    def test_each_gap_is_named(self) -> None:
        """A band without narrative, one without English, one without a source: each named, with its score."""
        from leadscore.testing import text_problems  # noqa: PLC0415

        sbl = leadscore.get_instrument("secure-base-leadership")
        balance = sbl.composites[-1]
        first, middle, last = balance.bands
        changed = attrs.evolve(
            sbl,
            composites=[
                *sbl.composites[:-1],
                attrs.evolve(
                    balance,
                    bands=[
                        attrs.evolve(first, description=None),
                        attrs.evolve(middle, description={"nl": "Alleen Nederlands"}),
                        attrs.evolve(last, source=None),
                    ],
                ),
            ],
        )

        assert text_problems(changed) == [
            "band 'dare-without-care' of 'care-dare-balance' has no description, and other bands have one",
            "band 'balanced' of 'care-dare-balance' has no description in en",
            "band 'care-without-dare' of 'care-dare-balance' does not say where its description comes from (source)",
        ]
        with pytest.raises(TypeError, match=r"text_problems\(\) takes a leadscore\.Instrument"):
            text_problems("secure-base-leadership")  # type: ignore[arg-type]
