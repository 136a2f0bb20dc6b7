"""load_instrument(): TOML and JSON definitions, strict, with paths; and the JSON Schema agrees."""

from __future__ import annotations

import copy
import functools
import json
import tomllib

from pathlib import Path
from typing import Any

import jsonschema
import pytest

from hypothesis import given

import leadscore

from leadscore import Instrument, InvalidDefinitionError, load_instrument, schema_path, to_json
from leadscore.testing.strategies import instruments
from tests.conftest import SBL_PATH


MINIMAL_TOML = """
id = "mini"
version = "1.0.0"
title = { nl = "Mini", en = "Mini" }

[response_scales.agree5]
min = 1
max = 5

[[items]]
id = "a"
text = { nl = "Ik luister.", en = "I listen." }
response = "agree5"
source = { document = "tests" }

[[items]]
id = "b"
text = { nl = "Ik vraag door.", en = "I ask further." }
response = { min = 1, max = 5 }
source = { document = "tests" }

[[scales]]
id = "listening"
title = { nl = "Luisteren", en = "Listening" }
items = ["a", "b"]
reverse_keyed = ["b"]
min_answered = 2
"""


def mini_code_twin() -> Instrument:
    """The MINIMAL_TOML instrument, written in Python."""
    five = leadscore.ResponseScale(min=1, max=5)
    source = leadscore.Source(document="tests")
    return Instrument(
        id="mini",
        version="1.0.0",
        title={"nl": "Mini", "en": "Mini"},
        items=[
            leadscore.Item(id="a", text={"nl": "Ik luister.", "en": "I listen."}, response=five, source=source),
            leadscore.Item(
                id="b",
                text={"nl": "Ik vraag door.", "en": "I ask further."},
                response=five,
                source=source,
            ),
        ],
        scales=[
            leadscore.Scale(
                id="listening",
                title={"nl": "Luisteren", "en": "Listening"},
                items=["a", "b"],
                reverse_keyed=["b"],
                min_answered=2,
            )
        ],
    )


def problems_of(data: Any) -> list[str]:
    """The problems load_instrument reports for *data*, as text."""
    with pytest.raises(InvalidDefinitionError) as caught:
        load_instrument(data)
    return [str(problem) for problem in caught.value.problems]


def mini() -> dict[str, Any]:
    """A fresh, valid definition as plain data."""
    return tomllib.loads(MINIMAL_TOML)


class TestLoadInstrument:
    def test_toml_file_loads_to_its_code_twin(self, tmp_path: Path) -> None:
        """A TOML definition and the same instrument written in Python are equal."""
        path = tmp_path / "mini.toml"
        path.write_text(MINIMAL_TOML, encoding="utf-8")

        assert mini_code_twin() == load_instrument(path)

    def test_json_file_and_mapping_load_alike(self, tmp_path: Path) -> None:
        """A JSON file and a plain mapping give the same instrument as the TOML text."""
        path = tmp_path / "mini.json"
        path.write_text(json.dumps({"$schema": "x", **mini()}), encoding="utf-8")

        assert mini_code_twin() == load_instrument(path)
        assert mini_code_twin() == load_instrument(mini())

    def test_mapping_is_not_changed(self) -> None:
        """Loading leaves the caller's mapping as it was."""
        data = mini()
        before = copy.deepcopy(data)

        load_instrument(data)

        assert before == data

    def test_shipped_definition_loads(self) -> None:
        """The shipped Secure Base Leadership definition loads with nine items and a balance."""
        sbl = load_instrument(SBL_PATH)

        assert 9 == len(sbl.items)
        assert ["care", "dare", "care-dare-balance"] == [c.id for c in sbl.composites]

    def test_error_paths_for_unknown_keys_types_and_missing_fields(self) -> None:
        """Every structural problem is reported at once, each with its path."""
        data = mini()
        data["colour"] = "blue"
        data["items"][0]["text"] = "plain"
        data["items"][1]["response"]["min"] = True
        data["items"][1]["response"]["max"] = 4.7
        data["scales"][0]["items"] = "ab"
        data["scales"][0]["min_answered"] = "2"
        del data["version"]

        assert [
            "required key missing @ $.version",
            "must be a mapping of language to text (got 'plain') @ $.items[0].text",
            "must be an integer (got True) @ $.items[1].response.min",
            "must be an integer (got 4.7) @ $.items[1].response.max",
            "must be a list (got 'ab') @ $.scales[0].items",
            "must be an integer (got '2') @ $.scales[0].min_answered",
            "unknown key @ $.colour",
        ] == problems_of(data)

    def test_error_paths_for_model_rules(self) -> None:
        """Rules the model checks come back with the path of the object that broke them."""
        data = mini()
        data["scales"][0]["items"] = ["a", "b", "c"]
        data["scales"][0]["min_answered"] = 5
        data["items"][0]["response"] = {"min": 3, "max": 3}

        assert [
            "response min must be below max (got min 3 and max 3) @ $.items[0].response",
            "scale 'listening' must require from 1 to 3 answered items (got 5) @ $.scales[0].min_answered",
        ] == problems_of(data)

    def test_error_when_named_response_scale_is_unknown(self) -> None:
        """An item naming a response scale that is not defined is reported once, with its path."""
        data = mini()
        data["items"][0]["response"] = "agree7"

        assert ["names unknown response scale 'agree7' (known: 'agree5') @ $.items[0].response"] == problems_of(data)

    def test_error_when_response_scales_is_not_a_table(self) -> None:
        """response_scales must be a table of named scales."""
        data = mini()
        data["response_scales"] = ["agree5"]
        data["items"][0]["response"] = {"min": 1, "max": 5}

        assert ["must be a table of named response scales (got ['agree5']) @ $.response_scales"] == problems_of(data)

    def test_error_when_items_is_not_a_list(self) -> None:
        """A table where the item list belongs is reported at its path."""
        data = mini()
        data["items"] = {"a": 1}

        assert ["must be a list (got {'a': 1}) @ $.items"] == problems_of(data)

    def test_error_when_file_is_not_toml_or_json(self, tmp_path: Path) -> None:
        """Only .toml and .json files are read; broken files are reported."""
        yaml = tmp_path / "mini.yaml"
        yaml.write_text("id: mini", encoding="utf-8")
        broken = tmp_path / "broken.json"
        broken.write_text('{"id": NaN}', encoding="utf-8")
        listed = tmp_path / "list.json"
        listed.write_text("[1]", encoding="utf-8")

        assert ["a definition file must end in .toml or .json (got 'mini.yaml') @ $"] == problems_of(yaml)
        assert ["NaN is not a JSON number @ $"] == problems_of(broken)
        assert ["a definition must be a table of keys (got list) @ $"] == problems_of(listed)


