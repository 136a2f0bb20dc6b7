"""The self-assessment page: one person's scores, the bands reached, and the answers given."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from leadscore._model import Composite, Scale
from leadscore._results import CompositeScore, Result, ScaleScore
from leadscore.report._html import (
    Context,
    Mark,
    reason_of,
    scale_block,
    score_chart,
)


__all__ = ["self_report"]


def self_report(context: Context, result: Result, answers: Mapping[str, Any] | None) -> list[str]:
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
    shared: dict[tuple[float, float], list[Mark]] = {}
    banded = []
    for definition in definitions:
        got = scores[definition.id]
        note = "" if got.reason_code is None else reason_of(context, got)
        if definition.bands:
            mark = Mark(say("Self"), got.value, note=note)
            banded.append(scale_block(context, definition, [mark], [(say("Self"), got.value)]))
        else:
            label = definition.title.shown_in(context.lang)
            shared.setdefault(instrument.score_range(definition.id), []).append(Mark(label, got.value, note=note))
    parts.extend(score_chart(context, span, marks, (), "") for span, marks in shared.items())
    parts.extend(banded)
    parts.append("</section>")
    if answers is not None:
        parts.append(_answers_table(context, answers))
    return parts


def _answers_table(context: Context, answers: Mapping[str, Any]) -> str:
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
