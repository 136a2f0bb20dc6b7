"""
Release records (`leadscore.ReleaseRecord`): what a crafted or stale record gets, read from JSON or built in code.

Every refusal names every problem and where it is (``$.figures[3].raters``), and with
`leadscore.aggregate` which earlier record (``released[1]``). A record of another version of the
instrument is read with that version, when it is installed.
"""

from __future__ import annotations

import json

from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest

import leadscore

from leadscore import InvalidDefinitionError, Rating, ReleasedFigure, ReleasedRater, ReleaseRecord
from leadscore._privacy import field_for
from leadscore._release import earlier_rows
from leadscore.cli import main
from leadscore.errors import InvalidArgumentError
from tests.test_integer_privacy import generated


SBL = leadscore.get_instrument("secure-base-leadership")


def ratings() -> list[Rating]:
    """Self, manager, four peers (one leaves an item blank) and three direct reports."""
    answers = {item.id: 1 + n % 5 for n, item in enumerate(SBL.items)}
    blank = {k: v for k, v in answers.items() if k != "stays-calm"}
    return [
        Rating(group="self", rater="s", answers=answers),
        Rating(group="manager", rater="m", answers=answers),
        *(Rating(group="peers", rater=f"p{i}", answers=blank if i == 0 else answers) for i in range(4)),
        *(Rating(group="direct_reports", rater=i, answers=answers) for i in range(3)),
    ]


def record() -> ReleaseRecord:
    """The release record of the report of `ratings`."""
    made = leadscore.aggregate(SBL, ratings()).release
    assert made is not None
    return made


def figure_at(made: ReleaseRecord, kind: str, score_id: str, group: str) -> int:
    """The position of a figure in a record."""
    return next(i for i, f in enumerate(made.figures) if (f.kind, f.id, f.group) == (kind, score_id, group))


def test_integer_and_text_keys_survive_json() -> None:
    """Rater keys as given: integers stay integers, text stays text, through JSON and back."""
    made = record()

    back = leadscore.from_json(leadscore.to_json(made), ReleaseRecord)

    assert back == made
    assert {type(rater.key) for rater in back.raters} == {int, str}
    assert next(r for r in back.raters if r.key == "p0").answered == tuple(i.id for i in SBL.items[1:])


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        (
            lambda d: d["raters"][0].update(key=True, group="Peers", answered=["a", "a"]),
            [
                "must be text or an integer (got True) @ $.raters[0].key",
            ],
        ),
        (
            lambda d: d["raters"][1].update(key=d["raters"][0]["key"], group="merged", answered=["a", "a"]),
            [
                "repeats the key of an earlier rater @ $.raters[1].key",
                "must be a group's name, a lowercase slug (got 'merged') @ $.raters[1].group",
                "names an item twice @ $.raters[1].answered",
            ],
        ),
        (
            lambda d: d["figures"][0].update(kind="band", raters=[], mean="3.6", sd="1", rwg="0.55"),
            [
                "must be one of item, scale, composite (got 'band') @ $.figures[0].kind",
                "must name one rater or more, each once @ $.figures[0].raters",
                "must be decimal text with two decimals, such as '3.67' (got '3.6') @ $.figures[0].mean",
                "must be decimal text with one decimal, or null (got '1') @ $.figures[0].sd",
                "must be decimal text with one decimal, or null (got '0.55') @ $.figures[0].rwg",
            ],
        ),
        (
            lambda d: d["figures"].append(dict(d["figures"][0], raters=[0, 0])),
            [
                "repeats an earlier figure's kind, id and group @ $.figures[-1]",
                "must name one rater or more, each once @ $.figures[-1].raters",
            ],
        ),
        (
            lambda d: d.update(audit=4),
            ["must be an audit whose records this leadscore reads, 2 to 3 (got 4) @ $.audit"],
        ),
        (lambda d: d["figures"][0].update(extra=1), ["unknown key @ $.figures[0].extra"]),
    ],
    ids=["bad rater", "repeated rater", "bad figure", "repeated figure", "audit", "unknown key"],
)
def test_a_crafted_record_is_refused_naming_every_problem(change: Any, problems: list[str]) -> None:
    """from_json(text, ReleaseRecord): a bad key, group, figure or version, each named with its place."""
    data = json.loads(leadscore.to_json(record()))
    change(data)
    text = json.dumps(data).replace(f"$.figures[{len(data['figures']) - 1}]", "")

    with pytest.raises(InvalidDefinitionError) as raised:
        leadscore.from_json(text, ReleaseRecord)

    last = f"$.figures[{len(data['figures']) - 1}]"
    assert [str(p).replace(last, "$.figures[-1]") for p in raised.value.problems] == problems


