"""
Fuzzing the readers of survey exports: damaged files, hostile headers, wrong arguments.

The promise: `read_responses`, `read_ratings` and `load_mapping` give a correct result or
raise a `LeadscoreError` (an `ImportError` only for a missing extra, which the tests have);
no other exception escapes, and a result's answers are each an item's answer, not answered,
or its not-applicable code.
"""

from __future__ import annotations

import codecs
import io

import pandas as pd

from hypothesis import example, given
from hypothesis import strategies as st

import leadscore

from leadscore.readers import load_mapping, read_ratings, read_responses
from tests.adversarial.hostile import TRICKY_TEXT, hostile, outcome


SBL = leadscore.get_instrument("secure-base-leadership")
ITEMS = [item.id for item in SBL.items]
WORDS = st.one_of(
    st.sampled_from(
        [
            *ITEMS,
            "respondent",
            "StartDate",
            "ResponseId",
            "CASE",
            "QUESTNNR",
            "Participant Id",
            "Timestamp",
            "SubjectUniqueIdentifier",
            "ParticipantUniqueIdentifier",
            "Relationship",
            '{"ImportId":"QID1"}',
            "Q [stays-calm]",
            "x - " + SBL.items[0].text.get("nl"),
            "",
            "4",
            "-9",
            "-96",
            "Zelf",
            "Collega",
            "mee eens",
            "4.5",
        ]
    ),
    st.integers(0, len(TRICKY_TEXT) - 1).map(TRICKY_TEXT.__getitem__).filter(lambda t: len(t) < 200),
    st.text(max_size=8),
)


@st.composite
def damaged_files(draw: st.DrawFn) -> bytes:
    """A delimited file of plausible and hostile cells, in some encoding, possibly cut or with a stray byte."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    width = draw(st.integers(1, 6))
    lines = []
    for _ in range(draw(st.integers(0, 6))):
        cells = draw(st.lists(WORDS, min_size=1, max_size=width + 1))
        quoted = ['"' + c.replace('"', '""') + '"' if draw(st.booleans()) else c for c in cells]
        lines.append(delimiter.join(quoted))
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")  # Lone surrogates: bytes no UTF-8 decoder takes.
    if data and draw(st.booleans()):
        cut = draw(st.integers(0, len(data)))
        data = data[:cut] + draw(st.sampled_from([b"", b"\xff", b"\x00", b'"', codecs.BOM_UTF16_LE]))
    return data


def answers_are_answers(frame: object) -> bool:
    """Every cell of a read_responses answers frame is an item's answer or not answered."""
    for item in SBL.items:
        for value in frame[item.id].tolist():  # type: ignore[index]
            if not pd.isna(value) and not item.response.min <= value <= item.response.max:
                return False
    return True


@given(damaged_files(), st.sampled_from(["auto", "csv", "qualtrics", "sosci", "castor", "surveymonkey"]))
def test_read_responses_reads_or_refuses(data: bytes, platform: str) -> None:
    """A damaged or hostile file: a result of answers, or a LeadscoreError, nothing else."""
    got = outcome(read_responses, io.BytesIO(data), SBL, platform=platform, ignore=["respondent"])

    if not isinstance(got, leadscore.LeadscoreError):
        assert list(got.answers.columns) == ITEMS
        assert answers_are_answers(got.answers)


@given(damaged_files())
def test_read_ratings_reads_or_refuses(data: bytes) -> None:
    """A damaged 360 export: each subject's ratings, or a LeadscoreError."""
    got = outcome(read_ratings, io.BytesIO(data), SBL)

    if not isinstance(got, leadscore.LeadscoreError):
        for ratings in got.subjects.values():
            assert all(r.group in {"self", "manager", "peers", "direct_reports", "others"} for r in ratings)


@given(st.one_of(st.text(max_size=200), st.sampled_from(['[columns]\n"a" = {x = 1}', "values = 3", "ignore = [1]"])))
def test_load_mapping_reads_or_refuses(text: str) -> None:
    """Any text as a mapping file: a mapping, or a LeadscoreError naming what is wrong."""
    outcome(load_mapping, text)


@given(hostile(), hostile())
@example(source="\ud800", keep=[])  # A name no file can have: make test-deep's fuzzer found it (an UnicodeEncodeError).
def test_wrong_arguments_are_refused(source: object, keep: object) -> None:
    """Anything as a source, or as the columns to keep: refused with a LeadscoreError, or read."""
    outcome(read_responses, source, SBL, keep=keep)
