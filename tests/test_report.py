"""The reports (self-assessment, 360, group): content, privacy, language, escaping, PDF, and the commands."""

from __future__ import annotations

import functools
import io
import json
import re
import sys

from fractions import Fraction
from pathlib import Path
from typing import Any

import pypdf
import pytest

import leadscore

from leadscore import Rating, aggregate
from leadscore.cli import main
from leadscore.errors import ArgumentTypeError, InvalidArgumentError
from leadscore.report import InterfaceLanguageWarning, render


EXAMPLE = Path(__file__).parent.parent / "examples" / "sbl-360.json"
SELF_EXAMPLE = EXAMPLE.with_name("sbl-self-assessment.json")


@functools.cache
def example() -> tuple[leadscore.Instrument, leadscore.FeedbackReport]:
    """
    The bundled (synthetic) 360 example, aggregated once (both are frozen).

    Aggregating it runs the disclosure audit: 1.5 s under coverage, which two dozen tests
    paid again each (docs/testing.md).
    """
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    instrument = leadscore.get_instrument("secure-base-leadership")
    return instrument, aggregate(instrument, [Rating(**entry) for entry in data["ratings"]])


def plain(instrument_id: str, ids: tuple[str, ...]) -> leadscore.Instrument:
    """An instrument of one-item scales on 1 to 5, without labels or bands, named by *ids*."""
    response = leadscore.ResponseScale(min=1, max=5)
    return leadscore.Instrument(
        id=instrument_id,
        version="1.0.0",
        title={"en": instrument_id.title()},
        items=[
            leadscore.Item(id=i, text={"en": i}, response=response, source=leadscore.Source(document="t")) for i in ids
        ],
        scales=[leadscore.Scale(id=i, title={"en": i}, items=[i], min_answered=1) for i in ids],
    )


