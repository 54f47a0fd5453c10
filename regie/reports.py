"""Use cases of the governance reports: meetings, the agenda pack, rendering and the archive.

Content comes from :mod:`governance.agenda` / :mod:`governance.progress`, formats from
:mod:`reports`; this module loads, assesses, renders and archives (content hash, append-only).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import partial
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App
from regie.errors import InvalidInput
from regie.pdf_worker import (
    ChartMaker,
    ChartSets,
    Placeholders,
    _chart_maker,
    _data_uris,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from governance.agenda import AgendaPack
    from governance.assessment import Assessment
    from governance.decisions import Decision
    from governance.meetings import Meeting
    from governance.plan import GovernanceBody, Plan, ReportObligation
    from governance.provenance import PlanEdit

FORMATS = ("html", "md", "pdf", "docx")
#: The archive's kind for a PDF pack's annex file (an agenda pack's full table of items).
ANNEX_KIND = "agenda-bijlage"
PROGRESS_ANNEX_KIND = "voortgang-bijlage"


@dataclass(frozen=True, slots=True)
class Rendered:
    kind: str
    format: str
    title: str
    as_of: date
    parameters: dict[str, Any]
    content: bytes
    sha256: str
    archive_id: int | None = None
    #: Files that go with this one (a PDF pack's annex), each with the ``name`` it is referred by.
    attachments: tuple[Rendered, ...] = ()
    name: str | None = None
    #: The newest recorded_at among the records it read (its data cut-off).
    data_until: datetime | None = None


#: How a report was made, as the archive keeps it (``made_via``).
MADE_VIA = ("cli", "prepare", "web")


def operator() -> str:
    """Who makes a report: the command's operator (``--operator``/REGIE_OPERATOR, else the OS
    login) or the web page's user, as every record names its maker (:mod:`store.actor`)."""
    from store.actor import current_actor

    return current_actor()


def body_or_fail(plan: Plan, body_id: str) -> GovernanceBody:
    body = plan.body(body_id)
    if body is None:
        known = ", ".join(b.id for b in plan.governance) or "none"
        raise InvalidInput(f"--body: unknown governance body {body_id!r} (known: {known})")
    return body


def _term(plan: Plan) -> tuple[date, date]:
    from governance.meetings import meeting_term

    # The same term the plan's meeting check covers (regie.bootstrap._meetings_on_days_off).
    return meeting_term(plan.programme.start, plan.programme.end)


def meetings(
    app: App,
    body_id: str | None = None,
    *,
    plan: Plan | None = None,
    recorded_until: datetime | None = None,
) -> list[Meeting]:
    """Every meeting of one body (or all bodies) over the programme's term: plan and database
    (the one-off meetings recorded up to ``recorded_until`` when given)."""
    from governance.meetings import schedule_meetings
    from store import reports_read

    plan = plan or app.load_plan()
    bodies = [body_or_fail(plan, body_id)] if body_id else list(plan.governance)
    with app.reading() as connection:
        extra = reports_read.meetings(connection, plan.programme.id, body_id, recorded_until)
    first, last = _term(plan)
    out: list[Meeting] = []
    for body in bodies:
        in_db = [m for m in extra if m.body_id == body.id]
        last_db = max((m.on for m in in_db), default=last)
        out.extend(schedule_meetings(body.id, body.meetings, in_db, first, max(last, last_db)))
    return sorted(out, key=lambda m: (m.on, m.body_id))


def add_meeting(
    app: App,
    body_id: str,
    on: date,
    at: time | None,
    location: str | None,
    note: str | None,
    *,
    allow_day_off: bool = False,
) -> str:
    """Store a one-off meeting. A body meets on working days, as the plan file's meetings must
    (docs/plan-schema.md, "Meetings"): a weekend day or a public holiday of the plan's calendar
    is refused unless ``allow_day_off`` (a one-off meeting on a Saturday can be real)."""
    from governance.dates import outside_life, programme_life
    from governance.meetings import Meeting
    from regie.services import utcnow
    from store import sync_plan
    from store.reports_repo import ReportsRepository

    plan = app.load_plan()
    body_or_fail(plan, body_id)
    beyond = outside_life(programme_life(plan), {"DATE": on})
    if beyond:
        raise InvalidInput(*beyond)
    off = day_off(plan, on)
    if off is not None and not allow_day_off:
        raise InvalidInput(
            f"DATE: {on} is {off}, not a working day: give --allow-day-off to add the meeting "
            "anyway"
        )
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
        added = ReportsRepository(session, plan.programme.id).add_meeting(
            Meeting(body_id, on, at, location, source="db", note=note)
        )
    if not added:
        raise InvalidInput(f"{body_id} already has a meeting on {on} in the database")
    return f"{body_id}: meeting on {on} added" + (f" ({off})" if off else "")


def day_off(plan: Plan, on: date) -> str | None:
    """What ``on`` is when it is no working day of the plan's calendar (``calendar.
    holidays_country``): ``a Saturday``, ``a public holiday (Koningsdag)``, ``a Sunday and a
    public holiday (Eerste Kerstdag)``; None on a working day. The holiday is named as the
    ``holidays`` package names it in the country's own language."""
    from governance.meetings import DAY_NAMES
    from governance.workdays import WorkCalendar

    calendar = WorkCalendar.for_plan(plan)
    if calendar.is_working_day(on):
        return None
    weekend = f"a {DAY_NAMES[on.weekday()]}" if on.weekday() >= 5 else None
    if not calendar.is_holiday(on):
        return weekend
    extra = {d.on: d.name for d in plan.calendar.extra_days_off}
    if on in extra:  # calendar.extra_days_off, named as the plan names it
        holiday = f"an extra day off ({extra[on]})" if extra[on] else "an extra day off"
    else:
        name = _holiday_name(plan.calendar.holidays_country, on)
        holiday = f"a public holiday ({name})" if name else "a public holiday"
    return f"{weekend} and {holiday}" if weekend else holiday


def _holiday_name(country: str, on: date) -> str | None:
    """The holiday's name in the country's default language (not the locale's: the same
    text wherever the command runs)."""
    import holidays

    try:
        found = holidays.country_holidays(country, years=on.year)
        language = getattr(found, "default_language", None)
        if language:
            found = holidays.country_holidays(country, years=on.year, language=language)
    except NotImplementedError:  # pragma: no cover - load_plan has refused such a country
        return None
    name = found.get(on)
    return str(name) if name else None


def meeting_or_fail(
    app: App, plan: Plan, body_id: str, on: date, *, recorded_until: datetime | None = None
) -> list[Meeting]:
    """The body's meetings; ``on`` must be one of them."""
    found = meetings(app, body_id, plan=plan, recorded_until=recorded_until)
    if not any(m.on == on for m in found):
        near = ", ".join(m.on.isoformat() for m in found if abs((m.on - on).days) < 120)
        hint = f" (nearby: {near})" if near else ""
        raise InvalidInput(
            f"--meeting: {body_id} has no meeting on {on}{hint}; add one with `regie meeting add`"
        )
    return found


