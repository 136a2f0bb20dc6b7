"""Every public object survives pickle, copy and deepcopy unchanged, and crosses to worker processes."""

from __future__ import annotations

import copy
import multiprocessing
import pickle

from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

from hypothesis import given
from hypothesis import strategies as st

import leadscore

from leadscore import Instrument, NormSample, NormTable, Rating, Result, ScaleNorm
from leadscore.testing import check_instrument
from leadscore.testing.strategies import answers
from tests.strategies import any_instruments


ROUND_TRIPS: dict[str, Callable[[Any], Any]] = {
    "pickle": lambda obj: pickle.loads(pickle.dumps(obj)),  # noqa: S301 - bytes made here
    "copy": copy.copy,
    "deepcopy": copy.deepcopy,
}


@pytest.mark.untraced
@pytest.mark.parametrize("round_trip", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
@given(st.data())
def test_instruments_and_results_survive_pickle_and_copies(
    round_trip: Callable[[Any], Any], data: st.DataObject
) -> None:
    """A generated instrument and a result of it come back equal, with equal JSON and fingerprint."""
    instrument: Instrument = data.draw(any_instruments())
    result = leadscore.score(instrument, data.draw(answers(instrument)))

    back, result_back = round_trip(instrument), round_trip(result)

    assert instrument == back
    assert leadscore.fingerprint(instrument) == leadscore.fingerprint(back)
    assert result == result_back
    assert leadscore.to_json(result) == leadscore.to_json(result_back)
    assert result.scales == result_back.scales


def reports() -> dict[str, Any]:
    """One of every report and record type, from the shipped Secure Base Leadership instrument."""
    sbl = "secure-base-leadership"
    rows = [{"stays-calm": v, "accepts-the-individual": 6 - v, "sees-the-potential": v} for v in (1, 2, 3, 4, 5)]
    ratings = [Rating(group="peers", rater=str(i), answers=row) for i, row in enumerate(rows)]
    sample = NormSample(n=250, population="p", date="2026", source="s")
    return {
        "feedback": leadscore.aggregate(sbl, ratings),
        "reliability": leadscore.reliability(sbl, rows),
        "change": leadscore.change(sbl, rows, rows[::-1], reliability={"overall": 0.8}),
        "norms": NormTable(
            instrument_id=sbl, instrument_version="0.1.0", sample=sample, norms=[ScaleNorm(id="care", mean=3, sd=1)]
        ),
        "info": leadscore.list_instruments()[0],
        "check": check_instrument(leadscore.get_instrument(sbl), max_examples=2),
        "rating": ratings[0],
    }


@pytest.mark.parametrize("round_trip", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_every_report_survives_pickle_and_copies(round_trip: Callable[[Any], Any]) -> None:
    """360, reliability, change, norms, plugin info, the kit's report and a rating come back equal."""
    for name, report in reports().items():
        assert report == round_trip(report), name


@pytest.mark.parametrize("round_trip", ROUND_TRIPS.values(), ids=ROUND_TRIPS.keys())
def test_a_result_of_a_shipped_instrument_survives_pickle_and_copies(round_trip: Callable[[Any], Any]) -> None:
    """The property above by one example, under coverage: a result rebuilt from its rows equals the original."""
    result = leadscore.score("secure-base-leadership", {"stays-calm": 4, "signals-accessibility": 2})

    back = round_trip(result)

    assert (result, hash(result), leadscore.to_json(result)) == (back, hash(back), leadscore.to_json(back))


def test_results_cross_to_worker_processes_and_back() -> None:
    """score() in a pool of fresh worker processes returns results equal to scoring here
    (a result that could not be unpickled made Pool.map wait forever).
    """
    sets = [{"stays-calm": v, "sees-the-potential": 6 - v} for v in (1, 2, 3, 4, 5)]
    with ProcessPoolExecutor(max_workers=2, mp_context=multiprocessing.get_context("spawn")) as pool:
        got = list(pool.map(leadscore.score, ["secure-base-leadership"] * len(sets), sets, timeout=120))

    assert [leadscore.score("secure-base-leadership", answers) for answers in sets] == got
    assert all(isinstance(result, Result) for result in got)
