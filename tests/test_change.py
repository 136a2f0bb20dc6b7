"""change(): before/after differences and the Reliable Change Index, against hand computation."""

from __future__ import annotations

import math

from fractions import Fraction

import pytest

from hypothesis import given
from hypothesis import strategies as st

import leadscore

from leadscore import InvalidAnswersError, change, reliability
from leadscore.testing._invariants import exact_scores
from leadscore.testing.strategies import answers


ITEMS = [
    "stays-calm",
    "accepts-the-individual",
    "sees-the-potential",
    "uses-listening-and-inquiry",
    "delivers-a-powerful-message",
    "focuses-on-the-positive",
    "encourages-risk-taking",
    "inspires-through-intrinsic-motivation",
    "signals-accessibility",
]


def everyone(value: int) -> dict[str, int | None]:
    """The same answer on every Secure Base Leadership item."""
    return dict.fromkeys(ITEMS, value)


class TestChange:
    def test_rci_follows_jacobson_and_truax(self) -> None:
        """RCI = (after - before) / (sqrt 2 * SD * sqrt(1 - r)), classified at 1.96."""
        before = [everyone(2), everyone(3), everyone(4)]
        after = [everyone(4), everyone(3), everyone(3)]

        overall = change("secure-base-leadership", before, after, reliability={"overall": 0.84}).scales["overall"]

        se = math.sqrt(2) * 1.0 * math.sqrt(1 - 0.84)  # SD of 2, 3, 4 is 1.
        assert 1.0 == overall.sd_before
        assert se == pytest.approx(overall.se_difference)
        assert [2 / se, 0.0, -1 / se] == pytest.approx([p.rci for p in overall.people])
        assert ["improved", "no reliable change", "no reliable change"] == [p.classification for p in overall.people]
        assert (1, 2, 0) == (overall.improved, overall.unchanged, overall.declined)
        assert (3, 3.0, 10 / 3) == (overall.n_respondents, overall.mean_before, overall.mean_after)
        assert 1 / 3 == pytest.approx(overall.mean_change)

    def test_one_person_needs_a_given_sd(self) -> None:
        """A single person has no SD of their own; with sd= the RCI is computed."""
        without = change("secure-base-leadership", [everyone(2)], [everyone(5)], reliability={"overall": 0.9}).scales[
            "overall"
        ]
        given = change(
            "secure-base-leadership", [everyone(2)], [everyone(5)], reliability={"overall": 0.9}, sd={"overall": 0.8}
        ).scales["overall"]

        assert without.people[0].rci is None
        assert "no SD of before scores" in without.reason  # type: ignore[operator]
        assert 3 / (math.sqrt(2) * 0.8 * math.sqrt(0.1)) == pytest.approx(given.people[0].rci)
        assert "declined" != given.people[0].classification

    def test_a_reliable_decline_is_counted(self) -> None:
        """An RCI below minus the criterion is a reliable decline."""
        report = change(
            "secure-base-leadership", [everyone(5)], [everyone(1)], reliability={"overall": 0.9}, sd={"overall": 0.5}
        )

        assert ("declined", 1) == (report.scales["overall"].people[0].classification, report.scales["overall"].declined)

    def test_without_reliability_differences_only(self) -> None:
        """Scales without a reliability get differences, and say why there is no RCI."""
        report = change("secure-base-leadership", [everyone(2), everyone(4)], [everyone(3), everyone(1)])
        calm = report.scales["stays-calm"]

        assert [1.0, -3.0] == [p.difference for p in calm.people]
        assert (None, None, "no reliability given for this scale") == (
            calm.improved,
            calm.people[0].classification,
            calm.reason,
        )

    def test_missing_scores_are_left_out_of_the_group(self) -> None:
        """A person without a before or after score has no difference and is not counted."""
        report = change(
            "secure-base-leadership",
            [everyone(2), {}],
            [everyone(3), everyone(3)],
            reliability={"stays-calm": 0.5},
            sd={"stays-calm": 1.0},
        )
        calm = report.scales["stays-calm"]

        assert 1 == calm.n_respondents
        assert (None, None) == (calm.people[1].difference, calm.people[1].classification)
        assert (0, 1, 0) == (calm.improved, calm.unchanged, calm.declined)

    def test_a_negative_alpha_in_a_report_gives_no_rci(self) -> None:
        """A ReliabilityReport's negative alpha is no reliability: that scale gets differences only."""
        rows = [dict(zip(ITEMS, [v, 6 - v, v, 6 - v, v, 6 - v, v, 6 - v, v], strict=True)) for v in (1, 2, 4, 5)]
        alphas = reliability("secure-base-leadership", rows)

        overall = change("secure-base-leadership", rows, rows, reliability=alphas).scales["overall"]

        assert alphas.scales["overall"].alpha < 0  # type: ignore[operator]
        assert (None, "no reliability given for this scale") == (overall.reliability, overall.reason)

    def test_reliability_report_can_be_passed(self) -> None:
        """A ReliabilityReport supplies alpha for its multi-item scales."""
        rows = [
            dict(zip(ITEMS, [v, v, v, v, v, v, v, w, w], strict=True))
            for v, w in [(1, 2), (2, 2), (3, 4), (4, 5), (5, 5)]
        ]
        alphas = reliability("secure-base-leadership", rows)

        report = change("secure-base-leadership", rows, rows, reliability=alphas)

        assert alphas.scales["overall"].alpha == report.scales["overall"].reliability
        assert report.scales["stays-calm"].reliability is None
        assert 0 == report.scales["overall"].improved

    @pytest.mark.parametrize(
        ("kwargs", "message"),
        [
            ({"after": []}, "before has 1 answer sets and after 0; they must pair up"),
            (
                {"reliability": {"overall": 1.0}},
                "reliability of 'overall' must be from 0 up to 1, 1 excluded (got 1.0)",
            ),
            ({"sd": {"overall": 0}}, "sd of 'overall' must be a positive number (got 0)"),
            ({"criterion": -1}, "criterion must be a positive number (got -1)"),
        ],
    )
    def test_error_when_arguments_are_wrong(self, kwargs: dict[str, object], message: str) -> None:
        """Mismatched lists and impossible statistics are refused, each with its reason."""
        arguments: dict[str, object] = {"before": [everyone(2)], "after": [everyone(3)], **kwargs}

        with pytest.raises(ValueError, match=r"must") as caught:
            change("secure-base-leadership", **arguments)  # type: ignore[arg-type]

        assert message == str(caught.value)


