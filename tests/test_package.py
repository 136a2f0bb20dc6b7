"""The package as users install it: public names, version, typing marker, import cost."""

from __future__ import annotations

import importlib
import subprocess
import sys
import types

from importlib import resources
from pathlib import Path

import importlib_metadata
import pytest

import leadscore


def fresh(code: str) -> str:
    """What *code* prints in a new interpreter, where nothing of leadscore is imported yet."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


class TestPackage:
    def test_all_is_sorted_and_lists_exactly_the_public_names(self) -> None:
        """__all__ is sorted, and names every public name the package binds: nothing exported is
        missing from it, nothing in it is missing from the package.
        """
        _ = leadscore.aggregate  # Binds the names that load on first use,
        _ = leadscore.read_responses, leadscore.read_ratings, leadscore.score_frame  # and those of files,
        _ = leadscore.score_file, leadscore.ScoredFile  # which load their own modules,
        _ = leadscore.aggregate_file, leadscore.analyze_file, leadscore.AnalyzedFile  # as do reports of files.
        bound = {
            name
            for name, value in vars(leadscore).items()
            if not name.startswith("_")
            and not (isinstance(value, types.ModuleType) and name != "errors")
            and name != "TYPE_CHECKING"  # typing's flag, for the imports type checkers read
        }

        assert sorted(leadscore.__all__) == leadscore.__all__
        assert bound == set(leadscore.__all__)
        assert set(leadscore.__all__) <= set(dir(leadscore))

    def test_every_public_name_is_defined_in_a_private_module_or_the_errors_module(self) -> None:
        """The package only re-exports: each class and function lives in a private module (of
        leadscore or of an edge package, such as leadscore.report._render) or in leadscore.errors,
        which the contract names; never in a deprecated alias.
        """
        homes = {
            getattr(leadscore, name).__module__
            for name in leadscore.__all__
            if isinstance(getattr(leadscore, name), (type, types.FunctionType))
        }

        private = {home for home in homes if home.rsplit(".", 1)[-1].startswith("_")}
        assert {home for home in homes - private if home != "leadscore.errors"} == set()

    def test_no_public_name_shadows_a_builtin(self) -> None:
        """`from leadscore import *` hides no builtin: `compile` stays a module, `leadscore.compile`."""
        import builtins  # noqa: PLC0415

        assert set(leadscore.__all__) & set(dir(builtins)) == set()
        assert "compile" not in leadscore.__all__

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
            "'importlib_metadata', 'tomllib', 'cattrs', 'json', 'hashlib', 'statistics', 'importlib.resources', "
            "'pandas', 'numpy', 'leadscore.model', 'leadscore.feedback', 'leadscore.frames', 'leadscore.report', "
            "'leadscore._aggregate', 'leadscore._change', 'leadscore._consistency', 'leadscore._norms', "
            "'leadscore._definitions', 'leadscore._serialization', 'leadscore._views'))))"
        )

        assert "[]" == fresh(code)

    def test_the_first_use_of_an_analysis_or_io_name_loads_those_layers_once(self) -> None:
        """`leadscore.aggregate` loads the analysis and I/O layers and binds all their names, so
        every later name is a plain attribute; `dir()` lists them before and after.
        """
        code = (
            "import sys, leadscore as ls; listed = 'aggregate' in dir(ls) and 'to_json' in dir(ls); "
            "before = 'to_json' in vars(ls); ls.aggregate; "
            "print(listed, before, 'to_json' in vars(ls), 'leadscore._serialization' in sys.modules, "
            "ls.to_json is sys.modules['leadscore._serialization'].to_json)"
        )

        assert "True False True True True" == fresh(code)

    def test_analysis_names_load_no_numpy_and_work_without_it(self) -> None:
        """
        The first use of `leadscore.aggregate` loads the analysis layers but not NumPy; where
        NumPy cannot be imported at all, `aggregate` and `reliability` of answer mappings still
        work (the pure engine), and `leadscore.analysis.quality` names the extra to install.
        """
        code = (
            "import sys; import leadscore as ls; ls.aggregate; print('numpy' in sys.modules, end=' '); "
            "sys.modules['numpy'] = None; "
            "rows = [{'stays-calm': v, 'accepts-the-individual': 6 - v} for v in (1, 2, 4, 5)]; "
            "print(ls.reliability('secure-base-leadership', rows).n_respondents, end=' '); "
            "print(len(ls.aggregate('secure-base-leadership', [ls.Rating(group='self', rater='s', answers=rows[0])]).scales), end=' '); "
            "import leadscore.analysis as a\n"
            "try:\n a.quality('secure-base-leadership', rows)\n"
            "except ImportError as e:\n print(e)"
        )

        assert "False 4 10 leadscore.analysis.quality needs NumPy: pip install 'leadscore[analysis]'" == fresh(code)

    def test_the_names_of_an_extra_load_their_own_module_and_name_it_when_missing(self) -> None:
        """
        `leadscore.read_responses`, `read_ratings` and `score_frame` (DESIGN's names) are the
        readers' and frames' functions; each loads its own module on first use, so that the
        other names never need pandas, and without pandas names the extra to install.
        """
        code = (
            "import sys, leadscore as ls; ls.render; ls.read_responses; print('pandas' in sys.modules, end=' '); "
            "import leadscore.readers as r; print(ls.read_ratings is r.read_ratings, end=' '); "
            "sys.modules['pandas'] = None\n"
            "try:\n ls.score_frame\n"
            "except ImportError as e:\n print(e)"
        )

        assert "False True leadscore.score_frame needs the pandas extra: pip install 'leadscore[pandas]'" == fresh(code)
        assert leadscore.score_frame is importlib.import_module("leadscore.frames").score_frame

    def test_a_name_whose_extra_is_missing_names_the_extra(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """In this interpreter too: without pandas, `leadscore.score_frame` is an ImportError with the hint."""
        _ = leadscore.score_frame
        monkeypatch.delitem(vars(leadscore), "score_frame")
        for module in ("leadscore.frames", "leadscore._frames"):
            monkeypatch.delitem(sys.modules, module)
        monkeypatch.setitem(sys.modules, "pandas", None)

        with pytest.raises(
            ImportError, match=r"^leadscore.score_frame needs the pandas extra: pip install 'leadscore\[pandas\]'$"
        ):
            _ = leadscore.score_frame

    def test_scoring_an_instrument_built_in_code_loads_no_converter(self) -> None:
        """score() compiles and fingerprints the instrument without cattrs, which loads only
        for JSON and definition files; asking for a score range compiles nothing.
        """
        code = (
            "import sys, leadscore as ls; t = {'en': 't'}; "
            "r = ls.ResponseScale(min=1, max=5); s = ls.Source(document='d'); "
            "i = ls.Instrument(id='x', version='1.0.0', title=t, "
            "items=[ls.Item(id='a', text=t, response=r, source=s)], "
            "scales=[ls.Scale(id='s', title=t, items=['a'], min_answered=1)]); "
            "print(i.score_range('s'), i._compiled is None, end=' '); "
            "print(ls.score(i, {'a': 4}).scales['s'].value, i._compiled is not None, 'cattrs' in sys.modules, end=' '); "
            "ls.to_json(i); print('cattrs' in sys.modules)"
        )

        assert "(1.0, 5.0) True 4.0 True False True" == fresh(code)


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


PUBLIC_MODULES = {
    "leadscore.__main__",
    "leadscore.analysis",
    "leadscore.cli",
    "leadscore.compile",
    "leadscore.errors",
    "leadscore.frames",
    "leadscore.instruments",
    "leadscore.readers",
    "leadscore.report",
    "leadscore.surveys",
    "leadscore.testing",
    "leadscore.testing.strategies",
    "leadscore.testing.suite",
}


def test_every_module_but_the_documented_ones_is_private() -> None:
    """Implementation modules start with an underscore; the public ones are those the docs name."""
    code = (
        "import pkgutil, leadscore; "
        "print(sorted(m.name for m in pkgutil.walk_packages(leadscore.__path__, 'leadscore.') "
        "if not any(part.startswith('_') and part != '__main__' for part in m.name.split('.'))))"
    )

    assert repr(sorted(PUBLIC_MODULES)) == fresh(code)


def test_every_package_init_and_public_module_only_re_exports() -> None:
    """A subpackage's ``__init__`` (and `leadscore.frames`) defines nothing but lazy loading: the code is in private modules."""
    import ast  # noqa: PLC0415

    source = Path(leadscore.__file__).parent
    faces = [*sorted(source.glob("*/__init__.py")), source / "frames.py"]
    defined = {
        f"{face.relative_to(source)}: {node.name}"
        for face in faces
        for node in ast.parse(face.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
        and node.name not in {"__getattr__", "__dir__"}
    }
    assert len(faces) >= 8  # analysis, compile, instruments, readers, report, surveys, testing; frames
    assert set() == defined


def test_no_module_is_over_700_lines() -> None:
    """A module of more than 700 lines holds more than one idea: the build refuses it (split it by what it does)."""
    source = Path(leadscore.__file__).parent
    sizes = {
        path.relative_to(source).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in source.rglob("*.py")
    }
    assert len(sizes) > 80
    assert {name: lines for name, lines in sizes.items() if lines > 700} == {}
