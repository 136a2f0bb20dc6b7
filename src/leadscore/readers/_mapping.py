"""
Which column is which item, and what each cell means: the mapping from an export to answers.

Columns map to items by, in this order: the mapping file; the item id; the item's variable
name on survey platforms (`leadscore._names`: ``stayscalm``, or ``g1[stayscalm]``, or
``g1_stays-calm``, as leadscore's surveys name them); the item's text in
any of the instrument's languages (surrounding whitespace trimmed and inner runs collapsed),
as the whole header, after a question prefix ending in `` - `` (Qualtrics), inside a final
``[...]`` (Google Forms grids, LimeSurvey full text), or as the row under the question
(SurveyMonkey); a variable label (SPSS, Stata). A column that is none of these, nor the
platform's metadata, nor kept, nor ignored by name, is an error: nothing is guessed.

Cells become answers by, in this order: empty is not answered; the mapping file's values;
the platform's codes (SoSci ``-9`` not answered); a whole number (the rule of
`leadscore.coerce_answers`); a label of the item's response scale, an item's pole at an end
the scale leaves unlabelled, or the label of its not-applicable answer, in any language
(case and whitespace around and within ignored, nothing else; a text that labels two
answers of one item is refused, as it says neither); on LimeSurvey, an answer code below
zero as leadscore's surveys write it (``n1`` is -1). Anything else is an error naming the
row and the column.
"""

from __future__ import annotations

import contextlib
import json
import re
import tomllib

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from attrs import field, frozen

from leadscore._model import Instrument, Item
from leadscore._names import STAMP, answer_of_code, items_by_name
from leadscore._tabular import describe_cell, read_cell
from leadscore._text import LocalizedText
from leadscore.errors import ArgumentTypeError, InvalidArgumentError
from leadscore.readers._platforms import NOT_APPLICABLE, Platform
from leadscore.readers._sources import Table


__all__ = [
    "COMMON_ROLES",
    "Column",
    "MappingFile",
    "Plan",
    "ValueReader",
    "column_names",
    "load_mapping",
    "load_mapping_file",
    "plan_columns",
]

#: Relationship values read as groups without a mapping file (case and surrounding spaces ignored).
COMMON_ROLES = {
    "self": "self",
    "zelf": "self",
    "manager": "manager",
    "leidinggevende": "manager",
    "peer": "peers",
    "peers": "peers",
    "collega": "peers",
    "collega's": "peers",
    "direct report": "direct_reports",
    "direct reports": "direct_reports",
    "medewerker": "direct_reports",
    "medewerkers": "direct_reports",
    "other": "others",
    "others": "others",
    "anders": "others",
    "overig": "others",
}

ITEM, ID, KEPT, METADATA, IGNORED, STAMPED = "item", "id", "kept", "metadata", "ignored", "stamp"
_BRACKETS = re.compile(r".*\[([^\[\]]+)\]\s*")
# A Qualtrics matrix column named by its question's tag and its statement's: leadscore's
# question tags are g and a number (an older Qualtrics export joins them with "_").
_GROUP_PREFIX = re.compile(r"g[0-9]+_(.+)")


def normal(text: str) -> str:
    """Trimmed, with inner runs of whitespace as one space."""
    return " ".join(text.split())


@frozen
class MappingFile:
    """
    A mapping written by hand or by ``leadscore map``.

    TOML with an optional ``platform``, ``[columns]`` (header to item id), ``[values]`` (cell
    text or code to an answer or ``"missing"``), ``ignore = [...]`` (columns to drop by
    name) and ``[roles]`` (a 360 export's relationship values to groups).
    """

    platform: str | None = None
    columns: Mapping[str, str] = field(factory=dict)
    values: Mapping[str, int | None] = field(factory=dict)
    ignore: tuple[str, ...] = ()
    roles: Mapping[str, str] = field(factory=dict)

    def to_toml(self) -> str:
        """The mapping as TOML text that `load_mapping` reads back to an equal mapping."""
        lines = []
        if self.platform is not None:
            lines.append(f"platform = {_string(self.platform)}")
        if self.ignore:
            lines.append("ignore = [" + ", ".join(_string(c) for c in self.ignore) + "]")
        for table, entries in (("columns", self.columns), ("values", self.values), ("roles", self.roles)):
            if entries:
                lines.append(f"\n[{table}]")
                lines.extend(
                    f"{_string(key)} = {_string('missing') if value is None else _value(value)}"
                    for key, value in entries.items()
                )
        return "\n".join(lines).lstrip("\n") + "\n"


