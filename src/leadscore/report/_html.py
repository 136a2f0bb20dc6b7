"""
What every page shares: the reader's language and numbers, the page around a body, charts, band narratives.

The page kinds (`_self`, `_feedback`, `_analysis`) build their bodies from these; `_page.page`
picks the kind. The style sheet is package data (``style.css``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from html import escape
from importlib import resources
from typing import Any

from attrs import frozen

from leadscore._aggregate import ALL_OTHERS, MANAGER, MERGED, SELF
from leadscore._catalog import N_, Reason, Words, interface_language, words
from leadscore._model import Band, Composite, Instrument, Scale, common_languages
from leadscore._plan import band_of
from leadscore._results import CompositeScore, ScaleScore
from leadscore._stats import rounded
from leadscore._text import LocalizedText


__all__ = [
    "ALL_OTHERS_LABEL",
    "EVERYONE_LABEL",
    "STYLE",
    "Context",
    "InterfaceLanguageWarning",
    "Mark",
    "group_namer",
    "page_document",
    "printed",
    "reason_of",
    "reason_text",
    "report_languages",
    "scale_block",
    "score_chart",
]

# The page's style sheet, package data read once.
STYLE = (resources.files("leadscore.report") / "style.css").read_text(encoding="utf-8")


class InterfaceLanguageWarning(UserWarning):
    """
    A report in a language the instrument has but the message catalogues lack: its interface words are English.

    .. versionadded:: 0.1.0
    """


# Names of the groups a 360 or a group report shows; a group of the caller's own is shown as
# its slug (underscores as spaces) unless `group_names` names it.
_GROUP_NAMES = {
    SELF: N_("Self"),
    MANAGER: N_("Manager"),
    "peers": N_("Peers"),
    "direct_reports": N_("Direct reports"),
    "others": N_("Others"),
    "customers": N_("Customers"),
    "clients": N_("Clients"),
    "team": N_("Team"),
    MERGED: N_("Merged small groups"),
}


# Each group's marker: a shape as well as a colour, so no group is told by colour alone.
ALL_OTHERS_LABEL = N_("All others")


EVERYONE_LABEL = N_("Everyone")


_SHAPES = ("circle", "square", "diamond", "ring", "bar", "box")


_COLOURS = ("#b2182b", "#8c510a", "#01665e", "#2c5f9e", "#6a3d9a", "#4d4d4d", "#a6611a", "#1b7837")


def report_languages(instrument: Instrument) -> tuple[str, ...]:
    """The languages an instrument can be reported in: every item text and scale title exists in them, sorted."""
    return common_languages(instrument)


@frozen
class Context:
    """What every part of a page needs: the instrument, the language, its words."""

    instrument: Instrument
    lang: str
    say: Words
    group_names: Mapping[str, str]

    def text(self, value: LocalizedText | None) -> str:
        return "" if value is None else escape(value.shown_in(self.lang))

    def scale(self, scale_id: str) -> Scale:
        """The instrument's scale *scale_id*."""
        return next(scale for scale in self.instrument.scales if scale.id == scale_id)

    def group(self, group: str, *, everyone: str = ALL_OTHERS_LABEL) -> str:
        """The name of *group* in this language (not escaped)."""
        if group == ALL_OTHERS:
            return self.say(everyone)
        if group in self.group_names:
            return self.group_names[group]
        return self.say(_GROUP_NAMES[group]) if group in _GROUP_NAMES else group.replace("_", " ")

    def word(self, message: str, /, **params: Any) -> str:
        """A word of the page's templates (one of `_TEMPLATE_WORDS`) in this language, escaped for HTML."""
        if message not in _TEMPLATE_WORDS:
            raise RuntimeError(f"{message!r} is not marked for the catalogues: add it to _TEMPLATE_WORDS")
        return escape(self.say(message, **params))

    def number(self, value: float, places: int = 2, *, signed: bool = False) -> str:
        """*value* as the page prints it: to *places* decimals, half away from zero (`printed`), in this language."""
        at = printed(value, places)
        shown = f"{at:+.{places}f}" if signed else f"{at:.{places}f}"
        shown = shown.replace("-", "−")  # A minus sign, not a hyphen.
        return shown.replace(".", ",") if self.lang.split("-")[0] in _DECIMAL_COMMA else shown


