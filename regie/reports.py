"""Use cases of the governance reports: meetings, the agenda pack, rendering and the archive.

Content comes from :mod:`governance.agenda` / :mod:`governance.progress`, formats from
:mod:`reports`; this module loads, assesses, renders and archives (content hash, append-only).
The parts live in :mod:`regie.report_reads` (meetings, what a report rests on),
:mod:`regie.report_build` (the pack's content; its layouts in :mod:`regie.agenda_layouts`,
what it reads of the earlier packs in :mod:`regie.pack_earlier`), :mod:`regie.report_progress`
(the progress report's content),
:mod:`regie.report_render` (formats), :mod:`regie.report_archive` (archive),
:mod:`regie.report_reproduce` (reproduction) and :mod:`regie.report_period` (the reporting
obligation's period and action); their names are importable from here as before.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from regie.agenda_layouts import AGENDA_LAYOUT
from regie.bootstrap import App
from regie.days_off import _holiday_name, day_off
from regie.errors import InvalidInput
from regie.pdf_worker import _chart_maker
from regie.report_archive import (
    ANNEX_KIND,
    ARCHIVE_COPIES,
    MADE_VIA,
    PROGRESS_ANNEX_KIND,
    Rendered,
    _archive,
    _archive_many,
    _cancel_reminders,
    _copy_on_disk,
    _plan_text,
    _ready_to_archive,
    _sync,
    _with_attachments,
    archive_agenda,
    archived,
    archived_report,
    copy_name,
    download_name,
    operator,
    unknown_copies,
)
from regie.report_build import _agenda_pack, agenda_pack, agenda_parameters
from regie.report_period import (
    ProgressPeriod,
    _mark_delivered,
    _obligation,
    _previous_progress_report,
    _within_life,
    mark_archived_done,
    progress_period,
    report_action,
    report_recipient,
)
from regie.report_progress import _progress_report, progress_report
from regie.report_reads import (
    ReportBasis,
    _term,
    add_meeting,
    assess_as_of,
    body_or_fail,
    meeting_or_fail,
    meetings,
    plan_on,
    recorded_decisions,
    recorded_edits,
    report_basis,
)
from regie.report_render import (
    FORMATS,
    _agenda_charts,
    _agenda_template,
    _as_laid_out,
    _by_format,
    _progress_charts,
    _render_annex,
    _render_document,
    annex_name,
    check_format,
    check_formats,
    long_date,
    progress_annex_name,
    render_agenda,
    render_agenda_annex,
    render_progress,
    render_progress_annex,
)
from regie.report_reproduce import (
    NOT_COMPARABLE,
    Reproduction,
    kept_plan,
    parse_recorded_until,
    reproduce,
)

if TYPE_CHECKING:
    from governance.plan import Plan

# The parts' names, importable from here as before the split.
__all__ = [
    "AGENDA_LAYOUT",
    "ANNEX_KIND",
    "ARCHIVE_COPIES",
    "FORMATS",
    "MADE_VIA",
    "NOT_COMPARABLE",
    "PROGRESS_ANNEX_KIND",
    "ProgressPeriod",
    "Rendered",
    "ReportBasis",
    "Reproduction",
    "_agenda_charts",
    "_agenda_pack",
    "_agenda_template",
    "_archive",
    "_archive_many",
    "_as_laid_out",
    "_by_format",
    "_cancel_reminders",
    "_chart_maker",
    "_copy_on_disk",
    "_holiday_name",
    "_mark_delivered",
    "_obligation",
    "_plan_text",
    "_previous_progress_report",
    "_progress_charts",
    "_progress_report",
    "_ready_to_archive",
    "_render_annex",
    "_render_document",
    "_sync",
    "_term",
    "_with_attachments",
    "_within_life",
    "add_meeting",
    "agenda",
    "agenda_formats",
    "agenda_pack",
    "agenda_parameters",
    "annex_name",
    "archive_agenda",
    "archived",
    "archived_report",
    "assess_as_of",
    "body_or_fail",
    "check_format",
    "check_formats",
    "copy_name",
    "day_off",
    "download_name",
    "indicator_rows",
    "kept_plan",
    "long_date",
    "mark_archived_done",
    "meeting_or_fail",
    "meetings",
    "operator",
    "parse_recorded_until",
    "plan_on",
    "progress_annex_name",
    "progress_period",
    "progress_report",
    "record_measurement",
    "recorded_decisions",
    "recorded_edits",
    "render_agenda",
    "render_agenda_annex",
    "render_progress",
    "render_progress_annex",
    "report_action",
    "report_basis",
    "report_recipient",
    "reproduce",
    "unknown_copies",
    "voortgang",
    "voortgang_formats",
]


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
        from regie import report_build

        contents = _contents(
            fmts,
            worker,
            # The layout its parameters will keep (read now: a test may set an older one).
            partial(render_agenda, pack, layout=report_build.AGENDA_LAYOUT),
            partial(_agenda_charts, pack, layout=report_build.AGENDA_LAYOUT),
            _ready_to_archive if archive else None,
        )
    parameters = agenda_parameters(body_id, meeting_on, as_of, decisions_from, pack)
    if archive and app.settings.simulate and made_via != "prepare":  # review54c 5: by hand
        parameters["made_on"] = _simulated_day(app, plan).isoformat()
    stored = archive_agenda(
        app, plan, pack, cut_off, parameters, {fmt: contents[fmt] for fmt in fmts}, archive,
        made_via=made_via,
    )  # fmt: skip
    return _with_attachments(stored, annex_name(pack))


def _simulated_day(app: App, plan: Plan) -> date:
    """The day a pack is made on in a simulation (REGIE_SIMULATE): the last day `regie cycle
    --simulate` ran, where its history stands (today before it ran). A later pack reads it to
    tell a pack made before its meeting from a look back at it (:func:`regie.pack_earlier.
    shown_before`); archiving stamps the wall clock, which a simulation's days do not follow."""
    from regie.services import simulated_day, today

    return simulated_day(app, plan.programme.id) or today(app, plan)


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


def record_measurement(app: App, indicator_id: str, value: float, on: date, source: str) -> str:
    from governance.dates import outside_life, programme_life
    from governance.decisions import Measurement
    from regie.services import sync_store
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
        sync_store(app, session, plan)
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
