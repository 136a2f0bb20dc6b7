"""
Instruments and results to and from JSON, through one strict cattrs converter.

The converter is leadscore's own (never cattrs' global one). It coerces nothing: ``"4"`` is
not an integer, ``True`` is not a number, ``4.7`` is not an integer, and a string is not a
list. Unknown keys are errors. Every problem is reported with its path (``@ $.items[3].id``),
all at once, as an `InvalidDefinitionError`.
"""

from __future__ import annotations

import math
import re

from collections.abc import Callable, Mapping
from functools import cache
from typing import TYPE_CHECKING, Any, get_args, get_origin, overload

import attrs

from attrs import frozen

from leadscore._canonical import fingerprint, plain
from leadscore._catalog import Reason, reason_from_text
from leadscore._checks import quoted
from leadscore._model import (
    Band,
    Composite,
    Instrument,
    Item,
    NotApplicable,
    Part,
    PointLabel,
    ResponseScale,
    Scale,
    Source,
)
from leadscore._plan import compiled
from leadscore._registry import resolve
from leadscore._release import ReleaseRecord, record_problems
from leadscore._results import ARITHMETIC, CompositeRow, CompositeScore, Result, ScaleRow, ScaleScore, shape_problems
from leadscore._text import LocalizedText
from leadscore._verify import problems_of
from leadscore._views import ById
from leadscore.errors import ArgumentTypeError, DefinitionProblem, InvalidArgumentError, InvalidDefinitionError


if TYPE_CHECKING:
    import cattrs


__all__ = ["fingerprint", "from_json", "make_converter", "parse_json", "structure", "to_json", "unstructure"]

# The definition classes: each is written by `plain`, the one rule for an instrument as data.
_MODEL = (Instrument, Item, ResponseScale, PointLabel, NotApplicable, Scale, Composite, Part, Band, Source)


class _Rejected(TypeError):
    """A value of the wrong type; the message is complete and shown as it is."""


class _NotATable(TypeError):
    """A value where a table (a JSON object) belongs."""


def _strict_int(value: Any, _: type) -> int:
    if type(value) is not int:
        raise _Rejected(f"must be an integer (got {quoted(value)})")
    return value


def _strict_float(value: Any, _: type) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise _Rejected(f"must be a finite number (got {quoted(value)})")
    return float(value)


def _strict_str(value: Any, _: type) -> str:
    if type(value) is not str:
        raise _Rejected(f"must be a string (got {quoted(value)})")
    return value


def _strict_bool(value: Any, _: type) -> bool:
    if type(value) is not bool:
        raise _Rejected(f"must be true or false (got {quoted(value)})")
    return value


def _structure_text(value: Any, _: type) -> LocalizedText:
    if not isinstance(value, Mapping):
        raise _Rejected(f"must be a mapping of language to text (got {quoted(value)})")
    return LocalizedText(value)


def _is_homogeneous_tuple(cls: Any) -> bool:
    args = get_args(cls)
    return get_origin(cls) is tuple and len(args) == 2 and args[1] is Ellipsis


