"""
A self-contained HTML form: a person fills it in in a browser and saves the answers as a file.

One page, no server and nothing fetched: its style and script are in the page. Each item is
a group of radio buttons (a ``fieldset`` with the item's text as its ``legend``; every point
labelled, the not-applicable answer last; a button takes an answer back); the texts of every
language of the survey are in
the page, each marked with its ``lang``, and a list switches between them (without
scripts, the first language shows). "Save answers" writes a JSON file::

    {"format": "leadscore-form", "format_version": 1, "instrument": ..., "version": ...,
     "fingerprint": ..., "language": "nl", "saved": "2026-11-30T17:00:00.000Z",
     "respondent": "...", "answers": {"stays-calm": 4, "accepts-the-individual": null, ...}}

which ``leadscore score`` and `leadscore.readers.read_responses` read, checking the
instrument, version and fingerprint against the installed instrument. An unanswered item
is ``null``: not answered. Nothing leaves the browser but the file the person saves.
"""

from __future__ import annotations

import json

from html import escape

from leadscore._canonical import fingerprint
from leadscore._catalog import N_, catalogue_languages, interface_language, words
from leadscore.surveys._common import Survey, degraded


__all__ = ["FORM_FORMAT", "form"]

# The form's own words, in the catalogues (make catalogues).
_LANGUAGE = N_("Language")
_PRIVACY = N_(
    "This form runs in your browser alone: nothing is sent anywhere. Save your answers as a file "
    "and give it to the person who scores them."
)
_WHO = N_("Your name or a code (optional; it is saved in the file)")
_PROGRESS = N_("{answered} of {total} questions answered")
_SAVED = N_("Your answers are saved as {file}.")
_SAVE = N_("Save answers")
_CLEAR = N_("Clear answer")
#: Answers whose words are longer than this are listed one under another, not side by side.
_SHORT = 12
#: The ``format`` of a saved form file.
FORM_FORMAT = "leadscore-form"

_STYLE = """
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #8a8a8a; --accent: #1d4f91; }
* { box-sizing: border-box; }
body { margin: 0; font: 1.0625rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: #fff; }
main { max-width: 46rem; margin: 0 auto; padding: 1.25rem 1rem 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 .75rem; }
.intro, .privacy { color: var(--muted); }
.language { margin: 0 0 1rem; }
.language select, .who input { font: inherit; padding: .35rem .5rem; border: 1px solid var(--line);
  border-radius: 4px; }
.who { margin: 1rem 0 1.5rem; }
.who label { display: block; font-weight: 600; margin-bottom: .25rem; }
.who input { width: min(100%, 22rem); }
fieldset { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 1rem; padding: .75rem 1rem 1rem; }
/* A floated legend sits inside its box, so a long item text wraps like any paragraph. */
legend { float: left; width: 100%; font-weight: 600; padding: 0; margin-bottom: .5rem; }
.points { clear: both; display: grid; grid-template-columns: repeat(auto-fit, minmax(7rem, 1fr)); gap: .5rem; }
.points label { display: flex; align-items: center; gap: .5rem; min-height: 2.75rem; padding: .35rem .6rem;
  border: 1px solid var(--line); border-radius: 4px; cursor: pointer; }
.points label.na { grid-column: 1 / -1; }
/* Answers with words of their own (poles, labels) are listed one under another. */
.points.list { grid-template-columns: 1fr; }
.points input { flex: none; width: 1.25rem; height: 1.25rem; margin: 0; accent-color: var(--accent); }
.points label:has(input:checked) { border-color: var(--accent); box-shadow: inset 0 0 0 2px var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.actions { position: sticky; bottom: 0; background: #fff; padding: .5rem 0; border-top: 1px solid var(--line);
  display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem; }
.actions p { margin: 0; font-size: .9375rem; }
button { font: inherit; font-weight: 600; color: #fff; background: var(--accent); border: 0; border-radius: 4px;
  padding: .6rem 1.2rem; min-height: 2.75rem; cursor: pointer; }
button.clear { color: var(--accent); background: #fff; border: 1px solid var(--accent); font-weight: 400;
  margin-top: .5rem; padding: .3rem .8rem; min-height: 2.75rem; }
[hidden] { display: none !important; }
"""

