"""The README's main job, examples/demo.py, runs and says what it did."""

from __future__ import annotations

import importlib.util

from pathlib import Path

import pytest


DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo.py"


@pytest.mark.untraced
def test_demo_writes_the_report_and_scores_every_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """All five parts run on the bundled data; the report is written where the demo says."""
    spec = importlib.util.spec_from_file_location("demo", DEMO)
    assert spec is not None
    assert spec.loader is not None
    demo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(demo)
    report = tmp_path / "report.html"

    demo.main("nl", report)

    out = capsys.readouterr().out
    assert report.read_text(encoding="utf-8").startswith('<!DOCTYPE html>\n<html lang="nl">')
    assert f"Open the report: {report.resolve()}" in out
    for part in range(1, 6):
        assert f"\n{part}. " in out
    assert "r04           3.78        2.25         5.0      dare-without-care" in out
