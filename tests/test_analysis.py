"""leadscore.analysis: reliability() from DataFrames, and its array engine against the pure-Python one."""

from __future__ import annotations

import math
import random
import sys

from typing import Any

import attrs
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from hypothesis import given
from hypothesis import strategies as st

import leadscore
import leadscore.analysis

from leadscore import InvalidAnswersError, reliability
from leadscore._consistency import pure_report as pure_reliability
from tests.test_reliability import keyed_instrument


def figures(report: Any) -> list[Any]:
    """Every figure of a report, scale by scale and item by item, in a fixed order (None stays None)."""
    out: list[Any] = []
    for scale in report.scales.values():
        out.extend(getattr(scale, a.name) for a in attrs.fields(type(scale)) if a.name != "items")
        for item in scale.items.values():
            out.extend(getattr(item, a.name) for a in attrs.fields(type(item)))
    return out


def same(ours: list[Any], theirs: list[Any]) -> None:
    """Equal, numbers within 1e-9 (absolute or relative), None where the other has None."""
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs, strict=True):
        if (isinstance(a, float) and isinstance(b, float)) or (isinstance(a, tuple) and a and isinstance(a[0], float)):
            assert a == pytest.approx(b, rel=1e-9, abs=1e-9)
        elif isinstance(a, tuple) and a and isinstance(a[0], tuple):
            assert [x[0] for x in a] == [x[0] for x in b]
            assert [x[1] for x in a] == pytest.approx([x[1] for x in b], rel=1e-12)
        else:
            assert a == b


@given(
    st.integers(2, 5).flatmap(
        lambda k: st.tuples(
            st.lists(
                st.lists(st.one_of(st.none(), st.integers(1, 5), st.just(0)), min_size=k, max_size=k),
                min_size=0,
                max_size=30,
            ),
            st.lists(st.booleans(), min_size=k, max_size=k),
            st.sampled_from(["pairwise", "listwise"]),
        )
    )
)
def test_the_array_engine_gives_what_the_pure_one_gives(case: tuple[list[list[int | None]], list[bool], str]) -> None:
    """On any answers (missing, not applicable, reverse keys), both engines give every figure, and the same ones."""
    rows, reversed_, missing = case
    k = len(reversed_)
    instrument = keyed_instrument({"s": [("-" if r else "") + f"Q{i}" for i, r in enumerate(reversed_)]}, 1, 5, na=0)
    answers = [{f"q{i}": v for i, v in enumerate(row)} for row in rows]

    arrays = reliability(instrument, answers, missing=missing)  # type: ignore[arg-type]
    pure = pure_reliability(instrument, answers, missing=missing)  # type: ignore[arg-type]

    same(figures(arrays), figures(pure))
    assert arrays.scales["s"].n_items == k


def test_a_long_scale_gives_the_same_figures_in_both_engines() -> None:
    """60 items, 40 respondents with blanks, one reverse key: every figure of both engines agrees (to 1e-9)."""
    ids = [f"Q{i}" for i in range(60)]
    instrument = keyed_instrument({"s": ["-" + ids[0], *ids[1:]]}, 1, 5, na=0)
    rng = random.Random(7)
    answers = [
        {i.lower(): None if rng.random() < 0.03 else min(5, max(1, level + rng.choice((-1, 0, 1)))) for i in ids}
        for level in [rng.randint(1, 5) for _ in range(40)]
    ]

    arrays = reliability(instrument, answers)
    pure = pure_reliability(instrument, answers)

    assert arrays.scales["s"].omega_total is not None
    same(figures(arrays), figures(pure))


BIG_FIVE = keyed_instrument({"a": ["A1", "-A2", "A3"], "b": ["B1", "B2"]}, 1, 6, na=9)
ROWS: list[dict[str, int | None]] = [
    {"a1": 1, "a2": 6, "a3": 2, "b1": 3, "b2": 4},
    {"a1": 4, "a2": 2, "a3": 5, "b1": None, "b2": 5},
    {"a1": 6, "a2": 9, "a3": 6, "b1": 2, "b2": 1},
    {"a1": 2, "a2": 5, "a3": None, "b1": 5, "b2": 6},
    {"a1": 3, "a2": 3, "a3": 3, "b1": 4, "b2": 4},
]