_SCRIPT = """
(function () {
  "use strict";
  var survey = JSON.parse(document.getElementById("leadscore-survey").textContent);
  var form = document.getElementById("answers");
  var picker = document.getElementById("language");
  var status = document.getElementById("status");
  var language = survey.languages[0];
  function show(lang) {
    language = lang;
    document.documentElement.lang = lang;
    document.title = survey.titles[lang];
    var marked = document.querySelectorAll("[data-lang]");
    for (var i = 0; i < marked.length; i++) { marked[i].hidden = marked[i].getAttribute("data-lang") !== lang; }
    count();
  }
  function chosen(index) {
    var checked = form.querySelector('input[name="item' + index + '"]:checked');
    return checked ? Number(checked.value) : null;
  }
  function count() {
    var answered = 0;
    for (var i = 0; i < survey.items.length; i++) { if (chosen(i + 1) !== null) { answered++; } }
    status.textContent = survey.words[language].progress
      .replace("{answered}", String(answered)).replace("{total}", String(survey.items.length));
  }
  if (picker) { picker.addEventListener("change", function () { show(picker.value); }); }
  form.addEventListener("change", count);
  // An answer given by mistake can be taken back: the item is then not answered.
  var clears = form.querySelectorAll("button.clear");
  for (var c = 0; c < clears.length; c++) { clears[c].hidden = false; }
  form.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.clear") : null;
    if (!button) { return; }
    var boxes = form.querySelectorAll('input[name="item' + button.getAttribute("data-item") + '"]');
    for (var b = 0; b < boxes.length; b++) { boxes[b].checked = false; }
    count();
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var answers = {};
    for (var i = 0; i < survey.items.length; i++) { answers[survey.items[i]] = chosen(i + 1); }
    var saved = {
      format: survey.format, format_version: 1, instrument: survey.instrument, version: survey.version,
      fingerprint: survey.fingerprint, language: language, saved: new Date().toISOString()
    };
    var who = document.getElementById("respondent").value.trim();
    if (who) { saved.respondent = who; }
    saved.answers = answers;
    var name = survey.instrument + "-answers" + (who ? "-" + who.replace(/[^A-Za-z0-9_-]+/g, "_") : "") + ".json";
    var blob = new Blob([JSON.stringify(saved, null, 2) + "\\n"], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    status.textContent = survey.words[language].saved.replace("{file}", name);
  });
  show(language);
})();
"""


def _spans(texts: dict[str, str], first: str) -> str:
    """One span per language, each marked with its ``lang``; all but *first* hidden."""
    return "".join(
        f'<span lang="{lang}" data-lang="{lang}"{"" if lang == first else " hidden"}>{escape(text)}</span>'
        for lang, text in texts.items()
    )