def printed(value: float, places: int = 2) -> float:
    """
    *value* as the page prints it: to *places* decimals, half away from zero (4.125 is 4.13).

    From the decimal the double stands for (its shortest repr): a score is an exact ratio of
    small integers rounded once to a double, never so near a half that its double falls on the
    other side. Formatting the double itself would round 4.125 to even, 4.12.
    """
    return rounded(_decimal(value), places)


def _decimal(value: float) -> Fraction:
    """The decimal a double (or an integer) stands for: its shortest repr, exactly."""
    return Fraction(value) if isinstance(value, int) else Fraction(repr(value))


# The words of the page's templates: marked here, where the catalogue tools see them (they do
# not look inside f-strings), and looked up with `Context.word`, which refuses any other.
_TEMPLATE_WORDS = frozenset(
    (
        N_("Instrument"),
        N_("version"),
        N_("fingerprint"),
        N_("About this instrument"),
        N_("Sources"),
        N_("There are no norms: figures describe these answers only."),
        N_("n = {n}"),
        N_("source"),
        N_("Scores"),
        N_("Each score on its range; the band and what it means, where the instrument has bands."),
        N_("Item"),
        N_("Answer"),
        N_("not answered"),
        N_("Answers"),
        N_("Profile per scale"),
        N_(
            "Each group’s mean on the scale’s own range, with the number of raters (n). A group below its minimum is merged or not shown; see Privacy."
        ),
        N_("Blind spots and hidden strengths"),
        N_("No gap reaches the threshold."),
        N_("Scale"),
        N_("Self − all others"),
        N_("Finding"),
        N_("reverse keyed"),
        N_("Item detail"),
        N_("Each item’s mean per group; in brackets, how many raters answered it."),
        N_("Privacy: what is not shown, and why"),
        N_("Every group reached its minimum."),
        # The item analysis (a ReliabilityReport, with a QualityReport).
        N_("Reliability per scale"),
        N_(
            "Cronbach’s alpha, raw and standardized, with Feldt’s interval; McDonald’s omega total; Guttman’s lambda 6; the mean and median correlation between the scale’s items; signal-to-noise; and the scale score’s mean and SD. Each figure is computed as R’s psych package computes it."
        ),
        N_("respondents"),
        N_("alpha"),
        N_("interval"),
        N_("standardized alpha"),
        N_("omega"),
        N_("lambda 6"),
        N_("mean r"),
        N_("median r"),
        N_("signal-to-noise"),
        N_("mean"),
        N_("SD"),
        N_("Items of {scale}"),
        N_("corrected item-total r"),
        N_("item-total r"),
        N_("standardized item-total r"),
        N_("alpha without it"),
        N_("loading"),
        N_("missing"),
        N_("answers"),
        N_("runs against the scale as keyed: check its key"),
        N_("Keying"),
        N_("No item runs against its scale as keyed."),
        N_(
            "These items correlate negatively with the rest of their scale as it is keyed. leadscore never re-keys from data: check the instrument’s keys."
        ),
        N_("Data quality"),
        N_("Indices of careless responding, per respondent. They describe; nothing was set aside because of them."),
        N_("index"),
        N_("with a value"),
        N_("lowest"),
        N_("lower quartile"),
        N_("median"),
        N_("upper quartile"),
        N_("highest"),
        N_("most extreme"),
        N_("longest run of identical answers"),
        N_("mean run length"),
        N_("response variability (IRV)"),
        N_("Mahalanobis distance (D²)"),
        N_("even-odd consistency"),
        N_("psychometric synonyms"),
        N_("How these figures were made"),
        N_("{n} answer sets; {excluded} set aside by the analyst."),
        N_("Missing answers: pairwise (each correlation from the respondents who answered both items)."),
        N_("Missing answers: listwise (per scale, only respondents who answered every item)."),
        N_("Intervals at {level} %."),
        N_(
            'Omega total: a one-factor minimum-residual fit of the items’ correlations, as psych’s omega(nfactors = 1, fm = "minres") reports omega.tot.'
        ),
        N_("Omega’s interval: percentile bootstrap of {samples} samples of the respondents, seed {seed}."),
        N_("Items in the order presented: {order}."),
        N_("Psychometric synonyms: the item pairs that correlate above {r} ({count})."),
        N_("No item pairs correlate above {r}: there is no synonym index."),
        N_("The formulas and their checks against R’s psych and careless: docs/feedback-and-analysis.md."),
    )
)