def assess_as_of(
    session: Session | Connection,
    plan: Plan,
    as_of: date,
    *,
    recorded_until: datetime | None = None,
) -> Assessment:
    """The assessment on ``as_of`` from the updates reported up to then; with
    ``recorded_until``, from those recorded up to that moment only (a data cut-off)."""
    from governance.assessment import assess
    from store.assessment_query import assessment_updates

    if recorded_until is None:
        return assess(plan, assessment_updates(session, plan.programme.id, as_of), as_of)
    from sqlalchemy import Connection as _Connection

    from store import reports_read
    from store.dialect import reader

    connection = session if isinstance(session, _Connection) else reader(session)
    updates = reports_read.updates_recorded_until(
        connection, plan.programme.id, as_of, recorded_until
    )
    return assess(plan, updates, as_of)


def recorded_decisions(
    connection: Connection, plan: Plan, recorded_until: datetime | None
) -> list[Decision]:
    """Every decision of the programme (all bodies, any meeting date), recorded up to
    ``recorded_until`` when given."""
    from store import reports_read

    found = reports_read.decisions(connection, plan.programme.id)
    if recorded_until is None:
        return found
    return [d for d in found if d.recorded_at is None or d.recorded_at <= recorded_until]


def plan_on(
    plan: Plan,
    decisions: Sequence[Decision],
    as_of: date,
    edits: Sequence[PlanEdit] = (),
) -> Plan:
    """The plan as it stood on ``as_of`` (:func:`governance.provenance.plan_as_of`): a report
    for a day before a decision's meeting does not know the decision yet, nor a plan-file edit
    synced after that day (``edits``: :func:`recorded_edits`)."""
    from governance.provenance import plan_as_of

    return plan_as_of(plan, decisions, as_of, edits)


def recorded_edits(
    connection: Connection, plan: Plan, as_of: date, recorded_until: datetime | None = None
) -> list[PlanEdit]:
    """The plan revisions :func:`plan_on` needs to undo the plan-file edits synced after
    ``as_of`` ([] when there is none: a view of today); recorded up to ``recorded_until``."""
    from governance.provenance import end_of_day
    from store import reports_read

    return reports_read.plan_edits(
        connection, plan.programme.id, end_of_day(plan, as_of), recorded_until
    )


@dataclass(frozen=True, slots=True)
class ReportBasis:
    """What a report for a day rests on (:func:`report_basis`)."""

    plan: Plan  # as its decisions stood on the day
    assessment: Assessment  # of the day, from the updates recorded up to the cut-off
    recorded: list[Decision]  # every decision recorded (up to the cut-off), any meeting date
    decisions: list[Decision]  # of those, the ones taken on or before the day
    cut_off: datetime | None  # the data cut-off (``recorded_until``, else the newest record)


def report_basis(
    connection: Connection, plan: Plan, as_of: date, recorded_until: datetime | None
) -> ReportBasis:
    """The agenda pack's and the progress report's provenance, read in one place: the plan
    of ``as_of`` (decisions taken after it undone), the assessment of that day, the decisions
    and the data cut-off, which is read last (the newest recorded_at among the records read
    before it, in the same transaction)."""
    from governance.events import ESCALATION_RAISED
    from store import reports_read

    everything = recorded_decisions(connection, plan, recorded_until)
    edits = recorded_edits(connection, plan, as_of, recorded_until)
    dated = plan_on(plan, everything, as_of, edits)
    assessment = assess_as_of(connection, dated, as_of, recorded_until=recorded_until)
    decisions = [d for d in everything if d.meeting_on <= as_of]
    cut_off = recorded_until or reports_read.data_until(
        connection, plan.programme.id, as_of, ESCALATION_RAISED
    )
    return ReportBasis(dated, assessment, everything, decisions, cut_off)


def agenda_pack(
    app: App,
    body_id: str,
    meeting_on: date,
    as_of: date,
    *,
    plan: Plan | None = None,
    recorded_until: datetime | None = None,
    decisions_from: date | None = None,
) -> AgendaPack:
    return _agenda_pack(
        app, body_id, meeting_on, as_of, plan=plan, recorded_until=recorded_until,
        decisions_from=decisions_from,
    )[0]  # fmt: skip


def _agenda_pack(
    app: App,
    body_id: str,
    meeting_on: date,
    as_of: date,
    *,
    plan: Plan | None = None,
    recorded_until: datetime | None = None,
    decisions_from: date | None = None,
    layout: int | None = None,
) -> tuple[AgendaPack, datetime | None]:
    """The pack and its data cut-off (the newest recorded_at among the records it read, and
    the archiving of the earlier packs it read). ``decisions_from``: the decision list starts
    there (:func:`governance.agenda.build_agenda`; kept with an archived pack's parameters);
    ``layout``: an archived pack's (before layout 3 *eerder voorgelegd* counted meetings, not
    the packs archived for them)."""
    from governance.agenda import build_agenda
    from governance.events import ESCALATION_RAISED
    from governance.meetings import previous_and_next
    from governance.provenance import RevisionFact, due_changes
    from store import agenda_read, reports_read

    plan = plan or app.load_plan()
    body = body_or_fail(plan, body_id)
    all_meetings = meeting_or_fail(app, plan, body_id, meeting_on, recorded_until=recorded_until)
    meeting = next(m for m in all_meetings if m.on == meeting_on)
    previous, following = previous_and_next(all_meetings, meeting_on)
    # Read on a plain connection: no ORM to import before a PDF's layout can start.
    with app.reading() as connection:
        escalations = reports_read.events_named(
            connection, plan.programme.id, ESCALATION_RAISED, as_of, recorded_until
        )
        basis = report_basis(connection, plan, as_of, recorded_until)
        # The progress report's reading of the due dates moved (with or without a decision),
        # and the items' other revisions: *Sinds de vorige vergadering*, ratification.
        moved = due_changes(
            [
                RevisionFact(*row)
                for row in reports_read.plan_revisions(
                    connection, plan.programme.id, recorded_until
                )
            ],
            basis.recorded,
        )
        revisions, first_recorded = agenda_read.item_revisions(
            connection, plan.programme.id, recorded_until
        )
        contacts = agenda_read.contact_revisions(connection, plan.programme.id, recorded_until)
        listed: dict[date, frozenset[str] | None] | None = None
        not_counted: dict[date, str] | None = None
        archived_at: list[datetime] = []
        if (layout or AGENDA_LAYOUT) >= 4:  # only the packs sent before their meeting count
            read = agenda_read.packs_sent(connection, plan.programme.id, body_id, recorded_until)
            packs = {on: found for on, found in read.listed.items() if on < meeting_on}
            listed = {on: items for on, (items, _) in packs.items()}
            not_counted = {on: why for on, why in read.not_counted.items() if on < meeting_on}
            archived_at = [at for _, at in packs.values()]
        elif (layout or AGENDA_LAYOUT) >= 3:  # an archived pack of layout 3 read them so
            packs = agenda_read.packs_listed(connection, plan.programme.id, body_id, recorded_until)
            packs = {on: found for on, found in packs.items() if on < meeting_on}
            listed = {on: items for on, (items, _) in packs.items()}
            archived_at = [at for _, at in packs.values()]
        # The data as they stood on the previous meeting's day: what got worse since.
        before = None
        if previous is not None and previous.on <= as_of:
            edits = recorded_edits(connection, plan, previous.on, recorded_until)
            then = plan_on(plan, basis.recorded, previous.on, edits)
            before = assess_as_of(connection, then, previous.on, recorded_until=recorded_until)
    pack = build_agenda(
        basis.plan,
        basis.assessment,
        body,
        meeting,
        previous=previous,
        next_meeting=following,
        # Every body's: a decision of another body may answer an escalation (build_agenda
        # lists only this body's among the decisions taken).
        decisions=basis.decisions,
        escalations=escalations,
        due_changes=moved,
        revisions=revisions,
        first_recorded=first_recorded,
        earlier=[m for m in all_meetings if m.on < meeting_on],
        previous_assessment=before,
        decisions_from=decisions_from,
        contact_revisions=contacts,
        packs_listed=listed,
        packs_not_counted=not_counted,
    )
    cut_off = basis.cut_off
    if listed:  # the packs it read are part of its data: a rebuild reads the same ones
        cut_off = max([*archived_at, *([cut_off] if cut_off else [])])
    return pack, cut_off


