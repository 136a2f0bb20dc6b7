"""
Inputs at the edges of what Python can hold: each gives a result or a `LeadscoreError` that
says what is wrong in one readable line, never a bare builtin from deep inside.
"""

from __future__ import annotations

import decimal
import io
import json
import math
import re

from pathlib import Path
from typing import Any

import attrs
import pytest

import leadscore

from leadscore import Band, InvalidAnswersError, InvalidDefinitionError, NormSample, Part, Result, ScaleNorm
from leadscore.cli import main
from leadscore.errors import ArgumentTypeError


SBL = "secure-base-leadership"
TEXT = {"en": "t"}
HUGE: Any = {"stays-calm": 10**5000, 10**5000: 1}


class TestHugeValuesInMessages:
    def test_an_integer_too_long_to_write_is_described_by_its_digits(self) -> None:
        """Python refuses to write an integer of more than 4,300 digits; the message says how long it is."""
        with pytest.raises(InvalidAnswersError) as caught:
            leadscore.score(SBL, HUGE)

        assert [
            "'stays-calm' must be an integer from 1 to 5, or None (got an integer of about 5,001 digits)",
            "an integer of about 5,001 digits is not an item of 'secure-base-leadership' (got 1)",
        ] == [str(problem) for problem in caught.value.problems]

    @pytest.mark.parametrize("error", [ValueError, RuntimeError])
    def test_a_value_that_cannot_show_itself_is_described_by_its_type(self, error: type[Exception]) -> None:
        """An object whose repr fails, with any error, is named by its type: the message itself never fails."""

        class Widget:
            def __repr__(self) -> str:
                raise error("no")

        with pytest.raises(InvalidAnswersError) as caught:
            leadscore.score(SBL, {"stays-calm": Widget()})  # type: ignore[dict-item]

        assert str(caught.value.problems[0]).endswith(f"(got a Widget that cannot be shown ({error.__name__}))")

    @pytest.mark.parametrize(
        ("answer_sets", "message"),
        [
            ({"stays-calm": 4}, "answer_sets must be answer sets (one mapping each), not one answer set"),
            ("stays-calm", "answer_sets must be answer sets (one mapping each), not text"),
            (42, "answer_sets must be an iterable of answer sets (got int)"),
        ],
    )
    def test_score_many_refuses_what_is_no_collection_of_answer_sets(self, answer_sets: Any, message: str) -> None:
        """One answer set, text or a number where many answer sets belong: refused at the call, not at the first result."""
        with pytest.raises(ArgumentTypeError) as caught:
            leadscore.score_many(SBL, answer_sets)

        assert message == str(caught.value)

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            ({"ignore": "respondent"}, "ignore must be a collection of column names, not one name (got 'respondent')"),
            ({"ignore": 5}, "ignore must be a collection of column names (got 5)"),
            ({"row_number": "7"}, "row_number must be an integer or None (got '7')"),
        ],
    )
    def test_coerce_answers_options_of_the_wrong_kind(self, options: dict[str, Any], message: str) -> None:
        """Text as the columns to ignore would ignore its letters; it is refused, like a row number that is no integer."""
        with pytest.raises(ArgumentTypeError) as caught:
            leadscore.coerce_answers(SBL, {"respondent": "r1"}, **options)

        assert message == str(caught.value)

    def test_a_long_value_is_cut_in_the_message(self) -> None:
        """A megabyte of text as an answer is quoted in 80 characters, not in full."""
        with pytest.raises(InvalidAnswersError) as caught:
            leadscore.score(SBL, {"stays-calm": "x" * 1_000_000})  # type: ignore[dict-item]

        message = str(caught.value.problems[0])
        assert re.search(r"\(got 'x{78}…\)$", message), message
        assert len(message) < 200

    def test_a_long_text_cell_is_cut_in_the_message(self) -> None:
        """The same in tabular input."""
        with pytest.raises(InvalidAnswersError) as caught:
            leadscore.coerce_answers(SBL, {"stays-calm": "x" * 10_000})

        assert re.search(r"must be a whole number \(got 'x{78}…\)$", str(caught.value.problems[0]))


