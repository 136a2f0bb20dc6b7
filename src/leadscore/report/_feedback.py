"""The 360 and group pages: profiles per rater group, gaps, strengths, items in detail, what is withheld."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from leadscore._aggregate import ALL_OTHERS, MANAGER, SELF, FeedbackReport, ScoreFeedback
from leadscore._group_report import GroupReport
from leadscore._model import Composite, Scale
from leadscore.report._html import (
    ALL_OTHERS_LABEL,
    EVERYONE_LABEL,
    Context,
    Mark,
    group_namer,
    scale_block,
)


__all__ = ["feedback_report", "group_report"]


def feedback_report(context: Context, report: FeedbackReport) -> list[str]:
    say = context.say
    parts = [_counts(context, say("Raters per group"), report.raters)]
    parts.extend(_profiles(context, report, everyone=ALL_OTHERS_LABEL))
    parts.append(_gaps(context, report))
    parts.extend(_ranked(context, report, everyone=ALL_OTHERS_LABEL))
    parts.extend(_items(context, report, everyone=ALL_OTHERS_LABEL))
    parts.append(_privacy(context, report))
    return parts


def group_report(context: Context, report: GroupReport) -> list[str]:
    say = context.say
    parts = [_counts(context, say("Answer sets per group"), report.people)]
    parts.extend(_profiles(context, report, everyone=EVERYONE_LABEL))
    parts.extend(_ranked(context, report, everyone=EVERYONE_LABEL))
    parts.extend(_items(context, report, everyone=EVERYONE_LABEL))
    parts.append(_privacy(context, report))
    return parts


def _counts(context: Context, heading: str, counts: Sequence[tuple[str, int]]) -> str:
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


def _marks(context: Context, feedback: ScoreFeedback, groups: Sequence[str], everyone: str) -> list[Mark]:
    marks = []
    for style, group in enumerate(groups):
        figure = feedback.all_others if group == ALL_OTHERS else feedback.group(group)
        label = context.group(group, everyone=everyone)
        if figure is None:
            note = context.say("withheld") if group in feedback.withheld else context.say("not shown")
            marks.append(Mark(label, None, note=note, style=style))
        else:
            marks.append(Mark(label, figure.mean, n=figure.n_raters, style=style))
    return marks


def _profiles(context: Context, report: FeedbackReport | GroupReport, *, everyone: str) -> list[str]:
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
        parts.append(scale_block(context, definition, marks, banded))
    parts.append("</section>")
    return parts


def _gaps(context: Context, report: FeedbackReport) -> str:
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


def _ranked(context: Context, report: FeedbackReport | GroupReport, *, everyone: str) -> list[str]:
    """The highest and lowest rated items, and how many more tie with the last one named."""
    say = context.say
    texts = {i.id: i.text for i in context.instrument.items}
    means = {i: f.all_others.mean for i, f in report.items.items() if f.all_others is not None}
    if everyone == ALL_OTHERS_LABEL:
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


def _items(context: Context, report: FeedbackReport | GroupReport, *, everyone: str) -> list[str]:
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


def _unanimous(context: Context, report: FeedbackReport | GroupReport) -> bool:
    """Whether the report shows an item's group mean at an end of its scale (everyone gave that answer)."""
    for feedback in report.items.values():
        response = context.instrument.item(feedback.id).response
        figures = [*feedback.groups, *([feedback.all_others] if feedback.all_others else [])]
        if any(not f.identifiable and f.mean in (response.min, response.max) for f in figures):
            return True
    return False


def _privacy(context: Context, report: FeedbackReport | GroupReport) -> str:
    """What is not shown, and why: each reason once, in the report's language."""
    say = context.say
    name = group_namer(context)
    lines: list[str] = []
    audited = [*report.scales.values(), *report.composites.values(), *report.items.values()]
    withheld: dict[str, list[str]] = {}
    for feedback in audited:
        for note in feedback.notes:
            if note.code == "spread-withheld":
                continue  # The page shows no SD or r_wg: the report object says which were withheld.
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
    if _unanimous(context, report):
        lines.append(
            escape(
                say(
                    "A group mean at the lowest or highest answer means that everyone in that group gave that "
                    "answer: this report shows such figures."
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