def annex_name(pack: AgendaPack) -> str:
    """The file the PDF pack refers to for its annex (the same name wherever it is written)."""
    return f"agenda-{pack.body_id}-{pack.meeting.on.isoformat()}-bijlage.html"


#: The agenda pack's layout (kept with an archived pack's parameters as ``layout``): 2 puts
#: what needs a decision first (page 1), ranks *ter besluitvorming* by weight and says what got
#: worse; 3 lists an organisation's change of contact person *sinds de vorige vergadering*. A
#: pack archived without it is made again with layout 1's frozen templates
#: (``agenda_v1.*.j2``), so ``regie report reproduce`` still matches it; one of layout 2 with
#: today's templates and the entries layout 2 had (:meth:`governance.agenda.SinceLast.upto`).
#: 4: *eerder voorgelegd* counts only the packs sent before their meeting (layout 3 counted
#: the last pack archived for each meeting, made by hand or after it too).
AGENDA_LAYOUT = 4


def _agenda_template(layout: int, name: str) -> str:
    return name if layout >= 2 else f"{name}_v1"


def _as_laid_out(pack: AgendaPack, layout: int) -> AgendaPack:
    """``pack`` with only what packs of ``layout`` listed (an archived pack made again)."""
    if layout >= AGENDA_LAYOUT or layout < 2 or pack.since_last is None:
        return pack  # layout 1's frozen templates pick their own (SinceLast.layout1)
    from dataclasses import replace

    return replace(pack, since_last=pack.since_last.upto(layout))


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
        },
        charts=charts or _chart_maker(lambda cf: _agenda_charts(pack, cf), (fmt,)),
        title=f"Agenda {pack.body_name} {pack.meeting.on.isoformat()}",
        footer=f"{pack.programme_short} · agenda {pack.body_name}, {long_date(pack.meeting.on)}",
        as_of=pack.as_of,
    )


def render_agenda_annex(pack: AgendaPack, layout: int = AGENDA_LAYOUT) -> bytes:
    """The annex of the PDF pack as its own self-contained HTML file: every item, and every
    point ter besluitvorming (by weight) when the PDF could show only the first of them."""
    from governance.agenda import LIMITS, by_weight

    asked = pack.asked if layout < 2 else by_weight(pack.asked)
    return _render_annex(
        pack.annex,
        template=_agenda_template(layout, "bijlage"),
        asked=asked if len(pack.asked) > LIMITS["asked"] else (),
        # The body's name after a colon: no article to choose ("de"/"het", or a proper name).
        about=f"Bij de agenda: {pack.body_name}, vergadering {long_date(pack.meeting.on)}",
        programme_title=pack.programme_title,
        as_of=pack.as_of,
        footer=f"{pack.programme_short} · {annex_name(pack)}",
    )


