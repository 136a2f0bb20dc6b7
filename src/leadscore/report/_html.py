"""
The reports a person reads, as one self-contained HTML page: self-assessment, 360 and group.

One file, no scripts, no network: styles are inline and the charts are HTML and CSS, so they
reflow on a phone, print on A4 or Letter, and read aloud as text. Every text, including item
texts and names from third-party plugins, is escaped with `html.escape`, so no instrument can
inject markup or script. Only what `leadscore.aggregate` and `leadscore.group_report` release
is drawn, so their privacy rules hold in the report.

Interface words come from the message catalogues (`leadscore._catalog`); item, scale and band
texts from the instrument, in the report's language.
"""

from __future__ import annotations

import warnings

from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

from attrs import frozen

from leadscore._aggregate import ALL_OTHERS, MANAGER, MERGED, SELF, FeedbackReport, GroupReport, ScoreFeedback
from leadscore._catalog import N_, Reason, Words, interface_language, words
from leadscore._consistency import ItemStatistics, ReliabilityReport, ScaleReliability
from leadscore._model import Band, Composite, Instrument, Scale, common_languages
from leadscore._plan import compiled, pomp
from leadscore._quality_report import QualityReport
from leadscore._registry import resolve
from leadscore._results import CompositeScore, Result, ScaleScore
from leadscore._scoring import score
from leadscore._text import LocalizedText
from leadscore.errors import ArgumentTypeError, InvalidArgumentError


__all__ = ["InterfaceLanguageWarning", "page", "reason_text", "report_languages"]


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
_ALL_OTHERS = N_("All others")
_EVERYONE = N_("Everyone")
_SHAPES = ("circle", "square", "diamond", "ring", "bar", "box")
_COLOURS = ("#b2182b", "#8c510a", "#01665e", "#2c5f9e", "#6a3d9a", "#4d4d4d", "#a6611a", "#1b7837")


def report_languages(instrument: Instrument) -> tuple[str, ...]:
    """The languages an instrument can be reported in: every item text and scale title exists in them, sorted."""
    return common_languages(instrument)


@frozen
class _Context:
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

    def group(self, group: str, *, everyone: str = _ALL_OTHERS) -> str:
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
        shown = f"{value:+.{places}f}" if signed else f"{value:.{places}f}"
        shown = shown.replace("-", "−")  # A minus sign, not a hyphen.
        return shown.replace(".", ",") if self.lang.split("-")[0] in _DECIMAL_COMMA else shown


# The words of the page's templates: marked here, where the catalogue tools see them (they do
# not look inside f-strings), and looked up with `_Context.word`, which refuses any other.
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


def page(
    report: Result | FeedbackReport | GroupReport | ReliabilityReport,
    *,
    lang: str,
    instrument: Instrument | str | None = None,
    person: str | None = None,
    answers: Mapping[str, Any] | None = None,
    group_names: Mapping[str, str] | None = None,
    quality: QualityReport | None = None,
) -> str:
    """The HTML page of *report*; the arguments are `leadscore.render`'s."""
    if not isinstance(report, (Result, FeedbackReport, GroupReport, ReliabilityReport)):
        raise ArgumentTypeError(
            "report must be a leadscore.Result, FeedbackReport, GroupReport or ReliabilityReport "
            f"(got {type(report).__name__}); make one with score, aggregate, group_report or reliability"
        )
    if quality is not None:
        if not isinstance(report, ReliabilityReport) or not isinstance(quality, QualityReport):
            raise ArgumentTypeError(
                "quality goes with a ReliabilityReport: a QualityReport from leadscore.analysis.quality"
            )
        if quality.fingerprint != report.fingerprint:
            raise InvalidArgumentError("the quality report is of another instrument than the reliability report")
    definition = resolve(instrument if instrument is not None else report.instrument_id)
    plan = compiled(definition)
    if (definition.id, definition.version, plan.fingerprint) != (
        report.instrument_id,
        report.instrument_version,
        report.fingerprint,
    ):
        raise InvalidArgumentError(
            f"the report is of {report.instrument_id!r} {report.instrument_version} ({report.fingerprint}); "
            f"the instrument given is {definition.id!r} {definition.version} ({plan.fingerprint})"
        )
    if not isinstance(lang, str):
        raise ArgumentTypeError(f"lang must be a language tag such as 'nl' or 'en' (got {type(lang).__name__})")
    languages = report_languages(definition)
    if lang not in languages:
        raise InvalidArgumentError(
            f"lang must be a language the instrument {definition.id!r} has: one of {list(languages)} (got {lang!r})"
        )
    interface = interface_language(lang)
    if interface != lang:
        warnings.warn(
            f"there are no interface texts in {lang!r}: the report's headings and notes are in English, "
            "its items and scales in the instrument's own words",
            InterfaceLanguageWarning,
            stacklevel=3,
        )
    names: dict[Any, Any] = dict(group_names or {})  # Whatever came in, whatever its annotation says.
    if any(not (isinstance(k, str) and isinstance(v, str) and v.strip()) for k, v in names.items()):
        raise ArgumentTypeError("group_names must map group names to non-empty texts")
    if person is not None and not isinstance(person, str):
        raise ArgumentTypeError(f"person must be a text (got {type(person).__name__})")
    context = _Context(definition, lang, words(interface), names)
    if isinstance(report, Result):
        if answers is not None and score(definition, answers) != report:
            raise InvalidArgumentError("answers must be the answers the result was scored from")
        body = _self_report(context, report, answers)
        kind = context.say("Self-assessment")
    elif answers is not None:
        raise InvalidArgumentError("answers go with a self-assessment (a Result); a 360 or group report has its own")
    elif isinstance(report, FeedbackReport):
        body = _feedback_report(context, report)
        kind = context.say("360 feedback report")
    elif isinstance(report, ReliabilityReport):
        body = _analysis_report(context, report, quality)
        kind = context.say("Item analysis")
    else:
        body = _group_report(context, report)
        kind = context.say("Group report")
    return _document(context, kind, person, plan.fingerprint, body, wide=isinstance(report, ReliabilityReport))