class TestCells:
    @pytest.mark.parametrize("cell", [decimal.Decimal("sNaN"), decimal.Decimal("NaN"), float("nan")])
    def test_every_kind_of_nan_is_not_answered(self, cell: object) -> None:
        """A signalling NaN, which raises when compared, is read as not answered like any NaN."""
        assert {"stays-calm": None} == leadscore.coerce_answers(SBL, {"stays-calm": cell})

    @pytest.mark.parametrize(
        "cell",
        [decimal.Decimal("1e999999"), 1e300, "9" * 5000, "-" + "9" * 19],
        ids=["Decimal", "float", "text", "text, negative"],
    )
    def test_numbers_too_large_for_any_answer_are_refused_before_they_are_made_integers(self, cell: object) -> None:
        """1e999999 would take a long time to turn into an integer; it cannot be an answer, and says so."""
        with pytest.raises(InvalidAnswersError) as caught:
            leadscore.coerce_answers(SBL, {"stays-calm": cell})

        assert "'stays-calm': is too large to be an answer (got " in str(caught.value)

    def test_the_largest_whole_numbers_that_may_be_answers_are_read(self) -> None:
        """Eighteen digits are still read (and then refused by the item's range, as any number out of range)."""
        answers = leadscore.coerce_answers(SBL, {"stays-calm": "9" * 18, "sees-the-potential": "-000" + "9" * 18})

        assert {"stays-calm": int("9" * 18), "sees-the-potential": -int("9" * 18)} == answers


class TestDefinitions:
    def test_a_number_too_large_for_a_float_is_a_definition_problem(self) -> None:
        """10**400 as a band bound or a weight is refused with the field's path, not an OverflowError."""
        with pytest.raises(InvalidDefinitionError) as band:
            Band(id="b", label=TEXT, lower=0, upper=10**400)
        with pytest.raises(InvalidDefinitionError) as part:
            Part(scale="s", weight=-(10**400))

        assert str(band.value.problems[0]).startswith(
            "upper bound of band 'b' must be a number a float can hold (got 1000"
        )
        assert str(part.value.problems[0]).endswith("…) @ $.weight")

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("deep.json", "[" * 100_000 + "]" * 100_000, "JSON nested too deeply"),
            ("deep.toml", "a = " + "[" * 100_000 + "]" * 100_000 + "\n", "nested too deeply"),
        ],
    )
    def test_a_definition_nested_too_deeply_is_refused(
        self, tmp_path: Path, name: str, content: str, message: str
    ) -> None:
        """Deep nesting in a definition file is a problem of the file, not a RecursionError."""
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")

        with pytest.raises(InvalidDefinitionError) as caught:
            leadscore.load_instrument(path)

        assert [f"{message} @ $"] == [str(problem) for problem in caught.value.problems]

    def test_a_result_nested_too_deeply_is_refused(self) -> None:
        """from_json of deeply nested text says so."""
        with pytest.raises(InvalidDefinitionError) as caught:
            leadscore.from_json("[" * 100_000, Result)

        assert ["JSON nested too deeply @ $"] == [str(problem) for problem in caught.value.problems]


class TestNorms:
    SAMPLE = NormSample(n=250, population="p", date="2026", source="s")

    def test_every_value_that_is_no_number_is_named(self) -> None:
        """NaN and infinities among a norm's values are refused, each with its position."""
        with pytest.raises(InvalidDefinitionError) as caught:
            ScaleNorm(id="s", values=[3.0, float("nan"), 4.0, float("inf")])

        assert [
            "each of the values of 's' must be finite (got nan) @ $.values[1]",
            "each of the values of 's' must be finite (got inf) @ $.values[3]",
        ] == [str(problem) for problem in caught.value.problems]

    def test_values_without_spread_are_refused(self) -> None:
        """Equal values give no SD, so no T-score: the norm cannot be built (it divided by zero)."""
        with pytest.raises(InvalidDefinitionError) as caught:
            ScaleNorm(id="s", values=[3, 3.0])

        assert ["values of 's' are all equal: with no spread there is no T-score @ $.values"] == [
            str(problem) for problem in caught.value.problems
        ]

    def test_values_that_are_not_numbers_are_named(self) -> None:
        """Text among a norm's values is refused with its position, before any arithmetic."""
        with pytest.raises(InvalidDefinitionError) as caught:
            ScaleNorm(id="s", values=["3", 4.0])

        assert ["each of values of 's' must be a number (got '3') @ $.values[0]"] == [
            str(problem) for problem in caught.value.problems
        ]


