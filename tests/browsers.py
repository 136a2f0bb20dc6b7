"""
The real browser the page tests use: Debian's Chromium driven by Playwright (the pip package,
with the system's browser; Playwright's own browsers are never downloaded), and axe-core (the
npm package in tests/a11y, installed by `make test`). CI installs both (.ci/run, make test):
there a missing one fails the run; elsewhere those tests are skipped.
"""

from __future__ import annotations

import os
import shutil

from pathlib import Path

import pytest


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Horizontal overflow: how far the page is wider than the window, and the elements past its edge.
OVERFLOW = """() => { const w = document.documentElement.clientWidth; return [
    document.documentElement.scrollWidth - w,
    [...document.querySelectorAll('body *')].filter(e => !e.closest('.wide')
      && e.getBoundingClientRect().right > w + 0.5).map(e => e.tagName + '.' + e.className)] }"""
# axe-core's WCAG 2.1 A and AA rules on the whole page.
AXE_RUN = """async () => { const r = await axe.run(document, {runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return {violations: r.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length})),
          passes: r.passes.length, incomplete: r.incomplete.map(v => v.id)}; }"""


def missing(what: str) -> None:
    """Fail in CI (where everything is installed), skip elsewhere."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI: .ci/run and make test install it")
    pytest.skip(f"{what} is not installed here")
