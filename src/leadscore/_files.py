"""
Files in and out: answer sets read safely, outputs written whole or not at all.

Reading: JSON and JSON Lines answer sets, decoded as UTF-8 a line at a time, so that every
problem is named with its file and line (a bad byte, a malformed line, JSON nested too
deeply, a line longer than `MAX_LINE`). CSV and TSV files are survey exports, read by
`leadscore.readers` with the same care. Writing: `OutputFile`,
checked before any work and renamed into place only when the work succeeds; text cells that
a spreadsheet would run as formulas are neutralised.
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile

from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from leadscore._checks import file_path
from leadscore._serialization import parse_json
from leadscore.errors import ArgumentTypeError, InvalidExportError, InvalidFileError
from leadscore.readers._text import MAX_LINE, byte_lines


__all__ = [
    "MAX_LINE",
    "OutputFile",
    "Row",
    "as_it_is",
    "discard_stdout",
    "file_names",
    "json_entries",
    "json_text",
    "path_of",
    "read_json",
    "read_rows",
    "spreadsheet_safe",
    "terminal_safe",
    "write_all",
]


def discard_stdout() -> None:
    """Point standard output at the null device, so that flushing it at exit raises nothing more."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # A stand-in for stdout (tests, an embedding app).
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


def read_rows(path: Path) -> Generator[tuple[int, Row], None, None]:
    """
    A JSON Lines file's answer sets one at a time (constant memory), numbered by line.

    (A ``.json`` file is one document: `read_json` reads it, `json_entries` gives its entries.)
    """
    if path.suffix.lower() != ".jsonl":
        raise InvalidFileError(f"cannot read {path}: use a .csv, .tsv, .txt, .json or .jsonl file")
    try:
        handle = path.open("rb")
    except OSError as error:
        raise InvalidFileError(f"cannot read {path}: {error.strerror}") from error
    return _rows(handle, path)


def read_json(path: Path) -> Any:
    """One JSON document, read as strictly as answer files are, every problem named with the file and the place."""
    try:
        handle = file_path(path).open("rb")
    except OSError as error:
        raise InvalidFileError(f"cannot read {path}: {error.strerror}") from error
    with handle:
        return _parse_json("".join(line for _, line in _lines_of(handle, path)), path, None)


def _rows(handle: IO[bytes], path: Path) -> Generator[tuple[int, Row], None, None]:
    """The file's answer sets, one per line; anything that cannot be read stops the run with the file and the line."""
    with handle:
        for number, line in _lines_of(handle, path):
            if line.strip():
                yield number, _object(_parse_json(line.rstrip("\r\n"), path, number), path, number)


def json_entries(data: Any, path: Path) -> Generator[tuple[int, Row], None, None]:
    """The answer objects of a parsed ``.json`` answer file, numbered from 1."""
    if not isinstance(data, list):
        raise InvalidFileError(f"{path} must hold a JSON list of answer objects")
    for number, row in enumerate(data, start=1):
        yield number, _object(row, path, number)


def _lines_of(handle: IO[bytes], path: Path) -> Iterator[tuple[int, str]]:
    """Each line of *handle* as text with its number, decoded as UTF-8 one line at a time (the readers' rule)."""
    try:
        yield from byte_lines(handle, "utf-8", str(path), hint=False)
    except InvalidExportError as error:
        raise InvalidFileError(f"cannot read {path}: {error.problems[0]}") from error


def _parse_json(text: str, path: Path, line: int | None) -> Any:
    """Parse one JSON document strictly, as `leadscore.from_json` does: the whole file, or the text of its *line*."""
    try:
        return parse_json(text)
    except json.JSONDecodeError as error:
        place = f"line {error.lineno if line is None else line}, column {error.colno}"
        raise InvalidFileError(f"cannot read {path}: {place}: {error.msg}") from error
    except ValueError as error:  # NaN or Infinity, which are no JSON numbers; nesting too deep.
        raise InvalidFileError(f"cannot read {path}: {'' if line is None else f'line {line}: '}{error}") from error


Row = dict[str, Any]


def _object(value: Any, path: Path, number: int) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidFileError(f"{path}, entry {number}: must be an object of item id to answer")
    return value


def path_of(value: object, name: str) -> Path:
    """*value*, a file's path given as text or a `Path`; an `ArgumentTypeError` naming *name* for anything else."""
    if not isinstance(value, (str, Path)):
        raise ArgumentTypeError(f"{name} must be a path (got {type(value).__name__})")
    return file_path(value)