_DECIMAL_COMMA = frozenset({"nl", "de", "fr", "es", "it", "pt", "da", "sv", "nb", "fi", "pl", "cs"})


def page_document(
    context: Context, kind: str, person: str | None, fingerprint: str, body: list[str], *, wide: bool = False
) -> str:
    instrument = context.instrument
    title = context.text(instrument.title)
    who = f" — {escape(person)}" if person else ""
    head = (
        f'<!DOCTYPE html>\n<html lang="{escape(context.lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(kind)}{who}: {title}</title><style>{STYLE}</style></head><body>"
        + ('<main class="wide-report">' if wide else "<main>")
    )
    header = (
        f'<header><h1>{escape(kind)}{who}</h1><p class="instrument">{title}</p>'
        f'<p class="trace">{context.word("Instrument")}: <code>{escape(instrument.id)}</code> '
        f"{context.word('version')} <code>{escape(instrument.version)}</code>; "
        f'{context.word("fingerprint")} <code class="fingerprint">{escape(fingerprint)}</code></p></header>'
    )
    return "\n".join([head, header, *body, _about(context), "</main></body></html>"]) + "\n"


def _about(context: Context) -> str:
    instrument = context.instrument
    sources = "".join(f"<li>{_source(s)}</li>" for s in instrument.sources)
    parts = [f'<section aria-labelledby="about"><h2 id="about">{context.word("About this instrument")}</h2>']
    if instrument.notes is not None:
        parts.append(f"<p>{context.text(instrument.notes)}</p>")
    if sources:
        parts.append(f"<h3>{context.word('Sources')}</h3><ul>{sources}</ul>")
    parts.append(f"<p>{context.word('There are no norms: figures describe these answers only.')}</p></section>")
    return "".join(parts)


def _source(source: Any) -> str:
    """
    A source as a citation: its document and section.

    Its note (how the text was taken) is metadata in the definition's language, for analysts
    (`leadscore show --format json`), not words for the reader: a Dutch page would show English.
    """
    return escape(", ".join(part for part in (source.document, source.section) if part))


@frozen
class Mark:
    """One row of a chart: who, how many, the value (None: not shown, with why)."""

    label: str
    value: float | None
    n: int | None = None
    note: str = ""
    style: int = 0


def score_chart(
    context: Context, span: tuple[float, float], marks: Sequence[Mark], bands: Sequence[Band], caption: str
) -> str:
    """
    A dot plot of *marks* on the range *span* (low, high), with *bands* shaded and labelled.

    Every row carries its label, n and value as text, so the picture needs no colour to be read and
    is its own text alternative; the track is decoration (``aria-hidden``).
    """
    low, high = span
    bottom, width = _decimal(low), _decimal(high) - _decimal(low)

    def where(value: float) -> float:
        # A position is the exact POMP of the decimal given, to two decimals, half away from zero.
        return rounded(100 * (_decimal(value) - bottom) / width, 2)

    shading = "".join(
        f'<span class="band b{i % 3}" style="left:{where(b.lower):.2f}%;width:{where(b.upper) - where(b.lower):.2f}%"></span>'
        for i, b in enumerate(bands)
    )
    rows = []
    for mark in marks:
        n = f' <span class="n">{context.word("n = {n}", n=mark.n)}</span>' if mark.n is not None else ""
        if mark.value is None:  # No figure: why, where the track would be.
            rows.append(
                f'<div class="row"><span class="who">{escape(mark.label)}{n}</span>'
                f'<span class="value none">{escape(mark.note or "–")}</span></div>'
            )
            continue
        shape, colour = _SHAPES[mark.style % len(_SHAPES)], _COLOURS[mark.style % len(_COLOURS)]
        # The dot sits where the printed figure is, never the figure behind it: its position
        # must not carry more precision than the text (issue 30).
        dot = f'<span class="mark {shape}" style="left:{where(printed(mark.value)):.2f}%;--c:{colour}"></span>'
        value = f'<span class="value">{context.number(mark.value, signed=low < 0)}</span>'
        rows.append(
            f'<div class="row"><span class="who">{escape(mark.label)}{n}</span>'
            f'<span class="track" aria-hidden="true">{shading}{dot}</span>{value}</div>'
        )
    ticks = _ticks(low, high)
    axis = "".join(
        f'<span style="left:{where(t):.2f}%">{context.number(t, 0 if float(t).is_integer() else 1)}</span>'
        for t in ticks
    )
    band_names = ""
    if bands:
        band_names = "".join(
            f'<span class="bandname b{i % 3}" style="left:{where(b.lower):.2f}%;width:{where(b.upper) - where(b.lower):.2f}%">'
            f"{context.text(b.label)}</span>"
            for i, b in enumerate(bands)
        )
        band_names = f'<div class="row bands" aria-hidden="true"><span class="who"></span><span class="bandnames">{band_names}</span><span></span></div>'
    return (
        f'<figure class="chart">{f"<figcaption>{caption}</figcaption>" if caption else ""}{band_names}{"".join(rows)}'
        f'<div class="row axis" aria-hidden="true"><span class="who"></span><span class="ticks">{axis}</span><span></span></div>'
        "</figure>"
    )


