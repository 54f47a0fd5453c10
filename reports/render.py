"""One Jinja2 environment for reports: HTML (autoescaped) and Markdown (escaped with ``|md``).

Whatever an owner typed — HTML, Markdown, LaTeX, a spreadsheet formula — comes out as the
characters they typed: HTML escapes it, Markdown backslash-escapes every character with a
meaning (``$`` too, so no formula renderer picks it up), and the domain already quoted a
leading formula character (:func:`governance.agenda.inert`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.runtime import Context

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|$~!#&])")


def md_escape(value: object) -> str:
    """Text that Markdown (and Pandoc's TeX math) shows literally, on one line."""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_title(value: object) -> str:
    """Text for a Markdown link or image title (``"…"``): escaped as :func:`md_escape`, and its
    double quotes too."""
    return md_escape(value).replace('"', '\\"')


def md_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def long_date(value: date | None) -> str:
    """'12 januari 2016' (Babel, Dutch)."""
    if value is None:
        return "geen datum"
    from babel.dates import format_date

    return format_date(value, format="long", locale="nl_NL")


def short_date(value: date | None) -> str:
    """'12-01-2016' in tables; '—' when there is none."""
    return value.strftime("%d-%m-%Y") if value else "—"


def number(value: float) -> str:
    """Dutch decimal comma: 1.5 → '1,5'; 20.0 → '20'."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale="nl_NL"))


@pass_context
def owners_shown(context: Context, owners: Iterable[str]) -> str:
    """Owners as the reader knows them: the render's ``org_names`` (an archived older layout
    has none, and shows the ids it showed)."""
    names = context.get("org_names") or {}
    return ", ".join(names.get(o, o) for o in owners)


@cache
def environment() -> Environment:
    from governance.agenda import LIMITS, shortlist
    from governance.agenda_model import note_excerpt
    from governance.characters import displayable_value
    from governance.labels import rag_label, state_label
    from reports.charts import (
        RAG_COLOURS,
        RAG_TEXT_COLOURS,
        indicator_alt,
        rag_summary_alt,
        timeline_alt,
        timeline_facts,
    )

    env = Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=select_autoescape(["html", "html.j2"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=displayable_value,  # no control or direction character shown
    )
    env.filters["datum"] = long_date
    env.filters["eigenaren"] = owners_shown
    env.filters["datum_kort"] = short_date
    env.filters["md"] = md_escape
    env.filters["md_title"] = md_title
    env.filters["getal"] = number
    env.filters["state"] = state_label
    env.filters["rag"] = rag_label
    env.filters["tekst"] = change_text
    env.filters["vraag"] = question_shown
    env.filters["reden"] = asked_reason
    env.filters["uittreksel"] = note_excerpt
    env.filters["lange_toelichtingen"] = long_notes
    env.filters["met_lange_redenen"] = with_long_reasons
    env.filters["toelichting_ingekort"] = note_reason_cut
    env.filters["zonder_slotpunt"] = without_final_stop
    env.globals["shortlist"] = shortlist
    env.globals["limits"] = LIMITS
    env.globals["rag_summary_alt"] = rag_summary_alt
    env.globals["timeline_alt"] = timeline_alt
    env.globals["timeline_facts"] = timeline_facts  # layout 20's words: _chart_alt.j2
    env.globals["chart_alt"] = chart_alt
    env.globals["indicator_alt"] = indicator_alt
    env.globals["rag_colours"] = RAG_COLOURS  # the badges' colours are the charts'
    env.globals["rag_text_colours"] = RAG_TEXT_COLOURS
    return env


def chart_alt(name: str, *args: Any) -> str:
    """A chart's alt text (or the bar chart's axis label, ``rag_axis``) from agenda layout 20
    on: the macro ``name`` of ``reports/templates/_chart_alt.j2``, as plain text, which the
    caller escapes (an img's alt in HTML, ``md_title`` in Markdown) as it does the older
    layouts' words from :mod:`reports.charts`. Called from Python, not imported into the page:
    a macro of a template without autoescaping, called from one with it, would come back
    unescaped."""
    macro = getattr(environment().get_template("_chart_alt.j2").module, name)
    return str(macro(*args))


def long_notes(lines: Iterable[Any]) -> list[Any]:
    """The lines whose note a table shows cut (the ``lange_toelichtingen`` filter), once each
    by item: the pack (layout 10) and the progress report (layout 9) give them in full at
    their end."""
    from governance.agenda_model import note_excerpt

    seen: dict[str, Any] = {}
    for line in lines:
        if line.note and line.item_id not in seen and note_excerpt(line.note) is not None:
            seen[line.item_id] = line
    return list(seen.values())


def long_reasons(steps: Iterable[Any]) -> list[Any]:
    """The notes a progress report's *Reden* column shows cut that are not the item's latest
    note (the ``lange_redenen`` filter): from layout 21 the reason is the owner's note on the
    slip (walk57a 4), which the annex's notes (:func:`long_notes`) need not hold; each as its
    item's line with that note and its day, for the report's end to give it in full. Before
    layout 21 the reason was the latest note: none."""
    from dataclasses import replace

    from governance.agenda_model import note_excerpt
    from governance.progress_model import NOTE_KINDS

    found = []
    for step in steps:
        for change in step.changed:
            for reason in change.reasons:
                text = reason.text
                if reason.kind not in NOTE_KINDS or not text or text == change.item.note:
                    continue
                if note_excerpt(text) is not None:
                    found.append(replace(change.item, note=text, note_on=reason.on))
    return found


def with_long_reasons(lines: Iterable[Any], steps: Iterable[Any]) -> list[Any]:
    """``lines`` (:func:`long_notes`) with :func:`long_reasons` of ``steps`` (the
    ``met_lange_redenen`` filter): each right after its item's latest note when that is there
    too, else at the end."""
    merged = list(lines)
    for extra in long_reasons(steps):
        at = [i for i, line in enumerate(merged) if line.item_id == extra.item_id]
        if at:
            merged.insert(at[-1] + 1, extra)
        else:
            merged.append(extra)
    return merged


def note_reason_cut(reason: Any) -> Any:
    """A progress report's reason that quotes a note over the excerpt's length, with only its
    first words (the ``toelichting_ingekort`` filter, layout 9): the table shows it so and the
    report gives the note in full at its end; None for any other reason."""
    from dataclasses import replace

    from governance.agenda_model import note_excerpt
    from governance.progress_model import NOTE_KINDS

    if reason.kind not in NOTE_KINDS or not reason.text:
        return None
    cut = note_excerpt(reason.text)
    return None if cut is None else replace(reason, text=cut)


def without_final_stop(text: str, drop: bool = True) -> str:
    """``text`` without its final full stop when ``drop`` (the ``zonder_slotpunt`` filter,
    progress layout 20, walk56d 8): a reason that another follows after a semicolon reads
    *geaccordeerd; besluit …*, not *geaccordeerd.; besluit …*. An ellipsis (``...``) stays."""
    if drop and text.endswith(".") and not text.endswith(".."):
        return text[:-1]
    return text


def change_text(value: object, macro: str) -> str:
    """``value`` in the words of ``macro`` of ``_progress_texts.j2`` (the ``tekst`` filter: a
    change's reason, its ending, what was promised): plain text, escaped where it is shown."""
    texts = environment().get_template("_progress_texts.j2").module
    return str(getattr(texts, macro)(value))


def asked_question(asked: object, plain: bool = False) -> str:
    """The question a point ter besluitvorming puts to the body, in the words of
    ``_asked_texts.j2``: plain text, escaped where it is shown. ``plain`` (agenda layout 15):
    no brackets of its own, so page 1's reason in brackets stands alone (close48 3)."""
    texts = environment().get_template("_asked_texts.j2").module
    return str(texts.question(asked, plain))  # type: ignore[attr-defined]


@pass_context
def question_shown(context: Context, asked: object) -> str:
    """The ``vraag`` filter: :func:`asked_question` in the words of the pack's layout (its
    context's ``close_words``; a template without it has the older words)."""
    return asked_question(asked, bool(context.get("close_words", False)))


def asked_reason(asked: object) -> str:
    """Why a point is ter besluitvorming, as its label (the ``reden`` filter), plain text."""
    return _asked_text(asked, "reason")


def _asked_text(asked: object, macro: str) -> str:
    texts = environment().get_template("_asked_texts.j2").module
    return str(getattr(texts, macro)(asked))


def render(template: str, **context: Any) -> str:
    text = environment().get_template(template).render(**context)
    # Blank runs collapse to one blank line, so conditional blocks leave no holes.
    return re.sub(r"\n{3,}", "\n\n", text) if template.endswith(".md.j2") else text