class TestRender:
    def test_report_shows_scales_groups_balance_and_privacy_notes(self) -> None:
        """Scales, shown groups with n, the Care/Dare balance, what was merged and withheld, and the trace."""
        instrument, report = example()
        html = render(report, lang="en", person="Example Leader")

        for text in (
            "Stays Calm",
            "Signals Accessibility",
            "Balance of Care and Dare",
            "Merged small groups",
            "All others",
            "<h1>360 feedback report — Example Leader</h1>",
            "Customers, Others: fewer raters than the minimum, merged",
            "There are no norms",
            f"<code>{instrument.id}</code>",
            f"<code>{instrument.version}</code>",
            f'<code class="fingerprint">{leadscore.fingerprint(instrument)}</code>',
        ):
            assert text in html
        # The audit withholds the peers' and all others' figures on one scale: their rows say so.
        accessibility = html[html.index("Signals Accessibility</span>") :]
        accessibility = accessibility[: accessibility.index("</figure>")]
        assert accessibility.count('<span class="value none">withheld</span>') == 2
        assert "Peers: withheld for Signals Accessibility" in html

    def test_every_group_is_a_labelled_row_with_its_own_marker_shape(self) -> None:
        """Six groups on one axis per scale: each a row with its name, n and value, and a marker shape of its own."""
        _, report = example()
        html = render(report, lang="en")
        calm = html[html.index("<figure") : html.index("</figure>")]
        rows = calm.split('<div class="row">')[1:]

        assert [r[r.index('"who">') + 6 : r.index("<span", r.index('"who">'))].strip() for r in rows] == [
            "Self", "Manager", "Direct reports", "Peers", "Merged small groups", "All others",
        ]  # fmt: skip
        assert all('<span class="n">n = ' in row and '<span class="value">' in row for row in rows)
        shapes = [row.split('class="mark ')[1].split('"')[0] for row in rows]
        assert len(set(shapes)) == len(shapes)

    def test_each_marker_sits_at_its_printed_figure(self) -> None:
        """
        A marker's position is the POMP of the figure printed beside it, never of the figure behind it (issue 30).

        Before, ``left:XX.XX%`` carried the mean to 0.0004 on a 1-to-5 scale, 25 times the
        precision of the printed text.
        """
        _, report = example()
        html = render(report, lang="en")
        mark = r'class="mark [^"]+" style="left:([0-9.]+)%;[^"]*"></span></span><span class="value">([^<]+)<'
        checked = 0
        for chart in html.split("<figure")[1:]:
            ends = [re.search(rf'<span style="left:{at}%">([^<]+)</span>', chart) for at in ("0.00", "100.00")]
            low, high = (Fraction(end.group(1).replace("−", "-")) for end in ends if end is not None)
            for left, printed in re.findall(mark, chart):
                # The exact POMP of the printed figure, to two decimals, half away from zero.
                at = 100 * (Fraction(printed.replace("−", "-")) - low) / (high - low)
                assert Fraction(left) == Fraction(int(at * 100 + Fraction(1, 2)), 100), (left, printed)
                checked += 1

        assert checked > 50

    def test_report_in_dutch_has_no_english_interface_words(self) -> None:
        """Every interface word of the Dutch page is Dutch: no English message of the catalogue shows."""
        _, report = example()
        html = render(report, lang="nl")
        english = set(dutch_catalogue_differences())

        assert "Blijft kalm" in html
        assert "Klanten, Anderen: minder beoordelaars dan het minimum, samengevoegd" in html
        assert 'lang="nl"' in html
        assert [m for m in english if f">{m}<" in html or f"{m}:" in html] == []
        assert "customers" not in html

    def test_plugin_texts_cannot_inject_markup(self) -> None:
        """Item texts, titles and names are escaped: a hostile plugin cannot add script or markup."""
        evil = '<script>alert("x")</script>'
        five = leadscore.ResponseScale(min=1, max=5)
        instrument = leadscore.Instrument(
            id="evil",
            version="1.0.0",
            title={"en": f"<b>Title</b>{evil}"},
            notes={"en": evil},
            items=[
                leadscore.Item(
                    id=f"q{i}", text={"en": f"{evil} item {i}"}, response=five, source=leadscore.Source(document="t")
                )
                for i in range(3)
            ],
            scales=[
                leadscore.Scale(id=f"s{i}", title={"en": f"{evil} scale"}, items=[f"q{i}"], min_answered=1)
                for i in range(3)
            ],
        )
        ratings = [
            Rating(group="evil_group", rater=str(i), answers={"q0": 1 + i, "q1": 3, "q2": 5 - i}) for i in range(4)
        ]

        html = render(aggregate(instrument, ratings), lang="en", instrument=instrument, person=evil)
        named = render(
            aggregate(instrument, ratings), lang="en", instrument=instrument, group_names={"evil_group": evil}
        )

        assert "<script" not in html + named
        assert "<b>Title</b>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
        assert '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <span class="n">n = 4' in named

    @pytest.mark.parametrize(
        ("kwargs", "error", "message"),
        [
            (
                {"lang": "fr"},
                InvalidArgumentError,
                "lang must be a language the instrument 'secure-base-leadership' has",
            ),
            ({"lang": 1}, ArgumentTypeError, "lang must be a language tag"),
            ({"lang": "en", "format": "docx"}, InvalidArgumentError, "format must be 'html' or 'pdf'"),
            ({"lang": "en", "paper": "a3"}, InvalidArgumentError, "paper must be one of ['a4', 'letter']"),
            ({"lang": "en", "instrument": "coaching-behaviours"}, InvalidArgumentError, "the instrument given is"),
            ({"lang": "en", "answers": {}}, InvalidArgumentError, "answers go with a self-assessment"),
            ({"lang": "en", "person": 7}, ArgumentTypeError, "person must be a text"),
            ({"lang": "en", "group_names": {"peers": ""}}, ArgumentTypeError, "group_names must map"),
        ],
    )
    def test_errors(self, kwargs: dict[str, Any], error: type[Exception], message: str) -> None:
        """Each wrong argument is named."""
        _, report = example()
        with pytest.raises(error, match=re.escape(message)):
            render(report, **kwargs)

    def test_a_report_of_something_else_is_refused(self) -> None:
        """Only a result, a 360, a group report or a reliability report renders."""
        with pytest.raises(
            ArgumentTypeError,
            match=r"report must be a leadscore\.Result, FeedbackReport, GroupReport or ReliabilityReport",
        ):
            render({"scales": {}}, lang="en")  # type: ignore[call-overload]

    def test_a_language_without_catalogue_gets_english_words_and_a_warning(self) -> None:
        """An instrument in German only: its texts in German, the headings in English, with a warning."""
        response = leadscore.ResponseScale(min=1, max=5)
        items = [
            leadscore.Item(id=i, text={"de": f"Frage {i}"}, response=response, source=leadscore.Source(document="d"))
            for i in "abc"
        ]
        german = leadscore.Instrument(
            id="deutsch",
            version="1.0.0",
            title={"de": "Deutsch"},
            items=items,
            scales=[leadscore.Scale(id="s", title={"de": "Skala"}, items=["a", "b", "c"], min_answered=1)],
        )
        result = leadscore.score(german, {"a": 4})

        with pytest.warns(InterfaceLanguageWarning, match="no interface texts in 'de'"):
            html = render(result, lang="de", instrument=german)

        assert "Skala" in html
        assert "Self-assessment" in html
        assert "4,00" in html  # German writes a decimal comma.


