"""
The HTML form in a real browser (Chromium, Playwright): filled in, saved, scored; checked by axe-core.

A person opens the exported form, switches it to English, answers all items but one by
clicks on the answers' words (and takes back an answer given by mistake), gives a code, and
saves: the browser downloads the file, and
``leadscore score`` scores it to the same result as `leadscore.score` of those answers. The
page fetches nothing, reads at 360 and 1200 px without sideways scrolling, and axe-core finds
no WCAG 2.1 A or AA violation of any impact, in either language.
"""

from __future__ import annotations

import csv
import io
import json
import os

from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

import leadscore

from leadscore.cli import main
from tests.browsers import AXE, AXE_RUN, OVERFLOW, missing


pytestmark = pytest.mark.browser

ANSWERS = {
    "stays-calm": 4,
    "accepts-the-individual": 5,
    "sees-the-potential": 3,
    "uses-listening-and-inquiry": 2,
    "delivers-a-powerful-message": 1,
    "focuses-on-the-positive": 5,
    "encourages-risk-taking": None,  # Left unanswered.
    "inspires-through-intrinsic-motivation": 4,
    "signals-accessibility": 3,
}


def _page(browser: Any, tmp_path: Path, width: int) -> Any:
    path = tmp_path / "sbl.html"
    path.write_text(leadscore.export_survey("secure-base-leadership", "html", languages=["nl", "en"]), "utf-8")
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    assert fetched == [path.as_uri()]  # The page itself, and nothing else.
    return page


def test_a_person_fills_in_the_form_saves_it_and_leadscore_scores_the_file(browser: Any, tmp_path: Path) -> None:
    """Answers given by clicks come back from the saved file, scored as `leadscore.score` scores them."""
    page = _page(browser, tmp_path, 1200)
    assert page.locator("h1 >> visible=true").inner_text() == "Ben ik een Secure Base Leider?"
    page.select_option("#language", "en")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h1 >> visible=true").inner_text() == "Am I a Secure Base Leader?"
    for number, (item_id, value) in enumerate(ANSWERS.items(), start=1):
        if value is None:
            continue
        # A click on the answer's words, as a person gives it (the points run from 1, so the k-th is k).
        page.click(f'label[for="item{number}-{value}"]')
        assert page.is_checked(f"#item{number}-{value}"), item_id
    # An answer given by mistake, taken back: the item is not answered again.
    page.click('label[for="item7-2"]')
    assert page.is_checked("#item7-2")
    page.get_by_role("button", name="Clear answer").nth(6).click()
    assert not any(page.is_checked(f"#item7-{k}") for k in range(1, 6))
    page.fill("#respondent", "coach-7")
    assert page.locator("#status").inner_text() == "8 of 9 questions answered"
    with page.expect_download() as download:
        page.get_by_role("button", name="Save answers").click()
    saved = tmp_path / "saved.json"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "secure-base-leadership-answers-coach-7.json"
    data = json.loads(saved.read_text("utf-8"))
    assert data["answers"] == ANSWERS
    assert (data["instrument"], data["version"], data["fingerprint"], data["language"], data["respondent"]) == (
        "secure-base-leadership",
        "0.1.0",
        leadscore.fingerprint(leadscore.get_instrument("secure-base-leadership")),
        "en",
        "coach-7",
    )
    assert "saved as secure-base-leadership-answers-coach-7.json" in page.locator("#status").inner_text()
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["score", "secure-base-leadership", str(saved)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    expected = leadscore.score("secure-base-leadership", ANSWERS)
    assert [row["respondent"] for row in rows] == ["coach-7"]
    assert float(rows[0]["overall.value"]) == pytest.approx(expected.scales["overall"].value)
    assert rows[0]["encourages-risk-taking.value"] == ""  # One item, unanswered: no score.
    page.context.close()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_form_reads_at_every_width_and_passes_axe(browser: Any, tmp_path: Path, lang: str) -> None:
    """No sideways scrolling at 360 and 1200 px; axe-core finds no violation of any impact."""
    if not AXE.is_file():
        missing("axe-core (npm ci --prefix tests/a11y)")
    page = _page(browser, tmp_path, 360)
    page.select_option("#language", lang)
    page.add_script_tag(path=str(AXE))
    for width in (360, 1200):
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate(OVERFLOW)
        page.screenshot(path=str(tmp_path / f"form-{lang}-{width}.png"), full_page=True)
        result = page.evaluate(AXE_RUN)
        if os.environ.get("LEADSCORE_A11Y_LOG"):
            with Path(os.environ["LEADSCORE_A11Y_LOG"]).open("a", encoding="utf-8") as handle:
                handle.write(json.dumps({"page": f"form-{lang}", str(width): result}) + "\n")
        assert tuple(overflow) == (0, []), f"{lang} at {width} px"
        assert result["violations"] == [], f"{lang} at {width} px"
        assert result["passes"] > 10
    page.context.close()
