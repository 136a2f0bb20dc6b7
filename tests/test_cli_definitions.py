"""
Every command takes an instrument by definition file as well as by id (issue 32, first step).

A name ending in .toml or .json, or holding a path separator, is a file; anything else is an
id, ``id@version`` for one version. A missing file is an error, never looked up as an id.
"""

from __future__ import annotations

import json
import shutil

from pathlib import Path

import pytest

import leadscore

from leadscore.cli import main


ROOT = Path(__file__).resolve().parents[1]
SBL_FILE = ROOT / "src" / "leadscore" / "instruments" / "secure_base_leadership.toml"
RATINGS = ROOT / "examples" / "sbl-ratings.csv"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run main() and return the exit code, stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(name="own")
def fixture_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's own definition file in the working folder: the shipped Secure Base Leadership's, as a copy."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(SBL_FILE, tmp_path / "my.toml")
    return tmp_path / "my.toml"


def test_score_takes_a_definition_file_and_scores_as_by_id(capsys: pytest.CaptureFixture[str], own: Path) -> None:
    """`leadscore score my.toml export.csv`: the same scores as by the installed id, and the same by a path."""
    by_id = run(capsys, "score", "secure-base-leadership", str(RATINGS))
    by_file = run(capsys, "score", "my.toml", str(RATINGS))
    by_path = run(capsys, "score", str(own), str(RATINGS))

    assert by_id[0] == 0
    assert by_file == by_id == by_path


@pytest.mark.parametrize("command", [["show"], ["export", "--platform", "surveyjs"]])
def test_every_command_reads_the_instrument_from_a_file(
    capsys: pytest.CaptureFixture[str], own: Path, command: list[str]
) -> None:
    """Show and export name the file's instrument as they name the installed one."""
    name, *options = command

    from_file = run(capsys, name, "my.toml", *options)
    by_id = run(capsys, name, "secure-base-leadership", *options)

    assert from_file[0] == 0
    assert from_file == by_id


@pytest.mark.parametrize("command", ["analyze", "export", "map", "report", "score", "show", "take"])
def test_every_commands_help_says_what_the_instrument_may_be(capsys: pytest.CaptureFixture[str], command: str) -> None:
    """The instrument argument's help: a definition file or an id."""
    code = main([command, "--help"])

    assert code == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "instrument an instrument: a definition file (a name ending in .toml or .json, or a path)" in text


def test_a_missing_file_is_never_taken_for_an_id(capsys: pytest.CaptureFixture[str], own: Path) -> None:
    """A name ending in .toml that is no file: a usage error naming it, one line."""
    code, out, err = run(capsys, "score", "missing.toml", str(RATINGS))

    assert (2, "") == (code, out)
    assert (
        err == "leadscore: no definition file 'missing.toml': a name ending in .toml or .json, or a path, is a file\n"
    )


def test_a_definition_that_cannot_be_built_names_its_problems_and_its_file(
    capsys: pytest.CaptureFixture[str], own: Path
) -> None:
    """A broken definition: the definition's own messages, then the file, exit 1."""
    Path("broken.toml").write_text('id = "x"\n', encoding="utf-8")

    code, out, err = run(capsys, "show", "broken.toml")

    assert (1, "") == (code, out)
    assert err.splitlines()[-1] == "leadscore: (in the definition file broken.toml)"
    assert len(err.splitlines()) >= 2


def test_a_file_that_cannot_be_read_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], own: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An OS error reading the definition (here: refused permission) names the file."""

    def refuse(*_: object) -> object:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", refuse)

    code, _, err = run(capsys, "show", "my.toml")

    assert code == 2
    assert err == "leadscore: cannot read the definition file 'my.toml': Permission denied\n"


def test_an_id_with_a_version_names_that_version(capsys: pytest.CaptureFixture[str]) -> None:
    """id@version: that version; a version not installed is a usage error naming those that are."""
    version = leadscore.get_instrument("secure-base-leadership").version

    shown = run(capsys, "show", f"secure-base-leadership@{version}")
    missing = run(capsys, "show", "secure-base-leadership@9.9.9")

    assert shown[0] == 0
    assert shown == run(capsys, "show", "secure-base-leadership")
    assert missing[0] == 2
    assert f"has no version '9.9.9' (installed: {version})" in missing[2]


def test_report_refuses_ratings_of_another_instrument(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A ratings file that names another instrument: one usage line naming both, no page written (issue 32)."""
    data = json.loads((ROOT / "examples" / "sbl-360.json").read_text(encoding="utf-8"))
    assert data["instrument"] == "secure-base-leadership"
    out = tmp_path / "page.html"

    code, _, err = run(
        capsys, "report", "connective-leadership", str(ROOT / "examples" / "sbl-360.json"), "--out", str(out)
    )

    assert code == 2
    assert err == (
        f"leadscore: {ROOT / 'examples' / 'sbl-360.json'} holds ratings of 'secure-base-leadership', "
        "not of 'connective-leadership': name that instrument\n"
    )
    assert not out.exists()