def dutch_catalogue_differences() -> list[str]:
    """The English messages whose Dutch differs: none of them may show on a Dutch page."""
    from babel.messages.pofile import read_po  # noqa: PLC0415 - a development tool

    path = Path(leadscore.__file__).parent / "locale" / "nl" / "LC_MESSAGES" / "leadscore.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return [
        m.id
        for m in catalog
        if isinstance(m.id, str) and m.id and m.string != m.id and "{" not in m.id and len(m.id) > 3
    ]


class TestSelfAndGroupReports:
    def test_a_self_assessment_with_its_answers_in_both_languages(self) -> None:
        """One person's scores, their answers, and a missing score's reason naming scales by title."""
        data = json.loads(SELF_EXAMPLE.read_text(encoding="utf-8"))
        result = leadscore.score("secure-base-leadership", data["answers"])

        english = render(result, lang="en", answers=data["answers"])
        dutch = render(result, lang="nl", answers=data["answers"], person="Anna")

        assert "<h1>Self-assessment</h1>" in english
        assert "no score for Signals Accessibility" in english
        assert "<h1>Zelfbeoordeling — Anna</h1>" in dutch
        assert "geen score voor Straalt toegankelijkheid uit" in dutch
        assert "0 van 1 items beantwoord, minstens 1 nodig" in dutch
        assert "niet beantwoord" in dutch  # The answer that was left out.
        assert "signals-accessibility" not in dutch[dutch.index("<main>") :].split("<code>")[0]

    def test_answers_must_be_the_results(self) -> None:
        """Answers that do not give the result are refused: the page would contradict itself."""
        result = leadscore.score("secure-base-leadership", {"stays-calm": 3})

        with pytest.raises(InvalidArgumentError, match="answers must be the answers the result was scored from"):
            render(result, lang="en", answers={"stays-calm": 4})

    def test_a_group_report_releases_groups_from_their_minimum(self) -> None:
        """Teams of the 360's raters: each team and everyone, with n, no self and no gap."""
        data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        others = [e for e in data["ratings"] if e["group"] != "self"]
        ratings = [
            Rating(group="team_a" if i < 3 else "team_b", rater=e["rater"], answers=e["answers"])
            for i, e in enumerate(others)
        ]
        small = [Rating(group="team_a", rater="x", answers={"stays-calm": 3})]

        report = leadscore.group_report("secure-base-leadership", ratings)
        alone = leadscore.group_report("secure-base-leadership", small)
        html = render(report, lang="nl", group_names={"team_a": "Team Noord"})

        assert (("team_a", 3), ("team_b", 10)) == report.people
        assert report.scales["stays-calm"].all_others is not None
        assert report.scales["stays-calm"].gap is None
        assert "<h1>Groepsrapport</h1>" in html
        assert "Team Noord" in html
        assert "Iedereen" in html
        assert alone.scales["stays-calm"].groups == ()
        assert alone.scales["stays-calm"].all_others is None

    @pytest.mark.parametrize("group", ["self", "manager"])
    def test_a_group_report_shows_no_one_alone(self, group: str) -> None:
        """Self and manager figures are one person's: a group report refuses them."""
        with pytest.raises(InvalidArgumentError, match="a group report has no one shown alone"):
            leadscore.group_report("secure-base-leadership", [Rating(group=group, rater="a", answers={})])


