"""The dates an owner gives in an answer: an overdue item's new expected date ("Nieuwe
datum…", "Loopt vast…") and the day an item was finished ("Gereed…"), checked before anything
is stored, with one Dutch sentence per problem for the form or Slack modal.

A forecast in the past says nothing new (the item stays overdue), and one years ahead is
almost always a mis-click in a date picker (the year wheel); both are refused at the field.
How far ahead is the plan's ``reminders.new_date_max_years`` (default 2). A finished day in
the future has not happened yet, one before the item's period began is a slip of the picker.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.plan import Deadline

#: How far ahead a new date may lie by default (``reminders.new_date_max_years``).
DEFAULT_MAX_YEARS_AHEAD = 2


def latest_allowed(today: date, max_years: int = DEFAULT_MAX_YEARS_AHEAD) -> date:
    """The last date :func:`new_date_problem` accepts (29 February rolls to 28)."""
    year = today.year + max_years
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def new_date_problem(
    day: date | None,
    today: date,
    *,
    required: bool,
    max_years: int = DEFAULT_MAX_YEARS_AHEAD,
) -> str | None:
    """The problem with an overdue item's new expected date, None when there is none."""
    if day is None:
        return "Kies de nieuwe verwachte datum." if required else None
    if day < today:
        return "Deze datum ligt in het verleden. Kies vandaag of een latere datum."
    if day > latest_allowed(today, max_years):
        return f"Deze datum ligt meer dan {max_years} jaar vooruit. Kies een eerdere datum."
    return None


def initial_new_date(today: date, forecast: date | None = None) -> date:
    """What the date picker shows first: the standing forecast when it still lies ahead,
    else two weeks from today (never a date in the past)."""
    if forecast is not None and forecast >= today:
        return forecast
    return today + timedelta(days=14)


def earliest_done(item: Deadline | None, today: date) -> date | None:
    """The first day an item can have been finished: the start of its period (``Q2-2016``:
    1 April 2016, ``Vanaf 2016``: 1 January 2016). None when it has no dated period, or when
    that period has not begun yet: an item finished ahead of it may have been finished on any
    day so far."""
    if item is None or item.period is None or item.period.start is None:
        return None
    start = item.period.start
    return start if start <= today else None


def done_date_problem(day: date | None, today: date, earliest: date | None) -> str | None:
    """The problem with the day an item was finished (None: today, never a problem)."""
    from governance.labels import dutch_date

    if day is None:
        return None
    if day > today:
        return "Deze datum ligt in de toekomst. Kies vandaag of een eerdere datum."
    if earliest is not None and day < earliest:
        return (
            f"Deze datum ligt voor het begin van dit punt ({dutch_date(earliest)}). "
            "Kies die dag of een latere datum."
        )
    return None