def test_a_record_built_in_code_is_checked_when_used() -> None:
    """A record an app builds (no converter between) is checked by aggregate: wrong types are named, not raised."""
    made = record()
    rater: Any = ReleasedRater(key=4.5, group=7, answered=["stays-calm"])  # type: ignore[arg-type]
    figure: Any = ReleasedFigure(kind="scale", id=3, group=None, raters=[0], mean=3.5)  # type: ignore[arg-type]
    bad = attrs.evolve(made, raters=(*made.raters, rater), figures=(*made.figures, figure))

    with pytest.raises(InvalidArgumentError) as raised:
        leadscore.aggregate(SBL, ratings(), released=[made, bad])

    n, m = len(made.raters), len(made.figures)
    assert str(raised.value) == (
        f"released[1]: invalid release record: $.raters[{n}].key: must be text or an integer (got 4.5); "
        f"$.raters[{n}].group: must be a group's name, a lowercase slug (got 7); "
        f"$.raters[{n}].answered: must be item ids (got ['stays-calm']); "
        f"$.figures[{m}].id: must be an id (got 3); $.figures[{m}].group: must be a group's name (got None); "
        f"$.figures[{m}].raters: must be positions in raters, from 0 to {n} (got [0]); "
        f"$.figures[{m}].mean: must be decimal text with two decimals, such as '3.67' (got 3.5)"
    )


def test_a_record_that_does_not_fit_its_instrument_is_refused() -> None:
    """Items the instrument lacks, a score it lacks, raters who cannot be behind a figure: each named."""
    made = record()
    peer = next(i for i, r in enumerate(made.raters) if r.key == "p0")
    manager = next(i for i, r in enumerate(made.raters) if r.key == "m")
    self_ = next(i for i, r in enumerate(made.raters) if r.key == "s")
    figures = list(made.figures)
    calm = figure_at(made, "item", "stays-calm", "direct_reports")
    peers = figure_at(made, "item", "sees-the-potential", "peers")
    others = figure_at(made, "item", "focuses-on-the-positive", "all-others")
    figures[calm] = attrs.evolve(figures[calm], raters=(*figures[calm].raters, peer))  # p0 left it blank
    figures[peers] = attrs.evolve(figures[peers], raters=(*figures[peers].raters, manager))
    figures[others] = attrs.evolve(figures[others], raters=(*figures[others].raters, self_))
    figures.append(ReleasedFigure(kind="composite", id="courage", group="merged", raters=(manager,), mean="1.00"))
    figures.append(ReleasedFigure(kind="scale", id="overall", group="merged", raters=(manager,), mean="1.00"))
    raters = list(made.raters)
    raters[peer] = attrs.evolve(raters[peer], answered=(*raters[peer].answered, "q99"))
    bad = attrs.evolve(made, raters=tuple(raters), figures=tuple(figures))

    with pytest.raises(InvalidArgumentError) as raised:
        leadscore.aggregate(SBL, ratings(), released=[bad])

    version = f"{SBL.id} {SBL.version}"
    assert str(raised.value).split("; ") == [
        f"released[0]: invalid release record: $.raters[{peer}].answered: 'q99' is no item of {version}",
        f"$.figures[{calm}]: a rater behind it has no item 'stays-calm' by the items it answered",
        f"$.figures[{peers}]: its raters are not all of group 'peers'",
        f"$.figures[{others}]: its raters are not all of group 'all-others'",
        f"$.figures[{len(figures) - 2}]: {version} has no composite 'courage'",
        f"$.figures[{len(figures) - 1}]: its raters are not all of group 'merged'",
    ]


def test_a_record_of_another_instrument_or_version_is_refused() -> None:
    """Another instrument's record, a version not installed, a fingerprint that is not the version's: refused."""
    made = record()
    cases = {
        "another instrument": attrs.evolve(made, instrument_id="connective-leadership"),
        "no such version": attrs.evolve(made, instrument_version="9.9.9"),
        "not its fingerprint": attrs.evolve(made, fingerprint="sha256:" + "0" * 64),
    }
    said = {}
    for name, bad in cases.items():
        with pytest.raises(InvalidArgumentError) as raised:
            leadscore.aggregate(SBL, ratings(), released=[bad])
        said[name] = str(raised.value)

    assert said["another instrument"] == (
        f"released[0]: it records a report of 'connective-leadership', not of {SBL.id!r}"
    )
    assert said["no such version"].startswith(
        f"released[0]: it was made with version 9.9.9 of {SBL.id!r}, which is not installed or registered ("
    )
    assert said["not its fingerprint"] == (
        f"released[0]: its fingerprint sha256:{'0' * 64} is not that of {SBL.id} {SBL.version} ({made.fingerprint})"
    )


def test_a_record_of_an_earlier_installed_version_is_read_with_that_version() -> None:
    """Version 1 of an instrument released round one; round two is of version 2: the record is read with version 1."""
    five = leadscore.ResponseScale(min=1, max=5)
    source = leadscore.Source(document="test")
    text = {"en": "t", "nl": "t"}

    def version(number: str, extra: bool) -> leadscore.Instrument:
        ids = ["a", "b", "c"] if extra else ["a", "b"]
        return leadscore.Instrument(
            id="release-versions",
            version=number,
            title=text,
            items=[leadscore.Item(id=i, text=text, response=five, source=source) for i in ids],
            scales=[leadscore.Scale(id="all", title=text, items=ids, min_answered=1)],
        )

    one, two = version("1.0.0", extra=False), version("2.0.0", extra=True)
    leadscore.register(one)
    leadscore.register(two)
    try:
        peers = [Rating(group="peers", rater=f"p{i}", answers={"a": 1 + i, "b": 2}) for i in range(4)]
        first = leadscore.aggregate(one, peers).release
        later = [*peers, Rating(group="peers", rater="late", answers={"a": 5, "b": 5})]

        audited = leadscore.aggregate(two, later, released=[first] if first else [])
        naive = leadscore.aggregate(two, later)
    finally:
        leadscore._registry.default_registry().unregister("release-versions")

    # Without round one, every peers figure shows; with it, the late peer's a and b would follow.
    assert naive.items["a"].group("peers") is not None
    assert audited.items["a"].group("peers") is None
    assert "peers" in audited.items["a"].withheld


