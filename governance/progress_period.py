"""The periods of the progress report (:mod:`governance.progress`): the look-ahead after a
period, the period a reporting obligation's next report covers (its cadence), and the items
such a report delivers."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from governance.assessment import Assessment, ItemAssessment
from governance.cadences import CADENCES
from governance.plan import ReportObligation
from governance.progress_model import FINISHED

#: The look-ahead after the period in calendar months, when the report does not say otherwise.
AHEAD_MONTHS = 6


def months_after(end: date, months: int) -> date:
    """The last day of the ``months`` calendar months that follow ``end``: 30 April + 6 →
    31 October, 31 August + 6 → the last day of February, 15 January + 6 → 15 July.

    The span starts the day after ``end`` and ends the day before the same day ``months``
    later (the first of the next month when that day does not exist); ``date.max`` when that
    lies beyond it."""
    if end == date.max:
        return date.max
    first = end + timedelta(days=1)
    index = first.year * 12 + first.month - 1 + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        return date.max
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    if first.day > last_day:  # from 30 August: no 30 February, so through its last day
        return date(year, month, last_day)
    return date(year, month, first.day) - timedelta(days=1)


def cadence_months(cadence: str | None) -> int | None:
    """The months of one period of ``cadence`` (:data:`CADENCES`); None for none or another."""
    if cadence is None:
        return None
    text = " ".join(cadence.lower().split())
    if text.endswith("lijkse"):
        text = text[:-1]
    return CADENCES.get(text)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day when it is shorter:
    31 August + 6 → 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if year > date.max.year:
        return date.max
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def period_after(end: date, months: int) -> tuple[date, date]:
    """The period of ``months`` that follows one ending on ``end``."""
    start = end + timedelta(days=1)
    return start, add_months(start, months) - timedelta(days=1)


def delivery_window(start: date, end: date, obligation: ReportObligation | None) -> date:
    """The last due date of an item the report over ``start``–``end`` can deliver: the end of
    the period after it, one cadence long (as long as the report's own without a cadence)."""
    months = cadence_months(obligation.cadence) if obligation is not None else None
    try:
        return period_after(end, months)[1] if months is not None else end + (end - start)
    except OverflowError:  # a period that ends at the calendar's last day
        return date.max


def delivered_items(
    assessment: Assessment, action_id: str, end: date, until: date
) -> tuple[ItemAssessment, ...]:
    """The items of ``action_id`` (its own gereed, its milestones) a report ending on ``end``
    delivers: open (not done, not cancelled) and :func:`delivered_by` it."""
    return tuple(
        i
        for i in assessment.items.values()
        if i.action_id == action_id
        and i.state.value not in FINISHED
        and delivered_by(i.due, end, until)
    )


def delivered_by(due: date | None, end: date, until: date) -> bool:
    """Whether an open item due on ``due`` is one the report ending on ``end`` delivers, so
    that ``--mark-done`` records it gereed (:func:`delivered_items`; the reminder that the
    report falls due says so, :func:`governance.report_due.marked_done`): due from ``end``
    through ``until`` (:func:`delivery_window`). An item due before the report's period ended
    belongs to an earlier report; one without a date, or a periodic one, is never finished by
    one report."""
    return due is not None and end <= due <= until
