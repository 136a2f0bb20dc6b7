"""
Find, load and keep instruments: plugins of the ``leadscore.instruments`` entry-point group.

leadscore's own instruments go through the same entry points as a third party's. Listing
reads metadata only; an instrument is imported the first time it is asked for, checked,
and kept. A plugin that fails breaks only itself: asking for it raises
`InstrumentLoadError`, chained to the cause, and every other instrument keeps working.
Set ``LEADSCORE_STRICT_PLUGINS=1`` to make every plugin load, and every problem raise,
the first time the registry is used: meant for plugin authors' CI.

Importing this module scans and imports nothing.
"""

from __future__ import annotations

import os
import threading

from collections.abc import Callable, Iterable
from typing import Any, Literal

from attrs import frozen

from leadscore._checks import quoted
from leadscore._model import Instrument
from leadscore._text import LocalizedText
from leadscore.errors import (
    ArgumentTypeError,
    BrokenPluginsError,
    InstrumentConflictError,
    InstrumentLoadError,
    InvalidArgumentError,
    LeadscoreError,
    UnknownInstrumentError,
)


__all__ = [
    "GROUP",
    "STRICT_ENV",
    "InstrumentInfo",
    "Registry",
    "default_registry",
    "get_instrument",
    "list_instruments",
    "refresh",
    "register",
    "resolve",
]

#: The entry-point group instruments are registered in.
GROUP = "leadscore.instruments"
#: Set to 1 to load every plugin, and raise every problem, when the registry is first used.
STRICT_ENV = "LEADSCORE_STRICT_PLUGINS"
REGISTERED = "registered in code"

State = Literal["available", "unloaded", "broken", "conflicting", "shadowed"]


@frozen(kw_only=True)
class InstrumentInfo:
    """
    What the registry knows about one installed or registered instrument.

    Attributes:
        id: The instrument's id (the entry point's name).
        version: Its version, once it has been loaded; None before.
        title: Its title, once it has been loaded; None before.
        distribution: The distribution that declared it, or None if registered in code.
        distribution_version: That distribution's version.
        target: Where it is loaded from: ``"module:attr"``, or a description of the object.
        state: ``"available"`` (loaded and usable); ``"unloaded"`` (found, not imported
            yet: whether it works is known once it is first asked for); ``"broken"`` (see
            `reason`); ``"conflicting"`` (another plugin claims the same id and version); or
            ``"shadowed"`` (an instrument registered in code with the same id takes its place).
        reason: Why it is broken, conflicting or shadowed, or a note; None otherwise.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       A plugin not imported yet is ``"unloaded"``, no longer ``"available"``.
    """

    id: str
    version: str | None
    title: LocalizedText | None
    distribution: str | None
    distribution_version: str | None
    target: str
    state: State
    reason: str | None


class _Candidate:
    """
    One place an instrument can come from, loaded at most once.

    Each candidate has a lock of its own, so a plugin that takes long to import holds up
    only the callers that want that plugin, never the registry.
    """

    __slots__ = (
        "_lock",
        "distribution",
        "distribution_version",
        "error",
        "id",
        "instrument",
        "loader",
        "target",
    )

    def __init__(
        self,
        instrument_id: str,
        target: str,
        loader: Callable[[], Any],
        distribution: str | None = None,
        distribution_version: str | None = None,
    ) -> None:
        self.id = instrument_id
        self.target = target
        self.loader = loader
        self.distribution = distribution
        self.distribution_version = distribution_version
        self.instrument: Instrument | None = None
        self.error: InstrumentLoadError | None = None
        # Reentrant: a plugin whose import asks the registry for itself must not deadlock.
        self._lock = threading.RLock()

    @property
    def owner(self) -> str:
        return self.distribution or REGISTERED

    def load(self) -> Instrument:
        """Load, check and keep the instrument; raise the same error on every later call."""
        with self._lock:
            return self._load()

    def _load(self) -> Instrument:
        if self.instrument is not None:
            return self.instrument
        if self.error is not None:
            raise self.error
        try:
            loaded = self.loader()
            instrument = loaded() if callable(loaded) else loaded
            if not isinstance(instrument, Instrument):
                raise TypeError(f"it gave {type(instrument).__name__}, not an Instrument")  # noqa: TRY301
            if self.id and instrument.id != self.id:
                raise ValueError(  # noqa: TRY301
                    f"it gave instrument {instrument.id!r}; the entry point's name must be the instrument's id"
                )
        # A plugin can fail in any way, even by calling sys.exit() on import; it must not take
        # the host down. Only a KeyboardInterrupt (the user's Ctrl-C) goes through.
        except (Exception, SystemExit) as exc:
            what = f"instrument {self.id!r}" if self.id else "an instrument"
            self.error = InstrumentLoadError(
                f"{what} from {self.owner} ({self.target}) could not be loaded: {type(exc).__name__}: {exc}",
                instrument_id=self.id,
                entry_point=self.target,
                distribution=self.distribution,
            )
            self.error.__cause__ = exc
            raise self.error from exc
        self.instrument = instrument
        return instrument


