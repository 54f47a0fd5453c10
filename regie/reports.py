"""Use cases of the governance reports: meetings, the agenda pack, rendering and the archive.

Content comes from :mod:`governance.agenda` / :mod:`governance.progress`, formats from
:mod:`reports`; this module loads, assesses, renders and archives (content hash, append-only).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from governance.agenda import AgendaPack
    from governance.assessment import Assessment
    from governance.meetings import Meeting
    from governance.plan import GovernanceBody, Plan

FORMATS = ("html", "md", "pdf", "docx")
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
    from store.reports_repo import ReportsRepository

    plan = plan or app.load_plan()
    bodies = [body_or_fail(plan, body_id)] if body_id else list(plan.governance)
    with app.session() as session:
        extra = ReportsRepository(session, plan.programme.id).meetings(body_id)
    first, last = _term(plan)
    out: list[Meeting] = []
    for body in bodies:
        in_db = [m for m in extra if m.body_id == body.id]
        last_db = max((m.on for m in in_db), default=last)
        out.extend(schedule_meetings(body.id, body.meetings, in_db, first, max(last, last_db)))
    return sorted(out, key=lambda m: (m.on, m.body_id))


def add_meeting(
    app: App, body_id: str, on: date, at: time | None, location: str | None, note: str | None
) -> str:
    from governance.meetings import Meeting
    from regie.services import utcnow
    from store import sync_plan
    from store.reports_repo import ReportsRepository

    plan = app.load_plan()
    body_or_fail(plan, body_id)
    with app.session() as session, session.begin():
        sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
        added = ReportsRepository(session, plan.programme.id).add_meeting(
            Meeting(body_id, on, at, location, source="db", note=note)
        )
    if not added:
        raise InvalidInput(f"{body_id} already has a meeting on {on} in the database")
    return f"{body_id}: meeting on {on} added"


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


def assess_as_of(session: Session, plan: Plan, as_of: date) -> Assessment:
    from governance.assessment import assess
    from store.assessment_query import assessment_updates

    return assess(plan, assessment_updates(session, plan.programme.id, as_of), as_of)


def agenda_pack(
    app: App, body_id: str, meeting_on: date, as_of: date, *, plan: Plan | None = None
) -> AgendaPack:
    from governance.agenda import build_agenda
    from governance.events import ESCALATION_RAISED
    from governance.meetings import previous_and_next
    from store.reports_repo import ReportsRepository

    plan = plan or app.load_plan()
    body = body_or_fail(plan, body_id)
    all_meetings = meeting_or_fail(app, plan, body_id, meeting_on)
    meeting = next(m for m in all_meetings if m.on == meeting_on)
    previous, following = previous_and_next(all_meetings, meeting_on)
    with app.session() as session:
        assessment = assess_as_of(session, plan, as_of)
        repo = ReportsRepository(session, plan.programme.id)
        decisions = repo.decisions(body_id, until=as_of)
        escalations = repo.events_named(ESCALATION_RAISED, as_of)
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


def render_agenda(pack: AgendaPack, fmt: str) -> bytes:
    """The pack in one format. HTML and Markdown are byte-identical for the same pack."""
    return _render_document(
        fmt,
        template="agenda",
        context={"pack": pack},
        charts=lambda chart_fmt: _agenda_charts(pack, chart_fmt),
        title=f"Agenda {pack.body_name} {pack.meeting.on.isoformat()}",
        footer=f"{pack.programme_short} · agenda {pack.body_id} {pack.meeting.on.isoformat()}",
        as_of=pack.as_of,
    )


def _render_document(
    fmt: str,
    *,
    template: str,
    context: dict[str, Any],
    charts: Callable[[str], dict[str, bytes]],
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
        from reports.pdf import html_to_pdf

        return html_to_pdf(html)
    if fmt == "md":
        return render(f"{template}.md.j2", **context, images=False).encode()
    if fmt == "docx":
        from reports.docx import markdown_to_docx

        markdown = render(f"{template}.md.j2", **context, images=True)
        return markdown_to_docx(markdown, charts("png"), title=title, as_of=as_of)
    raise InvalidInput(f"--format: unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def _agenda_charts(pack: AgendaPack, fmt: str) -> dict[str, bytes]:
    from reports import charts

    out = {"rag": charts.rag_summary(pack.steps, fmt)}
    for step in pack.steps:
        chart = charts.timeline(
            [line for line in pack.annex if line.step == step.number], pack.as_of, fmt
        )
        if chart is not None:
            out[f"timeline-{step.number}"] = chart
    return out


def _data_uris(images: dict[str, bytes], fmt: str) -> dict[str, str]:
    import base64

    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    return {k: f"data:{mime};base64,{base64.b64encode(v).decode()}" for k, v in images.items()}


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise InvalidInput(f"--format: unknown format {fmt!r} (known: {', '.join(FORMATS)})")


def agenda(
    app: App, body_id: str, meeting_on: date, as_of: date, fmt: str, *, archive: bool = True
) -> Rendered:
    """Build, render and archive one agenda pack."""
    check_format(fmt)
    plan = app.load_plan()
    pack = agenda_pack(app, body_id, meeting_on, as_of, plan=plan)
    content = render_agenda(pack, fmt)
    parameters = {"body": body_id, "meeting": meeting_on.isoformat(), "as_of": as_of.isoformat()}
    title = f"Agenda {pack.body_name} {meeting_on.isoformat()}"
    return _archive(app, plan, "agenda", fmt, title, as_of, parameters, content, archive)


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
    from regie.services import utcnow
    from store import sync_plan
    from store.reports_repo import ReportsRepository

    digest = hashlib.sha256(content).hexdigest()
    archive_id = None
    if archive:
        with app.session() as session, session.begin():
            sync_plan(session, plan, now=utcnow(), plan_path=str(plan.path))
            stored = ReportsRepository(session, plan.programme.id).archive(
                kind=kind, format=fmt, title=title, as_of=as_of, parameters=parameters,
                sha256=digest, content=content,
            )  # fmt: skip
            archive_id = stored.id
    return Rendered(kind, fmt, title, as_of, parameters, content, digest, archive_id)


def archived(app: App) -> list[Any]:
    from store.reports_repo import ReportsRepository

    with app.session() as session:
        return ReportsRepository(session, app.programme_id()).archived()


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


def render_progress(report: Any, fmt: str) -> bytes:
    return _render_document(
        fmt,
        template="voortgang",
        context={"r": report},
        charts=lambda chart_fmt: _progress_charts(report, chart_fmt),
        title=f"Voortgangsrapportage {report.programme_short} {report.start} – {report.end}",
        footer=f"{report.programme_short} · voortgangsrapportage {report.start} – {report.end}",
        as_of=report.as_of,
    )


def _progress_charts(report: Any, fmt: str) -> dict[str, bytes]:
    from reports import charts

    return {
        f"indicator-{i.indicator.id}": charts.indicator(i, fmt)
        for i in report.indicators
        if i.measurements
    }


def voortgang(
    app: App, start: date, end: date, as_of: date, fmt: str, *, archive: bool = True
) -> Rendered:
    check_format(fmt)
    plan = app.load_plan()
    report = progress_report(app, start, end, as_of, plan=plan)
    content = render_progress(report, fmt)
    parameters = {"from": start.isoformat(), "to": end.isoformat(), "as_of": as_of.isoformat()}
    title = f"Voortgangsrapportage {start.isoformat()} – {end.isoformat()}"
    return _archive(app, plan, "voortgang", fmt, title, as_of, parameters, content, archive)


# --- indicators -------------------------------------------------------------------------------


def record_measurement(app: App, indicator_id: str, value: float, on: date, source: str) -> str:
    from governance.decisions import Measurement
    from regie.services import utcnow
    from store import sync_plan
    from store.reports_repo import ReportsRepository

    plan = app.load_plan()
    known = [i.id for i in plan.indicators()]
    if indicator_id not in known:
        listed = ", ".join(known) or "none in the plan"
        raise InvalidInput(f"unknown indicator {indicator_id!r} (known: {listed})")
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
