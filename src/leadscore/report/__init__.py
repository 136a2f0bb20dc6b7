"""
Reports a person reads, rendered from leadscore's results and reports.

`render_360` renders a `leadscore.FeedbackReport` as one self-contained HTML page. This
package is the home of every renderer (HTML and PDF, every report kind); each format lives
in a private module of its own.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from leadscore.report._html import render_360


__all__ = ["render_360"]
