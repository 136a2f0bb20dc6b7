r"""
Every code block of the README and docs/ runs as it is written, and shows what it gives.

- A ``python`` block runs in its page's order, in one namespace per page, in a folder that
  holds the bundled ``examples/``. A ```` ```text ```` block right after it is what it prints,
  compared exactly; an expression followed by a comment that is a Python literal
  (``result.scales["stays-calm"].value  # 4.0``) must give that value.
- ``<!-- raises: NameOfError -->`` before a python block: it must raise that error, and its
  ``text`` block is the error, as ``NameOfError: message``.
- A ``console`` block with a ``leadscore`` command runs each command (``$ `` prompts; ``\``
  continues a line; ``#`` starts a comment) in that folder through `leadscore.cli.main`: exit
  code 0, and the lines after a command, up to the next, are its standard output. ``mkdir -p``
  is the one other command such a block may hold. A console block of other commands (``pip``,
  ``make``) is not run.
- ``<!-- skip: why -->`` right before a block is the only way to leave one out, and says why
  (``<!-- spark-recipe: ... -->`` marks the block that `tests/test_spark_recipe.py` runs).
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
import shlex
import shutil
import textwrap

from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from leadscore.cli import main


ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_FENCE = re.compile(r"^```(?P<lang>[\w-]*)\n(?P<body>.*?)^```\n?", re.DOTALL | re.MULTILINE)
_MARK = re.compile(r"<!--\s*(?P<kind>skip|raises|spark-recipe):\s*(?P<what>.*?)\s*-->\s*$")


@attrs.frozen
class Block:
    """One fenced block of a page: where it is, its language and text, its mark, and what it shows."""

    page: str
    line: int
    lang: str
    body: str
    mark: tuple[str, str] | None
    shown: str | None

    @property
    def name(self) -> str:
        """The page and line, as a test id."""
        return f"{self.page}:{self.line}"


def blocks(page: Path) -> list[Block]:
    """The fenced blocks of *page*, each with the HTML comment before it and the text block after it."""
    text = page.read_text(encoding="utf-8")
    fences = list(_FENCE.finditer(text))
    found = []
    for index, fence in enumerate(fences):
        before = text[: fence.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marked = _MARK.search(before)
        after = fences[index + 1] if index + 1 < len(fences) else None
        shown = None
        if after is not None and after.group("lang") == "text" and text[fence.end() : after.start()].strip() == "":
            shown = after.group("body")
        found.append(
            Block(
                page=page.relative_to(ROOT).as_posix(),
                line=text[: fence.start()].count("\n") + 1,
                lang=fence.group("lang"),
                body=fence.group("body"),
                mark=(marked.group("kind"), marked.group("what")) if marked else None,
                shown=shown,
            )
        )
    return found


def _runs(block: Block) -> bool:
    if block.lang == "python":
        return True
    if block.lang != "console":
        return False
    return any(command.startswith("leadscore ") for command, _ in _commands(block.body))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the bundled examples, where the blocks run."""
    made = tmp_path_factory.mktemp("docs")
    shutil.copytree(ROOT / "examples", made / "examples")
    return made


def _commands(body: str) -> Iterator[tuple[str, str]]:
    """Each command of a console block and the output shown after it."""
    lines = body.splitlines()
    prompted = any(line.startswith("$ ") for line in lines)
    command, shown = "", []
    pending: str | None = None
    for line in lines:
        if pending is not None:
            pending += " " + line.strip()
            if not pending.endswith("\\"):
                command, pending = pending, None
            else:
                pending = pending[:-1].rstrip()
            continue
        if prompted and not line.startswith("$ "):
            shown.append(line)
            continue
        if command:
            yield command, "\n".join(shown)
        command, shown = "", []
        text = line.removeprefix("$ ").strip()
        if not text:
            continue
        if text.endswith("\\"):
            pending = text[:-1].rstrip()
        else:
            command = text
    if command:
        yield command, "\n".join(shown)


ALL = [block for page in PAGES for block in blocks(page) if _runs(block)]


def test_every_page_has_blocks_that_run() -> None:
    """The collection finds the blocks: a change of fence style cannot empty the test."""
    assert len(ALL) >= 30
    assert {block.lang for block in ALL} == {"python", "console"}


