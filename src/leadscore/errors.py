"""
The exceptions leadscore raises.

Every error leadscore raises is a `LeadscoreError`. Each leaf also inherits the builtin that
matches it (a bad answer is a `ValueError`), so code that does not know leadscore still
catches it sensibly. Errors about a whole definition or answer set collect every problem
before raising, so one run of a fix-and-retry loop sees all of them at once.
"""

from __future__ import annotations

import functools

from collections.abc import Sequence
from typing import Any, Self, cast
from weakref import WeakKeyDictionary


__all__ = [
    "ArgumentTypeError",
    "BrokenPluginsError",
    "DefinitionProblem",
    "InstrumentConflictError",
    "InstrumentLoadError",
    "InvalidAnswerError",
    "InvalidAnswersError",
    "InvalidArgumentError",
    "InvalidDefinitionError",
    "InvalidExportError",
    "InvalidFileError",
    "LeadscoreError",
    "UnknownInstrumentError",
]


class LeadscoreError(Exception):
    """
    Root of every error leadscore raises.

    Every leadscore error pickles with its attributes and notes, so it crosses process
    boundaries (multiprocessing, a Dask worker) unchanged.

    .. versionadded:: 0.1.0
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Make every error of *cls* remember the arguments it was made with, for `__reduce__`."""
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is None:  # Made by a parent's __init__, or by Exception's: its args are its arguments.
            return

        @functools.wraps(init)
        def remembering(self: LeadscoreError, *args: Any, **kwargs: Any) -> None:
            # The outermost constructor's arguments: a parent's __init__ called from it keeps them.
            _MADE_WITH.setdefault(self, (args, kwargs))
            init(self, *args, **kwargs)

        cls.__init__ = remembering  # type: ignore[method-assign,assignment]

    def __reduce__(self) -> tuple[Any, ...]:
        """Rebuild from the constructor's own arguments, then restore attributes and notes."""
        args, kwargs = _MADE_WITH.get(self, (self.args, {}))
        return (_rebuild, (type(self), args, kwargs), self.__dict__)


class DefinitionProblem(LeadscoreError, ValueError):
    """
    One thing wrong with an instrument definition, and where it is.

    Attributes:
        path: Where the problem is, as a JSON path into the definition
            (``$.scales[2].items[0]``); ``$`` is the object being built.
        message: What is wrong, naming the offending id and the value that came in.

    .. versionadded:: 0.1.0
    """

    def __init__(self, message: str, path: str = "$") -> None:
        """Record *message* at *path*."""
        super().__init__(f"{message} @ {path}")
        self.message = message
        self.path = path

    def under(self, prefix: str) -> DefinitionProblem:
        """Return the same problem seen from a parent object at *prefix*."""
        return DefinitionProblem(self.message, prefix + self.path[1:])


class InvalidDefinitionError(LeadscoreError, ExceptionGroup[DefinitionProblem], ValueError):
    """
    An instrument definition that cannot be scored correctly, with every problem found.

    An `ExceptionGroup` of `DefinitionProblem`; ``str()`` lists them one per line.

    Attributes:
        problems: The problems, in the order they were found.

    .. versionadded:: 0.1.0
    """

    def __new__(cls, message: str, problems: Sequence[DefinitionProblem]) -> Self:
        """Group *problems* under *message*."""
        return super().__new__(cls, message, list(problems))

    def __init__(self, message: str, problems: Sequence[DefinitionProblem]) -> None:
        """Group *problems* under *message*."""
        super().__init__(message, list(problems))

    @property
    def problems(self) -> tuple[DefinitionProblem, ...]:
        """The problems, in the order they were found."""
        return cast("tuple[DefinitionProblem, ...]", self.exceptions)

    def derive(self, excs: Sequence[DefinitionProblem]) -> InvalidDefinitionError:  # type: ignore[override]
        """Keep the type when ``except*`` splits the group."""
        return InvalidDefinitionError(self.message, excs)

    def __str__(self) -> str:
        """List every problem, one per line."""
        lines = [f"{self.message} ({len(self.exceptions)} problem(s)):"]
        lines.extend(f"  - {problem}" for problem in self.exceptions)
        return "\n".join(lines)


