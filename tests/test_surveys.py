"""
Surveys out and responses back: `leadscore.export_survey` and the readers that close the loop.

The round trip is a property: for generated instruments (ids with separators, long ids, ids of
the counter's form, hostile texts, labels, poles, not-applicable answers, up to three
languages) and generated answers, each platform's response export (tests/platforms.py,
simulated from the survey file alone, with codes and with labels) is read back by
`read_responses` with no mapping file, to exactly the answers given. The SurveyJS form is
checked against the JSON schema survey-core publishes; the REDCap dictionary against REDCap's
documented column rules.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from hypothesis import given
from hypothesis import strategies as st

import leadscore

from leadscore import Instrument, Item, LocalizedText, NotApplicable, PointLabel, ResponseScale, Scale, Source
from leadscore._names import NAME, STAMP, answer_code, answer_of_code, items_by_name, stamp, variable_names
from leadscore._tabular import read_cell
from leadscore.errors import ArgumentTypeError, InvalidArgumentError, InvalidExportError
from leadscore.readers import read_responses
from leadscore.readers._mapping import normal
from leadscore.surveys import PLATFORMS, SurveyExportWarning, export_survey
from leadscore.testing.strategies import answers
from tests import platforms
from tests.strategies import fewer_examples


SOURCE = Source(document="generated for tests/test_surveys.py")
SCHEMA = Path(__file__).parent / "a11y" / "node_modules" / "survey-core" / "surveyjs_definition.json"


# --- generated instruments that push on every platform's names and texts ----------------------

IDS = st.from_regex(r"[a-z0-9]{1,9}(?:[-_.][a-z0-9]{1,9}){0,3}", fullmatch=True) | st.sampled_from(
    ["i1", "i2", "i3", "a-b", "ab", "a.b", "leadscore-x", "a" * 30, "g1_x"]
)
# Visible text with HTML's and CSV's special characters, quotes, accents and other scripts.
WORDS = st.text(
    alphabet=st.characters(categories=["L", "N", "P", "S", "Zs"], exclude_characters="|\u2028\u2029\x85"),
    min_size=1,
    max_size=16,
).filter(lambda text: text.strip() != "")


def _not_a_number(text: str) -> bool:
    try:
        read_cell(text)
    except ValueError:
        return True
    return False


def _key(text: str) -> str:
    return normal(text).casefold()


# Made once: a strategy made anew inside a draw is validated again on each draw (docs/testing.md).
LANGUAGES = st.sampled_from([("en",), ("nl", "en"), ("de", "en", "nl")])
ITEM_IDS = st.lists(IDS, min_size=1, max_size=7, unique=True).filter(lambda ids: STAMP not in ids)
LABEL_WORDS = WORDS.filter(_not_a_number)
NOT_APPLICABLE = st.integers(0, 3)


@st.composite
def survey_instruments(draw: st.DrawFn) -> Instrument:
    """An instrument whose every answer label is its own (no label says two answers of an item)."""
    languages = draw(LANGUAGES)
    ids = draw(ITEM_IDS)

    def text() -> LocalizedText:
        return LocalizedText({lang: draw(WORDS) for lang in languages})

    items = []
    for item_id in ids:
        low = draw(st.integers(-3, 2))
        high = low + draw(st.integers(1, 6))
        labelled = draw(st.lists(st.integers(low, high), unique=True, max_size=high - low + 1))
        has_na = draw(st.booleans())
        poles = draw(st.booleans())
        count = (len(labelled) + has_na + 2 * poles) * len(languages)
        words = draw(st.lists(LABEL_WORDS, min_size=count, max_size=count, unique_by=_key))
        pool = iter(words)

        def own(pool: Any = pool) -> LocalizedText:
            return LocalizedText({lang: next(pool) for lang in languages})

        labels = [PointLabel(value=v, text=own()) for v in labelled]
        codes = (low - 1, high + 1, 99, -99)
        na = NotApplicable(code=codes[draw(NOT_APPLICABLE)], label=own()) if has_na else None
        low_pole, high_pole = (own(), own()) if poles else (None, None)
        items.append(
            Item(
                id=item_id,
                text=text(),
                response=ResponseScale(min=low, max=high, labels=labels, not_applicable=na),
                source=SOURCE,
                low=low_pole,
                high=high_pole,
            )
        )
    scales = [Scale(id=f"s{n}", title=text(), items=(item.id,), min_answered=1) for n, item in enumerate(items)]
    return Instrument(id="generated-survey", version="1.2.3", title=text(), items=items, scales=scales)


def _read_back(data: bytes, name: str, instrument: Instrument) -> list[dict[str, int | None]]:
    """*data* as `read_responses` reads it from a file called *name*: each row's answers by item id."""
    source = io.BytesIO(data)
    source.name = name
    frame = read_responses(source, instrument).answers
    return [
        {item_id: None if pd.isna(value) else int(value) for item_id, value in row.items()}
        for row in frame.to_dict("records")
    ]


