"""The HTML 360 report: content, privacy, escaping, and the report command."""

from __future__ import annotations

import json

from pathlib import Path

import pytest

import leadscore

from leadscore import Rating, aggregate
from leadscore.cli import main
from leadscore.report import render_360


EXAMPLE = Path(__file__).parent.parent / "examples" / "sbl-360.json"


def example() -> tuple[leadscore.Instrument, leadscore.FeedbackReport]:
    """The bundled (synthetic) 360 example, aggregated."""
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
        """Scales, shown groups, the Care/Dare balance and what was merged are all in the page."""
        html = render_360(*example(), person="Example Leader")

        for text in (
            "Stays Calm",
            "Signals Accessibility",
            "Balance of Care and Dare",
            "Merged small groups",
            "All others",
        ):
            assert text in html
        assert '<svg id="profile"' in html
        assert '<svg class="balance"' in html
        assert "customers, others: fewer raters than the minimum, merged" in html
        # The audit withholds the peers' and all others' figures on one scale: drawn with a gap.
        assert html.count('class="group"') == 4
        assert html.count('class="group partial"') == 2
        assert 'class="group partial" data-group="peers"' in html
        assert 'class="group partial" data-group="all-others"' in html
        assert "Dots without a line" in html
        assert "There are no norms" in html

    def test_report_in_dutch(self) -> None:
        """The report speaks Dutch when asked, texts included."""
        html = render_360(*example(), lang="nl")

        assert "Blijft kalm" in html
        assert "Samengevoegde kleine groepen" in html
        assert 'lang="nl"' in html

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
        ratings = [Rating(group="peers", rater=str(i), answers={"q0": 1 + i, "q1": 3, "q2": 5 - i}) for i in range(4)]

        html = render_360(instrument, aggregate(instrument, ratings), person=evil)

        assert "<script" not in html
        assert "<b>Title</b>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html

    def test_groups_not_shown_everywhere_are_drawn_with_gaps(self) -> None:
        """A group hidden on some axes gets dots where it is shown and lines only between them; a radar needs three scales."""
        ratings = [
            Rating(
                group="self",
                rater="s",
                answers=dict.fromkeys([i.id for i in leadscore.get_instrument("secure-base-leadership").items], 4),
            ),
            *(
                Rating(group="peers", rater=f"p{i}", answers={"stays-calm": 3, "sees-the-potential": 4})
                for i in range(3)
            ),
        ]
        instrument = leadscore.get_instrument("secure-base-leadership")
        two = plain("two", ("a", "b"))

        html = render_360(instrument, aggregate(instrument, ratings))
        small = render_360(
            two, aggregate(two, [Rating(group="peers", rater=str(i), answers={"a": 3}) for i in range(3)])
        )

        assert '<polygon class="group" data-group="self"' in html
        peers = html[html.index('data-group="peers"') :]
        peers = peers[: peers.index("</g>")]
        assert peers.count("<circle") == 2  # two scales of nine shown for peers
        assert peers.count("<line") == 0  # on axes that are not neighbours
        assert '<svg id="profile"' not in small

    def test_error_when_language_unknown(self) -> None:
        """Only nl and en are offered."""
        with pytest.raises(ValueError, match="lang must be one of"):
            render_360(*example(), lang="fr")


class TestReportCommand:
    def test_report_command_writes_the_page(self, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
        """Leadscore report writes one self-contained HTML file and says where."""
        out = tmp_path / "report.html"

        code = main(["report", "secure-base-leadership", str(EXAMPLE), "--out", str(out), "--lang", "nl"])

        assert 0 == code
        assert f"wrote {out}\n" == capsys.readouterr().out
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
        instrument, report = example()
        html = render_360(instrument, report)
        section = html[html.index("<h2>Blind spots") : html.index("<h2>Strengths")]
        lines = section.split("<li>")[1:]

        assert len(lines) == len(set(lines)) == sum(1 for f in report.scales.values() if f.flag)
        assert "Balance of Care and Dare" not in section

    def test_ties_at_the_cut_are_said(self) -> None:
        """Five items tie at the top and three are listed: the report says two more are as high."""
        instrument, report = example()
        means = sorted((f.all_others.mean for f in report.items.values() if f.all_others), reverse=True)
        more = sum(1 for m in means[3:] if m == means[2])

        html = render_360(instrument, report)
        dutch = render_360(instrument, report, lang="nl")

        assert more == 2
        assert f"And {more} more item(s) with the same mean ({means[2]:.2f})" in html
        assert f"En nog {more} item(s) met hetzelfde gemiddelde ({means[2]:.2f})" in dutch

    def test_no_band_column_when_no_score_has_bands(self) -> None:
        """The band column was empty in every row of an instrument without bands; now it is not there."""
        three = plain("plain", ("a", "b", "c"))
        ratings = [Rating(group="peers", rater=str(n), answers={"a": 3, "b": 4, "c": n + 1}) for n in range(4)]

        page = render_360(three, aggregate(three, ratings))
        banded = render_360(*example())

        assert "Band (all others)" not in page
        assert "Band (all others)" in banded
