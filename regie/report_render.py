"""The governance reports rendered: HTML (SVG charts), PDF (PNG charts, an annex file for the
full tables), Markdown and DOCX, formats from :mod:`reports`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from regie.agenda_layouts import (
    AGENDA_ACTION_NAMED_FROM,
    AGENDA_ADDED_FROM,
    AGENDA_AHEAD_BEFORE_NEXT_FROM,
    AGENDA_AHEAD_UNTIL_FROM,
    AGENDA_ASK_ADDED_FROM,
    AGENDA_COUNT_WORDS_FROM,
    AGENDA_DECISIONS_SINCE_FROM,
    AGENDA_END_AHEAD_FROM,
    AGENDA_END_WAITING_FROM,
    AGENDA_ESCALATED_ON_FROM,
    AGENDA_EXCERPTS_FROM,
    AGENDA_FIRST_ASSESSED_FROM,
    AGENDA_HAND_PACKS_FROM,
    AGENDA_LAYOUT,
    AGENDA_MEETING_ONCE_FROM,
    AGENDA_NAMES_FROM,
    AGENDA_NO_PREVIOUS_FROM,
    AGENDA_PHONE_FROM,
    AGENDA_PLURAL_COUNTS_FROM,
    AGENDA_SAME_QUESTION_FROM,
    AGENDA_UNRATIFIED_FROM,
    AGENDA_WORSE_WORDS_FROM,
)
from regie.errors import InvalidInput
from regie.pdf_worker import (
    ChartMaker,
    ChartSets,
    Placeholders,
    _chart_maker,
    _data_uris,
)

if TYPE_CHECKING:
    from governance.agenda import AgendaPack


FORMATS = ("html", "md", "pdf", "docx")


def annex_name(pack: AgendaPack) -> str:
    """The file the PDF pack refers to for its annex (the same name wherever it is written)."""
    return f"agenda-{pack.body_id}-{pack.meeting.on.isoformat()}-bijlage.html"


#: The first agenda layout made with the current templates; 2–4 have frozen ``*_v2`` ones.
AGENDA_TEMPLATES_FROM = 5
#: The first agenda layout made with the current ``agenda`` templates; 5 has frozen
#: ``agenda_v5`` ones (its annex is the same).
AGENDA_CURRENT_FROM = 6
#: The first agenda layout whose PDF hyphenates the item tables' words (``_base.html.j2``'s
#: ``hyphenate``) and gives the owner's column room for its header; 5–6 broke a long title
#: anywhere, without a hyphen.
AGENDA_HYPHENS_FROM = 7


def _agenda_owners(pack: AgendaPack, layout: int) -> dict[str, str]:
    """How the pack's templates show owners (``eigenaren``): by id for an older layout."""
    return dict(pack.owner_labels) if layout >= AGENDA_NAMES_FROM else {}


def _agenda_template(layout: int, name: str) -> str:
    if layout >= AGENDA_TEMPLATES_FROM:
        if name == "agenda" and layout < AGENDA_CURRENT_FROM:
            return "agenda_v5"
        return name
    return f"{name}_v2" if layout >= 2 else f"{name}_v1"


def _annex_title(about: str, new_words: bool) -> str:
    """The annex's title; archived layouts keep the word they had (*items*)."""
    return f"Bijlage: overzicht van alle {'punten' if new_words else 'items'} ({about})"


def _as_laid_out(pack: AgendaPack, layout: int) -> AgendaPack:
    """``pack`` with only what packs of ``layout`` listed (an archived pack made again)."""
    from dataclasses import replace

    if layout < AGENDA_ASK_ADDED_FROM and any(a.reason == "added" for a in pack.asked):
        pack = replace(pack, asked=tuple(a for a in pack.asked if a.reason != "added"))
    if layout >= AGENDA_LAYOUT or layout < 2 or pack.since_last is None:
        return pack  # layout 1's frozen templates pick their own (SinceLast.layout1)
    since = pack.since_last.upto(layout)
    if layout < AGENDA_ADDED_FROM:
        since = since.added_undecided()
    elif layout < AGENDA_ACTION_NAMED_FROM:  # 11–12 did not name an added action's decision
        since = since.added_undecided(by_action=True)
    return replace(pack, since_last=since)


