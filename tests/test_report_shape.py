"""One shape for every report: ids, counts, collections by id, and the instrument they are about."""

from __future__ import annotations

import typing

from typing import Any

import attrs
import pytest

import leadscore

from leadscore import (
    ById,
    ChangeReport,
    CompositeScore,
    FeedbackReport,
    GroupFigure,
    GroupReport,
    ItemStatistics,
    PersonChange,
    Rating,
    ReliabilityReport,
    ScaleChange,
    ScaleNorm,
    ScaleReliability,
    ScaleScore,
    ScoreFeedback,
)
from leadscore.testing import CheckReport


REPORTS = [FeedbackReport, GroupReport, ReliabilityReport, ChangeReport, CheckReport]
ENTRIES = [
    ScoreFeedback,
    GroupFigure,
    ScaleReliability,
    ItemStatistics,
    ScaleChange,
    PersonChange,
    ScaleScore,
    CompositeScore,
]
COUNTS = {"n_answered", "n_not_applicable", "n_items", "n_raters", "n_respondents"}


@pytest.mark.parametrize("cls", REPORTS, ids=lambda c: c.__name__)
def test_every_report_names_the_instrument_it_is_about(cls: type) -> None:
    """Instrument id, version and fingerprint come first, so a stored report can be checked."""
    names = [field.name for field in attrs.fields(cls)]

    assert ["instrument_id", "instrument_version", "fingerprint"] == names[:3]


@pytest.mark.parametrize("cls", [*REPORTS, *ENTRIES, ScaleNorm], ids=lambda c: c.__name__)
def test_ids_counts_and_collections_are_named_alike(cls: type) -> None:
    """An entry's id is `id`; counts are `n_` and a noun from the one vocabulary; collections of
    entries are `ById` mappings; no field keeps a former name.
    """
    hints = typing.get_type_hints(cls)
    names = [field.name for field in attrs.fields(cls)]

    former = {"n", "scale_id", "item_id", "results", "scale_results", "item_results", "n_responses"}
    if cls is CheckReport:
        former.remove("results")  # The kit's results are invariants, numbered, not entries by id.
    assert not former & set(names)
    assert {name for name in names if name.startswith("n_")} <= COUNTS
    assert "id" in names or cls in REPORTS or cls is GroupFigure or cls is PersonChange
    for name in names:
        if typing.get_origin(hints[name]) is tuple and attrs.has(typing.get_args(hints[name])[0]):
            # A tuple of entries is allowed only where the entries have no id: ordered, not looked up.
            assert "id" not in {f.name for f in attrs.fields(typing.get_args(hints[name])[0])}, f"{cls.__name__}.{name}"


def reports() -> dict[str, Any]:
    """One of each report, from the shipped Secure Base Leadership instrument."""
    rows = [
        {"stays-calm": v, "accepts-the-individual": (v % 5) + 1, "sees-the-potential": 6 - v} for v in (1, 2, 4, 5, 3)
    ]
    ratings = [Rating(group="self", rater="s", answers=rows[0])] + [
        Rating(group="peers", rater=f"p{i}", answers=row) for i, row in enumerate(rows)
    ]
    reliability = leadscore.reliability("secure-base-leadership", rows)
    return {
        "feedback": leadscore.aggregate("secure-base-leadership", ratings),
        "reliability": reliability,
        "change": leadscore.change("secure-base-leadership", rows, rows[::-1], reliability={"overall": 0.8}),
    }


def test_every_report_carries_the_fingerprint_its_results_carry() -> None:
    """A report's fingerprint is the instrument's, as on every result."""
    fingerprint = leadscore.fingerprint(leadscore.get_instrument("secure-base-leadership"))

    assert {fingerprint} == {report.fingerprint for report in reports().values()}


def test_collections_are_mappings_by_id_in_the_instruments_order() -> None:
    """`.scales`, `.items` and `.composites` are ById mappings, in the instrument's order."""
    sbl = leadscore.get_instrument("secure-base-leadership")
    got = reports()
    scale_ids = [scale.id for scale in sbl.scales]

    for report in got.values():
        assert isinstance(report.scales, ById)
        assert scale_ids == list(report.scales)
    assert [item.id for item in sbl.items] == list(got["feedback"].items)
    assert [c.id for c in sbl.composites] == list(got["feedback"].composites)
    assert sbl.scales[-1].items == tuple(got["reliability"].scales[scale_ids[-1]].items)
