"""
No hidden precision: every number of a generated report comes from a figure as it is printed (issue 30).

For the 360 and group reports made from data (the bundled example, a 360 whose peers are many
enough for SD and r_wg, blanks included, and a group report), and for a self-assessment, the test
reads every artefact as an attacker would:

- the HTML, parsed: the text's numbers, every attribute, every inline style;
- the JSON of the report object (``to_json``), and the object itself;
- the PDF's text (`TestPdfText`, with the pdf extra).

A figure is printed to two decimals (SD and r_wg and POMP gaps to one). A number in the text is
an integer or one of the report's figures as printed; a marker's position is the POMP of the
figure printed beside it; every other number of a style is the same whatever the answers (it
carries none of them); the JSON's figures have the printed precision and no field the page lacks.
"""

from __future__ import annotations

import io
import json
import random
import re

from collections.abc import Callable
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import leadscore

from leadscore import FeedbackReport, GroupReport, Rating, Result
from leadscore.report import render


SBL = leadscore.get_instrument("secure-base-leadership")
EXAMPLES = Path(__file__).parents[1] / "examples"
Made = FeedbackReport | GroupReport | Result
# A marker and the figure printed beside it, as `score_chart` writes them.
MARK = re.compile(r'class="mark [^"]+" style="left:([0-9.]+)%;[^"]*"></span></span><span class="value">([^<]+)<')
# Tokens that are no figures: versions (0.1.0), fingerprints and other hexadecimal runs.
NOT_FIGURES = re.compile(r"\d+(?:\.\d+){2,}|sha256:[0-9a-f]+")
NUMBER = re.compile(r"[−-]?\d+(?:[.,]\d+)?")


def example_360() -> list[Rating]:
    """The bundled example 360's ratings."""
    data = json.loads((EXAMPLES / "sbl-360.json").read_text(encoding="utf-8"))
    return [Rating(**entry) for entry in data["ratings"]]


def many_peers(seed: int, flip: bool = False) -> list[Rating]:
    """Self, eleven peers (5 % blanks) and four direct reports: the peers' SD and r_wg are shown."""
    rng = random.Random(seed)

    def answer() -> int:
        value = rng.randint(1, 5)
        return 6 - value if flip else value

    ratings = [Rating(group="self", rater="s", answers={item.id: answer() for item in SBL.items})]
    ratings += [
        Rating(group="peers", rater=f"p{k}", answers={i.id: answer() for i in SBL.items if rng.random() > 0.05})
        for k in range(11)
    ]
    ratings += [
        Rating(group="direct_reports", rater=f"d{k}", answers={i.id: answer() for i in SBL.items}) for k in range(4)
    ]
    return ratings


def teams(flip: bool = False) -> list[Rating]:
    """Nine people in two teams; *flip* gives other answers."""
    return [
        Rating(
            group=f"team-{n % 2}", rater=str(n), answers={i.id: 1 + (n * 3 + k) % 5 for k, i in enumerate(SBL.items)}
        )
        if not flip
        else Rating(
            group=f"team-{n % 2}", rater=str(n), answers={i.id: 5 - (n + k) % 5 for k, i in enumerate(SBL.items)}
        )
        for n in range(9)
    ]


def self_assessment(flip: bool = False) -> Result:
    """The bundled self-assessment; *flip* reverses its answers."""
    answers = json.loads((EXAMPLES / "sbl-self-assessment.json").read_text(encoding="utf-8"))["answers"]
    return leadscore.score(SBL, {k: 6 - v if flip and isinstance(v, int) else v for k, v in answers.items()})


# Each case: the report, and one of the same kind and instrument from other answers.
CASES: dict[str, Callable[[], tuple[Made, Made]]] = {
    "example 360": lambda: (leadscore.aggregate(SBL, example_360()), leadscore.aggregate(SBL, many_peers(2))),
    "360 with spread": lambda: (leadscore.aggregate(SBL, many_peers(1)), leadscore.aggregate(SBL, many_peers(1, True))),
    "group": lambda: (leadscore.group_report(SBL, teams()), leadscore.group_report(SBL, teams(flip=True))),
    "self-assessment": lambda: (self_assessment(), self_assessment(flip=True)),
}


