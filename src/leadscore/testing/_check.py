"""`check_instrument` and what it reports: the conformance kit's entry points, re-exported by `leadscore.testing`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from attrs import frozen

from leadscore._canonical import fingerprint as _fingerprint
from leadscore._model import Composite, Instrument, Scale
from leadscore._views import AboutInstrument
from leadscore.errors import ArgumentTypeError, LeadscoreError
from leadscore.testing._implementation import Implementation


__all__ = [
    "CheckReport",
    "InvariantError",
    "InvariantResult",
    "check_instrument",
    "run_invariant",
    "text_problems",
]


@frozen(kw_only=True)
class InvariantResult:
    """
    How one invariant fared.

    Attributes:
        number: The invariant's number in docs/invariants.md.
        name: Its short name.
        wording: Its wording in docs/invariants.md.
        examples: How many generated examples it ran on.
        failure: What broke, with the minimal failing example; None when it held.

    .. versionadded:: 0.1.0
    """

    number: int
    name: str
    wording: str
    examples: int
    failure: str | None

    def __str__(self) -> str:
        """One line when it held; the whole story when it did not."""
        head = f"invariant {self.number} ({self.name})"
        if self.failure is None:
            return f"{head} held over {self.examples} examples"
        return f"{head} is broken: {self.wording}\n{self.failure}"


@frozen(kw_only=True)
class CheckReport(AboutInstrument):
    """
    What `check_instrument` proved about an instrument (and the instrument, as every report names it).

    Attributes:
        results: How each invariant fared, by number.

    .. versionadded:: 0.1.0
    """

    results: tuple[InvariantResult, ...]

    @property
    def ok(self) -> bool:
        """Whether every invariant held."""
        return all(result.failure is None for result in self.results)

    @property
    def examples(self) -> int:
        """How many generated examples ran, over all invariants."""
        return sum(result.examples for result in self.results)

    def __str__(self) -> str:
        """A summary line, then one line (or more) per invariant."""
        broken = [r for r in self.results if r.failure is not None]
        verdict = "all held" if not broken else f"{len(broken)} broken"
        lines = [
            f"{self.instrument_id}: {len(self.results)} invariants checked over {self.examples} examples; {verdict}"
        ]
        lines.extend(f"  {result}".replace("\n", "\n    ") for result in self.results)
        return "\n".join(lines)


class InvariantError(LeadscoreError, AssertionError):
    """
    An instrument (or implementation) broke one or more invariants.

    Attributes:
        report: The full `CheckReport`, passing invariants included.

    .. versionadded:: 0.1.0
    """

    def __init__(self, report: CheckReport) -> None:
        """Describe every broken invariant of *report*."""
        super().__init__(str(report))
        self.report = report


def run_invariant(
    instrument: Instrument,
    number: int,
    *,
    implementation: Implementation | None = None,
    max_examples: int | None = None,
) -> InvariantResult:
    """
    Check one invariant against *instrument* and return how it fared (never raises for a failure).

    .. versionadded:: 0.1.0
    """
    try:
        from hypothesis import given, settings  # noqa: PLC0415 - Hypothesis is the testing extra
        from hypothesis import strategies as st  # noqa: PLC0415
    except ImportError as exc:  # pragma: no cover - run in a subprocess by tests/test_testing.py
        raise ImportError("leadscore's conformance kit needs Hypothesis: pip install 'leadscore[testing]'") from exc

    from leadscore.testing._invariants import INVARIANTS  # noqa: PLC0415 - needs Hypothesis

    name, wording, check = INVARIANTS[number]
    impl = implementation if implementation is not None else Implementation()
    count = [0]

    def example(data: st.DataObject) -> None:
        count[0] += 1
        check(data.draw, impl, instrument)

    # Settings are made now, from the profile loaded now, never at import. Only the
    # per-example deadline is turned off: time is no scoring promise, and a loaded CI machine
    # must not fail an instrument.
    overrides: dict[str, Any] = {"deadline": None}
    if max_examples is not None:
        overrides["max_examples"] = max_examples
    test = settings(**overrides)(given(st.data())(example))
    try:
        test()
    except Exception as exc:  # noqa: BLE001 - every failure becomes part of the report
        return InvariantResult(number=number, name=name, wording=wording, examples=count[0], failure=_describe(exc))
    return InvariantResult(number=number, name=name, wording=wording, examples=count[0], failure=None)


def _describe(exc: BaseException) -> str:
    """What failed, and Hypothesis's minimal failing example (its notes, less the coverage explanation)."""
    if isinstance(exc, BaseExceptionGroup) and not isinstance(exc, LeadscoreError):
        return f"{len(exc.exceptions)} distinct failures:\n" + "\n".join(_describe(e) for e in exc.exceptions)
    notes = "\n".join(getattr(exc, "__notes__", [])).split("\nExplanation:", 1)[0]
    described = f"{type(exc).__name__}: {exc}"
    return f"{described}\nMinimal failing example:\n{notes}" if notes else described


def check_instrument(
    instrument: Instrument,
    *,
    implementation: Implementation | None = None,
    max_examples: int | None = None,
    invariants: Iterable[int] | None = None,
) -> CheckReport:
    """
    Check every invariant (1 to 9) against *instrument* with generated answers.

    Args:
        instrument: The instrument to check.
        implementation: The functions to check (see `leadscore_implementation`); leadscore's by default.
        max_examples: Examples per invariant; by default, the loaded Hypothesis profile's.
        invariants: Only these invariant numbers.

    Returns:
        A report of every invariant and how many examples it ran on.

    Raises:
        InvariantError: If any invariant broke; it names each with its wording and a
            minimal failing example, and carries the report.
        TypeError: If *instrument* is not an `Instrument`.

    .. versionadded:: 0.1.0
    """
    if not isinstance(instrument, Instrument):
        raise ArgumentTypeError(f"check_instrument() takes a leadscore.Instrument (got {type(instrument).__name__})")
    numbers = sorted(set(invariants)) if invariants is not None else list(range(1, 10))
    results = tuple(
        run_invariant(instrument, number, implementation=implementation, max_examples=max_examples)
        for number in numbers
    )
    report = CheckReport(
        instrument_id=instrument.id,
        instrument_version=instrument.version,
        fingerprint=_fingerprint(instrument),
        results=results,
    )
    if not report.ok:
        raise InvariantError(report)
    return report


def text_problems(instrument: Instrument) -> list[str]:
    """
    What a report of *instrument* would lack in words: one line per problem, none when it has them all.

    Where any band has a narrative (`Band.description`), every band of every score needs one, in
    every language the instrument's title has, and each narrative says where it comes from
    (`Band.source`; the instrument author's own reading says so in the source's note). A report
    shows the narrative of the band a score falls in: a band without one would leave that
    person with a label only.

    .. versionadded:: 0.1.0
    """
    if not isinstance(instrument, Instrument):
        raise ArgumentTypeError(f"text_problems() takes a leadscore.Instrument (got {type(instrument).__name__})")
    scores: list[Scale | Composite] = [*instrument.scales, *instrument.composites]
    banded = [(score, band) for score in scores for band in score.bands]
    if not any(band.description is not None for _, band in banded):
        return []
    languages = instrument.title.languages
    problems = []
    for score, band in banded:
        where = f"band {band.id!r} of {score.id!r}"
        if band.description is None:
            problems.append(f"{where} has no description, and other bands have one")
            continue
        lacking = [language for language in languages if language not in band.description.languages]
        if lacking:
            problems.append(f"{where} has no description in {', '.join(lacking)}")
        if band.source is None:
            problems.append(f"{where} does not say where its description comes from (source)")
    return problems
