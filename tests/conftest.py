"""Hypothesis profiles and shared fixtures."""

from __future__ import annotations

import functools
import importlib
import os
import pkgutil
import shutil
import tempfile

from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from hypothesis import HealthCheck, Phase, settings

import leadscore

from leadscore import Instrument


# CI runs derandomized, with no example database and no deadline, so a run is repeatable.
# `make test` runs every property at this profile's 200 examples, none fewer (docs/testing.md).
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=200,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
# `make test-deep`: the same, with five times the examples, for the properties that find bugs
# by volume (every property runs at it there; docs/testing.md says what else that tier runs).
settings.register_profile("deep", settings.get_profile("ci"), max_examples=1000)
settings.register_profile("dev", deadline=None, max_examples=100)
# Mutation testing runs the suite once per mutant: fewer examples, still derandomized.
# mutmut runs pytest more than once in one process, so class-based tests meet new instances.
settings.register_profile(
    "mutation",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
)
# `make check`, the edit loop: every test, few examples, derandomized like CI (a test of how
# far Hypothesis shrinks, with few examples and a random seed, failed now and then).
settings.register_profile(
    "quick",
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=10,
    suppress_health_check=[HealthCheck.too_slow],
)
# The command line takes its default language from the locale: the tests run in a neutral one
# (C, so English), whatever the machine's; the tests of that default set their own.
for _name in ("LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_name, None)
os.environ["LANG"] = "C.UTF-8"

PROFILE = os.environ.get("LEADSCORE_HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
settings.load_profile(PROFILE)
# The defect catalogue asks whether the kit catches each defect, not how small Hypothesis
# makes the failing example: it runs the loaded profile's examples without the shrink phase,
# which took three quarters of its time (36 s against 117 s for the 13 defects).
settings.register_profile(
    "catalogue",
    settings.get_profile(PROFILE),
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target],
)
# A nested pytest run (the kit's suite run by pytester, in this process) asks whether its tests
# pass or fail as a plugin author's would; their properties run at the full count elsewhere
# (tests/test_testing.py's TestSuiteForPluginAuthors says why ten examples cover it).
settings.register_profile("nested", settings.get_profile(PROFILE), max_examples=10)


SBL_PATH = Path(str(resources.files("leadscore") / "instruments" / "secure_base_leadership.toml"))


@pytest.fixture(name="sbl", scope="session")
def _sbl() -> Instrument:
    """The shipped Secure Base Leadership instrument, read from its definition file."""
    return leadscore.load_instrument(SBL_PATH)


@functools.cache
def _import_every_module() -> None:
    """
    Import every leadscore module, under coverage's tracer, once per process.

    A module first imported inside an untraced test would leave its module-level lines (its
    imports and definitions) uncovered, depending on which test a worker happened to run first.
    """
    for module in pkgutil.walk_packages(leadscore.__path__, "leadscore."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """
    Run a test marked ``untraced`` with coverage's tracer off (docs/testing.md, "Untraced tests").

    Every Coverage that is running is stopped for the test's call and started again after it, in
    the order they were started. pytest-cov's own ``no_cover`` marker does not do this under
    pytest-xdist: each worker starts two Coverage objects, and pausing the one pytest-cov keeps
    resumes the other (measured with pytest-cov 7.1: the tracer is still installed).
    """
    if item.get_closest_marker("untraced") is None:
        yield
        return
    import coverage  # noqa: PLC0415 - only where a test is untraced, and only a test tool

    if coverage.Coverage.current() is not None:
        _import_every_module()
    stopped = []
    while (running := coverage.Coverage.current()) is not None:
        running.stop()
        stopped.append(running)
    try:
        yield
    finally:
        for each in reversed(stopped):
            each.start()


def _under(profile: str) -> Iterator[None]:
    """Run a test under *profile*, then restore the loaded one."""
    settings.load_profile(profile)
    try:
        yield
    finally:
        settings.load_profile(PROFILE)


@pytest.fixture(name="no_shrinking")
def _no_shrinking() -> Iterator[None]:
    """Run a test under the loaded profile without shrinking."""
    yield from _under("catalogue")


@pytest.fixture(name="few_examples")
def _few_examples() -> Iterator[None]:
    """Run a test (a nested pytest run) under the loaded profile with ten examples."""
    yield from _under("nested")


@pytest.fixture(name="browser", scope="module")
def _browser() -> Iterator[Any]:
    """One headless Chromium per test module (tests/browsers.py says which, and when it is missing)."""
    from tests.browsers import CHROMIUM, FLAGS, missing  # noqa: PLC0415 - only the browser tests

    if CHROMIUM is None:
        missing("chromium")
    try:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 - a test tool
    except ImportError:  # pragma: no cover - the dev group installs it
        missing("playwright")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(name="postgres", scope="session")
def _postgres() -> Iterator[Any]:
    """
    A connection to a real PostgreSQL server, in autocommit mode.

    The server of ``LEADSCORE_POSTGRES`` (a libpq connection string: `.ci/run` starts one with
    scripts/postgres.sh), else one this session starts with that script and stops after.
    """
    import subprocess  # noqa: PLC0415 - only the PostgreSQL tests

    from tests.browsers import missing  # noqa: PLC0415 - skips, or fails in CI

    try:
        import psycopg  # noqa: PLC0415 - a test tool
    except ImportError:  # pragma: no cover - the dev group installs it
        missing("psycopg")
    dsn = os.environ.get("LEADSCORE_POSTGRES")
    script = str(Path(__file__).resolve().parents[1] / "scripts" / "postgres.sh")
    # A short path: a Unix socket's path holds at most 107 bytes.
    folder = None if dsn else Path(tempfile.mkdtemp(prefix="lspg", dir="/tmp"))
    if folder is not None:
        started = subprocess.run([script, "start", str(folder)], capture_output=True, text=True, check=False)
        if started.returncode != 0:  # pragma: no cover - .ci/run installs and starts the server
            missing(f"a PostgreSQL server ({started.stderr.strip()})")
        dsn = started.stdout.strip()
    assert dsn is not None
    try:
        with psycopg.connect(dsn, autocommit=True) as connection:
            yield connection
    finally:
        if folder is not None:
            subprocess.run([script, "stop", str(folder)], capture_output=True, check=False)
            shutil.rmtree(folder, ignore_errors=True)