def _export(instrument: Instrument, fmt: str, **options: Any) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SurveyExportWarning)
        return export_survey(instrument, fmt, **options)


SIMULATED: dict[str, tuple[Callable[..., bytes], str, bool]] = {
    # format: (platform's response export, file name, whether it can export labels)
    "limesurvey": (platforms.limesurvey, "responses.csv", True),
    "qualtrics": (platforms.qualtrics, "responses.csv", True),
    "redcap": (platforms.redcap, "responses.csv", True),
    "surveyjs": (platforms.surveyjs, "results.json", False),
}


@pytest.mark.deep
@pytest.mark.parametrize(
    ("fmt", "labels"),
    [(fmt, labels) for fmt, (_, _, can) in SIMULATED.items() for labels in ((False, True) if can else (False,))],
)
@fewer_examples(5)
@given(data=st.data())
def test_every_platform_round_trips_generated_answers_exactly(fmt: str, labels: bool, data: st.DataObject) -> None:
    """
    Export the survey, answer it as the platform exports answers (codes or labels), read back: the same.

    In make test-deep only, at a fifth of its profile (200 examples) for each of the nine
    platform and answer-form pairs: each example generates texts in up to three languages and
    writes and reads a whole export (100 s for the nine at 200 under coverage). make test reads
    back each platform's export of the shipped instruments (test_cli_surveys.py, the example
    tests here), and the names the round trips depend on are a property at the full count
    (test_variable_names_fit_every_platform_and_reverse).
    """
    instrument = data.draw(survey_instruments(), label="instrument")
    people = data.draw(st.lists(answers(instrument), min_size=1, max_size=4), label="people")
    simulate, name, _ = SIMULATED[fmt]
    survey = _export(instrument, fmt)
    exported = simulate(survey, people, labels=labels) if fmt != "surveyjs" else simulate(survey, people)
    assert _read_back(exported, name, instrument) == [{i.id: p.get(i.id) for i in instrument.items} for p in people]


@pytest.mark.deep
@fewer_examples(5)
@given(instrument=survey_instruments(), data=st.data())
def test_the_html_forms_saved_file_round_trips(instrument: Instrument, data: st.DataObject) -> None:
    """
    The file the form saves (as its script writes it; the browser test checks that) reads back exactly.

    In make test-deep only, at a fifth of its profile, for the reasons of the round trips above;
    make test fills in the form in Chromium and scores the file it saves (test_surveys_browser.py).
    """
    person = data.draw(answers(instrument))
    saved = platforms.form_file(_export(instrument, "html"), person, respondent="p-1")
    assert _read_back(saved, "form.json", instrument) == [{i.id: person.get(i.id) for i in instrument.items}]


@pytest.mark.parametrize("instrument_id", ["secure-base-leadership", "connective-leadership"])
@pytest.mark.parametrize("fmt", sorted(SIMULATED))
def test_shipped_instruments_round_trip_in_dutch_and_english(instrument_id: str, fmt: str) -> None:
    """The shipped instruments, both languages, every answer (not applicable and unanswered too)."""
    instrument = leadscore.get_instrument(instrument_id)
    people = [
        {
            item.id: item.response.min + (n + k) % (item.response.max - item.response.min + 2)
            for n, item in enumerate(instrument.items)
        }
        for k in range(7)
    ]
    # One point past the top is "not answered", so every answer and no answer occur.
    given: list[dict[str, int | None]] = [
        {key: value if value <= instrument.item(key).response.max else None for key, value in p.items()} for p in people
    ]
    simulate, name, can = SIMULATED[fmt]
    survey = _export(instrument, fmt, languages=["nl", "en"])
    for labels in (False, True) if can else (False,):
        exported = simulate(survey, given, labels=labels) if can else simulate(survey, given)
        assert _read_back(exported, name, instrument) == given