def _string(text: str) -> str:
    # A JSON string is a TOML basic string: the same escapes, a subset of TOML's.
    return json.dumps(text, ensure_ascii=False)


def _value(value: object) -> str:
    return str(value) if isinstance(value, int) else _string(str(value))


def load_mapping_file(mapping: MappingFile | str | Path | None) -> MappingFile | None:
    """*mapping* as a `MappingFile`: read from its path when it is one; None stays None."""
    given: object = mapping
    if not isinstance(given, (MappingFile, str, Path, type(None))):
        raise ArgumentTypeError(f"mapping must be a MappingFile or a path (got {type(given).__name__})")
    if isinstance(mapping, (str, Path)):
        path = Path(mapping)
        try:
            return load_mapping(path.read_text(encoding="utf-8"), str(path))
        except (OSError, UnicodeDecodeError) as error:
            raise ArgumentTypeError(f"cannot read the mapping file {path}: {error}") from error
    return mapping


def load_mapping(text: str, name: str = "mapping") -> MappingFile:
    """Read a mapping file's TOML text; every problem in it is named at once."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidArgumentError(f"{name}: not TOML: {error}") from error
    problems = []
    unknown = sorted(set(data) - {"platform", "columns", "values", "ignore", "roles"})
    if unknown:
        problems.append(f"unknown keys {', '.join(map(repr, unknown))} (platform, columns, values, ignore, roles)")
    platform = data.get("platform")
    if platform is not None and not isinstance(platform, str):
        problems.append("platform must be text")
    columns = data.get("columns", {})
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        problems.append("[columns] must map each header to an item id (text)")
        columns = {}
    values: dict[str, int | None] = {}
    raw_values = data.get("values", {})
    if not isinstance(raw_values, dict):
        problems.append('[values] must map cell text to an answer (a whole number) or "missing"')
    else:
        for key, value in raw_values.items():
            if value == "missing":
                values[key] = None
            elif isinstance(value, int) and not isinstance(value, bool):
                values[key] = value
            else:
                problems.append(f'[values] {key!r} must be a whole number or "missing" (got {value!r})')
    ignore = data.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(c, str) for c in ignore):
        problems.append("ignore must be a list of column names")
        ignore = []
    roles = data.get("roles", {})
    if not isinstance(roles, dict) or not all(isinstance(v, str) for v in roles.values()):
        problems.append("[roles] must map each relationship value to a group (text)")
        roles = {}
    if problems:
        raise InvalidArgumentError(f"{name}: " + "; ".join(problems))
    return MappingFile(platform=platform, columns=columns, values=values, ignore=tuple(ignore), roles=roles)


@frozen
class Column:
    """What one column of the file is, and how that was decided."""

    position: int  # 1-based, as a spreadsheet user counts.
    name: str
    role: str  # item, id, kept, metadata or ignored
    item: str | None
    how: str


class ValueReader:
    """Reads the cells of one item's column: answers, with a note for every cell not read as a plain number."""

    __slots__ = ("_ambiguous", "_cache", "_labels", "_na", "counts", "item", "platform", "user_missing", "values")

    def __init__(
        self,
        item: Item,
        platform: Platform,
        values: Mapping[str, int | None],
        *,
        user_missing: frozenset[int] = frozenset(),
    ) -> None:
        self.item, self.platform = item, platform
        self.user_missing = {str(code) for code in user_missing}
        self.values = {key.strip().casefold(): value for key, value in values.items()}
        response = item.response
        self._na = response.not_applicable.code if response.not_applicable is not None else None
        words: list[tuple[int, LocalizedText]] = [(label.value, label.text) for label in response.labels]
        # An end without a label of its own is shown by the item's pole (`take`, leadscore's surveys).
        for pole, value in ((item.low, response.min), (item.high, response.max)):
            if pole is not None and response.label(value) is None:
                words.append((value, pole))
        if response.not_applicable is not None:
            words.append((response.not_applicable.code, response.not_applicable.label))
        self._labels: dict[str, tuple[int, str]] = {}
        meanings: dict[str, set[int]] = {}
        for value, text in words:
            for language, said in text.translations:
                key = normal(said).casefold()
                self._labels.setdefault(key, (value, language))
                meanings.setdefault(key, set()).add(value)
        self._ambiguous = {key: sorted(values) for key, values in meanings.items() if len(values) > 1}
        self._cache: dict[Any, tuple[int | None, str | None] | str] = {}
        self.counts: Counter[tuple[str, int | None, str]] = Counter()

    def read(self, cell: Any, times: int = 1) -> int | None:
        """The answer in *cell*, counted *times* (for cells read in bulk); `ValueError` with the reason if none."""
        key = cell if isinstance(cell, str) else (type(cell), cell)
        try:
            found = self._cache[key]
        except (KeyError, TypeError):
            found = self._read(cell)
            with contextlib.suppress(TypeError):  # An unhashable cell: read every time.
                self._cache[key] = found
        if isinstance(found, str):
            raise ValueError(found)  # noqa: TRY004 - the reason a cell is no answer
        answer, how = found
        if how is not None:
            self.counts[_shown(cell), answer, how] += times
        return answer

    def _read(self, cell: Any) -> tuple[int | None, str | None] | str:  # noqa: PLR0911 - one return per rule
        text = cell.strip() if isinstance(cell, str) else None
        if text == "" or cell is None:
            return None, None
        key = text.casefold() if text is not None else _code(cell)
        if key is not None and key in self.values:
            return self.values[key], "mapping file"
        if key is not None and key in self.user_missing:
            return None, "the file's user-missing code: not answered"
        if key is not None and key in self.platform.codes:
            meaning = self.platform.codes[key]
            if meaning == NOT_APPLICABLE and self._na is not None:
                return self._na, f"{self.platform.title} code for not applicable"
            suffix = " (the item has no not-applicable answer)" if meaning == NOT_APPLICABLE else ""
            return None, f"{self.platform.title} code for {meaning}: not answered{suffix}"
        try:
            return read_cell(cell), None
        except ValueError as error:
            number_problem = str(error)
        if text is not None and normal(text).casefold() in self._ambiguous:
            values = " and ".join(map(str, self._ambiguous[normal(text).casefold()]))
            return f"labels the answers {values} of this item alike, so it says neither (got {describe_cell(cell)})"
        if text is not None and normal(text).casefold() in self._labels:
            value, language = self._labels[normal(text).casefold()]
            return value, f"label ({language})"
        if text is not None and self.platform.signed_codes and (coded := answer_of_code(text)) is not None:
            return coded, f"{self.platform.title} answer code (leadscore's n for minus)"
        if text is not None and not re.fullmatch(r"[+-]?[0-9.,]+", text):
            return f"is neither a whole number nor a label of the item's answers (got {describe_cell(cell)})"
        return f"{number_problem} (got {describe_cell(cell)})"


