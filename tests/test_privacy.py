"""
360 privacy, proven against an attacker written apart from the auditor.

The attacker knows what the threat model gives them (docs/privacy.md): every figure the
report shows, who rated in which group and which items each rater answered, and the self
and manager ratings. From the report alone they write each shown mean as a linear function
of the other raters' answers, in exact rational arithmetic, and try every rater: a
combination of one rater's answers is derivable exactly when taking that rater's answers
out of the system lowers its rank. The auditor (`leadscore._disclosure`) works modulo a
prime, on sparse columns, by leave-one-out over halves; this attacker is dense Gaussian
elimination over fractions, from the instrument's definition rather than from the plan.
"""

from __future__ import annotations

import json
import random

from fractions import Fraction
from pathlib import Path
from typing import Literal

import attrs
import pytest

from benchmarks.bench_privacy import case
from hypothesis import given
from hypothesis import strategies as st

import leadscore

from leadscore import FeedbackReport, Instrument, Item, Rating, ResponseScale, Scale, Source
from leadscore._model import Composite, Part
from leadscore.cli import main
from leadscore.report import render
from tests.attacker import value_of


def rank(rows: list[list[Fraction]]) -> int:
    """The rank of a matrix of fractions, by Gaussian elimination."""
    matrix = [row[:] for row in rows if any(row)]
    found = 0
    width = len(matrix[0]) if matrix else 0
    for column in range(width):
        pivot = next((i for i in range(found, len(matrix)) if matrix[i][column]), None)
        if pivot is None:
            continue
        matrix[found], matrix[pivot] = matrix[pivot], matrix[found]
        for i in range(len(matrix)):
            if i != found and matrix[i][column]:
                factor = matrix[i][column] / matrix[found][column]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[found], strict=True)]
        found += 1
    return found


def rater_form(instrument: Instrument, score_id: str, rating: Rating) -> dict[str, Fraction] | None:
    """One rater's score as coefficients on their answers (constants dropped), from the definition (`tests.attacker`)."""
    got = value_of(instrument, score_id, rating)
    return None if got is None else got[0]


def members_of(ratings: list[Rating], group: str, merged_from: tuple[str, ...] = ()) -> list[Rating]:
    """The raters behind a figure of *group*, as the threat model lets the attacker know them."""
    if group == "all-others":
        return [r for r in ratings if r.group != "self"]
    if group == "merged":
        return [r for r in ratings if r.group in merged_from]
    return [r for r in ratings if r.group == group]


def mean_row(
    instrument: Instrument, score_id: str, members: list[Rating], column: dict[tuple[str | int, str], int]
) -> tuple[list[Fraction], int]:
    """A mean of *score_id* over *members* as a row over the protected answers, and how many have a score."""
    forms = [(r, rater_form(instrument, score_id, r)) for r in members]
    scored = [(r, f) for r, f in forms if f is not None]
    row = [Fraction(0)] * len(column)
    for rating, form in scored:
        if rating.group not in {"self", "manager"}:
            for item_id, coefficient in form.items():
                row[column[rating.rater, item_id]] += coefficient / len(scored)
    return row, len(scored)


def system(
    instrument: Instrument, ratings: list[Rating], report: FeedbackReport, *more: tuple[list[Rating], FeedbackReport]
) -> tuple[list[list[Fraction]], list[tuple[str | int, str]]]:
    """The attacker's equations: every shown mean (of this report and *more*) over the protected answers."""
    everyone = {r.rater: r for rs in (ratings, *(m[0] for m in more)) for r in rs}
    protected = [r for r in everyone.values() if r.group not in {"self", "manager"}]
    cells = [(r.rater, item.id) for r in protected for item in instrument.items if rater_form(instrument, item.id, r)]
    column = {cell: index for index, cell in enumerate(cells)}
    rows: list[list[Fraction]] = []
    for these, shown in ((ratings, report), *more):
        for collection in (shown.scales, shown.composites, shown.items):
            for feedback in collection.values():
                for figure in [*feedback.groups, *([feedback.all_others] if feedback.all_others else [])]:
                    members = members_of(these, figure.group, figure.merged_from)
                    row, n = mean_row(instrument, feedback.id, members, column)
                    assert n == figure.n_raters
                    rows.append(row)
    return rows, cells


