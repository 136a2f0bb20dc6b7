"""leadscore.analysis.agreement(): ICCs of a rater group across a programme, against psych and pingouin."""

from __future__ import annotations

import json
import warnings

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from leadscore import InvalidAnswersError, Rating
from leadscore.analysis import agreement
from leadscore.errors import ArgumentTypeError
from tests.test_reliability import keyed_instrument


PSYCH = json.loads((Path(__file__).parent / "fixtures" / "psych_icc.json").read_text(encoding="utf-8"))
# One item per scale: a rater's answer is the scale's score.
TWO = keyed_instrument({"warmth": ["W"], "drive": ["D"]}, 1, 7)


def programme(table: list[list[int]], *, extra: bool = False) -> dict[str, list[Rating]]:
    """
    Each row a leader, each column a direct report's answer to both items, with a self-rating
    and a manager's before them (not of the group); with *extra*, a fifth report after them.
    """
    leaders = {}
    for n, row in enumerate(table):
        ratings = [Rating(group="self", rater="s", answers={"w": 1, "d": 1})]
        ratings.append(Rating(group="manager", rater="m", answers={"w": 7, "d": 2}))
        ratings += [Rating(group="direct_reports", rater=f"r{j}", answers={"w": v, "d": v}) for j, v in enumerate(row)]
        if extra:
            ratings.append(Rating(group="direct_reports", rater="late", answers={"w": 1, "d": None}))
        leaders[f"leader-{n}"] = ratings
    return leaders


class TestAgainstPsych:
    @pytest.mark.parametrize("case", ["spread", "flat"])
    def test_iccs_and_mean_squares_match_psych(self, case: str) -> None:
        """The ICC of psych 2.5.3 on 40 leaders by 4 raters: ICC1, ICC1k, ICC2, ICC2k and the mean squares, to 1e-12."""
        reference = PSYCH[case]

        scale = agreement(TWO, programme(reference["table"]), group="direct_reports").scales["warmth"]

        assert PSYCH["made_by"].startswith("psych 2.5.3")
        assert (scale.n_subjects, scale.n_raters, scale.reason) == (40, 4, None)
        ours = (scale.icc1, scale.icc1k, scale.icc2, scale.icc2k)
        theirs = tuple(reference["icc"][name] for name in ("ICC1", "ICC1k", "ICC2", "ICC2k"))
        assert ours == pytest.approx(theirs, abs=1e-12)
        ms = reference["ms"]
        assert (scale.ms_between, scale.ms_raters, scale.ms_error) == pytest.approx(
            (ms["between"], ms["raters"], ms["error"]), abs=1e-12
        )

    def test_pingouin_agrees(self) -> None:
        """Pingouin 0.7's intraclass_corr on the same table (long format): ICC(1,1), ICC(A,1), ICC(1,k), ICC(A,k)."""
        import pingouin  # noqa: PLC0415 - heavy; only here

        table = PSYCH["spread"]["table"]
        long = pd.DataFrame(
            [(n, j, v) for n, row in enumerate(table) for j, v in enumerate(row)], columns=["leader", "rater", "score"]
        )
        with warnings.catch_warnings():
            # pingouin 0.7 calls pandas in ways pandas 3.1 deprecates: its warnings, not ours.
            warnings.simplefilter("ignore")
            theirs = pingouin.intraclass_corr(long, targets="leader", raters="rater", ratings="score").set_index("Type")

        scale = agreement(TWO, programme(table), group="direct_reports").scales["warmth"]

        assert (scale.icc1, scale.icc2, scale.icc1k, scale.icc2k) == pytest.approx(
            tuple(theirs.loc[t, "ICC"] for t in ("ICC(1,1)", "ICC(A,1)", "ICC(1,k)", "ICC(A,k)")), abs=1e-12
        )


