"""When a reporting obligation's next report falls due, and whether the programme office is to
be reminded of it on a day: pure (``as_of`` explicit, the archive and the finished items handed
in).

A plan's ``reports:`` entry (:class:`~governance.plan.ReportObligation`) falls due

- on the due date of its ``action``'s open items (its own gereed, its milestones) that the
  report over a period delivers: due from the period's last day up to the next period's (as
  :func:`governance.progress_period.delivery_window` counts it; the MVI plan's 4.4,
  *Q4-2016/Q1-2017*, for the report over 2015–2016);
- else, with a ``cadence`` Regie reads (:data:`governance.cadences.CADENCES`), on the last day
  of each whole period counted from the programme's ``start`` (the yearly report over 2025 on
  31 December 2025); none after the programme's ``end`` when it has one, and the period that
  end cuts short falls due on the end (:func:`periods`);
- without a cadence, on the due date of each of its action's open dated items.

A period whose action items are all done or cancelled (``regie report voortgang --mark-done``)
is delivered, as is one for which a progress report is archived (its period ends on or after
the period's last day; without a period: one made since the previous due date). An obligation
without an action and a cadence Regie reads has no date to remind of.

The office is reminded from ``reminders.report_lead_days`` working days before the due date
through the due date itself (:meth:`~governance.workdays.WorkCalendar.window_start`): the
outbox key (:func:`reminder_key`) makes it one message per obligation, due date and contact.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import takewhile

from governance.periods import DATED_KINDS
from governance.plan import Deadline, Plan, ReportObligation
from governance.progress_period import (
    add_months,
    cadence_months,
    delivered_by,
    delivery_window,
)
from governance.workdays import WorkCalendar

_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class ArchivedPeriod:
    """An archived progress report as far as reminders care: its period and its day."""

    start: date
    end: date
    as_of: date


@dataclass(frozen=True, slots=True)
class ReportDue:
    """A report an obligation owes: when it falls due, the period it covers (None without a
    cadence) and the open items of the obligation's action due that day (none when the due
    date is the period's end)."""

    obligation: ReportObligation
    due: date
    start: date | None
    end: date | None
    items: tuple[Deadline, ...] = ()


def reminder_key(obligation_id: str, due: date, contact_id: str) -> str:
    """The outbox key of the reminder: once per obligation, due date and contact."""
    return f"report-due:{obligation_id}:{due.isoformat()}:{contact_id}"


def action_items(plan: Plan, obligation: ReportObligation) -> tuple[Deadline, ...]:
    """The dated items of the obligation's action (its own gereed, its milestones), by due
    date; none when it names no action."""
    if obligation.action is None:
        return ()
    found = [d for d in plan.deadlines() if d.action_id == obligation.action and _due(d)]
    return tuple(sorted(found, key=lambda d: (_due(d) or date.max, d.item_id)))


def marked_done(
    plan: Plan,
    obligation: ReportObligation,
    start: date,
    end: date,
    finished: Collection[str] = (),
) -> tuple[Deadline, ...]:
    """The items of the obligation's action that ``regie report voortgang --mark-done`` records
    gereed with the report over ``start``–``end``, as the plan stands: not ``finished`` and
    delivered by it (:func:`governance.progress_period.delivered_by`, through the
    :func:`~governance.progress_period.delivery_window`: the command's rule, on the plan's
    dates); none without an action. The reminder says what marking it done will do
    (walk58a 2: none for an ongoing action such as *halfjaarlijks*)."""
    until = delivery_window(start, end, obligation)
    return tuple(
        d
        for d in action_items(plan, obligation)
        if d.item_id not in finished and delivered_by(_due(d), end, until)
    )


def reported_items(plan: Plan) -> set[str]:
    """The item ids whose state the reminders need: the obligations' action items."""
    return {d.item_id for r in plan.reports for d in action_items(plan, r)}