def exposed_raters(
    instrument: Instrument, ratings: list[Rating], report: FeedbackReport, *more: tuple[list[Rating], FeedbackReport]
) -> set[str | int]:
    """The attacker: the raters one of whose answer combinations the reports' shown means give away."""
    rows, cells = system(instrument, ratings, report, *more)
    if not rows or not cells:
        return set()
    full = rank(rows)
    found = set()
    for rating in {rater for rater, _ in cells}:
        keep = [index for index, (rater, _) in enumerate(cells) if rater != rating]
        if rank([[row[k] for k in keep] for row in rows]) < full:
            found.add(rating)
    return found


def derivable_hidden(instrument: Instrument, ratings: list[Rating], report: FeedbackReport) -> list[str]:
    """The attacker's second aim: a group's mean the report keeps back, worked out from what it shows."""
    rows, cells = system(instrument, ratings, report)
    column = {cell: index for index, cell in enumerate(cells)}
    full = rank(rows) if rows else 0
    found = []
    for collection in (report.scales, report.composites, report.items):
        for feedback in collection.values():
            shown = {figure.group for figure in feedback.groups}
            merged = {g for figure in feedback.groups for g in figure.merged_from}
            for group in sorted({r.group for r in ratings} - shown - merged - {"self", "manager"}):
                row, n = mean_row(instrument, feedback.id, members_of(ratings, group), column)
                if n and any(row) and rank([*rows, row]) == full:
                    found.append(f"{feedback.id}: {group}")
    return found


TEXT = {"en": "t", "nl": "t"}
Method = Literal["mean", "sum", "pomp"]
SOURCE = Source(document="test")


def small_instrument(methods: tuple[Method, Method] = ("mean", "mean")) -> Instrument:
    """Four items, two two-item scales (one reverse-keyed item) scored by *methods*, a mean of both and their difference."""
    response = ResponseScale(min=1, max=5)
    items = [Item(id=i, text=TEXT, response=response, source=SOURCE) for i in ("a", "b", "c", "d")]
    scales = [
        Scale(id="s", title=TEXT, items=["a", "b"], reverse_keyed=["b"], min_answered=1, method=methods[0]),
        Scale(id="t", title=TEXT, items=["c", "d"], min_answered=2, method=methods[1]),
    ]
    composites = [
        Composite(id="both", title=TEXT, method="weighted_mean", parts=[Part(scale="s"), Part(scale="t", weight=2.0)]),
        Composite(id="gap", title=TEXT, method="difference", parts=[Part(scale="s"), Part(scale="t")]),
    ]
    return Instrument(id="small", version="1.0.0", title=TEXT, items=items, scales=scales, composites=composites)


SMALL = small_instrument()
# The same with the other two scoring methods: a scale's form scales with its method.
OTHER_METHODS = small_instrument(("pomp", "sum"))


@st.composite
def rater_sets(draw: st.DrawFn) -> list[Rating]:
    """Ratings of SMALL from a few groups, with answers left out at random."""
    ratings = []
    for group, most in (("self", 1), ("manager", 1), ("peers", 4), ("direct_reports", 4), ("others", 2)):
        for index in range(draw(st.integers(0, most))):
            answered = {i: draw(st.integers(1, 5)) for i in "abcd" if draw(st.integers(0, 3))}
            ratings.append(Rating(group=group, rater=f"{group}-{index}", answers=answered))
    return ratings