# --- the names ----------------------------------------------------------------------------------


@pytest.mark.untraced
@given(instrument=survey_instruments())
def test_variable_names_fit_every_platform_and_reverse(instrument: Instrument) -> None:
    """Every name fits the rule, no two items share one, none is another item's id, and the map reverses."""
    names = variable_names(instrument)
    assert list(names) == [item.id for item in instrument.items]
    assert all(NAME.fullmatch(name) for name in names.values())
    assert len(set(names.values())) == len(names)
    ids = {item.id for item in instrument.items}
    assert all(name == item_id or name not in ids for item_id, name in names.items())
    assert items_by_name(instrument) == {name: item_id for item_id, name in names.items()}
    assert STAMP not in names.values()


def test_variable_names_are_readable_where_they_fit_and_counted_where_not(sbl: Instrument) -> None:
    """An id that fits without its dashes is its name; a longer one is counted; a counter that is another item's id gets an x."""
    names = variable_names(sbl)
    assert names["stays-calm"] == "stayscalm"
    assert names["uses-listening-and-inquiry"] == "i4"  # 23 characters without the dashes.
    first = Item(id="i3", text={"en": "x"}, response=ResponseScale(min=1, max=2), source=SOURCE)
    others = [
        Item(id=f"long-{'x' * 20}-{n}", text={"en": "x"}, response=ResponseScale(min=1, max=2), source=SOURCE)
        for n in range(3)
    ]
    instrument = Instrument(
        id="names",
        version="1.0.0",
        title={"en": "t"},
        items=[first, *others],
        scales=[Scale(id="s", title={"en": "s"}, items=["i3"], min_answered=1)]
        + [Scale(id=f"s{n}", title={"en": "s"}, items=[o.id], min_answered=1) for n, o in enumerate(others)],
    )
    # "i3" is the first item's id, so the third item is "i3x".
    assert list(variable_names(instrument).values()) == ["i1", "i2", "i3x", "i4"]


@given(st.integers(-(10**17), 10**17))
def test_answer_codes_reverse(value: int) -> None:
    """A LimeSurvey answer code is letters and digits, and reads back as the answer."""
    code = answer_code(value)
    assert re.fullmatch(r"[a-z0-9]+", code)
    assert (answer_of_code(code) if value < 0 else int(code)) == value


def test_answer_of_code_is_none_for_other_text() -> None:
    """Only ``n`` and a magnitude without leading zeros is a negative code (a huge one is none)."""
    assert [answer_of_code(text) for text in ("n0", "n", "x1", "n" + "9" * 5000, "-1")] == [None] * 5


# --- the formats against their specifications -------------------------------------------------


@pytest.mark.untraced
def test_the_surveyjs_form_is_valid_by_surveyjs_schema() -> None:
    """
    The JSON schema survey-core 3.1.1 publishes accepts the form, in one language and in two.

    The schema lets a page's element be any question type (``anyOf``), so an element is also
    checked against the definition its ``type`` names, as SurveyJS reads it.
    """
    import jsonschema  # noqa: PLC0415 - a test tool

    if not SCHEMA.is_file():
        from tests.browsers import missing  # noqa: PLC0415

        missing("survey-core's schema (npm ci --prefix tests/a11y)")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))

    def problems(form: dict[str, Any]) -> list[str]:
        found = [error.message for error in jsonschema.Draft7Validator(schema).iter_errors(form)]
        for page in form["pages"]:
            for element in page["elements"]:
                typed = {**schema, "$ref": f"#/definitions/{element['type']}"}
                found.extend(error.message for error in jsonschema.Draft7Validator(typed).iter_errors(element))
        return found

    for instrument_id in ("secure-base-leadership", "connective-leadership"):
        for languages in (["nl"], ["nl", "en"]):
            assert problems(json.loads(export_survey(instrument_id, "surveyjs", languages=languages))) == []
    wrong = json.loads(export_survey("secure-base-leadership", "surveyjs"))
    wrong["pages"][0]["elements"][0]["rows"] = 7
    wrong["pages"][0]["elements"][1]["columns"][0]["text"] = 7
    assert len(problems(wrong)) == 2  # The check can fail.