# --- the page around the body ----------------------------------------------------------------


def _document(
    context: _Context, kind: str, person: str | None, fingerprint: str, body: list[str], *, wide: bool = False
) -> str:
    instrument = context.instrument
    title = context.text(instrument.title)
    who = f" — {escape(person)}" if person else ""
    head = (
        f'<!DOCTYPE html>\n<html lang="{escape(context.lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(kind)}{who}: {title}</title><style>{_STYLE}</style></head><body>"
        + ('<main class="wide-report">' if wide else "<main>")
    )
    header = (
        f'<header><h1>{escape(kind)}{who}</h1><p class="instrument">{title}</p>'
        f'<p class="trace">{context.word("Instrument")}: <code>{escape(instrument.id)}</code> '
        f"{context.word('version')} <code>{escape(instrument.version)}</code>; "
        f'{context.word("fingerprint")} <code class="fingerprint">{escape(fingerprint)}</code></p></header>'
    )
    return "\n".join([head, header, *body, _about(context), "</main></body></html>"]) + "\n"


def _about(context: _Context) -> str:
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


# --- charts: one row per group, on the score's own axis ------------------------------------


@frozen
class _Mark:
    """One row of a chart: who, how many, the value (None: not shown, with why)."""

    label: str
    value: float | None
    n: int | None = None
    note: str = ""
    style: int = 0


def _chart(
    context: _Context, span: tuple[float, float], marks: Sequence[_Mark], bands: Sequence[Band], caption: str
) -> str:
    """
    A dot plot of *marks* on the range *span* (low, high), with *bands* shaded and labelled.

    Every row carries its label, n and value as text, so the picture needs no colour to be read and
    is its own text alternative; the track is decoration (``aria-hidden``).
    """
    low, high = span

    def where(value: float) -> float:
        return pomp(value, low, high - low)

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
        dot = f'<span class="mark {shape}" style="left:{where(mark.value):.2f}%;--c:{colour}"></span>'
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


# --- narrative per band ----------------------------------------------------------------------


def _band_of(value: float | None, bands: Sequence[Band]) -> Band | None:
    if value is None or not bands:
        return None
    holding = [b for b in bands if b.lower <= value]
    return holding[-1] if holding else bands[0]


def _narratives(context: _Context, shown: Sequence[tuple[str, Band]]) -> str:
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


# --- the self-assessment ---------------------------------------------------------------------


def _self_report(context: _Context, result: Result, answers: Mapping[str, Any] | None) -> list[str]:
    """
    One person's scores, each a labelled row.

    The scores without bands that share a range make one chart; a score with bands has a chart
    of its own, its bands shaded, with the narrative of the band it falls in.
    """
    instrument, say = context.instrument, context.say
    parts = [f'<section aria-labelledby="scores"><h2 id="scores">{context.word("Scores")}</h2>']
    parts.append(
        f"<p>{context.word('Each score on its range; the band and what it means, where the instrument has bands.')}</p>"
    )
    definitions: list[Scale | Composite] = [*instrument.scales, *instrument.composites]
    scores: dict[str, ScaleScore | CompositeScore] = {**result.scales, **result.composites}
    shared: dict[tuple[float, float], list[_Mark]] = {}
    banded = []
    for definition in definitions:
        got = scores[definition.id]
        note = "" if got.reason_code is None else _reason(context, got)
        if definition.bands:
            mark = _Mark(say("Self"), got.value, note=note)
            banded.append(_scale_block(context, definition, [mark], [(say("Self"), got.value)]))
        else:
            label = definition.title.shown_in(context.lang)
            shared.setdefault(instrument.score_range(definition.id), []).append(_Mark(label, got.value, note=note))
    parts.extend(_chart(context, span, marks, (), "") for span, marks in shared.items())
    parts.extend(banded)
    parts.append("</section>")
    if answers is not None:
        parts.append(_answers_table(context, answers))
    return parts