def _code(cell: Any) -> str | None:
    """A numeric cell as the text of its code (-9.0 is "-9"), to look up in code tables."""
    try:
        value = read_cell(cell)
    except ValueError:
        return None
    return None if value is None else str(value)


def _shown(cell: Any) -> str:
    return cell.strip() if isinstance(cell, str) else str(_code(cell) or cell)


@frozen
class Plan:
    """The columns of a file as read: one `Column` per column, and a `ValueReader` per item column."""

    columns: tuple[Column, ...]
    readers: Mapping[int, ValueReader]  # By 0-based position.
    disagreements: tuple[str, ...] = ()


def column_names(headers: Sequence[Sequence[str]], platform: Platform) -> list[str]:
    """
    Each column's name: its cell in the first header row, or in the row under it.

    The row under it where the platform writes a question once over its columns and each
    column's own text below it (SurveyMonkey).
    """
    names = list(headers[0])
    if "second-row" in platform.texts and len(headers) > 1:
        second = headers[1]
        names = [second[i] if i < len(second) and second[i].strip() else name for i, name in enumerate(names)]
    return names


def plan_columns(
    instrument: Instrument,
    headers: Sequence[Sequence[str]],
    platform: Platform,
    *,
    mapping: MappingFile,
    keep: Iterable[str] = (),
    ignore: Iterable[str] = (),
    id_column: str | None = None,
    table: Table | None = None,
) -> tuple[Plan, list[str]]:
    """
    Decide every column; return the plan and the problems (empty when the file can be read).

    *headers* are the file's header rows (the first names the columns); *table* says what
    the file says of its columns (variable and value labels, user-missing codes).
    """
    names = column_names(headers, platform)
    kept, ignored = set(keep), set(ignore) | set(mapping.ignore)
    texts = _texts(instrument)
    items = {item.id: item for item in instrument.items}
    variables = items_by_name(instrument)
    columns: list[Column] = []
    problems: list[str] = []
    question = ""
    for index, name in enumerate(names):
        position = index + 1
        if "second-row" in platform.texts:
            question = headers[0][index] or question  # SurveyMonkey writes a question once over its columns.
        role, item_id, how = _decide(
            name,
            index,
            headers,
            platform,
            mapping=mapping,
            kept=kept,
            ignored=ignored,
            id_column=id_column,
            items=items,
            names=variables,
            texts=texts,
            label=table.labels.get(name) if table is not None else None,
            question=question,
        )
        if role is None:
            metadata = "" if not platform.signature else f", nor {platform.title} metadata"
            problems.append(
                f"column {position} {name!r} is no item of {instrument.id!r}{metadata}: "
                "map it, keep it or ignore it (mapping, keep, ignore; on the command line --mapping, --keep, --ignore)"
            )
            continue
        if role == "ambiguous":
            problems.append(f"column {position} {name!r}: {how}")
            continue
        columns.append(Column(position, name, role, item_id, how))
    seen: dict[str, list[Column]] = {}
    for column in columns:
        if column.item is not None:
            seen.setdefault(column.item, []).append(column)
    for item_id, group in seen.items():
        if len({c.name for c in group}) > 1:  # One name twice is the repeated header below.
            listed = " and ".join(f"{c.position} {c.name!r}" for c in group)
            problems.append(f"columns {listed} are both item {item_id!r}")
    for header, target in mapping.columns.items():
        if target not in items:
            problems.append(f"the mapping file maps {header!r} to {target!r}, which is no item of {instrument.id!r}")
        elif header not in names:
            problems.append(f"the mapping file maps {header!r}, which is no column of the file")
    repeated = [n for n, count in Counter(names).items() if count > 1]
    for name in repeated:
        where = ", ".join(str(i + 1) for i, n in enumerate(names) if n == name)
        problems.append(f"the header names a column twice ({name!r} in columns {where})")
    readers = {}
    disagreements: list[str] = []
    for c in columns:
        if c.item not in items:
            continue
        missing = table.user_missing.get(c.name, frozenset()) if table is not None else frozenset()
        readers[c.position - 1] = ValueReader(items[c.item], platform, mapping.values, user_missing=missing)
        if table is not None and c.name in table.value_labels:
            found, refused = _compare_labels(c, items[c.item], table.value_labels[c.name], missing, mapping)
            disagreements.extend(found)
            problems.extend(refused)
    return Plan(tuple(columns), readers, tuple(disagreements)), problems