def render_agenda(
    pack: AgendaPack, fmt: str, *, charts: ChartMaker | None = None, layout: int = AGENDA_LAYOUT
) -> bytes:
    """The pack in one format. HTML and Markdown are byte-identical for the same pack.

    The PDF leaves the full table out and names the annex file (:func:`render_agenda_annex`):
    WeasyPrint's table layout is the cost of a PDF, and a pack is read by exception.
    ``layout``: an archived pack's (:data:`AGENDA_LAYOUT`)."""
    from governance.agenda import LIMITS, WEIGHTS, by_weight, shortlist_asked

    pack = _as_laid_out(pack, layout)
    shown, cut = shortlist_asked(pack.asked, LIMITS["asked"] if fmt == "pdf" else len(pack.asked))
    return _render_document(
        fmt,
        template=_agenda_template(layout, "agenda"),
        context={
            "pack": pack,
            "annex_file": annex_name(pack) if fmt == "pdf" else None,
            # Layout 2: ter besluitvorming heaviest first; the PDF cuts routine points only.
            "ranked": by_weight(pack.asked),
            "asked_shown": shown,
            "asked_cut": cut,
            "weights": WEIGHTS,
            "hyphenate": layout >= AGENDA_HYPHENS_FROM,
            "org_names": _agenda_owners(pack, layout),
            # Layout 10: a long note cut in the tables, in full at the pack's end.
            "excerpts": layout >= AGENDA_EXCERPTS_FROM,
            # Layout 10: a first meeting's headings say since when, not "sinds de vorige …".
            "since_words": layout >= AGENDA_EXCERPTS_FROM,
            # Layout 10: a slipped item whose owner answered Risico says so (walk32a 11).
            "risk_words": layout >= AGENDA_EXCERPTS_FROM,
            # Layout 14 (walk46 11b–d): page 1's lead-in, one level of brackets, the question.
            "question_words": layout >= AGENDA_SAME_QUESTION_FROM,
            # Layout 19 (walk54b 6, 8): "te laat: deadline … verstreken"; who reported.
            "worse_words": layout >= AGENDA_WORSE_WORDS_FROM,
            # Layout 23 (walk58a 4): a point under *Escalatie onbeantwoord* says its escalation.
            "escalated_words": layout >= AGENDA_ESCALATED_ON_FROM,
            # Layout 19 (review54 2): a set_gereed to the date the plan holds that restored
            # nothing ratified a hand edit: *datum in het plan bekrachtigd*, not *hersteld*.
            "ratified_words": layout >= AGENDA_UNRATIFIED_FROM,
            **_close_words(pack, layout),
            # Layout 20 (walk55d 2): the top line around the end counts waiting items apart.
            "end_waiting": layout >= AGENDA_END_WAITING_FROM,
            # Layout 16 (walk49 10): a first meeting's decision list says there is no previous.
            "no_previous_words": layout >= AGENDA_NO_PREVIOUS_FROM,
            # Layout 21 (walk56a 6): a decision list from before the previous meeting says why.
            "decisions_since_words": layout >= AGENDA_DECISIONS_SINCE_FROM,
            # Layout 22 (walk57a 1): a pack made by hand counts, so the sentence says that no
            # pack was made in Regie before those meetings, not that they had none.
            "hand_packs_words": layout >= AGENDA_HAND_PACKS_FROM,
            # Layout 17 (review51 9): the legend says from when the stale clock counts.
            "first_assessed_words": layout >= AGENDA_FIRST_ASSESSED_FROM,
            # Layout 20 (note54): a count of one in the singular (*nu 1 mijlpaal*).
            "count_words": layout >= AGENDA_COUNT_WORDS_FROM,
            # Layout 21 (walk56d 4, 9, 10): plural change counts, *tot en met* the look ahead's
            # horizon, a reason names a meeting once.
            "plural_counts": layout >= AGENDA_PLURAL_COUNTS_FROM,
            "ahead_until": layout >= AGENDA_AHEAD_UNTIL_FROM,
            "meeting_once": layout >= AGENDA_MEETING_ONCE_FROM,
            # Layout 22 (fix57d): with a next meeting, the look ahead ends before its day.
            "ahead_before_next": layout >= AGENDA_AHEAD_BEFORE_NEXT_FROM,
            # Layout 23 (walk58c 1): a viewport and the shared narrow-screen rules.
            "phone": layout >= AGENDA_PHONE_FROM,
        },
        charts=charts or _chart_maker(lambda cf: _agenda_charts(pack, cf, layout), (fmt,)),
        title=agenda_title(pack, layout),
        footer=f"{pack.programme_short} · agenda {pack.body_name}, {long_date(pack.meeting.on)}",
        as_of=pack.as_of,
    )


