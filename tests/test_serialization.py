"""JSON for instruments and results: strict, byte-identical, fingerprinted."""

from __future__ import annotations

import json
import subprocess
import sys

import attrs
import pytest

import leadscore

from leadscore import Instrument, InvalidDefinitionError, Result, from_json, score, to_json
from leadscore._canonical import canonical_json
from leadscore._serialization import make_converter, structure, unstructure
from tests.conftest import SBL_PATH


class TestInstrumentJson:
    def test_defaults_are_not_written(self, sbl: Instrument) -> None:
        """Fields left at their defaults (no bands, mean method) are left out of the JSON."""
        data = unstructure(sbl)

        assert "method" not in data["scales"][0]
        assert "bands" not in data["scales"][0]
        assert "bands" in data["composites"][2]

    def test_same_instrument_gives_the_same_bytes_in_another_process(self, sbl: Instrument) -> None:
        """Canonical JSON and the fingerprint do not depend on the process (hash seeds, order)."""
        code = f"import leadscore, sys; print(leadscore.fingerprint(leadscore.load_instrument({str(SBL_PATH)!r})))"
        other = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": "12345"},
        ).stdout.strip()

        assert leadscore.fingerprint(sbl) == other

    def test_fingerprint_changes_with_any_scoring_change(self, sbl: Instrument) -> None:
        """Changing a minimum changes the fingerprint; rebuilding an equal instrument does not."""
        changed = attrs.evolve(sbl, scales=(attrs.evolve(sbl.scales[-1], min_answered=5), *sbl.scales[:-1]))

        assert leadscore.fingerprint(sbl) == leadscore.fingerprint(attrs.evolve(sbl))
        assert leadscore.fingerprint(sbl) != leadscore.fingerprint(changed)

    def test_canonical_json_is_sorted_and_compact(self, sbl: Instrument) -> None:
        """The hashed form has sorted keys, no spaces and UTF-8 text."""
        text = canonical_json(sbl).decode()

        assert text.startswith('{"composites":[')
        assert "risico’s" in text
        assert text == json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class TestResultJson:
    def test_result_json_shape(self, sbl: Instrument) -> None:
        """A result's JSON names the instrument and keys every score by id."""
        result = score(sbl, {"stays-calm": 4})

        data = json.loads(to_json(result))

        assert {"id", "version", "fingerprint"} == set(data["instrument"])
        assert {
            "value": 4.0,
            "n_answered": 1,
            "n_not_applicable": 0,
            "n_items": 1,
            "pomp": 75.0,
            "band": None,
            "reason": None,
        } == data["scales"]["stays-calm"]
        assert data["composites"]["care"]["value"] is None

    def test_compact_json_on_request(self, sbl: Instrument) -> None:
        """indent=None writes one line."""
        assert "\n" not in to_json(score(sbl, {}), indent=None)

    def test_error_when_result_json_is_tampered(self, sbl: Instrument) -> None:
        """Reading a result back is as strict as reading a definition."""
        data = json.loads(to_json(score(sbl, {"stays-calm": 4})))
        data["scales"]["stays-calm"]["value"] = "4"
        data["scales"]["stays-calm"]["n_answered"] = 1.0
        data["instrument"]["extra"] = True

        with pytest.raises(InvalidDefinitionError) as caught:
            from_json(json.dumps(data), Result)

        assert [
            "unknown key @ $.instrument.extra",
            "must be a finite number (got '4') @ $.scales['stays-calm'].value",
            "must be an integer (got 1.0) @ $.scales['stays-calm'].n_answered",
        ] == [str(p) for p in caught.value.problems]
        assert str(caught.value).startswith("invalid result")

    @pytest.mark.parametrize("text", ["{", '{"a": NaN}', '{"a": Infinity}'])
    def test_error_when_text_is_not_strict_json(self, text: str) -> None:
        """Broken JSON, NaN and Infinity are rejected."""
        with pytest.raises(InvalidDefinitionError) as caught:
            from_json(text, Instrument)

        assert str(caught.value).startswith("invalid JSON")


class TestConverter:
    def test_make_converter_returns_independent_strict_converters(self) -> None:
        """Each call gives a new converter; none coerces '4', True or 4.7."""
        first, second = make_converter(), make_converter()

        assert first is not second
        for value, cls in (("4", int), (True, int), (4.7, int), (True, float), (4, str), (1, bool)):
            with pytest.raises(Exception, match="must be"):
                first.structure(value, cls)

    def test_error_when_a_table_is_expected(self) -> None:
        """Something that should be a table is reported where it stands, at the root or nested."""
        with pytest.raises(InvalidDefinitionError) as caught_root:
            structure([], Instrument)
        with pytest.raises(InvalidDefinitionError) as caught_nested:
            structure(
                {"id": "x", "version": "1.0.0", "title": {"en": "x"}, "items": [5], "scales": []},
                Instrument,
            )

        assert ["must be a table of keys (got []) @ $"] == [str(p) for p in caught_root.value.problems]
        assert ["must be a table of keys (got 5) @ $.items[0]"] == [str(p) for p in caught_nested.value.problems]

    def test_booleans_are_strict(self) -> None:
        """Booleans accept only true and false."""
        assert make_converter().structure(True, bool) is True
