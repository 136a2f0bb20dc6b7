"""
The registry: discovery through real distribution metadata, isolation of broken plugins,
conflicts, registration in code, and a stateful test against a dict model.

Plugins here are real distributions: a ``*.dist-info`` folder with METADATA and
entry_points.txt beside a module, on ``sys.path``, found by importlib-metadata exactly as an
installed wheel is. Nothing in the discovery or loading path is patched.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import types
import uuid

from pathlib import Path
from typing import Any

import pytest

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import leadscore

from leadscore import (
    Instrument,
    InstrumentConflictError,
    InstrumentLoadError,
    UnknownInstrumentError,
)
from leadscore._registry import GROUP, STRICT_ENV, Registry, semver_key
from leadscore.errors import BrokenPluginsError


TINY = """
from leadscore import Instrument, Item, ResponseScale, Scale, Source

def make(instrument_id="{id}", version="{version}"):
    item = Item(id="q", text={{"en": "q"}}, response=ResponseScale(min=1, max=5), source=Source(document="t"))
    scale = Scale(id="s", title={{"en": "s"}}, items=["q"], min_answered=1)
    return Instrument(id=instrument_id, version=version, title={{"en": "{id}"}}, items=[item], scales=[scale])

instrument = make()
calls = []

def factory():
    calls.append(1)
    return make()
"""


def tiny(instrument_id: str = "tiny", version: str = "1.0.0") -> Instrument:
    """A one-item instrument built in this process."""
    namespace: dict[str, Any] = {}
    exec(TINY.format(id=instrument_id, version=version), namespace)  # noqa: S102 - our own template
    instrument: Instrument = namespace["instrument"]
    return instrument


class Site:
    """A folder on sys.path holding real distributions (dist-info metadata and modules)."""

    def __init__(self, path: Path) -> None:
        """Use *path* as the folder."""
        self.path = path

    def module(self, source: str) -> str:
        """Write a module with a unique name; return the name."""
        name = f"plugin_{uuid.uuid4().hex[:10]}"
        (self.path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        return name

    def dist(self, name: str, version: str, entry_points: dict[str, str]) -> None:
        """Declare a distribution with *entry_points* in the leadscore group."""
        info = self.path / f"{name.replace('-', '_')}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8")
        lines = "".join(f"{key} = {value}\n" for key, value in entry_points.items())
        (info / "entry_points.txt").write_text(f"[{GROUP}]\n{lines}", encoding="utf-8")

    def plugin(self, dist: str, instrument_id: str, version: str = "1.0.0", attr: str = "instrument") -> str:
        """A working plugin distribution; return its module's name."""
        module = self.module(TINY.format(id=instrument_id, version=version))
        self.dist(dist, "0.1", {instrument_id: f"{module}:{attr}"})
        return module


@pytest.fixture(name="site")
def _site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """An empty folder of distributions, first on sys.path for this test."""
    monkeypatch.syspath_prepend(str(tmp_path))
    return Site(tmp_path)


def states(registry: Registry) -> dict[tuple[str, str | None], str]:
    """Each listed instrument's state, by (id, distribution)."""
    return {(info.id, info.distribution): info.state for info in registry.list_instruments()}