@pytest.mark.untraced
@pytest.mark.parametrize("instrument", [SMALL, OTHER_METHODS], ids=["mean", "pomp-sum"])
@given(rater_sets(), st.integers(2, 3), st.integers(3, 4))
def test_no_report_gives_away_a_rater_to_the_attacker(
    instrument: Instrument, ratings: list[Rating], min_group: int, min_all_others: int
) -> None:
    """On any rater set with missing answers, the shown means give away no combination of one rater's answers."""
    report = leadscore.aggregate(instrument, ratings, min_group=min_group, min_all_others=min_all_others)

    assert set() == exposed_raters(instrument, ratings, report)
    assert [] == derivable_hidden(instrument, ratings, report)


@pytest.mark.untraced
@given(rater_sets())
def test_the_same_ratings_in_any_order_give_the_same_report(ratings: list[Rating]) -> None:
    """One deterministic rule: the report depends on the ratings, not on their order."""
    shuffled = ratings[:]
    random.Random(len(ratings)).shuffle(shuffled)

    assert leadscore.aggregate(SMALL, ratings, min_group=2) == leadscore.aggregate(SMALL, shuffled, min_group=2)


SBL = leadscore.get_instrument("secure-base-leadership")
CARE = [
    "stays-calm",
    "accepts-the-individual",
    "sees-the-potential",
    "uses-listening-and-inquiry",
    "signals-accessibility",
]


def full(value: int, skip: str | None = None) -> dict[str, int]:
    """Every SBL item answered with *value*, but *skip*."""
    return {item.id: value for item in SBL.items if item.id != skip}


class TestTheReviewsExamples:
    def test_a_peer_who_leaves_a_dare_item_blank_is_not_given_away(self) -> None:
        """4 peers, one leaving a Dare item blank: Care over four minus the rest over three gave that peer's Care."""
        ratings = [
            Rating(group="self", rater="s", answers=full(4)),
            *(Rating(group="peers", rater=f"p{i}", answers=full(2 + i)) for i in range(3)),
            Rating(group="peers", rater="p3", answers=full(5, skip="encourages-risk-taking")),
        ]

        report = leadscore.aggregate(SBL, ratings)

        assert set() == exposed_raters(SBL, ratings, report)
        assert any("withheld" in note for f in report.composites.values() for note in f.suppressed)

    @pytest.mark.parametrize("instrument", [SMALL, OTHER_METHODS], ids=["mean", "pomp-sum"])
    def test_a_peer_who_skips_an_item_of_a_two_item_scale_is_not_given_away(self, instrument: Instrument) -> None:
        """3 peers, one skipping i1: i1 is hidden for peers, the scale shown with three gave the other two's mean of i1."""
        ratings = [
            Rating(group="peers", rater="p0", answers={"a": 1, "b": 2, "c": 3, "d": 4}),
            Rating(group="peers", rater="p1", answers={"a": 2, "b": 4, "c": 3, "d": 4}),
            Rating(group="peers", rater="p2", answers={"b": 5, "c": 3, "d": 4}),
        ]

        report = leadscore.aggregate(instrument, ratings)

        assert report.items["a"].group("peers") is None
        assert set() == exposed_raters(instrument, ratings, report)
        assert [] == derivable_hidden(instrument, ratings, report)

    @pytest.mark.untraced
    def test_the_shipped_example_gives_away_no_rater(self) -> None:
        """examples/sbl-360.json: its report showed one peer's sum of three Care answers; no longer."""
        data = json.loads((Path(__file__).parents[1] / "examples" / "sbl-360.json").read_text(encoding="utf-8"))
        ratings = [Rating(**entry) for entry in data["ratings"]]

        report = leadscore.aggregate(SBL, ratings)

        assert set() == exposed_raters(SBL, ratings, report)


