"""The progress report's content assembled (:func:`governance.progress.build_progress`) over
what :mod:`regie.report_reads` reads, with its data cut-off."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from regie.bootstrap import App
from regie.errors import InvalidInput
from regie.report_reads import report_basis

if TYPE_CHECKING:
    from governance.plan import Plan


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
    revisions record up to the end of ``as_of`` is read (layout 21 and before: also one synced
    after it, with the day it was recorded), so that one made without a decision is listed
    under *vertraagd of gewijzigd*, as are the items removed from the plan file and the owners
    changed (the items' revisions)."""
    from governance.decision_corrections import in_force
    from governance.progress import LAYOUT, build_progress  # tests set LAYOUT there
    from governance.progress_layouts import (
        ADDITIONS_UNDONE_FROM,
        CORRECTED_UPDATES_FROM,
        CORRECTIONS_FROM,
        DROPPED_FROM,
        EDITS_AS_OF_FROM,
        FIRST_ASSESSED_FROM,
        RENUMBERED_FROM,
        SLIP_NOTES_FROM,
    )
    from governance.provenance import RevisionFact, due_changes, end_of_day
    from governance.slip_notes import slip_notes
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
        basis = report_basis(
            connection, plan, as_of, recorded_until,
            first_assessed=(layout or LAYOUT) >= FIRST_ASSESSED_FROM,
            dropped=(layout or LAYOUT) >= DROPPED_FROM,
            corrections=(layout or LAYOUT) >= CORRECTED_UPDATES_FROM,
            additions=(layout or LAYOUT) >= ADDITIONS_UNDONE_FROM,
        )  # fmt: skip
        items, first_recorded = agenda_read.item_revisions(
            connection, programme, recorded_until,
            renumbered=(layout or LAYOUT) >= RENUMBERED_FROM,
        )  # fmt: skip
        # Layout 21 (walk57a 4): the owner's note on a slip is the reason, not the latest note;
        # read up to the report's data cut-off (read before it), so that it reproduces.
        slips = None
        if (layout or LAYOUT) >= SLIP_NOTES_FROM:
            cut = recorded_until or basis.cut_off
            slips = slip_notes(reports_read.slip_updates(connection, programme, as_of, cut), as_of)
    if (layout or LAYOUT) >= EDITS_AS_OF_FROM:
        # Layout 22 (walk58b 2): the edits of the plan the report shows, rewound to its day.
        cut = end_of_day(plan, as_of)
        revisions = [r for r in revisions if r.recorded_at < cut]
        items = [r for r in items if r.recorded_at < cut]
    moved = due_changes(revisions, basis.recorded)
    report = build_progress(
        basis.plan,
        basis.assessment,
        start,
        end,
        decisions=in_force(basis.decisions)
        if (layout or LAYOUT) >= CORRECTIONS_FROM
        else basis.decisions,
        measurements=measured,
        due_changes=[c for c in moved if not c.decided],
        revisions=items,
        recipient=recipient,
        layout=LAYOUT if layout is None else layout,
        # The obligation it is for (its approval names it): the one given, else the plan's only.
        obligation_id=obligation.id if obligation is not None else None,
        delivered_by=obligation.action if obligation is not None else None,
        first_recorded=first_recorded,
        slips=slips,
    )
    return report, basis.cut_off