class Page(HTMLParser):
    """A page as an attacker reads it: visible text, attributes and inline styles."""

    def __init__(self, html: str) -> None:
        """Read *html*."""
        super().__init__()
        self.text: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.classes: dict[int, str] = {}  # An attribute value's element's class, by the value's id.
        self._hidden = 0
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: D102
        self._hidden += tag in {"style", "script"}
        given = [(name, value) for name, value in attrs if value is not None]
        self.attributes.extend((tag, name, value) for name, value in given)
        self.classes.update({id(value): dict(given).get("class", "") for _, value in given})

    def handle_endtag(self, tag: str) -> None:  # noqa: D102
        self._hidden -= tag in {"style", "script"}

    def handle_data(self, data: str) -> None:  # noqa: D102
        if not self._hidden:
            self.text.append(data)


def decimals(number: str) -> int:
    """How many decimals *number* is written with."""
    return len(re.split("[.,]", number)[1]) if re.search("[.,]", number) else 0


def as_fraction(number: str) -> Fraction:
    """A number as the page writes it (minus sign, decimal comma), exactly."""
    return Fraction(number.replace("−", "-").replace(",", "."))


def printed_figures(made: Made) -> set[Fraction]:
    """Every figure the report holds, at the precision it is printed at."""
    if isinstance(made, Result):
        values = [s.value for s in made.scales.values()] + [c.value for c in made.composites.values()]
        return {leadscore_printed(value, 2) for value in values if value is not None}
    out: set[Fraction] = set()
    for collection in (made.scales, made.composites, made.items):
        for feedback in collection.values():
            for figure in [*feedback.groups, *([feedback.all_others] if feedback.all_others else [])]:
                out.add(Fraction(str(figure.mean)))
                out.update(Fraction(str(x)) for x in (figure.sd, figure.rwg) if x is not None)
            if isinstance(made, FeedbackReport) and feedback.gap is not None:
                out.add(Fraction(str(feedback.gap)))
    return out


def leadscore_printed(value: float, places: int) -> Fraction:
    """The oracle of the page's rounding: the decimal the double stands for, half away from zero."""
    exact = Fraction(repr(value))
    scaled = abs(exact) * 10**places
    whole = int(scaled + Fraction(1, 2))
    return Fraction(whole if exact >= 0 else -whole, 10**places)


def ranges() -> set[tuple[Fraction, Fraction]]:
    """Every range a chart of the instrument is drawn on."""
    spans = {SBL.exact_range(score_id) for score_id in [s.id for s in SBL.scales] + [c.id for c in SBL.composites]}
    return {(Fraction(low), Fraction(high)) for low, high in spans} | {
        (Fraction(i.response.min), Fraction(i.response.max)) for i in SBL.items
    }


def styles(page: Page, *, marks: bool) -> list[str]:
    """The inline styles of the page's markers (*marks*), or of every other element."""
    return [
        value
        for _, name, value in page.attributes
        if name == "style" and (("mark " in page.classes.get(id(value), "")) == marks)
    ]