def test_sd_must_be_a_mapping() -> None:
    """SDs are given per scale: a list is refused with what it got."""
    with pytest.raises(TypeError, match=r"sd must be a mapping of scale id to SD, or None \(got \[1\.0\]\)"):
        change("secure-base-leadership", [], [], sd=[1.0])  # type: ignore[arg-type]


class TestPairingById:
    def test_pairs_are_made_by_respondent_id_whatever_the_order(self) -> None:
        """Shuffled after answers pair by id; ids on one side only are listed, not scored."""
        before = {"ann": everyone(2), "bob": everyone(3), "cas": everyone(4), "dee": everyone(1)}
        after = {"cas": everyone(3), "eve": everyone(5), "ann": everyone(4), "bob": everyone(3)}

        report = change("secure-base-leadership", before, after, reliability={"overall": 0.84}, pair="id")
        by_position = change(
            "secure-base-leadership",
            [everyone(2), everyone(3), everyone(4)],
            [everyone(4), everyone(3), everyone(3)],
            reliability={"overall": 0.84},
        )

        overall = report.scales["overall"]
        assert ["ann", "bob", "cas"] == [p.respondent for p in overall.people]
        assert [p.rci for p in by_position.scales["overall"].people] == [p.rci for p in overall.people]
        assert (report.pair, report.unpaired_before, report.unpaired_after) == ("id", ("dee",), ("eve",))
        assert (by_position.pair, by_position.scales["overall"].people[0].respondent) == ("position", None)

    def test_shares_of_improved_stayed_and_declined(self) -> None:
        """Each share is its count over the people with an RCI; without an RCI there are no shares."""
        before = [everyone(2), everyone(3), everyone(4), everyone(5)]
        after = [everyone(5), everyone(3), everyone(4), everyone(1)]

        report = change("secure-base-leadership", before, after, reliability={"overall": 0.9})
        overall, calm = report.scales["overall"], report.scales["stays-calm"]

        assert (overall.improved, overall.unchanged, overall.declined) == (1, 2, 1)
        assert (overall.share_improved, overall.share_unchanged, overall.share_declined) == (0.25, 0.5, 0.25)
        assert (calm.share_improved, calm.share_unchanged, calm.share_declined) == (None, None, None)

    def test_an_invalid_answer_set_names_its_respondent(self) -> None:
        """The error carries the respondent id."""
        with pytest.raises(InvalidAnswersError) as caught:
            change("secure-base-leadership", {"ann": {"stays-calm": 9}}, {"ann": everyone(3)}, pair="id")

        assert "respondent 'ann'" in caught.value.__notes__

    def test_lists_cannot_pair_by_id(self) -> None:
        """Pairing by id needs mappings of respondent id to answers."""
        with pytest.raises(TypeError, match="before must map respondent ids to answers when pairing by id"):
            change("secure-base-leadership", [everyone(3)], {"ann": everyone(3)}, pair="id")

    def test_pair_is_one_of_two_choices(self) -> None:
        """Anything else is refused with what it got."""
        with pytest.raises(ValueError, match="pair must be 'position' or 'id' \\(got 'name'\\)"):
            change("secure-base-leadership", [], [], pair="name")  # type: ignore[arg-type]