def _answers_table(context: _Context, answers: Mapping[str, Any]) -> str:
    instrument = context.instrument
    head = f'<thead><tr><th scope="col">{context.word("Item")}</th><th scope="col">{context.word("Answer")}</th></tr></thead>'
    rows = []
    for item in instrument.items:
        answer = answers.get(item.id)
        na = item.response.not_applicable
        shown = (
            context.word("not answered")
            if answer is None
            else context.text(na.label)
            if na is not None and answer == na.code
            else escape(str(answer))
        )
        rows.append(f'<tr><th scope="row">{context.text(item.text)}</th><td>{shown}</td></tr>')
    return (
        f'<section aria-labelledby="answers"><h2 id="answers">{context.word("Answers")}</h2>'
        f'<div class="wide" tabindex="0" role="region" aria-labelledby="answers"><table>{head}<tbody>{"".join(rows)}</tbody></table></div></section>'
    )


def _scale_block(
    context: _Context, definition: Scale | Composite, marks: Sequence[_Mark], banded: Sequence[tuple[str, float | None]]
) -> str:
    caption = f'<span class="title">{context.text(definition.title)}</span>'
    if isinstance(definition, Composite) and definition.method == "difference":
        caption += f'<span class="explain">{context.text(definition.description)}</span>'
    chart = _chart(context, context.instrument.score_range(definition.id), marks, definition.bands, caption)
    reached = [(who, band) for who, value in banded if (band := _band_of(value, definition.bands)) is not None]
    return chart + _narratives(context, reached)


def _reason(context: _Context, got: ScaleScore | CompositeScore) -> str:
    reason = Reason(got.reason_code, got.reason_params or {})  # type: ignore[arg-type]
    return reason.shown(context.lang, _namer(context))


def reason_text(score: ScaleScore | CompositeScore, *, instrument: Instrument, lang: str) -> str | None:
    """
    Why *score* has no value, for a reader of *lang*: scales and items named by their titles; None when it has one.

    .. versionadded:: 0.1.0
    """
    if score.reason is None:
        return None
    context = _Context(instrument, lang, words(interface_language(lang)), {})
    if score.reason_code is None:  # Built by hand without a code: its English text is all there is.
        return score.reason
    return _reason(context, score)


def _namer(context: _Context) -> Callable[[str], str]:
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


# --- the 360 and the group report ------------------------------------------------------------


def _feedback_report(context: _Context, report: FeedbackReport) -> list[str]:
    say = context.say
    parts = [_counts(context, say("Raters per group"), report.raters)]
    parts.extend(_profiles(context, report, everyone=_ALL_OTHERS))
    parts.append(_gaps(context, report))
    parts.extend(_ranked(context, report, everyone=_ALL_OTHERS))
    parts.extend(_items(context, report, everyone=_ALL_OTHERS))
    parts.append(_privacy(context, report))
    return parts


def _group_report(context: _Context, report: GroupReport) -> list[str]:
    say = context.say
    parts = [_counts(context, say("Answer sets per group"), report.people)]
    parts.extend(_profiles(context, report, everyone=_EVERYONE))
    parts.extend(_ranked(context, report, everyone=_EVERYONE))
    parts.extend(_items(context, report, everyone=_EVERYONE))
    parts.append(_privacy(context, report))
    return parts


def _counts(context: _Context, heading: str, counts: Sequence[tuple[str, int]]) -> str:
    ordered = sorted(counts, key=lambda pair: (pair[0] != SELF, pair[0] != MANAGER, context.group(pair[0])))
    listed = "".join(f"<li>{escape(context.group(g))}: {n}</li>" for g, n in ordered)
    return f'<section aria-labelledby="counts"><h2 id="counts">{escape(heading)}</h2><ul class="counts">{listed}</ul></section>'


def _groups(figures: Sequence[ScoreFeedback]) -> list[str]:
    seen: list[str] = []
    for feedback in figures:
        for figure in feedback.groups:
            if figure.group not in seen:
                seen.append(figure.group)
    return [*seen, ALL_OTHERS]


def _marks(context: _Context, feedback: ScoreFeedback, groups: Sequence[str], everyone: str) -> list[_Mark]:
    marks = []
    for style, group in enumerate(groups):
        figure = feedback.all_others if group == ALL_OTHERS else feedback.group(group)
        label = context.group(group, everyone=everyone)
        if figure is None:
            note = context.say("withheld") if group in feedback.withheld else context.say("not shown")
            marks.append(_Mark(label, None, note=note, style=style))
        else:
            marks.append(_Mark(label, figure.mean, n=figure.n_raters, style=style))
    return marks


