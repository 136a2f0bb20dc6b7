"""docs/testing.md lists every test that runs untraced or only in make test-deep: the lists are the markers."""

from __future__ import annotations

import ast
import re

from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "testing.md"


def _is_mark(node: ast.expr, name: str) -> bool:
    """Whether *node* is ``pytest.mark.<name>``, called or not."""
    target = node.func if isinstance(node, ast.Call) else node
    return isinstance(target, ast.Attribute) and target.attr == name and ast.unparse(target.value) == "pytest.mark"


def marked(name: str) -> set[str]:
    """Every test file, class or function marked *name*: ``path``, ``path::Class`` or ``path::Class::test``."""
    found: set[str] = set()
    files = sorted([*ROOT.glob("tests/**/test_*.py"), *ROOT.glob("plugins_example/tests/test_*.py")])
    for path in files:
        where = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # A module's pytestmark marks the whole file.
            if isinstance(node, ast.Assign) and any(ast.unparse(t) == "pytestmark" for t in node.targets):
                values = node.value.elts if isinstance(node.value, ast.List) else [node.value]
                if any(_is_mark(value, name) for value in values):
                    found.add(where)
        stack: list[tuple[list[ast.stmt], str]] = [(tree.body, "")]
        while stack:
            body, prefix = stack.pop()
            for node in body:
                if isinstance(node, ast.FunctionDef | ast.ClassDef):
                    if any(_is_mark(decorator, name) for decorator in node.decorator_list):
                        found.add(f"{where}::{prefix}{node.name}")
                    if isinstance(node, ast.ClassDef):
                        stack.append((node.body, f"{prefix}{node.name}::"))
    return found


def listed(heading: str) -> set[str]:
    """The tests named in the first column of the table under *heading* in docs/testing.md."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([^`]+\.py(?:::[A-Za-z0-9_:]+)?)` \|", section, re.MULTILINE))


def test_the_untraced_tests_are_the_ones_the_testing_page_lists() -> None:
    """Each test that runs without coverage's tracer is listed with what covers its code, and no other."""
    assert sorted(marked("untraced")) == sorted(listed("Untraced tests"))


def test_the_deep_tests_are_the_ones_the_testing_page_lists() -> None:
    """Each test that runs only in make test-deep is listed with what it covers, and no other."""
    assert sorted(marked("deep")) == sorted(listed("Deep tests"))


def test_the_lists_of_markers_find_what_they_look_for() -> None:
    """The collector itself: it finds a marked file, a marked class and a marked method."""
    assert "tests/test_install.py" in marked("deep")
    assert "tests/test_testing.py::TestShippedInstruments" in marked("untraced")
    assert "tests/test_privacy.py::TestTheReviewsExamples::test_the_shipped_example_gives_away_no_rater" in marked(
        "untraced"
    )