class TestDiscovery:
    def test_shipped_instrument_is_found_through_its_entry_point(self) -> None:
        """Leadscore's own instrument comes from the leadscore distribution's metadata."""
        infos = {info.id: info for info in Registry().list_instruments()}

        assert "leadscore" == infos["secure-base-leadership"].distribution
        assert "leadscore.instruments:secure_base_leadership" == infos["secure-base-leadership"].target

    def test_listing_imports_no_plugin(self, site: Site) -> None:
        """list_instruments reads metadata only; the plugin is imported on first get."""
        module = site.plugin("leadscore-tiny", "tiny")
        registry = Registry()

        listed = {info.id: info for info in registry.list_instruments()}

        assert module not in sys.modules
        assert (None, None, "unloaded", "not imported yet: it is checked when first asked for") == (
            listed["tiny"].version,
            listed["tiny"].title,
            listed["tiny"].state,
            listed["tiny"].reason,
        )
        assert "tiny" == registry.get("tiny").id
        assert module in sys.modules
        after = {i.id: i for i in registry.list_instruments()}["tiny"]
        assert ("1.0.0", "available", None) == (after.version, after.state, after.reason)

    def test_factory_entry_point_is_called_once(self, site: Site) -> None:
        """An entry point may name a zero-argument factory; it is called once and cached."""
        module = site.plugin("leadscore-tiny", "tiny", attr="factory")
        registry = Registry()

        first, second = registry.get("tiny"), registry.get("tiny")

        assert first is second
        assert [1] == sys.modules[module].calls

    def test_broken_plugin_breaks_only_itself(self, site: Site) -> None:
        """A plugin that fails to import raises when asked for, chained to its cause; the rest work."""
        module = site.module("raise ImportError('needs numpy 9')\n")
        site.dist("leadscore-broken", "0.1", {"broken": f"{module}:instrument"})
        site.plugin("leadscore-tiny", "tiny")
        registry = Registry()

        with pytest.raises(InstrumentLoadError) as caught:
            registry.get("broken")

        with pytest.raises(InstrumentLoadError) as caught_again:
            registry.get("broken")
        assert caught.value is caught_again.value
        assert isinstance(caught.value.__cause__, ImportError)
        assert ("broken", f"{module}:instrument", "leadscore-broken") == (
            caught.value.instrument_id,
            caught.value.entry_point,
            caught.value.distribution,
        )
        assert (
            f"instrument 'broken' from leadscore-broken ({module}:instrument) could not be loaded: "
            "ImportError: needs numpy 9"
        ) == str(caught.value)
        assert "tiny" == registry.get("tiny").id
        assert "secure-base-leadership" == registry.get("secure-base-leadership").id
        assert "broken" == states(registry)[("broken", "leadscore-broken")]

    def test_plugin_calling_sys_exit_breaks_only_itself(self, site: Site) -> None:
        """A plugin that raises SystemExit on import is a broken plugin, not the end of the host."""
        module = site.module("import sys\nsys.exit(3)\n")
        site.dist("leadscore-quits", "0.1", {"quits": f"{module}:instrument"})
        registry = Registry()

        with pytest.raises(InstrumentLoadError) as caught:
            registry.get("quits")

        assert isinstance(caught.value.__cause__, SystemExit)
        assert str(caught.value).endswith("could not be loaded: SystemExit: 3")
        assert "broken" == states(registry)[("quits", "leadscore-quits")]
        assert "secure-base-leadership" == registry.get("secure-base-leadership").id

    def test_keyboard_interrupt_during_a_plugin_import_goes_through(self, site: Site) -> None:
        """Ctrl-C while a plugin imports is the user's, not the plugin's failure: it is not caught."""
        module = site.module("raise KeyboardInterrupt\n")
        site.dist("leadscore-interrupted", "0.1", {"interrupted": f"{module}:instrument"})
        registry = Registry()

        with pytest.raises(KeyboardInterrupt):
            registry.get("interrupted")

    def test_slow_plugin_import_holds_up_no_other_instrument(self, site: Site) -> None:
        """While one plugin is importing, other instruments load; callers of the slow one wait and share its load."""
        gate = types.ModuleType(f"gate_{uuid.uuid4().hex[:10]}")
        gate.entered = threading.Event()  # type: ignore[attr-defined]
        gate.release = threading.Event()  # type: ignore[attr-defined]
        sys.modules[gate.__name__] = gate
        slow = site.module(
            f"import {gate.__name__} as gate\ngate.entered.set()\ngate.release.wait(60)\n"
            + TINY.format(id="slow", version="1.0.0")
        )
        site.dist("leadscore-slow", "0.1", {"slow": f"{slow}:instrument"})
        site.plugin("leadscore-tiny", "tiny")
        registry = Registry()
        got: dict[str, list[str]] = {"slow": [], "tiny": []}

        def fetch(instrument_id: str) -> None:
            got[instrument_id].append(registry.get(instrument_id).id)

        slow_callers = [threading.Thread(target=fetch, args=("slow",)) for _ in range(2)]
        try:
            for thread in slow_callers:
                thread.start()
            assert gate.entered.wait(60)
            other = threading.Thread(target=fetch, args=("tiny",))
            other.start()
            other.join(60)  # A hang guard, not a timing assertion: with the lock held it never ends.
            listed = states(registry)

            assert (False, ["tiny"], []) == (other.is_alive(), got["tiny"], got["slow"])
            assert "unloaded" == listed[("slow", "leadscore-slow")]
        finally:
            gate.release.set()
            for thread in slow_callers:
                thread.join(60)
            del sys.modules[gate.__name__]
        assert ["slow", "slow"] == got["slow"]

    @pytest.mark.parametrize(
        ("source", "reason"),
        [
            ("instrument = 42\n", "TypeError: it gave int, not an Instrument"),
            ("def instrument():\n    raise RuntimeError('boom')\n", "RuntimeError: boom"),
            (
                TINY.format(id="other", version="1.0.0"),
                "ValueError: it gave instrument 'other'; the entry point's name must be the instrument's id",
            ),
        ],
    )
    def test_invalid_plugin_objects_are_broken(self, site: Site, source: str, reason: str) -> None:
        """Something that is not an Instrument, a failing factory, or a mismatched id is a broken plugin."""
        module = site.module(source)
        site.dist("leadscore-odd", "0.1", {"odd": f"{module}:instrument"})
        registry = Registry()

        with pytest.raises(InstrumentLoadError) as caught:
            registry.get("odd")

        assert str(caught.value).endswith(reason)

    def test_conflict_names_both_distributions(self, site: Site) -> None:
        """Two distributions claiming one id and version raise when that id is asked for."""
        site.plugin("leadscore-first", "tiny")
        site.plugin("leadscore-second", "tiny")
        registry = Registry()

        before = states(registry)
        with pytest.raises(InstrumentConflictError) as caught:
            registry.get("tiny")

        assert "unloaded" == before[("tiny", "leadscore-first")]
        assert ("leadscore-first", "leadscore-second") == tuple(sorted(caught.value.distributions))
        assert "version 1.0.0 is provided by" in str(caught.value)
        assert {"conflicting"} == {s for (i, _), s in states(registry).items() if i == "tiny"}
        assert "secure-base-leadership" == registry.get("secure-base-leadership").id

    def test_versions_of_one_id_are_chosen_by_precedence(self, site: Site) -> None:
        """Several versions of one id may be installed; the highest wins unless one is asked for."""
        site.plugin("leadscore-tiny-one", "tiny", version="1.10.0")
        site.plugin("leadscore-tiny-two", "tiny", version="1.9.0")
        site.plugin("leadscore-tiny-three", "tiny", version="2.0.0-rc.1")
        registry = Registry()

        assert "2.0.0-rc.1" == registry.get("tiny").version
        assert "1.9.0" == registry.get("tiny", version="1.9.0").version
        with pytest.raises(UnknownInstrumentError) as caught:
            registry.get("tiny", version="3.0.0")

        assert "instrument 'tiny' has no version '3.0.0' (installed: 1.9.0, 1.10.0, 2.0.0-rc.1)" == str(caught.value)

    def test_same_distribution_twice_on_the_path_is_not_a_conflict(
        self, site: Site, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The same distribution found in two folders of sys.path is one plugin."""
        module = site.plugin("leadscore-tiny", "tiny")
        other = tmp_path_factory.mktemp("copy")
        Site(other).dist("leadscore-tiny", "0.1", {"tiny": f"{module}:instrument"})
        monkeypatch.syspath_prepend(str(other))
        registry = Registry()

        assert "tiny" == registry.get("tiny").id
        assert 1 == sum(1 for info in registry.list_instruments() if info.id == "tiny")

    def test_asked_for_version_skips_no_broken_plugin(self, site: Site) -> None:
        """A missing version with a broken plugin for the id reports the broken plugin, as it may have it."""
        module = site.module("raise ImportError('gone')\n")
        site.dist("leadscore-broken", "0.1", {"tiny": f"{module}:instrument"})
        site.plugin("leadscore-tiny", "tiny", version="1.0.0")
        registry = Registry()

        assert "1.0.0" == registry.get("tiny", version="1.0.0").version
        with pytest.raises(InstrumentLoadError):
            registry.get("tiny", version="2.0.0")
        with pytest.raises(InstrumentLoadError):
            registry.get("tiny")

    def test_refresh_finds_a_newly_installed_plugin(self, site: Site) -> None:
        """Discovery is cached per registry; refresh() scans again."""
        registry = Registry()
        registry.list_instruments()
        site.plugin("leadscore-late", "late")

        missing = "late" not in {info.id for info in registry.list_instruments()}
        registry.refresh()

        assert missing
        assert "late" == registry.get("late").id

    def test_error_when_unknown(self) -> None:
        """Asking for an id nothing provides names what is known."""
        with pytest.raises(UnknownInstrumentError) as caught:
            Registry(group="leadscore.tests.empty").get("nope")

        assert "no instrument 'nope' is installed or registered (known: none)" == str(caught.value)
        assert isinstance(caught.value, LookupError)

    def test_strict_mode_raises_every_problem_on_first_use(self, site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
        """With LEADSCORE_STRICT_PLUGINS=1 the first use loads every plugin and raises all problems."""
        module = site.module("raise ImportError('gone')\n")
        site.dist("leadscore-broken", "0.1", {"broken": f"{module}:instrument"})
        site.plugin("leadscore-first", "tiny")
        site.plugin("leadscore-second", "tiny")
        monkeypatch.setenv(STRICT_ENV, "1")

        with pytest.raises(BrokenPluginsError) as caught:
            Registry().list_instruments()

        assert [
            "2 leadscore plugin problem(s) (LEADSCORE_STRICT_PLUGINS is set):",
            f"- instrument 'broken' from leadscore-broken ({module}:instrument) could not be loaded: ImportError: gone",
            (
                "- instrument 'tiny' version 1.0.0 is provided by leadscore-first and by leadscore-second; "
                "uninstall one, or pick one with leadscore.register(..., replace=True)"
            ),
        ] == caught.value.message.splitlines()
        assert ["InstrumentLoadError", "InstrumentConflictError"] == [type(e).__name__ for e in caught.value.exceptions]
        with pytest.raises(BrokenPluginsError) as caught_again:
            Registry().list_instruments()
        split: list[type] = []
        try:
            raise caught_again.value
        except* InstrumentConflictError as group:
            split.append(type(group))
        except* InstrumentLoadError as group:
            split.append(type(group))
        assert [BrokenPluginsError, BrokenPluginsError] == split

    def test_strict_mode_is_quiet_when_all_is_well(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Strict mode with only good plugins lists them, loaded."""
        monkeypatch.setenv(STRICT_ENV, "1")

        infos = {info.id: info for info in Registry().list_instruments()}

        assert infos["secure-base-leadership"].version is not None

    def test_concurrent_first_loads_load_once(self, site: Site) -> None:
        """Threads asking for the same instrument at once share one load."""
        module = site.plugin("leadscore-tiny", "tiny", attr="factory")
        registry = Registry()
        results: list[Instrument] = []

        threads = [threading.Thread(target=lambda: results.append(registry.get("tiny"))) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert [1] == sys.modules[module].calls
        assert 8 == len(results)
        assert all(result is results[0] for result in results)

    def test_a_real_process_sees_broken_conflicting_and_good_plugins(self, site: Site) -> None:
        """In a fresh interpreter with the plugins installed, the good ones work and the bad are reported."""
        module = site.module("raise ImportError('gone')\n")
        site.dist("leadscore-broken", "0.1", {"broken": f"{module}:instrument"})
        site.plugin("leadscore-first", "tiny")
        site.plugin("leadscore-second", "tiny")
        code = textwrap.dedent(
            """
            import leadscore
            for name in ("broken", "tiny"):
                try:
                    leadscore.get_instrument(name)
                except leadscore.LeadscoreError as error:
                    print(type(error).__name__)
            print(leadscore.score("secure-base-leadership", {"stays-calm": 5}).scales["stays-calm"].value)
            for info in leadscore.list_instruments():
                print(info.id, info.distribution, info.state)
            """
        )

        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONPATH": str(site.path), "PATH": ""},
        ).stdout.splitlines()

        assert ["InstrumentLoadError", "InstrumentConflictError", "5.0"] == out[:3]
        assert "broken leadscore-broken broken" in out
        assert "tiny leadscore-first conflicting" in out
        assert "tiny leadscore-second conflicting" in out
        assert "secure-base-leadership leadscore available" in out


class TestRegister:
    def test_registered_instrument_shadows_a_plugin(self, site: Site) -> None:
        """An instrument registered in code wins over a discovered one with the same id."""
        site.plugin("leadscore-tiny", "tiny", version="9.0.0")
        registry = Registry()
        mine = tiny(version="1.0.0")

        registry.register(mine)

        assert mine is registry.get("tiny")
        assert "shadowed" == states(registry)[("tiny", "leadscore-tiny")]
        assert "available" == states(registry)[("tiny", None)]

    def test_two_versions_registered_in_code_are_both_kept(self) -> None:
        """Another version of a registered id is added beside it; the highest is the default."""
        registry = Registry(group="leadscore.tests.empty")
        old, new = tiny(version="1.0.0"), tiny(version="1.1.0")

        registry.register(old)
        registry.register(new)

        assert (new, old) == (registry.get("tiny"), registry.get("tiny", version="1.0.0"))

    def test_error_when_registering_twice_without_replace(self) -> None:
        """Registering the same id and version twice needs replace=True."""
        registry = Registry(group="leadscore.tests.empty")
        registry.register(tiny())

        with pytest.raises(InstrumentConflictError) as caught:
            registry.register(tiny())
        registry.register(tiny(), replace=True)

        assert (
            "instrument 'tiny' is already registered in code (<Instrument tiny 1.0.0>); pass replace=True to replace it"
            == str(caught.value)
        )
        assert "tiny" == registry.get("tiny").id

    def test_string_target_is_loaded_lazily_through_an_entry_point(self, site: Site) -> None:
        """register('module:attr', id=...) imports nothing until the instrument is asked for."""
        module = site.module(TINY.format(id="lazy", version="1.0.0"))
        registry = Registry(group="leadscore.tests.empty")

        registry.register(f"{module}:factory", id="lazy")

        assert module not in sys.modules
        assert "lazy" == registry.get("lazy").id
        assert "lazy" == {info.id: info for info in registry.list_instruments()}["lazy"].id

    def test_error_when_lazy_target_is_registered_twice(self, site: Site) -> None:
        """Two lazy registrations of one id cannot be told apart by version, so the second needs replace."""
        module = site.module(TINY.format(id="lazy", version="1.0.0"))
        registry = Registry(group="leadscore.tests.empty")
        registry.register(f"{module}:factory", id="lazy")

        with pytest.raises(InstrumentConflictError):
            registry.register(f"{module}:instrument", id="lazy")

    def test_factory_without_id_is_loaded_at_once(self) -> None:
        """Without an id, a factory is called at registration to learn the id."""
        registry = Registry(group="leadscore.tests.empty")

        instrument_id = registry.register(lambda: tiny("made"))

        assert "made" == instrument_id
        assert "made" == registry.get("made").id

    def test_error_when_target_is_not_an_instrument(self) -> None:
        """Registering something that is no instrument, factory or string is a TypeError."""
        registry = Registry(group="leadscore.tests.empty")

        with pytest.raises(TypeError, match=r"register\(\) takes an Instrument"):
            registry.register(42)
        with pytest.raises(ValueError, match="does not match"):
            registry.register(tiny(), id="other")
        with pytest.raises(InstrumentLoadError, match="an instrument from registered in code"):
            registry.register(lambda: 42)

    def test_unregister_shows_the_plugin_again(self, site: Site) -> None:
        """Dropping a registration lets the discovered plugin through again."""
        site.plugin("leadscore-tiny", "tiny", version="9.0.0")
        registry = Registry()
        registry.register(tiny())

        registry.unregister("tiny")

        assert "9.0.0" == registry.get("tiny").version

    def test_module_level_functions_use_one_process_registry(self) -> None:
        """leadscore.register, get_instrument, list_instruments and refresh share one registry."""
        instrument = tiny("module-level")
        leadscore.register(instrument)
        try:
            assert instrument is leadscore.get_instrument("module-level")
            assert "module-level" in {info.id for info in leadscore.list_instruments()}
            leadscore.refresh()
            assert instrument is leadscore.get_instrument("module-level")
        finally:
            leadscore._registry.default_registry().unregister("module-level")


def test_semver_precedence() -> None:
    """Versions order by semantic-versioning precedence, pre-releases before their release."""
    versions = [
        "1.0.0",
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta.11",
        "1.0.0-beta.2",
        "0.9.9",
        "1.0.0+build.5",
        "10.0.0",
    ]

    assert [
        "0.9.9",
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0",
        "1.0.0+build.5",
        "10.0.0",
    ] == sorted(versions, key=semver_key)


POOL = [tiny(i, v) for i in ("a", "b") for v in ("1.0.0", "1.1.0", "2.0.0-rc.1", "2.0.0")]


class RegistryMachine(RuleBasedStateMachine):
    """Registrations in code, checked against a dict of id -> registered versions."""

    def __init__(self) -> None:
        """Start with an empty registry and an empty model."""
        super().__init__()
        self.registry = Registry(group="leadscore.tests.empty")
        self.model: dict[str, list[str]] = {}

    @rule(instrument=st.sampled_from(POOL), replace=st.booleans())
    def register(self, instrument: Instrument, replace: bool) -> None:
        """Registering adds a version, replaces all, or refuses a duplicate version."""
        existing = self.model.get(instrument.id, [])
        if existing and not replace and instrument.version in existing:
            with pytest.raises(InstrumentConflictError):
                self.registry.register(instrument, replace=replace)
            return
        self.registry.register(instrument, replace=replace)
        self.model[instrument.id] = [instrument.version] if replace else [*existing, instrument.version]

    @rule(instrument_id=st.sampled_from(["a", "b"]))
    def unregister(self, instrument_id: str) -> None:
        """Unregistering forgets every version of the id."""
        self.registry.unregister(instrument_id)
        self.model.pop(instrument_id, None)

    @rule(
        instrument_id=st.sampled_from(["a", "b"]),
        version=st.none() | st.sampled_from(["1.0.0", "2.0.0", "2.0.0-rc.1"]),
    )
    def get(self, instrument_id: str, version: str | None) -> None:
        """Get returns the asked-for version, or the highest; else UnknownInstrumentError."""
        versions = self.model.get(instrument_id, [])
        expected = max(versions, key=semver_key) if version is None and versions else version
        if not versions or expected not in versions:
            with pytest.raises(UnknownInstrumentError):
                self.registry.get(instrument_id, version)
            return
        assert (instrument_id, expected) == (
            self.registry.get(instrument_id, version).id,
            self.registry.get(instrument_id, version).version,
        )

    @invariant()
    def listing_matches_the_model(self) -> None:
        """The listing shows exactly the registered versions, all available."""
        listed = sorted((info.id, info.version, info.state) for info in self.registry.list_instruments())

        assert sorted((i, v, "available") for i, vs in self.model.items() for v in vs) == listed


@pytest.mark.untraced
class TestRegistryMachine(RegistryMachine.TestCase):  # type: ignore[misc,valid-type]
    """The machine's rules in any order, as Hypothesis runs a state machine's TestCase."""
