"""Use cases of the governance reports: meetings, the agenda pack, rendering and the archive.

Content comes from :mod:`governance.agenda` / :mod:`governance.progress`, formats from
:mod:`reports`; this module loads, assesses, renders and archives (content hash, append-only).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, time
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
    from governance.meetings import Meeting
    from governance.plan import GovernanceBody, Plan

FORMATS = ("html", "md", "pdf", "docx")
#: The archive's kind for a PDF pack's annex file (an agenda pack's full table of items).
ANNEX_KIND = "agenda-bijlage"
PROGRESS_ANNEX_KIND = "voortgang-bijlage"
#: Meetings are looked for this far around the programme's term when it has no start or end.
_FAR = 20


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


def body_or_fail(plan: Plan, body_id: str) -> GovernanceBody:
    body = plan.body(body_id)
    if body is None:
        known = ", ".join(b.id for b in plan.governance) or "none"
        raise InvalidInput(f"--body: unknown governance body {body_id!r} (known: {known})")
    return body


def _term(plan: Plan) -> tuple[date, date]:
    start = plan.programme.start or date(2000, 1, 1)
    end = plan.programme.end or date(start.year + _FAR, 12, 31)
    return start, end


def meetings(app: App, body_id: str | None = None, *, plan: Plan | None = None) -> list[Meeting]:
    """Every meeting of one body (or all bodies) over the programme's term: plan and database."""
    from governance.meetings import schedule_meetings
    from store import reports_read

    plan = plan or app.load_plan()
    bodies = [body_or_fail(plan, body_id)] if body_id else list(plan.governance)
    with app.reading() as connection:
        extra = reports_read.meetings(connection, plan.programme.id, body_id)
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


def meeting_or_fail(app: App, plan: Plan, body_id: str, on: date) -> list[Meeting]:
    """The body's meetings; ``on`` must be one of them."""
    found = meetings(app, body_id, plan=plan)
    if not any(m.on == on for m in found):
        near = ", ".join(m.on.isoformat() for m in found if abs((m.on - on).days) < 120)
        hint = f" (nearby: {near})" if near else ""
        raise InvalidInput(
            f"--meeting: {body_id} has no meeting on {on}{hint}; add one with `regie meeting add`"
        )
    return found


def assess_as_of(session: Session | Connection, plan: Plan, as_of: date) -> Assessment:
    from governance.assessment import assess
    from store.assessment_query import assessment_updates

    return assess(plan, assessment_updates(session, plan.programme.id, as_of), as_of)


def agenda_pack(
    app: App, body_id: str, meeting_on: date, as_of: date, *, plan: Plan | None = None
) -> AgendaPack:
    from governance.agenda import build_agenda
    from governance.events import ESCALATION_RAISED
    from governance.meetings import previous_and_next
    from store import reports_read

    plan = plan or app.load_plan()
    body = body_or_fail(plan, body_id)
    all_meetings = meeting_or_fail(app, plan, body_id, meeting_on)
    meeting = next(m for m in all_meetings if m.on == meeting_on)
    previous, following = previous_and_next(all_meetings, meeting_on)
    # Read on a plain connection: no ORM to import before a PDF's layout can start.
    with app.reading() as connection:
        assessment = assess_as_of(connection, plan, as_of)
        programme = plan.programme.id
        # Every body's: a decision of another body may answer an escalation (build_agenda
        # lists only this body's among the decisions taken).
        decisions = reports_read.decisions(connection, programme, until=as_of)
        escalations = reports_read.events_named(connection, programme, ESCALATION_RAISED, as_of)
    return build_agenda(
        plan,
        assessment,
        body,
        meeting,
        previous=previous,
        next_meeting=following,
        decisions=decisions,
        escalations=escalations,
    )


def annex_name(pack: AgendaPack) -> str:
    """The file the PDF pack refers to for its annex (the same name wherever it is written)."""
    return f"agenda-{pack.body_id}-{pack.meeting.on.isoformat()}-bijlage.html"


def render_agenda(pack: AgendaPack, fmt: str, *, charts: ChartMaker | None = None) -> bytes:
    """The pack in one format. HTML and Markdown are byte-identical for the same pack.

    The PDF leaves the full table out and names the annex file (:func:`render_agenda_annex`):
    WeasyPrint's table layout is the cost of a PDF, and a pack is read by exception."""
    return _render_document(
        fmt,
        template="agenda",
        context={"pack": pack, "annex_file": annex_name(pack) if fmt == "pdf" else None},
        charts=charts or _chart_maker(lambda cf: _agenda_charts(pack, cf), (fmt,)),
        title=f"Agenda {pack.body_name} {pack.meeting.on.isoformat()}",
        footer=f"{pack.programme_short} · agenda {pack.body_name}, {long_date(pack.meeting.on)}",
        as_of=pack.as_of,
    )


