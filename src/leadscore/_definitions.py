"""
Read instrument definitions from TOML or JSON files, or from plain mappings.

A definition file has the same shape as an instrument's JSON (see `leadscore.to_json`), with
two conveniences: a top-level ``response_scales`` table of named response scales that items
may name instead of repeating one (``response = "agree5"``), and an optional ``$schema`` key
for editors. The JSON Schema is `schema_path()`.
"""

from __future__ import annotations

import os

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from leadscore._checks import file_path, quoted
from leadscore._model import Instrument
from leadscore._serialization import parse_json, structure
from leadscore.errors import ArgumentTypeError, DefinitionProblem, InvalidArgumentError, InvalidDefinitionError


if TYPE_CHECKING:
    from pathlib import Path


__all__ = ["load_instrument", "schema_path"]


def load_instrument(source: str | os.PathLike[str] | Mapping[str, Any]) -> Instrument:
    """
    Build an `Instrument` from a definition file (``.toml`` or ``.json``) or a mapping.

    Nothing is coerced: unknown keys, wrong types and values the model rejects are all
    reported at once, each with its path (``@ $.scales[2].items[0]``). The mapping is not
    changed.

    Raises:
        InvalidDefinitionError: Listing every problem.
        OSError: If the file cannot be read.

    .. versionadded:: 0.1.0
    """
    if isinstance(source, Mapping):
        return _build(source, "")
    given: object = source  # Whatever came in, whatever its annotation says.
    if not isinstance(given, (str, os.PathLike)):
        raise ArgumentTypeError(f"load_instrument() takes a file path or a mapping (got {type(given).__name__})")

    path = file_path(source)
    suffix = path.suffix.lower()
    if suffix not in {".toml", ".json"}:
        problem = DefinitionProblem(f"a definition file must end in .toml or .json (got {quoted(path.name)})")
        raise InvalidDefinitionError(f"cannot read {path}", [problem])
    import tomllib  # noqa: PLC0415 - only definition files need it, so import stays cheap

    raw = path.read_bytes()
    # A byte-order mark, as Windows editors write one, is no part of the text.
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        data = tomllib.loads(raw.decode()) if suffix == ".toml" else parse_json(raw)
    except ValueError as exc:  # tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError
        raise InvalidDefinitionError(f"cannot read {path}", [DefinitionProblem(str(exc))]) from exc
    except RecursionError as exc:
        raise InvalidDefinitionError(f"cannot read {path}", [DefinitionProblem("nested too deeply")]) from exc
    return _build(data, f" in {path}")


def _build(data: Any, where: str) -> Instrument:
    if not isinstance(data, Mapping):
        problem = DefinitionProblem(f"a definition must be a table of keys (got {type(data).__name__})")
        raise InvalidDefinitionError(f"invalid instrument definition{where}", [problem])
    problems: list[DefinitionProblem] = []
    expanded = _expand_response_scales(data, problems)
    try:
        instrument = structure(expanded, Instrument)
    except InvalidDefinitionError as exc:
        # A response that names an unknown scale was reported already; skip its echoes.
        reported = tuple(problem.path for problem in problems)
        problems.extend(p for p in exc.problems if not p.path.startswith(reported))
    if problems:
        raise InvalidDefinitionError(f"invalid instrument definition{where}", problems)
    return instrument


def _expand_response_scales(data: Mapping[str, Any], problems: list[DefinitionProblem]) -> dict[str, Any]:
    """Return a copy of *data* with named response scales written into the items."""
    expanded = {key: value for key, value in data.items() if key not in {"$schema", "response_scales"}}
    named = data.get("response_scales", {})
    if not isinstance(named, Mapping):
        problems.append(
            DefinitionProblem(f"must be a table of named response scales (got {quoted(named)})", "$.response_scales")
        )
        named = {}
    items = expanded.get("items")
    if isinstance(items, list):
        expanded["items"] = [_expand_item(item, index, named, problems) for index, item in enumerate(items)]
    return expanded


def _expand_item(item: Any, index: int, named: Mapping[str, Any], problems: list[DefinitionProblem]) -> Any:
    if not (isinstance(item, Mapping) and isinstance(item.get("response"), str)):
        return item
    name = item["response"]
    if name not in named:
        known = ", ".join(map(quoted, named)) or "none are defined"
        problems.append(
            DefinitionProblem(
                f"names unknown response scale {quoted(name)} (known: {known})",
                f"$.items[{index}].response",
            )
        )
        return item
    return {**item, "response": named[name]}


def schema_path(what: str = "instrument") -> Path:
    """
    Return the path of a JSON Schema shipped in the package.

    Args:
        what: ``"instrument"`` for definition files, ``"release"`` for a 360's release record
            (``to_json(report.release)``).

    Raises:
        InvalidArgumentError: For any other *what*.

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.1.0
       *what*, and the schema of release records.
    """
    from importlib import resources  # noqa: PLC0415 - importlib.resources costs 10 ms at import
    from pathlib import Path  # noqa: PLC0415

    if what not in {"instrument", "release"}:
        raise InvalidArgumentError(f"what must be 'instrument' or 'release' (got {quoted(what)})")
    return Path(str(resources.files("leadscore") / "schema" / f"{what}.schema.json"))
