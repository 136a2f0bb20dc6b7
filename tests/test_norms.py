"""NormTable: exact percentiles and T-scores against a user's norm sample; no norms are shipped."""

from __future__ import annotations

import math

import pytest

from leadscore import InvalidDefinitionError, NormSample, NormTable, ScaleNorm, SmallNormSampleWarning


SAMPLE = NormSample(n=250, population="Dutch team leaders (example)", date="2026-01", source="test")


def table(*norms: ScaleNorm, n: int = 250) -> NormTable:
    """A table for secure-base-leadership over a sample of *n*."""
    return NormTable(
        instrument_id="secure-base-leadership",
        instrument_version="0.1.0",
        sample=NormSample(n=n, population="p", date="2026-01", source="s"),
        norms=norms,
    )


class TestNormTable:
    def test_parametric_percentile_and_t_score_are_exact(self) -> None:
        """From a mean and SD: the normal CDF through erf, and T = 50 + 10 z."""
        norms = table(ScaleNorm(id="overall", mean=3.5, sd=0.5))

        assert 50.0 == norms.percentile("overall", 3.5)
        assert 50 * (1 + math.erf(1 / math.sqrt(2))) == norms.percentile("overall", 4.0)
        assert 84.13447460685429 == pytest.approx(norms.percentile("overall", 4.0), abs=1e-12)
        assert 70.0 == norms.t_score("overall", 4.5)

    def test_empirical_percentile_counts_at_or_below(self) -> None:
        """From the sample's scores: the share at or below, ties included."""
        with pytest.warns(SmallNormSampleWarning, match="has only 5 people"):
            norms = table(ScaleNorm(id="overall", values=[2.0, 3.0, 3.0, 4.0, 5.0]), n=5)

        assert [0.0, 20.0, 60.0, 60.0, 80.0, 100.0] == [
            norms.percentile("overall", s) for s in (1.0, 2.0, 3.0, 3.5, 4.0, 5.0)
        ]
        assert 50 + 10 * (3.0 - 3.4) / math.sqrt(1.3) == pytest.approx(norms.t_score("overall", 3.0))

    def test_small_sample_warns(self) -> None:
        """A sample under 100 people warns that the figures are imprecise."""
        with pytest.warns(SmallNormSampleWarning, match="has only 40 people"):
            table(ScaleNorm(id="overall", mean=3.0, sd=1.0), n=40)

    def test_a_scale_resting_on_few_scores_warns(self) -> None:
        """A large sample with few scores on one scale: that scale's figures are imprecise, and it says so."""
        with pytest.warns(SmallNormSampleWarning, match="the norm of 'overall' .* rests on only 3 scores"):
            table(ScaleNorm(id="overall", values=[2.0, 3.0, 4.0]), ScaleNorm(id="care", mean=3.0, sd=1.0), n=250)

    def test_error_when_a_scale_has_more_scores_than_the_sample_has_people(self) -> None:
        """One score per person at most: more scores than people is a table that contradicts itself."""
        with pytest.raises(InvalidDefinitionError) as caught:
            table(ScaleNorm(id="overall", values=[2.0, 3.0, 4.0]), ScaleNorm(id="care", values=[1.0, 2.0]), n=2)

        assert ["norm of 'overall' has 3 scores, more than the 2 people in the sample @ $.norms[0].values"] == [
            str(p) for p in caught.value.problems
        ]

    @pytest.mark.parametrize(
        ("make", "message"),
        [
            (lambda: ScaleNorm(id="overall"), "norm of 'overall' needs a mean and sd, or values, not both @ $"),
            (
                lambda: ScaleNorm(id="overall", mean=3, sd=0),
                "sd of 'overall' must be from 1e-06 to 2**53 (got 0) @ $.sd",
            ),
            (
                lambda: ScaleNorm(id="overall", values=[3.0]),
                "values of 'overall' need at least 2 scores @ $.values",
            ),
            (
                lambda: ScaleNorm(id="overall", values=[3.0, 3.0]),
                "values of 'overall' are all equal: with no spread there is no T-score @ $.values",
            ),
            (  # Different, but their SD underflows to 0: the fuzzer's case, once a ZeroDivisionError.
                lambda: ScaleNorm(id="overall", values=[0.0, 1.1125369292536007e-308]),
                "values of 'overall' differ by too little for their SD (it rounds to 0): with no spread there is no T-score @ $.values",
            ),
            (
                lambda: table(ScaleNorm(id="overall", mean=3, sd=1), ScaleNorm(id="overall", mean=3, sd=1)),
                "scale 'overall' is normed twice @ $.norms",
            ),
            (
                lambda: table(ScaleNorm(id="overall", mean=3, sd=1), n=0),
                "sample n must be a positive integer (got 0) @ $.sample.n",
            ),
        ],
    )
    def test_error_when_a_norm_cannot_be_used(self, make: object, message: str) -> None:
        """Norms without a distribution, with a zero SD, too few scores, twice, or of nobody are refused."""
        with pytest.raises(InvalidDefinitionError) as caught:
            make()  # type: ignore[operator]

        assert [message] == [str(p) for p in caught.value.problems]

    def test_error_when_norms_are_not_a_list(self) -> None:
        """Norms are a list of ScaleNorm."""
        with pytest.raises(InvalidDefinitionError) as caught:
            NormTable(instrument_id="x", instrument_version="1.0.0", sample=SAMPLE, norms="overall")

        assert ["norms must be a tuple (got 'overall') @ $.norms"] == [str(p) for p in caught.value.problems]

    def test_error_when_sample_is_not_a_sample(self) -> None:
        """The sample must be described with NormSample."""
        with pytest.raises(InvalidDefinitionError) as caught:
            NormTable(instrument_id="x", instrument_version="1.0.0", sample="300 people", norms=[])  # type: ignore[arg-type]

        assert ["sample must be a NormSample (got '300 people') @ $.sample"] == [str(p) for p in caught.value.problems]

    def test_unknown_scale_is_a_key_error(self) -> None:
        """Asking for a scale the table does not norm is a KeyError."""
        with pytest.raises(KeyError):
            table(ScaleNorm(id="overall", mean=3, sd=1)).t_score("care", 3.0)

    def test_sample_metadata_is_kept(self) -> None:
        """The table says who its norms describe."""
        norms = NormTable(
            instrument_id="x", instrument_version="1.0.0", sample=SAMPLE, norms=[ScaleNorm(id="s", mean=1, sd=1)]
        )

        assert ("Dutch team leaders (example)", 250) == (norms.sample.population, norms.sample.n)

    def test_norms_by_scale_id(self) -> None:
        """`scales` gives the norms by scale id, in the order given, as every report gives its entries."""
        care, overall = ScaleNorm(id="care", mean=3, sd=1), ScaleNorm(id="overall", mean=3.5, sd=0.5)

        norms = table(care, overall)

        assert ["care", "overall"] == list(norms.scales)
        assert overall is norms.scales["overall"]