class Registry:
    """
    Instruments by id: those registered in code, then those found through entry points.

    Most code uses the process-wide registry through `leadscore.get_instrument` and friends;
    make your own `Registry` to keep a test or an app's instruments apart from it.

    .. versionadded:: 0.1.0
    """

    def __init__(self, group: str = GROUP) -> None:
        """Make an empty registry that discovers the entry points of *group* on first use."""
        self._group = group
        self._lock = threading.RLock()
        self._discovered: dict[str, list[_Candidate]] | None = None
        self._registered: dict[str, list[_Candidate]] = {}

    def refresh(self) -> None:
        """Forget what discovery found (and loaded), so the next use scans the environment again."""
        with self._lock:
            self._discovered = None

    def register(self, target: Any, *, id: str | None = None, replace: bool = False) -> str:  # noqa: A002
        """
        Register an instrument in code; it takes the place of any plugin with the same id.

        Args:
            target: An `Instrument`, a zero-argument callable returning one, or a
                ``"module:attr"`` string naming either (imported when first asked for).
            id: The instrument's id. Needed to keep a callable or string lazy; without it,
                the target is loaded now to learn its id.
            replace: Replace what is already registered in code under this id.

        Returns:
            The instrument's id.

        Raises:
            InstrumentConflictError: If the id is already registered in code (with the same
                version, when both are known) and *replace* is false.
            InstrumentLoadError: If the target has to be loaded now and fails.
            ArgumentTypeError: If *target* is none of those, *id* is not a string or None,
                or *replace* is not a boolean.

        .. versionadded:: 0.1.0
        """
        given: object = id  # Whatever came in, whatever its annotation says.
        if given is not None and not isinstance(given, str):
            raise ArgumentTypeError(f"id must be an instrument id (a string) or None (got {quoted(given)})")
        wanted: object = replace
        if not isinstance(wanted, bool):
            raise ArgumentTypeError(f"replace must be True or False (got {quoted(wanted)})")
        candidate = _registered_candidate(target, id)
        with self._lock:
            existing = self._registered.get(candidate.id, [])
            if existing and not replace:
                clash = [c for c in existing if _same_version(c, candidate)]
                if clash:
                    version = candidate.instrument.version if candidate.instrument else "unknown"
                    raise InstrumentConflictError(
                        f"instrument {candidate.id!r} is already registered in code "
                        f"({clash[0].target}); pass replace=True to replace it",
                        instrument_id=candidate.id,
                        version=version,
                        distributions=[REGISTERED, REGISTERED],
                    )
            self._registered[candidate.id] = [*([] if replace else existing), candidate]
        return candidate.id

    def unregister(self, instrument_id: str) -> None:
        """Drop what was registered in code under *instrument_id*; plugins show again."""
        with self._lock:
            self._registered.pop(instrument_id, None)

    def list_instruments(self) -> list[InstrumentInfo]:
        """
        Describe every instrument found or registered, sorted by id; imports no plugin.

        .. versionadded:: 0.1.0
        """
        with self._lock:
            discovered = self._discover()
            infos: list[InstrumentInfo] = []
            for instrument_id in sorted(set(discovered) | set(self._registered)):
                registered = self._registered.get(instrument_id, [])
                infos.extend(_info(c, registered) for c in registered)
                for candidate in discovered.get(instrument_id, []):
                    if registered:
                        infos.append(_info(candidate, [], shadowed=True))
                    else:
                        infos.append(_info(candidate, discovered[instrument_id]))
            return infos

    def get(self, instrument_id: str, version: str | None = None) -> Instrument:
        """
        Return the instrument *instrument_id*, loading it on first use.

        Args:
            instrument_id: The instrument's id.
            version: The exact version wanted; by default the highest one installed.

        Raises:
            UnknownInstrumentError: If no such instrument (or version) is installed.
            InstrumentLoadError: If its plugin fails to load or gives something invalid.
                Without *version*, any failing plugin for the id raises, as the highest
                version cannot be known.
            InstrumentConflictError: If two plugins claim the id with the same version.

        .. versionadded:: 0.1.0
        """
        given: object = instrument_id  # Whatever came in, whatever its annotation says.
        if not isinstance(given, str):
            raise ArgumentTypeError(f"an instrument id must be a string (got {quoted(given)})")
        wanted: object = version
        if wanted is not None and not isinstance(wanted, str):
            raise ArgumentTypeError(f"a version must be a string or None (got {quoted(wanted)})")
        with self._lock:
            candidates = self._registered.get(instrument_id) or self._discover().get(instrument_id)
            if not candidates:
                known = ", ".join(sorted(set(self._discover()) | set(self._registered))) or "none"
                raise UnknownInstrumentError(
                    f"no instrument {instrument_id!r} is installed or registered (known: {known})",
                    instrument_id=instrument_id,
                )
            candidates = list(candidates)
        # Loading imports plugin code, which may be slow: outside the registry's lock, so
        # other instruments stay available meanwhile (each candidate loads once, under its own).
        loaded, failed = _load_all(candidates)
        _raise_conflicts(instrument_id, loaded)
        instruments = [instrument for _, instrument in loaded]
        if version is None:
            if failed:
                raise failed[0]
            return max(instruments, key=lambda instrument: semver_key(instrument.version))
        for instrument in instruments:
            if instrument.version == version:
                return instrument
        if failed:
            raise failed[0]
        versions = ", ".join(sorted((i.version for i in instruments), key=semver_key))
        raise UnknownInstrumentError(
            f"instrument {instrument_id!r} has no version {version!r} (installed: {versions})",
            instrument_id=instrument_id,
            version=version,
        )

    def _discover(self) -> dict[str, list[_Candidate]]:
        """Scan the entry points once (per refresh); in strict mode, load them all."""
        if self._discovered is None:
            self._discovered = _scan(self._group)
            if os.environ.get(STRICT_ENV, "").strip() not in {"", "0"}:
                _raise_all_problems(self._discovered)
        return self._discovered


