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
    from governance.plan import Plan

FLAG = "--approves-report"


def approved_report(
    app: App, plan: Plan, spec: str, meeting_on: date
) -> tuple[ReportRef, str | None, list[str]]:
    """The report ``spec`` names, the action of its obligation (the decision is about it) and
    notes (a period given that no archived report covers yet: the body may approve a text
    drafted before the report is made here).

    ``OBLIGATION``: its archived progress report whose period ends last before the meeting;
    ``OBLIGATION:FROM/TO``: the one archived over that period. A report is approved after its
    period, so a period that has not ended before the meeting is refused."""
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
            notes.append(
                f"note: no progress report of {obligation.id} over {start} – {end} is archived "
                f"yet (archived: {listed}); one made for that period is approved"
            )
    else:
        before = [p for p in archived if p[1] < meeting_on]
        if not before:
            raise InvalidInput(
                f"{FLAG}: no progress report of {obligation.id} archived over a period that "
                f"ended before the meeting ({meeting_on}; archived: {listed}); make it first "
                "(`regie report voortgang`) or give OBLIGATION:FROM/TO"
            )
        start, end = max(before, key=lambda p: (p[1], p[0]))
    return ReportRef(obligation.id, start, end), obligation.action, notes


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
