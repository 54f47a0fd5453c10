"""Which progress report a decision approves (``regie decision add --approves-report
OBLIGATION[:FROM/TO]``): the plan's reporting obligation and a period of a report archived
for it. Refusals are one line each, naming the option."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from regie.bootstrap import App
from regie.errors import InvalidInput

if TYPE_CHECKING:
    from governance.decisions import ReportRef
    from governance.plan import Plan, ReportObligation

FLAG = "--approves-report"


#: The option that approves a report not archived yet (a text drafted before it is made here).
BEFORE_ARCHIVE = "--before-archive"


def approved_report(
    app: App, plan: Plan, spec: str, meeting_on: date, *, before_archive: bool = False
) -> tuple[ReportRef, str | None, list[str]]:
    """The report ``spec`` names, the action of its obligation (the decision is about it) and
    notes (a report approved ``before_archive``: the body approved a text drafted before the
    report is made here).

    ``OBLIGATION``: its archived progress report whose period ends last before the meeting;
    ``OBLIGATION:FROM/TO``: the one archived over that period. A report is approved after its
    period, so a period that has not ended before the meeting is refused. So is a report
    approved before by a decision that names it (an approval is append-only: the default
    would approve the old report again rather than the new one not archived yet), and a period
    no archived report covers unless ``before_archive`` (a mistyped period stays for good);
    even then it must be one of the obligation's periods when its cadence is one Regie reads."""
    from governance.decisions import ReportRef

    text = spec.strip()
    known = [r.id for r in plan.reports]
    report_id, _, period = (text, "", "") if text in known else text.partition(":")
    obligation = next((r for r in plan.reports if r.id == report_id), None)
    if obligation is None:
        raise InvalidInput(
            f"{FLAG}: the plan has no reporting obligation {report_id!r} "
            f"(known: {', '.join(known) or 'none'})"
        )
    archived = archived_periods(app, plan, obligation.id)
    listed = ", ".join(f"{a} – {b}" for a, b in archived) or "none"
    notes = []
    if period:
        start, end = _period(period)
        if end >= meeting_on:
            raise InvalidInput(
                f"{FLAG}: the period {start} – {end} has not ended before the meeting "
                f"({meeting_on}): a report is approved after its period"
            )
        if (start, end) not in archived:
            _not_archived(plan, obligation, start, end, meeting_on, listed, before_archive)
            notes.append(
                f"note: no progress report of {obligation.id} over {start} – {end} is archived "
                f"yet (archived: {listed}); the one made for that period is approved"
            )
    else:
        before = [p for p in archived if p[1] < meeting_on]
        if not before:
            raise InvalidInput(
                f"{FLAG}: no progress report of {obligation.id} archived over a period that "
                f"ended before the meeting ({meeting_on}; archived: {listed}); make it first "
                f"(`regie report voortgang`) or give OBLIGATION:FROM/TO with {BEFORE_ARCHIVE}"
            )
        start, end = max(before, key=lambda p: (p[1], p[0]))
    _not_approved_yet(app, plan, obligation, start, end, meeting_on, given=bool(period))
    return ReportRef(obligation.id, start, end), obligation.action, notes


def _not_archived(
    plan: Plan,
    obligation: ReportObligation,
    start: date,
    end: date,
    meeting_on: date,
    listed: str,
    before_archive: bool,
) -> None:
    """Refuse a period no archived report covers, unless asked for explicitly and it is one
    of the obligation's periods (any, without a cadence Regie reads)."""
    from governance.report_due import cadence_periods

    periods = cadence_periods(plan, obligation, meeting_on)
    if periods and (start, end) not in periods:
        recent = ", ".join(f"{a}/{b}" for a, b in periods[-3:])
        raise InvalidInput(
            f"{FLAG}: {start} – {end} is not a period of {obligation.id} "
            f"({obligation.cadence}; the latest: {recent})"
        )
    if not before_archive:
        raise InvalidInput(
            f"{FLAG}: no progress report of {obligation.id} over {start} – {end} is archived "
            f"(archived: {listed}); check the period, or add {BEFORE_ARCHIVE} to approve the "
            "report to be made for it"
        )


def _not_approved_yet(
    app: App,
    plan: Plan,
    obligation: ReportObligation,
    start: date,
    end: date,
    meeting_on: date,
    *,
    given: bool,
) -> None:
    """Refuse a report a decision already approves by name (naming that decision); without a
    period given, name the obligation's next period to give instead."""
    from governance.report_due import cadence_periods
    from store.reports_repo import ReportsRepository

    with app.session() as session:
        decisions = ReportsRepository(session, plan.programme.id).decisions()
    earlier = [
        d
        for d in decisions
        if d.approves is not None
        and d.approves.report_id == obligation.id
        and (d.approves.start, d.approves.end) == (start, end)
    ]
    if not earlier:
        return
    first = min(earlier, key=lambda d: (d.meeting_on, d.id or 0))
    hint = ""
    if not given:
        following = [p for p in cadence_periods(plan, obligation, meeting_on) if p[0] > end]
        spec = f"{obligation.id}:{following[0][0]}/{following[0][1]}" if following else None
        hint = (
            f"; to approve the next report give its period ({FLAG} {spec}, with "
            f"{BEFORE_ARCHIVE} when it is not archived yet)"
            if spec
            else f"; to approve another report give its period ({FLAG} {obligation.id}:FROM/TO)"
        )
    raise InvalidInput(
        f"{FLAG}: the progress report of {obligation.id} over {start} – {end} is already "
        f"approved by decision {first.id} ({first.body_id}, meeting {first.meeting_on}){hint}"
    )


def _period(text: str) -> tuple[date, date]:
    first, slash, last = text.partition("/")
    try:
        if not slash:
            raise ValueError(text)
        start, end = date.fromisoformat(first.strip()), date.fromisoformat(last.strip())
    except ValueError:
        raise InvalidInput(
            f"{FLAG}: {text!r} is not a period FROM/TO (YYYY-MM-DD/YYYY-MM-DD)"
        ) from None
    if end < start:
        raise InvalidInput(f"{FLAG}: the period {start} – {end} ends before it starts")
    return start, end


def archived_periods(app: App, plan: Plan, obligation_id: str) -> list[tuple[date, date]]:
    """The periods of the progress reports archived for the obligation (or naming none while
    the plan has only this one), oldest first, each once."""
    from store.reports_repo import ReportsRepository

    with app.session() as session:
        rows = ReportsRepository(session, plan.programme.id).archived("voortgang")
    only = len(plan.reports) == 1
    out: list[tuple[date, date]] = []
    for row in rows:
        p = row.parameters or {}
        made_for = p.get("report")
        if made_for != obligation_id and (made_for is not None or not only):
            continue
        try:
            found = (date.fromisoformat(str(p["from"])), date.fromisoformat(str(p["to"])))
        except (KeyError, ValueError):
            continue
        if found not in out:
            out.append(found)
    return sorted(out)