def _strict_tuple_factory(cls: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    from cattrs.cols import homogenous_tuple_structure_factory  # noqa: PLC0415 - cattrs loads on first use

    inner = homogenous_tuple_structure_factory(cls, converter)

    def structure_tuple(value: Any, cls: Any) -> Any:
        if not isinstance(value, (list, tuple)):
            raise _Rejected(f"must be a list (got {quoted(value)})")
        return inner(value, cls)

    return structure_tuple


def _table_factory(cls: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """Structure attrs classes from mappings only, so a stray value gets a clear message."""
    from cattrs.gen import make_dict_structure_fn  # noqa: PLC0415 - cattrs loads on first use

    inner = make_dict_structure_fn(cls, converter)

    def structure_table(value: Any, cls: Any) -> Any:
        if not isinstance(value, Mapping):
            raise _NotATable(value)
        return inner(value, cls)

    return structure_table


@frozen(kw_only=True)
class _InstrumentRef:
    id: str
    version: str
    fingerprint: str


def _without_id(cls: type) -> type:
    """The JSON body of a score class: its fields, less the id that keys it."""
    attrs.resolve_types(cls)
    fields = {
        # A reason's parameters are checked by `Reason` itself, which names what is wrong with them.
        f.name: attrs.field(type=Any if f.name == "reason_params" else f.type, default=f.default)
        if f.default is not attrs.NOTHING
        else attrs.field(type=f.type)
        for f in attrs.fields(cls)
        if f.name != "id"
    }
    return attrs.make_class(f"_{cls.__name__}Body", fields, frozen=True, kw_only=True)


@cache
def _result_doc() -> type:
    """The JSON shape of a result, made on first use: attrs classes cost time to create."""
    scale_doc: Any = _without_id(ScaleScore)
    composite_doc: Any = _without_id(CompositeScore)
    fields = {
        "instrument": attrs.field(type=_InstrumentRef),
        "scales": attrs.field(type=dict[str, scale_doc]),
        "composites": attrs.field(type=dict[str, composite_doc]),
        # Results written before the arithmetic had a version are of version 1.
        "arithmetic": attrs.field(type=int, default=1),
    }
    return attrs.make_class("_ResultDoc", fields, frozen=True, kw_only=True)


def _unstructure_result(result: Result, converter: cattrs.Converter) -> dict[str, Any]:
    return {
        "instrument": {
            "id": result.instrument_id,
            "version": result.instrument_version,
            "fingerprint": result.fingerprint,
        },
        "scales": _unstructure_by_id(result.scales, converter),
        "composites": _unstructure_by_id(result.composites, converter),
        "arithmetic": result.arithmetic,
    }


def _structure_result(value: Any, converter: cattrs.Converter) -> Result:
    doc: Any = converter.structure(value, _result_doc())
    problems: list[DefinitionProblem] = []

    def reason(kind: str, score_id: str, score: Any) -> Reason | None:
        path = f"$.{kind}[{score_id!r}]"
        found = _reason(score.reason, score.reason_code, score.reason_params, path, problems)
        allowed = "too-few-answered" if kind == "scales" else "missing-parts"
        if found is not None and found.code not in {allowed, "unspecified"}:
            problems.append(
                DefinitionProblem(
                    f"must be {allowed!r} for a score of {kind} (got {found.code!r})", f"{path}.reason_code"
                )
            )
        return found

    scales: dict[str, ScaleRow] = {
        score_id: (s.value, s.n_answered, s.n_not_applicable, s.n_items, s.pomp, s.band, reason("scales", score_id, s))
        for score_id, s in doc.scales.items()
    }
    composites: dict[str, CompositeRow] = {
        score_id: (c.value, c.pomp, c.band, reason("composites", score_id, c)) for score_id, c in doc.composites.items()
    }
    if not 1 <= doc.arithmetic <= ARITHMETIC:
        said = f"must be a version of leadscore's arithmetic, from 1 to {ARITHMETIC} (got {quoted(doc.arithmetic)})"
        problems.append(DefinitionProblem(said, "$.arithmetic"))
    if problems:
        raise InvalidDefinitionError("invalid result", problems)
    return Result(
        instrument_id=doc.instrument.id,
        instrument_version=doc.instrument.version,
        fingerprint=doc.instrument.fingerprint,
        scales=scales,
        composites=composites,
        arithmetic=doc.arithmetic,
    )


def _reason(
    text: str | None, code: str | None, params: Any, path: str, problems: list[DefinitionProblem]
) -> Reason | None:
    """A stored score's reason: from its code and parameters, or from the English text alone (results of 0.1)."""
    if code is None:
        if params is not None:
            problems.append(DefinitionProblem("is given without a reason_code", f"{path}.reason_params"))
        return None if text is None else reason_from_text(text)
    if not isinstance(params, dict):
        problems.append(
            DefinitionProblem(f"must be an object of parameters (got {quoted(params)})", f"{path}.reason_params")
        )
        return None
    try:
        reason = Reason(code, params)
    except InvalidArgumentError as error:
        problems.append(DefinitionProblem(str(error), f"{path}.reason_code"))
        return None
    if text != str(reason):
        problems.append(
            DefinitionProblem(
                f"must be {quoted(str(reason))}, the text of its code and parameters (got {quoted(text)})",
                f"{path}.reason",
            )
        )
    return reason


def make_converter() -> cattrs.Converter:
    """
    Return a new strict converter for leadscore's model and results.

    Plugins that serialize their own types alongside leadscore's can add hooks to the
    converter this returns; leadscore's own functions use a private one.

    .. versionadded:: 0.1.0
    """
    import cattrs  # noqa: PLC0415 - importing leadscore does not load cattrs; the first conversion does

    converter = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(float, _strict_float)
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook(bool, _strict_bool)
    converter.register_structure_hook(LocalizedText, _structure_text)
    converter.register_unstructure_hook(LocalizedText, LocalizedText.as_dict)
    converter.register_structure_hook_factory(_is_homogeneous_tuple, _strict_tuple_factory)
    converter.register_structure_hook_factory(attrs.has, _table_factory)
    for cls in _MODEL:
        converter.register_unstructure_hook(cls, plain)
    # Fields are declared as ById[Entry]: match the generic form too, or cattrs takes it for a plain mapping.
    converter.register_unstructure_hook_func(_is_by_id, lambda entries: _unstructure_by_id(entries, converter))
    converter.register_unstructure_hook(Result, lambda result: _unstructure_result(result, converter))
    converter.register_structure_hook(Result, lambda value, _: _structure_result(value, converter))
    converter.register_structure_hook(str | int, _strict_key)
    _report_hooks(converter)
    return converter


def _report_hooks(converter: cattrs.Converter) -> None:
    """A report's JSON: its audit's version always; never its release record or the unaudited self rating."""
    from cattrs.gen import make_dict_unstructure_fn, override  # noqa: PLC0415 - loaded with the converter

    from leadscore._aggregate import FeedbackReport  # noqa: PLC0415 - reports load on first use
    from leadscore._group_report import GroupReport  # noqa: PLC0415

    for cls, hidden in ((FeedbackReport, ("release", "_self_result")), (GroupReport, ())):
        overrides = {name: override(omit=True) for name in hidden} | {"audit": override(omit_if_default=False)}
        hook = make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True, **overrides)  # type: ignore[arg-type]
        converter.register_unstructure_hook(cls, hook)


def _strict_key(value: Any, _: type) -> str | int:
    """A rater's key: text or an integer, nothing else (not true, not 4.0)."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _Rejected(f"must be text or an integer (got {quoted(value)})")
    return value


@cache
def _converter() -> cattrs.Converter:
    """Leadscore's own converter, made on first use."""
    return make_converter()


def _is_by_id(cls: Any) -> bool:
    return cls is ById or get_origin(cls) is ById


def _unstructure_by_id(entries: Mapping[str, Any], converter: cattrs.Converter) -> dict[str, Any]:
    """Entries by id (a `ById`, a result's scores) as a JSON object: each under its id, without repeating it."""
    out = {}
    for entry_id, entry in entries.items():
        body = converter.unstructure(entry)
        del body["id"]
        out[entry_id] = body
    return out


def unstructure(obj: Any) -> dict[str, Any]:
    """
    Return *obj* as plain JSON-ready data (dicts, lists, strings, numbers, None).

    .. versionadded:: 0.1.0
    """
    data: dict[str, Any] = _converter().unstructure(obj)
    return data


@overload
def structure(data: Any, cls: type[Instrument]) -> Instrument: ...
@overload
def structure(data: Any, cls: type[Result], *, instrument: Instrument | str | None = None) -> Result: ...
@overload
def structure(data: Any, cls: type[ReleaseRecord]) -> ReleaseRecord: ...
def structure(
    data: Any, cls: type[Instrument | Result | ReleaseRecord], *, instrument: Instrument | str | None = None
) -> Instrument | Result | ReleaseRecord:
    """
    Build an `Instrument`, a `Result` or a `ReleaseRecord` from plain data, strictly.

    A release record is checked for what every record holds (keys given once, groups that are
    slugs, figures with raters among its raters and decimals at their precision); against its
    instrument when `leadscore.aggregate` reads it.

    A result is checked for what every result holds (a well-formed fingerprint, counts that
    add up, a reason exactly where there is no value, a POMP from 0 to 100). Given the
    *instrument* (or its id), it is also checked against it: the same id, version and
    fingerprint, every scale and composite and no other, and each value, POMP and band what
    scoring gives for its counts (see the scoring guide). It then lists its scores in the
    instrument's order, whatever order the data had.

    Raises:
        InvalidDefinitionError: Listing every problem with its path.
        ArgumentTypeError: If *instrument* is given for an `Instrument`, or is not an instrument.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *instrument*, and the checks of a result; release records.
    """
    import cattrs  # noqa: PLC0415 - loaded by _converter() already

    if cls is not Result and instrument is not None:
        raise ArgumentTypeError("instrument= checks a Result; an instrument definition is checked on its own")
    plan = compiled(resolve(instrument)) if instrument is not None else None
    what = {Instrument: "instrument definition", ReleaseRecord: "release record"}.get(cls, "result")
    try:
        built = _converter().structure(data, cls)
    except (cattrs.ClassValidationError, cattrs.IterableValidationError, InvalidDefinitionError, _NotATable) as exc:
        raise InvalidDefinitionError(f"invalid {what}", _problems(exc, "$")) from exc
    if isinstance(built, ReleaseRecord):
        problems = [DefinitionProblem(message, path) for path, message in record_problems(built)]
        if problems:
            raise InvalidDefinitionError(f"invalid {what}", problems)
        return built
    if not isinstance(built, Result):
        return built
    found = shape_problems(built)
    if not found and plan is not None:
        found = problems_of(plan, built)
        what = f"result of {quoted(plan.instrument_id)}"
    if found:
        raise InvalidDefinitionError(f"invalid {what}", [DefinitionProblem(message, path) for path, message in found])
    return built if plan is None else plan.in_order(built)


def _problems(exc: BaseException, path: str) -> list[DefinitionProblem]:
    """Flatten cattrs' nested validation errors into problems with full paths."""
    from cattrs.errors import (  # noqa: PLC0415 - loaded by _converter() already
        ClassValidationError,
        ForbiddenExtraKeysError,
        IterableValidationError,
        IterableValidationNote,
    )

    found: list[DefinitionProblem] = []
    if isinstance(exc, (ClassValidationError, IterableValidationError)):
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            step = f"[{quoted(note.index)}]" if isinstance(note, IterableValidationNote) else f".{note.name}"
            found.extend(_problems(inner, path + step))
        for inner in without:
            found.extend(_problems(inner, path))
    elif isinstance(exc, InvalidDefinitionError):
        found.extend(problem.under(path) for problem in exc.problems)
    elif isinstance(exc, ForbiddenExtraKeysError):
        found.extend(
            DefinitionProblem("unknown key", _key_path(path, key)) for key in sorted(exc.extra_fields, key=quoted)
        )
    elif isinstance(exc, KeyError):
        found.append(DefinitionProblem("required key missing", path))
    elif isinstance(exc, _Rejected):
        found.append(DefinitionProblem(str(exc), path))
    elif isinstance(exc, _NotATable):
        found.append(DefinitionProblem(f"must be a table of keys (got {quoted(exc.args[0])})", path))
    else:
        found.append(DefinitionProblem(f"invalid value ({exc})", path))
    return found


def _key_path(path: str, key: object) -> str:
    """The path of *key* under *path*: keys of a mapping built in code may be of any type."""
    return f"{path}.{key}" if isinstance(key, str) else f"{path}[{quoted(key)}]"


def to_json(obj: Any, *, indent: int | None = 2) -> str:
    """
    Return *obj* (an instrument, a result, or a report) as JSON text; the same object always gives the same bytes.

    Keys keep the model's order; non-ASCII text is written as it is (UTF-8).

    .. versionadded:: 0.1.0
    """
    import json  # noqa: PLC0415 - loaded on first use, not when leadscore is imported

    return json.dumps(unstructure(obj), ensure_ascii=False, indent=indent, allow_nan=False)


@overload
def from_json(text: str | bytes, cls: type[Instrument]) -> Instrument: ...
@overload
def from_json(text: str | bytes, cls: type[Result], *, instrument: Instrument | str | None = None) -> Result: ...
@overload
def from_json(text: str | bytes, cls: type[ReleaseRecord]) -> ReleaseRecord: ...
def from_json(
    text: str | bytes, cls: type[Instrument | Result | ReleaseRecord], *, instrument: Instrument | str | None = None
) -> Instrument | Result | ReleaseRecord:
    """
    Read an `Instrument`, a `Result` or a `ReleaseRecord` from JSON text, strictly.

    Give the *instrument* (or its id) a stored result claims, to check the result against
    it; see `structure`.

    Raises:
        InvalidDefinitionError: If the text is not JSON or does not describe a *cls* (of
            that instrument).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *instrument*, and the checks of a result; release records.
    """
    given: object = text
    if not isinstance(given, (str, bytes, bytearray)):
        raise ArgumentTypeError(f"text must be JSON text: str or bytes (got {type(given).__name__})")
    try:
        data = parse_json(text)
    except ValueError as exc:
        raise InvalidDefinitionError("invalid JSON", [DefinitionProblem(str(exc))]) from exc
    return structure(data, cls, instrument=instrument)  # type: ignore[arg-type]


def parse_json(text: str | bytes) -> Any:
    r"""
    Parse JSON text strictly: ``NaN``, ``Infinity`` and ``-Infinity`` are not numbers.

    A string must be text: a lone surrogate (``"\ud800"``, which no UTF-8 file can hold) is
    refused, as in I-JSON (RFC 7493).

    Raises:
        ValueError: If the text is not JSON (`json.JSONDecodeError`, `UnicodeDecodeError`).
    """
    import json  # noqa: PLC0415 - loaded on first use, not when leadscore is imported

    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except RecursionError as error:
        raise ValueError("JSON nested too deeply") from error
    # Only an escape (or a str given with a surrogate in it) can make one; most texts have neither.
    shown = text if isinstance(text, str) else text.decode("utf-8", "replace")
    if _SURROGATE_ESCAPE.search(shown) or _SURROGATE.search(shown):
        _refuse_surrogates(value)
    return value


_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _refuse_surrogates(value: Any) -> None:
    """Raise ValueError at the first string of *value* (a parsed document) that holds a lone surrogate."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = _SURROGATE.search(item)
            if found:
                raise ValueError(f"a string holds a lone surrogate (\\u{ord(found.group()):04x}), which is no text")
        elif isinstance(item, dict):
            stack.extend(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")