@functools.cache
def validator() -> jsonschema.Draft202012Validator:
    """A validator for the shipped JSON Schema, checked against the metaschema once per run."""
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _mutate(path: str, value: Any) -> dict[str, Any]:
    """mini() with the value at a dotted *path* replaced (or deleted when value is ...)."""
    data = mini()
    *parents, last = path.split(".")
    target: Any = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    key: Any = int(last) if last.isdigit() else last
    if value is ...:
        del target[key]
    else:
        target[key] = value
    return data


# Structural mistakes: the schema and the loader must both reject each one.
STRUCTURAL = [
    ("version", ...),
    ("colour", "blue"),
    ("id", "Mini"),
    ("version", "1.0"),
    ("title", {}),
    ("title", {"NL": "x"}),
    ("title", {"nl": " "}),
    ("items.0.id", 3),
    ("items.0.source", {"section": "x"}),
    ("items.0.extra", 1),
    ("items.1.response.min", "1"),
    ("items.1.response.max", True),
    ("scales.0.items", []),
    ("scales.0.items", ["a", "a"]),
    ("scales.0.items", "ab"),
    ("scales.0.min_answered", 0),
    ("scales.0.method", "median"),
    ("scales.0.reverse_keyed", ["b", "b"]),
    ("scales", []),
    ("scales.0.bands", [{"id": "x", "label": {"en": "x"}, "lower": "1", "upper": 5}]),
]

# Mistakes only the loader can see: references, ranges and coverage.
SEMANTIC_ONLY = [
    ("scales.0.items", ["a", "zz"]),
    ("scales.0.min_answered", 3),
    ("items.1.response", {"min": 5, "max": 1}),
    ("scales.0.bands", [{"id": "x", "label": {"en": "x"}, "lower": 1, "upper": 4}]),
]


class TestSchema:
    @pytest.mark.parametrize(("path", "value"), STRUCTURAL)
    def test_schema_and_loader_both_reject_structural_mistakes(self, path: str, value: Any) -> None:
        """Each structural mistake fails the schema and the loader alike."""
        data = _mutate(path, value)

        assert list(validator().iter_errors(data))
        assert problems_of(data)

    @pytest.mark.parametrize(("path", "value"), SEMANTIC_ONLY)
    def test_loader_alone_rejects_what_a_schema_cannot_express(self, path: str, value: Any) -> None:
        """Cross-references and ranges pass the schema and fail the loader (documented in the schema)."""
        data = _mutate(path, value)

        assert [] == list(validator().iter_errors(data))
        assert problems_of(data)

    def test_shipped_definitions_pass_the_schema(self) -> None:
        """The shipped definition files are valid against the schema."""
        data = tomllib.loads(SBL_PATH.read_text(encoding="utf-8"))

        assert [] == list(validator().iter_errors(data))
        assert [] == list(validator().iter_errors(mini()))

    @pytest.mark.untraced
    @given(instruments())
    def test_generated_instruments_pass_schema_and_loader(self, instrument: Instrument) -> None:
        """Every valid generated instrument, as JSON, passes the schema and loads back equal."""
        data = json.loads(to_json(instrument))

        assert [] == list(validator().iter_errors(data))
        assert instrument == load_instrument(data)
