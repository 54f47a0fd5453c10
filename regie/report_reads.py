"""What the governance reports read: the body's meetings, and the plan, assessment and
decisions of a day that the agenda pack and the progress report rest on (:func:`report_basis`)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy import Connection
    from sqlalchemy.orm import Session

    from governance.assessment import Assessment
    from governance.decisions import Decision
    from governance.meetings import Meeting
    from governance.plan import GovernanceBody, Plan
    from governance.provenance import PlanEdit


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
    closing: bool = True,
) -> list[Meeting]:
    """Every meeting of one body (or all bodies) over the programme's term: plan and database
    (the one-off meetings recorded up to ``recorded_until`` when given). ``closing``: with a
    date listed after the programme's end (end46); without it (an archived pack of agenda layout
    12 or before), the meetings as they were before: listed dates and the rule up to the term's
    end or the latest one-off meeting."""
    from governance.meetings import schedule_meetings
    from store import reports_read

    plan = plan or app.load_plan()
    bodies = [body_or_fail(plan, body_id)] if body_id else list(plan.governance)
    with app.reading() as connection:
        extra = reports_read.meetings(connection, plan.programme.id, body_id, recorded_until)
    first, last = _term(plan)
    out: list[Meeting] = []
    for body in bodies:
        # A one-off or listed meeting after the end is kept; the rule stops at the end (end46).
        in_db = [m for m in extra if m.body_id == body.id]
        if closing:
            out.extend(schedule_meetings(body.id, body.meetings, in_db, first, last))
            continue
        until = max([last, *(m.on for m in in_db)])
        out.extend(
            schedule_meetings(body.id, body.meetings, in_db, first, until, listed_after_last=False)
        )
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
    warnings: list[str] | None = None,
) -> str:
    """Store a one-off meeting. A body meets on working days, as the plan file's meetings must
    (docs/plan-schema.md, "Meetings"): a weekend day or a public holiday of the plan's calendar
    is refused unless ``allow_day_off`` (a one-off meeting on a Saturday can be real).
    ``warnings`` collects the warning of a meeting after the programme's end, `plan
    validate`'s text (walk46 7); the CLI says it on stderr (review47 5)."""
    from governance.characters import one_line_problem
    from governance.dates import outside_life, programme_life
    from governance.meetings import Meeting
    from governance.programme_end import ended
    from regie.days_off import day_off
    from regie.services import closing_meeting_warning, sync_store
    from store.reports_repo import ReportsRepository

    wrong = [
        problem
        for flag, text in (("--location", location), ("--note", note))
        if text is not None and (problem := one_line_problem(flag, text))
    ]
    if wrong:  # a pack's line, a feed's LOCATION and its row in `meeting list` (walk57b 7)
        raise InvalidInput(*wrong)
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
        sync_store(app, session, plan)
        added = ReportsRepository(session, plan.programme.id).add_meeting(
            Meeting(body_id, on, at, location, source="db", note=note)
        )
    if not added:
        raise InvalidInput(f"{body_id} already has a meeting on {on} in the database")
    end = plan.programme.end
    if warnings is not None and ended(end, on):
        # Said at once, as `regie plan validate` says it of a listed date (walk46 7).
        warnings.append(closing_meeting_warning(body_id, on, end))
    return f"{body_id}: meeting on {on} added" + (f" ({off})" if off else "")


def meeting_or_fail(
    app: App,
    plan: Plan,
    body_id: str,
    on: date,
    *,
    recorded_until: datetime | None = None,
    closing: bool = True,
) -> list[Meeting]:
    """The body's meetings (``closing``: as :func:`meetings`); ``on`` must be one of them."""
    found = meetings(app, body_id, plan=plan, recorded_until=recorded_until, closing=closing)
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
    first_assessed: bool = True,
    fresh: Collection[str] = (),
    dropped: bool = True,
    corrections: bool = True,
) -> Assessment:
    """The assessment on ``as_of`` from the updates reported up to then; with
    ``recorded_until``, from those recorded up to that moment only (a data cut-off).
    ``first_assessed``: the stale clock starts no earlier than each item's first assessment
    (False: as reports of earlier layouts were made, from the day the item became active);
    ``fresh``: items judged as on their first day (none of them stale: what the colours would
    be without their staleness, agenda layout 18); ``dropped``: a dependent whose predecessor
    was cancelled is undated (False: as reports of earlier layouts were made, walk55d 1);
    ``corrections``: at a cut-off, a correction recorded by then replaces the update it corrects,
    as it does without one (False: as reports of earlier layouts were made, fix57a)."""
    from governance.assessment import assess
    from store.assessment_query import assessment_updates
    from store.first_assessed import first_assessed_days

    pid = plan.programme.id
    # With a cut-off, the rows written by then only: an item stored later (a catch-up replay
    # after the pack) is first assessed on ``as_of`` again, as when the pack was built.
    first = (
        first_assessed_days(session, pid, recorded_until=recorded_until) if first_assessed else None
    )
    if first is not None and fresh:
        first |= dict.fromkeys(fresh, as_of)
    if recorded_until is None:
        return assess(
            plan, assessment_updates(session, pid, as_of), as_of, first_assessed=first,
            dropped=dropped,
        )  # fmt: skip
    from sqlalchemy import Connection as _Connection

    from store import reports_read
    from store.dialect import reader

    connection = session if isinstance(session, _Connection) else reader(session)
    updates = reports_read.updates_recorded_until(
        connection, pid, as_of, recorded_until, corrections=corrections
    )
    return assess(plan, updates, as_of, first_assessed=first, dropped=dropped)


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
    *,
    additions: bool = True,
) -> Plan:
    """The plan as it stood on ``as_of`` (:func:`governance.provenance.plan_as_of`): a report
    for a day before a decision's meeting does not know the decision yet, nor a plan-file edit
    synced after that day (``edits``: :func:`recorded_edits`). ``additions``: nor an item a
    decision of a later meeting added (False: as reports of earlier layouts were made)."""
    from governance.provenance import plan_as_of

    return plan_as_of(plan, decisions, as_of, edits, additions=additions)


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
    cut_off: datetime | None  # the data cut-off: the newest record (up to ``recorded_until``)


def report_basis(
    connection: Connection,
    plan: Plan,
    as_of: date,
    recorded_until: datetime | None,
    *,
    first_assessed: bool = True,
    dropped: bool = True,
    read_cut_off: bool = True,
    corrections: bool = True,
    additions: bool = True,
) -> ReportBasis:
    """The agenda pack's and the progress report's provenance, read in one place: the plan
    of ``as_of`` (decisions taken after it undone), the assessment of that day, the decisions
    and the data cut-off, which is read last (the newest recorded_at among the records read
    before it, in the same transaction). ``first_assessed``, ``dropped``, ``corrections``: as
    :func:`assess_as_of`'s; ``additions``: as :func:`plan_on`'s; ``read_cut_off``: False when
    only the assessment is wanted (the cut-off is then ``recorded_until``, unread)."""
    from governance.events import ESCALATION_RAISED
    from store import reports_read

    everything = recorded_decisions(connection, plan, recorded_until)
    edits = recorded_edits(connection, plan, as_of, recorded_until)
    dated = plan_on(plan, everything, as_of, edits, additions=additions)
    assessment = assess_as_of(
        connection, dated, as_of, recorded_until=recorded_until, first_assessed=first_assessed,
        dropped=dropped, corrections=corrections,
    )  # fmt: skip
    decisions = [d for d in everything if d.meeting_on <= as_of]
    if not read_cut_off:
        return ReportBasis(dated, assessment, everything, decisions, recorded_until)
    # Made from the records up to ``recorded_until``: the newest among them, as a report made
    # at that moment would have (the moment itself lies after the last record it read).
    cut_off = (
        reports_read.data_until(
            connection, plan.programme.id, as_of, ESCALATION_RAISED, recorded_until
        )
        or recorded_until
    )
    return ReportBasis(dated, assessment, everything, decisions, cut_off)