class TestInstrumentsInOtherLanguages:
    def test_an_instrument_only_in_german_is_shown_taken_and_reported(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """Texts in neither English nor Dutch are shown in the language they have (it was KeyError: 'en')."""
        response = leadscore.ResponseScale(min=1, max=5)
        source = leadscore.Source(document="d")
        items = [leadscore.Item(id=i, text={"de": f"Frage {i}"}, response=response, source=source) for i in "abc"]
        scale = leadscore.Scale(id="s", title={"de": "Skala"}, items=["a", "b", "c"], min_answered=1)
        german = leadscore.Instrument(
            id="nur-deutsch", version="1.0.0", title={"de": "Nur Deutsch"}, items=items, scales=[scale]
        )
        ratings = tmp_path / "ratings.json"
        ratings.write_text(
            json.dumps({"ratings": [{"group": "peers", "rater": str(r), "answers": {"a": 4}} for r in range(4)]}),
            encoding="utf-8",
        )
        monkeypatch.setattr("sys.stdin", io.StringIO("4\n3\n5\n"))
        leadscore.register(german)
        try:
            shown = main(["show", "nur-deutsch"])
            taken = main(["take", "nur-deutsch"])
            reported = main(["report", "nur-deutsch", str(ratings), "--out", str(tmp_path / "r.html")])
        finally:
            leadscore._registry.default_registry().unregister("nur-deutsch")

        out, err = capsys.readouterr()
        assert (0, 0, 0) == (shown, taken, reported)
        assert "Nur Deutsch (nur-deutsch 1.0.0)" in out
        assert "1/3. Frage a" in out
        assert "leadscore: there are no interface texts in 'de': prompts and headings are in English\n" in err
        assert "Skala" in (tmp_path / "r.html").read_text(encoding="utf-8")


class TestChangeOptions:
    def test_every_unusable_option_is_named_at_once(self) -> None:
        """Reliabilities and SDs for scales the instrument lacks, or of the wrong kind, are refused together."""
        reliability: Any = {"overal": 0.8, "overall": "high", "care": 0.7}  # Care is a composite, not a scale.
        with pytest.raises(leadscore.errors.InvalidArgumentError) as caught:
            leadscore.change(SBL, [], [], reliability=reliability, sd={"stays-calm": 0.0}, criterion=math.nan)

        assert str(caught.value) == (
            "criterion must be a positive number (got nan); "
            "reliability names 'overal', 'care', which 'secure-base-leadership' has no scale of; "
            "reliability of 'overall' must be from 0 up to 1, 1 excluded (got 'high'); "
            "sd of 'stays-calm' must be a positive number (got 0.0)"
        )

    def test_a_reliability_report_of_another_definition_is_refused(self) -> None:
        """Alphas computed on another definition of the instrument (another fingerprint) cannot serve for this one."""
        rows = [{"stays-calm": v, "accepts-the-individual": 6 - v} for v in (1, 2, 4, 5)]
        sbl = leadscore.get_instrument(SBL)
        other = attrs.evolve(sbl, version="9.9.9")
        alphas = leadscore.reliability(other, rows)

        with pytest.raises(
            leadscore.errors.InvalidArgumentError,
            match=r"^the reliability report is for 'secure-base-leadership' 9\.9\.9 as another definition",
        ):
            leadscore.change(sbl, rows, rows, reliability=alphas)


class TestTexts:
    @pytest.mark.parametrize(
        ("text", "problem"),
        [
            (
                "Blijft \x1b[31mkalm",
                "holds the control character '\\x1b' at position 7; only tabs and line breaks may be in a text",
            ),
            (
                "kalm\rweg",
                "holds the control character '\\r' at position 4; only tabs and line breaks may be in a text",
            ),
            ("\u200b\u200d\ufeff", "has nothing visible (got '\\u200b\\u200d\\ufeff')"),
        ],
        ids=["terminal escape", "carriage return", "only invisible characters"],
    )
    def test_a_text_a_person_cannot_read_is_refused(self, text: str, problem: str) -> None:
        """Control characters would rewrite the terminal that shows a text; invisible-only text says nothing."""
        with pytest.raises(InvalidDefinitionError) as caught:
            leadscore.LocalizedText({"nl": text})

        assert [f"text in 'nl' {problem} @ $['nl']"] == [str(p) for p in caught.value.problems]

    def test_tabs_and_line_breaks_are_text(self) -> None:
        """A text may run over several lines and hold tabs."""
        assert "Eerste regel\n\tTweede" == leadscore.LocalizedText({"nl": "Eerste regel\n\tTweede"}).shown_in("nl")


def test_a_chain_of_composites_deeper_than_the_recursion_limit_builds_and_scores() -> None:
    """5,000 composites, each made of the next, listed from the top: ordered parts first, scored (it was a RecursionError)."""
    item = leadscore.Item(
        id="a", text=TEXT, response=leadscore.ResponseScale(min=1, max=5), source=leadscore.Source(document="d")
    )
    chain = [
        leadscore.Composite(
            id=f"c{i}", title=TEXT, method="weighted_mean", parts=[Part(scale="s" if i == 0 else f"c{i - 1}")]
        )
        for i in reversed(range(5000))
    ]
    scale = leadscore.Scale(id="s", title=TEXT, items=["a"], min_answered=1)
    instrument = leadscore.Instrument(
        id="x", version="1.0.0", title=TEXT, items=[item], scales=[scale], composites=chain
    )

    assert [f"c{i}" for i in range(5000)] == [composite.id for composite in instrument.composite_order]
    assert 4.0 == leadscore.score(instrument, {"a": 4}).composites["c4999"].value
