"""The package as users install it: public names, version, typing marker, import cost."""

from __future__ import annotations

import subprocess
import sys

from importlib import resources

import importlib_metadata
import pytest

import leadscore


def fresh(code: str) -> str:
    """What *code* prints in a new interpreter, where nothing of leadscore is imported yet."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


class TestPackage:
    def test_all_is_sorted_and_every_name_resolves(self) -> None:
        """__all__ is sorted and each name in it exists."""
        assert sorted(leadscore.__all__) == leadscore.__all__
        for name in leadscore.__all__:
            assert getattr(leadscore, name) is not None

    def test_version_comes_from_the_installed_metadata(self) -> None:
        """__version__ is the installed distribution's version."""
        assert importlib_metadata.version("leadscore") == leadscore.__version__

    def test_error_when_attribute_is_unknown(self) -> None:
        """Unknown attributes raise AttributeError, as for any module."""
        with pytest.raises(AttributeError, match="no attribute 'nope'"):
            _ = leadscore.nope

    def test_typing_marker_schema_and_definitions_ship_in_the_package(self) -> None:
        """py.typed, the JSON Schema and the definition files are package data."""
        files = resources.files("leadscore")

        assert files.joinpath("py.typed").is_file()
        assert files.joinpath("schema", "instrument.schema.json").is_file()
        assert leadscore.schema_path().is_file()
        assert files.joinpath("instruments", "secure_base_leadership.toml").is_file()

    def test_import_loads_no_instrument_and_no_optional_dependency(self) -> None:
        """Importing leadscore imports no instrument, no Hypothesis, no TOML or metadata reader, and
        none of the analysis layer (360s, reliability, change, norms) until it is used.
        """
        code = (
            "import sys, leadscore; "
            "print(sorted(m for m in sys.modules if m.startswith(('leadscore.instruments', 'hypothesis', "
            "'importlib_metadata', 'tomllib', 'leadscore.feedback', 'leadscore.norms', 'leadscore.reliable_change', "
            "'leadscore.consistency', 'statistics', 'importlib.resources'))))"
        )

        assert "[]" == fresh(code)


def test_no_public_name_is_hidden_by_a_module_of_the_same_name() -> None:
    """Importing a submodule binds its name on the package: no function or class may share one.

    `leadscore.reliability` once named both the function and its module, so after anything
    imported the module (as `leadscore.change` did), calling `leadscore.reliability()` failed.
    """
    code = (
        "import importlib, pkgutil, types, leadscore; "
        "[importlib.import_module(m.name) for m in pkgutil.walk_packages(leadscore.__path__, 'leadscore.') "
        "if '__main__' not in m.name]; "
        "print(sorted(n for n in leadscore.__all__ if isinstance(getattr(leadscore, n), types.ModuleType)))"
    )

    assert "['errors']" == fresh(code)  # leadscore.errors is the module, as the contract says.
