"""
The message catalogues: every message the code marks is in every catalogue, translated, and compiled.

The catalogues are ``src/leadscore/locale/<lang>/LC_MESSAGES/leadscore.po`` (managed with Babel
by scripts/catalogues.py) and the ``.mo`` files leadscore reads with the standard library.
"""

from __future__ import annotations

import gettext
import re

from pathlib import Path

import pytest

from babel.messages.pofile import read_po
from scripts.catalogues import template

from leadscore._catalog import LOCALE_DIR, Reason, catalogue_languages, interface_language, words
from leadscore.errors import InvalidArgumentError


LANGUAGES = catalogue_languages()
PLACEHOLDER = re.compile(r"\{(\w*)\}")


def catalogue(language: str) -> object:
    """The .po catalogue of *language*, as Babel reads it."""
    with (LOCALE_DIR / language / "LC_MESSAGES" / "leadscore.po").open("rb") as handle:
        return read_po(handle, locale=language)


def test_dutch_and_english_are_there() -> None:
    """The shipped instruments' two languages have catalogues."""
    assert {"en", "nl"} <= set(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_in_the_catalogue_and_translated(language: str) -> None:
    """A message the code marks but a catalogue lacks, or leaves empty or fuzzy, fails here (make catalogues)."""
    marked = {message.id for message in template() if message.id}
    po = catalogue(language)
    entries = {message.id: message for message in po if message.id}  # type: ignore[attr-defined]

    assert sorted(map(str, marked - set(entries))) == [], "not in the catalogue: run make catalogues"
    assert sorted(map(str, set(entries) - marked)) == [], "no longer used: run make catalogues"
    untranslated = [
        str(i)
        for i, m in entries.items()
        if m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language: str) -> None:
    """A translation that drops or renames a {parameter} would fail, or say less, when shown."""
    wrong: list[str] = []
    for message in catalogue(language):  # type: ignore[attr-defined]
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        wrong.extend(str(ids[0]) for s in strings if set(PLACEHOLDER.findall(s)) - wanted)
    assert wrong == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_the_catalogue(language: str) -> None:
    """The .mo leadscore reads says what the .po says: a .po edited without make catalogues fails."""
    path = LOCALE_DIR / language / "LC_MESSAGES"
    with (path / "leadscore.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for message in catalogue(language):  # type: ignore[attr-defined]
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            singular, plural = message.id
            assert [compiled.ngettext(singular, plural, n) for n in (1, 2)] == list(message.string)
        else:
            assert compiled.gettext(message.id) == message.string


def test_every_reason_code_has_its_message_in_every_language() -> None:
    """Each reason shows in Dutch in words of its own, and in English as results have said it since 0.1."""
    reasons = [
        Reason("too-few-answered", {"n_answered": 1, "n_items": 3, "min_answered": 2, "n_not_applicable": 1}),
        Reason("missing-parts", {"parts": ["care", "dare"]}),
        Reason("merged", {"groups": ["peers", "others"]}),
        Reason("not-shown", {"groups": ["peers"]}),
        Reason("would-reveal", {}),
        Reason("too-few-others", {"minimum": 4}),
        Reason("withheld", {"groups": ["peers"]}),
    ]
    titles = {"care": "Zorg", "dare": "Durf", "peers": "Collega's", "others": "Anderen"}

    dutch = [r.shown("nl", titles.__getitem__) for r in reasons]

    assert dutch[:2] == [
        "1 van 3 items beantwoord, minstens 2 nodig (1 niet van toepassing)",
        "geen score voor Zorg, Durf",
    ]
    assert "Collega's, Anderen: minder beoordelaars dan het minimum, samengevoegd" == dutch[2]
    assert [str(r) for r in reasons[:2]] == [
        "1 of 3 items answered, at least 2 needed (1 not applicable)",
        "no score for 'care', 'dare'",
    ]
    assert all(r.shown("en") for r in reasons)
    assert Reason("unspecified", {"text": "something else"}).shown("nl") == "something else"


@pytest.mark.parametrize(
    ("code", "params", "message"),
    [
        ("nonsense", {}, "reason code must be one of"),
        ("would-reveal", {"extra": 1}, "takes the parameters none (got extra)"),
        ("too-few-others", {"minimum": -1}, "parameter 'minimum' has a wrong value"),
        ("too-few-others", {"minimum": True}, "parameter 'minimum' has a wrong value"),
        ("merged", {"groups": []}, "parameter 'groups' has a wrong value"),
        ("merged", {"groups": "peers"}, "parameter 'groups' has a wrong value"),
        ("unspecified", {"text": 3}, "parameter 'text' has a wrong value"),
    ],
)
def test_a_reason_checks_its_code_and_parameters(code: str, params: dict[str, object], message: str) -> None:
    """A reason is one of the codes, with its own parameters, of the right kind."""
    with pytest.raises(InvalidArgumentError, match=re.escape(message)):
        Reason(code, params)


def test_languages_without_a_catalogue_fall_back_to_english() -> None:
    """A regional tag takes its language's catalogue; a language without one takes English; words() refuses it."""
    assert ("nl", "nl", "en") == (interface_language("nl-BE"), interface_language("nl"), interface_language("fr"))
    with pytest.raises(InvalidArgumentError, match="there are no interface texts in 'fr'"):
        words("fr")


def test_a_new_language_is_a_folder() -> None:
    """Languages are found from the locale folder, not listed in code: adding French is adding its catalogue."""
    found = sorted(p.parent.parent.name for p in Path(LOCALE_DIR).glob("*/LC_MESSAGES/leadscore.mo"))

    assert list(LANGUAGES) == found
