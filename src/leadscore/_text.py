"""
Text in several languages: every title, item and label leadscore shows a person.

Dutch is the source language of the shipped instruments; every text also has English.
"""

from __future__ import annotations

import re

from collections.abc import Iterable, Mapping
from typing import Any

from attrs import field, frozen

from leadscore._checks import LANGUAGE_TAG, Problems, duplicates, quoted, to_tuple


__all__ = ["LocalizedText"]


def _to_translations(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> Any:
    if isinstance(value, Mapping):
        value = value.items()
    pairs = to_tuple(value)
    if isinstance(pairs, tuple) and all(isinstance(p, tuple) and len(p) == 2 for p in pairs):
        return tuple(sorted(pairs, key=lambda pair: str(pair[0])))
    return pairs


@frozen
class LocalizedText:
    """
    One text in one or more languages, keyed by language tag (``nl``, ``en``, ``pt-BR``).

    Build it from a mapping: ``LocalizedText({"nl": "Blijft kalm", "en": "Stays Calm"})``.
    The translations are kept sorted by language, so equal texts compare and serialize alike.

    .. versionadded:: 0.1.0
    """

    translations: tuple[tuple[str, str], ...] = field(converter=_to_translations)

    def __attrs_post_init__(self) -> None:
        """Check that there is at least one language and every text is a non-empty string."""
        problems = Problems()
        translations: Any = self.translations  # Whatever came in, whatever its annotation says.
        if not isinstance(translations, tuple) or not translations:
            problems.add(f"text must be a non-empty mapping of language to text (got {quoted(translations)})")
            problems.raise_if_any("text")
        pairs = [pair for pair in translations if isinstance(pair, tuple) and len(pair) == 2]
        if len(pairs) < len(translations):
            wrong = next(pair for pair in translations if not (isinstance(pair, tuple) and len(pair) == 2))
            problems.add(f"text must be a mapping of language to text, or (language, text) pairs (got {quoted(wrong)})")
            problems.raise_if_any("text")
        for language, text in translations:
            if not (isinstance(language, str) and LANGUAGE_TAG.fullmatch(language)):
                problems.add(f"language must be a tag such as 'nl' or 'en' (got {quoted(language)})", "$")
            elif not (isinstance(text, str) and text.strip()):
                problems.add(
                    f"text in {quoted(language)} must be a non-empty string (got {quoted(text)})",
                    f"$[{quoted(language)}]",
                )
            else:
                _check_characters(problems, language, text)
        for language in duplicates(language for language, _ in self.translations):
            problems.add(f"language {quoted(language)} is given twice")
        problems.raise_if_any("text")

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages this text is available in, sorted."""
        return tuple(language for language, _ in self.translations)

    def get(self, language: str, *fallbacks: str) -> str:
        """
        Return the text in *language*, else in the first of *fallbacks* that exists.

        Raises:
            KeyError: If none of the languages asked for is available.
        """
        mapping = dict(self.translations)
        for candidate in (language, *fallbacks):
            if candidate in mapping:
                return mapping[candidate]
        raise KeyError(language)

    def shown_in(self, language: str) -> str:
        """
        Return the text to show a person who reads *language*.

        In that language, else English, else Dutch (the shipped instruments' two), else the
        first language the text has. Never raises: an instrument whose texts are only in German is still shown.

        .. versionadded:: 0.1.0
        """
        mapping = dict(self.translations)
        for candidate in (language, "en", "nl"):
            if candidate in mapping:
                return mapping[candidate]
        return self.translations[0][1]

    def as_dict(self) -> dict[str, str]:
        """Return the translations as a new ``{language: text}`` dict."""
        return dict(self.translations)


# Control characters but tab and line feed: a carriage return, an escape or a bell would
# rewrite or disturb the terminal that shows the text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _check_characters(problems: Problems, language: str, text: str) -> None:
    """A text must have something a person can see, and no control characters."""
    control = _CONTROL.search(text)
    if control is not None:
        problems.add(
            f"text in {quoted(language)} holds the control character {control.group()!r} at position "
            f"{control.start()}; only tabs and line breaks may be in a text",
            f"$[{quoted(language)}]",
        )
    import unicodedata  # noqa: PLC0415 - loaded by the first text that is checked, not at import

    # Format characters (zero-width spaces, joiners, a byte-order mark) are invisible too.
    if all(char.isspace() or unicodedata.category(char) == "Cf" for char in text):
        problems.add(f"text in {quoted(language)} has nothing visible (got {quoted(text)})", f"$[{quoted(language)}]")


def to_text(value: Any) -> Any:
    """Build a `LocalizedText` from a mapping; leave anything else for validation."""
    if isinstance(value, Mapping):
        return LocalizedText(value)
    return value


def check_text(problems: Problems, value: Any, path: str, what: str, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    problems.check_type(value, LocalizedText, path, what)