class TestTheTable:
    def test_the_first_k_ratings_with_a_score_are_used(self) -> None:
        """A fifth, later rater changes nothing; on a scale they skipped they are not counted at all."""
        table = PSYCH["spread"]["table"]

        plain = agreement(TWO, programme(table), group="direct_reports")
        extra = agreement(TWO, programme(table, extra=True), group="direct_reports", raters=4)
        default = agreement(TWO, programme(table, extra=True), group="direct_reports")

        assert extra.scales["warmth"] == plain.scales["warmth"]
        assert default.scales["warmth"].n_raters == 5  # Every leader has five with a warmth score.
        assert default.scales["drive"] == plain.scales["drive"]  # The fifth skipped drive.

    def test_leaders_with_fewer_raters_are_left_out_and_counted(self) -> None:
        """K = 4: a leader with three direct reports is not in the table."""
        table = [list(row) for row in PSYCH["spread"]["table"]]
        table[0] = table[0][:3]

        scale = agreement(TWO, programme(table), group="direct_reports", raters=4).scales["warmth"]
        fewest = agreement(TWO, programme(table), group="direct_reports").scales["warmth"]

        assert (scale.n_subjects, scale.n_raters) == (39, 4)
        assert (fewest.n_subjects, fewest.n_raters) == (40, 3)

    def test_too_few_leaders_say_why(self) -> None:
        """One leader is no table of leaders; a group nobody rated from, neither."""
        one = agreement(TWO, programme([[3, 4]]), group="direct_reports").scales["warmth"]
        peers = agreement(TWO, programme([[3, 4], [5, 6]]), group="peers").scales["warmth"]

        assert (one.icc1, one.reason) == (
            None,
            "1 leaders have 2 raters of the group with a score; at least 2 are needed",
        )
        assert (peers.n_subjects, peers.icc1) == (0, None)

    def test_identical_scores_have_no_iccs(self) -> None:
        """Nobody differs from anybody: no variance to share out, no ICC."""
        scale = agreement(TWO, programme([[4, 4], [4, 4], [4, 4]]), group="direct_reports").scales["warmth"]

        assert (scale.icc1, scale.reason) == (None, "the scores do not vary between or within leaders")

    def test_only_between_rater_variance_gives_an_icc1k_of_none(self) -> None:
        """Every leader scored alike by each rater position: MSB is 0, so ICC(1,k) has no value."""
        scale = agreement(TWO, programme([[3, 5], [3, 5], [3, 5]]), group="direct_reports").scales["warmth"]

        assert scale.ms_between == 0
        assert scale.icc1k is None
        assert scale.icc1 == pytest.approx(-1.0)


class TestRefusals:
    @pytest.mark.parametrize(
        ("options", "match"),
        [
            ({"group": ""}, "group must be a rater group"),
            ({"group": 3}, "group must be a rater group"),
            ({"group": "peers", "raters": 1}, "raters must be a whole number from 2 to 1,000,000"),
            ({"group": "peers", "raters": True}, "raters must be a whole number from 2 to 1,000,000"),
            ({"group": "peers", "raters": 10**5000}, "raters must be a whole number from 2 to 1,000,000"),
        ],
    )
    def test_options(self, options: dict[str, Any], match: str) -> None:
        """A group is a name; k is two or more."""
        with pytest.raises(ValueError, match=match):
            agreement(TWO, {}, **options)

    @pytest.mark.parametrize(
        ("given", "match"),
        [
            ([], "programme must map each leader to their ratings"),
            ({"a": "text"}, "the ratings of 'a' must be an iterable of leadscore.Rating"),
            ({"a": [{"w": 3}]}, "rating 0 of 'a' is no leadscore.Rating"),
        ],
    )
    def test_shapes(self, given: Any, match: str) -> None:
        """The programme is a mapping of leaders to their ratings."""
        with pytest.raises(ArgumentTypeError, match=match):
            agreement(TWO, given, group="peers")

    def test_an_invalid_answer_names_its_leader(self) -> None:
        """Validated as score() validates, with the leader in a note."""
        bad = {"a": [Rating(group="peers", rater="p", answers={"w": 9})]}

        with pytest.raises(InvalidAnswersError) as caught:
            agreement(TWO, bad, group="peers")

        assert "in the ratings of 'a'" in caught.value.__notes__
