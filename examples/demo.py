"""
The README's main job: score the bundled example answers and print the results.

Run it with ``make demo``. It reads the shipped Secure Base Leadership definition, scores a
synthetic self-assessment and a synthetic CSV export, and shows how a bad answer is refused.
"""

from __future__ import annotations

import csv
import json
import sys

from pathlib import Path
from typing import Any

import leadscore

from leadscore import Composite, CompositeScore, Instrument, Result, Scale, ScaleScore


HERE = Path(__file__).parent
LANGUAGE = sys.argv[1] if len(sys.argv) > 1 else "en"


def table(instrument: Instrument, result: Result) -> str:
    """Render a result as an aligned text table in LANGUAGE."""
    scores: tuple[Scale | Composite, ...] = (*instrument.scales, *instrument.composites)
    titles = {score.id: score.title for score in scores}
    labels = {band.id: band.label for score in scores for band in score.bands}
    results: list[ScaleScore | CompositeScore] = [*result.scales.values()]
    results.extend(result.composites.values())
    lines = []
    for score in results:
        name = titles[score.id].get(LANGUAGE, "en")
        if score.value is None:
            lines.append(f"  {name:<45} {'-':>6}   {score.reason}")
            continue
        band = f"   {labels[score.band].get(LANGUAGE, 'en')}" if score.band else ""
        lines.append(f"  {name:<45} {score.value:>6.2f}   POMP {score.pomp:5.1f}{band}")
    return "\n".join(lines)


def main() -> None:
    """Score the examples and print what came out."""
    print("Installed instruments (found through the leadscore.instruments entry point):")
    for info in leadscore.list_instruments():
        print(f"  {info.id:<36} from {info.distribution}  [{info.state}]")
    print()
    sbl = leadscore.get_instrument("secure-base-leadership")
    print(f"{sbl.title.get(LANGUAGE, 'en')} ({sbl.id} {sbl.version})")
    print(f"fingerprint {leadscore.fingerprint(sbl)}\n")

    example = json.loads((HERE / "sbl-self-assessment.json").read_text(encoding="utf-8"))
    result = leadscore.score(sbl, example["answers"])
    print("Self-assessment (synthetic, one item unanswered):")
    print(table(sbl, result))

    with (HERE / "sbl-ratings.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    answer_sets = [
        leadscore.coerce_answers(sbl, row, row_number=number, ignore=["respondent"])
        for number, row in enumerate(rows, start=2)
    ]
    print("\nCSV export (synthetic), overall and Care/Dare balance per respondent:")
    for row, scored in zip(rows, leadscore.score_many(sbl, answer_sets), strict=True):
        overall = scored.scales["overall"]
        balance = scored.composites["care-dare-balance"]
        print(
            f"  {row['respondent']}: overall {overall.value:.2f} "
            f"({overall.n_answered}/{overall.n_items} answered), "
            f"balance {balance.value if balance.value is None else round(balance.value, 2)} "
            f"[{balance.band or balance.reason}]"
        )

    print("\nA bad answer set is refused, every problem named at once:")
    try:
        bad: dict[str, Any] = {"stays-calm": 4.7, "sees-the-potential": True, "stays_calm": 3}
        leadscore.score(sbl, bad)
    except leadscore.InvalidAnswersError as error:
        print("  " + str(error).replace("\n", "\n  "))

    print("\nThe self-assessment's result as JSON (first lines):")
    print("\n".join(leadscore.to_json(result).splitlines()[:14]) + "\n  ...")


if __name__ == "__main__":
    main()