def _profiles(context: _Context, report: FeedbackReport | GroupReport, *, everyone: str) -> list[str]:
    instrument = context.instrument
    figures = [*report.scales.values(), *report.composites.values()]
    groups = _groups(figures)
    parts = [
        f'<section aria-labelledby="profile"><h2 id="profile">{context.word("Profile per scale")}</h2>',
        f"<p>{context.word('Each group’s mean on the scale’s own range, with the number of raters (n). A group below its minimum is merged or not shown; see Privacy.')}</p>",
    ]
    definitions: list[Scale | Composite] = [*instrument.scales, *instrument.composites]
    for definition in definitions:
        feedback = report.scales.get(definition.id) or report.composites[definition.id]
        marks = _marks(context, feedback, groups, everyone)
        banded = [(m.label, m.value) for m in marks if m.value is not None]
        parts.append(_scale_block(context, definition, marks, banded))
    parts.append("</section>")
    return parts


def _gaps(context: _Context, report: FeedbackReport) -> str:
    """Blind spots and hidden strengths: scales only, one line each."""
    say, instrument = context.say, context.instrument
    heading = f'<h2 id="gaps">{context.word("Blind spots and hidden strengths")}</h2>'
    explain = escape(
        say(
            "A blind spot: you rate yourself clearly higher than all others do; a hidden strength: clearly lower. "
            "Only scales are compared, not composites."
        )
    )
    flagged = [(s, report.scales[s.id]) for s in instrument.scales if report.scales[s.id].flag]
    if not flagged:
        return f'<section aria-labelledby="gaps">{heading}<p>{explain}</p><p>{context.word("No gap reaches the threshold.")}</p></section>'
    flags = {"blind spot": say("blind spot"), "hidden strength": say("hidden strength")}
    rows = "".join(
        f'<tr><th scope="row">{context.text(s.title)}</th><td class="num">{context.number(f.gap, signed=True)}</td>'  # type: ignore[arg-type]
        f'<td class="flag">{escape(flags[f.flag])}</td></tr>'  # type: ignore[index]
        for s, f in flagged
    )
    head = (
        f'<thead><tr><th scope="col">{context.word("Scale")}</th><th scope="col">{context.word("Self − all others")}</th>'
        f'<th scope="col">{context.word("Finding")}</th></tr></thead>'
    )
    return (
        f'<section aria-labelledby="gaps">{heading}<p>{explain}</p>'
        f'<div class="wide" tabindex="0" role="region" aria-labelledby="gaps"><table>{head}<tbody>{rows}</tbody></table></div></section>'
    )


def _ranked(context: _Context, report: FeedbackReport | GroupReport, *, everyone: str) -> list[str]:
    """The highest and lowest rated items, and how many more tie with the last one named."""
    say = context.say
    texts = {i.id: i.text for i in context.instrument.items}
    means = {i: f.all_others.mean for i, f in report.items.items() if f.all_others is not None}
    if everyone == _ALL_OTHERS:
        top, bottom = (
            say("Strengths (highest rated by all others)"),
            say("Development areas (lowest rated by all others)"),
        )
    else:
        top, bottom = say("Strengths (highest rated by everyone)"), say("Development areas (lowest rated by everyone)")
    headings = (("strengths", top, report.top_items), ("development", bottom, report.bottom_items))
    parts = []
    for anchor, heading, ids in headings:
        parts.append(f'<section aria-labelledby="{anchor}"><h2 id="{anchor}">{escape(heading)}</h2><ol>')
        parts.extend(f"<li>{context.text(texts[i])} ({context.number(means[i])})</li>" for i in ids)
        parts.append("</ol>")
        if ids:  # Items with the same mean as the last one listed are as high (or low): say so.
            tied = sum(1 for i, mean in means.items() if mean == means[ids[-1]] and i not in ids)
            if tied:
                parts.append(
                    "<p>"
                    + escape(
                        say.plural(
                            "And {count} more item with the same mean ({mean}): as high or as low as the last one listed.",
                            "And {count} more items with the same mean ({mean}): as high or as low as the last one listed.",
                            tied,
                            mean=context.number(means[ids[-1]]),
                        )
                    )
                    + "</p>"
                )
        parts.append("</section>")
    return parts


