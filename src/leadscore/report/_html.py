"""
A self-contained HTML report of one person's 360: charts, tables, gaps, strengths.

One file, no scripts, no network: styles and SVG charts are inline. Every text, including
item texts and names from third-party plugins, is escaped with `html.escape`, so no
instrument can inject markup or script. Only what `leadscore.aggregate` shows is drawn, so
its privacy rules hold in the report.
"""

from __future__ import annotations

import math

from collections.abc import Sequence
from html import escape
from typing import Any

from leadscore._aggregate import ALL_OTHERS, FeedbackReport, GroupFigure, ScoreFeedback
from leadscore._model import Composite, Instrument, Scale
from leadscore._plan import pomp
from leadscore._text import LocalizedText
from leadscore.errors import InvalidArgumentError


__all__ = ["render_360"]

_STYLE = (
    "<style>"
    "body{font-family:sans-serif;margin:2em;max-width:70em;color:#222}"
    "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}"
    "td:first-child,th:first-child{text-align:left}.legend span{display:inline-block;margin-right:1.5em}"
    ".swatch{display:inline-block;width:1em;height:1em;margin-right:.3em;vertical-align:middle}"
    "</style></head><body>"
)
_COLOURS = {"self": "#d1495b", "manager": "#edae49", ALL_OTHERS: "#00798c", "merged": "#6a4c93"}
_PALETTE = ["#30638e", "#8a9a5b", "#c97b63", "#4f772d", "#b56576"]
_WORDS = {
    "en": {
        "report": "360 feedback report",
        "for": "for",
        "raters": "Raters per group",
        "profile": "Profile (percent of maximum possible)",
        "scores": "Scores per group",
        "score": "Score",
        "all-others": "All others",
        "self": "Self",
        "manager": "Manager",
        "merged": "Merged small groups",
        "peers": "Peers",
        "direct_reports": "Direct reports",
        "others": "Others",
        "gap": "Self − others",
        "band": "Band (all others)",
        "gaps": "Blind spots and hidden strengths",
        "blind spot": "blind spot",
        "hidden strength": "hidden strength",
        "no gaps": "No gap reaches the threshold.",
        "ties": "And {count} more item(s) with the same mean ({mean:.2f}): as high or as low as the last one listed.",
        "strengths": "Strengths (highest rated by others)",
        "development": "Development areas (lowest rated by others)",
        "privacy": "Privacy: what is not shown, and why",
        "nothing hidden": "Every group reached its minimum.",
        "profile gaps": "Dots without a line: that group has no figure on the axes in between (see the table).",
        "withheld": "withheld: together with the other figures, they would give away one rater's answers",
        "notes": "About this instrument",
        "norms": "There are no norms: figures describe these raters only.",
    },
    "nl": {
        "report": "360-gradenfeedback",
        "for": "voor",
        "raters": "Beoordelaars per groep",
        "profile": "Profiel (procent van het maximaal mogelijke)",
        "scores": "Scores per groep",
        "score": "Score",
        "all-others": "Alle anderen",
        "self": "Zelf",
        "manager": "Leidinggevende",
        "merged": "Samengevoegde kleine groepen",
        "peers": "Collega's",
        "direct_reports": "Medewerkers",
        "others": "Anderen",
        "gap": "Zelf − anderen",
        "band": "Band (alle anderen)",
        "gaps": "Blinde vlekken en verborgen sterktes",
        "blind spot": "blinde vlek",
        "hidden strength": "verborgen sterkte",
        "no gaps": "Geen verschil bereikt de drempel.",
        "ties": "En nog {count} item(s) met hetzelfde gemiddelde ({mean:.2f}): even hoog of laag als het laatste hierboven.",
        "strengths": "Sterke punten (hoogst beoordeeld door anderen)",
        "development": "Ontwikkelpunten (laagst beoordeeld door anderen)",
        "privacy": "Privacy: wat niet getoond wordt, en waarom",
        "nothing hidden": "Elke groep haalde haar minimum.",
        "profile gaps": "Punten zonder lijn: die groep heeft op de assen ertussen geen cijfer (zie de tabel).",
        "withheld": "achtergehouden: samen met de andere cijfers zouden ze de antwoorden van één beoordelaar verraden",
        "notes": "Over dit instrument",
        "norms": "Er zijn geen normen: de cijfers beschrijven alleen deze beoordelaars.",
    },
}