def pomps(value: Fraction, spans: set[tuple[Fraction, Fraction]]) -> set[Fraction]:
    """The POMP of *value* on each range it lies in, to two decimals, half away from zero."""
    return {
        Fraction(int(100 * (value - low) / (high - low) * 100 + Fraction(1, 2)), 100)
        for low, high in spans
        if low <= value <= high
    }


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_html_holds_no_number_beyond_its_printed_figures(case: str, lang: str) -> None:
    """Text: integers and printed figures; markers: the POMP of their printed figure; other styles: no data at all."""
    made, other = CASES[case]()
    html, other_html = render(made, lang=lang), render(other, lang=lang)
    page, other_page = Page(html), Page(other_html)
    figures = printed_figures(made)
    text = NOT_FIGURES.sub(" ", " ".join(page.text))

    numbers = NUMBER.findall(text)
    stray = [n for n in numbers if decimals(n) and (decimals(n) > 2 or as_fraction(n) not in figures)]
    marks = MARK.findall(html)
    spans = ranges()
    misplaced = [(left, shown) for left, shown in marks if as_fraction(left) not in pomps(as_fraction(shown), spans)]
    # Every other style (axis, bands) is one the page of other answers has too: it carries no answer.
    carrying = sorted(set(styles(page, marks=False)) - set(styles(other_page, marks=False)))
    others = [value for _, name, value in page.attributes if name != "style" and re.search(r"\d[.,]\d", value)]

    assert sum(decimals(n) > 0 for n in numbers) > 5
    assert stray == []
    assert len(marks) == len(styles(page, marks=True)) > 5
    assert misplaced == []
    assert carrying == []
    assert others == []


@pytest.mark.parametrize("case", ["example 360", "360 with spread", "group"])
def test_the_json_holds_each_figure_as_printed(case: str) -> None:
    """to_json of a 360 or group report: means and gaps to two decimals, SD, r_wg and POMP gaps to one; no more fields."""
    made, _ = CASES[case]()
    data = json.loads(leadscore.to_json(made))
    places = {"mean": 2, "gap": 2, "sd": 1, "rwg": 1, "gap_pomp": 1}
    found: dict[str, int] = {}

    def walk(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for name, inner in value.items():
                walk(inner, name)
        elif isinstance(value, list):
            for inner in value:
                walk(inner, key)
        elif isinstance(value, float):
            assert key in places, key
            assert Fraction(repr(value)) * 10 ** places[key] == int(Fraction(repr(value)) * 10 ** places[key]), (
                key,
                value,
            )
            found[key] = found.get(key, 0) + 1

    walk(data)

    assert found["mean"] > 50
    # Nine people make no group of ten: SD and r_wg are shown for the 360s' all others (12 or more) only.
    assert ("sd" in found and "rwg" in found) == (case != "group")
    assert "release" not in data
    assert "_self_result" not in data
    assert data["audit"] == 3
    assert "p1" not in json.dumps(data)
    assert "peer-1" not in json.dumps(data)


def test_the_self_rating_at_full_precision_comes_only_by_its_unaudited_name() -> None:
    """The report holds the self rating as printed; the unrounded one only through unaudited_self_result()."""
    ratings = many_peers(3)
    report = leadscore.aggregate(SBL, ratings)
    own = leadscore.score(SBL, ratings[0].answers)

    full = report.unaudited_self_result()
    shown = report.scales["overall"].group("self")

    assert full == own
    assert shown is not None
    assert own.scales["overall"].value is not None
    assert Fraction(str(shown.mean)) == leadscore_printed(own.scales["overall"].value, 2)
    assert leadscore.aggregate(SBL, ratings[1:]).unaudited_self_result() is None
    assert "unaudited" not in leadscore.to_json(report)
    assert repr(full) not in repr(report)


@pytest.mark.browser
class TestPdfText:
    @pytest.mark.parametrize("case", ["example 360", "group"])
    def test_the_pdf_text_holds_only_printed_figures(self, case: str) -> None:
        """The PDF's text (pypdf): integers and the report's printed figures, nothing finer."""
        import pypdf  # noqa: PLC0415 - with the pdf extra's tests

        made, _ = CASES[case]()
        data = render(made, lang="nl", format="pdf")
        text = NOT_FIGURES.sub(" ", " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages))
        figures = printed_figures(made)

        numbers = NUMBER.findall(text)
        stray = [n for n in numbers if decimals(n) and (decimals(n) > 2 or as_fraction(n) not in figures)]

        assert sum(decimals(n) == 2 for n in numbers) > 20
        assert stray == []
