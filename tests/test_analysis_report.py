"""The item-analysis page (`render` of a ReliabilityReport) and `leadscore analyze`, used as an analyst would."""

from __future__ import annotations

import re

from pathlib import Path
from typing import Any

import pytest

import leadscore

from leadscore import Instrument, Item, ResponseScale, Scale, Source, render
from leadscore.analysis import quality
from leadscore.cli import main
from leadscore.errors import ArgumentTypeError, InvalidArgumentError
from tests.browsers import AXE, AXE_RUN, OVERFLOW, missing


EXAMPLES = Path(__file__).parent.parent / "examples"
TEAM = EXAMPLES / "connective-team.csv"
ANSWERS: list[dict[str, int | None]] = [
    {"a": 1, "b": 2, "c": 5, "d": 1},
    {"a": 2, "b": 2, "c": 4, "d": 2},
    {"a": 4, "b": 5, "c": 2, "d": 4},
    {"a": 5, "b": 4, "c": 1, "d": 5},
    {"a": 3, "b": 3, "c": 3, "d": 3},
    {"a": 4, "b": 5, "c": 1, "d": None},
]


def hostile() -> Instrument:
    """Texts that are markup: the page must show them as text. Item c is keyed the wrong way."""
    response = ResponseScale(min=1, max=5)
    text = {"en": "<script>alert(1)</script> & co", "nl": "<b>vet</b>"}
    return Instrument(
        id="hostile",
        version="1.0.0",
        title={"en": "<i>Title</i>", "nl": "<i>Titel</i>"},
        items=[Item(id=i, text=text, response=response, source=Source(document="test")) for i in "abcd"],
        scales=[Scale(id="s", title={"en": "<u>S</u>", "nl": "<u>S</u>"}, items=["a", "b", "c", "d"], min_answered=1)],
    )


class TestPage:
    def test_the_figures_the_flag_and_no_markup_from_texts(self) -> None:
        """Alpha and omega as computed, item c flagged as running against its scale, every text escaped."""
        instrument = hostile()
        report = leadscore.reliability(instrument, ANSWERS, level=0.95)
        html = render(report, lang="en", instrument=instrument, quality=quality(instrument, ANSWERS))
        scale = report.scales["s"]

        assert "<script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
        assert f'<td class="num">{scale.alpha:.2f}</td>'.replace("-", "−") in html  # A minus sign.
        assert "runs against the scale as keyed: check its key" in html
        assert scale.negatively_keyed == ("c",)
        assert "Item analysis" in html
        assert "Data quality" in html

    def test_in_dutch_with_decimal_commas(self) -> None:
        """Dutch words and numbers: the page a Dutch analyst reads."""
        instrument = hostile()
        report = leadscore.reliability(instrument, ANSWERS, level=0.95)

        html = render(report, lang="nl", instrument=instrument)

        assert "Itemanalyse" in html
        assert "Betrouwbaarheid per schaal" in html
        assert "Intervallen bij 95 %." in html
        assert f"{report.scales['s'].alpha:.2f}".replace(".", ",").replace("-", "−") in html
        assert "Datakwaliteit" not in html  # No quality report given.

    def test_omegas_interval_only_with_a_bootstrap(self) -> None:
        """The column of omega's interval, and the line saying how it was made, come with bootstrap=."""
        instrument = hostile()
        plain = render(leadscore.reliability(instrument, ANSWERS, level=0.9), lang="en", instrument=instrument)
        booted = render(
            leadscore.reliability(instrument, ANSWERS, level=0.9, bootstrap=20, seed=4),
            lang="en",
            instrument=instrument,
        )

        assert plain.count(">interval</th>") == 1
        assert booted.count(">interval</th>") == 2
        assert "percentile bootstrap of 20 samples of the respondents, seed 4" in booted

    def test_a_scale_without_alpha_says_why(self) -> None:
        """One answer set: no covariances, and the reason in the table."""
        instrument = hostile()

        html = render(leadscore.reliability(instrument, ANSWERS[:1]), lang="nl", instrument=instrument)

        assert "te weinig respondenten beantwoordden beide items van een paar" in html

    def test_quality_must_be_of_the_same_instrument_and_go_with_reliability(self) -> None:
        """A quality report of another instrument, or beside a 360, is refused."""
        instrument = hostile()
        report = leadscore.reliability(instrument, ANSWERS)
        other = quality("connective-leadership", [])
        result = leadscore.score(instrument, ANSWERS[0])

        with pytest.raises(InvalidArgumentError, match="another instrument"):
            render(report, lang="en", instrument=instrument, quality=other)
        with pytest.raises(ArgumentTypeError, match="quality goes with a ReliabilityReport"):
            render(result, lang="en", instrument=instrument, quality=quality(instrument, ANSWERS))