def _items(context: _Context, report: FeedbackReport | GroupReport, *, everyone: str) -> list[str]:
    """Item detail: one table, the items under their scales, each item's mean per shown group with n."""
    _say, instrument = context.say, context.instrument
    groups = _groups(list(report.items.values()))
    head = "".join(f'<th scope="col">{escape(context.group(g, everyone=everyone))}</th>' for g in groups)
    bodies = []
    listed: set[str] = set()
    for scale in instrument.scales:
        if all(i in listed for i in scale.items):
            continue  # A total of items already shown under their own scales.
        listed.update(scale.items)
        rows = [
            f'<tr class="scale"><th colspan="{len(groups) + 1}" scope="rowgroup">{context.text(scale.title)}</th></tr>'
        ]
        for item_id in scale.items:
            feedback = report.items[item_id]
            cells = []
            for group in groups:
                figure = feedback.all_others if group == ALL_OTHERS else feedback.group(group)
                cells.append(
                    '<td class="num">–</td>'
                    if figure is None
                    else f'<td class="num">{context.number(figure.mean)} <span class="n">({figure.n_raters})</span></td>'
                )
            keyed = f' <span class="n">({context.word("reverse keyed")})</span>' if scale.is_reversed(item_id) else ""
            text = context.text(instrument.item(item_id).text)
            rows.append(f'<tr><th scope="row">{text}{keyed}</th>{"".join(cells)}</tr>')
        bodies.append(f"<tbody>{''.join(rows)}</tbody>")
    return [
        (
            f'<section aria-labelledby="items"><h2 id="items">{context.word("Item detail")}</h2>'
            f"<p>{context.word('Each item’s mean per group; in brackets, how many raters answered it.')}</p>"
            f'<div class="wide" tabindex="0" role="region" aria-labelledby="items"><table class="items">'
            f'<thead><tr><th scope="col">{context.word("Item")}</th>{head}</tr></thead>{"".join(bodies)}</table></div></section>'
        )
    ]


def _privacy(context: _Context, report: FeedbackReport | GroupReport) -> str:
    """What is not shown, and why: each reason once, in the report's language."""
    say = context.say
    name = _namer(context)
    lines: list[str] = []
    audited = [*report.scales.values(), *report.composites.values(), *report.items.values()]
    withheld: dict[str, list[str]] = {}
    for feedback in audited:
        for note in feedback.notes:
            if note.code == "withheld":
                for group in dict(note.params)["groups"]:
                    withheld.setdefault(group, []).append(name(feedback.id))
                continue
            line = escape(note.shown(context.lang, name))
            if line not in lines:
                lines.append(line)
    # Notes on the ratings as a whole (how many were set aside, how many answered alike throughout).
    lines.extend(escape(note.shown(context.lang)) for note in getattr(report, "rater_notes", ()))
    for group, where in withheld.items():
        unique = list(dict.fromkeys(where))  # A one-item scale and its item have one title.
        lines.append(
            escape(
                say(
                    "{group}: withheld for {scores}: together with the other figures, they would give away one rater's answers",
                    group=name(group),
                    scores="; ".join(unique),
                )
            )
        )
    heading = f'<h2 id="privacy">{context.word("Privacy: what is not shown, and why")}</h2>'
    body = (
        "<ul>" + "".join(f"<li>{line}</li>" for line in lines) + "</ul>"
        if lines
        else f"<p>{context.word('Every group reached its minimum.')}</p>"
    )
    return f'<section aria-labelledby="privacy">{heading}{body}</section>'


# --- the item analysis ----------------------------------------------------------------------

_REASONS = (
    N_("a single-item scale has no alpha"),
    N_("too few respondents answered both items of a pair"),
    N_("the items' total variance is 0"),
)
# The indices of the data-quality table: field, name, and whether high (True) or low values are extreme.
_INDICES = (
    ("longstring", N_("longest run of identical answers"), True),
    ("average_run", N_("mean run length"), True),
    ("irv", N_("response variability (IRV)"), False),
    ("mahalanobis", N_("Mahalanobis distance (D²)"), True),
    ("even_odd", N_("even-odd consistency"), False),
    ("synonyms", N_("psychometric synonyms"), False),
)
_EXTREMES = 5  # Respondents named per index.


def _analysis_report(context: _Context, report: ReliabilityReport, quality: QualityReport | None) -> list[str]:
    """An analyst's page: reliability per scale, each scale's items, the keying audit, data quality, methods."""
    parts = [_reliability_table(context, report)]
    parts.extend(_scale_items(context, scale) for scale in report.scales.values() if scale.n_items > 1)
    parts.append(_keying(context, report))
    if quality is not None:
        parts.append(_quality_table(context, quality))
    parts.append(_methods(context, report, quality))
    return parts


def _cell(context: _Context, value: float | None, places: int = 2) -> str:
    return f'<td class="num">{"–" if value is None else context.number(value, places)}</td>'


def _interval(context: _Context, interval: tuple[float, float] | None) -> str:
    if interval is None:
        return '<td class="num">–</td>'
    return f'<td class="num">{context.number(interval[0])} – {context.number(interval[1])}</td>'