class InvalidAnswerError(LeadscoreError, ValueError):
    """
    One answer that cannot be scored.

    Attributes:
        item_id: The answer's key (an item id, or the unknown key that came in).
        value: The value that came in.
        row: The response's position in a batch or file, when known.
        column: The column it came from in tabular input, when known.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        message: str,
        *,
        item_id: str,
        value: Any,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        """Record *message* about *item_id* and where it came from."""
        where = []
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
        self.message = message
        self.item_id = item_id
        self.value = value
        self.row = row
        self.column = column


class InvalidAnswersError(LeadscoreError, ExceptionGroup[InvalidAnswerError], ValueError):
    """
    An answer set that cannot be scored, with every bad answer in it.

    An `ExceptionGroup` of `InvalidAnswerError`, so ``except* InvalidAnswerError`` works;
    ``str()`` lists every problem, one per line.

    Attributes:
        instrument_id: The instrument the answers were scored against.
        problems: The bad answers, in the order they were found.

    .. versionadded:: 0.1.0
    """

    def __new__(cls, instrument_id: str, problems: Sequence[InvalidAnswerError], *, row: int | None = None) -> Self:
        """Group *problems* found scoring against *instrument_id*."""
        return super().__new__(cls, _answers_message(instrument_id, row), list(problems))

    def __init__(self, instrument_id: str, problems: Sequence[InvalidAnswerError], *, row: int | None = None) -> None:
        """Group *problems* found scoring against *instrument_id*."""
        super().__init__(_answers_message(instrument_id, row), list(problems))
        self.instrument_id = instrument_id
        self.row = row

    @property
    def problems(self) -> tuple[InvalidAnswerError, ...]:
        """The bad answers, in the order they were found."""
        return cast("tuple[InvalidAnswerError, ...]", self.exceptions)

    def derive(self, excs: Sequence[InvalidAnswerError]) -> InvalidAnswersError:  # type: ignore[override]
        """Keep the type when ``except*`` splits the group."""
        return InvalidAnswersError(self.instrument_id, excs, row=self.row)

    def __str__(self) -> str:
        """List every problem, one per line."""
        lines = [f"{self.message} ({len(self.exceptions)} problem(s)):"]
        lines.extend(f"  - {problem}" for problem in self.exceptions)
        return "\n".join(lines)


class UnknownInstrumentError(LeadscoreError, LookupError):
    """
    No instrument (or no such version of it) is installed or registered.

    Attributes:
        instrument_id: The id that was asked for.
        version: The version that was asked for, if any.

    .. versionadded:: 0.1.0
    """

    def __init__(self, message: str, *, instrument_id: str, version: str | None = None) -> None:
        """Record *message* about *instrument_id*."""
        super().__init__(message)
        self.instrument_id = instrument_id
        self.version = version

    def __str__(self) -> str:
        """Show the message (not the quoted key a `LookupError` would show)."""
        return str(self.args[0])


class InstrumentLoadError(LeadscoreError, ImportError):
    """
    A plugin was found but could not give a valid instrument.

    Raised when that instrument is asked for, chained to the original exception; other
    instruments keep working.

    Attributes:
        instrument_id: The id of the instrument.
        entry_point: The plugin's target, such as ``"pkg.module:factory"``.
        distribution: The distribution that declared it, or None if registered in code.

    .. versionadded:: 0.1.0
    """

    def __init__(self, message: str, *, instrument_id: str, entry_point: str, distribution: str | None) -> None:
        """Record *message* about the plugin."""
        super().__init__(message)
        self.instrument_id = instrument_id
        self.entry_point = entry_point
        self.distribution = distribution


class InstrumentConflictError(LeadscoreError, LookupError):
    """
    Two plugins claim the same instrument id and version.

    Attributes:
        instrument_id: The contested id.
        version: The contested version.
        distributions: The distributions (or "registered in code") that claim it.

    .. versionadded:: 0.1.0
    """

    def __init__(self, message: str, *, instrument_id: str, version: str, distributions: Sequence[str]) -> None:
        """Record *message* about the contested id."""
        super().__init__(message)
        self.instrument_id = instrument_id
        self.version = version
        self.distributions = tuple(distributions)

    def __str__(self) -> str:
        """Show the message (not the quoted key a `LookupError` would show)."""
        return str(self.args[0])


class InvalidArgumentError(LeadscoreError, ValueError):
    """
    An argument of the right type whose value leadscore cannot use.

    Such as a negative threshold, a ``missing=`` policy that does not exist, or a rater key
    given twice.

    .. versionadded:: 0.1.0
    """


class ArgumentTypeError(LeadscoreError, TypeError):
    """
    An argument of the wrong type, such as ``score(None, {})`` or ``register(42)``.

    .. versionadded:: 0.1.0
    """


class InvalidExportError(LeadscoreError, ValueError):
    """
    A survey export that cannot be read as answers to the instrument it is read against.

    Every problem found in the file's layout at once: a column that is no item, no known
    metadata and not kept or ignored; two columns for one item; an encoding or delimiter that
    cannot be settled; a header that names a column twice. Each problem names the file and
    the column or line. (Problems with single cells are `InvalidAnswersError`, by row.)

    Attributes:
        source: The file's name (or ``"<frame>"``).
        problems: One sentence per problem.

    .. versionadded:: 0.1.0
    """

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        """Collect *problems* found in *source*."""
        self.source = source
        self.problems = tuple(problems)
        lines = "".join(f"\n  - {problem}" for problem in self.shown())
        super().__init__(f"cannot read {source}: {len(self.problems)} problem(s):{lines}")

    def shown(self, most: int = 50) -> list[str]:
        """The problems to show a person: all, or the first *most* and how many more (100,000 bad columns)."""
        if len(self.problems) <= most:
            return list(self.problems)
        return [*self.problems[:most], f"and {len(self.problems) - most:,} more problems"]


class InvalidFileError(LeadscoreError, ValueError):
    """
    A file leadscore cannot use as asked: an input it cannot read, an output it may not write.

    An answer file whose bytes are not UTF-8, whose JSON is malformed or nested too deeply;
    an output that is a folder, in a folder that does not exist, or one of the inputs (which
    it would destroy); an output the system refuses. The message names the file and, for an
    input, the line. (A survey export's layout is `InvalidExportError`; its cells are
    `InvalidAnswersError`.)

    .. versionadded:: 0.1.0
    """


class BrokenPluginsError(LeadscoreError, ExceptionGroup[LeadscoreError]):
    """
    Every plugin problem found at once, raised in strict mode (``LEADSCORE_STRICT_PLUGINS=1``).

    .. versionadded:: 0.1.0
    """

    def derive(self, excs: Sequence[LeadscoreError]) -> BrokenPluginsError:  # type: ignore[override]
        """Keep the type when ``except*`` splits the group."""
        return BrokenPluginsError(self.message, excs)


# What each error was made with (`LeadscoreError.__init_subclass__`); kept apart from its
# attributes, which a caller sees, and gone with the error.
_MADE_WITH: WeakKeyDictionary[LeadscoreError, tuple[tuple[Any, ...], dict[str, Any]]] = WeakKeyDictionary()


def _rebuild(cls: type[LeadscoreError], args: tuple[Any, ...], kwargs: dict[str, Any]) -> LeadscoreError:
    return cls(*args, **kwargs)


def _answers_message(instrument_id: str, row: int | None) -> str:
    where = "" if row is None else f" in row {row}"
    return f"invalid answers for {instrument_id!r}{where}"