def _compare_labels(
    column: Column, item: Item, labels: Mapping[int, str], missing: frozenset[int], mapping: MappingFile
) -> tuple[list[str], list[str]]:
    """
    The file's value labels against the item's: other wording, and codes that may be reversed.

    Other wording is reported; a code labelled as another code's answer is refused (the codes
    may be reversed) unless the mapping file recodes it.
    """
    response = item.response
    own = {label.value: _texts_of(label.text) for label in response.labels}
    if response.not_applicable is not None:
        own[response.not_applicable.code] = _texts_of(response.not_applicable.label)
    where = f"column {column.position} {column.name!r}"
    notes, refused = [], []
    for code, text in sorted(labels.items()):
        said = text.strip().casefold()
        if code in missing or str(code) in mapping.values:
            continue
        others = sorted(value for value, texts in own.items() if said in texts and value != code)
        if others and said not in own.get(code, set()):
            refused.append(
                f"{where}: the file labels code {code} {text!r}, which is the item's label for {others[0]}: "
                "the codes may be reversed; recode them in a mapping file ([values])"
            )
        elif code in own and said not in own[code]:
            wanted = " / ".join(sorted(own[code]))
            notes.append(f"{where}: the file labels code {code} {text!r}; the item's label is {wanted!r}")
        elif code not in own and not response.min <= code <= response.max:
            notes.append(f"{where}: the file labels code {code} {text!r}, outside the item's answers")
    return notes, refused