def test_the_attacker_finds_what_the_size_rule_alone_let_through(monkeypatch: pytest.MonkeyPatch) -> None:
    """The attacker has teeth: on the figures the size rules alone show (no audit), it finds the peer with a blank."""
    ratings = [
        Rating(group="self", rater="s", answers=full(4)),
        *(Rating(group="peers", rater=f"p{i}", answers=full(2 + i)) for i in range(3)),
        Rating(group="peers", rater="p3", answers=full(5, skip="encourages-risk-taking")),
    ]
    monkeypatch.setattr(leadscore._aggregate, "audit", lambda *_, **__: (set(), set()))

    unaudited = leadscore.aggregate(SBL, ratings)
    # Found by a random search: the hidden others' mean of a (one rater's answer) follows from the rest.
    small = [
        Rating(group="direct_reports", rater="d0", answers={"a": 2, "b": 4, "c": 5}),
        Rating(group="direct_reports", rater="d1", answers={"a": 4, "b": 4, "c": 5}),
        Rating(group="direct_reports", rater="d2", answers={"b": 1, "c": 1, "d": 5}),
        Rating(group="others", rater="o0", answers={"b": 2, "c": 4, "d": 2}),
        Rating(group="others", rater="o1", answers={"a": 4, "b": 5, "c": 2}),
    ]

    assert {"p3"} <= exposed_raters(SBL, ratings, unaudited)
    assert "a: others" in derivable_hidden(SMALL, small, leadscore.aggregate(SMALL, small, min_group=2))


def test_the_audit_withholds_a_figure_that_gives_away_a_hidden_one() -> None:
    """The random search's example above, audited: the hidden others' mean of a no longer follows from the rest."""
    small = [
        Rating(group="direct_reports", rater="d0", answers={"a": 2, "b": 4, "c": 5}),
        Rating(group="direct_reports", rater="d1", answers={"a": 4, "b": 4, "c": 5}),
        Rating(group="direct_reports", rater="d2", answers={"b": 1, "c": 1, "d": 5}),
        Rating(group="others", rater="o0", answers={"b": 2, "c": 4, "d": 2}),
        Rating(group="others", rater="o1", answers={"a": 4, "b": 5, "c": 2}),
    ]

    report = leadscore.aggregate(SMALL, small, min_group=2)

    assert [] == derivable_hidden(SMALL, small, report)
    assert set() == exposed_raters(SMALL, small, report)
    assert any("withheld" in note for f in (*report.items.values(), *report.scales.values()) for note in f.suppressed)


def test_two_findings_that_one_withheld_figure_answers_withhold_it_once() -> None:
    """Found by a random search: two ways to a peer's answers share their first figure; withholding it ends both."""
    ratings = [
        Rating(group="peers", rater="p0", answers={"a": 2, "b": 2, "d": 5}),
        Rating(group="peers", rater="p1", answers={"b": 4, "c": 1, "d": 4}),
        Rating(group="peers", rater="p2", answers={"a": 5, "b": 2}),
        Rating(group="peers", rater="p3", answers={"a": 1, "b": 3}),
        Rating(group="direct_reports", rater="d0", answers={"b": 1, "c": 2, "d": 3}),
    ]

    report = leadscore.aggregate(SMALL, ratings, min_group=2)

    assert set() == exposed_raters(SMALL, ratings, report)
    assert [] == derivable_hidden(SMALL, ratings, report)


def fifty_by_thirty_withheld(missing: float) -> int:
    """How many item figures the audit withholds on the benchmark's shape (seed 3)."""
    big, ratings = case(missing, seed=3)
    report = leadscore.aggregate(big, ratings)
    return sum(len(f.withheld) for f in report.items.values())


def test_the_audit_of_fifty_items_and_thirty_raters() -> None:
    """The benchmark's shape, no answer left out, runs here too: nothing withheld (not timed)."""
    assert fifty_by_thirty_withheld(0.0) == 0


@pytest.mark.deep
def test_the_audit_of_fifty_items_and_thirty_raters_with_blanks() -> None:
    """The benchmark's shape with 5 % left out: the audits withhold item figures (not timed)."""
    assert fifty_by_thirty_withheld(0.05) > 0


def first_round() -> list[Rating]:
    """Self and four peers: the first round of the two-round tests."""
    return [
        Rating(group="self", rater="s", answers=full(4)),
        *(
            Rating(group="peers", rater=f"p{i}", answers={item.id: 1 + (i + n) % 5 for n, item in enumerate(SBL.items)})
            for i in range(4)
        ),
    ]


