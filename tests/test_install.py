"""The core as an app installs it: the wheel alone, in a new virtual environment (make test-deep)."""

from __future__ import annotations

import json
import subprocess
import sys

from pathlib import Path

import pytest


# Builds a wheel and a virtual environment, and installs from the package index: about half a
# minute, so it runs in make test-deep (docs/testing.md).
pytestmark = pytest.mark.deep

ROOT = Path(__file__).resolve().parents[1]
# What the core must never bring: every optional dependency of the extras, and the test tools.
OPTIONAL = ["pandas", "numpy", "scipy", "hypothesis", "pytest", "dask", "pyarrow", "sqlglot", "duckdb", "polars"]
PROBE = """
import importlib.util, json, leadscore
result = leadscore.score("secure-base-leadership", {"stays-calm": 4, "sees-the-potential": 5})
print(json.dumps({
    "value": result.scales["stays-calm"].value,
    "reason": result.scales["overall"].reason,
    "instruments": sorted(info.id for info in leadscore.list_instruments()),
    "loaded": [name for name in %r if importlib.util.find_spec(name) is not None],
}))
"""


def run(*command: str | Path) -> str:
    """Run *command*; fail the test with what it printed if it fails."""
    done = subprocess.run([str(part) for part in command], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def test_the_core_wheel_scores_in_a_new_environment(tmp_path: Path) -> None:
    """The wheel, installed alone as README's Installing says, lists and scores the shipped
    instruments and brings none of the extras' packages.
    """
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", tmp_path / "dist", ROOT)
    (wheel,) = (tmp_path / "dist").glob("leadscore-*.whl")
    run(sys.executable, "-m", "venv", tmp_path / "venv")
    python = tmp_path / "venv" / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel)

    probe = json.loads(run(python, "-c", PROBE % (OPTIONAL,)))

    assert 4.0 == probe["value"]
    assert "2 of 9 items answered, at least 6 needed" == probe["reason"]
    assert {"alliance-qualities", "coaching-behaviours", "connective-leadership", "secure-base-leadership"} <= set(
        probe["instruments"]
    )
    assert [] == probe["loaded"]
