"""
The words leadscore shows a person, from gettext message catalogues; and reasons as codes.

Interface words (headings, prompts, notes) come from the catalogues in ``leadscore/locale``:
one ``leadscore.po`` per language, managed with Babel (``make catalogues``), compiled to the
``.mo`` files that the standard library's `gettext` reads here, so running leadscore needs
no Babel. The message ids are the English texts. A language is one folder: adding French is
adding ``locale/fr/LC_MESSAGES/leadscore.po`` (and its ``.mo``).

Item, scale and band texts are not here: they come from the instrument, in any language it has.

A `Reason` is what a result or a report stores where it has no figure: a code and its
parameters, language-free, shown in the reader's language when it is displayed.
"""

from __future__ import annotations

import functools
import gettext

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Final

from attrs import field, frozen

from leadscore._checks import quoted
from leadscore.errors import InvalidArgumentError


__all__ = ["LOCALE_DIR", "N_", "REASONS", "Reason", "Words", "catalogue_languages", "interface_language", "words"]

DOMAIN: Final = "leadscore"
LOCALE_DIR: Final = Path(__file__).parent / "locale"
FALLBACK: Final = "en"


def N_(message: str) -> str:  # noqa: N802 - gettext's name for a message marked now, translated later
    """Mark *message* for the catalogues; it is translated where it is shown."""
    return message


