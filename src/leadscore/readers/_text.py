"""
Delimited text as survey platforms and spreadsheets write it: encodings, delimiters, lines.

A file is decoded as UTF-8 unless it starts with a byte-order mark (UTF-8, or UTF-16 as
Excel's "Unicode text" writes it) or the caller names another encoding (cp1252 for old
Excel exports). The delimiter is given, or sniffed from the first line among comma,
semicolon and tab (a Dutch or Belgian Excel writes semicolons): the one that splits it into
the most columns, and when two split it alike, none is guessed. Rows keep the number of the
line they start on, counting quoted newlines as a person reading the file does, so every
problem can name its line.
"""

from __future__ import annotations

import codecs
import csv
import io

from collections.abc import Iterator
from typing import IO

from attrs import frozen

from leadscore.errors import InvalidExportError


__all__ = ["DELIMITERS", "ENCODINGS", "MAX_LINE", "Text", "byte_lines", "open_text", "rows_of"]

#: The longest line a file may have: a longer one is no answer row, and is not read into memory.
MAX_LINE = 1 << 20
#: The delimiters sniffed, by name.
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
#: The encodings that may be asked for (a byte-order mark picks UTF-8 or UTF-16 by itself).
ENCODINGS = ("utf-8", "utf-16", "cp1252")


@frozen
class Text:
    """A decoded file: its lines with their numbers, how it was decoded, and its delimiter."""

    name: str
    encoding: str
    delimiter: str
    delimiter_given: bool
    lines: Iterator[tuple[int, str]]


def open_text(handle: IO[bytes], name: str, *, encoding: str | None = None, delimiter: str | None = None) -> Text:
    """
    Decode *handle* and settle its delimiter; raise `InvalidExportError` when either cannot be.

    Args:
        handle: The file, opened in binary mode, at its start.
        name: The file's name, for messages.
        encoding: One of `ENCODINGS`, or None: UTF-8, or what a byte-order mark says.
        delimiter: One of `DELIMITERS`, or None to sniff it from the first line.
    """
    if encoding is not None and encoding not in ENCODINGS:
        raise InvalidExportError(name, [f"encoding {encoding!r} is not one of {', '.join(ENCODINGS)}"])
    if delimiter is not None and delimiter not in DELIMITERS:
        raise InvalidExportError(name, [f"delimiter {delimiter!r} is not one of comma, semicolon or tab"])
    start = handle.read(4)
    whole = io.BufferedReader(_Prefixed(start, handle))
    if start.startswith(codecs.BOM_UTF8):
        used = "utf-8 (with byte-order mark)"
        whole.read(len(codecs.BOM_UTF8))
        lines = byte_lines(whole, "utf-8", name)
    elif start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        used = "utf-16"
        lines = _wide_lines(whole, name)
    elif encoding == "utf-16":
        raise InvalidExportError(name, ["utf-16 was asked for, but the file has no UTF-16 byte-order mark"])
    else:
        used = encoding or "utf-8"
        lines = byte_lines(whole, used, name)
    # Sniffed from the first line that is not blank (blank lines are no rows).
    before: list[tuple[int, str]] = []
    for numbered in lines:
        before.append(numbered)
        if numbered[1].strip():
            break
    if not before or not before[-1][1].strip():
        return Text(name, used, delimiter or ",", delimiter is not None, iter(before))
    chosen = delimiter if delimiter is not None else _sniff(before[-1], name)
    return Text(name, used, chosen, delimiter is not None, _chain(before, lines))