class TestCommand:
    def test_an_export_to_a_page(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """The example team export: a Dutch page, named respondents in the data-quality table."""
        out = tmp_path / "analysis.html"

        code = main(["analyze", "connective-leadership", str(TEAM), "--lang", "nl", "--out", str(out)])

        assert (code, capsys.readouterr().out) == (0, f"wrote {out} (nl)\n")
        html = out.read_text(encoding="utf-8")
        assert "Itemanalyse" in html
        assert re.search(r"t\d\d \(\d+\)", html)  # Respondents by their id, with their longest run.

    def test_to_standard_output_with_an_exclusion(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Without --out the page goes to standard output; --exclude takes ids and the page counts them."""
        code = main(["analyze", "connective-leadership", str(TEAM), "--lang", "en", "--exclude", "t01"])

        out = capsys.readouterr().out
        assert code == 0
        assert out.startswith("<!DOCTYPE html>")
        assert "11 answer sets; 1 set aside by the analyst." in out

    @pytest.mark.parametrize(
        ("options", "message"),
        [
            (["--exclude", "t99"], "exclude: no response 't99'"),
            (["--format", "pdf"], "--format pdf writes a file: give --out FILE"),
            (["--level", "1.5"], "level must be a number between 0 and 1"),
            (["--order", "richting,ruimte"], "order must list every item once"),
        ],
    )
    def test_usage_problems(self, capsys: pytest.CaptureFixture[str], options: list[str], message: str) -> None:
        """Named, exit 2, nothing written."""
        code = main(["analyze", "connective-leadership", str(TEAM), *options])

        assert code == 2
        assert message in capsys.readouterr().err

    def test_a_bad_cell_writes_nothing(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Every bad row is named on standard error; no page is written, exit 1."""
        bad = tmp_path / "bad.csv"
        lines = TEAM.read_text(encoding="utf-8").splitlines()
        cells = lines[2].split(",")
        cells[3] = "7"
        bad.write_text("\n".join([lines[0], lines[1], ",".join(cells), *lines[3:]]) + "\n", encoding="utf-8")
        out = tmp_path / "analysis.html"

        code = main(["analyze", "connective-leadership", str(bad), "--out", str(out)])

        assert code == 1
        assert "dismantles-obstacles" in capsys.readouterr().err
        assert not out.exists()


@pytest.mark.deep
@pytest.mark.browser
def test_the_page_in_chromium_reads_at_360_and_1200_px_and_passes_axe(browser: Any, tmp_path: Path) -> None:
    """
    In Dutch and English: no overflow outside the scrolling tables; axe-core's WCAG 2.1 A and
    AA rules find nothing serious or critical.
    """
    if not AXE.is_file():
        missing("axe-core (npm ci --prefix tests/a11y)")
    for lang in ("en", "nl"):
        path = tmp_path / f"analysis-{lang}.html"
        assert main(["analyze", "connective-leadership", str(TEAM), "--lang", lang, "--out", str(path)]) == 0
        page = browser.new_page(viewport={"width": 360, "height": 900})
        page.goto(path.as_uri())
        page.add_script_tag(path=str(AXE))
        for width in (360, 1200):
            page.set_viewport_size({"width": width, "height": 900})
            overflow = page.evaluate(OVERFLOW)
            result = page.evaluate(AXE_RUN)

            assert (0, []) == tuple(overflow), f"{lang} at {width} px"
            assert [v for v in result["violations"] if v["impact"] in {"serious", "critical"}] == []
            assert result["passes"] > 10
        page.close()


class TestPageEdges:
    def test_no_synonyms_a_distance_for_everyone_and_empty_cells(self) -> None:
        """No pair above 0.99: said so; enough complete answers: no reason against D²; an unanswered item: no bars."""
        rows: list[dict[str, int | None]] = [
            {"a": (i * 4) % 5 + 1, "b": (i * 3) % 5 + 1, "c": (i * 2) % 5 + 1, "d": None} for i in range(20)
        ]
        instrument = hostile()
        report = leadscore.reliability(instrument, rows, level=0.95, bootstrap=10, seed=1)
        checked = quality(instrument, [{**r, "d": (i // 4) % 5 + 1} for i, r in enumerate(rows)], synonym_r=0.99)

        html = render(report, lang="en", instrument=instrument, quality=checked)

        assert "No item pairs correlate above 0.99: there is no synonym index." in html
        assert "respondents answered every item" not in html
        assert checked.mahalanobis_reason is None
        assert report.scales["s"].items["d"].frequencies == ()
        assert html.count('<td class="num">–</td>') >= 1


class TestCommandEdges:
    def test_without_numpy_the_command_names_the_extra(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """No array engine: exit 2 and what to install."""
        import sys  # noqa: PLC0415

        monkeypatch.setitem(sys.modules, "leadscore.analysis._quality", None)

        assert main(["analyze", "connective-leadership", str(TEAM)]) == 2
        assert "pip install 'leadscore[analysis]'" in capsys.readouterr().err

    def test_without_scipy_the_intervals_name_the_extra(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The intervals need SciPy: exit 2, the extra named."""
        import sys  # noqa: PLC0415

        monkeypatch.setitem(sys.modules, "scipy.stats", None)

        assert main(["analyze", "connective-leadership", str(TEAM)]) == 2
        assert "pip install 'leadscore[analysis]'" in capsys.readouterr().err

    def test_json_answer_sets_with_a_bad_one_write_nothing(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path
    ) -> None:
        """Every bad answer set is named by its row; no page; exit 1."""
        answers = tmp_path / "answers.json"
        answers.write_text(
            '[{"respondent": "x1", "stays-calm": 3}, {"respondent": "x2", "stays-calm": 9},'
            ' {"respondent": "x3", "stays-calm": "four"}]',
            encoding="utf-8",
        )

        code = main(["analyze", "secure-base-leadership", str(answers), "--out", str(tmp_path / "a.html")])

        err = capsys.readouterr().err
        assert code == 1
        assert "row 2: 'stays-calm' must be an integer from 1 to 5" in err  # The out-of-range answer,
        assert "row 3, column 'stays-calm'" in err  # and the text: every bad answer set is named.
        assert not (tmp_path / "a.html").exists()

    def test_a_column_that_is_no_item_can_be_kept_out(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """The reader's advice, --keep, works here too: the column is left out of the analysis."""
        lines = TEAM.read_text(encoding="utf-8").splitlines()
        extra = tmp_path / "extra.csv"
        extra.write_text(
            "\n".join(f"{line},{'team' if n == 0 else 'north'}" for n, line in enumerate(lines)) + "\n",
            encoding="utf-8",
        )

        refused = main(["analyze", "connective-leadership", str(extra)])
        assert "on the command line --mapping, --keep, --ignore" in capsys.readouterr().err
        kept = main(
            ["analyze", "connective-leadership", str(extra), "--ignore", "team", "--out", str(tmp_path / "a.html")]
        )

        assert (refused, kept) == (2, 0)  # A column the command cannot place is a usage problem.

    def test_a_missing_column_is_said(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """An export without a column for an item: a warning naming it, then the page."""
        lines = TEAM.read_text(encoding="utf-8").splitlines()
        short = tmp_path / "short.csv"
        short.write_text("\n".join(",".join(line.split(",")[:-1]) for line in lines) + "\n", encoding="utf-8")

        code = main(["analyze", "connective-leadership", str(short), "--out", str(tmp_path / "a.html")])

        assert code == 0
        assert "no column for item(s) long-term-success" in capsys.readouterr().err

    def test_a_two_item_scale_has_no_omega_interval(self) -> None:
        """With a bootstrap, a scale without omega (two items) shows a dash in the interval's column."""
        from tests.test_analysis import BIG_FIVE, ROWS  # noqa: PLC0415

        report = leadscore.reliability(BIG_FIVE, ROWS * 3, level=0.95, bootstrap=10)
        html = render(report, lang="en", instrument=BIG_FIVE)

        assert report.scales["b"].omega_ci_bootstrap is None
        row = html.split('<th scope="row">b</th>')[1].split("</tr>")[0]
        assert row.count('<td class="num">–</td>') == 2  # Omega and its interval.


@pytest.mark.untraced
@pytest.mark.browser
@pytest.mark.parametrize(("paper", "size"), [("a4", (842, 595)), ("letter", (792, 612))])
def test_the_analysis_prints_sideways_with_every_column(paper: str, size: tuple[int, int]) -> None:
    """Its wide tables print on landscape pages; the last column of the first table is on the page."""
    import io  # noqa: PLC0415

    import pypdf  # noqa: PLC0415

    report = leadscore.reliability("connective-leadership", [], level=0.95)
    data = render(report, lang="en", format="pdf", paper=paper)

    pages = pypdf.PdfReader(io.BytesIO(data)).pages
    assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages} == {size}
    assert "SD" in pages[0].extract_text()  # The reliability table's last column.