def _render_annex(
    lines: Sequence[Any],
    *,
    about: str,
    programme_title: str,
    as_of: date,
    footer: str,
    asked: Sequence[Any] = (),
    completed: dict[str, date] | None = None,
    template: str = "bijlage",
) -> bytes:
    from governance.agenda import WEIGHTS
    from reports.render import render

    return render(
        f"{template}.html.j2", lines=lines, about=about, programme_title=programme_title,
        as_of=as_of, title=f"Bijlage: overzicht van alle items ({about})", footer=footer,
        asked=asked, completed=completed or {}, weights=WEIGHTS,
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
    """One report in one format: HTML (SVG charts) → PDF (PNG charts), Markdown, DOCX."""
    from reports.render import render

    if fmt in ("html", "pdf"):
        chart_fmt = "svg" if fmt == "html" else "png"
        html = render(
            f"{template}.html.j2", **context, charts=_data_uris(charts(chart_fmt), chart_fmt),
            title=title, footer=footer,
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


def _agenda_charts(pack: AgendaPack, fmts: Sequence[str]) -> ChartSets:
    """Per chart format, the pack's charts by name."""
    from reports import charts

    drawn = {"rag": charts.rag_summary(pack.steps, fmts)}
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


def agenda_parameters(
    body_id: str,
    meeting_on: date,
    as_of: date,
    decisions_from: date | None = None,
    pack: AgendaPack | None = None,
) -> dict[str, Any]:
    """What an archived pack keeps to be made again: body, meeting, day and layout (and where
    its decision list starts, when not at the previous meeting); and the items its *ter
    besluitvorming* put to the body (``listed``): a later pack says *eerder voorgelegd* from
    them."""
    parameters: dict[str, Any] = {
        "body": body_id,
        "meeting": meeting_on.isoformat(),
        "as_of": as_of.isoformat(),
        "layout": AGENDA_LAYOUT,
    }
    if decisions_from is not None:
        parameters["decisions_from"] = decisions_from.isoformat()
    if pack is not None:
        parameters["listed"] = sorted({a.item.item_id for a in pack.asked})
    return parameters


def agenda(
    app: App, body_id: str, meeting_on: date, as_of: date, fmt: str, *, archive: bool = True
) -> Rendered:
    """Build, render and archive one agenda pack (a PDF carries its annex as an attachment)."""
    return agenda_formats(app, body_id, meeting_on, as_of, (fmt,), archive=archive)[0]


def agenda_formats(
    app: App,
    body_id: str,
    meeting_on: date,
    as_of: date,
    fmts: tuple[str, ...],
    *,
    archive: bool = True,
    background: bool = False,
    recorded_until: datetime | None = None,
    plan: Plan | None = None,
    made_via: str = "cli",
    decisions_from: date | None = None,
) -> list[Rendered]:
    """The pack in each format from one assembled pack; each archived with its hash. A PDF's
    annex (every item, :func:`render_agenda_annex`) is archived too, as its attachment.
    ``decisions_from``: where its decision list starts, when not at the previous meeting
    (:func:`regie.prepare.pack_decisions_from`; kept with the archived pack's parameters).

    ``background`` (the command line): a PDF is made in a worker process forked now, which
    imports WeasyPrint and matplotlib while this one loads the plan and assembles the pack,
    then draws the PNG charts and lays out the PDF while this one makes the other formats.
    ``recorded_until``: from the records recorded up to then only (a rebuild of an archived
    pack); ``plan``: this plan rather than the file's (the one an archived pack was made of)."""
    for fmt in fmts:
        check_format(fmt)
    from regie.pdf_worker import contents as _contents
    from regie.pdf_worker import pdf_worker

    with pdf_worker(fmts, background, "agenda.html.j2") as worker:
        plan = plan or app.load_plan()
        pack, cut_off = _agenda_pack(
            app, body_id, meeting_on, as_of, plan=plan, recorded_until=recorded_until,
            decisions_from=decisions_from,
        )  # fmt: skip
        contents = _contents(
            fmts,
            worker,
            partial(render_agenda, pack),
            partial(_agenda_charts, pack),
            _ready_to_archive if archive else None,
        )
    parameters = agenda_parameters(body_id, meeting_on, as_of, decisions_from, pack)
    title = f"Agenda {pack.body_name} {meeting_on.isoformat()}"
    documents: list[tuple[str, str, str, bytes]] = []
    for fmt in fmts:
        documents.append(("agenda", fmt, title, contents[fmt]))
        if fmt == "pdf":
            annex = render_agenda_annex(pack)
            documents.append((ANNEX_KIND, "html", f"Bijlage bij {title}", annex))
    stored = _archive_many(
        app, plan, as_of, parameters, documents, archive, data_until=cut_off, made_via=made_via
    )
    return _with_attachments(stored, annex_name(pack))


def _ready_to_archive() -> None:
    """Import the ORM and the store's models (≈ 0.2 s) while the PDF worker writes the PDF:
    the pack was read without them (:mod:`store.reports_read`), the archive needs them."""
    from store import reports_repo, sync  # noqa: F401 - imported to have them loaded


def _archive(
    app: App,
    plan: Plan,
    kind: str,
    fmt: str,
    title: str,
    as_of: date,
    parameters: dict[str, Any],
    content: bytes,
    archive: bool,
    *,
    made_via: str = "cli",
) -> Rendered:
    return _archive_many(
        app, plan, as_of, parameters, [(kind, fmt, title, content)], archive, made_via=made_via
    )[0]


def _archive_many(
    app: App,
    plan: Plan,
    as_of: date,
    parameters: dict[str, Any],
    documents: list[tuple[str, str, str, bytes]],
    archive: bool,
    *,
    data_until: datetime | None = None,
    made_via: str = "cli",
) -> list[Rendered]:
    """Each (kind, format, title, content) with its sha256; archived in one transaction, with
    what it rests on: the plan file's hash (its text kept once per hash), the maker, how it was
    made and the data cut-off (computed here when the caller has none)."""
    from regie.services import utcnow
    from store import sync_plan
    from store.reports_repo import Provenance, ReportsRepository

    out = [
        Rendered(
            kind, fmt, title, as_of, parameters, content, hashlib.sha256(content).hexdigest(),
            data_until=data_until,
        )
        for kind, fmt, title, content in documents
    ]  # fmt: skip
    if not archive:
        return out
    plan_text = _plan_text(plan)
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
        repo = ReportsRepository(session, plan.programme.id)
        if data_until is None:
            from governance.events import ESCALATION_RAISED
            from store import reports_read
            from store.dialect import reader

            data_until = reports_read.data_until(
                reader(session), plan.programme.id, as_of, ESCALATION_RAISED
            )
        if plan_text is not None and plan.source_hash is not None:
            repo.keep_plan_text(plan.source_hash, plan_text, str(plan.path))
        made = Provenance(plan.source_hash, operator(), made_via, data_until)
        for n, r in enumerate(out):
            stored = repo.archive(
                kind=r.kind, format=r.format, title=r.title, as_of=as_of, parameters=parameters,
                sha256=r.sha256, content=r.content, provenance=made,
            )  # fmt: skip
            out[n] = replace(r, archive_id=stored.id, data_until=data_until)
        if documents and documents[0][0] == "voortgang":
            # Its queued report-due reminders are moot now: cancelled with the archive.
            _cancel_reminders(app, session, plan, parameters, out)
    for r in out:
        _copy_on_disk(app, r)
    return out


def _cancel_reminders(
    app: App, session: Session, plan: Plan, parameters: dict[str, Any], out: list[Rendered]
) -> None:
    from regie.report_due import cancel_delivered
    from regie.services import today

    only = plan.reports[0].id if len(plan.reports) == 1 else None
    made_for = parameters.get("report") or only
    if made_for is None:
        return
    ids = ", ".join(str(r.archive_id) for r in out if r.kind == "voortgang")
    why = f"report {made_for} {parameters.get('from')} – {parameters.get('to')} archived ({ids})"
    cancel_delivered(session, plan, str(made_for), why, today(app, plan))


#: Each archived report is also written here (REGIE_HOME/archief), 0600: a database restored
#: from an older backup loses the reports made since, and ``regie report list`` then names
#: the files it no longer knows (docs/operations.md, "Restore").
ARCHIVE_COPIES = "archief"


def copy_name(archive_id: int, sha256: str, fmt: str) -> str:
    return f"{archive_id:06d}-{sha256[:16]}.{fmt}"


def _copy_on_disk(app: App, r: Rendered) -> None:
    """Best effort: the database holds the report; a copy that cannot be written is no
    reason to fail a report already archived."""
    from store.files import write_private

    if r.archive_id is None:
        return
    folder = app.settings.home / ARCHIVE_COPIES
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        write_private(folder / copy_name(r.archive_id, r.sha256, r.format), r.content)
    except OSError:
        return


def unknown_copies(app: App, archived_rows: Sequence[Any]) -> list[str]:
    """Copies in REGIE_HOME/archief of reports the archive does not hold (same id and hash):
    made after the backup the database was restored from."""
    import re

    folder = app.settings.home / ARCHIVE_COPIES
    if not folder.is_dir():
        return []
    known = {copy_name(r.id, r.sha256, r.format) for r in archived_rows}
    pattern = re.compile(r"^\d{6,}-[0-9a-f]{16}\.[a-z]+$")
    return sorted(p.name for p in folder.iterdir() if pattern.match(p.name) and p.name not in known)


def _plan_text(plan: Plan) -> bytes | None:
    """The plan file's bytes when they are still those the plan was loaded from (its hash)."""
    from pathlib import Path

    from governance.parser_version import PARSER_VERSION

    if plan.path is None or plan.source_hash is None:
        return None
    try:
        data = Path(plan.path).read_bytes()
    except OSError:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    digest = hashlib.sha256(f"{PARSER_VERSION}\n{text}".encode("utf-8", "surrogatepass"))
    return data if digest.hexdigest() == plan.source_hash else None


def archived(app: App) -> list[Any]:
    from store.reports_repo import ReportsRepository

    with app.session() as session:
        return ReportsRepository(session, app.programme_id()).archived()


def download_name(kind: str, fmt: str, parameters: dict[str, Any], report_id: int) -> str:
    """The file name an archived report is downloaded as: the name the command writes and a PDF
    refers to for its annex (``agenda-<body>-<meeting>-bijlage.html``), else a generic one."""
    import re

    p = {k: str(v) for k, v in parameters.items()}
    stems = {
        "agenda": ("agenda", p.get("body"), p.get("meeting")),
        "voortgang": ("voortgang", p.get("from"), p.get("to")),
    }
    base, _, annex = kind.partition("-")
    parts = stems.get(base)
    if parts is None or None in parts or annex not in ("", "bijlage"):
        return f"regie-{re.sub(r'[^A-Za-z0-9_-]', '-', kind)}-{report_id}.{fmt}"
    stem = re.sub(r"[^A-Za-z0-9._-]", "-", "-".join(str(x) for x in parts))
    return f"{stem}{'-bijlage' if annex else ''}.{fmt}"


def archived_report(app: App, report_id: int) -> Any:
    from regie.errors import RegieError
    from store.reports_repo import ReportsRepository

    with app.session() as session:
        report = ReportsRepository(session, app.programme_id()).archived_report(report_id)
    if report is None or report.content is None:
        raise InvalidInput(f"no archived report {report_id}")
    if hashlib.sha256(report.content).hexdigest() != report.sha256:
        raise RegieError(f"archived report {report_id}: content does not match its sha256")
    return report


@dataclass(frozen=True, slots=True)
class Reproduction:
    """An archived report made again from the records recorded up to its data cut-off."""

    report_id: int
    archived_sha256: str
    sha256: str
    content: bytes
    recorded_until: datetime
    #: Where the plan came from: the text kept with the report, else today's plan file.
    plan_source: str
    plan_sha256: str | None
    format: str = "html"

    @property
    def matches(self) -> bool:
        return self.sha256 == self.archived_sha256


def parse_recorded_until(value: str | None, option: str = "--recorded-until") -> datetime | None:
    """An ISO instant (``2026-12-04T03:10:35+00:00``); without an offset it is UTC."""
    from datetime import UTC

    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            f"{option}: {value[:40]!r} is not a moment (use e.g. 2026-12-04T03:10:35+00:00)"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def kept_plan(app: App, sha256: str | None) -> Plan | None:
    """The plan an archived report was made from, parsed from the text kept with it (None when
    none was kept: a report archived before migration 0019, or a plan file that changed while
    the report was made)."""
    from governance.planfile import PlanInvalid, parse_plan
    from store.reports_repo import ReportsRepository

    if sha256 is None:
        return None
    with app.session() as session:
        found = ReportsRepository(session, app.programme_id()).plan_text(sha256)
    if found is None:
        return None
    data, path = found
    try:
        plan = parse_plan(data.decode("utf-8-sig"), path or "<kept plan>")
    except (PlanInvalid, UnicodeDecodeError):  # parsed by an older parser: not the same plan
        return None
    if plan.source_hash != sha256:
        return None
    from regie.holiday_cache import load_plan_holidays

    load_plan_holidays(plan, app.settings.home / "cache", date.today())
    return plan


def reproduce(app: App, report_id: int, recorded_until: datetime | None = None) -> Reproduction:
    """Make archived report ``report_id`` again, in its format, from the records recorded up to
    its data cut-off (or ``recorded_until``) and the plan it was made from (kept with it; today's
    plan file when none was kept, which the result says). Nothing is archived."""
    report = archived_report(app, report_id)
    cut = recorded_until or report.data_until
    if cut is None:
        raise InvalidInput(
            f"archived report {report_id} has no data cut-off (made before it was recorded): "
            "give --recorded-until"
        )
    plan = kept_plan(app, report.plan_sha256)
    source = "kept" if plan is not None else "current"
    plan = plan or app.load_plan()
    p = {k: str(v) for k, v in (report.parameters or {}).items()}
    base, _, annex = report.kind.partition("-")
    try:
        as_of = date.fromisoformat(p["as_of"])
        if base == "agenda":
            pack, _ = _agenda_pack(
                app, p["body"], date.fromisoformat(p["meeting"]), as_of, plan=plan,
                recorded_until=cut,
                decisions_from=date.fromisoformat(p["decisions_from"])
                if p.get("decisions_from") else None,
                layout=int(p.get("layout", 1)),  # archived before layouts were numbered: 1
            )  # fmt: skip
            layout = int(p.get("layout", 1))
            content = (
                render_agenda_annex(pack, layout)
                if annex
                else render_agenda(pack, report.format, layout=layout)
            )
        elif base == "voortgang":
            made, _ = _progress_report(
                app, date.fromisoformat(p["from"]), date.fromisoformat(p["to"]), as_of,
                plan=plan, recorded_until=cut, recipient=p.get("recipient"),
                layout=int(p.get("layout", 1)),  # archived before layouts were numbered: 1
                report_id=p.get("report"),
            )  # fmt: skip
            content = render_progress_annex(made) if annex else render_progress(made, report.format)
        else:
            raise KeyError(report.kind)
    except (KeyError, ValueError):
        raise InvalidInput(
            f"archived report {report_id} ({report.kind}): its parameters do not say how to "
            "make it again"
        ) from None
    return Reproduction(
        report_id,
        report.sha256,
        hashlib.sha256(content).hexdigest(),
        content,
        cut,
        source,
        plan.source_hash if source == "kept" else report.plan_sha256,
        "html" if annex else report.format,
    )


# --- the progress report (to the recipient its reporting obligation names) -------------------


def progress_report(
    app: App,
    start: date,
    end: date,
    as_of: date,
    *,
    plan: Plan | None = None,
    recorded_until: datetime | None = None,
    recipient: str | None = None,
    report_id: str | None = None,
) -> Any:
    return _progress_report(
        app,
        start,
        end,
        as_of,
        plan=plan,
        recorded_until=recorded_until,
        recipient=recipient,
        report_id=report_id,
    )[0]


def _progress_report(
    app: App,
    start: date,
    end: date,
    as_of: date,
    *,
    plan: Plan | None = None,
    recorded_until: datetime | None = None,
    recipient: str | None = None,
    layout: int | None = None,
    report_id: str | None = None,
) -> tuple[Any, datetime | None]:
    """The report and its data cut-off; ``recipient``: whom it is for (the reporting
    obligation's, :func:`report_recipient`). The plan is the one of ``as_of`` (decisions taken
    and plan-file edits synced after it undone); every change of a due date the plan's
    revisions record is read (also one synced after ``as_of``, with the day it was recorded),
    so that one made without a decision is listed under *vertraagd of gewijzigd*, as are the
    items removed from the plan file and the owners changed (the items' revisions)."""
    from governance.progress import LAYOUT, build_progress
    from governance.provenance import RevisionFact, due_changes
    from store import agenda_read, reports_read
    from store.dialect import reader
    from store.reports_repo import ReportsRepository

    if end < start:
        raise InvalidInput(f"--to {end} is before --from {start}")
    plan = plan or app.load_plan()
    obligation = next((r for r in plan.reports if r.id == report_id), None)
    if report_id is None and len(plan.reports) == 1:
        obligation = plan.reports[0]
    with app.session() as session:
        connection = reader(session)
        programme = plan.programme.id
        revisions = [
            RevisionFact(code, field, before, after, at)
            for code, field, before, after, at in reports_read.plan_revisions(
                connection, programme, recorded_until
            )
        ]
        measured = ReportsRepository(session, programme).measurements(until=as_of)
        if recorded_until is not None:
            measured = [m for m in measured if m.recorded_at and m.recorded_at <= recorded_until]
        basis = report_basis(connection, plan, as_of, recorded_until)
        items, _ = agenda_read.item_revisions(connection, programme, recorded_until)
    moved = due_changes(revisions, basis.recorded)
    report = build_progress(
        basis.plan,
        basis.assessment,
        start,
        end,
        decisions=basis.decisions,
        measurements=measured,
        due_changes=[c for c in moved if not c.decided],
        revisions=items,
        recipient=recipient,
        layout=LAYOUT if layout is None else layout,
        # The obligation it is for (its approval names it): the one given, else the plan's only.
        obligation_id=obligation.id if obligation is not None else None,
        delivered_by=obligation.action if obligation is not None else None,
    )
    return report, basis.cut_off


def progress_annex_name(report: Any) -> str:
    return f"voortgang-{report.start.isoformat()}-{report.end.isoformat()}-bijlage.html"


def render_progress(report: Any, fmt: str, *, charts: ChartMaker | None = None) -> bytes:
    """Like the agenda pack: the PDF caps its lists and names its annex file."""
    from governance.progress import TEMPLATES_FROM

    return _render_document(
        fmt,
        template="voortgang" if report.layout >= TEMPLATES_FROM else "voortgang_v1",
        context={"r": report, "annex_file": progress_annex_name(report) if fmt == "pdf" else None},
        charts=charts or _chart_maker(lambda cf: _progress_charts(report, cf), (fmt,)),
        title=f"Voortgangsrapportage {report.programme_short} {report.start} – {report.end}",
        footer=f"{report.programme_short} · voortgangsrapportage {report.start} – {report.end}",
        as_of=report.as_of,
    )


def render_progress_annex(report: Any) -> bytes:
    about = (
        f"Bij de voortgangsrapportage {long_date(report.start)} tot en met {long_date(report.end)}"
    )
    return _render_annex(
        report.annex,
        about=about,
        programme_title=report.programme_title,
        as_of=report.as_of,
        footer=f"{report.programme_short} · {progress_annex_name(report)}",
        completed=report.completed_on,
    )


def _progress_charts(report: Any, fmts: Sequence[str]) -> ChartSets:
    from reports import charts

    drawn = {
        f"indicator-{i.indicator.id}": charts.indicator(i, fmts)
        for i in report.indicators
        if i.measurements
    }
    return _by_format(drawn, fmts)


def voortgang(
    app: App, start: date, end: date, as_of: date, fmt: str, *, archive: bool = True
) -> Rendered:
    return voortgang_formats(app, start, end, as_of, (fmt,), archive=archive)[0]


def voortgang_formats(
    app: App,
    start: date,
    end: date,
    as_of: date,
    fmts: tuple[str, ...],
    *,
    archive: bool = True,
    background: bool = False,
    recorded_until: datetime | None = None,
    plan: Plan | None = None,
    made_via: str = "cli",
    report_id: str | None = None,
) -> list[Rendered]:
    """The progress report in each format from one report (see :func:`agenda_formats`).
    ``report_id``: the plan's reporting obligation it is made for (kept with its parameters:
    the next report's default period follows it, :func:`progress_period`); the report names
    its recipient (:func:`report_recipient`, kept with the parameters too, so that
    ``regie report reproduce`` names the same one)."""
    for fmt in fmts:
        check_format(fmt)
    from regie.pdf_worker import contents as _contents
    from regie.pdf_worker import pdf_worker

    with pdf_worker(fmts, background, "voortgang.html.j2") as worker:
        if plan is None:
            plan = app.load_plan()
            if archive:
                # The plan file's edits recorded first: the report lists them (a date moved
                # without a decision) and rests on this plan's revision.
                _sync(app, plan)
        recipient = report_recipient(plan, report_id)
        report, cut_off = _progress_report(
            app,
            start,
            end,
            as_of,
            plan=plan,
            recorded_until=recorded_until,
            recipient=recipient,
            report_id=report_id,
        )
        contents = _contents(
            fmts, worker, partial(render_progress, report), partial(_progress_charts, report)
        )
    parameters: dict[str, Any] = {
        "from": start.isoformat(), "to": end.isoformat(), "as_of": as_of.isoformat(),
    }  # fmt: skip
    if report_id is not None:
        parameters["report"] = report_id
    if report.recipient is not None:
        parameters["recipient"] = report.recipient
    if report.approved is None:  # not yet approved: the next report's period does not follow it
        parameters["concept"] = "yes"
    elif report.approved_implicitly:  # `regie doctor` lists it: the decision names no report
        parameters["approval"] = "implicit"
    parameters["layout"] = report.layout  # reproduce makes it again with the same layout
    title = f"Voortgangsrapportage {start.isoformat()} – {end.isoformat()}"
    documents: list[tuple[str, str, str, bytes]] = []
    for fmt in fmts:
        documents.append(("voortgang", fmt, title, contents[fmt]))
        if fmt == "pdf":
            annex = render_progress_annex(report)
            documents.append((PROGRESS_ANNEX_KIND, "html", f"Bijlage bij {title}", annex))
    stored = _archive_many(
        app, plan, as_of, parameters, documents, archive, data_until=cut_off, made_via=made_via
    )
    return _with_attachments(stored, progress_annex_name(report))


# --- the reporting obligation: default period, the action it delivers --------------------------


def report_recipient(plan: Plan, report_id: str | None) -> str | None:
    """Whom a progress report is for: the ``recipient`` of the reporting obligation
    ``report_id`` names, else of the plan's only one; None when the plan names none, or
    several and the report names none of them (the report then names no recipient)."""
    obligation = _obligation(plan, report_id, None)
    return obligation.recipient if obligation is not None else None


@dataclass(frozen=True, slots=True)
class ProgressPeriod:
    """The period a progress report covers, and the plan's reporting obligation it is for."""

    start: date
    end: date
    as_of: date
    obligation: ReportObligation | None
    #: How the period was chosen when it was not given (one line for stderr), else None.
    chosen: str | None = None
    #: The day the report's action is recorded gereed (``--mark-done``): ``--as-of`` when
    #: given, else today; never after today.
    delivered_on: date | None = None


def progress_period(
    app: App,
    start: date | None,
    end: date | None,
    as_of: date | None,
    report_id: str | None = None,
    *,
    mark_done: bool = False,
    recorded_until: datetime | None = None,
) -> ProgressPeriod:
    """The period of ``regie report voortgang``: ``start``–``end`` as given, else from the
    reporting obligation's cadence (:data:`governance.progress.CADENCES`): the period after
    the last archived progress report's (recorded up to ``recorded_until``), or else from the
    programme's start in whole periods through the last one over on ``as_of`` (default today).
    The obligation: ``report_id``, else the plan's only one. Refusals are one line."""
    from governance.progress import CADENCE_NAMES, cadence_months, period_after
    from governance.report_due import cadence_periods
    from regie.services import today

    if (start is None) != (end is None):
        raise InvalidInput(
            "--from/--to: give both, or neither (the period then follows from the plan's "
            "reporting cadence)"
        )
    plan = app.load_plan()
    given = start is not None
    need = None if given and not mark_done else ("--mark-done" if given else "--from/--to")
    obligation = _obligation(plan, report_id, need)
    now = today(app, plan)
    delivered_on = as_of or now
    if mark_done and delivered_on > now:
        raise InvalidInput(
            f"--mark-done: the report is as of {delivered_on}, after today ({now}): its action "
            "is recorded gereed once the report is made"
        )
    _within_life(plan, start, end, as_of, now)
    if start is not None and end is not None:
        return ProgressPeriod(start, end, as_of or end, obligation, None, delivered_on)
    assert obligation is not None
    day = as_of or now
    months = cadence_months(obligation.cadence)
    if months is None:
        cadence = (
            f"has cadence {obligation.cadence!r}, not one Regie reads ({', '.join(CADENCE_NAMES)})"
            if obligation.cadence
            else "has no cadence"
        )
        raise InvalidInput(
            f"--from/--to: reporting obligation {obligation.id} {cadence}: give --from and --to"
        )
    cadence = " ".join((obligation.cadence or "").split())
    previous = _previous_progress_report(app, plan, obligation, recorded_until)
    if previous is not None:
        archive_id, before_from, before_to = previous
        first, last = period_after(before_to, months)
        ended = plan.programme.end
        if ended is not None and first > ended:
            raise InvalidInput(
                f"--from/--to: the programme ended on {ended} and the last archived progress "
                f"report ({obligation.id}, archief {archive_id}, {before_from} – {before_to}) "
                "reaches it: there is no later period; give --from and --to"
            )
        if ended is not None and last > ended:
            last = ended  # the programme's end cuts the last period short
        if last > day:
            raise InvalidInput(
                f"--from/--to: the {cadence} period after the last archived progress report "
                f"(archief {archive_id}, {before_from} – {before_to}) runs to {last}, after "
                f"{day}: give --from and --to, or a later --as-of"
            )
        chosen = (
            f"period {first} – {last}: the {cadence} period ({obligation.id}) after archief "
            f"{archive_id} ({before_from} – {before_to})"
        )
        return ProgressPeriod(first, last, day, obligation, chosen, delivered_on)
    begin = plan.programme.start
    if begin is None:
        raise InvalidInput(
            f"--from/--to: the programme has no start to count {cadence} periods from: give "
            "--from and --to"
        )
    # Whole periods, none after the programme's end: the last one ends on it (cadence_periods).
    over = cadence_periods(plan, obligation, day)
    found = (begin, over[-1][1]) if over else None
    if found is None:
        raise InvalidInput(
            f"--from/--to: no whole {cadence} period since the programme's start {begin} is "
            f"over on {day}: give --from and --to, or a later --as-of"
        )
    first, last = found
    chosen = (
        f"period {first} – {last}: from the programme's start in whole {cadence} periods "
        f"({obligation.id}) through the last one over on {day}; no progress report archived "
        "before"
    )
    return ProgressPeriod(first, last, day, obligation, chosen, delivered_on)


def _within_life(
    plan: Plan, start: date | None, end: date | None, as_of: date | None, today: date
) -> None:
    """Refuse a period or day far off the programme's life plus margin (``--as-of 9999-12-31``
    would count whole periods to the calendar's end and archive one): one line each. Today
    is never far off: a report of a finished programme may be made (and marked) late."""
    from governance.dates import outside_life, programme_life

    given = {"--from": start, "--to": end, "--as-of": as_of}
    life = programme_life(plan).reaching(today)
    problems = outside_life(life, {k: v for k, v in given.items() if v})
    if problems:
        raise InvalidInput(*problems)


def _obligation(plan: Plan, report_id: str | None, need: str | None) -> ReportObligation | None:
    """The reporting obligation ``report_id`` names, else the plan's only one; when ``need``
    (the option that needs one) and there is none or several, one line asking for it."""
    known = [r.id for r in plan.reports]
    if report_id is not None:
        found = next((r for r in plan.reports if r.id == report_id), None)
        if found is None:
            raise InvalidInput(
                f"--report: the plan has no reporting obligation {report_id!r} "
                f"(known: {', '.join(known) or 'none'})"
            )
        chosen: ReportObligation | None = found
    else:
        chosen = plan.reports[0] if len(plan.reports) == 1 else None
    if need is None:
        return chosen
    if chosen is None and not known:
        instead = "give --from and --to" if need == "--from/--to" else "no action to mark"
        raise InvalidInput(f"{need}: the plan names no reporting obligation (reports:): {instead}")
    if chosen is None:
        instead = "give --report ID" + (", or --from and --to" if need == "--from/--to" else "")
        raise InvalidInput(
            f"{need}: the plan names {len(known)} reporting obligations ({', '.join(known)}): "
            f"{instead}"
        )
    if need == "--mark-done" and chosen.action is None:
        raise InvalidInput(
            f"--mark-done: reporting obligation {chosen.id} names no action (reports: … action:)"
        )
    return chosen


def _previous_progress_report(
    app: App, plan: Plan, obligation: ReportObligation, recorded_until: datetime | None
) -> tuple[int, date, date] | None:
    """The archived progress report for ``obligation`` whose period ends last (archive id,
    from, to): made for it, or made without naming one while the plan has only this one."""
    from store.reports_repo import ReportsRepository

    with app.session() as session:
        rows = ReportsRepository(session, plan.programme.id).archived("voortgang")
    best: tuple[date, int, date] | None = None
    for row in rows:
        if recorded_until is not None and row.created_at > recorded_until:
            continue
        p = row.parameters or {}
        made_for = p.get("report")
        if made_for != obligation.id and (made_for is not None or len(plan.reports) != 1):
            continue
        if p.get("concept"):  # a concept is made again once approved: that one counts
            continue
        try:
            first, last = date.fromisoformat(str(p["from"])), date.fromisoformat(str(p["to"]))
        except (KeyError, ValueError):
            continue
        if best is None or last > best[0]:  # rows in id order: the first of that period
            best = (last, row.id, first)
    return None if best is None else (best[1], best[2], best[0])


def report_action(
    app: App, period: ProgressPeriod, rendered: Sequence[Rendered], *, mark_done: bool
) -> list[str]:
    """After a progress report is archived: the items of its obligation's action the report
    delivers (:func:`governance.progress.delivered_items`: open, due from the period's end
    through the end of the next period). ``mark_done``: each is recorded gereed on the
    period's ``delivered_on``, an append-only update with source ``report``, the report's
    archive ids and hashes in its note, by the maker; else a hint names them. One line each.
    A report not archived (made again with ``--recorded-until``) records nothing. A concept
    (no decision about the action approved it, :func:`governance.progress.approval`, among
    the decisions recorded up to its data cut-off) is not marked: refused in one line."""
    from governance.progress import (
        LAYOUT,
        approval,
        delivered_items,
        delivery_window,
        report_approval,
    )

    obligation = period.obligation
    documents = [r for r in rendered if r.archive_id is not None]
    if obligation is None or obligation.action is None or not documents:
        return []
    plan = app.load_plan()
    # Open on the day it would be recorded (an item marked since the report's day is done).
    day = max(period.as_of, period.delivered_on or period.as_of)
    with app.reading() as connection:
        basis = report_basis(connection, plan, day, None)
    cut = next((r.data_until for r in documents if r.data_until is not None), None)
    known = [d for d in basis.decisions if not (cut and d.recorded_at and d.recorded_at > cut)]
    ids = next((r.archive_id for r in documents if r.kind == "voortgang"), documents[0].archive_id)
    made = next((r for r in documents if r.kind == "voortgang"), documents[0])
    if int((made.parameters or {}).get("layout", LAYOUT)) >= 3:
        approved, _ = report_approval(
            plan, known, obligation.id, obligation.action, period.start, period.end, period.as_of
        )
    else:  # archived before approvals named their report: the rule it was made with
        approved = approval(known, obligation.action, period.end, period.as_of)
    concept = approved is None
    if mark_done and concept:
        raise InvalidInput(
            f"--mark-done: archief {ids} is a concept: no decision taken after {period.end} "
            f"and on or before {period.as_of} approves it; record the approval (`regie "
            f"decision add --body ID --meeting DATE --approves-report {obligation.id}:"
            f"{period.start}/{period.end} --text …`), make the report again as of that day or "
            "later, then mark that one"
        )
    until = delivery_window(period.start, period.end, obligation)
    current = {d.item_id for d in plan.deadlines()}
    items = [
        i
        for i in delivered_items(basis.assessment, obligation.action, period.end, until)
        if i.item_id in current
    ]
    if not items:
        if not mark_done:
            return []
        return [
            f"note: action {obligation.action} ({obligation.id}) has no open item due from "
            f"{period.end} through {until}: nothing marked gereed"
        ]
    if not mark_done:
        named = ", ".join(
            f"{i.item_id} (due {i.due}, {i.state.value.replace('_', ' ')})" for i in items
        )
        if concept:
            return [
                f"note: this report may deliver {named} of action {obligation.action}; it is a "
                f"concept until a decision approves it (`regie decision add … --approves-report "
                f"{obligation.id}:{period.start}/{period.end}`): make it again after that "
                "decision, then `regie report mark-done ID` records it gereed"
            ]
        return [
            f"note: this report may deliver {named} of action {obligation.action}: "
            f"`regie report mark-done {ids}` records it gereed with the report"
        ]
    return _mark_delivered(app, plan, period, documents, [i.item_id for i in items])


def mark_archived_done(
    app: App, archive_id: int, report_id: str | None = None, on: date | None = None
) -> list[str]:
    """``regie report mark-done ID``: what ``--mark-done`` does when the report is made, for a
    progress report archived before (its period, day and obligation from its parameters;
    ``report_id`` when it names none and the plan has several), recorded for ``on`` (default
    today; not before the report's day, not after today)."""
    from regie.services import today

    report = archived_report(app, archive_id)
    if report.kind != "voortgang":
        raise InvalidInput(
            f"archief {archive_id} is a {report.kind} report, not a progress report (voortgang)"
        )
    p = {k: str(v) for k, v in (report.parameters or {}).items()}
    try:
        start, end = date.fromisoformat(p["from"]), date.fromisoformat(p["to"])
        as_of = date.fromisoformat(p["as_of"])
    except (KeyError, ValueError):
        raise InvalidInput(
            f"archief {archive_id}: its parameters do not say which period it covers"
        ) from None
    made_for = p.get("report")
    if report_id is not None and made_for is not None and report_id != made_for:
        raise InvalidInput(f"--report: archief {archive_id} was made for {made_for}")
    if on is not None and on < as_of:
        raise InvalidInput(
            f"--as-of: {on} is before the day archief {archive_id} is as of ({as_of})"
        )
    day = on or max(as_of, today(app))
    period = progress_period(app, start, end, day, report_id or made_for, mark_done=True)
    period = replace(period, as_of=as_of)  # the report's day: the items it delivers
    document = Rendered(
        report.kind, report.format, report.title, report.as_of, report.parameters, b"",
        report.sha256, archive_id=report.id, data_until=report.data_until,
    )  # fmt: skip
    return report_action(app, period, [document], mark_done=True)


def _mark_delivered(
    app: App,
    plan: Plan,
    period: ProgressPeriod,
    documents: Sequence[Rendered],
    item_ids: Sequence[str],
) -> list[str]:
    from governance.decisions import REPORT_SOURCE
    from governance.updates import StatusUpdate, UpdateStatus
    from regie.answers import backdated_note, store_answers, unpublished_note
    from reports.render import render

    note = " ".join(
        render(
            "voortgang_gereed.txt.j2", start=period.start, end=period.end, as_of=period.as_of,
            documents=[r for r in documents if r.kind == "voortgang"] or documents,
        ).split()
    )  # fmt: skip
    maker = operator()
    on = period.delivered_on or period.as_of
    recorded = store_answers(
        app,
        plan,
        [
            StatusUpdate(
                item_id=item_id,
                status=UpdateStatus.DONE,
                reported_on=on,
                completed_on=on,
                comment=note,
                author=maker,
                source=REPORT_SOURCE,
            )
            for item_id in item_ids
        ],
        sync=True,
    )
    ids = ", ".join(str(r.archive_id) for r in documents if r.kind == "voortgang")
    if period.obligation is not None:
        from regie.report_due import cancel_delivered
        from regie.services import today

        # The reminders of the items now gereed are moot: cancelled, visibly, in the outbox.
        why = f"report {period.obligation.id} marked done (archief {ids})"
        with app.session() as session, session.begin():
            cancel_delivered(session, plan, period.obligation.id, why, today(app, plan))
    lines = [
        f"{r.update.item_id}: done recorded for {on} (update {r.update.id}, source "
        f"report: archief {ids})"
        for r in recorded
    ]
    return [*lines, *(n for n in (backdated_note(recorded), unpublished_note(recorded)) if n)]


def _sync(app: App, plan: Plan) -> None:
    from regie.services import utcnow
    from store import sync_plan

    with app.session() as session, session.begin():
        sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))