@pytest.mark.browser
class TestPdf:
    @pytest.mark.parametrize(
        ("paper", "size", "kind"),
        [("a4", (595, 842), "360"), ("letter", (612, 792), "self"), ("a4", (595, 842), "group")],
    )
    def test_reports_print_to_pdf_on_their_paper(self, paper: str, size: tuple[int, int], kind: str) -> None:
        """A PDF on A4 or Letter, with page numbers (through WeasyPrint, the pdf extra); the 360 runs to pages."""
        instrument, report = example()
        teams = [Rating(group="team", rater=str(n), answers={"stays-calm": 1 + n % 5}) for n in range(6)]
        shown: dict[str, leadscore.Result | leadscore.FeedbackReport | leadscore.GroupReport] = {
            "360": report,
            "self": leadscore.score(instrument, {"stays-calm": 3}),
            "group": leadscore.group_report(instrument, teams),
        }

        pdfs = [render(shown[kind], lang="nl", format="pdf", paper=paper)]

        for data in pdfs:
            pages = pypdf.PdfReader(io.BytesIO(data)).pages
            assert data.startswith(b"%PDF-")
            assert {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pages} == {size}
            assert pages[-1].extract_text().rstrip().endswith(f"{len(pages)} / {len(pages)}")  # Page numbers.
        assert len(pypdf.PdfReader(io.BytesIO(pdfs[0])).pages) >= (3 if kind == "360" else 1)

    def test_a_pdf_without_weasyprint_says_which_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Without the pdf extra, an ImportError names it."""
        monkeypatch.setitem(sys.modules, "weasyprint", None)
        _, report = example()

        with pytest.raises(ImportError, match=re.escape("pip install 'leadscore[pdf]'")):
            render(report, lang="en", format="pdf")

    def test_the_pdf_fetches_nothing(self) -> None:
        """WeasyPrint is given no way to fetch: a page that asked for a file or URL would fail, not fetch."""
        from leadscore.report._pdf import _nothing_fetched  # noqa: PLC0415

        with pytest.raises(ValueError, match="a report fetches nothing"):
            _nothing_fetched("file:///etc/passwd")


class TestReportCommand:
    def test_report_command_writes_the_page(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Leadscore report writes one self-contained HTML file and says where."""
        out = tmp_path / "report.html"

        code = main(["report", "secure-base-leadership", str(EXAMPLE), "--out", str(out), "--lang", "nl"])

        assert 0 == code
        assert f"wrote {out} (nl)\n" == capsys.readouterr().out
        page = out.read_text(encoding="utf-8")
        assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
        assert "<link" not in page

    @pytest.mark.parametrize(
        ("content", "code", "message"),
        [
            ("not json", 2, "cannot read"),
            ('{"ratings": [{"group": "peers"}]}', 2, "must hold"),
            (
                '{"ratings": [{"group": "self", "rater": "a", "answers": {}}, {"group": "self", "rater": "b", "answers": {}}]}',
                2,
                "there is more than one self rating",
            ),
            (
                '{"ratings": [{"group": "peers", "rater": "a", "answers": {"stays-calm": 9}}]}',
                1,
                "'stays-calm' must be an integer from 1 to 5",
            ),
        ],
    )
    def test_error_when_ratings_file_is_wrong(
        self, capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, code: int, message: str
    ) -> None:
        """Unreadable files and bad ratings are usage errors; invalid answers are invalid input."""
        path = tmp_path / "ratings.json"
        path.write_text(content, encoding="utf-8")

        assert code == main(["report", "secure-base-leadership", str(path), "--out", str(tmp_path / "r.html")])
        assert message in capsys.readouterr().err

    def test_error_when_ratings_file_is_missing(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """A missing ratings file is a usage error."""
        assert 2 == main(
            ["report", "secure-base-leadership", str(tmp_path / "none.json"), "--out", str(tmp_path / "r.html")]
        )
        assert "No such file or directory" in capsys.readouterr().err


class TestTheCoachesFindings:
    """Regression tests for what a coach found in the report of the shipped example (issue 15)."""

    def test_blind_spots_are_listed_once_per_scale_and_never_for_a_composite(self) -> None:
        """The list had 22 lines, 9 of them duplicates, and called the Care/Dare balance a hidden strength."""
        _, report = example()
        html = render(report, lang="en")
        section = html[html.index('<h2 id="gaps">') : html.index('<h2 id="strengths">')]
        rows = section.split('<tr><th scope="row">')[1:]

        assert len(rows) == len(set(rows)) == sum(1 for f in report.scales.values() if f.flag)
        assert "Balance of Care and Dare" not in section
        assert "Care (" not in section

    def test_ties_at_the_cut_are_said(self) -> None:
        """Five items tie at the top and three are listed: the report says two more are as high."""
        _, report = example()
        means = sorted((f.all_others.mean for f in report.items.values() if f.all_others), reverse=True)
        more = sum(1 for m in means[3:] if m == means[2])

        html = render(report, lang="en")
        dutch = render(report, lang="nl")

        assert more == 2
        assert f"And {more} more items with the same mean ({means[2]:.2f})" in html
        assert f"En nog {more} items met hetzelfde gemiddelde ({means[2]:.2f})".replace(".", ",") in dutch

    def test_bands_only_where_the_instrument_has_them(self) -> None:
        """The band column was empty in 12 of 13 rows; now bands are drawn, named and told where a score has them."""
        three = plain("plain", ("a", "b", "c"))
        ratings = [Rating(group="peers", rater=str(n), answers={"a": 3, "b": 4, "c": n + 1}) for n in range(4)]

        page = render(aggregate(three, ratings), lang="en", instrument=three)
        banded = render(example()[1], lang="en")

        assert 'class="band' not in page
        assert banded.count('<div class="row bands"') == 1  # The balance, the one banded score.
        assert "Challenge without support" in banded
        assert "Care and Dare are close to each other" in banded  # Its narrative,
        assert "(source: leadscore)</span>" in banded  # and where that text comes from: our own reading.

    def test_the_balance_is_labelled_and_explained(self) -> None:
        """The balance dots had no labels: each is a row with its group, n and signed value, under its explanation."""
        _, report = example()
        html = render(report, lang="en")
        balance = html[html.index("Balance of Care and Dare</span>") :]
        balance = balance[: balance.index("</figure>")]

        assert "Care minus Dare." in balance
        assert '<span class="who">Self <span class="n">n = 1</span></span>' in balance
        assert '<span class="value">−1.00</span>' in balance
        assert "hidden strength" not in balance


class TestTerminalTexts:
    """Show and take label every point and speak the reader's language."""

    def test_show_labels_the_ends_with_the_items_poles(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Secure Base Leadership offered 1; 2; 3; 4; 5: its points now carry the item's poles."""
        assert 0 == main(["show", "secure-base-leadership", "--lang", "nl"])
        out = capsys.readouterr().out

        assert "1 = gegijzeld door emoties; 2; 3; 4; 5 = Blijft kalm en geaard" in out

    def test_take_in_dutch_goes_back_and_says_why_a_score_is_missing(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Dutch prompts, a step back that changes an answer, and reasons by title."""
        monkeypatch.setattr(sys, "stdin", io.StringIO("2\n<\n<\n4\n7\n\n" + "\n" * 6 + "\n"))

        code = main(["take", "secure-base-leadership", "--lang", "nl"])
        out = capsys.readouterr().out

        assert 0 == code
        assert "Typ het nummer van je antwoord; niets om een vraag over te slaan, < om een vraag terug te gaan." in out
        assert "Dit is de eerste vraag." in out
        assert "'7' is geen antwoord: typ een van 1, 2, 3, 4, 5, niets om over te slaan, of < om terug te gaan" in out
        assert re.search(r"\n  Blijft kalm +4\.00\n", out)  # 2, then back, then 4.
        assert "geen score voor Accepteert het individu" in out
        assert "accepts-the-individual" not in out.split("Scores", 1)[1]

    def test_the_locale_picks_the_language_and_the_command_says_so(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With a Dutch locale and no --lang, Dutch, said on stderr; a locale leadscore lacks gives English, said too."""
        monkeypatch.setenv("LANG", "nl_NL.UTF-8")
        assert 0 == main(["show", "secure-base-leadership"])
        dutch = capsys.readouterr()
        monkeypatch.setenv("LC_ALL", "fr_FR.UTF-8")
        assert 0 == main(["show", "secure-base-leadership"])
        french = capsys.readouterr()

        assert "Ben ik een Secure Base Leider?" in dutch.out
        assert "leadscore: teksten in nl: de taal van je locale (--lang kiest een andere)\n" == dutch.err
        assert "Am I a Secure Base Leader?" in french.out
        assert "texts in English: secure-base-leadership or leadscore has none in 'fr'" in french.err

    def test_a_language_the_instrument_lacks_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--lang takes the languages of the instrument."""
        assert 2 == main(["show", "secure-base-leadership", "--lang", "fr"])
        assert "--lang fr: secure-base-leadership has its texts in en, nl" in capsys.readouterr().err


class TestReportKinds:
    @pytest.mark.browser
    def test_take_save_then_report_a_self_assessment(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """What take --save keeps is a self-assessment report's input, as HTML or PDF."""
        monkeypatch.setattr(sys, "stdin", io.StringIO("4\n" * 9))
        saved = tmp_path / "me.json"
        assert 0 == main(["take", "secure-base-leadership", "--save", str(saved)])
        page, pdf = tmp_path / "me.html", tmp_path / "me.pdf"

        assert 0 == main(["report", "secure-base-leadership", str(saved), "--out", str(page), "--lang", "nl"])
        assert 0 == main(["report", "secure-base-leadership", str(saved), "--out", str(pdf), "--format", "pdf"])
        capsys.readouterr()
        data = json.loads(saved.read_text(encoding="utf-8"))
        data["answers"]["stays-calm"] = 1
        saved.write_text(json.dumps(data), encoding="utf-8")

        assert "<h1>Zelfbeoordeling</h1>" in page.read_text(encoding="utf-8")
        assert pdf.read_bytes().startswith(b"%PDF-")
        assert 2 == main(["report", "secure-base-leadership", str(saved), "--out", str(page)])
        assert "its answers do not give its result" in capsys.readouterr().err

    def test_a_group_report_from_a_ratings_file(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """--kind group: the ratings' groups are teams; self and manager are refused."""
        data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
        teams = [{**e, "group": "team"} for e in data["ratings"] if e["group"] != "self"]
        path = tmp_path / "team.json"
        path.write_text(json.dumps({"ratings": teams}), encoding="utf-8")
        out = tmp_path / "team.html"

        assert 0 == main(["report", "secure-base-leadership", str(path), "--out", str(out), "--kind", "group"])
        assert 2 == main(["report", "secure-base-leadership", str(EXAMPLE), "--out", str(out), "--kind", "group"])
        err = capsys.readouterr().err

        assert "<h1>Group report</h1>" in out.read_text(encoding="utf-8")
        assert "a group report has no one shown alone" in err


class TestReportCommandEdges:
    """What the report command refuses, and what it shows on the way."""

    QUALTRICS = EXAMPLE.with_name("sbl-360-qualtrics.csv")

    def saved(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
        """A self-assessment as `take --save` keeps it."""
        monkeypatch.setattr(sys, "stdin", io.StringIO("4\n" * 9))
        saved = tmp_path / "me.json"
        assert 0 == main(["take", "secure-base-leadership", "--save", str(saved)])
        return saved

    def test_combinations_that_cannot_be(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """A group report with records, a self-assessment as a group or with a record, an export as a group: usage errors."""
        saved = self.saved(tmp_path, monkeypatch)
        out = str(tmp_path / "r.html")
        sbl = "secure-base-leadership"
        capsys.readouterr()

        codes = [
            main(["report", sbl, str(EXAMPLE), "--out", out, "--kind", "group", "--released", str(EXAMPLE)]),
            main(["report", sbl, str(EXAMPLE), "--out", out, "--kind", "group", "--record", str(tmp_path / "x")]),
            main(["report", sbl, str(saved), "--out", out, "--kind", "group"]),
            main(["report", sbl, str(saved), "--out", out, "--record", str(tmp_path / "x")]),
            main(["report", sbl, str(EXAMPLE), "--out", out, "--record", out]),
            main(["report", "coaching-behaviours", str(saved), "--out", out]),
            main(["report", sbl, str(self.QUALTRICS), "--out-dir", str(tmp_path), "--kind", "group"]),
        ]
        err = capsys.readouterr().err

        assert [2, 2, 2, 2, 2, 2, 2] == codes
        assert err.count("--released and --record go with a 360: a group report is audited on its own") == 2
        assert err.count("is one person's self-assessment: --kind, --released and --record go with ratings") == 2
        assert "--record and --out name the same file" in err
        assert not (tmp_path / "x").exists()
        assert "its result is not one of 'coaching-behaviours'" in err
        assert "a 360 export gives a 360 report per subject: --kind group takes a JSON ratings file" in err

    def test_pdf_without_weasyprint_is_a_usage_error(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """--format pdf without the pdf extra says which extra to install, and writes nothing."""
        monkeypatch.setitem(sys.modules, "weasyprint", None)
        out = tmp_path / "r.pdf"

        code = main(["report", "secure-base-leadership", str(EXAMPLE), "--out", str(out), "--format", "pdf"])

        assert (2, False) == (code, out.exists())
        assert "pip install 'leadscore[pdf]'" in capsys.readouterr().err

    def test_batch_reports_show_progress_on_a_terminal(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
    ) -> None:
        """One report per subject, with a progress bar on a terminal."""
        terminal = io.StringIO()
        terminal.isatty = lambda: True  # type: ignore[method-assign]
        monkeypatch.setattr(sys, "stderr", terminal)
        mapping = str(self.QUALTRICS.with_suffix(".toml"))

        code = main(
            [
                "report",
                "secure-base-leadership",
                str(self.QUALTRICS),
                "--out-dir",
                str(tmp_path),
                "--mapping",
                mapping,
            ]
        )

        assert 0 == code
        assert sorted(p.name for p in tmp_path.iterdir()) == ["leider-a.html", "leider-b.html"]
        assert "reports sbl-360-qualtrics.csv: 100%" in terminal.getvalue()
        capsys.readouterr()

    def test_no_locale_means_english_said_nowhere(
        self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without any locale setting the texts are English, and nothing is said about it."""
        for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
            monkeypatch.delenv(name, raising=False)

        assert 0 == main(["show", "secure-base-leadership"])
        out, err = capsys.readouterr()

        assert ("Am I a Secure Base Leader?", "") == (out.split(" (")[0], err)


class TestNarrativesAndTicks:
    def banded(self, description: bool, source: bool) -> leadscore.Instrument:
        """One POMP scale (0 to 100) with two bands, with or without their narrative and its source."""
        response = leadscore.ResponseScale(min=1, max=5)
        extra: dict[str, Any] = {}
        if description:
            extra["description"] = {"en": "A story"}
        if source:
            extra["source"] = leadscore.Source(document="the manual", section="3")
        bands = [
            leadscore.Band(id="low", label={"en": "Low"}, lower=0, upper=50, **extra),
            leadscore.Band(id="high", label={"en": "High"}, lower=50, upper=100, **extra),
        ]
        return leadscore.Instrument(
            id="banded",
            version="1.0.0",
            title={"en": "Banded"},
            items=[leadscore.Item(id="q", text={"en": "Q"}, response=response, source=leadscore.Source(document="t"))],
            scales=[
                leadscore.Scale(id="s", title={"en": "S"}, items=["q"], method="pomp", min_answered=1, bands=bands)
            ],
        )

    @pytest.mark.parametrize(
        ("description", "source", "shown"),
        [
            (False, False, '<b>High</b> <span class="n list">(Self)</span></li>'),
            (True, False, '<b>High</b> <span class="n list">(Self)</span>: A story</li>'),
            (True, True, 'A story <span class="source">(source: the manual, 3)</span>'),
        ],
    )
    def test_a_band_is_named_with_its_narrative_and_source_where_it_has_them(
        self, description: bool, source: bool, shown: str
    ) -> None:
        """The band a score falls in is named; its narrative and source follow where the instrument gives them."""
        instrument = self.banded(description, source)

        html = render(leadscore.score(instrument, {"q": 4}), lang="en", instrument=instrument)

        assert shown in html

    def test_a_wide_range_is_marked_at_its_ends_and_middle(self) -> None:
        """A POMP scale runs 0 to 100: its axis is marked at 0, 50 and 100, not at every point."""
        instrument = self.banded(False, False)

        html = render(leadscore.score(instrument, {"q": 4}), lang="en", instrument=instrument)
        axis = html[html.index('<span class="ticks">') : html.index("</span><span></span></div></figure>")]

        assert ["0", "50", "100"] == re.findall(r">([\d.]+)</span>", axis)

    def test_a_reason_without_a_code_is_its_english_text(self) -> None:
        """A score built by hand with only an English reason is shown with it; a score with a value has none."""
        from leadscore.report import reason_text  # noqa: PLC0415

        sbl = leadscore.get_instrument("secure-base-leadership")
        hand = leadscore.ScaleScore(
            id="overall", value=None, n_answered=0, n_not_applicable=0, n_items=9, pomp=None, band=None, reason="why"
        )
        scored = leadscore.score(sbl, {"stays-calm": 2}).scales["stays-calm"]

        assert ("why", None) == (
            reason_text(hand, instrument=sbl, lang="nl"),
            reason_text(scored, instrument=sbl, lang="nl"),
        )

    def test_a_template_word_must_be_marked(self) -> None:
        """A word the page uses but the catalogue tools cannot see is a programming error, caught by the tests."""
        from leadscore._catalog import words  # noqa: PLC0415
        from leadscore.report._html import Context  # noqa: PLC0415

        context = Context(leadscore.get_instrument("secure-base-leadership"), "en", words("en"), {})

        with pytest.raises(RuntimeError, match="is not marked for the catalogues"):
            context.word("Unmarked words")