class TestFrames:
    def expected(self, **options: Any) -> list[Any]:
        """The pure engine's figures on the same answers, as mappings."""
        return figures(pure_reliability(BIG_FIVE, ROWS, **options))

    def test_a_pandas_frame_gives_what_its_answer_mappings_give(self) -> None:
        """Cells read as score_frame reads them: NaN is not answered, 9 is not applicable, "4" is 4."""
        frame = pd.DataFrame(ROWS).astype(object)
        frame.loc[0, "b2"] = " 4 "
        frame["respondent"] = ["r1", "r2", "r3", "r4", "r5"]

        same(figures(reliability(BIG_FIVE, frame, ignore=["respondent"], level=0.9)), self.expected(level=0.9))

    @pytest.mark.parametrize("kind", ["polars", "pyarrow"])
    def test_polars_and_arrow_tables_are_read_alike(self, kind: str) -> None:
        """Nulls are not answered; whole numbers are answers."""
        columns = {key: [row[key] for row in ROWS] for key in ROWS[0]}
        table = pl.DataFrame(columns) if kind == "polars" else pa.table(columns)

        same(figures(reliability(BIG_FIVE, table, missing="listwise")), self.expected(missing="listwise"))

    def test_export_headers_are_mapped_to_items(self) -> None:
        """mapping= maps an export's headers, as for score_frame."""
        frame = pd.DataFrame(ROWS).rename(columns=lambda c: f"Q[{c}]")

        mapped = reliability(BIG_FIVE, frame, mapping={f"Q[{c}]": c for c in ROWS[0]})

        same(figures(mapped), self.expected())

    def test_bad_cells_are_named_with_their_row_and_column(self) -> None:
        """Every bad cell, not the first; nothing is dropped or coerced."""
        frame = pd.DataFrame(ROWS).astype(object)
        frame.loc[1, "a1"] = 4.5
        frame.loc[3, "b2"] = "seven"

        with pytest.raises(InvalidAnswersError) as caught:
            reliability(BIG_FIVE, frame)

        found = [(p.row, p.column, p.value) for p in caught.value.problems]
        assert [(1, "a1", 4.5), (3, "b2", "seven")] == found

    def test_a_column_that_is_no_item_must_be_ignored_or_mapped(self) -> None:
        """An unknown column is named, not ignored."""
        frame = pd.DataFrame(ROWS).assign(extra=1)

        with pytest.raises(InvalidAnswersError) as caught:
            reliability(BIG_FIVE, frame)

        assert ["column 'extra' names no item; map it with mapping= or list it in ignore="] == [
            str(p) for p in caught.value.problems
        ]

    def test_a_dask_frame_is_refused_with_what_to_do(self) -> None:
        """Reliability needs every respondent at once: compute() the Dask frame first."""
        import dask.dataframe as dd  # noqa: PLC0415

        lazy = dd.from_pandas(pd.DataFrame(ROWS), npartitions=2)

        with pytest.raises(leadscore.errors.ArgumentTypeError, match=r"compute\(\) it first"):
            reliability(BIG_FIVE, lazy)

    def test_an_answer_set_given_alone_is_refused(self) -> None:
        """One mapping is not a set of answer sets (its keys would be read as rows)."""
        with pytest.raises(leadscore.errors.ArgumentTypeError, match="not one answer set"):
            reliability(BIG_FIVE, ROWS[0])


