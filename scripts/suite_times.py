"""
Where the test suite's time goes, from pytest's JUnit XML: by area, by file and by test.

    .venv/bin/pytest -n auto --cov --junitxml=/tmp/after.xml
    .venv/bin/python scripts/suite_times.py /tmp/after.xml [/tmp/before.xml] [--tests 20]

Prints Markdown tables (the ones in docs/testing.md). Times are each test's own, summed: on
two cores a tier's wall time is about half the total, plus collection and start-up. With a
second file, a column for it follows, so a change can say what it adds, in seconds.
"""

from __future__ import annotations

import argparse
import collections
import sys
import xml.etree.ElementTree as ET

from pathlib import Path


# Each test file's area: the budget table of docs/testing.md. A file not listed is "other".
AREAS = {
    "core": [
        "test_model",
        "test_scoring",
        "test_invariants",
        "test_serialization",
        "test_registry",
        "test_definitions",
        "test_errors",
        "test_pickle",
        "test_views",
        "test_tabular",
        "test_instruments",
        "test_package",
        "test_tiers",
        "test_install",
        "test_catalogues",
        "test_codegen",
        "test_stats",
        "test_demo",
        "test_fuzz_scoring",
        "test_fuzz_definitions",
        "test_bounds",
    ],
    "readers": [
        "test_readers",
        "test_readers_edges",
        "test_readers_dask",
        "test_fuzz_readers",
        "test_cli",
        "test_cli_files",
        "test_cli_fast",
        "test_cli_exports",
        "test_fuzz_cli",
    ],
    "reports": ["test_report", "test_report_browser", "test_report_shape", "test_analysis_report"],
    "surveys": ["test_surveys", "test_surveys_browser", "test_cli_surveys"],
    "privacy": ["test_privacy", "test_disclosure", "test_aggregate", "test_agreement"],
    "compile": ["test_compile", "test_frames", "test_frames_dask", "test_frames_kinds", "test_spark_recipe"],
    "analysis": [
        "test_reliability",
        "test_quality",
        "test_analysis",
        "test_norms",
        "test_change",
        "test_fuzz_analysis",
    ],
    "kit": ["test_testing", "test_testing_defects", "test_instrument"],
}
AREA_OF = {name: area for area, names in AREAS.items() for name in names}


def read(path: Path) -> dict[str, float]:
    """Each test's time in seconds, keyed by module and test name."""
    times: dict[str, float] = {}
    for case in ET.parse(path).iter("testcase"):  # noqa: S314 - see above
        times[f"{case.get('classname')}::{case.get('name')}"] = float(case.get("time") or 0)
    return times


def module(test: str) -> str:
    """The test file's name, without its package or class."""
    parts = test.split("::", maxsplit=1)[0].split(".")
    return next(part for part in reversed(parts) if part.startswith("test_"))


def totals(times: dict[str, float], key: str) -> collections.Counter[str]:
    """Seconds summed by area or by file."""
    summed: collections.Counter[str] = collections.Counter()
    for test, seconds in times.items():
        name = module(test)
        summed[AREA_OF.get(name, "other") if key == "area" else name] += seconds
    return summed


def table(title: str, runs: list[collections.Counter[str]], labels: list[str], rows: int | None = None) -> str:
    """A Markdown table of *runs* side by side, largest first in the first run."""
    header = f"| {title} | " + " | ".join(labels) + " |\n|---|" + "---:|" * len(labels) + "\n"
    first = runs[0]
    names = [name for name, _ in first.most_common(rows)] + sorted(set().union(*runs[1:]) - set(first))
    lines = ["| " + name + " | " + " | ".join(f"{run.get(name, 0):.1f}" for run in runs) + " |" for name in names]
    total = "| **all** | " + " | ".join(f"**{sum(run.values()):.0f}**" for run in runs) + " |"
    return header + "\n".join([*lines, total]) + "\n"


def main() -> None:
    """Print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reports", nargs="+", type=Path, help="JUnit XML files (the first is sorted by)")
    parser.add_argument("--tests", type=int, default=20, help="how many of the slowest tests to list")
    args = parser.parse_args()
    runs = [read(path) for path in args.reports]
    labels = [path.stem for path in args.reports]
    print(table("area", [totals(run, "area") for run in runs], labels))
    print(table("file", [totals(run, "file") for run in runs], labels))
    slowest = collections.Counter(runs[0]).most_common(args.tests)
    print("| test | " + " | ".join(labels) + " |\n|---|" + "---:|" * len(labels))
    for test, _ in slowest:
        print(f"| `{test.split('.')[-1]}` | " + " | ".join(f"{run.get(test, 0):.1f}" for run in runs) + " |")


if __name__ == "__main__":
    try:
        main()
    except BrokenPipeError:  # Piped into head: stop quietly, as the command line does.
        sys.stderr.close()
        sys.exit(141)
    except (OSError, ET.ParseError) as error:
        sys.exit(f"suite_times: cannot read a report: {error}")
