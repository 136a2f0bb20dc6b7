"""
The 360 report opened in a real headless browser (Debian's chromium), as a person would see it.

CI installs chromium (.ci/run); elsewhere the test is skipped when chromium is missing, but
never in CI, where a missing browser fails the run.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib

from pathlib import Path

import pytest

from leadscore.cli import main


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WIDTH, HEIGHT = 1100, 1400
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and unfiltered rows of an 8-bit RGB or RGBA PNG (the kind chromium writes)."""
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


@pytest.fixture(name="page")
def _page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The example 360 report, written by the report command."""
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/run should have installed it")
        pytest.skip("chromium is not installed here")
    out = tmp_path / "report.html"
    example = Path(__file__).parent.parent / "examples" / "sbl-360.json"
    assert 0 == main(["report", "secure-base-leadership", str(example), "--out", str(out)])
    capsys.readouterr()
    return out


def test_screenshot_shows_the_chart(page: Path, tmp_path: Path) -> None:
    """A screenshot of the report has the expected size, is not blank, and shows the chart's colours."""
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            str(CHROMIUM),
            *FLAGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--window-size={WIDTH},{HEIGHT}",
            f"--screenshot={shot}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )

    width, height, rows = decode_png(shot.read_bytes())
    pixels = {row[i : i + 3] for row in rows[::4] for i in range(0, len(row), 12)}
    self_red, teal = bytes.fromhex("d1495b"), bytes.fromhex("00798c")

    assert (WIDTH, HEIGHT) == (width, height)
    assert len(pixels) > 50, "the page looks blank"
    assert self_red in pixels, "the self line of the chart is not visible"
    assert teal in pixels, "the all-others line of the chart is not visible"


def test_page_text_names_every_scale(page: Path, tmp_path: Path) -> None:
    """The rendered page's text names every scale and the balance."""
    dom = subprocess.run(
        [str(CHROMIUM), *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout

    for name in (
        "Stays Calm",
        "Accepts the Individual",
        "Signals Accessibility",
        "Balance of Care and Dare",
        "All others",
    ):
        assert name in dom
