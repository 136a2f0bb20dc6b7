"""
360 privacy, part 2: no protected answer pinned by an attacker who knows answers are whole numbers (issue 31).

The attacker (`tests/attacker.py`) is independent of the audit: CP-SAT over every mean the page
prints, as printed, with the self and manager ratings known and, as a colluder, one rater's own
answers. The guarantee: every answer it pins is the documented exception, a unanimous figure
(homogeneity). A fixed set of cases runs here; `make test-deep` runs many more, and two rounds.
"""

from __future__ import annotations

import random

from typing import Any

import pytest

import leadscore
import leadscore._privacy

from leadscore import Rating
from tests.attacker import Attacker, beyond_homogeneity, shown_figures


SBL = leadscore.get_instrument("secure-base-leadership")
GROUPS = ("peers", "direct_reports")


def generated(
    seed: int,
    *,
    peers: tuple[int, int] = (3, 4),
    reports: tuple[int, int] = (3, 5),
    choices: tuple[int, ...] = (3, 4, 4, 5, 5),
    blank: float = 0.1,
) -> list[Rating]:
    """A 360 of self, manager, 3 to 4 peers and 3 to 5 direct reports, answers mostly high, 10 % left blank."""
    rng = random.Random(seed)

    def answers(left_out: float) -> dict[str, int]:
        return {item.id: rng.choice(choices) for item in SBL.items if rng.random() > left_out}

    ratings = [
        Rating(group="self", rater="s", answers=answers(0)),
        Rating(group="manager", rater="m", answers=answers(0)),
    ]
    ratings += [Rating(group="peers", rater=f"p{k}", answers=answers(blank)) for k in range(rng.randint(*peers))]
    ratings += [
        Rating(group="direct_reports", rater=f"d{k}", answers=answers(blank)) for k in range(rng.randint(*reports))
    ]
    return ratings


def protected(ratings: list[Rating]) -> list[Any]:
    """The keys of the protected raters."""
    return [r.rater for r in ratings if r.group in GROUPS]


@pytest.fixture(name="audit_off")
def fixture_audit_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """The integer audit switched off: what the linear audit alone shows."""
    monkeypatch.setattr(leadscore._privacy, "_withhold_until_witnessed", lambda shown, *_: shown)


@pytest.mark.parametrize("seed", [5, 13, 21, 34])
def test_nothing_is_pinned_beyond_homogeneity(seed: int) -> None:
    """The leader and two colluding raters pin no answer but through a unanimous figure."""
    ratings = generated(seed)
    report = leadscore.aggregate(SBL, ratings)

    found = beyond_homogeneity(SBL, [(ratings, report)], colluders=protected(ratings)[::3])

    assert found == {}


def test_the_attacker_has_teeth(audit_off: None) -> None:
    """Without the integer audit, the same attacker pins answers no unanimous figure explains."""
    ratings = generated(5)
    report = leadscore.aggregate(SBL, ratings)

    found = beyond_homogeneity(SBL, [(ratings, report)])

    assert found[None] == [("d0", "signals-accessibility"), ("d1", "signals-accessibility")]


def test_the_report_objects_sd_and_rwg_bind_the_attacker() -> None:
    """
    The attacker of the report object: its SD and r_wg constraints hold for the true answers and rule out answers the page's means allow.

    A 360 with 11 or more protected raters shows the SD and r_wg of all others; the answer set
    farthest from the truth that fits every printed mean gives some of them other values.
    """
    ratings = generated(5, peers=(5, 6), reports=(6, 8))
    report = leadscore.aggregate(SBL, ratings)
    assert any(figure.sd is not None and figure.rwg is not None for _, figure in shown_figures(report))
    page = Attacker(SBL, [(ratings, report)])
    whole = Attacker(SBL, [(ratings, report)], spreads=True)

    far = page.farthest()

    assert whole.admits(whole.truth)
    assert page.admits(far)
    assert not whole.admits(far)


def test_the_report_objects_attacker_has_teeth(monkeypatch: pytest.MonkeyPatch) -> None:
    """
    SDs and r_wg pin what means alone do not; the integer audit withholds them.

    Four peers and nine direct reports who mostly gave 5, 15 % left blank: with the integer
    audit off, all others' SD of the overall scale (0.1) and of four items beside their means
    give direct report d6's answers away, which the printed means alone leave open; with it on,
    the report object pins nothing beyond a unanimous figure.
    """
    ratings = generated(26, peers=(3, 4), reports=(7, 9), choices=(4, 5, 5, 5), blank=0.15)
    safe = leadscore.aggregate(SBL, ratings)
    monkeypatch.setattr(leadscore._privacy, "_withhold_until_witnessed", lambda shown, *_: shown)
    linear = leadscore.aggregate(SBL, ratings)

    assert beyond_homogeneity(SBL, [(ratings, linear)]) == {}
    assert beyond_homogeneity(SBL, [(ratings, linear)], spreads=True) == {
        None: [
            ("d6", "delivers-a-powerful-message"),
            ("d6", "encourages-risk-taking"),
            ("d6", "focuses-on-the-positive"),
            ("d6", "inspires-through-intrinsic-motivation"),
            ("d6", "sees-the-potential"),
        ]
    }
    assert beyond_homogeneity(SBL, [(ratings, safe)], spreads=True) == {}