def _chain(first: list[tuple[int, str]], rest: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    yield from first
    yield from rest


def _sniff(numbered: tuple[int, str], name: str) -> str:
    """The delimiter that splits the first line into the most columns; refuse a tie."""
    number, line = numbered
    widths = {}
    for d in DELIMITERS:
        try:
            widths[d] = len(next(csv.reader([line], delimiter=d, strict=True), []))
        except csv.Error as error:
            # A line the csv rules cannot split (a stray carriage return, a quote left open):
            # a first line spread over several lines is read later, with the delimiter found.
            widths[d], reason = 0, _shown(error)
    best = max(widths.values())
    if best == 0:
        raise InvalidExportError(name, [f"line {number}: {reason}"])
    if best == 1:
        return ","  # One column, whatever the delimiter: nothing to choose.
    winners = [d for d, width in widths.items() if width == best]
    if len(winners) > 1:
        named = " and ".join(DELIMITERS[d] for d in winners)
        raise InvalidExportError(
            name, [f"line {number} splits into {best} columns by {named} alike: give the delimiter (--delimiter)"]
        )
    return winners[0]


def byte_lines(handle: IO[bytes], encoding: str, name: str, *, hint: bool = True) -> Iterator[tuple[int, str]]:
    """Lines of a byte-per-line encoding (UTF-8, cp1252), decoded one by one: a bad byte is named by line and byte."""
    number = 0
    while line := handle.readline(MAX_LINE + 1):
        number += 1
        if len(line) > MAX_LINE:
            raise InvalidExportError(name, [f"line {number} is longer than {MAX_LINE:,} bytes"])
        try:
            yield number, line.decode(encoding)
        except UnicodeDecodeError as error:
            what = "UTF-8" if encoding == "utf-8" else encoding
            cp1252 = "; an older Excel export may be cp1252 (--encoding cp1252)" if hint and encoding == "utf-8" else ""
            raise InvalidExportError(
                name, [f"line {number}, byte {error.start + 1}: not {what} text ({error.reason}){cp1252}"]
            ) from error


def _wide_lines(handle: IO[bytes], name: str) -> Iterator[tuple[int, str]]:
    """Lines of UTF-16 text (the byte-order mark says which order)."""
    stream = io.TextIOWrapper(handle, encoding="utf-16", newline="")
    number = 0
    while True:
        try:
            line = stream.readline(MAX_LINE + 1)
        except UnicodeDecodeError as error:
            raise InvalidExportError(name, [f"line {number + 1}: not UTF-16 text ({error.reason})"]) from error
        if not line:
            return
        number += 1
        if len(line) > MAX_LINE:
            raise InvalidExportError(name, [f"line {number} is longer than {MAX_LINE:,} characters"])
        yield number, line


class _Prefixed(io.RawIOBase):
    """*start* (bytes already read), then the rest of *handle*."""

    def __init__(self, start: bytes, handle: IO[bytes]) -> None:
        self.start, self.handle = start, handle

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self.start:
            size = min(len(buffer), len(self.start))
            buffer[:size] = self.start[:size]
            self.start = self.start[size:]
            return size
        data = self.handle.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def rows_of(text: Text) -> Iterator[tuple[int, list[str]]]:
    """
    The file's rows as lists of cells, each with the number of the line it starts on.

    Blank lines (a trailing empty line, an empty line between rows) are skipped; a line break
    inside quotes stays in its cell. A quote left open at the end of the file is an error.
    """
    numbers: list[int] = []

    def lines() -> Iterator[str]:
        for number, line in text.lines:
            numbers.append(number)
            yield line

    reader = csv.reader(lines(), delimiter=text.delimiter, strict=True)
    while True:
        first = len(numbers)
        try:
            cells = next(reader, None)
        except csv.Error as error:
            raise InvalidExportError(
                text.name, [f"line {numbers[min(first, len(numbers) - 1)]}: {_shown(error)}"]
            ) from error
        if cells is None:
            return
        if not cells:  # A blank line.
            continue
        yield numbers[first], cells


_CSV_REASONS = {
    "new-line character seen in unquoted field": "a line break inside a cell that is not in quotes",
    "unexpected end of data": "a quote that is never closed",
    "field larger than field limit": "a cell longer than 131,072 characters",
}


def _shown(error: csv.Error) -> str:
    """A csv error in words a person reads: what is wrong in the file, its characters named rather than written."""
    reason = str(error)
    for start, said in _CSV_REASONS.items():
        if reason.startswith(start):
            return said
    if reason.endswith("expected after '\"'"):
        return "text right after a closing quote"
    return reason.replace("\t", "\\t")  # pragma: no cover - the csv module's other errors need other dialects
