"""
Benchmark: the disclosure audits of a 360 report, and how their cost grows.

Run with ``make bench``. The base case is 50 items and 30 raters: ten scales of five items;
self, manager, ten peers, ten direct reports, eight others; answers 1 to 5 at random, left out
at random at 0 %, 2 % and 5 %. The growth curve doubles the items (100, then 150) and the
raters (60: twenty peers, twenty direct reports, eighteen others) at 2 % and 5 %. Each line
prints `aggregate` with both audits (the default), with the linear audit alone (the integer
audit switched off) and with the size rules alone (both switched off), in the same run, and
how many means and SDs both audits withheld, and the linear audit alone. The last lines time `aggregate` over 500, 1,000
and 2,000 one-item scales with ten raters, no blanks: it should grow in step with the scales.

Times are the best of three runs below 3 s, else one run.
"""

from __future__ import annotations

import random
import time
import timeit

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import leadscore
import leadscore._aggregate
import leadscore._privacy

from leadscore import Instrument, Item, Rating, ResponseScale, Scale, Source


TEXT = {"en": "t", "nl": "t"}


def case(missing: float, seed: int = 1, *, items: int = 50, raters: int = 30) -> tuple[Instrument, list[Rating]]:
    """The instrument and ratings of one case: *items* in scales of five, *raters* in five groups."""
    rng = random.Random(seed)
    response = ResponseScale(min=1, max=5)
    questions = [Item(id=f"i{k}", text=TEXT, response=response, source=Source(document="bench")) for k in range(items)]
    scales = [
        Scale(id=f"s{k}", title=TEXT, items=[f"i{j}" for j in range(k * 5, k * 5 + 5)], min_answered=3)
        for k in range(items // 5)
    ]
    instrument = Instrument(id="bench", version="1.0.0", title=TEXT, items=questions, scales=scales)
    third = raters // 3
    groups = (
        ["self", "manager"] + ["peers"] * third + ["direct_reports"] * third + ["others"] * (raters - 2 - 2 * third)
    )
    ratings = [
        Rating(
            group=group,
            rater=f"r{n}",
            answers={f"i{k}": rng.randint(1, 5) for k in range(items) if rng.random() >= missing},
        )
        for n, group in enumerate(groups)
    ]
    return instrument, ratings


def one_item_scales(count: int, seed: int = 1) -> tuple[Instrument, list[Rating]]:
    """*count* one-item scales, self, manager, four peers and four direct reports, every item answered."""
    rng = random.Random(seed)
    response = ResponseScale(min=1, max=5)
    items = [Item(id=f"i{k}", text=TEXT, response=response, source=Source(document="bench")) for k in range(count)]
    scales = [Scale(id=f"s{k}", title=TEXT, items=[f"i{k}"], min_answered=1) for k in range(count)]
    instrument = Instrument(id="bench", version="1.0.0", title=TEXT, items=items, scales=scales)
    groups = ["self", "manager"] + ["peers"] * 4 + ["direct_reports"] * 4
    ratings = [
        Rating(group=group, rater=f"r{n}", answers={f"i{k}": rng.randint(1, 5) for k in range(count)})
        for n, group in enumerate(groups)
    ]
    return instrument, ratings


@contextmanager
def audits(which: str) -> Iterator[None]:
    """Both audits ("both"), the linear one alone ("linear"), or neither ("none")."""
    if which == "both":
        yield
    elif which == "linear":
        with mock.patch.object(leadscore._privacy, "_withhold_until_witnessed", lambda shown, *_: shown):  # noqa: SLF001
            yield
    else:
        with mock.patch.object(leadscore._aggregate, "audit", return_value=(set(), set())):  # noqa: SLF001
            yield


def timed(call: Any) -> float:
    """The best of three runs if one takes under 3 s, else that one run, in seconds."""
    start = time.perf_counter()
    call()
    first = time.perf_counter() - start
    if first >= 3:
        return first
    return min(first, *timeit.repeat(call, number=1, repeat=2))


def withheld(report: leadscore.FeedbackReport) -> tuple[int, int]:
    """How many group means, and how many SDs beside a shown mean, the report withholds."""
    figures = [f for c in (report.items, report.scales) for f in c.values()]
    sds = sum(1 for f in figures for note in f.notes if note.code == "spread-withheld")
    return sum(len(f.withheld) for f in figures), sds


def main() -> None:
    """Print the figures."""
    shapes = [(50, 30, m) for m in (0.0, 0.02, 0.05)]
    shapes += [(items, raters, m) for items, raters in ((100, 30), (150, 30), (50, 60)) for m in (0.02, 0.05)]
    for items, raters, missing in shapes:
        instrument, ratings = case(missing, items=items, raters=raters)
        means, sds = withheld(leadscore.aggregate(instrument, ratings))
        with audits("linear"):
            linear_means, linear_sds = withheld(leadscore.aggregate(instrument, ratings))
        line = []
        for which in ("both", "linear", "none"):
            with audits(which):
                line.append(
                    timed(lambda instrument=instrument, ratings=ratings: leadscore.aggregate(instrument, ratings))
                )
        print(
            f"{items:3d} items x {raters} raters, {missing:.0%} missing: both audits {line[0]:6.2f} s, "
            f"linear alone {line[1]:6.2f} s, size rules alone {line[2]:5.2f} s; "
            f"{means} means and {sds} SDs withheld (linear alone {linear_means} and {linear_sds})"
        )
    for count in (500, 1000, 2000):
        instrument, ratings = one_item_scales(count)
        seconds = timed(lambda instrument=instrument, ratings=ratings: leadscore.aggregate(instrument, ratings))
        print(
            f"{count:4d} one-item scales, 10 raters: aggregate {seconds:6.2f} s ({seconds / count * 1000:.2f} ms a scale)"
        )


if __name__ == "__main__":
    main()
