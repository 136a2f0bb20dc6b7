"""The item-analysis page: reliability per scale, item statistics and frequencies, keying, data quality."""

from __future__ import annotations

from html import escape

from leadscore._catalog import N_
from leadscore._consistency import ItemStatistics, ReliabilityReport, ScaleReliability
from leadscore._quality_report import QualityReport
from leadscore._stats import quantile
from leadscore.report._html import (
    Context,
)


__all__ = ["analysis_report"]


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


def analysis_report(context: Context, report: ReliabilityReport, quality: QualityReport | None) -> list[str]:
    """An analyst's page: reliability per scale, each scale's items, the keying audit, data quality, methods."""
    parts = [_reliability_table(context, report)]
    parts.extend(_scale_items(context, scale) for scale in report.scales.values() if scale.n_items > 1)
    parts.append(_keying(context, report))
    if quality is not None:
        parts.append(_quality_table(context, quality))
    parts.append(_methods(context, report, quality))
    return parts


def _cell(context: Context, value: float | None, places: int = 2) -> str:
    return f'<td class="num">{"–" if value is None else context.number(value, places)}</td>'


def _interval(context: Context, interval: tuple[float, float] | None) -> str:
    if interval is None:
        return '<td class="num">–</td>'
    return f'<td class="num">{context.number(interval[0])} – {context.number(interval[1])}</td>'


def _reliability_table(context: Context, report: ReliabilityReport) -> str:
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


def _frequencies(context: Context, item: ItemStatistics) -> str:
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


def _scale_items(context: Context, scale: ScaleReliability) -> str:
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


def _keying(context: Context, report: ReliabilityReport) -> str:
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


def _quality_table(context: Context, quality: QualityReport) -> str:
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
            cells = "".join(_cell(context, quantile(values, q), places) for q in (0, 0.25, 0.5, 0.75, 1))
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


def _synonym_note(context: Context, quality: QualityReport) -> str:
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


def _mahalanobis_note(context: Context, quality: QualityReport) -> str | None:
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


def _methods(context: Context, report: ReliabilityReport, quality: QualityReport | None) -> str:
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
