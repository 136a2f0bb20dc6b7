"""
Benchmark: ``score_frame`` against the pandas code an analyst would write by hand, in one run.

Run with ``make bench`` (or ``python benchmarks/bench_frames.py [rows]``). On 1,000,000
synthetic Secure Base Leadership responses (9 items from 1 to 5, about 5 % missing, as a CSV
export reads: float64 columns with NaN) it prints:

- the time of ``score_frame`` (all fields, and values only) and of the hand-written pandas
  scorer (best of 3 each, three rounds alternating), after checking that both give the same
  result; then of ``score_frame`` on the same answers as text columns;
- the peak memory each allocates while scoring (by ``tracemalloc``, which sees NumPy's and
  pandas' buffers), against the size of the input frame, for the full result and for
  ``fields=("value",)``.

The hand-written scorer is the idiomatic pandas a user would write: per scale,
``frame[cols].mean(axis=1)`` after reverse keying, a count of answers for the minimum, POMP
and ``pd.cut`` for bands; composites as weighted means and differences of scale columns. It
does not validate cells (4.5 or 7 would be scored); ``score_frame`` does.
"""

from __future__ import annotations

import sys
import time
import tracemalloc

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

import leadscore

from leadscore.frames import score_frame


ROWS = 1_000_000
REPEATS = 3


def synthetic_answers(instrument: leadscore.Instrument, rows: int, missing: float = 0.05) -> pd.DataFrame:
    """Answers from 1 to 5 as float64 columns, *missing* of them NaN, as ``pd.read_csv`` gives them."""
    rng = np.random.default_rng(2026)
    columns = {}
    for item in instrument.items:
        values = rng.integers(item.response.min, item.response.max + 1, size=rows).astype("float64")
        values[rng.random(rows) < missing] = np.nan
        columns[item.id] = values
    return pd.DataFrame(columns)


def pandas_by_hand(instrument: leadscore.Instrument, frame: pd.DataFrame) -> pd.DataFrame:
    """What an analyst writes without leadscore: one pandas expression per scale and composite."""
    out = pd.DataFrame(index=frame.index)
    for scale in instrument.scales:
        response = instrument.item(scale.items[0]).response
        low, high = response.min, response.max
        answers = frame[list(scale.items)]
        if scale.reverse_keyed:
            answers = answers.assign(**{i: low + high - answers[i] for i in scale.reverse_keyed})
        answered = answers.notna().sum(axis=1)
        mean = answers.mean(axis=1).where(answered >= scale.min_answered)
        value = {"mean": mean, "sum": mean * len(scale.items), "pomp": 100 * (mean - low) / (high - low)}
        out[f"{scale.id}.value"] = value[scale.method]
        out[f"{scale.id}.n_answered"] = answered
        out[f"{scale.id}.pomp"] = 100 * (mean - low) / (high - low)
        out[f"{scale.id}.band"] = _cut(out[f"{scale.id}.value"], scale.bands)
    for composite in instrument.composites:
        parts = [out[f"{part.scale}.value"] for part in composite.parts]
        if composite.method == "difference":
            value = parts[0] - parts[1]
        else:
            weights = [part.weight for part in composite.parts]
            value = sum(p * w for p, w in zip(parts, weights, strict=True)) / sum(weights)
        bottom, top = instrument.score_range(composite.id)
        out[f"{composite.id}.value"] = value
        out[f"{composite.id}.pomp"] = 100 * (value - bottom) / (top - bottom)
        out[f"{composite.id}.band"] = _cut(value, composite.bands)
    return out


def _cut(value: pd.Series, bands: Any) -> pd.Series:
    if not bands:
        return pd.Series(pd.Categorical.from_codes(np.full(len(value), -1), categories=[]), index=value.index)
    edges = [band.lower for band in bands] + [np.inf]
    # [lower, upper) with the top band closed: the top edge is infinity, values never exceed the range.
    return pd.cut(value, edges, labels=[band.id for band in bands], right=False)


def best_of(function: Callable[[], object]) -> float:
    """The least disturbed of a few timed runs."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_bytes(function: Callable[[], object]) -> int:
    """The most memory *function* held at once beyond what was allocated before it, by tracemalloc."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    function()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak - base


def check_equal(ours: pd.DataFrame, theirs: pd.DataFrame) -> int:
    """
    Raise unless both scorers give the same bands and counts, and numbers within 1e-12.

    Return how many number columns are equal bit for bit (NaN where the other has NaN).
    """
    assert list(ours.columns) == list(theirs.columns), (list(ours.columns), list(theirs.columns))
    exact = 0
    for name in ours.columns:
        mine, other = ours[name], theirs[name]
        if name.endswith(".band"):
            assert (mine.astype(object).fillna("-") == other.astype(object).fillna("-")).all(), name
        elif name.endswith(".n_answered"):
            assert (mine.astype("int64") == other.astype("int64")).all(), name
        else:
            a, b = mine.to_numpy(float), other.to_numpy(float)
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
            exact += bool(np.array_equal(a, b, equal_nan=True))
    return exact


def main(rows: int) -> None:
    """Check both scorers agree on *rows* synthetic responses, then time them and measure their memory."""
    instrument = leadscore.get_instrument("secure-base-leadership")
    frame = synthetic_answers(instrument, rows)
    input_bytes = int(frame.memory_usage(deep=True).sum())
    ours = score_frame(instrument, frame)
    exact = check_equal(ours, pandas_by_hand(instrument, frame))
    values = score_frame(instrument, frame, fields=("value",))
    assert values.equals(ours[list(values.columns)]), "fields=('value',) must give the same values"
    mib = 1024 * 1024
    print(f"{rows:,} responses, {len(instrument.items)} items, input frame {input_bytes / mib:.0f} MiB")
    numbers = sum(not name.endswith((".band", ".n_answered")) for name in ours.columns)
    print(f"results equal in all {len(ours.columns)} columns; {exact} of {numbers} number columns bit for bit")

    runs = {
        "score_frame": lambda: score_frame(instrument, frame),
        "score_frame, values": lambda: score_frame(instrument, frame, fields=("value",)),
        "pandas by hand": lambda: pandas_by_hand(instrument, frame),
    }
    times: dict[str, list[float]] = {label: [] for label in runs}
    for _ in range(REPEATS):  # Alternate, so all see the same machine.
        for label, function in runs.items():
            times[label].append(best_of(function))
    best = {label: min(found) for label, found in times.items()}
    for label in runs:
        print(f"{label:<20} {best[label]:8.3f} s")
    ratio = best["pandas by hand"] / best["score_frame"]
    print(f"score_frame is {ratio:.1f}x as fast as pandas by hand, all fields (target 3x)")
    text = frame.astype("Int64").astype("string")  # The same answers as text, as a survey export may give them.
    assert score_frame(instrument, text).equals(ours), "text columns must give the same result"
    print(
        f"{'score_frame, text':<20} {best_of(lambda: score_frame(instrument, text)):8.3f} s  (the same answers as text)"
    )

    for label, function, result in (
        ("score_frame, all fields", lambda: score_frame(instrument, frame), ours),
        ("score_frame, values", lambda: score_frame(instrument, frame, fields=("value",)), values),
        ("pandas by hand", lambda: pandas_by_hand(instrument, frame), ours),
    ):
        peak = peak_bytes(function)
        result_bytes = int(result.memory_usage(deep=True).sum())
        print(
            f"peak {label:<24} {peak / mib:6.0f} MiB = {peak / input_bytes:4.2f}x input"
            f"  (result {result_bytes / mib:4.0f} MiB, working {(peak - result_bytes) / input_bytes:4.2f}x input)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else ROWS)