def render_360(instrument: Instrument, report: FeedbackReport, *, lang: str = "en", person: str | None = None) -> str:
    """
    Render *report* (from `leadscore.aggregate`) as one self-contained HTML page.

    Args:
        instrument: The instrument the report is on (for titles and item texts).
        report: The aggregated 360.
        lang: ``"en"`` or ``"nl"``.
        person: The name to show, if any (escaped like every other text).

    .. versionadded:: 0.1.0
    """
    if lang not in _WORDS:
        raise InvalidArgumentError(f"lang must be one of {sorted(_WORDS)} (got {lang!r})")
    words = _WORDS[lang]

    def text(value: LocalizedText | None) -> str:
        return "" if value is None else escape(value.shown_in(lang))

    definitions: dict[str, Scale | Composite] = {s.id: s for s in instrument.scales} | {
        c.id: c for c in instrument.composites
    }
    figures = [*report.scales.values(), *report.composites.values()]
    groups = _groups(figures)
    title = text(instrument.title)
    who = f" {words['for']} {escape(person)}" if person else ""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8"><title>{title}{who}</title>',
        _STYLE,
        f"<h1>{escape(words['report'])}{who}</h1><p>{title} ({escape(instrument.id)} {escape(instrument.version)})</p>",
        f"<h2>{escape(words['raters'])}</h2><p>"
        + ", ".join(f"{escape(_name(g, words))}: {n}" for g, n in report.raters)
        + "</p>",
        f"<h2>{escape(words['profile'])}</h2>",
        _radar(instrument, list(report.scales.values()), groups, text, words),
        _legend(groups, words),
        f"<h2>{escape(words['scores'])}</h2>",
        _table(definitions, figures, groups, text, words),
    ]
    parts.extend(
        _balance(instrument, c, report.composites[c.id], groups, text, words)
        for c in instrument.composites
        if c.method == "difference" and c.bands
    )
    parts.append(f"<h2>{escape(words['gaps'])}</h2>")
    # Blind spots and hidden strengths of scales only: a composite (a balance, a total) is no
    # strength, and a one-item scale's item would say it twice.
    flagged = [f for f in report.scales.values() if f.flag]
    item_texts = {i.id: i.text for i in instrument.items}
    if flagged:
        parts.append("<ul>")
        parts.extend(
            f"<li>{text(definitions[f.id].title)}: {escape(words[f.flag])} ({f.gap:+.2f})</li>"  # type: ignore[index]
            for f in flagged
        )
        parts.append("</ul>")
    else:
        parts.append(f"<p>{escape(words['no gaps'])}</p>")
    means = {i: f.all_others.mean for i, f in report.items.items() if f.all_others is not None}
    for heading, ids in (("strengths", report.top_items), ("development", report.bottom_items)):
        parts.append(f"<h2>{escape(words[heading])}</h2><ol>")
        parts.extend(f"<li>{text(item_texts[i])} ({means[i]:.2f})</li>" for i in ids)
        parts.append("</ol>")
        if ids:  # Items with the same mean as the last one listed are as high (or low): say so.
            tied = sum(1 for i, mean in means.items() if mean == means[ids[-1]] and i not in ids)
            if tied:
                parts.append(f"<p>{escape(words['ties'].format(count=tied, mean=means[ids[-1]]))}</p>")
    audited = [*figures, *report.items.values()]
    # The audit's notes are said per score, in the report's language; the size rules' lines as they are.
    hidden = sorted({escape(line) for f in audited for line in f.suppressed if "withheld" not in line})
    for f in audited:
        if f.withheld:
            name = text(definitions[f.id].title) if f.id in definitions else text(item_texts[f.id])
            groups_named = ", ".join(escape(_name(g, words)) for g in f.withheld)
            line = f"{name}: {groups_named}: {escape(words['withheld'])}"
            if line not in hidden:  # A single-item scale and its item say the same.
                hidden.append(line)
    parts.append(f"<h2>{escape(words['privacy'])}</h2>")
    parts.append(
        "<ul>" + "".join(f"<li>{line}</li>" for line in hidden) + "</ul>"
        if hidden
        else f"<p>{escape(words['nothing hidden'])}</p>"
    )
    parts.append(f"<h2>{escape(words['notes'])}</h2><p>{text(instrument.notes)}</p><p>{escape(words['norms'])}</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _name(group: str, words: dict[str, str]) -> str:
    return words.get(group, group.replace("_", " "))


def _groups(figures: list[ScoreFeedback]) -> list[str]:
    seen: list[str] = []
    for feedback in figures:
        for figure in feedback.groups:
            if figure.group not in seen:
                seen.append(figure.group)
    return [*seen, ALL_OTHERS]


def _colour(group: str, groups: list[str]) -> str:
    return _COLOURS.get(group) or _PALETTE[groups.index(group) % len(_PALETTE)]


def _figure(feedback: ScoreFeedback, group: str) -> GroupFigure | None:
    return feedback.all_others if group == ALL_OTHERS else feedback.group(group)


def _percent(value: float, score_range: tuple[float, float]) -> float:
    """Where *value* lies in its score's range, in percent: POMP, as the plan computes it."""
    low, high = score_range
    return pomp(value, low, high - low)


def _radar(
    instrument: Instrument, scales: Sequence[ScoreFeedback], groups: list[str], text: Any, words: dict[str, str]
) -> str:
    width, height, radius = 760, 440, 170
    cx, cy = width / 2, height / 2
    count = len(scales)
    if count < 3:
        return ""
    titles = {s.id: s.title for s in instrument.scales}
    angle = [2 * math.pi * i / count - math.pi / 2 for i in range(count)]
    svg = [f'<svg id="profile" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    for ring in (25, 50, 75, 100):
        ring_points = " ".join(_point(cx, cy, radius * ring / 100, a) for a in angle)
        svg.append(f'<polygon points="{ring_points}" fill="none" stroke="#ddd"/>')
    for a, feedback in zip(angle, scales, strict=True):
        end_x, end_y = _point(cx, cy, radius, a).split(",")
        svg.append(f'<line x1="{cx}" y1="{cy}" x2="{end_x}" y2="{end_y}" stroke="#ccc"/>')
        anchor = "middle" if abs(math.cos(a)) < 0.3 else ("start" if math.cos(a) > 0 else "end")
        x, y = _point(cx, cy, radius + 16, a).split(",")
        svg.append(f'<text x="{x}" y="{y}" font-size="11" text-anchor="{anchor}">{text(titles[feedback.id])}</text>')
    gaps = False
    for group in groups:
        shown = [_figure(f, group) for f in scales]
        at = [
            None
            if figure is None
            else _point(cx, cy, radius * _percent(figure.mean, instrument.score_range(f.id)) / 100, a)
            for a, f, figure in zip(angle, scales, shown, strict=True)
        ]
        if all(point is None for point in at):
            continue
        colour = _colour(group, groups)
        title = f"<title>{escape(_name(group, words))}</title>"
        if None not in at:
            svg.append(
                f'<polygon class="group" data-group="{escape(group)}" points="{" ".join(at)}" fill="{colour}" '  # type: ignore[arg-type]
                f'fill-opacity="0.15" stroke="{colour}" stroke-width="2">{title}</polygon>'
            )
            continue
        # Not shown on some axes: lines only between neighbouring axes where it is shown, and a
        # dot on each axis where it is, so that no line passes through a figure that is not there.
        gaps = True
        parts = [f'<g class="group partial" data-group="{escape(group)}" stroke="{colour}" stroke-width="2">{title}']
        for i, point in enumerate(at):
            following = at[(i + 1) % count]
            if point is not None and following is not None:
                (x1, y1), (x2, y2) = point.split(","), following.split(",")
                parts.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>')
            if point is not None:
                x, y = point.split(",")
                parts.append(f'<circle cx="{x}" cy="{y}" r="3.5" fill="{colour}"/>')
        svg.append("".join(parts) + "</g>")
    if gaps:
        svg.append(f'<text x="8" y="{height - 8}" font-size="11">{escape(words["profile gaps"])}</text>')
    svg.append("</svg>")
    return "".join(svg)


def _point(cx: float, cy: float, r: float, a: float) -> str:
    return f"{cx + r * math.cos(a):.1f},{cy + r * math.sin(a):.1f}"


def _legend(groups: list[str], words: dict[str, str]) -> str:
    spans = "".join(
        f'<span><i class="swatch" style="background:{_colour(g, groups)}"></i>{escape(_name(g, words))}</span>'
        for g in groups
    )
    return f'<p class="legend">{spans}</p>'


def _table(
    definitions: dict[str, Scale | Composite],
    figures: list[ScoreFeedback],
    groups: list[str],
    text: Any,
    words: dict[str, str],
) -> str:
    head = "".join(f"<th>{escape(_name(g, words))}</th>" for g in groups)
    # A band column only where some score has bands: no column that is empty in every row.
    banded = any(definitions[f.id].bands for f in figures)
    band_head = f"<th>{escape(words['band'])}</th>" if banded else ""
    rows = [f"<table><tr><th>{escape(words['score'])}</th>{head}<th>{escape(words['gap'])}</th>{band_head}</tr>"]
    for feedback in figures:
        definition = definitions[feedback.id]
        cells = []
        for group in groups:
            figure = _figure(feedback, group)
            cells.append(
                "<td>–</td>" if figure is None else f"<td>{figure.mean:.2f} <small>(n={figure.n_raters})</small></td>"
            )
        gap = (
            ""
            if feedback.gap is None
            else f"{feedback.gap:+.2f}" + (f" <b>{escape(words[feedback.flag])}</b>" if feedback.flag else "")
        )
        band = ""
        if feedback.all_others is not None and definition.bands:
            holding = [b for b in definition.bands if b.lower <= feedback.all_others.mean] or [definition.bands[0]]
            band = text(holding[-1].label)
        band_cell = f"<td>{band}</td>" if banded else ""
        rows.append(f"<tr><td>{text(definition.title)}</td>{''.join(cells)}<td>{gap}</td>{band_cell}</tr>")
    rows.append("</table>")
    return "".join(rows)


def _balance(  # noqa: PLR0917 - a private helper of render_360
    instrument: Instrument,
    definition: Composite,
    feedback: ScoreFeedback,
    groups: list[str],
    text: Any,
    words: dict[str, str],
) -> str:
    """A horizontal bar of the difference's bands, with a marker per shown group."""
    low, high = instrument.score_range(feedback.id)
    width, left = 600, 20
    svg = [
        f'<h2>{text(definition.title)}</h2><svg class="balance" xmlns="http://www.w3.org/2000/svg" width="{width + 2 * left}" height="110" role="img">'
    ]
    shades = ["#f4d6cc", "#e8f1e4", "#d6e4f0", "#efe3f4"]
    for index, band in enumerate(definition.bands):
        x0 = left + width * _percent(band.lower, (low, high)) / 100
        x1 = left + width * _percent(band.upper, (low, high)) / 100
        svg.append(
            f'<rect x="{x0:.1f}" y="30" width="{x1 - x0:.1f}" height="30" fill="{shades[index % len(shades)]}"/>'
        )
        svg.append(
            f'<text x="{(x0 + x1) / 2:.1f}" y="80" font-size="11" text-anchor="middle">{text(band.label)}</text>'
        )
    for group in groups:
        figure = _figure(feedback, group)
        if figure is None:
            continue
        x = left + width * _percent(figure.mean, (low, high)) / 100
        colour = _colour(group, groups)
        svg.append(
            f'<circle cx="{x:.1f}" cy="45" r="7" fill="{colour}"><title>{escape(_name(group, words))}: {figure.mean:+.2f}</title></circle>'
        )
    svg.append("</svg>")
    return "".join(svg)