def _scan(group: str) -> dict[str, list[_Candidate]]:
    # The backport is a declared dependency; import it only when a registry is first used.
    from importlib_metadata import entry_points  # noqa: PLC0415

    found: dict[str, list[_Candidate]] = {}
    # importlib-metadata yields a distribution found twice on the path (same normalized
    # name) once, so an exact duplicate is one plugin, never a conflict.
    for entry_point in entry_points(group=group):
        dist = entry_point.dist
        dist_name = dist.name if dist is not None else None
        found.setdefault(entry_point.name, []).append(
            _Candidate(
                entry_point.name,
                entry_point.value,
                entry_point.load,
                dist_name,
                dist.version if dist is not None else None,
            )
        )
    return found


def _registered_candidate(target: Any, instrument_id: str | None) -> _Candidate:
    if isinstance(target, Instrument):
        candidate = _Candidate(target.id, f"<Instrument {target.id} {target.version}>", lambda: target)
        candidate.instrument = target
    elif isinstance(target, str):
        from importlib_metadata import EntryPoint  # noqa: PLC0415

        # A string goes through the very loader entry points use.
        entry_point = EntryPoint(name=instrument_id or "", value=target, group=GROUP)
        candidate = _Candidate(instrument_id or "", target, entry_point.load)
    elif callable(target):
        name = getattr(target, "__qualname__", type(target).__name__)
        candidate = _Candidate(instrument_id or "", f"<callable {name}>", lambda: target)
    else:
        raise ArgumentTypeError(
            "register() takes an Instrument, a zero-argument callable returning one, or a "
            f"'module:attr' string (got {type(target).__name__})"
        )
    if isinstance(target, Instrument) and instrument_id not in {None, target.id}:
        raise InvalidArgumentError(f"id {instrument_id!r} does not match the instrument's id {target.id!r}")
    if not candidate.id:
        # No id given for a lazy target: load it now to learn its id.
        candidate.id = candidate.load().id
    return candidate


def _same_version(old: _Candidate, new: _Candidate) -> bool:
    if old.instrument is None or new.instrument is None:
        return True
    return old.instrument.version == new.instrument.version


Loaded = list[tuple[_Candidate, Instrument]]


def _load_all(candidates: Iterable[_Candidate]) -> tuple[Loaded, list[InstrumentLoadError]]:
    loaded: Loaded = []
    failed: list[InstrumentLoadError] = []
    for candidate in candidates:
        try:
            loaded.append((candidate, candidate.load()))
        except InstrumentLoadError as exc:
            failed.append(exc)
    return loaded, failed