def agenda_title(pack: AgendaPack, layout: int = AGENDA_LAYOUT) -> str:
    """The pack's title (HTML ``<title>``, the PDF's and the DOCX's): from layout 23 with the
    meeting's date in words, as the annex and the mail say it (walk58c 5); ISO before."""
    on = long_date(pack.meeting.on) if layout >= AGENDA_PHONE_FROM else pack.meeting.on.isoformat()
    return f"Agenda {pack.body_name} {on}"


def render_agenda_annex(pack: AgendaPack, layout: int = AGENDA_LAYOUT) -> bytes:
    """The annex of the PDF pack as its own self-contained HTML file: every item, and every
    point ter besluitvorming (by weight) when the PDF could show only the first of them."""
    from governance.agenda import LIMITS, by_weight

    pack = _as_laid_out(pack, layout)
    asked = pack.asked if layout < 2 else by_weight(pack.asked)
    words = _close_words(pack, layout)
    return _render_annex(
        pack.annex,
        template=_agenda_template(layout, "bijlage"),
        asked=asked if len(pack.asked) > LIMITS["asked"] else (),
        # The body's name after a colon: no article to choose ("de"/"het", or a proper name).
        about=f"Bij de agenda: {pack.body_name}, vergadering {long_date(pack.meeting.on)}",
        new_words=layout >= AGENDA_TEMPLATES_FROM,
        programme_title=pack.programme_title,
        as_of=pack.as_of,
        footer=f"{pack.programme_short} · {annex_name(pack)}",
        hyphenate=layout >= AGENDA_HYPHENS_FROM,
        org_names=_agenda_owners(pack, layout),
        # Layout 12: "verschoven, met risico" as the pack's own tables (layout 10) say it.
        risk_words=layout >= AGENDA_ASK_ADDED_FROM,
        question_words=layout >= AGENDA_SAME_QUESTION_FROM,
        worse_words=layout >= AGENDA_WORSE_WORDS_FROM,
        close_words=words["close_words"],
        lapse=words["lapse"],
        count_words=layout >= AGENDA_COUNT_WORDS_FROM,
        meeting_once=layout >= AGENDA_MEETING_ONCE_FROM,
        phone=layout >= AGENDA_PHONE_FROM,
        escalated_words=layout >= AGENDA_ESCALATED_ON_FROM,
    )


def _close_words(pack: AgendaPack, layout: int) -> dict[str, bool]:
    """Layout 15's words (close48): ``close_words`` for the top line and an escalation's
    question; ``lapse`` when the pack offers lapse for a routine point, which its label names."""
    words = layout >= AGENDA_END_AHEAD_FROM
    lapse = words and any(a.after_end and a.weight == "routine" for a in pack.asked)
    return {"close_words": words, "lapse": lapse}


def _render_annex(
    lines: Sequence[Any],
    *,
    about: str,
    new_words: bool,
    programme_title: str,
    as_of: date,
    footer: str,
    asked: Sequence[Any] = (),
    completed: dict[str, date] | None = None,
    template: str = "bijlage",
    hyphenate: bool = False,
    org_names: dict[str, str] | None = None,
    risk_words: bool = False,
    question_words: bool = False,
    worse_words: bool = False,
    close_words: bool = False,
    lapse: bool = False,
    count_words: bool = False,
    meeting_once: bool = False,
    phone: bool = False,
    escalated_words: bool = False,
) -> bytes:
    from governance.agenda import WEIGHTS
    from reports.render import render

    return render(
        f"{template}.html.j2", lines=lines, about=about, programme_title=programme_title,
        as_of=as_of, title=_annex_title(about, new_words), footer=footer,
        asked=asked, completed=completed or {}, weights=WEIGHTS, hyphenate=hyphenate,
        org_names=org_names or {}, risk_words=risk_words, question_words=question_words,
        worse_words=worse_words, close_words=close_words, lapse=lapse, count_words=count_words,
        meeting_once=meeting_once, phone=phone, escalated_words=escalated_words,
    ).encode()  # fmt: skip


