"""The dates an owner gives in an answer: an overdue item's new expected date ("Nieuwe
datum…", "Loopt vast…") and the day an item was finished ("Gereed…"), checked before anything
is stored, with one problem (a :class:`DateProblem`) per field: the form or Slack modal words
it (``regie/templates/answers/dates.txt.j2``, :func:`regie.texts.date_text`).

A forecast in the past says nothing new (the item stays overdue), and one years ahead is
almost always a mis-click in a date picker (the year wheel); both are refused at the field.
How far ahead is the plan's ``reminders.new_date_max_years`` (default 2). A finished day in
the future has not happened yet; one more years back than that is a slip of the picker too.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from governance.workdays import WorkCalendar

#: How far ahead a new date may lie by default (``reminders.new_date_max_years``).
DEFAULT_MAX_YEARS_AHEAD = 2


class DateProblem(StrEnum):
    """What is wrong with a date an owner picked (the years are the plan's setting)."""

    MISSING = "missing"  # no new date where one is required
    PAST = "past"  # a new expected date before today
    TOO_FAR_AHEAD = "too_far_ahead"  # beyond the years a new date may lie ahead
    FUTURE = "future"  # a day finished after today
    TOO_FAR_BACK = "too_far_back"  # before the years a finished day may lie back


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
) -> DateProblem | None:
    """The problem with an overdue item's new expected date, None when there is none."""
    if day is None:
        return DateProblem.MISSING if required else None
    if day < today:
        return DateProblem.PAST
    if day > latest_allowed(today, max_years):
        return DateProblem.TOO_FAR_AHEAD
    return None


def initial_new_date(
    today: date, forecast: date | None = None, calendar: WorkCalendar | None = None
) -> date:
    """What the date picker shows first: the standing forecast when it still lies ahead,
    else two weeks from today (never a date in the past), moved to the next working day of
    ``calendar`` when that is a weekend day or a holiday (nobody delivers on a Saturday)."""
    if forecast is not None and forecast >= today:
        return forecast
    ahead = today + timedelta(days=14)
    return calendar.working_day_on_or_after(ahead) if calendar is not None else ahead


def earliest_done(today: date, max_years: int = DEFAULT_MAX_YEARS_AHEAD) -> date:
    """The first day :func:`done_date_problem` accepts: as many years back as a new date may
    lie ahead. Not the item's period: a deadline says when an item must be finished, not
    when work on it began, so an item finished ahead of its period is an honest answer."""
    year = today.year - max_years
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def done_date_problem(
    day: date | None, today: date, max_years: int = DEFAULT_MAX_YEARS_AHEAD
) -> DateProblem | None:
    """The problem with the day an item was finished (None: today, never a problem)."""
    if day is None:
        return None
    if day > today:
        return DateProblem.FUTURE
    if day < earliest_done(today, max_years):
        return DateProblem.TOO_FAR_BACK
    return None
