"""
Every report opened in a real browser, as a person would see it: Debian's Chromium, driven by
Playwright (the pip package, with the system's browser), checked by axe-core (the npm package in
tests/a11y, installed by `make test`).

For each kind (self-assessment, 360, group report) in Dutch and English: at 360, 768 and
1200 px wide the page has no horizontal overflow, a screenshot is taken and the first chart
marker is drawn in its colour; axe-core finds no serious or critical WCAG 2.1 A/AA violation
(at 360 and 1200 px); printed, the tables repeat their headers and no finding wraps. CI installs Chromium (.ci/run) and axe-core (make test): there a missing
one fails the run; elsewhere these tests are skipped.

With LEADSCORE_A11Y_LOG set to a file, the axe figures of each page are written there (JSON).
"""

from __future__ import annotations

import json
import os
import struct
import zlib

from pathlib import Path
from typing import Any

import pytest

import leadscore

from leadscore import Rating
from tests.browsers import AXE, AXE_RUN, OVERFLOW, missing


pytestmark = pytest.mark.browser

WIDTHS = (360, 768, 1200)
EXAMPLES = Path(__file__).parent.parent / "examples"


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered RGB rows of an 8-bit RGB or RGBA PNG (the kind Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks, header = 8, b"", b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks += body
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert (depth, colour) in {(8, 2), (8, 6)}
    step = 3 if colour == 2 else 4
    raw, rows, previous = zlib.decompress(chunks), [], bytes(width * step)
    stride = width * step + 1
    for y in range(height):
        kind, line = raw[y * stride], bytearray(raw[y * stride + 1 : (y + 1) * stride])
        for x in range(len(line)):
            left = line[x - step] if x >= step else 0
            up = previous[x]
            corner = previous[x - step] if x >= step else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        previous = bytes(line)
        rows.append(bytes(line[i] for i in range(len(line)) if step == 3 or i % 4 != 3))
    return width, height, rows


def _reports() -> dict[str, str]:
    """Each kind of report in each language, as the pages a person opens."""
    data = json.loads((EXAMPLES / "sbl-360.json").read_text(encoding="utf-8"))
    feedback = leadscore.aggregate("secure-base-leadership", [Rating(**e) for e in data["ratings"]])
    own = json.loads((EXAMPLES / "sbl-self-assessment.json").read_text(encoding="utf-8"))["answers"]
    result = leadscore.score("secure-base-leadership", own)
    teams = [
        Rating(group="team_north" if i % 2 else "team_south", rater=e["rater"], answers=e["answers"])
        for i, e in enumerate(data["ratings"])
        if e["group"] != "self"
    ]
    group = leadscore.group_report("secure-base-leadership", teams)
    pages = {}
    for lang in ("en", "nl"):
        pages[f"self-{lang}"] = leadscore.render(result, lang=lang, answers=own, person="Example Leader")
        pages[f"360-{lang}"] = leadscore.render(feedback, lang=lang, person="Example Leader")
        pages[f"group-{lang}"] = leadscore.render(group, lang=lang)
    return pages


PAGES = _reports()


@pytest.fixture(name="page_file", params=sorted(PAGES))
def _page_file(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / f"{request.param}.html"
    path.write_text(PAGES[request.param], encoding="utf-8")
    return request.param, path


def test_each_page_reads_at_every_width_and_passes_axe(
    browser: Any, page_file: tuple[str, Path], tmp_path: Path
) -> None:
    """
    At 360, 768 and 1200 px: nothing wider than the window, a screenshot of the window, and the first
    chart marker drawn in its colour; axe-core's WCAG 2.1 A and AA rules find nothing serious or critical.
    """
    if not AXE.is_file():
        missing("axe-core (npm ci --prefix tests/a11y)")
    name, path = page_file
    page = browser.new_page(viewport={"width": WIDTHS[0], "height": 900})
    page.goto(path.as_uri())
    page.add_script_tag(path=str(AXE))
    found: dict[int, Any] = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate(OVERFLOW)
        shot = page.screenshot(path=str(tmp_path / f"{name}-{width}.png"))
        marker = page.locator(".mark").first
        marker.scroll_into_view_if_needed()
        _, _, rows = decode_png(marker.screenshot())  # A few pixels: quick to decode.
        pixels = {row[i : i + 3] for row in rows for i in range(0, len(row), 3)}
        if width != 768:
            found[width] = page.evaluate(AXE_RUN)

        assert (0, []) == tuple(overflow), f"{name} at {width} px"
        assert struct.unpack(">II", shot[16:24]) == (width, 900)  # The PNG's own size, from its header.
        assert bytes.fromhex("b2182b") in pixels, f"{name} at {width} px: the first group's marker is not drawn"
        page.evaluate("window.scrollTo(0, 0)")
    page.close()
    log = os.environ.get("LEADSCORE_A11Y_LOG")
    if log:
        with Path(log).open("a", encoding="utf-8") as handle:
            handle.write(json.dumps({"page": name, **{str(w): r for w, r in found.items()}}) + "\n")

    for width, result in found.items():
        serious = [v for v in result["violations"] if v["impact"] in {"serious", "critical"}]
        assert serious == [], f"{name} at {width} px"
        assert result["passes"] > 10  # axe ran its rules on the page.


def test_printed_tables_repeat_headers_and_findings_do_not_wrap(browser: Any, tmp_path: Path) -> None:
    """Printed: table headers repeat on each page, a row is not split, and "blind spot" stays on one line."""
    path = tmp_path / "360.html"
    path.write_text(PAGES["360-en"], encoding="utf-8")
    page = browser.new_page(viewport={"width": 700, "height": 900})
    page.goto(path.as_uri())
    page.emulate_media(media="print")
    styles = page.evaluate(
        """() => { const flag = document.querySelector('td.flag'); const line = parseFloat(getComputedStyle(flag).lineHeight);
             return [getComputedStyle(document.querySelector('thead')).display,
                     getComputedStyle(document.querySelector('tbody tr')).breakInside,
                     flag.getBoundingClientRect().height < 2 * line,
                     document.documentElement.scrollWidth <= document.documentElement.clientWidth]; }"""
    )
    pdf = page.pdf(format="A4")
    page.close()

    assert ["table-header-group", "avoid", True, True] == styles
    assert pdf.startswith(b"%PDF-")