def _redcap_problems(text: str) -> list[str]:
    """REDCap's documented data-dictionary rules (REDCap KB RC-FD-08; REDCap's upload checks)."""
    from leadscore.surveys._redcap import COLUMNS  # noqa: PLC0415

    rows = list(csv.reader(io.StringIO(text)))
    problems = []
    if tuple(rows[0]) != COLUMNS or len(COLUMNS) != 18:
        problems.append("the header is not REDCap's 18 columns")
    fields = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    names = [f["Variable / Field Name"] for f in fields]
    if len(set(names)) != len(names):
        problems.append("a field name twice")
    if fields and fields[0]["Field Type"] != "text":
        problems.append("the first field (the record id) is not a text field")
    types = {
        "text",
        "notes",
        "dropdown",
        "radio",
        "checkbox",
        "yesno",
        "truefalse",
        "calc",
        "file",
        "slider",
        "descriptive",
        "sql",
    }
    groups: dict[str, set[str]] = {}
    for field in fields:
        name = field["Variable / Field Name"]
        if not re.fullmatch(r"[a-z][a-z0-9_]*", name) or len(name) > 100 or "__" in name or name.endswith("_"):
            problems.append(f"field name {name!r}")
        if not re.fullmatch(r"[a-z][a-z0-9_]*", field["Form Name"]):
            problems.append(f"form name {field['Form Name']!r}")
        if field["Field Type"] not in types:
            problems.append(f"field type {field['Field Type']!r}")
        if not field["Field Label"].strip():
            problems.append(f"{name}: no label")
        if field["Field Type"] in {"radio", "dropdown", "checkbox"}:
            choices = [c.split(",", 1) for c in field["Choices, Calculations, OR Slider Labels"].split("|")]
            codes = [c[0].strip() for c in choices]
            if any(len(c) != 2 or not c[1].strip() for c in choices) or len(set(codes)) != len(codes):
                problems.append(f"{name}: choices")
            if not all(re.fullmatch(r"-?[0-9]+|[A-Za-z0-9_]+", code) for code in codes):
                problems.append(f"{name}: choice codes {codes}")
        group = field["Matrix Group Name"]
        if group:
            if not re.fullmatch(r"[a-z0-9_]+", group):
                problems.append(f"matrix group name {group!r}")
            groups.setdefault(group, set()).add(field["Choices, Calculations, OR Slider Labels"])
    problems.extend(f"matrix group {g!r} with different choices" for g, c in groups.items() if len(c) > 1)
    return problems


@pytest.mark.deep
@fewer_examples(5)
@given(instrument=survey_instruments())
def test_the_redcap_dictionary_keeps_redcaps_rules(instrument: Instrument) -> None:
    """
    Generated instruments' dictionaries keep every documented rule.

    In make test-deep only, at a fifth of its profile: each is a whole export (9 s at 200 under
    coverage); the REDCap round trips above write the same dictionaries 80 times more.
    """
    assert _redcap_problems(_export(instrument, "redcap")) == []


def test_the_redcap_validator_finds_broken_dictionaries() -> None:
    """The rules' check fails a dictionary that breaks one (it can fail)."""
    text = export_survey("secure-base-leadership", "redcap", languages=["nl"])
    assert _redcap_problems(text) == []
    assert _redcap_problems(text.replace("stayscalm", "Stays-Calm")) == ["field name 'Stays-Calm'"]
    assert "record_id" in text.splitlines()[1]


