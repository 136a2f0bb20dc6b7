"""docs/glossary.md holds: no public function, command-line flag or page of the docs uses a retired word."""

from __future__ import annotations

import argparse
import importlib
import inspect
import re

from collections.abc import Iterator
from pathlib import Path

import pytest

from leadscore.cli._main import build_parser


ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "docs" / "glossary.md"
# Every module whose __all__ is public (docs/architecture.md).
PUBLIC = [
    "leadscore",
    "leadscore.analysis",
    "leadscore.compile",
    "leadscore.errors",
    "leadscore.frames",
    "leadscore.readers",
    "leadscore.report",
    "leadscore.surveys",
    "leadscore.testing",
]


def retired() -> list[str]:
    """The first column of the glossary's table of retired words, as written there (without backticks)."""
    text = GLOSSARY.read_text(encoding="utf-8")
    section = text.split("## Retired words", 1)[1]
    words: list[str] = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 2 and cells[0].startswith("`"):
            words.extend(re.findall(r"`([^`]+)`", cells[0]))
    return words


def retired_arguments() -> set[str]:
    """Retired keyword arguments, without their ``=``."""
    return {word.removesuffix("=") for word in retired() if word.endswith("=")}


def retired_names() -> set[str]:
    """Retired public names."""
    return {word for word in retired() if re.fullmatch(r"[a-z_0-9]+", word)}


def retired_flags() -> set[str]:
    """The retired flags, the retired values of a flag (``--flag value``), and of one command's (``command --flag value``)."""
    return {word for word in retired() if word.startswith("--") or re.match(r"[a-z]+ --", word)}


def public_functions() -> Iterator[tuple[str, object]]:
    """Every function in a public module's __all__, with its dotted name."""
    for module_name in PUBLIC:
        module = importlib.import_module(module_name)
        for name in module.__all__:
            value = getattr(module, name)
            if inspect.isfunction(value):
                yield f"{module_name}.{name}", value


def options() -> Iterator[tuple[str, argparse.Action]]:
    """Every option of every command: (command, action)."""
    commands = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, parser in commands.choices.items():
        for action in parser._actions:
            yield name, action


def test_the_glossary_lists_retired_words_of_each_kind() -> None:
    """The table is read: a change to its layout cannot empty the checks below."""
    assert {"columns", "errors", "language"} <= retired_arguments()
    assert {"--map", "--pdf", "--to", "--on-error fail", "score --format json"} <= retired_flags()
    assert "render_360" in retired_names()


def test_no_public_function_takes_a_retired_argument() -> None:
    """No function in a public __all__ has a parameter of a retired name."""
    found = [
        f"{name}({parameter}=)"
        for name, function in public_functions()
        for parameter in inspect.signature(function).parameters  # type: ignore[arg-type]
        if parameter in retired_arguments()
    ]
    assert [] == found


def test_no_public_module_has_a_retired_name() -> None:
    """No public __all__ holds a retired name."""
    found = [f"{m}.{n}" for m in PUBLIC for n in importlib.import_module(m).__all__ if n in retired_names()]
    assert [] == found


def test_the_command_line_has_no_retired_flag_or_value() -> None:
    """No command has a retired flag, or a retired value among a flag's choices."""
    found: list[str] = []
    for command, action in options():
        for flag in action.option_strings:
            if flag in retired_flags():
                found.append(f"{command} {flag}")
            found.extend(
                f"{command} {flag} {choice}"
                for choice in action.choices or ()
                if {f"{flag} {choice}", f"{command} {flag} {choice}"} & retired_flags()
            )
    assert [] == found


@pytest.mark.parametrize(
    ("word", "pattern"),
    [
        ("columns=", r"\b(score_frame|reliability|quality)\([^)]*\bcolumns="),
        ("errors=", r"\berrors=\""),
        ("--map", r"--map(?![\w-])"),
        ("--pdf", r"--pdf\b"),
        ("--to", r"--to\b(?!-)"),
        ("--on-error fail/skip", r"--on-error (fail|skip)"),
        ("--format json (of scores)", r"score[^\n`]*--format json\b(?!l)"),
        ("render_360", r"\brender_360\b"),
    ],
)
def test_no_page_of_the_docs_uses_a_retired_word(word: str, pattern: str) -> None:
    """The README and docs/ say each idea with the glossary's word (the glossary and the changelog name the old ones)."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    found = [
        f"{page.relative_to(ROOT)}:{text[: match.start()].count(chr(10)) + 1}"
        for page in pages
        if page != GLOSSARY
        for text in [page.read_text(encoding="utf-8")]
        for match in re.finditer(pattern, text)
    ]
    assert [] == found, word