def _raise_conflicts(instrument_id: str, loaded: Loaded) -> None:
    by_version: dict[str, list[str]] = {}
    for candidate, instrument in loaded:
        by_version.setdefault(instrument.version, []).append(candidate.owner)
    for version, owners in by_version.items():
        owners.sort()  # Named in one order, however the environment lists them.
        if len(owners) > 1:
            raise InstrumentConflictError(
                f"instrument {instrument_id!r} version {version} is provided by "
                + " and by ".join(owners)
                + "; uninstall one, or pick one with leadscore.register(..., replace=True)",
                instrument_id=instrument_id,
                version=version,
                distributions=owners,
            )


def _raise_all_problems(discovered: dict[str, list[_Candidate]]) -> None:
    problems: list[LeadscoreError] = []
    for instrument_id, candidates in sorted(discovered.items()):
        loaded, failed = _load_all(candidates)
        problems.extend(failed)
        try:
            _raise_conflicts(instrument_id, loaded)
        except InstrumentConflictError as exc:
            problems.append(exc)
    if problems:
        listed = "".join(f"\n- {problem}" for problem in problems)
        summary = f"{len(problems)} leadscore plugin problem(s) ({STRICT_ENV} is set)"
        raise BrokenPluginsError(f"{summary}:{listed}", problems)


def _info(candidate: _Candidate, siblings: list[_Candidate], *, shadowed: bool = False) -> InstrumentInfo:
    instrument = candidate.instrument
    state: State = "available"
    reason = None
    if shadowed:
        state, reason = (
            "shadowed",
            "an instrument registered in code with the same id takes its place",
        )
    elif candidate.error is not None:
        state, reason = "broken", str(candidate.error)
    elif instrument is None:
        state = "unloaded"
        owners = [c.owner for c in siblings if c is not candidate]
        also = f"; also provided by {', '.join(owners)}" if owners else ""
        reason = f"not imported yet: it is checked when first asked for{also}"
    else:
        rivals = [
            c.owner
            for c in siblings
            if c is not candidate and c.instrument is not None and c.instrument.version == instrument.version
        ]
        if rivals:
            state = "conflicting"
            reason = f"version {instrument.version} is also provided by " + ", ".join(rivals)
    return InstrumentInfo(
        id=candidate.id,
        version=instrument.version if instrument else None,
        title=instrument.title if instrument else None,
        distribution=candidate.distribution,
        distribution_version=candidate.distribution_version,
        target=candidate.target,
        state=state,
        reason=reason,
    )


def semver_key(version: str) -> tuple[Any, ...]:
    """Order semantic versions by precedence (a pre-release sorts before its release)."""
    core, _, pre = version.split("+", 1)[0].partition("-")
    major, minor, patch = (int(part) for part in core.split("."))
    if not pre:
        return (major, minor, patch, 1, ())
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (major, minor, patch, 0, parts)


_DEFAULT: Registry | None = None
_DEFAULT_LOCK = threading.Lock()


def default_registry() -> Registry:
    """
    Return the process-wide registry, made on first use.

    .. versionadded:: 0.1.0
    """
    global _DEFAULT  # noqa: PLW0603 - one registry per process, made lazily
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = Registry()
        return _DEFAULT


def list_instruments() -> list[InstrumentInfo]:
    """
    Describe every installed or registered instrument, sorted by id; imports no plugin.

    .. versionadded:: 0.1.0
    """
    return default_registry().list_instruments()


def get_instrument(instrument_id: str, version: str | None = None) -> Instrument:
    """
    Return the installed or registered instrument *instrument_id* (by default its highest version).

    See `Registry.get`.

    .. versionadded:: 0.1.0
    """
    return default_registry().get(instrument_id, version)


def register(target: Any, *, id: str | None = None, replace: bool = False) -> str:  # noqa: A002
    """
    Register an instrument in code, ahead of any plugin with the same id.

    See `Registry.register`.

    .. versionadded:: 0.1.0
    """
    return default_registry().register(target, id=id, replace=replace)


def refresh() -> None:
    """
    Scan the environment's entry points again on next use (after installing a plugin).

    .. versionadded:: 0.1.0
    """
    default_registry().refresh()


def resolve(instrument: Instrument | str) -> Instrument:
    """
    Return *instrument*, or the installed or registered instrument with that id.

    Raises:
        UnknownInstrumentError: If no instrument has that id.
        InstrumentLoadError: If its plugin fails to load.

    .. versionadded:: 0.1.0
    """
    if isinstance(instrument, str):
        return get_instrument(instrument)
    given: object = instrument  # Whatever came in, whatever its annotation says.
    if not isinstance(given, Instrument):
        raise ArgumentTypeError(f"an instrument must be a leadscore.Instrument or its id (got {type(given).__name__})")
    return instrument