def test_a_rater_added_between_two_reports_is_not_given_away() -> None:
    """Report one with four peers, report two with a fifth: audited with the first's record (released=), it keeps the fifth safe."""
    first = first_round()
    second = [*first, Rating(group="peers", rater="late", answers=full(2))]
    earlier = leadscore.aggregate(SBL, first)
    assert earlier.release is not None

    naive = leadscore.aggregate(SBL, second)
    audited = leadscore.aggregate(SBL, second, released=[earlier.release])

    assert {"late"} == exposed_raters(SBL, second, naive, (first, earlier))
    assert set() == exposed_raters(SBL, second, audited, (first, earlier))


def recorded_round() -> str:
    """Round one's report made and its release record written as JSON: all that is kept of it; its answers are gone."""
    report = leadscore.aggregate(SBL, first_round())
    assert report.release is not None
    return leadscore.to_json(report.release)


def test_a_second_round_is_audited_from_release_records_alone() -> None:
    """
    Round one's answers deleted, its JSON record kept: round two is audited from the record alone (issue 30).

    The record holds no answer: only keys, groups, which items each rater answered, and the
    figures as shown. The attacker (who keeps round one's answers, for the check only) finds no one.
    """
    text = recorded_round()
    record = leadscore.from_json(text, leadscore.ReleaseRecord)
    second = [*first_round(), Rating(group="peers", rater="late", answers=full(2))]

    audited = leadscore.aggregate(SBL, second, released=[record])

    data = json.loads(text)
    assert set(data) == {"instrument_id", "instrument_version", "fingerprint", "audit", "raters", "figures"}
    assert all(set(rater) == {"key", "group", "answered"} for rater in data["raters"])
    assert {"p0", "p1", "p2", "p3", "s"} == {rater["key"] for rater in data["raters"]}
    assert "answers" not in text
    assert audited.release is not None
    assert audited.audit == audited.release.audit == 3
    assert audited != leadscore.aggregate(SBL, second)
    first = first_round()
    assert set() == exposed_raters(SBL, second, audited, (first, leadscore.aggregate(SBL, first)))


def test_a_record_is_the_report_as_shown() -> None:
    """Every shown figure of the report is in its record, as the page shows it, with the raters behind it by key."""
    data = json.loads((Path(__file__).parents[1] / "examples" / "sbl-360.json").read_text(encoding="utf-8"))
    ratings = [Rating(**entry) for entry in data["ratings"]]
    report = leadscore.aggregate(SBL, ratings)
    assert report.release is not None

    recorded = {(f.kind, f.id, f.group): f for f in report.release.figures}

    shown = 0
    for kind, collection in (("scale", report.scales), ("composite", report.composites), ("item", report.items)):
        for feedback in collection.values():
            for figure in [*feedback.groups, *([feedback.all_others] if feedback.all_others else [])]:
                entry = recorded[kind, feedback.id, figure.group]
                keys = {report.release.raters[r].key for r in entry.raters}
                members = (
                    members_of(ratings, figure.group, figure.merged_from)
                    if figure.group != "all-others"
                    else [r for r in ratings if r.group != "self"]
                )
                assert keys <= {r.rater for r in members}
                assert (entry.mean, len(entry.raters)) == (f"{figure.mean:.2f}", figure.n_raters)
                shown += 1
    assert shown == len(recorded) > 100
    assert leadscore.from_json(leadscore.to_json(report.release), leadscore.ReleaseRecord) == report.release


