"""
The README's main job: the Secure Base Leadership 360 report of the bundled example, and more.

Run it with ``make demo``. It writes ``build/sbl-360-report.html`` (open it in a browser)
from the synthetic ratings in ``examples/sbl-360.json``, prints where it is, and then shows
what else leadscore does with the other (synthetic) examples.
"""

from __future__ import annotations

import csv
import json
import sys

from pathlib import Path

import leadscore

from leadscore.cli import main as leadscore_command


HERE = Path(__file__).parent
OUT = HERE.parent / "build" / "sbl-360-report.html"


def main(language: str = "en", out: Path = OUT) -> None:
    """Write the 360 report in *language* to *out*, then summarise the other examples."""
    print("Installed instruments (found through the leadscore.instruments entry point):")
    for info in leadscore.list_instruments():
        print(f"  {info.id:<36} from {info.distribution}  [{info.state}]")

    print("\n1. The Secure Base Leadership 360 of one (synthetic) leader:")
    out.parent.mkdir(parents=True, exist_ok=True)  # The report command writes into an existing folder.
    code = leadscore_command(
        ["report", "secure-base-leadership", str(HERE / "sbl-360.json"), "--out", str(out), "--lang", language]
    )
    if code:
        raise SystemExit(code)
    data = json.loads((HERE / "sbl-360.json").read_text(encoding="utf-8"))
    ratings = [leadscore.Rating(**entry) for entry in data["ratings"]]
    feedback = leadscore.aggregate("secure-base-leadership", ratings)
    overall = feedback.scales["overall"]
    self_figure, others = overall.group("self"), overall.all_others
    if self_figure is not None and others is not None:
        print(f"   overall: self {self_figure.mean:.2f}, all others {others.mean:.2f} (n={others.n_raters})")
    print(f"   privacy: {'; '.join(overall.suppressed)}")
    print(f"   report: {out.resolve()}")

    print("\n2. Reliability of connective-leadership on a (synthetic) team survey of 12:")
    with (HERE / "connective-team.csv").open(encoding="utf-8", newline="") as handle:
        rows = [
            leadscore.coerce_answers("connective-leadership", row, ignore=["respondent"])
            for row in csv.DictReader(handle)
        ]
    alphas = leadscore.reliability("connective-leadership", rows)
    for scale in list(alphas.scales.values())[:4]:
        print(
            f"   {scale.id:<24} alpha {scale.alpha:.2f} (n={scale.n_respondents})"
            if scale.alpha is not None
            else f"   {scale.id}: {scale.reason}"
        )

    print("\n3. Before and after a programme, coaching-behaviours (synthetic, ten managers):")
    pairs = json.loads((HERE / "coaching-before-after.json").read_text(encoding="utf-8"))
    before_alpha = leadscore.reliability("coaching-behaviours", pairs["before"])
    change = leadscore.change("coaching-behaviours", pairs["before"], pairs["after"], reliability=before_alpha)
    small = change.scales["small-things"]
    print(
        f"   mean change {small.mean_change:+.2f} (alpha before {small.reliability:.2f}): {small.improved} improved reliably, {small.unchanged} no reliable change, {small.declined} declined"
    )

    print("\n4. A bad answer set is refused, every problem named at once:")
    try:
        bad: dict[str, object] = {"stays-calm": 4.7, "sees-the-potential": True, "stays_calm": 3}
        leadscore.score("secure-base-leadership", bad)  # type: ignore[arg-type]
    except leadscore.InvalidAnswersError as error:
        print("   " + str(error).replace("\n", "\n   "))

    print("\n5. A file of responses as a DataFrame, scored at once (the pandas extra):")
    try:
        import pandas as pd  # noqa: PLC0415 - optional: leadscore[pandas]

        from leadscore.frames import score_frame  # noqa: PLC0415
    except ImportError:
        print('   pip install ".[pandas]" (in the checkout) to run this part')
    else:
        answers = pd.read_csv(HERE / "sbl-ratings.csv")
        scores = score_frame("secure-base-leadership", answers, keep=["respondent"], fields=["value", "band"])
        table = scores[["respondent", "overall.value", "care.value", "dare.value", "care-dare-balance.band"]]
        print("   " + table.round(2).to_string(index=False).replace("\n", "\n   "))

    print(f"\nOpen the report: {out.resolve()}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "en")