def file_names(folder: Path, names: Iterable[str], suffix: str) -> dict[str, Path]:
    """
    A file in *folder* for each of *names* (a subject's id, say), safe to write and each its own.

    Anything but letters, digits, ``.``, ``-`` and ``_`` becomes ``_``, the name is cut at 80
    characters and leading dots go (no hidden files, no ``..``); two names that come out the same
    get ``-2``, ``-3``, ... in the order given.
    """
    chosen: dict[str, Path] = {}
    taken: set[Path] = set()
    for name in names:
        stem = re.sub(r"[^A-Za-z0-9._-]", "_", name)[:80].lstrip(".") or "file"
        path, number = folder / f"{stem}{suffix}", 1
        while path in taken:
            number += 1
            path = folder / f"{stem}-{number}{suffix}"
        chosen[name] = path
        taken.add(path)
    return chosen


def write_all(files: Mapping[Path, str | bytes], *, inputs: Sequence[Path] = ()) -> None:
    """Write every one of *files* (path to its content), each whole or not at all; every path is checked first."""
    outputs = [OutputFile(path, inputs=inputs) for path in files]
    for output, content in zip(outputs, files.values(), strict=True):
        output.write(content)


class OutputFile:
    """
    A file written whole or not at all, checked before any work is done.

    It is written to a temporary file beside it and renamed over it only when the work
    succeeds, so a run that fails, is interrupted or is killed never leaves a file that looks
    complete (a killed one may leave the hidden temporary file). It may not be one of the
    command's inputs, a folder, or in a folder that does not exist.
    """

    def __init__(self, path: Path, *, inputs: Sequence[Path] = ()) -> None:
        self.path = path = file_path(path)
        inputs = [file_path(source) for source in inputs]
        if path.is_dir():
            raise InvalidFileError(f"cannot write {path}: it is a folder")
        if not path.parent.is_dir():
            raise InvalidFileError(f"cannot write {path}: the folder {path.parent} does not exist")
        for source in inputs:
            if path.resolve() == source.resolve() or (path.exists() and source.exists() and path.samefile(source)):
                raise InvalidFileError(f"cannot write {path}: it is the input {source}, which would be lost")
        self.temporary: Path | None = None

    def __enter__(self) -> IO[str]:
        try:
            descriptor, name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.name}.", suffix=".partial")
        except OSError as error:
            raise InvalidFileError(f"cannot write {self.path}: {error.strerror}") from error
        self.temporary = Path(name)
        self.handle = os.fdopen(descriptor, "w", encoding="utf-8", newline="")
        return self.handle

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        assert self.temporary is not None
        self.handle.close()
        if kind is not None:
            self.temporary.unlink()
            return
        # mkstemp makes the file private; give it the mode a new file of the user's would have.
        umask = os.umask(0)
        os.umask(umask)
        self.temporary.chmod(0o666 & ~umask)
        self.temporary.replace(self.path)

    def write(self, text: str | bytes) -> None:
        """Write *text* (or the bytes of a PDF) as the whole file."""
        with self as handle:
            if isinstance(text, bytes):
                handle.flush()
                handle.buffer.write(text)  # type: ignore[attr-defined]  # A text file over a binary one.
            else:
                handle.write(text)


#: A decimal number, as a spreadsheet reads one: such a cell is data, however it starts.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def spreadsheet_safe(cell: Any) -> Any:
    """
    A text cell that a spreadsheet would run as a formula, as plain text: with a leading ``'``.

    Cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return are formulas to
    Excel, LibreOffice and Google Sheets (CSV injection); a number such as ``-12`` stays as
    it is. ``--raw-text`` writes every cell as it is.
    """
    if isinstance(cell, str) and cell.startswith(("=", "+", "-", "@", "\t", "\r")) and not _NUMBER.fullmatch(cell):
        return "'" + cell
    return cell


def as_it_is(cell: Any) -> Any:
    return cell


def terminal_safe(text: str) -> str:
    r"""
    *text* with every character that a terminal would not simply show written as an escape.

    Control characters (``\x1b`` starts the codes that recolour, move the cursor or set
    the window title), bidirectional overrides and other unprintable characters appear as
    Python writes them in a string literal (``\x1b``, ``\u202e``); line breaks and tabs
    stay. Text from outside (a respondent id, a plugin's error) reaches a terminal only so.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in "\n\t" else repr(c)[1:-1] for c in text)


def json_text(value: Any, *, indent: int | None = None) -> str:
    r"""
    *value* as JSON text that is safe on a terminal and means exactly the same.

    Non-ASCII letters stay readable; every unprintable character (control characters beyond
    those JSON escapes itself, bidirectional overrides, invisible and separator characters)
    is written as a ``\u`` escape, which a JSON reader turns back into the same character.
    """
    text = json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False)
    if text.isprintable() or (indent is not None and text.replace("\n", "").isprintable()):
        return text
    return "".join(c if c.isprintable() or c == "\n" else _json_escape(c) for c in text)


def _json_escape(character: str) -> str:
    code = ord(character)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000  # A character beyond the first plane: JSON writes it as a surrogate pair.
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