def _texts_of(text: Any) -> set[str]:
    return {t.strip().casefold() for _, t in text.translations}


def _decide(  # noqa: PLR0911 - one return per rule
    name: str,
    index: int,
    headers: Sequence[Sequence[str]],
    platform: Platform,
    *,
    mapping: MappingFile,
    kept: set[str],
    ignored: set[str],
    id_column: str | None,
    items: Mapping[str, Item],
    names: Mapping[str, str],
    texts: Mapping[str, set[tuple[str, str]]],
    label: str | None,
    question: str,
) -> tuple[str | None, str | None, str]:
    """(role, item id, how) for one column; role None when it is unknown, "ambiguous" with the reason."""
    if name in mapping.columns:
        return ITEM, mapping.columns[name], "the mapping file"
    if name == id_column:
        return ID, None, "the id column"
    if name in kept:
        return KEPT, None, "kept"
    if name in ignored:
        return IGNORED, None, "ignored by name"
    if name in items:
        return ITEM, name, "its item id"
    if name == STAMP:
        return STAMPED, None, "the instrument's stamp: checked in every row"
    if name in names:
        return ITEM, names[name], "its leadscore variable name"
    prefixed = _GROUP_PREFIX.fullmatch(name)
    if prefixed and (prefixed.group(1) in items or prefixed.group(1) in names):
        inner = prefixed.group(1)
        return ITEM, names.get(inner, inner), "the item after a leadscore question tag"
    if platform.is_metadata(name):
        return METADATA, None, f"{platform.title} metadata"
    candidates: list[tuple[str, str]] = [(name, "its header")]
    second = headers[1][index] if len(headers) > 1 and index < len(headers[1]) else ""
    if "whole-second-row" in platform.texts and second:
        candidates.append((second, "the header's second row"))
    if "after-dash" in platform.texts and " - " in second:
        candidates.append((second.rsplit(" - ", 1)[1], "the second row after ' - '"))
    if "second-row" in platform.texts and second:
        candidates.append((second, "the row under the question"))
        if second.strip() in {"Response", "Open-Ended Response"} and question:
            candidates.append((question, "the question above it"))
    match = _BRACKETS.fullmatch(name)
    if match:
        inside = match.group(1)
        if inside.strip() in items:
            return ITEM, inside.strip(), "the item id in [...]"
        if inside.strip() in names:
            return ITEM, names[inside.strip()], "the leadscore variable name in [...]"
        candidates.append((inside, "the text in [...]"))
    if label:
        candidates.append((label, "its variable label"))
    for text, where in candidates:
        found = texts.get(normal(text))
        if found is None:
            continue
        ids = sorted({item_id for item_id, _ in found})
        if len(ids) > 1:
            return "ambiguous", None, f"its text is the text of items {', '.join(map(repr, ids))}: map it (--mapping)"
        language = min(language for _, language in found)
        return ITEM, ids[0], f"{where}: the item's text ({language})"
    return None, None, ""


def _texts(instrument: Instrument) -> dict[str, set[tuple[str, str]]]:
    """Each item text, normalised, to the items and languages that have it."""
    found: dict[str, set[tuple[str, str]]] = {}
    for item in instrument.items:
        for language, text in item.text.translations:
            found.setdefault(normal(text), set()).add((item.id, language))
    return found