@pytest.mark.deep
def test_the_report_object_pins_nothing_beyond_homogeneity() -> None:
    """
    The report object's every figure (SD and r_wg too), the leader and three colluders: one round and two.

    Four generated 360s with SDs and r_wg shown (11 to 14 protected raters), and two pairs of
    rounds of the same size, round two audited with round one's release record.
    """
    for seed in range(300, 304):
        ratings = generated(seed, peers=(5, 6), reports=(6, 8))
        report = leadscore.aggregate(SBL, ratings)
        assert any(figure.sd is not None for _, figure in shown_figures(report)), seed

        found = beyond_homogeneity(SBL, [(ratings, report)], colluders=protected(ratings)[::4], spreads=True)

        assert found == {}, seed
    for seed in range(310, 312):
        before, now = two_rounds(seed, peers=(5, 6), reports=(7, 8))
        first = leadscore.aggregate(SBL, before)
        assert first.release is not None
        second = leadscore.aggregate(SBL, now, released=[first.release])
        shown = [figure for report in (first, second) for _, figure in shown_figures(report)]
        assert any(figure.sd is not None for figure in shown), seed

        found = beyond_homogeneity(SBL, [(before, first), (now, second)], colluders=protected(now)[::4], spreads=True)

        assert found == {}, seed


def two_rounds(
    seed: int, *, peers: tuple[int, int] = (3, 4), reports: tuple[int, int] = (3, 5)
) -> tuple[list[Rating], list[Rating]]:
    """A 360 (`generated`) and the same raters one round earlier, less one peer and one direct report."""
    now = generated(seed, peers=peers, reports=reports)
    late = {next(r.rater for r in now if r.group == group) for group in GROUPS}
    return [r for r in now if r.rater not in late], now


@pytest.mark.parametrize("seed", [8, 202])
def test_a_second_round_pins_nothing_beyond_homogeneity(seed: int) -> None:
    """
    Round two audited with round one's release record: the attacker over both rounds pins nothing more.

    Seed 202 is what `make test-deep` found: two peers merged with direct reports in round one;
    in round two the direct reports' unanimous 5.00 on an item, with round one's merged mean, gave
    a peer's answer to the other peer. The audit now withholds what blocks the evidence too.
    """
    before, now = two_rounds(seed)
    first = leadscore.aggregate(SBL, before)
    assert first.release is not None

    second = leadscore.aggregate(SBL, now, released=[first.release])

    assert beyond_homogeneity(SBL, [(before, first), (now, second)], colluders=protected(now)[:2]) == {}


@pytest.mark.deep
@pytest.mark.parametrize("peers", [(3, 3), (3, 6)])
def test_generated_360s_pin_nothing_beyond_homogeneity(peers: tuple[int, int]) -> None:
    """12 generated 360s each (peer groups of three, and of three to six), the leader and every colluder."""
    for seed in range(100, 112):
        ratings = generated(seed, peers=peers, reports=(3, 8))
        report = leadscore.aggregate(SBL, ratings)

        assert beyond_homogeneity(SBL, [(ratings, report)], colluders=protected(ratings)) == {}, seed


@pytest.mark.deep
def test_second_rounds_pin_nothing_beyond_homogeneity() -> None:
    """Six generated pairs of rounds, round two audited with round one's record: the leader and every colluder."""
    for seed in range(200, 206):
        before, now = two_rounds(seed)
        first = leadscore.aggregate(SBL, before)
        second = leadscore.aggregate(SBL, now, released=[first.release] if first.release else [])

        assert beyond_homogeneity(SBL, [(before, first), (now, second)], colluders=protected(now)) == {}, seed


def unanimous() -> list[Rating]:
    """Four peers who all gave 5 to the first item, and otherwise answered apart."""
    ratings = generated(3, peers=(4, 4), reports=(4, 4))
    first = SBL.items[0].id
    return [
        Rating(group=r.group, rater=r.rater, answers={**r.answers, first: 5}) if r.group == "peers" else r
        for r in ratings
    ]


def test_a_unanimous_figure_is_shown_by_default_and_pins_only_what_it_says() -> None:
    """The peers' 5.00 says each peer gave 5 (the exception, shown); nothing else is pinned."""
    ratings = unanimous()
    report = leadscore.aggregate(SBL, ratings)

    attacker = Attacker(SBL, [(ratings, report)])
    pinned = attacker.pinned()
    possible = attacker.possible()  # Every value each answer can still have (scripts/narrowing.py counts them).

    first = SBL.items[0].id
    assert set(pinned) == {key for key, values in possible.items() if len(values) == 1}
    assert all(possible[r.rater, first] == {5} for r in ratings if r.group == "peers")
    assert any(len(values) > 1 for values in possible.values())
    peers = report.items[first].group("peers")
    assert peers is not None
    assert peers.mean == 5.0
    assert {(r.rater, first) for r in ratings if r.group == "peers"} <= set(pinned)
    assert beyond_homogeneity(SBL, [(ratings, report)]) == {}


def test_homogeneous_withhold_pins_nothing_at_all() -> None:
    """homogeneous="withhold": the unanimous figures go too, and the attacker pins no answer at all."""
    ratings = unanimous()

    report = leadscore.aggregate(SBL, ratings, homogeneous="withhold")

    first = SBL.items[0].id
    assert report.items[first].group("peers") is None
    assert "peers" in report.items[first].withheld
    assert Attacker(SBL, [(ratings, report)]).pinned() == []
