"""
Benchmark: leadscore against a hand-written scorer doing the same work, in one run.

Run with ``make bench``. Prints, for the shipped 9-item Secure Base Leadership instrument
(9 trait scales, an overall scale, three composites: 13 scores):

- ``score()`` per response against a hand-written dict-based scorer with the same
  validation (unknown ids, exact ``int`` type, range) and arithmetic (``math.fsum`` means,
  minimum answered, POMP, bands, weighted-mean and difference composites);
- ``score_many`` over 100,000 responses against the hand-written scorer in a loop;
- the import time of ``leadscore`` on top of attrs, cattrs and importlib-metadata, by
  ``-X importtime`` (cumulative times of the top-level imports, best of 15 runs, alternating).

Each figure is the best of several repeats (the least disturbed run); the ratio is what
matters, as both sides run on the same machine in the same process.
"""

from __future__ import annotations

import compileall
import math
import random
import subprocess
import sys
import timeit

from bisect import bisect_right
from importlib import resources
from pathlib import Path
from typing import Any

import leadscore


SBL_PATH = Path(str(resources.files("leadscore") / "instruments" / "secure_base_leadership.toml"))
REPEATS = 7


def hand_written_scorer(instrument: leadscore.Instrument) -> Any:
    """Return a scorer for *instrument* written the way an app developer would, with dicts."""
    items = {item.id: (item.response.min, item.response.max) for item in instrument.items}
    scales = [
        (s.id, s.items, set(s.reverse_keyed), s.min_answered, s.bands, items[s.items[0]]) for s in instrument.scales
    ]
    composites = [(c.id, c.method, c.parts, c.bands, instrument.score_range(c.id)) for c in instrument.composites]

    def band_of(value: float, bands: Any) -> str | None:
        if not bands:
            return None
        lowers = [b.lower for b in bands]
        return str(bands[max(bisect_right(lowers, value) - 1, 0)].id)

    def score(answers: dict[str, Any]) -> dict[str, Any]:
        errors = []
        for key, value in answers.items():
            if key not in items:
                errors.append(f"unknown item {key!r}")
            elif value is not None and (type(value) is not int or not items[key][0] <= value <= items[key][1]):
                errors.append(f"{key!r} out of range (got {value!r})")
        if errors:
            raise ValueError(errors)
        out: dict[str, Any] = {}
        values: dict[str, float | None] = {}
        for scale_id, members, reversed_, minimum, bands, (low, high) in scales:
            keyed = []
            for item_id in members:
                value = answers.get(item_id)
                if value is not None:
                    keyed.append(low + high - value if item_id in reversed_ else value)
            if len(keyed) < minimum:
                values[scale_id] = None
                out[scale_id] = (None, len(keyed), len(members), None, None, "too few answers")
                continue
            mean: float = math.fsum(keyed) / len(keyed)
            values[scale_id] = mean
            out[scale_id] = (
                mean,
                len(keyed),
                len(members),
                100 * (mean - low) / (high - low),
                band_of(mean, bands),
                None,
            )
        for composite_id, method, parts, bands, (bottom, top) in composites:
            part_values: list[Any] = [values[p.scale] for p in parts]
            if None in part_values:
                values[composite_id] = None
                out[composite_id] = (None, None, None, "missing part")
                continue
            if method == "difference":
                value = part_values[0] - part_values[1]
            else:
                value = math.fsum(p.weight * v for p, v in zip(parts, part_values, strict=True)) / math.fsum(
                    p.weight for p in parts
                )
            values[composite_id] = value
            out[composite_id] = (
                value,
                100 * (value - bottom) / (top - bottom),
                band_of(value, bands),
                None,
            )
        return out

    return score


def responses(instrument: leadscore.Instrument, count: int, seed: int = 7) -> list[dict[str, int | None]]:
    """Synthetic answer sets with about 5 % of answers missing."""
    rng = random.Random(seed)
    ids = [item.id for item in instrument.items]
    return [{i: None if rng.random() < 0.05 else rng.randint(1, 5) for i in ids} for _ in range(count)]


def best_per_call(func: Any, args: list[Any], number: int) -> float:
    """Best time per call, in microseconds, over REPEATS runs of *number* calls."""
    timer = timeit.Timer(lambda: [func(a) for a in args])
    runs = timer.repeat(repeat=REPEATS, number=max(1, number // len(args)))
    return min(runs) / (max(1, number // len(args)) * len(args)) * 1e6


def _imported_ms(statement: str) -> float:
    """Milliseconds *statement* spends importing: the cumulative -X importtime of its top-level imports."""
    log = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", statement], capture_output=True, text=True, check=True
    ).stderr
    total = 0
    for line in log.splitlines():
        parts = line.split("|")
        # Top-level imports are the lines whose name is indented by exactly one space.
        if (
            len(parts) == 3
            and parts[2].startswith(" ")
            and not parts[2].startswith("  ")
            and parts[1].strip().isdigit()
        ):
            total += int(parts[1])
    return total / 1000


def import_times(baseline: str, statement: str, runs: int = 15) -> tuple[float, float]:
    """Best import times of *baseline* and *statement*, measured in alternation so load affects both alike.

    leadscore's bytecode is compiled first: with PYTHONDONTWRITEBYTECODE set, a module edited
    since its last compilation would be compiled on every import (once, here, that doubled
    the model's import time).
    """
    compileall.compile_dir(str(Path(leadscore.__file__).parent), quiet=1)
    pairs = [(_imported_ms(baseline), _imported_ms(statement)) for _ in range(runs)]
    return min(p[0] for p in pairs), min(p[1] for p in pairs)


def main() -> None:
    """Run every comparison and print the figures."""
    sbl = leadscore.load_instrument(SBL_PATH)
    hand = hand_written_scorer(sbl)
    sample = responses(sbl, 1_000)
    for answers in sample[:50]:  # Both scorers agree before they are timed.
        ours = leadscore.score(sbl, answers).values()
        theirs = {k: v[0] for k, v in hand(answers).items()}
        assert ours == theirs, (ours, theirs)

    ours_us = best_per_call(lambda a: leadscore.score(sbl, a), sample, 20_000)
    hand_us = best_per_call(hand, sample, 20_000)
    print(
        f"score(), 9 items, 13 scores:     leadscore {ours_us:6.2f} µs   hand-written {hand_us:6.2f} µs   ratio {ours_us / hand_us:.2f}"
    )

    big = responses(sbl, 100_000, seed=11)
    many = min(timeit.repeat(lambda: list(leadscore.score_many(sbl, big)), repeat=3, number=1))
    loop = min(timeit.repeat(lambda: [hand(a) for a in big], repeat=3, number=1))
    print(
        f"score_many, 100,000 responses:   leadscore {many:6.2f} s    hand-written {loop:6.2f} s    ratio {many / loop:.2f}"
    )

    deps, ours_import = import_times(
        "import attrs, cattrs, importlib_metadata", "import attrs, cattrs, importlib_metadata, leadscore"
    )
    print(
        f"import time (-X importtime):      with leadscore {ours_import:6.1f} ms  attrs+cattrs+importlib-metadata alone {deps:6.1f} ms"
        f"   leadscore adds {ours_import - deps:+.1f} ms"
    )


if __name__ == "__main__":
    main()