def _reliability_table(context: _Context, report: ReliabilityReport) -> str:
    boot = report.bootstrap is not None
    columns = (
        "Scale", "respondents", "alpha", "interval", "standardized alpha", "omega", *(("interval",) if boot else ()),
        "lambda 6", "mean r", "median r", "signal-to-noise", "mean", "SD",
    )  # fmt: skip
    head = "".join(f'<th scope="col">{context.word(c)}</th>' for c in columns)
    rows = []
    for scale in report.scales.values():
        title = context.text(context.scale(scale.id).title)
        if scale.alpha is None:
            reason = escape(context.say(scale.reason)) if scale.reason in _REASONS else escape(scale.reason or "")
            rows.append(
                f'<tr><th scope="row">{title}</th><td class="num">{scale.n_respondents}</td>'
                f'<td colspan="{len(columns) - 2}">{reason}</td></tr>'
            )
            continue
        rows.append(
            f'<tr><th scope="row">{title}</th><td class="num">{scale.n_respondents}</td>'
            f"{_cell(context, scale.alpha)}{_interval(context, scale.alpha_ci_feldt)}"
            f"{_cell(context, scale.alpha_standardized)}{_cell(context, scale.omega_total)}"
            f"{_interval(context, scale.omega_ci_bootstrap) if boot else ''}{_cell(context, scale.lambda_6)}"
            f"{_cell(context, scale.average_r)}{_cell(context, scale.median_r)}{_cell(context, scale.signal_to_noise)}"
            f"{_cell(context, scale.mean)}{_cell(context, scale.sd)}</tr>"
        )
    explain = context.word(
        "Cronbach’s alpha, raw and standardized, with Feldt’s interval; McDonald’s omega total; Guttman’s lambda 6; the mean and median correlation between the scale’s items; signal-to-noise; and the scale score’s mean and SD. Each figure is computed as R’s psych package computes it."
    )
    return (
        f'<section aria-labelledby="reliability"><h2 id="reliability">{context.word("Reliability per scale")}</h2>'
        f'<p>{explain}</p><div class="wide" tabindex="0" role="region" aria-labelledby="reliability">'
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>"
    )


def _frequencies(context: _Context, item: ItemStatistics) -> str:
    """The item's answers as small bars, one per point of its scale, with their shares as the accessible name."""
    if not item.frequencies:
        return '<td class="num">–</td>'
    label = "; ".join(f"{answer}: {context.number(100 * share, 0)} %" for answer, share in item.frequencies)
    # Heights against the most frequent answer; an answer nobody gave keeps a sliver, to be seen as a place.
    most = max(share for _, share in item.frequencies) or 1
    bars = "".join(
        f'<span class="fbar" style="height:{max(share / most, 0.04) * 100:.1f}%"></span>'
        for _, share in item.frequencies
    )
    return f'<td><span class="freq" role="img" aria-label="{escape(label)}">{bars}</span></td>'


def _scale_items(context: _Context, scale: ScaleReliability) -> str:
    definition = context.scale(scale.id)
    columns = (
        "Item", "respondents", "mean", "SD", "corrected item-total r", "item-total r", "standardized item-total r",
        "alpha without it", "loading", "missing", "answers",
    )  # fmt: skip
    head = "".join(f'<th scope="col">{context.word(c)}</th>' for c in columns)
    rows = []
    for item in scale.items.values():
        text = context.text(context.instrument.item(item.id).text)
        keyed = f' <span class="n">({context.word("reverse keyed")})</span>' if definition.is_reversed(item.id) else ""
        flag = (
            f'<br><strong class="flag">{context.word("runs against the scale as keyed: check its key")}</strong>'
            if item.negatively_keyed
            else ""
        )
        missing = "–" if item.missing_share is None else f"{context.number(100 * item.missing_share, 0)} %"
        rows.append(
            f'<tr><th scope="row">{text}{keyed}{flag}</th><td class="num">{item.n_respondents}</td>'
            f"{_cell(context, item.mean)}{_cell(context, item.sd)}{_cell(context, item.corrected_item_total)}"
            f"{_cell(context, item.item_total)}{_cell(context, item.item_total_standardized)}"
            f"{_cell(context, item.alpha_if_deleted)}{_cell(context, item.loading)}"
            f'<td class="num">{missing}</td>{_frequencies(context, item)}</tr>'
        )
    anchor = f"items-{escape(scale.id)}"
    heading = context.word("Items of {scale}", scale=definition.title.shown_in(context.lang))
    return (
        f'<section aria-labelledby="{anchor}"><h3 id="{anchor}">{heading}</h3>'
        f'<div class="wide" tabindex="0" role="region" aria-labelledby="{anchor}">'
        f'<table class="analysis"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div></section>'
    )


