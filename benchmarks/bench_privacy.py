"""
Benchmark: the disclosure audit of a 360 report of 50 items and 30 raters.

Run with ``make bench``. Ten scales of five items, thirty raters (self, manager, ten peers,
ten direct reports, eight others), answers left out at random at 0 %, 2 % and 5 %. Prints,
best of five runs each, `aggregate` as a whole, audit and withholding included, against
`aggregate` with the audit switched off (the size rules alone) in the same run, and how
many figures the audit withheld.
"""

from __future__ import annotations

import random
import timeit

from typing import Any
from unittest import mock

import leadscore
import leadscore._aggregate

from leadscore import Instrument, Item, Rating, ResponseScale, Scale, Source


TEXT = {"en": "t", "nl": "t"}
REPEATS = 5


def case(missing: float, seed: int = 1) -> tuple[Instrument, list[Rating]]:
    """The instrument and ratings of one benchmark case."""
    rng = random.Random(seed)
    response = ResponseScale(min=1, max=5)
    items = [Item(id=f"i{k}", text=TEXT, response=response, source=Source(document="bench")) for k in range(50)]
    scales = [
        Scale(id=f"s{k}", title=TEXT, items=[f"i{j}" for j in range(k * 5, k * 5 + 5)], min_answered=3)
        for k in range(10)
    ]
    instrument = Instrument(id="bench", version="1.0.0", title=TEXT, items=items, scales=scales)
    groups = ["self", "manager"] + ["peers"] * 10 + ["direct_reports"] * 10 + ["others"] * 8
    ratings = [
        Rating(
            group=group,
            rater=f"r{n}",
            answers={f"i{k}": rng.randint(1, 5) for k in range(50) if rng.random() >= missing},
        )
        for n, group in enumerate(groups)
    ]
    return instrument, ratings


def best(call: Any) -> float:
    """The best of REPEATS single runs, in seconds."""
    return min(timeit.repeat(call, number=1, repeat=REPEATS))


def main() -> None:
    """Print the figures."""
    for missing in (0.0, 0.02, 0.05):
        instrument, ratings = case(missing)
        report = leadscore.aggregate(instrument, ratings)
        withheld = sum(len(f.withheld) for c in (report.items, report.scales) for f in c.values())
        audited = best(lambda instrument=instrument, ratings=ratings: leadscore.aggregate(instrument, ratings))
        # The baseline: the audit switched off, the size rules alone.
        with mock.patch.object(leadscore._aggregate, "audit", return_value=(set(), set())):  # noqa: SLF001
            plain = best(lambda instrument=instrument, ratings=ratings: leadscore.aggregate(instrument, ratings))
        print(
            f"50 items x 30 raters, {missing:.0%} missing: aggregate {audited * 1000:7.1f} ms "
            f"(size rules alone {plain * 1000:6.1f} ms), {withheld} figures withheld"
        )


if __name__ == "__main__":
    main()