@pytest.mark.untraced
def test_the_report_command_audits_with_earlier_records(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The report command's --record FILE writes round one's record; --released FILE audits round two with it: no rater given away."""
    data = json.loads((Path(__file__).parents[1] / "examples" / "sbl-360.json").read_text(encoding="utf-8"))
    first = {**data, "ratings": [r for r in data["ratings"] if r["rater"] != "peer-4"]}
    (tmp_path / "round1.json").write_text(json.dumps(first), encoding="utf-8")
    (tmp_path / "round2.json").write_text(json.dumps(data), encoding="utf-8")
    page1, record, out = tmp_path / "round1.html", tmp_path / "round1.release.json", tmp_path / "report.html"

    made = main(["report", SBL.id, str(tmp_path / "round1.json"), "--out", str(page1), "--record", str(record)])
    said = capsys.readouterr().out
    (tmp_path / "round1.json").unlink()
    code = main(["report", SBL.id, str(tmp_path / "round2.json"), "--out", str(out), "--released", str(record)])

    ratings = [Rating(**entry) for entry in data["ratings"]]
    earlier = [Rating(**entry) for entry in first["ratings"]]
    audited = leadscore.aggregate(SBL, ratings, released=[leadscore.aggregate(SBL, earlier).release])  # type: ignore[list-item]
    assert (0, f"wrote {page1} and {record} (en)\n") == (made, said)
    assert (0, f"wrote {out} (en)\n") == (code, capsys.readouterr().out)
    assert set() == exposed_raters(SBL, ratings, audited, (earlier, leadscore.aggregate(SBL, earlier)))
    assert render(audited, lang="en", instrument=SBL, person=data["person"]) == out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("earlier", "message"),
    [
        ({"audit": 2}, "{path}: invalid release record: "),
        ([], "{path}: invalid release record: "),
        ("connective", "released[0] ... it records a report of 'connective-leadership'"),
    ],
    ids=["bad record", "no record", "another instrument"],
)
def test_a_bad_earlier_record_is_named_by_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], earlier: object, message: str
) -> None:
    """A problem in a --released file names that file, and no page is written."""
    example = Path(__file__).parents[1] / "examples" / "sbl-360.json"
    path = tmp_path / "round1.release.json"
    if earlier == "connective":
        ratings = [Rating(group="peers", rater=f"p{i}", answers={}) for i in range(3)]
        path.write_text(leadscore.to_json(leadscore.aggregate("connective-leadership", ratings).release), "utf-8")
        message = f"leadscore: {path}: it records a report of 'connective-leadership', not of {SBL.id!r}"
    else:
        path.write_text(json.dumps(earlier), encoding="utf-8")
    out = tmp_path / "report.html"

    got = main(["report", SBL.id, str(example), "--out", str(out), "--released", str(path)])

    assert 2 == got
    assert message.format(path=path) in capsys.readouterr().err
    assert not out.exists()


def test_an_earlier_records_error_names_the_round() -> None:
    """aggregate(released=...) says which earlier record is bad, and every problem in it."""
    good = leadscore.aggregate(SBL, first_round()).release
    assert good is not None
    bad = attrs.evolve(good, audit=1, figures=(attrs.evolve(good.figures[0], raters=(99,), mean="4"),))

    with pytest.raises(leadscore.errors.InvalidArgumentError) as raised:
        leadscore.aggregate(SBL, first_round(), released=[good, bad])

    assert str(raised.value) == (
        "released[1]: invalid release record: $.audit: must be an audit whose records this leadscore reads, 2 to 3 "
        "(got 1); $.figures[0].raters: must be positions in raters, from 0 to 4 (got (99,)); $.figures[0].mean: must be "
        "decimal text with two decimals, such as '3.67' (got '4')"
    )


@pytest.mark.parametrize(
    ("released", "message"),
    [
        ("round.json", r"^released must be an iterable of leadscore.ReleaseRecord, oldest first \(got 'round.json'\)$"),
        ({"round": []}, r"^released must be an iterable"),
        (3, r"^released must be an iterable"),
        ([[Rating(group="peers", rater="a", answers={})]], r"^released\[0\] must be a leadscore.ReleaseRecord"),
    ],
)
def test_released_must_be_release_records(released: object, message: str) -> None:
    """released= is a list of release records: text, a mapping, a number or rounds of ratings are refused."""
    with pytest.raises(leadscore.errors.ArgumentTypeError, match=message):
        leadscore.aggregate(SBL, [], released=released)  # type: ignore[arg-type]