def _with_attachments(stored: list[Rendered], annex_file: str) -> list[Rendered]:
    """Each annex attached to the PDF archived just before it."""
    out: list[Rendered] = []
    for rendered in stored:
        if rendered.kind in (ANNEX_KIND, PROGRESS_ANNEX_KIND):
            out[-1] = replace(out[-1], attachments=(replace(rendered, name=annex_file),))
        else:
            out.append(rendered)
    return out


# --- indicators -------------------------------------------------------------------------------


def record_measurement(app: App, indicator_id: str, value: float, on: date, source: str) -> str:
    from governance.dates import outside_life, programme_life
    from governance.decisions import Measurement
    from regie.services import utcnow
    from store import sync_plan
    from store.reports_repo import ReportsRepository

    plan = app.load_plan()
    known = [i.id for i in plan.indicators()]
    if indicator_id not in known:
        listed = ", ".join(known) or "none in the plan"
        raise InvalidInput(f"unknown indicator {indicator_id!r} (known: {listed})")
    # A measurement may concern the baseline's year or come in after the programme's end, up
    # to its target date: the life stretched to both, with the margin.
    indicator = next(i for i in plan.indicators() if i.id == indicator_id)
    life = programme_life(plan)
    for day in (indicator.baseline_date, indicator.target_date):
        life = life.reaching(day) if day is not None else life
    beyond = outside_life(life, {"--on": on})
    if beyond:
        raise InvalidInput(*beyond)
    if not source.strip():
        raise InvalidInput("--source: say where the value comes from")
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
        stored = ReportsRepository(session, plan.programme.id).add_measurement(
            Measurement(indicator_id, value, on, source.strip())
        )
    return f"{indicator_id}: {value:g} on {on} recorded (measurement {stored.id})"


def indicator_rows(app: App) -> list[dict[str, Any]]:
    from store.reports_repo import ReportsRepository

    plan = app.load_plan()
    with app.session() as session:
        measured = ReportsRepository(session, plan.programme.id).measurements()
    latest = {m.indicator_id: m for m in measured}
    rows = []
    for i in plan.indicators():
        m = latest.get(i.id)
        rows.append(
            {
                "id": i.id, "goal": i.goal_id, "name": i.name, "unit": i.unit,
                "baseline": i.baseline, "target": i.target,
                "target_date": i.target_date.isoformat() if i.target_date else None,
                "latest": None if m is None else {
                    "value": m.value, "on": m.measured_on.isoformat(), "source": m.source,
                },
                "source": i.source,
            }
        )  # fmt: skip
    return rows
