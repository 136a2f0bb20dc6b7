"""
How far the shown figures narrow the protected answers they do not pin (docs/privacy.md, "Limits").

Run from the repository's root with the test dependencies installed (OR-Tools):
``.venv/bin/python scripts/narrowing.py``. For the bundled example 360 (``examples/sbl-360.json``)
and twelve generated 360s (those of ``tests/test_integer_privacy.py``, seeds 100 to 111), the
attacker of ``tests/attacker.py`` (the leader, over every mean the page prints) works out every
value each protected answer can still have, and this prints how many answers are pinned (one
value left), narrowed (some values ruled out) and open (every value of the range left).
"""

from __future__ import annotations

import json
import sys

from collections import Counter
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.attacker import Attacker  # noqa: E402
from tests.test_integer_privacy import SBL, generated  # noqa: E402

import leadscore  # noqa: E402


def counts(ratings: list[leadscore.Rating], report: leadscore.FeedbackReport) -> Counter[str]:
    """Pinned, narrowed and open answers for the leader as attacker."""
    attacker = Attacker(SBL, [(ratings, report)])
    out: Counter[str] = Counter()
    items = {item.id: item for item in SBL.items}
    for (_, item_id), values in attacker.possible().items():
        width = items[item_id].response.max - items[item_id].response.min + 1
        out["pinned" if len(values) == 1 else "open" if len(values) == width else "narrowed"] += 1
    return out


def line(name: str, found: Counter[str]) -> str:
    """One line of figures."""
    total = sum(found.values())
    parts = [f"{found[k]} {k} ({found[k] / total:.1%})" for k in ("pinned", "narrowed", "open")]
    return f"{name}: {total} protected answers, " + ", ".join(parts)


def main() -> None:
    """Print the figures."""
    data = json.loads((ROOT / "examples" / "sbl-360.json").read_text(encoding="utf-8"))
    ratings = [leadscore.Rating(**entry) for entry in data["ratings"]]
    print(line("bundled example", counts(ratings, leadscore.aggregate(SBL, ratings))))
    total: Counter[str] = Counter()
    for seed in range(100, 112):
        generated_ratings = generated(seed, peers=(3, 6), reports=(3, 8))
        total += counts(generated_ratings, leadscore.aggregate(SBL, generated_ratings))
    print(line("twelve generated 360s", total))


if __name__ == "__main__":
    main()