# Pages whose blocks lay out PDFs run in make test-deep (docs/testing.md); the rest in make test.
DEEP_PAGES = ["docs/reports.md"]
RUN_PAGES = sorted({block.page for block in ALL} - set(DEEP_PAGES))


@pytest.mark.parametrize("page", RUN_PAGES)
def test_the_page_runs_as_written(
    page: str, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each block of the page runs in order (or raises what its mark says) and shows what the page says."""
    _run_page(page, folder, monkeypatch, capsys)


@pytest.mark.deep
@pytest.mark.parametrize("page", DEEP_PAGES)
def test_the_pdf_pages_run_as_written(
    page: str, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The pages that print PDFs, as `test_the_page_runs_as_written`."""
    _run_page(page, folder, monkeypatch, capsys)


def test_every_page_with_blocks_runs_in_one_tier() -> None:
    """No page with blocks is left out of both lists."""
    assert set(DEEP_PAGES) <= {block.page for block in ALL}
    assert set(RUN_PAGES) | set(DEEP_PAGES) == {block.page for block in ALL}


def _run_page(page: str, folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(folder)
    namespace: dict[str, object] = {"__name__": "__docs__"}  # The page's blocks build on each other.
    for block in (block for block in ALL if block.page == page):
        if block.mark is not None and block.mark[0] in {"skip", "spark-recipe"}:  # The recipe has its own test.
            continue
        if block.lang == "console":
            _console(block, capsys)
        else:
            _python(block, namespace)


def test_every_skip_says_why() -> None:
    """A block is left out only with a reason of some words."""
    skipped = [block for block in ALL if block.mark is not None and block.mark[0] in {"skip", "spark-recipe"}]
    assert skipped
    assert [block.name for block in skipped if len(block.mark[1].split()) < 4] == []  # type: ignore[index]


def _console(block: Block, capsys: pytest.CaptureFixture[str]) -> None:
    for command, shown in _commands(block.body):
        words = shlex.split(command, comments=True)
        if words[:2] == ["mkdir", "-p"]:  # The one other command a page may give: a folder for the output.
            for folder_name in words[2:]:
                Path(folder_name).mkdir(parents=True, exist_ok=True)
            continue
        assert words[0] == "leadscore", f"{block.name}: {command}"
        capsys.readouterr()
        code = main(words[1:])
        said = capsys.readouterr()
        assert code == 0, f"{block.name}: {command}: {said.err}"
        if shown:
            assert shown.rstrip("\n") == said.out.rstrip("\n"), f"{block.name}: {command}"


def _python(block: Block, namespace: dict[str, object]) -> None:
    printed = io.StringIO()
    if block.mark is not None and block.mark[0] == "raises":
        with pytest.raises(Exception) as raised, contextlib.redirect_stdout(printed):  # noqa: PT011 - checked below
            exec(compile(textwrap.dedent(block.body), block.name, "exec"), namespace)  # noqa: S102 - the page's own
        assert type(raised.value).__name__ == block.mark[1], block.name
        if block.shown is not None:
            assert block.shown.rstrip("\n") == f"{block.mark[1]}: {raised.value}".rstrip("\n"), block.name
        return
    with contextlib.redirect_stdout(printed):
        _run(textwrap.dedent(block.body), block.name, namespace)
    if block.shown is not None:
        assert block.shown.rstrip("\n") == printed.getvalue().rstrip("\n"), block.name


def _run(source: str, name: str, namespace: dict[str, object]) -> None:
    """Run *source* statement by statement; an expression with a literal comment must give that literal."""
    lines = source.splitlines()
    for statement in ast.parse(source).body:
        code = compile(ast.Module(body=[statement], type_ignores=[]), name, "exec")
        if not isinstance(statement, ast.Expr) or statement.end_lineno is None:
            exec(code, namespace)  # noqa: S102 - the page's own example
            continue
        comment = lines[statement.end_lineno - 1][statement.end_col_offset :].strip().removeprefix("#").strip()
        value = eval(compile(ast.Expression(statement.value), name, "eval"), namespace)  # noqa: S307
        try:
            expected = ast.literal_eval(comment)
        except (ValueError, SyntaxError):  # A comment that explains, not a value.
            continue
        assert expected == value, f"{name}: {ast.unparse(statement)} gives {value!r}, the page says {comment}"