class TestWithoutNumPy:
    @pytest.fixture(autouse=True)
    def _no_array_engine(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The array engine cannot be imported, as where NumPy is not installed."""
        monkeypatch.setitem(sys.modules, "leadscore.analysis._engine", None)
        monkeypatch.delattr(leadscore.analysis, "_engine", raising=False)

    def test_answer_mappings_take_the_pure_engine(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without the array engine (no NumPy), reliability() still gives every figure from answer mappings."""
        from leadscore import _consistency  # noqa: PLC0415

        read: list[str] = []
        original = _consistency.row_moments

        def spy(rule: Any, *args: Any) -> Any:
            read.append(rule.id)
            return original(rule, *args)

        monkeypatch.setattr(_consistency, "row_moments", spy)

        same(figures(reliability(BIG_FIVE, ROWS)), figures(pure_reliability(BIG_FIVE, ROWS)))
        assert ["a", "b", "a", "b"] == read  # Both calls went through the pure engine.

    def test_a_frame_says_which_extra_it_needs(self) -> None:
        """A DataFrame without the array engine is refused with the extra to install."""
        with pytest.raises(ImportError, match=r"pip install 'leadscore\[pandas\]'"):
            reliability(BIG_FIVE, pd.DataFrame(ROWS))


def test_no_figure_is_nan_or_infinite() -> None:
    """Degenerate answers give None where a figure has no value, never NaN or an infinity."""
    rows = [{"a1": 3, "a2": 3, "a3": 3, "b1": 1}, {"a1": 3, "a2": 3, "a3": 3, "b2": 1}, {}]

    for value in figures(reliability(BIG_FIVE, rows)):
        assert not (isinstance(value, float) and not math.isfinite(value))


class TestAgainstPingouin:
    """pingouin 0.7's ``cronbach_alpha`` where it counts the same respondents as psych and leadscore."""

    def test_alpha_and_feldts_interval_agree(self) -> None:
        """
        Pairwise (pingouin's default and psych's), both take Feldt's degrees of freedom from every
        respondent: alpha agrees to 1e-12, the interval to pingouin's three decimals.

        Listwise they differ, and the docs say so: pingouin drops the incomplete rows but keeps
        their count in the degrees of freedom; psych and leadscore count the complete rows.
        """
        import pingouin  # noqa: PLC0415 - heavy; only here

        rng = random.Random(7)
        rows = [
            {f"q{i}": (None if rng.random() < 0.1 else min(5, max(1, base + rng.choice((-1, 0, 1))))) for i in range(4)}
            for base in (rng.randint(1, 5) for _ in range(300))
        ]
        instrument = keyed_instrument({"s": ["Q0", "Q1", "Q2", "Q3"]}, 1, 5)
        frame = pd.DataFrame(rows, dtype="float64")

        alpha, interval = pingouin.cronbach_alpha(frame, ci=0.95)
        ours = reliability(instrument, frame, level=0.95).scales["s"]

        assert ours.alpha == pytest.approx(alpha, abs=1e-12)
        assert ours.alpha_ci_feldt == pytest.approx(tuple(interval), abs=5e-4 + 1e-12)


class TestExclude:
    @pytest.mark.parametrize("engine", [reliability, pure_reliability], ids=["arrays", "pure"])
    def test_excluded_answer_sets_are_set_aside_and_counted(self, engine: Any) -> None:
        """Leaving rows 0 and 3 out gives the figures of the others, and the report says two were set aside."""
        report = engine(BIG_FIVE, ROWS, exclude=[0, 3])

        same(figures(report), figures(pure_reliability(BIG_FIVE, [ROWS[1], ROWS[2], ROWS[4]])))
        assert (report.n_respondents, report.excluded) == (3, (0, 3))

    def test_a_frame_excludes_by_its_index_labels(self) -> None:
        """Labels, not positions: what quality() reports as each respondent's row."""
        frame = pd.DataFrame(ROWS, index=["r1", "r2", "r3", "r4", "r5"])

        report = reliability(BIG_FIVE, frame, exclude=["r1", "r4"])

        same(figures(report), figures(pure_reliability(BIG_FIVE, [ROWS[1], ROWS[2], ROWS[4]])))
        assert report.excluded == ("r1", "r4")

    @pytest.mark.parametrize("engine", [reliability, pure_reliability], ids=["arrays", "pure"])
    def test_rows_that_are_not_there_are_named(self, engine: Any) -> None:
        """Every unknown row in one message; nothing is computed."""
        with pytest.raises(ValueError, match="exclude names rows that are not there: 'x', 7"):
            engine(BIG_FIVE, ROWS, exclude=[1, "x", 7])

    def test_text_is_not_a_collection_of_rows(self) -> None:
        """A string would be read as its characters."""
        with pytest.raises(ValueError, match="exclude must be a collection of rows"):
            reliability(BIG_FIVE, ROWS, exclude="r1")

    def test_excluded_answer_sets_are_still_validated(self) -> None:
        """Setting a row aside does not excuse a bad answer in it."""
        with pytest.raises(InvalidAnswersError):
            reliability(BIG_FIVE, [*ROWS, {"a1": 99}], exclude=[5])


class TestOmegaBootstrap:
    def rows(self, n: int = 60, seed: int = 5) -> list[dict[str, int | None]]:
        """Answers that share a factor, so omega is well defined."""
        rng = random.Random(seed)
        out: list[dict[str, int | None]] = []
        for _ in range(n):
            base = rng.randint(1, 6)
            out.append({k: min(6, max(1, base + rng.choice((-1, 0, 0, 1)))) for k in ("a1", "a2", "a3", "b1", "b2")})
        return out

    def test_the_same_seed_gives_the_same_interval(self) -> None:
        """Reproducible: the seed is in the report; another seed draws other samples."""
        one = reliability(BIG_FIVE, self.rows(), level=0.9, bootstrap=50, seed=11)
        two = reliability(BIG_FIVE, self.rows(), level=0.9, bootstrap=50, seed=11)
        other = reliability(BIG_FIVE, self.rows(), level=0.9, bootstrap=50, seed=12)

        scale = one.scales["a"]
        assert (one.bootstrap, one.seed, scale.omega_replicates) == (50, 11, 50)
        assert scale.omega_ci_bootstrap == two.scales["a"].omega_ci_bootstrap
        assert scale.omega_ci_bootstrap != other.scales["a"].omega_ci_bootstrap
        low, high = scale.omega_ci_bootstrap  # type: ignore[misc]
        assert low < high
        assert one.scales["b"].omega_ci_bootstrap is None  # Two items: no one-factor omega.

    def test_the_interval_does_not_depend_on_item_order_or_keying_direction(self) -> None:
        """The same samples of rows, items listed otherwise or one reflected with its key: the same interval."""
        rows = self.rows()
        mirrored = [{**r, "a2": 7 - r["a2"]} for r in rows]  # type: ignore[operator]
        shuffled = keyed_instrument({"a": ["A3", "A1", "-A2"], "b": ["B1", "B2"]}, 1, 6, na=9)
        reflected = keyed_instrument({"a": ["A1", "A2", "A3"], "b": ["B1", "B2"]}, 1, 6, na=9)

        base = reliability(BIG_FIVE, rows, level=0.95, bootstrap=40, seed=3).scales["a"]
        moved = reliability(shuffled, rows, level=0.95, bootstrap=40, seed=3).scales["a"]
        flipped = reliability(reflected, mirrored, level=0.95, bootstrap=40, seed=3).scales["a"]

        assert moved.omega_ci_bootstrap == pytest.approx(base.omega_ci_bootstrap, abs=1e-9)
        assert flipped.omega_ci_bootstrap == pytest.approx(base.omega_ci_bootstrap, abs=1e-9)

    def test_listwise_samples_use_the_complete_rows_of_each_sample(self) -> None:
        """Listwise, each sample's incomplete rows are dropped, as for the estimate."""
        rows = self.rows()
        rows[0] = {**rows[0], "a1": None}

        listwise = reliability(BIG_FIVE, rows, missing="listwise", level=0.95, bootstrap=30, seed=2).scales["a"]
        pairwise = reliability(BIG_FIVE, rows, level=0.95, bootstrap=30, seed=2).scales["a"]

        assert listwise.omega_replicates == 30
        assert listwise.omega_ci_bootstrap != pairwise.omega_ci_bootstrap

    def test_samples_without_an_omega_are_counted_out(self) -> None:
        """Five respondents: some samples repeat one person, whose items do not vary: no omega there."""
        rows = self.rows(5)

        scale = reliability(BIG_FIVE, rows, level=0.95, bootstrap=200, seed=1).scales["a"]

        assert 0 < scale.omega_replicates < 200

    @pytest.mark.parametrize(
        ("options", "match"),
        [
            ({"bootstrap": 1, "level": 0.95}, "bootstrap must be a whole number of samples from 2 to 1,000,000"),
            ({"bootstrap": 10**7, "level": 0.95}, "bootstrap must be a whole number of samples"),
            ({"bootstrap": 10.0, "level": 0.95}, "bootstrap must be a whole number of samples"),
            ({"bootstrap": 10, "level": 0.95, "seed": -1}, "seed must be a whole number from 0 to 2"),
            ({"bootstrap": 10, "level": 0.95, "seed": "x"}, "seed must be a whole number from 0 to 2"),
            ({"bootstrap": 10, "level": 0.95, "seed": 10**5000}, "seed must be a whole number from 0 to 2"),
            ({"bootstrap": 10}, "a bootstrap interval needs a level"),
        ],
    )
    def test_options_are_checked(self, options: dict[str, Any], match: str) -> None:
        """Before anything is read or drawn."""
        with pytest.raises(ValueError, match=match):
            reliability(BIG_FIVE, ROWS, **options)

    def test_without_numpy_a_bootstrap_names_the_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The pure engine has no bootstrap: asking for one says what to install."""
        monkeypatch.setitem(sys.modules, "leadscore.analysis._engine", None)
        monkeypatch.delattr(leadscore.analysis, "_engine", raising=False)

        with pytest.raises(ImportError, match=r"pip install 'leadscore\[analysis\]'"):
            reliability(BIG_FIVE, ROWS, level=0.95, bootstrap=10)


def test_a_correlation_of_zero_but_for_rounding_is_not_negative() -> None:
    """A case Hypothesis found: r_drop is exactly 0, one engine's covariances give -1.5e-17; neither flags the item."""
    instrument = keyed_instrument({"s": ["Q0", "Q1", "Q2"]}, 1, 5, na=0)
    rows: list[list[int | None]] = [[None, 1, None], [1, 2, 1], [None, 1, 1], [None, 2, 4], [1, 3, 1]]
    answers = [{f"q{i}": v for i, v in enumerate(row)} for row in rows]

    arrays = reliability(instrument, answers, missing="pairwise")
    pure = pure_reliability(instrument, answers, missing="pairwise")

    assert arrays.scales["s"].negatively_keyed == pure.scales["s"].negatively_keyed == ()
    assert arrays.scales["s"].items["q1"].corrected_item_total == pytest.approx(0.0, abs=1e-15)