def _render_document(
    fmt: str,
    *,
    template: str,
    context: dict[str, Any],
    charts: ChartMaker,
    title: str,
    footer: str,
    as_of: Any,
) -> bytes:
    """One report in one format: HTML (SVG charts) → PDF (PNG charts), Markdown, DOCX; the
    cyclic garbage collector paused meanwhile (:func:`regie.gc_pause.paused_gc_for_garbage`:
    charts and layout make objects that die with the document, the same bytes either way)."""
    from regie.gc_pause import paused_gc_for_garbage
    from reports.render import render

    with paused_gc_for_garbage():
        if fmt in ("html", "pdf"):
            chart_fmt = "svg" if fmt == "html" else "png"
            html = render(
                f"{template}.html.j2", **context,
                charts=_data_uris(charts(chart_fmt), chart_fmt), title=title, footer=footer,
            )  # fmt: skip
            if fmt == "html":
                return html.encode()
            if isinstance(charts, Placeholders):  # laid out now, written when the charts exist
                from reports.pdf import lay_out

                charts.document = lay_out(html)
                return b""
            from reports.pdf import html_to_pdf

            return html_to_pdf(html)
        if fmt == "md":
            return render(f"{template}.md.j2", **context, images=False).encode()
        if fmt == "docx":
            from reports.docx import markdown_to_docx

            markdown = render(f"{template}.md.j2", **context, images=True)
            return markdown_to_docx(markdown, charts("png"), title=title, as_of=as_of)
        raise InvalidInput(f"--format: unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def _agenda_charts(pack: AgendaPack, fmts: Sequence[str], layout: int = AGENDA_LAYOUT) -> ChartSets:
    """Per chart format, the pack's charts by name; ``layout``: an archived pack's (from 20
    the bar chart's axis says *punten*, as its alt text: review55c 2)."""
    from reports import charts
    from reports.render import chart_alt

    words = layout >= AGENDA_COUNT_WORDS_FROM
    axis = chart_alt("rag_axis") if words else charts.RAG_AXIS_ITEMS
    drawn = {"rag": charts.rag_summary(pack.steps, fmts, axis)}
    for step in pack.steps:
        chart = charts.timeline(
            [line for line in pack.annex if line.step == step.number], pack.as_of, fmts
        )
        if chart is not None:
            drawn[f"timeline-{step.number}"] = chart
    return _by_format(drawn, fmts)


def _by_format(
    drawn: dict[str, dict[str, bytes]], fmts: Sequence[str]
) -> dict[str, dict[str, bytes]]:
    return {fmt: {name: saved[fmt] for name, saved in drawn.items()} for fmt in fmts}


def long_date(day: date) -> str:
    from reports.render import long_date as dutch

    return dutch(day)


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InvalidInput(f"--format: unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def check_formats(value: str) -> tuple[str, ...]:
    """``html``, or several at once: ``html,pdf`` (one process, one pack, charts drawn once)."""
    fmts = tuple(dict.fromkeys(f.strip() for f in value.split(",") if f.strip()))
    for fmt in fmts or (value,):
        check_format(fmt)
    return fmts


def progress_annex_name(report: Any) -> str:
    return f"voortgang-{report.start.isoformat()}-{report.end.isoformat()}-bijlage.html"


def render_progress(report: Any, fmt: str, *, charts: ChartMaker | None = None) -> bytes:
    """Like the agenda pack: the PDF caps its lists and names its annex file."""
    from governance.progress_layouts import (
        COUNT_WORDS_FROM,
        EXCERPTS_FROM,
        HYPHENS_FROM,
        KAMER_WORDS_FROM,
        ONE_BRACKET_FROM,
        ONE_DATE_STYLE_FROM,
        PHONE_FROM,
        PLAN_WORD_FROM,
        STOPS_JOINED_FROM,
    )

    return _render_document(
        fmt,
        template=_progress_template(report.layout, "voortgang"),
        context={
            "r": report,
            "annex_file": progress_annex_name(report) if fmt == "pdf" else None,
            "hyphenate": report.layout >= HYPHENS_FROM,
            "org_names": report.owner_labels,  # empty before layout 8: ids, as then
            # Layout 9: a long note cut in the tables, in full at the end; "met risico".
            "excerpts": report.layout >= EXCERPTS_FROM,
            "risk_words": report.layout >= EXCERPTS_FROM,
            # Layout 13 (walk46 11c): an added item's words after its title, not in brackets.
            "one_bracket": report.layout >= ONE_BRACKET_FROM,
            # Layout 15 (walk49 12): no "(plan: doorlopend)" after the state "doorlopend".
            "plan_word": report.layout >= PLAN_WORD_FROM,
            # Layout 19 (note54): a count of one in the singular (*1 van de 4 punten heeft*).
            "count_words": report.layout >= COUNT_WORDS_FROM,
            # Layout 20 (walk56d 8): no full stop before the *Reden* cell's semicolon.
            "stops": report.layout >= STOPS_JOINED_FROM,
            # Layout 21 (walk57a 5, 7, 8): the goal's category, *datums*, one level of brackets.
            "kamer_words": report.layout >= KAMER_WORDS_FROM,
            # Layout 22 (walk58c 1, 5): a viewport, the narrow-screen rules, the title's comma.
            "phone": report.layout >= PHONE_FROM,
            # Layout 22 (walk58b 5): one date style per sentence, no bracket after a bracket.
            "one_date_style": report.layout >= ONE_DATE_STYLE_FROM,
        },
        charts=charts or _chart_maker(lambda cf: _progress_charts(report, cf), (fmt,)),
        title=_progress_title(report, report.layout >= PHONE_FROM),
        footer=f"{report.programme_short} · voortgangsrapportage {report.start} – {report.end}",
        as_of=report.as_of,
    )


def _progress_title(report: Any, in_words: bool) -> str:
    """The DOCX's title (the HTML and PDF's come from the template): from layout 22 as the
    HTML's, the period in words after a comma (walk58c 5); ISO dates before."""
    if in_words:  # as voortgang.html.j2's title, a concept's too
        period = f"{long_date(report.start)} tot en met {long_date(report.end)}"
        concept = report.approved is None
        if report.title:
            return f"{'Concept: ' if concept else ''}{report.title}, {period}"
        word = "Concept voortgangsrapportage" if concept else "Voortgangsrapportage"
        return f"{word} {report.programme_short}, {period}"
    if report.title:  # the reporting obligation's (layout 6 on)
        return f"{report.title} {report.start} – {report.end}"
    return f"Voortgangsrapportage {report.programme_short} {report.start} – {report.end}"


def _progress_template(layout: int, name: str) -> str:
    """Layout 1's frozen templates (``voortgang_v1``), 2–3's (``*_v2``), 4–6's
    (``voortgang_v6``), or the current ones."""
    from governance.progress_layouts import OUTSIDE_FROM, TEMPLATES_FROM, WORDS_FROM

    if layout >= OUTSIDE_FROM:
        return name
    if layout >= WORDS_FROM:
        return f"{name}_v6"
    return f"{name}_v2" if layout >= TEMPLATES_FROM else f"{name}_v1"


def render_progress_annex(report: Any) -> bytes:
    from governance.progress_layouts import (
        COUNT_WORDS_FROM,
        EXCERPTS_FROM,
        HYPHENS_FROM,
        PHONE_FROM,
        WORDS_FROM,
    )

    about = (
        f"Bij de voortgangsrapportage {long_date(report.start)} tot en met {long_date(report.end)}"
    )
    new_words = report.layout >= WORDS_FROM
    return _render_annex(
        report.annex,
        # Every archived report's annex was made with the templates layouts 2–4 of packs froze.
        template="bijlage" if new_words else "bijlage_v2",
        new_words=new_words,
        about=about,
        programme_title=report.programme_title,
        as_of=report.as_of,
        footer=f"{report.programme_short} · {progress_annex_name(report)}",
        completed=report.completed_on,
        hyphenate=report.layout >= HYPHENS_FROM,
        org_names=report.owner_labels,
        # The annex file keeps every note whole (it has no closing section), but says "met
        # risico" as the report's tables do (layout 9).
        risk_words=report.layout >= EXCERPTS_FROM,
        count_words=report.layout >= COUNT_WORDS_FROM,
        phone=report.layout >= PHONE_FROM,
    )


def _progress_charts(report: Any, fmts: Sequence[str]) -> ChartSets:
    from reports import charts

    drawn = {
        f"indicator-{i.indicator.id}": charts.indicator(i, fmts)
        for i in report.indicators
        if i.measurements
    }
    return _by_format(drawn, fmts)