@functools.cache
def catalogue_languages() -> tuple[str, ...]:
    """The languages that have a compiled catalogue, sorted."""
    return tuple(
        sorted(path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo") if path.is_file())
    )


def interface_language(language: str) -> str:
    """*language* when it has a catalogue (``pt-BR`` falls back to ``pt``), else English."""
    available = catalogue_languages()
    for candidate in (language, language.split("-", maxsplit=1)[0].lower()):
        if candidate in available:
            return candidate
    return FALLBACK


@frozen
class Words:
    """
    The interface words of one language: ``words("Strengths")``, with ``{name}`` parameters.

    A message is looked up by its English text; `plural` picks the form for a count by the
    language's own rule (the catalogue's ``Plural-Forms``).
    """

    language: str
    catalogue: gettext.NullTranslations = field(repr=False)

    def __call__(self, message: str, /, **params: Any) -> str:
        """*message* in this language, its ``{name}`` parameters filled in."""
        text = self.catalogue.gettext(message)
        return text.format(**params) if params else text

    def plural(self, singular: str, plural: str, count: int, /, **params: Any) -> str:
        """The form of *singular*/*plural* for *count* in this language, ``{count}`` and *params* filled in."""
        return self.catalogue.ngettext(singular, plural, count).format(count=count, **params)


@functools.cache
def words(language: str) -> Words:
    """
    The interface words of *language*, which must have a catalogue (see `interface_language`).

    Raises:
        InvalidArgumentError: If there is no catalogue for *language*.
    """
    if language not in catalogue_languages():
        raise InvalidArgumentError(
            f"there are no interface texts in {quoted(language)}; there are in {', '.join(catalogue_languages())}"
        )
    with (LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as handle:
        return Words(language, gettext.GNUTranslations(handle))


# --- reasons: why a figure is missing, as a code with parameters ----------------------------

#: Each reason code: its parameters, and the message that shows it (the English text is
#: the message id). Parameters named ``parts`` or ``groups`` are ids, shown by name.
REASONS: Final[Mapping[str, tuple[tuple[str, ...], str]]] = {
    "too-few-answered": (
        ("n_answered", "n_items", "min_answered", "n_not_applicable"),
        N_("{n_answered} of {n_items} items answered, at least {min_answered} needed"),
    ),
    "missing-parts": (("parts",), N_("no score for {parts}")),
    "merged": (("groups",), N_("{groups}: fewer raters than the minimum, merged")),
    "not-shown": (("groups",), N_("{groups}: fewer raters than the minimum, not shown")),
    "would-reveal": ((), N_("all others: not shown, as it would reveal the hidden raters by subtraction")),
    "too-few-others": (("minimum",), N_("all others: fewer than {minimum} raters")),
    "withheld": (("groups",), N_("{groups}: withheld: with the other figures it would reveal one rater's answers")),
    "spread-withheld": (
        ("groups",),
        N_("{groups}: SD and agreement withheld: with the other figures they would reveal one rater's answer"),
    ),
    "set-aside": (("count", "why"), N_("ratings set aside before this report was made ({why}): {count}")),
    "unspecified": (("text",), "{text}"),
}
_NOT_APPLICABLE = N_("{count} not applicable")

#: Why ratings were set aside from a 360 (``set-aside``'s ``why``), as the analyst says it.
SET_ASIDE_REASONS: Final[Mapping[str, str]] = {
    "same-answer-throughout": N_("one answer to every item"),
    "long-runs": N_("long runs of one answer"),
    "outlier": N_("answers far from everyone else's"),
    "inconsistent": N_("answers that contradict each other"),
    "unspecified": N_("no reason given"),
}


def _to_params(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((name, tuple(v) if isinstance(v, list) else v) for name, v in value.items()))
    return value


@frozen
class Reason:
    """
    Why a figure is missing: a code and its parameters, in no language.

    The codes, and their parameters: ``too-few-answered`` (``n_answered``, ``n_items``,
    ``min_answered``, ``n_not_applicable``) and ``missing-parts`` (``parts``, scale ids) in
    results; ``merged`` and ``not-shown`` (``groups``), ``would-reveal``, ``too-few-others``
    (``minimum``) and ``withheld`` (``groups``) in the notes of 360 and group reports;
    ``set-aside`` (``count``, and ``why``: one of `SET_ASIDE_REASONS`) in a 360's notes on its
    ratings;
    ``unspecified`` (``text``) for a reason stored as English text only.

    ``str(reason)`` is the English text results have always carried (ids quoted as in 0.1);
    `shown` is the text for a reader, with ids given as titles in the reader's language.

    .. versionadded:: 0.1.0
    """

    code: str
    params: tuple[tuple[str, Any], ...] = field(converter=_to_params)

    def __attrs_post_init__(self) -> None:
        """Check the code is known and the parameters are its own."""
        if self.code not in REASONS:
            raise InvalidArgumentError(f"reason code must be one of {sorted(REASONS)} (got {quoted(self.code)})")
        wanted = REASONS[self.code][0]
        got = tuple(name for name, _ in self.params)
        if sorted(got) != sorted(wanted):
            raise InvalidArgumentError(
                f"reason {self.code!r} takes the parameters {', '.join(wanted) or 'none'} "
                f"(got {', '.join(got) or 'none'})"
            )
        for name, value in self.params:
            ok = (
                all(isinstance(v, str) for v in value) and bool(value)
                if name in {"parts", "groups"}
                else isinstance(value, str)
                if name == "text"
                else value in SET_ASIDE_REASONS
                if name == "why"
                else isinstance(value, int) and not isinstance(value, bool) and value >= 0
            )
            if not (ok and (name not in {"parts", "groups"} or isinstance(value, tuple))):
                raise InvalidArgumentError(f"reason {self.code!r}: parameter {name!r} has a wrong value ({value!r})")

    @property
    def as_dict(self) -> dict[str, Any]:
        """The parameters as a new dict (lists for ids), as JSON holds them."""
        return {name: list(value) if isinstance(value, tuple) else value for name, value in self.params}

    def __str__(self) -> str:
        """The English text, as results and reports have carried it since 0.1."""
        params = dict(self.params)
        if self.code == "missing-parts":
            return "no score for " + ", ".join(map(repr, params["parts"]))
        return self._text(lambda message, **values: message.format(**values), params, ", ".join)

    def shown(self, language: str, name: Callable[[str], str] | None = None) -> str:
        """
        The text for a reader of *language* (English words where it has no catalogue).

        *name* gives the title of an id (a scale's, an item's, a group's); without it ids are shown as they are.
        """
        say = words(interface_language(language))
        params = dict(self.params)
        named = name or (lambda identifier: identifier)
        return self._text(say, params, lambda ids: ", ".join(named(i) for i in ids))

    def _text(self, say: Callable[..., str], params: dict[str, Any], listed: Callable[[Any], str]) -> str:
        values = {k: listed(v) if k in {"parts", "groups"} else v for k, v in params.items()}
        if "why" in values:
            values["why"] = say(SET_ASIDE_REASONS[values["why"]])
        text = say(REASONS[self.code][1], **values)
        not_applicable = params.get("n_not_applicable")
        if not_applicable:
            text += f" ({say(_NOT_APPLICABLE, count=not_applicable)})"
        return text


def reason_from_text(text: str) -> Reason:
    """
    The reason behind an English reason text of 0.1 (results stored before reasons had codes).

    The texts scoring gives are read back as their codes; any other text is kept as it is, as an ``unspecified`` reason.
    """
    import re  # noqa: PLC0415 - only stored results of 0.1 need it

    match = re.fullmatch(r"(\d+) of (\d+) items answered, at least (\d+) needed(?: \((\d+) not applicable\))?", text)
    if match:
        answered, items, needed, na = match.groups()
        return Reason(
            "too-few-answered",
            {
                "n_answered": int(answered),
                "n_items": int(items),
                "min_answered": int(needed),
                "n_not_applicable": int(na or 0),
            },
        )
    parts = re.fullmatch(r"no score for ('[^']*'(?:, '[^']*')*)", text)
    if parts:
        return Reason("missing-parts", {"parts": re.findall(r"'([^']*)'", parts.group(1))})
    return Reason("unspecified", {"text": text})