def _keying(context: _Context, report: ReliabilityReport) -> str:
    flagged = [
        (scale, item) for scale in report.scales.values() for item in scale.items.values() if item.negatively_keyed
    ]
    heading = f'<h2 id="keying">{context.word("Keying")}</h2>'
    if not flagged:
        return f'<section aria-labelledby="keying">{heading}<p>{context.word("No item runs against its scale as keyed.")}</p></section>'
    explain = context.word(
        "These items correlate negatively with the rest of their scale as it is keyed. leadscore never re-keys from data: check the instrument’s keys."
    )
    lines = "".join(
        f"<li>{context.text(context.scale(scale.id).title)}: {context.text(context.instrument.item(item.id).text)} "
        f'<span class="n">(r = {context.number(item.corrected_item_total or 0)})</span></li>'
        for scale, item in flagged
    )
    return f'<section aria-labelledby="keying">{heading}<p>{explain}</p><ul>{lines}</ul></section>'


def _quality_table(context: _Context, quality: QualityReport) -> str:
    columns = (
        "index",
        "with a value",
        "lowest",
        "lower quartile",
        "median",
        "upper quartile",
        "highest",
        "most extreme",
    )
    head = "".join(f'<th scope="col">{context.word(c)}</th>' for c in columns)
    rows = []
    for field, name, high in _INDICES:
        present = [(getattr(p, field), p) for p in quality.respondents if getattr(p, field) is not None]
        values = sorted(v for v, _ in present)
        places = 0 if field == "longstring" else 2
        if values:
            cells = "".join(_cell(context, _quantile(values, q), places) for q in (0, 0.25, 0.5, 0.75, 1))
            extreme = sorted(present, key=lambda pair: pair[0], reverse=high)[:_EXTREMES]
            named = ", ".join(f"{escape(str(p.row))} ({context.number(v, places)})" for v, p in extreme)
        else:
            cells, named = '<td class="num">–</td>' * 5, "–"
        rows.append(
            f'<tr><th scope="row">{context.word(name)}</th><td class="num">{len(values)}</td>{cells}'
            f'<td class="n list">{named}</td></tr>'
        )
    reason = _mahalanobis_note(context, quality)
    notes = [f"<p>{reason}</p>"] if reason else []
    notes.append(_synonym_note(context, quality))
    explain = context.word(
        "Indices of careless responding, per respondent. They describe; nothing was set aside because of them."
    )
    return (
        f'<section aria-labelledby="quality"><h2 id="quality">{context.word("Data quality")}</h2><p>{explain}</p>'
        f'<div class="wide" tabindex="0" role="region" aria-labelledby="quality"><table><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>{''.join(notes)}</section>"
    )


def _quantile(values: Sequence[float], q: float) -> float:
    """The q-quantile of sorted *values*, by linear interpolation (R's type 7, NumPy's default)."""
    at = q * (len(values) - 1)
    low = int(at)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (at - low)


def _synonym_note(context: _Context, quality: QualityReport) -> str:
    r = context.number(quality.synonym_r)
    if not quality.synonym_pairs:
        return f"<p>{context.word('No item pairs correlate above {r}: there is no synonym index.', r=r)}</p>"
    pairs = "; ".join(f"{escape(a)} – {escape(b)} ({context.number(value)})" for a, b, value in quality.synonym_pairs)
    summary = context.word(
        "Psychometric synonyms: the item pairs that correlate above {r} ({count}).",
        r=r,
        count=len(quality.synonym_pairs),
    )
    return f'<details><summary>{summary}</summary><p class="n list">{pairs}</p></details>'


def _mahalanobis_note(context: _Context, quality: QualityReport) -> str | None:
    if quality.mahalanobis_reason is None:
        return None
    if quality.mahalanobis_n <= len(quality.order):
        reason = context.say(
            "{n} respondents answered every item; more than {m} are needed",
            n=quality.mahalanobis_n,
            m=len(quality.order),
        )
    else:
        reason = context.say(
            "the items' covariance matrix is singular (an item without variance, or items that move together)"
        )
    return f"{context.word('Mahalanobis distance (D²)')}: {escape(reason)}"


def _methods(context: _Context, report: ReliabilityReport, quality: QualityReport | None) -> str:
    lines = [
        context.word(
            "{n} answer sets; {excluded} set aside by the analyst.",
            n=report.n_respondents,
            excluded=len(report.excluded),
        )
    ]
    lines.append(
        context.word(
            "Missing answers: pairwise (each correlation from the respondents who answered both items)."
            if report.missing == "pairwise"
            else "Missing answers: listwise (per scale, only respondents who answered every item)."
        )
    )
    if report.level is not None:
        lines.append(context.word("Intervals at {level} %.", level=context.number(100 * report.level, 0)))
    lines.append(
        context.word(
            'Omega total: a one-factor minimum-residual fit of the items’ correlations, as psych’s omega(nfactors = 1, fm = "minres") reports omega.tot.'
        )
    )
    if report.bootstrap is not None:
        lines.append(
            context.word(
                "Omega’s interval: percentile bootstrap of {samples} samples of the respondents, seed {seed}.",
                samples=report.bootstrap,
                seed=report.seed,
            )
        )
    if quality is not None:
        lines.append(context.word("Items in the order presented: {order}.", order=", ".join(quality.order)))
    lines.append(
        context.word("The formulas and their checks against R’s psych and careless: docs/feedback-and-analysis.md.")
    )
    return (
        f'<section aria-labelledby="methods"><h2 id="methods">{context.word("How these figures were made")}</h2>'
        f"<ul>{''.join(f'<li>{line}</li>' for line in lines)}</ul></section>"
    )