def test_the_report_command_writes_the_record_beside_the_page(tmp_path: Path) -> None:
    """Report --record FILE: the page and its release record, both written; the record is the report's, as JSON."""
    data = {"ratings": [{"group": r.group, "rater": r.rater, "answers": dict(r.answers)} for r in ratings()]}
    source, page, stored = tmp_path / "ratings.json", tmp_path / "page.html", tmp_path / "round1.release.json"
    source.write_text(json.dumps(data), encoding="utf-8")

    code = main(["report", SBL.id, str(source), "--out", str(page), "--record", str(stored)])

    assert 0 == code
    assert page.exists()
    assert stored.read_text(encoding="utf-8") == leadscore.to_json(record()) + "\n"


def test_the_report_command_records_every_subject_of_an_export(tmp_path: Path) -> None:
    """Report EXPORT --out-dir DIR --record FILE: one page per subject, and one file of their records by subject."""
    export, out, stored = tmp_path / "round1.csv", tmp_path / "out", tmp_path / "round1.releases.json"
    rows = ["SubjectUniqueIdentifier,ParticipantUniqueIdentifier,Relationship,stays-calm"]
    rows += [f"{who},{who}-{n},{'Self' if n == 0 else 'Peer'},{1 + n % 5}" for who in ("a", "b") for n in range(5)]
    export.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out.mkdir()

    code = main(["report", SBL.id, str(export), "--out-dir", str(out), "--record", str(stored)])

    reports = leadscore.aggregate_file(SBL, export)
    assert 0 == code
    assert sorted(p.name for p in out.iterdir()) == ["a.html", "b.html"]
    assert leadscore.read_releases(stored) == {who: report.release for who, report in reports.items()}


def test_records_follow_their_published_schema() -> None:
    """Every record aggregate makes validates against schema_path("release"); a crafted one does not."""
    schema = json.loads(leadscore.schema_path("release").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    spread = [Rating(group="peers", rater=f"p{i}", answers={"stays-calm": 1 + i % 5}) for i in range(12)]
    made = [record(), leadscore.aggregate(SBL, spread).release]
    crafted = json.loads(leadscore.to_json(record()))
    crafted["figures"][0]["mean"] = "3.6712"
    crafted["raters"][0]["answers"] = {"stays-calm": 4}

    for shown in made:
        validator.validate(json.loads(leadscore.to_json(shown)))
    errors = sorted(error.message for error in validator.iter_errors(crafted))

    assert any(f.sd is not None for shown in made if shown for f in shown.figures)
    assert len(errors) == 2
    assert "'3.6712' does not match" in errors[0]
    with pytest.raises(InvalidArgumentError, match=r"^what must be 'instrument' or 'release' \(got 'result'\)$"):
        leadscore.schema_path("result")


def test_a_record_of_the_audit_before_is_read() -> None:
    """A record of audit 2 (issue 30's rules) is still what a report showed: round two is audited with it."""
    older = attrs.evolve(record(), audit=2)

    assert leadscore.aggregate(SBL, ratings(), released=[older]) == leadscore.aggregate(
        SBL, ratings(), released=[record()]
    )


def test_the_answers_behind_an_earlier_sd_are_kept_by_the_next_audit() -> None:
    """
    A record whose figures show an SD: the answers behind it are fixed for the next report's witnesses.

    Eleven or more protected raters: all others' SD and r_wg of some scores are shown. Every
    protected answer behind a shown item SD is fixed, and nothing but the answers of the
    protected raters behind a shown SD (the manager's are known).
    """
    ratings = generated(5, peers=(5, 6), reports=(6, 8))
    made = leadscore.aggregate(SBL, ratings).release
    assert made is not None
    spread = [f for f in made.figures if f.sd is not None]
    assert {f.kind for f in spread} >= {"item", "scale"}

    earlier = earlier_rows(SBL, [made], field_for(made))

    protected = [r for r, rater in enumerate(made.raters) if rater.group not in {"self", "manager"}]
    behind = {
        ("answer", made.raters[r].key, item_id)
        for f in spread
        for r in f.raters
        if r in protected
        for item_id in made.raters[r].answered
    }
    items = {
        ("answer", made.raters[r].key, f.id) for f in spread if f.kind == "item" for r in f.raters if r in protected
    }
    assert items <= earlier.fixed <= behind