def obligation_dues(
    plan: Plan,
    obligation: ReportObligation,
    until: date,
    finished: Collection[str] = (),
    archived: Sequence[ArchivedPeriod] = (),
) -> Iterator[ReportDue]:
    """The reports ``obligation`` still owes that fall due on or before ``until``, oldest
    first: not delivered (items finished, a report archived)."""
    items = action_items(plan, obligation)
    months = cadence_months(obligation.cadence)
    begin, finale = plan.programme.start, plan.programme.end
    if months is None or begin is None:
        previous = date.min
        for due in sorted({day for d in items if (day := _due(d)) is not None}):
            if due > until:
                return
            open_ = tuple(d for d in items if _due(d) == due and d.item_id not in finished)
            made = any(previous < a.as_of <= due for a in archived)
            if open_ and not made:
                yield ReportDue(obligation, due, None, None, open_)
            previous = due
        return
    for count, (period_start, end) in enumerate(periods(plan, months), start=1):
        if period_start > until:
            return
        # The next period's end as the cadence counts it (also after the programme's end) —
        # but an item due on or after the programme's end delivers the last, cut period's
        # report, not this one's too: one obligation never owes two reports on one day.
        following = add_months(begin, (count + 1) * months) - _DAY
        if finale is not None and end < finale:
            following = min(following, finale)
        delivering = [d for d in items if end <= (_due(d) or date.min) < following]
        if any(a.end >= end for a in archived):
            continue
        if delivering:
            pending = [d for d in delivering if d.item_id not in finished]
            if not pending:
                continue  # marked done with the report
            due = min(_due(d) or date.max for d in pending)
            on_due = tuple(d for d in pending if _due(d) == due)
            report = ReportDue(obligation, due, period_start, end, on_due)
        else:
            report = ReportDue(obligation, end, period_start, end)
        if report.due > until:  # the later periods' fall due later still
            return
        yield report


def periods(plan: Plan, months: int) -> Iterator[tuple[date, date]]:
    """Whole periods of ``months`` counted from the programme's ``start``, oldest first, none
    after its ``end`` (the last day of the programme, as the plan schema has it): the period
    that end cuts ends on it. Endless without an ``end``; none without a ``start``."""
    begin, last = plan.programme.start, plan.programme.end
    if begin is None:
        return
    count, start = 1, begin
    while last is None or start <= last:
        end = add_months(begin, count * months) - _DAY
        yield start, (end if last is None or end <= last else last)
        count, start = count + 1, end + _DAY


def cadence_periods(
    plan: Plan, obligation: ReportObligation, until: date
) -> list[tuple[date, date]]:
    """The obligation's periods (:func:`periods` of its ``cadence``) that end on or before
    ``until``, oldest first; none without a cadence Regie reads or a programme start (then any
    period is the obligation's)."""
    months = cadence_months(obligation.cadence)
    if months is None:
        return []
    return list(takewhile(lambda p: p[1] <= until, periods(plan, months)))


def reminders_due(
    plan: Plan,
    as_of: date,
    calendar: WorkCalendar,
    *,
    finished: Collection[str] = (),
    archived: Mapping[str, Sequence[ArchivedPeriod]] | None = None,
) -> list[ReportDue]:
    """The reports the office is to be reminded of on ``as_of``: due from ``as_of`` through
    ``reminders.report_lead_days`` working days later (``as_of`` in the window that opens
    that long before the due date). ``finished``: item ids done or cancelled; ``archived``:
    per obligation id, its archived progress reports."""
    lead = plan.reminders.report_lead_days
    # No window of ``lead`` working days is longer than this many calendar days (at most
    # two weeks of holidays in a run of working days).
    horizon = as_of + timedelta(days=lead * 7 // 5 + 21)
    out = []
    for obligation in plan.reports:
        made = (archived or {}).get(obligation.id, ())
        for report in obligation_dues(plan, obligation, horizon, finished, made):
            if report.due >= as_of and calendar.window_start(report.due, lead) <= as_of:
                out.append(report)
    return sorted(out, key=lambda r: (r.due, r.obligation.id))


def _due(d: Deadline) -> date | None:
    period = d.period
    if period is None or period.kind not in DATED_KINDS:
        return None
    return period.end