class TestChangeRefuses:
    """Two refusals the fuzzers of tests/adversarial find by volume, here once each by example."""

    def test_an_invalid_answer_set_paired_by_position_names_no_respondent(self) -> None:
        """Paired by position there is no respondent id to add: the error is scoring's own."""
        with pytest.raises(InvalidAnswersError) as raised:
            change("secure-base-leadership", [everyone(6)], [everyone(3)])

        assert not any("respondent" in note for note in getattr(raised.value, "__notes__", []))

    def test_reliability_of_another_type_is_refused_with_what_it_got(self) -> None:
        """Reliability must be a mapping, a ReliabilityReport or None; a list is named."""
        with pytest.raises(TypeError, match=r"reliability must be a mapping .*\(got \[0\.8\]\)"):
            change("secure-base-leadership", [everyone(2)], [everyone(3)], reliability=[0.8])  # type: ignore[arg-type]


SBL = leadscore.get_instrument("secure-base-leadership")


@given(st.lists(st.tuples(answers(SBL), answers(SBL)), min_size=2, max_size=6))
def test_differences_and_means_are_exact_then_rounded_once(people: list[tuple[dict[str, int], dict[str, int]]]) -> None:
    """
    Each difference, mean and mean change is its exact value from the exact scores, rounded once;
    the SD of the before scores is the root of their exact variance.

    Before issue 29 a difference was one rounded score minus another (a third rounding).
    """
    report = change(SBL, [b for b, _ in people], [a for _, a in people])

    for scale in SBL.scales:
        pairs = [(exact_scores(SBL, b)[scale.id], exact_scores(SBL, a)[scale.id]) for b, a in people]
        got = report.scales[scale.id]
        for person, (b, a) in zip(got.people, pairs, strict=True):
            assert person.difference == (None if a is None or b is None else float(a - b))
        complete = [(b, a) for b, a in pairs if b is not None and a is not None]
        if not complete:
            assert (got.mean_before, got.mean_after, got.mean_change) == (None, None, None)
            continue
        n = len(complete)
        assert got.mean_before == float(sum((b for b, _ in complete), Fraction(0)) / n)
        assert got.mean_after == float(sum((a for _, a in complete), Fraction(0)) / n)
        assert got.mean_change == float(sum((a - b for b, a in complete), Fraction(0)) / n)
        if n > 1:
            mean = sum((b for b, _ in complete), Fraction(0)) / n
            assert got.sd_before == math.sqrt(sum((b - mean) ** 2 for b, _ in complete) / (n - 1))