def render_agenda_annex(pack: AgendaPack) -> bytes:
    """The annex of the PDF pack as its own self-contained HTML file: every item, and every
    point ter besluitvorming when the PDF could show only the first of them."""
    from governance.agenda import LIMITS

    return _render_annex(
        pack.annex,
        asked=pack.asked if len(pack.asked) > LIMITS["asked"] else (),
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
) -> bytes:
    from reports.render import render

    return render(
        "bijlage.html.j2", lines=lines, about=about, programme_title=programme_title,
        as_of=as_of, title=f"Bijlage: overzicht van alle items ({about})", footer=footer,
        asked=asked, completed=completed or {},
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
) -> list[Rendered]:
    """The pack in each format from one assembled pack; each archived with its hash. A PDF's
    annex (every item, :func:`render_agenda_annex`) is archived too, as its attachment.

    ``background`` (the command line): a PDF is made in a worker process forked now, which
    imports WeasyPrint and matplotlib while this one loads the plan and assembles the pack,
    then draws the PNG charts and lays out the PDF while this one makes the other formats."""
    for fmt in fmts:
        check_format(fmt)
    from regie.pdf_worker import contents as _contents
    from regie.pdf_worker import pdf_worker

    with pdf_worker(fmts, background, "agenda.html.j2") as worker:
        plan = app.load_plan()
        pack = agenda_pack(app, body_id, meeting_on, as_of, plan=plan)
        contents = _contents(
            fmts,
            worker,
            partial(render_agenda, pack),
            partial(_agenda_charts, pack),
            _ready_to_archive if archive else None,
        )
    parameters = {"body": body_id, "meeting": meeting_on.isoformat(), "as_of": as_of.isoformat()}
    title = f"Agenda {pack.body_name} {meeting_on.isoformat()}"
    documents: list[tuple[str, str, str, bytes]] = []
    for fmt in fmts:
        documents.append(("agenda", fmt, title, contents[fmt]))
        if fmt == "pdf":
            annex = render_agenda_annex(pack)
            documents.append((ANNEX_KIND, "html", f"Bijlage bij {title}", annex))
    stored = _archive_many(app, plan, as_of, parameters, documents, archive)
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
) -> Rendered:
    return _archive_many(app, plan, as_of, parameters, [(kind, fmt, title, content)], archive)[0]


def _archive_many(
    app: App,
    plan: Plan,
    as_of: date,
    parameters: dict[str, Any],
    documents: list[tuple[str, str, str, bytes]],
    archive: bool,
) -> list[Rendered]:
    """Each (kind, format, title, content) with its sha256; archived in one transaction."""
    from regie.services import utcnow
    from store import sync_plan
    from store.reports_repo import ReportsRepository

    out = [
        Rendered(kind, fmt, title, as_of, parameters, content, hashlib.sha256(content).hexdigest())
        for kind, fmt, title, content in documents
    ]
    if not archive:
        return out
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
        repo = ReportsRepository(session, plan.programme.id)
        for n, r in enumerate(out):
            stored = repo.archive(
                kind=r.kind, format=r.format, title=r.title, as_of=as_of, parameters=parameters,
                sha256=r.sha256, content=r.content,
            )  # fmt: skip
            out[n] = replace(r, archive_id=stored.id)
    return out


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


# --- progress report to the Kamer -------------------------------------------------------------


def progress_report(
    app: App, start: date, end: date, as_of: date, *, plan: Plan | None = None
) -> Any:
    from governance.progress import build_progress
    from store.reports_repo import ReportsRepository

    if end < start:
        raise InvalidInput(f"--to {end} is before --from {start}")
    plan = plan or app.load_plan()
    with app.session() as session:
        assessment = assess_as_of(session, plan, as_of)
        repo = ReportsRepository(session, plan.programme.id)
        decisions = repo.decisions(until=as_of)
        measured = repo.measurements(until=as_of)
    return build_progress(plan, assessment, start, end, decisions=decisions, measurements=measured)


def progress_annex_name(report: Any) -> str:
    return f"voortgang-{report.start.isoformat()}-{report.end.isoformat()}-bijlage.html"


def render_progress(report: Any, fmt: str, *, charts: ChartMaker | None = None) -> bytes:
    """Like the agenda pack: the PDF caps its lists and names its annex file."""
    return _render_document(
        fmt,
        template="voortgang",
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
) -> list[Rendered]:
    """The progress report in each format from one report (see :func:`agenda_formats`)."""
    for fmt in fmts:
        check_format(fmt)
    from regie.pdf_worker import contents as _contents
    from regie.pdf_worker import pdf_worker

    with pdf_worker(fmts, background, "voortgang.html.j2") as worker:
        plan = app.load_plan()
        report = progress_report(app, start, end, as_of, plan=plan)
        contents = _contents(
            fmts, worker, partial(render_progress, report), partial(_progress_charts, report)
        )
    parameters = {"from": start.isoformat(), "to": end.isoformat(), "as_of": as_of.isoformat()}
    title = f"Voortgangsrapportage {start.isoformat()} – {end.isoformat()}"
    documents: list[tuple[str, str, str, bytes]] = []
    for fmt in fmts:
        documents.append(("voortgang", fmt, title, contents[fmt]))
        if fmt == "pdf":
            annex = render_progress_annex(report)
            documents.append((PROGRESS_ANNEX_KIND, "html", f"Bijlage bij {title}", annex))
    stored = _archive_many(app, plan, as_of, parameters, documents, archive)
    return _with_attachments(stored, progress_annex_name(report))


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