def test_the_limesurvey_structure_has_one_row_per_language_and_codes_letters_and_digits() -> None:
    """Settings first, each row in every language in turn, codes of letters and digits, an equation then arrays."""
    text = export_survey("secure-base-leadership", "limesurvey", languages=["nl", "en"])
    assert text.startswith("\ufeffid\trelated_id\tclass\t")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter="\t"))
    by_class: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_class.setdefault(row["class"], []).append(row)
    assert [r["name"] for r in by_class["S"][:2]] == ["language", "additional_languages"]
    assert [r["text"] for r in by_class["S"][:2]] == ["nl", "en"]
    for kind in ("G", "Q", "SQ", "A"):
        assert [r["language"] for r in by_class[kind]] == ["nl", "en"] * (len(by_class[kind]) // 2)
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]{0,19}", r["name"]) for r in by_class["SQ"] + by_class["Q"])
    assert all(re.fullmatch(r"[A-Za-z0-9]{1,5}", r["name"]) for r in by_class["A"])
    assert [r["type/scale"] for r in by_class["Q"][::2]] == ["*", *["F"] * 9]


def test_the_qsf_names_columns_by_item_id_and_recodes_to_leadscores_answers() -> None:
    """Statements tagged by item id, recode values equal to the answers, translations and metadata present."""
    survey = json.loads(export_survey("secure-base-leadership", "qualtrics", languages=["nl", "en"]))
    questions = [e["Payload"] for e in survey["SurveyElements"] if e["Element"] == "SQ"]
    assert [tag for q in questions for tag in q["ChoiceDataExportTags"].values()] == [
        item.id for item in leadscore.get_instrument("secure-base-leadership").items
    ]
    assert questions[0]["RecodeValues"] == {str(n): str(n) for n in range(1, 6)}
    assert set(questions[0]["Language"]) == {"EN"}
    assert json.loads(survey["SurveyEntry"]["SurveyDescription"])["leadscore"]["instrument"] == "secure-base-leadership"


# --- what cannot be carried, and bad input ------------------------------------------------------