def _script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element: no ``<`` can close it."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def form(survey: Survey) -> str:
    """The HTML form of *survey*."""
    instrument = survey.instrument
    languages = survey.languages
    first = languages[0]
    missing = [lang for lang in languages if interface_language(lang) not in {lang, lang.split("-")[0]}]
    if missing:
        degraded(
            f"there are no interface words in {', '.join(missing)} ({', '.join(catalogue_languages())} have them): "
            "the form's buttons and notes are in English there, its items in the instrument's own words"
        )
    says = {lang: words(interface_language(lang)) for lang in languages}

    def interface(message: str, **params: str) -> dict[str, str]:
        return {lang: says[lang](message, **params) for lang in languages}

    def text(value: object) -> dict[str, str]:
        return {lang: value.shown_in(lang) for lang in languages}  # type: ignore[attr-defined]

    say_words = {
        lang: {
            "progress": says[lang](_PROGRESS, answered="{answered}", total="{total}"),
            "saved": says[lang](_SAVED, file="{file}"),
        }
        for lang in languages
    }
    data = {
        "format": FORM_FORMAT,
        "instrument": instrument.id,
        "version": instrument.version,
        "fingerprint": fingerprint(instrument),
        "languages": list(languages),
        "titles": text(instrument.title),
        "items": [item.id for item in instrument.items],
        "words": say_words,
    }
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{first}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="leadscore export_survey: {escape(survey.stamp)}">',
        f"<title>{escape(instrument.title.shown_in(first))}</title>",
        f"<style>{_STYLE}</style>",
        f'<script type="application/json" id="leadscore-survey">{_script_json(data)}</script>',
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{_spans(text(instrument.title), first)}</h1>",
    ]
    if len(languages) > 1:
        options = "".join(
            f'<option value="{lang}" lang="{lang}">{escape(_language_name(lang))}</option>' for lang in languages
        )
        label = " / ".join(dict.fromkeys(says[lang](_LANGUAGE) for lang in languages))
        picker = f'<label for="language">{escape(label)}</label> <select id="language">{options}</select>'
        parts.append(f'<p class="language">{picker}</p>')
    if instrument.description is not None:
        parts.append(f'<p class="intro">{_spans(text(instrument.description), first)}</p>')
    privacy = interface(_PRIVACY)
    parts.append(f'<p class="privacy">{_spans(privacy, first)}</p>')
    parts.append('<form id="answers" novalidate>')
    who = interface(_WHO)
    parts.append(f'<p class="who"><label for="respondent">{_spans(who, first)}</label>')
    parts.append('<input id="respondent" name="respondent" autocomplete="off" maxlength="200"></p>')
    clear = interface(_CLEAR)
    number = 0
    for group in survey.groups:
        listed = " list" if any(len(w) > _SHORT for p in group.points for w in p.words.values()) else ""
        # Each answer's words, the same for every item of the group: its number, and its own words if it has any.
        shown = [
            (
                point,
                _spans(
                    {
                        lang: words if point.not_applicable or words == str(point.value) else f"{point.value} · {words}"
                        for lang, words in point.words.items()
                    },
                    first,
                ),
            )
            for point in group.points
        ]
        for item in group.items:
            number += 1
            legend = f"{number}. " + _spans(text(item.text), first)
            parts.append(f'<fieldset><legend id="q{number}">{legend}</legend><div class="points{listed}">')
            for k, (point, spans) in enumerate(shown, start=1):
                field_id = f"item{number}-{k}"
                css = ' class="na"' if point.not_applicable else ""
                parts.append(
                    f'<label{css} for="{field_id}"><input type="radio" id="{field_id}" name="item{number}" '
                    f'value="{point.value}"> {spans}</label>'
                )
            # Shown by the script (it alone can clear): the legend tells which answer it clears.
            parts.append(
                f'</div><button type="button" class="clear" data-item="{number}" aria-describedby="q{number}" '
                f"hidden>{_spans(clear, first)}</button></fieldset>"
            )
    progress = {
        lang: w["progress"].replace("{answered}", "0").replace("{total}", str(number)) for lang, w in say_words.items()
    }
    parts.append(
        f'<div class="actions"><p id="status" role="status" aria-live="polite">{escape(progress[first])}</p>'
        f'<button type="submit">{_spans(interface(_SAVE), first)}</button></div>'
    )
    parts += ["</form>", "</main>", f"<script>{_SCRIPT}</script>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


_LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English", "de": "Deutsch", "fr": "Français"}


def _language_name(tag: str) -> str:
    """A language's own name where we know it, else its tag."""
    return _LANGUAGE_NAMES.get(tag, _LANGUAGE_NAMES.get(tag.split("-", maxsplit=1)[0], tag))