_STYLE = """
:root{--ink:#1f1f1f;--muted:#555;--line:#c8c8c8;--track:#eeeeee}
*{box-sizing:border-box}
body{font-family:"DejaVu Sans",system-ui,sans-serif;color:var(--ink);margin:0;line-height:1.45;
 -webkit-print-color-adjust:exact;print-color-adjust:exact}
main{max-width:62rem;margin:0 auto;padding:1rem}
h1,h2{overflow-wrap:break-word;hyphens:auto}h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;margin:1.6rem 0 .4rem;border-bottom:1px solid var(--line)}
h3{font-size:1.05rem}
.instrument{font-size:1.1rem;margin:.2rem 0}.trace{color:var(--muted);font-size:.85rem;overflow-wrap:anywhere}
code{font-size:.85em}
.wide{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;margin:.6rem 0}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f3f3f3}td.num{text-align:right;white-space:nowrap}td.flag{white-space:nowrap;font-weight:bold}
tbody th{font-weight:normal}tr.scale th{font-weight:bold;background:#fafafa}
.n{color:var(--muted);font-size:.85em;white-space:nowrap}.n.list{white-space:normal}
figure.chart{margin:1rem 0 .4rem;break-inside:avoid;page-break-inside:avoid}
figcaption{margin-bottom:.3rem}figcaption .title{font-weight:bold;display:block}
figcaption .explain{display:block;color:var(--muted);font-size:.9rem}
.row{display:grid;grid-template-columns:minmax(7rem,14rem) 1fr 4.2rem;gap:.6rem;align-items:center;min-height:1.6rem}
.who{overflow-wrap:anywhere}.value{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.value.none{color:var(--muted);font-size:.85em;white-space:normal;text-align:left;grid-column:2 / 4}
.track{position:relative;height:1.1rem;background:var(--track);border-radius:2px}
.band{position:absolute;top:0;bottom:0}.b0{background:#f6d8c9}.b1{background:#dcebd5}.b2{background:#d3e1f0}
.mark{position:absolute;top:50%;width:.9rem;height:.9rem;margin:-.45rem 0 0 -.45rem;background:var(--c);border:1px solid #fff}
.circle{border-radius:50%}.square{}.diamond{transform:rotate(45deg) scale(.85)}
.box{background:#fff;border:.22rem solid var(--c)}
.ring{border-radius:50%;background:#fff;border:.22rem solid var(--c)}.bar{width:.35rem;margin-left:-.17rem;height:1.1rem;margin-top:-.55rem}
.ticks,.bandnames{position:relative;height:1.1rem;font-size:.75rem;color:var(--muted)}
.ticks span{position:absolute;transform:translateX(-50%)}
.bandnames span{position:absolute;top:0;text-align:center;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;color:var(--ink);font-size:.72rem}
.narrative{font-size:.92rem;margin:.2rem 0 1rem}
main.wide-report{max-width:82rem;page:wide}table.analysis,table.figures{font-size:.88rem}
.freq{display:inline-flex;align-items:flex-end;gap:2px;height:2rem;border-bottom:1px solid var(--muted)}
.fbar{display:inline-block;width:.5rem;background:#2c5f9e}.flag{color:#8c1d18;font-size:.85em}.source{color:var(--muted);font-size:.85em}
@media (max-width:40rem){
 main{padding:.6rem}.row{grid-template-columns:minmax(5rem,8rem) 1fr 3.6rem;gap:.4rem}
 .bandnames span{font-size:.6rem}
}
@page{margin:16mm 14mm 18mm;@bottom-right{content:counter(page) " / " counter(pages);font-size:9pt;color:#555}}
@page wide{size:landscape}
@media print{
 body{font-size:10pt}main{max-width:none;padding:0}
 h2{break-after:avoid;page-break-after:avoid}
 thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}
 .wide{overflow:visible}a{color:inherit}
 main.wide-report table{font-size:7pt}main.wide-report th,main.wide-report td{padding:.1rem .2rem}
 main.wide-report thead th{overflow-wrap:anywhere;hyphens:auto}
}
"""
