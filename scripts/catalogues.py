"""
Keep the message catalogues in step with the code: `make catalogues` (Babel, a development tool).

Extracts every message the code marks (``N_("...")``, ``say("...")``, ``say.plural("...", "...", n)``)
into a template, updates each ``src/leadscore/locale/<lang>/LC_MESSAGES/leadscore.po`` from it
(new messages empty, for a translator; English filled with the message id itself), and
compiles each to the ``.mo`` file leadscore reads at run time with the standard library. A
new language: ``python scripts/catalogues.py --add fr``, then translate its ``.po``.

tests/test_catalogues.py fails while a catalogue misses or leaves empty a message, or a
``.mo`` is older than its ``.po``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po


ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "leadscore"
LOCALE = SOURCE / "locale"
KEYWORDS = {"N_": None, "say": None, "plural": (1, 2)}
SOURCE_LANGUAGE = "en"


# Fixed dates: a catalogue changes when its messages do, not whenever this runs.
DATE = dt.datetime(2026, 11, 30, tzinfo=dt.UTC)
HEADER = "# The words leadscore shows a person, in {language}. Kept in step with the code by scripts/catalogues.py.\n#"


def template() -> Catalog:
    """Every message the code marks, with where it is used (a new catalog on each call)."""
    catalog = Catalog(project="leadscore", domain="leadscore", charset="utf-8", creation_date=DATE)
    for filename, line, message, comments, context in extract_from_dir(
        SOURCE,
        method_map=[("**.py", "python")],
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        catalog.add(message, None, [(f"src/leadscore/{filename}", line)], auto_comments=comments, context=context)
    return catalog


def po_path(language: str) -> Path:
    """The catalogue of *language*."""
    return LOCALE / language / "LC_MESSAGES" / "leadscore.po"


def languages() -> list[str]:
    """The languages that have a catalogue."""
    return sorted(path.name for path in LOCALE.iterdir() if (path / "LC_MESSAGES" / "leadscore.po").is_file())


def update(language: str, messages: Catalog) -> Catalog:
    """*language*'s catalogue, brought in step with *messages* (not changed); written with its compiled form."""
    path = po_path(language)
    if path.is_file():
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain="leadscore")
    else:
        catalog = Catalog(locale=language, domain="leadscore", project="leadscore", charset="utf-8")
    catalog.update(messages, no_fuzzy_matching=True, update_header_comment=False, update_creation_date=True)
    catalog.header_comment = HEADER.format(language=catalog.locale.english_name if catalog.locale else language)
    catalog.revision_date = DATE
    catalog.fuzzy = False
    catalog.msgid_bugs_address = "leadscore developers"
    catalog.last_translator = "leadscore developers"
    catalog.language_team = "leadscore developers"
    catalog.version = "0.1"
    catalog.obsolete.clear()
    if language == SOURCE_LANGUAGE:  # The message ids are English: English is filled in as itself.
        for message in catalog:
            if message.id and not _translated(message.string):
                message.string = message.id
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
    path.write_bytes(buffer.getvalue())
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    path.with_suffix(".mo").write_bytes(compiled.getvalue())
    return catalog


def _translated(string: object) -> bool:
    """Whether a message's translation is there: every plural form of it too."""
    return all(string) if isinstance(string, (tuple, list)) else bool(string)


def main() -> int:
    """Update and compile every catalogue (and start one with --add)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--add", metavar="LANG", help="start a catalogue for another language")
    args = parser.parse_args()
    wanted = sorted({*languages(), SOURCE_LANGUAGE, *([args.add] if args.add else [])})
    for language in wanted:
        catalog = update(language, template())
        missing = sum(1 for m in catalog if m.id and not _translated(m.string))
        print(f"{language}: {len(catalog) - 1} messages, {missing} to translate")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