def _ticks(low: float, high: float) -> list[float]:
    """Whole-number ticks from *low* to *high* (at most nine), else the ends and the middle."""
    span = high - low
    if float(low).is_integer() and float(high).is_integer() and 0 < span <= 8:
        return [low + step for step in range(int(span) + 1)]
    return [low, (low + high) / 2, high]


def _band_of(value: float | None, bands: Sequence[Band]) -> Band | None:
    """The band *value* falls in, by the plan's rule (`leadscore._plan.band_of`), or None."""
    if value is None or not bands:
        return None
    found = band_of(value, [band.lower for band in bands], [band.id for band in bands])
    return next(band for band in bands if band.id == found)


def _narratives(context: Context, shown: Sequence[tuple[str, Band]]) -> str:
    """Each band reached, who reached it, and its text (with where the text comes from)."""
    by_band: dict[str, tuple[Band, list[str]]] = {}
    for who, band in shown:
        by_band.setdefault(band.id, (band, []))[1].append(who)
    items = []
    for band, whom in by_band.values():
        line = f'<b>{context.text(band.label)}</b> <span class="n list">({escape(", ".join(whom))})</span>'
        if band.description is not None:
            line += f": {context.text(band.description)}"
            if band.source is not None:
                line += f' <span class="source">({context.word("source")}: {_source(band.source)})</span>'
        items.append(f"<li>{line}</li>")
    return f'<ul class="narrative">{"".join(items)}</ul>' if items else ""


def scale_block(
    context: Context, definition: Scale | Composite, marks: Sequence[Mark], banded: Sequence[tuple[str, float | None]]
) -> str:
    caption = f'<span class="title">{context.text(definition.title)}</span>'
    if isinstance(definition, Composite) and definition.method == "difference":
        caption += f'<span class="explain">{context.text(definition.description)}</span>'
    chart = score_chart(context, context.instrument.score_range(definition.id), marks, definition.bands, caption)
    reached = [(who, band) for who, value in banded if (band := _band_of(value, definition.bands)) is not None]
    return chart + _narratives(context, reached)


def reason_of(context: Context, got: ScaleScore | CompositeScore) -> str:
    reason = Reason(got.reason_code, got.reason_params or {})  # type: ignore[arg-type]
    return reason.shown(context.lang, group_namer(context))


def reason_text(score: ScaleScore | CompositeScore, *, instrument: Instrument, lang: str) -> str | None:
    """
    Why *score* has no value, for a reader of *lang*: scales and items named by their titles; None when it has one.

    .. versionadded:: 0.1.0
    """
    if score.reason is None:
        return None
    context = Context(instrument, lang, words(interface_language(lang)), {})
    if score.reason_code is None:  # Built by hand without a code: its English text is all there is.
        return score.reason
    return reason_of(context, score)


def group_namer(context: Context) -> Callable[[str], str]:
    """Titles of scales, composites and items, and names of groups, in the report's language."""
    instrument = context.instrument
    # Items first: an id that is both an item's and a scale's (a one-item scale) is named as the scale.
    titles = {i.id: i.text for i in instrument.items} | {s.id: s.title for s in instrument.scales}
    titles |= {c.id: c.title for c in instrument.composites}

    def name(identifier: str) -> str:
        if identifier in titles:
            return titles[identifier].shown_in(context.lang)
        return context.group(identifier)

    return name