def test_redcap_warns_that_one_language_is_written_and_which_are_not() -> None:
    """Two languages asked of REDCap: a warning names the one written and the one left out; one language, none."""
    with pytest.warns(SurveyExportWarning, match="written in nl; en not carried"):
        export_survey("secure-base-leadership", "redcap", languages=["nl", "en"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        export_survey("secure-base-leadership", "redcap", languages=["en"])


def test_the_form_in_a_language_without_interface_words_says_its_buttons_are_english() -> None:
    """An instrument in German only: the form asks its items in German and warns that its buttons are in English."""
    item = Item(id="q", text={"de": "Bleibt ruhig unter Druck."}, response=ResponseScale(min=1, max=5), source=SOURCE)
    german = Instrument(
        id="german",
        version="1.0.0",
        title={"de": "Fragebogen"},
        items=[item],
        scales=[Scale(id="s", title={"de": "Skala"}, items=["q"], min_answered=1)],
    )

    with pytest.warns(SurveyExportWarning, match=r"there are no interface words in de \(.*\): the form's buttons"):
        page = export_survey(german, "html")

    assert "Bleibt ruhig unter Druck." in page


def _one_item(label: str = "a label", *, na: int | None = None, low: int = 1, high: int = 3) -> Instrument:
    item = Item(
        id="q",
        text={"en": "<script>alert('x')</script> & \"q\""},
        response=ResponseScale(
            min=low,
            max=high,
            labels=[PointLabel(value=low, text={"en": label})],
            not_applicable=NotApplicable(code=na, label={"en": "n/a"}) if na is not None else None,
        ),
        source=SOURCE,
    )
    return Instrument(
        id="one",
        version="1.0.0",
        title={"en": "</title><b>t</b>"},
        items=[item],
        scales=[Scale(id="s", title={"en": "s"}, items=["q"], min_answered=1)],
    )


def test_a_pipe_in_a_redcap_choice_is_written_as_a_slash_with_a_warning() -> None:
    """A label holding REDCap's choice separator is changed visibly, never silently."""
    with pytest.warns(SurveyExportWarning, match="'a|b'"):
        text = export_survey(_one_item("a|b"), "redcap")
    assert "1, a/b | 2, 2 | 3, 3" in text


def test_limesurvey_refuses_answers_its_codes_cannot_hold() -> None:
    """An answer whose code would pass five characters is refused; -9999 is n9999."""
    with pytest.raises(InvalidArgumentError, match="at most 5 characters: the answers -100000"):
        export_survey(_one_item(na=-100000), "limesurvey")
    assert "\tn9999\t-9999\t" in export_survey(_one_item(na=-9999), "limesurvey")


def test_hostile_texts_stay_text_in_every_format() -> None:
    """Markup in an item's text or the title is escaped where the format is HTML, and JSON keeps it as text."""
    instrument = _one_item()
    page = export_survey(instrument, "html")
    assert page.count("<script") == 2  # The survey's data and the form's script; the item's text is escaped.
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<title>&lt;/title&gt;&lt;b&gt;t&lt;/b&gt;</title>" in page
    assert "&lt;script&gt;" in export_survey(instrument, "limesurvey")
    assert "&lt;script&gt;" in export_survey(instrument, "qualtrics")
    assert json.loads(export_survey(instrument, "surveyjs"))["pages"][0]["elements"][0]["rows"][0]["text"].startswith(
        "<script>"
    )


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: export_survey("secure-base-leadership", "spss"), InvalidArgumentError, "platform must be one of"),
        (lambda: export_survey("secure-base-leadership", 3), ArgumentTypeError, "platform must be text"),  # type: ignore[arg-type]
        (
            lambda: export_survey("secure-base-leadership", "html", languages=["fr"]),
            InvalidArgumentError,
            "no language 'fr'",
        ),
        (lambda: export_survey("secure-base-leadership", "html", languages="nl"), ArgumentTypeError, "collection"),
        (lambda: export_survey("secure-base-leadership", "html", languages=[1]), ArgumentTypeError, "as text"),  # type: ignore[list-item]
        (lambda: export_survey("secure-base-leadership", "html", languages=[]), InvalidArgumentError, "at least one"),
        (lambda: export_survey(object(), "html"), ArgumentTypeError, "must be a leadscore.Instrument or its id"),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_are_named(call: Callable[[], Any], error: type[Exception], message: str) -> None:
    """Wrong formats, languages and types are refused with a message that names them."""
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_an_item_named_like_the_stamp_cannot_be_exported() -> None:
    """An item called leadscore would share the stamp's column: refused."""
    item = Item(id=STAMP, text={"en": "x"}, response=ResponseScale(min=1, max=2), source=SOURCE)
    instrument = Instrument(
        id="clash",
        version="1.0.0",
        title={"en": "t"},
        items=[item],
        scales=[Scale(id="s", title={"en": "s"}, items=[STAMP], min_answered=1)],
    )
    with pytest.raises(InvalidArgumentError, match="cannot be exported"):
        export_survey(instrument, "surveyjs")


# --- reading back: the stamp, the form file, SurveyJS results -----------------------------------


def test_responses_to_another_version_of_the_instrument_are_refused(sbl: Instrument) -> None:
    """A stamp that is not the installed instrument's stops the reading, naming both."""
    people = [{"stays-calm": 3}]
    exported = platforms.redcap(export_survey(sbl, "redcap", languages=["nl"]), people)
    older = exported.replace(stamp(sbl).encode(), b"secure-base-leadership 0.0.9 sha256:" + b"0" * 64)
    with pytest.raises(InvalidExportError, match=r"line 2: the survey was made from 'secure-base-leadership 0.0.9"):
        _read_back(older, "responses.csv", sbl)
    blank = exported.replace(stamp(sbl).encode(), b"")
    assert _read_back(blank, "responses.csv", sbl)[0]["stays-calm"] == 3  # A row the survey did not stamp.


def test_a_form_file_is_checked_whole(sbl: Instrument) -> None:
    """Every problem of a form file is named at once, by key."""
    saved = json.loads(platforms.form_file(export_survey(sbl, "html"), {"stays-calm": 2}))
    saved.update(format_version=2, instrument=None, extra=1)
    saved["answers"]["respondent"] = 1
    with pytest.raises(InvalidExportError) as raised:
        _read_back(json.dumps(saved).encode(), "form.json", sbl)
    assert [p.split(":")[0] for p in raised.value.problems] == ["the form file"] * 4
    text = str(raised.value)
    assert all(
        part in text for part in ("format_version must be 1", "instrument must be text", "'extra'", "'respondent'")
    )


def test_several_form_files_in_one_list_are_rows(sbl: Instrument) -> None:
    """A list of saved forms is one row per form."""
    page = export_survey(sbl, "html")
    forms = [json.loads(platforms.form_file(page, {"stays-calm": n}, respondent=f"p{n}")) for n in (1, 2)]
    assert [row["stays-calm"] for row in _read_back(json.dumps(forms).encode(), "forms.json", sbl)] == [1, 2]


def test_surveyjs_results_with_a_row_named_twice_are_refused(sbl: Instrument) -> None:
    """A column two questions would fill, a list of no objects, NaN and bad bytes are refused."""
    results = [{"g1": {"stays-calm": 3}, "stays-calm": 4}]
    with pytest.raises(InvalidExportError, match="'stays-calm' is both a row of the matrix 'g1' and the question"):
        _read_back(json.dumps(results).encode(), "results.json", sbl)
    with pytest.raises(InvalidExportError, match="a JSON answer file must hold"):
        _read_back(json.dumps({"results": [1]}).encode(), "results.json", sbl)
    with pytest.raises(InvalidExportError, match="not JSON"):
        _read_back(b"[1, NaN]", "results.json", sbl)
    with pytest.raises(InvalidExportError, match="not UTF-8"):
        _read_back(b"\xff\xfe[]", "results.json", sbl)


def test_a_label_of_two_answers_of_one_item_is_refused() -> None:
    """A text that labels two answers of an item says neither: the cell is refused, not read as the first."""
    item = Item(
        id="q",
        text={"en": "q"},
        response=ResponseScale(
            min=1, max=2, labels=[PointLabel(value=1, text={"en": "same"}), PointLabel(value=2, text={"en": "Same "})]
        ),
        source=SOURCE,
    )
    instrument = Instrument(
        id="twice",
        version="1.0.0",
        title={"en": "t"},
        items=[item],
        scales=[Scale(id="s", title={"en": "s"}, items=["q"], min_answered=1)],
    )
    with pytest.raises(leadscore.InvalidAnswersError) as raised:
        _read_back(b"q\nsame\n", "plain.csv", instrument)
    assert [str(p) for p in raised.value.exceptions] == [
        "row 2, column 'q': labels the answers 1 and 2 of this item alike, so it says neither (got 'same')"
    ]


def test_every_format_is_listed() -> None:
    """The five formats, in the order of the docs."""
    assert PLATFORMS == ("limesurvey", "qualtrics", "redcap", "surveyjs", "html")


def test_edges_of_reading_back(sbl: Instrument, tmp_path: Path) -> None:
    """An older Qualtrics column name is read; a folder, a form without answers and a JSON file with an encoding are refused."""
    assert _read_back(b"g1_stays-calm,g2_acceptstheindividual\n4,5\n", "old.csv", sbl)[0]["accepts-the-individual"] == 5
    folder = tmp_path / "folder.json"
    folder.mkdir()
    with pytest.raises(InvalidExportError, match=r"folder\.json"):
        read_responses(folder, sbl)
    saved = json.loads(platforms.form_file(export_survey(sbl, "html"), {}))
    saved["answers"] = [4]
    with pytest.raises(InvalidExportError, match="answers must be an object of item id to answer \\(got list\\)"):
        _read_back(json.dumps(saved).encode(), "form.json", sbl)
    path = tmp_path / "results.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(InvalidExportError, match="a JSON file is UTF-8 and has no delimiter"):
        read_responses(path, sbl, encoding="cp1252")


def test_an_instrument_without_one_language_for_all_its_texts_cannot_be_exported() -> None:
    """Items in German and English alike share no language: there is nothing to write a survey in."""
    items = [
        Item(id=f"q{n}", text={lang: "x"}, response=ResponseScale(min=1, max=2), source=SOURCE)
        for n, lang in enumerate(("de", "en"))
    ]
    instrument = Instrument(
        id="split",
        version="1.0.0",
        title={"de": "t", "en": "t"},
        items=items,
        scales=[Scale(id="s", title={"de": "s", "en": "s"}, items=["q0", "q1"], min_answered=1)],
    )
    with pytest.raises(InvalidArgumentError, match="has no language that every item text and title has"):
        export_survey(instrument, "html")
